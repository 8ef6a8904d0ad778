package graph

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"go.etcd.io/bbolt"
)

func TestDocRecordRoundTrip(t *testing.T) {
	tests := []docRecord{
		{Hash: "h"},
		{
			Hash:  "sha256:abc",
			Nodes: []string{"person:a@x.org", "person:b@x.org"},
			Views: []nodeView{{Name: "Ann", Aliases: []string{"Ann X", "Anne"}}, {}},
			Edges: [][3]string{
				{"person:a@x.org", "SENT_TO", "person:b@x.org"},
				{"person:a@x.org", "REPLIED_TO", "person:c@x.org"}, // an end it does not declare
				{"person:c@x.org", "SENT_TO", "person:a@x.org"},
			},
		},
	}
	for _, r := range tests {
		got, err := decodeDocRecord(r.encode())
		if err != nil {
			t.Fatalf("decoding %+v: %v", r, err)
		}
		if r.Views == nil {
			r.Views = []nodeView{}
		}
		if r.Nodes == nil {
			r.Nodes = []string{}
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, r)
		}
	}
}

func TestDocRecordCorrupt(t *testing.T) {
	good := docRecord{
		Hash:  "h",
		Nodes: []string{"person:a", "person:b"},
		Views: []nodeView{{Name: "A"}, {Name: "B", Aliases: []string{"Bee"}}},
		Edges: [][3]string{{"person:a", "SENT_TO", "person:b"}},
	}.encode()
	bad := [][]byte{nil, {}, {'{'}, {docRecordV2}, good[:len(good)-1], append(append([]byte{}, good...), 0)}
	// An edge index past the table.
	idx := append([]byte{}, good...)
	idx[len(idx)-1] = 9
	bad = append(bad, idx)
	// A length far beyond the record.
	bad = append(bad, []byte{docRecordV2, 0xff, 0xff, 0xff, 0xff, 0x0f})
	for _, b := range bad {
		if _, err := decodeDocRecord(b); err == nil {
			t.Errorf("decodeDocRecord(%q) = nil error", b)
		}
	}
}

func FuzzDecodeDocRecord(f *testing.F) {
	f.Add(docRecord{Hash: "h", Nodes: []string{"person:a"}, Views: []nodeView{{Name: "A"}},
		Edges: [][3]string{{"person:a", "SENT_TO", "person:b"}}}.encode())
	f.Add([]byte{docRecordV2, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeDocRecord(b)
		if err != nil {
			return
		}
		// What decodes encodes back to a record that decodes the same.
		again, err := decodeDocRecord(r.encode())
		if err != nil || !reflect.DeepEqual(again.Edges, r.Edges) || !reflect.DeepEqual(again.Nodes, r.Nodes) {
			t.Fatalf("re-encoding %+v: %+v, %v", r, again, err)
		}
	})
}

// TestMigrateLayout1 writes a graph, turns its file back into layout 1 (JSON
// records, declarations in engram_graph_node_docs), and checks that Open
// migrates it: names still merge across contributions and withdrawing a
// contribution still withdraws its declarations and edges.
func TestMigrateLayout1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "graph.db")
	g, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mail := func(doc, name string) Contribution {
		return Contribution{DocID: doc, Hash: "h-" + doc,
			Nodes: []Node{{ID: "person:ann@x.org", Name: name}, {ID: "person:bob@x.org", Name: "Bob"}},
			Edges: []Edge{{From: "person:ann@x.org", Predicate: SentTo, To: "person:bob@x.org"}}}
	}
	if err := g.Replace(ctx, []Contribution{mail("m1", "Ann Smith"), mail("m2", "Smith, Ann"), mail("m3", "Ann Smith")}); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	downgrade(t, path)

	g, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("opening a layout 1 graph: %v", err)
	}
	defer g.Close()
	err = g.db.Bolt().View(func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte(bucketNodeDocs)) != nil {
			t.Error("engram_graph_node_docs still there after the migration")
		}
		if v := tx.Bucket([]byte(bucketMeta)).Get([]byte("version")); string(v) != layoutVersion {
			t.Errorf("layout version %q after the migration", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hashes, err := g.Docs(ctx)
	if err != nil || hashes["m2"] != "h-m2" || len(hashes) != 3 {
		t.Fatalf("Docs after the migration = %v, %v", hashes, err)
	}
	// Edges in were rebuilt: Bob sees Ann's three mails.
	_, ns, err := g.Neighbors(ctx, "bob@x.org", NeighborQuery{})
	if err != nil || len(ns) != 1 || ns[0].Node.ID != "person:ann@x.org" || ns[0].Direction != In || ns[0].Count != 3 {
		t.Fatalf("bob's neighbours after the migration = %+v, %v; want ann, in, 3", ns, err)
	}
	if ps, err := g.Check(ctx); err != nil || len(ps) != 0 {
		t.Fatalf("Check after the migration = %+v, %v", ps, err)
	}
	// Withdrawing m1 and m3 leaves m2's name, which only the migrated
	// declarations can tell.
	if err := g.Remove(ctx, []string{"m1", "m3"}); err != nil {
		t.Fatal(err)
	}
	n, ns, err := g.Neighbors(ctx, "ann@x.org", NeighborQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if n.Name != "Smith, Ann" {
		t.Errorf("name after withdrawing the migrated m1 and m3 = %q, want %q", n.Name, "Smith, Ann")
	}
	if len(ns) != 1 || ns[0].Count != 1 {
		t.Errorf("neighbours after withdrawing two of three mails = %+v, want bob once", ns)
	}
	if err := g.Remove(ctx, []string{"m2"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Neighbors(ctx, "ann@x.org", NeighborQuery{}); err == nil {
		t.Error("ann still in the graph after every contribution was withdrawn")
	}
}

// downgrade rewrites a layout 2 file as layout 1 wrote it.
func downgrade(t *testing.T, path string) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		docs := tx.Bucket([]byte(bucketDocs))
		nodeDocs, err := tx.CreateBucket([]byte(bucketNodeDocs))
		if err != nil {
			return err
		}
		old := map[string][]byte{}
		if err := docs.ForEach(func(k, v []byte) error {
			r, err := decodeDocRecord(v)
			if err != nil {
				return err
			}
			for i, n := range r.Nodes {
				raw, _ := json.Marshal(r.Views[i])
				if err := nodeDocs.Put(compositeKey(n, string(k)), raw); err != nil {
					return err
				}
			}
			old[string(k)], _ = json.Marshal(map[string]any{"h": r.Hash, "n": r.Nodes, "e": r.Edges})
			return nil
		}); err != nil {
			return err
		}
		for k, v := range old {
			if err := docs.Put([]byte(k), v); err != nil {
				return err
			}
		}
		if err := tx.DeleteBucket([]byte(bucketEdgesIn)); err != nil {
			return err
		}
		return tx.Bucket([]byte(bucketMeta)).Put([]byte("version"), []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
}
