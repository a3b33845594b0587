package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// The analysis below is implemented twice, here and in client/client.js,
// and the two must agree token for token (TestAnalysisAgreement checks a
// table of texts). It is therefore a small set of rules that are easy to
// state exactly, rather than bleve's Unicode word segmenter, whose tables a
// browser cannot reproduce:
//
//  1. Fold each code point: full-width ASCII (U+FF01–U+FF5E) to ASCII, the
//     ideographic space to a space, then lower-case it (simple mapping),
//     then a Han character to the one form of its variants (variants.go:
//     臺 and 台 to 台, Traditional to Simplified).
//  2. Classify it: CJK (Han, Hiragana, Katakana, Bopomofo), word (any other
//     letter, mark or number) or separator.
//  3. A run of word code points is one token; a run of ASCII letters is
//     Porter-stemmed.
//  4. A run of CJK code points yields its overlapping bigrams.
//  5. When indexing, the last code point of every CJK run is a token too
//     (a unigram). Every occurrence of a CJK character then starts exactly
//     one indexed term, a bigram or a unigram, so the terms beginning with
//     a character count its occurrences: that is how a one-character query
//     is answered, without indexing every character alone. A query does
//     not add these unigrams (a fragment's last character need not end a
//     run in the document); its lone CJK characters become such
//     character lookups.

// Token kinds.
const (
	kindWord    = 1 // a word run (stemmed if ASCII letters)
	kindBigram  = 2 // two adjacent CJK code points
	kindUnigram = 3 // the last CJK code point of a run (indexing), or a lone one (query)
)

// token is one analysed term with the rune offsets of the text it covers.
type token struct {
	Term       string
	Kind       int
	Pos        int // 0-based position in the token stream
	Start, End int // rune offsets in the source text, End exclusive
}

// character classes
const (
	classSep = iota
	classWord
	classCJK
)

// fold maps a code point to its search form.
func fold(r rune) rune {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return foldVariant(unicode.ToLower(r))
}

func classify(r rune) int {
	if r < 0x80 {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			return classWord
		}
		return classSep
	}
	switch {
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo):
		return classCJK
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		return classWord
	}
	return classSep
}

// analyze splits a query or a document text, as a query would see it, into
// tokens (no indexing unigrams) and calls emit for each, in order.
func analyze(text string, emit func(token)) {
	scan(text, false, func(kind int, term []byte, pos, start, end int) {
		emit(token{Term: string(term), Kind: kind, Pos: pos, Start: start, End: end})
	})
}

// scan tokenises text; indexing adds the unigram ending each CJK run. It
// does not allocate per token: term is valid only during the call.
func scan(text string, indexing bool, emit func(kind int, term []byte, pos, start, end int)) {
	var run []rune
	var buf []byte
	runStart, runClass, pos := 0, classSep, 0
	flush := func(end int) {
		n := len(run)
		switch {
		case n == 0:
		case runClass == classWord:
			buf = buf[:0]
			letters := true
			for _, r := range run {
				buf = utf8.AppendRune(buf, r)
				letters = letters && r >= 'a' && r <= 'z'
			}
			if letters {
				buf = stemBytes(buf)
			}
			emit(kindWord, buf, pos, runStart, end)
			pos++
		default:
			for i := 0; i+1 < n; i++ {
				buf = utf8.AppendRune(buf[:0], run[i])
				buf = utf8.AppendRune(buf, run[i+1])
				emit(kindBigram, buf, pos, runStart+i, runStart+i+2)
				pos++
			}
			if indexing || n == 1 {
				buf = utf8.AppendRune(buf[:0], run[n-1])
				emit(kindUnigram, buf, pos, end-1, end)
				pos++
			}
		}
		run = run[:0]
	}
	i := 0
	for _, r := range text {
		f := fold(r)
		c := classify(f)
		if c != runClass {
			flush(i)
			runClass, runStart = c, i
		}
		if c != classSep {
			run = append(run, f)
		}
		i++
	}
	flush(i)
}

// normalize folds text the way analyze does and replaces every separator
// run by one space, so that a query can be found verbatim in a document by
// substring search. It returns the folded runes and, for each, its rune
// offset in text.
func normalize(text string) ([]rune, []int) {
	out := make([]rune, 0, len(text))
	offs := make([]int, 0, len(text))
	i := 0
	sep := true // drop leading separators
	for _, r := range text {
		f := fold(r)
		if classify(f) == classSep {
			if !sep {
				out = append(out, ' ')
				offs = append(offs, i)
			}
			sep = true
		} else {
			out = append(out, f)
			offs = append(offs, i)
			sep = false
		}
		i++
	}
	if n := len(out); n > 0 && out[n-1] == ' ' {
		out, offs = out[:n-1], offs[:n-1]
	}
	return out, offs
}

// textAnalyzer is the name under which the indexing analysis is registered
// with bleve; the index mapping refers to it, so it is part of the format.
const textAnalyzer = "ogarchive-text"

// tokenizer adapts scan to bleve.
type tokenizer struct{}

func (tokenizer) Tokenize(input []byte) analysis.TokenStream {
	text := string(input)
	// Terms share one backing array; bleve keeps no offsets without term
	// vectors, so none are computed.
	back := make([]byte, 0, len(text)*2)
	toks := make([]analysis.Token, 0, len(text)/3)
	scan(text, true, func(_ int, term []byte, pos, _, _ int) {
		n := len(back)
		back = append(back, term...)
		toks = append(toks, analysis.Token{Term: back[n:len(back):len(back)], Position: pos + 1, Type: analysis.Ideographic})
	})
	ts := make(analysis.TokenStream, len(toks))
	for i := range toks {
		ts[i] = &toks[i]
	}
	return ts
}

func init() {
	must(registry.RegisterTokenizer(textAnalyzer, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return tokenizer{}, nil
	}))
	must(registry.RegisterAnalyzer(textAnalyzer, func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) {
		t, err := c.TokenizerNamed(textAnalyzer)
		if err != nil {
			return nil, err
		}
		return &analysis.DefaultAnalyzer{Tokenizer: t}, nil
	}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
