package plan

import (
	"strings"

	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/model"
)

// SearchDocs returns, per plan in order, one document per commitment
// followed by one per milestone of it. A commitment's ID is its own, a
// milestone's "<commitment>.<milestone>"; Speaker is the lead agencies
// joined with "、"; Date is the latest status update, else the start of
// the plan; Text is the fields a reader would search, one per line.
func SearchDocs(plans []*Plan) []model.SearchDoc {
	var docs []model.SearchDoc
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
			docs = append(docs, model.SearchDoc{
				ID: c.ID, URL: c.URL(p), Source: p.File, Speaker: lead, Date: latest.ISO(),
				Title: title, Kind: string(model.KindCommitment), Lang: p.Lang, Text: strings.Join(text, "\n"),
			})
			for _, m := range c.Milestones {
				date := m.Updated
				if date.IsZero() {
					date = p.From
				}
				docs = append(docs, model.SearchDoc{
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
