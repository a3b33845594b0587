// Package sitetest checks the built archive as its readers and maintainers
// meet it: pages in a real browser (Chromium through chromedp), WCAG 2.1 AA
// with axe-core, hostile records that must never execute, links, and builds
// that are reproducible, atomic and tolerant of one bad file.
//
// Each site is built once per test binary, on first use, by the same
// pipeline the ogarchive command runs.
package sitetest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ogarchive/ogarchive/cli"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/pipeline"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// cliEnv, when set in the environment, makes the test binary run the
// ogarchive command line instead of the tests: the build tests start and
// kill real build processes without linking a second copy of Hugo.
const cliEnv = "OGARCHIVE_SITETEST_CLI"

// baseURL is the address test sites are built for. Absolute links to it are
// internal links, checked like relative ones.
const baseURL = "https://archive.example.org/"

var (
	repoRoot string // absolute path of the repository
	tmpRoot  string // scratch directory of this test binary, removed at exit
)

func TestMain(m *testing.M) {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	repoRoot = filepath.Dir(wd)
	if os.Getenv(cliEnv) != "" {
		os.Exit(cli.Main(os.Args[1:], themeFS(), os.DirFS(filepath.Join(repoRoot, "records")), os.Stdout, os.Stderr))
	}
	tmpRoot, err = os.MkdirTemp("", "ogarchive-sitetest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	closeBrowser()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// themeEntries are the repository entries that make up the Hugo project,
// as main.go embeds them.
var themeEntries = map[string]bool{"hugo.toml": true, "layouts": true, "i18n": true, "assets": true, "content": true, "static": true}

// themeFS is the Hugo project of the working tree: the repository root
// restricted to themeEntries, so the tests render the templates being edited
// rather than a stale embedded copy.
func themeFS() fs.FS {
	return rootFilter{os.DirFS(repoRoot)}
}

// rootFilter hides every top-level entry that is not part of the theme.
type rootFilter struct{ fsys fs.FS }

func (r rootFilter) allowed(name string) bool {
	top, _, _ := strings.Cut(name, "/")
	return name == "." || themeEntries[top]
}

func (r rootFilter) Open(name string) (fs.File, error) {
	if !r.allowed(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return r.fsys.Open(name)
}

func (r rootFilter) ReadDir(name string) ([]fs.DirEntry, error) {
	if !r.allowed(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries, err := fs.ReadDir(r.fsys, name)
	if err != nil || name != "." {
		return entries, err
	}
	kept := entries[:0]
	for _, e := range entries {
		if themeEntries[e.Name()] {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// builtSite is a site built on first use and shared by every test.
type builtSite struct {
	name    string // scratch subdirectory
	records string // records directory, relative to the repository or absolute
	// corpus builds the full corpus (OGARCHIVE_CORPUS) instead of records,
	// and skips the test when none is given.
	corpus bool
	// copy builds from a scratch copy of the records: a build updates the
	// records' turn-id ledger, and tests must not change the repository.
	copy bool
	// extra, when set, adds files to the scratch copy before the build.
	extra func(dir string) error

	once sync.Once
	recs string // the records directory built
	dir  string // published site
	res  *pipeline.Result
	err  error
}

var (
	defaultSite = &builtSite{name: "default", records: "records", copy: true}
	hostileSite = &builtSite{name: "hostile", records: "sitetest/testdata/hostile", copy: true, extra: prepareHostile}
	// The sample of real transcripts kept in the repository: raw HTML,
	// embeds, irregular headings, bullets, a bilingual pair, renames.
	sampleSite = &builtSite{name: "sample", records: testcorpus.Sample(), copy: true}
	// The corpus is read-only, as maintainers' checkouts of it may be.
	corpusSite = &builtSite{name: "corpus", corpus: true}
	// The sample copied until it is as many records as a small archive, for
	// the tests that need a build long enough to interrupt when there is no
	// corpus.
	replicaSite = &builtSite{name: "replica", records: testcorpus.Sample(), copy: true, extra: replicate(replicas)}
)

// largeSite is the corpus when one is given, else the replicated sample.
func largeSite() *builtSite {
	if _, ok := testcorpus.Path(testcorpus.Env); ok {
		return corpusSite
	}
	return replicaSite
}

// replicas is how many copies of the sample replicaSite builds: about 1,000
// records, the order of the corpus's 1,618.
const replicas = 70

// replicate returns an extra step that copies every transcript of a
// records directory n-1 times under new file names, so each copy is a
// record of its own.
func replicate(n int) func(dir string) error {
	return func(dir string) error {
		files, err := filepath.Glob(filepath.Join(dir, "*.md"))
		if err != nil {
			return err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			for i := 1; i < n; i++ {
				if err := os.WriteFile(fmt.Sprintf("%s-r%d.md", strings.TrimSuffix(f, ".md"), i), data, 0o644); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// buildMu serialises builds: Hugo runs in this process and each build
// already uses every core.
var buildMu sync.Mutex

// Dir builds the site if needed and returns its published directory.
func (s *builtSite) Dir(t testing.TB) string {
	t.Helper()
	recs := s.records
	if s.corpus {
		recs = testcorpus.Dir(t) // skips, outside once, when there is none
	}
	s.once.Do(func() {
		buildMu.Lock()
		defer buildMu.Unlock()
		work := filepath.Join(tmpRoot, s.name)
		s.recs, s.err = s.recordsDir(work, recs)
		if s.err != nil {
			return
		}
		s.dir = filepath.Join(work, "public")
		ledger := "" // the records' own, in a scratch copy
		if !s.copy {
			// Never the read-only records' own: the corpus stays as it
			// is, and a ledger left there by another run would give other
			// ids than a first build does.
			ledger = filepath.Join(work, "turn-ids")
		}
		s.res, s.err = buildSite(s.recs, work, ledger)
	})
	if s.err != nil {
		t.Fatalf("building the %s site: %v", s.name, s.err)
	}
	return s.dir
}

// archive builds the site if needed and returns the archive it published.
func (s *builtSite) archive(t testing.TB) *model.Archive {
	t.Helper()
	s.Dir(t)
	return s.res.Archive
}

// recordsDir returns the directory to build from, recs, copying it under
// work when the site asks for a copy.
func (s *builtSite) recordsDir(work, recs string) (string, error) {
	if !filepath.IsAbs(recs) {
		recs = filepath.Join(repoRoot, recs)
	}
	if !s.copy {
		return recs, nil
	}
	dst := filepath.Join(work, "records")
	if err := copyRecords(recs, dst); err != nil {
		return "", err
	}
	if s.extra != nil {
		if err := s.extra(dst); err != nil {
			return "", err
		}
	}
	return dst, nil
}

// copyRecords copies a records directory to dst, writable.
func copyRecords(src, dst string) error {
	return os.CopyFS(dst, os.DirFS(src))
}

// buildSite runs the whole pipeline on records, publishing to work/public,
// with the turn-id ledger at ledger ("" for the records' own).
func buildSite(records, work, ledger string) (*pipeline.Result, error) {
	if _, err := os.Stat(records); err != nil {
		return nil, err
	}
	return pipeline.Build(pipeline.Options{
		Records: records,
		Out:     filepath.Join(work, "public"),
		Index:   filepath.Join(work, "index"),
		Work:    filepath.Join(work, "site"),
		Ledger:  ledger,
		BaseURL: baseURL,
		Theme:   themeFS(),
		// the tests read the model the site was built from
		KeepArchive: true,
	})
}
