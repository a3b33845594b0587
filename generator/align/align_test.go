package align_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/align"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// load reads testdata/, real pairs of the archive: records.Load aligns
// them as a build does.
func load(t *testing.T) (*model.Archive, *diag.List) {
	t.Helper()
	a, d, err := records.Load("testdata", records.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a, d
}

// TestRealPairs aligns each pair of testdata/ and checks how, whether it
// is sure, and which turn of the Chinese each English turn is paired with
// ("" for the identity; 1-based indices into Turns, 0 for none).
func TestRealPairs(t *testing.T) {
	a, _ := load(t)
	for _, c := range []struct {
		en     string
		method align.Method
		sure   bool
		twins  string
	}{
		{"2025-01-29-Interview-with-BBC-Newsday.md", align.ByOrder, true, ""},
		// The Chinese splits four English turns in two (the interviewer's
		// first question, three of Audrey Tang's answers).
		{"2019-11-23-Interview-with-DW-Business.md", align.ByAlignment, true,
			"1 3 4 5 6 7 9 10 12 13 14 15 16 17 18 19 20 21 22"},
		// The English opens with a note the Chinese has not.
		{"2025-10-01-Right-Livelihood-Award-Press-Conference.md", align.ByAlignment, true,
			"0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26"},
		// The Chinese opens with a note the English has not.
		{"2024-07-11-BW-Column-Making-Algorithms-Kind.md", align.ByAlignment, true, "2"},
		// The Chinese has an exchange ("I don't think so." "You don't?")
		// the English keeps in one turn: reported, not guessed.
		{"2025-01-23-Conversation-with-Shoukei-Matsumoto.md", align.ByAlignment, false, ""},
	} {
		t.Run(c.en, func(t *testing.T) {
			en := a.Record(c.en)
			if en == nil || en.Alternate == "" {
				t.Fatalf("%s: not loaded as a pair", c.en)
			}
			zh := a.Record(en.Alternate)
			res := align.Turns(en.Turns, zh.Turns)
			if res.Method != c.method || res.Sure != c.sure {
				t.Fatalf("method %s, sure %v (%s); want %s, %v", res.Method, res.Sure, res.Problem, c.method, c.sure)
			}
			if !c.sure {
				if a.Twins[en.File] != nil || a.Twins[zh.File] != nil {
					t.Error("an unsure pair has twins")
				}
				return
			}
			want := c.twins
			if want == "" {
				want = identity(len(en.Turns))
			}
			if got := join(res.A); got != want {
				t.Errorf("twins of the English turns:\n got %s\nwant %s", got, want)
			}
			if tw := a.Twins[en.File]; tw == nil || tw.Of != zh || join(tw.Turns) != want || a.Twins[zh.File] == nil {
				t.Error("records.Load did not set the pair's twins")
			}
			checkConsistent(t, res)
		})
	}
}

// TestFindings: the unsure pair is a warning at the turn where the two
// part, naming the fix; the speakers the sure pairs show to be one are
// notes, which do not fail --strict.
func TestFindings(t *testing.T) {
	_, d := load(t)
	want, err := os.ReadFile(filepath.Join("testdata", "findings.want"))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.String(); got != string(want) {
		t.Errorf("findings:\n%s\nwant (testdata/findings.want):\n%s", got, want)
	}
	notes := &diag.List{}
	for _, f := range d.Sorted() {
		if f.Severity == diag.Note {
			notes.Add(f)
		}
	}
	if e, w := notes.Count(); e+w != 0 || notes.Failed(true) {
		t.Errorf("notes count as %d errors, %d warnings; they must fail nothing", e, w)
	}
}

// TestShapes aligns small made-up pairs, one per shape of translation.
// Each side is a list of speakers ("-" a narrative segment) with an
// optional length (A:300); Chinese turns are a third as long by default.
func TestShapes(t *testing.T) {
	for _, c := range []struct {
		name   string
		en, zh string
		method align.Method
		sure   bool
		twins  string // of the English turns
		where  string // for an unsure pair: the turn reported, "a3" or "b2"
	}{
		{"same turns", "A B A B", "甲 乙 甲 乙", align.ByOrder, true, "1 2 3 4", ""},
		{"narrative in both", "- A B", "- 甲 乙", align.ByOrder, true, "1 2 3", ""},
		{"split in Chinese", "A B:300 A", "甲 乙:50 乙:50 甲", align.ByAlignment, true, "1 2 4", ""},
		{"merged in Chinese", "A B:150 B:150 A", "甲 乙:100 甲", align.ByAlignment, true, "1 2 2 3", ""},
		{"note in English only", "- A B A", "甲 乙 甲", align.ByAlignment, true, "0 1 2 3", ""},
		{"turn missing in Chinese", "A B A B C B", "甲 乙 甲 乙 乙", align.ByAlignment, false, "", "a5"},
		{"turn missing in English", "A B A B", "甲 乙 丙 甲 乙", align.ByAlignment, false, "", "b3"},
		{"speakers swapped", "A B A B C A", "甲 乙 甲 乙 甲 丙", align.ByAlignment, false, "", "a5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := align.Turns(turns(c.en, 3), turns(c.zh, 1))
			if res.Method != c.method || res.Sure != c.sure {
				t.Fatalf("method %s, sure %v (%s); want %s, %v", res.Method, res.Sure, res.Problem, c.method, c.sure)
			}
			if c.sure {
				if got := join(res.A); got != c.twins {
					t.Errorf("twins %s, want %s", got, c.twins)
				}
				checkConsistent(t, res)
				return
			}
			where := fmt.Sprintf("a%d", res.ProblemA+1)
			if res.ProblemA < 0 {
				where = fmt.Sprintf("b%d", res.ProblemB+1)
			}
			if where != c.where || res.Problem == "" {
				t.Errorf("reported at %s (%q), want %s", where, res.Problem, c.where)
			}
		})
	}
}

