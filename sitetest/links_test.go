package sitetest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
)

// TestLinks checks every internal link, anchor and redirect of the built
// sites: the default records, the hostile records and the real corpus.
func TestLinks(t *testing.T) {
	for _, s := range []*builtSite{defaultSite, hostileSite, sampleSite, historySite, corpusSite} {
		t.Run(s.name, func(t *testing.T) {
			dir := s.Dir(t)
			problems, pages, links, err := checkLinks(dir, baseURL)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d pages, %d internal links", pages, links)
			if pages == 0 || links == 0 {
				t.Fatalf("found %d pages and %d links: the checker read nothing", pages, links)
			}
			reportProblems(t, problems)
		})
	}
}

// TestLinkChecker proves the checker finds each kind of broken link in a
// small hand-made site, and accepts the good ones.
func TestLinkChecker(t *testing.T) {
	problems, _, _, err := checkLinks(filepath.Join("testdata", "links"), "https://site.example/")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{
		"/: broken link → /missing/ (no such page)",
		"/: broken anchor → /a/#nowhere (no id \"nowhere\" in /a/)",
		"/: broken link → /img/missing.png (no such file)",
		"/: broken link → /a (directory without trailing slash: a redirect)",
		"/: empty anchor → # (href=\"#\" leads nowhere)",
		"/: broken link → /%E4%B8%8D%E5%AD%98%E5%9C%A8/ (no such page)",
		"/: broken link → /missing.css (no such file)",
		"/: duplicate id \"twice\" (2 elements)",
		"/a/: broken link → /missing/ (no such page)",
		"/old/: broken redirect → /gone/ (no such page)",
		"/sitemap.xml: broken link → /nowhere/ (no such page)",
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("checker found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// reportProblems prints at most 50 problems, then how many there were.
func reportProblems(t *testing.T, problems []linkProblem) {
	t.Helper()
	for i, p := range problems {
		if i == 50 {
			t.Errorf("… and %d more", len(problems)-50)
			break
		}
		t.Error(p)
	}
}

// linkProblem is one broken link, anchor or redirect, or an id that makes
// anchors ambiguous.
type linkProblem struct {
	Page   string // site path of the page holding the link
	Kind   string // "broken link", "broken anchor", "broken redirect", "empty anchor", "duplicate id"
	Target string // the link as written, made absolute, or the id
	Why    string
}

func (p linkProblem) String() string {
	if p.Kind == "duplicate id" {
		return fmt.Sprintf("%s: duplicate id %q (%s)", p.Page, p.Target, p.Why)
	}
	return fmt.Sprintf("%s: %s → %s (%s)", p.Page, p.Kind, p.Target, p.Why)
}

// pageInfo is what one file contributes: its ids and its outgoing links.
type pageInfo struct {
	ids   map[string]int
	links []link
}

type link struct {
	raw      string // as written
	redirect bool   // from a meta refresh: an alias page
}

// checkLinks reads every HTML page and XML file (sitemaps, feeds) under
// dir and checks each link that stays on the site (relative, root-relative,
// or absolute under base): the target file must exist, a directory link
// must end in '/', and a fragment must name an id of the target page.
// It returns the problems sorted, and how many pages and links it read.
func checkLinks(dir, base string) (problems []linkProblem, pages, links int, err error) {
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, 0, 0, err
	}
	var files []string
	site := siteFiles{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		site[filepath.ToSlash(rel)] = d.IsDir()
		if !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".xml")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, 0, 0, err
	}
	infos := make(map[string]*pageInfo, len(files))
	var mu sync.Mutex
	jobs := make(chan string)
	errs := make(chan error, len(files))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range jobs {
				info, err := readPage(f)
				if err != nil {
					errs <- fmt.Errorf("%s: %w", f, err)
					continue
				}
				rel, _ := filepath.Rel(dir, f)
				mu.Lock()
				infos[filepath.ToSlash(rel)] = info
				mu.Unlock()
			}
		})
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, 0, 0, err
	}

	for rel, info := range infos {
		page := sitePath(rel)
		if strings.HasSuffix(rel, ".html") {
			pages++
		}
		for id, n := range info.ids {
			if n > 1 {
				problems = append(problems, linkProblem{page, "duplicate id", id, fmt.Sprintf("%d elements", n)})
			}
		}
		pageURL := baseURL.ResolveReference(&url.URL{Path: page})
		for _, l := range info.links {
			p, ok := checkLink(site, infos, baseURL, pageURL, l)
			if ok {
				links++
			}
			if p != nil {
				p.Page = page
				problems = append(problems, *p)
			}
		}
	}
	sort.Slice(problems, func(i, j int) bool { return problems[i].String() < problems[j].String() })
	return problems, pages, links, nil
}

// eachPage calls f with the path a reader sees and the bytes of every
// HTML file of the site in dir.
func eachPage(dir string, f func(page string, data []byte) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		return f(sitePath(filepath.ToSlash(rel)), data)
	})
}

// sitePath turns a file path relative to the site root into the path a
// reader sees: "a/index.html" → "/a/", "feed.xml" → "/feed.xml".
func sitePath(rel string) string {
	if rel == "index.html" {
		return "/"
	}
	if strings.HasSuffix(rel, "/index.html") {
		return "/" + strings.TrimSuffix(rel, "index.html")
	}
	return "/" + rel
}

