package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SearchFigures are the known-item figures of the site's search, ours and
// Pagefind's over the same built site.
type SearchFigures struct {
	Queries    int      // known-item queries in the query file
	Copies     int      // of which the turn also has a copy in a replicated transcript
	Engines    []Engine // in the order measured
	Pagefind   *PagefindRun
	Sets       []QuerySet      `json:",omitempty"` // the same queries typed otherwise
	Link       *LinkFigures    `json:",omitempty"` // the queries over a slow mobile link
	Lighthouse []LighthouseRun `json:",omitempty"` // Lighthouse's reports of pages of the site
}

// LinkFigures are the costs of the known-item queries over a slow mobile
// link: our client in Node over a simulated one (client/eval.mjs --rtt),
// and each engine in Chromium with its network throttled.
type LinkFigures struct {
	Link
	Engines []Engine // in the order measured
}

// QuerySet is the figures of one variant set of the known-item queries
// (Simplified characters, a character or word left out).
type QuerySet struct {
	Name    string // the file's name
	Queries int
	Engines []Engine // in the order of SearchFigures.Engines
}

// Engine is the figures of one search engine in one runtime.
type Engine struct {
	Name       string
	Queries    int
	Failed     int     // queries that raised an error, cold or warm
	Empty      int     // queries with no result
	Turn       Scores  // the query's turn reached
	Page       *Scores // its record page reached; nil when not measured
	Cold, Warm Cost
	// Typed: our client over the simulated link, each query typed into
	// the search page, which searches as the reader types (client/eval.mjs)
	Typed      Cost
	Index      time.Duration // building the index: ours, the build's index stage
	Export     time.Duration // ours: the build's search stage, exporting it as static files
	IndexBytes int64         // the index on disk, when it is not what is served
	Files      int64         // files served to browsers
	Bytes      int64
}

// Cost is the medians of what one query costs.
type Cost struct {
	Bytes, BytesP90     int64 // response bodies
	Requests            int64
	Latency, LatencyP90 time.Duration
	// Over a link: the sequential depth (SequentialDepth), median and
	// largest, and in Chromium the median of the requests the page's
	// network did not see, which a worker made, neither throttled nor
	// counted in the depth.
	Depth, DepthMax int64 `json:",omitempty"`
	Unseen          int64 `json:",omitempty"`
}

// PagefindRun says how Pagefind indexed the site.
type PagefindRun struct {
	Version                 string // as --version prints it
	Binary                  string // file name of the binary run
	Args                    string // its arguments, paths shortened
	Pages, Words, Languages int
	CPU                     time.Duration
	MaxRSS                  int64
}

// searchTools are the programs the search stage runs.
type searchTools struct {
	node, eval, chromium, pagefind string
}

// findSearchTools checks, before anything is built, that the search stage
// can run, saying how to install what is missing.
func findSearchTools(c config) (searchTools, error) {
	var t searchTools
	var err error
	if _, err := os.Stat(c.queries); err != nil {
		return t, fmt.Errorf("known-item queries: %v (-queries FILE, or -queries '' to skip the search stage)", err)
	}
	if t.node, err = exec.LookPath("node"); err != nil {
		return t, fmt.Errorf("node: %v (apt-get install nodejs, Node.js ≥ 20)", err)
	}
	t.eval = filepath.Join("search", "client", "eval.mjs")
	if _, err := os.Stat(t.eval); err != nil {
		return t, fmt.Errorf("%v (run the bench from the repository's root)", err)
	}
	if !c.search {
		return t, nil
	}
	t.chromium = c.chromium
	if _, err := os.Stat(t.chromium); err != nil {
		return t, fmt.Errorf("%v (apt-get install chromium fonts-noto-cjk, or -search=false)", err)
	}
	t.pagefind = c.pagefind
	if t.pagefind == "" {
		// npm installs the platform package of this machine only; each
		// ships the extended build alone, the one that segments Chinese.
		found, _ := filepath.Glob(filepath.Join("bench", "node_modules", "@pagefind", "*", "bin", "pagefind_extended"))
		if len(found) == 0 {
			return t, errors.New("Pagefind is not installed: npm ci --prefix bench --no-audit --no-fund (or -search=false)")
		}
		t.pagefind = found[0]
	}
	if _, err := os.Stat(t.pagefind); err != nil {
		return t, fmt.Errorf("%v (npm ci --prefix bench --no-audit --no-fund, or -search=false)", err)
	}
	if len(c.lighthouse) > 0 {
		if _, err := os.Stat(lighthouseCLI); err != nil {
			return t, fmt.Errorf("Lighthouse is not installed: %v (npm ci --prefix bench --no-audit --no-fund, or -lighthouse '')", err)
		}
	}
	return t, nil
}

