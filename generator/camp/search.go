package camp

import (
	"strings"

	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/model"
)

// titleLen caps a search result's title; problems can run to a paragraph.
const titleLen = 60

// SearchDocs returns one document per outcome of camps, in order: ID is
// "<camp id>/<outcome id>", Speaker the outcome's owner, Date its latest
// update's (else the camp's), Text the problem, proposals, response,
// update notes and cited quotes, one per line.
func SearchDocs(camps []*Camp) []model.SearchDoc {
	var docs []model.SearchDoc
	for _, c := range camps {
		for _, o := range c.Outcomes {
			date := c.DateString()
			if n := len(o.Updates); n > 0 {
				date = o.Updates[n-1].DateString()
			}
			docs = append(docs, model.SearchDoc{
				ID:      c.ID + "/" + o.ID,
				URL:     o.URL(c),
				Source:  c.File,
				Speaker: o.Owner,
				Date:    date,
				Title:   cite.Cut(o.Problem, titleLen),
				Kind:    string(model.KindOutcome),
				Lang:    c.Lang,
				Text:    searchText(o),
			})
		}
	}
	return docs
}

func searchText(o *Outcome) string {
	lines := []string{o.Problem}
	lines = append(lines, o.Proposals...)
	if o.Response != "" {
		lines = append(lines, o.Response)
	}
	for _, u := range o.Updates {
		if u.Note != "" {
			lines = append(lines, u.Note)
		}
	}
	for _, ct := range o.Cites {
		if ct.Quote != "" {
			lines = append(lines, ct.Quote)
		}
	}
	return strings.Join(lines, "\n")
}
