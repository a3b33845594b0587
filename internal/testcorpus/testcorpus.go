// Package testcorpus is the one place tests learn where their records and
// schemas are: the sample of real transcripts and the Akoma Ntoso schema
// that live in the repository's testdata/, and the full corpus, which lives
// outside it and is named by OGARCHIVE_CORPUS.
//
// Default tests use only what is in the repository, so a fresh clone passes
// `make test` on its own. Corpus-scale tests call Dir, which skips them,
// naming the variable to set, when no corpus is given: reported as not run,
// never silently passed.
package testcorpus

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Env names the directory of the full corpus of transcripts.
const Env = "OGARCHIVE_CORPUS"

// QueriesEnv names the known-item queries file the search benchmarks run.
const QueriesEnv = "OGARCHIVE_QUERIES"

// root is the repository's root: this file is internal/testcorpus/testcorpus.go.
var root = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("testcorpus: no caller information")
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}()

// Root returns the absolute path of the repository.
func Root() string { return root }

// Sample returns the directory of the real transcripts kept in the
// repository (testdata/corpus, listed in testdata/README.md): each chosen
// for a quirk of the archive, with a bilingual pair in .alternates and
// renames in .redirects.
func Sample() string { return filepath.Join(root, "testdata", "corpus") }

// Schema returns the path of the OASIS Akoma Ntoso 3.0 schema.
func Schema() string { return filepath.Join(root, "testdata", "akn", "akomantoso30.xsd") }

// Testdata returns the path of a file in the repository's testdata/, such
// as links.tsv, the table of malformed links several packages test.
func Testdata(name string) string { return filepath.Join(root, "testdata", name) }

// Path returns the absolute directory the environment variable env names,
// a relative value read against the repository's root (as `make` and
// `.ci/run` give it), and whether it is set.
func Path(env string) (string, bool) {
	d := os.Getenv(env)
	if d == "" {
		return "", false
	}
	if !filepath.IsAbs(d) {
		d = filepath.Join(root, d)
	}
	return d, true
}

// Dir returns the full corpus for a corpus-scale test, or skips the test
// when OGARCHIVE_CORPUS is not set. A set variable that names no directory
// fails the test: a typo must not pass as a skip.
func Dir(tb testing.TB) string {
	tb.Helper()
	d, ok := Path(Env)
	if !ok {
		tb.Skipf("corpus-scale test: set %s to the corpus directory (e.g. %s=../shared/corpus) to run it", Env, Env)
	}
	if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
		tb.Fatalf("%s=%s: not a directory of transcripts", Env, os.Getenv(Env))
	}
	return d
}

// Queries returns the known-item queries for a search benchmark:
// OGARCHIVE_QUERIES, or else eval/known-item-queries.json beside the corpus,
// where the archive's material keeps them. It skips the benchmark when
// there is neither.
func Queries(tb testing.TB) string {
	tb.Helper()
	if q, ok := Path(QueriesEnv); ok {
		return q
	}
	q := filepath.Join(filepath.Dir(Dir(tb)), "eval", "known-item-queries.json")
	if _, err := os.Stat(q); err != nil {
		tb.Skipf("search benchmark: set %s to a known-item queries file (none at %s)", QueriesEnv, q)
	}
	return q
}

// Link is one row of testdata/links.tsv: a link as a transcript may write
// it, what is published for it ("-" for text without a link) and a phrase
// of the warning it gets ("" for none).
type Link struct {
	Written, Published, Problem string
	Line                        int // in links.tsv
}

// Links reads testdata/links.tsv.
func Links(tb testing.TB) []Link {
	tb.Helper()
	f, err := os.Open(Testdata("links.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var links []Link
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			tb.Fatalf("links.tsv:%d: want 3 TAB-separated columns, found %d", n, len(cols))
		}
		links = append(links, Link{cols[0], cols[1], cols[2], n})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return links
}
