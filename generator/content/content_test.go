package content

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/generator/model"
)

func fixture() *model.Archive {
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	zh := &model.Record{File: "2020-12-31-會議.md", Slug: "2020-12-31-會議", Title: "會議", Date: day("2020-12-31"), Lang: "zh-TW", Kind: model.KindTranscript,
		Turns: []model.Turn{
			{Ordinal: 0, ID: "narr0001", Blocks: []model.Block{{Kind: model.BlockDirection, Markup: "<blockquote><p>（開始）</p></blockquote>", Text: "（開始）"}}},
			{Ordinal: 1, ID: "aaaaaaaa", Label: "唐鳳召集人：", Speaker: "唐鳳", Role: "召集人", Blocks: []model.Block{{Kind: model.BlockParagraph, Markup: "<p>大家好，今天討論開放政府國家行動方案。</p>", Text: "大家好，今天討論開放政府國家行動方案。"}}},
			{Ordinal: 2, ID: "bbbbbbbb", Label: "問：", Speaker: "問", Blocks: []model.Block{{Kind: model.BlockParagraph, Markup: "<p>請問？</p>", Text: "請問？"}}},
		}}
	en := &model.Record{File: "2020-11-01-Talk.md", Slug: "2020-11-01-talk", Title: "Talk", Date: day("2020-11-01"), Lang: "en", Kind: model.KindTranscript,
		Turns: []model.Turn{{Ordinal: 1, ID: "cccccccc", Label: "Audrey Tang:", Speaker: "唐鳳", Blocks: []model.Block{{Kind: model.BlockParagraph, Markup: "<p>Hi.</p>", Text: "Hi."}}}}}
	en2 := &model.Record{File: "2019-01-01-Other.md", Slug: "2019-01-01-other", Title: "Other", Date: day("2019-01-01"), Lang: "en", Kind: model.KindTranscript,
		Turns: []model.Turn{{Ordinal: 1, ID: "dddddddd", Label: "Audrey Tang:", Speaker: "唐鳳", Blocks: []model.Block{{Kind: model.BlockParagraph, Markup: "<p>Yes.</p>", Text: "Yes."}}}}}
	notes := &model.Record{File: "notes.md", Slug: "notes", Title: "notes", Lang: "zh-TW", Kind: model.KindNotes}
	return &model.Archive{
		Records: []*model.Record{zh, en, en2, notes},
		Speakers: map[string]*model.Speaker{
			"唐鳳": {Key: "唐鳳", Name: "唐鳳", Aliases: []string{"Audrey Tang"}},
			"問":  {Key: "問", Name: "問", IsRole: true},
		},
	}
}

func TestRecordPage(t *testing.T) {
	a := fixture()
	p := RecordPage(a, a.Records[0], Extras{
		Retired: map[string]string{"oldoldol": "aaaaaaaa"},
		CitedBy: map[string][]CiteLink{"aaaaaaaa": {{Title: "承諾 1-1", URL: "/plans/x/1-1/", Kind: "commitment"}}},
	})
	if p.Path != "zh/records/2020-12-31-會議.md" {
		t.Errorf("path %q", p.Path)
	}
	f := p.Front.(RecordFront)
	if f.URL != "/2020-12-31-會議/" || f.TurnCount != 2 || f.Date != "2020-12-31" || f.Description != "大家好，今天討論開放政府國家行動方案。" {
		t.Errorf("front: %+v", f)
	}
	if len(f.Speakers) != 2 || f.Speakers[0].Name != "唐鳳" || f.Speakers[1].IsRole != true {
		t.Errorf("participants: %+v", f.Speakers)
	}
	t1 := f.Turns[1]
	if t1.ID != "aaaaaaaa" || t1.N != 1 || t1.Key != "唐鳳" || t1.Role != "召集人" || strings.Join(t1.Retired, ",") != "oldoldol" || len(t1.CitedBy) != 1 {
		t.Errorf("turn 1: %+v", t1)
	}
	if f.Turns[2].Key != "" || f.Turns[2].Speaker != "問" {
		t.Errorf("a role gets no speaker page: %+v", f.Turns[2])
	}
	if f.Turns[0].N != 0 || f.Turns[0].Blocks[0].Kind != "direction" {
		t.Errorf("narrative: %+v", f.Turns[0])
	}
	if got := RecordPage(a, a.Records[1], Extras{}).Path; got != "en/records/2020-11-01-talk.md" {
		t.Errorf("English record goes to the English interface: %q", got)
	}
}

