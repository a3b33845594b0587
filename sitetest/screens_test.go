package sitetest

import (
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestScreens writes screenshots of each kind of page a reader meets
// (home, transcript, speaker, meetings, a search with its results, a plan,
// a camp) at a phone's width and a laptop's, light and dark, under the
// ogarchive-screens directory, for a person to judge the look. It checks
// only what a screenshot cannot hide: nothing is wider than the screen.
func TestScreens(t *testing.T) {
	want := map[string]bool{"home": true, "transcript": true, "speaker": true, "meetings": true, "plan": true, "camp": true}
	var pages []pageType
	for _, p := range pageTypes(t) {
		if want[p.name] && p.path != "" {
			pages = append(pages, p)
		}
	}
	pages = append(pages, pageType{name: "search", path: "/search/?q=" + url.QueryEscape("開放政府")})
	if len(pages) != len(want)+1 {
		t.Errorf("the default site has %d of the %d kinds of page", len(pages), len(want)+1)
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			tb := newTab(t, defaultSite.Dir(t), false)
			for _, w := range []struct {
				name          string
				width, height int64
				mobile        bool
			}{{"390", 390, 844, true}, {"1280", 1280, 900, false}, {"320", 320, 640, true}} {
				if _, err := chromedp.Call(tb.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w.width, Height: w.height, DeviceScaleFactor: 1, Mobile: w.mobile}); err != nil {
					t.Fatal(err)
				}
				for _, dark := range []bool{false, true} {
					setDark(t, tb, dark)
					tb.open(p.path)
					if p.name == "search" {
						tb.waitFor(`document.querySelector('#search-app a.result')`, "results", 20*time.Second)
					}
					if sw := eval[int](tb, `document.documentElement.scrollWidth`); sw > int(w.width) {
						t.Errorf("%s is %d px wide at %d px", p.path, sw, w.width)
					}
					name := w.name
					if dark {
						name += "-dark"
					}
					if w.name != "320" { // checked for width, not kept
						tb.screenshot(name)
					}
				}
			}
			tb.assertClean()
		})
	}
}
