package tomlpos

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/diag"
)

// File is one TOML file of a records subdirectory.
type File struct {
	Path string // relative to the records directory, with '/', as findings name it
	Src  []byte
}

// ReadDir reads every *.toml file directly in dir/sub (dir is the records
// directory, sub e.g. "camps"), sorted by name, so that findings and pages
// come out in the same order on every machine. A missing subdirectory is
// no files and no finding: the records need not have one. A directory or
// file that cannot be read is an error finding; the other files are still
// read.
func ReadDir(dir, sub string, diags *diag.List) []File {
	entries, err := os.ReadDir(filepath.Join(dir, sub))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		diags.Errorf(sub, 0, "cannot read the %s directory: %v", sub, err)
		return nil
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".toml") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var files []File
	for _, name := range names {
		file := path.Join(sub, name)
		src, err := os.ReadFile(filepath.Join(dir, sub, name))
		if err != nil {
			diags.Errorf(file, 0, "cannot read: %v", err)
			continue
		}
		files = append(files, File{Path: file, Src: src})
	}
	return files
}

// Load parses every file ReadDir finds with parse and keeps, in name
// order, what it does not return as nil.
func Load[T any](dir, sub string, diags *diag.List, parse func(file string, src []byte, diags *diag.List) *T) []*T {
	var out []*T
	for _, f := range ReadDir(dir, sub, diags) {
		if v := parse(f.Path, f.Src, diags); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// Checked runs parse on one file with findings of its own, adds them to
// diags, and returns nil when they hold an error, so that a file with
// errors is left out whole rather than loaded in part.
func Checked[T any](file string, src []byte, diags *diag.List, parse func(file string, src []byte, diags *diag.List) *T) *T {
	local := &diag.List{}
	v := parse(file, src, local)
	diags.Merge(local)
	if e, _ := local.Count(); e > 0 {
		return nil
	}
	return v
}
