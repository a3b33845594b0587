package camp

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// pageArchive is one record with three turns: a narrative segment and two
// speaker turns, ids assigned.
func pageArchive() *model.Archive {
	return &model.Archive{
		Records: []*model.Record{{
			File: "2019-01-18-camp.md", Slug: "2019-01-18-camp", Title: "共識營逐字稿", Lang: "zh-TW",
			Date: mustDay("2019-01-18"),
			Turns: []model.Turn{
				{ID: "intro", Blocks: []model.Block{{Kind: model.BlockDirection, Text: "（分組討論）"}}},
				{ID: "aaaa", Ordinal: 1, Label: "高慈蔚", Speaker: "gao", Blocks: []model.Block{{Kind: model.BlockParagraph,
					Text: "第一，有部會提到爭議較大的議題，不一定適合拿到協作會議討論。" + strings.Repeat("後面還有很多話，", 20)}}},
				{ID: "bbbb", Ordinal: 2, Label: "唐鳳", Speaker: "tang", Blocks: []model.Block{{Kind: model.BlockParagraph,
					Text: "有一些馬上可行，由PDIS來報告，我們就馬上做。"}}},
			},
		}},
		Speakers: map[string]*model.Speaker{"gao": {Key: "gao", Name: "高慈蔚"}, "tang": {Key: "tang", Name: "唐鳳"}},
	}
}

