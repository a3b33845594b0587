package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/export"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/site"
	"github.com/ogarchive/ogarchive/search"
)

// Build runs every stage. Under Strict any finding stops the build before
// anything is written; otherwise files with errors are left out and the rest
// is published.
func Build(opts Options) (*Result, error) {
	b := &builder{opts: opts, rep: opts.Report, res: &Result{Stages: map[string]time.Duration{}}}
	if b.rep == nil {
		b.rep = nopReport{}
	}
	defer b.close()
	site.CleanStale(opts.Out)
	b.inc = openIncremental(opts)
	for _, s := range []struct {
		name string
		run  func() error
	}{
		{"check", b.check},       // every kind's records, loaded and checked
		{"generate", b.generate}, // Hugo content and static files; the model goes
		{"index", b.index},       // search documents into the bleve index; the askers' pages
		{"hugo", b.render},       // Hugo renders what changed; the exports go in
	} {
		if err := b.timed(s.name, s.run); err != nil {
			return b.res, err
		}
	}
	b.remember()
	return b.res, nil
}

// builder is one run of Build: what each stage leaves for the next.
type builder struct {
	opts Options
	rep  Report
	res  *Result
	inc  *incremental

	loaded *Loaded

	// Parts of the site written while other stages run: on a cold build
	// the open-data export, which needs the records alone; the static
	// search export, which needs the index alone, when the index changed.
	openData, searchOut *background

	// What generate leaves for index: the pages being written, and the
	// search documents (spooled to disk on a cold build, see spool).
	content *content.Writer
	sources []kind.Source
	spool   *spool

	changes changeSet // worked out once, by index
}

// timed runs a stage, reporting it and adding its time to the result.
func (b *builder) timed(name string, f func() error) error {
	b.rep.Stage(name)
	t := time.Now()
	err := f()
	b.res.Stages[name] += time.Since(t)
	return err
}

// close lets go of what a build that stopped early left open or half
// written.
func (b *builder) close() {
	b.openData.discard()
	b.searchOut.discard()
	b.spool.remove()
}

// check loads and checks the records; findings that fail the build stop
// it here, before anything is written.
func (b *builder) check() error {
	l, err := load(b.opts.Records, b.opts.Ledger, b.opts.Kinds, b.rep, b.inc.records())
	if err != nil {
		return err
	}
	b.loaded = l
	b.res.Archive, b.res.Findings = l.Archive, l.Findings
	if l.Archive != nil {
		b.res.Records, b.res.Speakers = len(l.Archive.Records), len(l.Archive.Speakers)
	}
	if l.halted || l.Findings.Failed(b.opts.Strict) && (b.opts.Strict || len(l.Archive.Records) == 0) {
		e, w := l.Findings.Count()
		return ErrFindings{e, w}
	}
	if !b.inc.warm {
		// A cold build writes the open-data export while the pages are
		// made; a rebuild writes the changed records' files at the end.
		a, base := l.Archive, b.opts.BaseURL
		b.openData = startBackground(b.opts.Out, func(dir string) error {
			_, err := export.WriteAll(a, dir, base)
			return err
		})
	}
	return nil
}

// index brings the index up to date with every kind's search documents
// and has the kinds whose pages list related turns ask it (kind.Asker),
// remembering the answers, before it closes; then those kinds' pages are
// written, and what changed is worked out. The static search export
// starts as soon as the index is current, when the published site's is
// not: a rebuild patches it, a cold build lays it out whole.
func (b *builder) index() error {
	changed, err := indexDocs(context.Background(), b.opts.Index, b.sources, b.rep.Count)
	b.sources = nil
	if err == nil {
		err = b.spool.Err()
		if err != nil {
			// documents are missing: the next build starts over
			os.Remove(filepath.Join(b.opts.Index, sourcesFile))
		}
	}
	b.spool.remove()
	b.spool = nil
	if err != nil {
		return fmt.Errorf("search index %s: %w", b.opts.Index, err)
	}
	if _, err := os.Stat(filepath.Join(b.opts.Out, "search", "client.js")); err != nil || changed || !b.inc.warm {
		b.startSearchExport()
	}
	s, err := search.Open(b.opts.Index)
	if err != nil {
		return err
	}
	ans := newAnswers(finder{s})
	b.loaded.env.Related = ans
	for _, k := range b.loaded.kinds {
		if a, ok := k.(kind.Asker); ok {
			a.Ask(b.loaded.env)
		}
	}
	ans.close()
	s.Close()
	if err := b.content.Write(pages(b.loaded, true)); err != nil {
		return err
	}
	if err := b.inc.contentWritten(b.content); err != nil {
		return err
	}
	b.changes = b.inc.changeSet()
	return nil
}

