package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// Field names of the index.
const (
	fieldText    = "text"
	fieldRec     = "rec"
	fieldSource  = "source"
	fieldSpeaker = "speaker"
	fieldTurn    = "turn"
	fieldURL     = "url"
	fieldTwin    = "twin"
)

// recMeta is what the documents of one record share, kept as one keyword
// per document: in doc values, where consecutive equal values compress to
// almost nothing, rather than as stored fields, which bleve compresses one
// document at a time.
type recMeta struct {
	Source string `json:"s"`
	Title  string `json:"t"`
	Date   string `json:"d"`
	Kind   string `json:"k"`
	Lang   string `json:"l"`
	// Base is the URL every document's permalink is Base+"#"+ID of; ""
	// when a document's URL does not have that shape and is stored whole.
	Base string `json:"u"`
}

// meta splits d into its record part and, when its URL is not the usual
// /slug/#id, the URL to store.
func meta(d *Doc) (recMeta, string) {
	m := recMeta{Source: d.Source, Title: d.Title, Date: d.Date, Kind: d.Kind, Lang: d.Lang}
	if base, ok := strings.CutSuffix(d.URL, "#"+d.ID); ok && d.ID != "" {
		m.Base = base
		return m, ""
	}
	return m, d.URL
}

// statsKey is the internal key of the index statistics.
var statsKey = []byte("ogarchive/stats")

// indexStats are the collection statistics BM25 needs, kept in the index
// because bleve does not sum field lengths.
type indexStats struct {
	Format  int   `json:"format"`
	Docs    int   `json:"docs"`
	TextLen int64 `json:"textLen"` // summed token count of the text field
}

// formatVersion changes whenever the index layout or analysis changes, so
// that an old index is rebuilt rather than misread.
const formatVersion = 4

// BuildOptions tune Build and Update.
type BuildOptions struct {
	// BatchSize is the number of documents per bleve batch (default 8000):
	// larger batches make fewer segments and merge less.
	BatchSize int
	// Batches is how many batches are indexed at once (default
	// GOMAXPROCS): scorch analyses a batch on every core but builds its
	// segment on one.
	Batches int
	// Progress, when set, is called after each batch.
	Progress func(done, total int)
}

func (o BuildOptions) batchSize() int {
	if o.BatchSize > 0 {
		return o.BatchSize
	}
	return 8000
}

// Stats describe a finished Build or Update.
type Stats struct {
	Docs     int           // documents in the index afterwards
	Added    int           // documents indexed by this call
	Removed  int           // documents deleted by this call
	Bytes    int64         // size of the index directory
	Duration time.Duration // wall time
}

// schema is the index mapping. Documents are built by hand (document)
// rather than mapped by reflection, which is faster; the mapping still
// declares every field so that the index describes itself.
func schema() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	m.DefaultAnalyzer = keyword.Name
	dm := bleve.NewDocumentStaticMapping()
	field := func(name, analyzer string, o index.FieldIndexingOptions) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name, f.Analyzer = name, analyzer
		f.Index, f.Store, f.DocValues = o.IsIndexed(), o.IsStored(), o.IncludeDocValues()
		f.IncludeTermVectors, f.IncludeInAll, f.SkipFreqNorm = false, false, o.SkipFreqNorm()
		return f
	}
	dm.AddFieldMappingsAt(fieldText, field(fieldText, textAnalyzer, optText))
	for _, f := range []string{fieldRec, fieldSpeaker, fieldTurn} {
		dm.AddFieldMappingsAt(f, field(f, keyword.Name, optKeyword))
	}
	dm.AddFieldMappingsAt(fieldSource, field(fieldSource, keyword.Name, optSource))
	dm.AddFieldMappingsAt(fieldURL, field(fieldURL, keyword.Name, optStored))
	dm.AddFieldMappingsAt(fieldTwin, field(fieldTwin, keyword.Name, optStored))
	m.DefaultMapping = dm
	return m
}

// Indexing options per kind of field.
const (
	optText    = index.IndexField | index.StoreField
	optKeyword = index.IndexField | index.DocValues | index.SkipFreqNorm
	optSource  = index.IndexField | index.SkipFreqNorm
	optStored  = index.StoreField
)

// recOf is the rec field of d (the JSON of its recMeta) and the URL to
// store, if any (see meta).
func recOf(d *Doc) (string, string) {
	m, url := meta(d)
	rec, _ := json.Marshal(m) // strings only: cannot fail
	return string(rec), url
}

// twinOf is what the index and the export keep of d's twin, the same turn
// in the other language: its language and permalink, space-separated; ""
// for none.
func twinOf(d *Doc) string {
	if d.TwinURL == "" {
		return ""
	}
	return d.TwinLang + " " + d.TwinURL
}

