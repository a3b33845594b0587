package sitetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/ogarchive/ogarchive/generator/model"
)

// axeTags are the rule sets every page must pass: WCAG 2.0 and 2.1, levels A
// and AA, plus axe's best practices, which hold the rules on heading order,
// landmarks and unique landmark names that the archive also promises.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axeSource is axe-core as `npm ci --prefix sitetest` installs it from
// sitetest/package-lock.json.
func axeSource(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
		axeSrc = string(b)
	})
	if axeErr != nil {
		t.Fatalf("axe-core is not installed (%v): run `npm ci --prefix sitetest` (make test does)", axeErr)
	}
	return axeSrc
}

// axeViolation is the part of an axe result the report needs.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
		HTML    string `json:"html"`
	} `json:"nodes"`
}

// runAxe injects axe-core into the page and returns its violations.
func runAxe(t *testing.T, tb *tab, rules ...string) []axeViolation {
	t.Helper()
	if !eval[bool](tb, `typeof window.axe === 'object'`) {
		eval[chromedp.Void](tb, axeSource(t))
	}
	opts := map[string]any{
		"runOnly":     map[string]any{"type": "tag", "values": axeTags},
		"resultTypes": []string{"violations"},
	}
	if len(rules) > 0 {
		opts["runOnly"] = map[string]any{"type": "rule", "values": rules}
	}
	js, _ := json.Marshal(opts)
	raw := evalAsync[[]byte](tb, `axe.run(document, `+string(js)+`).then((r) => r.violations)`)
	var out []axeViolation
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("axe result: %v", err)
	}
	return out
}

// reportAxe fails the test with each violation and the elements at fault.
func reportAxe(t *testing.T, page, mode string, vs []axeViolation) {
	t.Helper()
	for _, v := range vs {
		var b strings.Builder
		fmt.Fprintf(&b, "%s%s: axe %s: %s (%d element(s))", page, mode, v.ID, v.Help, len(v.Nodes))
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "\n    …")
				break
			}
			fmt.Fprintf(&b, "\n    %v %.120s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		t.Error(b.String())
	}
}

// pageType is one kind of page, by a representative path on a site
// (the default site unless named).
type pageType struct {
	name string
	path string
	site *builtSite
}

// pageTypes lists every kind of page the default site has: each interface
// language's navigation pages, a transcript, undated notes, a speaker, the
// search page, and the camp and commitment pages.
func pageTypes(t *testing.T) []pageType {
	t.Helper()
	dir := defaultSite.Dir(t)
	r := sampleRecord(t)
	var notes *model.Record
	for _, rec := range defaultSite.archive(t).Records {
		if rec.Kind == model.KindNotes {
			notes = rec
		}
	}
	speaker := ""
	for _, turn := range r.Turns {
		if turn.Speaker != "" && !defaultSite.archive(t).Speakers[turn.Speaker].IsRole {
			speaker = "/speakers/" + turn.Speaker + "/"
			break
		}
	}
	var types []pageType
	for _, p := range [][2]string{
		{"home", "/"}, {"home-en", "/en/"},
		{"meetings", "/meetings/"}, {"meetings-en", "/en/meetings/"},
		{"year", fmt.Sprintf("/meetings/%d/", r.Date.Year())},
		{"transcript", r.URL()},
		{"speakers", "/speakers/"}, {"speakers-en", "/en/speakers/"},
		{"speaker", speaker},
		{"search", "/search/"}, {"search-en", "/en/search/"},
		{"short-link", "/t/"},
		{"not-found", "/404.html"}, {"not-found-en", "/en/404.html"},
	} {
		types = append(types, pageType{name: p[0], path: p[1]})
	}
	if notes != nil {
		types = append(types, pageType{name: "notes", path: notes.URL()})
	}
	for _, p := range []struct {
		name, prefix string
		depth        int
	}{
		{"camps", "camps/", 0}, {"camp", "camps/", 1}, {"outcome", "camps/", 2}, {"camps-en", "en/camps/", 0},
		{"plans", "plans/", 0}, {"plan", "plans/", 1}, {"commitment", "plans/", 2}, {"plans-en", "en/plans/", 0},
	} {
		path := "/" + p.prefix
		if p.depth > 0 {
			pages := builtPages(t, dir, p.prefix, p.depth)
			if len(pages) == 0 {
				path = ""
			} else {
				path = pages[0]
			}
		} else if _, err := os.Stat(filepath.Join(dir, p.prefix, "index.html")); err != nil {
			path = ""
		}
		types = append(types, pageType{name: p.name, path: path})
	}
	// The default records are all Chinese; the sample has English records
	// whose speakers and alternates are Chinese.
	var en *model.Record
	for _, rec := range sampleSite.archive(t).Records {
		if rec.Lang == "en" && rec.Alternate != "" && rec.SpeakerTurns() >= 5 && (en == nil || len(rec.Turns) < len(en.Turns)) {
			en = rec
		}
	}
	if en == nil {
		t.Fatal("the sample has no English record with a Chinese version")
	}
	types = append(types, pageType{name: "transcript-en", path: en.URL(), site: sampleSite},
		pageType{name: "withdrawn", path: "/" + historyDeleted + "/", site: historySite},
		// A speaker with years, co-speakers and words, and home pages
		// with a bilingual pair and a chart of meetings a year.
		pageType{name: "speaker-record", path: "/speakers/" + busiestSpeaker(t, sampleSite) + "/", site: sampleSite},
		pageType{name: "home-sample", path: "/", site: sampleSite}, pageType{name: "home-sample-en", path: "/en/", site: sampleSite},
		pageType{name: "meetings-sample", path: "/meetings/", site: sampleSite})
	return types
}

