package graph

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// Side buckets: top-level bbolt buckets in the same file as Cayley's data.
// Cayley's key-value store only uses the buckets "meta", "log", its quad
// indexes ("sp", "ops", ...) and 3-byte value buckets ('v' or 'n' + 2 bytes),
// so the "engram_" prefix never collides. doc.go documents the layout.
const (
	bucketMeta  = "engram_graph_meta"
	bucketNodes = "engram_graph_nodes"
	bucketNames = "engram_graph_names"
	bucketEdges = "engram_graph_edges"
	// bucketEdgesIn is bucketEdges turned around, <to> 0x00 <pred> 0x00
	// <from> -> count, so a node's edges both ways are two prefix scans.
	bucketEdgesIn = "engram_graph_edges_in"
	bucketDocs    = "engram_graph_docs"
	// bucketNodeDocs held, in layout 1, each contribution's declaration of
	// each node under <nodeID> 0x00 <docID>. Layout 2 keeps them in the
	// contribution's own record; migrate drops the bucket.
	bucketNodeDocs = "engram_graph_node_docs"
)

// sideBuckets returns the side buckets Open creates.
func sideBuckets() [6]string {
	return [...]string{bucketMeta, bucketNodes, bucketNames, bucketEdges, bucketEdgesIn, bucketDocs}
}

// layoutVersion is stored under "version" in bucketMeta. Layout 1 kept
// contribution records as JSON and node declarations in bucketNodeDocs
// (migrateLayout1); layout 2 had no bucketEdgesIn (fillEdgesIn). Open
// migrates both.
const layoutVersion = "3"

// sep separates the parts of composite keys; IDs never contain it.
const sep = 0

// maxIDLen bounds node and document IDs so composite keys stay far below
// bbolt's key size limit.
const maxIDLen = 4096

// maxNameKeyLen bounds an indexed name; longer names are not indexed.
const maxNameKeyLen = 1024

// Name index entry types, in order of preference when one node has the same
// normalised string several ways.
const (
	nameByName  = 'n'
	nameByAlias = 'a'
	nameByKey   = 'k' // the key part of the node ID, e.g. an email address
)

// nodeRecord is the value in bucketNodes.
type nodeRecord struct {
	Kind    Kind     `json:"k"`
	Name    string   `json:"n,omitempty"`
	Aliases []string `json:"a,omitempty"`
	Docs    int      `json:"d"` // contributions that declare the node
	// How many contributions give each name and each alias, so that adding
	// or withdrawing one is O(1) however many declare the node.
	NameCounts  map[string]int `json:"nc,omitempty"`
	AliasCounts map[string]int `json:"ac,omitempty"`
}

// nodeView is one contribution's declaration of a node: the name and
// aliases it gives.
type nodeView struct {
	Name    string   `json:"n,omitempty"`
	Aliases []string `json:"a,omitempty"`
}

// docRecord is the value in bucketDocs: everything one contribution wrote,
// so that withdrawing it needs no other read.
type docRecord struct {
	Hash  string
	Nodes []string   // the nodes it declares, sorted
	Views []nodeView // how it declares each of Nodes
	Edges [][3]string
}

// docRecordV2 starts an encoded docRecord (layout 1's JSON started with '{').
const docRecordV2 = 2

// encode writes r compactly: it is read back whole, never queried, and
// there is one per document, so its size is most of the file. Strings are
// uvarint-length-prefixed; node IDs are written once, in a table that edges
// refer to by index:
//
//	0x02 hash
//	uvarint n, then n × (node ID, name, uvarint a, a × alias)   declared nodes
//	uvarint m, then m × node ID                                  other edge ends
//	uvarint p, then p × predicate
//	uvarint e, then e × (uvarint from, uvarint predicate, uvarint to)
func (r docRecord) encode() []byte {
	at := make(map[string]int, len(r.Nodes))
	for i, n := range r.Nodes {
		at[n] = i
	}
	var ends, preds []string
	predAt := map[string]int{}
	for _, e := range r.Edges {
		for _, end := range [2]string{e[0], e[2]} {
			if _, ok := at[end]; !ok {
				at[end] = len(r.Nodes) + len(ends)
				ends = append(ends, end)
			}
		}
		if _, ok := predAt[e[1]]; !ok {
			predAt[e[1]] = len(preds)
			preds = append(preds, e[1])
		}
	}
	b := make([]byte, 0, 64+32*len(r.Nodes)+8*len(r.Edges))
	b = append(b, docRecordV2)
	b = appendString(b, r.Hash)
	b = binary.AppendUvarint(b, uint64(len(r.Nodes)))
	for i, n := range r.Nodes {
		var v nodeView
		if i < len(r.Views) {
			v = r.Views[i]
		}
		b = appendString(b, n)
		b = appendString(b, v.Name)
		b = binary.AppendUvarint(b, uint64(len(v.Aliases)))
		for _, a := range v.Aliases {
			b = appendString(b, a)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(ends)))
	for _, s := range ends {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(preds)))
	for _, s := range preds {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Edges)))
	for _, e := range r.Edges {
		b = binary.AppendUvarint(b, uint64(at[e[0]]))
		b = binary.AppendUvarint(b, uint64(predAt[e[1]]))
		b = binary.AppendUvarint(b, uint64(at[e[2]]))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errBadRecord is a contribution record that does not decode.
var errBadRecord = errors.New("malformed contribution record")

// decodeDocRecord reads what encode wrote.
func decodeDocRecord(b []byte) (docRecord, error) {
	d := recordDecoder{b: b}
	if len(b) == 0 || b[0] != docRecordV2 {
		return docRecord{}, errBadRecord
	}
	d.b = d.b[1:]
	var r docRecord
	r.Hash = d.str()
	n := d.count()
	r.Nodes = make([]string, 0, n)
	r.Views = make([]nodeView, 0, n)
	for range n {
		r.Nodes = append(r.Nodes, d.str())
		v := nodeView{Name: d.str()}
		if a := d.count(); a > 0 {
			v.Aliases = make([]string, 0, a)
			for range a {
				v.Aliases = append(v.Aliases, d.str())
			}
		}
		r.Views = append(r.Views, v)
	}
	table := r.Nodes
	if m := d.count(); m > 0 {
		table = append(slices.Clip(table), make([]string, 0, m)...)
		for range m {
			table = append(table, d.str())
		}
	}
	preds := make([]string, d.count())
	for i := range preds {
		preds[i] = d.str()
	}
	if e := d.count(); e > 0 {
		r.Edges = make([][3]string, 0, e)
		for range e {
			f, p, t := d.index(len(table)), d.index(len(preds)), d.index(len(table))
			if d.err != nil {
				break
			}
			r.Edges = append(r.Edges, [3]string{table[f], preds[p], table[t]})
		}
	}
	if d.err != nil || len(d.b) != 0 {
		return docRecord{}, errBadRecord
	}
	return r, nil
}

// recordDecoder reads uvarints and strings, remembering the first error.
type recordDecoder struct {
	b   []byte
	err error
}

func (d *recordDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errBadRecord
		return 0
	}
	d.b = d.b[k:]
	return n
}

