// Command bench measures ogarchive on a full-size archive: the corpus
// replicated with shifted dates to the size of the whole public archive,
// built cold several times and then rebuilt after adding, correcting and
// deleting one transcript, with what each rebuild changed in the site (its
// deploy delta). Medians go to docs/BENCHMARKS.md beside the
// previous figures. After the cold builds, known-item queries measure the
// site's search: our static client in Node and in headless Chromium, and
// Pagefind indexing the same site, in Chromium too.
//
//	npm ci --prefix bench --no-audit --no-fund   # Pagefind and Lighthouse
//	go run ./bench -bin build/ogarchive -corpus ../shared/corpus -out docs/BENCHMARKS.md
//
// The search stage alone, on a site already built (with the queries over
// a slow mobile link too, -rtt and -bw, in Node and in Chromium, and
// Lighthouse on the pages of -lighthouse):
//
//	go run ./bench -site public -browser-queries 50 -throttle-queries 20
//
// An archive N times the full size, built once, with its search measured
// in Node over the slow link, to a section of its own:
//
//	go run ./bench -bin build/ogarchive -corpus ../shared/corpus -scale 10
//
// Profiles of the slow stages come from the benchmarks beside it:
//
//	OGARCHIVE_CORPUS=../shared/corpus go test ./bench -run '^$' -bench Hugo -benchtime 1x -cpuprofile cpu.prof
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/ogarchive/ogarchive/search"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The incremental changes, in the order measured.
const (
	changeNone    = "no change"
	changeAdd     = "add one transcript"
	changeCorrect = "correct one turn"
	changeDelete  = "delete one transcript"
)

type config struct {
	bin, corpus, defaults, out, dir string
	target, runs                    int
	verify                          bool
	flags                           []string

	queries            string   // known-item queries; "" skips the search stage
	variants           []string // further query sets, as the verbatim one is typed otherwise
	noisySeed          int      // seed of one more noisy set made with make-variants.py; 0 for none
	search             bool     // run the browser and Pagefind part of it
	browserQueries     int      // queries run in the browser, 0 for all
	chromium, pagefind string

	link            Link     // the slow mobile link the queries run over too; RTT 0 for none
	throttleQueries int      // queries run in Chromium throttled to link, 0 for none
	lighthouse      []string // pages Lighthouse reports on, from the site's root
	scale           int      // build an archive this many times -target instead (runScale); 0 for none
}

// slowLink is the link the queries run over besides, nil for none.
func (c config) slowLink() *Link {
	if c.link.RTT <= 0 {
		return nil
	}
	return &c.link
}

