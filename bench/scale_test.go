package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWriteScale: a scale's figures replace those of the same scale and
// keep the others, in a section of their own beside the generated one.
func TestWriteScale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	doc := "# Benchmarks\n\n" + beginMarker + "\nfigures\n" + endMarker + "\n\nNotes.\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	link := &Link{RTT: 150 * time.Millisecond, Bandwidth: 200000}
	fig := func(scale int, wall time.Duration) ScaleFigures {
		f := ScaleFigures{Scale: scale, Commit: "abc", Corpus: Corpus{Files: scale * 2050}}
		f.Build.Wall = wall
		f.Node = &Engine{Queries: 300, Cold: Cost{Requests: 30, Depth: 8, DepthMax: 14, Latency: 1300 * time.Millisecond}}
		return f
	}
	for _, f := range []ScaleFigures{fig(10, time.Minute), fig(2, 20*time.Second), fig(10, 2*time.Minute)} {
		if err := WriteScale(path, f, link); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	out := string(b)
	if !strings.HasPrefix(out, doc) || strings.Count(out, scaleBegin) != 1 {
		t.Errorf("the report around the section:\n%s", out)
	}
	for _, want := range []string{"| | 2× | 10× |", "| transcripts | 4,100 | 20,500 |", "| cold build, wall | 20.0 s | 120.0 s |",
		"| cold: sequential depth, median / max | 8 / 14 | 8 / 14 |", "150.0 ms RTT, 200 kB/s down"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
