package content

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// project is a Hugo project directory with i18n strings, its content
// directory the root pages are written to.
func project(t *testing.T) (proj, root string) {
	t.Helper()
	proj = t.TempDir()
	os.MkdirAll(filepath.Join(proj, "i18n"), 0o755)
	os.WriteFile(filepath.Join(proj, "i18n", "zh-tw.toml"), []byte("permalink = \"此段發言的永久連結\"\n[citedBy]\nother = \"引用\"\n"), 0o644)
	os.WriteFile(filepath.Join(proj, "i18n", "en.toml"), []byte("permalink = \"Permanent link\"\n"), 0o644)
	return proj, filepath.Join(proj, "content")
}

func TestTurnsFile(t *testing.T) {
	_, root := project(t)
	a := fixture()
	a.Records[0].Turns[2].Label = `問<script>`
	p := RecordPage(a, a.Records[0], Extras{
		Retired: map[string]string{"oldoldol": "aaaaaaaa"},
		CitedBy: map[string][]CiteLink{"aaaaaaaa": {{Title: "承諾 1-1 & more", URL: "/plans/x/1-1/", Kind: "commitment"}}},
	})
	if f := p.Front.(RecordFront); f.TurnsFile != "content/zh/records/2020-12-31-會議.turns.html" {
		t.Errorf("turns_file %q", f.TurnsFile)
	}
	if err := p.Write(root); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(root, "zh", "records", "2020-12-31-會議.md"))
	if strings.Contains(string(page), "<p>") || !strings.Contains(string(page), `turns_file = "content/zh/records/2020-12-31-會議.turns.html"`) {
		t.Errorf("the turns belong in the turns file, not the front matter:\n%s", page)
	}
	b, err := os.ReadFile(filepath.Join(root, "zh", "records", "2020-12-31-會議.turns.html"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`<div class="turns">` + "\n" + `    <section class="narrative" id="narr0001"><div class="direction" role="note"><blockquote><p>（開始）</p></blockquote></div>` + "\n\n    </section>",
		`<section class="turn" id="aaaaaaaa" data-turn="1"><span class="anchor" id="oldoldol"></span>`,
		`<a class="speaker" href="/speakers/%e5%94%90%e9%b3%b3/">唐鳳</a> <span class="role">召集人</span></h2><p>大家好，今天討論開放政府國家行動方案。</p>`,
		`<ul class="cited-by" aria-label="引用"><li class="cite-commitment"><a href="/plans/x/1-1/">承諾 1-1 &amp; more</a></li>`,
		`<a class="permalink" href="#aaaaaaaa" title="此段發言的永久連結">#1</a></p>`,
		`<span class="speaker">問</span></h2>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("turns file lacks\n%s\nin\n%s", want, got)
		}
	}
	if !strings.HasSuffix(got, "</section>\n  </div>") {
		t.Errorf("turns file must end with the closing </div> and no newline:\n%q", got[max(0, len(got)-40):])
	}
}

func TestWriteOnlyChanged(t *testing.T) {
	_, root := project(t)
	a := fixture()
	pages := func() []Page {
		return []Page{RecordPage(a, a.Records[0], Extras{}), RecordPage(a, a.Records[1], Extras{})}
	}
	first, err := Write(root, slices.Values(pages()), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Changed) != 4 || len(first.Keys) != 4 || first.URLs["en/records/2020-11-01-talk.md"] != "/2020-11-01-talk/" {
		t.Fatalf("first write: %+v", first)
	}
	again, err := Write(root, slices.Values(pages()), WriteOptions{Previous: first.Keys})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changed) != 0 || len(again.Removed) != 0 {
		t.Errorf("nothing changed, yet written %v, removed %v", again.Changed, again.Removed)
	}

	// A corrected turn: the page's front matter is unchanged, its turns file is not.
	a.Records[1].Turns[0].Blocks[0].SetHTML("<p>Hello.</p>")
	fixed, _ := Write(root, slices.Values(pages()), WriteOptions{Previous: again.Keys})
	if strings.Join(fixed.Changed, ",") != "en/records/2020-11-01-talk.turns.html" {
		t.Errorf("after a correction written %v", fixed.Changed)
	}

	// A record gone: its files go too.
	gone, _ := Write(root, slices.Values(pages()[:1]), WriteOptions{Previous: fixed.Keys})
	if strings.Join(gone.Removed, ",") != "en/records/2020-11-01-talk.md,en/records/2020-11-01-talk.turns.html" {
		t.Errorf("removed %v", gone.Removed)
	}
	if _, err := os.Stat(filepath.Join(root, "en", "records", "2020-11-01-talk.md")); !os.IsNotExist(err) {
		t.Error("the removed record's page is still there")
	}

	// A file deleted behind the cache's back is written again.
	os.Remove(filepath.Join(root, "zh", "records", "2020-12-31-會議.turns.html"))
	back, _ := Write(root, slices.Values(pages()[:1]), WriteOptions{Previous: gone.Keys})
	if strings.Join(back.Changed, ",") != "zh/records/2020-12-31-會議.turns.html" {
		t.Errorf("missing file: written %v", back.Changed)
	}
}

// TestWriterInParts: pages written in two parts are one Write: what the
// previous build had and neither part wrote goes, what either part wrote
// stays, and what changed is reported once.
func TestWriterInParts(t *testing.T) {
	_, root := project(t)
	a := fixture()
	zh, en := RecordPage(a, a.Records[0], Extras{}), RecordPage(a, a.Records[1], Extras{})
	first, err := Write(root, slices.Values([]Page{zh, en}), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name          string
		parts         [][]Page
		changed, kept int
		removed       string
	}{
		{"both parts", [][]Page{{zh}, {en}}, 0, 4, ""},
		{"the second part empty", [][]Page{{zh, en}, nil}, 0, 4, ""},
		{"a record in neither", [][]Page{{zh}, nil}, 0, 2, "en/records/2020-11-01-talk.md,en/records/2020-11-01-talk.turns.html"},
	} {
		w, err := NewWriter(root, WriteOptions{Previous: first.Keys})
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range c.parts {
			if err := w.Write(slices.Values(part)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := w.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Changed) != c.changed || len(got.Keys) != c.kept || strings.Join(got.Removed, ",") != c.removed {
			t.Errorf("%s: changed %v, kept %d, removed %v", c.name, got.Changed, len(got.Keys), got.Removed)
		}
		// put back what the case removed
		if _, err := Write(root, slices.Values([]Page{zh, en}), WriteOptions{Previous: got.Keys}); err != nil {
			t.Fatal(err)
		}
	}
}
