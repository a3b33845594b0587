package sitetest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/model"
)

// Bilingual twins (generator/align) in a real browser, on the sample
// site, whose .alternates pairs an interview turn for turn: every turn
// links to its twin, the side-by-side page shows both in two columns or,
// on a phone, a turn's twin when its box is ticked, and the language
// switch lands on the twin of the turn being read.

// twinPair is the English record of the sample with the most turns whose
// turns are paired with its Chinese alternate's.
func twinPair(t *testing.T) (*model.Archive, *model.Record, *model.Record) {
	t.Helper()
	a := sampleSite.archive(t)
	var best *model.Record
	for _, r := range a.Records {
		if tw := a.Twins[r.File]; tw != nil && r.Lang == "en" && (best == nil || len(r.Turns) > len(best.Turns)) {
			best = r
		}
	}
	if best == nil || best.SpeakerTurns() < 5 {
		t.Fatal("the sample has no aligned bilingual pair with 5 turns or more")
	}
	return a, best, a.Twins[best.File].Of
}

func TestTwinLinks(t *testing.T) {
	a, en, zh := twinPair(t)
	tb := newTab(t, sampleSite.Dir(t), false)
	tb.open(en.URL())
	// Every turn links to its twin's permalink, in the twin's language.
	for i := range en.Turns {
		url, lang := a.TwinURL(en, i)
		if url == "" || en.Turns[i].Ordinal == 0 {
			continue
		}
		sel := fmt.Sprintf(`[id="%s"] a.twin`, en.Turns[i].ID)
		got := eval[[]string](tb, fmt.Sprintf(`(() => { const a = document.querySelector(%q); return a ? [a.pathname + a.hash, a.hreflang, a.lang] : []; })()`, sel))
		if want := []string{url, lang, lang}; strings.Join(got, " ") != strings.Join(want, " ") && decoded(got) != strings.Join(want, " ") {
			t.Errorf("turn %d: twin link %q, want %q", en.Turns[i].Ordinal, got, want)
		}
	}
	// Following one lands on the twin, highlighted.
	third := en.Turns[thirdTurn(en)]
	_, twin := a.Twin(en, thirdTurn(en))
	tb.click(`[id="` + third.ID + `"] a.twin`)
	tb.waitFor(fmt.Sprintf(`decodeURIComponent(location.pathname) === %q && location.hash === '#%s'`, zh.URL(), twin.ID), "the twin's page at the twin", 15*time.Second)
	tb.waitFor(`document.getElementById('`+twin.ID+`').classList.contains('is-target')`, "the twin highlighted", 5*time.Second)
	// And its own link leads back.
	if got := eval[string](tb, `decodeURIComponent(document.querySelector('[id="`+twin.ID+`"] a.twin').pathname + document.querySelector('[id="`+twin.ID+`"] a.twin').hash)`); got != en.URL()+"#"+third.ID {
		t.Errorf("the twin links back to %q, want %q", got, en.URL()+"#"+third.ID)
	}
	tb.assertClean()
}

// decoded joins link fields with the path percent-decoded, as the model
// writes them.
func decoded(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	out := append([]string(nil), fields...)
	out[0] = unescapePath(out[0])
	return strings.Join(out, " ")
}

// thirdTurn is the index of the record's third speaker turn.
func thirdTurn(r *model.Record) int {
	n := 0
	for i := range r.Turns {
		if r.Turns[i].Ordinal > 0 {
			if n++; n == 3 {
				return i
			}
		}
	}
	return 0
}

