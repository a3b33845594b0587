// Package transcripts is meeting transcripts as a kind of record (see
// generator/kind): the Markdown files of the records directory, parsed
// into the model by generator/records, their turns given permalink ids
// from the turn-id ledger, and every old address of them (.redirects,
// renames in git history, the previous site's slugs and speech keys)
// resolved to a redirect. It is the first kind: the others cite its turns.
package transcripts

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogarchive/ogarchive/generator/cache"
	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/export"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/legacy"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/redirect"
	"github.com/ogarchive/ogarchive/generator/turnid"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// Kind is meeting transcripts. Its Load sets env.Archive and env.Ledger.
var Kind kind.Kind = transcripts{}

type transcripts struct{}

func (transcripts) Name() string { return "transcripts" }

// loaded is the transcripts with what is derived from the records
// directory besides the model.
type loaded struct {
	redirects []model.Redirect
	withdrawn []model.Withdrawn // deleted transcripts whose address is free
	// speakerRoutes maps the previous site's speaker routes to speaker
	// keys (legacy/speakers.tsv).
	speakerRoutes map[string]string
	// sections maps the previous site's section ids to turn URLs
	// (legacy/sections.tsv).
	sections map[string]string
}

// Load reads and checks the transcripts, gives every turn its permalink id
// from the ledger, and resolves redirects. A damaged ledger halts the
// build: ids given without it would break published links.
func (transcripts) Load(env *kind.Env) (kind.Records, error) {
	dir, findings := env.Dir, env.Findings
	a, parsed, err := records.Load(dir, records.Options{Progress: env.Progress, Cache: env.Parsed})
	if err != nil {
		return nil, err
	}
	findings.Merge(parsed)
	env.Archive = a
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
	ledger, err := turnid.Load(env.LedgerPath)
	if err != nil {
		findings.Errorf(filepath.Base(env.LedgerPath), 0, "%v; restore it from version control", err)
		return nil, kind.ErrHalt
	}
	env.Ledger = ledger
	ledger.Sync(files, a.Records, rds)
	ledger.AssignAll(a.Records)
	legacySlugs, err := redirect.LegacySlugs(os.DirFS(dir), a.Records)
	if err != nil {
		return nil, err
	}
	l := &loaded{}
	l.redirects = redirect.Resolve(a.Records, redirect.Sources{Redirects: rds, Legacy: legacySlugs, Published: ledger.Published()}, findings)
	if l.speakerRoutes, err = legacy.ReadSpeakerRoutes(dir, a.Speakers, findings); err != nil {
		return nil, err
	}
	byStem := make(map[string]*model.Record, len(a.Records))
	for _, r := range a.Records {
		byStem[r.Stem()] = r
	}
	if l.sections, err = legacy.ReadSections(dir, byStem, findings); err != nil {
		return nil, err
	}
	l.withdrawn = withdrawn(history.Deleted, a.Records, l.redirects)
	return l, nil
}

// Cites is none: transcripts are what the other kinds cite.
func (*loaded) Cites() kind.Citations { return nil }

// Search is each record's turns, made again only when the record's
// inputs changed.
func (*loaded) Search(env *kind.Env) []kind.Source {
	a := env.Archive
	srcs := make([]kind.Source, len(a.Records))
	parallel.Do(len(a.Records), func(i int) error {
		r := a.Records[i]
		srcs[i] = kind.Source{Name: r.File, Inputs: inputs(a, r), Docs: func() []model.SearchDoc { return a.SearchDocs(r) }}
		return nil
	})
	return srcs
}

// Pages is a page per record, listing the pages citing its turns and its
// open-data files (which it owns), the side-by-side pages of bilingual
// pairs, then the speakers' pages, the redirect and withdrawn
// notices at old addresses, and the pages of each year. A record's page,
// its turns with it, is made when it is read; each list of the others
// when its first page is.
func (l *loaded) Pages(env *kind.Env) iter.Seq[content.Page] {
	a := env.Archive
	return func(yield func(content.Page) bool) {
		for _, r := range a.Records {
			akn, json := export.AKNPath(r.Slug), export.JSONPath(r.Slug)
			p := content.RecordPage(a, r, content.Extras{
				Retired: env.Ledger.Retired(r.File), CitedBy: env.CitedBy[r.Slug],
				Formats: []content.Format{
					{Name: "Akoma Ntoso", URL: akn, Type: "application/akn+xml"},
					{Name: "JSON", URL: json, Type: "application/json"},
				},
			})
			p.Owns = []string{akn, json}
			if !yield(p) {
				return
			}
		}
		for _, list := range []func() []content.Page{
			func() []content.Page { return content.ParallelPages(a) },
			func() []content.Page { return content.SpeakerPages(a) },
			func() []content.Page { return content.RedirectPages(a, l.redirects) },
			func() []content.Page { return content.WithdrawnPages(l.withdrawn) },
			func() []content.Page { return content.YearPages(a) },
		} {
			for _, p := range list() {
				if !yield(p) {
					return
				}
			}
		}
	}
}

// Static writes the `_redirects` file for hosts that read one, the
// short-link lookup of /t/, and the lookups of the previous site's speaker
// routes and section ids that the 404 page reads.
func (l *loaded) Static(env *kind.Env, dir string) error {
	if err := redirect.WriteRedirectsFile(filepath.Join(dir, "_redirects"), l.redirects); err != nil {
		return err
	}
	if err := redirect.WriteShortLinks(filepath.Join(dir, "t"), env.Ledger.Lookup(env.Archive.Records)); err != nil {
		return err
	}
	if err := legacy.WriteSpeakerShards(filepath.Join(dir, "legacy", "speakers"), l.speakerRoutes); err != nil {
		return err
	}
	if err := legacy.WriteSectionShards(filepath.Join(dir, "legacy", "sections"), l.sections); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "t", "t.js"), redirect.ShortLinkScript, 0o644)
}

// inputs digests what a record's documents are made from: its source
// bytes as this program parses them, its address, and its turns' ids and
// speakers' names, which the ledger and speakers.toml give, and their
// twins in the other language.
func inputs(a *model.Archive, r *model.Record) string {
	h := sha256.New()
	var buf []byte
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	for _, s := range []string{cache.Program(), r.Hash, r.File, r.URL(), r.DateString(), r.Title, string(r.Kind), r.Lang} {
		str(s)
	}
	for j := range r.Turns {
		t := &r.Turns[j]
		str(t.ID)
		twinURL, twinLang := a.TwinURL(r, j) // the document links to its twin
		str(twinURL)
		str(twinLang)
		str(t.Label)
		if s := a.Speakers[t.Speaker]; s != nil && t.Speaker != "" {
			str(s.Name)
		}
		buf = binary.AppendVarint(buf, int64(t.Ordinal))
		if len(buf) > 4096 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
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
