package search

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestNearMiss: a quote typed with a character left out, added or changed
// is held whole by no turn; its turn, which holds all the rest of it in a
// long speech, must still come first, ahead of short turns that repeat
// half of it (which plain BM25 over the terms puts first), through Query
// and through client.js alike.
func TestNearMiss(t *testing.T) {
	const quote = "公民參與平台的設計原則"
	filler := strings.Repeat("今天天氣很好我們出去走走看看風景。", 20)
	docs := []Doc{{ID: "target", URL: "/a/#target", Source: "a.md", Turn: 1, Speaker: "甲", Date: "2020-01-01",
		Title: "a", Kind: "transcript", Lang: "zh-TW", Text: filler + "我想談談" + quote + "，以及後續。" + filler}}
	for i := range 40 {
		docs = append(docs, Doc{ID: fmt.Sprint("d", i), URL: fmt.Sprintf("/d%d/#x", i), Source: fmt.Sprintf("d%d.md", i), Turn: 1,
			Speaker: "乙", Date: "2020-01-02", Title: "d", Kind: "transcript", Lang: "zh-TW", Text: "公民參與平台，公民參與平台，公民參與平台。"})
	}
	for i := range 200 {
		docs = append(docs, Doc{ID: fmt.Sprint("f", i), URL: fmt.Sprintf("/f%d/#x", i), Source: fmt.Sprintf("f%d.md", i), Turn: 1,
			Speaker: "丙", Date: "2020-01-03", Title: "f", Kind: "transcript", Lang: "zh-TW", Text: fmt.Sprintf("第%d則：今天天氣很好。", i)})
	}
	index, out := buildExport(t, docs)
	qs := []jsQuery{
		{"公民參與平台設計原則", nil},   // 的 left out
		{"公民參與平台的的設計原則", nil}, // 的 doubled
		{"公民參與平台之設計原則", nil},  // 的 changed
		{"「公民參與平台設計原則」", nil}, // pasted with quotation marks
		{"公民参与平台设计原则", nil},   // Simplified, and 的 left out
		{quote, nil},
	}
	for i, res := range both(t, index, out, qs) {
		if len(res) == 0 || res[0].Source != "a.md" {
			first := "nothing"
			if len(res) > 0 {
				first = res[0].Source
			}
			t.Errorf("%q: first result %s, want a.md", qs[i].Q, first)
		}
	}
}

// buildExport indexes docs and exports the index, returning both
// directories.
func buildExport(t *testing.T, docs []Doc) (index, out string) {
	t.Helper()
	dir := t.TempDir()
	index, out = filepath.Join(dir, "index"), filepath.Join(dir, "out")
	if _, err := Build(context.Background(), index, docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(index, out); err != nil {
		t.Fatal(err)
	}
	return index, out
}

// turnDoc is a transcript turn of its own record, for ranking fixtures.
func turnDoc(src, speaker, date, text string) Doc {
	return Doc{ID: "t1", URL: "/" + src + "/#t1", Source: src + ".md", Turn: 1, Speaker: speaker, Date: date,
		Title: src, Kind: "transcript", Lang: "zh-TW", Text: text}
}

// TestTopicRanking: for a topic query, the turns that discuss the topic
// rank above one-line echoes of it (「是說開放資料？」), which plain BM25,
// favouring short documents, puts first.
func TestTopicRanking(t *testing.T) {
	docs := []Doc{
		turnDoc("echo1", "甲", "2020-01-01", "是說開放資料？"),
		turnDoc("echo2", "乙", "2020-01-01", "開放資料嗎？"),
		turnDoc("echo3", "丙", "2020-01-01", "就是開放資料交換嗎？"),
	}
	talk := "我們推動開放資料已經很多年，從資料集的格式、授權到民間的使用回饋，都要一起考慮，才能讓開放資料真正被用起來。" +
		"政府各部會也逐步建立資料治理的流程，讓每一份資料都有清楚的負責人與更新頻率。"
	for i := range 5 {
		docs = append(docs, turnDoc(fmt.Sprint("talk", i), "丁", "2020-01-02", talk+strings.Repeat("這是補充說明。", i)))
	}
	// other turns as long as the talks: in the archive, turns on a topic
	// are about the mean length (62 terms) and mention it more than once
	other := "今天討論的是別的議題，資料與開放都另有所指，大家可以先看看簡報，我們等一下再回來談細節與時程，" +
		"也請各位把意見寫在共筆上，會後我們整理成會議紀錄並且公開給所有人參考，下次會議再確認。"
	for i := range 100 {
		docs = append(docs, turnDoc(fmt.Sprint("other", i), "戊", "2020-01-03", fmt.Sprintf("第%d則：%s", i, other)))
	}
	index, out := buildExport(t, docs)
	for i, res := range both(t, index, out, []jsQuery{{"開放資料", nil}, {"开放资料", nil}}) {
		if len(res) < 5 {
			t.Fatalf("query %d: %d results, want at least 5", i, len(res))
		}
		for k, r := range res[:5] {
			if strings.HasPrefix(r.Source, "echo") {
				t.Errorf("query %d: result %d is the echo %s, want the turns on the topic first", i, k+1, r.Source)
			}
		}
	}
}

// TestMainlandVocabulary: mainland words reach the Taiwan ones (数字 →
// 數位, 软件 → 軟體, 信息 → 資訊), while a word Taiwan also writes (數字,
// "numbers") still finds its own turns first.
func TestMainlandVocabulary(t *testing.T) {
	docs := []Doc{
		turnDoc("moda", "甲", "2022-08-27", "數位發展部今天正式成立，負責電信、資訊、資安與網路。"),
		turnDoc("software", "乙", "2021-01-01", "這套開源軟體由社群維護，大家都可以參與。"),
		turnDoc("info", "丙", "2021-01-01", "政府資訊公開是民主的基礎。"),
		turnDoc("numbers", "丁", "2021-01-01", "這些統計數字每季更新一次。"),
		// each holds more of the query as typed than its answer does
		turnDoc("near1", "己", "2021-01-01", "這些數字發展得很快，部分原因是人口。"),
		turnDoc("near2", "己", "2021-01-01", "開源開源，大家一起開源。"),
		turnDoc("near3", "己", "2021-01-01", "政府公開，政府公開，政府都要公開。"),
	}
	for i := range 50 {
		docs = append(docs, turnDoc(fmt.Sprint("other", i), "戊", "2020-01-03", fmt.Sprintf("第%d則：部會發展的方向與公開的時程。", i)))
	}
	index, out := buildExport(t, docs)
	tests := []struct{ q, want string }{
		{"数字发展部", "moda.md"},
		{"开源软件", "software.md"},
		{"政府信息公开", "info.md"},
		{"统计数字", "numbers.md"},
		{"數字", "numbers.md"},
	}
	var qs []jsQuery
	for _, tc := range tests {
		qs = append(qs, jsQuery{tc.q, nil})
	}
	for i, res := range both(t, index, out, qs) {
		if len(res) == 0 || res[0].Source != tests[i].want {
			t.Errorf("%q: results %v, want %s first", tests[i].q, sources(res), tests[i].want)
		}
	}
}

func sources(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Source)
	}
	return out
}