func TestSummary(t *testing.T) {
	long := strings.Repeat("開放政府，", 50)
	r := &model.Record{Turns: []model.Turn{{Ordinal: 1, Blocks: []model.Block{{Kind: model.BlockParagraph, Text: long}}}}}
	got := Summary(r, 20)
	if !strings.HasSuffix(got, "…") || len([]rune(got)) > 21 || strings.Contains(got, "，…") {
		t.Errorf("Summary = %q", got)
	}
	if Summary(&model.Record{}, 20) != "" {
		t.Error("empty record has a summary")
	}
}

func TestSpeakerPages(t *testing.T) {
	pages := SpeakerPages(fixture())
	if len(pages) != 1 {
		t.Fatalf("got %d speaker pages, want 1 (roles get none)", len(pages))
	}
	f := pages[0].Front.(SpeakerFront)
	// Two of three meetings are English: the page has the English interface.
	if pages[0].Path != "en/speakers/唐鳳.md" || f.Turns != 3 || f.Meetings != 3 || strings.Join(f.Outputs, ",") != "html,atom" {
		t.Errorf("speaker page %s: %+v", pages[0].Path, f)
	}
	if f.First != "2019-01-01" || f.Last != "2020-12-31" || len(f.Years) != 2 || f.Years[0].Year != "2020" || len(f.Years[0].List) != 2 || f.Years[0].Page != "" {
		t.Errorf("dates and years: %+v", f)
	}
	if got := fmtCounts(f.Activity); got != "2019:1 2020:2" {
		t.Errorf("activity %s", got)
	}
}

func fmtCounts(ys []YearCount) string {
	var out []string
	for _, y := range ys {
		out = append(out, fmt.Sprintf("%s:%d", y.Year, y.N))
	}
	return strings.Join(out, " ")
}

// TestBilingualPair checks that a record and its translation are one
// meeting everywhere meetings are listed or counted.
func TestBilingualPair(t *testing.T) {
	a := fixture()
	zh, en := a.Records[0], a.Records[1]
	zh.Alternate, en.Alternate = en.File, zh.File
	ms := meetings(a)
	if len(ms) != 3 || ms[0].main != zh || ms[0].alt != en {
		t.Fatalf("meetings: %+v", ms)
	}
	s := ArchiveStats(a)
	if s.Records != 4 || s.Meetings != 3 || len(s.Recent) != 3 || s.Recent[0].Alt == nil || s.Recent[0].Alt.URL != en.URL() {
		t.Errorf("stats: %+v", s)
	}
	if got := fmtCounts(s.Years); got != "2019:1 2020:1" {
		t.Errorf("meetings a year: %s", got)
	}
	if len(s.Busiest) != 1 || s.Busiest[0].Name != "唐鳳" || s.Busiest[0].N != 2 {
		t.Errorf("busiest: %+v", s.Busiest)
	}
	f := SpeakerPages(a)[0].Front.(SpeakerFront)
	// 唐鳳 speaks in both versions: counted once, in the Chinese one.
	if f.Meetings != 2 || f.Turns != 2 || f.Years[0].List[0].Lang != "zh-TW" || f.Years[0].List[0].Alt.Lang != "en" {
		t.Errorf("speaker of a pair: %+v", f)
	}
	y := YearPages(a)[2].Front.(YearFront)
	if y.Year != "2020" || y.Count != 1 || y.Months[0].Records[0].Alt == nil {
		t.Errorf("year of a pair: %+v", y)
	}
}

// TestYears checks how a speaker's meetings are split between their page
// and pages of their own years.
func TestYears(t *testing.T) {
	many := func(year string, n int) []MeetingLink {
		out := make([]MeetingLink, n)
		for i := range out {
			out[i] = MeetingLink{Date: year + "-01-01", Turns: 2}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		ms   []MeetingLink
		want string // year:listed/meetings, + when paged
	}{
		{"few", append(many("2020", 3), many("2019", 2)...), "2020:3/3 2019:2/2"},
		{"undated last", append(many("2020", 1), MeetingLink{}), "2020:1/1 undated:1/1"},
		{"older year paged", append(many("2020", pageMeetings-10), many("2019", 20)...), "2020:90/90 2019:0/20+"},
		{"newest year cut", append(many("2020", pageMeetings+5), many("2019", 1)...), "2020:100/105+ 2019:0/1+"},
		{"order kept", append(append(many("2021", 50), many("2020", 60)...), many("2019", 5)...), "2021:50/50 2020:0/60+ 2019:0/5+"},
	} {
		var got []string
		for _, y := range years(tc.ms, "/speakers/x/") {
			s := fmt.Sprintf("%s:%d/%d", y.Year, len(y.List), y.Meetings)
			if y.Page != "" {
				if y.Page != "/speakers/x/"+y.Year+"/" {
					t.Errorf("%s: page %s", tc.name, y.Page)
				}
				s += "+"
			}
			got = append(got, s)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, g, tc.want)
		}
	}
}

