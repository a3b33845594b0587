package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ogarchive/ogarchive/search"
)

// queryFlags are the filters `search` and /api/search share.
type queryFlags struct {
	speaker, from, to, kind, lang, sort string
	limit                               int
}

func (q *queryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&q.speaker, "speaker", "", "only turns by this speaker (comma-separated for several)")
	fs.StringVar(&q.from, "from", "", "earliest date, YYYY-MM-DD")
	fs.StringVar(&q.to, "to", "", "latest date, YYYY-MM-DD")
	fs.StringVar(&q.kind, "kind", "", "transcript, commitment or outcome (comma-separated)")
	fs.StringVar(&q.lang, "lang", "", "zh-TW or en (comma-separated)")
	fs.StringVar(&q.sort, "sort", search.SortRelevance, "relevance or newest")
	fs.IntVar(&q.limit, "limit", 10, "number of results")
}

func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (q queryFlags) options() (search.QueryOptions, error) {
	if q.sort != search.SortRelevance && q.sort != search.SortNewest {
		return search.QueryOptions{}, fmt.Errorf("sort is %q; use relevance or newest", q.sort)
	}
	for _, d := range []string{q.from, q.to} {
		if d != "" && !validDate(d) {
			return search.QueryOptions{}, fmt.Errorf("date %q: write it as YYYY-MM-DD", d)
		}
	}
	if q.limit < 1 || q.limit > 1000 {
		return search.QueryOptions{}, fmt.Errorf("limit %d: use 1 to 1000", q.limit)
	}
	return search.QueryOptions{Speaker: list(q.speaker), From: q.from, To: q.to, Kind: list(q.kind),
		Lang: list(q.lang), Limit: q.limit, Sort: q.sort}, nil
}

func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func (c *cmd) search(args []string) error {
	fs := c.flags("search")
	index := fs.String("index", "build/index", "bleve index directory written by `ogarchive build`")
	asJSON := fs.Bool("json", false, "print a JSON array of results")
	withSummary := fs.Bool("summary", false, "with -json, print {results, summary}: counts of every match per year, kind and language")
	var q queryFlags
	q.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if query == "" {
		return fmt.Errorf("give a query, e.g. ogarchive search 開放資料")
	}
	opts, err := q.options()
	if err != nil {
		return err
	}
	s, err := search.Open(*index)
	if err != nil {
		return fmt.Errorf("%w (build the index first with `ogarchive build`)", err)
	}
	defer s.Close()
	page, err := s.Page(query, opts)
	if err != nil {
		return err
	}
	res := page.Results
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if *withSummary {
			return enc.Encode(page)
		}
		return enc.Encode(res)
	}
	if sum := page.Summary; !sum.Partial {
		fmt.Fprintf(c.stdout, "%d turns in %d records%s\n\n", sum.Turns, sum.Records, yearSpan(sum.Years))
	}
	for i, r := range res {
		turn := ""
		if r.Turn > 0 {
			turn = fmt.Sprintf(" #%d", r.Turn)
		}
		fmt.Fprintf(c.stdout, "%d. %s %s — %s%s\n   %s\n   %s\n", i+1, r.Date, r.Title, r.Speaker, turn, r.URL, plainSnippet(r.Snippet))
	}
	if len(res) == 0 {
		fmt.Fprintln(c.stdout, "no results")
	}
	return nil
}

// yearSpan is ", 2015–2024" for the dated years of counts, or "".
func yearSpan(years []search.Count) string {
	var dated []string
	for _, y := range years {
		if y.Value != "" {
			dated = append(dated, y.Value)
		}
	}
	switch len(dated) {
	case 0:
		return ""
	case 1:
		return ", " + dated[0]
	}
	return ", " + dated[0] + "–" + dated[len(dated)-1]
}

// plainSnippet shows a snippet's matches in a terminal as [brackets].
func plainSnippet(s string) string { return search.SnippetText(s, "[", "]") }

// apiSearch answers GET /api/search?q=…&speaker=…&from=…&to=…&kind=…&lang=…&record=…&limit=…&sort=…
// from the bleve index with the same JSON the static client's search
// returns, or with summary=1 the JSON its page returns ({results, summary}).
func apiSearch(s *search.Searcher) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query()
		q := queryFlags{speaker: v.Get("speaker"), from: v.Get("from"), to: v.Get("to"), kind: v.Get("kind"),
			lang: v.Get("lang"), sort: v.Get("sort"), limit: 10}
		if q.sort == "" {
			q.sort = search.SortRelevance
		}
		if l := v.Get("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil {
				http.Error(w, "limit must be a number", http.StatusBadRequest)
				return
			}
			q.limit = n
		}
		opts, err := q.options()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		opts.Record = v.Get("record")
		page := search.Page{Results: []search.Result{}, Summary: search.Summary{Partial: true}}
		if text := strings.TrimSpace(v.Get("q")); text != "" {
			if page, err = s.Page(text, opts); err != nil {
				http.Error(w, "search failed", http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if v.Get("summary") == "1" {
			json.NewEncoder(w).Encode(page)
			return
		}
		json.NewEncoder(w).Encode(page.Results)
	}
}
