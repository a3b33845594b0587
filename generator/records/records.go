// Package records loads a records directory, shaped like the public archive
// (transcripts `*.md` at its root, optional `.alternates`, `.redirects` and
// `speakers.toml`), into one model.Archive, reporting every problem as a
// finding. A file with errors is left out of the archive; the rest load.
package records

import (
	"bufio"
	"bytes"
	_ "embed"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/ogarchive/ogarchive/generator/align"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/slug"
	"github.com/ogarchive/ogarchive/generator/speakers"
	"github.com/ogarchive/ogarchive/generator/transcript"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// Options tune Load.
type Options struct {
	// DefaultSpeakers is speakers.toml content used when the directory has
	// none; nil means the built-in default_speakers.toml, so a bare corpus
	// still merges the archive's known aliases and roles.
	DefaultSpeakers []byte
	// Progress, when set, is called after each transcript is parsed.
	Progress func(done, total int)
	// Cache, when set, keeps parsed transcripts between builds (see
	// generator/cache), so that an unchanged file is not parsed again.
	Cache Cache
}

// Cache remembers transcripts parsed by earlier builds; *cache.Cache is
// one. Record returns a fresh copy each time: Load changes what it gets.
type Cache interface {
	Record(file string, src []byte) (*model.Record, []diag.Finding, bool)
	PutRecord(file string, src []byte, rec *model.Record, findings []diag.Finding) error
}

//go:embed default_speakers.toml
var defaultSpeakers []byte

// skip lists files at the root that are documentation, not transcripts.
var skip = map[string]bool{"readme.md": true, "agents.md": true}

// Transcripts lists the transcript files at the root of dir, sorted.
func Transcripts(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") || skip[strings.ToLower(name)] {
			continue
		}
		files = append(files, name)
	}
	sort.Strings(files)
	return files, nil
}

// Load reads dir. The returned error is for an unreadable directory only;
// problems with records are findings.
func Load(dir string, opts Options) (*model.Archive, *diag.List, error) {
	diags := &diag.List{}
	files, err := Transcripts(dir)
	if err != nil {
		return nil, diags, err
	}
	recs := parseAll(dir, files, diags, opts)

	bad := diags.FilesWithErrors()
	kept := recs[:0]
	for _, r := range recs {
		if r != nil && !bad[r.File] {
			kept = append(kept, r)
		}
	}
	recs = kept

	assignSlugs(recs)
	a := &model.Archive{Records: recs}
	if opts.DefaultSpeakers == nil {
		opts.DefaultSpeakers = defaultSpeakers
	}
	resolveSpeakers(dir, a, opts.DefaultSpeakers, diags)
	Alternates(dir, a, diags)
	// After speakers are resolved: the alignment compares merged speakers.
	align.Archive(a, diags)
	sortRecords(a.Records)
	return a, diags, nil
}

// parseAll parses files concurrently, keeping their order.
func parseAll(dir string, files []string, diags *diag.List, opts Options) []*model.Record {
	recs := make([]*model.Record, len(files))
	var mu sync.Mutex
	done := 0
	parallel.Do(len(files), func(i int) error {
		src, err := os.ReadFile(filepath.Join(dir, files[i]))
		if err != nil {
			diags.Errorf(files[i], 0, "cannot read: %v", err)
			return nil
		}
		recs[i] = parse(files[i], src, diags, opts.Cache)
		if opts.Progress != nil {
			mu.Lock()
			done++
			opts.Progress(done, len(files))
			mu.Unlock()
		}
		return nil
	})
	return recs
}

// parse parses one transcript, or takes it from the cache.
func parse(file string, src []byte, diags *diag.List, c Cache) *model.Record {
	if c == nil {
		return transcript.Parse(file, src, diags)
	}
	if rec, findings, ok := c.Record(file, src); ok {
		for _, f := range findings {
			diags.Add(f)
		}
		return rec
	}
	own := &diag.List{}
	rec := transcript.Parse(file, src, own)
	findings := own.Sorted()
	// A cache that cannot be written costs the next build time, not
	// correctness: it parses the file again.
	_ = c.PutRecord(file, src, rec, findings)
	for _, f := range findings {
		diags.Add(f)
	}
	return rec
}

