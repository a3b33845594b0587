package cache

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/transcript"
)

func parsed(t *testing.T) ([]byte, *model.Record, []diag.Finding) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "meeting.md"))
	if err != nil {
		t.Fatal(err)
	}
	d := &diag.List{}
	rec := transcript.Parse("meeting.md", src, d)
	d.Warnf("meeting.md", 3, "a finding to keep")
	return src, rec, d.Sorted()
}

func TestCodecRoundTrip(t *testing.T) {
	_, rec, findings := parsed(t)
	rec.Slug, rec.Alternate, rec.Aliases = "meeting", "other.md", []string{"old-a", "old-b"}
	rec.Turns[1].ID, rec.Turns[1].Speaker, rec.Turns[1].Role = "abc12345", "key", "召集人"
	undated := &model.Record{File: "notes.md", Kind: model.KindNotes, Lang: "zh-TW"}
	for _, r := range []*model.Record{rec, undated} {
		got, gotF, err := decodeEntry(encodeEntry(r, findings))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: record differs after a round trip:\n got %+v\nwant %+v", r.File, got, r)
		}
		if !reflect.DeepEqual(gotF, findings) {
			t.Errorf("findings differ: %v, want %v", gotF, findings)
		}
	}
}

func TestCodecRejectsDamage(t *testing.T) {
	_, rec, findings := parsed(t)
	b := encodeEntry(rec, findings)
	for name, bad := range map[string][]byte{
		"truncated": b[:len(b)/2],
		"trailing":  append(append([]byte(nil), b...), 0),
		"empty":     nil,
		"other":     []byte("not a cache entry"),
	} {
		if _, _, err := decodeEntry(bad); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// TestCodecFields fails when the model gains a field the codec does not
// carry: a cached record would silently lose it.
func TestCodecFields(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{model.Record{}, "File Slug Title Date Lang Kind Turns Alternate Aliases Hash"},
		{model.Turn{}, "Ordinal ID Line Label Speaker Role Blocks"},
		{model.Block{}, "Kind Text Markup Line"},
		{diag.Finding{}, "File Line Severity Message"},
	} {
		typ := reflect.TypeOf(c.v)
		var names []string
		for i := range typ.NumField() {
			names = append(names, typ.Field(i).Name)
		}
		if got := strings.Join(names, " "); got != c.want {
			t.Errorf("%s has fields %q; the cache codec carries %q: add the new field to encodeEntry and decodeEntry and change codecVersion", typ, got, c.want)
		}
	}
}

func TestReuseAndChanges(t *testing.T) {
	dir := t.TempDir()
	src, rec, findings := parsed(t)
	other := []byte("# 2020-01-01 Other\n\n### A:\nHello.\n")

	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Warm() {
		t.Error("a new cache is warm")
	}
	if _, _, ok := c.Record("meeting.md", src); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := c.PutRecord("meeting.md", src, rec, findings); err != nil {
		t.Fatal(err)
	}
	rec.Slug = "changed after PutRecord" // must not reach the cache
	if err := c.PutRecord("other.md", other, transcript.Parse("other.md", other, &diag.List{}), nil); err != nil {
		t.Fatal(err)
	}
	if ch := c.Changes(); strings.Join(ch.Added, ",") != "meeting.md,other.md" || len(ch.Changed)+len(ch.Removed) != 0 {
		t.Errorf("cold build changes: %+v", ch)
	}
	c.SetFiles("content", map[string]string{"zh/a.md": "k1"})
	c.SetValue("theme", "t1")
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	// The next build: meeting.md unchanged, other.md edited, new.md added.
	c, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Warm() || c.Value("theme") != "t1" || c.Files("content")["zh/a.md"] != "k1" {
		t.Errorf("previous build's values lost: warm %v, theme %q, files %v", c.Warm(), c.Value("theme"), c.Files("content"))
	}
	got, gotF, ok := c.Record("meeting.md", src)
	if !ok {
		t.Fatal("unchanged file not reused")
	}
	if got.Slug != "" || len(got.Turns) != len(rec.Turns) || got.Turns[0].Blocks[0].HTML() != rec.Turns[0].Blocks[0].HTML() || !reflect.DeepEqual(gotF, findings) {
		t.Errorf("reused record differs: %+v", got)
	}
	if _, _, ok := c.Record("other.md", append(other, "More.\n"...)); ok {
		t.Error("edited file reused")
	}
	if _, _, ok := c.Record("new.md", other); ok {
		t.Error("a file under a new name reused: its name is part of what parsing gives")
	}
	ch := c.Changes()
	if strings.Join(ch.Added, ",") != "new.md" || strings.Join(ch.Changed, ",") != "other.md" || len(ch.Removed) != 0 {
		t.Errorf("changes: %+v", ch)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	// other.md's old entry is gone; its new one was never stored (only
	// looked up), so one entry is left: meeting.md's.
	entries, _ := os.ReadDir(filepath.Join(dir, recordsDir))
	if len(entries) != 1 {
		t.Errorf("%d entries after Save, want 1", len(entries))
	}

	c, _ = Open(dir)
	c.Record("meeting.md", src)
	if ch := c.Changes(); strings.Join(ch.Removed, ",") != "new.md,other.md" {
		t.Errorf("removed: %+v", ch)
	}
}

func TestForeignOrDamagedCache(t *testing.T) {
	dir := t.TempDir()
	src, rec, findings := parsed(t)
	c, _ := Open(dir)
	c.PutRecord("meeting.md", src, rec, findings)
	c.Save()

	// Another program's entries are not used.
	c, _ = Open(dir)
	c.program = "another build"
	if _, _, ok := c.Record("meeting.md", src); ok {
		t.Error("an entry of another program was reused")
	}

	// A damaged entry is a miss, not an error.
	c, _ = Open(dir)
	key := c.recordKey("meeting.md", hashOf(src))
	if err := os.WriteFile(c.entryPath(key), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c.Record("meeting.md", src); ok {
		t.Error("a damaged entry was reused")
	}

	// A damaged manifest opens an empty cache.
	os.WriteFile(filepath.Join(dir, manifestFile), []byte("{"), 0o644)
	if c, err := Open(dir); err != nil || c.Warm() {
		t.Errorf("damaged manifest: warm %v, err %v", c.Warm(), err)
	}
}

func TestProgram(t *testing.T) {
	p := Program()
	if p == "" || p == "unknown" || p != Program() {
		t.Errorf("program id %q", p)
	}
}

func BenchmarkDecode(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "meeting.md"))
	if err != nil {
		b.Fatal(err)
	}
	enc := encodeEntry(transcript.Parse("meeting.md", src, &diag.List{}), nil)
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, _, err := decodeEntry(enc); err != nil {
			b.Fatal(err)
		}
	}
}
