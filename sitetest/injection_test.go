package sitetest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/plan"
)

// The hostile records (testdata/hostile) put payloads in every field a
// maintainer controls. A payload that ran would set window.__pwned or open
// a dialog. These tests prove none does, with the Content-Security-Policy
// and without it (the markup must be safe on its own), and that every
// page still renders every turn.

// hostileFileNames are transcripts whose names are payloads: a file name
// becomes a slug, a title and a link. They are written at build time so
// the repository checks out on systems that forbid these characters.
var hostileFileNames = []string{
	`2021-02-01-"><img src=x onerror=window.__pwned=1>.md`,
	`2021-02-02-<script>window.__pwned=1<∕script>.md`,
	`javascript:window.__pwned=1.md`,
	`2021-02-03-..%2F..%2F%3Cscript%3E.md`,
	`2021-02-04-<>.md`,
}

// prepareHostile completes a copy of the hostile records: it adds the
// transcripts of hostileFileNames, and imports testdata/hostile-
// commitments.csv into the action plan as a maintainer's
// `ogarchive import-commitments` would, so spreadsheet cells reach the
// pages too.
func prepareHostile(dir string) error {
	for _, name := range hostileFileNames {
		src := "### 唐鳳：\nA transcript whose file name is a payload.\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			return err
		}
	}
	var d diag.List
	csv := filepath.Join(repoRoot, "sitetest", "testdata", "hostile-commitments.csv")
	if _, err := plan.ImportFile(csv, dir, plan.ImportOptions{ID: "2021-2022"}, &d); err != nil {
		return fmt.Errorf("importing %s: %v\n%s", csv, err, d.String())
	}
	return nil
}

// urlAttrs are attributes whose value a browser may load or navigate to.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "data": true,
	"poster": true, "background": true, "xlink:href": true, "srcset": true, "cite": true, "ping": true}

// TestHostileMarkup reads every page of the hostile site and fails on
// markup that could run script or escape the page, even where the
// Content-Security-Policy would block it: whatever the policy blocks
// (inline scripts, event handlers, inline styles, foreign frames, plugins,
// <base>), plus javascript:, vbscript: and data: URLs anywhere, refreshes
// off the site, srcdoc, and id or name "__pwned" (clobbering the flag).
// JSON-LD must stay valid JSON, whatever the titles hold.
func TestHostileMarkup(t *testing.T) {
	dir := hostileSite.Dir(t)
	base, _ := url.Parse(baseURL)
	pages := 0
	err := eachPage(dir, func(page string, data []byte) error {
		pages++
		for _, problem := range unsafeMarkup(data, base) {
			t.Errorf("%s: %s", page, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 20 {
		t.Errorf("the hostile site has only %d pages", pages)
	}
}

// unsafeMarkup lists what in one page could execute or escape the page.
func unsafeMarkup(data []byte, base *url.URL) []string {
	csp, _ := pagePolicy(data)
	out := cspViolations(data, parsePolicy(csp), base)
	z := html.NewTokenizer(bytes.NewReader(data))
	jsonLD := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.TextToken:
			if jsonLD && !json.Valid(z.Text()) {
				out = append(out, fmt.Sprintf("JSON-LD is not valid JSON (a title closed the script?): %.120s", z.Text()))
			}
			continue
		case html.EndTagToken:
			jsonLD = false
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		tok := z.Token()
		a := attrs(tok)
		jsonLD = tok.Data == "script" && a["type"] == "application/ld+json"
		if tok.Data == "meta" && strings.EqualFold(a["http-equiv"], "refresh") {
			target, _ := refreshURL(a["content"])
			if u, err := base.Parse(target); err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
				out = append(out, "refresh off the site: "+a["content"])
			}
		}
		for k, v := range a {
			switch {
			case k == "srcdoc":
				out = append(out, fmt.Sprintf("srcdoc on <%s>", tok.Data))
			case (k == "id" || k == "name") && v == "__pwned":
				out = append(out, fmt.Sprintf("<%s %s=%q> clobbers the flag", tok.Data, k, v))
			case urlAttrs[k] && dangerousURL(v):
				out = append(out, fmt.Sprintf("<%s %s=%q>", tok.Data, k, v))
			}
		}
	}
}

// dangerousURL reports whether a URL would run script or smuggle a
// document: javascript:, vbscript: or data:, however it is spelled
// (browsers drop ASCII tab and newline and leading controls and spaces).
func dangerousURL(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.ToLower(strings.TrimLeft(v, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
	return strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:")
}

// TestHostileRecordsPublished requires every hostile record to be
// accepted, not refused (markup in a field is text to publish, not an
// error), and each kind to have its page, so the other tests see them.
func TestHostileRecordsPublished(t *testing.T) {
	dir := hostileSite.Dir(t)
	for _, f := range hostileSite.res.Findings.Sorted() {
		if f.Severity == diag.Error {
			t.Errorf("refused: %s", f)
		}
	}
	for _, page := range []string{
		"/2021-01-01-hostile-titles/", "/2021-01-05-english-hostile/",
		"/camps/2021-01-06-hostile-camp/", "/camps/2021-01-06-hostile-camp/payloads/",
		"/plans/2021-2022/",
	} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(page), "index.html")); err != nil {
			t.Errorf("%s was not published", page)
		}
	}
}

// TestHostileTurnsKept requires every speaker turn a hostile transcript
// has in its source (a `###` line outside a code fence) to be on its page:
// broken HTML in one turn must not swallow the turns after it.
func TestHostileTurnsKept(t *testing.T) {
	dir := hostileSite.Dir(t)
	for _, r := range hostileSite.archive(t).Records {
		src, err := os.ReadFile(filepath.Join(hostileSite.recs, r.File))
		if err != nil {
			t.Fatal(err)
		}
		want := speakerLines(src)
		page, err := os.ReadFile(filepath.Join(dir, r.Slug, "index.html"))
		if err != nil {
			t.Errorf("%s: no page: %v", r.File, err)
			continue
		}
		if got := bytes.Count(page, []byte(`<section class="turn"`)); got != want {
			t.Errorf("%s: %d speaker turns in the source, %d on the page /%s/", r.File, want, got, r.Slug)
		}
	}
}

// speakerLines counts the `###` lines of a transcript outside fenced code.
func speakerLines(src []byte) int {
	n := 0
	fence := false
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			fence = !fence
		}
		if !fence && strings.HasPrefix(line, "### ") {
			n++
		}
	}
	return n
}

