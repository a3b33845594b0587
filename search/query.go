package search

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// QueryOptions narrow and order a query. Zero values mean no filter.
type QueryOptions struct {
	Speaker []string // display names of speakers, any of them; case and width are ignored
	From    string   // earliest date, YYYY-MM-DD, inclusive
	To      string   // latest date, YYYY-MM-DD, inclusive
	Kind    []string // document kinds (model.Kind), any of them
	Lang    []string // languages, any of them; case is ignored
	Record  string   // only this record's documents (Doc.Source)
	Limit   int      // number of results, default 10
	Sort    string   // "relevance" (default) or "newest"
	// Literal runs the query as written, without its mainland-vocabulary
	// alternative (phrases.go): for queries made from a turn's own text.
	Literal bool
}

// Result is one matching document, as the browser client returns it too.
type Result struct {
	ID      string  `json:"id"`      // turn id (permalink anchor)
	URL     string  `json:"url"`     // site-relative permalink with anchor
	Source  string  `json:"source"`  // record file name
	Turn    int     `json:"turn"`    // 1-based ordinal of the ### section, 0 for other documents
	Speaker string  `json:"speaker"` // speaker display name
	Date    string  `json:"date"`    // YYYY-MM-DD or ""
	Title   string  `json:"title"`   // record title
	Lang    string  `json:"lang"`    // record language (BCP 47)
	Snippet string  `json:"snippet"` // HTML: escaped text with matches in <mark>
	Score   float64 `json:"score"`   // relevance; higher is better
	// Quote is the turn's wording where it holds most of the query but
	// not the whole of it verbatim (a misremembered quote), for showing
	// the difference; "" otherwise.
	Quote string `json:"quote,omitempty"`
	// Twin is the permalink of the same turn in the other language, and
	// TwinLang that language; "" when the turn has no translation.
	Twin     string `json:"twin,omitempty"`
	TwinLang string `json:"twinLang,omitempty"`

	raw int64 // Score before scaling, for merging alternatives
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Searcher answers queries from an index; it is safe for concurrent use.
type Searcher struct {
	idx   bleve.Index
	r     index.IndexReader
	st    indexStats
	avgdl float64
}

// Open opens the index at indexDir for querying.
func Open(indexDir string) (*Searcher, error) {
	idx, st, err := open(indexDir, true)
	if err != nil {
		return nil, err
	}
	r, err := reader(idx)
	if err != nil {
		idx.Close()
		return nil, err
	}
	return &Searcher{idx: idx, r: r, st: st, avgdl: meanLength(st.TextLen, st.Docs)}, nil
}

// Close releases the index.
func (s *Searcher) Close() error {
	err := s.r.Close()
	if cerr := s.idx.Close(); err == nil {
		err = cerr
	}
	return err
}

// Query opens the index at indexDir, runs one query and closes it. A
// server answering many queries should Open once instead.
func Query(indexDir, q string, opts QueryOptions) ([]Result, error) {
	s, err := Open(indexDir)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Query(q, opts)
}

// candidate is a document being ranked.
type candidate struct {
	id    uint64 // bleve internal id, as a number
	score int64
	info  *docInfo
}

// docInfo is what ordering, filtering and results need of a document.
type docInfo struct {
	rec     *recMeta
	speaker string
	turn    int
	key     string // Doc.Key, read only when needed
}

// Query runs q (see the package documentation for the ranking) and, when
// q holds mainland phrases, its Taiwan alternative (phrases.go), merging
// the two by score.
func (s *Searcher) Query(q string, o QueryOptions) ([]Result, error) {
	return s.run(q, o, nil)
}

// run is Query, adding to sum (when not nil) the documents holding the
// whole query.
func (s *Searcher) run(q string, o QueryOptions, sum *summer) ([]Result, error) {
	// a turn's own text (related turns, every build) needs no alternative
	alts := []string{q}
	if !o.Literal {
		alts = alternatives(q)
	}
	var lists [][]Result
	for i, a := range alts {
		rs, err := s.query(a, o, sum)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			for j := range rs {
				rs[j].raw -= rs[j].raw >> altShift
				rs[j].Score = float64(rs[j].raw) / scoreUnit
			}
		}
		lists = append(lists, rs)
	}
	return mergeResults(lists, o), nil
}

