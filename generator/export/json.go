package export

import (
	"encoding/json"
	"sort"

	"github.com/ogarchive/ogarchive/generator/model"
)

// JSONVersion is the "version" member of every JSON export; it changes only
// when a change would break existing consumers (adding members does not).
const JSONVersion = 1

// AKNSchemaURL is where the OASIS Akoma Ntoso 3.0 schema is published.
const AKNSchemaURL = "http://docs.oasis-open.org/legaldocml/akn-core/v1.0/os/part2-specs/schemas/akomantoso30.xsd"

// RecordDoc is data/records/<slug>.json: one record with every turn.
type RecordDoc struct {
	Version   int           `json:"version"`
	Slug      string        `json:"slug"`
	Title     string        `json:"title"`
	Date      string        `json:"date,omitempty"` // YYYY-MM-DD; absent when undated
	Lang      string        `json:"lang"`           // BCP 47
	Kind      model.Kind    `json:"kind"`
	URL       string        `json:"url"` // the record's page
	AKN       string        `json:"akn"` // its Akoma Ntoso export
	File      string        `json:"file"`
	SHA256    string        `json:"sha256,omitempty"`         // of the source file
	Alternate string        `json:"alternate_file,omitempty"` // same talk in the other language
	Aliases   []string      `json:"aliases"`                  // former slugs, redirected to this one
	Speakers  []Participant `json:"speakers"`                 // in order of first appearance
	Turns     []TurnDoc     `json:"turns"`
}

// Participant is a speaker of one record.
type Participant struct {
	ID     string `json:"id"` // key in data/speakers.json
	Name   string `json:"name"`
	URL    string `json:"url,omitempty"` // speaker page; roles have none
	IsRole bool   `json:"is_role"`
	Turns  int    `json:"turns"`
}

// TurnDoc is one turn: a speech (n > 0, the ordinal of its `###` section)
// or a narrative segment (n = 0).
type TurnDoc struct {
	ID        string     `json:"id"`
	N         int        `json:"n"`
	Kind      string     `json:"kind"` // "speech" or "narrative"
	Line      int        `json:"line"` // in File
	Permalink string     `json:"permalink"`
	Label     string     `json:"label,omitempty"`   // speaker label as written
	Speaker   string     `json:"speaker,omitempty"` // Participant.ID; absent when the label names nobody known
	Role      string     `json:"role,omitempty"`
	Blocks    []BlockDoc `json:"blocks"`
}

// BlockDoc is a paragraph, stage direction, list, quote, heading, code or
// HTML block of a turn.
type BlockDoc struct {
	Kind model.BlockKind `json:"kind"`
	Text string          `json:"text"`           // plain text
	HTML string          `json:"html,omitempty"` // sanitised HTML; absent for a paragraph that is just Text
}

// Turn kinds in TurnDoc.Kind.
const (
	TurnSpeech    = "speech"
	TurnNarrative = "narrative"
)

// Record builds the JSON document of one record.
func Record(rec *model.Record, speakers map[string]*model.Speaker, siteURL string) (*RecordDoc, error) {
	if err := checkTurns(rec); err != nil {
		return nil, err
	}
	d := &RecordDoc{
		Version:   JSONVersion,
		Slug:      rec.Slug,
		Title:     rec.Title,
		Date:      rec.DateString(),
		Lang:      rec.Lang,
		Kind:      rec.Kind,
		URL:       link(siteURL, rec.URL(), ""),
		AKN:       link(siteURL, AKNPath(rec.Slug), ""),
		File:      rec.File,
		SHA256:    rec.Hash,
		Alternate: rec.Alternate,
		Aliases:   append([]string{}, rec.Aliases...),
		Speakers:  []Participant{},
		Turns:     make([]TurnDoc, 0, len(rec.Turns)),
	}
	at := map[string]int{}
	for i := range rec.Turns {
		t := &rec.Turns[i]
		td := TurnDoc{
			ID: t.ID, N: t.Ordinal, Kind: TurnNarrative, Line: t.Line,
			Permalink: link(siteURL, rec.URL(), t.ID),
			Label:     t.Label, Speaker: t.Speaker, Role: t.Role,
			Blocks: make([]BlockDoc, len(t.Blocks)),
		}
		if t.Ordinal > 0 {
			td.Kind = TurnSpeech
		}
		for j, b := range t.Blocks {
			td.Blocks[j] = BlockDoc{Kind: b.Kind, Text: b.Text, HTML: b.HTML()}
			if s, ok := plainParagraph(td.Blocks[j].HTML); ok && s == b.Text {
				td.Blocks[j].HTML = "" // nine blocks in ten: do not publish the text twice
			}
		}
		d.Turns = append(d.Turns, td)
		if t.Speaker == "" {
			continue
		}
		k, ok := at[t.Speaker]
		if !ok {
			k = len(d.Speakers)
			at[t.Speaker] = k
			d.Speakers = append(d.Speakers, participant(t, speakers[t.Speaker], siteURL))
		}
		d.Speakers[k].Turns++
	}
	return d, nil
}

