package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// siteItems are the known items of testdata/site, a site's open-data
// export reduced to three records, one a replicated copy of another.
func siteItems(t *testing.T) []KnownItem {
	t.Helper()
	qs, err := ReadQueries(filepath.Join("testdata", "known-item-queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := KnownItems(filepath.Join("testdata", "site"), qs)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestKnownItems(t *testing.T) {
	want := []KnownItem{
		{"開放資料很重要", []Answer{
			{"2020-01-03-會議.md", 2, "/2020-01-03-會議/", "bbbb2222"},
			{"2020-01-06-會議-bis.md", 2, "/2020-01-06-會議-bis/", "cccc3333"}, // the copy, with its own turn id
		}},
		{"open data matters", []Answer{{"2019-05-02-Talk-on-open-data.md", 1, "/2019-05-02-talk-on-open-data/", "dddd4444"}}},
	}
	if got := siteItems(t); !reflect.DeepEqual(got, want) {
		t.Errorf("KnownItems:\n got %+v\nwant %+v", got, want)
	}
	for _, q := range []Query{
		{Query: "x", Source: "missing.md", Turn: 1},
		{Query: "x", Source: "2020-01-03-會議.md", Turn: 9},
	} {
		if _, err := KnownItems(filepath.Join("testdata", "site"), []Query{q}); err == nil {
			t.Errorf("%+v: no error", q)
		}
	}
}

func TestEvalQueries(t *testing.T) {
	b, err := EvalQueries(siteItems(t))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"query":"開放資料很重要","source":"2020-01-03-會議.md","turn":2,"also":[{"source":"2020-01-06-會議-bis.md","turn":2}]},` +
		`{"query":"open data matters","source":"2019-05-02-Talk-on-open-data.md","turn":1}]`
	if string(b) != want {
		t.Errorf("EvalQueries:\n got %s\nwant %s", b, want)
	}
}

func TestCopies(t *testing.T) {
	archive := map[string]bool{"2020-01-06-會議-bis.md": true, "2020-01-09-會議-bis2.md": true, "2020-01-04-會議-bis.md": true}
	got := Copies("2020-01-03-會議.md", func(f string) bool { return archive[f] })
	if strings.Join(got, " ") != "2020-01-06-會議-bis.md 2020-01-09-會議-bis2.md" {
		t.Errorf("Copies: %q", got)
	}
	if got := Copies("notes.md", func(string) bool { return true }); got != nil {
		t.Errorf("an undated file has copies %q", got)
	}
}

func TestLang(t *testing.T) {
	for q, want := range map[string]string{"開放資料": "zh-TW", "we can plan 開放": "zh-TW", "we can plan what to": "en", "2020 é": "en"} {
		if got := (KnownItem{Query: q}).Lang(); got != want {
			t.Errorf("Lang(%q) = %s, want %s", q, got, want)
		}
	}
}

func TestRanks(t *testing.T) {
	items := siteItems(t)
	zh, en := items[0].Answers, items[1].Answers
	const page = "/2020-01-03-%E6%9C%83%E8%AD%B0/" // Pagefind percent-encodes its URLs
	for _, c := range []struct {
		name       string
		results    []Result
		answers    []Answer
		page, turn int
	}{
		{"ours: the turn first", []Result{{URL: "/2020-01-03-會議/#bbbb2222", Source: "2020-01-03-會議.md", Turn: 2}}, zh, 1, 1},
		{"ours: another turn of the page first", []Result{
			{Source: "2020-01-03-會議.md", Turn: 1},
			{Source: "2020-01-03-會議.md", Turn: 2},
		}, zh, 1, 2},
		{"ours: the copy's turn counts", []Result{{Source: "2019-05-02-Talk-on-open-data.md", Turn: 1}, {Source: "2020-01-06-會議-bis.md", Turn: 2}}, zh, 2, 2},
		{"ours: a turn of another record", []Result{{Source: "2019-05-02-Talk-on-open-data.md", Turn: 2}}, zh, 0, 0},
		{"ours: by source, not by URL", []Result{{URL: "/2020-01-03-會議/#bbbb2222", Source: "other.md", Turn: 2}}, zh, 0, 0},
		{"Pagefind: the page, no sub-result", []Result{{URL: "/speakers/x/"}, {URL: page, Subs: []string{page}}}, zh, 2, 0},
		{"Pagefind: a sub-result with the turn's anchor", []Result{{URL: page, Subs: []string{page, page + "#aaaa1111", page + "#bbbb2222"}}}, zh, 1, 1},
		{"Pagefind: the result URL with the anchor", []Result{{URL: "http://127.0.0.1:8080" + page + "#bbbb2222"}}, zh, 1, 1},
		{"Pagefind: index.html kept", []Result{{URL: "/2019-05-02-talk-on-open-data/index.html"}}, en, 1, 0},
		{"Pagefind: the copy's page", []Result{{URL: "/2020-01-06-會議-bis/"}}, zh, 1, 0},
		{"Pagefind: the turn's anchor on another page", []Result{{URL: "/2020-01-06-會議-bis/#bbbb2222"}}, zh, 1, 0},
		{"no results", nil, en, 0, 0},
	} {
		p, tu := Ranks(c.results, c.answers)
		if p != c.page || tu != c.turn {
			t.Errorf("%s: page %d turn %d, want %d %d", c.name, p, tu, c.page, c.turn)
		}
	}
}

func TestScore(t *testing.T) {
	for _, c := range []struct {
		ranks []int
		want  Scores
	}{
		{nil, Scores{}},
		{[]int{1, 1}, Scores{1, 1}},
		{[]int{1, 2, 0, 4}, Scores{(1 + 0.5 + 0.25) / 4, 0.25}},
		{[]int{11, 10}, Scores{0.05, 0}},
	} {
		if got := Score(c.ranks); got != c.want {
			t.Errorf("Score(%v) = %+v, want %+v", c.ranks, got, c.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	xs := []int64{5, 1, 4, 2, 3, 6, 7, 8, 9, 10}
	if Percentile(xs, 0.9) != 10 || Percentile(xs, 0.5) != 6 || Percentile([]int64{3}, 0.9) != 3 || Percentile([]int64(nil), 0.9) != 0 {
		t.Error("Percentile")
	}
	if xs[0] != 5 {
		t.Error("Percentile sorted its argument")
	}
}

func TestParsePagefind(t *testing.T) {
	out := "\nRunning Pagefind v1.6.0 (Extended)\n[Reading languages]\nDiscovered 2 languages: en, zh-tw\n\n" +
		"[Building search indexes]\nTotal: \n  Indexed 2 languages\n  Indexed 8693 pages\n  Indexed 505153 words\n  Indexed 0 filters\n  Indexed 0 sorts\n\nFinished in 144.974 seconds\n"
	got := ParsePagefind([]byte(out))
	if got.Pages != 8693 || got.Words != 505153 || got.Languages != 2 {
		t.Errorf("ParsePagefind: %+v", got)
	}
	if got := ParsePagefind([]byte("  Indexed 1 language\n  Indexed 1 page\n")); got.Pages != 1 || got.Languages != 1 {
		t.Errorf("ParsePagefind, singular: %+v", got)
	}
}

func TestParseEval(t *testing.T) {
	const disk = `"queries": 300, "mrr10": 0.85, "hit1": 0.7, "hit10": 0.98, "coldAgrees": true,
		"cold": {"bytesMedian": 33025, "bytesP90": 185943, "requestsMedian": 26.5, "msMedian": 14.3, "msP90": 30},
		"warm": {"bytesMedian": 15293.5, "bytesP90": 50948, "requestsMedian": 22, "msMedian": 7.5},
		"misses": [{"query": "x", "source": "a.md", "turn": 1, "rank": 0}]`
	const link = `"link": {"rttMs": 150, "bytesPerSecond": 200000, "agrees": %v,
		"cold": {"bytesMedian": 33025, "bytesP90": 185943, "requestsMedian": 26.5, "msMedian": 1263.8, "msP90": 1830.1, "depthMedian": 7, "depthMax": 13},
		"warm": {"bytesMedian": 15293.5, "bytesP90": 50948, "requestsMedian": 22, "msMedian": 811.6, "msP90": 1376.9, "depthMedian": 4.5, "depthMax": 11},
		"typed": {"bytesMedian": 6123.5, "bytesP90": 27447, "requestsMedian": 3.5, "msMedian": 322.9, "msP90": 633.1, "depthMedian": 2, "depthMax": 6}}`
	want := Engine{Queries: 300, Turn: Scores{0.85, 0.7},
		Cold: Cost{Bytes: 33025, BytesP90: 185943, Requests: 27, Latency: 14300 * time.Microsecond, LatencyP90: 30 * time.Millisecond},
		Warm: Cost{Bytes: 15293, BytesP90: 50948, Requests: 22, Latency: 7500 * time.Microsecond}}
	wantLink := Engine{Queries: 300, Turn: Scores{0.85, 0.7},
		Cold:  Cost{Bytes: 33025, BytesP90: 185943, Requests: 27, Latency: 1263800 * time.Microsecond, LatencyP90: 1830100 * time.Microsecond, Depth: 7, DepthMax: 13},
		Warm:  Cost{Bytes: 15293, BytesP90: 50948, Requests: 22, Latency: 811600 * time.Microsecond, LatencyP90: 1376900 * time.Microsecond, Depth: 5, DepthMax: 11},
		Typed: Cost{Bytes: 6123, BytesP90: 27447, Requests: 4, Latency: 322900 * time.Microsecond, LatencyP90: 633100 * time.Microsecond, Depth: 2, DepthMax: 6}}
	for _, c := range []struct {
		name, out string
		link      *Engine
		fails     bool
	}{
		{"from disk", "{" + disk + "}", nil, false},
		{"over a link", "{" + disk + ", " + fmt.Sprintf(link, true) + "}", &wantLink, false},
		{"link answers differ", "{" + disk + ", " + fmt.Sprintf(link, false) + "}", nil, true},
		{"garbage", "node: error", nil, true},
	} {
		got, gotLink, err := ParseEval([]byte(c.out))
		if c.fails {
			if err == nil {
				t.Errorf("%s: no error", c.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotLink, c.link) {
			t.Errorf("%s:\n got %+v, link %+v\nwant %+v, link %+v", c.name, got, gotLink, want, c.link)
		}
	}
}

func TestSummarizeQueries(t *testing.T) {
	items := siteItems(t)
	ok := []Result{{Source: "2020-01-03-會議.md", Turn: 2}}
	warm := []sample{
		{results: ok, latency: 10 * time.Millisecond, requests: 3, bytes: 100},
		{results: nil, latency: 20 * time.Millisecond, requests: 5, bytes: 300},
	}
	cold := []sample{{err: io.EOF}, {latency: time.Second, requests: 9, bytes: 900}}
	e := SummarizeQueries(items, cold, warm)
	if e.Queries != 2 || e.Failed != 1 || e.Empty != 1 || e.Turn != (Scores{0.5, 0.5}) || e.Page == nil || *e.Page != (Scores{0.5, 0.5}) {
		t.Errorf("scores: %+v", e)
	}
	if e.Warm.Bytes != 200 || e.Warm.BytesP90 != 300 || e.Warm.Requests != 4 || e.Warm.LatencyP90 != 20*time.Millisecond {
		t.Errorf("warm cost: %+v", e.Warm)
	}
	if e.Cold.Bytes != 900 || e.Cold.Latency != time.Second { // the failed query left out
		t.Errorf("cold cost: %+v", e.Cold)
	}
}

// TestSiteServer checks what the browser runs are served and charged:
// ranges as asked, every response uncacheable, only /search/ and
// /pagefind/ counted.
func TestSiteServer(t *testing.T) {
	site := filepath.Join("testdata", "site")
	srv, ours, pf := siteServer(site, filepath.Join(site, "data"))
	defer srv.Close()
	get := func(path, rng string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	res := get("/pagefind/records.json", "bytes=10-19")
	if res.StatusCode != http.StatusPartialContent || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("range: %s, Cache-Control %q", res.Status, res.Header.Get("Cache-Control"))
	}
	get("/pagefind/records/2020-01-03-會議.json", "")
	get("/data/records.json", "") // the site, not an engine: not counted
	if r, b := pf.load(); r != 2 || b != 10+fileSize(t, filepath.Join(site, "data", "records", "2020-01-03-會議.json")) {
		t.Errorf("Pagefind counted %d requests, %d bytes", r, b)
	}
	if r, b := ours.load(); r != 0 || b != 0 {
		t.Errorf("ours counted %d requests, %d bytes", r, b)
	}
	res, err := srv.Client().Get(srv.URL + "/known-item/en/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), `<html lang="en">`) || !strings.Contains(string(page), "window.knownItem") {
		t.Errorf("query page:\n%s", page)
	}
}

func fileSize(t *testing.T, path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestSearchFiguresRoundTrip(t *testing.T) {
	f := Figures{Date: "d", Search: &SearchFigures{Queries: 2, Engines: []Engine{{Name: "ours, Node", Page: &Scores{1, 1}}}}}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back Figures
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, f) {
		t.Errorf("round trip: %v\n%+v", err, back)
	}
}
