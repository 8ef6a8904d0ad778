package memory

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// goldenFiles is the golden set shipped with the package, for the test and
// the benchmark (EvaluateGolden reports its precision and recall).
//
//go:embed testdata/golden/*.txt
var goldenFiles embed.FS

// GoldenSet reads the shipped golden set, file by file in name order; each
// sequence is named "<file>/<sequence>".
func GoldenSet() ([]GoldenSequence, error) {
	names, err := fs.Glob(goldenFiles, "testdata/golden/*.txt")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []GoldenSequence
	for _, n := range names {
		f, err := goldenFiles.Open(n)
		if err != nil {
			return nil, err
		}
		seqs, err := ParseGolden(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		for i := range seqs {
			seqs[i].Name = path.Base(n) + "/" + seqs[i].Name
		}
		all = append(all, seqs...)
	}
	return all, nil
}
