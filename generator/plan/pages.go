package plan

import (
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/slug"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// RelatedCount is how many related turns a commitment page lists.
const RelatedCount = 5

// excerptLen caps quoted turn text on pages.
const excerptLen = 120

// Pages are the Hugo pages of plans, in both interface languages: an index
// of plans, each plan with its areas, commitments and progress chart, each
// commitment with its milestone timeline, cited turns and (when f is not
// nil) related turns found by search, each plan's resolutions tracker, and
// an index and a page of every agency. Citations should have been through
// Validate, which fills in the cited turns' speakers and text.
func Pages(plans []*Plan, f kind.Finder) []content.Page {
	related := Related(plans, f)
	ags := agencies(plans)
	var pages []content.Page
	for _, dir := range []string{content.DirZH, content.DirEN} {
		g := &gen{dir: dir, lang: uiLang(dir), slugs: ags.slugs}
		pages = append(pages, g.indexPage(plans))
		for _, p := range plans {
			pages = append(pages, g.planPage(p), g.resolutionsPage(p))
			for i, c := range p.Commitments {
				pages = append(pages, g.commitmentPage(p, i, related[c]))
			}
		}
		pages = append(pages, g.agencyPages(ags)...)
	}
	return pages
}

// Related is the turns f finds related to each commitment of the plans:
// none when f is nil.
func Related(plans []*Plan, f kind.Finder) map[*Commitment][]kind.Passage {
	related := map[*Commitment][]kind.Passage{}
	if f == nil {
		return related
	}
	var all []*Commitment
	for _, p := range plans {
		all = append(all, p.Commitments...)
	}
	// Each query reads much of the index: they run side by side.
	found := make([][]kind.Passage, len(all))
	parallel.Do(len(all), func(i int) error {
		found[i] = findRelated(f, all[i])
		return nil
	})
	for i, c := range all {
		related[c] = found[i]
	}
	return related
}

// findRelated asks f about the commitment's title and content, leaving out
// turns the commitment or its milestones already cite.
func findRelated(f kind.Finder, c *Commitment) []kind.Passage {
	cited := map[string]bool{}
	for _, ct := range c.Cites {
		cited[ct.URL()] = true
	}
	for _, m := range c.Milestones {
		for _, ct := range m.Cites {
			cited[ct.URL()] = true
		}
	}
	var out []kind.Passage
	for _, r := range f.Related(strings.TrimSpace(c.Title+" "+c.Content), RelatedCount+len(cited)) {
		if !cited[r.URL] && len(out) < RelatedCount {
			out = append(out, r)
		}
	}
	return out
}

func uiLang(dir string) string {
	if dir == content.DirEN {
		return "en"
	}
	return "zh-TW"
}

// gen builds the pages of one interface language.
type gen struct {
	dir, lang string
	slugs     map[string]string // agency name → URL segment
}

// url prefixes a site path with the interface language's root.
func (g *gen) url(path string) string {
	if g.dir == content.DirEN {
		return "/en" + path
	}
	return path
}

func (g *gen) page(path string, front any) content.Page {
	return content.Page{Path: g.dir + "/" + path, Front: front}
}

// Front matter. Keys are what the layouts under layouts/plans, plan,
// commitment, resolutions, agencies and agency read.

type link struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
}

type citeFront struct {
	URL       string `toml:"url"` // the turn's permalink
	Record    string `toml:"record"`
	RecordURL string `toml:"record_url"`
	Date      string `toml:"date,omitempty"`
	Speaker   string `toml:"speaker"`
	Excerpt   string `toml:"excerpt"`
	Lang      string `toml:"lang"` // of the record
}

type chartFront struct {
	SVG     string `toml:"svg"`
	Summary string `toml:"summary"`
}

type statusCount struct {
	Status string `toml:"status"`
	Label  string `toml:"label"`
	Mark   string `toml:"mark"`
	N      int    `toml:"n"`
}

type commitmentLink struct {
	ID          string `toml:"id"`
	Title       string `toml:"title"`
	URL         string `toml:"url"`
	Lead        []link `toml:"lead,omitempty"`
	Status      string `toml:"status"`
	StatusLabel string `toml:"status_label"`
	Mark        string `toml:"mark"`
	Done        int    `toml:"done"`
	Milestones  int    `toml:"milestones"`
	Plan        string `toml:"plan,omitempty"`
	PlanURL     string `toml:"plan_url,omitempty"`
}

