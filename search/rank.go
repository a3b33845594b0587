package search

import (
	"math"
	"slices"
	"strings"
)

// Ranking constants, shared with client/client.js.
const (
	k1 = 1.2
	b  = 0.75
	// impactScale: a posting's BM25 term-frequency part, divided by k1+1 so
	// that it lies in (0, 1], is stored as a byte in 1..impactScale.
	impactScale = 255
	// shortTurn: a turn shorter than this share of the mean length is
	// ranked as if it had this length.
	shortTurn = 0.5
	// idfScale: idf is used as round(idf * idfScale), so a score is an
	// integer and both implementations add up exactly the same numbers.
	idfScale = 4096
	// firstCheck and moreChecks: how many of the best candidates are
	// checked against their text for the phrase, and how many in all when
	// none of the first holds it.
	firstCheck = 10
	moreChecks = 30
	// snippetLen is a snippet's length in code points, snippetLead how many
	// of them come before the match.
	snippetLen  = 160
	snippetLead = 40
	// scoreUnit turns an integer score into the reported one: idf times
	// the term-frequency part over k1+1, summed.
	scoreUnit = idfScale * impactScale
)

// impact quantises the BM25 term-frequency part of a posting. Lengths
// below shortTurn of the mean count as that: BM25 favours short documents,
// and a one-line echo of a topic (「是說開放資料？」) would otherwise
// outrank the turns that discuss it.
func impact(tf, dl int, avgdl float64) uint8 {
	l := max(float64(dl), shortTurn*avgdl)
	w := float64(tf) / (float64(tf) + k1*(1-b+b*l/avgdl))
	q := math.Round(w * impactScale)
	switch {
	case q < 1:
		return 1
	case q > impactScale:
		return impactScale
	}
	return uint8(q)
}

// meanLength is the avgdl impacts are computed with: the mean text-field
// length rounded to 32 steps per power of two (a step is 1.5–3 % of it,
// nothing a ranking notices). A rebuild changing a record or two then
// almost never changes it, so the static export's impacts stay as they
// were and its postings can be patched rather than recomputed.
func meanLength(textLen int64, docs int) float64 {
	if docs == 0 || textLen == 0 {
		return 0
	}
	frac, exp := math.Frexp(float64(textLen) / float64(docs))
	return math.Ldexp(math.Round(frac*64)/64, exp)
}

// idf is the quantised BM25 inverse document frequency of a term found in
// df of n documents.
func idf(df, n int) int64 {
	return int64(math.Round(math.Log(1+(float64(n)-float64(df)+0.5)/(float64(df)+0.5)) * idfScale))
}

// normLength recovers a field length from bleve's norm, 1/sqrt(length)
// as a float32: exact for any length a turn can have.
func normLength(norm float64) int { return int(math.Round(1 / (norm * norm))) }

// Term fields: a query term is looked up as an analysed text term, or as a
// character (every text term beginning with it), and a speaker filter as a
// speaker; the byte prefixes the term in the static dictionary.
const (
	fieldByteText    = 't'
	fieldByteChar    = 'c'
	fieldByteSpeaker = 's'
)

// qterm is one distinct term of a query.
type qterm struct {
	key      string // field byte + term
	required bool
}

// plan is an analysed query.
type plan struct {
	terms  []qterm  // distinct, in order of first appearance
	phrase []rune   // the normalised query, for verbatim matching
	text   []string // the text terms (keys), for proximity and marks
	chars  []rune   // the character terms, for marks
	// word: the phrase is one word (letters or digits, no CJK, no space),
	// a topic rather than a fragment, so it matches only whole words: AI
	// not in "trained", data not in "metadata"
	word bool
}

// parseQuery analyses q. On a query of three tokens or more, a word at
// either end is optional: a remembered fragment may begin or end mid-word.
func parseQuery(q string) plan {
	var toks []token
	analyze(q, func(t token) { toks = append(toks, t) })
	var p plan
	index := map[string]int{}
	for i, t := range toks {
		key := string(fieldByteText) + t.Term
		if t.Kind == kindUnigram {
			key = string(fieldByteChar) + t.Term
		}
		soft := len(toks) >= 3 && t.Kind == kindWord && (i == 0 || i == len(toks)-1)
		if j, ok := index[key]; ok {
			p.terms[j].required = p.terms[j].required || !soft
			continue
		}
		index[key] = len(p.terms)
		p.terms = append(p.terms, qterm{key: key, required: !soft})
		if t.Kind == kindUnigram {
			p.chars = append(p.chars, []rune(t.Term)[0])
		} else {
			p.text = append(p.text, key)
		}
	}
	p.phrase, _ = normalize(q)
	if n := len(p.phrase); n > 0 {
		p.word = !slices.Contains(p.phrase, ' ') && classify(p.phrase[0]) == classWord && classify(p.phrase[n-1]) == classWord
	}
	return p
}

