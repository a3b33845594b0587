package sitetest

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/cli"
	"github.com/ogarchive/ogarchive/generator/model"
)

// TestSearchPage reads a topic's results page as a journalist would, on
// the sample of real transcripts: how many turns and meetings, a chart of
// them per year with its text alternative, a meeting's further hits
// grouped under its first, a bar narrowing the search to its year, and
// facets; then checks a misremembered quote against the record.
func TestSearchPage(t *testing.T) {
	arch := sampleSite.archive(t)
	// the topic: the word most turns of one meeting hold, in more than one
	// meeting; counted here from the records, not from the index
	const topic = "開放"
	turns, meetings, perYear, inRecord := 0, map[string]bool{}, map[int]int{}, map[string]int{}
	for _, r := range arch.Records {
		for _, turn := range r.Turns {
			if strings.Contains(turn.SpeechText(), topic) {
				turns++
				meetings[r.Slug] = true
				perYear[r.Date.Year()]++
				inRecord[r.Slug]++
			}
		}
	}
	if len(meetings) < 2 || len(perYear) < 2 {
		t.Fatalf("the sample has %q in %d meetings over %d years; the test needs more", topic, len(meetings), len(perYear))
	}
	tb := newTab(t, sampleSite.Dir(t), false)
	tb.open("/search/?q=" + url.QueryEscape(topic))
	tb.waitFor(`document.querySelector('#search-app a.result') && document.querySelector('.year-chart')`, "results with a year chart", 20*time.Second)

	if got, want := tb.text("#search-status"), fmt.Sprintf("%d 段發言，出自 %d 場會議", turns, len(meetings)); got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	// the chart: an image named by its title, the figures in its description
	if role := eval[string](tb, `document.querySelector('svg.year-chart').getAttribute('role')`); role != "img" {
		t.Errorf("the year chart has role %q, want img", role)
	}
	if title := eval[string](tb, `document.querySelector('svg.year-chart > title').textContent`); title != "每年符合的發言數" {
		t.Errorf("chart title %q", title)
	}
	desc := eval[string](tb, `document.querySelector('svg.year-chart > desc').textContent`)
	for y, n := range perYear {
		if want := fmt.Sprintf("%d 年：%d 段", y, n); !strings.Contains(desc, want) {
			t.Errorf("chart description %q lacks %q", desc, want)
		}
	}
	bars := eval[int](tb, `document.querySelectorAll('svg.year-chart rect').length`)
	first, last := minMaxYear(perYear)
	if bars != last-first+1 {
		t.Errorf("%d bars, want one per year %d–%d", bars, first, last)
	}
	checkCharts(t, tb, "/search/?q="+topic)

	// grouping: one item per meeting, the rest under "and N more"
	items := eval[int](tb, `document.querySelectorAll('#search-results > li').length`)
	if items != len(meetings) {
		t.Errorf("%d result items, want one per meeting (%d)", items, len(meetings))
	}
	busiest := ""
	for slug, n := range inRecord {
		if busiest == "" || n > inRecord[busiest] {
			busiest = slug
		}
	}
	if !eval[bool](tb, fmt.Sprintf(`(() => {
  const li = [...document.querySelectorAll('#search-results > li')].find((li) =>
    decodeURIComponent(new URL(li.querySelector('a.result').href).pathname) === %q);
  if (li) li.dataset.busiest = '';
  return !!li;
})()`, "/"+busiest+"/")) {
		t.Fatalf("no result item for the busiest meeting, %s", busiest)
	}
	const sel = `#search-results > li[data-busiest]`
	if got, want := tb.text(sel+" details.more-hits summary"), fmt.Sprintf("同一場會議還有 %d 段", inRecord[busiest]-1); got != want {
		t.Errorf("the busiest meeting's group says %q, want %q", got, want)
	}
	tb.click(sel + " details.more-hits summary")
	tb.waitFor(fmt.Sprintf(`document.querySelectorAll(%q).length === %d`, sel+" ol.hits > li", inRecord[busiest]-1),
		fmt.Sprintf("%d further hits of the busiest meeting", inRecord[busiest]-1), 10*time.Second)
	tb.screenshot("topic-1280")
	reportAxe(t, "/search/?q="+topic, " (results)", runAxe(t, tb))

	// a bar narrows the search to its year
	tb.click(fmt.Sprintf(`svg.year-chart rect[data-year="%d"]`, last))
	want := fmt.Sprintf("%d 段發言，出自 ", perYear[last])
	tb.waitFor(fmt.Sprintf(`document.querySelector('#search-status').textContent.startsWith(%q)`, want), "the count for "+fmt.Sprint(last), 10*time.Second)
	if q := eval[string](tb, `new URL(location.href).searchParams.get('from')`); q != fmt.Sprintf("%d-01-01", last) {
		t.Errorf("after clicking %d the address has from=%q", last, q)
	}

	// phone width
	if _, err := chromedp.Call(tb.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 2, Mobile: true}); err != nil {
		t.Fatal(err)
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the results page is %d px wide at 390 px", w)
	}
	tb.screenshot("topic-390")
	tb.assertClean()

	// the English interface over records in both languages
	en := newTab(t, sampleSite.Dir(t), false)
	en.open("/en/search/?q=AI")
	en.waitFor(`document.querySelector('#search-app a.result') && document.querySelector('.year-chart')`, "English results with a year chart", 20*time.Second)
	if got := en.text("#search-status"); !strings.HasSuffix(got, " meetings") && !strings.Contains(got, " records") {
		t.Errorf("English status %q", got)
	}
	checkLangs(t, en, "/en/search/?q=AI")
	checkCharts(t, en, "/en/search/?q=AI")
	reportAxe(t, "/en/search/?q=AI", " (results)", runAxe(t, en))
	setDark(t, en, true)
	reportAxe(t, "/en/search/?q=AI", " (results, dark scheme)", runAxe(t, en, "color-contrast", "link-in-text-block"))
	en.screenshot("en-dark")
	en.assertClean()
}

