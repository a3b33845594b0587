package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseLighthouse(t *testing.T) {
	for _, c := range []struct {
		name, report string
		scores       map[string]float64 // nil score: missing
		lcp          time.Duration
		errs         string
		fails        bool
	}{
		{"scored", `{"lighthouseVersion": "12.8.2", "categories": {"performance": {"score": 0.91}, "accessibility": {"score": 1},
			"best-practices": {"score": 0.96}, "seo": {"score": 0.9}}, "audits": {"largest-contentful-paint": {"numericValue": 2345.6}}}`,
			map[string]float64{"performance": 0.91, "accessibility": 1, "best-practices": 0.96, "seo": 0.9}, 2345600 * time.Microsecond, "", false},
		{"page failed", `{"lighthouseVersion": "12.8.2", "runtimeError": {"code": "NO_FCP", "message": "no paint"},
			"categories": {"performance": {"score": null}}, "audits": {}}`, map[string]float64{}, 0, "NO_FCP: no paint", false},
		{"not a report", `{"categories": {}}`, nil, 0, "", true},
		{"garbage", `Runtime error`, nil, 0, "", true},
	} {
		r, err := ParseLighthouse([]byte(c.report))
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
		for _, cat := range lighthouseCategories {
			want, ok := c.scores[cat]
			if got := r.Scores[cat]; ok != (got != nil) || ok && *got != want {
				t.Errorf("%s: %s score %v, want %v", c.name, cat, got, want)
			}
		}
		if r.LCP != c.lcp || r.Errors != c.errs || r.Version != "12.8.2" {
			t.Errorf("%s: %+v", c.name, r)
		}
	}
}

func TestRenderLighthouse(t *testing.T) {
	s := func(x float64) *float64 { return &x }
	out := renderLighthouse([]LighthouseRun{{Path: "/search/?q=開放政府", Version: "12.8.2",
		Scores: map[string]*float64{"performance": s(0.876), "accessibility": s(1), "seo": s(0.9)}, LCP: 2500 * time.Millisecond}})
	if !strings.Contains(out, "| `/search/?q=開放政府` | 88 | 100 | – | 90 | 2.50 s |") {
		t.Errorf("renderLighthouse:\n%s", out)
	}
}
