package transcript

import (
	stdhtml "html"
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

// Sanitize returns html with everything outside the allowlist removed.
// It is safe to insert the result into a page.
func Sanitize(html string) string {
	out := policy.Sanitize(html)
	if strings.Contains(out, "<iframe") {
		out = dropBareIframes(out)
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