func (g *gen) cites(cs []Cite) []citeFront {
	var out []citeFront
	for _, c := range cs {
		f := citeFront{URL: c.URL(), Speaker: c.Speaker, Excerpt: c.Excerpt(excerptLen), Record: c.Slug, RecordURL: "/" + c.Slug + "/", Lang: "zh-TW"}
		if r := c.Record; r != nil {
			f.Record, f.RecordURL, f.Date, f.Lang = r.Title, r.URL, r.Date, r.Lang
		}
		out = append(out, f)
	}
	return out
}

func (g *gen) agencyLinks(names []string) []link {
	var out []link
	for _, n := range names {
		out = append(out, link{n, g.url("/agencies/" + g.slugs[n] + "/")})
	}
	return out
}

func (g *gen) commitmentLink(p *Plan, c *Commitment) commitmentLink {
	s := c.Status()
	l := commitmentLink{ID: c.ID, Title: c.Title, URL: g.url(c.URL(p)), Lead: g.agencyLinks(c.Lead),
		Status: string(s), StatusLabel: s.Label(g.lang), Mark: s.Mark(), Milestones: len(c.Milestones)}
	for _, m := range c.Milestones {
		if m.Status == Done {
			l.Done++
		}
	}
	return l
}

func (g *gen) statusCounts(ss []Status) []statusCount {
	n := map[Status]int{}
	for _, s := range ss {
		n[s]++
	}
	var out []statusCount
	for _, s := range append(append([]Status(nil), Statuses...), Unreported) {
		if n[s] > 0 {
			out = append(out, statusCount{string(s), s.Label(g.lang), s.Mark(), n[s]})
		}
	}
	return out
}

type indexFront struct {
	Title string      `toml:"title"`
	URL   string      `toml:"url"`
	Type  string      `toml:"type"`
	Plans []planEntry `toml:"plans"`
}

type planEntry struct {
	Title          string `toml:"title"`
	URL            string `toml:"url"`
	From           string `toml:"from"`
	To             string `toml:"to"`
	Commitments    int    `toml:"commitments"`
	Summary        string `toml:"summary"`
	ResolutionsURL string `toml:"resolutions_url"`
	Open           int    `toml:"open"`
	ContentLang    string `toml:"content_lang"`
}

func (g *gen) indexPage(plans []*Plan) content.Page {
	f := indexFront{Title: word(g.lang, "plansTitle"), URL: g.url("/plans/"), Type: "plans"}
	for _, p := range plans {
		open := 0
		for _, r := range p.Resolutions {
			if r.Closed() == nil {
				open++
			}
		}
		f.Plans = append(f.Plans, planEntry{Title: p.Title, URL: g.url(p.URL()), From: p.From.String(), To: p.To.String(),
			Commitments: len(p.Commitments), Summary: PlanChart(p, g.lang).Summary, ResolutionsURL: g.url(p.ResolutionsURL()),
			Open: open, ContentLang: p.Lang})
	}
	return g.page("plans/_index.md", f)
}

type planFront struct {
	Title           string        `toml:"title"`
	URL             string        `toml:"url"`
	Type            string        `toml:"type"`
	Description     string        `toml:"description,omitempty"`
	ContentLang     string        `toml:"content_lang"`
	Source          string        `toml:"source"`
	From            string        `toml:"from"`
	To              string        `toml:"to"`
	Summary         string        `toml:"summary,omitempty"`
	Chart           chartFront    `toml:"chart"`
	Counts          []statusCount `toml:"counts"`
	MilestoneCounts []statusCount `toml:"milestone_counts"`
	Areas           []areaFront   `toml:"areas"`
	Cites           []citeFront   `toml:"cites,omitempty"`
	ResolutionsURL  string        `toml:"resolutions_url"`
	Resolutions     int           `toml:"resolutions"`
	Open            int           `toml:"open"`
}

type areaFront struct {
	ID          string           `toml:"id"`
	Name        string           `toml:"name"`
	Anchor      string           `toml:"anchor"`
	Commitments []commitmentLink `toml:"commitments"`
	Cites       []citeFront      `toml:"cites,omitempty"`
}

func areaAnchor(id string) string { return "area-" + id }