func main() {
	var c config
	// A flag set of its own: the search package brings OpenCC, whose init
	// adds a -dir of its own to the global one.
	fs := flag.NewFlagSet(os.Args[0], flag.ExitOnError)
	fs.StringVar(&c.bin, "bin", "build/ogarchive", "ogarchive binary to measure")
	fs.StringVar(&c.corpus, "corpus", "../shared/corpus", "transcripts to replicate")
	fs.StringVar(&c.defaults, "records", "records", "records directory whose commitments/ and camps/ join the archive")
	fs.IntVar(&c.target, "target", 2050, "transcripts in the replicated archive")
	fs.IntVar(&c.runs, "runs", 3, "runs of each measurement (medians are reported)")
	fs.StringVar(&c.out, "out", "docs/BENCHMARKS.md", "report to update")
	fs.StringVar(&c.dir, "dir", "", "scratch directory (default: a temporary one, removed afterwards)")
	fs.BoolVar(&c.verify, "verify", true, "compare the incrementally built site with a cold build of the same records")
	extra := fs.String("flags", "", "extra flags for `ogarchive build`, space-separated")
	fs.StringVar(&c.queries, "queries", "../shared/eval/known-item-queries.json", "known-item queries the search stage runs (\"\" to skip it)")
	variants := fs.String("variants", "../shared/eval/known-item-simplified.json,../shared/eval/known-item-noisy.json",
		"further known-item sets the search stage runs, comma-separated (\"\" for none)")
	fs.IntVar(&c.noisySeed, "noisy-seed", 11, "also run a noisy set made by the -queries file's make-variants.py with this seed, so the figures are not tuned to one (0: none)")
	fs.BoolVar(&c.search, "search", true, "run the known-item queries in Chromium and against Pagefind too, not only in Node")
	fs.IntVar(&c.browserQueries, "browser-queries", 100, "run only the first `n` queries in Chromium, each cold and warm (0: all)")
	fs.StringVar(&c.chromium, "chromium", "/usr/bin/chromium", "Chromium binary")
	fs.StringVar(&c.pagefind, "pagefind", "", "Pagefind binary (default: the extended one under bench/node_modules)")
	fs.DurationVar(&c.link.RTT, "rtt", 150*time.Millisecond, "round trip of the slow mobile link the queries also run over, simulated in Node and throttled in Chromium (0: none)")
	fs.Int64Var(&c.link.Bandwidth, "bw", 200000, "download bandwidth of the slow link, in bytes per second")
	fs.IntVar(&c.throttleQueries, "throttle-queries", 50, "run the first `n` queries in Chromium throttled to the slow link, each cold and warm (0: none)")
	lighthouse := fs.String("lighthouse", "/search/?q=開放政府", "pages Lighthouse (mobile) reports on, comma-separated paths from the site's root (\"\" for none)")
	from := fs.String("from", "", "measure nothing: rewrite the report with the figures kept in this BENCHMARKS.md (after a change to the report's layout)")
	site := fs.String("site", "", "build nothing: run the search stage on this built site (a public/ directory) and print its figures")
	fs.IntVar(&c.scale, "scale", 0, "measure instead an archive `n` times -target transcripts: one cold build and the queries in Node over the slow link, to the report's own section")
	fs.Parse(os.Args[1:])
	c.flags = strings.Fields(*extra)
	for _, p := range strings.Split(*lighthouse, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.lighthouse = append(c.lighthouse, p)
		}
	}
	for _, v := range strings.Split(*variants, ",") {
		if v = strings.TrimSpace(v); v != "" {
			c.variants = append(c.variants, v)
		}
	}
	run := run
	switch {
	case *from != "":
		run = func(c config) error { return rewrite(*from, c.out) }
	case *site != "":
		run = func(c config) error { return searchOnly(*site, c) }
	case c.scale > 0:
		run = runScale
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// binary is the absolute path of the ogarchive binary to measure, which
// must exist.
func (c config) binary() (string, error) {
	bin, err := filepath.Abs(c.bin)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("%v (build it first: make build/ogarchive)", err)
	}
	return bin, nil
}

func run(c config) error {
	bin, err := c.binary()
	if err != nil {
		return err
	}
	var tools searchTools
	if c.queries != "" {
		if tools, err = findSearchTools(c); err != nil {
			return err
		}
	}
	dir, cleanup, err := scratch(c)
	if err != nil {
		return err
	}
	defer cleanup()
	fig := Figures{Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Commit: commit(), Machine: ThisMachine(), Runs: c.runs}
	recs := filepath.Join(dir, "records")
	os.RemoveAll(recs)
	logf("replicating %s to %d transcripts in %s", c.corpus, c.target, recs)
	if fig.Corpus, err = Replicate(c.corpus, c.defaults, recs, c.target); err != nil {
		return err
	}
	logf("%d transcripts, %d turns, %s", fig.Corpus.Files, fig.Corpus.Turns, human(fig.Corpus.Bytes))

	b := &builder{bin: bin, dir: filepath.Join(dir, "run"), recs: recs, flags: c.flags}
	// The first build creates the turn-id ledger, as a maintainer's
	// repository already has one, and warms the file cache; it is not
	// counted.
	if _, err := b.cold("warm-up"); err != nil {
		return err
	}
	var cold []Run
	for i := range c.runs {
		r, err := b.cold(fmt.Sprintf("cold %d/%d", i+1, c.runs))
		if err != nil {
			return err
		}
		cold = append(cold, r)
	}
	fig.Cold = Summarize(cold)
	// The search stage reads the last cold build's site, before the
	// rebuilds change it and while no build runs.
	if c.queries != "" {
		if fig.Search, err = measureSearch(c, tools, filepath.Join(b.dir, "public"), dir, fig.Cold); err != nil {
			return err
		}
	}

	ch := &changer{recs: recs}
	incr := map[string][]Run{}
	deltas := map[string][]Delta{}
	dep := &deploys{public: filepath.Join(b.dir, "public")}
	for i := range c.runs {
		for _, name := range []string{changeNone, changeAdd, changeCorrect, changeDelete} {
			file, err := ch.apply(name, i)
			if err != nil {
				return err
			}
			if err := dep.start(file); err != nil {
				return err
			}
			r, err := b.build(fmt.Sprintf("%s %d/%d", name, i+1, c.runs))
			if err != nil {
				return err
			}
			incr[name] = append(incr[name], r)
			d, err := dep.done(file)
			if err != nil {
				return err
			}
			deltas[name] = append(deltas[name], d)
			logf("%-28s deploy: %s (own %d, search/ %d, other %d)", "", changedCell(d.Total()), d.Own.Files(), d.Search.Files(), d.Other.Files())
		}
	}
	for _, name := range []string{changeNone, changeAdd, changeCorrect, changeDelete} {
		delta := MedianDelta(deltas[name])
		fig.Incremental = append(fig.Incremental, Change{Name: name, Summary: Summarize(incr[name]), Delta: &delta})
	}

	fig.Verified = "not checked"
	if c.verify {
		ref := &builder{bin: bin, dir: filepath.Join(dir, "verify"), recs: recs, flags: c.flags}
		if _, err := ref.cold("verification (cold)"); err != nil {
			return err
		}
		fig.Verified = CompareTrees(filepath.Join(b.dir, "public"), filepath.Join(ref.dir, "public"))
		logf("verification: %s", fig.Verified)
	}
	if err := WriteReport(c.out, fig); err != nil {
		return err
	}
	logf("figures written to %s", c.out)
	return nil
}

