package sitetest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/turnid"
)

// The journeys of a reader through the default site, in a real browser.
// Every test ends by asserting the tab saw no console error, uncaught
// exception, CSP violation or dialog.

// sampleRecord is the transcript the journeys read: a dated record with
// several speakers, the shortest such in the default records.
func sampleRecord(t *testing.T) *model.Record {
	t.Helper()
	var best *model.Record
	for _, r := range defaultSite.archive(t).Records {
		if !r.Dated() || r.SpeakerTurns() < 5 {
			continue
		}
		if best == nil || len(r.Turns) < len(best.Turns) {
			best = r
		}
	}
	if best == nil {
		t.Fatal("the default records have no dated transcript with 5 turns")
	}
	return best
}

// follow clicks the first element matching sel, which must be a link, and
// waits for the page it leads to.
func (tb *tab) follow(sel string) {
	tb.t.Helper()
	href := eval[string](tb, fmt.Sprintf(`(document.querySelector(%q) || {}).href || ''`, sel))
	if href == "" {
		tb.t.Fatalf("%s: no link %s; problems: %v", tb.path(), sel, tb.problems())
	}
	tb.click(sel)
	// 30 s: the corpus site's largest pages, with every browser test of
	// the package running beside them on two cores, took over 15 s in CI.
	tb.waitFor(fmt.Sprintf(`location.href === %q && document.readyState === 'complete'`, href), "the page of "+href, 30*time.Second)
}

// text returns the trimmed text of the first element matching sel, or "".
func (tb *tab) text(sel string) string {
	return eval[string](tb, fmt.Sprintf(`((document.querySelector(%q) || {}).textContent || '').trim()`, sel))
}

