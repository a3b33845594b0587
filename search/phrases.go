package search

import (
	"slices"
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"
)

// Mainland vocabulary. A reader used to mainland terms types 数字发展部
// for 數位發展部, 软件 for 軟體, 信息 for 資訊: different words, not
// different characters, so folding cannot join them. OpenCC's Taiwan
// phrase table (TWPhrases, the one s2twp applies after converting
// characters) names the Taiwan word for each mainland one. A query that
// holds one of them is run a second time with the Taiwan words in their
// place, and the two result lists are merged (alternatives).
//
// The second run is weighted a little below the first (altShift), so
// where both spellings occur, as 數字 (numbers) and 數位 (digital) do in
// Taiwan, what the reader typed comes first, and only where the typed
// words do not occur does the Taiwan word lead.

// maxPhrase bounds the phrase keys, in runes (OpenCC's longest is 7).
const maxPhrase = 8

// phraseTable maps a mainland phrase to its Taiwan phrase, both folded
// (fold is a function of each rune, so folded keys match folded queries
// and a folded replacement analyses as the unfolded one would). Entries
// that folding alone already joins are left out.
var phraseTable = sync.OnceValue(func() map[string]string {
	cc, err := opencc.New("s2twp")
	if err != nil || len(cc.DictChains) < 2 || len(cc.DictChains[1].Dicts) == 0 {
		panic("search: OpenCC s2twp has no Taiwan phrase table") // embedded data: cannot fail at run time
	}
	table := map[string]string{}
	for _, d := range cc.DictChains[1].Dicts {
		for _, id := range d.Trie.PrefixPredict(nil, 0) {
			k, err1 := d.Trie.Key(id)
			v, err2 := d.Trie.Value(id)
			if err1 != nil || err2 != nil || v < 0 || v >= len(d.Values) {
				continue
			}
			key := foldName(string(k))
			if n := len([]rune(key)); n < 2 || n > maxPhrase {
				continue
			}
			// the first Taiwan form that is not the key itself: 數字 lists 數字 then 數位
			for _, alt := range d.Values[v] {
				if f := foldName(alt); f != key {
					table[key] = f
					break
				}
			}
		}
	}
	return table
})

// altShift weights an alternative's scores: score - score>>altShift.
const altShift = 3

// alternatives returns the queries to run for q: q itself and, when it
// holds mainland phrases, q folded with each replaced by its Taiwan
// phrase, longest match first from the left. Literal options skip it
// (Searcher.run).
func alternatives(q string) []string {
	table := phraseTable()
	rs := []rune(foldName(q))
	var out []rune
	changed := false
	for i := 0; i < len(rs); {
		n := 0
		for k := min(maxPhrase, len(rs)-i); k >= 2; k-- {
			if v, ok := table[string(rs[i:i+k])]; ok {
				out = append(out, []rune(v)...)
				n = k
				changed = true
				break
			}
		}
		if n == 0 {
			out = append(out, rs[i])
			n = 1
		}
		i += n
	}
	if !changed {
		return []string{q}
	}
	return []string{q, string(out)}
}

// phrasesText is the table as the client reads it: "key\tvalue\n" lines,
// in key order.
func phrasesText() []byte {
	table := phraseTable()
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sb strings.Builder
	for _, k := range keys {
		sb.WriteString(k)
		sb.WriteByte('\t')
		sb.WriteString(table[k])
		sb.WriteByte('\n')
	}
	return []byte(sb.String())
}
