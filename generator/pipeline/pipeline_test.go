package pipeline

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repo is the repository root, the Hugo project the binary embeds.
var repo = os.DirFS(filepath.Join("..", ".."))

// build runs a whole build of the records in dir into a fresh output.
func build(t *testing.T, records, out string) *Result {
	t.Helper()
	res, err := Build(Options{
		Records: records, Out: out, Work: filepath.Join(t.TempDir(), "site"),
		Index: filepath.Join(t.TempDir(), "index"), BaseURL: "https://archive.example.org/", Theme: repo,
	})
	if err != nil {
		t.Fatalf("build: %v\n%s", err, res.Findings)
	}
	return res
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAlternatesAndRedirects: bilingual pairs link to each other with
// hreflang both ways, and a renamed file's old path is a redirect page.
func TestAlternatesAndRedirects(t *testing.T) {
	recs := copyDir(t, filepath.Join("..", "records", "testdata", "archive"))
	if err := os.WriteFile(filepath.Join(recs, ".redirects"), []byte("# old\tnew\n2019-11-23-old-interview\t2019-11-23-Interview-with-DW\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	build(t, recs, out)

	en := read(t, filepath.Join(out, "2019-11-23-interview-with-dw", "index.html"))
	zh := read(t, filepath.Join(out, "2019-11-23-德國之聲採訪", "index.html"))
	for _, tt := range []struct {
		page, want string
	}{
		{en, `<link rel="alternate" hreflang="zh-TW" href="https://archive.example.org/2019-11-23-%e5%be%b7%e5%9c%8b%e4%b9%8b%e8%81%b2%e6%8e%a1%e8%a8%aa/">`},
		{zh, `<link rel="alternate" hreflang="en" href="https://archive.example.org/2019-11-23-interview-with-dw/">`},
		{en, `<html lang="en">`},
		{zh, `<html lang="zh-TW">`},
		{zh, `hreflang="en" lang="en"`}, // the visible English switch
	} {
		if !strings.Contains(strings.ToLower(tt.page), strings.ToLower(tt.want)) {
			t.Errorf("page lacks %s", tt.want)
		}
	}
	old := read(t, filepath.Join(out, "2019-11-23-old-interview", "index.html"))
	for _, want := range []string{`<link rel="canonical" href="https://archive.example.org/2019-11-23-interview-with-dw/">`, `http-equiv="refresh"`} {
		if !strings.Contains(old, want) {
			t.Errorf("redirect page lacks %s:\n%s", want, old)
		}
	}
	if r := read(t, filepath.Join(out, "_redirects")); !strings.Contains(r, "/2019-11-23-old-interview/ /2019-11-23-interview-with-dw/ 301") {
		t.Errorf("_redirects:\n%s", r)
	}
}

var turnAnchor = regexp.MustCompile(`id="([a-z2-7]{8}(?:-\d+)?)" data-turn="(\d+)"`)

// TestRebuildStable: a rebuild of unchanged records changes no id and no
// output byte; correcting one turn keeps every id.
func TestRebuildStable(t *testing.T) {
	recs := copyDir(t, filepath.Join("..", "..", "records"))
	out1, out2 := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "public")
	build(t, recs, out1)
	ledger := read(t, filepath.Join(recs, ".turn-ids"))
	build(t, recs, out2)
	if got := read(t, filepath.Join(recs, ".turn-ids")); got != ledger {
		t.Error("rebuild changed the ledger")
	}
	compareTrees(t, out1, out2)

	file := "2020-12-31-行政院開放政府國家行動方案推動小組第2次會議.md"
	page := filepath.Join("2020-12-31-行政院開放政府國家行動方案推動小組第2次會議", "index.html")
	before := turnAnchor.FindAllStringSubmatch(read(t, filepath.Join(out1, page)), -1)
	src := read(t, filepath.Join(recs, file))
	fixed := strings.Replace(src, "設定6點前結束。", "設定6點以前結束。", 1)
	if fixed == src {
		t.Fatal("fixture text not found")
	}
	if err := os.WriteFile(filepath.Join(recs, file), []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	out3 := filepath.Join(t.TempDir(), "public")
	build(t, recs, out3)
	after := turnAnchor.FindAllStringSubmatch(read(t, filepath.Join(out3, page)), -1)
	if len(before) != len(after) || len(before) < 80 {
		t.Fatalf("turns before %d after %d", len(before), len(after))
	}
	for i := range before {
		if before[i][1] != after[i][1] {
			t.Errorf("turn %s: id %s became %s after a correction", before[i][2], before[i][1], after[i][1])
		}
	}
}

func compareTrees(t *testing.T, a, b string) {
	t.Helper()
	compareTreesBut(t, a, b, func(string) bool { return false })
}

// compareTreesBut is compareTrees but for the files skip names.
func compareTreesBut(t *testing.T, a, b string, skip func(rel string) bool) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		if skip(filepath.ToSlash(rel)) {
			return nil
		}
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			t.Errorf("%s missing from the second build", rel)
			return nil
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of the same records", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("only %d files compared", n)
	}
}