// count returns how many elements match sel.
func (tb *tab) count(sel string) int {
	return eval[int](tb, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

func TestReaderHomeToTranscript(t *testing.T) {
	tb := newTab(t, defaultSite.Dir(t), false)
	tb.open("/")
	if h1 := tb.text("main h1"); h1 != "開放政府逐字稿典藏" {
		t.Errorf("home h1 = %q", h1)
	}
	if n := tb.count("main ul.records a"); n == 0 {
		t.Fatal("home lists no recent meetings")
	}
	tb.screenshot("home")
	title := tb.text("main ul.records a")
	tb.follow("main ul.records a")
	if h1 := tb.text("main h1"); h1 != title {
		t.Errorf("followed %q, landed on h1 %q", title, h1)
	}
	if n := tb.count(".turns .turn"); n == 0 {
		t.Errorf("%s: no turns rendered", tb.path())
	}
	tb.assertClean()
}

func TestReaderMeetingsIndex(t *testing.T) {
	tb := newTab(t, defaultSite.Dir(t), false)
	tb.open("/meetings/")
	if n := tb.count("main ul.years a"); n == 0 {
		t.Fatal("meetings index lists no years")
	}
	tb.screenshot("meetings")
	year := strings.TrimSuffix(tb.text("main ul.years a"), "年")
	tb.follow("main ul.years a")
	if h1 := tb.text("main h1"); !strings.HasPrefix(h1, year) {
		t.Errorf("year page h1 = %q, want %s…", h1, year)
	}
	if n := tb.count("main a[href]"); n < 2 {
		t.Errorf("year page %s links to %d pages", tb.path(), n)
	}
	tb.screenshot("year")
	tb.assertClean()
}

func TestReaderTranscript(t *testing.T) {
	r := sampleRecord(t)
	tb := newTab(t, defaultSite.Dir(t), false)
	tb.open(r.URL())
	if h1 := tb.text("main h1"); h1 != r.Title {
		t.Errorf("h1 = %q, want %q", h1, r.Title)
	}
	if got, want := tb.count(".turns .turn"), r.SpeakerTurns(); got != want {
		t.Errorf("%d turns rendered, the record has %d", got, want)
	}
	tb.screenshot("transcript")

	// A turn's permalink targets and highlights it.
	second := eval[string](tb, `document.querySelectorAll('.turns .turn')[1].id`)
	sel := `[id="` + second + `"]` // ids may start with a digit
	tb.click(sel + " .permalink")
	tb.waitFor(`location.hash === '#`+second+`'`, "the permalink's fragment", 5*time.Second)
	tb.waitFor(`document.getElementById('`+second+`').classList.contains('is-target')`, "the target turn highlighted", 5*time.Second)

	// Cite this turn: a panel with the citation, the title and the permalink.
	tb.click(sel + " button.cite")
	tb.waitFor(`document.querySelector('`+sel+` .cite-panel textarea')`, "the citation panel", 5*time.Second)
	cite := eval[string](tb, `document.querySelector('`+sel+` .cite-panel textarea').value`)
	if !strings.Contains(cite, r.Title) || !strings.Contains(cite, "#"+second) {
		t.Errorf("citation %q lacks the title or the permalink #%s", cite, second)
	}
	tb.screenshot("cite")
	tb.assertClean()
}

func TestReaderKeyboardTurns(t *testing.T) {
	r := sampleRecord(t)
	tb := newTab(t, defaultSite.Dir(t), false)
	tb.open(r.URL())
	ids := eval[[]string](tb, `Array.from(document.querySelectorAll('.turns .turn')).map((el) => el.id)`)
	if len(ids) < 3 {
		t.Fatalf("need 3 turns, have %d", len(ids))
	}
	steps := []struct {
		key  string
		want string
	}{
		{"j", ids[0]}, {"j", ids[1]}, {"j", ids[2]}, {"k", ids[1]}, {"k", ids[0]}, {"k", ids[0]},
	}
	for i, s := range steps {
		tb.key(s.key)
		tb.waitFor(`location.hash === '#`+s.want+`'`, fmt.Sprintf("step %d (%s) to reach turn %s", i+1, s.key, s.want), 5*time.Second)
		targets := eval[[]string](tb, `Array.from(document.querySelectorAll('.is-target')).map((el) => el.id)`)
		if len(targets) != 1 || targets[0] != s.want {
			t.Errorf("step %d (%s): highlighted %v, want [%s]", i+1, s.key, targets, s.want)
		}
		if focus := eval[string](tb, `(document.activeElement.closest('.turn') || {}).id || ''`); focus != s.want {
			t.Errorf("step %d (%s): focus is in turn %q, want %s", i+1, s.key, focus, s.want)
		}
	}
	// j and k are text in a form field, not navigation.
	tb.do(chromedp.Focus(chromedp.ID("site-q")))
	tb.key("j")
	if h := eval[string](tb, `location.hash`); h != "#"+ids[0] {
		t.Errorf("typing j in the search box moved to %s", h)
	}
	tb.assertClean()
}

func TestReaderSpeaker(t *testing.T) {
	r := sampleRecord(t)
	tb := newTab(t, defaultSite.Dir(t), false)
	tb.open(r.URL())
	name := tb.text(".turns .turn a.speaker")
	tb.follow(".turns .turn a.speaker")
	if h1 := tb.text("main h1"); h1 != name {
		t.Errorf("speaker page h1 = %q, want %q", h1, name)
	}
	tb.screenshot("speaker")
	// The speaker page links back to the meeting.
	found := eval[bool](tb, fmt.Sprintf(`Array.from(document.querySelectorAll('main a')).some((a) => decodeURIComponent(new URL(a.href).pathname) === %q)`, r.URL()))
	if !found {
		t.Errorf("speaker page %s does not link to %s", tb.path(), r.URL())
	}
	tb.open("/speakers/")
	if n := tb.count("main .speaker-list a"); n != len(speakerPages(t)) {
		t.Errorf("speakers index lists %d speakers, the site has %d speaker pages", n, len(speakerPages(t)))
	}
	tb.assertClean()
}

// speakerPages lists the speaker page directories of the default site.
func speakerPages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, sub := range []string{"speakers", "en/speakers"} {
		entries, _ := os.ReadDir(filepath.Join(defaultSite.Dir(t), sub))
		for _, e := range entries {
			if e.IsDir() {
				out = append(out, sub+"/"+e.Name())
			}
		}
	}
	return out
}

func TestReaderLanguageSwitch(t *testing.T) {
	tb := newTab(t, defaultSite.Dir(t), false)
	tb.open("/")
	tb.follow("a.langswitch")
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "en" {
		t.Errorf("after the switch, <html lang=%q>, want en", lang)
	}
	if p := tb.path(); p != "/en/" {
		t.Errorf("the switch led to %s, want /en/", p)
	}
	if nav := tb.text(".site-header nav"); !strings.Contains(nav, "Meetings") {
		t.Errorf("English navigation reads %q", nav)
	}
	tb.screenshot("home-en")
	tb.follow("a.langswitch")
	if p := tb.path(); p != "/" {
		t.Errorf("switching back led to %s, want /", p)
	}
	// Navigation pages switch to their own translation.
	tb.open("/meetings/")
	tb.follow("a.langswitch")
	if p := tb.path(); p != "/en/meetings/" {
		t.Errorf("the meetings index switched to %s, want /en/meetings/", p)
	}
	tb.assertClean()
}

func TestReaderSearch(t *testing.T) {
	r := sampleRecord(t)
	// A phrase a reader remembers: eight characters from the middle of a turn.
	var turn *model.Turn
	for i := range r.Turns {
		if r.Turns[i].Ordinal > 1 && len([]rune(r.Turns[i].SpeechText())) > 40 {
			turn = &r.Turns[i]
			break
		}
	}
	if turn == nil {
		t.Fatal("no long turn to search for")
	}
	text := []rune(turn.SpeechText())
	query := string(text[10:18])

	tb := newTab(t, defaultSite.Dir(t), false)
	tb.open("/search/")
	tb.do(chromedp.WaitVisible(chromedp.CSS("#search-app input[type=search]")))
	tb.do(chromedp.SendKeys(chromedp.CSS("#search-app input[type=search]"), query))
	tb.waitFor(`document.querySelector('#search-app a.result')`, fmt.Sprintf("a result for %q (the search UI contract: #search-app input[type=search], results #search-app a.result)", query), 20*time.Second)
	if n := tb.count("#search-app mark"); n == 0 {
		t.Errorf("results for %q highlight nothing", query)
	}
	tb.screenshot("results")
	if q := eval[string](tb, `new URL(location.href).searchParams.get('q') || ''`); q != query {
		t.Errorf("the address keeps q=%q, want %q", q, query)
	}
	tb.follow("#search-app a.result")
	if p := eval[string](tb, `decodeURIComponent(location.pathname)`); p != r.URL() {
		t.Errorf("the first result for %q leads to %s, want %s", query, p, r.URL())
	}
	tb.waitFor(`document.querySelector('.turn.is-target')`, "the highlighted turn", 5*time.Second)
	if got := tb.text(".turn.is-target"); !strings.Contains(strings.Join(strings.Fields(got), ""), strings.Join(strings.Fields(query), "")) {
		t.Errorf("the highlighted turn does not say %q: %.200q", query, got)
	}
	tb.screenshot("result-turn")
	tb.assertClean()
}

// builtPages lists the site paths of pages under prefix ("camps/") at the
// given depth below it, sorted: depth 1 is "camps/<id>/".
func builtPages(t *testing.T, dir, prefix string, depth int) []string {
	t.Helper()
	pattern := filepath.Join(dir, filepath.FromSlash(prefix)) + strings.Repeat("/*", depth) + "/index.html"
	files, _ := filepath.Glob(pattern)
	var out []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, filepath.Dir(f))
		out = append(out, "/"+filepath.ToSlash(rel)+"/")
	}
	sort.Strings(out)
	return out
}

