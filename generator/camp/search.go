package camp

import (
	"strings"

	"github.com/ogarchive/ogarchive/generator/cite"
	"github.com/ogarchive/ogarchive/generator/model"
)

// SearchDoc is one outcome as the search index takes it.
type SearchDoc struct {
	ID      string // "<camp id>/<outcome id>", unique among outcomes
	URL     string // the outcome's page
	Source  string // the camp file, relative to the records directory
	Speaker string // the outcome's owner
	Date    string // YYYY-MM-DD of the latest update, else of the camp
	Title   string // the problem, shortened
	Kind    string // model.KindOutcome
	Lang    string // the camp's language
	Text    string // problem, proposals, response, update notes and cited quotes, one per line
}

// titleLen caps a search result's title; problems can run to a paragraph.
const titleLen = 60

// SearchDocs returns one document per outcome of camps, in order.
func SearchDocs(camps []*Camp) []SearchDoc {
	var docs []SearchDoc
	for _, c := range camps {
		for _, o := range c.Outcomes {
			date := c.DateString()
			if n := len(o.Updates); n > 0 {
				date = o.Updates[n-1].DateString()
			}
			docs = append(docs, SearchDoc{
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
