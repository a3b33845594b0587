package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/cache"
	"github.com/ogarchive/ogarchive/generator/content"
	"github.com/ogarchive/ogarchive/generator/export"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/site"
)

// incremental carries what a build reuses from the previous one (see
// generator/cache): parsed transcripts, the Hugo work directory with the
// pages that did not change, and the published site, of which only the
// changed pages are rendered again. Without a cache directory, or when the
// theme, the program or the site URL changed, every build is cold.
type incremental struct {
	c    *cache.Cache // nil: no cache
	warm bool         // the work directory and the site at out can be reused
	sig  string       // theme, program and site URL of this build

	written content.Written
	static  map[string]string // files of the work directory's static/: path → hash
}

// Names of what the cache keeps for the site.
const (
	filesContent = "content"
	filesURLs    = "urls"
	filesOwned   = "owned"
	filesStatic  = "static"
	valueSite    = "site"
)

func openIncremental(opts Options) *incremental {
	inc := &incremental{}
	if opts.Cache == "" {
		return inc
	}
	c, err := cache.Open(opts.Cache)
	if err != nil {
		return inc // builds without a cache, from scratch
	}
	inc.c = c
	inc.sig = siteSignature(opts)
	_, errWork := os.Stat(filepath.Join(opts.Work, "content"))
	_, errOut := os.Stat(opts.Out)
	inc.warm = c.Warm() && c.Value(valueSite) == inc.sig && errWork == nil && errOut == nil
	return inc
}

// siteSignature changes whenever every page may render differently.
func siteSignature(opts Options) string {
	h := sha256.New()
	io.WriteString(h, cache.Program()+"\x00"+opts.BaseURL+"\x00")
	if opts.Theme != nil {
		fs.WalkDir(opts.Theme, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := fs.ReadFile(opts.Theme, path)
			if err != nil {
				return err
			}
			io.WriteString(h, path+"\x00")
			h.Write(b)
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// records is the parse cache for records.Load, or nil.
func (inc *incremental) records() records.Cache {
	if inc.c == nil {
		return nil
	}
	return inc.c
}

// prepare readies the work directory: kept when warm, except static/,
// which is written whole each build; emptied otherwise.
func (inc *incremental) prepare(work string) error {
	if inc.warm {
		return os.RemoveAll(filepath.Join(work, "static"))
	}
	return os.RemoveAll(work)
}

// contentWriter starts writing the pages under root, only those that
// changed when warm.
func (inc *incremental) contentWriter(root string) (*content.Writer, error) {
	prev := map[string]string{}
	if inc.warm {
		prev = inc.c.Files(filesContent)
	}
	return content.NewWriter(root, content.WriteOptions{Previous: prev})
}

// contentWritten notes what w wrote, once every page is written.
func (inc *incremental) contentWritten(w *content.Writer) error {
	var err error
	inc.written, err = w.Close()
	return err
}

// noteStatic remembers the files of the work directory's static/, which
// Hugo copies into the site as they are.
func (inc *incremental) noteStatic(dir string) error {
	inc.static = map[string]string{}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sum := sha256.Sum256(b)
		inc.static[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:16])
		return nil
	})
}

// changeSet is what changed since the last build, worked out once, when
// the content is written, for the stages after: what Hugo renders, what
// goes from the site, and which records' open-data files are written.
// (The index needs none: each source's documents are remembered by a
// digest of their inputs, see indexDocs.)
type changeSet struct {
	// none: nothing Hugo reads changed, so the published site is this
	// build's already.
	none bool
	// site is what Hugo renders and the site drops; nil renders all.
	site *site.Changes
	// export limits the open-data export of a rebuild to the records
	// whose transcript or page changed; nil exports all.
	export []func(*model.Record) bool
}

// changeSet works out what changed: everything on a cold build.
func (inc *incremental) changeSet() changeSet {
	if !inc.warm {
		return changeSet{}
	}
	return changeSet{none: inc.unchanged(), site: inc.siteChanges(), export: inc.exportOnly()}
}

