package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestExportPatch: an export after an update patches the previous export's
// postings, inverting only the changed records' documents, and writes the
// same bytes as a fresh build; when the previous export cannot be trusted
// it inverts everything instead.
func TestExportPatch(t *testing.T) {
	// Copies of the test archive: a record more or less does not change
	// the rounded mean length of so many documents, as in a real archive.
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
	)
	without := func(source string) []Doc {
		return slices.DeleteFunc(slices.Clone(all), func(d Doc) bool { return d.Source == source })
	}
	of := func(docs []Doc, source string) []Doc {
		return slices.DeleteFunc(slices.Clone(docs), func(d Doc) bool { return d.Source != source })
	}
	small := slices.DeleteFunc(slices.Clone(testFixture(t).docs), func(d Doc) bool { return d.Source == removed })
	edit := slices.Clone(all)
	for i := range edit {
		if edit[i].Source == edited && edit[i].Turn == 5 {
			edit[i].Text += " 鳳梨"
		}
	}
	type change struct {
		before, after []Doc
		source        string // the record changed
		// damage, if set, changes the previous export before the update
		damage   func(t *testing.T, dir string)
		otherDir bool // the second export is written elsewhere, with no previous one
		inverted int  // documents the second export inverts
	}
	tests := map[string]change{
		"add a record":    {before: without(removed), after: all, source: removed, inverted: len(of(all, removed))},
		"edit a turn":     {before: all, after: edit, source: edited, inverted: len(of(edit, edited))},
		"delete a record": {before: all, after: without(removed), source: removed, inverted: 0},
		"no previous export": {before: all, after: edit, source: edited, otherDir: true,
			inverted: len(edit)},
		"postings changed since": {before: all, after: edit, source: edited, inverted: len(edit),
			damage: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "post-0.bin")
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				b[len(b)/2] ^= 1
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}},
		// one archive alone: the record does change it
		"mean length changed": {before: small, after: testFixture(t).docs, source: removed,
			inverted: len(testFixture(t).docs)},
		"state missing": {before: all, after: edit, source: edited, inverted: len(edit),
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
			if c.damage != nil {
				c.damage(t, out)
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
			st, err := ExportFrom(index, filepath.Join(dir, "updated-new"), prev)
			if err != nil {
				t.Fatal(err)
			}
			if st.Inverted != c.inverted {
				t.Errorf("second export inverted %d documents, want %d", st.Inverted, c.inverted)
			}
			os.RemoveAll(filepath.Join(dir, "updated"))
			if err := os.Rename(filepath.Join(dir, "updated-new"), filepath.Join(dir, "updated")); err != nil {
				t.Fatal(err)
			}
			sameAsFresh(t, name, dir, c.after)
		})
	}
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