// scratch is the directory the bench works in: -dir, kept, or a new
// temporary one, removed by cleanup.
func scratch(c config) (dir string, cleanup func(), err error) {
	if c.dir != "" {
		return c.dir, func() {}, os.MkdirAll(c.dir, 0o755)
	}
	if dir, err = os.MkdirTemp("", "ogarchive-bench-"); err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// rewrite renders the figures kept in from into the report at out.
func rewrite(from, out string) error {
	doc, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	fig := Previous(doc)
	if fig == nil {
		return fmt.Errorf("%s holds no figures", from)
	}
	return WriteReport(out, *fig)
}

// searchOnly runs the search stage on a built site and prints its section
// of the report and its figures as JSON.
func searchOnly(public string, c config) error {
	if c.queries == "" {
		return fmt.Errorf("-site needs -queries")
	}
	tools, err := findSearchTools(c)
	if err != nil {
		return err
	}
	dir, cleanup, err := scratch(c)
	if err != nil {
		return err
	}
	defer cleanup()
	f, err := measureSearch(c, tools, public, dir, Summary{})
	if err != nil {
		return err
	}
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	fmt.Printf("%s\n%s\n", RenderSearch(f, nil), data)
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// commit names the source the binary was built from, when in a git tree.
func commit() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// builder runs builds of one records directory into one site; dir holds
// everything a build writes besides the records (site, work dir, index,
// cache), as a checkout's working tree would.
type builder struct {
	bin, dir, recs string
	flags          []string
}

// cold removes everything the previous builds left, then builds.
func (b *builder) cold(label string) (Run, error) {
	if err := os.RemoveAll(b.dir); err != nil {
		return Run{}, err
	}
	return b.build(label)
}

func (b *builder) build(label string) (Run, error) {
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return Run{}, err
	}
	args := append([]string{"build", "--records", b.recs, "--out", "public"}, b.flags...)
	r, err := Build(b.dir, b.bin, args...)
	if err != nil {
		return r, err
	}
	pub := filepath.Join(b.dir, "public")
	r.Outputs.Files, r.Outputs.Bytes = DirSize(pub)
	_, r.Outputs.IndexBytes = DirSize(filepath.Join(b.dir, "build", "index"))
	r.Outputs.SearchFiles, r.Outputs.SearchBytes = SearchExport(pub)
	logf("%-28s %6.1fs wall, %6.1fs CPU, %s max RSS, load %s", label, r.Wall.Seconds(), (r.User + r.Sys).Seconds(), human(r.MaxRSS), LoadAverage())
	return r, nil
}

// SearchExport sizes the static search export inside a built site,
// without the search page itself.
func SearchExport(public string) (files, size int64) {
	files, size = DirSize(filepath.Join(public, "search"))
	if st, err := os.Stat(filepath.Join(public, "search", "index.html")); err == nil {
		files--
		size -= st.Size()
	}
	return files, size
}

// changer makes the changes a maintainer commits between builds; apply
// returns the transcript it changed ("" for none).
type changer struct {
	recs  string
	added []string // transcripts added, one per round
}

func (c *changer) apply(name string, round int) (string, error) {
	switch name {
	case changeNone:
		return "", nil
	case changeAdd:
		src, err := c.pick(round, func(f string) bool { return !strings.Contains(f, "-"+replicaSuffix) })
		if err != nil {
			return "", err
		}
		b, err := os.ReadFile(filepath.Join(c.recs, src))
		if err != nil {
			return "", err
		}
		newName, nb := Shift(src, b, 1, fmt.Sprintf("new%d", round+1))
		c.added = append(c.added, newName)
		return newName, os.WriteFile(filepath.Join(c.recs, newName), nb, 0o644)
	case changeCorrect:
		f, err := c.pick(round+7, func(f string) bool { return !strings.Contains(f, "-"+replicaSuffix) })
		if err != nil {
			return "", err
		}
		path := filepath.Join(c.recs, f)
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		nb, ok := CorrectTurn(b, 3, fmt.Sprintf(" (corrected %d)", round+1))
		if !ok {
			return "", fmt.Errorf("%s: no turn to correct", f)
		}
		return f, os.WriteFile(path, nb, 0o644)
	case changeDelete:
		f, err := c.pick(round, func(f string) bool { return strings.HasSuffix(f, "-"+replicaSuffix+".md") })
		if err != nil {
			return "", err
		}
		return f, os.Remove(filepath.Join(c.recs, f))
	}
	return "", fmt.Errorf("unknown change %q", name)
}

// pick chooses a shiftable transcript spread over the archive, one not
// named in .alternates (a pair would need both files changed).
func (c *changer) pick(round int, ok func(string) bool) (string, error) {
	alt, err := readAlternates(filepath.Join(c.recs, ".alternates"))
	if err != nil {
		return "", err
	}
	entries, err := os.ReadDir(c.recs)
	if err != nil {
		return "", err
	}
	var cands []string
	for _, e := range entries {
		f := e.Name()
		if _, paired := alt.partner[f]; paired || !ok(f) {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(c.recs, f)); err == nil && shiftable(f, b) && CountTurns(b) >= 5 {
			cands = append(cands, f)
		}
	}
	if len(cands) == 0 {
		return "", fmt.Errorf("no transcript to change in %s", c.recs)
	}
	return cands[(round*997+len(cands)/3)%len(cands)], nil
}

// CorrectTurn appends note to the first line of text of the n-th `###`
// turn, as a correction of a word or two would change it.
func CorrectTurn(src []byte, n int, note string) ([]byte, bool) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	seen := 0
	for i, line := range lines {
		if bytes.HasPrefix(line, []byte("### ")) {
			seen++
			continue
		}
		if seen != n || len(bytes.TrimSpace(line)) == 0 || line[0] == '>' || line[0] == '#' {
			continue
		}
		body := bytes.TrimRight(line, "\r\n")
		lines[i] = append(append(append([]byte(nil), body...), note...), line[len(body):]...)
		return bytes.Join(lines, nil), true
	}
	return src, false
}

