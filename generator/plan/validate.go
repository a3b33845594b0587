package plan

import (
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// TurnResolver answers for the records a plan cites, so that this package
// needs no more of the archive than that. Turn ids are the permalink
// anchors the turn-id ledger assigns. camp.TurnResolver has the same
// methods: one resolver serves both.
type TurnResolver interface {
	HasRecord(slug string) bool
	HasTurn(slug, id string) bool
	// TurnText returns the display name of the turn's speaker and its
	// speech text.
	TurnText(slug, id string) (speaker, text string, ok bool)
}

// Redirector is what a TurnResolver may also do: say where a citation of a
// renamed record or of a retired turn id now lands; id is "" when asking
// about a record only.
type Redirector interface {
	Redirect(slug, id string) (newSlug, newID string, ok bool)
}

// Validate checks every citation of plans against r and fills in each
// citation's speaker and text. A citation the resolver can redirect is a
// warning and is rewritten to where it now lands; one it cannot resolve is
// an error. It returns the plans without errors, in order.
func Validate(plans []*Plan, r TurnResolver, diags *diag.List) []*Plan {
	redir, _ := r.(Redirector)
	var kept []*Plan
	for _, p := range plans {
		local := &diag.List{}
		eachCite(p, func(ct *Cite, _ citer) { resolve(p.File, ct, r, redir, local) })
		diags.Merge(local)
		if e, _ := local.Count(); e == 0 {
			kept = append(kept, p)
		}
	}
	return kept
}

func resolve(file string, ct *Cite, r TurnResolver, redir Redirector, diags *diag.List) {
	ref := ct.Ref()
	if !r.HasRecord(ct.Slug) {
		to, _, ok := redirect(redir, ct.Slug, "")
		if !ok {
			diags.Errorf(file, ct.Line, "citation %s: %q is not a record of the archive: copy the turn's permalink from the transcript page", ref, ct.Slug)
			return
		}
		diags.Warnf(file, ct.Line, "citation %s: the record was renamed to %q: update the citation", ref, to)
		ct.Slug = to
	}
	if !r.HasTurn(ct.Slug, ct.Turn) {
		_, to, ok := redirect(redir, ct.Slug, ct.Turn)
		if !ok || to == "" {
			diags.Errorf(file, ct.Line, "citation %s: record %q has no turn %q: copy the turn's permalink from the transcript page", ref, ct.Slug, ct.Turn)
			return
		}
		diags.Warnf(file, ct.Line, "citation %s: the turn was edited and its id retired; it now lands on #%s: cite that id", ref, to)
		ct.Turn = to
	}
	speaker, text, ok := r.TurnText(ct.Slug, ct.Turn)
	if !ok {
		diags.Errorf(file, ct.Line, "citation %s: the turn's text is not available", ct.Ref())
		return
	}
	ct.Speaker, ct.Text = speaker, text
}

func redirect(r Redirector, slug, id string) (string, string, bool) {
	if r == nil {
		return "", "", false
	}
	return r.Redirect(slug, id)
}

// citer is what holds a citation: the plan, an area, a commitment, a
// milestone, a resolution or a history entry of one.
type citer struct {
	Commitment *Commitment // set for commitments and their milestones
	Milestone  *Milestone  // set for milestones
	Area       *Area       // set for areas
	Resolution *Resolution // set for resolutions and their history
}

// eachCite calls f with every citation of p, in file order.
func eachCite(p *Plan, f func(*Cite, citer)) {
	for i := range p.Cites {
		f(&p.Cites[i], citer{})
	}
	for _, a := range p.Areas {
		for i := range a.Cites {
			f(&a.Cites[i], citer{Area: a})
		}
	}
	for _, c := range p.Commitments {
		for i := range c.Cites {
			f(&c.Cites[i], citer{Commitment: c})
		}
		for _, m := range c.Milestones {
			for i := range m.Cites {
				f(&m.Cites[i], citer{Commitment: c, Milestone: m})
			}
		}
	}
	for _, r := range p.Resolutions {
		if !r.Cite.IsZero() {
			f(&r.Cite, citer{Resolution: r})
		}
		for i := range r.History {
			if !r.History[i].Cite.IsZero() {
				f(&r.History[i].Cite, citer{Resolution: r})
			}
		}
	}
}

// ArchiveResolver resolves citations against an archive whose turns have
// their ids assigned.
type ArchiveResolver struct {
	a     *model.Archive
	slugs map[string]*model.Record
	turns map[string]map[string]*model.Turn
}

// NewArchiveResolver indexes a's records and turns.
func NewArchiveResolver(a *model.Archive) *ArchiveResolver {
	r := &ArchiveResolver{a: a, slugs: map[string]*model.Record{}, turns: map[string]map[string]*model.Turn{}}
	for _, rec := range a.Records {
		r.slugs[rec.Slug] = rec
		ids := map[string]*model.Turn{}
		for i := range rec.Turns {
			if t := &rec.Turns[i]; t.ID != "" {
				ids[t.ID] = t
			}
		}
		r.turns[rec.Slug] = ids
	}
	return r
}

// HasRecord reports whether the archive has a record with this slug.
func (r *ArchiveResolver) HasRecord(slug string) bool { return r.slugs[slug] != nil }

// HasTurn reports whether the record has a turn with this id.
func (r *ArchiveResolver) HasTurn(slug, id string) bool { return r.turns[slug][id] != nil }

// TurnText returns the turn's speaker, as the speaker's page names them,
// and its speech text.
func (r *ArchiveResolver) TurnText(slug, id string) (speaker, text string, ok bool) {
	t := r.turns[slug][id]
	if t == nil {
		return "", "", false
	}
	speaker = t.Label
	if sp := r.a.Speakers[t.Speaker]; sp != nil {
		speaker = sp.Name
	}
	return speaker, t.SpeechText(), true
}

// Record returns the record with this slug, or nil.
func (r *ArchiveResolver) Record(slug string) *model.Record { return r.slugs[slug] }
