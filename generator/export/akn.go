package export

import (
	"bytes"
	"encoding/xml"
	"strings"

	"golang.org/x/text/language"

	"github.com/ogarchive/ogarchive/generator/model"
)

// Country is the FRBR country of every record: the archive is Taiwan's.
const Country = "tw"

// AKNNamespace is the Akoma Ntoso 3.0 namespace.
const AKNNamespace = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

// Undated records: the FRBR URIs carry a date component that no real date
// can equal, while FRBRdate, which the schema requires and types as
// xsd:date, carries the earliest valid date under the name "undated" so
// that nobody mistakes it for a meeting date. The preface then has no
// docDate at all.
const (
	undatedURIDate = "0000-00-00"
	undatedDate    = "0001-01-01"
	undatedName    = "undated"
	datedName      = "meeting"
)

// eIds that are not derived from turns. Speakers get "person_<key>", roles
// "role_<n>", speeches "speech_<turn id>", sections "dbsect_<turn id>":
// distinct prefixes, so no two can collide.
const (
	sourceEID       = "archive"
	unidentifiedEID = "unidentified"
)

// AKN renders rec as an Akoma Ntoso 3.0 debate record that validates
// against the OASIS schema (akomantoso30.xsd):
//
//   - meta/identification with FRBR Work, Expression (ISO 639-2 language)
//     and Manifestation; meta/references with a TLCPerson per speaker and a
//     TLCRole per role a speaker speaks in;
//   - preface with docTitle and, when dated, docDate;
//   - debateBody of debateSections: every narrative segment opens one
//     (eId "dbsect_<turn id>", its heading as <heading>), and the speaker
//     turns that follow go in it as <speech by="#person_<key>"
//     eId="speech_<turn id>"> with the label as <from>.
//
// Stage directions between speeches become <narrative>; inside a speech,
// where the schema allows no narrative, they become
// <p><remark type="sceneDescription">. Lists, quotes, tables and raw HTML
// are converted to the AKN HTML-like blocks; video embeds become a
// paragraph linking to the video. A turn whose label names nobody the
// archive knows is still a speech (the schema requires a speaker), by a
// TLCPerson called "unidentified speaker".
func AKN(rec *model.Record, speakers map[string]*model.Speaker, siteURL string) ([]byte, error) {
	if err := checkTurns(rec); err != nil {
		return nil, err
	}
	b := &aknBuilder{rec: rec, speakers: speakers, site: siteURL, persons: map[string]bool{}, roles: map[string]string{}}
	body := b.body() // first: it collects the people and roles meta refers to
	debate := flow("debate", "name", kindName(rec.Kind)).add(b.meta(), b.preface(), body)
	root := flow("akomaNtoso", "xmlns", AKNNamespace).add(debate)

	var buf bytes.Buffer
	buf.Grow(sizeHint(rec))
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	w := treeWriter{enc: enc}
	w.write(root, 0, false)
	if w.err == nil {
		w.err = enc.Flush()
	}
	if w.err != nil {
		return nil, w.err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// ontology is the AKN-style href of a person or role without a page.
func ontology(class, name string) string {
	return link("", "/ontology/"+class+"/"+strings.ReplaceAll(name, "/", "-"), "")
}

// sizeHint guesses an export's size from the record's text, so that the
// buffer is allocated once instead of grown and copied.
func sizeHint(rec *model.Record) int {
	n := 4096
	for i := range rec.Turns {
		n += 160
		for _, b := range rec.Turns[i].Blocks {
			n += len(b.Text) + 16
		}
	}
	return n
}

func kindName(k model.Kind) string {
	if k == "" {
		return string(model.KindTranscript)
	}
	return string(k)
}

// LanguageCode is the ISO 639-2 three-letter code AKN's FRBRlanguage and
// expression URIs use for a BCP 47 tag: "zh-TW" → "zho", "en" → "eng";
// "und" when the tag says nothing.
func LanguageCode(tag string) string {
	// Base guesses a language for "und" and unknown tags; only a base the
	// tag really names counts.
	base, conf := language.Make(tag).Base()
	if code := base.ISO3(); code != "" && conf >= language.High {
		return code
	}
	return "und"
}

type aknBuilder struct {
	rec      *model.Record
	speakers map[string]*model.Speaker
	site     string

	persons     map[string]bool   // speaker keys referred to
	personOrder []*model.Turn     // first turn of each, in order of appearance
	unknown     bool              // some speech is by an unidentified speaker
	roles       map[string]string // role → eId
	roleOrder   []string
}

// frbr returns the work URI and the FRBRdate value and name.
func (b *aknBuilder) frbr() (work, date, name string) {
	uriDate, date, name := undatedURIDate, undatedDate, undatedName
	if b.rec.Dated() {
		uriDate = b.rec.DateString()
		date, name = uriDate, datedName
	}
	return "/akn/" + Country + "/debaterecord/" + uriDate + "/" + b.rec.Slug, date, name
}

func (b *aknBuilder) meta() *node {
	work, date, dateName := b.frbr()
	lang := LanguageCode(b.rec.Lang)
	expr := work + "/" + lang + "@"
	author := func() *node { return el("FRBRauthor", "href", "#"+sourceEID) }
	frbrDate := func() *node { return el("FRBRdate", "date", date, "name", dateName) }

	w := flow("FRBRWork").add(el("FRBRthis", "value", work+"/!main"), el("FRBRuri", "value", work))
	prefix := work[:strings.LastIndexByte(work, '/')+1]
	for _, old := range b.rec.Aliases {
		w.add(el("FRBRalias", "value", prefix+old, "name", "formerSlug"))
	}
	w.add(frbrDate(), author(), el("FRBRcountry", "value", Country))

	ident := flow("identification", "source", "#"+sourceEID).add(
		w,
		flow("FRBRExpression").add(
			el("FRBRthis", "value", expr+"/!main"),
			el("FRBRuri", "value", expr),
			frbrDate(), author(),
			el("FRBRlanguage", "language", lang),
		),
		flow("FRBRManifestation").add(
			el("FRBRthis", "value", expr+"/!main.xml"),
			el("FRBRuri", "value", expr+".akn"),
			frbrDate(), author(),
			el("FRBRformat", "value", "application/akn+xml"),
		),
	)

	refs := flow("references", "source", "#"+sourceEID).add(
		el("TLCOrganization", "eId", sourceEID, "href", link(b.site, "/", ""), "showAs", "ogarchive"))
	for _, t := range b.personOrder {
		key := t.Speaker
		name, href := t.Label, ontology("person", key)
		if sp := b.speakers[key]; sp != nil {
			name = sp.Name
			if !sp.IsRole {
				href = link(b.site, speakerPath(key), "")
			}
		}
		refs.add(el("TLCPerson", "eId", "person_"+key, "href", href, "showAs", name))
	}
	if b.unknown {
		refs.add(el("TLCPerson", "eId", unidentifiedEID, "href", ontology("person", unidentifiedEID), "showAs", "unidentified speaker"))
	}
	for _, role := range b.roleOrder {
		refs.add(el("TLCRole", "eId", b.roles[role], "href", ontology("role", role), "showAs", role))
	}
	return flow("meta").add(ident, refs)
}

func (b *aknBuilder) preface() *node {
	p := flow("preface").add(el("p").add(el("docTitle").add(text(b.rec.Title))))
	if b.rec.Dated() {
		d := b.rec.DateString()
		p.add(el("p").add(el("docDate", "date", d).add(text(d))))
	}
	return p
}

// body lays the turns out: each narrative segment opens a debateSection;
// speeches before the first segment go in an unnamed opening section.
func (b *aknBuilder) body() *node {
	body := flow("debateBody")
	var sec *node
	for i := range b.rec.Turns {
		t := &b.rec.Turns[i]
		if t.Ordinal == 0 {
			sec = b.section(t)
			body.add(sec)
			continue
		}
		if sec == nil {
			sec = flow("debateSection", "name", "proceedings")
			body.add(sec)
		}
		sec.add(b.speech(t))
	}
	if sec == nil { // no turns at all: debateBody still needs a section
		body.add(flow("debateSection", "name", "proceedings"))
	}
	return body
}

func (b *aknBuilder) section(t *model.Turn) *node {
	blocks := t.Blocks
	sec := flow("debateSection", "name", "narrative", "eId", "dbsect_"+t.ID)
	if len(blocks) > 0 && blocks[0].Kind == model.BlockHeading {
		sec.attrs[0].Value = "section"
		sec.add(el("heading").add(headingInline(blocks[0])...))
		blocks = blocks[1:]
	}
	for _, bl := range blocks {
		if bl.Kind == model.BlockDirection {
			sec.add(el("narrative").add(directionInline(bl)...))
			continue
		}
		sec.add(blockNodes(bl)...)
	}
	return sec
}

func (b *aknBuilder) speech(t *model.Turn) *node {
	sp := flow("speech", "eId", "speech_"+t.ID, "by", "#"+b.person(t))
	if t.Role != "" {
		sp.attrs = append(sp.attrs, attr("as", "#"+b.role(t.Role)))
	}
	if t.Label != "" {
		sp.add(el("from").add(text(t.Label)))
	}
	n := len(sp.kids)
	for _, bl := range t.Blocks {
		if bl.Kind == model.BlockDirection {
			sp.add(el("p").add(el("remark", "type", "sceneDescription").add(directionInline(bl)...)))
			continue
		}
		sp.add(blockNodes(bl)...)
	}
	if len(sp.kids) == n { // a speech needs a block; an empty turn gets an empty one
		sp.add(el("p"))
	}
	return sp
}

// person returns the eId the turn's speech is by, noting it for references.
func (b *aknBuilder) person(t *model.Turn) string {
	if t.Speaker == "" {
		b.unknown = true
		return unidentifiedEID
	}
	if !b.persons[t.Speaker] {
		b.persons[t.Speaker] = true
		b.personOrder = append(b.personOrder, t)
	}
	return "person_" + t.Speaker
}

func (b *aknBuilder) role(role string) string {
	id, ok := b.roles[role]
	if !ok {
		id = "role_" + itoa(len(b.roleOrder)+1)
		b.roles[role] = id
		b.roleOrder = append(b.roleOrder, role)
	}
	return id
}

func itoa(n int) string {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(d[i:])
		}
	}
}