// TestSearchCheckQuote: a quote typed with a character left out finds its
// turn, and the page shows the turn's own wording with the missing
// character marked and a link to cite it; a verbatim quote shows no such
// box.
func TestSearchCheckQuote(t *testing.T) {
	r, turn, said := longTurn(t, sampleSite.archive(t), 24)
	rs := []rune(said)
	k := len(rs) / 2
	for k < len(rs)-3 && !unicode.Is(unicode.Han, rs[k]) {
		k++
	}
	typed := string(rs[:k]) + string(rs[k+1:])
	tb := newTab(t, sampleSite.Dir(t), false)
	tb.open("/search/?q=" + url.QueryEscape(typed))
	tb.waitFor(`document.querySelector('#search-app a.result')`, "results for a misremembered quote", 20*time.Second)
	tb.waitFor(`!document.querySelector('#search-check').hidden`, "the difference view", 5*time.Second)
	if got := tb.text("#search-check ins"); got != string(rs[k]) {
		t.Errorf("the difference view marks %q as the record's own, want %q (typed %q)", got, string(rs[k]), typed)
	}
	if got := strings.Join(strings.Fields(tb.text("#search-check blockquote")), ""); !strings.Contains(got, strings.Join(strings.Fields(said), "")) {
		t.Errorf("the difference view shows %q, want the record's %q", got, said)
	}
	href := eval[string](tb, `decodeURIComponent(document.querySelector('#search-check a').getAttribute('href'))`)
	if want := r.URL() + "#" + turn.ID; href != want {
		t.Errorf("the difference view cites %s, want %s", href, want)
	}
	tb.screenshot("check")
	reportAxe(t, "/search/?q="+typed, " (difference view)", runAxe(t, tb))

	// verbatim: no box
	tb.open("/search/?q=" + url.QueryEscape(said))
	tb.waitFor(`document.querySelector('#search-app a.result')`, "results for a verbatim quote", 20*time.Second)
	if !eval[bool](tb, `document.querySelector('#search-check').hidden`) {
		t.Errorf("a verbatim quote shows the difference view: %q", tb.text("#search-check"))
	}
	tb.assertClean()
}

// longTurn returns a Chinese turn of the archive with n runes from its
// middle that start and end with a Han character.
func longTurn(t *testing.T, a *model.Archive, n int) (*model.Record, *model.Turn, string) {
	t.Helper()
	for _, r := range a.Records {
		if r.Lang != "zh-TW" {
			continue
		}
		for i := range r.Turns {
			rs := []rune(strings.Join(strings.Fields(r.Turns[i].SpeechText()), ""))
			if len(rs) < 3*n || r.Turns[i].ID == "" {
				continue
			}
			part := rs[len(rs)/3 : len(rs)/3+n]
			if unicode.Is(unicode.Han, part[0]) && unicode.Is(unicode.Han, part[n-1]) {
				return r, &r.Turns[i], string(part)
			}
		}
	}
	t.Fatal("no long Chinese turn in the archive")
	return nil, nil, ""
}

func minMaxYear(m map[int]int) (lo, hi int) {
	for y := range m {
		if lo == 0 || y < lo {
			lo = y
		}
		hi = max(hi, y)
	}
	return lo, hi
}

// loggedTab opens a tab on the sample site served by a server of its own,
// whose requests the test reads: the client runs in a worker, whose
// fetches the page's performance entries do not show. fetched reports
// whether a path matching the pattern (under /search/) was requested.
func loggedTab(t *testing.T) (tb *tab, fetched func(pattern string) bool, requests func() []string) {
	var mu sync.Mutex
	var seen []string
	dir := sampleSite.Dir(t)
	h := cli.Handler(dir)
	tb, _ = tabOn(t, dir, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Path)
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	requests = func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
	fetched = func(pattern string) bool {
		return slices.ContainsFunc(requests(), regexp.MustCompile(`^/search/`+pattern+`$`).MatchString)
	}
	return tb, fetched, requests
}

