package search

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ogarchive/ogarchive/internal/mapped"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// Static format parameters (see the package documentation).
const (
	exportFormat = 3
	chunkSize    = 128      // postings per chunk of a long postings list
	packLimit    = 16 << 20 // bytes per postings or text file; static hosts cap file sizes
	docEntrySize = 10       // bytes per document in docs.bin
	blockText    = 1024     // bytes of text per block of documents, unless one document has more
	// bucketTarget is about how many dictionary entries share a bucket:
	// around a kilobyte compressed, so a term costs one small fetch.
	bucketTarget = 128
)

// ExportStats describe a finished Export.
type ExportStats struct {
	Docs     int           // documents exported
	Terms    int           // dictionary entries (text terms, characters, speakers)
	Inverted int           // documents inverted: all, unless the last export was patched
	Files    int           // files written
	Bytes    int64         // their total size
	Duration time.Duration // wall time
}

// manifest is manifest.json.
type manifest struct {
	Format    int      `json:"format"`
	Docs      int      `json:"docs"`
	AvgDL     float64  `json:"avgdl"` // mean text-field length, which impacts were computed with
	K1        float64  `json:"k1"`
	B         float64  `json:"b"`
	Chunk     int      `json:"chunk"`
	Buckets   int      `json:"buckets"`
	Dict      string   `json:"dict"`
	DictSizes string   `json:"dictSizes"` // base64 of each bucket's byte length as uvarints
	Postings  []string `json:"postings"`
	DocsTable string   `json:"docsTable"`
	Text      []string `json:"text"`
	Filters   string   `json:"filters"`
	Client    string   `json:"client"`
	Variants  string   `json:"variants"` // the character-variant and phrase tables (VariantsFile)
}

// filters is filters.bin, zlib-compressed JSON: per run of documents of
// one record, its first document number, date, and kind and language as
// indexes into Kinds and Langs.
type filters struct {
	Start []int    `json:"start"`
	Date  []string `json:"date"`
	Kind  []int    `json:"kind"`
	Lang  []int    `json:"lang"`
	Kinds []string `json:"kinds"`
	Langs []string `json:"langs"`
}

// blockJSON is a block of documents in a text file, with their record data.
type blockJSON struct {
	Rec  json.RawMessage `json:"r"` // recMeta
	Docs []docJSON       `json:"d"`
}

// docJSON is a document in a block.
type docJSON struct {
	ID      string `json:"i"`
	Turn    int    `json:"n"`
	Speaker string `json:"p,omitempty"`
	Text    string `json:"x"`
	URL     string `json:"u,omitempty"`
}

// entry is one dictionary entry with its encoded postings.
type entry struct {
	key   string
	df    int
	post  []byte
	skips []byte // skip table, for lists longer than one chunk
}

// Export writes the static search files for the index at indexDir into
// outDir (public/search/), replacing its contents, and client.js beside
// them. Identical indexes give identical bytes. An earlier export of the
// index in outDir is patched rather than rebuilt (see ExportFrom).
func Export(indexDir, outDir string) (ExportStats, error) {
	return ExportFrom(indexDir, outDir, outDir)
}

