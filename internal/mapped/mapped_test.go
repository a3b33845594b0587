package mapped

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte // nil: no file
		wantErr bool
	}{
		{"text", []byte("開放政府\n"), false},
		{"empty", []byte{}, false},
		{"several pages", bytes.Repeat([]byte("0123456789abcdef"), 1<<10), false},
		{"missing", nil, true},
	}
	var set Set
	for _, tc := range tests {
		path := filepath.Join(dir, tc.name)
		if tc.content != nil {
			if err := os.WriteFile(path, tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := set.Read(path)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: error %v, want error %v", tc.name, err, tc.wantErr)
			continue
		}
		if !bytes.Equal(got, tc.content) {
			t.Errorf("%s: read %d bytes, want %d", tc.name, len(got), len(tc.content))
		}
	}
	if err := set.Close(); err != nil {
		t.Fatal(err)
	}
	if err := set.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestReplaced: a file replaced by renaming a new one over it, as
// atomicfile does, leaves the mapping of the old one as it was.
func TestReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	if err := os.WriteFile(path, []byte("old contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := os.WriteFile(path+".new", []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
	if got := string(f.Bytes()); got != "old contents" {
		t.Errorf("after the rename the mapping reads %q", got)
	}
}

// TestKeep: a file kept twice is mapped once; a file replaced since is
// mapped again, and what was kept of the old one stays as it was.
func TestKeep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "entry")
	if err := os.WriteFile(path, []byte("first version"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Keep(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Keep(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != "first version" || runtime.GOOS != "windows" && &a[0] != &b[0] {
		t.Errorf("kept twice: %q at %p, then %q at %p; want one mapping", a, &a[0], b, &b[0])
	}
	if err := os.WriteFile(path+".new", []byte("second"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
	c, err := Keep(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(c) != "second" || string(a) != "first version" {
		t.Errorf("after a replacement: kept %q, and the first %q", c, a)
	}
	if _, err := Keep(path + ".missing"); err == nil {
		t.Error("a missing file was kept")
	}
}
