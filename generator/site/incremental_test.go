package site

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestSegmentConfig(t *testing.T) {
	for _, c := range []struct {
		name  string
		pages []string
		want  []string
	}{
		{"lists only", nil, []string{`kind = "` + listKinds + `"`}},
		{"pages sorted and escaped", []string{"/speakers/b", "/records/a{1},*"},
			[]string{`path = "{/records/a\\{1\\}\\,\\*,/speakers/b}"`}},
	} {
		got := segmentConfig(&Changes{Pages: c.pages})
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %s in\n%s", c.name, w, got)
			}
		}
		if c.pages == nil && strings.Contains(got, "path =") {
			t.Errorf("%s: a path include with no pages:\n%s", c.name, got)
		}
	}
}

func TestUpdate(t *testing.T) {
	out, stage := t.TempDir(), t.TempDir()
	write := func(root string, files map[string]string) {
		for name, body := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(out, map[string]string{
		"index.html":               "old home",
		"kept/index.html":          "kept page",
		"kept/feed.xml":            "kept feed",
		"gone/index.html":          "removed page",
		"gone/sub/index.html":      "a page below the removed one",
		"alone/index.html":         "removed page with nothing below",
		"data/records/gone.json":   "removed export",
		"data/records/kept.json":   "kept export",
		"changed/index.html":       "old version",
		"changed/feed.xml":         "feed it no longer has",
		"css/main.min.abcdef0.css": "asset",
	})
	// What the render wrote.
	write(stage, map[string]string{"index.html": "new home", "changed/index.html": "new version", "added/index.html": "new page"})
	keptBefore, _ := os.Stat(filepath.Join(out, "kept", "index.html"))

	if err := update(stage, out, []string{"/gone/", "/alone/", "/changed/", "/data/records/gone.json", "/"}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, path)
			b, _ := os.ReadFile(path)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	want := map[string]string{
		"index.html":               "new home",
		"kept/index.html":          "kept page",
		"kept/feed.xml":            "kept feed",
		"gone/sub/index.html":      "a page below the removed one",
		"data/records/kept.json":   "kept export",
		"changed/index.html":       "new version",
		"added/index.html":         "new page",
		"css/main.min.abcdef0.css": "asset",
	}
	var problems []string
	for k, v := range want {
		if got[k] != v {
			problems = append(problems, k+": "+got[k]+", want "+v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			problems = append(problems, k+": left in place, want it gone")
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	if _, err := os.Stat(filepath.Join(out, "alone")); !os.IsNotExist(err) {
		t.Error("the removed page's empty directory is left")
	}
	if _, err := os.Stat(stage); !os.IsNotExist(err) {
		t.Error("the stage is left")
	}
	// Unchanged files are not touched.
	keptAfter, _ := os.Stat(filepath.Join(out, "kept", "index.html"))
	if !os.SameFile(keptBefore, keptAfter) {
		t.Error("kept/index.html was rewritten")
	}
}