// ExportFrom is Export given where the last export of this index is:
// prevDir, the published search files when outDir is a staging directory.
// When those are intact and the mean text length rounds as it did, their
// postings lists are renumbered and patched for the runs of documents that
// changed, instead of inverting every document again: a rebuild changes a
// record or two of thousands. The bytes are the same either way.
func ExportFrom(indexDir, outDir, prevDir string) (ExportStats, error) {
	start := time.Now()
	st, err := readStats(indexDir)
	if err != nil {
		return ExportStats{}, err
	}
	dict, err := readTermDict(indexDir)
	if err != nil {
		return ExportStats{}, err
	}
	// The units, the cached text blocks and the previous export are
	// mapped, not read: hundreds of megabytes otherwise copied into fresh
	// memory. An export with nothing to patch (a cold build's) reads the
	// units instead: it runs beside the cold build's busiest stage, whose
	// Go heap is held under a limit that mapped pages would add to.
	var maps mapped.Set
	defer maps.Close()
	prev, _ := readState(indexDir) // none: nothing to patch
	unitMaps := &maps
	if prev == nil {
		unitMaps = nil
	}
	units, err := readAllUnits(indexDir, unitMaps)
	if err != nil {
		return ExportStats{}, err
	}
	docs, err := exportDocs(units, st)
	if err != nil {
		return ExportStats{}, fmt.Errorf("search index %s: %v; delete it to rebuild it", indexDir, err)
	}
	avgdl := meanLength(st.TextLen, st.Docs)
	runs := docRuns(docs)
	cls := classifyTerms(dict)
	entries, inverted := patchPrevious(prev, prevDir, cls, docs, runs, avgdl)
	if entries == nil {
		inverted = len(docs)
		if entries, err = invert(cls, docs, avgdl); err != nil {
			return ExportStats{}, fmt.Errorf("search index %s: %v; delete it to rebuild it", indexDir, err)
		}
	}

	if err := os.RemoveAll(outDir); err != nil {
		return ExportStats{}, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return ExportStats{}, err
	}
	w := &writer{dir: outDir, blocks: readBlockCache(indexDir, &maps)}
	m := manifest{
		Format: exportFormat, Docs: len(docs), AvgDL: avgdl, K1: k1, B: b, Chunk: chunkSize,
		Dict: "dict.bin", DocsTable: "docs.bin", Filters: "filters.bin", Client: "client.js",
		Variants: VariantsFile,
	}
	var digest [32]byte
	m.Buckets, m.DictSizes, m.Postings, digest = w.dictionary(entries)
	var f filters
	m.Text, f = w.texts(docs, runs)
	d := deflaters.Get().(*deflater)
	fj, _ := json.Marshal(f) // strings and ints: cannot fail
	w.file("filters.bin", d.deflate(fj))
	w.json("manifest.json", m)
	w.file("client.js", clientJS)
	w.file(VariantsFile, d.deflate(variantsFile()))
	deflaters.Put(d)
	if w.err != nil {
		return ExportStats{}, w.err
	}
	// Caches: a failure to save them costs the next export time, not bytes.
	_ = w.blocks.save(indexDir)
	_ = saveState(indexDir, newState(avgdl, runs, digest))
	return ExportStats{Docs: len(docs), Terms: len(entries), Inverted: inverted, Files: w.files, Bytes: w.bytes, Duration: time.Since(start)}, nil
}

// readStats reads the index statistics.
func readStats(indexDir string) (indexStats, error) {
	idx, st, err := open(indexDir, true)
	if err != nil {
		return st, err
	}
	return st, idx.Close()
}

// docRun is a run of documents in document order: consecutive documents
// of one source with the same record data. Its key names its documents
// exactly, as they were indexed (see runKey): text blocks are cached by it,
// and the next export finds the run's documents by it.
type docRun struct {
	lo, end int
	key     [32]byte
}

func docRuns(docs []*exDoc) []docRun {
	var runs []docRun
	for lo := 0; lo < len(docs); {
		end := lo + 1
		for end < len(docs) && docs[end].udoc.rec == docs[lo].udoc.rec && docs[end].u == docs[lo].u {
			end++
		}
		runs = append(runs, docRun{lo: lo, end: end, key: runKey(docs[lo].u.hash, docs[lo].id, end-lo)})
		lo = end
	}
	return runs
}

// exDoc is a document as Export lays it out.
type exDoc struct {
	*udoc
	rec *recMeta
	u   *unit
}

// exportDocs lists the units' documents in document order (see
// Searcher.order), checking them against the index statistics.
func exportDocs(units []*unit, st indexStats) ([]*exDoc, error) {
	recs := map[string]*recMeta{}
	var docs []*exDoc
	var textLen int64
	for _, u := range units {
		for i := range u.docs {
			d := &exDoc{udoc: &u.docs[i], u: u}
			if d.rec = recs[d.udoc.rec]; d.rec == nil {
				d.rec = &recMeta{}
				if err := json.Unmarshal([]byte(d.udoc.rec), d.rec); err != nil {
					return nil, fmt.Errorf("document %q without record data: %v", u.key(d.udoc), err)
				}
				recs[d.udoc.rec] = d.rec
			}
			textLen += int64(d.dl)
			docs = append(docs, d)
		}
	}
	if len(docs) != st.Docs || textLen != st.TextLen {
		return nil, fmt.Errorf("the export data has %d documents of %d terms, the index %d of %d", len(docs), textLen, st.Docs, st.TextLen)
	}
	slices.SortFunc(docs, func(a, b *exDoc) int {
		if c := compareDocs(a.rec, b.rec, int(a.turn), int(b.turn)); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id) // same source: compareDocs compares them
	})
	return docs, nil
}

