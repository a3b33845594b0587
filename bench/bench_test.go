package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReplicate(t *testing.T) {
	defaults := t.TempDir()
	os.MkdirAll(filepath.Join(defaults, "camps"), 0o755)
	os.WriteFile(filepath.Join(defaults, "camps", "camp.toml"), []byte("# a camp\n"), 0o644)
	// 70 needs more rounds of copies than forwardRounds: the later ones
	// are shifted backward.
	for _, target := range []int{4, 6, 9, 70} {
		dst := filepath.Join(t.TempDir(), "records")
		c, err := Replicate(filepath.Join("testdata", "corpus"), defaults, dst, target)
		if err != nil {
			t.Fatal(err)
		}
		md, _ := filepath.Glob(filepath.Join(dst, "*.md"))
		if c.Files != target || len(md) != target || c.Replicas != target-4 {
			t.Errorf("target %d: %d files (%d on disk), %d replicas", target, c.Files, len(md), c.Replicas)
		}
		if _, err := os.Stat(filepath.Join(dst, "camps", "camp.toml")); err != nil {
			t.Errorf("target %d: camps not copied: %v", target, err)
		}
		alt, _ := os.ReadFile(filepath.Join(dst, ".alternates"))
		// Every pair names files that exist, English first.
		for _, line := range strings.Split(string(alt), "\n") {
			en, zh, ok := strings.Cut(line, "\t")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			for _, f := range []string{en, zh} {
				if _, err := os.Stat(filepath.Join(dst, f)); err != nil {
					t.Errorf("target %d: .alternates names %s: %v", target, f, err)
				}
			}
			if !strings.Contains(en, "Talk") {
				t.Errorf("target %d: pair %q does not put the English file first", target, line)
			}
		}
		copies := Copies("2020-01-03-會議.md", func(f string) bool { _, err := os.Stat(filepath.Join(dst, f)); return err == nil })
		if target == 70 && len(copies) <= forwardRounds {
			t.Errorf("target 70: %d copies of 2020-01-03-會議.md found", len(copies))
		}
		if target == 6 && strings.Count(string(alt), "\t") != 2 {
			t.Errorf("target 6: the replicated pair is not listed:\n%s", alt)
		}
	}
}

func TestShift(t *testing.T) {
	name, b := Shift("2020-01-03-會議.md", []byte("# 2020-01-03 會議\n\n### 甲：\n一。\n"), 3, "bis")
	if name != "2020-01-06-會議-bis.md" || string(b) != "# 2020-01-06 會議 (bis)\n\n### 甲：\n一。\n" {
		t.Errorf("Shift: %s\n%s", name, b)
	}
	for _, c := range []struct {
		name, src string
		ok        bool
	}{
		{"2020-01-03-a.md", "# 2020-01-03 A\n", true},
		{"2020-01-03-a.md", "# 2020-01-04 A\n", false}, // the heading disagrees with the name
		{"notes.md", "# 2020-01-03 A\n", false},
		{"2020-01-03-a.md", "# (2020-01-03) A\n", false},
		{time.Now().Format("2006-01-02") + "-a.md", "# " + time.Now().Format("2006-01-02") + " A\n", false}, // too recent to shift forward
	} {
		if got := shiftable(c.name, []byte(c.src)); got != c.ok {
			t.Errorf("shiftable(%s, %q) = %v", c.name, c.src, got)
		}
	}
}

func TestCorrectTurn(t *testing.T) {
	src := "# 2020-01-03 會議\n\n### 甲：\n一。\n\n### 乙：\n> （笑）\n\n二。\n"
	got, ok := CorrectTurn([]byte(src), 2, "（更正）")
	if !ok || string(got) != strings.Replace(src, "二。", "二。（更正）", 1) {
		t.Errorf("CorrectTurn: %v\n%s", ok, got)
	}
	if _, ok := CorrectTurn([]byte(src), 5, "x"); ok {
		t.Error("corrected a turn that does not exist")
	}
}

