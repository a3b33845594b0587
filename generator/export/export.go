// Package export publishes every record of the archive in open, validated
// formats from the same static build: Akoma Ntoso 3.0 debate records for
// parliamentary and legal tooling, and JSON (documented by JSON Schemas) for
// everyone else. Output depends only on the archive and the site URL: no
// timestamps, fixed field order, sorted lists, so a rebuild of unchanged
// records is byte-identical.
//
// Layout under the output directory (two files per record, five more in
// all):
//
//	akn/<slug>.xml                 Akoma Ntoso debate record (AKN)
//	data/records/<slug>.json       one record: turns with ids, speakers, permalinks (RecordJSON)
//	data/records.json              index of every record (IndexJSON)
//	data/speakers.json             Popolo-style persons (SpeakersJSON)
//	data/schema/<name>.schema.json JSON Schemas of the three JSON shapes (Schemas)
package export

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ogarchive/ogarchive/generator/model"
)

// Paths of the exports, relative to the output directory and to the site
// root; the lead links pages to them.
const (
	AKNDir      = "akn"                // AKNDir/<slug>.xml
	RecordsDir  = "data/records"       // RecordsDir/<slug>.json
	IndexFile   = "data/records.json"  // the records index
	SpeakerFile = "data/speakers.json" // the speakers
	SchemaDir   = "data/schema"        // SchemaDir/<name>.schema.json
)

// AKNPath is the site path of a record's Akoma Ntoso export.
func AKNPath(slug string) string { return "/" + AKNDir + "/" + slug + ".xml" }

// JSONPath is the site path of a record's JSON export.
func JSONPath(slug string) string { return "/" + RecordsDir + "/" + slug + ".json" }

// Count is how many files of one format were written and their total size.
type Count struct {
	Files int
	Bytes int64
}

func (c *Count) add(n int) {
	c.Files++
	c.Bytes += int64(n)
}

// Stats tells what WriteAll wrote, per format.
type Stats struct {
	AKN     Count // akn/<slug>.xml
	Records Count // data/records/<slug>.json
	Index   Count // data/records.json and data/speakers.json
	Schema  Count // data/schema/*.schema.json
}

// Total sums every format, for the site's file budget.
func (s Stats) Total() Count {
	return Count{
		Files: s.AKN.Files + s.Records.Files + s.Index.Files + s.Schema.Files,
		Bytes: s.AKN.Bytes + s.Records.Bytes + s.Index.Bytes + s.Schema.Bytes,
	}
}

// WriteAll writes every export of a under outDir (see the package
// documentation for the layout) and removes record exports left from
// records that no longer exist. Records are exported in parallel, one
// worker per CPU. Every turn must already carry its id (turnid.Ledger.Assign):
// permalinks without stable ids would break on the next correction.
//
// With only, the AKN and JSON of just the records only accepts are written
// (an incremental build leaves the others in place in the published site);
// the index files are always written whole.
func WriteAll(a *model.Archive, outDir, siteURL string, only ...func(*model.Record) bool) (Stats, error) {
	var st Stats
	aknDir := filepath.Join(outDir, filepath.FromSlash(AKNDir))
	recDir := filepath.Join(outDir, filepath.FromSlash(RecordsDir))
	schemaDir := filepath.Join(outDir, filepath.FromSlash(SchemaDir))
	for _, d := range []string{aknDir, recDir, schemaDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return st, err
		}
	}

	recs, err := writeRecords(a, aknDir, recDir, siteURL, only)
	if err != nil {
		return st, err
	}
	st.AKN, st.Records = recs.akn, recs.json

	keep := map[string]bool{}
	for _, r := range a.Records {
		keep[r.Slug] = true
	}
	if err := removeStale(aknDir, ".xml", keep); err != nil {
		return st, err
	}
	if err := removeStale(recDir, ".json", keep); err != nil {
		return st, err
	}

	index, err := IndexJSON(a, siteURL)
	if err != nil {
		return st, err
	}
	people, err := SpeakersJSON(a, siteURL)
	if err != nil {
		return st, err
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{IndexFile, index}, {SpeakerFile, people}} {
		if err := os.WriteFile(filepath.Join(outDir, filepath.FromSlash(f.path)), f.data, 0o644); err != nil {
			return st, err
		}
		st.Index.add(len(f.data))
	}

	names, err := SchemaNames()
	if err != nil {
		return st, err
	}
	for _, name := range names {
		data, err := Schemas.ReadFile("schema/" + name)
		if err != nil {
			return st, err
		}
		if err := os.WriteFile(filepath.Join(schemaDir, name), data, 0o644); err != nil {
			return st, err
		}
		st.Schema.add(len(data))
	}
	return st, nil
}

