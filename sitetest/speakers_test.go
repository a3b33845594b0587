package sitetest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/generator/model"
)

// busiestSpeaker is the person of a site's archive in the most records,
// whose page has the most to show: years, co-speakers, words.
func busiestSpeaker(t *testing.T, s *builtSite) string {
	t.Helper()
	n := map[string]int{}
	best := ""
	for _, r := range s.archive(t).Records {
		seen := map[string]bool{}
		for _, turn := range r.Turns {
			k := turn.Speaker
			if sp := s.archive(t).Speakers[k]; k == "" || seen[k] || sp == nil || sp.IsRole {
				continue
			}
			seen[k] = true
			n[k]++
			if best == "" || n[k] > n[best] || n[k] == n[best] && k < best {
				best = k
			}
		}
	}
	if best == "" {
		t.Fatalf("the %s site has no speaker", s.name)
	}
	return best
}

// TestSpeakerRecord reads the page of the sample's busiest speaker: their
// figures, the chart of their years and its text alternative, co-speakers,
// meetings grouped by year, at 320 px and with the CSP enforced.
func TestSpeakerRecord(t *testing.T) {
	key := busiestSpeaker(t, sampleSite)
	tb := newTab(t, sampleSite.Dir(t), false)
	if _, err := chromedp.Call(tb.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 320, Height: 800, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		t.Fatal(err)
	}
	tb.open("/speakers/" + key + "/")
	if n := tb.count("main .sp-facts dd"); n < 3 {
		t.Errorf("%d figures, want turns, meetings and a first appearance", n)
	}
	// The chart is an image whose name and description a screen reader
	// reads: the description gives every year's figure the bars show.
	chart := eval[map[string]any](tb, `(() => {
  const svg = document.querySelector('main figure.yc svg');
  if (!svg) return {};
  const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
  return {
    role: svg.getAttribute('role'),
    title: (document.getElementById(ids[0]) || {}).textContent || '',
    desc: (document.getElementById(ids[1]) || {}).textContent || '',
    isTitle: !!svg.querySelector(':scope > title'), isDesc: !!svg.querySelector(':scope > desc'),
    bars: svg.querySelectorAll('rect').length,
  };
})()`)
	if chart["role"] != "img" || chart["title"] == "" || chart["isTitle"] != true || chart["isDesc"] != true {
		t.Fatalf("speaker chart without its text alternative: %v", chart)
	}
	years := map[int]bool{}
	for _, r := range sampleSite.archive(t).Records {
		for _, turn := range r.Turns {
			if turn.Speaker == key && r.Dated() {
				years[r.Date.Year()] = true
			}
		}
	}
	desc := chart["desc"].(string)
	for y := range years {
		if !regexp.MustCompile(fmt.Sprintf(`%d[^0-9；;]*[1-9]`, y)).MatchString(desc) {
			t.Errorf("chart description %q gives no figure for %d", desc, y)
		}
	}
	if int(chart["bars"].(float64)) != len(years) {
		t.Errorf("%d bars for %d years with meetings", int(chart["bars"].(float64)), len(years))
	}
	if tb.count("main .sp-peers a") == 0 {
		t.Error("no co-speakers")
	}
	if n, open := tb.count("main details.sp-year"), tb.count("main details.sp-year[open]"); n < 2 || open != 1 {
		t.Errorf("%d years, %d open; want the newest open and the older collapsed", n, open)
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 320 {
		t.Errorf("the page is %d px wide at 320", w)
	}
	tb.screenshot("speaker-record")
	tb.assertClean()
}

// TestBilingualPairOnce checks that a meeting held in two languages is one
// item with both on the home page and the meetings index, in both
// interfaces, with the interface's language leading.
func TestBilingualPairOnce(t *testing.T) {
	var zh, en *model.Record
	for _, r := range sampleSite.archive(t).Records {
		if r.Lang == "en" && r.Alternate != "" {
			en, zh = r, sampleSite.archive(t).Record(r.Alternate)
			break
		}
	}
	if zh == nil {
		t.Fatal("the sample has no bilingual pair")
	}
	tb := newTab(t, sampleSite.Dir(t), false)
	for _, p := range []struct{ page, lead, other string }{
		{"/", zh.URL(), en.URL()}, {"/meetings/", zh.URL(), en.URL()},
		{"/en/", en.URL(), zh.URL()}, {"/en/meetings/", en.URL(), zh.URL()},
	} {
		tb.open(p.page)
		items := eval[[][]string](tb, `Array.from(document.querySelectorAll('main ul.records > li')).map((li) => Array.from(li.querySelectorAll('a')).map((a) => decodeURIComponent(new URL(a.href).pathname)))`)
		found := 0
		for _, links := range items {
			for i, l := range links {
				if l != p.lead && l != p.other {
					continue
				}
				found++
				if i == 0 && l != p.lead || i == 1 && l != p.other {
					t.Errorf("%s: pair listed as %v, want %s leading", p.page, links, p.lead)
				}
			}
		}
		if found != 2 {
			t.Errorf("%s: the pair's two versions appear %d times in the meetings listed, want once each in one item", p.page, found)
		}
		if p.page == "/" && tb.count("main figure.yc svg[role=img] > desc") != 1 {
			t.Errorf("%s: no chart of meetings a year with its description", p.page)
		}
	}
	tb.assertClean()
}

// TestSpeakerYearPage follows a busy speaker's page to a year it has no
// room for, on the large site where one speaker is in hundreds of records.
func TestSpeakerYearPage(t *testing.T) {
	s := largeSite()
	key := busiestSpeaker(t, s)
	data, err := os.ReadFile(filepath.Join(s.Dir(t), "speakers", key, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 100_000 {
		t.Errorf("the busiest speaker's page is %d bytes, want under 100 KB", len(data))
	}
	tb := newTab(t, s.Dir(t), false)
	tb.open("/speakers/" + key + "/")
	if tb.count(`main .sp-year a[href*="/speakers/"]`) == 0 {
		t.Fatalf("the busiest speaker's page links to no page of a year")
	}
	year := tb.text(`main .sp-year a[href*="/speakers/"]`)
	tb.follow(`main .sp-year a[href*="/speakers/"]`)
	if h1 := tb.text("main h1"); !strings.Contains(h1, strings.Fields(year)[0][:4]) {
		t.Errorf("year page h1 %q does not name the year of %q", h1, year)
	}
	if tb.count("main ul.records li") == 0 {
		t.Error("the year page lists no meetings")
	}
	reportAxe(t, tb.path(), "", runAxe(t, tb))
	tb.assertClean()
}
