package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestPartOf(t *testing.T) {
	own := []string{"2020-01-03-會議/", "akn/2020-01-03-會議.xml", "data/records/2020-01-03-會議.json"}
	for _, c := range []struct{ rel, want string }{
		{"2020-01-03-會議/index.html", partOwn},
		{"2020-01-03-會議/turns/1.html", partOwn},
		{"akn/2020-01-03-會議.xml", partOwn},
		{"data/records/2020-01-03-會議.json", partOwn},
		{"2020-01-03-會議-bis/index.html", partOther}, // another record whose slug starts alike
		{"akn/2020-01-03-會議.xml.bak", partOther},
		{"data/records.json", partOther},
		{"search/post-0.bin", partSearch},
		{"search/index.html", partSearch},
		{"en/search/index.html", partOther},
		{"index.html", partOther},
	} {
		if got := partOf(c.rel, own); got != c.want {
			t.Errorf("partOf(%s) = %s, want %s", c.rel, got, c.want)
		}
	}
}

func TestDiff(t *testing.T) {
	f := func(size int64, b byte) SiteFile { return SiteFile{Size: size, Hash: [32]byte{b}} }
	before := Snapshot{
		"a/index.html":    f(10, 1),
		"search/dict.bin": f(100, 2),
		"search/doc.bin":  f(50, 3),
		"index.html":      f(7, 4),
		"gone/index.html": f(5, 5),
	}
	after := Snapshot{
		"a/index.html":    f(12, 9), // modified
		"b/index.html":    f(20, 6), // added
		"search/dict.bin": f(100, 2),
		"search/doc.bin":  f(50, 7), // same size, other content
		"index.html":      f(7, 4),
	}
	got := Diff(before, after, []string{"a/", "gone/"})
	want := Delta{
		Own:    Changed{Modified: 1, Removed: 1, Bytes: 12},
		Search: Changed{Modified: 1, Bytes: 50},
		Other:  Changed{Added: 1, Bytes: 20},
	}
	if got != want {
		t.Errorf("Diff:\n got %+v\nwant %+v", got, want)
	}
	if tot := got.Total(); tot != (Changed{Added: 1, Modified: 2, Removed: 1, Bytes: 82}) || tot.Files() != 4 {
		t.Errorf("Total: %+v", tot)
	}
	if d := Diff(before, before, nil); d != (Delta{}) {
		t.Errorf("no change: %+v", d)
	}
}

func TestMedianDelta(t *testing.T) {
	ds := []Delta{
		{Own: Changed{Added: 3, Bytes: 30}, Search: Changed{Modified: 10, Bytes: 1000}},
		{Own: Changed{Added: 1, Bytes: 10}, Search: Changed{Modified: 12, Bytes: 3000}},
		{Own: Changed{Added: 2, Bytes: 20}, Search: Changed{Modified: 11, Bytes: 2000}, Other: Changed{Removed: 1}},
	}
	want := Delta{Own: Changed{Added: 2, Bytes: 20}, Search: Changed{Modified: 11, Bytes: 2000}}
	if got := MedianDelta(ds); got != want {
		t.Errorf("MedianDelta: %+v", got)
	}
}

func TestRecordPaths(t *testing.T) {
	site := filepath.Join("testdata", "site")
	got, err := RecordPaths(site, "2020-01-03-會議.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2020-01-03-會議/", "data/records/2020-01-03-會議.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("RecordPaths: %q, want %q", got, want)
	}
	if got, err := RecordPaths(site, "deleted.md"); err != nil || got != nil {
		t.Errorf("a record the site does not hold: %q, %v", got, err)
	}
}

// TestDeploys follows a site through a rebuild that deletes a record: its
// paths come from the site before.
func TestDeploys(t *testing.T) {
	public := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(public, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("data/records.json", `{"records": [{"file": "x.md", "url": "http://h/x/", "json": "http://h/data/records/x.json", "akn": "http://h/akn/x.xml"}]}`)
	write("x/index.html", "x")
	write("akn/x.xml", "<x/>")
	write("data/records/x.json", "{}")
	write("search/dict.bin", "dict")
	d := &deploys{public: public}
	if err := d.start("x.md"); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"x/index.html", "akn/x.xml", "data/records/x.json"} {
		os.Remove(filepath.Join(public, filepath.FromSlash(rel)))
	}
	write("data/records.json", `{"records": []}`)
	write("search/dict.bin", "dict2")
	got, err := d.done("x.md")
	if err != nil {
		t.Fatal(err)
	}
	want := Delta{Own: Changed{Removed: 3}, Search: Changed{Modified: 1, Bytes: 5}, Other: Changed{Modified: 1, Bytes: 15}}
	if got != want {
		t.Errorf("delete:\n got %+v\nwant %+v", got, want)
	}
	// The next rebuild starts from this site.
	if err := d.start(""); err != nil {
		t.Fatal(err)
	}
	if got, err := d.done(""); err != nil || got != (Delta{}) {
		t.Errorf("no change: %+v, %v", got, err)
	}
}
