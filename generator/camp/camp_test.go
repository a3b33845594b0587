package camp

import (
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/turnid"
	"github.com/ogarchive/ogarchive/internal/testdiag"
)

// TestBadFiles: each file under testdata/bad/camps breaks the format in one
// area, and its .want lists every finding, with the line, that it must get.
func TestBadFiles(t *testing.T) {
	d := &diag.List{}
	camps := Load("testdata/bad", d)
	for _, c := range camps {
		t.Errorf("camp %s loaded despite errors", c.File)
	}
	testdiag.CheckWant(t, "testdata/bad", Dir, d)
	for file := range testdiag.ByFile(d) {
		if e, _ := countIn(d, file); e == 0 {
			t.Errorf("%s: no error", file)
		}
	}
}

func countIn(d *diag.List, file string) (errors, warnings int) {
	for _, f := range d.Sorted() {
		if f.File != file {
			continue
		}
		if f.Severity == diag.Error {
			errors++
		} else {
			warnings++
		}
	}
	return
}

// fakeResolver is an archive of one record "rec" (formerly "old-rec"), with
// turns t1 and t2 and a retired id "gone" that now lands on t1, and a
// record "other".
type fakeResolver struct{}

var fakeTurns = map[string]map[string][2]string{
	"rec": {
		"t1": {"唐鳳", "我們會把大家所提出的具體建議，會逐點回應大家。"},
		"t2": {"高慈蔚", "Ｆｕｌｌ　ｗｉｄｔｈ　ＰＯ text over two\nlines"},
	},
	"other": {"t1": {"Someone", "elsewhere"}},
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
	if slug == "old-rec" {
		slug = "rec"
	} else if fakeTurns[slug] == nil {
		return "", "", false
	}
	switch {
	case id == "":
		return slug, "", true
	case id == "gone":
		return slug, "t1", true
	case fakeTurns[slug][id] != [2]string{}:
		return slug, id, true
	}
	return "", "", false
}

// TestCitations resolves the citations of testdata/cites: every accepted
// form, quotes that differ from the turn only in width and white space,
// renamed records and retired ids (warnings, rewritten), and each way a
// citation can fail (errors).
func TestCitations(t *testing.T) {
	d := &diag.List{}
	camps := Load("testdata/cites", d)
	if len(camps) != 2 {
		t.Fatalf("loaded %d camps, want 2:\n%s", len(camps), d)
	}
	kept := Validate(camps, fakeResolver{}, d)
	testdiag.CheckWant(t, "testdata/cites", Dir, d)
	if len(kept) != 1 || kept[0].ID != "ok" {
		t.Fatalf("kept %v, want only the camp without errors", kept)
	}
	c := kept[0]
	if !reflect.DeepEqual(c.Transcripts, []string{"rec", "rec"}) {
		t.Errorf("transcripts = %q, want the renamed one rewritten", c.Transcripts)
	}
	var refs []string
	for _, o := range c.Outcomes {
		for _, ct := range o.Cites {
			refs = append(refs, ct.Ref())
			if ct.Speaker == "" || ct.Text == "" {
				t.Errorf("%s: speaker/text not filled in", ct.Ref())
			}
		}
	}
	want := []string{"rec#t1", "rec#t2", "rec#t1", "rec#t2", "rec#t1", "rec#t2", "rec#t2", "rec#t1", "rec#t1"}
	if !reflect.DeepEqual(refs, want) {
		t.Errorf("refs = %q\nwant   %q", refs, want)
	}
	if got := c.Outcomes[0].Cites[4]; got.Speaker != "唐鳳" || got.Excerpt(10) != "逐點回應" {
		t.Errorf("quoted citation = %+v, excerpt %q", got, got.Excerpt(10))
	}
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		in, slug, turn string
		ok             bool
	}{
		{"rec#abc", "rec", "abc", true},
		{" rec#abc ", "rec", "abc", true},
		{"/rec/#abc", "rec", "abc", true},
		{"rec/#abc", "rec", "abc", true},
		{"https://host/rec/#abc", "rec", "abc", true},
		{"https://host/prefix/rec/#abc", "rec", "abc", true},
		{"https://host/rec/?utm=x#abc", "rec", "abc", true},
		{"/2019-01-18-%E5%85%B1%E8%AD%98/#abc", "2019-01-18-共識", "abc", true},
		{"/2019-01-18-共識/#abc-2", "2019-01-18-共識", "abc-2", true},
		{"rec", "", "", false},
		{"rec#", "", "", false},
		{"#abc", "", "", false},
		{"https://host/#abc", "", "", false},
		{"https://host#abc", "", "", false},
	} {
		slug, turn, err := ParseRef(tc.in)
		if (err == nil) != tc.ok || slug != tc.slug || turn != tc.turn {
			t.Errorf("ParseRef(%q) = %q, %q, %v; want %q, %q, ok=%v", tc.in, slug, turn, err, tc.slug, tc.turn, tc.ok)
		}
	}
}

