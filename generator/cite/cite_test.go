package cite

import (
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/model"
)

// archive is two records: "rec" (formerly "old-rec"), whose turn t-2 was
// edited and retired for t-3, and "other", whose turn is by a speaker
// without a merged identity.
func archive() *model.Archive {
	return &model.Archive{
		Speakers: map[string]*model.Speaker{"tang": {Key: "tang", Name: "唐鳳"}},
		Records: []*model.Record{
			{File: "rec.md", Slug: "rec", Aliases: []string{"old-rec"}, Turns: []model.Turn{
				{Ordinal: 0, Blocks: []model.Block{{Kind: model.BlockParagraph, Text: "narrative without id"}}},
				{Ordinal: 1, ID: "t-1", Label: "唐鳳", Speaker: "tang", Blocks: []model.Block{
					{Kind: model.BlockDirection, Text: "（笑）"},
					{Kind: model.BlockParagraph, Text: "大家好"},
				}},
				{Ordinal: 2, ID: "t-3", Label: "唐鳳", Speaker: "tang", Blocks: []model.Block{{Kind: model.BlockParagraph, Text: "改過的話"}}},
			}},
			{File: "other.md", Slug: "other", Turns: []model.Turn{
				{Ordinal: 1, ID: "a", Label: "問", Blocks: []model.Block{{Kind: model.BlockParagraph, Text: "請問"}}},
			}},
		},
	}
}

func retired(file string) map[string]string {
	if file == "rec.md" {
		return map[string]string{"t-2": "t-3"}
	}
	return nil
}

func TestArchiveResolver(t *testing.T) {
	r := NewResolver(archive(), retired)
	for _, tc := range []struct {
		slug, id           string
		record, turn       bool
		speaker, text      string
		redirSlug, redirID string
		redirOK            bool
	}{
		{slug: "rec", id: "t-1", record: true, turn: true, speaker: "唐鳳", text: "大家好", redirSlug: "rec", redirID: "t-1", redirOK: true},
		{slug: "other", id: "a", record: true, turn: true, speaker: "問", text: "請問", redirSlug: "other", redirID: "a", redirOK: true},
		{slug: "rec", id: "t-2", record: true, redirSlug: "rec", redirID: "t-3", redirOK: true},
		{slug: "rec", id: "nope", record: true},
		{slug: "rec", id: "", record: true},
		{slug: "old-rec", id: "", redirSlug: "rec", redirOK: true},
		{slug: "old-rec", id: "t-1", redirSlug: "rec", redirID: "t-1", redirOK: true},
		{slug: "old-rec", id: "t-2", redirSlug: "rec", redirID: "t-3", redirOK: true},
		{slug: "missing", id: "t-1"},
		{slug: "missing", id: ""},
	} {
		name := tc.slug + "#" + tc.id
		if got := r.HasRecord(tc.slug); got != tc.record {
			t.Errorf("%s: HasRecord = %v, want %v", name, got, tc.record)
		}
		if got := r.Record(tc.slug) != nil; got != tc.record {
			t.Errorf("%s: Record found = %v, want %v", name, got, tc.record)
		}
		if got := r.HasTurn(tc.slug, tc.id); got != tc.turn {
			t.Errorf("%s: HasTurn = %v, want %v", name, got, tc.turn)
		}
		sp, text, ok := r.TurnText(tc.slug, tc.id)
		if ok != tc.turn || sp != tc.speaker || text != tc.text {
			t.Errorf("%s: TurnText = %q, %q, %v; want %q, %q, %v", name, sp, text, ok, tc.speaker, tc.text, tc.turn)
		}
		s, id, ok := Redirect(r, tc.slug, tc.id)
		if s != tc.redirSlug || id != tc.redirID || ok != tc.redirOK {
			t.Errorf("%s: Redirect = %q, %q, %v; want %q, %q, %v", name, s, id, ok, tc.redirSlug, tc.redirID, tc.redirOK)
		}
	}
}

// TestNoRetired: without the ledger's retired ids, an edited turn's old id
// resolves nowhere, and a nil Redirector redirects nothing.
func TestNoRetired(t *testing.T) {
	r := NewResolver(archive(), nil)
	if s, id, ok := r.Redirect("rec", "t-2"); ok {
		t.Errorf("Redirect(rec, t-2) = %q, %q, true without retired ids", s, id)
	}
	if _, _, ok := Redirect(nil, "old-rec", ""); ok {
		t.Error("Redirect(nil, …) found a redirect")
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("字", 50) + "，" + strings.Repeat("字", 60)
	for _, tc := range []struct {
		name, text string
		n          int
		want       string
	}{
		{"short text whole", "一句\n話", 10, "一句 話"},
		{"exactly n", "一二三", 3, "一二三"},
		{"cut at punctuation", long, 60, strings.Repeat("字", 50) + "…"},
		{"cut at a space, trimmed", strings.Repeat("word ", 10), 22, "word word word word…"},
		{"cut hard", strings.Repeat("字", 30), 12, strings.Repeat("字", 12) + "…"},
	} {
		if got := Excerpt(tc.text, tc.n); got != tc.want {
			t.Errorf("%s: Excerpt = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := Cut("a\nb", 5); got != "a\nb" {
		t.Errorf("Cut changed white space of a short text: %q", got)
	}
}
