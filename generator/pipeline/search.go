package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/internal/parallel"
	"github.com/ogarchive/ogarchive/search"
)

// sourcesFile remembers, beside the index, what each source's documents
// were made from and a digest of them, so that a rebuild makes the
// documents of the sources whose inputs changed alone, and re-indexes those
// whose documents did.
const sourcesFile = "ogarchive-sources.json"

// sourceState is what sourcesFile holds of one source.
type sourceState struct {
	Inputs string `json:"inputs,omitempty"`
	Docs   string `json:"docs"`
}

// indexDocs brings the bleve index at dir up to date with the sources'
// documents: a fresh build when there is no usable index, otherwise an
// update of the sources whose documents changed. It reports whether the
// index changed.
func indexDocs(ctx context.Context, dir string, sources []kind.Source, progress func(int, int)) (bool, error) {
	old, err := readSources(dir)
	// no index yet, or one an older version of this program built
	fresh := err != nil || !search.Current(dir)
	made := make([][]search.Doc, len(sources))
	states := make([]sourceState, len(sources))
	// docs makes the i-th source's documents, or takes them made.
	docs := func(i int) []search.Doc {
		d := made[i]
		if d == nil {
			d = sources[i].Docs()
		}
		states[i] = sourceState{Inputs: sources[i].Inputs, Docs: docsDigest(d)}
		return d
	}
	next := func() map[string]sourceState {
		m := make(map[string]sourceState, len(sources))
		for i, s := range sources {
			m[s.Name] = states[i]
		}
		return m
	}
	opts := search.BuildOptions{Progress: progress}
	// A new index is built source by source, each one's documents made as
	// the index takes them and let go once in it: indexing is the build's
	// peak of memory.
	rebuild := func() (bool, error) {
		if _, err := search.BuildFrom(ctx, dir, len(sources), func(i int) []search.Doc {
			d := docs(i)
			made[i] = nil
			return d
		}, opts); err != nil {
			return true, err
		}
		return true, writeSources(dir, next())
	}
	if fresh {
		return rebuild()
	}
	var todo []int
	for i, s := range sources {
		if o, ok := old[s.Name]; ok && s.Inputs != "" && o.Inputs == s.Inputs {
			states[i] = o
			continue
		}
		todo = append(todo, i)
	}
	parallel.Do(len(todo), func(k int) error {
		made[todo[k]] = docs(todo[k])
		return nil
	})
	var changed []string
	var add []search.Doc
	for _, i := range todo {
		if o, ok := old[sources[i].Name]; !ok || o.Docs != states[i].Docs {
			changed = append(changed, sources[i].Name)
			add = append(add, made[i]...)
		}
	}
	now := next()
	for src := range old {
		if _, ok := now[src]; !ok {
			changed = append(changed, src)
		}
	}
	if len(changed) == 0 {
		if len(todo) > 0 {
			// New inputs, the same documents (a new version of this
			// program): remembered, so the next build need not make them.
			return false, writeSources(dir, now)
		}
		return false, nil
	}
	sort.Strings(changed)
	remove, err := search.Keys(dir, changed...)
	if err != nil {
		// An index of an older format, or a damaged one: it is derived
		// data, built again.
		return rebuild()
	}
	// The sources list goes first: a build killed during the update then
	// finds no list and rebuilds the index from scratch.
	if err := os.Remove(filepath.Join(dir, sourcesFile)); err != nil {
		return true, err
	}
	if _, err := search.Update(ctx, dir, remove, add, opts); err != nil {
		return rebuild()
	}
	return true, writeSources(dir, now)
}

// docsDigest digests a source's documents, every field length-prefixed.
func docsDigest(docs []search.Doc) string {
	h := sha256.New()
	var buf []byte
	for _, d := range docs {
		buf = buf[:0]
		for _, f := range []string{d.ID, d.URL, d.Source, d.Speaker, d.Date, d.Title, d.Kind, d.Lang, d.Text} {
			buf = binary.AppendUvarint(buf, uint64(len(f)))
			buf = append(buf, f...)
		}
		buf = binary.AppendVarint(buf, int64(d.Turn))
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func readSources(dir string) (map[string]sourceState, error) {
	b, err := os.ReadFile(filepath.Join(dir, sourcesFile))
	if err != nil {
		return nil, err
	}
	var m map[string]sourceState
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func writeSources(dir string, m map[string]sourceState) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, sourcesFile), b)
}

// answers is the Finder the kinds get (Env.Related): the index's answers,
// remembered, so that once the kinds have asked (see kind.Asker) the index
// can close and the pages still get them. A question not asked before it
// closed finds nothing.
type answers struct {
	mu    sync.Mutex
	index kind.Finder // nil once closed
	found map[question][]kind.Passage
}

type question struct {
	q string
	n int
}

func newAnswers(index kind.Finder) *answers {
	return &answers{index: index, found: map[question][]kind.Passage{}}
}

func (a *answers) Related(q string, n int) []kind.Passage {
	a.mu.Lock()
	found, ok := a.found[question{q, n}]
	index := a.index
	a.mu.Unlock()
	if ok || index == nil {
		return found
	}
	found = index.Related(q, n)
	a.mu.Lock()
	a.found[question{q, n}] = found
	a.mu.Unlock()
	return found
}

// close stops asking the index: what was found is what there is.
func (a *answers) close() {
	a.mu.Lock()
	a.index = nil
	a.mu.Unlock()
}

// finder answers the commitments' "related discussion" from the index.
type finder struct{ s *search.Searcher }

func (f finder) Related(q string, n int) []kind.Passage {
	res, err := f.s.Query(q, search.QueryOptions{Kind: []string{"transcript"}, Limit: n, Literal: true})
	if err != nil {
		return nil
	}
	out := make([]kind.Passage, 0, len(res))
	for _, r := range res {
		out = append(out, kind.Passage{URL: r.URL, Record: r.Title, Date: r.Date, Speaker: r.Speaker,
			Lang: langOf(r.Snippet), Text: search.SnippetText(r.Snippet, "", "")})
	}
	return out
}

// langOf guesses a snippet's language as the records do: Han characters
// mean Traditional Chinese.
func langOf(s string) string {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return "zh-TW"
		}
	}
	return "en"
}
