package graph

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
)

// Side buckets: top-level bbolt buckets in the same file as Cayley's data.
// Cayley's key-value store only uses the buckets "meta", "log", its quad
// indexes ("sp", "ops", ...) and 3-byte value buckets ('v' or 'n' + 2 bytes),
// so the "engram_" prefix never collides. doc.go documents the layout.
const (
	bucketMeta     = "engram_graph_meta"
	bucketNodes    = "engram_graph_nodes"
	bucketNodeDocs = "engram_graph_node_docs"
	bucketNames    = "engram_graph_names"
	bucketEdges    = "engram_graph_edges"
	bucketDocs     = "engram_graph_docs"
)

// sideBuckets returns the side buckets Open creates.
func sideBuckets() [6]string {
	return [...]string{bucketMeta, bucketNodes, bucketNodeDocs, bucketNames, bucketEdges, bucketDocs}
}

// layoutVersion is stored under "version" in bucketMeta.
const layoutVersion = "1"

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

// nodeView is one contribution's declaration of a node, in bucketNodeDocs.
type nodeView struct {
	Name    string   `json:"n,omitempty"`
	Aliases []string `json:"a,omitempty"`
}

// docRecord is the value in bucketDocs: everything one contribution wrote.
type docRecord struct {
	Hash  string      `json:"h,omitempty"`
	Nodes []string    `json:"n,omitempty"`
	Edges [][3]string `json:"e,omitempty"` // from, predicate, to
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

// parseEdgeKey splits an edgeKey.
func parseEdgeKey(k []byte) (Edge, bool) {
	parts := bytes.SplitN(k, []byte{sep}, 3)
	if len(parts) != 3 {
		return Edge{}, false
	}
	return Edge{From: string(parts[0]), Predicate: Predicate(parts[1]), To: string(parts[2])}, true
}

// nodeDocKey is the key in bucketNodeDocs.
func nodeDocKey(nodeID, docID string) []byte {
	return compositeKey(nodeID, docID)
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
