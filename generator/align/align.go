// Package align pairs the turns of a transcript with the turns of its
// translation (a pair of `.alternates`), so that every turn can link to its
// twin and the two can be read side by side.
//
// Most pairs are translated turn for turn: when both have as many turns and
// the same pattern of speakers (who speaks first, second, again…, whatever
// their names are in either language), turns are paired by order. Otherwise
// a monotone alignment (dynamic programming, as sentence aligners do) pairs
// them on who speaks (a mapping of one language's speakers to the other's,
// learnt from a first pass), on length (relative to the pair's own ratio of
// English to Chinese characters) and on what translations keep as written:
// numbers, URLs and Latin-script names. A turn split in two in one language
// pairs both halves with the one turn of the other.
//
// The result says whether it is sure. A pair it is not sure of is reported,
// never linked: a wrong twin link sends a reader to another passage, which
// is worse than none.
package align

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/ogarchive/ogarchive/generator/model"
)

// Method says how a pair's turns were paired.
type Method string

// Methods.
const (
	ByOrder     Method = "order"     // same count and pattern of speakers: turn i with turn i
	ByAlignment Method = "alignment" // the monotone alignment
)

// Result is the alignment of the turns of a (English) with those of b.
type Result struct {
	Method Method
	// A[i] is 1 + the index in b of the twin of a's turn i, 0 when it has
	// none; B likewise for b's turns. A turn split in two in one language
	// has both halves pointing at the one turn, which points at the first.
	A, B []int
	// Sure reports whether the pairing can be published. When false, A and
	// B hold the best alignment found, for the report, and Problem says
	// what is wrong, at turn ProblemA of a and ProblemB of b (indices, -1
	// when on one side only).
	Sure               bool
	Problem            string
	ProblemA, ProblemB int
}

// Linked counts the turns of both sides that have a twin.
func (r *Result) Linked() int {
	n := 0
	for _, v := range r.A {
		if v > 0 {
			n++
		}
	}
	for _, v := range r.B {
		if v > 0 {
			n++
		}
	}
	return n
}

// unit is what the alignment knows of a turn.
type unit struct {
	speaker string  // merged speaker key, else the label; "" for narrative segments
	narr    bool    // a narrative segment rather than a speaker turn
	size    float64 // characters of speech
	tokens  []string
}

func units(turns []model.Turn) []unit {
	us := make([]unit, len(turns))
	for i := range turns {
		t := &turns[i]
		text := t.SpeechText()
		us[i] = unit{speaker: speakerOf(t), narr: t.Ordinal == 0, tokens: anchors(text)}
		for _, r := range text {
			if !unicode.IsSpace(r) {
				us[i].size++
			}
		}
	}
	return us
}

// speakerOf is the identity a turn is spoken by, as the alignment compares
// it: the merged speaker, else the label as written.
func speakerOf(t *model.Turn) string {
	if t.Ordinal == 0 {
		return ""
	}
	if t.Speaker != "" {
		return t.Speaker
	}
	return t.Label
}

// pattern is the order in which speakers first speak, one number per turn
// (-1 for narrative segments): A B A C → 0 1 0 2. It is what a translation
// keeps whatever the names become.
func pattern(us []unit) []int {
	seen := map[string]int{}
	out := make([]int, len(us))
	for i, u := range us {
		if u.narr {
			out[i] = -1
			continue
		}
		n, ok := seen[u.speaker]
		if !ok {
			n = len(seen)
			seen[u.speaker] = n
		}
		out[i] = n
	}
	return out
}

// Turns aligns the turns of a (the English record) with those of b.
func Turns(a, b []model.Turn) Result {
	ua, ub := units(a), units(b)
	pa, pb := pattern(ua), pattern(ub)
	if len(ua) == len(ub) && equal(pa, pb) {
		r := Result{Method: ByOrder, A: make([]int, len(ua)), B: make([]int, len(ub)), Sure: true, ProblemA: -1, ProblemB: -1}
		for i := range r.A {
			r.A[i], r.B[i] = i+1, i+1
		}
		return r
	}
	s := newScorer(ua, ub)
	// First with the speakers paired in the order they first speak, and
	// little weight, since a turn in one language only upsets that order;
	// then with the pairing the first alignment shows.
	first := s.align(firstSpeakers(ua, pa, ub, pb), priorWeight)
	steps := s.align(s.mapping(first), 1)
	return s.judge(steps)
}

