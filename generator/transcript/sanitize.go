package transcript

import (
	stdhtml "html"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
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
// closing whatever it left open.
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
		if err := xhtml.Render(&b, n); err != nil {
			return stdhtml.EscapeString(s)
		}
	}
	return b.String()
}

// bareIframe is an iframe whose src did not pass the allowlist.
var bareIframe = regexp.MustCompile(`<iframe(\s+(title|allowfullscreen)(="[^"]*")?)*\s*>\s*</iframe>`)

// dropBareIframes removes iframes left without a src: the policy strips a
// disallowed src but keeps the empty element.
func dropBareIframes(s string) string {
	return bareIframe.ReplaceAllString(s, "")
}

func htmlUnescape(s string) string { return stdhtml.UnescapeString(s) }
