// Package cli implements the ogarchive commands: build, check, serve.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/pipeline"
	"github.com/ogarchive/ogarchive/generator/plan"
	"github.com/ogarchive/ogarchive/internal/memlimit"
	"github.com/ogarchive/ogarchive/search"
)

const usage = `ogarchive turns open-government records into a searchable static archive.

Usage:
  ogarchive build [--records DIR] [--out DIR] [--index DIR] [--strict]   check, generate, index and render the site
  ogarchive check [--records DIR] [--strict]                            report problems as file:line: severity: message
  ogarchive serve [--dir public] [--addr 127.0.0.1:8080]                serve the built site
  ogarchive search [--index DIR] [--speaker S] [--from D] [--to D] [--kind K] [--lang L] [--limit N] [--sort S] [--json] QUERY
                                                                        query the bleve index directly
  ogarchive import-commitments [--records DIR] [--id ID] [--title T --from YYYY-MM --to YYYY-MM] FILE.csv
                                                                        turn an agencies' spreadsheet into records/commitments/ID.toml
  ogarchive import-legacy [--records DIR] [--speeches speech_index.json] [--speakers speakers.json]
                                                                        map the previous site's speech keys and speaker routes to the records

Without --records, the archive embedded in the binary (records/) is used.
Run "ogarchive COMMAND -h" for a command's flags.
`

