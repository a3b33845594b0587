package model

// SearchDoc is one searchable unit, whatever kind of record it comes from:
// a speaker turn, a narrative segment, a commitment or milestone, a camp
// outcome. Every kind makes its documents in this shape and the search
// index takes them as they are.
type SearchDoc struct {
	ID      string // permalink anchor, unique within Source
	URL     string // site-relative permalink with anchor, e.g. /slug/#id
	Source  string // the file it comes from, relative to the records directory
	Turn    int    // 1-based ordinal of the ### section; 0 when not a speaker turn
	Speaker string // display name of the merged speaker identity, the label, or whoever owns it
	Date    string // YYYY-MM-DD, or "" when undated
	Title   string // title of the record (or of the commitment, outcome...)
	Kind    string // Kind as a string
	Lang    string // BCP 47 tag, e.g. zh-TW or en
	Text    string // plain text to index
	// TwinURL is the permalink of the same turn in the other language,
	// /<twin-slug>/#<twin-id> (see Archive.TwinURL), and TwinLang its BCP 47
	// tag; both "" when the document has no twin.
	TwinURL  string
	TwinLang string
}

// Key is the document's id in the index: turn ids are unique only within
// their record, so the source file is part of it.
func (d *SearchDoc) Key() string { return d.Source + "#" + d.ID }

// SearchDocs returns the documents of record r of a: one per turn with
// text, narrative segments included so that every sentence of the archive
// can be found (they have no speaker).
func (a *Archive) SearchDocs(r *Record) []SearchDoc {
	url, date := r.URL()+"#", r.DateString()
	docs := make([]SearchDoc, 0, len(r.Turns))
	for j := range r.Turns {
		t := &r.Turns[j]
		text := t.Text()
		if text == "" {
			continue
		}
		speaker := t.Label
		if s := a.Speakers[t.Speaker]; s != nil && t.Speaker != "" {
			speaker = s.Name
		}
		twinURL, twinLang := a.TwinURL(r, j)
		docs = append(docs, SearchDoc{
			ID:      t.ID,
			URL:     url + t.ID,
			Source:  r.File,
			Turn:    t.Ordinal,
			Speaker: speaker,
			Date:    date,
			Title:   r.Title,
			Kind:    string(r.Kind),
			Lang:    r.Lang,
			Text:    text,

			TwinURL:  twinURL,
			TwinLang: twinLang,
		})
	}
	return docs
}