// termClasses say which dictionary entries each term of the index's
// dictionary feeds: a text entry, unless it is a lone CJK character, and
// the character entry of its first character when that is CJK; lone
// unigrams are only for that (see analysis.go), a query never looks them
// up as text terms.
type termClasses struct {
	terms []string
	text  []bool  // the term has a text entry
	char  []int32 // the term's character entry (index into runes), or -1
	runes []rune
}

func classifyTerms(dict *termDict) *termClasses {
	nt := len(dict.terms)
	c := &termClasses{terms: dict.terms, text: make([]bool, nt), char: make([]int32, nt)}
	chars := map[rune]int32{}
	for i, t := range dict.terms {
		c.char[i], c.text[i] = -1, true
		if first, size := utf8.DecodeRuneInString(t); classify(first) == classCJK {
			n, ok := chars[first]
			if !ok {
				n = int32(len(c.runes))
				chars[first] = n
				c.runes = append(c.runes, first)
			}
			c.char[i], c.text[i] = n, size < len(t)
		}
	}
	return c
}

// Dictionary keys of the three kinds of entry.
func (c *termClasses) textKey(id uint64) string { return string(fieldByteText) + c.terms[id] }
func (c *termClasses) charKey(n int32) string   { return string(fieldByteChar) + string(c.runes[n]) }
func speakerKey(name string) string             { return string(fieldByteSpeaker) + foldName(name) }

// invert turns the documents' terms into the dictionary's entries: a text
// entry per term, a character entry per CJK character summing the terms
// that begin with it, and a speaker entry per folded name, so that names
// differing only in case or width share it.
func invert(cls *termClasses, docs []*exDoc, avgdl float64) ([]entry, error) {
	nt, text, char, charRunes := len(cls.terms), cls.text, cls.char, cls.runes
	// Sizes first, so that no postings list grows by copying.
	df := make([]int32, nt)
	charDF := make([]int32, len(charRunes))
	for _, d := range docs {
		for p := d.post; len(p) > 0; {
			id, k := binary.Uvarint(p)
			_, k2 := binary.Uvarint(p[max(k, 0):])
			if k <= 0 || k2 <= 0 || id >= uint64(nt) {
				return nil, fmt.Errorf("document %q: %w (term %d of %d)", d.u.key(d.udoc), errUnit, id, nt)
			}
			p = p[k+k2:]
			df[id]++
			if c := char[id]; c >= 0 {
				charDF[c]++
			}
		}
	}
	// Each worker writes the lists of its share of the terms and
	// characters, reading every document.
	textEnc := make([]postingWriter, nt)
	charEnc := make([]postingWriter, len(charRunes))
	speakerEnc := map[string]*postingWriter{}
	workers := runtime.GOMAXPROCS(0)
	parallel.Do(workers, func(w int) error {
		for i := w; i < nt; i += workers {
			if text[i] && df[i] > 0 {
				textEnc[i].post = make([]byte, 0, 3*df[i])
			}
		}
		for i := w; i < len(charRunes); i += workers {
			charEnc[i].post = make([]byte, 0, 3*min(int(charDF[i]), len(docs)))
		}
		charTF := make([]int32, len(charRunes))
		var touched []int32
		for n, d := range docs {
			doc := int32(n)
			imp := impacts(int(d.dl), avgdl)
			for p := d.post; len(p) > 0; {
				id, k := binary.Uvarint(p)
				tf, k2 := binary.Uvarint(p[k:])
				p = p[k+k2:]
				if text[id] && int(id)%workers == w {
					textEnc[id].add(doc, imp(int(tf)))
				}
				if c := char[id]; c >= 0 && int(c)%workers == w {
					if charTF[c] == 0 {
						touched = append(touched, c)
					}
					charTF[c] += int32(tf)
				}
			}
			for _, c := range touched {
				charEnc[c].add(doc, imp(int(charTF[c])))
				charTF[c] = 0
			}
			touched = touched[:0]
			if d.speaker != "" && w == 0 {
				key := speakerKey(d.speaker)
				pw := speakerEnc[key]
				if pw == nil {
					pw = &postingWriter{}
					speakerEnc[key] = pw
				}
				pw.add(doc, 0)
			}
		}
		return nil
	})
	out := make([]entry, 0, nt+len(charRunes)+len(speakerEnc))
	for i := range nt {
		if textEnc[i].df > 0 {
			out = append(out, textEnc[i].entry(cls.textKey(uint64(i))))
		}
	}
	for i := range charRunes {
		if charEnc[i].df > 0 {
			out = append(out, charEnc[i].entry(cls.charKey(int32(i))))
		}
	}
	for key, pw := range speakerEnc {
		out = append(out, pw.entry(key))
	}
	return out, nil
}

