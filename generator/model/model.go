// Package model holds the archive's data model: the one shape every record
// takes after parsing, shared by the content writer, the search index and
// the exporters. It knows nothing of Markdown, Hugo or bleve.
package model

import (
	"strings"
	"time"
)

// Kind says what sort of thing a record or search document is.
type Kind string

// Record and document kinds.
const (
	KindTranscript Kind = "transcript" // a meeting transcript with speaker turns
	KindNotes      Kind = "notes"      // an undated, unlabelled set of notes
	KindCommitment Kind = "commitment" // an action-plan commitment or milestone
	KindOutcome    Kind = "outcome"    // a consensus-camp outcome
)

// Record is one transcript file of the archive.
type Record struct {
	File      string    // file name inside the records directory, e.g. "2020-08-12-開放政府第75次協作會議-工作會議.md"
	Slug      string    // URL path segment, unique in the archive
	Title     string    // from the H1, else from the file name
	Date      time.Time // meeting date (UTC midnight); zero when undated
	Lang      string    // BCP 47 tag of the text: "zh-TW" or "en"
	Kind      Kind      // KindTranscript or KindNotes
	Turns     []Turn    // every speaker turn and narrative segment, in source order
	Alternate string    // File of the same talk in the other language, "" if none
	Aliases   []string  // old slugs that must redirect to Slug
	Hash      string    // hex SHA-256 of the source bytes
}

// Dated reports whether the record has a known date.
func (r *Record) Dated() bool { return !r.Date.IsZero() }

// DateString is the record date as YYYY-MM-DD, or "" when undated.
func (r *Record) DateString() string {
	if r.Date.IsZero() {
		return ""
	}
	return r.Date.Format("2006-01-02")
}

// Stem is the record's file name without ".md": the name `.redirects`
// and the legacy lists give it.
func (r *Record) Stem() string { return strings.TrimSuffix(r.File, ".md") }

// URL is the site-relative path of the record's page.
func (r *Record) URL() string { return "/" + r.Slug + "/" }

// SpeakerTurns counts the turns that are speaker sections (Ordinal > 0).
func (r *Record) SpeakerTurns() int {
	n := 0
	for i := range r.Turns {
		if r.Turns[i].Ordinal > 0 {
			n++
		}
	}
	return n
}

// Turn is one `###` speaker section, or a narrative segment (Ordinal 0):
// text before the first speaker label, or a section heading and what follows
// it up to the next speaker label.
type Turn struct {
	Ordinal int     // 1-based ordinal of the `###` section in the file; 0 for narrative segments
	ID      string  // stable permalink anchor, assigned from the turn-id ledger
	Line    int     // 1-based source line where the turn starts
	Label   string  // speaker label as written, normalised, without the colon
	Speaker string  // key of the merged speaker identity (Archive.Speakers); "" for none
	Role    string  // role split off the label, e.g. "召集人"
	Blocks  []Block // paragraphs, stage directions, lists, headings, in order
}

// Text is the plain text of all blocks, one block per line.
func (t *Turn) Text() string {
	if len(t.Blocks) == 1 {
		return t.Blocks[0].Text // most turns: no copy
	}
	n := 0
	for _, b := range t.Blocks {
		n += len(b.Text) + 1
	}
	buf := make([]byte, 0, n)
	for i, b := range t.Blocks {
		if i > 0 {
			buf = append(buf, '\n')
		}
		buf = append(buf, b.Text...)
	}
	return string(buf)
}

// SpeechText is the plain text of the blocks that are speech, leaving out
// stage directions and headings; it is what a reader would quote.
func (t *Turn) SpeechText() string {
	var buf []byte
	for _, b := range t.Blocks {
		if b.Kind == BlockDirection || b.Kind == BlockHeading {
			continue
		}
		if len(buf) > 0 {
			buf = append(buf, '\n')
		}
		buf = append(buf, b.Text...)
	}
	return string(buf)
}

// BlockKind tells how a block is rendered and whether it is speech.
type BlockKind string

// Block kinds.
const (
	BlockParagraph BlockKind = "p"         // spoken text
	BlockDirection BlockKind = "direction" // `> （…）` stage direction or section marker
	BlockQuote     BlockKind = "quote"     // other block quotes
	BlockList      BlockKind = "list"      // bulleted or numbered list
	BlockHeading   BlockKind = "heading"   // a section heading inside the record
	BlockHTML      BlockKind = "html"      // raw HTML (sanitised), e.g. a video embed
	BlockCode      BlockKind = "code"      // preformatted text
)