// mergeResults merges the lists of alternatives: by score, the earlier
// list first on ties (newest first when so sorted), each turn once.
func mergeResults(lists [][]Result, o QueryOptions) []Result {
	if len(lists) == 1 {
		return lists[0]
	}
	var all []Result
	for _, l := range lists {
		all = append(all, l...)
	}
	if o.Sort == SortNewest {
		slices.SortStableFunc(all, func(a, b Result) int { return cmp.Compare(b.Date, a.Date) })
	} else {
		slices.SortStableFunc(all, func(a, b Result) int { return cmp.Compare(b.raw, a.raw) })
	}
	seen := map[string]bool{}
	out := []Result{}
	for _, r := range all {
		if k := r.Source + "#" + r.ID; !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	limit := o.Limit
	if limit <= 0 {
		limit = 10
	}
	return out[:min(len(out), limit)]
}

func (s *Searcher) query(q string, o QueryOptions, sum *summer) ([]Result, error) {
	p := parseQuery(q)
	if len(p.terms) == 0 {
		return []Result{}, nil
	}
	limit := o.Limit
	if limit <= 0 {
		limit = 10
	}
	post := make([]postingList, len(p.terms))
	idfs := make([]int64, len(p.terms))
	for i, t := range p.terms {
		var err error
		if post[i], err = s.postings(t.key); err != nil {
			return nil, err
		}
		idfs[i] = idf(len(post[i].ids), s.st.Docs)
	}
	r := ranking{s: s, idfs: idfs, o: o, limit: limit}
	if err := r.start(); err != nil {
		return nil, err
	}
	// the scores over every term: a summary counts the documents holding
	// them all, and the exact look ranks by them; a first look that
	// answers needs neither, so they are summed only when wanted (the
	// common terms' lists are the longest)
	var sc *scores
	exact := func() scores {
		if sc == nil {
			all := accumulate(p, post, idfs)
			sc = &all
		}
		return *sc
	}
	if sum != nil {
		for _, id := range exact().all {
			d, err := r.info(id)
			if err != nil {
				return nil, err
			}
			if r.f.keep(d.rec, d.speaker) {
				sum.add(id, d.rec)
			}
		}
	}
	// the first look, without the common terms; the exact one when it
	// leaves none out or finds no turn holding the phrase
	if skip := commonTerms(p, post, commonDocs); len(skip) > 0 && o.Sort != SortNewest {
		first, firstPost := p, slices.Clone(post)
		first.terms = slices.Clone(p.terms)
		for _, i := range skip {
			first.terms[i].required = false
			firstPost[i] = postingList{}
		}
		if rs, ok, err := r.rank(first, firstPost, accumulate(first, firstPost, idfs), true); ok || err != nil {
			return rs, err
		}
	}
	rs, _, err := r.rank(p, post, exact(), false)
	return rs, err
}

// ranking is one query's ranking: its documents' data, read once, and its
// filter.
type ranking struct {
	s     *Searcher
	idfs  []int64
	o     QueryOptions
	limit int
	f     filter
	dv    index.DocValueReader
	recs  map[string]*recMeta
	infos map[uint64]*docInfo
}

func (r *ranking) start() error {
	dv, err := r.s.r.DocValueReader([]string{fieldRec, fieldSpeaker, fieldTurn})
	if err != nil {
		return err
	}
	r.dv, r.f = dv, newFilter(r.o)
	r.recs, r.infos = map[string]*recMeta{}, map[uint64]*docInfo{}
	return nil
}

// info reads a document's record data, speaker and turn.
func (r *ranking) info(id uint64) (*docInfo, error) {
	if d := r.infos[id]; d != nil {
		return d, nil
	}
	d := &docInfo{}
	var rec string
	err := r.dv.VisitDocValues(internalID(id), func(field string, term []byte) {
		switch field {
		case fieldRec:
			rec = string(term)
		case fieldSpeaker:
			d.speaker = string(term)
		case fieldTurn:
			d.turn, _ = strconv.Atoi(string(term))
		}
	})
	if err != nil {
		return nil, err
	}
	if d.rec = r.recs[rec]; d.rec == nil {
		d.rec = &recMeta{}
		if err := json.Unmarshal([]byte(rec), d.rec); err != nil {
			return nil, fmt.Errorf("search index: document without record data: %v", err)
		}
		r.recs[rec] = d.rec
	}
	r.infos[id] = d
	return d, nil
}

// rank ranks the documents of sc for plan p and returns the results. A
// first look (first: p leaves the common terms out) gives up, answering
// false, when nothing holds p's terms or none of the texts it checks
// holds the phrase.
func (r *ranking) rank(p plan, post []postingList, sc scores, first bool) ([]Result, bool, error) {
	s, o, limit, idfs, info, f := r.s, r.o, r.limit, r.idfs, r.info, r.f
	// pick keeps the documents among ids that pass the filter. Ranked by
	// relevance, only the best need their doc values read: those down to
	// the score of the last one the ranking below can look at, ties
	// included, so the outcome is the same as filtering them all (a long
	// query's union can be most of the index).
	pick := func(ids []uint64) ([]candidate, error) {
		all := make([]candidate, len(ids))
		for i, id := range ids {
			all[i] = candidate{id: id, score: sc.score[id]}
		}
		enough := len(all)
		if o.Sort != SortNewest {
			enough = max(limit, moreChecks)
			slices.SortFunc(all, func(a, b candidate) int {
				if a.score != b.score {
					return cmp.Compare(b.score, a.score)
				}
				return cmp.Compare(a.id, b.id)
			})
		} else {
			// in index order, so that doc values are decoded a chunk at a time
			slices.SortFunc(all, func(a, b candidate) int { return cmp.Compare(a.id, b.id) })
		}
		var out []candidate
		for _, c := range all {
			if len(out) >= enough && c.score < out[len(out)-1].score {
				break
			}
			d, err := info(c.id)
			if err != nil {
				return nil, err
			}
			if f.keep(d.rec, d.speaker) {
				c.info = d
				out = append(out, c)
			}
		}
		return out, nil
	}
	cands, err := pick(sc.all)
	if err == nil && len(cands) == 0 && first {
		return nil, false, nil
	}
	partial := false // nothing holds the whole query, so no phrase is to be found
	if err == nil && len(cands) == 0 {
		partial = true
		sc.addCoverage(len(p.terms), upper(idfs))
		cands, err = pick(anchored(p, post, sc.any))
	}
	if err != nil {
		return nil, false, err
	}

	order := func(a, b candidate) int { return s.order(a.info, b.info, a.id, b.id) }
	u := upper(idfs)
	checked := map[uint64]*checkedDoc{}
	check := func(c candidate) (*checkedDoc, error) {
		if d := checked[c.id]; d != nil {
			return d, nil
		}
		text, url, twin, err := s.stored(c)
		if err != nil {
			return nil, err
		}
		d := &checkedDoc{text: text, url: url, twin: twin, m: p.check(text, u)}
		checked[c.id] = d
		return d, nil
	}
	if o.Sort == SortNewest {
		slices.SortFunc(cands, order)
	} else {
		slices.SortFunc(cands, func(a, b candidate) int {
			if a.score != b.score {
				return cmp.Compare(b.score, a.score)
			}
			return order(a, b)
		})
		n := min(len(cands), max(limit, firstCheck))
		phrase := false
		for _, c := range cands[:n] {
			d, err := check(c)
			if err != nil {
				return nil, false, err
			}
			phrase = phrase || d.m.phrase
		}
		if !phrase && !partial {
			for _, c := range cands[n:min(len(cands), max(limit, moreChecks))] {
				if _, err := check(c); err != nil {
					return nil, false, err
				}
			}
			n = min(len(cands), max(limit, moreChecks))
			if first && !slices.ContainsFunc(cands[:n], func(c candidate) bool { return checked[c.id].m.phrase }) {
				return nil, false, nil
			}
		}
		top := cands[:n]
		slices.SortFunc(top, func(a, b candidate) int {
			sa, sb := a.score+checked[a.id].m.bonus, b.score+checked[b.id].m.bonus
			if sa != sb {
				return cmp.Compare(sb, sa)
			}
			return order(a, b)
		})
	}

	results := []Result{}
	for _, c := range cands[:min(limit, len(cands))] {
		d, err := check(c)
		if err != nil {
			return nil, false, err
		}
		key, err := s.key(c)
		if err != nil {
			return nil, false, err
		}
		id := strings.TrimPrefix(key, c.info.rec.Source+"#")
		url := d.url
		if c.info.rec.Base != "" {
			url = c.info.rec.Base + "#" + id
		}
		twinLang, twin := splitTwin(d.twin)
		results = append(results, Result{
			Twin:     twin,
			TwinLang: twinLang,
			ID:       id,
			URL:      url,
			Source:   c.info.rec.Source,
			Turn:     c.info.turn,
			Speaker:  c.info.speaker,
			Date:     c.info.rec.Date,
			Title:    c.info.rec.Title,
			Lang:     c.info.rec.Lang,
			Snippet:  p.snippet(d.text, d.m),
			Quote:    p.quote(d.text, d.m),
			Score:    float64(c.score+d.m.bonus) / scoreUnit,
			raw:      c.score + d.m.bonus,
		})
	}
	return results, true, nil
}

// anchorTerms is how many of a query's rarest terms a near miss must hold
// one of. A quote typed with a character left out, added or changed
// yields one or two terms its turn lacks; its turn holds the other rare
// ones. Looking only at documents holding one of the rarest three spares
// the client the whole postings of the query's common terms.
const anchorTerms = 3

// anchored keeps the ids holding one of the anchorTerms rarest terms of p
// (by document count, then key; terms no document holds are skipped).
func anchored(p plan, post []postingList, ids []uint64) []uint64 {
	var order []int
	for i := range p.terms {
		if len(post[i].ids) > 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(post[a].ids), len(post[b].ids)), cmp.Compare(p.terms[a].key, p.terms[b].key))
	})
	held := map[uint64]bool{}
	for _, i := range order[:min(len(order), anchorTerms)] {
		for _, id := range post[i].ids {
			held[id] = true
		}
	}
	out := ids[:0:0]
	for _, id := range ids {
		if held[id] {
			out = append(out, id)
		}
	}
	return out
}