// Main runs the command line and returns the exit code. theme holds the
// embedded Hugo project (hugo.toml, layouts, i18n, assets, content) and
// records the embedded default records.
func Main(args []string, theme, records fs.FS, stdout, stderr io.Writer) int {
	if len(args) < 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	c := &cmd{theme: theme, records: records, stdout: stdout, stderr: stderr}
	var err error
	switch args[0] {
	case "build":
		err = c.build(args[1:])
	case "check":
		err = c.check(args[1:])
	case "serve":
		err = c.serve(args[1:])
	case "search":
		err = c.search(args[1:])
	case "import-commitments":
		err = c.importCommitments(args[1:])
	case "import-legacy":
		err = c.importLegacy(args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "ogarchive: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "ogarchive %s: %v\n", args[0], err)
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 1
	}
	return 0
}

type cmd struct {
	theme, records fs.FS
	stdout, stderr io.Writer
}

// recordsDir returns dir, or the embedded records unpacked to a temporary
// directory when dir is empty, with a cleanup function.
func (c *cmd) recordsDir(dir string) (string, func(), error) {
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return "", nil, fmt.Errorf("records directory: %w", err)
		}
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "ogarchive-records-")
	if err != nil {
		return "", nil, err
	}
	if err := os.CopyFS(tmp, c.records); err != nil {
		os.RemoveAll(tmp)
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

func (c *cmd) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("ogarchive "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

func (c *cmd) printFindings(d *diag.List) {
	for _, f := range d.Sorted() {
		fmt.Fprintln(c.stderr, f.String())
	}
}

func (c *cmd) check(args []string) error {
	fs := c.flags("check")
	recs := fs.String("records", "", "records directory (default: the embedded sample records)")
	strict := fs.Bool("strict", false, "fail on warnings too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, cleanup, err := c.recordsDir(*recs)
	if err != nil {
		return err
	}
	defer cleanup()
	p := newProgress(c.stderr)
	l, err := pipeline.Check(dir, p)
	p.Done()
	if err != nil {
		return err
	}
	a, d := l.Archive, l.Findings
	c.printFindings(d)
	e, w := d.Count()
	fmt.Fprintf(c.stdout, "%d records, %d speakers: %d error(s), %d warning(s)\n", len(a.Records), len(a.Speakers), e, w)
	if d.Failed(*strict) {
		return pipeline.ErrFindings{Errors: e, Warnings: w}
	}
	return nil
}

func (c *cmd) build(args []string) error {
	fs := c.flags("build")
	recs := fs.String("records", "", "records directory (default: the embedded sample records)")
	out := fs.String("out", "public", "directory to publish the site to (replaced atomically)")
	index := fs.String("index", filepath.Join("build", "index"), "bleve index directory")
	work := fs.String("work", filepath.Join("build", "site"), "Hugo project working directory")
	cacheDir := fs.String("cache", filepath.Join("build", "cache"), "build cache: a rebuild parses, generates and renders only what changed (\"\" for none)")
	base := fs.String("base-url", "http://127.0.0.1:8080/", "absolute URL the site is published at")
	strict := fs.Bool("strict", false, "fail the whole build on any warning or error")
	ledger := fs.String("ledger", "", "turn-id ledger file (default: .turn-ids in the records directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, cleanup, err := c.recordsDir(*recs)
	if err != nil {
		return err
	}
	defer cleanup()
	p := newProgress(c.stderr)
	start := time.Now()
	defer buildMemoryLimit()()
	stopProfile, err := startProfile(os.Getenv("OGARCHIVE_CPUPROFILE"))
	if err != nil {
		return err
	}
	defer stopProfile()
	res, err := pipeline.Build(pipeline.Options{
		Records: dir, Out: *out, Index: *index, Work: *work, Cache: *cacheDir, BaseURL: *base, Ledger: *ledger,
		Strict: *strict, Theme: c.theme, Report: p,
	})
	stages := p.Done()
	if res != nil && res.Findings != nil {
		c.printFindings(res.Findings)
	}
	if err != nil {
		return fmt.Errorf("%w (nothing was published; %s is unchanged)", err, *out)
	}
	e, w := res.Findings.Count()
	fmt.Fprintf(c.stdout, "built %d records, %d speakers into %s in %.1fs (%d error(s), %d warning(s))\n",
		res.Records, res.Speakers, *out, time.Since(start).Seconds(), e, w)
	for _, s := range stages {
		fmt.Fprintf(c.stdout, "  %-10s %6.2fs\n", s.name, s.d.Seconds())
	}
	if e > 0 {
		fmt.Fprintf(c.stdout, "files with errors were left out; fix them and rebuild (or use --strict to refuse partial builds)\n")
	}
	return nil
}

// startProfile writes a CPU profile of the build to path, if set
// (OGARCHIVE_CPUPROFILE): a maintainer's way to see where a slow build of
// their own records spends its time (`go tool pprof`).
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// defaultMemoryLimit is the floor of the soft limit on a build's Go
// memory: by default the heap may grow to twice what is live before a
// collection, which for the full archive (about 1 GB live while indexing)
// would pass 2 GB.
const defaultMemoryLimit = 1536 << 20

// buildMemoryLimit sets the soft limit for a build and returns what undoes
// it: GOMEMLIMIT when set (the runtime has applied it, as a fixed limit),
// else a limit of defaultMemoryLimit that follows the live heap once that
// outgrows it (memlimit.Float), so that a larger archive builds with more
// memory rather than with the collector running back to back.
func buildMemoryLimit() (undo func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	return memlimit.Float(defaultMemoryLimit)
}

func (c *cmd) serve(args []string) error {
	fs := c.flags("serve")
	dir := fs.String("dir", "public", "built site directory")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	index := fs.String("index", filepath.Join("build", "index"), "bleve index for GET /api/search (skipped if absent)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		return fmt.Errorf("%s has no index.html; run `ogarchive build` first", *dir)
	}
	mux := http.NewServeMux()
	mux.Handle("/", Handler(*dir))
	if s, err := search.Open(*index); err == nil {
		defer s.Close()
		mux.Handle("/api/search", apiSearch(s))
		fmt.Fprintf(c.stdout, "answering /api/search from %s\n", *index)
	} else {
		fmt.Fprintf(c.stderr, "no /api/search: %v (the static search still works)\n", err)
	}
	fmt.Fprintf(c.stdout, "serving %s at http://%s/ (Ctrl-C to stop)\n", *dir, *addr)
	return http.ListenAndServe(*addr, mux)
}

// Handler serves a built site directory as static hosts such as GitHub
// Pages do: an address with no file gets the site's 404.html (the English
// one under /en/) with status 404; the site's _headers apply, and text is
// sent gzipped to clients that accept it.
func Handler(dir string) http.Handler {
	files := hostLike(dir, http.FileServer(http.Dir(dir)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if found(dir, r.URL.Path) {
			files.ServeHTTP(w, r)
			return
		}
		page := filepath.Join(dir, "404.html")
		if strings.HasPrefix(r.URL.Path, "/en/") {
			if p := filepath.Join(dir, "en", "404.html"); found(dir, "/en/404.html") {
				page = p
			}
		}
		data, err := os.ReadFile(page)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(data)
	})
}

// found reports whether the site in dir has a file for the URL path: the
// file itself, or a directory with an index.html.
func found(dir, urlPath string) bool {
	p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+urlPath)))
	st, err := os.Stat(p)
	if err == nil && st.IsDir() {
		st, err = os.Stat(filepath.Join(p, "index.html"))
	}
	return err == nil && st.Mode().IsRegular()
}

func (c *cmd) importCommitments(args []string) error {
	fs := c.flags("import-commitments")
	recs := fs.String("records", "records", "records directory; the plan is written to its commitments/")
	var o plan.ImportOptions
	fs.StringVar(&o.ID, "id", "", "plan id and file name (default: from the CSV file name)")
	fs.StringVar(&o.Title, "title", "", "plan title (needed for a new plan)")
	fs.StringVar(&o.From, "from", "", "start of the plan period, YYYY-MM (needed for a new plan)")
	fs.StringVar(&o.To, "to", "", "end of the plan period, YYYY-MM (needed for a new plan)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("give one CSV file exported from the spreadsheet, e.g. ogarchive import-commitments plan.csv")
	}
	var d diag.List
	path, err := plan.ImportFile(fs.Arg(0), *recs, o, &d)
	c.printFindings(&d)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "wrote %s; review it, then run `ogarchive check`\n", path)
	return nil
}