func TestPeers(t *testing.T) {
	a := &model.Archive{Speakers: map[string]*model.Speaker{"a": {Name: "甲"}, "b": {Name: "乙"}, "c": {Name: "丙"}}}
	got := peers(a, map[string]int{"a": 2, "b": 5, "c": 2}, 2)
	if len(got) != 2 || got[0].Name != "乙" || got[1].Name != "丙" || got[1].URL != "/speakers/c/" {
		t.Errorf("peers: %+v", got)
	}
}

func TestYearPages(t *testing.T) {
	pages := YearPages(fixture())
	var paths []string
	for _, p := range pages {
		paths = append(paths, p.Path)
	}
	if got := strings.Join(paths, " "); got != "zh/meetings/2019.md en/meetings/2019.md zh/meetings/2020.md en/meetings/2020.md zh/meetings/undated.md en/meetings/undated.md" {
		t.Errorf("year pages: %s", got)
	}
	y2020 := pages[2].Front.(YearFront)
	if y2020.Count != 2 || len(y2020.Months) != 2 || y2020.Months[0].Month != 12 || pages[3].Front.(YearFront).URL != "/en/meetings/2020/" {
		t.Errorf("2020: %+v", y2020)
	}
}

func TestRedirectPages(t *testing.T) {
	a := fixture()
	pages := RedirectPages(a, []model.Redirect{{From: "old-talk", To: "2020-11-01-talk"}, {From: "gone", To: "nowhere"}})
	if len(pages) != 1 {
		t.Fatalf("got %d pages", len(pages))
	}
	f := pages[0].Front.(RedirectFront)
	if pages[0].Path != "zh/moved/old-talk.md" || f.URL != "/old-talk/" || f.Target != "/2020-11-01-talk/" {
		t.Errorf("redirect page %s: %+v", pages[0].Path, f)
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	a := fixture()
	if err := WriteAll(dir, []Page{RecordPage(a, a.Records[0], Extras{})}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "zh", "records", "2020-12-31-會議.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "+++\ntitle = \"會議\"\n") || !strings.Contains(s, `url = "/2020-12-31-會議/"`) || !strings.HasSuffix(s, "+++\n") {
		t.Errorf("content file:\n%s", s)
	}
}

// TestDistinctiveWordsInPieces checks that the speakers' words do not
// depend on how their speech is cut into pieces to count on every core.
func TestDistinctiveWordsInPieces(t *testing.T) {
	a := &model.Archive{Speakers: map[string]*model.Speaker{
		"甲": {Key: "甲", Name: "甲"}, "乙": {Key: "乙", Name: "乙"}, "主席": {Key: "主席", Name: "主席", IsRole: true},
	}}
	says := map[string]string{
		"甲":  "開放政府國家行動方案要讓公民參與，透明治理是開放政府的核心，AI 也要透明。",
		"乙":  "預算審查委員會下週開會，請各機關準備預算說明與財政資料。The budget committee meets next week.",
		"主席": "請下一位發言，時間到了。",
	}
	for m := range 12 {
		day := time.Date(2020, 1, 1+m, 0, 0, 0, 0, time.UTC)
		r := &model.Record{File: fmt.Sprintf("m%02d.md", m), Slug: fmt.Sprintf("m%02d", m), Title: "會議", Date: day, Lang: "zh-TW", Kind: model.KindTranscript}
		for i := range 12 {
			k := []string{"甲", "乙", "主席"}[i%3]
			text := strings.Repeat(says[k], 1+m%3)
			r.Turns = append(r.Turns, model.Turn{Ordinal: i + 1, ID: fmt.Sprintf("t%02d%02d", m, i), Speaker: k,
				Blocks: []model.Block{{Kind: model.BlockParagraph, Text: text}}})
		}
		a.Records = append(a.Records, r)
	}
	by := profiles(a)
	defer func(n int) { wordsPieceBytes = n }(wordsPieceBytes)
	wordsPieceBytes = 1 << 30
	whole := distinctiveWords(a, by)
	wordsPieceBytes = 1
	pieces := distinctiveWords(a, by)
	if len(whole["甲"]) == 0 || len(whole["乙"]) == 0 {
		t.Fatalf("no words: %v", whole)
	}
	if !reflect.DeepEqual(whole, pieces) {
		t.Errorf("counted in pieces:\n%v\nat once:\n%v", pieces, whole)
	}
	var got []string
	for _, w := range whole["甲"] {
		got = append(got, w.Text)
	}
	if s := strings.Join(got, " "); !strings.Contains(s, "開放政府") || !strings.Contains(s, "AI") {
		t.Errorf("甲's words: %s", s)
	}
}
