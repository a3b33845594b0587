package records

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

func TestLoad(t *testing.T) {
	a, d, err := Load("testdata/archive", Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantFindings := []string{
		".alternates:3: error: \"2019-11-23-德國之聲採訪.md\" is already paired on line 2",
		".alternates:3: error: \"missing.md\" does not exist",
		".alternates:4: error: want two file names separated by one TAB",
		".alternates:5: error: a file cannot be its own alternate",
		// A suggestion from the aligned pair (generator/align), not a problem.
		"2019-11-23-Interview-with-DW.md:6: note: \"Interviewer\" speaks the turns of \"問\"",
		"2020-02-30-impossible.md:1: error: impossible date 2020-02-30",
		"speakers.toml:1: warning: \"Nobody\" matches no speaker label",
	}
	got := d.Sorted()
	if len(got) != len(wantFindings) {
		t.Fatalf("findings:\n%s", d.String())
	}
	for i, w := range wantFindings {
		if !strings.HasPrefix(got[i].String(), w) {
			t.Errorf("finding %d = %q, want prefix %q", i, got[i], w)
		}
	}

	// The file with an error is left out; README.md is skipped.
	var files, slugs []string
	for _, r := range a.Records {
		files = append(files, r.File)
		slugs = append(slugs, r.Slug)
	}
	if want := "2020-03-01-Title--Colon.md 2020-03-01-Title-Colon.md 2020-01-01-壞日期.md 2019-11-23-Interview-with-DW.md 2019-11-23-德國之聲採訪.md"; strings.Join(files, " ") != want {
		t.Errorf("records = %v\nwant %s", files, want)
	}
	// Both Title files slug to the same path: the later file name gets -2.
	if want := "2020-03-01-title-colon 2020-03-01-title-colon-2 2020-01-01-壞日期 2019-11-23-interview-with-dw 2019-11-23-德國之聲採訪"; strings.Join(slugs, " ") != want {
		t.Errorf("slugs = %v\nwant %s", slugs, want)
	}

	en, zh := a.Record("2019-11-23-Interview-with-DW.md"), a.Record("2019-11-23-德國之聲採訪.md")
	if en.Alternate != zh.File || zh.Alternate != en.File || en.Lang != "en" || zh.Lang != "zh-TW" {
		t.Errorf("alternates: en %q (%s) zh %q (%s)", en.Alternate, en.Lang, zh.Alternate, zh.Lang)
	}
	// Audrey Tang and 唐鳳 are one speaker; roles are marked.
	if en.Turns[0].Speaker != "唐鳳" || zh.Turns[0].Speaker != "唐鳳" {
		t.Errorf("speakers not merged: %q %q", en.Turns[0].Speaker, zh.Turns[0].Speaker)
	}
	if sp := a.Speakers["唐鳳"]; sp == nil || strings.Join(sp.Aliases, ",") != "Audrey Tang" {
		t.Errorf("唐鳳 = %+v", sp)
	}
	if sp := a.Speakers["interviewer"]; sp == nil || !sp.IsRole {
		t.Errorf("Interviewer = %+v, want a role", sp)
	}
	colon := a.Record("2020-03-01-Title--Colon.md")
	if tr := colon.Turns[0]; tr.Speaker != "蕭伊芳" || tr.Role != "外交部報告 副司長" {
		t.Errorf("parenthesised role: %+v", tr)
	}
}

// TestSample loads the repository's sample of real transcripts, one for each
// quirk of the archive: every file builds with no error and every `###`
// line becomes a turn.
func TestSample(t *testing.T) {
	a := checkLoads(t, testcorpus.Sample())
	en := a.Record("2025-01-29-Interview-with-BBC-Newsday.md")
	if en == nil || en.Lang != "en" || en.Alternate != "2025-01-29-BBC-Newsday-訪談.md" {
		t.Errorf("the sample's bilingual pair is not linked: %+v", en)
	}
}

// TestCorpus does the same for the whole corpus.
func TestCorpus(t *testing.T) { checkLoads(t, testcorpus.Dir(t)) }

func checkLoads(t *testing.T, dir string) *model.Archive {
	t.Helper()
	a, d, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := d.Count(); e > 0 {
		t.Errorf("corpus has errors:\n%s", d.String())
	}
	files, _ := Transcripts(dir)
	if len(a.Records) != len(files) {
		t.Errorf("loaded %d of %d files", len(a.Records), len(files))
	}
	for _, r := range a.Records {
		src, _ := os.ReadFile(filepath.Join(dir, r.File))
		want := 0
		for _, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, "\ufeff"), "### ") {
				want++
			}
		}
		if got := r.SpeakerTurns(); got != want {
			t.Errorf("%s: %d turns, want %d", r.File, got, want)
		}
		if r.Slug == "" || r.Title == "" {
			t.Errorf("%s: slug %q title %q", r.File, r.Slug, r.Title)
		}
	}
	return a
}