// measureSearch runs the known-item queries on the built site at public:
// our client in Node and, unless c.search is off, our client and Pagefind
// in Chromium. Pagefind's bundle is written to scratch, outside the site.
// cold holds the build's figures of our index.
func measureSearch(c config, t searchTools, public, scratch string, cold Summary) (*SearchFigures, error) {
	qs, err := ReadQueries(c.queries)
	if err != nil {
		return nil, err
	}
	items, err := KnownItems(public, qs)
	if err != nil {
		return nil, err
	}
	sets, err := variantSets(c, scratch, public)
	if err != nil {
		return nil, err
	}
	f := &SearchFigures{Queries: len(items)}
	for _, k := range items {
		if len(k.Answers) > 1 {
			f.Copies++
		}
	}
	// The build's "index" stage builds the bleve index, its "search" stage
	// exports it to public/search/.
	ours := Engine{Name: "ours, Chromium", Index: cold.Stages["index"], Export: cold.Stages["search"],
		IndexBytes: cold.Outputs.IndexBytes, Files: cold.Outputs.SearchFiles, Bytes: cold.Outputs.SearchBytes}
	if ours.Files == 0 { // a site measured on its own
		ours.Files, ours.Bytes = SearchExport(public)
	}

	link := c.slowLink()
	logf("search: %d known-item queries, our client in Node", len(items))
	node, nodeLink, err := nodeEval(t, filepath.Join(public, "search"), scratch, items, link)
	if err != nil {
		return nil, err
	}
	node.Name = "ours, Node"
	node.indexOf(ours)
	f.Engines = append(f.Engines, node)
	if nodeLink != nil {
		nodeLink.Name = "ours, Node (simulated)"
		nodeLink.indexOf(ours)
		f.Link = &LinkFigures{Link: *link, Engines: []Engine{*nodeLink}}
		logf("search: over a simulated link of %s, cold %s median, %d requests, depth %d", link, millis(nodeLink.Cold.Latency), nodeLink.Cold.Requests, nodeLink.Cold.Depth)
	}
	for i := range sets {
		logf("search: %d queries of %s, our client in Node", len(sets[i].items), sets[i].Name)
		e, _, err := nodeEval(t, filepath.Join(public, "search"), scratch, sets[i].items, nil)
		if err != nil {
			return nil, err
		}
		e.Name = node.Name
		sets[i].Engines = append(sets[i].Engines, e)
	}
	keep := func() *SearchFigures {
		for _, s := range sets {
			f.Sets = append(f.Sets, s.QuerySet)
		}
		return f
	}
	if !c.search {
		return keep(), nil
	}

	out := filepath.Join(scratch, "pagefind")
	logf("search: Pagefind indexing %s into %s", public, out)
	pf, run, err := runPagefind(t.pagefind, public, out)
	if err != nil {
		return nil, err
	}
	f.Pagefind = &run
	logf("search: Pagefind indexed %d pages in %.1fs wall, %.1fs CPU, %s max RSS", run.Pages, pf.Index.Seconds(), run.CPU.Seconds(), human(run.MaxRSS))

	if c.browserQueries > 0 && c.browserQueries < len(items) {
		items = items[:c.browserQueries]
	}
	browser, stop, err := startChromium(t.chromium)
	if err != nil {
		return nil, err
	}
	defer stop()
	srv, oursCount, pfCount := siteServer(public, out)
	defer srv.Close()
	for _, e := range []struct {
		engine string
		count  *counter
		fig    Engine
	}{
		{engineOurs, oursCount, ours},
		{enginePagefind, pfCount, pf},
	} {
		fig, err := browserSet(browser, srv.URL, e.engine, e.count, items, nil)
		if err != nil {
			return nil, err
		}
		fig.Name = e.fig.Name
		fig.indexOf(e.fig)
		f.Engines = append(f.Engines, fig)
		if f.Link != nil && c.throttleQueries > 0 {
			set := items[:min(len(items), c.throttleQueries)]
			logf("search: %d queries, %s in Chromium throttled to %s", len(set), e.engine, link)
			fig, err := browserSet(browser, srv.URL, e.engine, e.count, set, link)
			if err != nil {
				return nil, err
			}
			fig.Name = e.fig.Name + " (throttled)"
			fig.indexOf(e.fig)
			f.Link.Engines = append(f.Link.Engines, fig)
			if e.engine == engineOurs {
				logf("search: %d queries, ours in Chromium throttled to %s, the search kept on the device", len(set), link)
				fig, err := keptSet(browser, public, set, *link)
				if err != nil {
					return nil, fmt.Errorf("ours, the search kept on the device: %v", err)
				}
				fig.Name = e.fig.Name + ", search kept on the device (throttled)"
				fig.indexOf(e.fig)
				f.Link.Engines = append(f.Link.Engines, fig)
			}
		}
		for i := range sets {
			set := sets[i].items
			if c.browserQueries > 0 && c.browserQueries < len(set) {
				set = set[:c.browserQueries]
			}
			logf("search: %d queries of %s, %s in Chromium", len(set), sets[i].Name, e.engine)
			fig, err := browserSet(browser, srv.URL, e.engine, e.count, set, nil)
			if err != nil {
				return nil, err
			}
			fig.Name = e.fig.Name
			sets[i].Engines = append(sets[i].Engines, fig)
		}
	}
	if len(c.lighthouse) > 0 {
		if f.Lighthouse, err = Lighthouse(t.node, t.chromium, srv.URL, c.lighthouse, scratch); err != nil {
			return nil, err
		}
	}
	return keep(), nil
}

