package cache

import (
	"encoding/binary"
	"errors"
	"time"
	"unsafe"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// The entry codec is written out field by field rather than with gob:
// decoding the whole archive's parse is on the path of every rebuild, and
// this way it costs one allocation for all the strings of a record (they
// are slices of one string) instead of one per string. TestCodecFields
// fails when the model gains a field the codec does not carry.

// codecVersion changes with the layout below; it is part of every key.
const codecVersion = "ogarchive-cache-2"

var errCorrupt = errors.New("cache entry is damaged")

type encoder struct{ b []byte }

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) int(n int) { e.b = binary.AppendVarint(e.b, int64(n)) }

func encodeEntry(r *model.Record, findings []diag.Finding) []byte {
	n := 256 + len(findings)*128
	for i := range r.Turns {
		n += 64
		for _, b := range r.Turns[i].Blocks {
			n += len(b.Text) + len(b.Markup) + 16
		}
	}
	e := &encoder{b: make([]byte, 0, n)}
	e.str(codecVersion)
	e.str(r.File)
	e.str(r.Slug)
	e.str(r.Title)
	date, _ := r.Date.MarshalBinary()
	e.str(string(date))
	e.str(r.Lang)
	e.str(string(r.Kind))
	e.int(len(r.Turns))
	for i := range r.Turns {
		t := &r.Turns[i]
		e.int(t.Ordinal)
		e.str(t.ID)
		e.int(t.Line)
		e.str(t.Label)
		e.str(t.Speaker)
		e.str(t.Role)
		e.int(len(t.Blocks))
		for _, b := range t.Blocks {
			e.str(string(b.Kind))
			e.str(b.Text)
			e.str(b.Markup)
			e.int(b.Line)
		}
	}
	e.str(r.Alternate)
	e.int(len(r.Aliases))
	for _, a := range r.Aliases {
		e.str(a)
	}
	e.str(r.Hash)
	e.int(len(findings))
	for _, f := range findings {
		e.str(f.File)
		e.int(f.Line)
		e.int(int(f.Severity))
		e.str(f.Message)
	}
	return e.b
}

// decoder reads from one string, so decoded strings share its memory.
type decoder struct {
	s   string
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		if c < 0x80 {
			d.s = d.s[i+1:]
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	d.err = errCorrupt
	return 0
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.s)) {
		d.err = errCorrupt
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

func (d *decoder) int() int {
	u := d.uvarint()
	return int(int64(u>>1) ^ -int64(u&1)) // zig-zag, as binary.AppendVarint
}

// count reads a length, refusing one the remaining bytes cannot hold.
func (d *decoder) count() int {
	n := d.int()
	if n < 0 || n > len(d.s) {
		d.err = errCorrupt
		return 0
	}
	return n
}

// decodeEntry decodes b, which it keeps: the strings of the record point
// into it, so the caller must not change b afterwards.
func decodeEntry(b []byte) (*model.Record, []diag.Finding, error) {
	if len(b) == 0 {
		return nil, nil, errCorrupt
	}
	// The entry is read for this decoding alone: its bytes become the
	// record's strings without a copy (170 MB for the full archive).
	d := &decoder{s: unsafe.String(&b[0], len(b))}
	if d.str() != codecVersion {
		return nil, nil, errCorrupt
	}
	r := &model.Record{}
	r.File = d.str()
	r.Slug = d.str()
	r.Title = d.str()
	if err := r.Date.UnmarshalBinary([]byte(d.str())); err != nil && d.err == nil {
		d.err = err
	}
	if r.Date.IsZero() {
		r.Date = time.Time{}
	}
	r.Lang = d.str()
	r.Kind = model.Kind(d.str())
	if n := d.count(); n > 0 {
		r.Turns = make([]model.Turn, n)
	}
	for i := range r.Turns {
		t := &r.Turns[i]
		t.Ordinal = d.int()
		t.ID = d.str()
		t.Line = d.int()
		t.Label = d.str()
		t.Speaker = d.str()
		t.Role = d.str()
		if n := d.count(); n > 0 {
			t.Blocks = make([]model.Block, n)
		}
		for j := range t.Blocks {
			b := &t.Blocks[j]
			b.Kind = model.BlockKind(d.str())
			b.Text = d.str()
			b.Markup = d.str()
			b.Line = d.int()
		}
	}
	r.Alternate = d.str()
	if n := d.count(); n > 0 {
		r.Aliases = make([]string, n)
	}
	for i := range r.Aliases {
		r.Aliases[i] = d.str()
	}
	r.Hash = d.str()
	var findings []diag.Finding
	if n := d.count(); n > 0 {
		findings = make([]diag.Finding, n)
	}
	for i := range findings {
		f := &findings[i]
		f.File = d.str()
		f.Line = d.int()
		f.Severity = diag.Severity(d.int())
		f.Message = d.str()
	}
	if d.err == nil && d.s != "" {
		d.err = errCorrupt
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return r, findings, nil
}
