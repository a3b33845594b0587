package pipeline

import (
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/kinds"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/search"
)

// notices is a toy kind of record, written against generator/kind alone
// as docs/ARCHITECTURE.md tells: notices/<name>.txt holds a title line, a
// "cites: <record slug>#<turn>" line and a body.
type notices struct{}

type notice struct {
	name, file, title, body string
	cite                    content.CiteLink
	slug, turn              string // the turn cited
}

type noticeRecords []notice

func (notices) Name() string { return "notices" }

func (notices) Load(env *kind.Env) (kind.Records, error) {
	files, err := filepath.Glob(filepath.Join(env.Dir, "notices", "*.txt"))
	if err != nil {
		return nil, err
	}
	var out noticeRecords
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		file := "notices/" + filepath.Base(path)
		lines := strings.SplitN(string(b), "\n", 3)
		ref, ok := strings.CutPrefix(lines[1], "cites: ")
		slug, n, _ := strings.Cut(ref, "#")
		turn := turnID(env.Archive, slug, n)
		if !ok || turn == "" {
			env.Findings.Errorf(file, 2, "line 2 must be %q naming a turn of a transcript", "cites: <slug>#<turn>")
			continue
		}
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		out = append(out, notice{name: name, file: file, title: lines[0], body: lines[2], slug: slug, turn: turn,
			cite: content.CiteLink{Title: lines[0], URL: "/notices/" + name + "/", Kind: "notice"}})
	}
	return out, nil
}

// turnID is the permalink id of the n-th speaker turn of the record at
// slug, or "" when there is none.
func turnID(a *model.Archive, slug, n string) string {
	i, _ := strconv.Atoi(n)
	for _, r := range a.Records {
		if !strings.EqualFold(r.Slug, slug) {
			continue
		}
		for _, t := range r.Turns {
			if t.Ordinal == i && i > 0 {
				return t.ID
			}
		}
	}
	return ""
}

func (ns noticeRecords) Cites() kind.Citations {
	c := kind.Citations{}
	for _, n := range ns {
		c[n.slug] = map[string][]content.CiteLink{n.turn: {n.cite}}
	}
	return c
}

func (ns noticeRecords) Search(*kind.Env) []kind.Source {
	var docs []model.SearchDoc
	for _, n := range ns {
		docs = append(docs, model.SearchDoc{ID: n.name, URL: n.cite.URL, Source: n.file, Title: n.title, Kind: "notice", Lang: "en", Text: n.body})
	}
	return kind.BySource(docs)
}

func (ns noticeRecords) Pages(*kind.Env) iter.Seq[content.Page] {
	var pages []content.Page
	for _, n := range ns {
		pages = append(pages, content.Page{Path: content.LangDir("en") + "/notices/" + n.name + ".md",
			Front: map[string]string{"title": n.title, "url": n.cite.URL}, Body: n.body})
	}
	return slices.Values(pages)
}

func (ns noticeRecords) Static(_ *kind.Env, dir string) error {
	var b strings.Builder
	for _, n := range ns {
		fmt.Fprintln(&b, n.cite.URL)
	}
	return os.WriteFile(filepath.Join(dir, "notices.txt"), []byte(b.String()), 0o644)
}

// TestToyKind: a kind added through generator/kind alone, with no change
// to the pipeline, gets its pages, search documents, static files,
// citations on the cited record's page and file:line findings.
func TestToyKind(t *testing.T) {
	recs := copyDir(t, filepath.Join("..", "records", "testdata", "archive"))
	if err := os.CopyFS(filepath.Join(recs, "notices"), os.DirFS(filepath.Join("testdata", "notices"))); err != nil {
		t.Fatal(err)
	}
	out, index := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "index")
	res, err := Build(Options{
		Records: recs, Out: out, Work: filepath.Join(t.TempDir(), "site"), Index: index,
		BaseURL: "https://archive.example.org/", Theme: repo, Kinds: append(kinds.Default(), notices{}),
	})
	if err != nil {
		t.Fatalf("build: %v\n%s", err, res.Findings)
	}
	if f := res.Findings.String(); !strings.Contains(f, "notices/broken.txt:2") || !strings.Contains(f, "cites: <slug>#<turn>") {
		t.Errorf("no finding naming notices/broken.txt:2 with the fix:\n%s", f)
	}
	for _, c := range []struct{ file, want string }{
		{"notices/officers/index.html", "zebrafinch officers"},
		{"2019-11-23-interview-with-dw/index.html", `<a href="/notices/officers/">Participation officers, again</a>`},
		{"notices.txt", "/notices/officers/"},
	} {
		if got := read(t, filepath.Join(out, filepath.FromSlash(c.file))); !strings.Contains(got, c.want) {
			t.Errorf("%s lacks %s", c.file, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "notices", "broken")); err == nil {
		t.Error("the notice with an error was published")
	}
	s, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, err := s.Query("zebrafinch", search.QueryOptions{Limit: 5})
	if err != nil || len(hits) != 1 || hits[0].URL != "/notices/officers/" {
		t.Errorf("search for the notice's text: %v %+v", err, hits)
	}
}

// countingFinder answers every question with one passage naming it, and
// counts the questions.
type countingFinder struct{ asked *int }

func (f countingFinder) Related(q string, n int) []kind.Passage {
	*f.asked++
	return []kind.Passage{{URL: "/r/#" + q, Text: fmt.Sprint(n)}}
}

// TestAnswers: the index is asked each question once; once it is closed,
// the questions asked before are answered from memory and others find
// nothing, without asking it.
func TestAnswers(t *testing.T) {
	asked := 0
	a := newAnswers(countingFinder{&asked})
	steps := []struct {
		q     string
		n     int
		close bool
		found bool
		asked int
	}{
		{q: "open data", n: 5, found: true, asked: 1},
		{q: "open data", n: 5, found: true, asked: 1},
		{q: "open data", n: 6, found: true, asked: 2}, // another question
		{q: "open data", n: 5, close: true, found: true, asked: 2},
		{q: "never asked", n: 5, found: false, asked: 2},
	}
	for i, s := range steps {
		if s.close {
			a.close()
		}
		got := a.Related(s.q, s.n)
		if found := len(got) == 1 && got[0].URL == "/r/#"+s.q && got[0].Text == fmt.Sprint(s.n); found != s.found || (!s.found && len(got) > 0) {
			t.Errorf("step %d: Related(%q, %d) = %v, want found %v", i, s.q, s.n, got, s.found)
		}
		if asked != s.asked {
			t.Errorf("step %d: the index was asked %d times, want %d", i, asked, s.asked)
		}
	}
}
