// Package testdiag compares the findings of a test with the .want files
// beside its fixtures, for the packages that check record files (camps,
// plans) against testdata.
package testdiag

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
)

var update = flag.Bool("update", false, "rewrite the .want files of testdata from the current findings")

// ByFile groups findings as `file:line: severity: message` lines, sorted,
// by the file they are about.
func ByFile(d *diag.List) map[string]string {
	out := map[string]string{}
	for _, f := range d.Sorted() {
		out[f.File] += f.String() + "\n"
	}
	return out
}

// CheckWant compares, in a subtest for each, the findings about every
// <sub>/<name>.toml under dir (findings name files relative to dir, the
// records directory) with <sub>/<name>.want beside it. With -update it
// rewrites the .want files instead. It takes *testing.T, not testing.TB,
// as it runs subtests.
func CheckWant(t *testing.T, dir, sub string, d *diag.List) {
	t.Helper()
	got := ByFile(d)
	files, err := filepath.Glob(filepath.Join(dir, sub, "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s: %v", filepath.Join(dir, sub), err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			wantFile := strings.TrimSuffix(f, ".toml") + ".want"
			g := got[sub+"/"+name]
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
