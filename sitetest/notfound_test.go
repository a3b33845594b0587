package sitetest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestNotFoundPage opens addresses the archive does not have on a host
// that serves 404.html for them, as GitHub Pages does: the page says so
// with status 404, offers the search filled with the address's words and
// the meetings index, in the address's language, and its search leads to
// results.
func TestNotFoundPage(t *testing.T) {
	dir := defaultSite.Dir(t)
	for _, c := range []struct {
		path, h1, words, meetings string
	}{
		{"/2019-05-02-開放資料-演講/", "找不到這個網址", "開放資料 演講", "/meetings/"},
		{"/en/2019-05-02-talk-on-open-data/", "Page not found", "talk on open data", "/en/meetings/"},
		{"/speech/628198", "找不到這個網址", "speech", "/meetings/"},
	} {
		t.Run(c.path, func(t *testing.T) {
			res, err := http.Get(serve(dir) + c.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("status %d, want 404", res.StatusCode)
			}
			tb := newTab(t, dir, false)
			tb.open(c.path)
			tb.waitFor(`document.querySelector('h1')`, "the 404 page", 10*time.Second)
			if h := eval[string](tb, `document.querySelector('h1').textContent`); h != c.h1 {
				t.Errorf("h1 %q, want %q", h, c.h1)
			}
			tb.waitFor(`document.getElementById('notfound-q').value !== ''`, "the search box filled in", 5*time.Second)
			if v := eval[string](tb, `document.getElementById('notfound-q').value`); v != c.words {
				t.Errorf("search box %q, want %q", v, c.words)
			}
			if n := tb.count(`main a[href="` + c.meetings + `"]`); n == 0 {
				t.Errorf("no link to %s", c.meetings)
			}
			// The one console error is the browser's note of the 404 itself.
			for _, p := range tb.problems() {
				if !strings.Contains(p, "status of 404") {
					t.Errorf("page problem: %s", p)
				}
			}
			if !strings.Contains(c.path, "speech") {
				tb.do(chromedp.Submit(chromedp.CSS("#notfound-q")))
				tb.waitFor(`location.pathname.endsWith('/search/') && document.querySelector('#search-app a.result')`, "results of the 404 page's search", 20*time.Second)
			}
		})
	}
}
