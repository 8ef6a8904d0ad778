package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

type linkJSON struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Target  string `json:"target"`
	Context string `json:"context"`
	Missing bool   `json:"missing"`
}

// TestNavigationAPI: a wikilink target opens its note (by title or file
// name, any case), a missing one is a 404; a note's outgoing links and
// backlinks carry their lines, and embedded attachments are not links;
// names complete as typed; an unknown graph name is a 404 with
// suggestions, never a 500.
func TestNavigationAPI(t *testing.T) {
	s, _ := newServer(t)
	hitOf := func(target string) (int, map[string]any) {
		w := get(s, "/api/resolve?target="+url.QueryEscape(target), bearer)
		return w.Code, decode[map[string]any](t, w.Body.Bytes())
	}
	for _, target := range []string{"Compost", "compost", "  Garden ", "journal/March", "Kayak trip.md"} {
		code, hit := hitOf(target)
		if code != 200 || hit["id"] == "" || hit["title"] == "" {
			t.Errorf("resolve %q: %d %v", target, code, hit)
		}
	}
	if code, body := hitOf("Seed catalogue"); code != http.StatusNotFound || !strings.Contains(body["error"].(string), "Seed catalogue") {
		t.Errorf("resolve a missing note: %d %v", code, body)
	}
	if code, _ := hitOf(""); code != http.StatusBadRequest {
		t.Errorf("resolve nothing: %d", code)
	}

	_, garden := hitOf("Garden")
	_, reading := hitOf("Reading list")
	links := func(id string) (out struct {
		Outgoing  []linkJSON `json:"outgoing"`
		Backlinks []linkJSON `json:"backlinks"`
	}) {
		w := get(s, "/api/documents/"+url.PathEscape(id)+"/links", bearer)
		if w.Code != 200 {
			t.Fatalf("links of %s: %d %s", id, w.Code, w.Body)
		}
		return decode[struct {
			Outgoing  []linkJSON `json:"outgoing"`
			Backlinks []linkJSON `json:"backlinks"`
		}](t, w.Body.Bytes())
	}
	rl := links(reading["id"].(string))
	if len(rl.Outgoing) != 2 || rl.Outgoing[0].Target != "Seed catalogue" || !rl.Outgoing[0].Missing ||
		rl.Outgoing[1].Title != "Garden" || rl.Outgoing[1].ID != garden["id"] || !strings.Contains(rl.Outgoing[1].Context, "[[Garden|the garden]]") {
		t.Errorf("outgoing links of Reading list: %+v", rl.Outgoing)
	}
	gl := links(garden["id"].(string))
	if len(gl.Backlinks) != 1 || gl.Backlinks[0].Title != "Reading list" || !strings.HasPrefix(gl.Backlinks[0].Context, "Next: [[Seed catalogue]]") {
		t.Errorf("backlinks of Garden: %+v", gl.Backlinks)
	}
	if len(gl.Outgoing) != 1 || gl.Outgoing[0].Title != "Compost" || gl.Outgoing[0].Context != "Tomatoes and basil grow by the fence. See [[Compost]]." {
		t.Errorf("outgoing links of Garden: %+v", gl.Outgoing)
	}
	if w := get(s, "/api/documents/nope/links", bearer); w.Code != http.StatusNotFound {
		t.Errorf("links of a missing document: %d %s", w.Code, w.Body)
	}

	w := get(s, "/api/suggest?q=gar&limit=5", bearer)
	sug := decode[[]map[string]any](t, w.Body.Bytes())
	if w.Code != 200 || len(sug) == 0 || sug[0]["name"] != "Garden" {
		t.Errorf("suggest gar: %d %s", w.Code, w.Body)
	}
	if w := get(s, "/api/suggest?q=gar&limit=500", bearer); w.Code != http.StatusBadRequest {
		t.Errorf("suggest with limit 500: %d", w.Code)
	}

	// The graph: no 500 for a name nobody has, and what was meant is offered.
	w = get(s, "/api/graph?name=Gardn", bearer)
	body := decode[struct {
		Error       string           `json:"error"`
		Suggestions []map[string]any `json:"suggestions"`
	}](t, w.Body.Bytes())
	if w.Code != http.StatusNotFound || !strings.Contains(body.Error, `no one or nothing called "Gardn"`) || len(body.Suggestions) == 0 || body.Suggestions[0]["name"] != "Garden" {
		t.Errorf("graph of an unknown name: %d %s", w.Code, w.Body)
	}
	// The attachment embed is not drawn as a document.
	w = get(s, "/api/graph?name="+url.QueryEscape("Reading list"), bearer)
	if w.Code != 200 || strings.Contains(w.Body.String(), "cover.png") || !strings.Contains(w.Body.String(), "Seed catalogue") {
		t.Errorf("graph of Reading list: %d %s", w.Code, w.Body)
	}
}
