// Package content writes the archive as Hugo content: one page per record
// and per speaker, plus the year pages of the meetings index, each with
// TOML front matter that the templates render. Pages go to content/zh or
// content/en by the record's language, so English records get an English
// interface; every page keeps the URL its file name gives it.
package content

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/ogarchive/ogarchive/generator/model"
)

// Hugo content directories per interface language.
const (
	DirZH = "zh"
	DirEN = "en"
)

// LangDir returns the content directory for a BCP 47 language tag.
func LangDir(lang string) string {
	if lang == "en" {
		return DirEN
	}
	return DirZH
}

// Page is one content file: front matter and an optional Markdown body.
type Page struct {
	Path  string // relative to the content root, e.g. "zh/records/<slug>.md"
	Front any    // encoded as TOML front matter
	Body  string
	// Owns are the site paths of files made for this page outside Hugo (a
	// record's open-data exports): a rebuild writes them again when the
	// page changed and drops them when no page owns them any more.
	Owns []string
}

// Write encodes the page under root, the content directory of a Hugo
// project, creating directories. A record page's turns go to its turns
// file beside it, with the i18n strings of the project (root's parent).
func (p Page) Write(root string) error {
	_, err := Write(root, slices.Values([]Page{p}), WriteOptions{Previous: map[string]string{}, Keep: true})
	return err
}

// encode is the content file of the page.
func (p Page) encode() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("+++\n")
	if err := toml.NewEncoder(&buf).Encode(p.Front); err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	buf.WriteString("+++\n")
	buf.WriteString(p.Body)
	return buf.Bytes(), nil
}

// WriteData writes v as a TOML data file at path.
func WriteData(path string, v any) error {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// WriteAll writes pages concurrently under root, the content directory of
// a Hugo project (see Page.Write).
func WriteAll(root string, pages []Page) error {
	_, err := Write(root, slices.Values(pages), WriteOptions{Previous: map[string]string{}, Keep: true})
	return err
}

// RecordFront is a record page's front matter.
type RecordFront struct {
	Title       string        `toml:"title"`
	Date        string        `toml:"date,omitempty"`
	URL         string        `toml:"url"`
	Description string        `toml:"description,omitempty"`
	Kind        string        `toml:"kind"`
	Lang        string        `toml:"lang"`
	Source      string        `toml:"source"`
	Type        string        `toml:"type"`
	Alternate   string        `toml:"alternate,omitempty"`
	Parallel    string        `toml:"parallel,omitempty"` // the side-by-side page with the alternate (see ParallelPages)
	Formats     []Format      `toml:"formats,omitempty"`
	Aliases     []string      `toml:"aliases,omitempty"`
	TurnCount   int           `toml:"turn_count"`
	Speakers    []Participant `toml:"participants"`
	TurnsFile   string        `toml:"turns_file"` // the rendered Turns, relative to the Hugo project (see TurnsSuffix)
	Turns       []TurnFront   `toml:"-"`
}

// Participant is a speaker of a record, with their turn count there.
type Participant struct {
	Key    string `toml:"key"`
	Name   string `toml:"name"`
	Turns  int    `toml:"turns"`
	IsRole bool   `toml:"is_role,omitempty"`
}

// TurnFront is one turn as the transcript template renders it.
type TurnFront struct {
	ID      string       `toml:"id"`
	N       int          `toml:"n,omitempty"` // ordinal of the ### section; 0 for narrative
	Label   string       `toml:"label,omitempty"`
	Speaker string       `toml:"speaker,omitempty"` // display name of the merged identity
	Key     string       `toml:"key,omitempty"`     // speaker page key; "" for roles
	Role    string       `toml:"role,omitempty"`
	Retired []string     `toml:"retired,omitempty"` // old ids that now land here
	CitedBy []CiteLink   `toml:"cited_by,omitempty"`
	Blocks  []BlockFront `toml:"blocks"`
	// The same turn in the other language (see generator/align): its
	// permalink, its id (which the language switch's fragment follows) and
	// its BCP 47 tag; "" when it has none.
	Twin     string `toml:"twin,omitempty"`
	TwinID   string `toml:"twin_id,omitempty"`
	TwinLang string `toml:"twin_lang,omitempty"`
}

// CiteLink is a commitment, milestone or camp outcome that cites a turn.
type CiteLink struct {
	Title string `toml:"title"`
	URL   string `toml:"url"`
	Kind  string `toml:"kind"` // "commitment" or "outcome"
}

// Extras are what other stages know about a record's turns.
type Extras struct {
	Retired map[string]string     // old turn id → id of the turn it now resolves to
	CitedBy map[string][]CiteLink // turn id → what cites it
	Formats []Format              // the record in other formats
}

// Format is a download of the record in a machine-readable format.
type Format struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
	Type string `toml:"type"` // media type
}

