package search

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/zlib"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
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

	esbuild "github.com/evanw/esbuild/pkg/api"
	"github.com/ogarchive/ogarchive/internal/mapped"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// Static format parameters (see the package documentation).
const (
	exportFormat = 4
	chunkSize    = 128      // postings per chunk of a long postings list
	packLimit    = 16 << 20 // bytes per postings or text file; static hosts cap file sizes
	docEntrySize = 10       // bytes per document in a docs table
	blockText    = 1024     // bytes of text per block of documents, unless one document has more
	// bucketTarget is about how many dictionary entries share a bucket:
	// around a kilobyte compressed, so a term costs one small fetch.
	bucketTarget = 128
	// inlineDF is the longest postings list kept in its dictionary entry:
	// a query whose rarest term is that rare knows its candidates from the
	// dictionary alone, a round trip sooner: 95% of the entries,
	// 12% of the postings.
	inlineDF = 64
	// immutableDir holds every file named by its content (under search/);
	// only manifest.json and client.js keep their names from build to build.
	immutableDir = "h"
)

// ExportStats describe a finished Export.
type ExportStats struct {
	Docs     int           // documents exported
	Terms    int           // dictionary entries of the segment written (text terms, characters, speakers)
	Inverted int           // documents inverted: all, or those of the delta segment
	Segments int           // segments the manifest lists: 1, or a reused base and a delta
	Files    int           // files written
	Bytes    int64         // their total size
	Duration time.Duration // wall time
}

// manifest is manifest.json, and what client.js carries of it.
type manifest struct {
	Format     int       `json:"format"`
	Generation string    `json:"generation"` // digest of the rest: which build's files these are
	Docs       int       `json:"docs"`       // live documents, which idf counts
	AvgDL      float64   `json:"avgdl"`      // mean text-field length, which impacts were computed with
	K1         float64   `json:"k1"`
	B          float64   `json:"b"`
	Chunk      int       `json:"chunk"`
	Inline     int       `json:"inline"`           // lists this short are in their dictionary entry
	Common     int       `json:"common"`           // a first look leaves out terms in more documents (commonDocs)
	Variants   string    `json:"variants"`         // the variant tables (variantsFile), for a client without them
	Masked     []int     `json:"masked,omitempty"` // pairs first, end of base documents a delta replaced
	Segments   []segment `json:"segments"`
}

// segment is one independently numbered part of the export: the base,
// and the delta of what changed since the base was written. A segment's
// documents come after the previous segment's in the client's numbering.
type segment struct {
	Docs      int      `json:"docs"`
	Buckets   int      `json:"buckets"`
	Dict      string   `json:"dict"`
	DictSizes string   `json:"dictSizes"` // base64 of each bucket's byte length as uvarints
	Postings  []string `json:"postings"`
	DocsTable string   `json:"docsTable"`
	Text      []string `json:"text"`
	Filters   string   `json:"filters"`
	// Before is, for a delta, per run (as in Filters), the base document
	// it sorts before in document order (the base's count: after all).
	Before []int `json:"before,omitempty"`
}

// files lists the segment's files.
func (s *segment) files() []string {
	out := []string{s.Dict, s.DocsTable, s.Filters}
	return append(append(out, s.Postings...), s.Text...)
}

// filters is a segment's filters file, zlib-compressed JSON: per run of
// documents of one record, its first document number, date, and kind and
// language as indexes into Kinds and Langs.
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
	Twin    string `json:"w,omitempty"` // see twinOf
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
// index in outDir is reused as the base rather than rebuilt (see
// ExportFrom).
func Export(indexDir, outDir string) (ExportStats, error) {
	return ExportFrom(indexDir, outDir, outDir)
}

