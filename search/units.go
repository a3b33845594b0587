package search

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unsafe"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"github.com/ogarchive/ogarchive/internal/mapped"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// Build and Update keep, beside the bleve index, what Export needs of each
// source file: its documents' fields and the terms bleve's analysis gave
// each of them, with their frequencies and the field length. Export then
// inverts these instead of reading every postings list and stored document
// back from bleve, which took most of its time, and a rebuild re-reads
// only the sources it re-indexed. The same analysis produced both, so the
// export is what reading the index would give (TestExportMatchesIndex).
const unitsDir = "ogarchive-export"

// unitMagic starts every unit file; it changes with the layout.
const unitMagic = "ogxu4\n"

// unit is one source file's documents as the export needs them. Their
// texts are in a file of their own, read only when the export's cache of
// compressed text blocks lacks the unit's (see blockCache).
type unit struct {
	source string
	hash   [32]byte // of the documents and their texts: what text blocks are cached by
	docs   []udoc
	path   string // of the unit file; the texts are at path+textSuffix
	data   []byte // the unit file, which docs point into
	texts  bool   // the docs have their texts (see loadTexts)
}

const textSuffix = ".txt"

// udoc is one document of a unit.
type udoc struct {
	id, rec, speaker, url string
	twin                  string // see twinOf
	text                  string // "" until read (see loadTexts)
	turn, dl, textLen     int32
	post                  []byte // uvarint pairs: term number (see termDict), frequency
}

// key is the document's Doc.Key.
func (u *unit) key(d *udoc) string { return u.source + "#" + d.id }

// unitFile names the file holding a source's unit.
func unitFile(indexDir, source string) string {
	h := sha256.Sum256([]byte(source))
	return filepath.Join(indexDir, unitsDir, hex.EncodeToString(h[:12])+".bin")
}

// newUdoc is d as the export needs it, but for its analysis (see capture).
func newUdoc(d *Doc, rec, url string) udoc {
	return udoc{id: d.ID, rec: rec, speaker: d.Speaker, url: url, twin: twinOf(d), text: d.Text, turn: int32(d.Turn), textLen: int32(len(d.Text))}
}

// capture adds to ud the terms and frequencies bleve's analysis gave its
// text field f, numbered in dict, and the field's length.
func capture(ud *udoc, f index.Field, dict *termDict) {
	ud.dl = int32(f.AnalyzedLength())
	freqs := f.AnalyzedTokenFrequencies()
	// a term number of up to 3 bytes and a frequency of 1, mostly: one
	// allocation instead of a slice grown by copying
	ud.post = make([]byte, 0, 4*len(freqs))
	for term, tf := range freqs {
		ud.post = binary.AppendUvarint(ud.post, uint64(dict.id(term)))
		ud.post = binary.AppendUvarint(ud.post, uint64(tf.Frequency()))
	}
}

// unitsOf groups documents by source.
func unitsOf(docs []Doc, udocs []udoc) map[string]*unit {
	units := map[string]*unit{}
	for i := range docs {
		u := units[docs[i].Source]
		if u == nil {
			u = &unit{source: docs[i].Source}
			units[docs[i].Source] = u
		}
		u.docs = append(u.docs, udocs[i])
	}
	return units
}

// merge returns u without the documents whose keys are in drop, plus add.
// u's texts must have been read.
func (u *unit) merge(drop map[string]bool, add *unit) *unit {
	out := &unit{source: u.source}
	for i := range u.docs {
		if !drop[u.key(&u.docs[i])] {
			out.docs = append(out.docs, u.docs[i])
		}
	}
	if add != nil {
		out.docs = append(out.docs, add.docs...)
	}
	return out
}