// checkedDoc is a candidate whose text has been read.
type checkedDoc struct {
	text, url, twin string
	m               match
}

// postingList is a term's documents, by bleve internal id as a number,
// with their impacts.
type postingList struct {
	ids  []uint64
	imps []uint8
}

// scores are a query's scores, summed a term at a time into arrays indexed
// by internal id (a long query reads hundreds of terms over most of the
// index: per document and term lookups were most of its time).
type scores struct {
	score []int64  // per id
	all   []uint64 // the documents holding every required term
	any   []uint64 // the documents holding at least one term
	terms []int32  // per id, how many of the query's terms it holds
}

// addCoverage is for a query no document holds whole, a quote remembered
// with a character or a word missing, added or changed: each document
// holding some of its n terms gains u·c²/n² for the c it holds, so that
// the ones holding nearly all of it are among those checked for proximity
// rather than long turns that repeat its commonest terms.
func (sc *scores) addCoverage(n int, u int64) {
	for _, id := range sc.any {
		c := int64(sc.terms[id])
		sc.score[id] += int64(math.Floor(float64(u*c*c) / float64(n*n)))
	}
}

func accumulate(p plan, post []postingList, idfs []int64) scores {
	size := 0
	for _, pl := range post {
		for _, id := range pl.ids {
			size = max(size, int(id)+1)
		}
	}
	var sc scores
	sc.score = make([]int64, size)
	sc.terms = make([]int32, size) // terms holding the document
	terms := sc.terms
	req := make([]int32, size) // required terms holding it
	nreq := int32(0)
	for j, pl := range post {
		r := p.terms[j].required
		if r {
			nreq++
		}
		for k, id := range pl.ids {
			if terms[id] == 0 {
				sc.any = append(sc.any, id)
			}
			terms[id]++
			if r {
				req[id]++
			}
			sc.score[id] += idfs[j] * int64(pl.imps[k])
		}
	}
	if nreq > 0 {
		for _, id := range sc.any {
			if req[id] == nreq {
				sc.all = append(sc.all, id)
			}
		}
	}
	return sc
}