// requirePage returns the first built page under prefix at depth, failing
// with a pending notice when the site has none yet.
func requirePage(t *testing.T, dir, prefix string, depth int, what string) string {
	t.Helper()
	pages := builtPages(t, dir, prefix, depth)
	if len(pages) == 0 {
		t.Fatalf("pending: the built default site has no %s (no /%s… page): the records have them, the pipeline does not render them yet", what, prefix)
	}
	return pages[0]
}

func TestReaderCamp(t *testing.T) {
	dir := defaultSite.Dir(t)
	camp := requirePage(t, dir, "camps/", 1, "consensus-camp page")
	tb := newTab(t, dir, false)
	tb.open(camp)
	if tb.text("main h1") == "" {
		t.Errorf("%s has no title", camp)
	}
	if n := tb.count("main .outcome"); n == 0 {
		t.Fatalf("%s lists no outcomes", camp)
	}
	tb.screenshot("camp")
	tb.follow("main .outcome a[href]")
	if tb.text("main h1") == "" {
		t.Errorf("outcome page %s has no title", tb.path())
	}
	tb.screenshot("outcome")
	followCitation(t, tb)
	tb.assertClean()
}

func TestReaderCommitment(t *testing.T) {
	dir := defaultSite.Dir(t)
	plan := requirePage(t, dir, "plans/", 1, "action-plan (commitments) page")
	tb := newTab(t, dir, false)
	tb.open(plan)
	if tb.text("main h1") == "" {
		t.Errorf("%s has no title", plan)
	}
	tb.screenshot("plan")
	commitment := requirePage(t, dir, "plans/", 2, "commitment page")
	tb.open(commitment)
	if tb.text("main h1") == "" {
		t.Errorf("%s has no title", commitment)
	}
	tb.screenshot("commitment")
	followCitation(t, tb)
	tb.assertClean()
}