// startSearchExport writes the static search files from the index,
// patching the published ones rather than starting over.
func (b *builder) startSearchExport() {
	index, out := b.opts.Index, b.opts.Out
	b.searchOut = startBackground(out, func(dir string) error {
		_, err := search.ExportFrom(index, filepath.Join(dir, "search"), filepath.Join(out, "search"))
		return err
	})
}

// generate writes the Hugo project: theme, data, static files and the
// pages of every kind but those that ask the index (see index), and makes
// the search documents. A cold build then lets go of the model: its
// documents wait on disk for the index (see spool), and the open-data
// export, started with the model, has it to itself.
func (b *builder) generate() error {
	work, l := b.opts.Work, b.loaded
	if err := b.inc.prepare(work); err != nil {
		return err
	}
	if err := site.Theme(b.opts.Theme, work); err != nil {
		return err
	}
	if err := content.WriteData(filepath.Join(work, "data", "stats.toml"), content.ArchiveStats(l.Archive)); err != nil {
		return err
	}
	w, err := b.inc.contentWriter(filepath.Join(work, "content"))
	if err != nil {
		return err
	}
	b.content = w
	if err := w.Write(pages(l, false)); err != nil {
		return err
	}
	if err := writeStatic(filepath.Join(work, "static"), l); err != nil {
		return err
	}
	if err := b.inc.noteStatic(filepath.Join(work, "static")); err != nil {
		return err
	}
	b.sources = searchSources(l)
	if b.openData != nil && !b.opts.KeepArchive {
		b.spool, b.sources, err = spoolSources(filepath.Dir(filepath.Clean(b.opts.Index)), b.sources)
		if err != nil {
			return err
		}
		l.release()
		b.res.Archive = nil
	}
	return nil
}

// render has Hugo render what changed into a staged copy of the site and,
// before the copy is published, puts the open-data and search exports in.
func (b *builder) render() error {
	if b.changes.none {
		return nil // the published site is this build's already
	}
	return site.Render(b.opts.Work, b.opts.Out, site.Options{BaseURL: b.opts.BaseURL, Quiet: true, Changes: b.changes.site, Finish: b.finish})
}

// finish completes the staged site: the open-data export (the one written
// in the background, or the changed records' files), then the search
// export, timed as stages of their own for what they add beyond the work
// they overlapped.
func (b *builder) finish(stage string) error {
	if err := b.timed("export", func() error {
		if b.openData != nil {
			return b.openData.install(stage)
		}
		_, err := export.WriteAll(b.loaded.Archive, stage, b.opts.BaseURL, b.changes.export...)
		return err
	}); err != nil {
		return err
	}
	if b.searchOut == nil {
		if _, err := os.Stat(filepath.Join(stage, "search", "client.js")); err == nil {
			return nil
		}
		b.startSearchExport() // the published site had none after all
	}
	return b.timed("search", func() error { return b.searchOut.install(stage) })
}

// remember keeps what the next build starts from, once the site is out:
// the build cache and the turn ids the site published. Failing either is
// a warning; the site is fine.
func (b *builder) remember() {
	l, opts := b.loaded, b.opts
	if err := b.inc.save(); err != nil {
		l.Findings.Warnf(opts.Cache, 0, "could not save the build cache (%v); the next build will be a full one", err)
	}
	// A read-only records directory (a mounted corpus) keeps its ids by
	// content alone.
	if err := l.env.Ledger.Save(l.env.LedgerPath); err != nil {
		l.Findings.Warnf(filepath.Base(l.env.LedgerPath), 0, "could not update the turn-id ledger (%v); corrected turns will get new ids unless it is writable (or pass --ledger FILE)", err)
	}
}
