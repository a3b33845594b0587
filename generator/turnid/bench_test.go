package turnid_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/turnid"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

var corpus struct {
	once  sync.Once
	recs  []*model.Record
	turns int
	err   error
}

func loadCorpus(b *testing.B) ([]*model.Record, int) {
	dir := testcorpus.Dir(b)
	corpus.once.Do(func() {
		a, _, err := records.Load(dir, records.Options{})
		if err != nil {
			corpus.err = err
			return
		}
		corpus.recs = a.Records
		for _, r := range a.Records {
			corpus.turns += len(r.Turns)
		}
	})
	if corpus.err != nil {
		b.Fatal(corpus.err)
	}
	return corpus.recs, corpus.turns
}

// assigned returns a ledger that already describes every record.
func assigned(b *testing.B, recs []*model.Record) *turnid.Ledger {
	l, err := turnid.Load(filepath.Join(b.TempDir(), "none"))
	if err != nil {
		b.Fatal(err)
	}
	l.Sync(nil, recs, nil)
	l.AssignAll(recs)
	return l
}

// BenchmarkAssignUnchanged is the common build: nothing changed, so the
// source hash lets Assign copy the ids.
func BenchmarkAssignUnchanged(b *testing.B) {
	recs, turns := loadCorpus(b)
	l := assigned(b, recs)
	b.ResetTimer()
	for b.Loop() {
		l.AssignAll(recs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(turns), "ns/turn")
}

// BenchmarkAssignResketch is an unchanged archive whose sources were all
// touched (the hash differs): every turn is normalised and sketched, and
// compared with the ledger.
func BenchmarkAssignResketch(b *testing.B) {
	recs, turns := loadCorpus(b)
	l := assigned(b, recs)
	saved := make([]string, len(recs))
	for i, r := range recs {
		saved[i] = r.Hash
	}
	defer func() {
		for i, r := range recs {
			r.Hash = saved[i]
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		for i, r := range recs {
			r.Hash = saved[i][:15] + "x" // never equal to the ledger's
		}
		l.AssignAll(recs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(turns), "ns/turn")
}

// BenchmarkAssignFresh is the first build: no ledger, every id from content.
func BenchmarkAssignFresh(b *testing.B) {
	recs, turns := loadCorpus(b)
	var size int
	b.ResetTimer()
	for b.Loop() {
		l := assigned(b, recs)
		size = len(l.Bytes())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(turns), "ns/turn")
	b.ReportMetric(float64(size)/float64(turns), "ledger-B/turn")
	b.ReportMetric(float64(turns), "turns")
}

// BenchmarkLoadSave reads and writes the corpus ledger.
func BenchmarkLoadSave(b *testing.B) {
	recs, _ := loadCorpus(b)
	path := filepath.Join(b.TempDir(), ".turn-ids")
	if err := assigned(b, recs).Save(path); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		l, err := turnid.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Save(path); err != nil {
			b.Fatal(err)
		}
	}
}