// phraseIndex finds the phrase in norm at or after from, or -1.
func (p *plan) phraseIndex(norm []rune, from int) int {
	n := len(p.phrase)
	for i := from; i+n <= len(norm); {
		k := runeIndex(norm[i:], p.phrase)
		if k < 0 {
			return -1
		}
		k += i
		if !p.word || (k == 0 || classify(norm[k-1]) != classWord) && (k+n == len(norm) || classify(norm[k+n]) != classWord) {
			return k
		}
		i = k + 1
	}
	return -1
}

// upper is the largest score a document can reach from the terms alone.
func upper(idfs []int64) int64 {
	var u int64
	for _, v := range idfs {
		u += v * impactScale
	}
	return u
}

// match is what checking a document's text against a query found.
type match struct {
	bonus      int64
	phrase     bool
	start, end int // rune span to centre the snippet on; start < 0 for none
	near       int // distinct text terms in the span, when it is the window of hits
}

// check looks for the query in a document's text: a verbatim phrase earns
// the upper bound u (so it outranks every document without one), and the
// tightest window holding the query's text terms a proximity bonus of up
// to u/2, scaled by the share of terms in it and by how close they are.
func (p *plan) check(text string, u int64) match {
	m := match{start: -1}
	norm, offs := normalize(text)
	if k := p.phraseIndex(norm, 0); k >= 0 {
		m.phrase = true
		m.bonus += u
		m.start, m.end = offs[k], offs[k+len(p.phrase)-1]+1
	}
	var hits []token // tokens that are text terms of the query
	analyze(text, func(t token) {
		if slices.Contains(p.text, string(fieldByteText)+t.Term) {
			hits = append(hits, t)
		}
	})
	if lo, hi, distinct := minWindow(hits); distinct > 0 {
		if distinct >= 2 && len(p.text) >= 2 {
			span := int64(hits[hi].Pos - hits[lo].Pos + 1)
			d := int64(distinct)
			m.bonus += int64(math.Floor(float64(u*d*d) / float64(2*int64(len(p.text))*span)))
		}
		if m.start < 0 {
			m.start, m.end = hits[lo].Start, hits[hi].End
			m.near = distinct
		}
	}
	if m.start < 0 {
		// a character query: the first occurrence
		i := 0
		for _, r := range text {
			if slices.Contains(p.chars, fold(r)) {
				m.start, m.end = i, i+1
				break
			}
			i++
		}
	}
	return m
}

// minWindow finds the shortest run of hits holding every distinct term that
// occurs among them (the first such run), returning its first and last
// index and the number of distinct terms.
func minWindow(hits []token) (lo, hi, distinct int) {
	want := map[string]bool{}
	for _, h := range hits {
		want[h.Term] = true
	}
	if len(want) == 0 {
		return 0, 0, 0
	}
	count := map[string]int{}
	have, best := 0, -1
	l := 0
	for r, h := range hits {
		if count[h.Term] == 0 {
			have++
		}
		count[h.Term]++
		for have == len(want) {
			if span := hits[r].Pos - hits[l].Pos; best < 0 || span < best {
				best, lo, hi = span, l, r
			}
			count[hits[l].Term]--
			if count[hits[l].Term] == 0 {
				have--
			}
			l++
		}
	}
	return lo, hi, len(want)
}

// runeIndex is strings.Index on runes.
func runeIndex(s, sub []rune) int {
	if len(sub) == 0 {
		return -1
	}
outer:
	for i := 0; i+len(sub) <= len(s); i++ {
		for j, r := range sub {
			if s[i+j] != r {
				continue outer
			}
		}
		return i
	}
	return -1
}

