package plan

import (
	"strings"
	"testing"
)

func TestSearchDocs(t *testing.T) {
	_, p := loadSeed(t)
	docs := SearchDocs([]*Plan{p})
	if len(docs) != 19+2 {
		t.Fatalf("%d documents, want 19 commitments and 2 milestones", len(docs))
	}
	ids := map[string]bool{}
	for _, d := range docs {
		if ids[d.ID] {
			t.Errorf("duplicate id %s", d.ID)
		}
		ids[d.ID] = true
		if d.Kind != "commitment" || d.Lang != "zh-TW" || d.Source != "commitments/2021-2024.toml" || d.Text == "" || d.Date == "" {
			t.Errorf("document %+v", d)
		}
	}
	c := docs[0]
	if c.ID != "1-1" || c.URL != "/plans/2021-2024/1-1/" || c.Speaker != "國家發展委員會" || c.Title != "1-1 完備政府資料開放與再利用制度" ||
		c.Date != "2020-12-31" || !strings.Contains(c.Text, "推動資料開放與資訊公開") || !strings.Contains(c.Text, "強化資料品質") {
		t.Errorf("commitment document %+v", c)
	}
	m := docs[1]
	if m.ID != "1-1.m1" || m.URL != "/plans/2021-2024/1-1/#milestone-m1" || !strings.HasPrefix(m.Title, "1-1 完備政府資料開放與再利用制度 · 研議高運用價值") ||
		!strings.Contains(m.Text, "公眾諮詢機制") {
		t.Errorf("milestone document %+v", m)
	}
	// A commitment without updates is dated by the start of the plan.
	for _, d := range docs {
		if d.ID == "2-1" && (d.Date != "2021-01-01" || d.Speaker != "") {
			t.Errorf("2-1: %+v", d)
		}
	}
}
