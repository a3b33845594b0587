package search

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unsafe"

	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"github.com/ogarchive/ogarchive/internal/mapped"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// exportState is what an export leaves beside the index for the next one:
// the runs of documents it numbered, in order, the mean length its impacts
// were computed with, and a digest of the dictionary and postings files it
// wrote. The next export reads those files back and patches them (see
// ExportFrom).
type exportState struct {
	avgdl  float64
	runs   []stateRun
	digest [32]byte
}

type stateRun struct {
	key [32]byte
	n   int
}

const (
	exportStateFile  = "export.state"
	exportStateMagic = "ogxs1\n"
)

func newState(avgdl float64, runs []docRun, digest [32]byte) *exportState {
	st := &exportState{avgdl: avgdl, digest: digest, runs: make([]stateRun, len(runs))}
	for i, r := range runs {
		st.runs[i] = stateRun{key: r.key, n: r.end - r.lo}
	}
	return st
}

// filesDigest is the digest of an export's postings and dictionary files,
// in that order (see writer.dictionary).
func filesDigest(postings [][]byte, dict []byte) [32]byte {
	h := sha256.New()
	for _, p := range postings {
		h.Write(p)
	}
	h.Write(dict)
	var d [32]byte
	h.Sum(d[:0])
	return d
}

func saveState(indexDir string, st *exportState) error {
	b := []byte(exportStateMagic)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(st.avgdl))
	b = append(b, st.digest[:]...)
	b = binary.AppendUvarint(b, uint64(len(st.runs)))
	for _, r := range st.runs {
		b = append(b, r.key[:]...)
		b = binary.AppendUvarint(b, uint64(r.n))
	}
	return atomicfile.Write(filepath.Join(indexDir, unitsDir, exportStateFile), b)
}

var errState = errors.New("damaged export state")

func readState(indexDir string) (*exportState, error) {
	b, err := os.ReadFile(filepath.Join(indexDir, unitsDir, exportStateFile))
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte(exportStateMagic)) || len(b) < len(exportStateMagic)+8+32 {
		return nil, errState
	}
	b = b[len(exportStateMagic):]
	st := &exportState{avgdl: math.Float64frombits(binary.LittleEndian.Uint64(b))}
	copy(st.digest[:], b[8:])
	b = b[8+32:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)/33) {
		return nil, errState
	}
	b = b[k:]
	st.runs = make([]stateRun, n)
	for i := range st.runs {
		if len(b) < 33 {
			return nil, errState
		}
		copy(st.runs[i].key[:], b)
		m, k := binary.Uvarint(b[32:])
		if k <= 0 || m == 0 || m > math.MaxInt32 {
			return nil, errState
		}
		st.runs[i].n = int(m)
		b = b[32+k:]
	}
	if len(b) != 0 {
		return nil, errState
	}
	return st, nil
}

// prevEntry is a dictionary entry of a previous export.
type prevEntry struct {
	key  string
	post []byte
}

// previous is the dictionary of a previous export, its entries in bucket
// order and sorted by key within a bucket.
type previous struct {
	entries []prevEntry
	bucket  []int // first entry of each bucket, and the end
}

// find returns the entry with the given key, or nil.
func (p *previous) find(key string) *prevEntry {
	k := bucketOf(key, len(p.bucket)-1)
	list := p.entries[p.bucket[k]:p.bucket[k+1]]
	i, ok := slices.BinarySearchFunc(list, key, func(e prevEntry, key string) int { return strings.Compare(e.key, key) })
	if !ok {
		return nil
	}
	return &list[i]
}