// encode lays the unit out as its two files. The unit file has the magic,
// the hash, the source, the distinct record data, then per document its
// fields, the number of its record data, turn, length, text length and
// postings, as uvarint lengths and numbers; the text file has the texts,
// one after the other, documents in id order. (Term numbers depend on the
// order batches were indexed in; the export does not.)
func (u *unit) encode() (data, texts []byte) {
	slices.SortFunc(u.docs, func(a, b udoc) int { return strings.Compare(a.id, b.id) })
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	num := func(n uint64) { b = binary.AppendUvarint(b, n) }
	str(u.source)
	recs := map[string]int{}
	var list []string
	for _, d := range u.docs {
		if _, ok := recs[d.rec]; !ok {
			recs[d.rec] = len(list)
			list = append(list, d.rec)
		}
	}
	num(uint64(len(list)))
	for _, r := range list {
		str(r)
	}
	num(uint64(len(u.docs)))
	for _, d := range u.docs {
		str(d.id)
		str(d.speaker)
		str(d.url)
		str(d.twin)
		num(uint64(recs[d.rec]))
		num(uint64(d.turn))
		num(uint64(d.dl))
		num(uint64(len(d.text)))
		str(string(d.post))
		texts = append(texts, d.text...)
	}
	th := sha256.Sum256(texts)
	u.hash = sha256.Sum256(append(b, th[:]...))
	return append(append([]byte(unitMagic), u.hash[:]...), b...), texts
}

var errUnit = errors.New("damaged file")

// decodeUnit reads a unit file, which it keeps: the documents' strings
// point into it.
func decodeUnit(path string, data []byte) (*unit, error) {
	if !bytes.HasPrefix(data, []byte(unitMagic)) || len(data) < len(unitMagic)+32 {
		return nil, errUnit
	}
	u := &unit{path: path, data: data}
	copy(u.hash[:], data[len(unitMagic):])
	at := len(unitMagic) + 32
	all := unsafe.String(&data[0], len(data))
	bad := false
	num := func() uint64 {
		n, k := binary.Uvarint(data[at:])
		if k <= 0 || n > math.MaxInt32 {
			bad = true
			return 0
		}
		at += k
		return n
	}
	// count reads a number of things, each at least a byte long.
	count := func() uint64 {
		if n := num(); n <= uint64(len(data)-at) {
			return n
		}
		bad = true
		return 0
	}
	str := func() string {
		n := num()
		if bad || uint64(len(data)-at) < n {
			bad = true
			return ""
		}
		s := all[at : at+int(n)]
		at += int(n)
		return s
	}
	u.source = str()
	recs := make([]string, count())
	for i := range recs {
		recs[i] = str()
	}
	u.docs = make([]udoc, count())
	for i := range u.docs {
		d := &u.docs[i]
		d.id, d.speaker, d.url, d.twin = str(), str(), str(), str()
		if r := num(); r < uint64(len(recs)) {
			d.rec = recs[r]
		} else {
			bad = true
		}
		d.turn, d.dl, d.textLen = int32(num()), int32(num()), int32(num())
		post := str()
		if bad {
			return nil, errUnit
		}
		d.post = data[at-len(post) : at : at]
	}
	if bad || at != len(data) {
		return nil, errUnit
	}
	return u, nil
}

// loadTexts reads the texts of the unit's documents, decoding them
// again first if the unit let go of them (see release).
func (u *unit) loadTexts() error {
	if u.docs == nil {
		again, err := decodeUnit(u.path, u.data)
		if err != nil {
			return fmt.Errorf("%s: %w", u.path, err)
		}
		u.docs = again.docs
	}
	data, err := os.ReadFile(u.path + textSuffix)
	if err != nil {
		return err
	}
	all := ""
	if len(data) > 0 {
		all = unsafe.String(&data[0], len(data))
	}
	at := 0
	for i := range u.docs {
		d := &u.docs[i]
		if int(d.textLen) > len(all)-at {
			return fmt.Errorf("%s: %w", u.path+textSuffix, errUnit)
		}
		d.text = all[at : at+int(d.textLen)]
		at += int(d.textLen)
	}
	if at != len(all) {
		return fmt.Errorf("%s: %w", u.path+textSuffix, errUnit)
	}
	u.texts = true
	return nil
}

// release lets go of the decoded documents and their texts; loadTexts
// decodes them again.
func (u *unit) release() {
	u.docs, u.texts = nil, false
}

