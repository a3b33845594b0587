package camp

import (
	"iter"
	"slices"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/kind"
)

// Kind is consensus camps as a kind of record (see generator/kind): the
// files of Dir, checked, with their outcomes' citations resolved against
// the transcripts and the turn ids they had before a correction.
var Kind kind.Kind = camps{}

type camps struct{}

func (camps) Name() string { return "camps" }

func (camps) Load(env *kind.Env) (kind.Records, error) {
	return loaded(Validate(Load(env.Dir, env.Findings), NewResolver(env.Archive, env.Ledger.Retired), env.Findings)), nil
}

// loaded are the camps that passed validation.
type loaded []*Camp

func (cs loaded) Cites() kind.Citations          { return CitedBy(cs) }
func (cs loaded) Search(*kind.Env) []kind.Source { return kind.BySource(SearchDocs(cs)) }
func (cs loaded) Pages(env *kind.Env) iter.Seq[content.Page] {
	return slices.Values(Pages(cs, env.Archive))
}
func (loaded) Static(*kind.Env, string) error { return nil }
