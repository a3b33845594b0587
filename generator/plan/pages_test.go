package plan

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/model"
)

// archiveFinder stands in for the search index: the speaker turns of the
// archive that share a two-character word with the opening of the query,
// in archive order.
type archiveFinder struct{ a *model.Archive }

func (f archiveFinder) Related(query string, n int) []kind.Passage {
	q := []rune(query)[:6]
	match := func(text string) bool {
		for i := 0; i+1 < len(q); i++ {
			if strings.Contains(text, string(q[i:i+2])) {
				return true
			}
		}
		return false
	}
	var out []kind.Passage
	for _, r := range f.a.Records {
		for _, t := range r.Turns {
			if t.Ordinal > 0 && match(t.SpeechText()) && len(out) < n {
				out = append(out, kind.Passage{URL: r.URL() + "#" + t.ID, Record: r.Title, Date: r.DateString(), Lang: r.Lang, Speaker: t.Label, Text: t.SpeechText()})
			}
		}
	}
	return out
}

func pagesByPath(pages []content.Page) map[string]content.Page {
	m := map[string]content.Page{}
	for _, p := range pages {
		m[p.Path] = p
	}
	return m
}

// TestPages: the shipped plan gives, in each interface language, an index
// of plans, the plan, 19 commitments, the resolutions tracker, and an index
// and a page of each of the 6 agencies it names.
func TestPages(t *testing.T) {
	a, p := loadSeed(t)
	pages := Pages([]*Plan{p}, archiveFinder{a})
	if len(pages) != 2*(1+1+19+1+1+6) {
		t.Errorf("%d pages, want %d", len(pages), 2*(1+1+19+1+1+6))
	}
	by := pagesByPath(pages)
	for _, dir := range []string{"zh", "en"} {
		prefix := map[string]string{"zh": "", "en": "/en"}[dir]
		idx := by[dir+"/plans/_index.md"].Front.(indexFront)
		if len(idx.Plans) != 1 || idx.Plans[0].URL != prefix+"/plans/2021-2024/" || idx.URL != prefix+"/plans/" || idx.Plans[0].Open != 6 {
			t.Errorf("%s index: %+v", dir, idx)
		}
		pf := by[dir+"/plans/2021-2024.md"].Front.(planFront)
		if pf.Type != "plan" || pf.URL != prefix+"/plans/2021-2024/" || len(pf.Areas) != 5 || pf.From != "2021-01" || pf.ResolutionsURL != prefix+"/plans/2021-2024/resolutions/" {
			t.Errorf("%s plan page: %+v", dir, pf)
		}
		if n := len(pf.Areas[0].Commitments); n != 5 || pf.Areas[0].Commitments[0].Lead[0].URL != prefix+"/agencies/國家發展委員會/" {
			t.Errorf("%s area 1: %+v", dir, pf.Areas[0])
		}
		if got := pf.Areas[0].Cites[0]; got.Speaker != "國發會" || got.Record != "「行政院開放政府國家行動方案推動小組」第2次會議" || got.Date != "2020-12-31" || got.RecordURL != "/"+seedSlug+"/" {
			t.Errorf("%s area citation: %+v", dir, got)
		}
		for _, c := range p.Commitments {
			path := dir + "/plans/2021-2024/" + c.ID + ".md"
			if _, ok := by[path].Front.(commitmentFront); !ok {
				t.Errorf("no page %s", path)
			}
		}
		ag := by[dir+"/agencies/_index.md"].Front.(agenciesFront)
		if len(ag.Agencies) != 6 {
			t.Errorf("%s: %d agencies, want 6: %+v", dir, len(ag.Agencies), ag.Agencies)
		}
		ndc := by[dir+"/agencies/國家發展委員會.md"].Front.(agencyFront)
		if len(ndc.Lead) != 2 || ndc.Lead[0].ID != "1-1" || ndc.Lead[1].ID != "2-2" || len(ndc.Resolutions) != 4 || ndc.Resolutions[0].URL != prefix+"/plans/2021-2024/resolutions/#r-m1-5" {
			t.Errorf("%s 國家發展委員會: %+v", dir, ndc)
		}
	}

	// The chart and its text alternative, in the interface language.
	zh := by["zh/plans/2021-2024.md"].Front.(planFront)
	en := by["en/plans/2021-2024.md"].Front.(planFront)
	if want := "19 項承諾事項：規劃中 2 項、尚無里程碑 17 項。里程碑 2 項：規劃中 2 項。"; zh.Chart.Summary != want {
		t.Errorf("zh summary %q, want %q", zh.Chart.Summary, want)
	}
	if want := "19 commitments: Planned 2, No milestones 17. 2 milestones: Planned 2. "; en.Chart.Summary != want {
		t.Errorf("en summary %q, want %q", en.Chart.Summary, want)
	}
	if !strings.Contains(zh.Chart.SVG, `<title id="chart-2021-2024-t">各範疇承諾事項進度</title>`) || !strings.Contains(en.Chart.SVG, "Progress of the commitments by area") {
		t.Error("the charts are not titled in their interface language")
	}

	// A commitment: all its fields, the timeline, citations both ways,
	// related turns that are not already cited, neighbours.
	c := by["zh/plans/2021-2024/1-1.md"].Front.(commitmentFront)
	if c.ID != "1-1" || c.Title != "完備政府資料開放與再利用制度" || c.Area.URL != "/plans/2021-2024/#area-1" || c.Lead[0].Name != "國家發展委員會" ||
		!strings.Contains(c.Content, "強化資料品質") || c.Status != "planned" || c.StatusLabel != "規劃中" || c.Mark != "○" {
		t.Errorf("commitment 1-1: %+v", c)
	}
	if len(c.Milestones) != 1 || c.Milestones[0].Due != "2022-12" || c.Milestones[0].DueISO != "2022-12-31" || c.Milestones[0].Anchor != "milestone-m1" || len(c.Milestones[0].Cites) != 2 {
		t.Errorf("milestones: %+v", c.Milestones)
	}
	if !strings.Contains(c.Chart.SVG, `<circle class="st st-planned"`) || !strings.Contains(c.Chart.Summary, "里程碑 1 項") {
		t.Errorf("timeline: %s", c.Chart.Summary)
	}
	if len(c.Cites) != 4 || c.Cites[0].Speaker != "邱星崴" || !strings.HasPrefix(c.Cites[0].URL, "/"+seedSlug+"/#") {
		t.Errorf("cites: %+v", c.Cites)
	}
	if len(c.Related) != RelatedCount {
		t.Errorf("%d related turns, want %d", len(c.Related), RelatedCount)
	}
	cited := map[string]bool{}
	for _, ct := range c.Cites {
		cited[ct.URL] = true
	}
	for _, r := range c.Related {
		if cited[r.URL] {
			t.Errorf("related turn %s is already cited", r.URL)
		}
	}
	if c.Prev != nil || c.Next == nil || c.Next.URL != "/plans/2021-2024/1-2/" {
		t.Errorf("neighbours: %v %v", c.Prev, c.Next)
	}
	if u := by["zh/plans/2021-2024/2-1.md"].Front.(commitmentFront); u.Chart.SVG != "" || len(u.Lead) != 0 || u.Status != "unreported" {
		t.Errorf("2-1 (no milestones, no lead): %+v", u)
	}
	if n := Pages([]*Plan{p}, nil); len(n) != len(pages) || len(pagesByPath(n)["zh/plans/2021-2024/1-1.md"].Front.(commitmentFront).Related) != 0 {
		t.Error("without a finder there must be no related turns")
	}

	// The resolutions tracker: where each was made, owner, history, where
	// closed.
	rf := by["zh/plans/2021-2024/resolutions.md"].Front.(resolutionsFront)
	if len(rf.Items) != 13 || rf.Open != 6 || rf.Counts[0].Label != "持續列管" || rf.Counts[0].N != 6 || rf.Counts[1].Label != "解除列管" || rf.Counts[1].N != 7 {
		t.Fatalf("tracker: %d items, %d open, %+v", len(rf.Items), rf.Open, rf.Counts)
	}
	m11 := rf.Items[0]
	if m11.Made.Meeting != "行政院開放政府國家行動方案推動小組第1次會議" || m11.Made.MeetingURL != "" || m11.Status != "closed" ||
		m11.Closed.Meeting != "「行政院開放政府國家行動方案推動小組」第2次會議" || m11.Closed.MeetingURL != "/"+seedSlug+"/" || m11.Closed.Date != "2020-12-31" ||
		len(m11.History) != 2 || m11.History[0].StatusLabel != "建議解除列管" || m11.History[1].Speaker != "唐鳳" {
		t.Errorf("m1-1: %+v", m11)
	}
	m26 := rf.Items[12]
	if m26.ID != "m2-6" || m26.Made.TurnURL == "" || m26.Made.Date != "2020-12-31" || m26.Closed.Status != "" || len(m26.Owners) != 2 || m26.StatusLabel != "持續列管" {
		t.Errorf("m2-6: %+v", m26)
	}
}