// ExportFrom is Export given where the last export of this index is:
// prevDir, the published search files when outDir is a staging directory.
//
// Every file but manifest.json and client.js is named by its content, so a
// deploy uploads only files that changed, and a client holding an old
// manifest never reads a file of another build. To keep those files
// unchanged, an export reuses the base segment of the last one (when its
// files are intact in prevDir and its mean length still holds) and writes
// only a delta segment: the runs of documents the base lacks, with the
// base's runs that are gone masked. Once the delta grows past a share of
// the base (see needsNewBase), the next export writes a new base.
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
	// memory, which the collector's headroom would add half again to.
	var maps mapped.Set
	defer maps.Close()
	prev, _ := readState(indexDir) // none: nothing to reuse
	units, err := readAllUnits(indexDir, &maps)
	if err != nil {
		return ExportStats{}, err
	}
	docs, err := exportDocs(units, st)
	if err != nil {
		return ExportStats{}, fmt.Errorf("search index %s: %v; delete it to rebuild it", indexDir, err)
	}
	avgdl := meanLength(st.TextLen, st.Docs)
	runs := docRuns(docs)
	for _, u := range units {
		u.release()
	}
	cls := classifyTerms(dict)

	if err := os.RemoveAll(outDir); err != nil {
		return ExportStats{}, err
	}
	if err := os.MkdirAll(filepath.Join(outDir, immutableDir), 0o755); err != nil {
		return ExportStats{}, err
	}
	w := &writer{dir: outDir, blocks: readBlockCache(indexDir, &maps)}
	defer w.blocks.discard()
	m := manifest{Format: exportFormat, Docs: len(docs), K1: k1, B: b, Chunk: chunkSize, Inline: inlineDF, Common: commonDocs}
	d := planDelta(prev, prevDir, runs, avgdl)
	stats := ExportStats{Docs: len(docs)}
	// write inverts docs, numbered from 0, and writes them as a segment.
	write := func(docs []*exDoc, runs []docRun, avgdl float64) (segment, error) {
		inv, err := invert(cls, docs, avgdl)
		if err != nil {
			return segment{}, fmt.Errorf("search index %s: %v; delete it to rebuild it", indexDir, err)
		}
		stats.Terms, stats.Inverted = len(inv.keys), len(docs)
		return w.segment(inv, runs), nil
	}
	if d == nil {
		// A new base: every document.
		m.AvgDL = avgdl
		seg, err := write(docs, runs, avgdl)
		if err != nil {
			return ExportStats{}, err
		}
		m.Segments = []segment{seg}
		prev = newState(avgdl, runs, seg)
	} else {
		m.AvgDL = prev.avgdl
		w.link(prevDir, prev.base.files())
		m.Segments, m.Masked = []segment{prev.base}, d.masked
		if dd, druns := d.docs(docs); len(dd) > 0 {
			seg, err := write(dd, druns, prev.avgdl)
			if err != nil {
				return ExportStats{}, err
			}
			seg.Before = d.before
			m.Segments = append(m.Segments, seg)
		}
	}
	stats.Segments = len(m.Segments)
	variants := deflate(variantsFile())
	m.Variants = w.hashed("variants", variants)
	m.Generation = m.digest()
	mj, _ := json.Marshal(m) // strings, numbers and lists of them: cannot fail
	w.file("manifest.json", append(mj, '\n'))
	w.file("client.js", clientWith(mj, variants))
	if w.err != nil {
		return ExportStats{}, w.err
	}
	// Caches: a failure to save them costs the next export time, not bytes.
	_ = w.blocks.save()
	_ = saveState(indexDir, prev)
	stats.Files, stats.Bytes, stats.Duration = w.files, w.bytes, time.Since(start)
	return stats, nil
}

