package fuzz

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"
	hugotoml "github.com/pelletier/go-toml/v2"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/slug"
	"github.com/ogarchive/ogarchive/generator/transcript"
)

// transcriptSeeds adds the hostile records, the parser's fixtures and the
// openings of the default records to a fuzz corpus. Whole records would
// make every mutation and minimisation step slow.
func transcriptSeeds(f *testing.F) {
	for _, pattern := range []string{"../../records/*.md", "../testdata/hostile/*.md", "../../generator/transcript/testdata/*.md"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src[:min(len(src), 2048)])
		}
	}
}

// FuzzRecordFrontMatter parses a transcript, writes its Hugo page as
// ogarchive does, and reads the front matter back with the TOML decoder
// Hugo uses: the title, description, participants and every other field
// must come back exactly as written. A string the encoder and Hugo's
// decoder disagree on would silently change the published record.
func FuzzRecordFrontMatter(f *testing.F) {
	transcriptSeeds(f)
	root := f.TempDir() // one per fuzzing process; each input overwrites the last
	f.Fuzz(func(t *testing.T, src []byte) {
		var d diag.List
		r := transcript.Parse("2020-01-31-fuzz.md", src, &d)
		checkFindings(t, &d, "2020-01-31-fuzz.md", src)
		r.Slug = "2020-01-31-fuzz"
		a := &model.Archive{Records: []*model.Record{r}, Speakers: map[string]*model.Speaker{}}
		for i := range r.Turns {
			if l := r.Turns[i].Label; l != "" {
				r.Turns[i].Speaker = slug.Make(l)
				a.Speakers[slug.Make(l)] = &model.Speaker{Key: slug.Make(l), Name: l}
			}
		}
		page := content.RecordPage(a, r, content.Extras{})
		if err := page.Write(root); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(page.Path)))
		if err != nil {
			t.Fatal(err)
		}
		front, ok := bytes.CutPrefix(data, []byte("+++\n"))
		if ok {
			front, _, ok = bytes.Cut(front, []byte("\n+++\n"))
		}
		if !ok {
			t.Fatalf("no +++ front matter +++ in:\n%s", data)
		}
		var got content.RecordFront
		if err := hugotoml.Unmarshal(front, &got); err != nil {
			t.Fatalf("Hugo's TOML decoder rejects the front matter: %v\n%s", err, front)
		}
		if want, have := encode(t, page.Front), encode(t, got); !bytes.Equal(want, have) {
			t.Fatalf("front matter changed on its way through TOML:\nwritten: %s\nread:    %s", want, have)
		}
	})
}

func encode(t *testing.T, v any) []byte {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
