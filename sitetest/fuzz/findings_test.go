package fuzz

import (
	"bytes"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
)

// checkFindings requires every finding to name file and a line that exists
// in src (or 0, for the whole file): a maintainer must be able to go there.
func checkFindings(t *testing.T, d *diag.List, file string, src []byte) {
	t.Helper()
	lines := bytes.Count(src, []byte("\n")) + 1
	for _, f := range d.Sorted() {
		if f.File != file {
			t.Errorf("finding names %q, want %q: %s", f.File, file, f)
		}
		if f.Line < 0 || f.Line > lines {
			t.Errorf("finding at line %d of a %d-line file: %s", f.Line, lines, f)
		}
		if f.Message == "" {
			t.Errorf("finding without a message at %s:%d", f.File, f.Line)
		}
	}
}
