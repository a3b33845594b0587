package speakers

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestScanTerms(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string
	}{
		{"開放政府", "開放 放政 政府"},
		{"我們的資料", "資料"},                                    // stop characters and words go
		{"Open Data, AI and g0v 2024", "open data AI g0v"}, // acronyms stay, numbers and stop words go
		{"可以，然後。", ""},
		{"", ""},
	} {
		words := map[uint64]string{}
		for _, w := range strings.Fields(tc.want) {
			words[wordKey(w)] = w
		}
		var got []string
		scanTerms(tc.text, func(k uint64) {
			if k&bigramBit != 0 {
				got = append(got, string([]rune{rune(k >> 21 & (1<<21 - 1)), rune(k & (1<<21 - 1))}))
			} else {
				got = append(got, words[k])
			}
		})
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("scanTerms(%q) = %q, want %q", tc.text, g, tc.want)
		}
	}
}

func TestLLR(t *testing.T) {
	if g := LLR(10, 1000, 10, 1000); g > 1e-9 {
		t.Errorf("equal rates give G² %v, want 0", g)
	}
	if LLR(50, 1000, 10, 1000) <= LLR(20, 1000, 10, 1000) {
		t.Error("G² does not grow with the difference")
	}
}

// TestDistinctive reads each testdata/words/*.txt transcript and checks
// speaker A's distinctive words against the .want file beside it.
func TestDistinctive(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "words", "*.txt"))
	if len(files) == 0 {
		t.Fatal("no testdata/words/*.txt")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, bag, texts := loadTurns(t, f, "A")
			defer func(n int64) { minSpoken = n }(minSpoken)
			minSpoken = 1 // the cases are small
			var got []string
			for _, w := range c.Distinctive(bag, 3, func(yield func(string) bool) {
				for _, s := range texts {
					if !yield(s) {
						return
					}
				}
			}) {
				got = append(got, w.Text)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".want")
			if err != nil {
				t.Fatal(err)
			}
			if g, w := strings.Join(got, "\n"), strings.TrimSpace(string(want)); g != w {
				t.Errorf("distinctive words:\n%s\nwant:\n%s", g, w)
			}
			// Too little said: no words at all.
			minSpoken = 1000
			if ws := c.Distinctive(bag, 3, nil); ws != nil {
				t.Errorf("an empty bag has words %v", ws)
			}
		})
	}
}

// loadTurns reads a words case: the corpus of every turn, the bag of
// speaker and that speaker's texts.
func loadTurns(t *testing.T, path, speaker string) (*Corpus, *Bag, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bag, rest := NewBag(), NewBag()
	bag.Meeting()
	var texts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "---" {
			bag.Meeting()
			continue
		}
		who, text, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		if who == speaker {
			bag.Add(text)
			texts = append(texts, text)
		} else {
			rest.Add(text)
		}
	}
	c := NewCorpus()
	c.Add(bag)
	c.Add(rest)
	return c, bag, texts
}

// TestMerge checks that a speaker's bag counted in parts, one run of
// meetings each, and merged is the bag counted at once, and that the
// archive's counts do not depend on how its bags are cut.
func TestMerge(t *testing.T) {
	meetings := [][]string{
		{"開放政府的推動", "Open data, open government"},
		{"開放政府國家行動方案"},
		{},
		{"政府資料開放 AI", "開放政府"},
	}
	fill := func(ms [][]string) *Bag {
		b := NewBag()
		for _, m := range ms {
			b.Meeting()
			for _, s := range m {
				b.Add(s)
			}
		}
		return b
	}
	whole := fill(meetings)
	for cut := range len(meetings) + 1 {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			got := fill(meetings[:cut])
			got.Merge(fill(meetings[cut:]))
			if !reflect.DeepEqual(stats(got), stats(whole)) || got.n != whole.n || got.meetings != whole.meetings {
				t.Errorf("merged at %d: %v %v %d, want %v %v %d", cut, stats(got), got.n, got.meetings, stats(whole), whole.n, whole.meetings)
			}
			c1, c2 := NewCorpus(), NewCorpus()
			c1.Add(whole)
			c2.Add(fill(meetings[:cut]))
			c2.Add(fill(meetings[cut:]))
			if !reflect.DeepEqual(c1, c2) {
				t.Errorf("corpus of parts at %d differs", cut)
			}
		})
	}
	if s := whole.terms[bigramKey('開', '放')]; s.n != 4 || s.meetings != 3 {
		t.Errorf("開放: %+v, want said 4 times in 3 meetings", s)
	}
}

// stats is a bag's count and spread of each term, without the bookkeeping
// of the meeting being added to.
func stats(b *Bag) map[uint64][2]int32 {
	m := map[uint64][2]int32{}
	for k, s := range b.terms {
		m[k] = [2]int32{s.n, s.meetings}
	}
	return m
}

// TestWordForm checks how an English word is shown: as the speaker wrote
// it most often, of the forms that counted.
func TestWordForm(t *testing.T) {
	for _, tc := range []struct {
		word, texts, want string
	}{
		{"transparency", "Transparency matters. And transparency.", "transparency"}, // a capital that starts a sentence
		{"AI", "AI can help. Ai is no oracle. AI again.", "AI"},                     // "Ai" is too short to count
		{"US", "Tell us, tell us, and the US said yes.", "US"},                      // nor is the pronoun
		{"open", "Open data. OPEN DATA. open data.", "open"},
		{"iPhone", "An iPhone, an IPHONE.", "iPhone"}, // the first of equals
		{"absent", "Nothing of it here.", ""},
	} {
		x := &context{words: map[uint64]*forms{wordKey(tc.word): {}}}
		x.read(tc.texts)
		if got := x.words[wordKey(tc.word)].shown(); got != tc.want {
			t.Errorf("%q in %q shown as %q, want %q", tc.word, tc.texts, got, tc.want)
		}
	}
}
