package search

import (
	"fmt"
	"reflect"
	"testing"
)

// bothPages runs queries through Page and client.js's page, fails unless
// they agree, and returns the pages.
func bothPages(t *testing.T, index, out string, qs []jsQuery) []Page {
	t.Helper()
	return agree(t, index, out, "pages", qs, func(s *Searcher, q jsQuery) (Page, error) {
		return s.Page(q.Q, goOptions(q.Opts))
	})
}

// summaryDocs: three meetings and a commitment, over two years and two
// languages, most turns on open data.
func summaryDocs() []Doc {
	var docs []Doc
	add := func(src, date, kind, lang, speaker string, texts ...string) {
		for i, text := range texts {
			docs = append(docs, Doc{ID: fmt.Sprint("t", i+1), URL: fmt.Sprintf("/%s/#t%d", src, i+1), Source: src + ".md",
				Turn: i + 1, Speaker: speaker, Date: date, Title: src, Kind: kind, Lang: lang, Text: text})
		}
	}
	add("a", "2019-03-01", "transcript", "zh-TW", "甲",
		"我們今天談開放資料的授權。", "開放資料要有清楚的格式。", "散會。", "開放資料的平台明年上線。")
	add("b", "2020-05-01", "transcript", "zh-TW", "乙", "開放資料與個資保護並不衝突。", "謝謝大家。", "開放資料可以幫助防疫。")
	add("c", "2020-06-01", "transcript", "en", "Audrey Tang", "Open data helps everyone.", "Thank you.")
	add("d", "2021-01-01", "commitment", "zh-TW", "", "推動開放資料的標準化。")
	add("e", "", "transcript", "zh-TW", "丙", "沒有日期的會議也談開放資料。")
	for i := range 30 {
		add(fmt.Sprint("z", i), "2018-01-01", "transcript", "zh-TW", "丁", "今天天氣很好，我們出去走走。")
	}
	return docs
}

// TestSummary: the counts a results page shows (turns, meetings, per year,
// kind and language, per record of the results) are right, the same in Go
// and in client.js, and follow the filters.
func TestSummary(t *testing.T) {
	index, out := buildExport(t, summaryDocs())
	qs := []jsQuery{
		{"開放資料", nil},
		{"开放资料", map[string]any{"limit": 3}},
		{"開放資料", map[string]any{"from": "2020-01-01"}},
		{"開放資料", map[string]any{"kind": "transcript", "speaker": "甲"}},
		{"open data", nil},
		{"開放資料", map[string]any{"sort": "newest"}},
		{"開放天氣資料", nil}, // held whole by nothing: partial
		{"zzz", nil},
	}
	pages := bothPages(t, index, out, qs)
	c := func(kv ...any) []Count {
		out := []Count{}
		for i := 0; i < len(kv); i += 2 {
			out = append(out, Count{kv[i].(string), kv[i+1].(int)})
		}
		return out
	}
	all := pages[0].Summary
	want := Summary{Turns: 7, Meetings: 3, Records: 4,
		Years: c("", 1, "2019", 3, "2020", 2, "2021", 1), Kinds: c("transcript", 6, "commitment", 1), Langs: c("zh-TW", 7)}
	all.Groups = nil
	if !reflect.DeepEqual(all, want) {
		t.Errorf("summary of 開放資料:\n got %+v\nwant %+v", all, want)
	}
	groups := map[string]int{}
	for _, g := range pages[0].Summary.Groups {
		groups[g.Value] = g.Turns
	}
	if !reflect.DeepEqual(groups, map[string]int{"a.md": 3, "b.md": 2, "d.md": 1, "e.md": 1}) {
		t.Errorf("groups of 開放資料: %v", pages[0].Summary.Groups)
	}
	if got := pages[1].Summary; got.Turns != 7 || len(got.Groups) > 3 {
		t.Errorf("Simplified, limit 3: %d turns, groups %v; want 7 turns and a group per result record", got.Turns, got.Groups)
	}
	if got := pages[2].Summary; got.Turns != 3 || !reflect.DeepEqual(got.Years, c("2020", 2, "2021", 1)) {
		t.Errorf("from 2020: %+v", got)
	}
	if got := pages[3].Summary; got.Turns != 3 || got.Meetings != 1 {
		t.Errorf("speaker 甲: %+v", got)
	}
	if got := pages[4].Summary; got.Turns != 1 || !reflect.DeepEqual(got.Langs, c("en", 1)) {
		t.Errorf("open data: %+v", got)
	}
	if got := pages[6].Summary; !got.Partial || got.Turns != 0 || len(pages[6].Results) == 0 {
		t.Errorf("a query nothing holds whole: %+v, %d results; want partial, 0 turns, near results", got, len(pages[6].Results))
	}
	if got := pages[7]; len(got.Results) != 0 || !got.Summary.Partial {
		t.Errorf("zzz: %+v", got)
	}

	// "and 2 more in this meeting": the record filter, once a page has
	// shown the record, in the same client
	more := bothPages(t, index, out, []jsQuery{{"開放資料", nil}, {"開放資料", map[string]any{"record": "a.md"}}})
	if got := more[1]; got.Summary.Turns != 3 || len(got.Results) != 3 {
		t.Errorf("within a.md: %d turns, %d results, want 3 and 3", got.Summary.Turns, len(got.Results))
	}
	for _, r := range more[1].Results {
		if r.Source != "a.md" {
			t.Errorf("within a.md: a result from %s", r.Source)
		}
	}
}

// TestQuote: a quote the archive holds only nearly comes with the turn's
// own wording, for the difference view; a verbatim one, in any variant
// spelling, does not.
func TestQuote(t *testing.T) {
	const said = "公民參與平台的設計原則，是讓每個人都能看見彼此的意見"
	docs := []Doc{turnDoc("said", "甲", "2020-01-01", "我想先說明："+said+"，然後才投票。")}
	for i := range 20 {
		docs = append(docs, turnDoc(fmt.Sprint("o", i), "乙", "2020-01-02", fmt.Sprintf("第%d則，公民都能參與。", i)))
	}
	index, out := buildExport(t, docs)
	tests := []struct{ q, quote string }{
		{"公民參與平台的設計原則，是讓每個人都看見彼此的意見", said},                       // 能 left out
		{"公民参与平台的设计原则是让每个人都能看见彼此的想法", "公民參與平台的設計原則，是讓每個人都能看見彼此的"}, // Simplified, last word changed
		{"「" + said + "」", ""}, // verbatim, pasted with quotation marks
		{"公民参与平台的设计原则", ""},    // verbatim in Simplified
		{"公民 意見", ""},          // not a quote
	}
	var qs []jsQuery
	for _, tc := range tests {
		qs = append(qs, jsQuery{tc.q, nil})
	}
	for i, res := range both(t, index, out, qs) {
		if len(res) == 0 || res[0].Source != "said.md" {
			t.Errorf("%q: results %v, want said.md first", tests[i].q, sources(res))
			continue
		}
		if res[0].Quote != tests[i].quote {
			t.Errorf("%q: quote %q, want %q", tests[i].q, res[0].Quote, tests[i].quote)
		}
	}
}