// siteChanges is what a warm build has Hugo render and the site drop.
func (inc *incremental) siteChanges() *site.Changes {
	ch := &site.Changes{}
	pages := map[string]bool{}
	for _, p := range append(append([]string(nil), inc.written.Changed...), inc.written.Removed...) {
		pages[hugoPath(p)] = true
	}
	for p := range pages {
		ch.Pages = append(ch.Pages, p)
	}
	sort.Strings(ch.Pages)

	// A page rendered again writes all its files anew: what it no longer
	// has (a feed, when a speaker is down to one meeting) must not stay.
	for _, p := range inc.written.Changed {
		if u := inc.written.URLs[pagePath(p)]; u != "" {
			ch.Drop = append(ch.Drop, u)
		}
	}
	// A page's files go when it moved or went away, and so do the files
	// made outside Hugo that no page owns now (a deleted record's
	// open-data exports).
	cur := map[string]bool{}
	for _, u := range inc.written.URLs {
		cur[u] = true
	}
	for _, u := range inc.c.Files(filesURLs) {
		if !cur[u] {
			ch.Drop = append(ch.Drop, u)
		}
	}
	owned := map[string]bool{}
	for _, files := range inc.written.Owns {
		for _, f := range files {
			owned[f] = true
		}
	}
	for _, files := range inc.c.Files(filesOwned) {
		for _, f := range strings.Split(files, "\n") {
			if !owned[f] {
				ch.Drop = append(ch.Drop, f)
			}
		}
	}
	for path := range inc.c.Files(filesStatic) {
		if _, ok := inc.static[path]; !ok {
			ch.Drop = append(ch.Drop, "/"+path)
		}
	}
	sort.Strings(ch.Drop)
	ch.Drop = slices.Compact(ch.Drop)
	return ch
}

// unchanged reports whether the site at out is already what this warm
// build would render: nothing Hugo reads changed.
func (inc *incremental) unchanged() bool {
	if len(inc.written.Changed) > 0 || len(inc.written.Removed) > 0 {
		return false
	}
	prev := inc.c.Files(filesStatic)
	if len(prev) != len(inc.static) {
		return false
	}
	for p, k := range inc.static {
		if prev[p] != k {
			return false
		}
	}
	return true
}

// exportOnly is the records of a warm build whose transcript changed or
// whose page, which owns its open-data files, did.
func (inc *incremental) exportOnly() []func(*model.Record) bool {
	changed := map[string]bool{}
	ch := inc.c.Changes()
	for _, f := range append(ch.Added, ch.Changed...) {
		changed[f] = true
	}
	owned := map[string]bool{}
	for _, p := range inc.written.Changed {
		for _, f := range inc.written.Owns[pagePath(p)] {
			owned[f] = true
		}
	}
	return []func(*model.Record) bool{func(r *model.Record) bool {
		return changed[r.File] || owned[export.AKNPath(r.Slug)] || owned[export.JSONPath(r.Slug)]
	}}
}

// pagePath is the content file of the page a generated file belongs to:
// a record's turns file belongs to its page.
func pagePath(file string) string {
	if f, ok := strings.CutSuffix(file, content.TurnsSuffix); ok {
		return f + ".md"
	}
	return file
}

// save records this build in the cache, once the site is published.
func (inc *incremental) save() error {
	if inc.c == nil {
		return nil
	}
	inc.c.SetFiles(filesContent, inc.written.Keys)
	inc.c.SetFiles(filesURLs, inc.written.URLs)
	owns := make(map[string]string, len(inc.written.Owns))
	for p, files := range inc.written.Owns {
		owns[p] = strings.Join(files, "\n")
	}
	inc.c.SetFiles(filesOwned, owns)
	inc.c.SetFiles(filesStatic, inc.static)
	inc.c.SetValue(valueSite, inc.sig)
	return inc.c.Save()
}

// hugoPath is the Hugo page path of a generated file: its path under the
// language directory, without extension ("zh/records/x.md" → "/records/x").
func hugoPath(file string) string {
	_, rest, _ := strings.Cut(file, "/")
	rest = strings.TrimSuffix(strings.TrimSuffix(rest, content.TurnsSuffix), ".md")
	rest = strings.TrimSuffix(rest, "/_index")
	return "/" + rest
}
