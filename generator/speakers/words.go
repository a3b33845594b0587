package speakers

import (
	"iter"
	"math"
	"sort"
	"strings"
	"unicode"
)

// The words that set a speaker apart are found by Dunning's log-likelihood
// ratio (G²) of each term's count in the speaker's speech against its count
// in the rest of the archive: a standard keyness measure that, unlike a
// ratio of frequencies, does not crown a term a speaker said twice.
//
// Chinese is written without spaces, so a Chinese term is a bigram of
// adjacent Han characters (most Chinese words are two characters long); an
// English term is a word. The search package's analysis is not used: it
// folds Traditional characters to Simplified and stems English, which is
// right for matching and wrong for showing a reader what was said.
//
// A bigram is often a piece of a longer word (放政 of 開放政府). After
// ranking, each chosen bigram is therefore extended by the character
// before or after it when one character accounts for most of its
// occurrences in the speaker's speech, so 放政 is shown as 開放政府 and
// merged with the other pieces of that word.

// Term is a word that sets a speaker apart, most distinctive first.
type Term struct {
	Text  string `toml:"text"`
	Count int    `toml:"n"`              // how often the speaker said it (for an extended bigram, at least)
	Lang  string `toml:"lang,omitempty"` // "en" for an English word; "" for Chinese
}

// Thresholds of Distinctive.
var (
	// minSpoken is how many terms a speaker must have said for their
	// distinctive words to mean anything; fewer, and Distinctive says none.
	// A variable only so tests can use small texts.
	minSpoken int64 = 1000
)

const (
	// minCount is how often a term must be said to be shown.
	minCount = 5
	// minLLR is G² at p < 0.001 with one degree of freedom.
	minLLR = 10.83
	// extendShare is the share of a bigram's occurrences one neighbouring
	// character must have for the bigram to be extended by it.
	extendShare = 0.75
)

// Corpus is the archive's count of every term: the sum of bags that
// between them hold every turn once, whether or not their speakers' words
// are wanted. Counts are sums, so bags may be filled in parallel and added
// in any order.
type Corpus struct {
	total map[uint64]int64 // term → count in the archive
	n     [2]int64         // terms in the archive, by script (script)
}

// Bag is the terms of some speech: one speaker's, or a part of it, or the
// speech of speakers whose words are not wanted.
type Bag struct {
	terms    map[uint64]termStat
	n        [2]int64 // by script
	meetings int32    // meetings added, for each term's spread
}

type termStat struct {
	n, meetings, last int32 // count; meetings it was said in; the last of them
}

// NewCorpus returns an empty corpus.
func NewCorpus() *Corpus { return &Corpus{total: map[uint64]int64{}} }

// Add adds the counts of b to the archive's.
func (c *Corpus) Add(b *Bag) {
	for key, s := range b.terms {
		c.total[key] += int64(s.n)
	}
	c.n[0] += b.n[0]
	c.n[1] += b.n[1]
}

// NewBag returns an empty bag.
func NewBag() *Bag { return &Bag{terms: map[uint64]termStat{}} }

// Meeting starts a new meeting in the bag: the terms added next count
// towards the meetings each term was said in.
func (b *Bag) Meeting() { b.meetings++ }

// Add counts the terms of text.
func (b *Bag) Add(text string) {
	scanTerms(text, func(key uint64) {
		s := b.terms[key]
		s.n++
		if s.last != b.meetings {
			s.last = b.meetings
			s.meetings++
		}
		b.terms[key] = s
		b.n[script(key)]++
	})
}

// Merge adds the counts of o, the same speaker's speech in other meetings,
// to b. Nothing may be added to b afterwards: which terms were said in its
// last meeting is lost.
func (b *Bag) Merge(o *Bag) {
	for key, s := range o.terms {
		t := b.terms[key]
		t.n += s.n
		t.meetings += s.meetings
		b.terms[key] = t
	}
	b.n[0] += o.n[0]
	b.n[1] += o.n[1]
	b.meetings += o.meetings
}

