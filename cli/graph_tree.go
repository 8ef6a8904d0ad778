package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/engram-app/engram/app"
)

// printNeighborTree prints an entity's neighbourhood as a tree that says who
// is linked to whom: each neighbour under the one it was reached from, with
// the relation's direction, name, kind and count:
//
//	Ann Lee (person)
//	├─ -> SENT_TO  Bob Stone  person  3
//	│  └─ <- SENT_TO  Carla Diaz  person  1
//	└─ <- REPLIED_TO  Dev Patel  person  1
func printNeighborTree(w io.Writer, res *app.NeighborsResult) {
	fmt.Fprintf(w, "%s (%s)\n", res.Entity.Name, res.Entity.Kind)
	if len(res.Neighbors) == 0 {
		fmt.Fprintln(w, "  no neighbours yet")
		return
	}
	// Children of each entity in the order listed (nearest, strongest first).
	kids := map[string][]int{}
	for i, n := range res.Neighbors {
		via := n.Via
		if via == "" || n.Depth <= 1 {
			via = res.Entity.ID
		}
		kids[via] = append(kids[via], i)
	}
	shown := map[int]bool{}
	var walk func(id, indent string, depth int)
	walk = func(id, indent string, depth int) {
		var list []int
		for _, i := range kids[id] {
			if !shown[i] && res.Neighbors[i].Depth == depth {
				shown[i] = true
				list = append(list, i)
			}
		}
		for k, i := range list {
			n := res.Neighbors[i]
			branch, next := "├─ ", "│  "
			if k == len(list)-1 {
				branch, next = "└─ ", "   "
			}
			arrow := "->"
			if n.Direction == "in" {
				arrow = "<-"
			}
			fmt.Fprintf(w, "%s%s%s %s  %s  %s  %d\n", indent, branch, arrow, n.Predicate, n.Name, n.Kind, n.Count)
			if depth < 3 {
				walk(n.ID, indent+next, depth+1)
			}
		}
	}
	walk(res.Entity.ID, "", 1)
	// A neighbour whose parent is not listed (cut by the limit) still shows.
	for i, n := range res.Neighbors {
		if !shown[i] {
			fmt.Fprintf(w, "%s(via %s) %s  %s  %d\n", strings.Repeat("  ", n.Depth), n.Via, n.Predicate, n.Name, n.Count)
		}
	}
}