// digest names a manifest's build: a hash of everything it says.
func (m manifest) digest() string {
	m.Generation = ""
	b, _ := json.Marshal(m) // as in ExportFrom: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// embeddedLine is the line of client.js that the export replaces with the
// manifest and the variant tables, so that a page's first query fetches
// neither: a Chinese query cannot look a term up before it has folded it.
const embeddedLine = "const EMBEDDED = null; // the export's manifest and variant tables (see search/export.go)\n"

// clientWith is client.js carrying manifest m (JSON) and the variant
// tables, compressed (variants), in base64, minified: a phone parses and
// downloads a third of it.
func clientWith(m, variants []byte) []byte {
	return minify(embed(m, variants))
}

// minify minifies an ES module with esbuild (which Hugo builds the site's
// scripts with): whitespace, local names and syntax; exported names stay.
// The source is this package's own and parses; should esbuild still
// fail, the module is served as it is.
func minify(js []byte) []byte {
	r := esbuild.Transform(string(js), esbuild.TransformOptions{
		MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true,
		Format: esbuild.FormatESModule, Target: esbuild.ES2020, LegalComments: esbuild.LegalCommentsNone,
	})
	if len(r.Errors) > 0 {
		return js
	}
	return r.Code
}

// embed is client.js with EMBEDDED holding manifest m and the variant
// tables, compressed.
func embed(m, variants []byte) []byte {
	i := bytes.Index(clientJS, []byte(embeddedLine))
	if i < 0 {
		panic("search: client.js lacks the manifest's line")
	}
	out := append([]byte(nil), clientJS[:i]...)
	out = append(out, `const EMBEDDED = { manifest: `...)
	out = append(out, m...)
	out = append(out, `, variants: "`...)
	out = append(out, base64.StdEncoding.EncodeToString(variants)...)
	out = append(out, "\" };\n"...)
	return append(out, clientJS[i+len(embeddedLine):]...)
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
		for end < len(docs) && docs[end].rec == docs[lo].rec && docs[end].u == docs[lo].u {
			end++
		}
		first := docs[lo]
		runs = append(runs, docRun{lo: lo, end: end, key: runKey(first.u.hash, first.u.docs[first.i].id, end-lo)})
		lo = end
	}
	return runs
}

// exDoc is a document as Export lays it out: what inverting it and laying
// its texts out need. Its other fields are its unit's, which lets go of
// them once the runs are known and decodes them again for the texts (see
// unit.release): at ten times the archive, the export's documents are
// 3.4 million, and a unit's document twice the size of this.
type exDoc struct {
	u                 *unit
	rec               *exRec
	post              []byte // see udoc
	speaker           string
	i                 int32 // in u.docs
	turn, dl, textLen int32
}

// exRec is a record's data, decoded, and as the units keep it.
type exRec struct {
	recMeta
	raw string
}

