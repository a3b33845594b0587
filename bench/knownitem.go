package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// Query is one known-item query: a phrase that occurs in one speaker turn
// of the corpus, as ../shared/eval/known-item-queries.json lists them.
type Query struct {
	Query  string `json:"query"`
	Source string `json:"source"` // transcript file name
	Turn   int    `json:"turn"`   // 1-based ordinal of its `###` section
}

// ReadQueries reads a known-item query file.
func ReadQueries(path string) ([]Query, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []Query
	if err := json.Unmarshal(b, &qs); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return qs, nil
}

// Answer is a turn a query should find, and where the site publishes it.
type Answer struct {
	Source string `json:"source"`
	Turn   int    `json:"turn"`
	Page   string `json:"-"` // path of the record page, "/slug/"
	Anchor string `json:"-"` // the turn's id on that page
}

// KnownItem is a query with its answers: the turn it was made from and
// the same turn in each copy the replicated archive holds, since a copy's
// turn is as right an answer as its original.
type KnownItem struct {
	Query   string
	Answers []Answer
}

// Lang is the language of the site a query would be typed into: zh-TW
// when it has Han characters, en otherwise. Pagefind searches only the
// index of the page's language.
func (k KnownItem) Lang() string {
	for _, r := range k.Query {
		if unicode.Is(unicode.Han, r) {
			return "zh-TW"
		}
	}
	return "en"
}

// siteRecord is what a built site's data/records.json says of a record.
type siteRecord struct {
	File string `json:"file"`
	URL  string `json:"url"`  // the record page
	JSON string `json:"json"` // data/records/<slug>.json
}

// KnownItems finds each query's answers in the built site at public: the
// record pages and turn ids its open-data export (data/records.json and
// data/records/<slug>.json) publishes for the source and its copies.
func KnownItems(public string, qs []Query) ([]KnownItem, error) {
	b, err := os.ReadFile(filepath.Join(public, "data", "records.json"))
	if err != nil {
		return nil, err
	}
	var index struct{ Records []siteRecord }
	if err := json.Unmarshal(b, &index); err != nil {
		return nil, fmt.Errorf("data/records.json: %v", err)
	}
	byFile := map[string]siteRecord{}
	for _, r := range index.Records {
		byFile[r.File] = r
	}
	turnIDs := map[string]map[int]string{} // by file: turn ordinal → id
	answer := func(file string, turn int) (Answer, error) {
		rec, ok := byFile[file]
		if !ok {
			return Answer{}, fmt.Errorf("%s is not in data/records.json", file)
		}
		ids, ok := turnIDs[file]
		if !ok {
			if ids, err = readTurnIDs(public, rec.JSON); err != nil {
				return Answer{}, err
			}
			turnIDs[file] = ids
		}
		id, ok := ids[turn]
		if !ok {
			return Answer{}, fmt.Errorf("%s has no turn %d", file, turn)
		}
		page, _ := splitURL(rec.URL)
		return Answer{Source: file, Turn: turn, Page: page, Anchor: id}, nil
	}
	exists := func(f string) bool { _, ok := byFile[f]; return ok }
	items := make([]KnownItem, len(qs))
	for i, q := range qs {
		items[i].Query = q.Query
		for _, f := range append([]string{q.Source}, Copies(q.Source, exists)...) {
			a, err := answer(f, q.Turn)
			if err != nil {
				return nil, fmt.Errorf("query %q: %v", q.Query, err)
			}
			items[i].Answers = append(items[i].Answers, a)
		}
	}
	return items, nil
}

// readTurnIDs reads the turn ids of a record's JSON, named by its URL.
func readTurnIDs(public, jsonURL string) (map[int]string, error) {
	path, _ := splitURL(jsonURL)
	b, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(path)))
	if err != nil {
		return nil, err
	}
	var rec struct {
		Turns []struct {
			ID string `json:"id"`
			N  int    `json:"n"`
		} `json:"turns"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	ids := map[int]string{}
	for _, t := range rec.Turns {
		ids[t.N] = t.ID
	}
	return ids, nil
}

// EvalQueries is the query file client/eval.mjs reads: each query with
// the copies of its turn as also.
func EvalQueries(items []KnownItem) ([]byte, error) {
	type query struct {
		Query  string   `json:"query"`
		Source string   `json:"source"`
		Turn   int      `json:"turn"`
		Also   []Answer `json:"also,omitempty"`
	}
	qs := make([]query, len(items))
	for i, k := range items {
		qs[i] = query{Query: k.Query, Source: k.Answers[0].Source, Turn: k.Answers[0].Turn, Also: k.Answers[1:]}
	}
	return json.Marshal(qs)
}

// Result is one search result as the page reports it: our client names
// the source and turn; Pagefind gives the page's URL and its sub-results'.
type Result struct {
	URL    string   `json:"url"`
	Subs   []string `json:"subs,omitempty"`
	Source string   `json:"source,omitempty"`
	Turn   int      `json:"turn,omitempty"`
}

// Ranks returns the 1-based rank of the first result on an answer's record
// page and of the first that leads to an answer's turn; 0 for none.
func Ranks(results []Result, answers []Answer) (page, turn int) {
	for i, r := range results {
		p, t := reaches(r, answers)
		if p && page == 0 {
			page = i + 1
		}
		if t && turn == 0 {
			turn = i + 1
		}
	}
	return page, turn
}

// reaches reports whether r is on an answer's record page, and whether it
// leads to the answer's turn: by source and turn, as client/eval.mjs
// scores our client, or by a URL to the page with the turn's anchor.
func reaches(r Result, answers []Answer) (page, turn bool) {
	for _, a := range answers {
		if r.Source != "" {
			page = page || r.Source == a.Source
			turn = turn || r.Source == a.Source && r.Turn == a.Turn
			continue
		}
		p, _ := splitURL(r.URL)
		page = page || p == a.Page
		for _, u := range append([]string{r.URL}, r.Subs...) {
			p, frag := splitURL(u)
			turn = turn || p == a.Page && frag == a.Anchor
		}
	}
	return page, turn
}

// splitURL returns the decoded path of a URL, absolute or site-relative,
// without a trailing index.html, and its fragment.
func splitURL(s string) (path, fragment string) {
	u, err := url.Parse(s)
	if err != nil {
		path, fragment, _ = strings.Cut(s, "#")
		return path, fragment
	}
	return strings.TrimSuffix(u.Path, "index.html"), u.Fragment
}

// Scores are the known-item measures of a set of ranks.
type Scores struct {
	MRR10 float64 // mean reciprocal rank, a rank beyond 10 counting 0
	Hit1  float64 // share of queries answered first
}

// Score computes Scores from 1-based ranks, 0 meaning not found.
func Score(ranks []int) Scores {
	var s Scores
	if len(ranks) == 0 {
		return s
	}
	for _, r := range ranks {
		if r >= 1 && r <= 10 {
			s.MRR10 += 1 / float64(r)
		}
		if r == 1 {
			s.Hit1++
		}
	}
	n := float64(len(ranks))
	return Scores{s.MRR10 / n, s.Hit1 / n}
}