// quote returns the words of text that m found for a quote the text does
// not hold verbatim: its window of hits, when that holds at least half the
// query's text terms (three or more) and is not much longer than the
// query; "" otherwise.
func (p *plan) quote(text string, m match) string {
	n := len(p.text)
	if m.phrase || n < 3 || 2*m.near < n || m.end-m.start > 2*len(p.phrase)+8 {
		return ""
	}
	rs := []rune(text)
	return string(rs[m.start:m.end])
}

// snippet renders the part of text around m as HTML: escaped, whitespace
// collapsed, every occurrence of the phrase or a query term in <mark>.
func (p *plan) snippet(text string, m match) string {
	rs := []rune(text)
	n := len(rs)
	from := 0
	if m.start > snippetLead {
		from = m.start - snippetLead
	}
	to := min(n, from+snippetLen)
	if to-from < snippetLen {
		from = max(0, to-snippetLen)
	}

	// ranges to mark, in rune offsets
	var marks [][2]int
	norm, offs := normalize(text)
	if ph := p.phrase; len(ph) > 0 {
		for i := 0; ; {
			k := p.phraseIndex(norm, i)
			if k < 0 {
				break
			}
			marks = append(marks, [2]int{offs[k], offs[k+len(ph)-1] + 1})
			i = k + len(ph)
		}
	}
	analyze(text, func(t token) {
		if slices.Contains(p.text, string(fieldByteText)+t.Term) {
			marks = append(marks, [2]int{t.Start, t.End})
		}
	})
	for i, r := range rs {
		if slices.Contains(p.chars, fold(r)) {
			marks = append(marks, [2]int{i, i + 1})
		}
	}
	slices.SortFunc(marks, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	var merged [][2]int
	for _, r := range marks {
		if k := len(merged) - 1; k >= 0 && r[0] <= merged[k][1] {
			merged[k][1] = max(merged[k][1], r[1])
			continue
		}
		merged = append(merged, r)
	}

	var sb strings.Builder
	if from > 0 {
		sb.WriteString("…")
	}
	mi, open, space := 0, false, false
	for i := from; i < to; i++ {
		for mi < len(merged) && merged[mi][1] <= i {
			mi++
		}
		if !open && mi < len(merged) && merged[mi][0] <= i {
			sb.WriteString("<mark>")
			open = true
		}
		r := rs[i]
		if r <= ' ' {
			if !space {
				sb.WriteByte(' ')
			}
			space = true
		} else {
			space = false
			writeEscaped(&sb, r)
		}
		if open && (i+1 == to || merged[mi][1] == i+1) {
			sb.WriteString("</mark>")
			open = false
		}
	}
	if to < n {
		sb.WriteString("…")
	}
	return sb.String()
}

func writeEscaped(sb *strings.Builder, r rune) {
	switch r {
	case '&':
		sb.WriteString("&amp;")
	case '<':
		sb.WriteString("&lt;")
	case '>':
		sb.WriteString("&gt;")
	case '"':
		sb.WriteString("&quot;")
	case '\'':
		sb.WriteString("&#39;")
	default:
		sb.WriteRune(r)
	}
}

// Common terms: a query's first look leaves out the terms in more than
// commonDocs documents when at least minRare of its required terms are in
// fewer (commonTerms). It is a number of documents, not a share of them,
// because what it bounds is what a client reads: a list of 20,000
// postings is about 34 KB, and the common terms' lists are the longest a
// query reads (ten times longer in an archive ten times as large) while
// their idf is the smallest. The rarer terms narrow the candidates nearly
// as well without them, and the phrase check reads them in the texts.
// When none of the texts checked holds the phrase, the query is looked at
// again with every term (exactly as without this). The export writes
// commonDocs into the manifest, which client.js follows; a variable so
// that tests can make small indexes' terms common.
var commonDocs = 20000

const minRare = 2

// commonTerms returns the indexes of p's terms that a first look leaves
// out, given each term's postings: none, unless minRare required terms
// are in 1..common documents; then those in more than common.
func commonTerms(p plan, post []postingList, common int) []int {
	if common <= 0 {
		return nil
	}
	rare := 0
	for i, t := range p.terms {
		if df := len(post[i].ids); t.required && df > 0 && df <= common {
			rare++
		}
	}
	if rare < minRare {
		return nil
	}
	var out []int
	for i := range p.terms {
		if len(post[i].ids) > common {
			out = append(out, i)
		}
	}
	return out
}