type recordCounts struct{ akn, json Count }

// writeRecords exports each record's AKN and JSON on all CPUs; it stops
// handing out work at the first error and returns the one for the earliest
// record, so the message does not depend on scheduling.
func writeRecords(a *model.Archive, aknDir, recDir, siteURL string, only []func(*model.Record) bool) (recordCounts, error) {
	errs := make([]error, len(a.Records))
	counts := make([]recordCounts, runtime.GOMAXPROCS(0))
	jobs := make(chan int)
	var failed sync.Once
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range counts {
		wg.Add(1)
		go func(c *recordCounts) {
			defer wg.Done()
			for i := range jobs {
				r := a.Records[i]
				if len(only) > 0 && !only[0](r) {
					continue
				}
				if err := writeRecord(r, a.Speakers, aknDir, recDir, siteURL, c); err != nil {
					errs[i] = fmt.Errorf("export %s: %w", r.File, err)
					failed.Do(func() { close(stop) })
				}
			}
		}(&counts[w])
	}
feed:
	for i := range a.Records {
		select {
		case jobs <- i:
		case <-stop:
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	var total recordCounts
	for _, c := range counts {
		total.akn.Files += c.akn.Files
		total.akn.Bytes += c.akn.Bytes
		total.json.Files += c.json.Files
		total.json.Bytes += c.json.Bytes
	}
	return total, firstError(errs)
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func writeRecord(r *model.Record, speakers map[string]*model.Speaker, aknDir, recDir, siteURL string, c *recordCounts) error {
	x, err := AKN(r, speakers, siteURL)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(aknDir, r.Slug+".xml"), x, 0o644); err != nil {
		return err
	}
	c.akn.add(len(x))
	j, err := RecordJSON(r, speakers, siteURL)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(recDir, r.Slug+".json"), j, 0o644); err != nil {
		return err
	}
	c.json.add(len(j))
	return nil
}

// removeStale deletes files with the given extension in dir whose slug is
// not in keep: exports of records that were removed or renamed.
func removeStale(dir, ext string, keep map[string]bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ext) || keep[strings.TrimSuffix(name, ext)] {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// site is the site URL without a trailing slash; "" keeps links
// site-relative.
func site(siteURL string) string { return strings.TrimRight(siteURL, "/") }

// link turns a site path (and optional fragment) into a link, absolute when
// the site URL is known. Links are IRIs: non-ASCII letters of slugs and
// speaker keys stay as they are (percent-encoding would triple the size of
// every Chinese permalink), anything else outside the URI grammar is
// percent-encoded.
func link(siteURL, path, fragment string) string {
	var b strings.Builder
	b.Grow(len(siteURL) + len(path) + len(fragment) + 1)
	b.WriteString(site(siteURL))
	iriEscape(&b, path)
	if fragment != "" {
		b.WriteByte('#')
		iriEscape(&b, fragment)
	}
	return b.String()
}

// iriEscape writes s with every character that may not appear in an IRI
// path or fragment percent-encoded.
func iriEscape(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for _, r := range s {
		if r < utf8.RuneSelf {
			c := byte(r)
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0 {
				b.WriteByte(c)
				continue
			}
		} else if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) {
			b.WriteRune(r)
			continue
		}
		var buf [utf8.UTFMax]byte
		for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// speakerPath is the site path of a person's page; roles have none.
func speakerPath(key string) string { return "/speakers/" + key + "/" }

// checkTurns refuses records whose turns lack usable ids: every export
// links turns by id, and AKN requires those ids unique and without
// whitespace.
func checkTurns(r *model.Record) error {
	if r.Slug == "" {
		return fmt.Errorf("record has no slug; assign slugs before exporting")
	}
	seen := make(map[string]int, len(r.Turns))
	for i := range r.Turns {
		t := &r.Turns[i]
		switch {
		case t.ID == "":
			return fmt.Errorf("line %d: turn has no id; assign turn ids (turnid.Ledger.Assign) before exporting", t.Line)
		case strings.IndexFunc(t.ID, unicode.IsSpace) >= 0 || strings.ContainsAny(t.ID, "#/?"):
			return fmt.Errorf("line %d: turn id %q cannot be an anchor: it contains a space, '#', '/' or '?'", t.Line, t.ID)
		}
		if prev, dup := seen[t.ID]; dup {
			return fmt.Errorf("line %d: turn id %q is also the id of the turn on line %d; ids must be unique in a record", t.Line, t.ID, prev)
		}
		seen[t.ID] = t.Line
	}
	return nil
}