func TestParseStages(t *testing.T) {
	out := "built 2050 records, 6322 speakers into public in 31.0s (0 error(s), 184 warning(s))\n" +
		"  check        2.24s\n  generate     3.99s\n  hugo        21.74s\n  export       6.58s\n"
	stages, order := ParseStages([]byte(out))
	if strings.Join(order, ",") != "check,generate,hugo,export" || stages["hugo"] != 21740*time.Millisecond {
		t.Errorf("stages %v in order %v", stages, order)
	}
}

func TestReportKeepsTextAndPrevious(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	os.WriteFile(path, []byte("# Benchmarks\n\nHand-written analysis.\n"), 0o644)
	first := Figures{Date: "d1", Commit: "c1", Runs: 3, Cold: Summary{Wall: 40 * time.Second, MaxRSS: 3 << 30,
		Stages: map[string]time.Duration{"hugo": 30 * time.Second}, Order: []string{"hugo"}}}
	if err := WriteReport(path, first); err != nil {
		t.Fatal(err)
	}
	second := first
	second.Date, second.Cold.Wall, second.Cold.MaxRSS = "d2", 20*time.Second, 1<<30
	second.Cold.PeakRSS = 1 << 30
	second.Incremental = []Change{{Name: changeAdd, Summary: Summary{Wall: 2 * time.Second, PeakRSS: 1 << 30}}}
	s := writeReport(t, path, second,
		"Hand-written analysis.",
		"| wall time | 20.0 s | 40.0 s |",
		"| peak memory (max RSS) | 1.00 GiB | 3.00 GiB |",
		"| add one transcript: ≤ 10.0 s and ≥ 5× faster than cold | 2.0 s, 10.0× | yes |",
		"| bleve index size | not built | not built |",
	)
	if strings.Count(s, beginMarker) != 1 || strings.Count(s, "<!-- bench-data") != 1 {
		t.Errorf("the generated section is not replaced in place:\n%s", s)
	}
	if p := Previous([]byte(s)); p == nil || p.Date != "d2" {
		t.Errorf("figures kept: %+v", p)
	}
}

func TestCompareTrees(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		os.WriteFile(filepath.Join(d, "same.html"), []byte("x"), 0o644)
	}
	if got := CompareTrees(a, b); !strings.HasPrefix(got, "identical (1 files") {
		t.Errorf("identical trees: %s", got)
	}
	// search/ is compared by whether each export is whole, not by bytes
	os.MkdirAll(filepath.Join(a, "search"), 0o755)
	if got := CompareTrees(a, b); !strings.Contains(got, "manifest.json") {
		t.Errorf("a search export without its manifest: %s", got)
	}
	os.RemoveAll(filepath.Join(a, "search"))
	os.WriteFile(filepath.Join(a, "same.html"), []byte("y"), 0o644)
	os.WriteFile(filepath.Join(b, "extra.html"), []byte("z"), 0o644)
	if got := CompareTrees(a, b); got != "2 of 1 files differ: extra.html (only cold), same.html" {
		t.Errorf("different trees: %s", got)
	}
}

func TestMedian(t *testing.T) {
	if Median([]time.Duration{3, 1, 2}) != 2 || Median([]time.Duration{4, 1, 2, 3}) != 2 || Median(nil) != 0 {
		t.Error("Median")
	}
}