func TestContainsQuote(t *testing.T) {
	text := "我們會逐點回應大家，這就會變成第三屆PO的具體運行方向。\nＰＯ network"
	for _, tc := range []struct {
		quote string
		want  bool
	}{
		{"逐點回應大家", true},
		{"第三屆ＰＯ的具體", true},       // full-width letters in the quote
		{"方向。 PO network", true}, // a line break in the text
		{"PO  network", true},    // runs of spaces
		{"逐點回應你們", false},
		{"第三屆PO的具體運行方向！", false},
	} {
		if got := ContainsQuote(text, tc.quote); got != tc.want {
			t.Errorf("ContainsQuote(%q) = %v, want %v", tc.quote, got, tc.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("字", 50) + "，" + strings.Repeat("字", 60)
	for _, tc := range []struct {
		name string
		cite Cite
		n    int
		want string
	}{
		{"quote wins", Cite{Quote: "原話", Text: "原話與其他"}, 3, "原話"},
		{"short text whole", Cite{Text: "一句\n話"}, 10, "一句 話"},
		{"cut at punctuation", Cite{Text: long}, 60, strings.Repeat("字", 50) + "…"},
		{"cut hard", Cite{Text: strings.Repeat("字", 30)}, 12, strings.Repeat("字", 12) + "…"},
	} {
		if got := tc.cite.Excerpt(tc.n); got != tc.want {
			t.Errorf("%s: Excerpt = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestStatusVocabulary(t *testing.T) {
	for _, s := range Statuses {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	for _, s := range []Status{"", "Do-Now", "do now", "pending"} {
		if s.Valid() {
			t.Errorf("%q valid", s)
		}
	}
}

// TestSchema loads a complete camp and checks every field lands where it
// belongs, in both date notations.
func TestSchema(t *testing.T) {
	src := `title = " 共識營 "
date = "2019-01-18"
lang = "en"
transcripts = ["rec"]

[[themes]]
id = "po-role"
name = "PO"

[[groups]]
id = "group-1"
name = "第一組"
facilitator = "F"
reporter = "R"

[[outcomes]]
id = "heads-attend"
group = "group-1"
theme = "po-role"
problem = """
首長親自參加"""
proposals = ["邀請首長", " 其二 "]
owner = "PDIS"
response = "不容易達成"
status = "in-progress"
cites = ["rec#t1", { turn = "/rec/#t2", quote = "Ｆｕｌｌ" }]

  [[outcomes.updates]]
  date = 2019-01-18
  status = "hard"
  note = "閉幕"

  [[outcomes.updates]]
  date = 2019-06-30
  status = "in-progress"
`
	d := &diag.List{}
	c := Parse("camps/2019-01-18-po-camp.toml", []byte(src), d)
	if c == nil || d.String() != "" {
		t.Fatalf("findings:\n%s", d)
	}
	day := func(s string) time.Time { v, _ := time.Parse(dateLayout, s); return v }
	want := &Camp{
		ID: "2019-01-18-po-camp", File: "camps/2019-01-18-po-camp.toml", Title: "共識營",
		Date: day("2019-01-18"), Lang: "en", Transcripts: []string{"rec"}, Line: 4,
		Themes: []Theme{{ID: "po-role", Name: "PO", Line: 6}},
		Groups: []Group{{ID: "group-1", Name: "第一組", Facilitator: "F", Reporter: "R", Line: 10}},
		Outcomes: []*Outcome{{
			ID: "heads-attend", Group: "group-1", Theme: "po-role", Problem: "首長親自參加",
			Proposals: []string{"邀請首長", "其二"}, Owner: "PDIS", Response: "不容易達成", Status: InProgress,
			Updates: []Update{
				{Date: day("2019-01-18"), Status: Hard, Note: "閉幕", Line: 28},
				{Date: day("2019-06-30"), Status: InProgress, Line: 33},
			},
			Cites: []Cite{{Slug: "rec", Turn: "t1", Line: 26}, {Slug: "rec", Turn: "t2", Quote: "Ｆｕｌｌ", Line: 26}},
			Line:  16,
		}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
		for i := range c.Outcomes {
			t.Errorf("outcome %d: %+v", i, *c.Outcomes[i])
		}
	}
	if c.URL() != "/camps/2019-01-18-po-camp/" || c.Outcomes[0].URL(c) != "/camps/2019-01-18-po-camp/heads-attend/" {
		t.Errorf("urls %s %s", c.URL(), c.Outcomes[0].URL(c))
	}
	if c.Theme("po-role") == nil || c.Theme("x") != nil || c.Group("group-1") == nil || c.Group("x") != nil {
		t.Error("Theme/Group lookups")
	}
}

func TestLoadWithoutCampsDir(t *testing.T) {
	d := &diag.List{}
	if camps := Load(t.TempDir(), d); camps != nil || d.String() != "" {
		t.Errorf("camps %v findings %q", camps, d)
	}
}

func TestSearchDocs(t *testing.T) {
	c := &Camp{ID: "c", File: "camps/c.toml", Date: time.Date(2019, 1, 18, 0, 0, 0, 0, time.UTC), Lang: "zh-TW",
		Outcomes: []*Outcome{
			{ID: "a", Problem: strings.Repeat("問", 70), Proposals: []string{"解一", "解二"}, Owner: "PDIS", Response: "回應",
				Cites: []Cite{{Quote: "原話"}, {}}},
			{ID: "b", Problem: "短", Proposals: []string{"解"}, Owner: "各部會",
				Updates: []Update{{Date: time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), Note: "進度"}}},
		}}
	got := SearchDocs([]*Camp{c})
	want := []model.SearchDoc{
		{ID: "c/a", URL: "/camps/c/a/", Source: "camps/c.toml", Speaker: "PDIS", Date: "2019-01-18",
			Title: strings.Repeat("問", 60) + "…", Kind: "outcome", Lang: "zh-TW",
			Text: strings.Repeat("問", 70) + "\n解一\n解二\n回應\n原話"},
		{ID: "c/b", URL: "/camps/c/b/", Source: "camps/c.toml", Speaker: "各部會", Date: "2019-06-01",
			Title: "短", Kind: "outcome", Lang: "zh-TW", Text: "短\n解\n進度"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// TestArchiveResolver resolves against a model.Archive: current slugs,
// old slugs, live and retired ids, speaker names.
func TestArchiveResolver(t *testing.T) {
	a := &model.Archive{
		Records: []*model.Record{{
			File: "2019-01-18-x.md", Slug: "2019-01-18-x", Aliases: []string{"old-x"},
			Turns: []model.Turn{
				{ID: "n0", Blocks: []model.Block{{Kind: model.BlockDirection, Text: "（開場）"}}},
				{ID: "aaaa", Ordinal: 1, Label: "唐鳳政委", Speaker: "tang", Blocks: []model.Block{
					{Kind: model.BlockParagraph, Text: "逐點回應"}, {Kind: model.BlockDirection, Text: "（笑）"}, {Kind: model.BlockParagraph, Text: "謝謝"}}},
				{ID: "bbbb", Ordinal: 2, Label: "某人", Blocks: []model.Block{{Kind: model.BlockParagraph, Text: "你好"}}},
			},
		}},
		Speakers: map[string]*model.Speaker{"tang": {Key: "tang", Name: "唐鳳"}},
	}
	r := NewResolver(a, func(file string) map[string]string {
		if file == "2019-01-18-x.md" {
			return map[string]string{"zzzz": "aaaa"}
		}
		return nil
	})
	if !r.HasRecord("2019-01-18-x") || r.HasRecord("old-x") {
		t.Error("HasRecord")
	}
	if !r.HasTurn("2019-01-18-x", "aaaa") || r.HasTurn("2019-01-18-x", "zzzz") || r.HasTurn("old-x", "aaaa") {
		t.Error("HasTurn")
	}
	if sp, text, ok := r.TurnText("2019-01-18-x", "aaaa"); !ok || sp != "唐鳳" || text != "逐點回應\n謝謝" {
		t.Errorf("TurnText = %q %q %v", sp, text, ok)
	}
	if sp, _, _ := r.TurnText("2019-01-18-x", "bbbb"); sp != "某人" {
		t.Errorf("speaker without identity = %q, want the label", sp)
	}
	for _, tc := range []struct{ slug, id, wantSlug, wantID string }{
		{"old-x", "", "2019-01-18-x", ""},
		{"old-x", "aaaa", "2019-01-18-x", "aaaa"},
		{"old-x", "zzzz", "2019-01-18-x", "aaaa"},
		{"2019-01-18-x", "zzzz", "2019-01-18-x", "aaaa"},
		{"2019-01-18-x", "nope", "", ""},
		{"2019-01-18-x", "", "", ""}, // a current slug needs no redirect
		{"ghost", "", "", ""},
	} {
		s, id, ok := r.Redirect(tc.slug, tc.id)
		if s != tc.wantSlug || id != tc.wantID || ok != (tc.wantSlug != "") {
			t.Errorf("Redirect(%q, %q) = %q %q %v", tc.slug, tc.id, s, id, ok)
		}
	}
}

// TestSeedCamp: the camp shipped in records/ loads and every citation
// resolves against the shipped transcript, with ids from the turn-id ledger,
// without a single finding.
func TestSeedCamp(t *testing.T) {
	const dir = "../../records"
	a, _, err := records.Load(dir, records.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := turnid.Load(filepath.Join(dir, ".turn-ids"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range a.Records {
		ledger.Assign(r)
	}
	d := &diag.List{}
	camps := Validate(Load(dir, d), NewResolver(a, ledger.Retired), d)
	if d.String() != "" {
		t.Fatalf("findings:\n%s", d)
	}
	if len(camps) != 1 {
		t.Fatalf("%d camps", len(camps))
	}
	c := camps[0]
	counts := map[Status]int{}
	groups := map[string]int{}
	for _, o := range c.Outcomes {
		counts[o.Status]++
		groups[o.Group]++
	}
	// The closing sorted one proposal into "do now" and one into "hard".
	if counts[DoNow] != 1 || counts[Hard] != 1 || counts[Proposed] != len(c.Outcomes)-2 {
		t.Errorf("statuses %v", counts)
	}
	if groups["group-1"] == 0 || groups["group-2"] == 0 || groups[""] != 0 {
		t.Errorf("outcomes by group %v: each comes from one of the two group reports", groups)
	}
	var ids []string
	for _, o := range c.Outcomes {
		ids = append(ids, o.ID)
	}
	sort.Strings(ids)
	for _, want := range []string{"po-incentives", "heads-attend", "po-handover", "spread-results"} {
		if i := sort.SearchStrings(ids, want); i == len(ids) || ids[i] != want {
			t.Errorf("seed lacks outcome %q", want)
		}
	}
}