// postings lists every document holding the term (field byte + term) with
// its impact. A character term gathers every text term that begins with
// the character: see analysis.go.
func (s *Searcher) postings(key string) (postingList, error) {
	term := []byte(key[1:])
	var pl postingList
	// each visits every posting of one text term
	each := func(t []byte, visit func(id uint64, tf, dl int)) error {
		r, err := s.r.TermFieldReader(context.Background(), t, fieldText, true, true, false)
		if err != nil {
			return err
		}
		defer r.Close()
		if key[0] != fieldByteChar {
			n := int(r.Count())
			pl.ids, pl.imps = make([]uint64, 0, n), make([]uint8, 0, n)
		}
		var reuse index.TermFieldDoc // Next(nil) would allocate one per posting
		for {
			p, err := r.Next(&reuse)
			if err != nil || p == nil {
				return err
			}
			id, err := docNumber(p.ID)
			if err != nil {
				return err
			}
			visit(id, int(p.Freq), normLength(p.Norm))
		}
	}
	if key[0] != fieldByteChar {
		// A document is once in a term's list: its impact at once.
		err := each(term, func(id uint64, tf, dl int) {
			pl.ids = append(pl.ids, id)
			pl.imps = append(pl.imps, impact(tf, dl, s.avgdl))
		})
		return pl, err
	}
	type counts struct{ tf, dl int }
	acc := map[uint64]counts{}
	fd, err := s.r.FieldDictPrefix(fieldText, term)
	if err != nil {
		return pl, err
	}
	for {
		e, err := fd.Next()
		if err == nil && e != nil {
			err = each([]byte(e.Term), func(id uint64, tf, dl int) {
				c := acc[id]
				acc[id] = counts{c.tf + tf, dl}
			})
		}
		if err != nil {
			fd.Close()
			return pl, err
		}
		if e == nil {
			break
		}
	}
	if err := fd.Close(); err != nil {
		return pl, err
	}
	pl.ids, pl.imps = make([]uint64, 0, len(acc)), make([]uint8, 0, len(acc))
	for id, c := range acc {
		pl.ids = append(pl.ids, id)
		pl.imps = append(pl.imps, impact(c.tf, c.dl, s.avgdl))
	}
	return pl, nil
}

