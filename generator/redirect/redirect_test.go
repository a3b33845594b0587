package redirect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

func rd(from, to, source string) model.Redirect {
	return model.Redirect{From: from, To: to, Source: source}
}

// sameRedirects fails unless got holds want's redirects, in order.
func sameRedirects(t *testing.T, got, want []model.Redirect) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d redirects %v\nwant %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("redirect %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestParseRedirects(t *testing.T) {
	var diags diag.List
	got, err := ParseRedirects(filepath.Join("testdata", "records", ".redirects"), &diags)
	if err != nil {
		t.Fatal(err)
	}
	at := func(r model.Redirect, line int) model.Redirect { r.Line = line; return r }
	want := []model.Redirect{
		at(rd("2019-12-31-舊名", "2020-01-01-新名", ".redirects"), 3),
		at(rd("2019-12-30-with-md", "2020-01-01-新名", ".redirects"), 8),
		at(rd("2020-02-02-still-here", "2020-02-02-renamed", ".redirects"), 11),
		at(rd("2020-03-03-both-old", "2020-03-03-both-new", ".redirects"), 12),
		at(rd("2019-01-01-deleted", "2019-01-01-gone-too", ".redirects"), 13),
		at(rd("2018-01-01-first", "2018-06-01-second", ".redirects"), 14),
		at(rd("2018-06-01-second", "2020-04-04-final", ".redirects"), 15),
		at(rd("2017-01-01-padded", "2020-04-04-final", ".redirects"), 18),
		at(rd("2016-01-01-crlf", "2020-04-04-final", ".redirects"), 20),
	}
	sameRedirects(t, got, want)
	findings := []struct {
		line int
		text string
	}{
		{4, "only one name"},
		{5, "no TAB"},
		{6, "3 TAB-separated fields"},
		{7, `"2020-01-01-新名" redirects to itself`},
		{8, `"2019-12-30-with-md.md": write file names without .md`},
		{8, `"2020-01-01-新名.md": write file names without .md`},
		{9, "repeats line 3"},
		{10, `line 3 already redirects "2019-12-31-舊名" to "2020-01-01-新名"`},
		{14, `"2018-06-01-second" is renamed again on line 15: write "2018-01-01-first"<TAB>"2020-04-04-final"`},
		{16, "redirect loop through loop-a, loop-b (lines 16, 17)"},
		{18, `spaces around "2017-01-01-padded"`},
		{19, "empty file name"},
	}
	all := diags.Sorted()
	if len(all) != len(findings) {
		t.Errorf("%d findings, want %d:\n%s", len(all), len(findings), diags.String())
	}
	for i, f := range findings {
		if i >= len(all) {
			break
		}
		g := all[i]
		if g.File != ".redirects" || g.Line != f.line || g.Severity != diag.Warning || !strings.Contains(g.Message, f.text) {
			t.Errorf("finding %d = %s, want .redirects:%d: warning: …%s…", i, g, f.line, f.text)
		}
	}

	none, err := ParseRedirects(filepath.Join(t.TempDir(), ".redirects"), &diags)
	if none != nil || err != nil {
		t.Errorf("missing file: %v, %v", none, err)
	}
}

// TestSampleRedirects resolves the `.redirects` of the repository's
// sample as a build does: a rename whose new name is a transcript, and an
// old name still a transcript whose new address is its legacy SayIt key.
// Both lines work, so neither is reported.
func TestSampleRedirects(t *testing.T) {
	n, unresolved, checked := checkRedirects(t, testcorpus.Sample())
	if n != 2 || unresolved != 0 || checked != 1 {
		t.Errorf("%d redirects, %d reported, %d legacy slugs checked; want 2, 0, 1", n, unresolved, checked)
	}
}

