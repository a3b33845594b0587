package plan

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/internal/testarchive"
)

const (
	recordsDir = "../../records"
	seedSlug   = "2020-12-31-行政院開放政府國家行動方案推動小組第2次會議"
)

func loadSeed(t *testing.T) (*model.Archive, *Plan) {
	t.Helper()
	a, _ := testarchive.Load(t, recordsDir, filepath.Join(recordsDir, ".turn-ids"))
	d := &diag.List{}
	plans := Validate(Load(recordsDir, d), NewArchiveResolver(a), d)
	if d.String() != "" {
		t.Fatalf("the shipped plans have findings:\n%s", d)
	}
	if len(plans) != 1 {
		t.Fatalf("%d plans, want 1", len(plans))
	}
	return a, plans[0]
}

// TestSeedPlan: records/ ships the 2021–2024 plan as the second meeting of
// the steering group presented it: 5 areas and 19 commitments in the
// meeting's own words, loading and resolving with no finding at all.
func TestSeedPlan(t *testing.T) {
	a, p := loadSeed(t)
	rec := NewArchiveResolver(a).Record(seedSlug)
	if rec == nil {
		t.Fatal("seed record missing")
	}
	var presentation *model.Turn
	said := ""
	for i := range rec.Turns {
		said += rec.Turns[i].Text() + "\n"
		if rec.Turns[i].Label == "國發會報告" && strings.Contains(rec.Turns[i].Text(), "五大範疇跟十九項承諾事項") {
			presentation = &rec.Turns[i]
		}
	}
	if presentation == nil {
		t.Fatal("the presentation of the areas is not in the seed")
	}

	if p.From.String() != "2021-01" || p.To.String() != "2024-05" {
		t.Errorf("period %s–%s, want 2021-01–2024-05 as the meeting confirmed", p.From, p.To)
	}
	wantAreas := map[string]int{"1": 5, "2": 5, "3": 4, "4": 3, "5": 2}
	if len(p.Areas) != 5 || len(p.Commitments) != 19 {
		t.Fatalf("%d areas, %d commitments; want 5 and 19", len(p.Areas), len(p.Commitments))
	}
	for _, ar := range p.Areas {
		if n := len(p.InArea(ar.ID)); n != wantAreas[ar.ID] {
			t.Errorf("area %s has %d commitments, want %d", ar.ID, n, wantAreas[ar.ID])
		}
		if !strings.Contains(presentation.Text(), ar.Name) {
			t.Errorf("area name %q is not how 國發會 named it", ar.Name)
		}
		if len(ar.Cites) == 0 || ar.Cites[0].Turn != presentation.ID {
			t.Errorf("area %s does not cite the turn that presented it (#%s)", ar.ID, presentation.ID)
		}
	}
	for i, c := range p.Commitments {
		if want := c.Area + "-"; !strings.HasPrefix(c.ID, want) {
			t.Errorf("commitment %s is in area %s", c.ID, c.Area)
		}
		// The title is the meeting's words: the presentation's, or those of
		// a turn the commitment cites.
		words := presentation.Text()
		for _, ct := range c.Cites {
			words += ct.Text
		}
		if !strings.Contains(words, c.Title) {
			t.Errorf("commitment %s title %q is not in the presentation or a cited turn", c.ID, c.Title)
		}
		if i > 0 && c.Area < p.Commitments[i-1].Area {
			t.Errorf("commitment %s is out of order", c.ID)
		}
	}
	// Where the meeting ties a commitment to an agency.
	for id, lead := range map[string]string{"1-1": "國家發展委員會", "1-2": "科技部", "2-2": "國家發展委員會", "2-5": "教育部", "4-2": "法務部", "5-2": "內政部"} {
		if c := p.Commitment(id); c == nil || len(c.Lead) != 1 || c.Lead[0] != lead {
			t.Errorf("commitment %s lead = %v, want %s", id, c.Lead, lead)
		}
	}

	// The first meeting's seven conclusions, proposed for closing and
	// closed at this meeting; and this meeting's decisions, still open.
	first, second := 0, 0
	for _, r := range p.Resolutions {
		switch {
		case strings.HasPrefix(r.ID, "m1-"):
			first++
			cl := r.Closed()
			if cl == nil || cl.Date.String() != "2020-12-31" || !strings.Contains(cl.Cite.Text, "全部解列") {
				t.Errorf("resolution %s is not closed by the chair's 「全部解列」", r.ID)
			}
			if r.History[0].Status != ProposedClose || !strings.Contains(r.History[0].Cite.Text, "建議解除列管") {
				t.Errorf("resolution %s was not first proposed for closing (建議解除列管)", r.ID)
			}
		case strings.HasPrefix(r.ID, "m2-"):
			second++
			if r.Status() != Tracking || r.Cite.IsZero() || r.Date.String() != "2020-12-31" {
				t.Errorf("resolution %s: status %s, cite %q, date %s", r.ID, r.Status(), r.Cite.Ref(), r.Date)
			}
		}
	}
	if first != 7 || second == 0 {
		t.Errorf("%d resolutions of the first meeting (want 7), %d of the second", first, second)
	}
	if !strings.Contains(said, "第一次會議結論有七項") {
		t.Error("the seed does not report seven conclusions")
	}
}
