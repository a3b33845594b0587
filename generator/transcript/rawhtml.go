package transcript

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/weblink"
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

// fixLinks makes a transcript's links work on the archive site, as
// weblink.Check decides: a bare domain (`audreyt.org/…`) gets https://, a
// doubled or mistyped scheme is repaired, and a link that cannot work (a
// relative one, which would point into the archive where nothing is, an
// unknown scheme, a host that cannot be one) loses its link while its text
// stays; each with a warning naming the fix. Images become links to the
// picture, since the site's Content-Security-Policy loads no images from
// elsewhere.
func (p *parser) fixLinks(doc ast.Node) {
	var images []*ast.Image
	var drop []*ast.Link
	var autos []*ast.AutoLink
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
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				autos = append(autos, n)
			}
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
	for _, a := range autos {
		// An autolink's text is its URL as written; a repaired one keeps
		// that text and links to the repair.
		label := a.Label(p.src)
		dest := a.URL(p.src)
		parent := a.Parent()
		if !p.fixDestination(a, &dest) {
			parent.ReplaceChild(parent, a, ast.NewString(label))
			continue
		}
		if string(dest) != string(a.URL(p.src)) {
			link := ast.NewLink()
			link.Destination = dest
			link.AppendChild(link, ast.NewString(label))
			parent.ReplaceChild(parent, a, link)
		}
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

// fixDestination sets a link's destination to what weblink.Check
// publishes, warns of what was wrong with it, and reports whether the link
// should stay.
func (p *parser) fixDestination(n ast.Node, dest *[]byte) bool {
	r := weblink.Check(string(*dest))
	if r.Problem != "" {
		line := p.line(n) // the link's text; an autolink has none
		if line == 0 {
			line = p.line(n.Parent())
		}
		p.diags.Warnf(p.file, line, "%s", r.Problem)
	}
	if r.OK {
		*dest = []byte(r.URL)
	}
	return r.OK
}
