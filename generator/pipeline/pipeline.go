// Package pipeline runs a whole build: check the records, generate Hugo
// content, index for search, render with Hugo, and publish atomically. Data
// flows one way: records → model → content + index → site.
package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ogarchive/ogarchive/generator/camp"
	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/export"
	"github.com/ogarchive/ogarchive/generator/legacy"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/plan"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/redirect"
	"github.com/ogarchive/ogarchive/generator/site"
	"github.com/ogarchive/ogarchive/generator/turnid"
	"github.com/ogarchive/ogarchive/search"
)

// Options configure a build.
type Options struct {
	Records string // records directory
	Out     string // published site directory (public/)
	Index   string // bleve index directory
	Work    string // Hugo project working directory
	Ledger  string // turn-id ledger; default <Records>/.turn-ids
	Cache   string // build cache directory (see generator/cache); "" builds everything from scratch
	BaseURL string
	Strict  bool   // warnings fail the build too
	Theme   fs.FS  // embedded Hugo project files
	Report  Report // progress callbacks; may be nil
}

// Report receives progress.
type Report interface {
	Stage(name string)
	Count(done, total int)
}

type nopReport struct{}

func (nopReport) Stage(string)   {}
func (nopReport) Count(int, int) {}

// Result describes a finished (or refused) build.
type Result struct {
	Archive  *model.Archive
	Findings *diag.List
	Stages   map[string]time.Duration
}

// ErrFindings is returned when the records fail the check.
type ErrFindings struct{ Errors, Warnings int }

func (e ErrFindings) Error() string {
	return fmt.Sprintf("check failed: %d error(s), %d warning(s)", e.Errors, e.Warnings)
}

// Loaded is the checked archive with what the build derives from the
// records directory besides the model: the turn-id ledger and every
// redirect from an old address.
type Loaded struct {
	Archive    *model.Archive
	Findings   *diag.List
	Ledger     *turnid.Ledger
	LedgerPath string
	Redirects  []model.Redirect
	Withdrawn  []model.Withdrawn // deleted transcripts whose address is free
	// SpeakerRoutes maps the previous site's speaker routes to speaker
	// keys (legacy/speakers.tsv).
	SpeakerRoutes map[string]string
	// Sections maps the previous site's section ids to turn URLs
	// (legacy/sections.tsv).
	Sections map[string]string
	Camps    []*camp.Camp // consensus camps whose records passed validation
	Plans    []*plan.Plan // action plans whose records passed validation
	Related  plan.Finder  // finds turns related to a commitment; nil: none shown
}

// Load reads and checks the records, gives every turn its permalink id from
// the ledger, and resolves redirects (.redirects, pages published before,
// legacy slugs of the previous archive). Nothing is written.
func Load(dir, ledgerPath string, rep Report) (*Loaded, error) {
	return load(dir, ledgerPath, rep, nil)
}

// load is Load taking unchanged transcripts from a parse cache.
func load(dir, ledgerPath string, rep Report, parsed records.Cache) (*Loaded, error) {
	if rep == nil {
		rep = nopReport{}
	}
	a, findings, err := records.Load(dir, records.Options{Progress: rep.Count, Cache: parsed})
	if err != nil {
		return nil, err
	}
	l := &Loaded{Archive: a, Findings: findings, LedgerPath: ledgerPath}
	if l.LedgerPath == "" {
		l.LedgerPath = filepath.Join(dir, ".turn-ids")
	}
	files, err := records.Transcripts(dir)
	if err != nil {
		return nil, err
	}
	rds, err := redirect.ParseRedirects(filepath.Join(dir, ".redirects"), findings)
	if err != nil {
		return nil, err
	}
	// The previous site's speech keys (import-legacy) are redirects too.
	speeches, err := redirect.ParseMapping(filepath.Join(dir, filepath.FromSlash(legacy.SpeechesFile)), legacy.SpeechesFile, findings)
	if err != nil {
		return nil, err
	}
	rds = append(rds, speeches...)
	// Renames in git history count as .redirects lines, after them.
	history, err := redirect.GitHistory(dir)
	if err != nil {
		findings.Warnf(".redirects", 0, "%v; renames made with git mv but not listed in .redirects are not redirected, and deleted transcripts get no withdrawn page", err)
	}
	rds = append(rds, history.Renames...)
	l.Ledger, err = turnid.Load(l.LedgerPath)
	if err != nil {
		// A damaged ledger would reassign ids and break published links.
		findings.Errorf(filepath.Base(l.LedgerPath), 0, "%v; restore it from version control", err)
		return l, nil
	}
	l.Ledger.Sync(files, a.Records, rds)
	l.Ledger.AssignAll(a.Records)
	legacySlugs, err := redirect.LegacySlugs(os.DirFS(dir), a.Records)
	if err != nil {
		return nil, err
	}
	l.Redirects = redirect.Resolve(a.Records, redirect.Sources{Redirects: rds, Legacy: legacySlugs, Published: l.Ledger.Published()}, findings)
	if l.SpeakerRoutes, err = legacy.ReadSpeakerRoutes(dir, a.Speakers, findings); err != nil {
		return nil, err
	}
	byStem := make(map[string]*model.Record, len(a.Records))
	for _, r := range a.Records {
		byStem[r.Stem()] = r
	}
	if l.Sections, err = legacy.ReadSections(dir, byStem, findings); err != nil {
		return nil, err
	}
	l.Withdrawn = withdrawn(history.Deleted, a.Records, l.Redirects)
	l.Camps = camp.Validate(camp.Load(dir, findings), camp.NewResolver(a, l.Ledger.Retired), findings)
	l.Plans = plan.Validate(plan.Load(dir, findings), plan.NewArchiveResolver(a), findings)
	return l, nil
}

