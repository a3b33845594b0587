package plan

import (
	"iter"
	"slices"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/kind"
)

// Kind is national action plans as a kind of record (see generator/kind):
// the files of Dir, checked, with their commitments' citations resolved
// against the transcripts.
var Kind kind.Kind = plans{}

type plans struct{}

func (plans) Name() string { return "plans" }

func (plans) Load(env *kind.Env) (kind.Records, error) {
	return loaded(Validate(Load(env.Dir, env.Findings), NewArchiveResolver(env.Archive), env.Findings)), nil
}

// loaded are the plans that passed validation.
type loaded []*Plan

func (ps loaded) Cites() kind.Citations          { return CitedBy(ps) }
func (ps loaded) Search(*kind.Env) []kind.Source { return kind.BySource(SearchDocs(ps)) }
func (ps loaded) Pages(env *kind.Env) iter.Seq[content.Page] {
	return slices.Values(Pages(ps, env.Related))
}
func (loaded) Static(*kind.Env, string) error { return nil }

// Ask asks env.Related what Pages will: every commitment's related turns.
func (ps loaded) Ask(env *kind.Env) { Related(ps, env.Related) }
