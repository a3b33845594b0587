package camp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// TurnResolver answers for the records a camp cites (see package cite).
type TurnResolver = cite.TurnResolver

// Redirector is what a TurnResolver may also do: say where a citation of a
// renamed record or of a retired turn id now lands.
type Redirector = cite.Redirector

// Validate checks every camp's transcripts and citations against r and
// fills in each citation's speaker and text. A citation that the resolver
// can redirect is a warning and is rewritten to where it now lands; one it
// cannot resolve, or whose quote is not in the turn, is an error. It
// returns the camps without errors, in order.
func Validate(camps []*Camp, r TurnResolver, diags *diag.List) []*Camp {
	redir, _ := r.(Redirector)
	var kept []*Camp
	for _, c := range camps {
		local := &diag.List{}
		validate(c, r, redir, local)
		diags.Merge(local)
		if e, _ := local.Count(); e == 0 {
			kept = append(kept, c)
		}
	}
	return kept
}

func validate(c *Camp, r TurnResolver, redir Redirector, diags *diag.List) {
	listed := map[string]bool{}
	for i, s := range c.Transcripts {
		if !r.HasRecord(s) {
			if to, _, ok := cite.Redirect(redir, s, ""); ok {
				diags.Warnf(c.File, c.Line, "transcript %q was renamed to %q: update `transcripts`", s, to)
				c.Transcripts[i], s = to, to
			} else {
				diags.Errorf(c.File, c.Line, "transcript %q is not a record of the archive: give the slug of its page, e.g. the file name without .md", s)
				continue
			}
		}
		listed[s] = true
	}
	for _, o := range c.Outcomes {
		for i := range o.Cites {
			ct := &o.Cites[i]
			if !r.HasRecord(ct.Slug) {
				to, _, ok := cite.Redirect(redir, ct.Slug, "")
				if !ok {
					diags.Errorf(c.File, ct.Line, "citation %s: %q is not a record of the archive: copy the turn's permalink from the transcript page", ct.Ref(), ct.Slug)
					continue
				}
				diags.Warnf(c.File, ct.Line, "citation %s: record renamed to %q: update the citation", ct.Ref(), to)
				ct.Slug = to
			}
			if !listed[ct.Slug] {
				diags.Errorf(c.File, ct.Line, "citation %s: record %q is not in this camp's `transcripts`: add it there or fix the citation", ct.Ref(), ct.Slug)
				continue
			}
			if !r.HasTurn(ct.Slug, ct.Turn) {
				if _, to, ok := cite.Redirect(redir, ct.Slug, ct.Turn); ok && to != "" {
					diags.Warnf(c.File, ct.Line, "citation %s: the turn was edited and its id retired; it now lands on #%s: cite that id", ct.Ref(), to)
					ct.Turn = to
				} else {
					diags.Errorf(c.File, ct.Line, "citation %s: record %q has no turn %q: copy the turn's permalink from the transcript page", ct.Ref(), ct.Slug, ct.Turn)
					continue
				}
			}
			speaker, text, ok := r.TurnText(ct.Slug, ct.Turn)
			if !ok {
				diags.Errorf(c.File, ct.Line, "citation %s: the turn's text is not available", ct.Ref())
				continue
			}
			ct.Speaker, ct.Text = speaker, text
			if ct.Quote != "" && !ContainsQuote(text, ct.Quote) {
				diags.Errorf(c.File, ct.Line, "citation %s: the quote %q is not in that turn (%s): copy the words exactly, or cite the turn that says them", ct.Ref(), ct.Quote, speaker)
			}
		}
	}
}

// ContainsQuote reports whether text contains quote, comparing the
// NFKC forms with runs of white space made one space, so full- and
// half-width forms and line breaks do not matter.
func ContainsQuote(text, quote string) bool {
	return strings.Contains(fold(text), fold(quote))
}

func fold(s string) string {
	return strings.Join(strings.FieldsFunc(norm.NFKC.String(s), unicode.IsSpace), " ")
}

// Excerpt is what a page quotes for the citation: the quote when there is
// one, else the opening of the turn's text cut to at most n characters.
func (c *Cite) Excerpt(n int) string {
	if c.Quote != "" {
		return c.Quote
	}
	return cite.Excerpt(c.Text, n)
}

// ArchiveResolver resolves citations against a loaded archive whose turns
// carry their ids, redirecting renamed records and retired turn ids.
type ArchiveResolver = cite.ArchiveResolver

// NewResolver indexes a's records; retired, when not nil, gives a record
// file's retired turn ids and the ids they now resolve to (the turn-id
// ledger's Retired method).
func NewResolver(a *model.Archive, retired func(file string) map[string]string) *ArchiveResolver {
	return cite.NewResolver(a, retired)
}
