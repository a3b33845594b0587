package camp

import (
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/model"
)

// Lengths of the shortened problem texts pages and links show.
const (
	linkTitleLen   = 40  // a "cited by" link on a transcript turn
	pageTitleLen   = 60  // an outcome page's <title>
	descriptionLen = 160 // the description link previews show
	excerptLen     = 120 // a citation without a quote: the turn's opening
)

// CampsFront is the front matter of the camps index page.
type CampsFront struct {
	Title string     `toml:"title"`
	URL   string     `toml:"url"`
	Type  string     `toml:"type"` // "camps": layouts/camps/section.html
	Camps []CampLink `toml:"camps"`
}

// CampLink is a camp on the index page.
type CampLink struct {
	Title    string        `toml:"title"`
	URL      string        `toml:"url"`
	Date     string        `toml:"date"`
	Outcomes int           `toml:"outcomes"`
	Statuses []StatusCount `toml:"statuses"`
}

// StatusCount is how many of a camp's outcomes have a status.
type StatusCount struct {
	Status string `toml:"status"`
	Count  int    `toml:"count"`
}

// CampFront is the front matter of a camp page.
type CampFront struct {
	Title       string                `toml:"title"`
	Date        string                `toml:"date"`
	URL         string                `toml:"url"`
	Type        string                `toml:"type"` // "camp": layouts/camp/page.html
	Lang        string                `toml:"lang"`
	Source      string                `toml:"source"`
	Description string                `toml:"description"`
	ID          string                `toml:"camp"`
	Outcomes    int                   `toml:"outcome_count"`
	Statuses    []StatusCount         `toml:"statuses"` // the vocabulary in order, with counts (zero included)
	Transcripts []content.MeetingLink `toml:"transcripts"`
	Groups      []GroupFront          `toml:"groups"`
	Themes      []ThemeFront          `toml:"themes"` // one with an empty id when the camp declares none
}

// GroupFront is a discussion group on the camp page.
type GroupFront struct {
	ID          string `toml:"id"`
	Name        string `toml:"name"`
	Facilitator string `toml:"facilitator,omitempty"`
	Reporter    string `toml:"reporter,omitempty"`
	Outcomes    int    `toml:"outcomes"`
}

// ThemeFront is a theme of the camp page and its outcomes, in file order.
type ThemeFront struct {
	ID       string       `toml:"id"`
	Name     string       `toml:"name"`
	Outcomes []OutcomeRow `toml:"outcomes"`
}

// OutcomeRow is one row of a camp page's outcome table.
type OutcomeRow struct {
	ID        string    `toml:"id"`
	URL       string    `toml:"url"`
	Problem   string    `toml:"problem"`
	Proposals []string  `toml:"proposals"`
	Owner     string    `toml:"owner"`
	Response  string    `toml:"response,omitempty"`
	Status    string    `toml:"status"`
	Updated   string    `toml:"updated,omitempty"` // date of the latest update
	Group     string    `toml:"group,omitempty"`   // group name
	Quote     CiteFront `toml:"quote"`             // the first citation: where it was raised
	Cites     int       `toml:"cites"`
}

// OutcomeFront is the front matter of an outcome page.
type OutcomeFront struct {
	Title       string        `toml:"title"`
	Date        string        `toml:"date"`
	URL         string        `toml:"url"`
	Type        string        `toml:"type"` // "outcome": layouts/outcome/page.html
	Lang        string        `toml:"lang"`
	Source      string        `toml:"source"`
	Description string        `toml:"description"`
	Camp        CampRef       `toml:"camp"`
	ID          string        `toml:"outcome"`
	Problem     string        `toml:"problem"`
	Proposals   []string      `toml:"proposals"`
	Owner       string        `toml:"owner"`
	Response    string        `toml:"response,omitempty"`
	Status      string        `toml:"status"`
	Group       string        `toml:"group,omitempty"`
	Theme       string        `toml:"theme,omitempty"`
	ThemeID     string        `toml:"theme_id,omitempty"`
	Updates     []UpdateFront `toml:"updates,omitempty"`
	Cites       []CiteFront   `toml:"cites"`
}

// CampRef links an outcome page back to its camp.
type CampRef struct {
	Title string `toml:"title"`
	URL   string `toml:"url"`
	Date  string `toml:"date"`
}

