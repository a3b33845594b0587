package search

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// Static format parameters (see the package documentation).
const (
	exportFormat = 1
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
}

// filters is filters.json: per run of documents of one record, its first
// document number, date, and kind and language as indexes into Kinds and
// Langs.
type filters struct {
	Start []int    `json:"start"`
	Date  []string `json:"date"`
	Kind  []int    `json:"kind"`
	Lang  []int    `json:"lang"`
	Kinds []string `json:"kinds"`
	Langs []string `json:"langs"`
}

// exDoc is a document as Export reads it.
type exDoc struct {
	iid     string // bleve internal id
	key     string
	recJSON string
	rec     *recMeta
	speaker string
	turn    int
	text    string
	url     string
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
// them. Identical indexes give identical bytes.
func Export(indexDir, outDir string) (ExportStats, error) {
	start := time.Now()
	idx, st, err := open(indexDir, true)
	if err != nil {
		return ExportStats{}, err
	}
	defer idx.Close()
	r, err := reader(idx)
	if err != nil {
		return ExportStats{}, err
	}
	defer r.Close()

	docs, err := readDocs(r)
	if err != nil {
		return ExportStats{}, err
	}
	num, err := newDocNumbers(docs)
	if err != nil {
		return ExportStats{}, err
	}
	avgdl := 0.0
	if st.Docs > 0 {
		avgdl = float64(st.TextLen) / float64(st.Docs)
	}
	entries, err := readTerms(r, num, len(docs), avgdl)
	if err != nil {
		return ExportStats{}, err
	}
	sp, err := readSpeakers(r, num)
	if err != nil {
		return ExportStats{}, err
	}
	entries = append(entries, sp...)

	if err := os.RemoveAll(outDir); err != nil {
		return ExportStats{}, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return ExportStats{}, err
	}
	w := &writer{dir: outDir}
	m := manifest{
		Format: exportFormat, Docs: len(docs), AvgDL: avgdl, K1: k1, B: b, Chunk: chunkSize,
		Dict: "dict.bin", DocsTable: "docs.bin", Filters: "filters.json", Client: "client.js",
	}
	m.Buckets, m.DictSizes, m.Postings = w.dictionary(entries)
	var f filters
	m.Text, f = w.texts(docs)
	w.json("filters.json", f)
	w.json("manifest.json", m)
	w.file("client.js", clientJS)
	if w.err != nil {
		return ExportStats{}, w.err
	}
	return ExportStats{Docs: len(docs), Terms: len(entries), Files: w.files, Bytes: w.bytes, Duration: time.Since(start)}, nil
}

// readDocs reads every document's fields and returns them in document
// order (see Searcher.order).
func readDocs(r index.IndexReader) ([]*exDoc, error) {
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer ids.Close()
	dv, err := r.DocValueReader([]string{fieldRec, fieldSpeaker, fieldTurn})
	if err != nil {
		return nil, err
	}
	recs := map[string]*recMeta{}
	var docs []*exDoc
	for {
		id, err := ids.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			break
		}
		d := &exDoc{iid: string(id)}
		if d.key, err = r.ExternalID(id); err != nil {
			return nil, err
		}
		err = dv.VisitDocValues(id, func(field string, term []byte) {
			switch field {
			case fieldRec:
				d.recJSON = string(term)
			case fieldSpeaker:
				d.speaker = string(term)
			case fieldTurn:
				d.turn, _ = strconv.Atoi(string(term))
			}
		})
		if err != nil {
			return nil, err
		}
		if d.rec = recs[d.recJSON]; d.rec == nil {
			d.rec = &recMeta{}
			if err := json.Unmarshal([]byte(d.recJSON), d.rec); err != nil {
				return nil, fmt.Errorf("search index: document %q without record data: %v", d.key, err)
			}
			recs[d.recJSON] = d.rec
		}
		doc, err := r.Document(d.key)
		if err != nil {
			return nil, err
		}
		doc.VisitFields(func(f index.Field) {
			switch f.Name() {
			case fieldText:
				d.text = string(f.Value())
			case fieldURL:
				d.url = string(f.Value())
			}
		})
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b *exDoc) int {
		if c := compareDocs(a.rec, b.rec, a.turn, b.turn); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	return docs, nil
}

// posting is one document of a postings list.
type posting struct {
	doc, tf, dl int32
}

// docNumbers maps bleve's internal document numbers to export numbers.
type docNumbers []int32

func newDocNumbers(docs []*exDoc) (docNumbers, error) {
	var maxID uint64
	ids := make([]uint64, len(docs))
	for i, d := range docs {
		n, err := docNumber(index.IndexInternalID(d.iid))
		if err != nil {
			return nil, err
		}
		ids[i], maxID = n, max(maxID, n)
	}
	num := make(docNumbers, maxID+1)
	for i := range num {
		num[i] = -1
	}
	for i, n := range ids {
		num[n] = int32(i)
	}
	return num, nil
}

func (num docNumbers) of(id index.IndexInternalID) (int32, error) {
	n, err := docNumber(id)
	if err != nil {
		return 0, err
	}
	if n >= uint64(len(num)) || num[n] < 0 {
		return 0, fmt.Errorf("search index: posting of unknown document %d", n)
	}
	return num[n], nil
}

// readTerms reads the text field's postings. Terms come sorted, so all the
// terms beginning with one CJK character are adjacent: they are summed
// into that character's entry (see analysis.go). Unigrams are only for
// that; a query never looks them up as text terms. Runs of terms are read
// in parallel and their entries put back in order.
func readTerms(r index.IndexReader, num docNumbers, ndocs int, avgdl float64) ([]entry, error) {
	fd, err := r.FieldDict(fieldText)
	if err != nil {
		return nil, err
	}
	var terms []string
	for {
		e, err := fd.Next()
		if err != nil {
			fd.Close()
			return nil, err
		}
		if e == nil {
			break
		}
		terms = append(terms, e.Term)
	}
	if err := fd.Close(); err != nil {
		return nil, err
	}
	// cut into parts, never between two terms of one first character
	workers := runtime.GOMAXPROCS(0)
	var cuts []int
	for at, step := 0, max(1, len(terms)/(8*workers)); at < len(terms); {
		next := min(len(terms), at+step)
		for next < len(terms) && firstRune(terms[next]) == firstRune(terms[next-1]) {
			next++
		}
		cuts = append(cuts, next)
		at = next
	}
	parts := make([][]entry, len(cuts))
	errs := make([]error, len(cuts))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := newCharAcc(ndocs)
			for i := range jobs {
				lo := 0
				if i > 0 {
					lo = cuts[i-1]
				}
				parts[i], errs[i] = readPart(r, terms[lo:cuts[i]], num, acc, avgdl)
			}
		}()
	}
	for i := range cuts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var out []entry
	for i, part := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, part...)
	}
	return out, nil
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// charAcc sums the term frequencies of one character's terms.
type charAcc struct {
	char    rune
	tf, dl  []int32
	touched []int32
}