// wordKey is the key of an English word: a hash of it in lower case (FNV-1a,
// 62 bits), so that bags need no shared vocabulary. Two of the archive's
// words sharing one is about as likely as one in ten million.
func wordKey(w string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h & (bigramBit - 1)
}

// wordForm is how an English word as written may be shown: in lower case,
// unless it has capitals after its first letter (AI, PDIS, iPhone); a
// capital that only starts a sentence does not count.
func wordForm(w string) string {
	if strings.ToLower(w[1:]) != w[1:] {
		return w
	}
	return strings.ToLower(w)
}

// bigramBit marks a key as a Han bigram: the two runes are packed below it.
const bigramBit = 1 << 62

func bigramKey(a, b rune) uint64 { return bigramBit | uint64(a)<<21 | uint64(b) }

// script is 1 for a Han bigram and 0 for an English word. Each term is
// weighed against the archive's terms of its own script: most of the
// archive's English is one speaker's, and against all the Chinese every
// English word of theirs would look distinctive.
func script(key uint64) int { return int(key >> 62 & 1) }

// LLR is Dunning's log-likelihood ratio G² of a term said a times in n
// terms of one text and b times in m terms of another.
func LLR(a, n, b, m float64) float64 {
	e1 := n * (a + b) / (n + m)
	e2 := m * (a + b) / (n + m)
	g := 0.0
	if a > 0 {
		g += a * math.Log(a/e1)
	}
	if b > 0 {
		g += b * math.Log(b/e2)
	}
	return 2 * g
}

// Distinctive returns up to k terms the speaker of b uses more than the
// rest of the archive, most distinctive first: said at least minCount
// times, in at least two of their meetings when they spoke at more than
// one, and significant at p < 0.001. texts are the speaker's texts again,
// in order, read once to extend bigrams into the words they are part of
// and to find how each English word was written (context). It only
// reads the corpus, so it may run for many speakers at once.
func (c *Corpus) Distinctive(b *Bag, k int, texts iter.Seq[string]) []Term {
	if b == nil || b.n[0]+b.n[1] < minSpoken {
		return nil
	}
	type cand struct {
		key   uint64
		score float64
		n     int32
	}
	spread := min(int32(2), b.meetings)
	var cands []cand
	for key, s := range b.terms {
		if s.n < minCount || s.meetings < spread {
			continue
		}
		sc := script(key)
		n, m := float64(b.n[sc]), float64(c.n[sc]-b.n[sc])
		a, rest := float64(s.n), float64(c.total[key]-int64(s.n))
		if a/n <= rest/m {
			continue // said less than elsewhere: not what sets them apart
		}
		if g := LLR(a, n, rest, m); g >= minLLR {
			cands = append(cands, cand{key, g, s.n})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].key < cands[j].key
	})
	// Room for the pieces of one word that merge when extended.
	if len(cands) > 3*k {
		cands = cands[:3*k]
	}
	ctx := &context{bigrams: map[uint64]*neighbours{}, words: map[uint64]*forms{}}
	for _, cd := range cands {
		if cd.key&bigramBit != 0 {
			ctx.bigrams[cd.key] = &neighbours{left: map[rune]int32{}, right: map[rune]int32{}}
		} else {
			ctx.words[cd.key] = &forms{}
		}
	}
	if texts != nil {
		for t := range texts {
			ctx.read(t)
		}
	}
	terms := make([]Term, 0, len(cands))
	rank := make([]int, 0, len(cands)) // the best place among the pieces of a word
	for _, cd := range cands {
		if cd.key&bigramBit == 0 {
			form := ctx.words[cd.key].shown()
			if form == "" {
				continue // not in texts: it cannot be shown
			}
			terms = append(terms, Term{Text: form, Count: int(cd.n), Lang: "en"})
		} else {
			text, n := ctx.bigrams[cd.key].extend(cd.key, cd.n)
			terms = append(terms, Term{Text: text, Count: n})
		}
		rank = append(rank, len(rank))
	}
	// A term mostly said as part of a longer one (開放政 of 開放政府) is that
	// word: it goes, and the word takes its place if better.
	gone := make([]bool, len(terms))
	for i := range terms {
		for j := range terms {
			if i != j && terms[j].Text != terms[i].Text && strings.Contains(terms[j].Text, terms[i].Text) &&
				float64(terms[j].Count) >= extendShare*float64(terms[i].Count) {
				gone[i] = true
				rank[j] = min(rank[j], rank[i])
			}
		}
	}
	order := make([]int, 0, len(terms))
	for i := range terms {
		if !gone[i] {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return rank[order[a]] < rank[order[b]] })
	var out []Term
	seen := map[string]bool{}
	for _, i := range order {
		if seen[terms[i].Text] {
			continue
		}
		seen[terms[i].Text] = true
		out = append(out, terms[i])
		if len(out) == k {
			break
		}
	}
	return out
}

