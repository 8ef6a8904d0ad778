package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		key, value string
		ok         bool
	}{
		{MaxFileMB, "50", true},
		{MaxFileMB, "0.5", true},
		{MaxFileMB, "", true},
		{MaxFileMB, "-1", false},
		{MaxFileMB, "lots", false},
		{MaxFileMB, "1e9", false},
		{MaxDepth, "8", true},
		{MaxDepth, "0", false},
		{MaxDepth, "2.5", false},
		{LLMEndpoint, "http://127.0.0.1:11434/v1", true},
		{LLMEndpoint, "ftp://x", false},
		{LLMEndpoint, "localhost", false},
		{LLMModel, "anything at all", true},
	} {
		k, err := Lookup(c.key)
		if err != nil {
			t.Fatal(err)
		}
		err = k.Check(c.value)
		if c.ok != (err == nil) {
			t.Errorf("%s = %q: %v, want ok %v", c.key, c.value, err, c.ok)
		}
		if err != nil && (!errors.Is(err, ErrBadValue) || !strings.Contains(err.Error(), c.key)) {
			t.Errorf("%s = %q: error %q does not name the key or wrap ErrBadValue", c.key, c.value, err)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("import.max_size")
	var uk *UnknownKeyError
	if !errors.As(err, &uk) || !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), MaxFileMB) {
		t.Fatalf("Lookup of an unknown key: %v", err)
	}
}

func TestKeysSortedAndDefaultsValid(t *testing.T) {
	keys := Keys()
	if !slices.IsSortedFunc(keys, func(a, b Key) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Keys is not sorted")
	}
	for _, k := range keys {
		if err := k.Check(k.Default); err != nil {
			t.Errorf("%s: the default %q is not a value it takes: %v", k.Name, k.Default, err)
		}
		if k.Doc == "" {
			t.Errorf("%s has no doc", k.Name)
		}
	}
}