func TestSideBySide(t *testing.T) {
	a, en, zh := twinPair(t)
	path := content.ParallelURL(en)
	tb := newTab(t, sampleSite.Dir(t), false)

	// The record page leads there.
	tb.open(en.URL())
	tb.follow("a.parallel-link")
	if got := unescapePath(eval[string](tb, `location.pathname`)); got != path {
		t.Fatalf("the side-by-side link leads to %s, want %s", got, path)
	}

	// Wide: two columns, each turn beside its twin, no boxes to tick.
	tb.viewport(1400, 900, false)
	tb.open(path)
	rows := tb.count(".twin-row")
	if rows < en.SpeakerTurns() {
		t.Fatalf("%d rows for %d turns", rows, en.SpeakerTurns())
	}
	first := fmt.Sprintf(`document.querySelector('[id="%s"]').closest('.twin-row')`, en.Turns[thirdTurn(en)].ID)
	side := eval[[]float64](tb, `(() => { const row = `+first+`; const a = row.querySelector('.twin-own').getBoundingClientRect(), b = row.querySelector('.twin-other').getBoundingClientRect(); return [a.top, b.top, a.right, b.left]; })()`)
	if side[0] != side[1] || side[2] > side[3] {
		t.Errorf("wide screen: turn and twin not side by side (tops %v, %v; own right %v, twin left %v)", side[0], side[1], side[2], side[3])
	}
	if n := eval[int](tb, `Array.from(document.querySelectorAll('.twin-toggle-label')).filter((l) => l.offsetParent).length`); n != 0 {
		t.Errorf("wide screen: %d toggles shown", n)
	}
	_, twin := a.Twin(en, thirdTurn(en))
	if got := strings.TrimSpace(eval[string](tb, first+`.querySelector('.twin-other').textContent`)); !strings.Contains(got, firstWords(twin.Text())) {
		t.Errorf("the twin column holds %.80q, want the twin %.80q", got, twin.Text())
	}
	if lang := eval[string](tb, first+`.querySelector('.twin-other').lang`); lang != zh.Lang {
		t.Errorf("the twin column's lang is %q, want %q", lang, zh.Lang)
	}
	reportAxe(t, path, " (wide)", runAxe(t, tb))
	checkLangs(t, tb, path)
	tb.screenshot("parallel-wide")

	// Phone: one column, a turn's twin hidden until its box is ticked.
	tb.viewport(390, 844, true)
	tb.open(path)
	hidden := first + `.querySelector('.twin-other').offsetParent === null`
	if !eval[bool](tb, hidden) {
		t.Error("phone: the twin is shown before its box is ticked")
	}
	tb.click(`[id="` + en.Turns[thirdTurn(en)].ID + `"] ~ .twin-toggle-label`)
	tb.waitFor("!("+hidden+")", "the twin shown once its box is ticked", 5*time.Second)
	if !eval[bool](tb, `document.querySelectorAll('.twin-other').length > 1 && Array.from(document.querySelectorAll('.twin-other')).filter((o) => o.offsetParent).length === 1`) {
		t.Error("phone: ticking one box showed other turns' twins too")
	}
	reportAxe(t, path, " (phone)", runAxe(t, tb))
	tb.screenshot("parallel-phone")
	tb.assertClean()
}

// TestSideBySideWithoutJavaScript: the columns and toggles are markup and
// CSS, so the page reads the same with scripts off.
func TestSideBySideWithoutJavaScript(t *testing.T) {
	_, en, _ := twinPair(t)
	tb := newTab(t, sampleSite.Dir(t), false)
	tb.viewport(390, 844, true)
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	tb.open(content.ParallelURL(en))
	id := en.Turns[thirdTurn(en)].ID
	tb.click(`[id="` + id + `"] ~ .twin-toggle-label`)
	if !eval[bool](tb, `document.querySelector('[id="`+id+`"]').closest('.twin-row').querySelector('.twin-other').offsetParent !== null`) {
		t.Error("without JavaScript, ticking a turn's box does not show its twin")
	}
}

func TestLanguageSwitchKeepsPlace(t *testing.T) {
	a, en, zh := twinPair(t)
	tb := newTab(t, sampleSite.Dir(t), false)
	tb.viewport(1000, 700, false)
	tb.open(en.URL())

	// Scrolled to a turn, the switch leads to its twin; the link to the
	// side-by-side page, to its row.
	i := thirdTurn(en)
	for k := i + 1; k < len(en.Turns); k++ {
		if en.Turns[k].Ordinal > 0 {
			i = k // a turn further down than the first screen
		}
		if k-thirdTurn(en) >= 3 {
			break
		}
	}
	turn := en.Turns[i]
	_, twin := a.Twin(en, i)
	eval[chromedp.Void](tb, `document.getElementById('`+turn.ID+`').scrollIntoView({block: 'start'})`)
	tb.waitFor(`document.querySelector('a.langswitch').hash === '#`+twin.ID+`'`, "the language switch following the turn in view", 5*time.Second)
	tb.waitFor(`document.querySelector('a.parallel-link').hash === '#`+turn.ID+`'`, "the side-by-side link following the turn in view", 5*time.Second)

	// Switching lands there.
	tb.click("a.langswitch")
	tb.waitFor(fmt.Sprintf(`decodeURIComponent(location.pathname) === %q && location.hash === '#%s'`, zh.URL(), twin.ID), "the twin page at the twin of the turn read", 15*time.Second)
	tb.waitFor(`document.getElementById('`+twin.ID+`').classList.contains('is-target')`, "the twin highlighted", 5*time.Second)
	// And back, from the turn the page opened on.
	tb.waitFor(`document.querySelector('a.langswitch').hash === '#`+turn.ID+`'`, "the switch back following the target turn", 5*time.Second)
	tb.assertClean()
}

// viewport sets the tab's window size; mobile for a phone.
func (tb *tab) viewport(w, h int64, mobile bool) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: h, DeviceScaleFactor: 1, Mobile: mobile}); err != nil {
		tb.t.Fatalf("setting the viewport: %v", err)
	}
}

// unescapePath percent-decodes a URL path, as the model writes paths.
func unescapePath(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

// firstWords is the opening of a text, to find it in a page.
func firstWords(s string) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	return string(r[:min(len(r), 12)])
}
