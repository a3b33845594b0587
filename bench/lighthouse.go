package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// lighthouseCLI is Lighthouse's command, as bench/package.json installs it.
var lighthouseCLI = filepath.Join("bench", "node_modules", "lighthouse", "cli", "index.js")

// lighthouseChromeFlags are the flags Lighthouse starts Chromium with.
const lighthouseChromeFlags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run --ignore-certificate-errors"

// lighthouseCategories are the categories Lighthouse scores, in the
// order reported.
var lighthouseCategories = []string{"performance", "accessibility", "best-practices", "seo"}

// LighthouseRun is Lighthouse's report of one page, with its default
// settings: a mobile device on a simulated slow 4G link.
type LighthouseRun struct {
	Path    string              // the page, from the site's root: "/search/?q=開放政府"
	Version string              // Lighthouse's
	Scores  map[string]*float64 // by category, 0 to 1; nil when Lighthouse could not score it
	LCP     time.Duration       // Largest Contentful Paint
	Errors  string              `json:",omitempty"` // Lighthouse's runtime error, if any
}

// Lighthouse runs Lighthouse (mobile) on each of paths of the site served
// at base, with the Chromium at chromium, writing its reports to scratch.
func Lighthouse(node, chromium, base string, paths []string, scratch string) ([]LighthouseRun, error) {
	var runs []LighthouseRun
	for i, p := range paths {
		out := filepath.Join(scratch, fmt.Sprintf("lighthouse-%d.json", i))
		cmd := exec.Command(node, lighthouseCLI, base+p, "--quiet", "--output=json", "--output-path="+out,
			"--only-categories="+strings.Join(lighthouseCategories, ","), "--chrome-flags="+lighthouseChromeFlags)
		cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
		logf("lighthouse: %s", p)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("lighthouse %s: %v\n%s", p, err, tail(msg, 20))
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return nil, err
		}
		r, err := ParseLighthouse(b)
		if err != nil {
			return nil, fmt.Errorf("lighthouse %s: %v", p, err)
		}
		r.Path = p
		runs = append(runs, r)
	}
	return runs, nil
}

// ParseLighthouse reads the figures of a Lighthouse JSON report.
func ParseLighthouse(report []byte) (LighthouseRun, error) {
	var r struct {
		LighthouseVersion string
		RuntimeError      *struct{ Code, Message string }
		Categories        map[string]struct{ Score *float64 }
		Audits            map[string]struct{ NumericValue float64 }
	}
	if err := json.Unmarshal(report, &r); err != nil {
		return LighthouseRun{}, err
	}
	if r.LighthouseVersion == "" {
		return LighthouseRun{}, fmt.Errorf("not a Lighthouse report")
	}
	run := LighthouseRun{Version: r.LighthouseVersion, Scores: map[string]*float64{},
		LCP: time.Duration(r.Audits["largest-contentful-paint"].NumericValue * float64(time.Millisecond))}
	for _, c := range lighthouseCategories {
		run.Scores[c] = r.Categories[c].Score
	}
	if r.RuntimeError != nil {
		run.Errors = r.RuntimeError.Code + ": " + r.RuntimeError.Message
	}
	return run, nil
}

// renderLighthouse writes the table of the Lighthouse runs.
func renderLighthouse(runs []LighthouseRun) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("#### Lighthouse (mobile)\n\n")
	p("Lighthouse %s from the npm package pinned in bench/package.json, with its default mobile settings (a phone on a simulated slow 4G link), on the site as the bench serves it. Scores out of 100.\n\n", runs[0].Version)
	p("| page |")
	for _, c := range lighthouseCategories {
		p(" %s |", c)
	}
	p(" LCP |\n|---|%s---:|\n", strings.Repeat("---:|", len(lighthouseCategories)))
	for _, r := range runs {
		p("| `%s` |", r.Path)
		for _, c := range lighthouseCategories {
			if s := r.Scores[c]; s != nil {
				p(" %.0f |", *s*100)
			} else {
				p(" – |")
			}
		}
		p(" %s |\n", millis(r.LCP))
		if r.Errors != "" {
			p("\n`%s`: %s\n", r.Path, r.Errors)
		}
	}
	p("\n")
	return b.String()
}