// readPrevious reads back the export in dir, which must be the one st
// describes, mapping its postings files into maps.
func readPrevious(dir string, st *exportState, maps *mapped.Set) (*previous, error) {
	var m manifest
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	docs := 0
	for _, r := range st.runs {
		docs += r.n
	}
	if m.Format != exportFormat || m.Chunk != chunkSize || m.AvgDL != st.avgdl || m.Docs != docs ||
		m.Buckets < 1 || m.Buckets&(m.Buckets-1) != 0 {
		return nil, errors.New("another export")
	}
	dict, err := os.ReadFile(filepath.Join(dir, filepath.Base(m.Dict)))
	if err != nil {
		return nil, err
	}
	posts := make([][]byte, len(m.Postings))
	for i, name := range m.Postings {
		if posts[i], err = maps.Read(filepath.Join(dir, filepath.Base(name))); err != nil {
			return nil, err
		}
	}
	if filesDigest(posts, dict) != st.digest {
		return nil, errors.New("the files changed since the export")
	}
	sizes, err := base64.StdEncoding.DecodeString(m.DictSizes)
	if err != nil {
		return nil, err
	}
	// Every bucket inflated into one buffer, which the keys are slices of.
	var raw bytes.Buffer
	raw.Grow(4 * len(dict))
	ends := make([]int, 0, m.Buckets)
	var zr io.ReadCloser
	for len(sizes) > 0 {
		n, k := binary.Uvarint(sizes)
		if k <= 0 || n > uint64(len(dict)) {
			return nil, errUnit
		}
		sizes = sizes[k:]
		src := bytes.NewReader(dict[:n])
		dict = dict[n:]
		if zr == nil {
			zr, err = zlib.NewReader(src)
		} else {
			err = zr.(zlib.Resetter).Reset(src, nil)
		}
		if err == nil {
			_, err = raw.ReadFrom(zr)
		}
		if err != nil {
			return nil, err
		}
		ends = append(ends, raw.Len())
	}
	if len(ends) != m.Buckets || len(dict) != 0 {
		return nil, errUnit
	}
	// The buffer is not written again: the keys are strings over it, as
	// decodeUnit's are over a unit file.
	inflated := raw.Bytes()
	all := ""
	if len(inflated) > 0 {
		all = unsafe.String(&inflated[0], len(inflated))
	}
	// A bucket holds at most bucketTarget entries on average.
	p := &previous{bucket: make([]int, 0, m.Buckets+1), entries: make([]prevEntry, 0, m.Buckets*bucketTarget)}
	at := 0
	for _, end := range ends {
		p.bucket = append(p.bucket, len(p.entries))
		num := func() int {
			n, k := binary.Uvarint(inflated[at:end])
			if k <= 0 || n > math.MaxInt32 {
				at = end // ends the bucket; the check below fails
				return -1
			}
			at += k
			return int(n)
		}
		file, off := num(), num()
		if file < 0 || file >= len(posts) || off < 0 || off > len(posts[file]) {
			return nil, errUnit
		}
		post := posts[file][off:]
		for at < end {
			kl := num()
			if kl < 0 || kl > end-at {
				return nil, errUnit
			}
			key := all[at : at+kl]
			at += kl
			df, pl := num(), num()
			if df < 0 || pl < 0 || pl > len(post) {
				return nil, errUnit
			}
			if df > chunkSize {
				for range 2 * ((df + chunkSize - 1) / chunkSize) {
					if num() < 0 {
						return nil, errUnit
					}
				}
			}
			p.entries = append(p.entries, prevEntry{key: key, post: post[:pl:pl]})
			post = post[pl:]
		}
	}
	p.bucket = append(p.bucket, len(p.entries))
	return p, nil
}

// posting is one document of a postings list, with its impact.
type posting struct {
	doc int32
	imp uint8
}

