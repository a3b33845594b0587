package plan

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
)

var update = flag.Bool("update", false, "rewrite the .want files of testdata from the current findings")

// findingsByFile groups findings as `file:line: severity: message` lines.
func findingsByFile(d *diag.List) map[string]string {
	out := map[string]string{}
	for _, f := range d.Sorted() {
		out[f.File] += f.String() + "\n"
	}
	return out
}

// checkWant compares the findings about every commitments/<name>.toml under
// dir with commitments/<name>.want.
func checkWant(t *testing.T, dir string, d *diag.List) {
	t.Helper()
	got := findingsByFile(d)
	files, err := filepath.Glob(filepath.Join(dir, Dir, "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s: %v", dir, err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			wantFile := strings.TrimSuffix(f, ".toml") + ".want"
			g := got[Dir+"/"+name]
			if *update {
				if err := os.WriteFile(wantFile, []byte(g), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if g != string(want) {
				t.Errorf("findings differ\n--- got\n%s--- want\n%s", g, want)
			}
		})
	}
}

// TestBadFiles: each file under testdata/bad/commitments breaks the format
// in one way or area, and its .want lists every finding it must get, with
// its line. No file with an error may load.
func TestBadFiles(t *testing.T) {
	d := &diag.List{}
	for _, p := range Load("testdata/bad", d) {
		t.Errorf("plan %s loaded despite errors", p.File)
	}
	checkWant(t, "testdata/bad", d)
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
