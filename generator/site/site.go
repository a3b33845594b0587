// Package site turns a prepared Hugo project into the published site: it
// lays out the project (templates, strings and assets from the embedded
// theme, generated content), runs the pinned Hugo in-process, and swaps the
// result into place only when everything succeeded, so a failed or killed
// build never leaves a half-written public/.
package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gohugoio/hugo/commands"
)

// ThemeEntries are the top-level entries of the Hugo project that Theme
// copies: configuration, templates, strings, assets and hand-written pages.
var ThemeEntries = []string{"hugo.toml", "layouts", "i18n", "assets", "content", "static"}

// Theme copies the Hugo project's ThemeEntries from theme (the embedded
// project, or the repository root in tests) into dir.
func Theme(theme fs.FS, dir string) error {
	for _, e := range ThemeEntries {
		if err := copyTree(theme, e, dir); err != nil {
			return err
		}
	}
	return nil
}

func copyTree(theme fs.FS, root, dir string) error {
	if _, err := fs.Stat(theme, root); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fs.WalkDir(theme, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		src, err := theme.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, src); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// Options for Render.
type Options struct {
	BaseURL string // absolute site URL, e.g. https://archive.example.org/
	Quiet   bool
	// Finish, when set, adds to the rendered site in stage before it is
	// published (exports too big to pass through Hugo).
	Finish func(stage string) error
	// Changes, when set and a site is already at out, render only what
	// changed and carry the rest of that site over (see Changes).
	Changes *Changes
}

// Render runs Hugo on the project in dir, writing to a fresh directory
// beside out; on success it replaces out with it, so a failed or killed
// render leaves out as it was.
func Render(dir, out string, opts Options) error {
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage) // only left behind on failure; renamed away on success
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	args := []string{"--source", dir, "--destination", stage, "--logLevel", "error", "--noBuildLock", "--cacheDir", filepath.Join(dir, ".hugo-cache")}
	if opts.BaseURL != "" {
		args = append(args, "--baseURL", opts.BaseURL)
	}
	if opts.Quiet {
		args = append(args, "--quiet")
	}
	incremental := false
	if st, err := os.Stat(out); err == nil && st.IsDir() && opts.Changes != nil {
		incremental = true
		seg := filepath.Join(dir, ".segments.toml")
		if err := os.WriteFile(seg, []byte(segmentConfig(opts.Changes)), 0o644); err != nil {
			return err
		}
		args = append(args, "--config", filepath.Join(dir, "hugo.toml")+","+seg, "--renderSegments", segment)
	}
	if err := commands.Execute(args); err != nil {
		return fmt.Errorf("hugo: %w", err)
	}
	if opts.Finish != nil {
		if err := opts.Finish(stage); err != nil {
			return err
		}
	}
	if incremental {
		return update(stage, out, opts.Changes.Drop)
	}
	return Swap(stage, out)
}

// Swap puts the finished directory stage at out: the old out is moved
// aside, stage renamed into place, and the old one removed. Renames within
// one directory are atomic, so a reader or a killed build sees either the
// old site or the new one.
func Swap(stage, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = out + ".old"
		os.RemoveAll(old)
		if err := os.Rename(out, old); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(stage, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// CleanStale removes staging directories a killed build left beside out.
func CleanStale(out string) {
	out, _ = filepath.Abs(out)
	prefix := "." + filepath.Base(out) + ".new-"
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			os.RemoveAll(filepath.Join(filepath.Dir(out), e.Name()))
		}
	}
	if _, err := os.Stat(out); err != nil {
		// A kill between the two renames of Swap: the old site is still whole.
		if _, err := os.Stat(out + ".old"); err == nil {
			os.Rename(out+".old", out)
		}
	}
}