// UpdateFront is a dated status change.
type UpdateFront struct {
	Date   string `toml:"date"`
	Status string `toml:"status"`
	Note   string `toml:"note,omitempty"`
}

// CiteFront is a citation rendered as a quoted excerpt linking to its turn.
type CiteFront struct {
	Excerpt string `toml:"excerpt"`
	Quoted  bool   `toml:"quoted"` // the excerpt is the maintainer's quote, not the turn's opening
	Speaker string `toml:"speaker"`
	URL     string `toml:"url"` // the turn's permalink
	Record  string `toml:"record"`
	Date    string `toml:"record_date,omitempty"`
	N       int    `toml:"n,omitempty"` // ordinal of the turn in its record; 0 for narrative
}

// Pages returns the camps index in both interface languages, and each camp
// and outcome page in the content directory of the camp's language. Camps
// must have been through Validate, so that citations carry their text; a
// is the archive the citations resolve in.
func Pages(camps []*Camp, a *model.Archive) []content.Page {
	ix := indexArchive(a)
	var pages []content.Page
	var links []CampLink
	for _, c := range camps {
		dir := content.LangDir(c.Lang)
		counts := statusCounts(c)
		links = append(links, CampLink{Title: c.Title, URL: c.URL(), Date: c.DateString(), Outcomes: len(c.Outcomes), Statuses: nonzero(counts)})
		pages = append(pages, content.Page{Path: dir + "/camps/" + c.ID + ".md", Front: campFront(c, ix, counts)})
		for _, o := range c.Outcomes {
			pages = append(pages, content.Page{Path: dir + "/camps/" + c.ID + "/" + o.ID + ".md", Front: outcomeFront(c, o, ix)})
		}
	}
	sort.SliceStable(links, func(i, j int) bool { return links[i].Date > links[j].Date })
	for _, lang := range []string{content.DirZH, content.DirEN} {
		f := CampsFront{Title: "共識營", URL: "/camps/", Type: "camps", Camps: links}
		if lang == content.DirEN {
			f.Title, f.URL = "Consensus camps", "/en/camps/"
		}
		pages = append(pages, content.Page{Path: lang + "/camps/_index.md", Front: f})
	}
	return pages
}

// CitedBy maps record slug → turn id → the outcomes citing that turn, each
// once, in camp and file order: content.Extras.CitedBy for each record.
func CitedBy(camps []*Camp) map[string]map[string][]content.CiteLink {
	out := map[string]map[string][]content.CiteLink{}
	for _, c := range camps {
		for _, o := range c.Outcomes {
			link := content.CiteLink{Title: cite.Cut(o.Problem, linkTitleLen), URL: o.URL(c), Kind: string(model.KindOutcome)}
			seen := map[string]bool{}
			for _, ct := range o.Cites {
				if seen[ct.Ref()] {
					continue
				}
				seen[ct.Ref()] = true
				turns := out[ct.Slug]
				if turns == nil {
					turns = map[string][]content.CiteLink{}
					out[ct.Slug] = turns
				}
				turns[ct.Turn] = append(turns[ct.Turn], link)
			}
		}
	}
	return out
}

// archiveIndex finds records by slug and turns by id.
type archiveIndex struct {
	records map[string]*model.Record
	turns   map[string]map[string]*model.Turn
}

func indexArchive(a *model.Archive) archiveIndex {
	ix := archiveIndex{records: map[string]*model.Record{}, turns: map[string]map[string]*model.Turn{}}
	if a == nil {
		return ix
	}
	for _, r := range a.Records {
		ix.records[r.Slug] = r
		m := make(map[string]*model.Turn, len(r.Turns))
		for i := range r.Turns {
			m[r.Turns[i].ID] = &r.Turns[i]
		}
		ix.turns[r.Slug] = m
	}
	return ix
}

func statusCounts(c *Camp) []StatusCount {
	n := map[Status]int{}
	for _, o := range c.Outcomes {
		n[o.Status]++
	}
	out := make([]StatusCount, len(Statuses))
	for i, s := range Statuses {
		out[i] = StatusCount{Status: string(s), Count: n[s]}
	}
	return out
}