// count reads a length that must fit in what is left (each item takes at
// least a byte), so a corrupt record cannot ask for a huge allocation.
func (d *recordDecoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errBadRecord
		return 0
	}
	return int(n)
}

func (d *recordDecoder) index(size int) int {
	i := d.uvarint()
	if i >= uint64(size) {
		d.err = errBadRecord
		return 0
	}
	return int(i)
}

func (d *recordDecoder) str() string {
	n := d.count()
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func compositeKey(parts ...string) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, sep)
		}
		b = append(b, p...)
	}
	return b
}

// edgeKey is the key in bucketEdges.
func edgeKey(from string, p Predicate, to string) []byte {
	return compositeKey(from, string(p), to)
}

// edgeInKey is the key in bucketEdgesIn of the edge from -p-> to.
func edgeInKey(from string, p Predicate, to string) []byte {
	return compositeKey(to, string(p), from)
}

// parseEdgeKey splits an edgeKey.
func parseEdgeKey(k []byte) (Edge, bool) {
	parts := bytes.SplitN(k, []byte{sep}, 3)
	if len(parts) != 3 {
		return Edge{}, false
	}
	return Edge{From: string(parts[0]), Predicate: Predicate(parts[1]), To: string(parts[2])}, true
}

// nameKey is the key in bucketNames: a normalised name, then the node ID.
func nameKey(norm, nodeID string) []byte {
	return compositeKey(norm, nodeID)
}

// nodeIDOfNameKey returns the node ID part of a nameKey.
func nodeIDOfNameKey(k []byte) string {
	i := bytes.LastIndexByte(k, sep)
	return string(k[i+1:])
}

func encodeCount(n uint64) []byte {
	return binary.AppendUvarint(nil, n)
}

func decodeCount(b []byte) uint64 {
	n, _ := binary.Uvarint(b)
	return n
}

func validID(id string) bool {
	return id != "" && len(id) <= maxIDLen && !strings.ContainsRune(id, sep) && strings.TrimSpace(id) == id
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// only plain structs of strings and ints are encoded
		panic("graph: encoding record: " + err.Error())
	}
	return b
}

// migrateLayout1 rewrites layout 1's JSON contribution records, with the
// node declarations kept in bucketNodeDocs, as layout 2 records, and drops
// bucketNodeDocs. It runs once, in Open's transaction.
func migrateLayout1(tx *bbolt.Tx) error {
	docs := tx.Bucket([]byte(bucketDocs))
	nodeDocs := tx.Bucket([]byte(bucketNodeDocs))
	type rewrite struct{ key, value []byte }
	var out []rewrite
	err := docs.ForEach(func(k, v []byte) error {
		var old struct {
			Hash  string      `json:"h"`
			Nodes []string    `json:"n"`
			Edges [][3]string `json:"e"`
		}
		if err := json.Unmarshal(v, &old); err != nil {
			return fmt.Errorf("reading contribution %s: %w", k, err)
		}
		r := docRecord{Hash: old.Hash, Nodes: old.Nodes, Edges: old.Edges, Views: make([]nodeView, len(old.Nodes))}
		for i, n := range old.Nodes {
			if nodeDocs == nil {
				break
			}
			if raw := nodeDocs.Get(compositeKey(n, string(k))); raw != nil {
				if err := json.Unmarshal(raw, &r.Views[i]); err != nil {
					return fmt.Errorf("reading node %s of %s: %w", n, k, err)
				}
			}
		}
		out = append(out, rewrite{slices.Clone(k), r.encode()})
		return nil
	})
	if err != nil {
		return err
	}
	for _, w := range out {
		if err := docs.Put(w.key, w.value); err != nil {
			return err
		}
	}
	if nodeDocs != nil {
		return tx.DeleteBucket([]byte(bucketNodeDocs))
	}
	return nil
}

// fillEdgesIn writes bucketEdgesIn from bucketEdges (layout 2 to 3).
func fillEdgesIn(tx *bbolt.Tx) error {
	in := tx.Bucket([]byte(bucketEdgesIn))
	return tx.Bucket([]byte(bucketEdges)).ForEach(func(k, v []byte) error {
		e, ok := parseEdgeKey(k)
		if !ok {
			return fmt.Errorf("malformed edge key %q", k)
		}
		return in.Put(edgeInKey(e.From, e.Predicate, e.To), slices.Clone(v))
	})
}