func (g *gen) planPage(p *Plan) content.Page {
	ch := PlanChart(p, g.lang)
	f := planFront{Title: p.Title, URL: g.url(p.URL()), Type: "plan", Description: cite.Cut(p.Summary, 160), ContentLang: p.Lang,
		Source: p.File, From: p.From.String(), To: p.To.String(), Summary: p.Summary, Chart: chartFront(ch),
		Cites: g.cites(p.Cites), ResolutionsURL: g.url(p.ResolutionsURL()), Resolutions: len(p.Resolutions)}
	var all, ms []Status
	for _, c := range p.Commitments {
		all = append(all, c.Status())
		ms = append(ms, statuses(c)...)
	}
	f.Counts, f.MilestoneCounts = g.statusCounts(all), g.statusCounts(ms)
	for _, a := range p.Areas {
		af := areaFront{ID: a.ID, Name: a.Name, Anchor: areaAnchor(a.ID), Cites: g.cites(a.Cites)}
		for _, c := range p.InArea(a.ID) {
			af.Commitments = append(af.Commitments, g.commitmentLink(p, c))
		}
		f.Areas = append(f.Areas, af)
	}
	for _, r := range p.Resolutions {
		if r.Closed() == nil {
			f.Open++
		}
	}
	return g.page("plans/"+p.ID+".md", f)
}

type commitmentFront struct {
	Title       string           `toml:"title"`
	URL         string           `toml:"url"`
	Type        string           `toml:"type"`
	Description string           `toml:"description,omitempty"`
	ContentLang string           `toml:"content_lang"`
	Source      string           `toml:"source"`
	ID          string           `toml:"id"`
	Plan        link             `toml:"plan"`
	Area        link             `toml:"area"`
	AreaID      string           `toml:"area_id"`
	Lead        []link           `toml:"lead,omitempty"`
	Partners    []link           `toml:"partners,omitempty"`
	Problem     string           `toml:"problem,omitempty"`
	Content     string           `toml:"content,omitempty"`
	Values      []link           `toml:"values,omitempty"` // name: label; url: the value's code
	Status      string           `toml:"status"`
	StatusLabel string           `toml:"status_label"`
	Mark        string           `toml:"mark"`
	Chart       chartFront       `toml:"chart"`
	Milestones  []milestoneFront `toml:"milestones,omitempty"`
	Cites       []citeFront      `toml:"cites,omitempty"`
	Related     []citeFront      `toml:"related,omitempty"`
	Prev        *link            `toml:"prev,omitempty"`
	Next        *link            `toml:"next,omitempty"`
}

type milestoneFront struct {
	ID          string      `toml:"id"`
	Anchor      string      `toml:"anchor"`
	Title       string      `toml:"title"`
	Due         string      `toml:"due,omitempty"`
	DueISO      string      `toml:"due_iso,omitempty"` // the last day the due date covers
	Status      string      `toml:"status"`
	StatusLabel string      `toml:"status_label"`
	Mark        string      `toml:"mark"`
	Updated     string      `toml:"updated,omitempty"`
	Note        string      `toml:"note,omitempty"`
	Cites       []citeFront `toml:"cites,omitempty"`
}

