// Package cite holds what the packages that cite speaker turns (camps,
// plans) share: the questions they ask of the archive about a citation,
// an answer to them backed by a loaded archive, and the cutting of a
// turn's text into an excerpt.
package cite

import (
	"strings"

	"github.com/ogarchive/ogarchive/generator/model"
)

// TurnResolver answers for the records a citation names, so that a package
// that cites needs no more of the archive than that. Turn ids are the
// permalink anchors the turn-id ledger assigns.
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

// Redirect asks r where slug#id now lands; a nil r (a resolver that cannot
// redirect) knows of no redirect.
func Redirect(r Redirector, slug, id string) (newSlug, newID string, ok bool) {
	if r == nil {
		return "", "", false
	}
	return r.Redirect(slug, id)
}

// ArchiveResolver resolves citations against a loaded archive whose turns
// carry their ids. It is a TurnResolver and a Redirector.
type ArchiveResolver struct {
	records map[string]*model.Record          // slug → record
	turns   map[string]map[string]*model.Turn // slug → id → turn
	names   map[string]string                 // speaker key → display name
	aliases map[string]string                 // old slug → slug
	retired map[string]map[string]string      // slug → retired id → live id
}

// NewResolver indexes a's records. retired, when not nil, gives a record
// file's retired turn ids and the ids they now resolve to (the turn-id
// ledger's Retired method), so citations of edited turns still resolve.
func NewResolver(a *model.Archive, retired func(file string) map[string]string) *ArchiveResolver {
	r := &ArchiveResolver{records: map[string]*model.Record{}, turns: map[string]map[string]*model.Turn{},
		names: map[string]string{}, aliases: map[string]string{}, retired: map[string]map[string]string{}}
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
		r.records[rec.Slug] = rec
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

// TurnText returns the turn's speaker (the merged identity's name, as the
// speaker's page names them, else the label as written) and its speech
// text.
func (r *ArchiveResolver) TurnText(slug, id string) (speaker, text string, ok bool) {
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

// Record returns the record whose current slug is slug, or nil.
func (r *ArchiveResolver) Record(slug string) *model.Record { return r.records[slug] }

// Redirect resolves an old slug to the record's current one, and a retired
// turn id to the live id it lands on.
func (r *ArchiveResolver) Redirect(slug, id string) (newSlug, newID string, ok bool) {
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

// Excerpt is the opening of a turn's text, with runs of white space made
// one space, cut to at most n characters.
func Excerpt(text string, n int) string { return Cut(strings.Join(strings.Fields(text), " "), n) }

// Cut shortens s to at most n runes, at a punctuation mark or space in the
// last third when there is one, so that a title or excerpt does not end
// mid-word, and marks the cut with an ellipsis.
func Cut(s string, n int) string {
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