// hostilePages lists the site paths of the hostile site's pages, without
// the redirect pages of old addresses (they navigate away at once; the
// markup test covers them).
func hostilePages(t *testing.T) []string {
	t.Helper()
	dir := hostileSite.Dir(t)
	var pages []string
	eachPage(dir, func(page string, data []byte) error {
		if strings.HasSuffix(page, "/") && !isRedirectPage(data) { // an index.html
			pages = append(pages, page)
		}
		return nil
	})
	sort.Strings(pages)
	return pages
}

// assertNotPwned fails if a payload ran in the tab.
func (tb *tab) assertNotPwned(where string) {
	tb.t.Helper()
	time.Sleep(150 * time.Millisecond) // error and load handlers fire after the load event
	if v := eval[string](tb, `typeof window.__pwned`); v != "undefined" {
		tb.t.Errorf("%s: window.__pwned is %s: a payload ran or clobbered it", where, v)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, d := range tb.dialogs {
		tb.t.Errorf("%s: a payload opened a dialog: %s", where, d)
	}
	tb.dialogs = nil
}

// TestHostileBrowser loads every page of the hostile site in Chromium,
// once with its Content-Security-Policy and once with the policy bypassed,
// and requires no payload to run and every page to render to its footer.
// Under the policy the page must also cause no violation or console error:
// a blocked payload is still a payload that reached the page.
func TestHostileBrowser(t *testing.T) {
	dir := hostileSite.Dir(t)
	pages := hostilePages(t)
	for _, bypass := range []bool{false, true} {
		mode := "with CSP"
		if bypass {
			mode = "CSP bypassed"
		}
		t.Run(mode, func(t *testing.T) {
			tb := newTab(t, dir, bypass)
			for _, p := range pages {
				tb.open(p)
				tb.assertNotPwned(p)
				if !eval[bool](tb, `!!document.querySelector('body > footer.site-footer') && !!document.querySelector('main h1')`) {
					t.Errorf("%s: the page did not render to its footer", p)
				}
				if strings.Contains(p, "hostile-titles") {
					tb.screenshot("titles")
				}
				if !bypass {
					tb.assertClean()
					tb.reset()
				}
			}
		})
	}
}

// reset forgets the problems seen so far, so each page is judged alone.
func (tb *tab) reset() {
	tb.mu.Lock()
	tb.messages, tb.dialogs = nil, nil
	tb.mu.Unlock()
}

// fragmentPayloads are URL fragments a link could carry into a page.
var fragmentPayloads = []string{
	`<img src=x onerror=window.__pwned=1>`,
	`"><svg onload=window.__pwned=1>`,
	`javascript:window.__pwned=1`,
	`');window.__pwned=1;//`,
	`%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E`,
	`%E0%A4%A`, // malformed percent-encoding: decodeURIComponent throws
}

// TestHostileFragments opens a transcript with hostile fragments and
// navigates between turns, which reads the fragment.
func TestHostileFragments(t *testing.T) {
	dir := hostileSite.Dir(t)
	tb := newTab(t, dir, true) // no CSP: the script must be safe by itself
	record := "/2021-01-01-hostile-titles/"
	for _, f := range fragmentPayloads {
		tb.do(chromedp.Navigate(tb.base + record + "#" + f))
		tb.assertNotPwned(record + "#" + f)
		eval[chromedp.Void](tb, `location.hash = `+jsString(f))
		tb.key("j")
		tb.assertNotPwned(record + " after hashchange to #" + f + " and j")
	}
	tb = newTab(t, dir, false)
	for _, f := range fragmentPayloads {
		tb.do(chromedp.Navigate(tb.base + record + "#" + f))
		tb.key("j")
		tb.assertNotPwned(record + "#" + f + " (with CSP)")
	}
	tb.assertClean()
}

// searchPayloads are queries a reader could type or a link could carry.
var searchPayloads = []string{
	`<img src=x onerror=window.__pwned=1>`,
	`"><svg onload=window.__pwned=1>`,
	`</script><script>window.__pwned=1</script>`,
	`javascript:window.__pwned=1`,
	`${window.__pwned=1}`,
}

// TestHostileSearch sends payloads to the search page through ?q= and the
// search box, then searches the hostile turns themselves: results must
// show their payloads as text, and following one must run nothing.
func TestHostileSearch(t *testing.T) {
	dir := hostileSite.Dir(t)
	tb := newTab(t, dir, true)
	input := chromedp.CSS("#search-app input[type=search]")
	for _, q := range searchPayloads {
		tb.open("/search/?q=" + url.QueryEscape(q))
		tb.assertNotPwned("/search/?q=" + q)
		tb.do(chromedp.WaitVisible(input))
		eval[chromedp.Void](tb, `document.querySelector('#search-app input[type=search]').value = ''`)
		tb.do(chromedp.SendKeys(input, q))
		tb.assertNotPwned("/search/ typing " + q)
	}
	tb.open("/search/")
	tb.do(chromedp.WaitVisible(input), chromedp.SendKeys(input, "hostile"))
	tb.waitFor(`document.querySelector('#search-app a.result')`, "results for \"hostile\" (the search UI contract: #search-app input[type=search], results #search-app a.result)", 20*time.Second)
	tb.assertNotPwned("/search/ results for hostile")
	// the elements the page builds results of: a payload could only add others
	foreign := eval[[]string](tb, `Array.from(document.querySelectorAll('#search-results *, #search-check *')).map((el) => el.tagName.toLowerCase()).filter((t) => !['li', 'a', 'p', 'mark', 'span', 'details', 'summary', 'ol', 'h2', 'blockquote', 'ins', 'del'].includes(t))`)
	if len(foreign) > 0 {
		t.Errorf("search results contain elements %v: result text became markup", foreign)
	}
	// a quote typed with a word left out: the difference view shows the
	// hostile turn's own words, as text
	tb.open("/search/?q=" + url.QueryEscape("hostile input never run"))
	tb.waitFor(`!document.querySelector('#search-check').hidden`, "the difference view for a hostile turn", 20*time.Second)
	tb.assertNotPwned("/search/ difference view of a hostile turn")
	if foreign := eval[[]string](tb, `Array.from(document.querySelectorAll('#search-check *')).map((el) => el.tagName.toLowerCase()).filter((t) => !['h2', 'p', 'a', 'span', 'blockquote', 'ins', 'del'].includes(t))`); len(foreign) > 0 {
		t.Errorf("the difference view contains elements %v: record text became markup", foreign)
	}
	tb.open("/search/?q=hostile")
	tb.waitFor(`document.querySelector('#search-app a.result')`, "results for \"hostile\"", 20*time.Second)
	tb.follow("#search-app a.result")
	tb.assertNotPwned("a search result for hostile")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