func (g *gen) commitmentPage(p *Plan, i int, related []kind.Passage) content.Page {
	c := p.Commitments[i]
	s := c.Status()
	desc := c.Content
	if desc == "" {
		desc = c.Title
	}
	f := commitmentFront{Title: c.Title, URL: g.url(c.URL(p)), Type: "commitment", Description: cite.Cut(desc, 160), ContentLang: p.Lang,
		Source: p.File, ID: c.ID, Plan: link{p.Title, g.url(p.URL())}, AreaID: c.Area,
		Lead: g.agencyLinks(c.Lead), Partners: g.agencyLinks(c.Partners), Problem: c.Problem, Content: c.Content,
		Status: string(s), StatusLabel: s.Label(g.lang), Mark: s.Mark(), Chart: chartFront(TimelineChart(p, c, g.lang)),
		Cites: g.cites(c.Cites)}
	if a := p.Area(c.Area); a != nil {
		f.Area = link{a.Name, g.url(p.URL()) + "#" + areaAnchor(a.ID)}
	}
	for _, v := range c.Values {
		f.Values = append(f.Values, link{v.Label(g.lang), string(v)})
	}
	for _, m := range c.Milestones {
		mf := milestoneFront{ID: m.ID, Anchor: m.Anchor(), Title: m.Title, Due: m.Due.String(), Status: string(m.Status),
			StatusLabel: m.Status.Label(g.lang), Mark: m.Status.Mark(), Updated: m.Updated.String(), Note: m.Note, Cites: g.cites(m.Cites)}
		if !m.Due.IsZero() {
			mf.DueISO = m.Due.End().Format("2006-01-02")
		}
		f.Milestones = append(f.Milestones, mf)
	}
	for _, r := range related {
		f.Related = append(f.Related, citeFront{URL: r.URL, Record: r.Record, RecordURL: strings.SplitN(r.URL, "#", 2)[0],
			Date: r.Date, Lang: r.Lang, Speaker: r.Speaker, Excerpt: cite.Cut(strings.Join(strings.Fields(r.Text), " "), excerptLen)})
	}
	if i > 0 {
		o := p.Commitments[i-1]
		f.Prev = &link{o.ID + " " + o.Title, g.url(o.URL(p))}
	}
	if i+1 < len(p.Commitments) {
		o := p.Commitments[i+1]
		f.Next = &link{o.ID + " " + o.Title, g.url(o.URL(p))}
	}
	return g.page("plans/"+p.ID+"/"+c.ID+".md", f)
}

type resolutionsFront struct {
	Title       string            `toml:"title"`
	URL         string            `toml:"url"`
	Type        string            `toml:"type"`
	Description string            `toml:"description,omitempty"`
	ContentLang string            `toml:"content_lang"`
	Source      string            `toml:"source"`
	Plan        link              `toml:"plan"`
	Counts      []statusCount     `toml:"counts"`
	Open        int               `toml:"open"`
	Items       []resolutionFront `toml:"items"`
}

type resolutionFront struct {
	ID          string       `toml:"id"`
	Anchor      string       `toml:"anchor"`
	Text        string       `toml:"text"`
	Owners      []link       `toml:"owners,omitempty"`
	Made        eventFront   `toml:"made"`
	Status      string       `toml:"status"`
	StatusLabel string       `toml:"status_label"`
	History     []eventFront `toml:"history,omitempty"`
	Closed      eventFront   `toml:"closed"` // zero while open
}

// eventFront is where and when something was decided: a resolution made,
// or a step of its history.
type eventFront struct {
	Date        string `toml:"date,omitempty"`
	Status      string `toml:"status,omitempty"`
	StatusLabel string `toml:"status_label,omitempty"`
	Meeting     string `toml:"meeting,omitempty"`     // the meeting's name
	MeetingURL  string `toml:"meeting_url,omitempty"` // its record page, when in the archive
	TurnURL     string `toml:"turn_url,omitempty"`    // the turn cited
	Speaker     string `toml:"speaker,omitempty"`
	Excerpt     string `toml:"excerpt,omitempty"`
	Note        string `toml:"note,omitempty"`
}

func (g *gen) event(date Date, meeting string, c Cite) eventFront {
	e := eventFront{Date: date.String(), Meeting: meeting}
	if c.IsZero() {
		return e
	}
	e.TurnURL, e.Speaker, e.Excerpt = c.URL(), c.Speaker, c.Excerpt(excerptLen)
	if r := c.Record; r != nil {
		e.MeetingURL = r.URL
		if e.Meeting == "" {
			e.Meeting = r.Title
		}
		if e.Date == "" {
			e.Date = r.Date
		}
	}
	if e.Meeting == "" {
		e.Meeting = c.Slug
	}
	return e
}

