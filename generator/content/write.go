package content

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/ogarchive/ogarchive/internal/parallel"
)

// WriteOptions tune Write.
type WriteOptions struct {
	// Project is the Hugo project whose i18n strings the turns files use;
	// "" means root's parent, where a project keeps its content directory.
	Project string
	// Previous maps each file the last Write left under root to its key
	// (Written.Keys). A file whose key is unchanged and which still exists
	// is neither rendered nor written again, so a rebuild touches only what
	// changed; a file of Previous no longer generated is removed (see Keep).
	Previous map[string]string
	// Keep leaves the files of Previous that are not generated now.
	Keep bool
}

// Written says what Write did.
type Written struct {
	Keys    map[string]string   // every generated file (slash path under root) → key of its content
	URLs    map[string]string   // every page with a url in its front matter: path → url
	Owns    map[string][]string // every page that owns files (Page.Owns): path → them
	Changed []string            // files written: new, or different from Previous; sorted
	Removed []string            // files of Previous no longer generated, now removed; sorted
}

// Write writes pages under root, the content directory of a Hugo project,
// concurrently: each page's content file and, for a record, its turns file
// (see TurnsSuffix). Pages are written as they are made, and let go.
func Write(root string, pages iter.Seq[Page], opts WriteOptions) (Written, error) {
	w, err := NewWriter(root, opts)
	if err != nil {
		return Written{}, err
	}
	if err := w.Write(pages); err != nil {
		return Written{}, err
	}
	return w.Close()
}

// A Writer is Write in parts: the pages of one part may be made after an
// earlier part's are written, from what is left of the build by then. The
// files of Previous that no part wrote are removed when it closes.
type Writer struct {
	root  string
	opts  WriteOptions
	turns *turnsRenderer

	mu      sync.Mutex
	keys    map[string]string
	urls    map[string]string
	owns    map[string][]string
	changed []string
	removed []string
}

// NewWriter starts writing pages under root (see Write).
func NewWriter(root string, opts WriteOptions) (*Writer, error) {
	if opts.Project == "" {
		opts.Project = filepath.Dir(root)
	}
	w := &Writer{root: root, opts: opts, keys: map[string]string{}, urls: map[string]string{}, owns: map[string][]string{}}
	var err error
	if w.turns, err = newTurnsRenderer(opts.Project); err != nil {
		return nil, err
	}
	return w, nil
}

// Write writes one part's pages, concurrently, as they are made.
func (w *Writer) Write(pages iter.Seq[Page]) error {
	return parallel.Each(pages, w.page)
}

// Close ends the writing and says what was done.
func (w *Writer) Close() (Written, error) {
	if !w.opts.Keep {
		for path := range w.opts.Previous {
			if _, ok := w.keys[path]; ok {
				continue
			}
			if err := os.Remove(filepath.Join(w.root, filepath.FromSlash(path))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return Written{}, err
			}
			w.removed = append(w.removed, path)
		}
	}
	sort.Strings(w.changed)
	sort.Strings(w.removed)
	return Written{Keys: w.keys, URLs: w.urls, Owns: w.owns, Changed: w.changed, Removed: w.removed}, nil
}

func (w *Writer) page(p Page) error {
	b, err := p.encode()
	if err != nil {
		return err
	}
	if u := frontURL(p.Front); u != "" || len(p.Owns) > 0 {
		w.mu.Lock()
		if u != "" {
			w.urls[p.Path] = u
		}
		if len(p.Owns) > 0 {
			w.owns[p.Path] = p.Owns
		}
		w.mu.Unlock()
	}
	sum := sha256.Sum256(b)
	if err := w.file(p.Path, hex.EncodeToString(sum[:16]), func() ([]byte, error) { return b, nil }); err != nil {
		return err
	}
	lang := HugoLang(strings.SplitN(p.Path, "/", 2)[0])
	switch f := p.Front.(type) {
	case RecordFront:
		if f.TurnsFile == "" {
			return nil
		}
		return w.file(turnsPath(p.Path), w.turns.key(lang, f.Turns), func() ([]byte, error) {
			return w.turns.render(lang, f.Turns)
		})
	case ParallelFront:
		if f.TurnsFile == "" {
			return nil
		}
		return w.file(turnsPath(p.Path), w.turns.parallelKey(lang, f.Rows), func() ([]byte, error) {
			return w.turns.tmpl[lang].exec.runParallel(f.Rows)
		})
	}
	return nil
}

