package turnid

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/generator/model"
)

// tt is a turn in a test: a speaker label ("" for a narrative segment) and
// its text.
type tt struct{ label, text string }

func record(file string, turns ...tt) *model.Record {
	r := &model.Record{File: file, Slug: stem(file)}
	n := 0
	for i, t := range turns {
		ord := 0
		if t.label != "" {
			n++
			ord = n
		}
		r.Turns = append(r.Turns, model.Turn{
			Ordinal: ord, Label: t.label, Line: 3 + 2*i,
			Blocks: []model.Block{{Kind: model.BlockParagraph, Text: t.text}},
		})
	}
	return r
}

func ids(r *model.Record) []string {
	var out []string
	for _, t := range r.Turns {
		out = append(out, t.ID)
	}
	return out
}

func newLedger(t *testing.T) *Ledger {
	t.Helper()
	l, err := Load(filepath.Join(t.TempDir(), "missing"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Texts long enough for their likeness to mean something, as real turns.
var (
	alpha   = tt{"唐鳳", "我們今天討論開放政府國家行動方案的第二次會議，各部會已經把承諾事項的進度填寫完畢。"}
	alphaUp = tt{"唐鳳", "我們今天討論開放政府國家行動方案的第二次會議，各部會已經把承諾事項的進度都填寫完畢了。"}
	beta    = tt{"主席", "謝謝，接下來請國發會報告資料開放的部分，包括高價值資料集的盤點結果與後續時程。"}
	betaUp  = tt{"主席", "謝謝，接下來請國家發展委員會報告資料開放的部分，包括高價值資料集的盤點結果與後續時程。"}
	gamma   = tt{"國發會", "好的，高價值資料集目前盤點了一百二十項，其中八十項已經在平台上以開放格式釋出。"}
	delta   = tt{"Audrey Tang", "The point of the action plan is that civil society co-creates every commitment with the agencies."}
	deltaUp = tt{"Audrey Tang", "The point of the action plan is that civil society co-creates each commitment together with the agencies."}
	insert  = tt{"唐鳳", "補充一點，民間夥伴也希望看到每一項承諾的負責窗口與聯絡方式，方便後續追蹤。"}
	eps     = tt{"Interviewer", "How do you measure whether a commitment has actually been met, rather than just reported?"}
	ok      = tt{"唐鳳", "好。"}
	note    = tt{"", "（會議開始）"}
)

func TestAssignFresh(t *testing.T) {
	l := newLedger(t)
	r := record("a.md", note, alpha, ok, beta, ok, ok)
	l.Assign(r)
	got := ids(r)
	want := []string{
		ContentID("", note.text), ContentID(alpha.label, alpha.text), ContentID("唐鳳", "好。"),
		ContentID(beta.label, beta.text), ContentID("唐鳳", "好。") + "-2", ContentID("唐鳳", "好。") + "-3",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("ids %v, want %v", got, want)
	}
	for _, id := range got {
		if !validID(id) {
			t.Errorf("%q is not a valid id", id)
		}
	}
	// Normalisation: NFKC, collapsed whitespace, trimmed.
	if ContentID("唐鳳", "  好 \n 的：") != ContentID("唐鳳", "好 的:") {
		t.Error("ContentID differs for text that normalises the same")
	}
	if ContentID("唐鳳", "好") == ContentID("主席", "好") {
		t.Error("ContentID ignores the speaker")
	}
}

// TestAssignCarriesIDs: each case edits a record; keep says, for each new
// turn, the index of the old turn whose id it must keep (-1: a new id), and
// lands, for each old turn that is gone, the index of the new turn its id
// must now resolve to.
func TestAssignCarriesIDs(t *testing.T) {
	cases := []struct {
		name        string
		before, now []tt
		keep        []int
		lands       map[int]int
	}{
		{"issue example: edit and insert",
			[]tt{alpha, beta}, []tt{alphaUp, insert, beta},
			[]int{0, -1, 1}, nil},
		{"unchanged", []tt{alpha, beta, gamma}, []tt{alpha, beta, gamma}, []int{0, 1, 2}, nil},
		{"edit every turn", []tt{alpha, beta, delta}, []tt{alphaUp, betaUp, deltaUp}, []int{0, 1, 2}, nil},
		{"insert at the start", []tt{alpha, beta}, []tt{insert, alpha, beta}, []int{-1, 0, 1}, nil},
		{"insert before an edited turn, same speaker",
			[]tt{beta, alpha, gamma}, []tt{beta, insert, alphaUp, gamma},
			[]int{0, -1, 1, 2}, nil},
		{"insert an exchange before an edited exchange",
			[]tt{beta, delta, gamma}, []tt{beta, eps, delta, deltaUp, gamma},
			[]int{0, -1, 1, -1, 2}, nil},
		{"delete in the middle lands on the previous turn",
			[]tt{alpha, beta, gamma}, []tt{alpha, gamma},
			[]int{0, 2}, map[int]int{1: 0}},
		{"delete near the end lands on the nearer turn",
			[]tt{alpha, beta, gamma, delta, eps}, []tt{alpha, eps},
			[]int{0, 4}, map[int]int{1: 0, 2: 0, 3: 1}},
		{"delete the first turn", []tt{alpha, beta, gamma}, []tt{beta, gamma}, []int{1, 2}, map[int]int{0: 0}},
		{"move", []tt{alpha, beta, gamma, delta}, []tt{beta, gamma, delta, alpha}, []int{1, 2, 3, 0}, nil},
		{"move and edit", []tt{alpha, beta, gamma, delta}, []tt{beta, gamma, alphaUp, delta}, []int{1, 2, -1, 3}, map[int]int{0: 0}},
		{"merge two turns",
			[]tt{alpha, {gamma.label, "好的。"}, gamma, delta},
			[]tt{alpha, {gamma.label, "好的。" + gamma.text}, delta},
			[]int{0, 2, 3}, map[int]int{1: 1}},
		{"merge a turn into the previous one",
			[]tt{alpha, {alpha.label, "所以請大家看一下。"}, beta},
			[]tt{{alpha.label, alpha.text + "所以請大家看一下。"}, beta},
			[]int{0, 2}, map[int]int{1: 0}},
		{"split a turn",
			[]tt{beta, {alpha.label, alpha.text + insert.text}, gamma},
			[]tt{beta, alpha, insert, gamma},
			[]int{0, 1, -1, 2}, nil},
		{"speaker label corrected", []tt{alpha, {"主 席", beta.text}}, []tt{alpha, beta}, []int{0, 1}, nil},
		{"rewritten wholesale pairs by position", []tt{alpha, beta}, []tt{delta, eps}, []int{0, 1}, nil},
		{"repeated short turns", []tt{ok, alpha, ok, beta, ok}, []tt{ok, alpha, ok, insert, beta, ok}, []int{0, 1, 2, -1, 3, 4}, nil},
		{"everything deleted", []tt{alpha, beta}, nil, nil, nil},
		{"narrative segment edited", []tt{note, alpha}, []tt{{"", "（會議開始，主席致詞）"}, alpha}, []int{0, 1}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLedger(t)
			before := record("r.md", c.before...)
			l.Assign(before)
			old := ids(before)
			now := record("r.md", c.now...)
			retired := l.Assign(now)
			got := ids(now)
			if len(got) != len(c.keep) {
				t.Fatalf("%d ids for %d expectations", len(got), len(c.keep))
			}
			seen := map[string]bool{}
			for j, i := range c.keep {
				if seen[got[j]] {
					t.Errorf("id %s given twice: %v", got[j], got)
				}
				seen[got[j]] = true
				switch {
				case i >= 0 && got[j] != old[i]:
					t.Errorf("turn %d has id %s, want %s (old turn %d); old %v new %v", j, got[j], old[i], i, old, got)
				case i < 0:
					for k, o := range old {
						if got[j] == o {
							t.Errorf("turn %d took old turn %d's id %s; want a new id", j, k, o)
						}
					}
				}
			}
			wantRetired := map[string]string{}
			for i, j := range c.lands {
				wantRetired[old[i]] = got[j]
			}
			for i, id := range old {
				if _, listed := c.lands[i]; !seen[id] && !listed && len(got) > 0 {
					t.Errorf("old turn %d (%s) is gone but the case says nothing of where it lands", i, id)
				}
			}
			if len(got) == 0 {
				wantRetired = map[string]string{}
			}
			if !equalMaps(retired, wantRetired) {
				t.Errorf("retired %v, want %v", retired, wantRetired)
			}
			if !equalMaps(l.Retired("r.md"), wantRetired) {
				t.Errorf("Retired() %v, want %v", l.Retired("r.md"), wantRetired)
			}
			// Assigning the same record again changes nothing.
			b := l.Bytes()
			again := record("r.md", c.now...)
			if r := l.Assign(again); len(r) != 0 || strings.Join(ids(again), " ") != strings.Join(got, " ") || !bytes.Equal(b, l.Bytes()) {
				t.Errorf("a second Assign changed the ledger or the ids")
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRetiredChainsAndReclaim(t *testing.T) {
	l := newLedger(t)
	r1 := record("r.md", alpha, beta, gamma)
	l.Assign(r1)
	a, b, c := r1.Turns[0].ID, r1.Turns[1].ID, r1.Turns[2].ID

	l.Assign(record("r.md", alpha, gamma)) // b → a
	if got := l.Retired("r.md"); !equalMaps(got, map[string]string{b: a}) {
		t.Fatalf("after deleting beta: %v", got)
	}
	l.Assign(record("r.md", gamma)) // a → c, and b follows a to c
	if got := l.Retired("r.md"); !equalMaps(got, map[string]string{a: c, b: c}) {
		t.Fatalf("after deleting alpha: %v", got)
	}
	r4 := record("r.md", alpha, beta, gamma) // both come back: their ids too
	l.Assign(r4)
	if got := ids(r4); strings.Join(got, " ") != strings.Join([]string{a, b, c}, " ") {
		t.Fatalf("restored turns have ids %v, want %v", got, []string{a, b, c})
	}
	if got := l.Retired("r.md"); len(got) != 0 {
		t.Fatalf("restored ids still retired: %v", got)
	}
}

func TestEditedThenDuplicatedKeepsIDsUnique(t *testing.T) {
	l := newLedger(t)
	l.Assign(record("r.md", alpha, beta))
	l.Assign(record("r.md", alphaUp, beta))
	// alpha's original text returns beside its edited version: the new
	// turn must not take the id alphaUp still holds.
	r := record("r.md", alpha, alphaUp, beta)
	l.Assign(r)
	got := ids(r)
	if got[0] == got[1] || got[1] == got[2] || got[0] == got[2] {
		t.Fatalf("duplicate ids %v", got)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".turn-ids")
	l := newLedger(t)
	recs := []*model.Record{
		record("2020-01-02-會議.md", note, alpha, beta, ok, ok),
		record("b.md", delta, eps),
	}
	recs[0].Hash = strings.Repeat("ab", 32)
	l.Sync(nil, recs, nil)
	for _, r := range recs {
		l.Assign(r)
	}
	l.Assign(record("b.md", deltaUp)) // a retired id
	recs[1] = record("b.md", deltaUp)
	recs[1].Slug = "b-renamed"
	l.Assign(recs[1]) // a second published path
	if err := l.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{"@\t", "\tabababababababab\t2020-01-02-會議.md\n", "/\t2020-01-02-會議\n", "/\tb\n/\tb-renamed\n", "\n-\t"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("ledger lacks %q:\n%s", want, data)
		}
	}
	if perTurn := float64(len(data)-len(header)) / 7; perTurn > 40 {
		t.Errorf("%.0f bytes a turn", perTurn)
	}

	// Unchanged: byte-identical, and the file is not even rewritten.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(path, old, old)
	l2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	again := []*model.Record{record("2020-01-02-會議.md", note, alpha, beta, ok, ok), record("b.md", deltaUp)}
	again[0].Hash, again[1].Slug = recs[0].Hash, "b-renamed"
	l2.Sync(nil, again, nil)
	for i, r := range again {
		if ret := l2.Assign(r); len(ret) != 0 {
			t.Errorf("retired %v on an unchanged record", ret)
		}
		if strings.Join(ids(r), " ") != strings.Join(ids(recs[i]), " ") {
			t.Errorf("ids %v after reload, want %v", ids(r), ids(recs[i]))
		}
	}
	if err := l2.Save(path); err != nil {
		t.Fatal(err)
	}
	data2, _ := os.ReadFile(path)
	if !bytes.Equal(data, data2) {
		t.Errorf("ledger changed:\n%s\nvs\n%s", data, data2)
	}
	if st, _ := os.Stat(path); !st.ModTime().Equal(old) {
		t.Errorf("unchanged ledger was rewritten")
	}
	if l2.Key("b.md") != l.Key("b.md") || l2.Key("b.md") == "" {
		t.Errorf("key not kept")
	}
	if got := l2.Published()["b.md"]; strings.Join(got, ",") != "b,b-renamed" {
		t.Errorf("published %v", got)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

func TestDeterministicWhateverTheOrder(t *testing.T) {
	build := func(order []int) []byte {
		l := newLedger(t)
		recs := []*model.Record{
			record("c.md", alpha, beta), record("a.md", gamma, ok, ok), record("b.md", delta, eps, note),
		}
		l.Sync(nil, recs, nil)
		for _, i := range order {
			l.Assign(recs[i])
		}
		return l.Bytes()
	}
	a, b := build([]int{0, 1, 2}), build([]int{2, 0, 1})
	if !bytes.Equal(a, b) {
		t.Fatalf("ledger depends on assignment order:\n%s\nvs\n%s", a, b)
	}
}

func TestSyncRenames(t *testing.T) {
	l := newLedger(t)
	old := []*model.Record{
		record("2016-01-01-舊名.md", alpha, beta, gamma),
		record("2017-01-01-another.md", delta, eps, deltaUp),
		record("2018-01-01-deleted.md", insert, ok),
		record("2019-01-01-kept.md", beta, gamma),
	}
	l.Sync(nil, old, nil)
	for _, r := range old {
		l.Assign(r)
	}
	keys := map[string]string{}
	for _, r := range old {
		keys[r.File] = l.Key(r.File)
	}
	l.Assign(record("2016-01-01-舊名.md", alpha, gamma)) // a retired id to carry

	now := []*model.Record{
		// Renamed and rewritten: only the .redirects line (a chain) says so.
		record("2016-01-01-新名.md", alphaUp, betaUp),
		// Renamed, content unchanged, no redirect.
		record("2017-01-01-Another-Title.md", delta, eps, deltaUp),
		record("2019-01-01-kept.md", beta, gamma),
		// New, sharing one turn with the deleted record: not a rename.
		record("2020-01-01-new.md", insert, alpha, beta, delta),
	}
	redirects := []model.Redirect{
		{From: "2016-01-01-舊名", To: "2016-01-01-中間名", Source: ".redirects"},
		{From: "2016-01-01-中間名", To: "2016-01-01-新名", Source: ".redirects"},
	}
	renames := l.Sync(nil, now, redirects)
	want := []model.Redirect{
		{From: "2016-01-01-舊名", To: "2016-01-01-新名", Source: "ledger"},
		{From: "2017-01-01-another", To: "2017-01-01-Another-Title", Source: "ledger"},
	}
	if len(renames) != len(want) || renames[0] != want[0] || renames[1] != want[1] {
		t.Fatalf("renames %v, want %v", renames, want)
	}
	if l.Key("2016-01-01-新名.md") != keys["2016-01-01-舊名.md"] || l.Key("2017-01-01-Another-Title.md") != keys["2017-01-01-another.md"] {
		t.Errorf("keys not carried over")
	}
	if l.Key("2018-01-01-deleted.md") != "" || l.Key("2016-01-01-舊名.md") != "" {
		t.Errorf("gone records still in the ledger")
	}
	if l.Key("2020-01-01-new.md") == "" {
		t.Errorf("new record has no key after Sync")
	}
	r := now[0]
	l.Assign(r)
	if got := l.Retired(r.File); len(got) != 1 {
		t.Errorf("retired ids not carried: %v", got)
	}
	if got := ids(r); got[0] != ContentID(alpha.label, alpha.text) {
		t.Errorf("renamed record lost its ids: %v", got)
	}
	if got := l.Published()[r.File]; strings.Join(got, ",") != "2016-01-01-新名,2016-01-01-舊名" {
		t.Errorf("published paths %v", got)
	}
	lk := l.Lookup(now)
	if lk[keys["2016-01-01-舊名.md"]] != "/2016-01-01-新名/" || len(lk) != 4 {
		t.Errorf("lookup %v", lk)
	}
}

func TestShortLink(t *testing.T) {
	if got := ShortLink("q7fz", "abcdefgh-2"); got != "/t/#q7fz.abcdefgh-2" {
		t.Fatal(got)
	}
}

func TestLoadRejectsDamage(t *testing.T) {
	good := "@\tabcd\t-\ta.md\n/\ta\nabcdefgh\taaaaaaaa\nbcdefghi\taaaaaaab\n-\tcdefghij\tabcdefgh\n"
	cases := []struct{ name, text, want string }{
		{"good", good, ""},
		{"turn before record", "abcdefgh\taaaaaaaa\n", ":1: a turn line"},
		{"bad sketch", "@\tabcd\t-\ta.md\nabcdefgh\taaaa\n", ":2: a turn line"},
		{"bad id", "@\tabcd\t-\ta.md\nABCDEFGH\taaaaaaaa\n", ":2: a turn line"},
		{"duplicate id", "@\tabcd\t-\ta.md\nabcdefgh\taaaaaaaa\nabcdefgh\taaaaaaab\n", ":3: id abcdefgh"},
		{"retired id is live", good + "-\tabcdefgh\tbcdefghi\n", ":6: id abcdefgh"},
		{"retired to nowhere", "@\tabcd\t-\ta.md\nabcdefgh\taaaaaaaa\n-\tcdefghij\tzzzzzzzz\n", "not one of its turns"},
		{"turn after retired", good + "cdefghaa\taaaaaaac\n", ":6: a turn line"},
		{"file twice", good + "@\tbcde\t-\ta.md\n", ":6: a.md is listed twice"},
		{"key twice", good + "@\tabcd\t-\tb.md\n", ":6: key abcd"},
		{"bad hash", "@\tabcd\txyz\ta.md\n", ":1: a record line"},
		{"merge conflict", good + "<<<<<<< HEAD\n", ":6: unresolved merge conflict"},
		{"deleted key clashes", good + "x\tabcd\tb.md\n", ":6: key abcd"},
		{"turn after a deleted key", good + "x\tbbbb\tb.md\nabcdefgh\taaaaaaaa\n", ":7: a turn line"},
		{"bad deleted line", "x\tbbbb\n", ":1: a deleted record line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ".turn-ids")
			os.WriteFile(path, []byte(c.text), 0o644)
			l, err := Load(path)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case c.want == "":
				if got := l.Retired("a.md"); got["cdefghij"] != "abcdefgh" {
					t.Errorf("retired %v", got)
				}
			case err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), path+":"):
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
		})
	}
}

func TestSketchEncoding(t *testing.T) {
	k := func(label, text string) sketch { return sketchOf(label, []model.Block{{Text: text}}) }
	for _, c := range []tt{alpha, delta, ok, note, {"", ""}} {
		s := k(c.label, c.text)
		p, ok := parseSketch(s.String())
		if !ok || p != s || len(s.String()) != sketchLen {
			t.Errorf("%q: sketch %x encodes as %q, parses back as %x", c.text, uint64(s), s.String(), uint64(p))
		}
	}
	a, b := k(alpha.label, alpha.text), k(alphaUp.label, alphaUp.text)
	c := k(gamma.label, gamma.text)
	if k("唐鳳", " 好， 的\n ") != k("唐鳳", "好, 的") {
		t.Error("sketch differs for text that folds the same")
	}
	if a.likeness(b) <= a.likeness(c) || !a.sameLabel(b) || a.sameLabel(c) {
		t.Errorf("likeness: edited %d, unrelated %d", a.likeness(b), a.likeness(c))
	}
}

// TestRandomEdits checks invariants over random edit scripts on records of
// distinct turns: a turn the script did not touch keeps its id, ids stay
// unique, every retired id resolves to a live one, and the ledger survives
// a save and load unchanged.
func TestRandomEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	words := strings.Fields("開放 政府 資料 承諾 會議 部會 民間 平台 open data civil society agency plan review 協作 追蹤 進度 透明 參與")
	speakers := []string{"唐鳳", "主席", "國發會", "Audrey Tang", "Interviewer"}
	serial := 0
	fresh := func() tt {
		serial++
		var b strings.Builder
		for n := 5 + rng.IntN(30); n > 0; n-- {
			b.WriteString(words[rng.IntN(len(words))])
		}
		fmt.Fprintf(&b, " %d", serial) // distinct
		return tt{speakers[rng.IntN(len(speakers))], b.String()}
	}
	dir := t.TempDir()
	for round := 0; round < 200; round++ {
		l := newLedger(t)
		type cell struct {
			tt
			id string // id expected to persist; "" once edited or new
		}
		var cur []cell
		for n := rng.IntN(40); n > 0; n-- {
			cur = append(cur, cell{tt: fresh()})
		}
		for step := 0; step < 6; step++ {
			r := record("r.md", func() []tt {
				var ts []tt
				for _, c := range cur {
					ts = append(ts, c.tt)
				}
				return ts
			}()...)
			l.Assign(r)
			live := map[string]bool{}
			for k, c := range cur {
				id := r.Turns[k].ID
				if c.id != "" && c.id != id {
					t.Fatalf("round %d step %d: untouched turn %d changed id %s → %s", round, step, k, c.id, id)
				}
				if live[id] {
					t.Fatalf("round %d step %d: id %s twice", round, step, id)
				}
				live[id] = true
				cur[k].id = id
			}
			for o, n := range l.Retired("r.md") {
				if !live[n] || live[o] {
					t.Fatalf("round %d step %d: retired %s → %s", round, step, o, n)
				}
			}
			path := filepath.Join(dir, "ledger")
			if err := l.Save(path); err != nil {
				t.Fatal(err)
			}
			l2, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(l.Bytes(), l2.Bytes()) {
				t.Fatalf("round %d step %d: ledger changed through save and load", round, step)
			}
			l = l2
			// Edit: insertions, deletions and corrections.
			for e := rng.IntN(4); e >= 0; e-- {
				k := rng.IntN(len(cur) + 1)
				switch op := rng.IntN(3); {
				case op == 0:
					cur = append(cur[:k], append([]cell{{tt: fresh()}}, cur[k:]...)...)
				case op == 1 && k < len(cur):
					cur = append(cur[:k], cur[k+1:]...)
				case k < len(cur):
					cur[k] = cell{tt: tt{cur[k].label, cur[k].text + "（更正）"}}
				}
			}
		}
	}
}

func TestAssignAllMatchesAssign(t *testing.T) {
	mk := func() []*model.Record {
		var recs []*model.Record
		for i := 0; i < 40; i++ {
			recs = append(recs, record(fmt.Sprintf("%02d.md", 40-i), alpha, tt{"唐鳳", fmt.Sprint(i)}, beta, ok, ok))
		}
		return recs
	}
	one, all := newLedger(t), newLedger(t)
	a, b := mk(), mk()
	one.Sync(nil, a, nil)
	for _, r := range a {
		one.Assign(r)
	}
	all.AssignAll(b)
	if !bytes.Equal(one.Bytes(), all.Bytes()) {
		t.Fatal("AssignAll and Assign disagree")
	}
	b[3] = record(b[3].File, alpha, ok, ok)
	if got := all.AssignAll(b); len(got) != 1 || len(got[b[3].File]) != 2 {
		t.Fatalf("AssignAll retired %v", got)
	}
}

func TestSyncKeepsFilesWithErrorsAndDeletedKeys(t *testing.T) {
	l := newLedger(t)
	a, b := record("a.md", alpha, beta), record("b.md", gamma, delta)
	l.Sync(nil, []*model.Record{a, b}, nil)
	l.AssignAll([]*model.Record{a, b})
	l.Assign(record("a.md", alphaUp, beta)) // carried, no longer its content id
	before := l.Bytes()

	// a.md fails to parse this build: it is present but not loaded.
	l.Sync([]string{"a.md", "b.md"}, []*model.Record{b}, nil)
	if !bytes.Equal(before, l.Bytes()) {
		t.Fatal("a file left out for errors lost its ledger entry")
	}

	// b.md is deleted: its key is kept aside for good.
	keyB := l.Key("b.md")
	l.Sync([]string{"a.md"}, nil, nil)
	if l.Key("b.md") != "" || !bytes.Contains(l.Bytes(), []byte("x\t"+keyB+"\tb.md\n")) {
		t.Fatalf("deleted record: key %q, ledger:\n%s", l.Key("b.md"), l.Bytes())
	}
	// A new record whose name hashes to a deleted record's key gets another.
	probe := newLedger(t)
	probe.Sync(nil, []*model.Record{record("n.md", ok)}, nil)
	taken := filepath.Join(t.TempDir(), "ledger")
	os.WriteFile(taken, []byte("x\t"+probe.Key("n.md")+"\tother.md\n"), 0o644)
	lt, err := Load(taken)
	if err != nil {
		t.Fatal(err)
	}
	lt.Sync(nil, []*model.Record{record("n.md", ok)}, nil)
	if k := lt.Key("n.md"); k == probe.Key("n.md") || !strings.HasPrefix(k, probe.Key("n.md")) {
		t.Fatalf("new record got key %q beside deleted %q", k, probe.Key("n.md"))
	}
	recs := []*model.Record{record("n.md", ok)}
	// b.md comes back: it gets its key back.
	l.Sync(nil, append(recs, record("b.md", gamma)), nil)
	if l.Key("b.md") != keyB || bytes.Contains(l.Bytes(), []byte("x\t"+keyB)) {
		t.Fatalf("restored record has key %q, want %q", l.Key("b.md"), keyB)
	}

	path := filepath.Join(t.TempDir(), "ledger")
	l.Sync(nil, recs, nil) // b.md deleted again
	if err := l.Save(path); err != nil {
		t.Fatal(err)
	}
	l2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(l.Bytes(), l2.Bytes()) {
		t.Fatal("deleted keys do not survive save and load")
	}
}

func TestContentReturningReclaimsItsID(t *testing.T) {
	l := newLedger(t)
	r := record("r.md", alpha, beta)
	l.Assign(r)
	x, b := r.Turns[0].ID, r.Turns[1].ID
	l.Assign(record("r.md", alphaUp, beta)) // edited: keeps x
	// The edit is undone and the turn moved past beta: the corrected turn
	// is retired by this very call, and the original text takes x back.
	r = record("r.md", beta, alpha)
	if ret := l.Assign(r); len(ret) != 0 {
		t.Errorf("retired %v", ret)
	}
	if got := ids(r); got[0] != b || got[1] != x {
		t.Errorf("ids %v, want [%s %s]", got, b, x)
	}
	if got := l.Retired("r.md"); len(got) != 0 {
		t.Errorf("Retired() = %v, want none", got)
	}
}