// node is an AKN element (or a text node when name is ""), built first and
// written afterwards, so that an element is only emitted once it is known
// to have the children the schema requires.
type node struct {
	name  string
	text  string
	attrs []xml.Attr
	kids  []*node
	flow  bool // element-only content: each child on its own, indented line
}

// el is an element with mixed content; attrs are name, value pairs.
func el(name string, attrs ...string) *node {
	n := &node{name: name}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.attrs = append(n.attrs, attr(attrs[i], attrs[i+1]))
	}
	return n
}

// flow is an element whose children are elements only.
func flow(name string, attrs ...string) *node {
	n := el(name, attrs...)
	n.flow = true
	return n
}

func attr(name, value string) xml.Attr {
	return xml.Attr{Name: xml.Name{Local: name}, Value: value}
}

func text(s string) *node { return &node{text: s} }

func (n *node) add(kids ...*node) *node {
	n.kids = append(n.kids, kids...)
	return n
}

// treeWriter writes nodes through encoding/xml, which escapes every text
// and attribute value. Indentation is only added inside element-only
// content, where the schema ignores it, never inside a paragraph.
type treeWriter struct {
	enc *xml.Encoder
	err error
}

const indentStep = "  "

var indents = func() []string {
	s := make([]string, 16)
	for i := range s {
		s[i] = "\n" + strings.Repeat(indentStep, i)
	}
	return s
}()

func (w *treeWriter) token(t xml.Token) {
	if w.err == nil {
		w.err = w.enc.EncodeToken(t)
	}
}

func (w *treeWriter) indent(depth int) {
	if depth < len(indents) {
		w.token(xml.CharData(indents[depth]))
		return
	}
	w.token(xml.CharData("\n" + strings.Repeat(indentStep, depth)))
}

// write emits n at depth; own says it goes on its own line.
func (w *treeWriter) write(n *node, depth int, own bool) {
	if n.name == "" {
		w.token(xml.CharData(n.text))
		return
	}
	if own {
		w.indent(depth)
	}
	name := xml.Name{Local: n.name}
	w.token(xml.StartElement{Name: name, Attr: n.attrs})
	for _, k := range n.kids {
		w.write(k, depth+1, n.flow)
	}
	if n.flow && len(n.kids) > 0 {
		w.indent(depth)
	}
	w.token(xml.EndElement{Name: name})
}