// exportDocs lists the units' documents in document order (see
// Searcher.order), checking them against the index statistics.
func exportDocs(units []*unit, st indexStats) ([]*exDoc, error) {
	recs := map[string]*exRec{}
	n := 0
	for _, u := range units {
		n += len(u.docs)
	}
	docs := make([]*exDoc, 0, n)
	var textLen int64
	for _, u := range units {
		made := make([]exDoc, len(u.docs)) // one allocation per unit
		for i := range u.docs {
			ud := &u.docs[i]
			d := &made[i]
			*d = exDoc{u: u, post: ud.post, speaker: ud.speaker, i: int32(i), turn: ud.turn, dl: ud.dl, textLen: ud.textLen}
			if d.rec = recs[ud.rec]; d.rec == nil {
				d.rec = &exRec{raw: ud.rec}
				if err := json.Unmarshal([]byte(ud.rec), &d.rec.recMeta); err != nil {
					return nil, fmt.Errorf("document %q without record data: %v", u.key(ud), err)
				}
				recs[ud.rec] = d.rec
			}
			textLen += int64(d.dl)
			docs = append(docs, d)
		}
	}
	if len(docs) != st.Docs || textLen != st.TextLen {
		return nil, fmt.Errorf("the export data has %d documents of %d terms, the index %d of %d", len(docs), textLen, st.Docs, st.TextLen)
	}
	slices.SortFunc(docs, func(a, b *exDoc) int {
		if c := compareDocs(&a.rec.recMeta, &b.rec.recMeta, int(a.turn), int(b.turn)); c != 0 {
			return c
		}
		// same source: compareDocs compares them; a unit's documents are
		// in id order
		if a.u == b.u {
			return cmp.Compare(a.i, b.i)
		}
		return strings.Compare(a.u.docs[a.i].id, b.u.docs[b.i].id)
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

// impacts gives the impacts of a document's terms, remembering those of
// the small frequencies, which most postings have. A value, not a
// closure: the inversion makes one per document per pass.
type impacts struct {
	dl    int
	avgdl float64
	small [8]uint8
}

func (m *impacts) of(tf int) uint8 {
	if tf >= len(m.small) {
		return impact(tf, m.dl, m.avgdl)
	}
	if m.small[tf] == 0 {
		m.small[tf] = impact(tf, m.dl, m.avgdl) // never 0
	}
	return m.small[tf]
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

// file writes a file that keeps its name from build to build.
func (w *writer) file(name string, data []byte) {
	if w.err != nil {
		return
	}
	w.err = os.WriteFile(filepath.Join(w.dir, name), data, 0o644)
	w.files++
	w.bytes += int64(len(data))
}

// hashedName is the name of a file of the given kind and content digest:
// h/kind-<16 hex digits>.bin, relative to the export's directory.
func hashedName(kind string, sum []byte) string {
	return immutableDir + "/" + kind + "-" + hex.EncodeToString(sum[:8]) + ".bin"
}

// hashed writes data under its content's name and returns the name.
func (w *writer) hashed(kind string, data []byte) string {
	sum := sha256.Sum256(data)
	name := hashedName(kind, sum[:])
	w.file(name, data)
	return name
}

// link puts the named files of the export in prev into this one, as hard
// links where the file system allows: they are the reused base's.
func (w *writer) link(prev string, names []string) {
	for _, name := range names {
		if w.err != nil {
			return
		}
		src, dst := filepath.Join(prev, name), filepath.Join(w.dir, name)
		if err := os.Link(src, dst); err != nil {
			w.err = copyFile(src, dst)
		}
		if fi, err := os.Stat(dst); err == nil {
			w.files++
			w.bytes += fi.Size()
		}
	}
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// segment writes a segment of the given documents (numbered from 0 in
// this segment): their dictionary, postings, texts and filters.
func (w *writer) segment(inv *inversion, runs []docRun) segment {
	var s segment
	s.Docs = len(inv.docs)
	w.dictionary(&s, inv)
	var f filters
	s.DocsTable, s.Text, f = w.texts(inv.docs, runs)
	fj, _ := json.Marshal(f) // strings and ints: cannot fail
	s.Filters = w.hashed("filters", deflate(fj))
	return s
}

// packer places units (a bucket's postings, a run's texts), in the order
// given, in numbered files of at most about packLimit bytes, never
// splitting a unit; one larger than that has a file of its own.
type packer struct {
	sizes []int // of the files so far
}

// place places a unit of n bytes: its file and offset in it.
func (p *packer) place(n int) (file, off int) {
	if last := len(p.sizes) - 1; last < 0 || p.sizes[last] > 0 && p.sizes[last]+n > packLimit {
		p.sizes = append(p.sizes, 0)
	}
	file, off = len(p.sizes)-1, p.sizes[len(p.sizes)-1]
	p.sizes[file] += n
	return file, off
}

// packWriter writes the files a packer lays out, streaming each unit to
// its file rather than assembling the files in memory first (tens of
// megabytes each), and names each by its content once it is whole. A file
// is made when the first bytes for it come.
type packWriter struct {
	w     *writer
	kind  string
	names []string
	cur   int // file being written, or -1
	f     *os.File
	bw    *bufio.Writer
	n     int64
	sum   hash.Hash // of the file being written
}

func (w *writer) packs(kind string) *packWriter {
	return &packWriter{w: w, kind: kind, cur: -1, sum: sha256.New()}
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
	p.sum.Write(data)
}

// next closes the file being written, renaming it after its content, and
// creates the next.
func (p *packWriter) next() {
	p.finish()
	p.cur++
	if p.w.err != nil {
		return
	}
	p.f, p.w.err = os.CreateTemp(filepath.Join(p.w.dir, immutableDir), p.kind+"-*.tmp")
	if p.w.err == nil {
		p.w.err = p.f.Chmod(0o644) // as os.WriteFile's: a web server reads it
	}
	if p.bw == nil {
		p.bw = bufio.NewWriterSize(p.f, 1<<20)
	} else {
		p.bw.Reset(p.f)
	}
}

// finish closes the file being written, if any, renaming it after its
// content.
func (p *packWriter) finish() {
	if p.f != nil {
		err := p.bw.Flush()
		if cerr := p.f.Close(); err == nil {
			err = cerr
		}
		name := hashedName(p.kind, p.sum.Sum(nil))
		if err == nil {
			err = os.Rename(p.f.Name(), filepath.Join(p.w.dir, name))
		}
		if p.w.err == nil {
			p.w.err = err
		}
		p.names = append(p.names, name)
		p.w.files++
		p.w.bytes += p.n
		p.f, p.n = nil, 0
		p.sum.Reset()
	}
}

// close finishes the last file and returns every file's name.
func (p *packWriter) close() []string {
	p.finish()
	return p.names
}

// texts writes the text files and the docs table, and returns their names
// and the filter data. Documents are stored in blocks: consecutive
// documents of one run (same record data) up to blockText bytes of text,
// or one longer document, as compressed blockJSON. The docs table has,
// per document: text file number (1 byte), block length (3 bytes), block
// offset (4 bytes) and the document's place in the block (2 bytes),
// little endian.
func (w *writer) texts(docs []*exDoc, druns []docRun) (string, []string, filters) {
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
	// Blocks are laid out per run, so that a run's blocks share a file,
	// and compressed in parallel, a window of runs at a time; they are
	// cached by the run's key. A unit's texts are read for the first of
	// its runs the cache lacks and let go after the last: held all at
	// once, with the blocks, they were 1.5 GB at ten times the archive.
	type run struct {
		docRun
		blocks [][]byte // compressed
		slots  [][2]int // per document: block, place in it
		bounds []int    // first document of each block, and end
	}
	misses := map[*unit]int{} // runs to compress, per unit
	for _, dr := range druns {
		if w.blocks.get(dr.key) == nil {
			misses[docs[dr.lo].u]++
		}
	}
	var pk packer
	pw := w.packs("text")
	table := make([]byte, 0, len(docs)*docEntrySize)
	window := runsPerWindow * runtime.GOMAXPROCS(0)
	for lo := 0; lo < len(druns); lo += window {
		var runs, compress []*run
		var load []*unit
		queued := map[*unit]bool{}
		for _, dr := range druns[lo:min(lo+window, len(druns))] {
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
				compress = append(compress, rn)
				if u := docs[rn.lo].u; !u.texts && !queued[u] {
					queued[u] = true
					load = append(load, u)
				}
			}
			runs = append(runs, rn)
		}
		if err := parallel.Do(len(load), func(i int) error { return load[i].loadTexts() }); err != nil {
			w.err = err
			return "", nil, f
		}
		parallel.Do(len(compress), func(i int) error {
			rn := compress[i]
			d := deflaters.Get().(*deflater)
			defer deflaters.Put(d)
			for k := 0; k+1 < len(rn.bounds); k++ {
				block := blockJSON{Rec: json.RawMessage(docs[rn.lo].rec.raw)}
				for _, d := range docs[rn.bounds[k]:rn.bounds[k+1]] {
					ud := &d.u.docs[d.i]
					dj := docJSON{ID: ud.id, Turn: int(d.turn), Speaker: d.speaker, Text: ud.text, URL: ud.url, Twin: ud.twin}
					block.Docs = append(block.Docs, dj)
				}
				raw, _ := json.Marshal(block) // strings and ints: cannot fail
				rn.blocks = append(rn.blocks, d.deflate(raw))
			}
			return nil
		})
		for _, rn := range compress {
			u := docs[rn.lo].u
			if misses[u]--; misses[u] == 0 {
				u.release()
			}
		}
		for _, rn := range runs {
			w.blocks.put(rn.key, rn.blocks)
			size := 0
			for _, z := range rn.blocks {
				size += len(z)
			}
			file, at := pk.place(size)
			offs := make([]int, len(rn.blocks))
			for k, z := range rn.blocks {
				offs[k] = at
				at += len(z)
				pw.write(file, z)
			}
			for _, sl := range rn.slots {
				z := rn.blocks[sl[0]]
				var e [docEntrySize]byte
				e[0] = byte(file)
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
	}
	names := pw.close()
	return w.hashed("docs", table), names, f
}

// runsPerWindow is how many runs of documents per core texts lays out
// and compresses at once. A variable so that tests can make it one.
var runsPerWindow = 256

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

// deflate compresses data with a pooled deflater.
func deflate(data []byte) []byte {
	d := deflaters.Get().(*deflater)
	defer deflaters.Put(d)
	return d.deflate(data)
}