// siteFiles maps every path under the site root ("a/index.html") to
// whether it is a directory: the checker looks targets up here, not on disk.
type siteFiles map[string]bool

// checkLink checks one link; internal reports whether it stays on the site.
func checkLink(site siteFiles, infos map[string]*pageInfo, base, page *url.URL, l link) (p *linkProblem, internal bool) {
	raw := strings.TrimSpace(l.raw)
	kind := "broken link"
	if l.redirect {
		kind = "broken redirect"
	}
	if raw == "#" {
		return &linkProblem{Kind: "empty anchor", Target: "#", Why: `href="#" leads nowhere`}, true
	}
	ref, err := url.Parse(raw)
	if err != nil {
		return &linkProblem{Kind: kind, Target: raw, Why: "unparseable: " + err.Error()}, true
	}
	u := page.ResolveReference(ref)
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return nil, false
	}
	// The target made absolute: what a reader's browser asks for.
	shown := u.EscapedPath()
	if u.Fragment != "" {
		shown += "#" + u.EscapedFragment()
	}
	if !strings.HasPrefix(u.Path, base.Path) {
		return &linkProblem{Kind: kind, Target: shown, Why: "outside the site's base path"}, true
	}
	rel := strings.TrimPrefix(u.Path, base.Path)
	target := path.Clean("/" + rel)[1:] // file path under dir; Clean stops at the root
	if strings.HasSuffix(u.Path, "/") {
		target = path.Join(target, "index.html")
	}
	isDir, exists := site[target]
	switch {
	case !exists && strings.HasSuffix(target, "index.html"):
		return &linkProblem{Kind: kind, Target: shown, Why: "no such page"}, true
	case !exists:
		return &linkProblem{Kind: kind, Target: shown, Why: "no such file"}, true
	case isDir:
		if _, ok := site[path.Join(target, "index.html")]; ok {
			return &linkProblem{Kind: kind, Target: shown, Why: "directory without trailing slash: a redirect"}, true
		}
		return &linkProblem{Kind: kind, Target: shown, Why: "a directory with no index.html"}, true
	}
	if u.Fragment == "" {
		return nil, true
	}
	info := infos[target]
	if info == nil {
		return &linkProblem{Kind: "broken anchor", Target: shown, Why: "fragment on a file that is not a page"}, true
	}
	if info.ids[u.Fragment] == 0 {
		return &linkProblem{Kind: "broken anchor", Target: shown, Why: fmt.Sprintf("no id %q in %s", u.Fragment, sitePath(target))}, true
	}
	return nil, true
}

// readPage collects the ids and links of an HTML page, or the links of an
// XML file.
func readPage(file string) (*pageInfo, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(file, ".xml") {
		return readXML(data)
	}
	info := &pageInfo{ids: map[string]int{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return info, nil
			}
			return nil, z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			var refresh bool
			for _, a := range tok.Attr {
				if a.Key == "http-equiv" && strings.EqualFold(a.Val, "refresh") {
					refresh = true
				}
			}
			for _, a := range tok.Attr {
				switch {
				case a.Key == "id":
					info.ids[a.Val]++
				case a.Key == "name" && tok.Data == "a":
					info.ids[a.Val]++
				case linkAttr(tok.Data, a.Key):
					info.links = append(info.links, link{raw: a.Val})
				case refresh && a.Key == "content":
					if u, ok := refreshURL(a.Val); ok {
						info.links = append(info.links, link{raw: u, redirect: true})
					}
				}
			}
		}
	}
}

// linkAttr reports whether attribute key of element tag is a URL a reader
// or the browser follows.
func linkAttr(tag, key string) bool {
	switch key {
	case "href":
		return tag == "a" || tag == "link" || tag == "area" || tag == "base"
	case "src":
		return tag == "script" || tag == "img" || tag == "iframe" || tag == "source" || tag == "video" || tag == "audio" || tag == "track" || tag == "embed"
	case "action":
		return tag == "form"
	case "formaction":
		return tag == "button" || tag == "input"
	case "poster":
		return tag == "video"
	case "data":
		return tag == "object"
	}
	return false
}

var refreshRe = regexp.MustCompile(`(?i)^\s*\d+\s*[;,]\s*url\s*=\s*['"]?([^'"]*)['"]?\s*$`)

// refreshURL extracts the target of a meta refresh: "0; url=/new/".
func refreshURL(content string) (string, bool) {
	m := refreshRe.FindStringSubmatch(content)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// readXML collects the links of a sitemap (<loc>) or an Atom feed
// (<link href>, <id> holding a URL).
func readXML(data []byte) (*pageInfo, error) {
	info := &pageInfo{ids: map[string]int{}}
	d := xml.NewDecoder(bytes.NewReader(data))
	var inLoc bool
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return info, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inLoc = tok.Name.Local == "loc"
			if tok.Name.Local == "link" {
				for _, a := range tok.Attr {
					if a.Name.Local == "href" {
						info.links = append(info.links, link{raw: a.Value})
					}
				}
			}
		case xml.CharData:
			if inLoc {
				info.links = append(info.links, link{raw: strings.TrimSpace(string(tok))})
			}
		case xml.EndElement:
			inLoc = false
		}
	}
}
