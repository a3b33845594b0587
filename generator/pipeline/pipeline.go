// Package pipeline runs a whole build: check the records, index them for
// search, generate Hugo content, render with Hugo, and publish atomically.
// Data flows one way: records → model → content + index → site. It runs
// the kinds of record it is given (generator/kind) and names none of them;
// Build's stages are in build.go, docs/ARCHITECTURE.md draws them.
package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"time"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/kinds"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
)

// Options configure a build.
type Options struct {
	Records string // records directory
	Out     string // published site directory (public/)
	Index   string // bleve index directory
	Work    string // Hugo project working directory
	Ledger  string // turn-id ledger; default <Records>/.turn-ids
	Cache   string // build cache directory (see generator/cache); "" builds everything from scratch
	BaseURL string
	Strict  bool   // warnings fail the build too
	Theme   fs.FS  // embedded Hugo project files
	Report  Report // progress callbacks; may be nil
	// Kinds are the kinds of record to build, transcripts first; nil
	// means kinds.Default().
	Kinds []kind.Kind
	// KeepArchive keeps the model in Result.Archive. Without it, a cold
	// build lets go of the model once the content is written, before
	// Hugo renders it: the model of a large archive is most of the
	// build's memory, and Hugo needs as much again.
	KeepArchive bool
}

// Report receives progress.
type Report interface {
	Stage(name string)
	Count(done, total int)
}

type nopReport struct{}

func (nopReport) Stage(string)   {}
func (nopReport) Count(int, int) {}

// Result describes a finished (or refused) build.
type Result struct {
	// Archive is the transcripts' model, but for a cold build that went
	// past the check without Options.KeepArchive (see there).
	Archive           *model.Archive
	Records, Speakers int // the transcripts and speakers published
	Findings          *diag.List
	Stages            map[string]time.Duration
}

// ErrFindings is returned when the records fail the check.
type ErrFindings struct{ Errors, Warnings int }

func (e ErrFindings) Error() string {
	return fmt.Sprintf("check failed: %d error(s), %d warning(s)", e.Errors, e.Warnings)
}

// Loaded is the checked records of every kind.
type Loaded struct {
	Archive  *model.Archive // the transcripts
	Findings *diag.List

	env    *kind.Env
	kinds  []kind.Records // what each kind loaded, in order
	halted bool           // a kind stopped the load (see kind.ErrHalt)
}

// release lets go of the model and of what the kinds made of it, keeping
// the findings, the ledger and the records of the kinds that ask the index
// (kind.Asker), whose pages are made after it.
func (l *Loaded) release() {
	var askers []kind.Records
	for _, k := range l.kinds {
		if _, ok := k.(kind.Asker); ok {
			askers = append(askers, k)
		}
	}
	l.Archive, l.kinds = nil, askers
	l.env.Archive, l.env.CitedBy, l.env.Related = nil, nil, nil
}

// Load reads and checks the records of the default kinds (generator/kinds):
// transcripts get their turns' permalink ids from the ledger and their
// redirects, and the other kinds resolve their citations against them.
// Nothing is written.
func Load(dir, ledgerPath string, rep Report) (*Loaded, error) {
	return load(dir, ledgerPath, nil, rep, nil)
}

// load is Load of the given kinds, taking unchanged transcripts from a
// parse cache.
func load(dir, ledgerPath string, ks []kind.Kind, rep Report, parsed records.Cache) (*Loaded, error) {
	if rep == nil {
		rep = nopReport{}
	}
	if ks == nil {
		ks = kinds.Default()
	}
	if ledgerPath == "" {
		ledgerPath = filepath.Join(dir, ".turn-ids")
	}
	env := &kind.Env{Dir: dir, LedgerPath: ledgerPath, Findings: &diag.List{}, Parsed: parsed, Progress: rep.Count}
	l := &Loaded{Findings: env.Findings, env: env}
	var cites []kind.Citations
	for _, k := range ks {
		recs, err := k.Load(env)
		l.Archive = env.Archive
		if errors.Is(err, kind.ErrHalt) {
			l.halted = true
			return l, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k.Name(), err)
		}
		l.kinds = append(l.kinds, recs)
		cites = append(cites, recs.Cites())
	}
	env.CitedBy = kind.Merge(cites...)
	return l, nil
}

// Check loads and checks the records without writing anything.
func Check(dir string, rep Report) (*Loaded, error) {
	if rep == nil {
		rep = nopReport{}
	}
	rep.Stage("check")
	return Load(dir, "", rep)
}

// Pages is every generated content page of the archive, kind by kind,
// each made as it is read.
func Pages(l *Loaded) iter.Seq[content.Page] {
	return func(yield func(content.Page) bool) {
		for _, askers := range []bool{false, true} {
			for p := range pages(l, askers) {
				if !yield(p) {
					return
				}
			}
		}
	}
}

// pages is the pages of the kinds that ask the index (kind.Asker), or of
// the others.
func pages(l *Loaded, askers bool) iter.Seq[content.Page] {
	return func(yield func(content.Page) bool) {
		for _, k := range l.kinds {
			if _, ok := k.(kind.Asker); ok != askers {
				continue
			}
			for p := range k.Pages(l.env) {
				if !yield(p) {
					return
				}
			}
		}
	}
}

// searchSources is every searchable document of the archive by source,
// kind by kind.
func searchSources(l *Loaded) []kind.Source {
	var srcs []kind.Source
	for _, k := range l.kinds {
		srcs = append(srcs, k.Search(l.env)...)
	}
	return srcs
}

// writeStatic writes the files Hugo copies as they are, kind by kind.
func writeStatic(dir string, l *Loaded) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, k := range l.kinds {
		if err := k.Static(l.env, dir); err != nil {
			return err
		}
	}
	return nil
}
