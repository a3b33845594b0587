package search

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExportSegments: an export after an update keeps every file of the
// previous export's base, byte for byte under the same name, and writes
// only a delta of the changed records' documents, which queries find as
// they would in a fresh export; when the base cannot be trusted, or the
// delta would be too large, it writes a new base.
func TestExportSegments(t *testing.T) {
	// Copies of the test archive: a record is a small share of it, as in
	// a real archive.
	var all []Doc
	for i := range 8 {
		for _, d := range testFixture(t).docs {
			if i > 0 {
				d.Source = fmt.Sprintf("copy%d-%s", i, d.Source)
			}
			all = append(all, d)
		}
	}
	const (
		edited  = "2020-08-12-開放政府協作會議.md"
		removed = "2017-05-31-綠色和平電台訪問.md"
		// a phrase of the removed record's alone
		removedPhrase = "該罵的還是要繼續罵"
	)
	without := func(docs []Doc, source string) []Doc {
		return slices.DeleteFunc(slices.Clone(docs), func(d Doc) bool { return d.Source == source })
	}
	of := func(docs []Doc, source string) []Doc {
		return slices.DeleteFunc(slices.Clone(docs), func(d Doc) bool { return d.Source != source })
	}
	edit := slices.Clone(all)
	for i := range edit {
		if edit[i].Source == edited && edit[i].Turn == 5 {
			edit[i].Text += " 鳳梨"
		}
	}
	type query struct {
		q    string
		want string // how the first result's source#turn begins
	}
	type change struct {
		before, after []Doc
		source        string // the record changed
		// damage, if set, changes the previous export before the update
		damage   func(t *testing.T, dir string)
		otherDir bool // the second export is written elsewhere, with no previous one
		inverted int  // documents the second export inverts
		segments int
		queries  []query
	}
	// The test archive is small: a record is a larger share of it than of
	// a real one.
	defer func(share int) { deltaShare = share }(deltaShare)
	deltaShare = 10
	fixture := testFixture(t).docs
	tests := map[string]change{
		"add a record": {before: without(all, removed), after: all, source: removed, inverted: len(of(all, removed)), segments: 2,
			queries: []query{{removedPhrase, removed + "#"}}},
		"edit a turn": {before: all, after: edit, source: edited, inverted: len(of(edit, edited)), segments: 2,
			queries: []query{{"鳳梨", edited + "#5"}}},
		"delete a record": {before: all, after: without(all, removed), source: removed, inverted: 0, segments: 1,
			queries: []query{{removedPhrase, "copy"}}}, // its copies only
		"no previous export": {before: all, after: edit, source: edited, otherDir: true, inverted: len(edit), segments: 1},
		"base damaged": {before: all, after: edit, source: edited, inverted: len(edit), segments: 1,
			damage: func(t *testing.T, dir string) {
				files, _ := filepath.Glob(filepath.Join(dir, immutableDir, "post-*.bin"))
				if len(files) == 0 {
					t.Fatal("no postings file")
				}
				b, err := os.ReadFile(files[0])
				if err != nil {
					t.Fatal(err)
				}
				b[len(b)/2] ^= 1
				if err := os.WriteFile(files[0], b, 0o644); err != nil {
					t.Fatal(err)
				}
			}},
		// one archive alone: the record is too large a share of it
		"delta too large": {before: without(fixture, removed), after: fixture, source: removed, inverted: len(fixture), segments: 1},
		"state missing": {before: all, after: edit, source: edited, inverted: len(edit), segments: 1,
			damage: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "..", "index", unitsDir, exportStateFile)); err != nil {
					t.Fatal(err)
				}
			}},
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			index, out := filepath.Join(dir, "index"), filepath.Join(dir, "updated")
			if _, err := Build(context.Background(), index, c.before, BuildOptions{}); err != nil {
				t.Fatal(err)
			}
			first, err := Export(index, out)
			if err != nil {
				t.Fatal(err)
			}
			if first.Inverted != len(c.before) {
				t.Errorf("first export inverted %d documents, want all %d", first.Inverted, len(c.before))
			}
			base := readTree(t, filepath.Join(out, immutableDir))
			if err := Verify(out); err != nil {
				t.Errorf("first export: %v", err)
			}
			if c.damage != nil {
				c.damage(t, out)
				if err := Verify(out); err == nil && !strings.Contains(name, "state") {
					t.Error("Verify passes a damaged export")
				}
			}
			keys, err := Keys(index, c.source)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Update(context.Background(), index, keys, of(c.after, c.source), BuildOptions{}); err != nil {
				t.Fatal(err)
			}
			prev := out
			if c.otherDir {
				prev = filepath.Join(dir, "elsewhere")
			}
			next := filepath.Join(dir, "updated-new")
			st, err := ExportFrom(index, next, prev)
			if err != nil {
				t.Fatal(err)
			}
			if st.Inverted != c.inverted || st.Segments != c.segments {
				t.Errorf("second export inverted %d documents in %d segments, want %d in %d", st.Inverted, st.Segments, c.inverted, c.segments)
			}
			if st.Docs != len(c.after) {
				t.Errorf("second export has %d documents, want %d", st.Docs, len(c.after))
			}
			if err := Verify(next); err != nil {
				t.Errorf("second export: %v", err)
			}
			after := readTree(t, filepath.Join(next, immutableDir))
			if c.segments == 2 || c.inverted == 0 {
				// the base's files, unchanged: names and bytes
				for name, data := range base {
					if !bytes.Equal(after[name], data) {
						t.Errorf("base file %s changed or gone", name)
					}
				}
			}
			var qs []map[string]any
			for _, q := range c.queries {
				qs = append(qs, map[string]any{"q": q.q, "opts": map[string]any{"limit": 50}})
			}
			var got [][]struct {
				Source string `json:"source"`
				Turn   int    `json:"turn"`
			}
			if len(qs) > 0 {
				runNode(t, map[string]any{"base": next, "queries": qs}, &got)
			}
			for i, q := range c.queries {
				first := ""
				if len(got[i]) > 0 {
					first = fmt.Sprintf("%s#%d", got[i][0].Source, got[i][0].Turn)
				}
				if first == "" || !strings.HasPrefix(first, q.want) {
					t.Errorf("%s finds %q first, want %q", q.q, first, q.want)
				}
				for _, r := range got[i] {
					if c.segments == 1 && c.inverted == 0 && r.Source == c.source {
						t.Errorf("%s finds %s#%d of the deleted record", q.q, r.Source, r.Turn)
					}
				}
			}
		})
	}
}

