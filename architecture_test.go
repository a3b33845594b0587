package main

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
)

// TestArchitectureListsEveryPackage: docs/ARCHITECTURE.md says what each
// package owns; a package added without a line there fails here.
func TestArchitectureListsEveryPackage(t *testing.T) {
	doc, err := os.ReadFile("docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if first, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |"); ok && strings.HasPrefix(line, "| `") {
			for _, name := range strings.Split(first, ", ") {
				listed[strings.Trim(name, "`")] = true
			}
		}
	}
	pkgs := map[string]bool{}
	err = fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			pkgs[path.Dir(p)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages; is the test running at the repository root?", len(pkgs))
	}
	for p := range pkgs {
		name := p
		if p == "." {
			name = "main.go"
		}
		if !listed[name] {
			t.Errorf("docs/ARCHITECTURE.md does not say what %s owns: add a row for it to the package table", name)
		}
	}
}
