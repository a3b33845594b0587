package plan

import (
	"strings"

	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/model"
)

// SearchDoc is one commitment or milestone as the search index takes it.
type SearchDoc struct {
	ID      string // "<commitment id>", or "<commitment id>.<milestone id>"; unique in Source
	URL     string // the commitment's page, with the milestone's anchor for a milestone
	Source  string // the plan file, relative to the records directory
	Speaker string // the lead agencies, joined with "、"; "" when the plan names none
	Date    string // YYYY-MM-DD: the latest status update, else the start of the plan
	Title   string // "<commitment id> <title>", and the milestone for a milestone
	Kind    string // model.KindCommitment
	Lang    string // the plan's language
	Text    string // the fields a reader would search, one per line
}

// SearchDocs returns, per plan in order, one document per commitment
// followed by one per milestone of it.
func SearchDocs(plans []*Plan) []SearchDoc {
	var docs []SearchDoc
	for _, p := range plans {
		for _, c := range p.Commitments {
			lead := strings.Join(c.Lead, "、")
			title := c.ID + " " + c.Title
			latest := Date{}
			for _, m := range c.Milestones {
				if latest.IsZero() || m.Updated.Start().After(latest.Start()) {
					latest = m.Updated
				}
			}
			if latest.IsZero() {
				latest = p.From
			}
			text := []string{c.Title}
			if a := p.Area(c.Area); a != nil {
				text = append(text, a.Name)
			}
			text = append(text, nonEmpty(c.Problem, c.Content)...)
			text = append(text, c.Lead...)
			text = append(text, c.Partners...)
			docs = append(docs, SearchDoc{
				ID: c.ID, URL: c.URL(p), Source: p.File, Speaker: lead, Date: latest.ISO(),
				Title: title, Kind: string(model.KindCommitment), Lang: p.Lang, Text: strings.Join(text, "\n"),
			})
			for _, m := range c.Milestones {
				date := m.Updated
				if date.IsZero() {
					date = p.From
				}
				docs = append(docs, SearchDoc{
					ID: c.ID + "." + m.ID, URL: c.URL(p) + "#" + m.Anchor(), Source: p.File, Speaker: lead,
					Date: date.ISO(), Title: title + " · " + cite.Cut(m.Title, titleLen), Kind: string(model.KindCommitment),
					Lang: p.Lang, Text: strings.Join(nonEmpty(m.Title, m.Note), "\n"),
				})
			}
		}
	}
	return docs
}

// titleLen caps the milestone part of a search result's title; a KPI can
// run to a paragraph.
const titleLen = 40

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
