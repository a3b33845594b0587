package plan

import (
	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// TurnResolver answers for the records a plan cites (see package cite);
// camp.TurnResolver is the same interface, so one resolver serves both.
type TurnResolver = cite.TurnResolver

// Redirector is what a TurnResolver may also do: say where a citation of a
// renamed record or of a retired turn id now lands.
type Redirector = cite.Redirector

// Validate checks every citation of plans against r and fills in each
// citation's speaker and text, and its record when r knows it. A citation
// the resolver can redirect is a warning and is rewritten to where it now
// lands; one it cannot resolve is an error. It returns the plans without
// errors, in order.
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
		to, _, ok := cite.Redirect(redir, ct.Slug, "")
		if !ok {
			diags.Errorf(file, ct.Line, "citation %s: %q is not a record of the archive: copy the turn's permalink from the transcript page", ref, ct.Slug)
			return
		}
		diags.Warnf(file, ct.Line, "citation %s: the record was renamed to %q: update the citation", ref, to)
		ct.Slug = to
	}
	if !r.HasTurn(ct.Slug, ct.Turn) {
		_, to, ok := cite.Redirect(redir, ct.Slug, ct.Turn)
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
	if rr, ok := r.(recorder); ok {
		if rec := rr.Record(ct.Slug); rec != nil {
			ct.Record = &CitedRecord{Title: rec.Title, URL: rec.URL(), Date: rec.DateString(), Lang: rec.Lang}
		}
	}
}

// recorder is what a TurnResolver may also do: give the cited record,
// whose title, date and language the plans' pages show.
type recorder interface {
	Record(slug string) *model.Record
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
// their ids assigned. Unlike cite.ArchiveResolver it is no Redirector: a
// plan's citation of a renamed record or a retired turn id is an error.
type ArchiveResolver struct{ r *cite.ArchiveResolver }

// NewArchiveResolver indexes a's records and turns.
func NewArchiveResolver(a *model.Archive) *ArchiveResolver {
	return &ArchiveResolver{cite.NewResolver(a, nil)}
}

// HasRecord reports whether the archive has a record with this slug.
func (r *ArchiveResolver) HasRecord(slug string) bool { return r.r.HasRecord(slug) }

// HasTurn reports whether the record has a turn with this id.
func (r *ArchiveResolver) HasTurn(slug, id string) bool { return r.r.HasTurn(slug, id) }

// TurnText returns the turn's speaker, as the speaker's page names them,
// and its speech text.
func (r *ArchiveResolver) TurnText(slug, id string) (speaker, text string, ok bool) {
	return r.r.TurnText(slug, id)
}

// Record returns the record with this slug, or nil.
func (r *ArchiveResolver) Record(slug string) *model.Record { return r.r.Record(slug) }
