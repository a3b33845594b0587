package search

import (
	"cmp"
	"slices"

	"github.com/ogarchive/ogarchive/generator/model"
)

// Page is what a results page shows: the best results and a summary of
// every document that holds the query.
type Page struct {
	Results []Result `json:"results"`
	Summary Summary  `json:"summary"`
}

// Summary counts the documents holding the whole query (every required
// term), after the filters: for a topic, how much the archive says and
// when. A query no document holds whole (a misremembered quote) counts
// nothing and is Partial.
type Summary struct {
	Turns    int     `json:"turns"`    // documents
	Meetings int     `json:"meetings"` // transcripts among their records
	Records  int     `json:"records"`  // records of every kind
	Years    []Count `json:"years"`    // documents per year of their record's date, in order; "" for undated
	Kinds    []Count `json:"kinds"`    // documents per kind, most first
	Langs    []Count `json:"langs"`    // documents per language, most first
	// Groups counts, for each record of the results in their order, its
	// documents holding the query: "and 12 more in this meeting".
	Groups  []Count `json:"groups"`
	Partial bool    `json:"partial"`
}

// Count is a value and how many documents have it.
type Count struct {
	Value string `json:"value"`
	Turns int    `json:"turns"`
}

// summer gathers the documents a query's alternatives hold whole.
type summer struct {
	docs map[uint64]*recMeta
}

func (s *summer) add(id uint64, r *recMeta) {
	if s.docs == nil {
		s.docs = map[uint64]*recMeta{}
	}
	s.docs[id] = r
}

// Page runs q as Query does and summarises what holds it.
func (s *Searcher) Page(q string, o QueryOptions) (Page, error) {
	var sum summer
	rs, err := s.run(q, o, &sum)
	if err != nil {
		return Page{}, err
	}
	return Page{Results: rs, Summary: sum.summary(rs)}, nil
}

// summary counts the gathered documents; results name the groups.
func (s *summer) summary(results []Result) Summary {
	years, kinds, langs, records := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	sum := Summary{Years: []Count{}, Kinds: []Count{}, Langs: []Count{}, Groups: []Count{}, Partial: len(s.docs) == 0}
	for _, r := range s.docs {
		years[yearOf(r.Date)]++
		kinds[r.Kind]++
		langs[r.Lang]++
		if records[r.Source]++; records[r.Source] == 1 && r.Kind == string(model.KindTranscript) {
			sum.Meetings++
		}
	}
	sum.Turns, sum.Records = len(s.docs), len(records)
	sum.Years = counts(years, func(a, b Count) int { return cmp.Compare(a.Value, b.Value) })
	byTurns := func(a, b Count) int { return cmp.Or(cmp.Compare(b.Turns, a.Turns), cmp.Compare(a.Value, b.Value)) }
	sum.Kinds, sum.Langs = counts(kinds, byTurns), counts(langs, byTurns)
	seen := map[string]bool{}
	for _, r := range results {
		if !seen[r.Source] {
			seen[r.Source] = true
			sum.Groups = append(sum.Groups, Count{Value: r.Source, Turns: records[r.Source]})
		}
	}
	return sum
}

func yearOf(date string) string {
	if len(date) < 4 {
		return ""
	}
	return date[:4]
}

func counts(m map[string]int, order func(a, b Count) int) []Count {
	out := []Count{}
	for v, n := range m {
		out = append(out, Count{Value: v, Turns: n})
	}
	slices.SortFunc(out, order)
	return out
}
