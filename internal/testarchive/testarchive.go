// Package testarchive loads a records directory for tests the way a build
// does before it writes anything: the transcripts parsed into the model,
// then every turn given its permalink id from a turn-id ledger. Tests of
// the stages after that (search, export, plans) start from it.
package testarchive

import (
	"path/filepath"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/turnid"
)

// Load loads the transcripts of dir and assigns their turn ids from the
// ledger at ledger, or from a new one when ledger is "" (ids then depend
// on the transcripts alone). A directory that cannot be read, or that
// yields no record, fails the test; findings are the caller's to judge.
func Load(tb testing.TB, dir, ledger string) (*model.Archive, *diag.List) {
	tb.Helper()
	a, findings, err := records.Load(dir, records.Options{})
	if err != nil {
		tb.Fatalf("%s: %v", dir, err)
	}
	if len(a.Records) == 0 {
		tb.Fatalf("%s: no records loaded:\n%s", dir, findings)
	}
	if ledger == "" {
		ledger = filepath.Join(tb.TempDir(), "turn-ids")
	}
	l, err := turnid.Load(ledger)
	if err != nil {
		tb.Fatal(err)
	}
	files := make([]string, len(a.Records))
	for i, r := range a.Records {
		files[i] = r.File
	}
	l.Sync(files, a.Records, nil)
	l.AssignAll(a.Records)
	return a, findings
}
