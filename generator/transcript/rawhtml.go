package transcript

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/yuin/goldmark/ast"
)

// unclosed are the raw HTML constructs CommonMark lets run to the end of
// the file when their end marker never comes: one stray `<!--` would hide
// every later turn.
var unclosed = []struct {
	open  *regexp.Regexp
	close string
}{
	{regexp.MustCompile(`<!--`), "-->"},
	{regexp.MustCompile(`(?i)<script[\s>]`), "</script>"},
	{regexp.MustCompile(`(?i)<style[\s>]`), "</style>"},
	{regexp.MustCompile(`(?i)<pre[\s>]`), "</pre>"},
	{regexp.MustCompile(`(?i)<textarea[\s>]`), "</textarea>"},
}

// neutralizeUnclosed escapes the `<` of every such opener with no end
// after it, so it shows as text and the turns after it survive, and says
// where it was.
func neutralizeUnclosed(file string, src []byte, diags *diag.List, lineOf func(int) int) []byte {
	lower := bytes.ToLower(src)
	var cut []int
	for _, u := range unclosed {
		for _, loc := range u.open.FindAllIndex(src, -1) {
			if !bytes.Contains(lower[loc[1]:], []byte(u.close)) {
				cut = append(cut, loc[0])
				diags.Warnf(file, lineOf(loc[0]), "%s is never closed with %s; it would hide the rest of the file, so it is shown as text. Close it or remove it", strings.TrimSpace(string(src[loc[0]:loc[1]])), u.close)
			}
		}
	}
	if len(cut) == 0 {
		return src
	}
	out := make([]byte, 0, len(src)+4*len(cut))
	prev := 0
	for _, at := range sortedUnique(cut) {
		out = append(out, src[prev:at]...)
		out = append(out, "&lt;"...)
		prev = at + 1
	}
	return append(out, src[prev:]...)
}

func sortedUnique(xs []int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}

var (
	scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	// fileLike is a relative file name, not a host: "four-tests-checklist.md".
	fileLike   = regexp.MustCompile(`(?i)^[^/?#]+\.(md|markdown|html?|pdf|txt|png|jpe?g|gif|docx?|xlsx?|csv)$`)
	domainLike = regexp.MustCompile(`^(www\.)?[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}(/|$|\?|#)`)
)

// fixLinks makes a transcript's links work on the archive site: a bare
// domain (`audreyt.org/…`) gets https://, other relative links, which would
// point into the archive where nothing is, lose their link (the text
// stays) with a warning, and images become links to the picture, since the
// site's Content-Security-Policy loads no images from elsewhere.
func (p *parser) fixLinks(doc ast.Node) {
	var images []*ast.Image
	var drop []*ast.Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !p.fixDestination(n, &n.Destination) {
				drop = append(drop, n)
			}
		case *ast.Image:
			images = append(images, n)
		}
		return ast.WalkContinue, nil
	})
	for _, l := range drop {
		parent := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, l, c)
			c = next
		}
		parent.RemoveChild(parent, l)
	}
	for _, img := range images {
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		if !p.fixDestination(img, &link.Destination) {
			link = nil
		}
		alt := strings.TrimSpace(p.plain(img))
		if alt == "" {
			alt = "image"
		}
		label := ast.NewString([]byte("🖼 " + alt))
		parent := img.Parent()
		if link == nil {
			parent.ReplaceChild(parent, img, label)
			continue
		}
		link.AppendChild(link, label)
		parent.ReplaceChild(parent, img, link)
	}
}

// fixDestination rewrites a relative destination in place and reports
// whether the link should stay.
func (p *parser) fixDestination(n ast.Node, dest *[]byte) bool {
	d := strings.TrimSpace(string(*dest))
	switch {
	case d == "", strings.HasPrefix(d, "#"), strings.HasPrefix(d, "/"), scheme.MatchString(d):
		return true
	case domainLike.MatchString(d) && !fileLike.MatchString(d):
		*dest = []byte("https://" + d)
		return true
	}
	p.diags.Warnf(p.file, p.line(n.Parent()), "link %q is relative and leads nowhere on the archive site; write a full URL (https://…)", d)
	return false
}