// assignSlugs gives each record its URL segment from its file name; recs
// are in file-name order, so collision suffixes are stable.
func assignSlugs(recs []*model.Record) {
	s := make([]string, len(recs))
	for i, r := range recs {
		s[i] = slug.Make(r.Stem())
	}
	for i, u := range slug.Unique(s) {
		recs[i].Slug = u
	}
}

// resolveSpeakers maps every turn label to a merged identity.
func resolveSpeakers(dir string, a *model.Archive, fallback []byte, diags *diag.List) {
	const name = "speakers.toml"
	var cfg *speakers.Config
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		cfg = speakers.LoadConfig(filepath.Join(dir, name), name, diags)
	} else {
		cfg = speakers.ParseConfig(fallback, "(default) "+name, &diag.List{})
	}
	res := speakers.NewResolver(cfg)
	a.Speakers = map[string]*model.Speaker{}
	labels := map[string]map[string]bool{}
	type resolved struct {
		label   speakers.Label
		speaker model.Speaker
	}
	memo := map[string]resolved{}
	for _, r := range a.Records {
		for i := range r.Turns {
			t := &r.Turns[i]
			if t.Ordinal == 0 {
				continue
			}
			// ~340,000 turns carry ~7,700 distinct labels: resolve each once.
			m, ok := memo[t.Label]
			if !ok {
				m.label, m.speaker = res.Resolve(t.Label)
				memo[t.Label] = m
			}
			l, sp := m.label, m.speaker
			t.Label, t.Role = l.Raw, l.Role
			if sp.Key == "" {
				continue
			}
			t.Speaker = sp.Key
			if _, ok := a.Speakers[sp.Key]; !ok {
				s := sp
				a.Speakers[sp.Key] = &s
				labels[sp.Key] = map[string]bool{}
			}
			if l.Name != sp.Name {
				labels[sp.Key][l.Name] = true
			}
		}
	}
	for key, set := range labels {
		for l := range set {
			a.Speakers[key].Aliases = append(a.Speakers[key].Aliases, l)
		}
		sort.Strings(a.Speakers[key].Aliases)
	}
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		for _, e := range res.UnusedAliases() {
			diags.Warnf(name, e.Line, "%q matches no speaker label in the records; check its spelling or remove it", e.Value)
		}
	}
}

// Alternates reads `.alternates`: each line two TAB-separated transcript
// files of the same talk, English first; each file in at most one pair.
func Alternates(dir string, a *model.Archive, diags *diag.List) {
	const name = ".alternates"
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return
	}
	byFile := map[string]*model.Record{}
	for _, r := range a.Records {
		byFile[r.File] = r
	}
	exists := func(f string) bool {
		_, err := os.Stat(filepath.Join(dir, f))
		return err == nil
	}
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 2 {
			diags.Errorf(name, n, "want two file names separated by one TAB (English first), found %d field(s)", len(parts))
			continue
		}
		en, zh := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		ok := true
		for _, f := range []string{en, zh} {
			if !strings.HasSuffix(f, ".md") {
				diags.Errorf(name, n, "%q is not a transcript file name; write it with its .md extension", f)
				ok = false
			} else if !exists(f) {
				diags.Errorf(name, n, "%q does not exist; fix the name or remove the line", f)
				ok = false
			} else if prev, dup := seen[f]; dup {
				diags.Errorf(name, n, "%q is already paired on line %d; a file has one alternate", f, prev)
				ok = false
			}
		}
		if en == zh {
			diags.Errorf(name, n, "a file cannot be its own alternate")
			continue
		}
		if !ok {
			continue
		}
		seen[en], seen[zh] = n, n
		re, rz := byFile[en], byFile[zh]
		if re == nil || rz == nil {
			continue // left out for its own errors
		}
		if re.Lang != "en" && rz.Lang == "en" {
			diags.Errorf(name, n, "the English file comes first; swap the two names")
			continue
		}
		re.Alternate, rz.Alternate = zh, en
	}
}

// sortRecords orders newest first, undated last, then by file name.
func sortRecords(recs []*model.Record) {
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		if !a.Date.Equal(b.Date) {
			if a.Date.IsZero() || b.Date.IsZero() {
				return b.Date.IsZero()
			}
			return a.Date.After(b.Date)
		}
		return a.File < b.File
	})
}