// TestCorpusRedirects resolves the real `.redirects`: every line is usable,
// there are no loops or chains, the lines whose old file is still in the
// corpus name its legacy SayIt slug (which LegacySlug must reproduce), and
// only lines neither of whose addresses is in the corpus (which holds
// 1,618 of the archive's transcripts) are reported.
func TestCorpusRedirects(t *testing.T) {
	n, unresolved, checked := checkRedirects(t, testcorpus.Dir(t))
	if n != 199 {
		t.Errorf("%d redirects, want the 199 lines that are not comments", n)
	}
	if checked != 83 {
		t.Errorf("checked %d legacy slugs, want 83", checked)
	}
	t.Logf("%d of %d lines lead to no transcript of the corpus", unresolved, n)
	if unresolved > n/4 {
		t.Errorf("%d of %d lines are reported: the addresses are not resolved as the archive means them", unresolved, n)
	}
}

// checkRedirects parses dir's `.redirects`, which must give no finding,
// resolves it against the records of dir as a build does, checks that
// every finding is about a line that leads nowhere, and checks LegacySlug
// against every line whose old file is still a transcript. It returns the
// number of redirects, of lines reported and of slugs checked.
func checkRedirects(t *testing.T, dir string) (n, unresolved, checked int) {
	t.Helper()
	var diags diag.List
	rds, err := ParseRedirects(filepath.Join(dir, ".redirects"), &diags)
	if err != nil {
		t.Fatal(err)
	}
	if e, w := diags.Count(); e+w > 0 {
		t.Errorf("parsing the .redirects of %s:\n%s", dir, diags.String())
	}
	a, _, err := records.Load(dir, records.Options{})
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := LegacySlugs(os.DirFS(dir), a.Records)
	if err != nil {
		t.Fatal(err)
	}
	var found diag.List
	Resolve(a.Records, Sources{Redirects: rds, Legacy: legacy}, &found)
	for _, f := range found.Sorted() {
		switch {
		case f.File == ".redirects" && strings.Contains(f.Message, "is a transcript or an address of one"):
			unresolved++
		case f.File != ".redirects" && strings.Contains(f.Message, "also belongs to"):
		default:
			t.Errorf("unexpected finding %s", f)
		}
	}
	fsys := os.DirFS(dir)
	for _, rd := range rds {
		if _, err := os.Stat(filepath.Join(dir, rd.From+".md")); err != nil {
			continue
		}
		h, err := heading(fsys, rd.From+".md")
		if err != nil {
			t.Fatal(err)
		}
		// One title is shared with a transcript outside the sample, which
		// SayIt saw first: its slug got "-2".
		if s := LegacySlug(h); s != rd.To && s+"-2" != rd.To {
			t.Errorf("LegacySlug(%q) = %q, want %q", h, s, rd.To)
		}
		checked++
	}
	return len(rds), unresolved, checked
}

