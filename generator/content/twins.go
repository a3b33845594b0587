package content

import (
	"github.com/ogarchive/ogarchive/generator/model"
)

// Bilingual twins: the turns of a record of an .alternates pair link to
// the same turns in the other language (generator/align pairs them), and
// each record of a pair has a side-by-side page, /<slug>/parallel/, in its
// own interface language with its own text first. A page per record rather
// than per pair, so that neither language's readers land in the other's
// interface; at two files a pair it is a small share of the host's 20,000.

// ParallelFront is the front matter of a side-by-side page.
type ParallelFront struct {
	Title      string         `toml:"title"`
	Date       string         `toml:"date,omitempty"`
	URL        string         `toml:"url"`
	Type       string         `toml:"type"` // "parallel"
	Lang       string         `toml:"lang"`
	Record     string         `toml:"record"`    // the record's own page
	Alternate  string         `toml:"alternate"` // the other language's side-by-side page, for the language switch
	Other      string         `toml:"other"`     // the other language's record page
	OtherTitle string         `toml:"other_title"`
	OtherLang  string         `toml:"other_lang"`
	Sitemap    map[string]any `toml:"sitemap"` // left out: the record pages are what search engines should list
	TurnsFile  string         `toml:"turns_file"`
	Rows       []ParallelRow  `toml:"-"`
}

// ParallelRow is one row of a side-by-side page: a turn and its twin, or a
// turn of either language that has no twin of its own (the second half of
// a turn the other language keeps whole).
type ParallelRow struct {
	N         int        // 1-based row number, for the toggle's id
	Own       *TurnFront // the record's turn; nil when the row is the other's only
	Other     *TurnFront // its twin; nil when none
	OwnURL    string     // the permalink of Own on the record page
	OtherURL  string     // the permalink of Other on the other record's page
	OtherLang string
}

// ParallelURL is the site path of the side-by-side page of r.
func ParallelURL(r *model.Record) string { return r.URL() + "parallel/" }

// setTwin gives the turn front of r.Turns[i] its twin's link, if it has one.
func setTwin(a *model.Archive, r *model.Record, i int, tf *TurnFront) {
	o, t := a.Twin(r, i)
	if t == nil || t.ID == "" {
		return
	}
	tf.Twin, tf.TwinID = o.URL()+"#"+t.ID, t.ID
	tf.TwinLang = o.Lang
}

// ParallelPages builds the side-by-side page of every record whose turns
// are paired with its alternate's.
func ParallelPages(a *model.Archive) []Page {
	var pages []Page
	for _, r := range a.Records {
		tw := a.Twins[r.File]
		if tw == nil {
			continue
		}
		o := tw.Of
		path := LangDir(r.Lang) + "/parallel/" + r.Slug + ".md"
		f := ParallelFront{
			Title: r.Title, Date: r.DateString(), URL: ParallelURL(r), Type: "parallel", Lang: r.Lang,
			Record: r.URL(), Alternate: ParallelURL(o), Other: o.URL(), OtherTitle: o.Title, OtherLang: o.Lang,
			Sitemap:   map[string]any{"disable": true},
			TurnsFile: "content/" + turnsPath(path),
			Rows:      parallelRows(a, r, tw),
		}
		pages = append(pages, Page{Path: path, Front: f})
	}
	return pages
}

// parallelRows walks both records' turns in order: each turn of r beside
// its twin, and the other's turns no turn of r points at in their place.
func parallelRows(a *model.Archive, r *model.Record, tw *model.Twins) []ParallelRow {
	o := tw.Of
	own, other := turnFronts(a, r), turnFronts(a, o)
	var rows []ParallelRow
	add := func(row ParallelRow) {
		row.N = len(rows) + 1
		if row.Own != nil {
			row.OwnURL = r.URL() + "#" + row.Own.ID
		}
		if row.Other != nil {
			row.OtherURL, row.OtherLang = o.URL()+"#"+row.Other.ID, o.Lang
		}
		rows = append(rows, row)
	}
	next := 0 // the first turn of o not shown yet
	for i := range own {
		j := tw.Turns[i] - 1
		if j < next {
			add(ParallelRow{Own: &own[i]}) // no twin, or one already beside an earlier turn
			continue
		}
		for ; next < j; next++ {
			add(ParallelRow{Other: &other[next]})
		}
		add(ParallelRow{Own: &own[i], Other: &other[j]})
		next = j + 1
	}
	for ; next < len(other); next++ {
		add(ParallelRow{Other: &other[next]})
	}
	return rows
}

// turnFronts are r's turns as a page shows them, without what only the
// record page has (old ids, citations).
func turnFronts(a *model.Archive, r *model.Record) []TurnFront {
	out := make([]TurnFront, len(r.Turns))
	for i := range r.Turns {
		out[i] = turnFront(a, r, i)
	}
	return out
}