// TestStaleClient: a client holding the manifest of an earlier build,
// whose files are gone, reads the new manifest and answers from the new
// index; when it cannot read the new index it says to reload the page.
func TestStaleClient(t *testing.T) {
	f := testFixture(t)
	dir := t.TempDir()
	index, out := filepath.Join(dir, "index"), filepath.Join(dir, "search")
	if _, err := Build(context.Background(), index, f.docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(index, out); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(filepath.Join(out, "client.js"))
	if err != nil {
		t.Fatal(err)
	}
	// A rebuild with a turn edited, written anew: the old files are gone.
	const edited = "2020-08-12-開放政府協作會議.md"
	var docs []Doc
	for _, d := range f.docs {
		if d.Source == edited && d.Turn == 5 {
			d.Text += " 鳳梨"
		}
		docs = append(docs, d)
	}
	os.RemoveAll(index)
	if _, err := Build(context.Background(), index, docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ExportFrom(index, out, filepath.Join(dir, "none")); err != nil {
		t.Fatal(err)
	}
	// The page's client.js is the old one, beside the new files.
	stale := filepath.Join(out, "client-old.js")
	if err := os.WriteFile(stale, old, 0o644); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Source string `json:"source"`
		Turn   int    `json:"turn"`
	}
	var got [][]answer
	runNode(t, map[string]any{"client": stale, "base": out, "queries": []map[string]any{{"q": "鳳梨"}}}, &got)
	if len(got) != 1 || len(got[0]) == 0 || got[0][0].Source != edited || got[0][0].Turn != 5 {
		t.Errorf("an old client finds 鳳梨 in %+v, want the edited turn of the new index", got)
	}

	// A new format: the old client cannot read it.
	m, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	m = bytes.Replace(m, []byte(fmt.Sprintf(`"format":%d`, exportFormat)), []byte(`"format":99`), 1)
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), m, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range readTreeNames(t, filepath.Join(out, immutableDir)) {
		os.Remove(filepath.Join(out, immutableDir, name))
	}
	var failed []struct {
		Error string `json:"error"`
		Stale bool   `json:"stale"`
	}
	if err := os.WriteFile(stale, old, 0o644); err != nil {
		t.Fatal(err)
	}
	runNode(t, map[string]any{"client": stale, "base": out, "queries": []map[string]any{{"q": "鳳梨"}}}, &failed)
	if len(failed) != 1 || !failed[0].Stale || !strings.Contains(failed[0].Error, "reload") {
		t.Errorf("an old client of a new format answers %+v, want a stale error saying to reload", failed)
	}
}