// firstSpeakers pairs the speakers of a and b by the order in which they
// first speak (their numbers in pattern).
func firstSpeakers(a []unit, pa []int, b []unit, pb []int) map[string]string {
	byNumber := map[int]string{}
	for j, n := range pb {
		if n >= 0 {
			byNumber[n] = b[j].speaker
		}
	}
	m := map[string]string{}
	for i, n := range pa {
		if sb, ok := byNumber[n]; ok && n >= 0 {
			m[a[i].speaker] = sb
		}
	}
	return m
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// step is one move of the alignment: na turns of a with nb turns of b,
// from a[i] and b[j] on.
type step struct{ i, j, na, nb int }

// Moves the alignment may make, with what each costs beyond its score.
// A skipped turn costs more than a poor match of two, so that only a turn
// with no counterpart at all is left out; a split turn costs a little,
// so that an equal count stays one to one.
const (
	skipCost  = 3.0
	splitCost = 1.0
	matchGain = 1.0
	// Speakers: agreeing under the learnt mapping, or disagreeing.
	speakerGain = 2.0
	speakerCost = 4.0
	// priorWeight scales the speaker terms on the first pass, whose pairing
	// of speakers is a guess.
	priorWeight = 0.25
	// lengthWeight scales the log-ratio of the two lengths, relative to
	// the pair's own ratio.
	lengthWeight = 1.5
	// anchorCap bounds what shared numbers, names and URLs can add.
	anchorCap = 3.0
)

type scorer struct {
	a, b  []unit
	ratio float64        // characters of a per character of b, over the pair
	df    map[string]int // in how many turns of b a token is, to weigh rare ones more
	words []map[string]bool
}

func newScorer(a, b []unit) *scorer {
	s := &scorer{a: a, b: b, df: map[string]int{}}
	var sa, sb float64
	for _, u := range a {
		sa += u.size
	}
	for _, u := range b {
		sb += u.size
		for _, t := range u.tokens {
			s.df[t]++
		}
	}
	s.ratio = (sa + 1) / (sb + 1)
	s.words = make([]map[string]bool, len(a))
	for i, u := range a {
		s.words[i] = make(map[string]bool, len(u.tokens))
		for _, t := range u.tokens {
			s.words[i][t] = true
		}
	}
	return s
}

// score is how well a[i:i+na] translates b[j:j+nb] (one side a single
// turn), under the speaker mapping m, whose terms count w times.
func (s *scorer) score(m map[string]string, w float64, st step) float64 {
	ua, ub := s.a[st.i:st.i+st.na], s.b[st.j:st.j+st.nb]
	if ua[0].narr != ub[0].narr {
		return math.Inf(-1)
	}
	// A split turn is the same speaker's, on both halves.
	for _, g := range [][]unit{ua, ub} {
		for _, u := range g[1:] {
			if u.narr || u.speaker != g[0].speaker {
				return math.Inf(-1)
			}
		}
	}
	sc := matchGain
	if st.na+st.nb > 2 {
		sc -= splitCost
	}
	if !ua[0].narr {
		switch {
		case ua[0].speaker == ub[0].speaker:
			sc += speakerGain // the same key in both: merged by speakers.toml
		case m[ua[0].speaker] == ub[0].speaker:
			sc += w * speakerGain
		default:
			sc -= w * speakerCost
		}
	}
	var la, lb float64
	for _, u := range ua {
		la += u.size
	}
	for _, u := range ub {
		lb += u.size
	}
	sc -= lengthWeight * math.Abs(math.Log((la+20)/(s.ratio*lb+20)))
	var anchor float64
	for k := range st.nb {
		for _, t := range ub[k].tokens {
			for h := range st.na {
				if s.words[st.i+h][t] {
					anchor += 1 / float64(s.df[t])
					break
				}
			}
		}
	}
	return sc + min(anchor, anchorCap)
}

// align is the best monotone alignment under the speaker mapping m, whose
// terms count w times.
func (s *scorer) align(m map[string]string, w float64) []step {
	n, k := len(s.a), len(s.b)
	best := make([][]float64, n+1)
	from := make([][]step, n+1)
	for i := range best {
		best[i] = make([]float64, k+1)
		from[i] = make([]step, k+1)
		for j := range best[i] {
			best[i][j] = math.Inf(-1)
		}
	}
	best[0][0] = 0
	moves := [][2]int{{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}}
	for i := 0; i <= n; i++ {
		for j := 0; j <= k; j++ {
			if math.IsInf(best[i][j], -1) {
				continue
			}
			for _, mv := range moves {
				st := step{i, j, mv[0], mv[1]}
				if i+st.na > n || j+st.nb > k {
					continue
				}
				var sc float64
				if st.na == 0 || st.nb == 0 {
					sc = -skipCost
				} else {
					sc = s.score(m, w, st)
				}
				if v := best[i][j] + sc; v > best[i+st.na][j+st.nb] {
					best[i+st.na][j+st.nb] = v
					from[i+st.na][j+st.nb] = st
				}
			}
		}
	}
	var steps []step
	for i, j := n, k; i > 0 || j > 0; {
		st := from[i][j]
		steps = append(steps, st)
		i, j = st.i, st.j
	}
	for l, r := 0, len(steps)-1; l < r; l, r = l+1, r-1 {
		steps[l], steps[r] = steps[r], steps[l]
	}
	return steps
}

// mapping is, for each speaker of a, the speaker of b its matched turns
// most often have: who they are called in the other language. It is one to
// one, the most frequent pairings first, so that two speakers of a are
// never taken for one of b: the turns of the second then disagree, and the
// pair is reported rather than linked by guess.
func (s *scorer) mapping(steps []step) map[string]string {
	votes := map[[2]string]int{}
	for _, st := range steps {
		if st.na == 0 || st.nb == 0 || s.a[st.i].narr {
			continue
		}
		votes[[2]string{s.a[st.i].speaker, s.b[st.j].speaker}]++
	}
	pairs := make([][2]string, 0, len(votes))
	for p := range votes {
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(i, j int) bool {
		if vi, vj := votes[pairs[i]], votes[pairs[j]]; vi != vj {
			return vi > vj
		}
		return pairs[i][0] < pairs[j][0] || pairs[i][0] == pairs[j][0] && pairs[i][1] < pairs[j][1]
	})
	m, taken := map[string]string{}, map[string]bool{}
	for _, p := range pairs {
		if _, ok := m[p[0]]; ok || taken[p[1]] {
			continue
		}
		m[p[0]], taken[p[1]] = p[1], true
	}
	return m
}

// judge turns the alignment into a Result, sure only when every speaker
// turn has a twin and every pair of twins is spoken by speakers the pair's
// mapping agrees on. Narrative segments (a title block, a note before the
// first speaker) may be in one language only.
func (s *scorer) judge(steps []step) Result {
	r := Result{Method: ByAlignment, A: make([]int, len(s.a)), B: make([]int, len(s.b)), Sure: true, ProblemA: -1, ProblemB: -1}
	m := s.mapping(steps)
	fail := func(i, j int, format string, args ...any) {
		if r.Sure {
			r.Sure, r.ProblemA, r.ProblemB, r.Problem = false, i, j, fmt.Sprintf(format, args...)
		}
	}
	for _, st := range steps {
		switch {
		case st.nb == 0:
			if !s.a[st.i].narr {
				fail(st.i, -1, "has no counterpart in the other language")
			}
			continue
		case st.na == 0:
			if !s.b[st.j].narr {
				fail(-1, st.j, "has no counterpart in the other language")
			}
			continue
		}
		ua, ub := s.a[st.i], s.b[st.j]
		if !ua.narr {
			if m[ua.speaker] != ub.speaker {
				fail(st.i, st.j, "is paired with a turn of another speaker")
			}
		}
		for h := range st.na {
			r.A[st.i+h] = st.j + 1
		}
		for h := range st.nb {
			r.B[st.j+h] = st.i + 1
		}
	}
	return r
}

// anchors are the tokens a translation keeps as written: numbers (digits,
// any width, thousands separators dropped), URLs and Latin-script words
// (names, acronyms), lower-cased.
func anchors(text string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || r > 0x7f && !isFullwidthAlnum(r)
	}) {
		f = strings.Map(narrow, f)
		if u := urlToken(f); u != "" {
			add(u)
			continue
		}
		for _, w := range strings.FieldsFunc(f, func(r rune) bool {
			return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == ',')
		}) {
			w = strings.Trim(w, ",")
			if w == "" {
				continue
			}
			if digits(strings.ReplaceAll(w, ",", "")) {
				w = strings.ReplaceAll(w, ",", "")
				if len(w) >= 2 { // single digits are spelled out in English
					add(w)
				}
				continue
			}
			for _, part := range strings.Split(w, ",") {
				if len(part) >= 2 {
					add(strings.ToLower(part))
				}
			}
		}
	}
	return out
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isFullwidthAlnum(r rune) bool {
	return r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ'
}

// narrow maps full-width digits and letters to ASCII.
func narrow(r rune) rune {
	if isFullwidthAlnum(r) {
		return r - '０' + '0'
	}
	return r
}

// urlToken is the host and path of a URL in f, without scheme, "www." or
// trailing punctuation; "" when f is not one.
func urlToken(f string) string {
	i := strings.Index(f, "://")
	if i < 0 {
		return ""
	}
	u := strings.TrimPrefix(f[i+3:], "www.")
	u = strings.TrimRight(u, "/.,;:)]")
	if u == "" {
		return ""
	}
	return "url:" + strings.ToLower(u)
}
