package speakers

import (
	"bufio"
	"os"
	"path/filepath"
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
		c := NewCorpus()
		var got []string
		scanTerms(tc.text, func(k uint64) {
			if k&bigramBit != 0 {
				got = append(got, string([]rune{rune(k >> 21 & (1<<21 - 1)), rune(k & (1<<21 - 1))}))
			} else {
				got = append(got, c.forms[k])
			}
		}, c.word)
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
	c, bag := NewCorpus(), NewBag()
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
		var b *Bag
		if who == speaker {
			b = bag
			texts = append(texts, text)
		}
		c.Add(b, text)
	}
	return c, bag, texts
}