// TestReportSearch: a run with search figures renders them, beside those of
// a previous run when it has some; previous figures from before the search
// stage (no Search in their JSON) still render.
func TestReportSearch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	old := `<!-- bench-data {"Date":"d0","Commit":"c0","Runs":3,"Cold":{"Wall":35139067891,"Outputs":{"Files":15552}},"Verified":"identical"} -->`
	os.WriteFile(path, []byte("# Benchmarks\n\n"+beginMarker+"\n"+old+"\n"+endMarker+"\n"), 0o644)
	search := &SearchFigures{Queries: 300, Copies: 80, Engines: []Engine{
		{Name: "ours, Node", Queries: 300, Turn: Scores{0.98, 0.97}, Warm: Cost{Bytes: 15 << 10, Latency: 7500 * time.Microsecond},
			Index: 38 * time.Second, Export: 14 * time.Second, IndexBytes: 200 << 20, Files: 14, Bytes: 130 << 20},
		{Name: "Pagefind, Chromium", Queries: 100, Turn: Scores{}, Page: &Scores{0.27, 0.23}, Empty: 2,
			Cold:  Cost{Bytes: 800 << 10, BytesP90: 1300 << 10, Requests: 20, Latency: 2 * time.Second, LatencyP90: 3 * time.Second},
			Index: 145 * time.Second, Files: 10492, Bytes: 104 << 20},
	}, Pagefind: &PagefindRun{Version: "pagefind 1.6.0", Binary: "pagefind_extended", Args: "--site public --output-path pagefind", Pages: 8693, Languages: 2}}
	cur := Figures{Date: "d1", Commit: "c1", Runs: 3, Search: search}
	writeReport(t, path, cur,
		"| wall time |  | 35.1 s |",
		"| | ours, Node | Pagefind, Chromium |\n|---|---:|---:|\n",
		"| queries | 300 | first 100 of 300 |",
		"| MRR@10, turn | 0.980 | 0.000 |",
		"| MRR@10, record page | – | 0.270 |",
		"| queries with no result / failed | 0 / 0 | 2 / 0 |",
		"| cold: bytes, median (p90) | – (–) | 800.0 KiB (1.3 MiB) |",
		"| cold: latency, median / p90 | – / – | 2.00 s / 3.00 s |",
		"| warm: latency, median / p90 | 7.5 ms / – | – / – |",
		"| index build | index 38.0 s + search 14.0 s | 145.0 s |",
		"| bleve index size | 200.0 MiB | – |",
		"| files served to the browser | 130.0 MiB in 14 files | 104.0 MiB in 10,492 files |",
		"`pagefind_extended --site public --output-path pagefind`",
	)
	// The next run shows the search figures of this one beside its own.
	cur.Date = "d2"
	s := writeReport(t, path, cur,
		"| | ours, Node | Pagefind, Chromium | previous: ours, Node | previous: Pagefind, Chromium |",
		"| MRR@10, turn | 0.980 | 0.000 | 0.980 | 0.000 |",
	)
	if p := Previous([]byte(s)); p == nil || p.Search == nil || p.Search.Engines[1].Page.MRR10 != 0.27 {
		t.Errorf("search figures not kept: %+v", p)
	}

	// Variant sets: a table of their own, the previous run's beside them
	// where it ran the same set.
	cur.Date = "d3"
	cur.Search.Sets = []QuerySet{{Name: "known-item-simplified.json", Queries: 208, Engines: []Engine{
		{Name: "ours, Node", Queries: 208, Turn: Scores{0.99, 0.98}, Cold: Cost{Bytes: 40 << 10}, Warm: Cost{Bytes: 14 << 10}},
		{Name: "Pagefind, Chromium", Queries: 100, Page: &Scores{0.02, 0.01}, Cold: Cost{Bytes: 700 << 10}},
	}}}
	writeReport(t, path, cur,
		"| set | | ours, Node | Pagefind, Chromium |\n",
		"| known-item-simplified.json (208) | MRR@10, turn | 0.990 | 0.000 |",
		"| known-item-simplified.json (208) | MRR@10, record page | – | 0.020 |",
		"| known-item-simplified.json (208) | cold / warm bytes, median | 40.0 KiB / 14.0 KiB | 700.0 KiB / – |",
	)
	cur.Date = "d4"
	writeReport(t, path, cur,
		"| set | | ours, Node | Pagefind, Chromium | previous: ours, Node | previous: Pagefind, Chromium |",
		"| known-item-simplified.json (208) | MRR@10, turn | 0.990 | 0.000 | 0.990 | 0.000 |",
	)
}

// writeReport writes f into the report at path and checks that the report
// holds each of wants; it returns the report.
func writeReport(t *testing.T, path string, f Figures, wants ...string) string {
	t.Helper()
	if err := WriteReport(path, f); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	for _, want := range wants {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
	return s
}
