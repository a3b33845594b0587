package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/ogarchive/ogarchive/internal/mapped"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestExportMatchesIndex: the terms, frequencies and lengths the build
// keeps for the export are those in the bleve index, term for term.
func TestExportMatchesIndex(t *testing.T) {
	f := testFixture(t)
	idx, _, err := open(f.index, true)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	r, err := reader(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	// term → document key → frequency and length, from the index
	fromIndex := map[string]map[string][2]int{}
	fd, err := r.FieldDict(fieldText)
	if err != nil {
		t.Fatal(err)
	}
	for {
		e, err := fd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			break
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), fieldText, true, true, false)
		if err != nil {
			t.Fatal(err)
		}
		for {
			p, err := tfr.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if p == nil {
				break
			}
			key, err := r.ExternalID(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if fromIndex[e.Term] == nil {
				fromIndex[e.Term] = map[string][2]int{}
			}
			fromIndex[e.Term][key] = [2]int{int(p.Freq), normLength(p.Norm)}
		}
		tfr.Close()
	}
	fd.Close()

	dict, err := readTermDict(f.index)
	if err != nil {
		t.Fatal(err)
	}
	units, err := readAllUnits(f.index, &mapped.Set{})
	if err != nil {
		t.Fatal(err)
	}
	fromUnits := map[string]map[string][2]int{}
	n := 0
	for _, u := range units {
		for i := range u.docs {
			d := &u.docs[i]
			n++
			for p := d.post; len(p) > 0; {
				id, k := binary.Uvarint(p)
				tf, k2 := binary.Uvarint(p[k:])
				p = p[k+k2:]
				term := dict.terms[id]
				if fromUnits[term] == nil {
					fromUnits[term] = map[string][2]int{}
				}
				fromUnits[term][u.key(d)] = [2]int{int(tf), int(d.dl)}
			}
		}
	}
	if n != len(f.docs) {
		t.Errorf("the units hold %d documents, the index %d", n, len(f.docs))
	}
	if len(fromIndex) == 0 || !maps.EqualFunc(fromIndex, fromUnits, maps.Equal) {
		for term, docs := range fromIndex {
			if !maps.Equal(docs, fromUnits[term]) {
				t.Errorf("term %q: index %v, units %v", term, docs, fromUnits[term])
				break
			}
		}
		t.Errorf("index has %d terms, units %d", len(fromIndex), len(fromUnits))
	}
}

// TestUnitFiles: a unit survives encoding; damaged files are refused,
// never misread.
func TestUnitFiles(t *testing.T) {
	dir := t.TempDir()
	u := &unit{source: "a.md", docs: []udoc{
		{id: "t2", rec: `{"s":"a.md"}`, speaker: "甲", text: "第二段", turn: 2, dl: 3, post: []byte{0, 1, 1, 2}},
		{id: "t1", rec: `{"s":"a.md"}`, url: "/x/?y", text: "first", turn: 1, dl: 1, post: []byte{2, 1}},
	}}
	for i := range u.docs {
		u.docs[i].textLen = int32(len(u.docs[i].text))
	}
	if err := writeUnits(dir, map[string]*unit{"a.md": u}); err != nil {
		t.Fatal(err)
	}
	got, err := readUnit(dir, "a.md")
	if err != nil {
		t.Fatal(err)
	}
	if got.source != "a.md" || len(got.docs) != 2 || got.docs[0].id != "t1" || got.docs[1].text != "第二段" ||
		got.docs[0].url != "/x/?y" || got.docs[1].speaker != "甲" || string(got.docs[1].post) != "\x00\x01\x01\x02" || got.hash != u.hash {
		t.Errorf("read back %+v", got)
	}

	data, err := os.ReadFile(unitFile(dir, "a.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"other magic", append([]byte("ogxu0\n"), data[6:]...)},
		{"cut short", data[:len(data)-3]},
		{"trailing bytes", append(slices.Clone(data), 0)},
		{"huge count", append(slices.Clone(data[:len(unitMagic)+32+5]), 0xff, 0xff, 0xff, 0xff, 0x0f)},
	} {
		if _, err := decodeUnit("x", c.data); !errors.Is(err, errUnit) {
			t.Errorf("%s: %v, want a damaged file", c.name, err)
		}
	}
	// texts that do not match the unit
	os.WriteFile(unitFile(dir, "a.md")+textSuffix, []byte("short"), 0o644)
	if _, err := readUnit(dir, "a.md"); !errors.Is(err, errUnit) {
		t.Errorf("wrong texts: %v", err)
	}
	// removing
	if err := writeUnits(dir, map[string]*unit{"a.md": nil}); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, unitsDir, "*")); len(files) != 0 {
		t.Errorf("left %v", files)
	}
}