// TestAccessibility runs axe-core on every page type, in the light and the
// dark colour scheme, and checks what axe cannot: language attributes on
// mixed-language text and text alternatives for charts.
func TestAccessibility(t *testing.T) {
	for _, p := range pageTypes(t) {
		t.Run(p.name, func(t *testing.T) {
			if p.path == "" {
				t.Fatalf("pending: the built default site has no %s page yet", p.name)
			}
			site := p.site
			if site == nil {
				site = defaultSite
			}
			tb := newTab(t, site.Dir(t), false)
			tb.open(p.path)
			reportAxe(t, p.path, "", runAxe(t, tb))
			checkLangs(t, tb, p.path)
			checkCharts(t, tb, p.path)
			if strings.HasPrefix(p.name, "transcript") {
				// The citation panel script adds must pass too.
				tb.click(".turns .turn button.cite")
				reportAxe(t, p.path, " (citation panel open)", runAxe(t, tb))
			}
			setDark(t, tb, true)
			reportAxe(t, p.path, " (dark scheme)", runAxe(t, tb, "color-contrast", "link-in-text-block"))
			tb.assertClean()
		})
	}
}

// setDark switches the emulated prefers-color-scheme.
func setDark(t *testing.T, tb *tab, dark bool) {
	t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	_, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		t.Fatalf("emulating %s scheme: %v", scheme, err)
	}
}

// checkLangs fails for text in the other script than the page's language
// without a lang attribute saying so: on an English page, Chinese text
// (meeting titles, speaker names, quotes) must sit in an element with a
// zh lang, so screen readers switch voices.
func checkLangs(t *testing.T, tb *tab, page string) {
	t.Helper()
	bad := eval[[]string](tb, `(() => {
  if (!document.documentElement.lang.startsWith('en')) return [];
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!/\p{Script=Han}/u.test(n.data)) continue;
    const el = n.parentElement;
    if (el.closest('script, style, [hidden], [aria-hidden="true"]')) continue;
    const lang = (el.closest('[lang]') || document.documentElement).lang;
    if (!lang.startsWith('zh')) out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ': ' + n.data.trim().slice(0, 40));
  }
  return out.slice(0, 10);
})()`)
	for _, b := range bad {
		t.Errorf("%s: Chinese text in English context without lang=\"zh-TW\": %s", page, b)
	}
}

