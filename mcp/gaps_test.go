package mcp_test

import (
	"strings"
	"testing"
)

func TestGapTools(t *testing.T) {
	cs := connect(t)
	out, isErr := call(t, cs, "gaps", map[string]any{"limit": 5})
	if isErr || !strings.Contains(out, `"gaps":[]`) {
		t.Errorf("gaps on an empty workspace: %s", out)
	}
	if out, isErr := call(t, cs, "gaps", map[string]any{"kind": "nonsense"}); !isErr || !strings.Contains(out, "unknown gap kind") {
		t.Errorf("gaps with an unknown kind: error %v, %s", isErr, out)
	}
	if out, isErr := call(t, cs, "who_knows", map[string]any{"topic": " "}); !isErr {
		t.Errorf("who_knows with no topic: %s", out)
	}
	out, isErr = call(t, cs, "who_knows", map[string]any{"topic": "budget", "limit": 1000})
	if isErr || !strings.Contains(out, `"people":[]`) {
		t.Errorf("who_knows on an empty workspace: %s", out)
	}
}
