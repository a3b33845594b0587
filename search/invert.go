package search

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/ogarchive/ogarchive/internal/parallel"
)

// passBytes bounds the postings lists one pass of the inversion holds
// (see writer.dictionary). Held all at once, the lists of ten times the
// archive are 590 MB on top of everything else the export holds; a pass
// over the documents' terms costs about a second there. A variable so
// that tests can force many passes.
var passBytes = 256 << 20

// inversion is what the first pass over a segment's documents learns:
// every dictionary entry, its bucket and how long its postings list is. A text entry per term, unless it is a lone CJK character; a
// character entry per CJK character, summing the terms that begin with
// it; a speaker entry per folded name, so that names differing only in
// case or width share it. Entries are numbered text, then character, then
// speaker entries.
type inversion struct {
	cls       *termClasses
	docs      []*exDoc
	avgdl     float64
	keys      []string
	size      []int            // bytes of an entry's postings
	textEntry []int32          // per term: its text entry, or -1
	charEntry []int32          // per character: its entry, or -1
	speakers  []*postingWriter // the speaker entries' lists, made whole in the first pass
	buckets   int
	byBucket  [][]int32 // entries per bucket, sorted by key
}

// invert reads the documents' terms once, checking them, and plans the
// dictionary: its entries, buckets and the speakers' lists, which are
// short (a posting per document at most) and made at once.
func invert(cls *termClasses, docs []*exDoc, avgdl float64) (*inversion, error) {
	nt, nc := len(cls.terms), len(cls.runes)
	// The exact length of every list, so that each is made at its size
	// and a pass holds no more than it needs: per posting, the gap to the
	// list's previous document and an impact byte (see postingWriter).
	size, charSize := make([]int, nt), make([]int, nc)
	last, charLast := make([]int32, nt), make([]int32, nc)
	for i := range last {
		last[i] = -1
	}
	for i := range charLast {
		charLast[i] = -1
	}
	posting := func(doc int32, last *int32) int {
		n := 1 + uvarintLen(uint64(doc-max(*last, 0)))
		*last = doc
		return n
	}
	speakers := map[string]*postingWriter{}
	for n, d := range docs {
		doc := int32(n)
		for p := d.post; len(p) > 0; {
			id, k := binary.Uvarint(p)
			_, k2 := binary.Uvarint(p[max(k, 0):])
			if k <= 0 || k2 <= 0 || id >= uint64(nt) || last[id] == doc {
				return nil, fmt.Errorf("a document of %q: %w (term %d of %d)", d.u.source, errUnit, id, nt)
			}
			p = p[k+k2:]
			size[id] += posting(doc, &last[id])
			if c := cls.char[id]; c >= 0 && charLast[c] != doc {
				charSize[c] += posting(doc, &charLast[c])
			}
		}
		if d.speaker != "" {
			key := speakerKey(d.speaker)
			pw := speakers[key]
			if pw == nil {
				pw = &postingWriter{}
				speakers[key] = pw
			}
			pw.add(doc, 0)
		}
	}
	inv := &inversion{cls: cls, docs: docs, avgdl: avgdl, textEntry: make([]int32, nt), charEntry: make([]int32, nc)}
	add := func(key string, size int) int32 {
		inv.keys = append(inv.keys, key)
		inv.size = append(inv.size, size)
		return int32(len(inv.keys) - 1)
	}
	for i := range nt {
		inv.textEntry[i] = -1
		if cls.text[i] && size[i] > 0 {
			inv.textEntry[i] = add(cls.textKey(uint64(i)), size[i])
		}
	}
	for c := range nc {
		inv.charEntry[c] = -1
		if charSize[c] > 0 {
			inv.charEntry[c] = add(cls.charKey(int32(c)), charSize[c])
		}
	}
	names := make([]string, 0, len(speakers))
	for key := range speakers {
		names = append(names, key)
	}
	slices.Sort(names)
	for _, key := range names {
		add(key, len(speakers[key].post))
		inv.speakers = append(inv.speakers, speakers[key])
	}
	inv.buckets = 1
	for inv.buckets*bucketTarget < len(inv.keys) {
		inv.buckets *= 2
	}
	inv.byBucket = make([][]int32, inv.buckets)
	for e, key := range inv.keys {
		k := bucketOf(key, inv.buckets)
		inv.byBucket[k] = append(inv.byBucket[k], int32(e))
	}
	parallel.Do(inv.buckets, func(i int) error {
		slices.SortFunc(inv.byBucket[i], func(a, b int32) int { return strings.Compare(inv.keys[a], inv.keys[b]) })
		return nil
	})
	return inv, nil
}

// firstSpeaker is the number of the first speaker entry.
func (inv *inversion) firstSpeaker() int { return len(inv.keys) - len(inv.speakers) }

// passes cuts the buckets, in order, into ranges whose lists are at most
// about passBytes (a bucket more than that is a pass of its own):
// the ends of the ranges.
func (inv *inversion) passes() []int {
	var ends []int
	held := 0
	for i, list := range inv.byBucket {
		n := 0
		for _, e := range list {
			n += inv.size[e]
		}
		if held > 0 && held+n > passBytes {
			ends = append(ends, i)
			held = 0
		}
		held += n
	}
	return append(ends, inv.buckets)
}