// file writes path unless the previous build left it with the same key.
func (w *Writer) file(path, key string, data func() ([]byte, error)) error {
	w.mu.Lock()
	w.keys[path] = key
	prev, had := w.opts.Previous[path]
	w.mu.Unlock()
	full := filepath.Join(w.root, filepath.FromSlash(path))
	if had && prev == key {
		if _, err := os.Stat(full); err == nil {
			return nil
		}
	}
	b, err := data()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(full, b, 0o644); err != nil {
		return err
	}
	w.mu.Lock()
	w.changed = append(w.changed, path)
	w.mu.Unlock()
	return nil
}

// turnsPath is where the turns of the record page at path go.
func turnsPath(path string) string { return strings.TrimSuffix(path, ".md") + TurnsSuffix }

// turnsRenderer renders turns files with one project's strings.
type turnsRenderer struct {
	tmpl map[string]*turnsLang
}

type turnsLang struct {
	exec *templateExec
	salt string // template and strings, part of every key
}

func newTurnsRenderer(project string) (*turnsRenderer, error) {
	strs := i18n(project)
	r := &turnsRenderer{tmpl: map[string]*turnsLang{}}
	for _, lang := range []string{defaultLang, "en"} {
		t, err := newTemplateExec(strs, lang)
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		io.WriteString(h, turnsSource)
		io.WriteString(h, parallelSource)
		keys := make([]string, 0, len(strs[lang]))
		for k := range strs[lang] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			io.WriteString(h, "\x00"+k+"\x00"+strs[lang][k])
		}
		r.tmpl[lang] = &turnsLang{exec: t, salt: string(h.Sum(nil))}
	}
	return r, nil
}

func (r *turnsRenderer) render(lang string, turns []TurnFront) ([]byte, error) {
	return r.tmpl[lang].exec.run(turns)
}

// key identifies what a turns file would hold without rendering it: the
// template, the strings and every field of every turn.
func (r *turnsRenderer) key(lang string, turns []TurnFront) string {
	h := sha256.New()
	field(h, r.tmpl[lang].salt)
	for i := range turns {
		hashTurn(h, &turns[i])
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// parallelKey is key for the rows of a side-by-side page.
func (r *turnsRenderer) parallelKey(lang string, rows []ParallelRow) string {
	h := sha256.New()
	field(h, "parallel", r.tmpl[lang].salt)
	for i := range rows {
		row := &rows[i]
		field(h, "\x04"+strconv.Itoa(row.N), row.OwnURL, row.OtherURL, row.OtherLang)
		for _, t := range []*TurnFront{row.Own, row.Other} {
			if t != nil {
				hashTurn(h, t)
			}
			field(h, "\x05")
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// hashTurn adds every field of t to h.
func hashTurn(h hash.Hash, t *TurnFront) {
	field(h, "\x01"+t.ID, strconv.Itoa(t.N), t.Label, t.Speaker, t.Key, t.Role, t.Twin, t.TwinID, t.TwinLang)
	field(h, t.Retired...)
	for _, c := range t.CitedBy {
		field(h, "\x02"+c.Title, c.URL, c.Kind)
	}
	for _, b := range t.Blocks {
		field(h, "\x03"+b.Kind, b.HTML)
	}
}

func field(h hash.Hash, ss ...string) {
	for _, s := range ss {
		// Hashed in place: io.WriteString would copy every block's HTML.
		h.Write(unsafe.Slice(unsafe.StringData(s), len(s)))
		h.Write([]byte{0})
	}
}

// frontURL is the url field of front matter (tagged `toml:"url"`), where
// Hugo publishes the page.
func frontURL(front any) string {
	v := reflect.ValueOf(front)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("toml"), ",")
		if name == "url" && v.Field(i).Kind() == reflect.String {
			return v.Field(i).String()
		}
	}
	return ""
}
