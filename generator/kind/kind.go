// Package kind is the one shape every kind of record takes in a build:
// meeting transcripts, action plans, consensus camps, and whatever comes
// next (a petition, a bill, a budget line). A Kind loads and checks its
// files; what it loaded gives the build its pages, its search documents
// and the citations it makes of transcript turns. The pipeline runs the
// kinds it is given (generator/kinds lists the default ones) and names
// none of them, so a new kind is a new package and a line in that list.
package kind

import (
	"errors"
	"iter"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/turnid"
)

// A Kind is one kind of record. It holds no state: what it loads comes
// back as Records, so one Kind serves any number of builds.
type Kind interface {
	// Name names the kind in progress and errors, e.g. "plans".
	Name() string
	// Load reads and checks the kind's files under env.Dir. Every problem
	// with a file is a finding (file, line, how to fix it) on env.Findings,
	// and a file with errors is left out; the error return is for what
	// stops the build (an unreadable directory), or ErrHalt.
	Load(env *Env) (Records, error)
}

// Records are a kind's checked records, as Load returns them. The build
// calls Cites once every kind has loaded, then Pages, Static and Search
// while the transcripts' model is there; an Asker's Pages come after the
// index is built.
type Records interface {
	// Cites is the citations these records make of transcript turns,
	// which the cited records' pages list as "cited by".
	Cites() Citations
	// Search is the records' search documents, by source file.
	Search(env *Env) []Source
	// Pages is the Hugo content pages of the records, made as they are
	// read, so that a build holds the pages being written and not all of
	// them; env.CitedBy holds the citations they receive and env.Related
	// finds related turns.
	Pages(env *Env) iter.Seq[content.Page]
	// Static writes the files Hugo copies into the site as they are
	// (lookups read by scripts, a _redirects file) under dir.
	Static(env *Env, dir string) error
}

// ErrHalt is what Load returns when it reported an error that leaves the
// kinds after it nothing to build on (a damaged turn-id ledger): the build
// stops after loading and the findings say why.
var ErrHalt = errors.New("records cannot be built on")

// Env is what a build shares with the kinds. The first kind, transcripts,
// sets Archive and Ledger; every kind after it may read them, as plans and
// camps do to resolve their citations.
type Env struct {
	Dir        string     // records directory
	LedgerPath string     // turn-id ledger file
	Findings   *diag.List // every kind's findings
	// Parsed caches parsed transcripts between builds; nil parses all.
	Parsed records.Cache
	// Progress reports counted work (files parsed); never nil.
	Progress func(done, total int)

	Archive *model.Archive // the transcripts, once loaded
	Ledger  *turnid.Ledger // their turns' permalink ids, once loaded

	// CitedBy is every kind's citations merged, set once all have loaded.
	CitedBy Citations
	// Related finds turns related to a text; nil until the index is built
	// (and in a check, which builds none).
	Related Finder
}

// A Source is the search documents of one source file, made on demand: a
// rebuild makes only those of the sources whose inputs changed.
type Source struct {
	Name string // the file, relative to the records directory
	// Inputs digests everything the documents are made from; "" makes
	// them every build.
	Inputs string
	Docs   func() []model.SearchDoc
}

// BySource groups documents by their Source, in order of first
// appearance, as sources made every build.
func BySource(docs []model.SearchDoc) []Source {
	by := map[string][]model.SearchDoc{}
	var order []string
	for _, d := range docs {
		if _, ok := by[d.Source]; !ok {
			order = append(order, d.Source)
		}
		by[d.Source] = append(by[d.Source], d)
	}
	out := make([]Source, len(order))
	for i, name := range order {
		docs := by[name]
		out[i] = Source{Name: name, Docs: func() []model.SearchDoc { return docs }}
	}
	return out
}

// Citations are links to transcript turns: record slug → turn id → the
// pages citing that turn, in order.
type Citations map[string]map[string][]content.CiteLink

// Merge merges the citations of every kind, in the order given.
func Merge(all ...Citations) Citations {
	out := Citations{}
	for _, src := range all {
		for slug, turns := range src {
			if out[slug] == nil {
				out[slug] = map[string][]content.CiteLink{}
			}
			for id, links := range turns {
				out[slug][id] = append(out[slug][id], links...)
			}
		}
	}
	return out
}

// An Asker is Records whose pages ask the index (Env.Related). A build
// calls Ask once the index is built, with a Related that remembers its
// answers, then closes the index and makes the Asker's pages, which get the
// answers remembered: the index's mapped files, which the questions read
// much of, are a gigabyte at ten times the archive. By then a cold build
// has let go of the transcripts' model, which it holds no longer than it
// must: an Asker's Pages must not read Env.Archive or Env.CitedBy, but
// what Load kept of them.
type Asker interface {
	Ask(env *Env)
}

// A Finder finds transcript turns related to a text, from the index. It
// may be called from several goroutines at once.
type Finder interface {
	// Related returns up to n speaker turns of transcripts (not
	// commitments or camp outcomes), best match first.
	Related(query string, n int) []Passage
}

// Passage is a turn a Finder found.
type Passage struct {
	URL     string // the turn's permalink, /<slug>/#<id>
	Record  string // the record's title
	Date    string // YYYY-MM-DD, or "" when undated
	Lang    string // the record's language
	Speaker string
	Text    string // plain text of the turn, or of a snippet of it
}