// waitFetched waits until the tab's client has requested a search file
// matching pattern.
func waitFetched(t *testing.T, fetched func(string) bool, requests func() []string, pattern, when string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !fetched(pattern); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("search/%s not fetched %s (requests: %v)", pattern, when, requests())
		}
	}
}

// TestSearchPrefetch: focusing the search box fetches what every query
// needs first (client.js, which carries the manifest and the variant
// tables, and the filter data), so the first query starts with the
// dictionary.
func TestSearchPrefetch(t *testing.T) {
	tb, fetched, requests := loggedTab(t)
	tb.open("/search/")
	tb.do(chromedp.Focus(chromedp.CSS("#search-q")))
	// client.js carries the manifest (with the dictionary's bucket
	// offsets) and the variant tables; the filter data is a file of its own
	for _, f := range []string{`client\.js`, `h/filters-[0-9a-f]{16}\.bin`} {
		waitFetched(t, fetched, requests, f, "on focus, before any query")
	}
	// and it was the worker that read the filters, not the page
	if tb.count("#search-results > li") != 0 || eval[bool](tb, `performance.getEntriesByType('resource').some((e) => /\/h\/filters-/.test(e.name))`) {
		t.Errorf("the page itself read the index, or showed results before any query: the client should run in a worker")
	}
	tb.assertClean()
}

// TestSearchInput checks what the search page does on an input: it has
// the client read the dictionary entries of what is in the box at once
// (not while an input method composes), searches typed text 200 ms after
// the last input, and a pasted quote at once.
func TestSearchInput(t *testing.T) {
	tb, fetched, requests := loggedTab(t)
	tb.open("/search/")
	tb.do(chromedp.Focus(chromedp.CSS("#search-q")))
	waitFetched(t, fetched, requests, `h/filters-[0-9a-f]{16}\.bin`, "on focus")
	const dict = `h/dict-[0-9a-f]{16}\.bin`
	// Inputs on the box alone, not reaching the form: no search runs, so
	// what reads the dictionary is the warming.
	input := func(inputType string, composing, bubbles bool) string {
		return fmt.Sprintf(`(() => { const i = document.getElementById('search-q'); i.value = '開放政府';
  i.dispatchEvent(new InputEvent('input', { inputType: %q, isComposing: %v, bubbles: %v })); return true; })()`, inputType, composing, bubbles)
	}
	eval[bool](tb, input("insertCompositionText", true, false))
	time.Sleep(500 * time.Millisecond)
	if fetched(dict) {
		t.Fatalf("the dictionary was read while an input method composed (requests: %v)", requests())
	}
	eval[bool](tb, input("insertText", false, false))
	waitFetched(t, fetched, requests, dict, "on an input, before any search")
	if tb.count("#search-results > li") != 0 {
		t.Errorf("results shown though no search ran")
	}
	// Typed, the search waits; pasted, it starts at once: the status says
	// so as the search starts.
	status := func(inputType string) string {
		return evalAsync[string](tb, fmt.Sprintf(`(async () => { const i = document.getElementById('search-q'); i.value = '資料開放';
  document.getElementById('search-status').textContent = '';
  i.dispatchEvent(new InputEvent('input', { inputType: %q, bubbles: true }));
  await new Promise((r) => setTimeout(r, 0));
  return document.getElementById('search-status').textContent; })()`, inputType))
	}
	loading := eval[string](tb, `document.getElementById('search-app').dataset.i18nLoading`)
	if got := status("insertText"); got != "" {
		t.Errorf("typed: the search started at once (status %q)", got)
	}
	if got := status("insertFromPaste"); got != loading {
		t.Errorf("pasted: status %q right after the input, want %q (the search started)", got, loading)
	}
	tb.waitFor(`document.querySelector('#search-results > li')`, "results of the pasted query", 20*time.Second)
	tb.assertClean()
}

// TestSearchResultsNotIndexed checks that robots.txt keeps the results
// pages of every language (a query in the URL) out of search engines'
// indexes, and nothing else.
func TestSearchResultsNotIndexed(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(defaultSite.Dir(t), "robots.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var disallowed []string
	for line := range strings.Lines(string(b)) {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "Disallow:"); ok {
			disallowed = append(disallowed, strings.TrimSpace(p))
		}
	}
	want := []string{"/search/?", "/en/search/?"}
	if !slices.Equal(disallowed, want) {
		t.Errorf("robots.txt disallows %q, want %q", disallowed, want)
	}
}