// order is document order: newest record first (undated last), then
// source file, turn and id. Export numbers documents in this order.
func (s *Searcher) order(a, b *docInfo, ida, idb uint64) int {
	if c := compareDocs(a.rec, b.rec, a.turn, b.turn); c != 0 {
		return c
	}
	ka, _ := s.key(candidate{id: ida, info: a})
	kb, _ := s.key(candidate{id: idb, info: b})
	return strings.Compare(ka, kb)
}

// compareDocs is document order short of the id.
func compareDocs(a, b *recMeta, turnA, turnB int) int {
	switch {
	case a.Date == b.Date:
	case a.Date == "":
		return 1
	case b.Date == "":
		return -1
	default:
		return strings.Compare(b.Date, a.Date)
	}
	if c := strings.Compare(a.Source, b.Source); c != 0 {
		return c
	}
	return cmp.Compare(turnA, turnB)
}

// key returns a candidate's Doc.Key.
func (s *Searcher) key(c candidate) (string, error) {
	if c.info.key != "" {
		return c.info.key, nil
	}
	k, err := s.r.ExternalID(internalID(c.id))
	c.info.key = k
	return k, err
}

// stored reads a candidate's text, stored URL and twin (see twinOf).
func (s *Searcher) stored(c candidate) (text, url, twin string, err error) {
	key, err := s.key(c)
	if err != nil {
		return "", "", "", err
	}
	d, err := s.r.Document(key)
	if err != nil || d == nil {
		return "", "", "", fmt.Errorf("search index: document %q: %v", key, err)
	}
	d.VisitFields(func(f index.Field) {
		switch f.Name() {
		case fieldText:
			text = string(f.Value())
		case fieldURL:
			url = string(f.Value())
		case fieldTwin:
			twin = string(f.Value())
		}
	})
	return text, url, twin, nil
}

// docNumber and internalID convert scorch's internal ids, 8 bytes big
// endian, to numbers, which make cheaper map keys, and back.
func docNumber(id index.IndexInternalID) (uint64, error) {
	if len(id) != 8 {
		return 0, fmt.Errorf("search index: unexpected internal id %x", []byte(id))
	}
	return binary.BigEndian.Uint64(id), nil
}

func internalID(n uint64) index.IndexInternalID {
	return binary.BigEndian.AppendUint64(nil, n)
}

// filter is QueryOptions' filters, prepared.
type filter struct {
	speakers, kinds, langs map[string]bool
	from, to, record       string
}

func newFilter(o QueryOptions) filter {
	set := func(vs []string, f func(string) string) map[string]bool {
		m := map[string]bool{}
		for _, v := range vs {
			if v != "" {
				m[f(v)] = true
			}
		}
		if len(m) == 0 {
			return nil
		}
		return m
	}
	same := func(s string) string { return s }
	return filter{
		speakers: set(o.Speaker, foldName),
		kinds:    set(o.Kind, same),
		langs:    set(o.Lang, strings.ToLower),
		from:     o.From,
		to:       o.To,
		record:   o.Record,
	}
}

func (f filter) keep(r *recMeta, speaker string) bool {
	switch {
	case f.speakers != nil && !f.speakers[foldName(speaker)]:
	case f.kinds != nil && !f.kinds[r.Kind]:
	case f.langs != nil && !f.langs[strings.ToLower(r.Lang)]:
	case (f.from != "" || f.to != "") && r.Date == "":
	case f.from != "" && r.Date < f.from:
	case f.to != "" && r.Date > f.to:
	case f.record != "" && r.Source != f.record:
	default:
		return true
	}
	return false
}

// foldName folds every code point of s: a speaker name, so that a filter
// ignores case and width, or a query whose phrases are looked up
// (client.js: foldName).
func foldName(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = fold(r)
	}
	return string(rs)
}
