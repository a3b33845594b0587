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

	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"github.com/ogarchive/ogarchive/generator/camp"
	"github.com/ogarchive/ogarchive/generator/plan"
	"github.com/ogarchive/ogarchive/internal/parallel"
	"github.com/ogarchive/ogarchive/search"
)

// SearchDocs is every searchable document of the archive: each turn, each
// commitment and milestone, each camp outcome.
func SearchDocs(l *Loaded) []search.Doc {
	var more []search.Doc
	for _, d := range plan.SearchDocs(l.Plans) {
		more = append(more, search.Doc{ID: d.ID, URL: d.URL, Source: d.Source, Speaker: d.Speaker, Date: d.Date,
			Title: d.Title, Kind: d.Kind, Lang: d.Lang, Text: d.Text})
	}
	for _, d := range camp.SearchDocs(l.Camps) {
		more = append(more, search.Doc{ID: d.ID, URL: d.URL, Source: d.Source, Speaker: d.Speaker, Date: d.Date,
			Title: d.Title, Kind: d.Kind, Lang: d.Lang, Text: d.Text})
	}
	return search.DocsFromArchive(l.Archive, more...)
}

// sourcesFile remembers, beside the index, a hash of each source's
// documents, so a rebuild re-indexes only the sources that changed.
const sourcesFile = "ogarchive-sources.json"

// indexDocs brings the bleve index at dir up to date with docs: a fresh
// build when there is no usable index, otherwise an update of the sources
// whose documents changed. It reports whether the index changed.
func indexDocs(ctx context.Context, dir string, docs []search.Doc, progress func(int, int)) (bool, error) {
	bySource := map[string][]search.Doc{}
	for _, d := range docs {
		bySource[d.Source] = append(bySource[d.Source], d)
	}
	hashes := sourceHashes(bySource)
	opts := search.BuildOptions{Progress: progress}
	rebuild := func() (bool, error) {
		if _, err := search.Build(ctx, dir, docs, opts); err != nil {
			return true, err
		}
		return true, writeSources(dir, hashes)
	}
	old, err := readSources(dir)
	if err != nil {
		return rebuild()
	}
	var changed []string
	for src, h := range hashes {
		if old[src] != h {
			changed = append(changed, src)
		}
	}
	for src := range old {
		if _, ok := hashes[src]; !ok {
			changed = append(changed, src)
		}
	}
	if len(changed) == 0 {
		return false, nil
	}
	sort.Strings(changed)
	remove, err := search.Keys(dir, changed...)
	if err != nil {
		// An index of an older format, or a damaged one: it is derived
		// data, built again.
		return rebuild()
	}
	var add []search.Doc
	for _, src := range changed {
		add = append(add, bySource[src]...)
	}
	// The sources list goes first: a build killed during the update then
	// finds no list and rebuilds the index from scratch.
	if err := os.Remove(filepath.Join(dir, sourcesFile)); err != nil {
		return true, err
	}
	if _, err := search.Update(ctx, dir, remove, add, opts); err != nil {
		return rebuild()
	}
	return true, writeSources(dir, hashes)
}

// sourceHashes hashes each source's documents, every field length-prefixed,
// on every core.
func sourceHashes(bySource map[string][]search.Doc) map[string]string {
	sources := make([]string, 0, len(bySource))
	for src := range bySource {
		sources = append(sources, src)
	}
	sums := make([]string, len(sources))
	parallel.Do(len(sources), func(i int) error {
		h := sha256.New()
		var buf []byte
		for _, d := range bySource[sources[i]] {
			buf = buf[:0]
			for _, f := range []string{d.ID, d.URL, d.Source, d.Speaker, d.Date, d.Title, d.Kind, d.Lang, d.Text} {
				buf = binary.AppendUvarint(buf, uint64(len(f)))
				buf = append(buf, f...)
			}
			buf = binary.AppendVarint(buf, int64(d.Turn))
			h.Write(buf)
		}
		sums[i] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	hashes := make(map[string]string, len(sources))
	for i, src := range sources {
		hashes[src] = sums[i]
	}
	return hashes
}

func readSources(dir string) (map[string]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, sourcesFile))
	if err != nil {
		return nil, err
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func writeSources(dir string, m map[string]string) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, sourcesFile), b)
}

// finder answers the commitments' "related discussion" from the index.
type finder struct{ s *search.Searcher }

func (f finder) Related(q string, n int) []plan.Related {
	res, err := f.s.Query(q, search.QueryOptions{Kind: []string{"transcript"}, Limit: n})
	if err != nil {
		return nil
	}
	out := make([]plan.Related, 0, len(res))
	for _, r := range res {
		out = append(out, plan.Related{URL: r.URL, Record: r.Title, Date: r.Date, Speaker: r.Speaker,
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