// TestCitedByBothWays: every turn a plan cites links back to what cites
// it, and every link back lands on a generated page and, for an anchor, on
// an element that page has.
func TestCitedByBothWays(t *testing.T) {
	a, p := loadSeed(t)
	cb := CitedBy([]*Plan{p})
	by := pagesByPath(Pages([]*Plan{p}, nil))

	has := func(slug, turn, url string) bool {
		for _, l := range cb[slug][turn] {
			if l.URL == url && l.Kind == "commitment" {
				return true
			}
		}
		return false
	}
	for _, c := range p.Commitments {
		for _, ct := range c.Cites {
			if !has(ct.Slug, ct.Turn, c.URL(p)) {
				t.Errorf("turn %s does not link back to commitment %s", ct.Ref(), c.ID)
			}
		}
		for _, m := range c.Milestones {
			for _, ct := range m.Cites {
				if !has(ct.Slug, ct.Turn, c.URL(p)+"#"+m.Anchor()) {
					t.Errorf("turn %s does not link back to milestone %s of %s", ct.Ref(), m.ID, c.ID)
				}
			}
		}
	}

	// Anchors each page has, from its front matter.
	targets := map[string]bool{}
	for _, pg := range by {
		switch f := pg.Front.(type) {
		case planFront:
			targets[f.URL] = true
			for _, ar := range f.Areas {
				targets[f.URL+"#"+ar.Anchor] = true
			}
		case commitmentFront:
			targets[f.URL] = true
			for _, m := range f.Milestones {
				targets[f.URL+"#"+m.Anchor] = true
			}
		case resolutionsFront:
			for _, r := range f.Items {
				targets[f.URL+"#"+r.Anchor] = true
			}
		}
	}
	n := 0
	for slug, turns := range cb {
		if slug != seedSlug {
			t.Errorf("links for %s, which the plan does not cite", slug)
		}
		for turn, links := range turns {
			for _, l := range links {
				n++
				if !targets[l.URL] {
					t.Errorf("turn %s links to %s, which no page has", turn, l.URL)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no links back")
	}

	turnOf := func(prefix string) string {
		rec := NewArchiveResolver(a).Record(seedSlug)
		for _, tr := range rec.Turns {
			if strings.HasPrefix(tr.Text(), prefix) {
				return tr.ID
			}
		}
		t.Fatalf("no turn starts with %q", prefix)
		return ""
	}
	// The presentation of the plan is cited by the plan and all five areas.
	pres := cb[seedSlug][turnOf("接下來是我們今天份量最重的報告案")]
	if len(pres) != 6 || pres[0].Title != p.Title || pres[1].Title != "範疇 1 推動資料開放與資訊公開" {
		t.Errorf("the presentation links to %+v", pres)
	}
	// The report on the first meeting's seven conclusions: one link for
	// all seven, after the commitment that cites it.
	report := cb[seedSlug][turnOf("首先就第一次會議結論的辦理情形")]
	if len(report) != 2 || report[0].Title != "1-5 環境議題的資訊揭露" || report[1].Title != "決議 m1-1 至 m1-7，共 7 項" || report[1].URL != "/plans/2021-2024/resolutions/#r-m1-1" {
		t.Errorf("the report links to %+v", report)
	}
	// The chair's confirmation of 1-4's KPI wording: the milestone and the
	// resolution, each once.
	kpi := cb[seedSlug][turnOf("文字就把它確認")]
	if len(kpi) != 2 || !strings.HasSuffix(kpi[0].URL, "/1-4/#milestone-kpi-2") || !strings.HasPrefix(kpi[1].Title, "決議 m2-1：") {
		t.Errorf("the KPI decision links to %+v", kpi)
	}
}

// chartPlan has commitments in every status, and a milestone without a
// due date.
func chartPlan() *Plan {
	return &Plan{ID: "t", Title: "t", From: Date{2021, 1, 0}, To: Date{2024, 5, 0}, Lang: "zh-TW",
		Areas: []*Area{{ID: "1", Name: "甲"}, {ID: "2", Name: "乙"}},
		Commitments: []*Commitment{
			{ID: "1-1", Area: "1", Title: "完成", Milestones: []*Milestone{{ID: "m1", Title: "a", Status: Done, Due: Date{2021, 6, 0}}, {ID: "m2", Title: "b", Status: Done, Due: Date{2023, 0, 0}, Updated: Date{2023, 3, 1}}}},
			{ID: "1-2", Area: "1", Title: "落後", Milestones: []*Milestone{{ID: "m1", Title: "c <&>", Status: Delayed}}},
			{ID: "2-1", Area: "2", Title: "無"},
		}}
}

// TestPlanChart: the SVG is well-formed, an image named and described,
// one box per commitment with its status's class and mark, a milestone bar,
// and a description that says what each box shows.
func TestPlanChart(t *testing.T) {
	ch := PlanChart(chartPlan(), "zh-TW")
	if want := "3 項承諾事項：已完成 1 項、落後 1 項、尚無里程碑 1 項。里程碑 3 項：已完成 2 項、落後 1 項。"; ch.Summary != want {
		t.Errorf("summary %q\nwant    %q", ch.Summary, want)
	}
	svg := parseSVG(t, ch.SVG)
	if svg.Role != "img" || svg.Labelled != "chart-t-t chart-t-d" || svg.Title.ID != "chart-t-t" || svg.Desc.ID != "chart-t-d" || svg.Title.Text != "各範疇承諾事項進度" {
		t.Errorf("accessible name: %+v", svg)
	}
	if want := ch.Summary + "範疇 1 甲（2 項）：1-1 已完成、1-2 落後。範疇 2 乙（1 項）：2-1 尚無里程碑。"; svg.Desc.Text != want {
		t.Errorf("desc %q\nwant %q", svg.Desc.Text, want)
	}
	var boxes []string
	for _, r := range svg.Rects {
		boxes = append(boxes, r.Class)
	}
	if got := strings.Join(boxes, " | "); got != "st st-done | st st-delayed | st st-unreported | st st-done | st st-delayed" {
		t.Errorf("boxes and bar: %s", got)
	}
	if !strings.Contains(ch.SVG, ">1-1 ✓</text>") || !strings.Contains(ch.SVG, ">1-2 !</text>") || !strings.Contains(ch.SVG, ">2-1 –</text>") {
		t.Error("boxes lack their id and mark")
	}
	// The bar is as wide as the chart and split 2:1.
	if w0, w1 := svg.Rects[3].Width, svg.Rects[4].Width; w0+w1 < chartW-1 || w0+w1 > chartW+1 || w0 < 2*w1-1 || w0 > 2*w1+1 {
		t.Errorf("bar widths %v and %v", w0, w1)
	}
	if en := PlanChart(chartPlan(), "en"); en.Summary != "3 commitments: Done 1, Delayed 1, No milestones 1. 3 milestones: Done 2, Delayed 1. " {
		t.Errorf("en summary %q", en.Summary)
	}
}

// TestTimelineChart: one mark per milestone, placed in time order, the
// undated one at the right, text escaped, and a description with every
// milestone.
func TestTimelineChart(t *testing.T) {
	p := chartPlan()
	ch := TimelineChart(p, p.Commitments[0], "zh-TW")
	svg := parseSVG(t, ch.SVG)
	if len(svg.Circles) != 2 || svg.Circles[0].CX >= svg.Circles[1].CX {
		t.Errorf("marks: %+v", svg.Circles)
	}
	if want := "里程碑時程：里程碑 2 項、已完成 2 項。方案期程 2021-01 至 2024-05。m1「a」預計 2021-06 完成、已完成。m2「b」預計 2023 完成、已完成。資料更新至 2023-03-01。"; svg.Desc.Text != want {
		t.Errorf("desc %q\nwant %q", svg.Desc.Text, want)
	}
	undated := parseSVG(t, TimelineChart(p, p.Commitments[1], "en").SVG)
	if len(undated.Circles) != 1 || undated.Circles[0].CX < chartW-56 || !strings.Contains(undated.Desc.Text, `m1 “c <&>” no due date, Delayed`) {
		t.Errorf("undated: %+v", undated)
	}
	if ch := TimelineChart(p, p.Commitments[2], "zh-TW"); ch != (Chart{}) {
		t.Errorf("a commitment without milestones has a chart: %+v", ch)
	}
}

type svgDoc struct {
	Role     string `xml:"role,attr"`
	Labelled string `xml:"aria-labelledby,attr"`
	Title    struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"title"`
	Desc struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"desc"`
	Rects []struct {
		Class string  `xml:"class,attr"`
		Width float64 `xml:"width,attr"`
	} `xml:"rect"`
	Circles []struct {
		CX float64 `xml:"cx,attr"`
	} `xml:"circle"`
}

var periodRect = regexp.MustCompile(`<rect class="chart-period"[^>]*/>`)

// parseSVG parses the chart as XML, which fails on anything unescaped;
// the period band is left out so that Rects are status shapes only.
func parseSVG(t *testing.T, s string) svgDoc {
	t.Helper()
	var d svgDoc
	if err := xml.Unmarshal([]byte(periodRect.ReplaceAllString(s, "")), &d); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, s)
	}
	return d
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{number("en", "milestones", 1), "1 milestone"},
		{number("en", "milestones", 2), "2 milestones"},
		{number("zh-TW", "milestones", 1), "里程碑 1 項"},
		{number("en", "commitments", 0), "0 commitments"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}