func readTreeNames(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for name := range readTree(t, dir) {
		names = append(names, name)
	}
	return names
}

// TestFetchPlan: a query in a fresh client (the client.js of its export,
// which carries the manifest) needs at most four round trips one after
// another: the dictionary, the rarest term's postings, the other terms'
// postings with where the candidates' texts are, and the texts; three
// when the rarest term's postings are in its dictionary entry.
func TestFetchPlan(t *testing.T) {
	f := testFixture(t)
	tests := []struct {
		q        string
		maxDepth int
	}{
		{"開放政府", 4},
		{"鳳梨", 4},
		{"該罵的還是要繼續罵", 3}, // rare: its postings are in the dictionary
		{"open government data", 4},
		{"政府開放資料的品質", 4},
		{"開放政俯", 4}, // nothing holds it whole: the near-miss path
	}
	var qs []string
	for _, tc := range tests {
		qs = append(qs, tc.q)
	}
	got := fetchPlans(t, f, qs, false)
	for i, tc := range tests {
		if got[i].Depth < 1 || got[i].Depth > tc.maxDepth {
			t.Errorf("%s: %d round trips one after another (%d requests), want 1 to %d", tc.q, got[i].Depth, got[i].Requests, tc.maxDepth)
		}
	}
}

// TestFetchPlanWarmed: a client warmed with a query, as the search page
// warms it while the reader types, answers it in fewer round trips than a
// cold one: the dictionary entries are read, so what is left is the
// postings not in them, where the candidates' texts are, and the texts.
func TestFetchPlanWarmed(t *testing.T) {
	f := testFixture(t)
	tests := []struct {
		q        string
		maxDepth int
	}{
		{"開放政府", 2},
		{"鳳梨", 2},
		{"該罵的還是要繼續罵", 2},
		{"open government data", 2},
		{"政府開放資料的品質", 2},
	}
	var qs []string
	for _, tc := range tests {
		qs = append(qs, tc.q)
	}
	cold, warmed := fetchPlans(t, f, qs, false), fetchPlans(t, f, qs, true)
	for i, tc := range tests {
		if w := warmed[i]; w.Depth < 1 || w.Depth > tc.maxDepth || w.Depth >= cold[i].Depth {
			t.Errorf("%s, warmed: %d round trips one after another (%d requests), want 1 to %d and fewer than cold (%d, %d requests)",
				tc.q, w.Depth, w.Requests, tc.maxDepth, cold[i].Depth, cold[i].Requests)
		}
	}
}

// fetchPlan is how one query read the export (search/testdata/node.mjs).
type fetchPlan struct {
	Depth    int `json:"depth"`    // round trips one after another
	Requests int `json:"requests"` // requests in all
}

// fetchPlans runs each query in a fresh client of the fixture's export,
// warmed with it first when warmed is set, and returns how each read.
func fetchPlans(t *testing.T, f fixture, qs []string, warmed bool) []fetchPlan {
	t.Helper()
	var got []fetchPlan
	runNode(t, map[string]any{"client": filepath.Join(f.out, "client.js"), "base": f.out, "depth": qs, "warmed": warmed}, &got)
	if len(got) != len(qs) {
		t.Fatalf("%d answers for %d queries", len(got), len(qs))
	}
	return got
}

// TestMeanLength: the mean length changes in steps of at most 3 %, so that
// one record more or less rarely changes it.
func TestMeanLength(t *testing.T) {
	tests := []struct {
		textLen int64
		docs    int
		want    float64
	}{
		{0, 0, 0},
		{100, 0, 0},
		{120, 2, 60},
		{6010, 100, 60}, // 60.1: steps of 1 between 32 and 64
		{6060, 100, 61}, // 60.6
		{345325 * 45, 345325, 45},
		{7, 2, 3.5},     // 3.5: steps of 1/16 between 2 and 4
		{1001, 10, 100}, // 100.1: steps of 2 between 64 and 128
	}
	for _, tc := range tests {
		if got := meanLength(tc.textLen, tc.docs); got != tc.want {
			t.Errorf("meanLength(%d, %d) = %v, want %v", tc.textLen, tc.docs, got, tc.want)
		}
	}
}
