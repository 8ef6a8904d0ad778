package slack

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// Limits on a zipped export, against zip bombs. Each entry is also held to
// ingest.Limits.MaxFileBytes.
const (
	maxEntries    = 200_000 // entries in the archive
	maxTotalBytes = 1 << 30 // bytes read from all entries, uncompressed
	maxRatio      = 50      // bytes read from all entries per byte of the zip
)

// zipLimits are the limits a Parser holds a zip to; tests lower them.
type zipLimits struct {
	entries int
	total   int64 // bytes uncompressed in all
	ratio   int64 // bytes uncompressed in all per byte of the zip
}

// zipExport reads the entries of one archive within its byte budget.
type zipExport struct {
	path    string
	files   map[string]*zip.File
	perFile int64 // limit of one entry
	budget  int64 // bytes left to read in all
	total   int64 // the budget at the start, for messages
	lim     zipLimits
}

func (p *Parser) parseZip(ctx context.Context, f ingest.File, lim ingest.Limits) ([]document.Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are checked below
		return nil, fmt.Errorf("reading zip %s: %w: not a readable zip archive (%v)", f.Path, ingest.ErrBadInput, err)
	}
	if len(zr.File) > p.zip.entries {
		return nil, fmt.Errorf("reading zip %s: %w: it has %d entries, more than the %d a Slack export is allowed; it may be a zip bomb", f.Path, ingest.ErrBadInput, len(zr.File), p.zip.entries)
	}
	z := &zipExport{path: f.Path, files: make(map[string]*zip.File, len(zr.File)), perFile: lim.MaxFileBytes, lim: p.zip}
	z.budget = min(p.zip.total, p.zip.ratio*int64(len(f.Data)))
	z.total = z.budget
	for _, zf := range zr.File {
		if !localName(zf.Name) {
			return nil, fmt.Errorf("reading zip %s: %w: entry %q points outside the archive; it was not made by Slack and is not imported", f.Path, ingest.ErrBadInput, zf.Name)
		}
		if _, dup := z.files[zf.Name]; !dup {
			z.files[zf.Name] = zf
		}
	}
	prefix, ok := z.exportPrefix()
	if !ok {
		return nil, fmt.Errorf("%w (a zip archive that is not a Slack export: no channels.json or users.json at its top)", ingest.ErrUnsupported)
	}
	exp, err := newExport(f.Path, func(name string) ([]byte, error) {
		zf, ok := z.files[prefix+name]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return z.read(zf)
	})
	if err != nil {
		return nil, err
	}
	// Day files: <prefix><folder>/<YYYY-MM-DD>.json, in name order.
	var days []string
	for name, zf := range z.files {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || zf.FileInfo().IsDir() {
			continue
		}
		folder, day, ok := strings.Cut(rest, "/")
		if ok && folder != "" && !strings.Contains(day, "/") && isDayName(day) {
			days = append(days, name)
		}
	}
	sort.Strings(days)
	seen := map[string]bool{}
	var docs []document.Document
	for _, name := range days {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := z.read(z.files[name])
		if err != nil {
			return nil, err
		}
		rest := strings.TrimPrefix(name, prefix)
		folder := rest[:strings.IndexByte(rest, '/')]
		dayDocs, err := exp.parseDay(folder, data)
		if errors.Is(err, ingest.ErrSkipped) {
			continue // channel events only
		}
		if err != nil {
			return nil, fmt.Errorf("reading zip %s: day file %s: %w; unzip it and import the folder to import the other days", f.Path, name, err)
		}
		for _, d := range dayDocs {
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			d.Meta["export_file"] = name
			docs = append(docs, d)
		}
	}
	return docs, nil
}

// exportPrefix finds the folder of the archive that holds the export: its
// top, or one folder down (an export zipped with its folder).
func (z *zipExport) exportPrefix() (string, bool) {
	best, found := "", false
	for name := range z.files {
		dir, base := path.Split(name)
		if base != "channels.json" && base != "users.json" {
			continue
		}
		if strings.Count(dir, "/") > 1 {
			continue
		}
		if !found || len(dir) < len(best) || (len(dir) == len(best) && dir < best) {
			best, found = dir, true
		}
	}
	return best, found
}

// read returns the content of one entry, or an error wrapping
// ingest.ErrBadInput when it is larger than one entry may be or than what
// is left of the archive's budget, whatever its header claims.
func (z *zipExport) read(zf *zip.File) ([]byte, error) {
	if zf.UncompressedSize64 > uint64(z.perFile) {
		return nil, z.tooLarge(zf.Name)
	}
	if zf.UncompressedSize64 > uint64(z.budget) {
		return nil, z.overBudget()
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("reading zip %s: entry %s: %w: %v", z.path, zf.Name, ingest.ErrBadInput, err)
	}
	defer rc.Close()
	limit := min(z.perFile, z.budget)
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading zip %s: entry %s: %w: %v", z.path, zf.Name, ingest.ErrBadInput, err)
	}
	n := int64(len(data))
	switch {
	case n > z.perFile:
		return nil, z.tooLarge(zf.Name)
	case n > z.budget:
		return nil, z.overBudget()
	}
	z.budget -= n
	return data, nil
}

func (z *zipExport) tooLarge(name string) error {
	return fmt.Errorf("reading zip %s: %w: entry %s expands to more than the %s file size limit; it may be a zip bomb (raise the limit with `engram config set import.max_file_mb N` if it is a real export)", z.path, ingest.ErrBadInput, name, ingest.HumanBytes(z.perFile))
}

func (z *zipExport) overBudget() error {
	return fmt.Errorf("reading zip %s: %w: it expands to more than %s uncompressed (the limit: %d times its size, at most %s); it looks like a zip bomb and is not imported", z.path, ingest.ErrBadInput, ingest.HumanBytes(z.total), z.lim.ratio, ingest.HumanBytes(z.lim.total))
}

// localName reports whether a zip entry name stays inside the archive: not
// absolute, no drive letter, no ".." element, with either separator.
func localName(name string) bool {
	n := strings.ReplaceAll(name, `\`, "/")
	if n == "" || strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return false
	}
	for _, el := range strings.Split(n, "/") {
		if el == ".." {
			return false
		}
	}
	return true
}