func participant(t *model.Turn, sp *model.Speaker, siteURL string) Participant {
	p := Participant{ID: t.Speaker, Name: t.Label}
	if sp != nil {
		p.Name, p.IsRole = sp.Name, sp.IsRole
		if !sp.IsRole {
			p.URL = link(siteURL, speakerPath(sp.Key), "")
		}
	}
	return p
}

// RecordJSON is the JSON export of one record (RecordDoc).
func RecordJSON(rec *model.Record, speakers map[string]*model.Speaker, siteURL string) ([]byte, error) {
	d, err := Record(rec, speakers, siteURL)
	if err != nil {
		return nil, err
	}
	return encode(d)
}

// IndexDoc is data/records.json: what the archive publishes and a summary
// of every record. Datasets is the extension point: other exports
// (commitments, camp outcomes) add an entry under their own name, and may
// add a top-level member of the same name; the schema allows both.
type IndexDoc struct {
	Version  int                `json:"version"`
	Site     string             `json:"site"` // "" when URLs are site-relative
	Datasets map[string]Dataset `json:"datasets"`
	Records  []IndexEntry       `json:"records"` // newest first, undated last
}

// Dataset describes one published file, or one file per record when URL
// holds "{slug}".
type Dataset struct {
	URL         string `json:"url"`
	MediaType   string `json:"media_type"`
	Schema      string `json:"schema"`
	Description string `json:"description"`
}

// IndexEntry summarises one record.
type IndexEntry struct {
	Slug      string     `json:"slug"`
	Title     string     `json:"title"`
	Date      string     `json:"date,omitempty"`
	Lang      string     `json:"lang"`
	Kind      model.Kind `json:"kind"`
	URL       string     `json:"url"`
	JSON      string     `json:"json"` // RecordDoc of the record
	AKN       string     `json:"akn"`
	File      string     `json:"file"`
	Alternate string     `json:"alternate_file,omitempty"`
	Aliases   []string   `json:"aliases"`
	Turns     int        `json:"turns"`    // speeches
	Speakers  []string   `json:"speakers"` // ids, in order of first appearance
}