func (g *gen) resolutionsPage(p *Plan) content.Page {
	f := resolutionsFront{Title: word(g.lang, "resolutionsTitle", p.Title), URL: g.url(p.ResolutionsURL()), Type: "resolutions",
		ContentLang: p.Lang, Source: p.File, Plan: link{p.Title, g.url(p.URL())}}
	n := map[ResolutionStatus]int{}
	for _, r := range p.Resolutions {
		s := r.Status()
		n[s]++
		rf := resolutionFront{ID: r.ID, Anchor: r.Anchor(), Text: r.Text, Owners: g.agencyLinks(r.Owners),
			Made: g.event(r.Date, r.Meeting, r.Cite), Status: string(s), StatusLabel: s.Label(g.lang)}
		for _, e := range r.History {
			ef := g.event(e.Date, e.Meeting, e.Cite)
			ef.Status, ef.StatusLabel, ef.Note = string(e.Status), e.Status.Label(g.lang), e.Note
			rf.History = append(rf.History, ef)
		}
		if r.Closed() != nil {
			rf.Closed = rf.History[len(rf.History)-1]
		} else {
			f.Open++
		}
		f.Items = append(f.Items, rf)
	}
	for _, s := range ResolutionStatuses {
		if n[s] > 0 {
			f.Counts = append(f.Counts, statusCount{Status: string(s), Label: s.Label(g.lang), N: n[s]})
		}
	}
	f.Description = word(g.lang, "resolutionsDesc", len(p.Resolutions), f.Open)
	return g.page("plans/"+p.ID+"/resolutions.md", f)
}

// agencyIndex is every agency named as a lead, partner or owner, with
// what it is named in.
type agencyIndex struct {
	names []string          // sorted
	slugs map[string]string // name → URL segment
	lang  map[string]string // name → language of the first plan naming it
	lead  map[string][]planCommitment
	part  map[string][]planCommitment
	owns  map[string][]planResolution
}

type planCommitment struct {
	p *Plan
	c *Commitment
}

type planResolution struct {
	p *Plan
	r *Resolution
}

func agencies(plans []*Plan) agencyIndex {
	ix := agencyIndex{slugs: map[string]string{}, lang: map[string]string{}, lead: map[string][]planCommitment{}, part: map[string][]planCommitment{}, owns: map[string][]planResolution{}}
	seen := map[string]bool{}
	var p *Plan
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			ix.names = append(ix.names, n)
			ix.lang[n] = p.Lang
		}
	}
	for _, p = range plans {
		for _, c := range p.Commitments {
			for _, n := range c.Lead {
				add(n)
				ix.lead[n] = append(ix.lead[n], planCommitment{p, c})
			}
			for _, n := range c.Partners {
				add(n)
				ix.part[n] = append(ix.part[n], planCommitment{p, c})
			}
		}
		for _, r := range p.Resolutions {
			for _, n := range r.Owners {
				add(n)
				ix.owns[n] = append(ix.owns[n], planResolution{p, r})
			}
		}
	}
	sort.Strings(ix.names)
	segs := make([]string, len(ix.names))
	for i, n := range ix.names {
		segs[i] = slug.Make(n)
	}
	for i, s := range slug.Unique(segs) {
		ix.slugs[ix.names[i]] = s
	}
	return ix
}

type agenciesFront struct {
	Title    string        `toml:"title"`
	URL      string        `toml:"url"`
	Type     string        `toml:"type"`
	Agencies []agencyEntry `toml:"agencies"`
}

type agencyEntry struct {
	Name        string `toml:"name"`
	Lang        string `toml:"lang"`
	URL         string `toml:"url"`
	Lead        int    `toml:"lead"`
	Partner     int    `toml:"partner"`
	Resolutions int    `toml:"resolutions"`
}

type agencyFront struct {
	Title       string           `toml:"title"`
	ContentLang string           `toml:"content_lang"`
	URL         string           `toml:"url"`
	Type        string           `toml:"type"`
	Description string           `toml:"description"`
	Lead        []commitmentLink `toml:"lead,omitempty"`
	Partner     []commitmentLink `toml:"partner,omitempty"`
	Resolutions []resolutionLink `toml:"resolutions,omitempty"`
}

type resolutionLink struct {
	ID          string `toml:"id"`
	Text        string `toml:"text"`
	URL         string `toml:"url"`
	Status      string `toml:"status"`
	StatusLabel string `toml:"status_label"`
	Plan        string `toml:"plan"`
}