// patchPrevious returns the dictionary entries for docs made from the
// export st describes, in prevDir: every list renumbered, without the
// documents of runs that are gone, and with the postings of the runs that
// are new, which it counts. It returns no entries when there is nothing to
// patch: no state, a changed mean length, most documents new, or an export
// in prevDir that is not st's.
func patchPrevious(st *exportState, prevDir string, cls *termClasses, docs []*exDoc, runs []docRun, avgdl float64) ([]entry, int) {
	if st == nil || st.avgdl != avgdl {
		return nil, 0
	}
	// Old document numbers to new ones, -1 for those gone; the new
	// documents, in order.
	oldStart := make(map[[32]byte]int, len(st.runs))
	n := 0
	for _, r := range st.runs {
		if _, dup := oldStart[r.key]; dup {
			return nil, 0
		}
		oldStart[r.key] = n
		n += r.n
	}
	renumber := make([]int32, n)
	for i := range renumber {
		renumber[i] = -1
	}
	var added []int
	for _, r := range runs {
		if s, ok := oldStart[r.key]; ok {
			for i := range r.end - r.lo {
				renumber[s+i] = int32(r.lo + i)
			}
			continue
		}
		for i := r.lo; i < r.end; i++ {
			added = append(added, i)
		}
	}
	if 2*len(added) > len(docs) {
		return nil, 0 // cheaper to invert
	}
	last := int32(-1)
	for _, nd := range renumber {
		if nd >= 0 {
			if nd <= last {
				return nil, 0 // documents reordered
			}
			last = nd
		}
	}
	// Damaged units are reported by invert; a damaged or different
	// previous export only costs the time of inverting.
	adds, err := addedPostings(cls, docs, added, avgdl)
	if err != nil {
		return nil, 0
	}
	// Unmapped before the export replaces the files, which may be these.
	var maps mapped.Set
	defer maps.Close()
	prev, err := readPrevious(prevDir, st, &maps)
	if err != nil {
		return nil, 0
	}

	out := make([]entry, len(prev.entries))
	const share = 4096 // lists per task
	err = parallel.Do((len(out)+share-1)/share, func(t int) error {
		for i := t * share; i < min(len(out), (t+1)*share); i++ {
			e := &prev.entries[i]
			var pw postingWriter
			if err := pw.patch(e.post, adds[e.key], renumber); err != nil {
				return fmt.Errorf("previous export, entry %q: %w", e.key, err)
			}
			out[i] = pw.entry(e.key)
		}
		return nil
	})
	if err != nil {
		return nil, 0
	}
	out = slices.DeleteFunc(out, func(e entry) bool { return e.df == 0 })
	for key, list := range adds {
		if prev.find(key) == nil {
			var pw postingWriter
			pw.patch(nil, list, nil) // no previous list: cannot fail
			out = append(out, pw.entry(key))
		}
	}
	return out, len(added)
}

// addedPostings are the postings of the given documents, by dictionary
// key, as invert makes them.
func addedPostings(cls *termClasses, docs []*exDoc, added []int, avgdl float64) (map[string][]posting, error) {
	adds := map[string][]posting{}
	charTF := make([]int32, len(cls.runes))
	var touched []int32
	for _, n := range added {
		d := docs[n]
		imp := impacts(int(d.dl), avgdl)
		for p := d.post; len(p) > 0; {
			id, k := binary.Uvarint(p)
			tf, k2 := binary.Uvarint(p[max(k, 0):])
			if k <= 0 || k2 <= 0 || id >= uint64(len(cls.terms)) {
				return nil, fmt.Errorf("document %q: %w", d.u.key(d.udoc), errUnit)
			}
			p = p[k+k2:]
			if cls.text[id] {
				key := cls.textKey(id)
				adds[key] = append(adds[key], posting{int32(n), imp(int(tf))})
			}
			if c := cls.char[id]; c >= 0 {
				if charTF[c] == 0 {
					touched = append(touched, c)
				}
				charTF[c] += int32(tf)
			}
		}
		// Characters in the order invert meets them does not matter: each
		// list gets one posting per document, in document order.
		for _, c := range touched {
			key := cls.charKey(c)
			adds[key] = append(adds[key], posting{int32(n), imp(int(charTF[c]))})
			charTF[c] = 0
		}
		touched = touched[:0]
		if d.speaker != "" {
			key := speakerKey(d.speaker)
			adds[key] = append(adds[key], posting{int32(n), 0})
		}
	}
	return adds, nil
}

var errPostings = errors.New("damaged postings")

// patch writes a previous export's list, post, renumbered, leaving out the
// documents renumbered -1 and merging in adds, which are in order.
func (p *postingWriter) patch(post []byte, adds []posting, renumber []int32) error {
	p.post = make([]byte, 0, len(post)+3*len(adds))
	old := uint64(0)
	for len(post) > 0 {
		gap, k := uint64(post[0]), 1
		if gap >= 0x80 {
			gap, k = binary.Uvarint(post)
		}
		if k <= 0 || k >= len(post) {
			return errPostings
		}
		imp := post[k]
		post = post[k+1:]
		if old += gap; old >= uint64(len(renumber)) {
			return errPostings
		}
		doc := renumber[old]
		if doc < 0 {
			continue
		}
		for len(adds) > 0 && adds[0].doc < doc {
			p.add(adds[0].doc, adds[0].imp)
			adds = adds[1:]
		}
		p.add(doc, imp)
	}
	for _, a := range adds {
		p.add(a.doc, a.imp)
	}
	return nil
}