// followCitation follows the page's first link to a transcript turn (a
// link with a fragment, outside the camp and plan pages) and checks the
// turn is there and highlighted.
func followCitation(t *testing.T, tb *tab) {
	t.Helper()
	href := eval[string](tb, `Array.from(document.querySelectorAll('main a[href*="#"]')).map((a) => new URL(a.href))
  .find((u) => u.origin === location.origin && u.hash.length > 1 && !/^\/(en\/)?(camps|plans)\//.test(u.pathname))?.href || ''`)
	if href == "" {
		t.Errorf("%s cites no transcript turn", tb.path())
		return
	}
	tb.do(chromedp.Navigate(href))
	tb.waitFor(`document.querySelector('.turn.is-target, .narrative.is-target')`, "the cited turn of "+href+" highlighted", 5*time.Second)
}

// movedSite is the default records with one renamed transcript, so that an
// old address exists.
var movedSite = &builtSite{name: "moved", records: "records", copy: true, extra: func(dir string) error {
	return os.WriteFile(filepath.Join(dir, ".redirects"),
		[]byte("# old\tnew\n2020-12-31-old-name\t2020-12-31-行政院開放政府國家行動方案推動小組第2次會議\n"), 0o644)
}}

// TestOldAddressAndShortLink: a citation of a record's old address, and a
// short /t/ link, both land on the cited turn, highlighted.
func TestOldAddressAndShortLink(t *testing.T) {
	dir := movedSite.Dir(t)
	var rec *model.Record
	for _, r := range movedSite.archive(t).Records {
		if strings.HasPrefix(r.File, "2020-12-31-") {
			rec = r
		}
	}
	if rec == nil || len(rec.Turns) < 10 {
		t.Fatal("the action-plan meeting is not in the default records")
	}
	turn := rec.Turns[9]
	tb := newTab(t, dir, false)
	landed := func(how string) {
		t.Helper()
		tb.waitFor(`location.pathname.startsWith("/2020-12-31-") && document.querySelector(".is-target") !== null`, how+" lands on the record", 10*time.Second)
		if got := eval[string](tb, `document.querySelector(".is-target").id`); got != turn.ID {
			t.Errorf("%s highlights %q, want turn %q", how, got, turn.ID)
		}
		if got := eval[string](tb, `location.hash`); got != "#"+turn.ID {
			t.Errorf("%s ends at %q", how, got)
		}
	}
	tb.open("/2020-12-31-old-name/#" + turn.ID)
	landed("the old address")
	tb.screenshot("old-address")

	key := ""
	for k, path := range movedSite.ledger(t).Lookup(movedSite.archive(t).Records) {
		if path == rec.URL() {
			key = k
		}
	}
	if key == "" {
		t.Fatal("no short-link key for the record")
	}
	tb.open("/t/#" + key + "." + turn.ID)
	landed("the short link")
	tb.assertClean()
}

// ledger is the turn-id ledger the site's build saved beside its records.
func (s *builtSite) ledger(t *testing.T) *turnid.Ledger {
	t.Helper()
	s.Dir(t)
	l, err := turnid.Load(filepath.Join(s.recs, ".turn-ids"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
