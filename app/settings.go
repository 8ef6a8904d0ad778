package app

import (
	"fmt"
	"strconv"
)

// SetSetting validates and stores a setting. Known keys take effect on the
// next operation that reads them, without a restart.
func (a *App) SetSetting(key, value string) error {
	switch key {
	case SettingMaxFileMB:
		if v, err := strconv.ParseFloat(value, 64); err != nil || v <= 0 {
			return fmt.Errorf("%s must be a positive number of megabytes, not %q", key, value)
		}
	case SettingMaxDepth:
		if v, err := strconv.Atoi(value); err != nil || v <= 0 {
			return fmt.Errorf("%s must be a positive whole number, not %q", key, value)
		}
	default:
		return fmt.Errorf("unknown setting %q: known settings are %s and %s", key, SettingMaxFileMB, SettingMaxDepth)
	}
	return a.store.SetSetting(key, value)
}