// Check loads and checks the records without writing anything.
func Check(dir string, rep Report) (*Loaded, error) {
	if rep == nil {
		rep = nopReport{}
	}
	rep.Stage("check")
	return Load(dir, "", rep)
}

// Build runs every stage. Under Strict any finding stops the build before
// anything is written; otherwise files with errors are left out and the rest
// is published.
func Build(opts Options) (*Result, error) {
	rep := opts.Report
	if rep == nil {
		rep = nopReport{}
	}
	res := &Result{Stages: map[string]time.Duration{}}
	closeIndex := func() error { return nil }
	timed := func(name string, f func() error) error {
		rep.Stage(name)
		t := time.Now()
		err := f()
		res.Stages[name] += time.Since(t)
		return err
	}
	site.CleanStale(opts.Out)
	inc := openIncremental(opts)

	var l *Loaded
	if err := timed("check", func() error {
		var err error
		l, err = load(opts.Records, opts.Ledger, rep, inc.records())
		return err
	}); err != nil {
		return res, err
	}
	a, findings := l.Archive, l.Findings
	res.Archive, res.Findings = a, findings
	if l.Ledger == nil || findings.Failed(opts.Strict) && (opts.Strict || len(a.Records) == 0) {
		e, w := findings.Count()
		return res, ErrFindings{e, w}
	}

	// A cold build writes the open-data export while the index is built;
	// a rebuild writes the changed records' files at the end (exportOnly).
	var openData *background
	if !inc.warm {
		openData = startBackground(opts.Out, func(dir string) error {
			_, err := export.WriteAll(a, dir, opts.BaseURL)
			return err
		})
	}
	defer func() { openData.discard() }()

	indexChanged := false
	if err := timed("index", func() error {
		var err error
		if indexChanged, err = indexDocs(context.Background(), opts.Index, searchSources(l), rep.Count); err != nil {
			return fmt.Errorf("search index %s: %w", opts.Index, err)
		}
		s, err := search.Open(opts.Index)
		if err != nil {
			return err
		}
		l.Related = finder{s}
		closeIndex = s.Close
		return nil
	}); err != nil {
		return res, err
	}
	defer func() { closeIndex() }()

	// An incremental build starts from the published site, whose search
	// files are current unless the index changed.
	var searchOut *background
	exportSearch := func(dir string) error {
		// The published files are the last export's: patched, not redone.
		_, err := search.ExportFrom(opts.Index, filepath.Join(dir, "search"), filepath.Join(opts.Out, "search"))
		return err
	}
	if _, err := os.Stat(filepath.Join(opts.Out, "search", "client.js")); err != nil || indexChanged || !inc.warm {
		searchOut = startBackground(opts.Out, exportSearch)
	}
	defer func() { searchOut.discard() }()

	work := opts.Work
	if err := timed("generate", func() error {
		if err := inc.prepare(work); err != nil {
			return err
		}
		if err := site.Theme(opts.Theme, work); err != nil {
			return err
		}
		if err := content.WriteData(filepath.Join(work, "data", "stats.toml"), content.ArchiveStats(a)); err != nil {
			return err
		}
		if err := inc.writeContent(filepath.Join(work, "content"), Pages(l)); err != nil {
			return err
		}
		if err := writeStatic(filepath.Join(work, "static"), l); err != nil {
			return err
		}
		return inc.noteStatic(filepath.Join(work, "static"))
	}); err != nil {
		return res, err
	}
	// Only the pages used the index; Hugo needs the memory.
	closeIndex()
	closeIndex = func() error { return nil }

	if err := timed("hugo", func() error {
		if inc.unchanged() {
			return nil // the published site is this build's already
		}
		return site.Render(work, opts.Out, site.Options{BaseURL: opts.BaseURL, Quiet: true, Changes: inc.changes(), Finish: func(stage string) error {
			rep.Stage("export")
			t := time.Now()
			if openData != nil {
				if err := openData.install(stage); err != nil {
					return err
				}
			} else if _, err := export.WriteAll(a, stage, opts.BaseURL, inc.exportOnly()...); err != nil {
				return err
			}
			res.Stages["export"] += time.Since(t)
			if searchOut == nil {
				if _, err := os.Stat(filepath.Join(stage, "search", "client.js")); err == nil {
					return nil
				}
				searchOut = startBackground(opts.Out, exportSearch) // the published site had none after all
			}
			// What the export adds to the build's time, beyond the work
			// it overlapped.
			rep.Stage("search")
			t = time.Now()
			err := searchOut.install(stage)
			res.Stages["search"] += time.Since(t)
			return err
		}})
	}); err != nil {
		return res, err
	}
	if err := inc.save(); err != nil {
		findings.Warnf(opts.Cache, 0, "could not save the build cache (%v); the next build will be a full one", err)
	}
	// The site is out: remember the ids it published. A read-only records
	// directory (a mounted corpus) keeps its ids by content alone.
	if err := l.Ledger.Save(l.LedgerPath); err != nil {
		findings.Warnf(filepath.Base(l.LedgerPath), 0, "could not update the turn-id ledger (%v); corrected turns will get new ids unless it is writable (or pass --ledger FILE)", err)
	}
	return res, nil
}

