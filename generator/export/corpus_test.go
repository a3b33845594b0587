package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/internal/testarchive"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// seedsDir is the sample records embedded in the project: the seeds.
const seedsDir = "../../records"

// exportAndValidate writes every export of the records in dir and checks
// every AKN file with xmllint and every JSON file against its schema.
func exportAndValidate(t *testing.T, dir string) {
	a, _ := testarchive.Load(t, dir, "")
	out := t.TempDir()
	start := time.Now()
	st, err := WriteAll(a, out, testSite)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	turns := 0
	for _, r := range a.Records {
		turns += len(r.Turns)
	}
	t.Logf("%d records, %d turns exported in %v", len(a.Records), turns, elapsed.Round(time.Millisecond))
	t.Logf("AKN %d files %.1f MB; record JSON %d files %.1f MB; index+speakers %.2f MB; total %d files",
		st.AKN.Files, mb(st.AKN.Bytes), st.Records.Files, mb(st.Records.Bytes), mb(st.Index.Bytes), st.Total().Files)
	if st.AKN.Files != len(a.Records) || st.Records.Files != len(a.Records) {
		t.Fatalf("exported %d AKN and %d JSON files for %d records", st.AKN.Files, st.Records.Files, len(a.Records))
	}

	var akn []string
	for _, r := range a.Records {
		akn = append(akn, filepath.Join(out, AKNDir, r.Slug+".xml"))
	}
	start = time.Now()
	xmllint(t, akn)
	t.Logf("xmllint: %v", time.Since(start).Round(time.Millisecond))

	check := func(schema, path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateJSON(t, schema, data); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	start = time.Now()
	defer func() { t.Logf("JSON Schema validation: %v", time.Since(start).Round(time.Millisecond)) }()
	check(IndexSchema, filepath.Join(out, filepath.FromSlash(IndexFile)))
	check(SpeakersSchema, filepath.Join(out, filepath.FromSlash(SpeakerFile)))
	for _, r := range a.Records {
		check(RecordSchema, filepath.Join(out, filepath.FromSlash(RecordsDir), r.Slug+".json"))
		if t.Failed() {
			return
		}
	}
}

func mb(n int64) float64 { return float64(n) / 1e6 }

func TestExportSeeds(t *testing.T) { exportAndValidate(t, seedsDir) }

// TestExportSample exports the repository's sample of real transcripts,
// raw HTML, embeds and irregular headings included.
func TestExportSample(t *testing.T) { exportAndValidate(t, testcorpus.Sample()) }

// TestExportCorpus exports the whole real corpus and validates all of it:
// the schema must hold for what maintainers really write, not only for
// fixtures.
func TestExportCorpus(t *testing.T) { exportAndValidate(t, testcorpus.Dir(t)) }

// BenchmarkWriteAll exports an archive the size of the full one: the corpus
// plus copies of its newest records under new slugs, up to 2,051 records.
func BenchmarkWriteAll(b *testing.B) {
	a, _ := testarchive.Load(b, testcorpus.Dir(b), "")
	const full = 2051
	for i := 0; len(a.Records) < full; i++ {
		c := *a.Records[i]
		c.Slug += "-copy"
		c.File = strings.TrimSuffix(c.File, ".md") + "-copy.md"
		a.Records = append(a.Records, &c)
	}
	out := b.TempDir()
	var st Stats
	for b.Loop() {
		var err error
		if st, err = WriteAll(a, out, testSite); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Total().Files), "files")
	b.ReportMetric(mb(st.AKN.Bytes), "akn-MB")
	b.ReportMetric(mb(st.Records.Bytes), "json-MB")
	b.ReportMetric(mb(st.Index.Bytes), "index-MB")
}
