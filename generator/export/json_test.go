package export

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ogarchive/ogarchive/generator/model"
)

var compiled struct {
	once    sync.Once
	schemas map[string]*jsonschema.Schema
	err     error
}

// schemas compiles the embedded JSON Schemas once, with format assertions
// on (dates, IRIs and URI templates are checked, not just typed).
func schemas(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	compiled.once.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		names, err := SchemaNames()
		if err != nil {
			compiled.err = err
			return
		}
		compiled.schemas = map[string]*jsonschema.Schema{}
		for _, name := range names {
			data, err := Schemas.ReadFile("schema/" + name)
			if err != nil {
				compiled.err = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				compiled.err = err
				return
			}
			url := "https://schema.test/" + name
			if err := c.AddResource(url, doc); err != nil {
				compiled.err = err
				return
			}
			if compiled.schemas[name], err = c.Compile(url); err != nil {
				compiled.err = err
				return
			}
		}
	})
	if compiled.err != nil {
		t.Fatalf("JSON Schemas: %v", compiled.err)
	}
	return compiled.schemas
}

// validateJSON checks data against the named schema.
func validateJSON(t testing.TB, schema string, data []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return schemas(t)[schema].Validate(v)
}

func TestSchemaNames(t *testing.T) {
	names, err := SchemaNames()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{RecordSchema, IndexSchema, SpeakersSchema}
	if len(names) != len(want) || names[0] != want[0] || names[1] != want[1] || names[2] != want[2] {
		t.Errorf("SchemaNames = %q, want %q", names, want)
	}
}

func TestJSONValidatesAgainstSchemas(t *testing.T) {
	a := fixtureArchive()
	for _, site := range []string{testSite, ""} {
		for _, r := range a.Records {
			out, err := RecordJSON(r, a.Speakers, site)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(t, RecordSchema, out); err != nil {
				t.Errorf("%s (site %q): %v", r.File, site, err)
			}
		}
		index, err := IndexJSON(a, site)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateJSON(t, IndexSchema, index); err != nil {
			t.Errorf("index (site %q): %v", site, err)
		}
		people, err := SpeakersJSON(a, site)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateJSON(t, SpeakersSchema, people); err != nil {
			t.Errorf("speakers (site %q): %v", site, err)
		}
	}
}

// TestSchemasRejectBadDocuments makes sure the schemas constrain: each
// edit breaks an otherwise valid document.
func TestSchemasRejectBadDocuments(t *testing.T) {
	a := fixtureArchive()
	record, _ := RecordJSON(a.Records[0], a.Speakers, testSite)
	index, _ := IndexJSON(a, testSite)
	people, _ := SpeakersJSON(a, testSite)
	tests := []struct {
		name, schema string
		doc          []byte
		edit         func(m map[string]any)
	}{
		{"record without turns", RecordSchema, record, func(m map[string]any) { delete(m, "turns") }},
		{"record with an unknown member", RecordSchema, record, func(m map[string]any) { m["extra"] = 1 }},
		{"record with an impossible date", RecordSchema, record, func(m map[string]any) { m["date"] = "2020-13-45" }},
		{"narrative turn with a speaker", RecordSchema, record, func(m map[string]any) {
			m["turns"].([]any)[0].(map[string]any)["speaker"] = "唐鳳"
		}},
		{"speech numbered 0", RecordSchema, record, func(m map[string]any) {
			m["turns"].([]any)[1].(map[string]any)["n"] = 0
		}},
		{"turn id with a space", RecordSchema, record, func(m map[string]any) {
			m["turns"].([]any)[1].(map[string]any)["id"] = "a b"
		}},
		{"unknown block kind", RecordSchema, record, func(m map[string]any) {
			m["turns"].([]any)[1].(map[string]any)["blocks"].([]any)[0].(map[string]any)["kind"] = "video"
		}},
		{"index without records", IndexSchema, index, func(m map[string]any) { delete(m, "records") }},
		{"index dataset without url", IndexSchema, index, func(m map[string]any) {
			delete(m["datasets"].(map[string]any)["speakers"].(map[string]any), "url")
		}},
		{"person without other_names", SpeakersSchema, people, func(m map[string]any) {
			delete(m["persons"].([]any)[0].(map[string]any), "other_names")
		}},
		{"wrong version", SpeakersSchema, people, func(m map[string]any) { m["version"] = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(tt.doc, &m); err != nil {
				t.Fatal(err)
			}
			tt.edit(m)
			bad, _ := json.Marshal(m)
			if err := validateJSON(t, tt.schema, bad); err == nil {
				t.Errorf("%s accepted the edited document", tt.schema)
			}
		})
	}
	// The index is the extension point: a new dataset and a top-level
	// member of the same name must be accepted.
	var m map[string]any
	_ = json.Unmarshal(index, &m)
	m["datasets"].(map[string]any)["commitments"] = map[string]any{
		"url": "https://archive.example.tw/data/commitments.json", "media_type": "application/json",
		"schema": "https://archive.example.tw/data/schema/commitments.schema.json", "description": "commitments",
	}
	m["commitments"] = []any{map[string]any{"id": "1-1"}}
	extended, _ := json.Marshal(m)
	if err := validateJSON(t, IndexSchema, extended); err != nil {
		t.Errorf("index with an added dataset: %v", err)
	}
}