// termDict numbers the text terms of the index for the unit files: a
// term keeps its number while the index lives, so a rebuild rewrites only
// the units it re-indexed. Numbers of terms no document uses any more
// stay allocated, unused.
type termDict struct {
	terms []string
	ids   map[string]uint32
	added bool
}

const termDictFile = "terms.dict"

// id returns the term's number, allocating one for a new term, in a
// dictionary being built (not one read: see absorb). It is not safe for
// concurrent use.
func (t *termDict) id(term string) uint32 {
	if n, ok := t.ids[term]; ok {
		return n
	}
	term = strings.Clone(term) // not a part of bleve's memory
	n := uint32(len(t.terms))
	t.ids[term] = n
	t.terms = append(t.terms, term)
	t.added = true
	return n
}

func newTermDict() *termDict { return &termDict{ids: map[string]uint32{}} }

// readTermDict reads the dictionary: terms separated by NUL bytes (no
// term contains one: the analyser drops control characters). A missing
// file is an empty dictionary. Its ids are not indexed: see absorb.
func readTermDict(indexDir string) (*termDict, error) {
	t := newTermDict()
	data, err := os.ReadFile(filepath.Join(indexDir, unitsDir, termDictFile))
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(unitMagic)) {
		return nil, fmt.Errorf("%s: %w", termDictFile, errUnit)
	}
	data = data[len(unitMagic):]
	if len(data) > 0 {
		all := unsafe.String(&data[0], len(data))
		t.terms = strings.Split(strings.TrimSuffix(all, "\x00"), "\x00")
	}
	return t, nil
}

// absorb numbers the terms of local in t, adding those t lacks, and
// returns the number in t of each term of local. It looks every term of t
// up in local, which is small, rather than indexing all of t.
func (t *termDict) absorb(local *termDict) []uint32 {
	to := make([]uint32, len(local.terms))
	found := make([]bool, len(local.terms))
	for i, term := range t.terms {
		if n, ok := local.ids[term]; ok {
			to[n], found[n] = uint32(i), true
		}
	}
	for n, term := range local.terms {
		if !found[n] {
			to[n] = uint32(len(t.terms))
			t.terms = append(t.terms, term)
			t.added = true
		}
	}
	return to
}

// renumber rewrites the documents' term numbers through to.
func renumber(udocs []udoc, to []uint32) {
	for i := range udocs {
		var post []byte
		for p := udocs[i].post; len(p) > 0; {
			id, k := binary.Uvarint(p)
			tf, k2 := binary.Uvarint(p[k:])
			p = p[k+k2:]
			post = binary.AppendUvarint(post, uint64(to[id]))
			post = binary.AppendUvarint(post, tf)
		}
		udocs[i].post = post
	}
}

// save writes the dictionary if terms were added.
func (t *termDict) save(indexDir string) error {
	if !t.added {
		return nil
	}
	b := []byte(unitMagic)
	for _, term := range t.terms {
		b = append(append(b, term...), 0)
	}
	if err := os.MkdirAll(filepath.Join(indexDir, unitsDir), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(indexDir, unitsDir, termDictFile), b)
}

// updateUnits removes the documents with the given keys from their
// sources' units and adds the newly indexed ones.
// The new documents' terms are numbered in local; they get the index's
// numbers here.
func updateUnits(indexDir string, removeKeys []string, local *termDict, docs []Doc, udocs []udoc) error {
	dict, err := readTermDict(indexDir)
	if err != nil {
		return err
	}
	renumber(udocs, dict.absorb(local))
	added := unitsOf(docs, udocs)
	drop := map[string]bool{}
	touched := map[string]*unit{}
	for _, k := range removeKeys {
		drop[k] = true
		touched[sourceOfKey(k)] = nil
	}
	for src := range added {
		touched[src] = nil
	}
	for src := range touched {
		old, err := readUnit(indexDir, src)
		if err != nil {
			return err
		}
		touched[src] = old.merge(drop, added[src])
	}
	// The dictionary first: a unit must never use a number it lacks.
	if err := dict.save(indexDir); err != nil {
		return err
	}
	return writeUnits(indexDir, touched)
}

