package legacy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/legacy"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/pipeline"
	"github.com/ogarchive/ogarchive/generator/redirect"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// loadSample loads the repository's sample of real transcripts as a build
// does, old addresses resolved.
func loadSample(t *testing.T) (*model.Archive, map[string]string) {
	t.Helper()
	l, err := pipeline.Load(testcorpus.Sample(), filepath.Join(t.TempDir(), "turn-ids"), nil)
	if err != nil || l.Archive == nil {
		t.Fatalf("loading the sample: %v", err)
	}
	slugs, err := redirect.LegacySlugs(os.DirFS(testcorpus.Sample()), l.Archive.Records)
	if err != nil {
		t.Fatal(err)
	}
	return l.Archive, slugs
}

// TestMatchSpeeches matches the previous site's speech index, in its API
// form, to the sample: keys the records answer to already (their file
// names, legacy slugs, the -2 duplicate .redirects maps) need no line, an
// older key is matched by date and title, a key of a speech the archive
// does not have is reported.
func TestMatchSpeeches(t *testing.T) {
	a, slugs := loadSample(t)
	ss, err := legacy.ReadJSON[legacy.Speech]("testdata/speech_index.json")
	if err != nil {
		t.Fatal(err)
	}
	rows, unmatched, already := legacy.MatchSpeeches(legacy.NewFinder(a, slugs), ss)
	want := map[string]string{
		"2025-01-29-interview-with-bbc-newsday-old": "2025-01-29-Interview-with-BBC-Newsday",
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.Old] = r.New
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s → %q, want %q (rows %v)", k, got[k], v, rows)
		}
	}
	if len(rows) != len(want) || already != 4 || len(unmatched) != 1 || unmatched[0].Key != "2099-01-01-never-here" {
		t.Errorf("rows %v, %d already, unmatched %v", rows, already, unmatched)
	}
}

// TestMatchSpeakers: routes are matched by name with stray spaces, `-N`
// duplicates and other names, decoded; unknown names and broken escapes
// are reported.
func TestMatchSpeakers(t *testing.T) {
	a, _ := loadSample(t)
	ps, err := legacy.ReadJSON[legacy.Speaker]("testdata/speakers.json")
	if err != nil {
		t.Fatal(err)
	}
	rows, unmatched := legacy.MatchSpeakers(a, ps)
	got := map[string]string{}
	for _, r := range rows {
		got[r.Old] = r.New
	}
	want := map[string]string{"張元易": "張元易", "張元易-2": "張元易", "audrey-tang": "唐鳳", "唐鳳-3": "唐鳳"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("route %s → %q, want %q (rows %v)", k, got[k], v, rows)
		}
	}
	if len(rows) != len(want) || len(unmatched) != 2 {
		t.Errorf("rows %v, unmatched %v", rows, unmatched)
	}
}

// TestReadSpeakerRoutes: what import-legacy writes reads back; lines a
// maintainer broke are warned of at their line and the rest is kept.
func TestReadSpeakerRoutes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.FromSlash(legacy.SpeakersFile))
	if err := legacy.WriteRows(path, "test", []legacy.Row{{"唐鳳-3", "唐鳳"}, {"audrey-tang", "唐鳳"}}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("no-tab-here\nghost\tnobody\n唐鳳-3\t張元易\n")
	f.Close()
	known := map[string]*model.Speaker{"唐鳳": {Key: "唐鳳"}, "張元易": {Key: "張元易"}}
	var d diag.List
	routes, err := legacy.ReadSpeakerRoutes(dir, known, &d)
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) != 2 || routes["唐鳳-3"] != "唐鳳" || routes["audrey-tang"] != "唐鳳" {
		t.Errorf("routes %v", routes)
	}
	want := []string{
		"legacy/speakers.tsv:4: warning: want an old speaker route, a TAB and a speaker key",
		`legacy/speakers.tsv:5: warning: no speaker "nobody" in the archive`,
		`legacy/speakers.tsv:6: warning: route "唐鳳-3" already leads to "唐鳳"`,
	}
	fs := d.Sorted()
	if len(fs) != len(want) {
		t.Fatalf("findings:\n%s", d.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(fs[i].String(), w) {
			t.Errorf("finding %d = %s, want %s…", i, fs[i], w)
		}
	}
	if none, err := legacy.ReadSpeakerRoutes(t.TempDir(), known, &d); none != nil || err != nil {
		t.Errorf("no file: %v, %v", none, err)
	}
}

// TestShard pins the shard function main.js mirrors.
func TestShard(t *testing.T) {
	for route, want := range map[string]int{"": 5, "a": 12, "唐鳳-3": legacy.Shard("唐鳳-3")} {
		if got := legacy.Shard(route); got != want || got < 0 || got >= legacy.SpeakerShards {
			t.Errorf("legacy.Shard(%q) = %d, want %d", route, got, want)
		}
	}
}

// TestMatchSections matches a speech in the previous site's /api/speech
// form, made from a sample transcript, to its turns: paragraphs by their
// text, one turn split over two sections, a section before any turn (to
// the first), an embed (to the turn before it), and two turns whose text
// is the other's part ("謝謝。" in "謝謝，瞭解了").
func TestMatchSections(t *testing.T) {
	a, slugs := loadSample(t)
	secs, err := legacy.ReadJSON[legacy.Section]("testdata/sections/2020-04-08-曾國展李紀廣來訪.json")
	if err != nil {
		t.Fatal(err)
	}
	rec, direct := legacy.NewFinder(a, slugs).Find(secs[0].Key, "")
	if rec == nil || !direct {
		t.Fatalf("speech %s: record %v", secs[0].Key, rec)
	}
	rows, byContent := legacy.MatchSections(rec, secs)
	turn := func(n int) string { return "2020-04-08-曾國展、李紀廣來訪#" + rec.Turns[n-1].ID }
	want := map[string]string{
		"700001": turn(1), "700002": turn(1), "700003": turn(2), "700004": turn(2), "700005": turn(3),
		"700006": turn(3), "700007": turn(4), "700008": turn(4), "700009": turn(5), "700010": turn(6),
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.Old] = r.New
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("section %s → %q, want %q", id, got[id], w)
		}
	}
	if len(rows) != len(want) || byContent != 8 {
		t.Errorf("%d rows, %d by content; want %d, 8", len(rows), byContent, len(want))
	}
}

// TestReadSections: good lines resolve to the turn's URL; a malformed line
// and one naming no transcript are warned of at their line.
func TestReadSections(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.FromSlash(legacy.SectionsFile))
	if err := legacy.WriteRows(path, "test", []legacy.Row{{"628198", "2020-01-01-a#abc"}, {"x12", "2020-01-01-a#abc"}, {"7", "2099-gone#abc"}}); err != nil {
		t.Fatal(err)
	}
	byStem := map[string]*model.Record{"2020-01-01-a": {File: "2020-01-01-a.md", Slug: "2020-01-01-a"}}
	var d diag.List
	got, err := legacy.ReadSections(dir, byStem, &d)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["628198"] != "/2020-01-01-a/#abc" {
		t.Errorf("sections %v", got)
	}
	fs := d.Sorted()
	if len(fs) != 2 || !strings.HasPrefix(fs[0].String(), "legacy/sections.tsv:3: warning: no transcript 2099-gone.md") ||
		!strings.HasPrefix(fs[1].String(), "legacy/sections.tsv:4: warning: want a section id") {
		t.Errorf("findings:\n%s", d.String())
	}
}