// impacts returns impact for a document of length dl, remembering the
// small frequencies, which most postings have.
func impacts(dl int, avgdl float64) func(tf int) uint8 {
	var small [8]uint8
	return func(tf int) uint8 {
		if tf >= len(small) {
			return impact(tf, dl, avgdl)
		}
		if small[tf] == 0 {
			small[tf] = impact(tf, dl, avgdl) // never 0
		}
		return small[tf]
	}
}

// postingWriter encodes a postings list as its documents arrive in order:
// per posting the gap to the previous document (from 0) as a uvarint and
// the impact as a byte (0 for speakers, which are not scored); lists
// longer than a chunk get a skip table of, per chunk, the gap between
// chunks' last documents and the chunk's byte length.
type postingWriter struct {
	post, skips     []byte
	df, chunkStart  int32
	prev, lastChunk int32
}

func (p *postingWriter) add(doc int32, imp uint8) {
	if gap := doc - p.prev; gap < 0x80 {
		p.post = append(p.post, byte(gap), imp) // most gaps: one byte
	} else {
		p.post = append(binary.AppendUvarint(p.post, uint64(gap)), imp)
	}
	p.prev = doc
	p.df++
	if p.df%chunkSize == 0 {
		p.skip()
	}
}

// skip ends a chunk at the last document added.
func (p *postingWriter) skip() {
	p.skips = binary.AppendUvarint(p.skips, uint64(p.prev-p.lastChunk))
	p.skips = binary.AppendUvarint(p.skips, uint64(len(p.post)-int(p.chunkStart)))
	p.lastChunk, p.chunkStart = p.prev, int32(len(p.post))
}

// entry ends the list.
func (p *postingWriter) entry(key string) entry {
	switch {
	case p.df <= chunkSize:
		p.skips = nil // one chunk: nothing to skip
	case p.df%chunkSize != 0:
		p.skip()
	}
	return entry{key: key, df: int(p.df), post: p.post, skips: p.skips}
}

// bucketOf is the dictionary bucket of a key: FNV-1a, 32 bits, modulo the
// bucket count (a power of two). client.js computes the same.
func bucketOf(key string, buckets int) int {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return int(h & uint32(buckets-1))
}

// writer writes the export's files, remembering the first error.
type writer struct {
	blocks *blockCache
	dir    string
	err    error
	files  int
	bytes  int64
}

func (w *writer) file(name string, data []byte) {
	if w.err != nil {
		return
	}
	w.err = os.WriteFile(filepath.Join(w.dir, name), data, 0o644)
	w.files++
	w.bytes += int64(len(data))
}

func (w *writer) json(name string, v any) {
	data, err := json.Marshal(v)
	if err != nil && w.err == nil {
		w.err = err
	}
	w.file(name, append(data, '\n'))
}

// packLayout places units of the given sizes (a bucket's postings, a
// run's texts), in order, in numbered files of at most about packLimit
// bytes, never splitting a unit: it returns each unit's file and offset,
// and each file's size.
func packLayout(sizes []int) (file, off, packs []int) {
	file, off = make([]int, len(sizes)), make([]int, len(sizes))
	for i, n := range sizes {
		if len(packs) == 0 || packs[len(packs)-1] > 0 && packs[len(packs)-1]+n > packLimit {
			packs = append(packs, 0)
		}
		file[i], off[i] = len(packs)-1, packs[len(packs)-1]
		packs[len(packs)-1] += n
	}
	return file, off, packs
}

// packWriter writes the files of a layout (see packLayout) as
// prefix-N.bin, streaming each unit to its file rather than assembling the
// files in memory first (tens of megabytes each).
type packWriter struct {
	w     *writer
	names []string
	cur   int // file being written, or -1
	f     *os.File
	bw    *bufio.Writer
	n     int64
	sum   hash.Hash // of everything written, if not nil
}

func (w *writer) packs(prefix string, files int, sum hash.Hash) *packWriter {
	p := &packWriter{w: w, cur: -1, sum: sum}
	for i := range files {
		p.names = append(p.names, fmt.Sprintf("%s-%d.bin", prefix, i))
	}
	return p
}

// write appends data to file n; files are written in order.
func (p *packWriter) write(n int, data []byte) {
	for p.cur < n {
		p.next()
	}
	if p.w.err != nil {
		return
	}
	_, p.w.err = p.bw.Write(data)
	p.n += int64(len(data))
	if p.sum != nil {
		p.sum.Write(data)
	}
}

