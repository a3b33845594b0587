// Package turnid gives every speaker turn of the archive a short anchor id
// that outlives corrections, and remembers it in a ledger committed beside
// the records.
//
// # Ids
//
// A turn's id is first derived from its content: the first 8 characters of
// the lower-case, unpadded base32 of SHA-256 over the speaker label and the
// turn's text, each NFKC-normalised with whitespace collapsed and trimmed,
// joined by a NUL byte (see ContentID). Turns of one record with identical
// content get "-2", "-3", … in order. Ids are unique within a record only: a
// turn's permalink is /<slug>/#<id>.
//
// Content alone cannot survive a correction (the text changes, so would the
// id), so the ledger carries ids across edits. On every build Assign aligns
// the turns the ledger knows with the record's current turns: a longest
// common subsequence on a per-turn sketch of (speaker, text), then turns
// that moved, then, between matches, a position-preferring alignment that
// pairs each edited turn with the old turn it most resembles. Aligned turns
// keep their ids; other new turns get content ids; ids of old turns left
// unpaired are retired and resolve to the nearest surviving turn (the one
// they were merged into, or a neighbour). Retired ids are kept for good, so
// an anchor once published keeps landing somewhere sensible.
//
// # Short links
//
// Ids repeat across records (every "好。" by the same speaker has the same
// content id), so a short link names the record too. Every record gets a
// short key (4+ base32 characters, from the hash of its file name when
// first seen, carried across renames, never reused). The short permalink of
// a turn is /t/#<key>.<id> (ShortLink): the /t/ page looks the key up in a
// small static table (Ledger.Lookup, written by redirect.WriteShortLinks)
// and replaces the location with /<slug>/#<id>. The key lives in the URL
// fragment, so one static page serves every turn of the archive.
//
// # Ledger format
//
// The ledger (records/.turn-ids) is UTF-8 text, one item a line, fields
// separated by one TAB, records sorted by file name, so that it diffs well
// and is byte-identical when nothing changed:
//
//	# comment
//	@	<key>	<hash>	<file>     a record: short-link key, the first 16 hex digits of the
//	                           source's SHA-256 ("-" if unknown), file name in the records directory
//	/	<slug>                 a path segment the record has been published under
//	<id>	<sketch>            one turn, in source order; sketch is 8 base32 characters:
//	                           10 bits of the speaker label's hash, 30 bits of a SimHash of the text
//	-	<old id>	<id>          a retired id and the live turn id it now resolves to
//	x	<key>	<file>          the key of a deleted record, kept so that no other record
//	                           ever answers its short links (after all records)
//
// A turn costs 18 bytes (a few more with a "-N" suffix): about 6 MB for
// the full archive's 338,000 turns, and a small diff per corrected record.
package turnid

import (
	"crypto/sha256"
	"encoding/base32"
	"hash/fnv"
	"math/bits"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ogarchive/ogarchive/generator/model"
)

// IDLen is the length of a content id, without a "-N" suffix.
const IDLen = 8

// enc is lower-case RFC 4648 base32 without padding: URL-safe, case-free and
// free of 0/1/8/9 look-alikes.
var enc = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ContentID is the id a turn with this speaker label and text gets when the
// ledger has nothing to carry over.
func ContentID(label, text string) string {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	b := normalize((*bp)[:0], label)
	b = append(b, 0)
	b = normalize(b, text)
	*bp = b
	sum := sha256.Sum256(b)
	return enc.EncodeToString(sum[:5])[:IDLen]
}

var bufPool = sync.Pool{New: func() any { return new([]byte) }}

// ShortLink is the short permalink of a turn, given its record's key.
func ShortLink(key, id string) string { return "/t/#" + key + "." + id }

// normalize appends s to dst in NFKC with runs of whitespace collapsed to
// one space and no leading or trailing space, so that re-wrapped lines or a
// full-width colon do not count as an edit.
func normalize(dst []byte, s string) []byte {
	start := len(dst)
	dst = norm.NFKC.AppendString(dst, s)
	w, space := start, false
	for r := start; r < len(dst); {
		c, n := rune(dst[r]), 1
		if c >= utf8.RuneSelf {
			c, n = utf8.DecodeRune(dst[r:])
		}
		if unicode.IsSpace(c) {
			space, r = true, r+n
			continue
		}
		if space && w > start {
			dst[w] = ' '
			w++
		}
		space = false
		w += copy(dst[w:], dst[r:r+n])
		r += n
	}
	return dst[:w]
}

// A sketch summarises a turn for alignment: labelBits bits of the label's
// hash above simBits bits of a SimHash over the text's character bigrams.
// Equal sketches mean "same speaker, same or all but the same text"; the
// Hamming distance of the SimHash parts measures how alike two texts are.
type sketch uint64

const (
	labelBits = 10
	simBits   = 30
	simMask   = 1<<simBits - 1
	sketchLen = (labelBits + simBits) / 5 // base32 characters
)

func (s sketch) sameLabel(t sketch) bool { return s>>simBits == t>>simBits }

