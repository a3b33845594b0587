// Package pipeline runs a whole build: check the records, generate Hugo
// content, index for search, render with Hugo, and publish atomically. Data
// flows one way: records → model → content + index → site.
package pipeline

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/site"
)

// Options configure a build.
type Options struct {
	Records string // records directory
	Out     string // published site directory (public/)
	Index   string // bleve index directory
	Work    string // Hugo project working directory
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

// Check loads and checks the records without writing anything.
func Check(dir string, rep Report) (*model.Archive, *diag.List, error) {
	if rep == nil {
		rep = nopReport{}
	}
	rep.Stage("check")
	return records.Load(dir, records.Options{Progress: rep.Count})
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
	timed := func(name string, f func() error) error {
		rep.Stage(name)
		t := time.Now()
		err := f()
		res.Stages[name] += time.Since(t)
		return err
	}
	site.CleanStale(opts.Out)

	var a *model.Archive
	var findings *diag.List
	if err := timed("check", func() error {
		var err error
		a, findings, err = records.Load(opts.Records, records.Options{Progress: rep.Count})
		return err
	}); err != nil {
		return res, err
	}
	res.Archive, res.Findings = a, findings
	if findings.Failed(opts.Strict) && (opts.Strict || len(a.Records) == 0) {
		e, w := findings.Count()
		return res, ErrFindings{e, w}
	}

	work := opts.Work
	if err := timed("generate", func() error {
		if err := os.RemoveAll(work); err != nil {
			return err
		}
		if err := site.Theme(opts.Theme, work); err != nil {
			return err
		}
		if err := content.WriteData(filepath.Join(work, "data", "stats.toml"), content.ArchiveStats(a)); err != nil {
			return err
		}
		return content.WriteAll(filepath.Join(work, "content"), Pages(a))
	}); err != nil {
		return res, err
	}

	if err := timed("hugo", func() error {
		return site.Render(work, opts.Out, site.Options{BaseURL: opts.BaseURL, Quiet: true})
	}); err != nil {
		return res, err
	}
	return res, nil
}

// Pages is every generated content page of the archive.
func Pages(a *model.Archive) []content.Page {
	var pages []content.Page
	for _, r := range a.Records {
		pages = append(pages, content.RecordPage(a, r, content.Extras{}))
	}
	pages = append(pages, content.SpeakerPages(a)...)
	pages = append(pages, content.YearPages(a)...)
	return pages
}