func mustDay(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

const pageCamp = `title = "共識營"
date = 2019-01-18
transcripts = ["2019-01-18-camp"]

[[themes]]
id = "issues"
name = "議題"

[[themes]]
id = "empty"
name = "沒有成果的主題"

[[themes]]
id = "incentives"
name = "誘因"

[[groups]]
id = "group-1"
name = "第一組"
reporter = "高慈蔚"

[[outcomes]]
id = "contested"
group = "group-1"
theme = "issues"
problem = "爭議較大的議題不一定適合拿到協作會議討論。"
proposals = ["讓部會有最後決定權。"]
owner = "PDIS"
status = "proposed"
cites = ["2019-01-18-camp#aaaa", "2019-01-18-camp#aaaa", "/2019-01-18-camp/#intro"]

[[outcomes]]
id = "report"
theme = "incentives"
problem = "擔任PO的誘因。"
proposals = ["由PDIS代為報告。"]
owner = "PDIS"
response = "馬上做。"
status = "do-now"
cites = [{ turn = "2019-01-18-camp#bbbb", quote = "我們就馬上做" }, "2019-01-18-camp#aaaa"]

  [[outcomes.updates]]
  date = 2019-01-18
  status = "do-now"
  note = "閉幕"
`

func loadPageCamp(t *testing.T) ([]*Camp, *model.Archive) {
	t.Helper()
	a := pageArchive()
	d := &diag.List{}
	c := Parse("camps/2019-01-18-po-camp.toml", []byte(pageCamp), d)
	camps := Validate([]*Camp{c}, NewResolver(a, nil), d)
	if d.String() != "" || len(camps) != 1 {
		t.Fatalf("findings:\n%s", d)
	}
	return camps, a
}

func TestPages(t *testing.T) {
	camps, a := loadPageCamp(t)
	pages := Pages(camps, a)
	byPath := map[string]content.Page{}
	var paths []string
	for _, p := range pages {
		byPath[p.Path] = p
		paths = append(paths, p.Path)
	}
	wantPaths := []string{
		"zh/camps/2019-01-18-po-camp.md",
		"zh/camps/2019-01-18-po-camp/contested.md",
		"zh/camps/2019-01-18-po-camp/report.md",
		"zh/camps/_index.md",
		"en/camps/_index.md",
	}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Fatalf("paths %q\nwant  %q", paths, wantPaths)
	}

	idx := byPath["en/camps/_index.md"].Front.(CampsFront)
	if idx.URL != "/en/camps/" || idx.Type != "camps" || len(idx.Camps) != 1 ||
		!reflect.DeepEqual(idx.Camps[0].Statuses, []StatusCount{{"proposed", 1}, {"do-now", 1}}) {
		t.Errorf("index %+v", idx)
	}

	cf := byPath["zh/camps/2019-01-18-po-camp.md"].Front.(CampFront)
	if cf.URL != "/camps/2019-01-18-po-camp/" || cf.Type != "camp" || cf.Outcomes != 2 || len(cf.Statuses) != len(Statuses) {
		t.Errorf("camp %+v", cf)
	}
	if len(cf.Transcripts) != 1 || cf.Transcripts[0].URL != "/2019-01-18-camp/" || cf.Transcripts[0].Title != "共識營逐字稿" {
		t.Errorf("transcripts %+v", cf.Transcripts)
	}
	if len(cf.Groups) != 1 || cf.Groups[0].Outcomes != 1 || cf.Groups[0].Reporter != "高慈蔚" {
		t.Errorf("groups %+v", cf.Groups)
	}
	// Themes keep the declared order; one without outcomes is left out.
	var themes []string
	for _, th := range cf.Themes {
		themes = append(themes, th.ID)
	}
	if !reflect.DeepEqual(themes, []string{"issues", "incentives"}) {
		t.Errorf("themes %q", themes)
	}
	row := cf.Themes[0].Outcomes[0]
	if row.URL != "/camps/2019-01-18-po-camp/contested/" || row.Group != "第一組" || row.Cites != 3 ||
		row.Quote.URL != "/2019-01-18-camp/#aaaa" || row.Quote.N != 1 || row.Quote.Quoted ||
		row.Quote.Speaker != "高慈蔚" || !strings.HasSuffix(row.Quote.Excerpt, "…") || len([]rune(row.Quote.Excerpt)) > excerptLen+1 {
		t.Errorf("row %+v", row)
	}
	if r := cf.Themes[1].Outcomes[0]; r.Updated != "2019-01-18" || r.Quote.Excerpt != "我們就馬上做" || !r.Quote.Quoted {
		t.Errorf("row %+v", r)
	}

	of := byPath["zh/camps/2019-01-18-po-camp/report.md"].Front.(OutcomeFront)
	if of.URL != "/camps/2019-01-18-po-camp/report/" || of.Type != "outcome" || of.Theme != "誘因" || of.ThemeID != "incentives" ||
		of.Camp.URL != "/camps/2019-01-18-po-camp/" || of.Status != "do-now" || of.Response != "馬上做。" ||
		!reflect.DeepEqual(of.Updates, []UpdateFront{{Date: "2019-01-18", Status: "do-now", Note: "閉幕"}}) {
		t.Errorf("outcome %+v", of)
	}
	wantCites := []CiteFront{
		{Excerpt: "我們就馬上做", Quoted: true, Speaker: "唐鳳", URL: "/2019-01-18-camp/#bbbb", Record: "共識營逐字稿", Date: "2019-01-18", N: 2},
		{Excerpt: row.Quote.Excerpt, Speaker: "高慈蔚", URL: "/2019-01-18-camp/#aaaa", Record: "共識營逐字稿", Date: "2019-01-18", N: 1},
	}
	if !reflect.DeepEqual(of.Cites, wantCites) {
		t.Errorf("cites %+v\nwant  %+v", of.Cites, wantCites)
	}
	narrative := byPath["zh/camps/2019-01-18-po-camp/contested.md"].Front.(OutcomeFront).Cites[2]
	if narrative.N != 0 || narrative.Speaker != "" || narrative.Excerpt != "" {
		// A narrative segment has no speaker and only a stage direction,
		// which is not speech: nothing to quote.
		t.Errorf("narrative cite %+v", narrative)
	}

	// The pages are valid Hugo content: TOML front matter that decodes.
	root := t.TempDir()
	if err := content.WriteAll(root, pages); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, "zh/camps/2019-01-18-po-camp/report.md"))
	if err != nil {
		t.Fatal(err)
	}
	front := strings.TrimPrefix(string(src), "+++\n")
	front = front[:strings.Index(front, "+++\n")]
	var back map[string]any
	if _, err := toml.Decode(front, &back); err != nil || back["url"] != "/camps/2019-01-18-po-camp/report/" || back["type"] != "outcome" {
		t.Errorf("front matter %v: %v", back, err)
	}
}

func TestCitedBy(t *testing.T) {
	camps, _ := loadPageCamp(t)
	got := CitedBy(camps)
	contested := content.CiteLink{Title: "爭議較大的議題不一定適合拿到協作會議討論。", URL: "/camps/2019-01-18-po-camp/contested/", Kind: "outcome"}
	report := content.CiteLink{Title: "擔任PO的誘因。", URL: "/camps/2019-01-18-po-camp/report/", Kind: "outcome"}
	want := map[string]map[string][]content.CiteLink{
		"2019-01-18-camp": {
			"aaaa":  {contested, report}, // cited twice by "contested": listed once
			"intro": {contested},
			"bbbb":  {report},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}