// checkCharts fails for a chart (svg, canvas) that is neither hidden from
// assistive technology nor given a text alternative.
func checkCharts(t *testing.T, tb *tab, page string) {
	t.Helper()
	bad := eval[[]string](tb, `Array.from(document.querySelectorAll('main svg, main canvas')).filter((el) => {
  if (el.closest('[aria-hidden="true"]')) return false;
  const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.querySelector && el.querySelector(':scope > title'));
  return !(el.getAttribute('role') === 'img' && named);
}).map((el) => el.outerHTML.slice(0, 100))`)
	for _, b := range bad {
		t.Errorf("%s: chart without a text alternative (role=\"img\" and a name, or aria-hidden with the data as text): %s", page, b)
	}
}

// TestFocusVisible tabs through the first stops of each kind of page, as a
// keyboard user does, and checks every focused element shows a focus
// indicator and is on screen (the skip link appears when focused).
func TestFocusVisible(t *testing.T) {
	dir := defaultSite.Dir(t)
	for _, p := range []string{"/", sampleRecord(t).URL(), "/search/"} {
		tb := newTab(t, dir, false)
		tb.open(p)
		eval[chromedp.Void](tb, `document.activeElement && document.activeElement.blur()`)
		seen := 0
		for i := 0; i < 12; i++ {
			tb.key("\t")
			f := eval[focusState](tb, `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: ''};
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''),
    text: (el.textContent || el.value || '').trim().slice(0, 30),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    shadow: s.boxShadow !== 'none',
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  };
})()`)
			if f.Tag == "" {
				continue
			}
			seen++
			if !f.Outline && !f.Shadow {
				t.Errorf("%s: focused %s %q shows no focus indicator", p, f.Tag, f.Text)
			}
			if !f.OnScreen {
				t.Errorf("%s: focused %s %q is off screen", p, f.Tag, f.Text)
			}
		}
		if seen < 5 {
			t.Errorf("%s: only %d elements took keyboard focus in 12 presses of Tab", p, seen)
		}
		tb.assertClean()
	}
}

// focusState describes the focused element.
type focusState struct {
	Tag      string `json:"tag"`
	Text     string `json:"text"`
	Outline  bool   `json:"outline"`
	Shadow   bool   `json:"shadow"`
	OnScreen bool   `json:"onScreen"`
}

// TestDocumentStructure checks every page of the built sites, the corpus's
// 8,000 included, for what axe checks on the sample pages: a lang on
// <html>, one <main>, one <h1>, and headings that never skip a level on
// the way down (an <h4> in a turn under an <h2> speaker heading would).
func TestDocumentStructure(t *testing.T) {
	for _, s := range []*builtSite{defaultSite, hostileSite, sampleSite, historySite, corpusSite} {
		t.Run(s.name, func(t *testing.T) {
			dir := s.Dir(t)
			bad := 0
			err := eachPage(dir, func(page string, data []byte) error {
				if isRedirectPage(data) {
					return nil
				}
				for _, problem := range structureProblems(data) {
					if bad++; bad <= 30 {
						t.Errorf("%s: %s", page, problem)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if bad > 30 {
				t.Errorf("… %d problems in all", bad)
			}
		})
	}
}

// structureProblems lists the document-structure problems of one page.
func structureProblems(data []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(data))
	mains, h1s, last := 0, 0, 0
	lang := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken {
			continue
		}
		tok := z.Token()
		switch tag := tok.Data; tag {
		case "html":
			lang = attrs(tok)["lang"]
		case "main":
			mains++
		case "h1", "h2", "h3", "h4", "h5", "h6":
			level := int(tag[1] - '0')
			if level == 1 {
				h1s++
			}
			if last > 0 && level > last+1 {
				out = append(out, fmt.Sprintf("<%s> follows <h%d>: heading levels skip", tag, last))
			}
			last = level
		}
	}
	if lang == "" {
		out = append(out, "<html> has no lang")
	}
	if mains != 1 {
		out = append(out, fmt.Sprintf("%d <main> elements", mains))
	}
	if h1s != 1 {
		out = append(out, fmt.Sprintf("%d <h1> elements", h1s))
	}
	return out
}
