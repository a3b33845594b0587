package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Changes limit a render to what changed since the site at out was built:
// Hugo still reads the whole project (it needs every page for the lists),
// but renders only the pages named here and the list pages (home, sections,
// sitemaps, feeds of the home page, robots.txt, 404). The site at out is
// then updated in place: the files of the render replace theirs one by one,
// each by a rename, so a reader never sees a half-written file, and the
// files of Drop go. Replacing the whole site instead, as a full render does,
// means linking and then unlinking every one of its files, which on a busy
// disk took longer than the render. A build killed during the update leaves
// some pages new and some old; the next build, which compares with the last
// build that finished, renders the same pages again.
//
// The caller vouches that no other page's output changed: a page's output
// may depend only on its own content file and on the theme. Templates that
// list other pages belong to list pages, which are always rendered.
type Changes struct {
	// Pages are the Hugo paths of the pages whose content changed: the
	// content file's path under its language directory, without extension,
	// e.g. "/records/2020-08-12-meeting" for content/zh/records/2020-08-12-meeting.md.
	Pages []string
	// Drop are site paths the new site no longer has: a directory path
	// ending in "/" (a removed page's URL) drops the files directly in it
	// that the render did not write, any other path drops that file. A
	// page's URL directory must hold only that page's files.
	Drop []string
}

// segment is the render segment Render defines for Changes.
const segment = "ogarchive-changes"

// listKinds are rendered on every incremental build: they list other pages.
const listKinds = "{home,section,taxonomy,term,sitemap,sitemapindex,robotstxt,404}"

// segmentConfig is the Hugo configuration selecting what Changes render.
func segmentConfig(ch *Changes) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[segments.%s]\n[[segments.%s.includes]]\nkind = %q\n", segment, segment, listKinds)
	if len(ch.Pages) > 0 {
		paths := make([]string, len(ch.Pages))
		for i, p := range ch.Pages {
			paths[i] = globEscape(p)
		}
		sort.Strings(paths)
		fmt.Fprintf(&b, "[[segments.%s.includes]]\npath = %q\n", segment, "{"+strings.Join(paths, ",")+"}")
	}
	return b.String()
}

// globEscape quotes the characters Hugo's path globs treat specially.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\*?[]{},!`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// update moves the files of stage into the site at out, removes the files
// drop names that the render did not write, and removes stage.
func update(stage, out string, drop []string) error {
	written := map[string]bool{}
	err := filepath.WalkDir(stage, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(stage, path)
		written[filepath.ToSlash(rel)] = true
		return err
	})
	if err != nil {
		return err
	}
	for _, d := range drop {
		d = strings.TrimPrefix(filepath.ToSlash(d), "/")
		if d == "" {
			continue // the site root is never dropped whole
		}
		if !strings.HasSuffix(d, "/") {
			if !written[d] {
				if err := removeFile(filepath.Join(out, filepath.FromSlash(d))); err != nil {
					return err
				}
			}
			continue
		}
		dir := filepath.Join(out, filepath.FromSlash(d))
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		for _, e := range entries {
			if !e.IsDir() && !written[d+e.Name()] {
				if err := removeFile(filepath.Join(dir, e.Name())); err != nil {
					return err
				}
			}
		}
		os.Remove(dir) // only if empty: pages below it keep it
	}
	files := make([]string, 0, len(written))
	for f := range written {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		dst := filepath.Join(out, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(stage, filepath.FromSlash(f)), dst); err != nil {
			return err
		}
	}
	return os.RemoveAll(stage)
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