// browserSet runs items through engine in Chromium, over link when it is
// not nil, and scores them.
func browserSet(browser context.Context, base, engine string, count *counter, items []KnownItem, link *Link) (Engine, error) {
	cold, warm, err := browserRun(browser, base, engine, count, items, link)
	if err != nil {
		return Engine{}, fmt.Errorf("%s in Chromium: %v", engine, err)
	}
	fig := SummarizeQueries(items, cold, warm)
	if fig.Failed == len(items) {
		return Engine{}, fmt.Errorf("%s in Chromium: every query failed: %v", engine, firstErr(warm))
	}
	return fig, nil
}

// querySet is a variant set with its answers in the built site.
type querySet struct {
	QuerySet
	items []KnownItem
}

// variantSets reads the variant sets of the known-item queries and, with
// c.noisySeed, makes one more noisy set: make-variants.py, copied beside
// a copy of the queries into scratch (it writes beside itself), run with
// that seed.
func variantSets(c config, scratch, public string) ([]querySet, error) {
	files := append([]string(nil), c.variants...)
	if c.noisySeed != 0 {
		dir := filepath.Join(scratch, "variants")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		for _, name := range []string{filepath.Base(c.queries), "make-variants.py"} {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(c.queries), name))
			if err != nil {
				return nil, fmt.Errorf("a noisy set with seed %d: %v (-noisy-seed 0 to skip it)", c.noisySeed, err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				return nil, err
			}
		}
		cmd := exec.Command("python3", "make-variants.py", strconv.Itoa(c.noisySeed))
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("make-variants.py %d: %v\n%s(it needs python3 and Debian's opencc; -noisy-seed 0 to skip it)", c.noisySeed, err, tail(out, 10))
		}
		seeded := filepath.Join(dir, fmt.Sprintf("known-item-noisy-seed%d.json", c.noisySeed))
		if err := os.Rename(filepath.Join(dir, "known-item-noisy.json"), seeded); err != nil {
			return nil, err
		}
		files = append(files, seeded)
	}
	var sets []querySet
	for _, file := range files {
		qs, err := ReadQueries(file)
		if err != nil {
			return nil, err
		}
		items, err := KnownItems(public, qs)
		if err != nil {
			return nil, err
		}
		sets = append(sets, querySet{QuerySet{Name: filepath.Base(file), Queries: len(items)}, items})
	}
	return sets, nil
}

// indexOf copies the figures of the index from other, measured once for
// the runtimes that query it.
func (e *Engine) indexOf(other Engine) {
	e.Index, e.Export, e.IndexBytes, e.Files, e.Bytes = other.Index, other.Export, other.IndexBytes, other.Files, other.Bytes
}

func firstErr(ss []sample) error {
	for _, s := range ss {
		if s.err != nil {
			return s.err
		}
	}
	return nil
}

// SummarizeQueries scores the warm answers (those a reader gets; the cold
// ones come from the same engine and index) and takes the medians of the
// costs.
func SummarizeQueries(items []KnownItem, cold, warm []sample) Engine {
	e := Engine{Queries: len(items), Cold: costOf(cold), Warm: costOf(warm)}
	var pages, turns []int
	for i, s := range warm {
		if err := cmp.Or(cold[i].err, s.err); err != nil {
			e.Failed++
			logf("query %q: %v", items[i].Query, err)
		} else if len(s.results) == 0 {
			e.Empty++
		}
		p, t := Ranks(s.results, items[i].Answers)
		pages, turns = append(pages, p), append(turns, t)
	}
	page := Score(pages)
	e.Turn, e.Page = Score(turns), &page
	return e
}

func costOf(ss []sample) Cost {
	var bytes, requests, depth, unseen []int64
	var latency []time.Duration
	for _, s := range ss {
		if s.err == nil {
			bytes, requests, latency = append(bytes, s.bytes), append(requests, s.requests), append(latency, s.latency)
			depth, unseen = append(depth, s.depth), append(unseen, s.unseen)
		}
	}
	return Cost{Bytes: MedianInt(bytes), BytesP90: Percentile(bytes, 0.9), Requests: MedianInt(requests),
		Latency: Median(latency), LatencyP90: Percentile(latency, 0.9), Depth: MedianInt(depth), DepthMax: slices.Max(append(depth, 0)),
		Unseen: MedianInt(unseen)}
}

