package tomldecode_test

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/tomldecode"
	"github.com/ogarchive/ogarchive/generator/tomlpos"
	"github.com/ogarchive/ogarchive/internal/testdiag"
)

// The shape of the fixtures under testdata/docs.
type doc struct {
	Name  tomldecode.String  `toml:"name"`
	Tags  tomldecode.Strings `toml:"tags"`
	Items toml.Primitive     `toml:"items"`
}

type item struct {
	ID   tomldecode.String `toml:"id"`
	When tomldecode.Value  `toml:"when"`
	Refs tomldecode.Array  `toml:"refs"`
}

// decode reports every kind of finding the package helps with, in plain
// words, so that the .want files show what was found and at which line.
func decode(file string, src []byte, diags *diag.List) {
	var v doc
	d := tomldecode.Decode(file, src, &v, diags, tomldecode.Options{ExactCase: true, RootLine: 1})
	if d == nil {
		return
	}
	if !v.Name.Set {
		d.Missing("name", "the doc", `name = "…"`)
	}
	bad := tomldecode.Check(&v, "")
	items, m := tomldecode.Tables[item](d, v.Items, "items")
	if m != nil {
		bad = append(bad, *m)
	}
	for i := range items {
		at := tomlpos.Index("items", i)
		if !items[i].ID.Set {
			d.Missing(at+".id", "item "+at, `id = "…"`)
		}
		bad = append(bad, tomldecode.Check(&items[i], at)...)
	}
	for _, m := range bad {
		d.Errorf(m.At(), "%s: want %s (%s), found %s (%s)", m.At(), m.Want, m.Dest, tomldecode.Describe(m.Got), tomldecode.GoType(m.Got))
	}
	for _, u := range d.Unknown() {
		d.Errorf(u.Path, "unknown key `%s` in %q%s: the keys are %s (implicit %v)", u.Key, u.Table, tomldecode.DidYouMean(u.Key, u.Allowed), strings.Join(u.Allowed, ", "), u.Implicit)
	}
}

// TestDocs: each file under testdata/docs gets the findings its .want
// lists, with their lines: syntax, unknown keys, missing keys and values
// of the wrong type.
func TestDocs(t *testing.T) {
	files, _ := filepath.Glob("testdata/docs/*.toml")
	d := &diag.List{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		decode(path.Join("docs", filepath.Base(f)), src, d)
	}
	testdiag.CheckWant(t, "testdata", "docs", d)
}

// TestValues: a valid file decodes to its values, with Set telling a key
// given from one left out.
func TestValues(t *testing.T) {
	src := "name = \"n\"\ntags = [\"a\", \"b\"]\n[[items]]\nid = \"x\"\nwhen = 2021-01-02\nrefs = [\"r\", {turn = \"t\"}]\n[[items]]\nid = \"y\"\n"
	var v doc
	diags := &diag.List{}
	d := tomldecode.Decode("f.toml", []byte(src), &v, diags, tomldecode.Options{})
	items, m := tomldecode.Tables[item](d, v.Items, "items")
	if d == nil || m != nil || len(d.Unknown()) > 0 || diags.String() != "" {
		t.Fatalf("mismatch %v, findings %q", m, diags)
	}
	if v.Name.V != "n" || strings.Join(v.Tags.V, ",") != "a,b" || len(items) != 2 || items[0].ID.V != "x" || items[1].ID.V != "y" {
		t.Errorf("got %+v, items %+v", v, items)
	}
	if !items[0].When.Set || items[1].When.Set || len(items[0].Refs.V) != 2 || items[1].Refs.Set {
		t.Errorf("Set wrong: %+v", items)
	}
	if d.Line("items[1].id") != 8 || d.Line("items[1].when") != 7 || d.Line("nothing") != 0 {
		t.Errorf("lines %d %d %d", d.Line("items[1].id"), d.Line("items[1].when"), d.Line("nothing"))
	}
}
