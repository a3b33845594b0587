package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/ogarchive/ogarchive/generator/camp"
	"github.com/ogarchive/ogarchive/generator/plan"
	"github.com/ogarchive/ogarchive/search"
)

// SearchDocs is every searchable document of the archive: each turn, each
// commitment and milestone, each camp outcome.
func SearchDocs(l *Loaded) []search.Doc {
	docs := search.DocsFromArchive(l.Archive)
	for _, d := range plan.SearchDocs(l.Plans) {
		docs = append(docs, search.Doc{ID: d.ID, URL: d.URL, Source: d.Source, Speaker: d.Speaker, Date: d.Date,
			Title: d.Title, Kind: d.Kind, Lang: d.Lang, Text: d.Text})
	}
	for _, d := range camp.SearchDocs(l.Camps) {
		docs = append(docs, search.Doc{ID: d.ID, URL: d.URL, Source: d.Source, Speaker: d.Speaker, Date: d.Date,
			Title: d.Title, Kind: d.Kind, Lang: d.Lang, Text: d.Text})
	}
	return docs
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
	hashes := map[string]string{}
	for src, ds := range bySource {
		h := sha256.New()
		_ = json.NewEncoder(h).Encode(ds)
		hashes[src] = hex.EncodeToString(h.Sum(nil))
	}
	opts := search.BuildOptions{Progress: progress}
	old, err := readSources(dir)
	if err != nil {
		if _, err := search.Build(ctx, dir, docs, opts); err != nil {
			return true, err
		}
		return true, writeSources(dir, hashes)
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
		return true, err
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
		return true, err
	}
	return true, writeSources(dir, hashes)
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

// exportSearch writes the static search files into the site's search/
// directory, beside the search page Hugo rendered there.
func exportSearch(index, site string) error {
	tmp := filepath.Join(site, ".search-export")
	defer os.RemoveAll(tmp)
	if _, err := search.Export(index, tmp); err != nil {
		return err
	}
	dst := filepath.Join(site, "search")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	for _, e := range entries {
		to := filepath.Join(dst, e.Name())
		if e.Name() == "index.html" {
			return errors.New("search export would overwrite the search page")
		}
		if err := os.RemoveAll(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.Rename(filepath.Join(tmp, e.Name()), to); err != nil {
			return err
		}
	}
	return nil
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