func newCharAcc(ndocs int) *charAcc {
	return &charAcc{char: -1, tf: make([]int32, ndocs), dl: make([]int32, ndocs)}
}

func (a *charAcc) add(ps []posting) {
	for _, p := range ps {
		if a.tf[p.doc] == 0 {
			a.touched = append(a.touched, p.doc)
		}
		a.tf[p.doc] += p.tf
		a.dl[p.doc] = p.dl
	}
}

// flush returns the character's entry, if one is being summed.
func (a *charAcc) flush(avgdl float64) (entry, bool) {
	if a.char < 0 {
		return entry{}, false
	}
	ps := make([]posting, len(a.touched))
	for i, d := range a.touched {
		ps[i] = posting{d, a.tf[d], a.dl[d]}
		a.tf[d] = 0
	}
	e := encode(string(fieldByteChar)+string(a.char), ps, avgdl, true)
	a.touched, a.char = a.touched[:0], -1
	return e, true
}

// readPart reads the entries of a run of terms.
func readPart(r index.IndexReader, terms []string, num docNumbers, acc *charAcc, avgdl float64) ([]entry, error) {
	var out []entry
	flush := func() {
		if e, ok := acc.flush(avgdl); ok {
			out = append(out, e)
		}
	}
	for _, term := range terms {
		ps, err := termPostings(r, term, num)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			continue // all its documents were deleted, and not merged away yet
		}
		first, size := utf8.DecodeRuneInString(term)
		if classify(first) != classCJK {
			flush()
			out = append(out, encode(string(fieldByteText)+term, ps, avgdl, true))
			continue
		}
		if first != acc.char {
			flush()
			acc.char = first
		}
		acc.add(ps)
		if size < len(term) { // a bigram; a lone unigram is only for characters
			out = append(out, encode(string(fieldByteText)+term, ps, avgdl, true))
		}
	}
	flush()
	return out, nil
}