func nonzero(counts []StatusCount) []StatusCount {
	var out []StatusCount
	for _, s := range counts {
		if s.Count > 0 {
			out = append(out, s)
		}
	}
	return out
}

func campFront(c *Camp, ix archiveIndex, counts []StatusCount) CampFront {
	f := CampFront{Title: c.Title, Date: c.DateString(), URL: c.URL(), Type: "camp", Lang: c.Lang, Source: c.File,
		ID: c.ID, Outcomes: len(c.Outcomes), Statuses: counts}
	var problems []string
	for _, o := range c.Outcomes {
		problems = append(problems, o.Problem)
	}
	f.Description = cite.Cut(strings.Join(strings.Fields(strings.Join(problems, " ")), " "), descriptionLen)
	seen := map[string]bool{}
	for _, s := range c.Transcripts {
		if seen[s] {
			continue
		}
		seen[s] = true
		if r := ix.records[s]; r != nil {
			f.Transcripts = append(f.Transcripts, content.MeetingLink{Title: r.Title, URL: r.URL(), Date: r.DateString(), Turns: r.SpeakerTurns(), Lang: r.Lang})
		}
	}
	perGroup := map[string]int{}
	for _, o := range c.Outcomes {
		perGroup[o.Group]++
	}
	for _, g := range c.Groups {
		f.Groups = append(f.Groups, GroupFront{ID: g.ID, Name: g.Name, Facilitator: g.Facilitator, Reporter: g.Reporter, Outcomes: perGroup[g.ID]})
	}
	themes := c.Themes
	if len(themes) == 0 {
		themes = []Theme{{}}
	}
	for _, t := range themes {
		tf := ThemeFront{ID: t.ID, Name: t.Name}
		for _, o := range c.Outcomes {
			if o.Theme == t.ID {
				tf.Outcomes = append(tf.Outcomes, outcomeRow(c, o, ix))
			}
		}
		if len(tf.Outcomes) > 0 {
			f.Themes = append(f.Themes, tf)
		}
	}
	return f
}

func outcomeRow(c *Camp, o *Outcome, ix archiveIndex) OutcomeRow {
	row := OutcomeRow{ID: o.ID, URL: o.URL(c), Problem: o.Problem, Proposals: o.Proposals, Owner: o.Owner,
		Response: o.Response, Status: string(o.Status), Cites: len(o.Cites)}
	if g := c.Group(o.Group); g != nil {
		row.Group = g.Name
	}
	if n := len(o.Updates); n > 0 {
		row.Updated = o.Updates[n-1].DateString()
	}
	if len(o.Cites) > 0 {
		row.Quote = citeFront(&o.Cites[0], ix)
	}
	return row
}

func outcomeFront(c *Camp, o *Outcome, ix archiveIndex) OutcomeFront {
	f := OutcomeFront{Title: cite.Cut(o.Problem, pageTitleLen), Date: c.DateString(), URL: o.URL(c), Type: "outcome", Lang: c.Lang,
		Source: c.File, Description: cite.Cut(o.Problem, descriptionLen), Camp: CampRef{Title: c.Title, URL: c.URL(), Date: c.DateString()},
		ID: o.ID, Problem: o.Problem, Proposals: o.Proposals, Owner: o.Owner, Response: o.Response, Status: string(o.Status)}
	if g := c.Group(o.Group); g != nil {
		f.Group = g.Name
	}
	if t := c.Theme(o.Theme); t != nil {
		f.Theme, f.ThemeID = t.Name, t.ID
	}
	for _, u := range o.Updates {
		f.Updates = append(f.Updates, UpdateFront{Date: u.DateString(), Status: string(u.Status), Note: u.Note})
	}
	for i := range o.Cites {
		f.Cites = append(f.Cites, citeFront(&o.Cites[i], ix))
	}
	return f
}

func citeFront(ct *Cite, ix archiveIndex) CiteFront {
	f := CiteFront{Excerpt: ct.Excerpt(excerptLen), Quoted: ct.Quote != "", Speaker: ct.Speaker, URL: ct.URL()}
	if r := ix.records[ct.Slug]; r != nil {
		f.Record, f.Date = r.Title, r.DateString()
	}
	if t := ix.turns[ct.Slug][ct.Turn]; t != nil {
		f.N = t.Ordinal
	}
	return f
}