// nodeEval runs client/eval.mjs on the exported index at dir, with the
// copies of each query's turn passed to it as answers too; with a link,
// the queries run over it as well, and their figures are the second
// result (nil without).
func nodeEval(t searchTools, dir, scratch string, items []KnownItem, link *Link) (Engine, *Engine, error) {
	qs, err := EvalQueries(items)
	if err != nil {
		return Engine{}, nil, err
	}
	path := filepath.Join(scratch, "known-item-queries.json")
	if err := os.WriteFile(path, qs, 0o644); err != nil {
		return Engine{}, nil, err
	}
	args := []string{t.eval, dir, path}
	if link != nil {
		args = append(args, link.evalArgs()...)
	}
	out, err := exec.Command(t.node, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return Engine{}, nil, fmt.Errorf("%s: %v\n%s", t.eval, err, tail(stderr, 20))
	}
	return ParseEval(out)
}

// ParseEval reads what client/eval.mjs prints: the figures of the queries
// read from disk and, when it ran them over a simulated link too (its
// "link" field), theirs over it, with the same scores (nil when it did
// not).
func ParseEval(out []byte) (Engine, *Engine, error) {
	type cost struct {
		BytesMedian, BytesP90, RequestsMedian, MsMedian, MsP90 float64
		DepthMedian, DepthMax                                  float64
	}
	var r struct {
		Queries     int
		MRR10, Hit1 float64
		Cold, Warm  cost
		Link        *struct {
			Agrees            bool
			Cold, Warm, Typed cost
		}
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return Engine{}, nil, fmt.Errorf("eval.mjs: %v\n%s", err, tail(out, 20))
	}
	conv := func(c cost) Cost {
		ms := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
		return Cost{Bytes: int64(c.BytesMedian), BytesP90: int64(c.BytesP90), Requests: int64(c.RequestsMedian + 0.5),
			Latency: ms(c.MsMedian), LatencyP90: ms(c.MsP90), Depth: int64(c.DepthMedian + 0.5), DepthMax: int64(c.DepthMax)}
	}
	e := Engine{Queries: r.Queries, Turn: Scores{r.MRR10, r.Hit1}, Cold: conv(r.Cold), Warm: conv(r.Warm)}
	if r.Link == nil {
		return e, nil, nil
	}
	if !r.Link.Agrees {
		return Engine{}, nil, errors.New("eval.mjs: the answers over the simulated link differ from those read from disk")
	}
	l := Engine{Queries: r.Queries, Turn: e.Turn, Cold: conv(r.Link.Cold), Warm: conv(r.Link.Warm), Typed: conv(r.Link.Typed)}
	return e, &l, nil
}

// runPagefind indexes the site at public with Pagefind into out, with no
// configuration: the site carries no data-pagefind attributes, so each
// page's whole <body> is indexed, in one index per page language.
func runPagefind(bin, public, out string) (Engine, PagefindRun, error) {
	if err := os.RemoveAll(out); err != nil {
		return Engine{}, PagefindRun{}, err
	}
	v, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return Engine{}, PagefindRun{}, fmt.Errorf("%s --version: %v", bin, err)
	}
	absPublic, _ := filepath.Abs(public)
	absOut, _ := filepath.Abs(out)
	r, stdout, err := Measure(".", bin, "--site", absPublic, "--output-path", absOut)
	if err != nil {
		return Engine{}, PagefindRun{}, err
	}
	run := ParsePagefind(stdout)
	run.Version, run.Binary, run.Args = strings.TrimSpace(string(v)), filepath.Base(bin), "--site public --output-path pagefind"
	run.CPU, run.MaxRSS = r.User+r.Sys, r.MaxRSS
	e := Engine{Name: "Pagefind, Chromium", Index: r.Wall}
	e.Files, e.Bytes = DirSize(out)
	return e, run, nil
}

// pagefindTotal matches the totals Pagefind prints: "  Indexed 8693 pages".
var pagefindTotal = regexp.MustCompile(`(?m)^\s*Indexed ([0-9]+) (page|word|language)s?\s*$`)

// ParsePagefind reads the totals from Pagefind's standard output.
func ParsePagefind(out []byte) PagefindRun {
	var r PagefindRun
	for _, m := range pagefindTotal.FindAllSubmatch(out, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		switch string(m[2]) {
		case "page":
			r.Pages = n
		case "word":
			r.Words = n
		case "language":
			r.Languages = n
		}
	}
	return r
}
