package app

import (
	"strings"

	"github.com/engram-app/engram/config"
)

// SettingValue is one setting as the faces show it: its key, the value in
// effect, its default, whether the user set it, and what it does.
type SettingValue struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Default string `json:"default"`
	Set     bool   `json:"set"`
	Doc     string `json:"doc"`
}

// SetSetting validates and stores a setting; the empty value resets it to
// its default. Known keys take effect on the next operation that reads
// them, without a restart. An unknown key is a *config.UnknownKeyError, a
// value the key does not take wraps config.ErrBadValue.
func (a *App) SetSetting(key, value string) error {
	// Connector keys (connect.NAME.*, secrets.store) are their own:
	// app/connect.go checks and stores them (a client secret in the
	// secret store, never in the settings).
	if handled, err := a.setConnectSetting(key, value); handled {
		return err
	}
	k, err := config.Lookup(key)
	if err != nil {
		return err
	}
	if err := k.Check(value); err != nil {
		return err
	}
	if strings.HasPrefix(key, "embed.") {
		// Search by meaning restarts its background work on a change.
		return a.setEmbedSetting(key, value)
	}
	return a.store.SetSetting(key, value)
}

// Setting returns the setting key with the value in effect. A connector
// key (connect.NAME.*, secrets.store), which config does not list, is shown
// as stored when it is set.
func (a *App) Setting(key string) (SettingValue, error) {
	k, err := config.Lookup(key)
	if err != nil {
		if v, ok, serr := a.store.Setting(key); serr == nil && ok {
			return SettingValue{Key: key, Value: v, Set: true}, nil
		}
		return SettingValue{}, err
	}
	return a.settingValue(k)
}

// Settings returns every setting, sorted by key.
func (a *App) Settings() ([]SettingValue, error) {
	keys := config.Keys()
	out := make([]SettingValue, 0, len(keys))
	for _, k := range keys {
		v, err := a.settingValue(k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (a *App) settingValue(k config.Key) (SettingValue, error) {
	v, ok, err := a.store.Setting(k.Name)
	if err != nil {
		return SettingValue{}, err
	}
	sv := SettingValue{Key: k.Name, Value: k.Default, Default: k.Default, Doc: k.Doc}
	if ok && v != "" {
		sv.Value, sv.Set = v, true
	}
	return sv, nil
}