// Block is one rendered unit of a turn.
type Block struct {
	Kind BlockKind
	Text string // plain text, for search and exports
	// Markup is the sanitised HTML fragment, safe to insert into a page,
	// or "" for a paragraph of plain text (nine blocks in ten), whose HTML
	// is its escaped Text: the whole archive is in memory during a build,
	// and this keeps most of its text once instead of twice. Read HTML.
	Markup string
	Line   int // 1-based source line
}

// HTML is the block's sanitised HTML fragment.
func (b *Block) HTML() string {
	if b.Markup == "" && b.Kind == BlockParagraph {
		return PlainParagraph(b.Text)
	}
	return b.Markup
}

// SetHTML sets the block's HTML fragment, keeping none when it is what
// PlainParagraph makes of the text.
func (b *Block) SetHTML(h string) {
	b.Markup = h
	if b.Kind == BlockParagraph && len(h) >= len(b.Text)+len("<p></p>") && h == PlainParagraph(b.Text) {
		b.Markup = ""
	}
}

// htmlEscaper escapes text as Markdown renderers do (goldmark).
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// PlainParagraph is the HTML of a paragraph of plain text.
func PlainParagraph(text string) string {
	return "<p>" + htmlEscaper.Replace(text) + "</p>"
}

// Speaker is a merged speaker identity: one person (or role) however their
// label is spelled across the archive.
type Speaker struct {
	Key     string   // URL path segment under /speakers/
	Name    string   // display name
	Aliases []string // other names this speaker appears under, sorted
	IsRole  bool     // a role such as 問 or Audience Member, not a person
}

// Redirect maps an old URL slug to the slug that replaced it.
type Redirect struct {
	From, To string
	Source   string // where it came from: ".redirects", "legacy", "ledger"
	Line     int    // the line of Source it was read from; 0 when not from a file
}

// Withdrawn is a transcript deleted from the records, as git history
// remembers it: its address answers with a notice rather than a 404.
type Withdrawn struct {
	File    string    // file name it had, with ".md"
	Slug    string    // the address it was published at
	Title   string    // its title, from its last version
	Date    time.Time // its meeting date; zero when undated
	Removed time.Time // when the commit that deleted it was made
}

// Archive is everything the generator read from a records directory.
type Archive struct {
	Records  []*Record           // sorted by Date descending, undated last, then File
	Speakers map[string]*Speaker // by Key
	// Twins holds, by Record.File, the turn-to-turn pairing of each record
	// of an .alternates pair whose alignment is sure (generator/align);
	// a record of an unsure pair has none, and its turns link nowhere.
	Twins map[string]*Twins
}

// Twins pairs the turns of a record with those of its translation.
type Twins struct {
	Of *Record // the same talk in the other language (the record's Alternate)
	// Turns has one entry per turn of the record: 1 + the index in Of.Turns
	// of its twin, or 0 when it has none.
	Turns  []int
	Method string // how they were paired: "order" or "alignment"
}

// Twin returns the turn of r's translation that translates r.Turns[i], and
// that record; nil, nil when the turn has none.
func (a *Archive) Twin(r *Record, i int) (*Record, *Turn) {
	tw := a.Twins[r.File]
	if tw == nil || i < 0 || i >= len(tw.Turns) || tw.Turns[i] == 0 {
		return nil, nil
	}
	return tw.Of, &tw.Of.Turns[tw.Turns[i]-1]
}

// TwinURL is the permalink of the twin of r.Turns[i], /<twin-slug>/#<twin-id>,
// and the twin's language; "", "" when the turn has none.
func (a *Archive) TwinURL(r *Record, i int) (url, lang string) {
	o, t := a.Twin(r, i)
	if t == nil || t.ID == "" {
		return "", ""
	}
	return o.URL() + "#" + t.ID, o.Lang
}

// Record returns the record with the given file name, or nil.
func (a *Archive) Record(file string) *Record {
	for _, r := range a.Records {
		if r.File == file {
			return r
		}
	}
	return nil
}
