package plan

import (
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/internal/testdiag"
)

// fakeResolver is a small archive: two records with a few turns, a renamed
// record and two retired turn ids, one of which still lands somewhere.
type fakeResolver struct{}

var fakeTurns = map[string]map[string][2]string{
	"rec-a": {"t1": {"唐鳳", "開放資料的討論"}, "t2": {"國發會報告", "五大範疇"}},
	"rec-b": {"t1": {"外交部報告", "參與OGP的規劃"}, "t3": {"耿璐", "對內宣傳"}},
}

func (fakeResolver) HasRecord(slug string) bool { return fakeTurns[slug] != nil }
func (fakeResolver) HasTurn(slug, id string) bool {
	_, ok := fakeTurns[slug][id]
	return ok
}
func (fakeResolver) TurnText(slug, id string) (string, string, bool) {
	t, ok := fakeTurns[slug][id]
	return t[0], t[1], ok
}
func (fakeResolver) Redirect(slug, id string) (string, string, bool) {
	if slug == "old-a" {
		return "rec-a", "", true
	}
	if slug == "rec-b" && id == "gone" {
		return "rec-b", "t3", true
	}
	return "", "", false
}

// TestValidateCites: every citation of a plan, wherever it is, resolves
// or is a finding on its line; redirected ones are warnings and are
// rewritten.
func TestValidateCites(t *testing.T) {
	d := &diag.List{}
	plans := Load("testdata/cites", d)
	if len(plans) != 1 || d.String() != "" {
		t.Fatalf("fixture: %d plans, %s", len(plans), d)
	}
	if kept := Validate(plans, fakeResolver{}, d); len(kept) != 0 {
		t.Errorf("a plan with unresolved citations was kept")
	}
	testdiag.CheckWant(t, "testdata/cites", Dir, d)

	p := plans[0]
	c := p.Commitments[0]
	if got := c.Cites[1]; got.Ref() != "rec-a#t1" || got.Speaker != "唐鳳" || got.Text != "開放資料的討論" {
		t.Errorf("renamed record's citation = %+v, want rewritten to rec-a#t1 with speaker and text", got)
	}
	if got := c.Milestones[0].Cites[0]; got.Ref() != "rec-b#t3" || got.Speaker != "耿璐" {
		t.Errorf("retired turn's citation = %+v, want rewritten to rec-b#t3", got)
	}
	if got := p.Resolutions[0].Cite; got.Speaker != "外交部報告" {
		t.Errorf("resolution's citation = %+v, want speaker filled in", got)
	}
}

// TestValidateKeeps: a plan whose citations all resolve is kept, and
// without a Redirector a renamed record is an error.
func TestValidateKeeps(t *testing.T) {
	src := `title = "t"
from = "2021"
to = "2024"
cites = ["rec-a#t1", "old-a#t2"]
[[areas]]
id = "1"
name = "n"
[[commitments]]
id = "1-1"
area = "1"
title = "c"
`
	d := &diag.List{}
	p := Parse("commitments/ok.toml", []byte(src), d)
	if kept := Validate([]*Plan{p}, fakeResolver{}, d); len(kept) != 1 {
		t.Fatalf("plan not kept: %s", d)
	}
	if want := "commitments/ok.toml:4: warning: citation old-a#t2: the record was renamed to \"rec-a\": update the citation\n"; d.String() != want {
		t.Errorf("findings:\n%s\nwant:\n%s", d, want)
	}

	p = Parse("commitments/ok.toml", []byte(src), &diag.List{})
	d = &diag.List{}
	if kept := Validate([]*Plan{p}, struct{ TurnResolver }{fakeResolver{}}, d); len(kept) != 0 {
		t.Errorf("without redirects the renamed record must be an error: %s", d)
	}
}

// textless answers HasTurn but has no text for the turn: a resolver out of
// step with its archive.
type textless struct{ fakeResolver }

func (textless) TurnText(string, string) (string, string, bool) { return "", "", false }

func TestValidateTextMissing(t *testing.T) {
	src := "title = \"t\"\nfrom = \"2021\"\nto = \"2024\"\n[[areas]]\nid = \"1\"\nname = \"n\"\n[[commitments]]\nid = \"1-1\"\narea = \"1\"\ntitle = \"c\"\ncites = [\"rec-a#t1\"]\n"
	d := &diag.List{}
	p := Parse("commitments/t.toml", []byte(src), d)
	if kept := Validate([]*Plan{p}, textless{}, d); len(kept) != 0 || d.String() != "commitments/t.toml:11: error: citation rec-a#t1: the turn's text is not available\n" {
		t.Errorf("%d kept, findings:\n%s", len(kept), d)
	}
}