// Index builds the records index. IndexJSON encodes it as it is; a caller
// that publishes more datasets adds them to the result and encodes it with
// encoding/json itself.
func Index(a *model.Archive, siteURL string) *IndexDoc {
	schema := func(name string) string { return link(siteURL, "/"+SchemaDir+"/"+name, "") }
	d := &IndexDoc{
		Version: JSONVersion,
		Site:    site(siteURL),
		Datasets: map[string]Dataset{
			"records": {URL: link(siteURL, "/"+IndexFile, ""), MediaType: "application/json",
				Schema: schema(IndexSchema), Description: "this index of every record"},
			"record": {URL: link(siteURL, "/"+RecordsDir+"/", "") + "{slug}.json", MediaType: "application/json",
				Schema: schema(RecordSchema), Description: "one record: every turn with its id, speaker, permalink and text"},
			"speakers": {URL: link(siteURL, "/"+SpeakerFile, ""), MediaType: "application/json",
				Schema: schema(SpeakersSchema), Description: "every speaker, as Popolo persons with other names"},
			"akn": {URL: link(siteURL, "/"+AKNDir+"/", "") + "{slug}.xml", MediaType: "application/akn+xml",
				Schema: AKNSchemaURL, Description: "one record as an Akoma Ntoso 3.0 debate record"},
		},
		Records: make([]IndexEntry, 0, len(a.Records)),
	}
	for _, r := range a.Records {
		e := IndexEntry{
			Slug: r.Slug, Title: r.Title, Date: r.DateString(), Lang: r.Lang, Kind: r.Kind,
			URL:  link(siteURL, r.URL(), ""),
			JSON: link(siteURL, JSONPath(r.Slug), ""),
			AKN:  link(siteURL, AKNPath(r.Slug), ""),
			File: r.File, Alternate: r.Alternate,
			Aliases:  append([]string{}, r.Aliases...),
			Turns:    r.SpeakerTurns(),
			Speakers: []string{},
		}
		seen := map[string]bool{}
		for i := range r.Turns {
			if k := r.Turns[i].Speaker; k != "" && !seen[k] {
				seen[k] = true
				e.Speakers = append(e.Speakers, k)
			}
		}
		d.Records = append(d.Records, e)
	}
	return d
}

// IndexJSON is the JSON of the records index (IndexDoc).
func IndexJSON(a *model.Archive, siteURL string) ([]byte, error) {
	return encode(Index(a, siteURL))
}

// SpeakersDoc is data/speakers.json: every speaker identity of the archive
// as a Popolo person (id, name, other_names), sorted by id, plus the
// archive's own members.
type SpeakersDoc struct {
	Version int      `json:"version"`
	Persons []Person `json:"persons"`
}

// Person is one speaker. Roles such as 問 or Audience Member are listed too
// (is_role), since turns refer to them, but have no page.
type Person struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	OtherNames []OtherName `json:"other_names"`
	URL        string      `json:"url,omitempty"`
	IsRole     bool        `json:"is_role"`
	Records    int         `json:"records"` // records they speak in
	Turns      int         `json:"turns"`   // speeches
}

// OtherName is a Popolo other name: another spelling or language of the
// speaker's name as it appears in the records.
type OtherName struct {
	Name string `json:"name"`
}

// Speakers builds the speakers document.
func Speakers(a *model.Archive, siteURL string) *SpeakersDoc {
	turns, records := map[string]int{}, map[string]int{}
	for _, r := range a.Records {
		seen := map[string]bool{}
		for i := range r.Turns {
			k := r.Turns[i].Speaker
			if k == "" {
				continue
			}
			turns[k]++
			if !seen[k] {
				seen[k] = true
				records[k]++
			}
		}
	}
	keys := make([]string, 0, len(a.Speakers))
	for k := range a.Speakers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d := &SpeakersDoc{Version: JSONVersion, Persons: make([]Person, 0, len(keys))}
	for _, k := range keys {
		sp := a.Speakers[k]
		p := Person{ID: k, Name: sp.Name, OtherNames: make([]OtherName, 0, len(sp.Aliases)),
			IsRole: sp.IsRole, Records: records[k], Turns: turns[k]}
		for _, alias := range sp.Aliases {
			p.OtherNames = append(p.OtherNames, OtherName{Name: alias})
		}
		if !sp.IsRole {
			p.URL = link(siteURL, speakerPath(k), "")
		}
		d.Persons = append(d.Persons, p)
	}
	return d
}

// SpeakersJSON is the JSON of every speaker (SpeakersDoc).
func SpeakersJSON(a *model.Archive, siteURL string) ([]byte, error) {
	return encode(Speakers(a, siteURL))
}

// encode is compact JSON ending in a newline. encoding/json keeps struct
// field order and sorts map keys, so equal input gives equal bytes; it also
// escapes <, > and &, so a file served with the wrong type cannot inject
// markup.
func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