// context is what Distinctive reads again in a speaker's texts: the
// characters beside each chosen bigram, and the forms each chosen English
// word was written in.
type context struct {
	bigrams map[uint64]*neighbours
	words   map[uint64]*forms
}

// forms tallies how a speaker wrote one English word (wordForm), in the
// order first written.
type forms struct {
	text []string
	n    []int
}

func (f *forms) add(form string) {
	for i, t := range f.text {
		if t == form {
			f.n[i]++
			return
		}
	}
	f.text, f.n = append(f.text, form), append(f.n, 1)
}

// shown is the form a word is shown in: the one the speaker wrote most
// often, the first of equals; "" when it was never seen. Upper and lower
// case are one word to count, so this is what shows a speaker's "AI" as
// such though a sentence of theirs begins "Ai".
func (f *forms) shown() string {
	best := -1
	for i, n := range f.n {
		if best < 0 || n > f.n[best] {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return f.text[best]
}

// read tallies one text.
func (x *context) read(text string) {
	scan(text, func(run []rune) {
		for i := 0; i+1 < len(run); i++ {
			nb := x.bigrams[bigramKey(run[i], run[i+1])]
			if nb == nil {
				continue
			}
			var l, r rune
			if i > 0 {
				l = run[i-1]
			}
			if i+2 < len(run) {
				r = run[i+2]
			}
			nb.left[l]++
			nb.right[r]++
		}
	}, func(w string) {
		// Only what was counted: a speaker's "us" is no form of their "US".
		if fs, ok := x.words[wordKey(w)]; ok && isWord(w) {
			fs.add(wordForm(w))
		}
	})
}

// neighbours tallies the characters on either side of a bigram; 0 stands
// for the edge of a run of Han characters.
type neighbours struct {
	left, right map[rune]int32
}

// extend returns the bigram with the character before and after it that
// most of its n occurrences share, if any, and how often that longer form
// was said (at least).
func (nb *neighbours) extend(key uint64, n int32) (string, int) {
	a, b := rune(key>>21&(1<<21-1)), rune(key&(1<<21-1))
	text, count := string([]rune{a, b}), n
	if nb == nil {
		return text, int(count)
	}
	if r, c := dominant(nb.left, n); r != 0 {
		text, count = string(r)+text, c
	}
	if r, c := dominant(nb.right, n); r != 0 {
		text, count = text+string(r), min(count, c)
	}
	return text, int(count)
}

// dominant returns the character with at least extendShare of n, and its
// count, or 0.
func dominant(tally map[rune]int32, n int32) (rune, int32) {
	for r, c := range tally {
		if r != 0 && float64(c) >= extendShare*float64(n) && !stopRune[r] {
			return r, c
		}
	}
	return 0, 0
}

// scanTerms calls emit with the key of every term of text: each bigram of
// a run of Han characters that has no stop character and is no stop word,
// and each English word of three letters or more (two, for an acronym
// such as AI) that is no stop word and not a number.
func scanTerms(text string, emit func(uint64)) {
	scan(text, func(run []rune) {
		stop := stopRune[run[0]]
		for i := 0; i+1 < len(run); i++ {
			next := stopRune[run[i+1]]
			if key := bigramKey(run[i], run[i+1]); !stop && !next && !stopBigram[key] {
				emit(key)
			}
			stop = next
		}
	}, func(w string) {
		if isWord(w) {
			emit(wordKey(w))
		}
	})
}

// scan calls han with every run of Han characters of text and latin with
// every run of ASCII letters and digits. The run is reused: han must not
// keep it.
func scan(text string, han func(run []rune), latin func(w string)) {
	var buf [64]rune
	run := buf[:0]
	start := -1 // byte offset of the current Latin word
	for i, r := range text {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			latin(text[start:i])
			start = -1
		}
		if isHan(r) {
			run = append(run, r)
			continue
		}
		if len(run) > 1 {
			han(run)
		}
		run = run[:0]
	}
	if start >= 0 {
		latin(text[start:])
	}
	if len(run) > 1 {
		han(run)
	}
}

// isHan is unicode.Is(unicode.Han, r), answered at once for the ranges
// nearly every character of the archive is in.
func isHan(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	}
	return unicode.Is(unicode.Han, r)
}

