package plan

import (
	"path/filepath"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/internal/testdiag"
)

// TestBadFiles: each file under testdata/bad/commitments breaks the format
// in one way or area, and its .want lists every finding it must get, with
// its line. No file with an error may load.
func TestBadFiles(t *testing.T) {
	d := &diag.List{}
	for _, p := range Load("testdata/bad", d) {
		t.Errorf("plan %s loaded despite errors", p.File)
	}
	testdiag.CheckWant(t, "testdata/bad", Dir, d)
	bad := d.FilesWithErrors()
	files, _ := filepath.Glob("testdata/bad/commitments/*.toml")
	for _, f := range files {
		if name := Dir + "/" + filepath.Base(f); !bad[name] {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestLoadMissingDir: no commitments directory is no plans and no finding.
func TestLoadMissingDir(t *testing.T) {
	d := &diag.List{}
	if plans := Load(t.TempDir(), d); plans != nil || d.String() != "" {
		t.Errorf("got %v, %q", plans, d.String())
	}
}
