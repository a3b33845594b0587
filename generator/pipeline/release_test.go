package pipeline

import (
	"iter"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
	"weak"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/kinds"
	"github.com/ogarchive/ogarchive/generator/model"
)

// watcher is a kind with no records that keeps a weak pointer to the model
// it was loaded beside.
type watcher struct{ archive *weak.Pointer[model.Archive] }

func (watcher) Name() string { return "watcher" }

func (w watcher) Load(env *kind.Env) (kind.Records, error) {
	*w.archive = weak.Make(env.Archive)
	return nothing{}, nil
}

type nothing struct{}

func (nothing) Cites() kind.Citations                  { return nil }
func (nothing) Search(*kind.Env) []kind.Source         { return nil }
func (nothing) Pages(*kind.Env) iter.Seq[content.Page] { return slices.Values([]content.Page(nil)) }
func (nothing) Static(*kind.Env, string) error         { return nil }

// stageWatch calls on at the start of each stage.
type stageWatch struct{ on func(stage string) }

func (s stageWatch) Stage(name string) { s.on(name) }
func (stageWatch) Count(int, int)      {}

// TestReleaseModel: a cold build lets go of the model before it builds the
// index, and still says how many records and speakers it published; asked
// to keep it, it returns it.
func TestReleaseModel(t *testing.T) {
	recs := copyDir(t, filepath.Join("..", "records", "testdata", "archive"))
	for _, keep := range []bool{false, true} {
		var archive weak.Pointer[model.Archive]
		gone := false
		rep := stageWatch{func(stage string) {
			if stage != "index" {
				return
			}
			// The open-data export, started in the check stage, may
			// still hold it for a moment; a kept model is looked at once.
			wait := 10 * time.Second
			if keep {
				wait = 0
			}
			for deadline := time.Now().Add(wait); !gone; {
				runtime.GC()
				if gone = archive.Value() == nil; gone || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}}
		dir := t.TempDir()
		res, err := Build(Options{
			Records: recs, Out: filepath.Join(dir, "public"), Work: filepath.Join(dir, "site"), Index: filepath.Join(dir, "index"),
			Ledger: filepath.Join(dir, "turn-ids"), BaseURL: "https://archive.example.org/", Theme: repo, Report: rep,
			Kinds: append(kinds.Default(), watcher{&archive}), KeepArchive: keep,
		})
		if err != nil {
			t.Fatalf("keep %v: build: %v", keep, err)
		}
		if gone == keep {
			t.Errorf("keep %v: the model let go of before the index: %v, want %v", keep, gone, !keep)
		}
		if keep && (res.Archive == nil || res.Archive != archive.Value()) {
			t.Errorf("keep %v: Result.Archive is not the model built", keep)
		}
		if res.Records == 0 || res.Speakers == 0 {
			t.Errorf("keep %v: %d records and %d speakers published", keep, res.Records, res.Speakers)
		}
	}
}
