package search

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/internal/testarchive"
)

// tmp holds what the tests build; TestMain removes it.
var tmp string

func TestMain(m *testing.M) {
	var err error
	if tmp, err = os.MkdirTemp("", "ogarchive-search-test-"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// archiveDocs loads testdata/archive the way a build does (records, then
// turn ids) and adds documents of the other kinds, one with a URL that is
// not /slug/#id and one undated.
func archiveDocs(t testing.TB) []Doc {
	t.Helper()
	a, diags := testarchive.Load(t, "testdata/archive", "")
	if diags.Failed(false) {
		t.Fatalf("testdata/archive: %s", diags)
	}
	return append(DocsFromArchive(a),
		Doc{ID: "c1", URL: "/plan/2/#c1", Source: "plan.toml", Speaker: "", Date: "2021-01-01",
			Title: "第二期開放政府國家行動方案", Kind: string(model.KindCommitment), Lang: "zh-TW",
			Text: "推動開放政府資料的品質提升，由國家發展委員會主責。"},
		Doc{ID: "o7", URL: "/camp/2019/?outcome=o7", Source: "camp.toml", Speaker: "國發會",
			Title: "開放政府聯絡人共識營", Kind: string(model.KindOutcome), Lang: "zh-TW",
			Text: "建立跨部會的資料治理平台。"},
		// Record text reaches the index as plain text, which may hold
		// anything, markup included.
		Doc{ID: "n1", URL: "/notes/#n1", Source: "notes.md", Speaker: "Editor", Date: "2018-03-01",
			Title: "Notes", Kind: string(model.KindNotes), Lang: "en",
			Text: "Data alone is not enough; <script>alert(1)</script> is what a careless page would run, and we escape it & more."},
	)
}

// fixture is the test archive indexed and exported once.
type fixture struct {
	docs       []Doc
	index, out string
}

var shared struct {
	once sync.Once
	f    fixture
	err  error
}

func testFixture(t testing.TB) fixture {
	t.Helper()
	shared.once.Do(func() {
		f := fixture{docs: archiveDocs(t), index: filepath.Join(tmp, "index"), out: filepath.Join(tmp, "public", "search")}
		if _, shared.err = Build(context.Background(), f.index, f.docs, BuildOptions{BatchSize: 5}); shared.err == nil {
			_, shared.err = Export(f.index, f.out)
		}
		shared.f = f
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.f
}

// jsQuery is a query with client.js options.
type jsQuery struct {
	Q    string         `json:"q"`
	Opts map[string]any `json:"opts"`
}

// goOptions turns client.js options into QueryOptions.
func goOptions(o map[string]any) QueryOptions {
	list := func(v any) []string {
		switch v := v.(type) {
		case string:
			return []string{v}
		case []string:
			return v
		}
		return nil
	}
	q := QueryOptions{Speaker: list(o["speaker"]), Kind: list(o["kind"]), Lang: list(o["lang"])}
	q.From, _ = o["from"].(string)
	q.To, _ = o["to"].(string)
	q.Sort, _ = o["sort"].(string)
	q.Record, _ = o["record"].(string)
	if n, ok := o["limit"].(int); ok {
		q.Limit = n
	}
	return q
}

// both runs queries through Query and through client.js on the export,
// fails unless they return the same results, and returns them.
func both(t *testing.T, index, out string, qs []jsQuery) [][]Result {
	t.Helper()
	return agree(t, index, out, "queries", qs, func(s *Searcher, q jsQuery) ([]Result, error) {
		return s.Query(q.Q, goOptions(q.Opts))
	})
}

// agree runs queries through client.js (the node.mjs request kind req)
// and through run, fails unless the two give the same JSON, and returns
// the Go answers.
func agree[T any](t *testing.T, index, out, req string, qs []jsQuery, run func(*Searcher, jsQuery) (T, error)) []T {
	t.Helper()
	var js []T
	runNode(t, map[string]any{"base": out, req: qs}, &js)
	if len(js) != len(qs) {
		t.Fatalf("client.js answered %d %s, want %d", len(js), req, len(qs))
	}
	s, err := Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var all []T
	for i, q := range qs {
		got, err := run(s, q)
		if err != nil {
			t.Fatalf("%q: %v", q.Q, err)
		}
		g, _ := json.Marshal(got)
		j, _ := json.Marshal(js[i])
		if !bytes.Equal(g, j) {
			t.Errorf("%s %q %v:\n go %s\n js %s", req, q.Q, q.Opts, g, j)
		}
		all = append(all, got)
	}
	return all
}

// TestParity runs a fixed set of queries, with every option, through the
// Go query and the Node client: they must return the same results (ids,
// order, snippets and scores).
func TestParity(t *testing.T) {
	f := testFixture(t)
	qs := []jsQuery{
		{"開放政府", nil},
		{"語有客語的拼", nil},
		{"我說明一下今天的議", nil},
		{"鳳", nil},
		{"open government data", nil},
		{"ong with the fantastic divy", nil},
		{"see the trending disinformation and", nil},
		{"government data", map[string]any{"sort": "newest"}},
		{"開放政府", map[string]any{"speaker": "唐鳳"}},
		{"開放政府", map[string]any{"speaker": []string{"唐鳳", "林大明"}}},
		{"open", map[string]any{"speaker": "audrey tang"}},
		{"data", map[string]any{"lang": "en"}},
		{"開放", map[string]any{"from": "2019-01-01", "to": "2019-12-31"}},
		{"開放", map[string]any{"kind": "commitment"}},
		{"資料", map[string]any{"kind": []string{"outcome", "commitment"}}},
		{"資料", map[string]any{"from": "2000-01-01"}},
		{"script alert", nil},
		{"ＦＵＬＬ－ＷＩＤＴＨ text", nil},
		{"zzz nothing here", nil},
		{"", nil},
		{"，。！", nil},
		{"罵 鳳", nil},
		{"開放 open", nil},
		{"data", map[string]any{"limit": 2}},
		{"the", map[string]any{"sort": "newest", "limit": 3}},
		{"开放政府", nil},
		{"語有客语的拼", nil},
		{"开放政府", map[string]any{"speaker": "唐凤"}},
		{"臺灣 台湾", nil},
	}
	res := both(t, f.index, f.out, qs)
	bothPages(t, f.index, f.out, qs)
	found := 0
	for _, r := range res {
		found += len(r)
	}
	if found < 30 {
		t.Errorf("the parity queries found %d results in all; they should exercise more", found)
	}
}

func TestKnownItems(t *testing.T) {
	f := testFixture(t)
	for _, tc := range []struct {
		q      string
		source string
		turn   int
	}{
		{"語有客語的拼", "2020-08-12-開放政府協作會議.md", 3},
		{"我說明一下今天的議", "2020-08-12-開放政府協作會議.md", 2},
		{"覺得該罵的還是要繼續", "2017-05-31-綠色和平電台訪問.md", 2},
		// fragments cut mid-word at both ends
		{"ong with the fantastic divy", "2019-11-23-Interview-with-DW.md", 2},
		{"see the trending disinformation and", "2019-11-23-Interview-with-DW.md", 4},
		{"開放政府就是讓國家", "2019-11-23-德國之聲採訪.md", 2},
		// as typed in Simplified characters (OpenCC t2s)
		{"语有客语的拼", "2020-08-12-開放政府協作會議.md", 3},
		{"我说明一下今天的议", "2020-08-12-開放政府協作會議.md", 2},
		{"觉得该骂的还是要继续", "2017-05-31-綠色和平電台訪問.md", 2},
		{"开放政府就是让国家", "2019-11-23-德國之聲採訪.md", 2},
	} {
		res := both(t, f.index, f.out, []jsQuery{{tc.q, nil}})[0]
		if len(res) == 0 || res[0].Source != tc.source || res[0].Turn != tc.turn {
			t.Errorf("%q: first result %v, want %s turn %d", tc.q, res, tc.source, tc.turn)
		}
	}
}

// TestVariantHighlight: a query typed in Simplified characters marks the
// characters as the transcript spells them.
func TestVariantHighlight(t *testing.T) {
	f := testFixture(t)
	res := both(t, f.index, f.out, []jsQuery{{"开放政府就是让国家", nil}})[0]
	if len(res) == 0 || !strings.Contains(res[0].Snippet, "<mark>開放政府就是讓國家</mark>") {
		t.Errorf("snippet of the Simplified query: %v", res)
	}
}

// TestOneCharacter: a query of one CJK character finds every document
// holding it, though only bigrams and run-final characters are indexed.
func TestOneCharacter(t *testing.T) {
	f := testFixture(t)
	for _, c := range []string{"鳳", "罵", "拼", "好"} {
		want := map[string]bool{}
		for _, d := range f.docs {
			if strings.Contains(d.Text, c) {
				want[d.URL] = true
			}
		}
		if len(want) == 0 {
			t.Fatalf("no test document holds %q", c)
		}
		res := both(t, f.index, f.out, []jsQuery{{c, map[string]any{"limit": 100}}})[0]
		got := map[string]bool{}
		for _, r := range res {
			got[r.URL] = true
			if !strings.Contains(r.Snippet, "<mark>"+c+"</mark>") {
				t.Errorf("%q: snippet %q does not mark it", c, r.Snippet)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%q: found %d documents, want %d", c, len(got), len(want))
		}
		for u := range want {
			if !got[u] {
				t.Errorf("%q: %s not found", c, u)
			}
		}
	}
}

// TestPhraseRanking: a verbatim quote puts its turn first even when
// another turn has the same words more often (a higher BM25 score); with
// the words in the other order, that turn holds the phrase and wins.
func TestPhraseRanking(t *testing.T) {
	docs := []Doc{
		{ID: "a", URL: "/r/#a", Source: "r.md", Turn: 1, Date: "2020-01-01", Title: "R", Kind: "transcript", Lang: "en",
			Text: "Data data data, government government."},
		{ID: "b", URL: "/r/#b", Source: "r.md", Turn: 2, Date: "2020-01-01", Title: "R", Kind: "transcript", Lang: "en",
			Text: "We talked for a long while about many things, schools and roads and parks, and at the end about the government data portal that the city runs."},
		{ID: "c", URL: "/r/#c", Source: "r.md", Turn: 3, Date: "2020-01-01", Title: "R", Kind: "transcript", Lang: "en",
			Text: "Nothing relevant here."},
	}
	dir := t.TempDir()
	index, out := filepath.Join(dir, "index"), filepath.Join(dir, "search")
	if _, err := Build(context.Background(), index, docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(index, out); err != nil {
		t.Fatal(err)
	}
	res := both(t, index, out, []jsQuery{{"government data", nil}, {"data government", nil}, {"government, data", nil}})
	for i, want := range []string{"b", "a", "b"} {
		if len(res[i]) != 2 || res[i][0].ID != want {
			t.Errorf("query %d: results %v, want 2 with %s first", i, res[i], want)
		}
	}
	// without the phrase bonus, a would win: it has the higher BM25 score
	s, err := Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := parseQuery("government data")
	score := map[string]int64{} // by document key; internal ids follow no fixed order
	for _, term := range p.terms {
		post, err := s.postings(term.key)
		if err != nil {
			t.Fatal(err)
		}
		df := idf(len(post.ids), 3)
		for k, id := range post.ids {
			impact := post.imps[k]
			key, err := s.r.ExternalID(internalID(id))
			if err != nil {
				t.Fatal(err)
			}
			score[key] += df * int64(impact)
		}
	}
	var a, b int64
	for key, sc := range score {
		switch {
		case strings.HasSuffix(key, "#a"):
			a = sc
		case strings.HasSuffix(key, "#b"):
			b = sc
		}
	}
	if a <= b {
		t.Errorf("BM25 scores a %d, b %d (%v): the test needs a to score higher", a, b, score)
	}
}

func TestFilters(t *testing.T) {
	f := testFixture(t)
	check := func(q string, opts map[string]any, ok func(Result) bool) {
		t.Helper()
		res := both(t, f.index, f.out, []jsQuery{{q, opts}})[0]
		if len(res) == 0 {
			t.Errorf("%q %v: no results", q, opts)
		}
		for _, r := range res {
			if !ok(r) {
				t.Errorf("%q %v: result %+v does not pass the filter", q, opts, r)
			}
		}
	}
	dates := map[string]string{}
	kinds := map[string]string{}
	langs := map[string]string{}
	for _, d := range f.docs {
		dates[d.URL], kinds[d.URL], langs[d.URL] = d.Date, d.Kind, d.Lang
	}
	// 唐鳳 is the merged identity of the labels 唐鳳, 唐鳳政委 and Audrey Tang
	check("開放", map[string]any{"speaker": "唐鳳"}, func(r Result) bool { return r.Speaker == "唐鳳" })
	check("open", map[string]any{"speaker": "唐鳳"}, func(r Result) bool { return r.Speaker == "唐鳳" })
	check("開放", map[string]any{"from": "2019-01-01", "to": "2019-12-31"}, func(r Result) bool {
		return r.Date >= "2019-01-01" && r.Date <= "2019-12-31"
	})
	check("開放", map[string]any{"kind": "commitment"}, func(r Result) bool { return kinds[r.URL] == "commitment" })
	check("資料", map[string]any{"kind": "outcome"}, func(r Result) bool { return r.Date == "" && kinds[r.URL] == "outcome" })
	check("data", map[string]any{"lang": "EN"}, func(r Result) bool { return langs[r.URL] == "en" })
	check("開放", map[string]any{"lang": "zh-TW", "speaker": "唐鳳", "to": "2020-12-31"}, func(r Result) bool {
		return langs[r.URL] == "zh-TW" && r.Speaker == "唐鳳" && r.Date <= "2020-12-31"
	})

	res := both(t, f.index, f.out, []jsQuery{{"的", map[string]any{"sort": "newest", "limit": 50}}})[0]
	if len(res) < 3 {
		t.Fatalf("newest: %d results", len(res))
	}
	for i := 1; i < len(res); i++ {
		a, b := res[i-1], res[i]
		if a.Date < b.Date && b.Date != "" || a.Date == b.Date && a.Source == b.Source && a.Turn > b.Turn {
			t.Errorf("newest: %s %s #%d before %s %s #%d", a.Date, a.Source, a.Turn, b.Date, b.Source, b.Turn)
		}
	}
}

// TestSnippetEscaping: record text never reaches a snippet as markup.
func TestSnippetEscaping(t *testing.T) {
	f := testFixture(t)
	res := both(t, f.index, f.out, []jsQuery{{"script alert", nil}, {"careless page", nil}})
	for _, rs := range res {
		if len(rs) == 0 {
			t.Fatal("the document with a script element was not found")
		}
		s := rs[0].Snippet
		if !strings.Contains(s, "&lt;") || !strings.Contains(s, "&amp; more") {
			t.Errorf("snippet %q is not escaped", s)
		}
		bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
		if strings.ContainsAny(bare, "<>") {
			t.Errorf("snippet %q carries markup other than <mark>", s)
		}
	}
	// the phrase "script alert" spans the escaped ">" between its words
	if s := res[0][0].Snippet; !strings.Contains(s, "&lt;<mark>script&gt;alert</mark>(1)&lt;/<mark>script</mark>&gt;") {
		t.Errorf("snippet %q: want the escaped element with the terms marked", s)
	}
}

// readTree returns every file under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[rel], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameAsFresh checks that the export in dir/updated, written after
// updates, is the export of a fresh build of docs (written in dir/fresh and
// dir/fresh-search).
func sameAsFresh(t *testing.T, what, dir string, docs []Doc) {
	t.Helper()
	fresh := filepath.Join(dir, "fresh")
	if _, err := Build(context.Background(), fresh, docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(fresh, filepath.Join(dir, "fresh-search")); err != nil {
		t.Fatal(err)
	}
	sameTree(t, what, readTree(t, filepath.Join(dir, "fresh-search")), readTree(t, filepath.Join(dir, "updated")))
}

func sameTree(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%s: %d files, then %d", what, len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

// TestDeterminism: exporting twice, or from two builds of the same
// documents in another order, gives the same bytes.
func TestDeterminism(t *testing.T) {
	f := testFixture(t)
	first := readTree(t, f.out)
	if len(first) != 7 {
		t.Fatalf("export wrote %d files %v, want manifest.json, client.js and h/: dictionary (every list in it), docs table, texts, filters and variants", len(first), slices.Collect(maps.Keys(first)))
	}
	again := filepath.Join(t.TempDir(), "again")
	if _, err := Export(f.index, again); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "export twice", first, readTree(t, again))

	docs := slices.Clone(f.docs)
	slices.Reverse(docs)
	dir := t.TempDir()
	if _, err := Build(context.Background(), filepath.Join(dir, "index"), docs, BuildOptions{BatchSize: 3, Batches: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(filepath.Join(dir, "index"), filepath.Join(dir, "search")); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "rebuilt in another order", first, readTree(t, filepath.Join(dir, "search")))
}

// TestUpdate: replacing a record and adding one incrementally gives the
// same export as building the final documents from scratch.
func TestUpdate(t *testing.T) {
	f := testFixture(t)
	const changed, added = "2020-08-12-開放政府協作會議.md", "2017-05-31-綠色和平電台訪問.md"
	var before, after, newDocs []Doc
	for _, d := range f.docs {
		switch d.Source {
		case added:
			after = append(after, d)
			newDocs = append(newDocs, d)
			continue
		case changed:
			before = append(before, d)
			if d.Turn == 4 {
				continue // a turn deleted
			}
			if d.Turn == 5 {
				d.Text = "謝謝，那我們下一案：鳳梨。" // a turn edited, same id
			}
			after = append(after, d)
			newDocs = append(newDocs, d)
			continue
		}
		before = append(before, d)
		after = append(after, d)
	}
	dir := t.TempDir()
	index := filepath.Join(dir, "index")
	if _, err := Build(context.Background(), index, before, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	keys, err := Keys(index, changed)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 6 {
		t.Fatalf("Keys(%s) = %v, want its 6 documents", changed, keys)
	}
	st, err := Update(context.Background(), index, keys, newDocs, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != len(after) || st.Added != len(newDocs) || st.Removed != 6 {
		t.Errorf("Update stats %+v, want %d documents, %d added, 6 removed", st, len(after), len(newDocs))
	}
	if _, err := Export(index, filepath.Join(dir, "updated")); err != nil {
		t.Fatal(err)
	}
	sameAsFresh(t, "updated vs built", dir, after)
	res, err := Query(index, "鳳梨", QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Turn != 5 {
		t.Errorf("after the update 鳳梨 finds %v, want only the edited turn 5", res)
	}
}

func TestDocsFromArchive(t *testing.T) {
	f := testFixture(t)
	for _, d := range f.docs {
		if strings.HasSuffix(d.Source, ".md") && (d.ID == "" || !strings.HasSuffix(d.URL, "/#"+d.ID)) {
			t.Errorf("doc %+v: URL is not /slug/#id", d)
		}
	}
	n := 0
	for _, d := range f.docs {
		if d.Source == "2019-11-23-Interview-with-DW.md" {
			n++
			if d.Turn%2 == 0 && d.Speaker != "唐鳳" || d.Turn%2 == 1 && d.Speaker != "Interviewer" {
				t.Errorf("turn %d: speaker %q", d.Turn, d.Speaker)
			}
			if d.Date != "2019-11-23" || d.Kind != "transcript" || d.Lang != "en" || d.Title != "Interview with DW" {
				t.Errorf("turn %d: record fields %+v", d.Turn, d)
			}
		}
	}
	if n != 6 {
		t.Errorf("Interview with DW: %d docs, want 6", n)
	}
	// the stage direction before the first speaker is a narrative segment
	found := false
	for _, d := range f.docs {
		if d.Source == "2020-08-12-開放政府協作會議.md" && d.Turn == 0 && strings.Contains(d.Text, "會議開始") {
			found = true
		}
	}
	if !found {
		t.Error("the narrative segment of 開放政府協作會議 is not a document")
	}
}

func TestDuplicateKeys(t *testing.T) {
	d := Doc{ID: "x", URL: "/r/#x", Source: "r.md", Text: "a"}
	_, err := Build(context.Background(), filepath.Join(t.TempDir(), "index"), []Doc{d, d}, BuildOptions{})
	if err == nil || !strings.Contains(err.Error(), "r.md") {
		t.Errorf("Build with a repeated key: %v, want an error naming the record", err)
	}
}

// TestBuildFromStreams: BuildFrom makes a source's documents only when a
// batch needs them, so the sources made and not yet indexed stay a few
// batches' worth however many there are; and it refuses a source given
// twice or mixed with another, which would overwrite a unit.
func TestBuildFromStreams(t *testing.T) {
	const n, perSource, batch = 400, 3, 6
	var mu sync.Mutex
	made, indexed, most := 0, 0, 0
	source := func(i int) []Doc {
		mu.Lock()
		made++
		most = max(most, made-indexed)
		mu.Unlock()
		docs := make([]Doc, perSource)
		for j := range docs {
			id := fmt.Sprintf("t%d", j)
			docs[j] = Doc{ID: id, URL: fmt.Sprintf("/r%d/#%s", i, id), Source: fmt.Sprintf("r%d.md", i), Text: fmt.Sprintf("turn %d of record %d", j, i)}
		}
		return docs
	}
	index := filepath.Join(t.TempDir(), "index")
	st, err := BuildFrom(context.Background(), index, n, source, BuildOptions{BatchSize: batch, Batches: 2, Progress: func(done, total int) {
		mu.Lock()
		indexed = done
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != n*perSource || made != n {
		t.Errorf("indexed %d documents of %d sources made, want %d of %d", st.Docs, made, n*perSource, n)
	}
	// the window made ahead, the batch being cut and the two in flight
	if limit := 4*runtime.GOMAXPROCS(0) + 3*batch/perSource; most > limit {
		t.Errorf("up to %d sources made and not yet indexed, want at most %d", most, limit)
	}
	units, err := filepath.Glob(filepath.Join(index, unitsDir, "*.bin"))
	if err != nil || len(units) != n {
		t.Errorf("%d unit files (%v), want one per source, %d", len(units), err, n)
	}

	for _, bad := range [][][]Doc{
		{{{ID: "a", Source: "r.md", Text: "x"}}, {{ID: "b", Source: "r.md", Text: "y"}}},
		{{{ID: "a", Source: "r.md", Text: "x"}, {ID: "b", Source: "s.md", Text: "y"}}},
	} {
		_, err := BuildFrom(context.Background(), filepath.Join(t.TempDir(), "index"), len(bad), func(i int) []Doc { return bad[i] }, BuildOptions{})
		if err == nil || !strings.Contains(err.Error(), "r.md") {
			t.Errorf("BuildFrom of %v: %v, want an error naming r.md", bad, err)
		}
	}
}

// TestEmpty: an archive with no documents still builds, exports and
// answers (nothing).
func TestEmpty(t *testing.T) {
	dir := t.TempDir()
	index, out := filepath.Join(dir, "index"), filepath.Join(dir, "search")
	if _, err := Build(context.Background(), index, nil, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(index, out); err != nil {
		t.Fatal(err)
	}
	for _, rs := range both(t, index, out, []jsQuery{{"開放政府", nil}, {"鳳", map[string]any{"speaker": "唐鳳"}}}) {
		if len(rs) != 0 {
			t.Errorf("empty index: results %v", rs)
		}
	}
}

// TestConcurrentQueries: one Searcher serves queries from many goroutines.
func TestConcurrentQueries(t *testing.T) {
	f := testFixture(t)
	s, err := Open(f.index)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	qs := []string{"開放政府", "鳳", "government data", "語有客語的拼"}
	want := make([]string, len(qs))
	for i, q := range qs {
		res, err := s.Query(q, QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		want[i] = string(b)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				k := (g + i) % len(qs)
				res, err := s.Query(qs[k], QueryOptions{})
				b, _ := json.Marshal(res)
				if err != nil || string(b) != want[k] {
					t.Errorf("concurrent %q: %v %s", qs[k], err, b)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestTwins: a turn of a bilingual pair finds its translation's
// permalink and language, in Go and in client.js alike; a turn of a
// record without one has none.
func TestTwins(t *testing.T) {
	a, diags := testarchive.Load(t, "../generator/align/testdata", "")
	if diags.Failed(false) {
		t.Fatalf("align testdata: %s", diags)
	}
	dir := t.TempDir()
	index, out := filepath.Join(dir, "index"), filepath.Join(dir, "search")
	if _, err := Build(context.Background(), index, DocsFromArchive(a), BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(index, out); err != nil {
		t.Fatal(err)
	}
	const en, zh = "2025-01-29-Interview-with-BBC-Newsday.md", "2025-01-29-BBC-Newsday-訪談.md"
	res := both(t, index, out, []jsQuery{
		{"called the rise of the Chinese company DeepSeek a wake-up call", nil},
		{"Shoukei", map[string]any{"limit": 1}}, // an unsure pair: no twins
	})
	if len(res[0]) == 0 || res[0][0].Source != en {
		t.Fatalf("the quote finds %+v, want %s first", res[0], en)
	}
	r := res[0][0]
	other := a.Record(zh)
	if other == nil || r.TwinLang != "zh-TW" || !strings.HasPrefix(r.Twin, other.URL()+"#") {
		t.Fatalf("twin %q (%s), want a turn of %s in zh-TW", r.Twin, r.TwinLang, zh)
	}
	id := strings.TrimPrefix(r.Twin, other.URL()+"#")
	if !slices.ContainsFunc(other.Turns, func(tn model.Turn) bool { return tn.ID == id && tn.Ordinal == r.Turn }) {
		t.Errorf("twin %s is not turn %d of %s", r.Twin, r.Turn, zh)
	}
	for _, r := range res[1] {
		if r.Twin != "" {
			t.Errorf("%s turn %d of an unsure pair has a twin %s", r.Source, r.Turn, r.Twin)
		}
	}
}

// TestCurrent: an index of another format (an older program's) is not
// current, so a build rebuilds it rather than failing to update it.
func TestCurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if Current(dir) {
		t.Error("no index is current")
	}
	if _, err := Build(context.Background(), dir, testFixture(t).docs[:3], BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if !Current(dir) {
		t.Fatal("a new index is not current")
	}
	idx, st, err := open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	st.Format--
	raw, _ := json.Marshal(st)
	if err := idx.SetInternal(statsKey, raw); err != nil {
		t.Fatal(err)
	}
	idx.Close()
	if Current(dir) {
		t.Error("an index of the previous format is current")
	}
}
