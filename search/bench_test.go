package search

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/internal/testarchive"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// corpusDocs loads the real archive (OGARCHIVE_CORPUS) with turn ids, as a
// first build would assign them.
func corpusDocs(b *testing.B) []Doc {
	a, _ := testarchive.Load(b, testcorpus.Dir(b), "")
	return DocsFromArchive(a)
}

// evalReport is what client/eval.mjs prints.
type evalReport struct {
	Queries int     `json:"queries"`
	MRR10   float64 `json:"mrr10"`
	Hit1    float64 `json:"hit1"`
	Cold    struct {
		BytesMedian, RequestsMedian, MsMedian float64
	} `json:"cold"`
	Warm struct {
		BytesMedian, RequestsMedian, MsMedian float64
	} `json:"warm"`
}

// BenchmarkKnownItem indexes and exports the real archive, then runs the
// known-item queries (testcorpus.Queries) through client/eval.mjs and
// through Query. Run it with -benchtime=1x; the metrics are the figures
// docs/BENCHMARKS.md reports.
func BenchmarkKnownItem(b *testing.B) {
	queries := testcorpus.Queries(b)
	docs := corpusDocs(b)
	for b.Loop() {
		dir := b.TempDir()
		index, out := filepath.Join(dir, "index"), filepath.Join(dir, "public", "search")
		st, err := Build(context.Background(), index, docs, BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		es, err := Export(index, out)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := exec.Command("node", filepath.Join("client", "eval.mjs"), out, queries).Output()
		if err != nil {
			b.Fatalf("eval.mjs: %v", err)
		}
		var rep evalReport
		if err := json.Unmarshal(raw, &rep); err != nil {
			b.Fatalf("eval.mjs: %v\n%s", err, raw)
		}
		goMRR, goMs := evalGo(b, index, queries)
		b.Logf("eval.mjs: %s", raw)
		b.ReportMetric(float64(len(docs)), "docs")
		b.ReportMetric(st.Duration.Seconds(), "build-s")
		b.ReportMetric(float64(st.Bytes)/1e6, "index-MB")
		b.ReportMetric(es.Duration.Seconds(), "export-s")
		b.ReportMetric(float64(es.Bytes)/1e6, "export-MB")
		b.ReportMetric(float64(es.Files), "export-files")
		b.ReportMetric(rep.MRR10, "mrr@10")
		b.ReportMetric(rep.Hit1, "hit@1")
		b.ReportMetric(goMRR, "go-mrr@10")
		b.ReportMetric(rep.Cold.BytesMedian/1e3, "cold-KB")
		b.ReportMetric(rep.Warm.BytesMedian/1e3, "warm-KB")
		b.ReportMetric(rep.Cold.RequestsMedian, "cold-requests")
		b.ReportMetric(rep.Warm.RequestsMedian, "warm-requests")
		b.ReportMetric(rep.Warm.MsMedian, "js-ms")
		b.ReportMetric(goMs, "go-ms")
	}
}

// evalGo runs the known-item queries through Query, returning MRR@10 and
// the median latency in milliseconds.
func evalGo(b *testing.B, index, queries string) (float64, float64) {
	raw, err := os.ReadFile(queries)
	if err != nil {
		b.Fatal(err)
	}
	var qs []struct {
		Query, Source string
		Turn          int
	}
	if err := json.Unmarshal(raw, &qs); err != nil {
		b.Fatal(err)
	}
	s, err := Open(index)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mrr := 0.0
	var ms []float64
	for _, q := range qs {
		t0 := time.Now()
		res, err := s.Query(q.Query, QueryOptions{})
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, float64(time.Since(t0).Microseconds())/1e3)
		for i, r := range res {
			if r.Source == q.Source && r.Turn == q.Turn {
				mrr += 1 / float64(i+1)
				break
			}
		}
	}
	slices.Sort(ms)
	return mrr / float64(len(qs)), ms[len(ms)/2]
}

// BenchmarkBuild indexes the real archive from scratch: the build's
// "index" stage on a first build.
//
//	go test ./search -run '^$' -bench 'Build$' -benchtime 1x -cpuprofile cpu.prof
func BenchmarkBuild(b *testing.B) {
	docs := corpusDocs(b)
	b.ResetTimer()
	for b.Loop() {
		st, err := Build(context.Background(), filepath.Join(b.TempDir(), "index"), docs, BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Bytes)/1e6, "index-MB")
	}
}

// BenchmarkExport writes the static copy of an index of the real archive:
// the build's "search" stage.
func BenchmarkExport(b *testing.B) {
	index := filepath.Join(b.TempDir(), "index")
	if _, err := Build(context.Background(), index, corpusDocs(b), BuildOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		st, err := Export(index, filepath.Join(b.TempDir(), "search"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Bytes)/1e6, "export-MB")
	}
}
