package tomlpos

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
)

// TestReadDir: only *.toml files directly in the subdirectory are read, in
// name order, each named by its path under the records directory.
func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"camps/b.toml":       "b = 1\n",
		"camps/a.toml":       "a = 1\n",
		"camps/notes.md":     "not TOML\n",
		"camps/sub/c.toml":   "c = 1\n",
		"commitments/x.toml": "x = 1\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		sub  string
		want []File
	}{
		{"camps", []File{{"camps/a.toml", []byte("a = 1\n")}, {"camps/b.toml", []byte("b = 1\n")}}},
		{"commitments", []File{{"commitments/x.toml", []byte("x = 1\n")}}},
		{"missing", nil},
	} {
		d := &diag.List{}
		if got := ReadDir(dir, tc.sub, d); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ReadDir(%s) = %q, want %q", tc.sub, got, tc.want)
		}
		if d.String() != "" {
			t.Errorf("ReadDir(%s): findings %q", tc.sub, d.String())
		}
	}
}

// TestReadDirNotADir: a subdirectory that cannot be read is an error
// finding naming it.
func TestReadDirNotADir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "camps"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d := &diag.List{}
	if got := ReadDir(dir, "camps", d); got != nil {
		t.Errorf("got %v", got)
	}
	if e, _ := d.Count(); e != 1 {
		t.Errorf("want one error, got %q", d.String())
	}
}

// TestLoad: a file whose parse reports an error is left out whole, with
// its findings kept; a nil result is left out; the rest load in order.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "camps"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{"a.toml": "ok", "b.toml": "bad", "c.toml": "nil", "d.toml": "warn"} {
		if err := os.WriteFile(filepath.Join(dir, "camps", name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	parse := func(file string, src []byte, d *diag.List) *string {
		switch string(src) {
		case "bad":
			d.Errorf(file, 1, "bad")
			s := file // a partial result, which must not load
			return &s
		case "nil":
			return nil
		case "warn":
			d.Warnf(file, 1, "warn")
		}
		s := file
		return &s
	}
	d := &diag.List{}
	var got []string
	for _, v := range Load(dir, "camps", d, func(file string, src []byte, d *diag.List) *string {
		return Checked(file, src, d, parse)
	}) {
		got = append(got, *v)
	}
	if want := []string{"camps/a.toml", "camps/d.toml"}; !reflect.DeepEqual(got, want) {
		t.Errorf("loaded %q, want %q", got, want)
	}
	if e, w := d.Count(); e != 1 || w != 1 {
		t.Errorf("findings %q: want one error and one warning", d.String())
	}
}