// isWord tells whether a run of letters and digits is a term: three
// letters or more (two, for an acronym such as AI), no stop word and not a
// number.
func isWord(w string) bool {
	if len(w) < 2 || len(w) == 2 && (isLower(w[0]) || isLower(w[1])) || strings.Trim(w, "0123456789") == "" {
		return false
	}
	var buf [32]byte
	if len(w) > len(buf) {
		return !stopWord[strings.ToLower(w)]
	}
	low := buf[:len(w)]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return !stopWord[string(low)]
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// stopRune are Han characters that are particles, pronouns or fillers: a
// bigram holding one is a grammatical joint (的資 of 開放的資料), not a word.
var stopRune = runeSet("的了嗎呢吧啊喔嗯啦哦欸呀哈耶唷噢嘛我你妳他她它們這那就也都是在很還跟")

// stopBigram are common two-character function words and fillers of
// spoken Chinese, by key.
var stopBigram = bigramSet(`一個 一些 一下 一樣 一直 一定 不過 不會 不要 不能 以及 以後 以前 可以 可能 應該 因為 所以 然後 如果 其實
	沒有 什麼 為什 怎麼 這麼 那麼 時候 已經 或是 或者 而且 但是 還有 覺得 知道 現在 剛剛 剛才 謝謝 好的 對於 關於 所謂 當然 等等
	部分 大家 自己 有些 有一 一點 之後 之前 如何 為何 只是 只有 就會 這樣 那樣 一起 還是 而言 來說 比較 非常 一種 各位 今天 好像
	需要 看到 希望 進行 相關 問題 方面 目前 不同 同時 不只 事情 東西 地方 意思 對不 不起 可是 另外 最後 首先 接下 下來 起來`)

// stopWord are English function words and the fillers of speech.
var stopWord = wordSet(`the and for are but not you all any can had her was one our out has him his how its may new now old see two
	who did get got let put say she too use way from have this that with they them then than there their these those what when where
	which while will would could should shall into onto upon about above after again also been being both each few more most much
	other some such only own same just very here over under until why because does doing done ours your yours yourself itself
	himself herself myself ourselves themselves were whom whose ever even well yes yeah okay like really know think going thing
	things mean right sure lot lots said says saying kind sort actually basically maybe something anything everything nothing
	someone anyone everyone people way ways make makes made take takes want wants need needs come comes look looks good great
	thank thanks just also able first second many every through during before between within without among per via etc
	don doesn didn isn aren wasn weren couldn wouldn shouldn won haven hasn laughs laughter applause`)

func runeSet(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

func bigramSet(s string) map[uint64]bool {
	m := map[uint64]bool{}
	for _, w := range strings.Fields(s) {
		r := []rune(w)
		m[bigramKey(r[0], r[1])] = true
	}
	return m
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