// TestWholeWord: a one-word query is a topic, matched as a whole word: AI
// is not marked, nor counted as the phrase, inside "trained".
func TestWholeWord(t *testing.T) {
	en := func(src, text string) Doc {
		d := turnDoc(src, "A", "2020-01-01", text)
		d.Lang = "en"
		return d
	}
	docs := []Doc{
		en("inside", "We trained people, and AI came up once in a long talk about many other things entirely."),
		en("word", "AI, AI and AI."),
	}
	for i := range 20 {
		docs = append(docs, en(fmt.Sprint("o", i), "Nothing of the kind here."))
	}
	index, out := buildExport(t, docs)
	res := both(t, index, out, []jsQuery{{"AI", nil}})[0]
	if len(res) != 2 || res[0].Source != "word.md" {
		t.Fatalf("AI: results %v, want word.md then inside.md", sources(res))
	}
	if want := "We trained people, and <mark>AI</mark> came up"; !strings.Contains(res[1].Snippet, want) {
		t.Errorf("AI: snippet %q, want it to contain %q", res[1].Snippet, want)
	}
}

// TestCommonTerms makes the fixture's commonest terms common (commonDocs)
// and checks the first look that leaves them out: client.js and Go agree
// on results and summaries, every query leaves a term out, and each finds
// first what the exact look finds first, whether the first look answers
// or gives up (no text it checks holds the phrase, nothing holds the rare
// terms).
func TestCommonTerms(t *testing.T) {
	f := testFixture(t)
	const common = 2
	defer func(n int) { commonDocs = n }(commonDocs)
	commonDocs = common
	out := filepath.Join(tmp, "common", "search")
	if _, err := Export(f.index, out); err != nil {
		t.Fatal(err)
	}
	qs := []jsQuery{
		{"We publish data, we publish the meeting transcripts", nil},
		{"we see the trending disinformation and we respond", nil},
		{"the role of open government data in Taiwan", nil},
		{"government data humor over rumor", nil},        // a phrase no turn holds: the exact look
		{"open government data sixty minutes meme", nil}, // the rare terms in no turn together
		{"the role of open government data", map[string]any{"speaker": "Interviewer"}},
		{"the role of open government data", map[string]any{"sort": "newest"}},
	}
	got := both(t, f.index, out, qs)
	bothPages(t, f.index, out, qs)

	s, err := Open(f.index)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, q := range qs {
		p := parseQuery(q.Q)
		post := make([]postingList, len(p.terms))
		for j, term := range p.terms {
			if post[j], err = s.postings(term.key); err != nil {
				t.Fatal(err)
			}
		}
		if len(commonTerms(p, post, common)) == 0 {
			t.Errorf("%q leaves no term out: the test should exercise the first look", q.Q)
		}
		commonDocs = 0
		exact, err := s.Query(q.Q, goOptions(q.Opts))
		commonDocs = common
		if err != nil {
			t.Fatal(err)
		}
		if len(exact) == 0 || len(got[i]) == 0 {
			t.Errorf("%q: %d results exactly, %d at first look; want some", q.Q, len(exact), len(got[i]))
			continue
		}
		if exact[0].Source != got[i][0].Source || exact[0].ID != got[i][0].ID {
			t.Errorf("%q: first %s#%s, the exact look's %s#%s", q.Q, got[i][0].Source, got[i][0].ID, exact[0].Source, exact[0].ID)
		}
	}
}
