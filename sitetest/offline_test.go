package sitetest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/cli"
)

// TestOffline reads as a reader on a train does: a transcript and a search
// while online, then the connection gone. The service worker (static/sw.js)
// must give back the transcript, the search page and the same answers to
// the same search, the offline page for a page never opened (in its
// language), and byte ranges of the search files exactly as the server
// gave them, from a range it kept or a file it kept whole.
//
// The site gets a server of its own, so the worker's origin is this test's
// alone, and going offline is stopping that server.
func TestOffline(t *testing.T) {
	dir := defaultSite.Dir(t)
	r := sampleRecord(t)
	tb, srv := serverTab(t, dir)
	tb.underWorker(r.URL())
	title := tb.text("h1")
	turns := tb.count(".turns .turn")

	const query = "開放政府"
	searchPath := "/search/?q=" + url.QueryEscape(query)
	tb.open(searchPath)
	tb.waitFor(`document.querySelector('#search-app a.result')`, "results online", 20*time.Second)
	if !eval[bool](tb, `!!navigator.serviceWorker.controller`) {
		t.Fatal("the service worker does not control the second page opened")
	}
	online := results(tb)

	// Range answers, online: a ranged read of a search file the search used
	// (kept as a range), and a whole read of another (kept whole).
	hdir := filepath.Join(dir, "search", "h")
	files, err := os.ReadDir(hdir)
	if err != nil {
		t.Fatal(err)
	}
	var ranged, whole string
	for _, f := range files {
		if strings.HasPrefix(f.Name(), "text-") || strings.HasPrefix(f.Name(), "dict-") {
			ranged = f.Name()
		} else if whole == "" || strings.HasPrefix(f.Name(), "docs-") {
			whole = f.Name()
		}
	}
	if ranged == "" || whole == "" {
		t.Fatalf("search/h/ has no dict or text file and another beside: %v", files)
	}
	rangedData, _ := os.ReadFile(filepath.Join(hdir, ranged))
	wholeData, _ := os.ReadFile(filepath.Join(hdir, whole))
	if len(rangedData) < 100 || len(wholeData) < 100 {
		t.Fatalf("%s or %s is under 100 bytes", ranged, whole)
	}
	checkRange(t, tb, ranged, rangedData, 17, 80, "online, ranged")
	if got := fetchAll(t, tb, whole); got != string(wholeData) {
		t.Errorf("%s whole online: %d bytes, want %d", whole, len(got), len(wholeData))
	}

	srv.CloseClientConnections()
	srv.Close()

	// Ranges, offline, in a tab of their own, as the failures asked for on
	// purpose are logged to its console: the same range again, and ranges
	// the worker has never been asked for, sliced from the file it kept
	// whole.
	probe := newTab(t, dir, false)
	probe.base = srv.URL
	probe.open(r.URL())
	if err := chromedp.Do(probe.ctx, chromedp.Evaluate[chromedp.Void](`fetch('/sw.js', { cache: 'no-store' }).then(() => { throw new Error('still online'); }, () => {})`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("the server still answers after closing: %v", err)
	}
	checkRange(t, probe, ranged, rangedData, 17, 80, "offline, the range kept")
	checkRange(t, probe, whole, wholeData, 0, 9, "offline, from the whole file")
	checkRange(t, probe, whole, wholeData, 33, len(wholeData)+1000, "offline, past the end, from the whole file")
	if st := evalAsync[int](probe, fmt.Sprintf(`fetch('/search/h/%s', { headers: { Range: 'bytes=%d-%d' } }).then((r) => r.status)`, whole, len(wholeData)+5, len(wholeData)+9)); st != 416 {
		t.Errorf("a range past the end of a kept file: HTTP %d, want 416", st)
	}
	if evalAsync[bool](probe, fmt.Sprintf(`fetch('/search/h/%s', { headers: { Range: 'bytes=1-2' } }).then(() => true, () => false)`, ranged)) {
		t.Errorf("a range of %s never fetched was answered offline", ranged)
	}

	// The transcript, from the worker's cache.
	tb.open(r.URL())
	if got := tb.text("h1"); got != title {
		t.Errorf("offline, the transcript's heading is %q, want %q", got, title)
	}
	if got := tb.count(".turns .turn"); got != turns {
		t.Errorf("offline, the transcript has %d turns, want %d", got, turns)
	}

	// The same search, answered from the kept search files.
	tb.open(searchPath)
	tb.waitFor(`document.querySelector('#search-app a.result')`, "results offline", 20*time.Second)
	if got := results(tb); got != online {
		t.Errorf("offline results differ:\n%s\nonline:\n%s", got, online)
	}

	// A page never opened: the offline page, in the page's language.
	for _, p := range []struct{ path, lang, h1 string }{
		{"/plans/", "zh-TW", "目前沒有網路連線"},
		{"/en/meetings/", "en", "You are offline"},
	} {
		tb.open(p.path)
		if got := tb.text("h1"); got != p.h1 {
			t.Errorf("offline %s: heading %q, want %q", p.path, got, p.h1)
		}
		if got := eval[string](tb, `document.documentElement.lang`); got != p.lang {
			t.Errorf("offline %s: lang %q, want %q", p.path, got, p.lang)
		}
		if !eval[bool](tb, `getComputedStyle(document.querySelector('.site-header')).borderBottomStyle === 'solid'`) {
			t.Errorf("offline %s: the offline page is unstyled", p.path)
		}
		reportAxe(t, p.path, " (offline)", runAxe(t, tb))
	}
	tb.assertClean()
}

// serverTab opens a tab on a server of its own for the site at dir, so
// that the service worker's origin, and its caches, are the caller's
// alone; closing the server takes the tab offline.
func serverTab(t *testing.T, dir string) (*tab, *httptest.Server) {
	return tabOn(t, dir, cli.Handler(dir))
}

// tabOn opens a tab on a server of its own for the site at dir, serving
// it with h.
func tabOn(t *testing.T, dir string, h http.Handler) (*tab, *httptest.Server) {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tb := newTab(t, dir, false)
	tb.base = srv.URL
	return tb, srv
}

// underWorker opens path, the first page, and waits for the service
// worker, which keeps that page on activating and controls the pages
// opened after it.
func (tb *tab) underWorker(path string) {
	tb.t.Helper()
	tb.open(path)
	waitAsync(tb, `navigator.serviceWorker.ready.then(() => caches.match(location.href.split('#')[0])).then((r) => !!r)`, "the first page in the cache", 20*time.Second)
}

// results is the text of a search page's results, one per line.
func results(tb *tab) string {
	return eval[string](tb, `[...document.querySelectorAll('#search-results > li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim()).join('\n')`)
}

// checkRange fetches bytes [start, end] (inclusive, as in the header) of a
// search file through the page, and fails unless the answer is the 206 a
// server gives: the slice of data, clipped at its end, with its
// Content-Range.
func checkRange(t *testing.T, tb *tab, name string, data []byte, start, end int, what string) {
	t.Helper()
	type answer struct {
		Status int    `json:"status"`
		Range  string `json:"range"`
		Body   string `json:"body"`
	}
	got := evalAsync[answer](tb, fmt.Sprintf(`fetch('/search/h/%s', { headers: { Range: 'bytes=%d-%d' } }).then(async (r) => {
  const b = new Uint8Array(await r.arrayBuffer());
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return { status: r.status, range: r.headers.get('Content-Range') || '', body: btoa(s) };
})`, name, start, end))
	last := min(end, len(data)-1)
	want := answer{Status: 206, Range: fmt.Sprintf("bytes %d-%d/%d", start, last, len(data)), Body: base64.StdEncoding.EncodeToString(data[start : last+1])}
	if got != want {
		t.Errorf("%s: bytes=%d-%d of %s: HTTP %d %q, %d base64 chars; want HTTP %d %q, %d", what, start, end, name,
			got.Status, got.Range, len(got.Body), want.Status, want.Range, len(want.Body))
	}
}

// fetchAll fetches a whole search file through the page, as a binary
// string.
func fetchAll(t *testing.T, tb *tab, name string) string {
	t.Helper()
	b64 := evalAsync[string](tb, fmt.Sprintf(`fetch('/search/h/%s').then((r) => r.arrayBuffer()).then((ab) => {
  let s = '';
  for (const c of new Uint8Array(ab)) s += String.fromCharCode(c);
  return btoa(s);
})`, name))
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitAsync polls an expression that returns a promise until it resolves
// to true, or fails after timeout with what.
func waitAsync(tb *tab, expr, what string, timeout time.Duration) {
	tb.t.Helper()
	deadline := time.Now().Add(timeout)
	for !evalAsync[bool](tb, expr) {
		if time.Now().After(deadline) {
			tb.t.Fatalf("timed out after %v waiting for %s (%s); page problems: %v", timeout, what, expr, tb.problems())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