// CompareTrees reports whether two built sites hold the same files with
// the same bytes, naming a few that differ. The search export is left
// out (an incremental build writes a delta beside the base, which a cold
// one does not): it must only be whole in both (search.Verify).
func CompareTrees(a, b string) string {
	read := func(root string) map[string][]byte {
		files := map[string][]byte{}
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			if search.Rebuilt(filepath.ToSlash(rel)) {
				return nil // a delta beside the base: checked whole below
			}
			data, _ := os.ReadFile(path)
			files[rel] = data
			return nil
		})
		return files
	}
	fa, fb := read(a), read(b)
	var diff []string
	for _, root := range []string{a, b} {
		if _, err := os.Stat(filepath.Join(root, "search")); err != nil {
			continue // a site without search
		}
		if err := search.Verify(filepath.Join(root, "search")); err != nil {
			diff = append(diff, err.Error())
		}
	}
	for name, da := range fa {
		if db, ok := fb[name]; !ok {
			diff = append(diff, name+" (only incremental)")
		} else if !bytes.Equal(da, db) {
			diff = append(diff, name)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			diff = append(diff, name+" (only cold)")
		}
	}
	if len(diff) == 0 {
		return fmt.Sprintf("identical (%s files, the search export aside)", count(int64(len(fa))))
	}
	n := len(diff)
	sort.Strings(diff)
	if n > 5 {
		diff = append(diff[:5], "…")
	}
	return fmt.Sprintf("%d of %s files differ: %s", n, count(int64(len(fa))), strings.Join(diff, ", "))
}