// termPostings reads one text term's postings as document numbers, with
// each document's length.
func termPostings(r index.IndexReader, term string, num docNumbers) ([]posting, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldText, true, true, false)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	ps := make([]posting, 0, tfr.Count())
	var td index.TermFieldDoc
	for {
		p, err := tfr.Next(&td)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return ps, nil
		}
		d, err := num.of(p.ID)
		if err != nil {
			return nil, err
		}
		ps = append(ps, posting{d, int32(p.Freq), int32(normLength(p.Norm))})
	}
}

// readSpeakers reads the speaker field: one entry per folded name, so
// names differing only in case or width share it.
func readSpeakers(r index.IndexReader, num docNumbers) ([]entry, error) {
	fd, err := r.FieldDict(fieldSpeaker)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	byKey := map[string][]posting{}
	for {
		e, err := fd.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), fieldSpeaker, false, false, false)
		if err != nil {
			return nil, err
		}
		key := string(fieldByteSpeaker) + foldName(e.Term)
		for {
			p, err := tfr.Next(nil)
			if err == nil && p != nil {
				var d int32
				if d, err = num.of(p.ID); err == nil {
					byKey[key] = append(byKey[key], posting{doc: d})
				}
			}
			if err != nil {
				tfr.Close()
				return nil, err
			}
			if p == nil {
				break
			}
		}
		tfr.Close()
	}
	var out []entry
	for key, ps := range byKey {
		out = append(out, encode(key, ps, 0, false))
	}
	return out, nil
}

// encode sorts ps by document and encodes them: per posting the gap to the
// previous document (from 0) as a uvarint and the impact as a byte (0 for
// speakers, which are not scored); lists longer than a chunk get a skip
// table of, per chunk, the gap between chunk's last documents and the
// chunk's byte length.
func encode(key string, ps []posting, avgdl float64, scored bool) entry {
	slices.SortFunc(ps, func(a, b posting) int { return int(a.doc - b.doc) })
	e := entry{key: key, df: len(ps)}
	var prev, lastChunkDoc int32
	chunkStart := 0
	for i, p := range ps {
		e.post = binary.AppendUvarint(e.post, uint64(p.doc-prev))
		imp := uint8(0)
		if scored {
			imp = impact(int(p.tf), int(p.dl), avgdl)
		}
		e.post = append(e.post, imp)
		prev = p.doc
		if len(ps) > chunkSize && ((i+1)%chunkSize == 0 || i+1 == len(ps)) {
			e.skips = binary.AppendUvarint(e.skips, uint64(p.doc-lastChunkDoc))
			e.skips = binary.AppendUvarint(e.skips, uint64(len(e.post)-chunkStart))
			lastChunkDoc, chunkStart = p.doc, len(e.post)
		}
	}
	return e
}

// bucketOf is the dictionary bucket of a key: FNV-1a, 32 bits, modulo the
// bucket count (a power of two). client.js computes the same.
func bucketOf(key string, buckets int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() & uint32(buckets-1))
}

