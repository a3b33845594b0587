package pipeline

import (
	"reflect"
	"testing"

	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/model"
)

// TestSpool: every source's documents come back from the spool as they
// went in, fields shared with the document before or not, in any order of
// reading; a damaged spool is an error, not documents.
func TestSpool(t *testing.T) {
	rec := model.SearchDoc{Source: "2020-01-01-會議.md", Date: "2020-01-01", Title: "會議", Kind: "transcript", Lang: "zh-TW"}
	turn := func(id string, n int, speaker, text string) model.SearchDoc {
		d := rec
		d.ID, d.URL, d.Turn, d.Speaker, d.Text = id, "/2020-01-01-會議/#"+id, n, speaker, text
		return d
	}
	twin := turn("t3", 3, "唐鳳", "same speaker, a twin")
	twin.TwinURL, twin.TwinLang = "/2020-01-01-meeting/#t3", "en"
	cases := []struct {
		name string
		docs []model.SearchDoc
	}{
		{"none", nil},
		{"one", []model.SearchDoc{turn("t1", 1, "唐鳳", "一段話")}},
		{"shared fields", []model.SearchDoc{turn("t1", 1, "唐鳳", "一段話"), turn("t2", 2, "", ""), twin, turn("n1", 0, "唐鳳", "一段話")}},
		{"empty", []model.SearchDoc{{}, {Text: "x"}, {}}},
		{"other source", []model.SearchDoc{turn("t1", 1, "A", "a"), {ID: "c1", Source: "commitments/x.toml", Title: "承諾", Text: "內容", Turn: -1}}},
	}
	var srcs []kind.Source
	for _, c := range cases {
		srcs = append(srcs, kind.Source{Name: c.name, Inputs: "in:" + c.name, Docs: func() []model.SearchDoc { return c.docs }})
	}
	s, back, err := spoolSources(t.TempDir(), srcs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.remove()
	for i := len(cases) - 1; i >= 0; i-- {
		c := cases[i]
		if back[i].Name != c.name || back[i].Inputs != "in:"+c.name {
			t.Errorf("%s: source %q, inputs %q", c.name, back[i].Name, back[i].Inputs)
		}
		got := back[i].Docs()
		if len(got) != len(c.docs) || len(got) > 0 && !reflect.DeepEqual(got, c.docs) {
			t.Errorf("%s: got back\n%+v\nwant\n%+v", c.name, got, c.docs)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	whole := encodeDocs(nil, cases[2].docs)
	for cut := range len(whole) {
		if _, err := decodeDocs(whole[:cut]); err == nil {
			t.Errorf("%d of %d bytes decoded", cut, len(whole))
		}
	}
	if _, err := decodeDocs(append(whole, 0)); err == nil {
		t.Error("trailing bytes decoded")
	}
	s.f.Truncate(0)
	if d := back[2].Docs(); d != nil || s.Err() == nil {
		t.Errorf("a truncated spool gave %d documents and error %v", len(d), s.Err())
	}
}
