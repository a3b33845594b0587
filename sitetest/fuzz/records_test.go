package fuzz

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/camp"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/plan"
	"github.com/ogarchive/ogarchive/generator/slug"
	"github.com/ogarchive/ogarchive/generator/speakers"
	"github.com/ogarchive/ogarchive/generator/turnid"
)

// addFiles adds every file matching the patterns to a fuzz corpus.
func addFiles(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
}

// FuzzSpeakersConfig checks speakers.toml handling: findings point into
// the file, and every configured name, alias and role resolves to a
// speaker whose page key is the slug of the name shown.
func FuzzSpeakersConfig(f *testing.F) {
	addFiles(f, "../../records/speakers.toml", "../testdata/hostile/speakers.toml",
		"../../generator/records/default_speakers.toml", "../../generator/speakers/testdata/*.toml")
	f.Fuzz(func(t *testing.T, src []byte) {
		var d diag.List
		cfg := speakers.ParseConfig(src, "speakers.toml", &d)
		checkFindings(t, &d, "speakers.toml", src)
		r := speakers.NewResolver(cfg)
		labels := append([]string{}, cfg.Roles...)
		for _, p := range cfg.People {
			labels = append(labels, p.Name)
			labels = append(labels, p.Aliases...)
		}
		for _, l := range labels {
			_, sp := r.Resolve(l)
			if sp.Key != slug.Make(sp.Name) {
				t.Fatalf("label %q resolves to %q with key %q, not its slug %q", l, sp.Name, sp.Key, slug.Make(sp.Name))
			}
		}
	})
}

var campID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FuzzCamp checks camp records: findings point into the file, and a camp
// that loads has ids that are safe URL segments and HTML ids.
func FuzzCamp(f *testing.F) {
	addFiles(f, "../../records/camps/*.toml", "../testdata/hostile/camps/*.toml",
		"../../generator/camp/testdata/*/camps/*.toml")
	f.Fuzz(func(t *testing.T, src []byte) {
		var d diag.List
		c := camp.Parse("camps/2019-01-18-fuzz.toml", src, &d)
		checkFindings(t, &d, "camps/2019-01-18-fuzz.toml", src)
		if c == nil {
			return
		}
		if !strings.HasPrefix(c.URL(), "/camps/") || !campID.MatchString(c.ID) {
			t.Fatalf("camp id %q, URL %q", c.ID, c.URL())
		}
		for _, o := range c.Outcomes {
			if !campID.MatchString(o.ID) {
				t.Fatalf("outcome id %q is not a safe URL segment", o.ID)
			}
		}
	})
}

// FuzzPlan checks action-plan records: findings point into the file, and
// a plan that loads is written back (MarshalTOML, as the CSV import does)
// into a file that loads to the same plan.
func FuzzPlan(f *testing.F) {
	addFiles(f, "../../records/commitments/*.toml", "../../generator/plan/testdata/*/commitments/*.toml")
	const file = "commitments/2021-2024.toml"
	f.Fuzz(func(t *testing.T, src []byte) {
		var d diag.List
		p := plan.Parse(file, src, &d)
		checkFindings(t, &d, file, src)
		if p == nil {
			return
		}
		out, err := p.MarshalTOML()
		if err != nil {
			return // documented: a plan missing a required field is not written
		}
		var d2 diag.List
		p2 := plan.Parse(file, out, &d2)
		if p2 == nil {
			t.Fatalf("the written plan does not load: %v\n%s", d2.Sorted(), out)
		}
		out2, err := p2.MarshalTOML()
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("the plan changed when written and read back (%v):\nfirst:  %s\nsecond: %s", err, out, out2)
		}
	})
}

// FuzzPlanCSV checks the spreadsheet import: findings name the file, and
// a plan imported from CSV, exported and imported again is the same.
func FuzzPlanCSV(f *testing.F) {
	addFiles(f, "../../generator/plan/testdata/*.csv")
	f.Fuzz(func(t *testing.T, src []byte) {
		p, findings := plan.ImportCSV(bytes.NewReader(src), "2021-2024.csv")
		for _, fd := range findings {
			if fd.File != "2021-2024.csv" || fd.Line < 0 || fd.Line > bytes.Count(src, []byte("\n"))+1 {
				t.Fatalf("finding out of the file: %s", fd)
			}
		}
		if p == nil {
			return
		}
		var out bytes.Buffer
		if err := plan.WriteCSV(&out, p); err != nil {
			t.Fatalf("WriteCSV of an imported plan: %v", err)
		}
		p2, findings := plan.ImportCSV(bytes.NewReader(out.Bytes()), "2021-2024.csv")
		if p2 == nil {
			t.Fatalf("the exported CSV does not import: %v\n%s", findings, out.Bytes())
		}
		var out2 bytes.Buffer
		if err := plan.WriteCSV(&out2, p2); err != nil || !bytes.Equal(out.Bytes(), out2.Bytes()) {
			t.Fatalf("the plan changed through CSV (%v):\nfirst:  %q\nsecond: %q", err, out.Bytes(), out2.Bytes())
		}
	})
}

// FuzzLedger checks the turn-id ledger, the record of every permalink
// ever published: whatever Load accepts, it writes back in a form that
// loads to the same ledger.
func FuzzLedger(f *testing.F) {
	addFiles(f, "../../records/.turn-ids", "../../generator/turnid/testdata/*")
	f.Add([]byte("@\ttazm\tc5c18a0668734200\t2021-01-01-hostile-titles.md\n/\t2021-01-01-hostile-titles\ney3bzqwq\tqos6xfbk\n- oldid123\tey3bzqwq\nx\tabcd\tgone.md\n"))
	path := filepath.Join(f.TempDir(), ".turn-ids") // one per fuzzing process
	f.Fuzz(func(t *testing.T, src []byte) {
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := turnid.Load(path)
		if err != nil {
			return
		}
		out := l.Bytes()
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		l2, err := turnid.Load(path)
		if err != nil {
			t.Fatalf("the written ledger does not load: %v\n%s", err, out)
		}
		if out2 := l2.Bytes(); !bytes.Equal(out, out2) {
			t.Fatalf("the ledger changed when written and read back:\nfirst:  %q\nsecond: %q", out, out2)
		}
	})
}