// next closes the file being written and creates the next.
func (p *packWriter) next() {
	if p.f != nil {
		err := p.bw.Flush()
		if cerr := p.f.Close(); err == nil {
			err = cerr
		}
		if p.w.err == nil {
			p.w.err = err
		}
		p.w.files++
		p.w.bytes += p.n
		p.f, p.n = nil, 0
	}
	p.cur++
	if p.cur >= len(p.names) || p.w.err != nil {
		return
	}
	p.f, p.w.err = os.Create(filepath.Join(p.w.dir, p.names[p.cur]))
	if p.bw == nil {
		p.bw = bufio.NewWriterSize(p.f, 1<<20)
	} else {
		p.bw.Reset(p.f)
	}
}

// close writes the remaining files and returns every file's name.
func (p *packWriter) close() []string {
	for p.cur < len(p.names) {
		p.next()
	}
	return p.names
}

// dictionary writes dict.bin and the postings files. A bucket is a
// uvarint postings file number and offset, then its entries sorted by key:
// uvarint key length, key, uvarint df, uvarint postings length, and the
// skip table when df > chunkSize; the postings of its entries follow each
// other from that offset. digest is the files' (see exportState).
func (w *writer) dictionary(entries []entry) (buckets int, sizes string, postings []string, digest [32]byte) {
	buckets = 1
	for buckets*bucketTarget < len(entries) {
		buckets *= 2
	}
	byBucket := make([][]*entry, buckets)
	for i := range entries {
		k := bucketOf(entries[i].key, buckets)
		byBucket[k] = append(byBucket[k], &entries[i])
	}
	// Buckets are laid out in order, each with its postings in one file,
	// then built and compressed in parallel.
	size := make([]int, buckets)
	parallel.Do(buckets, func(i int) error {
		slices.SortFunc(byBucket[i], func(a, b *entry) int { return strings.Compare(a.key, b.key) })
		for _, e := range byBucket[i] {
			size[i] += len(e.post)
		}
		return nil
	})
	file, off, packs := packLayout(size)
	raws := make([][]byte, buckets)
	const run = 64 // buckets per task, which share a deflater
	parallel.Do((buckets+run-1)/run, func(r int) error {
		d := deflaters.Get().(*deflater)
		defer deflaters.Put(d)
		for i := r * run; i < min(buckets, (r+1)*run); i++ {
			raw := binary.AppendUvarint(nil, uint64(file[i]))
			raw = binary.AppendUvarint(raw, uint64(off[i]))
			for _, e := range byBucket[i] {
				raw = binary.AppendUvarint(raw, uint64(len(e.key)))
				raw = append(raw, e.key...)
				raw = binary.AppendUvarint(raw, uint64(e.df))
				raw = binary.AppendUvarint(raw, uint64(len(e.post)))
				raw = append(raw, e.skips...)
			}
			raws[i] = d.deflate(raw)
		}
		return nil
	})
	sum := sha256.New()
	pw := w.packs("post", len(packs), sum)
	for i, list := range byBucket {
		for _, e := range list {
			pw.write(file[i], e.post)
		}
	}
	postings = pw.close()
	var dict, lens []byte
	for _, z := range raws {
		dict = append(dict, z...)
		lens = binary.AppendUvarint(lens, uint64(len(z)))
	}
	w.file("dict.bin", dict)
	sum.Write(dict)
	sum.Sum(digest[:0])
	return buckets, base64.StdEncoding.EncodeToString(lens), postings, digest
}

