package export

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// tree reads every file under dir, by slash path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWriteAll(t *testing.T) {
	a := fixtureArchive()
	dir := t.TempDir()
	// Leftovers of a previous build: exports of a record that is gone go,
	// files that are not exports stay.
	for _, p := range []string{"akn/gone.xml", "data/records/gone.json", "akn/README.txt", "index.html"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeTemp(t, dir, p, []byte("old"))
	}

	st, err := WriteAll(a, dir, testSite)
	if err != nil {
		t.Fatal(err)
	}
	files := tree(t, dir)

	want := []string{"akn/README.txt", "index.html", IndexFile, SpeakerFile,
		SchemaDir + "/" + RecordSchema, SchemaDir + "/" + IndexSchema, SchemaDir + "/" + SpeakersSchema}
	for _, r := range a.Records {
		want = append(want, AKNDir+"/"+r.Slug+".xml", RecordsDir+"/"+r.Slug+".json")
	}
	var got []string
	for p := range files {
		got = append(got, p)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Stats agree with the disk, format by format.
	sum := func(prefix, suffix string) Count {
		var c Count
		for p, data := range files {
			if strings.HasPrefix(p, prefix) && strings.HasSuffix(p, suffix) {
				c.Files++
				c.Bytes += int64(len(data))
			}
		}
		return c
	}
	checks := []struct {
		name      string
		got, want Count
	}{
		{"AKN", st.AKN, sum(AKNDir+"/", ".xml")},
		{"Records", st.Records, sum(RecordsDir+"/", ".json")},
		{"Index", st.Index, Count{2, int64(len(files[IndexFile]) + len(files[SpeakerFile]))}},
		{"Schema", st.Schema, sum(SchemaDir+"/", ".json")},
		{"Total files", Count{Files: st.Total().Files}, Count{Files: 2*len(a.Records) + 5}},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("Stats.%s = %+v, want %+v", c.name, c.got, c.want)
		}
	}

	// The files are what the functions return.
	r := a.Records[0]
	x, _ := AKN(r, a.Speakers, testSite)
	j, _ := RecordJSON(r, a.Speakers, testSite)
	idx, _ := IndexJSON(a, testSite)
	sch, _ := Schemas.ReadFile("schema/" + RecordSchema)
	for p, data := range map[string][]byte{
		AKNDir + "/" + r.Slug + ".xml": x, RecordsDir + "/" + r.Slug + ".json": j,
		IndexFile: idx, SchemaDir + "/" + RecordSchema: sch,
	} {
		if !bytes.Equal(files[p], data) {
			t.Errorf("%s differs from what the exporter returns", p)
		}
	}

	// A second build of the same archive is byte-identical.
	if _, err := WriteAll(fixtureArchive(), dir, testSite); err != nil {
		t.Fatal(err)
	}
	again := tree(t, dir)
	for p, data := range files {
		if !bytes.Equal(again[p], data) {
			t.Errorf("%s changed on a rebuild", p)
		}
	}
}

func TestWriteAllNamesTheRecordInErrors(t *testing.T) {
	a := fixtureArchive()
	a.Records[2].Turns[1].ID = ""
	_, err := WriteAll(a, t.TempDir(), testSite)
	if err == nil || !strings.Contains(err.Error(), a.Records[2].File) || !strings.Contains(err.Error(), "line 5") {
		t.Errorf("error = %v, want one naming %s line 5", err, a.Records[2].File)
	}
}

func TestLink(t *testing.T) {
	tests := []struct {
		site, path, fragment, want string
	}{
		{"https://a.tw/", "/2020-08-12-會議/", "abcd2345", "https://a.tw/2020-08-12-會議/#abcd2345"},
		{"https://a.tw", "/speakers/audrey-tang/", "", "https://a.tw/speakers/audrey-tang/"},
		{"", "/x/", "a-2", "/x/#a-2"},
		{"", "/a b/%/\"<>/", "", "/a%20b/%25/%22%3C%3E/"},
		{"", "/（會議）/", "", "/%EF%BC%88會議%EF%BC%89/"},
		{"", "/x/", "a#b c", "/x/#a%23b%20c"},
	}
	for _, tt := range tests {
		if got := link(tt.site, tt.path, tt.fragment); got != tt.want {
			t.Errorf("link(%q, %q, %q) = %q, want %q", tt.site, tt.path, tt.fragment, got, tt.want)
		}
	}
}