func TestRecordJSONRoundTrip(t *testing.T) {
	a := fixtureArchive()
	for _, r := range a.Records {
		t.Run(r.Slug, func(t *testing.T) {
			out, err := RecordJSON(r, a.Speakers, testSite)
			if err != nil {
				t.Fatal(err)
			}
			var got RecordDoc
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				t.Fatal(err)
			}
			want, _ := Record(r, a.Speakers, testSite)
			if !reflect.DeepEqual(&got, want) {
				t.Errorf("decoded record differs from the built one:\n got %+v\nwant %+v", got, *want)
			}
			if len(got.Turns) != len(r.Turns) {
				t.Fatalf("%d turns, want %d", len(got.Turns), len(r.Turns))
			}
			// Every block's text and HTML survive: HTML is left out only when
			// it is a paragraph of exactly the text.
			for i, td := range got.Turns {
				mt := r.Turns[i]
				if td.ID != mt.ID || td.N != mt.Ordinal || td.Speaker != mt.Speaker || td.Label != mt.Label {
					t.Errorf("turn %d = %+v", i, td)
				}
				for j, b := range td.Blocks {
					m := mt.Blocks[j]
					html := b.HTML
					if html == "" {
						html = "<p>" + escapeHTML(b.Text) + "</p>"
					}
					if b.Text != m.Text || html != m.HTML() {
						t.Errorf("turn %d block %d = %+v, want text %q html %q", i, j, b, m.Text, m.HTML())
					}
				}
			}
		})
	}
}

// escapeHTML escapes as the fixtures' paragraphs do.
func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestRecordJSONContent(t *testing.T) {
	a := fixtureArchive()
	d, err := Record(a.Records[0], a.Speakers, testSite)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"title", d.Title, hostile},
		{"url", d.URL, "https://archive.example.tw/2020-08-12-hostile/"},
		{"akn", d.AKN, "https://archive.example.tw/akn/2020-08-12-hostile.xml"},
		{"permalink", d.Turns[1].Permalink, "https://archive.example.tw/2020-08-12-hostile/#bbbbbbbb"},
		{"narrative kind", d.Turns[0].Kind, TurnNarrative},
		{"speech kind", d.Turns[1].Kind, TurnSpeech},
		{"speakers in order of appearance", len(d.Speakers), 3},
		{"first speaker", d.Speakers[0], Participant{ID: "evil", Name: hostile, URL: "https://archive.example.tw/speakers/evil/", Turns: 1}},
		{"speaker with two turns", d.Speakers[1], Participant{ID: "唐鳳", Name: "唐鳳", URL: "https://archive.example.tw/speakers/唐鳳/", Turns: 3}},
		{"role speaker has no page", d.Speakers[2], Participant{ID: "問", Name: "問", IsRole: true, Turns: 1}},
		{"unknown speaker has no id", d.Turns[3].Speaker, ""},
		{"unknown speaker keeps the label", d.Turns[3].Label, "？？"},
		{"plain paragraph drops its HTML", d.Turns[1].Blocks[0].HTML, ""},
		{"markup keeps its HTML", d.Turns[1].Blocks[1].HTML, a.Records[0].Turns[1].Blocks[1].HTML()},
		{"soft line break keeps its HTML", d.Turns[2].Blocks[6].HTML, "<p>第一行\n第二行</p>"},
		{"alternate", d.Alternate, "2020-08-12-hostile-en.md"},
		{"aliases", d.Aliases, []string{"2020-08-12-old"}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}

	rel, _ := Record(a.Records[1], a.Speakers, "")
	if rel.URL != "/開放政府夥伴關係交流筆記/" || rel.Turns[0].Permalink != "/開放政府夥伴關係交流筆記/#hhhhhhhh" {
		t.Errorf("relative links: %q, %q", rel.URL, rel.Turns[0].Permalink)
	}
	if rel.Date != "" || rel.Aliases == nil || rel.Speakers == nil {
		t.Errorf("undated record: date %q, aliases %v, speakers %v (want absent date and empty lists)", rel.Date, rel.Aliases, rel.Speakers)
	}
	out, _ := RecordJSON(a.Records[1], a.Speakers, "")
	if bytes.Contains(out, []byte(`"date"`)) || !bytes.Contains(out, []byte(`"aliases":[]`)) {
		t.Errorf("undated record JSON: %s", out)
	}
}