// turns makes turns from "A B:300 -": speakers with optional lengths,
// scaled by scale (characters per unit of length), "-" a narrative
// segment. Texts differ, so that only speakers and lengths align them.
func turns(spec string, scale int) []model.Turn {
	var out []model.Turn
	n := 0
	for _, f := range strings.Fields(spec) {
		name, size := f, 60
		if i := strings.Index(f, ":"); i > 0 {
			fmt.Sscan(f[i+1:], &size)
			name = f[:i]
		}
		t := model.Turn{Line: len(out)*2 + 1}
		if name != "-" {
			n++
			t.Ordinal, t.Label = n, name
		}
		text := strings.Repeat("x", size*scale/3)
		t.Blocks = []model.Block{{Kind: model.BlockParagraph, Text: text}}
		out = append(out, t)
	}
	return out
}

// checkConsistent checks what every alignment must be: monotone, and each
// turn's twin pointing back at it or at the other half of its split.
func checkConsistent(t *testing.T, r align.Result) {
	t.Helper()
	last := 0
	for i, j := range r.A {
		if j == 0 {
			continue
		}
		if j < last {
			t.Errorf("not monotone at turn %d", i+1)
		}
		last = j
		if back := r.B[j-1]; back != i+1 && r.A[back-1] != j {
			t.Errorf("turn %d → %d → %d", i+1, j, back)
		}
	}
}

func identity(n int) string {
	s := make([]int, n)
	for i := range s {
		s[i] = i + 1
	}
	return join(s)
}

func join(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, " ")
}

// TestCorpus aligns every pair of the corpus and wants at least 99% of the
// turns of the pairs it is sure of to link to their twin.
func TestCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	a, d, err := records.Load(dir, records.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := align.Archive(a, &diag.List{})
	t.Logf("%d pairs: %d by order, %d by alignment, %d unsure; %d of %d turns of aligned pairs linked (%.2f%%)",
		st.Pairs, st.ByOrder, st.ByAlignment, st.Unsure, st.Linked, st.Turns, 100*float64(st.Linked)/float64(max(st.Turns, 1)))
	for _, f := range d.Sorted() {
		if strings.Contains(f.Message, "so their turns are not linked") {
			t.Log(f)
		}
	}
	if st.Pairs == 0 {
		t.Fatal("the corpus has no .alternates pairs")
	}
	if st.Linked*100 < st.Turns*99 {
		t.Errorf("%d of %d turns linked: want at least 99%%", st.Linked, st.Turns)
	}
	for _, r := range a.Records {
		tw := a.Twins[r.File]
		if tw == nil || r.Lang != "en" {
			continue
		}
		checkConsistent(t, align.Result{A: tw.Turns, B: a.Twins[tw.Of.File].Turns})
	}
}
