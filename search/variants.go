package search

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Character variants. Readers type 台 for 臺, Simplified for Traditional,
// 裏 for 裡; the archive writes one of them. Analysis folds every Han code
// point to one form of its variant set, the Simplified one (Traditional to
// Simplified is many to one, so the fold is a function), in the index and
// in queries alike. The table comes from OpenCC's dictionaries: Taiwan and
// Hong Kong variants and Traditional characters to Simplified, a character
// at a time, so that a fold keeps every rune offset (highlighting marks the
// characters as the transcript spells them). Phrase conversions
// (数字 → 數位) are not folds of characters; phrases.go runs them as a
// second query.
//
// The client folds with the same table, which the export publishes with
// the phrase table in the export (variantsFile).

// variantLo and variantHi bound the code points looked up: CJK Extension A,
// the Unified Ideographs and the Compatibility Ideographs, where OpenCC's
// character tables have all but a handful of their entries.
const (
	variantLo = 0x3400
	variantHi = 0xFAFF
)

// variantTable is the fold of each code point in [variantLo, variantHi],
// 0 where a code point folds to itself; built on first use (about 0.1 s).
var variantTable = sync.OnceValue(func() []rune {
	table := make([]rune, variantHi-variantLo+1)
	var convs []*opencc.OpenCC
	for _, c := range []string{"tw2s", "hk2s"} {
		cc, err := opencc.New(c)
		if err != nil {
			panic("search: OpenCC " + c + ": " + err.Error()) // embedded data: cannot fail at run time
		}
		convs = append(convs, cc)
	}
	one := func(r rune) rune {
		s := string(r)
		for _, cc := range convs {
			out, err := cc.Convert(s)
			if err != nil || out == s || utf8.RuneCountInString(out) != 1 {
				continue
			}
			v, _ := utf8.DecodeRuneInString(out)
			return v
		}
		return r
	}
	for r := rune(variantLo); r <= variantHi; r++ {
		if v := one(r); v != r {
			table[r-variantLo] = v
		}
	}
	// Follow chains (a → b → c) so that folding twice is folding once.
	for i, v := range table {
		for n := 0; v != 0 && v >= variantLo && v <= variantHi && table[v-variantLo] != 0 && table[v-variantLo] != v && n < 8; n++ {
			v = table[v-variantLo]
		}
		table[i] = v
	}
	for i, v := range table {
		if v == rune(i+variantLo) {
			table[i] = 0
		}
	}
	return table
})

// foldVariant maps a Han code point to the form its variant set folds to.
func foldVariant(r rune) rune {
	if r < variantLo || r > variantHi {
		return r
	}
	if v := variantTable()[r-variantLo]; v != 0 {
		return v
	}
	return r
}

// variantsBytes is the table as the client reads it: for each code point
// that folds to another, in code point order, the gap from the previous
// one as a uvarint, then the fold's distance from it, zigzag-encoded as a
// uvarint (the pairs of the Unicode blocks are near each other: half the
// size of the pairs as UTF-8 text, once compressed).
func variantsBytes() []byte {
	var out []byte
	prev := rune(0)
	for i, v := range variantTable() {
		if v == 0 {
			continue
		}
		r := rune(i + variantLo)
		out = binary.AppendUvarint(out, uint64(r-prev))
		d := int64(v - r)
		out = binary.AppendUvarint(out, uint64(d<<1^d>>63))
		prev = r
	}
	return out
}

// variantsFile is the export's copy of the variant and phrase tables, for
// the client, before compression (about 15 KB after): the length of
// variantsBytes as a uvarint, variantsBytes, then phrasesText.
func variantsFile() []byte {
	pairs := variantsBytes()
	out := binary.AppendUvarint(nil, uint64(len(pairs)))
	return append(append(out, pairs...), phrasesText()...)
}