func TestIndexAndSpeakers(t *testing.T) {
	a := fixtureArchive()
	idx := Index(a, testSite)
	if len(idx.Records) != len(a.Records) || idx.Site != "https://archive.example.tw" {
		t.Fatalf("index has %d records, site %q", len(idx.Records), idx.Site)
	}
	e := idx.Records[0]
	if e.JSON != "https://archive.example.tw/data/records/2020-08-12-hostile.json" || e.Turns != 6 ||
		!reflect.DeepEqual(e.Speakers, []string{"evil", "唐鳳", "問"}) {
		t.Errorf("entry = %+v", e)
	}
	if got := idx.Datasets["record"].URL; got != "https://archive.example.tw/data/records/{slug}.json" {
		t.Errorf("record dataset url = %q", got)
	}
	if got := idx.Datasets["akn"].Schema; got != AKNSchemaURL {
		t.Errorf("akn schema = %q", got)
	}

	people := Speakers(a, testSite)
	var ids []string
	for _, p := range people.Persons {
		ids = append(ids, p.ID)
	}
	if want := []string{"eileen-wagner", "evil", "唐鳳", "問"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("persons = %q, want %q (sorted by id)", ids, want)
	}
	tang := people.Persons[2]
	want := Person{ID: "唐鳳", Name: "唐鳳", OtherNames: []OtherName{{"Audrey Tang"}, {"唐鳳召集人"}},
		URL: "https://archive.example.tw/speakers/唐鳳/", Records: 2, Turns: 5}
	if !reflect.DeepEqual(tang, want) {
		t.Errorf("person = %+v, want %+v", tang, want)
	}
	if q := people.Persons[3]; !q.IsRole || q.URL != "" || q.Turns != 1 {
		t.Errorf("role = %+v", q)
	}
}

// TestJSONDeterministic: the same archive gives the same bytes, whatever
// the order maps are walked in.
func TestJSONDeterministic(t *testing.T) {
	for i := 0; i < 5; i++ {
		a, b := fixtureArchive(), fixtureArchive()
		for _, f := range []func(*model.Archive) ([]byte, error){
			func(a *model.Archive) ([]byte, error) { return IndexJSON(a, testSite) },
			func(a *model.Archive) ([]byte, error) { return SpeakersJSON(a, testSite) },
			func(a *model.Archive) ([]byte, error) { return RecordJSON(a.Records[0], a.Speakers, testSite) },
			func(a *model.Archive) ([]byte, error) { return AKN(a.Records[0], a.Speakers, testSite) },
		} {
			x, err1 := f(a)
			y, err2 := f(b)
			if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
				t.Fatalf("two exports of the same archive differ (%v, %v)", err1, err2)
			}
		}
	}
}

func TestRecordJSONGolden(t *testing.T) {
	r := fixtureRecords()[0]
	got, err := RecordJSON(r, fixtureSpeakers(), testSite)
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", r.Slug+".json"), pretty.Bytes())
}