// TestTermDict: numbers survive saving; a term keeps its number.
func TestTermDict(t *testing.T) {
	dir := t.TempDir()
	d := newTermDict()
	for _, term := range []string{"開放", "data", "放", "開放"} {
		d.id(term)
	}
	if len(d.terms) != 3 || d.id("放") != 2 {
		t.Fatalf("terms %q", d.terms)
	}
	if err := d.save(dir); err != nil {
		t.Fatal(err)
	}
	again, err := readTermDict(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.terms, d.terms) || again.added {
		t.Errorf("read back %q", again.terms)
	}
	local := newTermDict()
	local.id("政府")
	local.id("data")
	to := again.absorb(local)
	if !slices.Equal(to, []uint32{3, 1}) || !again.added || len(again.terms) != 4 {
		t.Errorf("absorb: numbers %v, terms %q", to, again.terms)
	}
	udocs := []udoc{{post: []byte{0, 5, 1, 1}}}
	renumber(udocs, to)
	if string(udocs[0].post) != "\x03\x05\x01\x01" {
		t.Errorf("renumbered %v", udocs[0].post)
	}
}

// TestBlockCache: an export after a change re-compresses only the runs that
// changed, and gives the bytes an export from scratch gives.
func TestBlockCache(t *testing.T) {
	f := testFixture(t)
	var maps mapped.Set
	defer maps.Close()
	dir := t.TempDir()
	index := filepath.Join(dir, "index")
	if _, err := Build(context.Background(), index, f.docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(index, filepath.Join(dir, "first")); err != nil {
		t.Fatal(err)
	}
	cached := readBlockCache(index, &maps)
	if len(cached.old) == 0 {
		t.Fatal("no blocks cached")
	}
	// a damaged cache is ignored
	os.WriteFile(filepath.Join(index, unitsDir, blockCacheFile), []byte(unitMagic+"\x01\x02"), 0o644)
	if _, err := Export(index, filepath.Join(dir, "damaged")); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "with a damaged cache", readTree(t, filepath.Join(dir, "first")), readTree(t, filepath.Join(dir, "damaged")))

	docs := slices.Clone(f.docs)
	docs[0].Text += " 補充"
	if _, err := Update(context.Background(), index, nil, docs[:1], BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	before := readBlockCache(index, &maps)
	if _, err := Export(index, filepath.Join(dir, "updated")); err != nil {
		t.Fatal(err)
	}
	after := readBlockCache(index, &maps)
	kept := 0
	for k := range after.old {
		if _, ok := before.old[k]; ok {
			kept++
		}
	}
	if kept != len(after.old)-1 {
		t.Errorf("%d of %d runs kept; one changed", kept, len(after.old))
	}
	sameAsFresh(t, "cached vs fresh", dir, docs)

	// Changing the same record again and again appends to the cache until
	// most of it is unused, then rewrites it: it never holds more than
	// twice what an export uses.
	prev, shrank := len(after.old), false
	for i := range 12 {
		docs[0].Text += fmt.Sprint(" 再補充", i)
		if _, err := Update(context.Background(), index, nil, docs[:1], BuildOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := Export(index, filepath.Join(dir, "again")); err != nil {
			t.Fatal(err)
		}
		c := readBlockCache(index, &maps)
		if len(c.old) > 2*len(after.old) || c.damaged {
			t.Fatalf("round %d: %d runs cached for %d used", i, len(c.old), len(after.old))
		}
		shrank = shrank || len(c.old) < prev
		prev = len(c.old)
	}
	if !shrank {
		t.Error("the cache was never rewritten")
	}
}

// TestPacker: units fill a file up to packLimit, are never split, and
// one larger than the limit has a file of its own.
func TestPacker(t *testing.T) {
	for _, c := range []struct {
		sizes, file, off, packs []int
	}{
		{nil, []int{}, []int{}, nil},
		{[]int{0}, []int{0}, []int{0}, []int{0}},
		{[]int{packLimit - 1, 1, 1}, []int{0, 0, 1}, []int{0, packLimit - 1, 0}, []int{packLimit, 1}},
		{[]int{5, packLimit + 5, 1}, []int{0, 1, 2}, []int{0, 0, 0}, []int{5, packLimit + 5, 1}},
	} {
		var p packer
		file, off := []int{}, []int{}
		for _, n := range c.sizes {
			f, o := p.place(n)
			file, off = append(file, f), append(off, o)
		}
		if !slices.Equal(file, c.file) || !slices.Equal(off, c.off) || !slices.Equal(p.sizes, c.packs) {
			t.Errorf("packer placed %v at %v, %v in files of %v; want %v, %v, %v", c.sizes, file, off, p.sizes, c.file, c.off, c.packs)
		}
	}
}