// writer writes the export's files, remembering the first error.
type writer struct {
	deflater
	dir   string
	err   error
	files int
	bytes int64
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

// pack writes numbered files of at most about packLimit bytes; a unit
// (a bucket's postings, a record's texts) is never split.
type pack struct {
	w      *writer
	prefix string
	names  []string
	buf    []byte
}

// fit starts a new file if n more bytes would overflow the current one,
// and returns the current file number and offset.
func (p *pack) fit(n int) (int, int) {
	if len(p.buf) > 0 && len(p.buf)+n > packLimit {
		p.flush()
	}
	if p.buf == nil {
		p.buf = []byte{}
		p.names = append(p.names, fmt.Sprintf("%s-%d.bin", p.prefix, len(p.names)))
	}
	return len(p.names) - 1, len(p.buf)
}

func (p *pack) flush() {
	if p.buf != nil {
		p.w.file(p.names[len(p.names)-1], p.buf)
		p.buf = nil
	}
}

// dictionary writes dict.bin and the postings files. A bucket is a
// uvarint postings file number and offset, then its entries sorted by key:
// uvarint key length, key, uvarint df, uvarint postings length, and the
// skip table when df > chunkSize; the postings of its entries follow each
// other from that offset.
func (w *writer) dictionary(entries []entry) (buckets int, sizes string, postings []string) {
	buckets = 1
	for buckets*bucketTarget < len(entries) {
		buckets *= 2
	}
	byBucket := make([][]*entry, buckets)
	for i := range entries {
		k := bucketOf(entries[i].key, buckets)
		byBucket[k] = append(byBucket[k], &entries[i])
	}
	posts := &pack{w: w, prefix: "post"}
	var dict, lens []byte
	for _, es := range byBucket {
		slices.SortFunc(es, func(a, b *entry) int { return strings.Compare(a.key, b.key) })
		n := 0
		for _, e := range es {
			n += len(e.post)
		}
		file, off := posts.fit(n)
		raw := binary.AppendUvarint(nil, uint64(file))
		raw = binary.AppendUvarint(raw, uint64(off))
		for _, e := range es {
			raw = binary.AppendUvarint(raw, uint64(len(e.key)))
			raw = append(raw, e.key...)
			raw = binary.AppendUvarint(raw, uint64(e.df))
			raw = binary.AppendUvarint(raw, uint64(len(e.post)))
			raw = append(raw, e.skips...)
			posts.buf = append(posts.buf, e.post...)
		}
		z := w.deflate(raw)
		dict = append(dict, z...)
		lens = binary.AppendUvarint(lens, uint64(len(z)))
	}
	posts.flush()
	w.file("dict.bin", dict)
	return buckets, base64.StdEncoding.EncodeToString(lens), posts.names
}

// texts writes the text files and docs.bin, and returns the filter data.
// Documents are stored in blocks: consecutive documents of one run (same
// record data) up to blockText bytes of text, or one longer document, as
// compressed blockJSON. docs.bin has, per document: text file number (1
// byte), block length (3 bytes), block offset (4 bytes) and the document's
// place in the block (2 bytes), little endian.
func (w *writer) texts(docs []*exDoc) ([]string, filters) {
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
	// compressed in parallel.
	type run struct {
		lo, end int
		blocks  [][]byte // JSON, then compressed
		slots   [][2]int // per document: block, place in it
	}
	var runs []*run
	for lo := 0; lo < len(docs); {
		rn := &run{lo: lo, end: lo + 1}
		for rn.end < len(docs) && docs[rn.end].recJSON == docs[lo].recJSON {
			rn.end++
		}
		for b := lo; b < rn.end; {
			block := blockJSON{Rec: json.RawMessage(docs[lo].recJSON)}
			size := 0
			for b < rn.end && (len(block.Docs) == 0 || size+len(docs[b].text) <= blockText) && len(block.Docs) < 1<<16 {
				d := docs[b]
				dj := docJSON{ID: strings.TrimPrefix(d.key, d.rec.Source+"#"), Turn: d.turn, Speaker: d.speaker, Text: d.text}
				if d.rec.Base == "" {
					dj.URL = d.url
				}
				rn.slots = append(rn.slots, [2]int{len(rn.blocks), len(block.Docs)})
				block.Docs = append(block.Docs, dj)
				size += len(d.text)
				b++
			}
			raw, _ := json.Marshal(block) // strings and ints: cannot fail
			rn.blocks = append(rn.blocks, raw)
		}
		runs = append(runs, rn)
		lo = rn.end
	}
	jobs := make(chan *run)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d deflater
			for rn := range jobs {
				for i, raw := range rn.blocks {
					rn.blocks[i] = d.deflate(raw)
				}
			}
		}()
	}
	for _, rn := range runs {
		jobs <- rn
	}
	close(jobs)
	wg.Wait()

	texts := &pack{w: w, prefix: "text"}
	table := make([]byte, 0, len(docs)*docEntrySize)
	for _, rn := range runs {
		n := 0
		for _, z := range rn.blocks {
			n += len(z)
		}
		file, off := texts.fit(n)
		offs := make([]int, len(rn.blocks))
		for i, z := range rn.blocks {
			offs[i] = off
			off += len(z)
			texts.buf = append(texts.buf, z...)
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
	texts.flush()
	w.file("docs.bin", table)
	return texts.names, f
}

// deflater compresses data in the zlib format, which browsers inflate with
// DecompressionStream("deflate") and Node with zlib.inflateSync. One writer
// is reused: a new one allocates a megabyte of state.
type deflater struct {
	buf bytes.Buffer
	zw  *zlib.Writer
}

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
