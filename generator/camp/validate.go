package camp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// TurnResolver answers for the records a camp cites. Turn ids are the
// permalink anchors the turn-id ledger assigns.
type TurnResolver interface {
	HasRecord(slug string) bool
	HasTurn(slug, id string) bool
	// TurnText returns the display name of the turn's speaker and its
	// speech text.
	TurnText(slug, id string) (speaker, text string, ok bool)
}

// Redirector is what a TurnResolver may also do: say where a citation of a
// renamed record or of a retired turn id now lands. id is "" when asking
// about a record only.
type Redirector interface {
	Redirect(slug, id string) (newSlug, newID string, ok bool)
}

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
			if to, _, ok := redirect(redir, s, ""); ok {
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
				to, _, ok := redirect(redir, ct.Slug, "")
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
				if _, to, ok := redirect(redir, ct.Slug, ct.Turn); ok && to != "" {
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

func redirect(r Redirector, slug, id string) (string, string, bool) {
	if r == nil {
		return "", "", false
	}
	return r.Redirect(slug, id)
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
	return cut(strings.Join(strings.Fields(c.Text), " "), n)
}

// cut shortens s to at most n runes, at a punctuation mark or space in the
// last third when there is one, and marks the cut with an ellipsis.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	at := n
	for j := n; j > n*2/3; j-- {
		if strings.ContainsRune(" ，。、；！？,.;!?", r[j]) {
			at = j
			break
		}
	}
	return strings.TrimRight(string(r[:at]), " ，、,;；") + "…"
}

// ArchiveResolver resolves citations against a loaded archive whose turns
// carry their ids.
type ArchiveResolver struct {
	turns   map[string]map[string]*model.Turn // slug → id → turn
	names   map[string]string                 // speaker key → display name
	aliases map[string]string                 // old slug → slug
	retired map[string]map[string]string      // slug → retired id → live id
}

// NewResolver indexes a's records. retired, when not nil, gives a record
// file's retired turn ids and the ids they now resolve to (the turn-id
// ledger's Retired method), so citations of edited turns still resolve.
func NewResolver(a *model.Archive, retired func(file string) map[string]string) *ArchiveResolver {
	r := &ArchiveResolver{turns: map[string]map[string]*model.Turn{}, names: map[string]string{},
		aliases: map[string]string{}, retired: map[string]map[string]string{}}
	for k, sp := range a.Speakers {
		r.names[k] = sp.Name
	}
	for _, rec := range a.Records {
		ids := make(map[string]*model.Turn, len(rec.Turns))
		for i := range rec.Turns {
			if id := rec.Turns[i].ID; id != "" {
				ids[id] = &rec.Turns[i]
			}
		}
		r.turns[rec.Slug] = ids
		for _, old := range rec.Aliases {
			r.aliases[old] = rec.Slug
		}
		if retired != nil {
			r.retired[rec.Slug] = retired(rec.File)
		}
	}
	return r
}

// HasRecord reports whether slug is a record's current slug.
func (r *ArchiveResolver) HasRecord(slug string) bool { _, ok := r.turns[slug]; return ok }

// HasTurn reports whether the record has a live turn with that id.
func (r *ArchiveResolver) HasTurn(slug, id string) bool { _, ok := r.turns[slug][id]; return ok }

// TurnText returns the turn's speaker (merged identity's name, else the
// label as written) and its speech text.
func (r *ArchiveResolver) TurnText(slug, id string) (string, string, bool) {
	t, ok := r.turns[slug][id]
	if !ok {
		return "", "", false
	}
	name := r.names[t.Speaker]
	if name == "" {
		name = t.Label
	}
	return name, t.SpeechText(), true
}

// Redirect resolves an old slug to the record's current one, and a retired
// turn id to the live id it lands on.
func (r *ArchiveResolver) Redirect(slug, id string) (string, string, bool) {
	if to, ok := r.aliases[slug]; ok {
		slug = to
	} else if id == "" || r.turns[slug] == nil {
		return "", "", false
	}
	if id == "" {
		return slug, "", true
	}
	if r.HasTurn(slug, id) {
		return slug, id, true
	}
	if to, ok := r.retired[slug][id]; ok {
		return slug, to, true
	}
	return "", "", false
}