// splitTwin is twinOf's language and permalink.
func splitTwin(tw string) (lang, url string) {
	lang, url, _ = strings.Cut(tw, " ")
	return lang, url
}

// turnTerm is the turn ordinal as indexed: zero-padded so that it sorts.
func turnTerm(n int) string { return fmt.Sprintf("%08d", n) }

// document turns d, whose rec field and stored URL are rec and url (see
// recOf), into a bleve document.
func document(d *Doc, rec, url string, text, kw analysis.Analyzer) *bdoc.Document {
	doc := bdoc.NewDocument(d.Key())
	add := func(name, value string, o index.FieldIndexingOptions, an analysis.Analyzer) {
		doc.AddField(bdoc.NewTextFieldCustom(name, nil, []byte(value), o, an))
	}
	add(fieldText, d.Text, optText, text)
	add(fieldRec, rec, optKeyword, kw)
	add(fieldSource, d.Source, optSource, kw)
	if d.Speaker != "" {
		add(fieldSpeaker, d.Speaker, optKeyword, kw)
	}
	add(fieldTurn, turnTerm(d.Turn), optKeyword, kw)
	if url != "" {
		add(fieldURL, url, optStored, nil)
	}
	if tw := twinOf(d); tw != "" {
		add(fieldTwin, tw, optStored, nil)
	}
	return doc
}

// textLength counts the tokens a document adds to the text field.
func textLength(text string) (n int64) {
	scan(text, true, func(int, []byte, int, int, int) { n++ })
	return n
}

// storeConfig is the scorch configuration an index is created with; bleve
// keeps it in the index's metadata, so every later open uses it too. A new
// map each time: bleve adds the index's path and options to the one it is
// given, and builds may run side by side.
//
// A first build makes one segment per batch (55 for the full-size
// archive). Merging them as they came and then into one segment cost 12 to
// 15 % of the indexing CPU (docs/BENCHMARKS.md) for an index a sixth
// smaller, and nothing reads the whole index back any more (the static
// export has its own copy of the terms, see units.go); a query visits each
// segment's dictionary, a few milliseconds more. So up to 60 segments of a
// size stay as they are: a first build of a few times the archive merges
// nothing, and rebuilds, which add a small segment each, merge those small
// ones among themselves once there are many.
func storeConfig() map[string]any {
	return map[string]any{
		"scorchMergePlanOptions": map[string]any{"MaxSegmentsPerTier": 60},
	}
}

// Build indexes docs into a new index at indexDir, replacing whatever was
// there. Documents with the same Key must not repeat.
func Build(ctx context.Context, indexDir string, docs []Doc, opts BuildOptions) (Stats, error) {
	groups := bySource(docs)
	return BuildFrom(ctx, indexDir, len(groups), func(i int) []Doc { return groups[i] }, opts)
}

// BuildFrom is Build of the documents of n sources, made as they are
// indexed: source(i) is the documents of the i-th source, all of one
// Source, and is called on several goroutines. Only the batches in flight
// are held, with their units for the export, so an archive of any size is
// indexed in the memory of a few batches and the dictionary of its terms.
// Progress counts sources.
func BuildFrom(ctx context.Context, indexDir string, n int, source func(i int) []Doc, opts BuildOptions) (Stats, error) {
	start := time.Now()
	if err := os.RemoveAll(indexDir); err != nil {
		return Stats{}, err
	}
	idx, err := bleve.NewUsing(indexDir, schema(), scorch.Name, scorch.Name, storeConfig())
	if err != nil {
		return Stats{}, fmt.Errorf("create index %s: %w", indexDir, err)
	}
	st := indexStats{Format: formatVersion}
	dict := newTermDict()
	err = write(ctx, idx, nil, sourceChunks(n, source, opts.batchSize()), n, &st, opts, dict, func(docs []Doc, udocs []udoc) error {
		return writeUnits(indexDir, unitsOf(docs, udocs))
	})
	if err == nil {
		// Last: an index whose build stopped has units and no dictionary,
		// and no sources list beside it, so the next build starts over.
		err = dict.save(indexDir)
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Stats{}, err
	}
	return finish(indexDir, st, st.Docs, 0, start)
}

