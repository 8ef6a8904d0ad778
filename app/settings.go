package app

import (
	"fmt"
	"net/url"
	"strconv"
)

// SetSetting validates and stores a setting. Known keys take effect on the
// next operation that reads them, without a restart.
func (a *App) SetSetting(key, value string) error {
	if handled, err := a.setConnectSetting(key, value); handled {
		return err
	}
	switch key {
	case SettingMaxFileMB:
		if v, err := strconv.ParseFloat(value, 64); err != nil || v <= 0 {
			return fmt.Errorf("%s must be a positive number of megabytes, not %q", key, value)
		}
	case SettingMaxDepth:
		if v, err := strconv.Atoi(value); err != nil || v <= 0 {
			return fmt.Errorf("%s must be a positive whole number, not %q", key, value)
		}
	case SettingLLMEndpoint:
		if u, err := url.Parse(value); value != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			return fmt.Errorf("%s must be an http(s) URL such as http://127.0.0.1:11434/v1, not %q", key, value)
		}
	case SettingLLMModel:
	default:
		return fmt.Errorf("unknown setting %q: known settings are %s, %s, %s and %s", key, SettingMaxFileMB, SettingMaxDepth, SettingLLMEndpoint, SettingLLMModel)
	}
	return a.store.SetSetting(key, value)
}
