package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"testing"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/pipeline"
	"github.com/ogarchive/ogarchive/generator/site"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// The stage benchmarks run on the real corpus so that profiles show what a
// maintainer's build spends its time on:
//
//	OGARCHIVE_CORPUS=../shared/corpus go test ./bench -run '^$' -bench Hugo -benchtime 1x -cpuprofile cpu.prof -memprofile mem.prof

// themeFS is the Hugo project the binary embeds, read from the repository.
func themeFS(tb testing.TB) fs.FS {
	dir := tb.TempDir()
	for _, name := range []string{"hugo.toml", "layouts", "i18n", "assets", "content"} {
		src := filepath.Join("..", name)
		st, err := os.Stat(src)
		if err != nil {
			tb.Fatal(err)
		}
		if !st.IsDir() {
			b, err := os.ReadFile(src)
			if err != nil {
				tb.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(src)); err != nil {
			tb.Fatal(err)
		}
	}
	return os.DirFS(dir)
}

// load is the check stage. The ledger is a fresh one outside the corpus,
// which is read-only.
func load(tb testing.TB) *pipeline.Loaded {
	l, err := pipeline.Load(testcorpus.Dir(tb), filepath.Join(tb.TempDir(), "turn-ids"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// BenchmarkCheck is the check stage: read, parse and resolve every record.
func BenchmarkCheck(b *testing.B) {
	for b.Loop() {
		load(b)
	}
}

// BenchmarkGenerate is the generate stage: build and write every page.
func BenchmarkGenerate(b *testing.B) {
	l := load(b)
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		if err := content.WriteAll(dir, slices.Collect(pipeline.Pages(l))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHugo is the render stage on a fully generated project.
func BenchmarkHugo(b *testing.B) {
	l := load(b)
	work := b.TempDir()
	if err := site.Theme(themeFS(b), work); err != nil {
		b.Fatal(err)
	}
	if err := content.WriteData(filepath.Join(work, "data", "stats.toml"), content.ArchiveStats(l.Archive)); err != nil {
		b.Fatal(err)
	}
	if err := content.WriteAll(filepath.Join(work, "content"), slices.Collect(pipeline.Pages(l))); err != nil {
		b.Fatal(err)
	}
	l = nil
	out := filepath.Join(b.TempDir(), "public")
	b.ResetTimer()
	for b.Loop() {
		if err := site.Render(work, out, site.Options{Quiet: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuild is a rebuild with nothing changed, after a cold build
// outside the timer: what every incremental build pays at least.
func BenchmarkRebuild(b *testing.B) {
	dir := b.TempDir()
	opts := pipeline.Options{
		Records: testcorpus.Dir(b), Out: filepath.Join(dir, "public"), Work: filepath.Join(dir, "site"),
		Index: filepath.Join(dir, "index"), Cache: filepath.Join(dir, "cache"),
		Ledger: filepath.Join(dir, "turn-ids"), Theme: themeFS(b),
	}
	if _, err := pipeline.Build(opts); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	// Labelled, so that a profile can leave out the cold build:
	// go tool pprof -tagfocus phase=rebuild.
	pprof.Do(context.Background(), pprof.Labels("phase", "rebuild"), func(context.Context) {
		for b.Loop() {
			if _, err := pipeline.Build(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBuild is a cold build: no index, cache, work directory or site.
// With OGARCHIVE_CORPUS naming a full-size archive (`go run ./bench -dir DIR` keeps
// one in DIR/records) its profile is the cold build of docs/BENCHMARKS.md.
func BenchmarkBuild(b *testing.B) {
	theme := themeFS(b)
	ledger := filepath.Join(b.TempDir(), "turn-ids")
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		opts := pipeline.Options{
			Records: testcorpus.Dir(b), Out: filepath.Join(dir, "public"), Work: filepath.Join(dir, "site"),
			Index: filepath.Join(dir, "index"), Cache: filepath.Join(dir, "cache"),
			Ledger: ledger, Theme: theme,
		}
		if _, err := pipeline.Build(opts); err != nil {
			b.Fatal(err)
		}
	}
}