// lists makes the postings lists of the entries in buckets [lo, hi),
// reading every document: per entry, its list, nil outside the range.
func (inv *inversion) lists(lo, hi int) []*postingWriter {
	out := make([]*postingWriter, len(inv.keys))
	first := int32(inv.firstSpeaker())
	for _, list := range inv.byBucket[lo:hi] {
		for _, e := range list {
			if e >= first {
				out[e] = inv.speakers[e-first]
			} else {
				out[e] = &postingWriter{post: make([]byte, 0, inv.size[e])} // its exact size
			}
		}
	}
	// Each worker writes the lists of its share of the entries, reading
	// every document.
	textEntry, charEntry := inv.textEntry, inv.charEntry
	workers := runtime.GOMAXPROCS(0)
	parallel.Do(workers, func(w int) error {
		mine := func(e int32) *postingWriter {
			if e < 0 || int(e)%workers != w || e >= first {
				return nil
			}
			return out[e]
		}
		textPW := make([]*postingWriter, len(textEntry))
		charPW := make([]*postingWriter, len(charEntry))
		for c, e := range charEntry {
			charPW[c] = mine(e)
		}
		// want says, per term, whether its text or character list is
		// this worker's in this pass: most postings are neither, and a
		// byte per term stays in the cache where the lists would not.
		want := make([]uint8, len(textEntry))
		for id, e := range textEntry {
			if textPW[id] = mine(e); textPW[id] != nil {
				want[id] = 1
			}
			if c := inv.cls.char[id]; c >= 0 && charPW[c] != nil {
				want[id] |= 2
			}
		}
		char := inv.cls.char
		charTF := make([]int32, len(charEntry))
		var touched []int32
		for n, d := range inv.docs {
			doc := int32(n)
			imp := impacts{dl: int(d.dl), avgdl: inv.avgdl}
			for p := d.post; len(p) > 0; {
				id, k := binary.Uvarint(p)
				tf, k2 := binary.Uvarint(p[k:])
				p = p[k+k2:]
				wanted := want[id]
				if wanted == 0 {
					continue
				}
				if wanted&1 != 0 {
					textPW[id].add(doc, imp.of(int(tf)))
				}
				if c := char[id]; wanted&2 != 0 {
					if charTF[c] == 0 {
						touched = append(touched, c)
					}
					charTF[c] += int32(tf)
				}
			}
			for _, c := range touched {
				charPW[c].add(doc, imp.of(int(charTF[c])))
				charTF[c] = 0
			}
			touched = touched[:0]
		}
		return nil
	})
	return out
}

// dictionary writes the dictionary and the postings files of the
// inverted documents into s, a pass over the documents per range of
// buckets (see passes): only that range's lists are held at once. A bucket
// is a uvarint postings file number and offset, then its entries sorted by
// key: uvarint key length, key, uvarint df, uvarint postings length, then
// the postings themselves when df <= inlineDF, or else the skip table when
// df > chunkSize; the postings of its other entries follow each other from
// that offset. It returns the number of entries.
func (w *writer) dictionary(s *segment, inv *inversion) int {
	var pk packer
	pw := w.packs("post")
	raws := make([][]byte, inv.buckets)
	lo := 0
	for _, hi := range inv.passes() {
		lists := inv.lists(lo, hi)
		entries := make([][]entry, hi-lo)
		for i := lo; i < hi; i++ {
			for _, e := range inv.byBucket[i] {
				entries[i-lo] = append(entries[i-lo], lists[e].entry(inv.keys[e]))
			}
		}
		// Buckets are laid out in order, each with its postings in one
		// file, then built and compressed in parallel.
		file, off := make([]int, hi-lo), make([]int, hi-lo)
		for i, list := range entries {
			size := 0
			for _, e := range list {
				if e.df > inlineDF {
					size += len(e.post)
				}
			}
			file[i], off[i] = pk.place(size)
		}
		const run = 64 // buckets per task, which share a deflater
		parallel.Do((hi-lo+run-1)/run, func(r int) error {
			d := deflaters.Get().(*deflater)
			defer deflaters.Put(d)
			for i := r * run; i < min(hi-lo, (r+1)*run); i++ {
				raw := binary.AppendUvarint(nil, uint64(file[i]))
				raw = binary.AppendUvarint(raw, uint64(off[i]))
				for _, e := range entries[i] {
					raw = binary.AppendUvarint(raw, uint64(len(e.key)))
					raw = append(raw, e.key...)
					raw = binary.AppendUvarint(raw, uint64(e.df))
					raw = binary.AppendUvarint(raw, uint64(len(e.post)))
					if e.df <= inlineDF {
						raw = append(raw, e.post...)
					} else {
						raw = append(raw, e.skips...)
					}
				}
				raws[lo+i] = d.deflate(raw)
			}
			return nil
		})
		for i, list := range entries {
			for _, e := range list {
				if e.df > inlineDF {
					pw.write(file[i], e.post)
				}
			}
		}
		lo = hi
	}
	s.Buckets = inv.buckets
	s.Postings = append([]string{}, pw.close()...) // [], not null, when there is none
	var all, lens []byte
	for _, z := range raws {
		all = append(all, z...)
		lens = binary.AppendUvarint(lens, uint64(len(z)))
	}
	s.DictSizes, s.Dict = base64.StdEncoding.EncodeToString(lens), w.hashed("dict", all)
	return len(inv.keys)
}

// uvarintLen is the length of n as a uvarint.
func uvarintLen(n uint64) int {
	k := 1
	for ; n >= 0x80; n >>= 7 {
		k++
	}
	return k
}