// likeness is the number of SimHash bits two sketches share: about half of
// simBits for unrelated texts, near simBits for a corrected one.
func (s sketch) likeness(t sketch) int {
	return simBits - bits.OnesCount64(uint64(s^t)&simMask)
}

func (s sketch) String() string {
	var b [8]byte
	v := uint64(s) << (64 - labelBits - simBits)
	for i := range b {
		b[i] = byte(v >> 56)
		v <<= 8
	}
	return enc.EncodeToString(b[:5])
}

func parseSketch(s string) (sketch, bool) {
	if len(s) != sketchLen {
		return 0, false
	}
	b, err := enc.DecodeString(s)
	if err != nil || len(b) != 5 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return sketch(v), true
}

// spread maps a byte to eight 8-bit lanes holding its bits, so that SimHash
// counts eight bit positions with one addition.
var spread = func() (t [256]uint64) {
	for b := range t {
		for i := 0; i < 8; i++ {
			if b>>i&1 == 1 {
				t[b] |= 1 << (8 * i)
			}
		}
	}
	return
}()

// sketchOf computes the sketch of a turn from its label and blocks.
func sketchOf(label string, blocks []model.Block) sketch {
	f := fnv.New64a()
	var buf [utf8.UTFMax]byte
	folded(label, func(r rune) { f.Write(utf8.AppendRune(buf[:0], r)) })
	lh := f.Sum64() >> (64 - labelBits)
	var h simHasher
	for i := range blocks {
		if i > 0 {
			h.add(' ')
		}
		folded(blocks[i].Text, h.add)
	}
	return sketch(lh<<simBits | h.sum())
}

// folded calls emit with the runes of s, full-width forms folded to ASCII
// and runs of whitespace reduced to one space. It is a cheap stand-in for
// NFKC: sketches only need to be indifferent to the variants editors
// actually introduce, and are compared by likeness anyway.
func folded(s string, emit func(rune)) {
	for _, r := range s {
		switch {
		case r >= 0xff01 && r <= 0xff5e:
			r -= 0xfee0
		case r == 0x3000:
			r = ' '
		}
		emit(r)
	}
}

// simHasher is a Charikar SimHash of the overlapping rune bigrams of a text
// (the one rune itself when the text is that short): each bigram votes, by
// its hash, for every bit position; a bit is set when most votes say so.
// Whitespace is collapsed and trimmed as the text goes by.
type simHasher struct {
	counts         [32]int
	lanes          [4]uint64
	total, pending int
	prev           rune
	n              int
	space          bool
}

func (h *simHasher) add(r rune) {
	if r == ' ' || r < utf8.RuneSelf && r <= ' ' || r >= utf8.RuneSelf && unicode.IsSpace(r) {
		h.space = h.n > 0
		return
	}
	if h.space {
		h.space = false
		h.add1(' ')
	}
	h.add1(r)
}

func (h *simHasher) add1(r rune) {
	if h.n > 0 {
		h.vote(mix(uint64(h.prev)<<32 | uint64(r)))
	}
	h.prev = r
	h.n++
}

func (h *simHasher) vote(x uint64) {
	h.lanes[0] += spread[x&0xff]
	h.lanes[1] += spread[x>>8&0xff]
	h.lanes[2] += spread[x>>16&0xff]
	h.lanes[3] += spread[x>>24&0xff]
	h.total++
	if h.pending++; h.pending == 255 { // a lane holds at most 255
		h.flush()
	}
}

func (h *simHasher) flush() {
	for l, v := range h.lanes {
		for i := 0; i < 8; i++ {
			h.counts[8*l+i] += int(v >> (8 * i) & 0xff)
		}
	}
	h.lanes = [4]uint64{}
	h.pending = 0
}

func (h *simHasher) sum() uint64 {
	if h.n == 1 {
		h.vote(mix(uint64(h.prev) << 32))
	}
	h.flush()
	var s uint64
	for i := 0; i < simBits; i++ {
		if 2*h.counts[i] > h.total {
			s |= 1 << i
		}
	}
	return s
}

// mix is the SplitMix64 finaliser: a cheap hash with every output bit
// depending on every input bit.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// sketches returns the sketch of every turn of rec.
func sketches(rec *model.Record) []sketch {
	out := make([]sketch, len(rec.Turns))
	for i := range rec.Turns {
		out[i] = sketchOf(rec.Turns[i].Label, rec.Turns[i].Blocks)
	}
	return out
}

// validID reports whether s has the shape of a turn id: IDLen base32
// characters, optionally followed by "-N" with N ≥ 2.
func validID(s string) bool {
	base, suffix, dashed := strings.Cut(s, "-")
	if len(base) != IDLen || !isBase32(base) {
		return false
	}
	if !dashed {
		return true
	}
	if suffix == "" || suffix[0] == '0' || len(suffix) > 6 || suffix == "1" {
		return false
	}
	for _, c := range suffix {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isBase32(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return s != ""
}