// BlockFront is a rendered block.
type BlockFront struct {
	Kind string `toml:"k"`
	HTML string `toml:"h"`
}

// RecordPage builds the page of one record.
func RecordPage(a *model.Archive, r *model.Record, x Extras) Page {
	f := RecordFront{
		Title:       r.Title,
		Date:        r.DateString(),
		URL:         r.URL(),
		Kind:        string(r.Kind),
		Lang:        r.Lang,
		Source:      r.File,
		Type:        "records",
		Description: Summary(r, 160),
		Formats:     x.Formats,
	}
	if r.Alternate != "" {
		if alt := a.Record(r.Alternate); alt != nil {
			f.Alternate = alt.URL()
		}
		if a.Twins[r.File] != nil {
			f.Parallel = ParallelURL(r)
		}
	}
	back := map[string][]string{}
	for old, now := range x.Retired {
		back[now] = append(back[now], old)
	}
	counts := map[string]int{}
	var order []string
	for i := range r.Turns {
		t := &r.Turns[i]
		tf := turnFront(a, r, i)
		if sp := a.Speakers[t.Speaker]; sp != nil {
			if counts[sp.Key] == 0 {
				order = append(order, sp.Key)
			}
			counts[sp.Key]++
		}
		tf.CitedBy = x.CitedBy[t.ID]
		if olds := back[t.ID]; len(olds) > 0 {
			sort.Strings(olds)
			tf.Retired = olds
		}
		if t.Ordinal > 0 {
			f.TurnCount++
		}
		f.Turns = append(f.Turns, tf)
	}
	for _, k := range order {
		sp := a.Speakers[k]
		f.Speakers = append(f.Speakers, Participant{Key: k, Name: sp.Name, Turns: counts[k], IsRole: sp.IsRole})
	}
	path := LangDir(r.Lang) + "/records/" + r.Slug + ".md"
	f.TurnsFile = "content/" + turnsPath(path)
	return Page{Path: path, Front: f}
}

// turnFront is r.Turns[i] as every page showing it renders it: speaker,
// blocks and the link to its twin in the other language.
func turnFront(a *model.Archive, r *model.Record, i int) TurnFront {
	t := &r.Turns[i]
	tf := TurnFront{ID: t.ID, N: t.Ordinal, Label: t.Label, Role: t.Role}
	if sp := a.Speakers[t.Speaker]; sp != nil {
		tf.Speaker = sp.Name
		if !sp.IsRole {
			tf.Key = sp.Key
		}
	}
	setTwin(a, r, i, &tf)
	for _, b := range t.Blocks {
		tf.Blocks = append(tf.Blocks, BlockFront{Kind: string(b.Kind), HTML: b.HTML()})
	}
	return tf
}

// Summary is the opening of the record's first speech, cut to at most n
// characters at a word or sentence boundary where one is near: the
// description search engines and link previews show.
func Summary(r *model.Record, n int) string {
	for i := range r.Turns {
		if r.Turns[i].Ordinal == 0 {
			continue
		}
		text := []rune(strings.Join(strings.Fields(r.Turns[i].SpeechText()), " "))
		if len(text) == 0 {
			continue
		}
		if len(text) <= n {
			return string(text)
		}
		cut := n
		for j := n; j > n*2/3; j-- {
			if strings.ContainsRune(" ，。、；,.;", text[j]) {
				cut = j
				break
			}
		}
		return strings.TrimRight(string(text[:cut]), " ，、,;；") + "…"
	}
	return ""
}

// RedirectFront is the front matter of a page left at an old address.
type RedirectFront struct {
	Title   string         `toml:"title"`
	URL     string         `toml:"url"`
	Type    string         `toml:"type"`
	Target  string         `toml:"target"`
	Sitemap map[string]any `toml:"sitemap"`
}

// RedirectPages builds a page at every old address that sends readers (and
// search engines, through rel=canonical) to where the record lives now.
// They are ordinary pages rather than Hugo aliases, which Hugo would move
// under /en/ for records with the English interface.
func RedirectPages(a *model.Archive, redirects []model.Redirect) []Page {
	bySlug := map[string]*model.Record{}
	for _, r := range a.Records {
		bySlug[r.Slug] = r
	}
	var pages []Page
	for _, rd := range redirects {
		to := bySlug[rd.To]
		if to == nil {
			continue
		}
		pages = append(pages, Page{
			Path: DirZH + "/moved/" + rd.From + ".md",
			Front: RedirectFront{Title: to.Title, URL: "/" + rd.From + "/", Type: "moved", Target: to.URL(),
				Sitemap: map[string]any{"disable": true}},
		})
	}
	return pages
}