func (g *gen) agencyPages(ix agencyIndex) []content.Page {
	idx := agenciesFront{Title: word(g.lang, "agenciesTitle"), URL: g.url("/agencies/"), Type: "agencies"}
	var pages []content.Page
	for _, n := range ix.names {
		url := g.url("/agencies/" + ix.slugs[n] + "/")
		f := agencyFront{Title: n, ContentLang: ix.lang[n], URL: url, Type: "agency",
			Description: word(g.lang, "agencyDesc", len(ix.lead[n]), len(ix.part[n]), len(ix.owns[n]))}
		for _, pc := range ix.lead[n] {
			l := g.commitmentLink(pc.p, pc.c)
			l.Plan, l.PlanURL = pc.p.Title, g.url(pc.p.URL())
			f.Lead = append(f.Lead, l)
		}
		for _, pc := range ix.part[n] {
			l := g.commitmentLink(pc.p, pc.c)
			l.Plan, l.PlanURL = pc.p.Title, g.url(pc.p.URL())
			f.Partner = append(f.Partner, l)
		}
		for _, pr := range ix.owns[n] {
			s := pr.r.Status()
			f.Resolutions = append(f.Resolutions, resolutionLink{ID: pr.r.ID, Text: pr.r.Text,
				URL: g.url(pr.p.ResolutionsURL()) + "#" + pr.r.Anchor(), Status: string(s), StatusLabel: s.Label(g.lang), Plan: pr.p.Title})
		}
		idx.Agencies = append(idx.Agencies, agencyEntry{Name: n, Lang: ix.lang[n], URL: url, Lead: len(f.Lead), Partner: len(f.Partner), Resolutions: len(f.Resolutions)})
		pages = append(pages, g.page("agencies/"+ix.slugs[n]+".md", f))
	}
	return append([]content.Page{g.page("agencies/_index.md", idx)}, pages...)
}

// CitedBy returns, per record slug and turn id, what in plans cites the
// turn, for the transcript page to link back: the commitment (or its
// milestone), area, plan or resolution, titled in the plan's language.
// Each link appears once per turn, and a turn that many resolutions cite
// (a report on several at once) gets one link to the first of them.
func CitedBy(plans []*Plan) map[string]map[string][]content.CiteLink {
	out := map[string]map[string][]content.CiteLink{}
	add := func(slug, turn string, l content.CiteLink) {
		l.Kind = string(model.KindCommitment)
		turns := out[slug]
		if turns == nil {
			turns = map[string][]content.CiteLink{}
			out[slug] = turns
		}
		for _, have := range turns[turn] {
			if have.URL == l.URL {
				return
			}
		}
		turns[turn] = append(turns[turn], l)
	}
	for _, p := range plans {
		type ref struct{ slug, turn string }
		var order []ref
		byTurn := map[ref][]*Resolution{}
		eachCite(p, func(ct *Cite, by citer) {
			switch {
			case by.Milestone != nil:
				add(ct.Slug, ct.Turn, content.CiteLink{Title: by.Commitment.ID + " " + by.Commitment.Title + " · " + cite.Cut(by.Milestone.Title, 24),
					URL: by.Commitment.URL(p) + "#" + by.Milestone.Anchor()})
			case by.Commitment != nil:
				add(ct.Slug, ct.Turn, content.CiteLink{Title: by.Commitment.ID + " " + by.Commitment.Title, URL: by.Commitment.URL(p)})
			case by.Area != nil:
				add(ct.Slug, ct.Turn, content.CiteLink{Title: word(p.Lang, "areaLink", by.Area.ID, by.Area.Name), URL: p.URL() + "#" + areaAnchor(by.Area.ID)})
			case by.Resolution != nil:
				k := ref{ct.Slug, ct.Turn}
				rs := byTurn[k]
				if len(rs) == 0 {
					order = append(order, k)
				}
				if len(rs) == 0 || rs[len(rs)-1] != by.Resolution {
					byTurn[k] = append(rs, by.Resolution)
				}
			default:
				add(ct.Slug, ct.Turn, content.CiteLink{Title: p.Title, URL: p.URL()})
			}
		})
		for _, k := range order {
			rs := byTurn[k]
			if len(rs) > 2 {
				add(k.slug, k.turn, content.CiteLink{Title: word(p.Lang, "resolutionsLink", rs[0].ID, rs[len(rs)-1].ID, len(rs)),
					URL: p.ResolutionsURL() + "#" + rs[0].Anchor()})
				continue
			}
			for _, r := range rs {
				add(k.slug, k.turn, content.CiteLink{Title: word(p.Lang, "resolutionLink", r.ID, cite.Cut(r.Text, 24)), URL: p.ResolutionsURL() + "#" + r.Anchor()})
			}
		}
	}
	return out
}