// texts writes the text files and docs.bin, and returns the filter data.
// Documents are stored in blocks: consecutive documents of one run (same
// record data) up to blockText bytes of text, or one longer document, as
// compressed blockJSON. docs.bin has, per document: text file number (1
// byte), block length (3 bytes), block offset (4 bytes) and the document's
// place in the block (2 bytes), little endian.
func (w *writer) texts(docs []*exDoc, druns []docRun) ([]string, filters) {
	f := filters{Start: []int{}, Date: []string{}, Kind: []int{}, Lang: []int{}, Kinds: []string{}, Langs: []string{}}
	kinds, langs := map[string]int{}, map[string]int{}
	enum := func(m map[string]int, list *[]string, v string) int {
		i, ok := m[v]
		if !ok {
			i = len(*list)
			m[v] = i
			*list = append(*list, v)
		}
		return i
	}
	// Blocks are laid out per run, so that a run's blocks share a file, and
	// compressed in parallel; they are cached by the run's key.
	type run struct {
		docRun
		blocks [][]byte // compressed
		slots  [][2]int // per document: block, place in it
		bounds []int    // first document of each block, and end
	}
	var runs, misses []*run
	for _, dr := range druns {
		rn := &run{docRun: dr}
		for b := rn.lo; b < rn.end; {
			rn.bounds = append(rn.bounds, b)
			size, n := 0, 0
			for b < rn.end && (n == 0 || size+int(docs[b].textLen) <= blockText) && n < 1<<16 {
				rn.slots = append(rn.slots, [2]int{len(rn.bounds) - 1, n})
				size += int(docs[b].textLen)
				n++
				b++
			}
		}
		rn.bounds = append(rn.bounds, rn.end)
		if rn.blocks = w.blocks.get(rn.key); rn.blocks == nil {
			misses = append(misses, rn)
		}
		runs = append(runs, rn)
	}
	// The texts of the runs to compress; a unit's texts are read once.
	var load []*unit
	seen := map[*unit]bool{}
	for _, rn := range misses {
		if u := docs[rn.lo].u; !seen[u] {
			seen[u] = true
			load = append(load, u)
		}
	}
	if err := parallel.Do(len(load), func(i int) error { return load[i].loadTexts() }); err != nil {
		w.err = err
		return nil, f
	}
	parallel.Do(len(misses), func(i int) error {
		rn := misses[i]
		d := deflaters.Get().(*deflater)
		defer deflaters.Put(d)
		for k := 0; k+1 < len(rn.bounds); k++ {
			block := blockJSON{Rec: json.RawMessage(docs[rn.lo].udoc.rec)}
			for _, d := range docs[rn.bounds[k]:rn.bounds[k+1]] {
				dj := docJSON{ID: d.id, Turn: int(d.turn), Speaker: d.speaker, Text: d.text, URL: d.url}
				block.Docs = append(block.Docs, dj)
			}
			raw, _ := json.Marshal(block) // strings and ints: cannot fail
			rn.blocks = append(rn.blocks, d.deflate(raw))
		}
		return nil
	})
	for _, rn := range runs {
		w.blocks.put(rn.key, rn.blocks)
	}

	sizes := make([]int, len(runs))
	for i, rn := range runs {
		for _, z := range rn.blocks {
			sizes[i] += len(z)
		}
	}
	file, off, packs := packLayout(sizes)
	pw := w.packs("text", len(packs), nil)
	table := make([]byte, 0, len(docs)*docEntrySize)
	for i, rn := range runs {
		at := off[i]
		offs := make([]int, len(rn.blocks))
		for k, z := range rn.blocks {
			offs[k] = at
			at += len(z)
			pw.write(file[i], z)
		}
		for _, sl := range rn.slots {
			z := rn.blocks[sl[0]]
			var e [docEntrySize]byte
			e[0] = byte(file[i])
			e[1], e[2], e[3] = byte(len(z)), byte(len(z)>>8), byte(len(z)>>16)
			binary.LittleEndian.PutUint32(e[4:], uint32(offs[sl[0]]))
			binary.LittleEndian.PutUint16(e[8:], uint16(sl[1]))
			table = append(table, e[:]...)
		}
		r := docs[rn.lo].rec
		f.Start = append(f.Start, rn.lo)
		f.Date = append(f.Date, r.Date)
		f.Kind = append(f.Kind, enum(kinds, &f.Kinds, r.Kind))
		f.Lang = append(f.Lang, enum(langs, &f.Langs, r.Lang))
	}
	names := pw.close()
	w.file("docs.bin", table)
	return names, f
}

// deflater compresses data in the zlib format, which browsers inflate with
// DecompressionStream("deflate") and Node with zlib.inflateSync. Writers
// are reused through deflaters: a new one allocates a megabyte of state,
// and an export compresses thousands of runs.
type deflater struct {
	buf bytes.Buffer
	zw  *zlib.Writer
}

var deflaters = sync.Pool{New: func() any { return &deflater{} }}

func (d *deflater) deflate(data []byte) []byte {
	d.buf.Reset()
	if d.zw == nil {
		d.zw, _ = zlib.NewWriterLevel(&d.buf, zlib.BestCompression) // a valid level: cannot fail
	} else {
		d.zw.Reset(&d.buf)
	}
	d.zw.Write(data) // writes to a bytes.Buffer: cannot fail
	d.zw.Close()
	return bytes.Clone(d.buf.Bytes())
}