func TestLegacySlug(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2015-08-23 演講：開放 ^ 資料", "2015-08-23-演講開放-資料"},
		{"2016-11-14 「企業資產擔保法草案可行性之研究」專家會議", "2016-11-14-企業資產擔保法草案可行性之研究專家會議"},
		{"2019-10-29 社會創新∞里海永續-重啟漁光島的榮光座談會", "2019-10-29-社會創新里海永續-重啟漁光島的榮光座談會"},
		{"政問 11.26：柯文哲 醫療與健保", "政問-1126柯文哲-醫療與健保"},
		{"2017-04-13 Meeting with Korea's Government 3.0 Committee", "2017-04-13-meeting-with-koreas-government-30-commi"},
		{"2023-01-20 Meeting with GLJ-ILRF, FOSPI and Stella Assange", "2023-01-20-meeting-with-glj-ilrf-fospi-and-stella-"},
		{"2016-03-09 Interview with Amaëlle Guiton", "2016-03-09-interview-with-amaëlle-guiton"},
		{"ＡＢＣ　全形　１２３", "abc-全形-123"},                   // NFKC folds full-width forms
		{"2019‑12‑24 Interview", "20191224-interview"}, // U+2011 is punctuation, not '-'
		{"  --__Hello__--  ", "hello"}, // '-' and '_' trimmed from both ends
		{"a_b - c  -- d", "a_b-c-d"},   // runs of spaces and hyphens collapse
		{"!!!", ""},
		{strings.Repeat("開放政府", 15), strings.Repeat("開放政府", 12) + "開放"}, // 50 runes, not bytes
	}
	for _, c := range cases {
		if got := LegacySlug(c.in); got != c.want {
			t.Errorf("LegacySlug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLegacySlugs(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	fsys := fstest.MapFS{
		"2020-05-01-b.md":  {Data: []byte("# 2020-05-01 Same Title\n\n### A:\n")},
		"2020-05-01-a.md":  {Data: []byte("\ufeff# 2020-05-01 Same Title\r\n")},
		"2019-01-01-c.md":  {Data: []byte("#  2020-05-01  Same: Title #\n")},
		"2021-01-01-n.md":  {Data: []byte("- a note without a heading\n")},
		"undated.md":       {Data: []byte("# 2020-05-01 Same Title\n")},
		"2022-02-02-e.md":  {Data: []byte("")},
		"2022-02-03-h2.md": {Data: []byte("## 2022 Not an H1\n")},
	}
	recs := []*model.Record{
		{File: "2020-05-01-b.md", Date: day("2020-05-01")},
		{File: "2021-01-01-n.md", Date: day("2021-01-01"), Title: "會議筆記"},
		{File: "2020-05-01-a.md", Date: day("2020-05-01")},
		{File: "undated.md"},
		{File: "2019-01-01-c.md", Date: day("2019-01-01")},
		{File: "2022-02-02-e.md", Date: day("2022-02-02"), Title: "Empty"},
		{File: "2022-02-03-h2.md", Date: day("2022-02-03"), Title: "Only H2"},
	}
	got, err := LegacySlugs(fsys, recs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"undated.md":       "2020-05-01-same-title", // undated first
		"2019-01-01-c.md":  "2020-05-01-same-title-2",
		"2020-05-01-a.md":  "2020-05-01-same-title-3", // same date: by file name
		"2020-05-01-b.md":  "2020-05-01-same-title-4",
		"2021-01-01-n.md":  "2021-01-01-會議筆記", // no heading: date and title
		"2022-02-02-e.md":  "2022-02-02-empty",
		"2022-02-03-h2.md": "2022-02-03-only-h2",
	}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
	for f, w := range want {
		if got[f] != w {
			t.Errorf("%s: %q, want %q", f, got[f], w)
		}
	}
	if _, err := LegacySlugs(fsys, []*model.Record{{File: "missing.md"}}); err == nil {
		t.Error("no error for a missing file")
	}
}

func TestResolve(t *testing.T) {
	recs := []*model.Record{
		{File: "2020-01-01-新名.md", Slug: "2020-01-01-新名"},
		{File: "2020-04-04-Final.md", Slug: "2020-04-04-final"},
		{File: "2021-01-01-other.md", Slug: "2021-01-01-other", Aliases: []string{"stale"}},
	}
	src := Sources{
		Redirects: []model.Redirect{
			rd("2019-12-31-舊名", "2020-01-01-新名", ".redirects"),
			rd("2018-01-01-First", "2018-06-01-second", ".redirects"), // a chain, slugged
			rd("2018-06-01-second", "2020-04-04-Final", ".redirects"),
			rd("2019-01-01-deleted", "2019-01-01-gone", ".redirects"),  // no target: dropped
			rd("2021-01-01-OTHER", "2020-04-04-Final", ".redirects"),   // a live page keeps its address
			rd("2017-07-07-taken", "2020-01-01-新名", ".redirects"),      // wins over the legacy slug below
			rd("2016-06-06-by-slug", "2021-01-01-other", ".redirects"), // target named by slug
			rd("2016-01-01-「引號」", "2020-01-01-新名", ".redirects"),       // slugged as pages are
			rd("2015-01-01-chain-to-nothing", "2019-01-01-deleted", ".redirects"),
			rd("2021-01-01-other", "legacy-other", ".redirects"),   // old exists, new is its legacy key
			rd("2014-01-01-pre", "LEGACY-OTHER", ".redirects"),     // new is a record's key
			rd("2013-01-01-key", "2021-01-01-other", ".redirects"), // new exists
		},
		Legacy: map[string]string{
			"2020-01-01-新名.md":      "2020-01-01-新名",    // same as the slug: no alias
			"2020-04-04-Final.md":   "2017-07-07-taken", // claimed by .redirects
			"2021-01-01-other.md":   "legacy-other",
			"2099-01-01-missing.md": "no-such-record",
		},
		Published: map[string][]string{
			"2020-01-01-新名.md":    {"2019-12-31-舊名", "2020-01-01-新名", "older-slug"},
			"2021-01-01-other.md": {"2021-01-01-other", "legacy-other"},
		},
	}
	var diags diag.List
	got := Resolve(recs, src, &diags)
	want := []model.Redirect{
		rd("2013-01-01-key", "2021-01-01-other", ".redirects"),
		rd("2014-01-01-pre", "2021-01-01-other", ".redirects"),
		rd("2016-01-01-引號", "2020-01-01-新名", ".redirects"),
		rd("2016-06-06-by-slug", "2021-01-01-other", ".redirects"),
		rd("2017-07-07-taken", "2020-01-01-新名", ".redirects"),
		rd("2018-01-01-first", "2020-04-04-final", ".redirects"),
		rd("2018-06-01-second", "2020-04-04-final", ".redirects"),
		rd("2019-12-31-舊名", "2020-01-01-新名", ".redirects"),
		rd("legacy-other", "2021-01-01-other", ".redirects"),
		rd("older-slug", "2020-01-01-新名", "ledger"),
	}
	sameRedirects(t, got, want)
	aliases := map[string]string{
		"2020-01-01-新名.md":    "2016-01-01-引號 2017-07-07-taken 2019-12-31-舊名 older-slug",
		"2020-04-04-Final.md": "2018-01-01-first 2018-06-01-second",
		"2021-01-01-other.md": "2013-01-01-key 2014-01-01-pre 2016-06-06-by-slug legacy-other",
	}
	for _, r := range recs {
		if g := strings.Join(r.Aliases, " "); g != aliases[r.File] {
			t.Errorf("%s aliases %q, want %q", r.File, g, aliases[r.File])
		}
	}
	// Only the lines that do nothing are reported, and the contested slug.
	wantFindings := []string{
		`.redirects: warning: "2021-01-01-OTHER" and "2020-04-04-Final" are two transcripts, 2021-01-01-other.md and 2020-04-04-Final.md, so the old address keeps its own page`,
		`.redirects: warning: neither "2015-01-01-chain-to-nothing" nor "2019-01-01-deleted" is a transcript or an address of one`,
		`.redirects: warning: neither "2019-01-01-deleted" nor "2019-01-01-gone" is a transcript or an address of one`,
		"2020-04-04-Final.md: warning: its old address /2017-07-07-taken/ (its legacy SayIt address) also belongs to 2020-01-01-新名.md",
	}
	fs := diags.Sorted()
	if len(fs) != len(wantFindings) {
		t.Errorf("findings:\n%s", diags.String())
	}
	for i, w := range wantFindings {
		if i < len(fs) && !strings.HasPrefix(fs[i].String(), w) {
			t.Errorf("finding %d = %s, want %s…", i, fs[i], w)
		}
	}
}

func TestWriteRedirectsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "_redirects")
	err := WriteRedirectsFile(path, []model.Redirect{
		{From: "b old", To: "2020-01-01-新名"},
		{From: "a", To: "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	want := "# Old addresses of the archive's records, written by ogarchive.\n" +
		"/a/ /b/ 301\n" +
		"/b%20old/ /2020-01-01-%E6%96%B0%E5%90%8D/ 301\n"
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
}