// Update removes the documents with the given keys (see Doc.Key and Keys)
// and indexes docs, in one pass, keeping the statistics current. To replace
// a record, remove the keys Keys returns for its file and add its new docs.
func Update(ctx context.Context, indexDir string, removeKeys []string, docs []Doc, opts BuildOptions) (Stats, error) {
	start := time.Now()
	if err := checkKeys(docs); err != nil {
		return Stats{}, err
	}
	idx, st, err := open(indexDir, false)
	if err != nil {
		return Stats{}, err
	}
	// A document added under a key the index has replaces it: remove it
	// first so that the statistics count it once.
	remove := append([]string(nil), removeKeys...)
	for i := range docs {
		remove = append(remove, docs[i].Key())
	}
	removed := 0
	err = func() error {
		// Subtract what the removed documents contributed; their text is
		// stored, so their lengths can be recounted.
		seen := map[string]bool{}
		for _, k := range remove {
			if seen[k] {
				continue
			}
			seen[k] = true
			d, err := idx.Document(k)
			if err != nil {
				return err
			}
			if d == nil {
				continue
			}
			var text string
			d.VisitFields(func(f index.Field) {
				if f.Name() == fieldText {
					text = string(f.Value())
				}
			})
			st.Docs--
			st.TextLen -= textLength(text)
			removed++
		}
		// The new documents' terms are numbered apart, then in the
		// index's dictionary (updateUnits).
		dict := newTermDict()
		var (
			mu    sync.Mutex
			done  []Doc
			udocs []udoc
		)
		err := write(ctx, idx, remove, sliceChunks(docs, opts.batchSize()), len(docs), &st, opts, dict, func(d []Doc, u []udoc) error {
			mu.Lock()
			defer mu.Unlock()
			done, udocs = append(done, d...), append(udocs, u...)
			return nil
		})
		if err != nil {
			return err
		}
		return updateUnits(indexDir, remove, dict, done, udocs)
	}()
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Stats{}, err
	}
	return finish(indexDir, st, len(docs), removed, start)
}

func checkKeys(docs []Doc) error {
	seen := make(map[string]bool, len(docs))
	for i := range docs {
		k := docs[i].Key()
		if seen[k] {
			return fmt.Errorf("%s: turn id %q is used twice; every turn of a record needs its own id", docs[i].Source, docs[i].ID)
		}
		seen[k] = true
	}
	return nil
}

// bySource groups docs by Source, in order of first appearance.
func bySource(docs []Doc) [][]Doc {
	at := map[string]int{}
	var groups [][]Doc
	for _, d := range docs {
		i, ok := at[d.Source]
		if !ok {
			i = len(groups)
			at[d.Source] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], d)
	}
	return groups
}

// A chunker returns the next documents to index as one batch and how much
// progress they are (documents or sources); nothing and 0 at the end.
type chunker func() ([]Doc, int, error)

// sliceChunks cuts docs into batches of size.
func sliceChunks(docs []Doc, size int) chunker {
	lo := 0
	return func() ([]Doc, int, error) {
		hi := min(lo+size, len(docs))
		chunk := docs[lo:hi]
		lo = hi
		return chunk, len(chunk), nil
	}
}

// sourceChunks makes the documents of n sources a few at a time, on every
// core, and cuts them into batches of whole sources of about size
// documents: a source's unit is written whole from its batch. Each
// source's keys are checked as they come; they can only repeat within a
// source, and a source may come once.
func sourceChunks(n int, source func(i int) []Doc, size int) chunker {
	window := 4 * runtime.GOMAXPROCS(0)
	var ahead [][]Doc // made, not yet in a batch
	next := 0         // the next source to make
	seen := map[string]bool{}
	return func() ([]Doc, int, error) {
		var chunk []Doc
		k := 0
		for len(chunk) < size {
			if len(ahead) == 0 {
				if next == n {
					break
				}
				base, m := next, min(window, n-next)
				ahead = make([][]Doc, m)
				parallel.Do(m, func(j int) error { ahead[j] = source(base + j); return nil })
				next += m
			}
			g := ahead[0]
			ahead, k = ahead[1:], k+1
			if len(g) == 0 {
				continue
			}
			src := g[0].Source
			for i := range g {
				if g[i].Source != src {
					return nil, 0, fmt.Errorf("search: documents of %s and %s given as one source", src, g[i].Source)
				}
			}
			if seen[src] {
				return nil, 0, fmt.Errorf("search: the documents of %s are given twice", src)
			}
			seen[src] = true
			if err := checkKeys(g); err != nil {
				return nil, 0, err
			}
			chunk = append(chunk, g...)
		}
		return chunk, k, nil
	}
}

func finish(indexDir string, st indexStats, added, removed int, start time.Time) (Stats, error) {
	size, err := dirSize(indexDir)
	if err != nil {
		return Stats{}, err
	}
	return Stats{Docs: st.Docs, Added: added, Removed: removed, Bytes: size, Duration: time.Since(start)}, nil
}

