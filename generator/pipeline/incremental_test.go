package pipeline

import (
	"github.com/ogarchive/ogarchive/search"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIncremental rebuilds with the build cache after each kind of change a
// maintainer makes and requires the very site a cold build of the same
// records gives, file for file and byte for byte.
func TestIncremental(t *testing.T) {
	recs := copyDir(t, filepath.Join("..", "..", "records"))
	dir := t.TempDir()
	opts := Options{
		Records: recs, Out: filepath.Join(dir, "public"), Work: filepath.Join(dir, "site"),
		Index: filepath.Join(dir, "index"), Cache: filepath.Join(dir, "cache"),
		BaseURL: "https://archive.example.org/", Theme: repo,
	}
	rebuild := func() {
		t.Helper()
		if res, err := Build(opts); err != nil {
			t.Fatalf("incremental build: %v\n%s", err, res.Findings)
		}
	}
	rebuild()

	const file = "2020-12-31-行政院開放政府國家行動方案推動小組第2次會議.md"
	src := read(t, filepath.Join(recs, file))
	for _, step := range []struct {
		name   string
		change func() error
		check  func(out string) bool
	}{
		{"no change", func() error { return nil }, nil},
		{"correct one turn", func() error {
			return os.WriteFile(filepath.Join(recs, file), []byte(strings.Replace(src, "設定6點前結束。", "設定6點以前結束。", 1)), 0o644)
		}, func(out string) bool {
			return strings.Contains(read(t, filepath.Join(out, strings.TrimSuffix(file, ".md"), "index.html")), "設定6點以前結束。")
		}},
		// Search documents carry speakers' display names: every record
		// naming one is indexed again, though none of them changed.
		{"rename a speaker", func() error {
			path := filepath.Join(recs, "speakers.toml")
			return os.WriteFile(path, []byte(strings.Replace(read(t, path), `name = "唐鳳"`, `name = "唐鳳（數位發展部）"`, 1)), 0o644)
		}, func(out string) bool {
			return strings.Contains(read(t, filepath.Join(out, strings.TrimSuffix(file, ".md"), "index.html")), "唐鳳（數位發展部）")
		}},
		{"add one transcript", func() error {
			added := strings.Replace(src, "# 2020-12-31 ", "# 2021-01-04 ", 1)
			return os.WriteFile(filepath.Join(recs, "2021-01-04-added.md"), []byte(added), 0o644)
		}, func(out string) bool {
			_, err := os.Stat(filepath.Join(out, "2021-01-04-added", "index.html"))
			return err == nil
		}},
		{"delete one transcript", func() error {
			return os.Remove(filepath.Join(recs, "2021-01-04-added.md"))
		}, func(out string) bool {
			_, err := os.Stat(filepath.Join(out, "2021-01-04-added"))
			return os.IsNotExist(err)
		}},
	} {
		if err := step.change(); err != nil {
			t.Fatal(err)
		}
		rebuild()
		cold := filepath.Join(t.TempDir(), "public")
		build(t, recs, cold)
		if step.check != nil && !step.check(opts.Out) {
			t.Errorf("%s: the change is not on the site", step.name)
		}
		// The search export of a rebuild is a delta beside the base, not
		// a cold build's bytes: the search package tests that it answers
		// alike; here, that it is whole.
		compareTreesBut(t, opts.Out, cold, search.Rebuilt)
		compareTreesBut(t, cold, opts.Out, search.Rebuilt)
		if err := search.Verify(filepath.Join(opts.Out, "search")); err != nil {
			t.Errorf("%s: %v", step.name, err)
		}
		if t.Failed() {
			t.Fatalf("%s: the incremental site differs from a cold build", step.name)
		}
	}
}
