package transcript

import (
	stdhtml "html"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/ogarchive/ogarchive/generator/weblink"
)

// videoSrc matches embed URLs of the video hosts found in the archive;
// iframes pointing anywhere else are dropped.
var videoSrc = regexp.MustCompile(`^https://(www\.youtube(-nocookie)?\.com/embed/|player\.vimeo\.com/video/|customer-[a-z0-9]+\.cloudflarestream\.com/|embed\.vhx\.tv/videos/)[^"'<>\s]*$`)

// policy is the allowlist for raw HTML in transcripts: line breaks, simple
// emphasis, links with safe schemes, tables and video embeds from known
// hosts. Scripts, styles, event handlers and javascript:/data: URLs never
// pass.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("br", "b", "strong", "i", "em", "u", "s", "del", "sup", "sub", "small",
		"p", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
		"table", "thead", "tbody", "tr", "th", "td", "h4", "h5", "h6")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AllowAttrs("src").Matching(videoSrc).OnElements("iframe")
	p.AllowAttrs("title").OnElements("iframe", "a")
	p.AllowAttrs("allowfullscreen").OnElements("iframe")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("td", "th")
	return p
}()

// Sanitize returns html with everything outside the allowlist removed and
// every element closed, so a fragment can neither run script nor swallow
// the rest of the page (an unclosed <table> or <b>). It is safe to insert
// the result into a page.
func Sanitize(html string) string {
	out := strings.TrimSpace(policy.Sanitize(html))
	if strings.Contains(out, "<iframe") {
		out = dropBareIframes(out)
	}
	return balance(out)
}

// body is the context a transcript fragment is parsed in.
var body = &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body}

// balance re-parses a fragment as a browser would and renders it again,
// closing whatever it left open, with every link as weblink.Check
// publishes it.
func balance(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return stdhtml.EscapeString(s)
	}
	var b strings.Builder
	for _, n := range nodes {
		fixLinks(n)
	}
	for _, n := range nodes {
		if err := xhtml.Render(&b, n); err != nil {
			return stdhtml.EscapeString(s)
		}
	}
	return b.String()
}

// linkAttr is the attribute of each element whose URL a browser follows
// or loads; the policy allows no other.
var linkAttr = map[atom.Atom]string{atom.A: "href", atom.Iframe: "src", atom.Img: "src"}

// fixLinks rewrites the URL of every link under n to what weblink.Check
// publishes. A link that cannot work keeps its text and loses its href; an
// embed that cannot, the element.
func fixLinks(n *xhtml.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		fixLinks(c)
		c = next
	}
	key, ok := linkAttr[n.DataAtom]
	if !ok || n.Type != xhtml.ElementNode {
		return
	}
	for i := 0; i < len(n.Attr); i++ {
		a := &n.Attr[i]
		if a.Namespace != "" || a.Key != key {
			continue
		}
		if r := weblink.Check(a.Val); r.OK {
			a.Val = r.URL
			continue
		}
		if n.DataAtom != atom.A && n.Parent != nil {
			n.Parent.RemoveChild(n)
			return
		}
		n.Attr = slices.DeleteFunc(n.Attr, func(a xhtml.Attribute) bool { return a.Key == key || a.Key == "rel" })
		return
	}
}

// LinkProblems returns what weblink.Check finds wrong with each link of a
// raw HTML fragment, as its author wrote it: the warnings for a
// maintainer, before Sanitize repairs or drops the links.
func LinkProblems(fragment string) []string {
	nodes, err := xhtml.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if key, ok := linkAttr[n.DataAtom]; ok && n.Type == xhtml.ElementNode {
			for _, a := range n.Attr {
				if a.Namespace == "" && a.Key == key {
					if r := weblink.Check(a.Val); r.Problem != "" {
						out = append(out, r.Problem)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

// bareIframe is an iframe whose src did not pass the allowlist.
var bareIframe = regexp.MustCompile(`<iframe(\s+(title|allowfullscreen)(="[^"]*")?)*\s*>\s*</iframe>`)

// dropBareIframes removes iframes left without a src: the policy strips a
// disallowed src but keeps the empty element.
func dropBareIframes(s string) string {
	return bareIframe.ReplaceAllString(s, "")
}

func htmlUnescape(s string) string { return stdhtml.UnescapeString(s) }