// sourceOfKey is the source part of a Doc.Key.
func sourceOfKey(key string) string {
	if i := strings.LastIndexByte(key, '#'); i >= 0 {
		return key[:i]
	}
	return key
}

// writeUnits replaces the unit files of the given sources: a nil or empty
// unit removes the source's file.
func writeUnits(indexDir string, units map[string]*unit) error {
	if err := os.MkdirAll(filepath.Join(indexDir, unitsDir), 0o755); err != nil {
		return err
	}
	sources := make([]string, 0, len(units))
	for s := range units {
		sources = append(sources, s)
	}
	return parallel.Do(len(sources), func(i int) error {
		u, path := units[sources[i]], unitFile(indexDir, sources[i])
		if u == nil || len(u.docs) == 0 {
			for _, p := range []string{path, path + textSuffix} {
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
			return nil
		}
		data, texts := u.encode()
		// The texts first: a unit file never lacks its texts.
		if err := atomicfile.Write(path+textSuffix, texts); err != nil {
			return err
		}
		return atomicfile.Write(path, data)
	})
}

// readUnit reads one source's unit with its texts; a source never
// indexed has none.
func readUnit(indexDir, source string) (*unit, error) {
	data, err := os.ReadFile(unitFile(indexDir, source))
	if errors.Is(err, fs.ErrNotExist) {
		return &unit{source: source}, nil
	}
	if err != nil {
		return nil, err
	}
	u, err := decodeUnit(unitFile(indexDir, source), data)
	if err == nil {
		err = u.loadTexts()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", unitFile(indexDir, source), err)
	}
	return u, nil
}

// readAllUnits reads every unit of the index, in parallel, mapping the
// files into maps unless it is nil: the units are valid until it is closed.
func readAllUnits(indexDir string, maps *mapped.Set) ([]*unit, error) {
	paths, err := filepath.Glob(filepath.Join(indexDir, unitsDir, "*.bin"))
	if err != nil {
		return nil, err
	}
	units := make([]*unit, len(paths))
	err = parallel.Do(len(paths), func(i int) error {
		var data []byte
		if maps != nil {
			data, err = maps.Read(paths[i])
		} else {
			data, err = os.ReadFile(paths[i])
		}
		if err != nil {
			return err
		}
		if units[i], err = decodeUnit(paths[i], data); err != nil {
			return fmt.Errorf("%s: %w", paths[i], err)
		}
		return nil
	})
	return units, err
}

// blockCache keeps the compressed text blocks of the last exports beside
// the index, per run of documents: compressing them is most of an export's
// work, and a rebuild changes few runs. The file is a log: an export adds
// the runs it compressed, and rewrites it only when most of it is runs no
// export uses any more. The runs an export compresses go to a log of their
// own as they come (see put), not held until save: at ten times the
// archive they are 700 MB.
type blockCache struct {
	dir      string // where the file is
	old      map[[32]byte][][]byte
	used     map[[32]byte]bool
	size     map[[32]byte]int // bytes of each run in the file
	fileSize int              // bytes read; 0 when there is no file
	damaged  bool             // the file has a damaged end

	added *os.File      // the runs compressed, or nil before the first
	aw    *bufio.Writer // to added
	err   error         // writing added
	run   []byte        // a run's entry being written, reused
}

const blockCacheFile = "blocks.cache"

// runKey names a run's blocks: they depend on its unit's documents, which
// of them are the run, and the block layout.
func runKey(unitHash [32]byte, firstKey string, n int) [32]byte {
	h := sha256.New()
	h.Write(unitHash[:])
	fmt.Fprintf(h, "%d\x00%d\x00%d\x00%s", exportFormat, blockText, n, firstKey)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// readBlockCache reads the cache, mapping the file into maps: the blocks
// are valid until it is closed. A missing or damaged cache is empty, a
// damaged end is left out.
func readBlockCache(indexDir string, maps *mapped.Set) *blockCache {
	c := &blockCache{dir: filepath.Join(indexDir, unitsDir), old: map[[32]byte][][]byte{}, used: map[[32]byte]bool{}, size: map[[32]byte]int{}}
	data, _ := maps.Read(filepath.Join(c.dir, blockCacheFile))
	if !bytes.HasPrefix(data, []byte(unitMagic)) {
		return c
	}
	data = data[len(unitMagic):]
	next := func() (int, bool) {
		n, k := binary.Uvarint(data)
		if k <= 0 || n > uint64(len(data)) {
			return 0, false
		}
		data = data[k:]
		return int(n), true
	}
	c.fileSize = len(unitMagic)
	for len(data) > 32 {
		start := len(data)
		var key [32]byte
		copy(key[:], data)
		data = data[32:]
		nb, ok := next()
		blocks := make([][]byte, 0, nb)
		for ok && len(blocks) < nb {
			var n int
			if n, ok = next(); ok {
				blocks = append(blocks, data[:n:n])
				data = data[n:]
			}
		}
		if !ok {
			break
		}
		c.old[key] = blocks // a later entry for a run replaces an earlier one
		c.size[key] += start - len(data)
		c.fileSize += start - len(data)
	}
	c.damaged = len(data) > 0
	return c
}

// get returns a run's cached blocks, or nil.
func (c *blockCache) get(key [32]byte) [][]byte {
	return c.old[key]
}

// put records the blocks a run used, adding them to the log of runs
// compressed when the file lacks them.
func (c *blockCache) put(key [32]byte, blocks [][]byte) {
	if c.used[key] {
		return
	}
	c.used[key] = true
	if _, ok := c.old[key]; ok || c.err != nil {
		return
	}
	if c.added == nil {
		if c.err = os.MkdirAll(c.dir, 0o755); c.err != nil {
			return
		}
		if c.added, c.err = os.CreateTemp(c.dir, blockCacheFile+".*.tmp"); c.err != nil {
			return
		}
		c.aw = bufio.NewWriterSize(c.added, 1<<20)
	}
	c.run = encodeRun(c.run[:0], key, blocks)
	_, c.err = c.aw.Write(c.run)
}

// encodeRun appends a run's entry in the file to out.
func encodeRun(out []byte, key [32]byte, blocks [][]byte) []byte {
	out = append(out, key[:]...)
	out = binary.AppendUvarint(out, uint64(len(blocks)))
	for _, z := range blocks {
		out = binary.AppendUvarint(out, uint64(len(z)))
		out = append(out, z...)
	}
	return out
}

// save adds the runs this export compressed to the file, or rewrites it
// with the runs it used when those are less than half of it.
func (c *blockCache) save() error {
	defer c.discard()
	if c.err != nil {
		return c.err
	}
	live := 0
	var kept [][32]byte
	for k := range c.used {
		if _, ok := c.old[k]; ok {
			live += c.size[k]
			kept = append(kept, k)
		}
	}
	path := filepath.Join(c.dir, blockCacheFile)
	if c.fileSize > 0 && !c.damaged && 2*live >= c.fileSize {
		if c.added == nil {
			return nil
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return err
		}
		err = c.copyAdded(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	slices.SortFunc(kept, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	tmp, err := os.CreateTemp(c.dir, blockCacheFile+".*.tmp")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	bw.WriteString(unitMagic)
	for _, k := range kept {
		c.run = encodeRun(c.run[:0], k, c.old[k])
		bw.Write(c.run)
	}
	err = bw.Flush()
	if err == nil {
		err = c.copyAdded(tmp)
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// copyAdded copies the log of runs compressed to f.
func (c *blockCache) copyAdded(f *os.File) error {
	if c.added == nil {
		return nil
	}
	if err := c.aw.Flush(); err != nil {
		return err
	}
	if _, err := c.added.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(f, c.added)
	return err
}

// discard removes the log of runs compressed; save has added them, or the
// export failed.
func (c *blockCache) discard() {
	if c.added != nil {
		c.added.Close()
		os.Remove(c.added.Name())
		c.added, c.aw = nil, nil
	}
}
