package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// headerRule is one rule of a site's _headers file: the headers to set on
// the addresses a pattern matches.
type headerRule struct {
	pattern string // a path, or a prefix ending in "*"
	headers [][2]string
}

// readHeaders reads the _headers file of the site in dir, in the format
// Cloudflare Pages and Netlify read: a line starting with "/" is a
// pattern, the indented "Name: value" lines under it its headers; "#"
// starts a comment. A site without one has no rules.
func readHeaders(dir string) []headerRule {
	f, err := os.Open(filepath.Join(dir, "_headers"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var rules []headerRule
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		t := strings.TrimSpace(line)
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
		case !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t"):
			rules = append(rules, headerRule{pattern: t})
		case len(rules) > 0:
			if name, value, ok := strings.Cut(t, ":"); ok {
				r := &rules[len(rules)-1]
				r.headers = append(r.headers, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
			}
		}
	}
	return rules
}

// matches reports whether the rule's pattern matches an URL path.
func (r headerRule) matches(urlPath string) bool {
	if prefix, ok := strings.CutSuffix(r.pattern, "*"); ok {
		return strings.HasPrefix(urlPath, prefix)
	}
	return urlPath == r.pattern
}

// compressible are the file types a static host sends gzipped, with
// their Content-Type.
var compressible = map[string]string{
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
	".js": "text/javascript; charset=utf-8", ".json": "application/json",
	".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
	".webmanifest": "application/manifest+json", ".atom": "application/atom+xml",
	".tsv": "text/tab-separated-values; charset=utf-8",
}

// gzipped keeps each file's compressed bytes by path and modification
// time: pages are compressed once, not on every request.
type gzipped struct {
	mu    sync.Mutex
	files map[string]gzEntry
}

type gzEntry struct {
	mod  int64
	data []byte
}

// get returns the file at p gzipped, or false when it cannot be read.
func (g *gzipped) get(p string) ([]byte, bool) {
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	g.mu.Lock()
	e, ok := g.files[p]
	g.mu.Unlock()
	if ok && e.mod == st.ModTime().UnixNano() {
		return e.data, true
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw) // to a bytes.Buffer: cannot fail
	zw.Close()
	g.mu.Lock()
	if g.files == nil {
		g.files = map[string]gzEntry{}
	}
	g.files[p] = gzEntry{mod: st.ModTime().UnixNano(), data: buf.Bytes()}
	g.mu.Unlock()
	return buf.Bytes(), true
}

// hostLike wraps a file server with what static hosts add to it: the
// headers of the site's _headers file, and gzip for text files asked for
// whole by a client that accepts it (a range request gets the bytes of
// the file itself, as hosts send them).
func hostLike(dir string, files http.Handler) http.Handler {
	rules := readHeaders(dir)
	gz := &gzipped{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rule := range rules {
			if rule.matches(r.URL.Path) {
				for _, h := range rule.headers {
					w.Header().Set(h[0], h[1])
				}
			}
		}
		name := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if strings.HasSuffix(r.URL.Path, "/") {
			name = filepath.Join(name, "index.html")
		}
		ct, ok := compressible[path.Ext(name)]
		if ok && r.Header.Get("Range") == "" && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") &&
			(r.Method == http.MethodGet || r.Method == http.MethodHead) {
			if data, ok := gz.get(name); ok {
				w.Header().Set("Content-Type", ct)
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Add("Vary", "Accept-Encoding")
				if r.Method == http.MethodGet {
					w.Write(data)
				}
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}