// write deletes removeKeys, then indexes the chunks next returns, one
// batch each, and saves the statistics. Scorch analyses the documents of a
// batch on every core but builds its segment on one, so several batches
// are in flight. Each batch's documents go to each as the export needs
// them, their terms numbered in dict (see units.go); total is the progress
// the chunks add up to.
func write(ctx context.Context, idx bleve.Index, removeKeys []string, next chunker, total int, st *indexStats, opts BuildOptions, dict *termDict, each func([]Doc, []udoc) error) error {
	par := opts.Batches
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	if len(removeKeys) > 0 {
		b := idx.NewBatch()
		for _, k := range removeKeys {
			b.Delete(k)
		}
		if err := idx.Batch(b); err != nil {
			return err
		}
	}
	var dictMu sync.Mutex
	m := idx.Mapping()
	text, kw := m.AnalyzerNamed(textAnalyzer), m.AnalyzerNamed(keyword.Name)
	var (
		mu    sync.Mutex
		werr  error
		done  int
		wg    sync.WaitGroup
		slots = make(chan struct{}, par)
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil && werr == nil {
			werr = err
		}
	}
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return werr != nil }
	for ctx.Err() == nil && !failed() {
		docs, k, err := next()
		if err != nil {
			fail(err)
			break
		}
		if k == 0 {
			break
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			b := idx.NewBatch()
			udocs := make([]udoc, len(docs))
			built := make([]*bdoc.Document, 0, len(docs))
			for i := range docs {
				rec, url := recOf(&docs[i])
				udocs[i] = newUdoc(&docs[i], rec, url)
				d := document(&docs[i], rec, url, text, kw)
				built = append(built, d)
				if err := b.IndexAdvanced(d); err != nil {
					panic(err) // fails only on an empty id, which Key never is
				}
			}
			err := idx.Batch(b)
			var n int64
			dictMu.Lock()
			for j, d := range built {
				d.VisitFields(func(f index.Field) {
					if f.Name() == fieldText {
						n += int64(f.AnalyzedLength())
						capture(&udocs[j], f, dict)
					}
				})
			}
			dictMu.Unlock()
			if err == nil {
				err = each(docs, udocs)
			}
			fail(err)
			mu.Lock()
			defer mu.Unlock()
			st.TextLen += n
			st.Docs += len(docs)
			done += k
			if opts.Progress != nil {
				opts.Progress(done, total)
			}
		}()
	}
	wg.Wait()
	if werr != nil {
		return werr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return idx.SetInternal(statsKey, raw)
}

// open opens an index and reads its statistics.
func open(indexDir string, readOnly bool) (bleve.Index, indexStats, error) {
	var st indexStats
	cfg := map[string]any{}
	if readOnly {
		cfg["read_only"] = true
	}
	idx, err := bleve.OpenUsing(indexDir, cfg)
	if err != nil {
		return nil, st, fmt.Errorf("open search index %s: %w (run a build to create it)", indexDir, err)
	}
	raw, err := idx.GetInternal(statsKey)
	if err == nil && raw == nil {
		err = errors.New("no statistics")
	}
	if err == nil {
		err = json.Unmarshal(raw, &st)
	}
	if err == nil && st.Format != formatVersion {
		err = fmt.Errorf("format %d, want %d", st.Format, formatVersion)
	}
	if err != nil {
		idx.Close()
		return nil, st, fmt.Errorf("search index %s: %v; rebuild it", indexDir, err)
	}
	return idx, st, nil
}

// Current reports whether indexDir holds an index this program can
// update: one of its format. An index an older version built (a new
// stored field, another analysis) is rebuilt rather than updated.
func Current(indexDir string) bool {
	idx, _, err := open(indexDir, true)
	if err != nil {
		return false
	}
	idx.Close()
	return true
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		info, err := e.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

// Keys returns the keys of every document indexed from the given source
// files, for Update.
func Keys(indexDir string, sources ...string) ([]string, error) {
	idx, _, err := open(indexDir, true)
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	r, err := reader(idx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var keys []string
	for _, s := range sources {
		tfr, err := r.TermFieldReader(context.Background(), []byte(s), fieldSource, false, false, false)
		if err != nil {
			return nil, err
		}
		for {
			p, err := tfr.Next(nil)
			if err != nil {
				tfr.Close()
				return nil, err
			}
			if p == nil {
				break
			}
			k, err := r.ExternalID(p.ID)
			if err != nil {
				tfr.Close()
				return nil, err
			}
			keys = append(keys, k)
		}
		tfr.Close()
	}
	return keys, nil
}

// reader returns a low-level reader of idx.
func reader(idx bleve.Index) (index.IndexReader, error) {
	ai, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	return ai.Reader()
}