// WithdrawnFront is the front matter of a deleted transcript's page.
type WithdrawnFront struct {
	Title   string         `toml:"title"`
	URL     string         `toml:"url"`
	Type    string         `toml:"type"`
	File    string         `toml:"file"`
	Date    string         `toml:"meeting_date,omitempty"`
	Removed string         `toml:"removed"`
	Sitemap map[string]any `toml:"sitemap"`
}

// WithdrawnPages builds a page at the address of every transcript deleted
// from the records, so that a link to it says what it was and that it was
// withdrawn, not that the address never existed.
func WithdrawnPages(ws []model.Withdrawn) []Page {
	var pages []Page
	for _, w := range ws {
		f := WithdrawnFront{Title: w.Title, URL: "/" + w.Slug + "/", Type: "withdrawn", File: w.File,
			Removed: w.Removed.Format("2006-01-02"), Sitemap: map[string]any{"disable": true}}
		if f.Title == "" {
			f.Title = strings.TrimSuffix(w.File, ".md")
		}
		if !w.Date.IsZero() {
			f.Date = w.Date.Format("2006-01-02")
		}
		pages = append(pages, Page{Path: DirZH + "/withdrawn/" + w.Slug + ".md", Front: f})
	}
	return pages
}

// YearFront is a meetings-index year page.
type YearFront struct {
	Title  string  `toml:"title"`
	URL    string  `toml:"url"`
	Type   string  `toml:"type"`
	Year   string  `toml:"year"`
	Count  int     `toml:"count"`
	Months []Month `toml:"months"`
}

// Month groups a year's records, newest first.
type Month struct {
	Month   int           `toml:"month"` // 1-12; 0 for undated
	Records []MeetingLink `toml:"records"`
}

// YearPages builds the meetings index page of each year, in both interface
// languages, months and meetings newest first; a bilingual pair is one
// meeting.
func YearPages(a *model.Archive) []Page {
	byYear := map[string][]Month{}
	for _, m := range meetings(a) { // newest first already
		r := m.main
		y, mo := "undated", 0
		if r.Dated() {
			y, mo = strconv.Itoa(r.Date.Year()), int(r.Date.Month())
		}
		ms := byYear[y]
		if len(ms) == 0 || ms[len(ms)-1].Month != mo {
			ms = append(ms, Month{Month: mo})
		}
		last := &ms[len(ms)-1]
		last.Records = append(last.Records, link(r, r.SpeakerTurns(), m.alt))
		byYear[y] = ms
	}
	var pages []Page
	for _, y := range slices.Sorted(maps.Keys(byYear)) {
		n := 0
		for _, m := range byYear[y] {
			n += len(m.Records)
		}
		for _, lang := range []string{DirZH, DirEN} {
			url := "/meetings/" + y + "/"
			if lang == DirEN {
				url = "/en" + url
			}
			pages = append(pages, Page{
				Path:  lang + "/meetings/" + y + ".md",
				Front: YearFront{Title: y, URL: url, Type: "year", Year: y, Count: n, Months: byYear[y]},
			})
		}
	}
	return pages
}

// Stats are the archive's totals and lists, written as Hugo data for the
// home and meetings pages.
type Stats struct {
	Records  int           `toml:"records"`
	Meetings int           `toml:"meetings"` // records, a bilingual pair counted once
	Turns    int           `toml:"turns"`
	Speakers int           `toml:"speakers"`
	Years    []YearCount   `toml:"years"`   // meetings a year, oldest first, every year from the first to the last
	Recent   []MeetingLink `toml:"recent"`  // the newest meetings
	Busiest  []Peer        `toml:"busiest"` // the people with the most turns; N is their turns
}

// Lengths of the lists of Stats.
const (
	statsRecent  = 30
	statsBusiest = 12
)

// ArchiveStats counts records, meetings, speaker turns and people, and
// lists the meetings of each year, the newest meetings and the busiest
// speakers.
func ArchiveStats(a *model.Archive) Stats {
	s := Stats{Records: len(a.Records)}
	for _, r := range a.Records {
		s.Turns += r.SpeakerTurns()
	}
	for _, sp := range a.Speakers {
		if !sp.IsRole {
			s.Speakers++
		}
	}
	var ys []SpeakerYear
	for _, m := range meetings(a) {
		s.Meetings++
		y := yearOf(m.main.DateString())
		if len(ys) == 0 || ys[len(ys)-1].Year != y {
			ys = append(ys, SpeakerYear{Year: y})
		}
		ys[len(ys)-1].Meetings++
		if len(s.Recent) < statsRecent {
			s.Recent = append(s.Recent, link(m.main, m.main.SpeakerTurns(), m.alt))
		}
	}
	s.Years = activity(ys)
	turns := map[string]int{}
	for k, p := range profiles(a) {
		turns[k] = p.turns
	}
	s.Busiest = peers(a, turns, statsBusiest)
	return s
}