// writeStatic writes the files Hugo copies as they are: the `_redirects`
// file for hosts that read one, the short-link lookup of /t/, and the
// lookup of the previous site's speaker routes the 404 page reads.
func writeStatic(dir string, l *Loaded) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := redirect.WriteRedirectsFile(filepath.Join(dir, "_redirects"), l.Redirects); err != nil {
		return err
	}
	if err := redirect.WriteShortLinks(filepath.Join(dir, "t"), l.Ledger.Lookup(l.Archive.Records)); err != nil {
		return err
	}
	if err := legacy.WriteSpeakerShards(filepath.Join(dir, "legacy", "speakers"), l.SpeakerRoutes); err != nil {
		return err
	}
	if err := legacy.WriteSectionShards(filepath.Join(dir, "legacy", "sections"), l.Sections); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "t", "t.js"), redirect.ShortLinkScript, 0o644)
}

// Pages is every generated content page of the archive.
func Pages(l *Loaded) []content.Page {
	a := l.Archive
	cited := citedBy(plan.CitedBy(l.Plans), camp.CitedBy(l.Camps))
	var pages []content.Page
	for _, r := range a.Records {
		pages = append(pages, content.RecordPage(a, r, content.Extras{
			Retired: l.Ledger.Retired(r.File), CitedBy: cited[r.Slug],
			Formats: []content.Format{
				{Name: "Akoma Ntoso", URL: export.AKNPath(r.Slug), Type: "application/akn+xml"},
				{Name: "JSON", URL: export.JSONPath(r.Slug), Type: "application/json"},
			},
		}))
	}
	pages = append(pages, camp.Pages(l.Camps, a)...)
	pages = append(pages, plan.Pages(a, l.Plans, l.Related)...)
	pages = append(pages, content.SpeakerPages(a)...)
	pages = append(pages, content.RedirectPages(a, l.Redirects)...)
	pages = append(pages, content.WithdrawnPages(l.Withdrawn)...)
	pages = append(pages, content.YearPages(a)...)
	return pages
}

// citedBy merges the "cited by" links of commitments and camp outcomes:
// record slug → turn id → links, in the order given.
func citedBy(sources ...map[string]map[string][]content.CiteLink) map[string]map[string][]content.CiteLink {
	out := map[string]map[string][]content.CiteLink{}
	for _, src := range sources {
		for slug, turns := range src {
			if out[slug] == nil {
				out[slug] = map[string][]content.CiteLink{}
			}
			for id, links := range turns {
				out[slug][id] = append(out[slug][id], links...)
			}
		}
	}
	return out
}

// withdrawn returns the transcripts deleted in the records' git history
// whose address no record and no redirect has taken since.
func withdrawn(gone []model.Withdrawn, recs []*model.Record, rds []model.Redirect) []model.Withdrawn {
	if len(gone) == 0 {
		return nil
	}
	taken := map[string]bool{}
	for _, r := range recs {
		taken[strings.ToLower(r.Slug)] = true
	}
	for _, rd := range rds {
		taken[strings.ToLower(rd.From)] = true
	}
	var out []model.Withdrawn
	for _, w := range gone {
		if !taken[strings.ToLower(w.Slug)] {
			taken[strings.ToLower(w.Slug)] = true
			out = append(out, w)
		}
	}
	return out
}
