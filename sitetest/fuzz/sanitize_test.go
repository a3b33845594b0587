package fuzz

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/ogarchive/ogarchive/generator/transcript"
)

// allowed is the sanitiser's documented allowlist: element → attributes.
var allowed = map[string]map[string]bool{
	"a":      {"href": true, "rel": true, "title": true},
	"iframe": {"src": true, "title": true, "allowfullscreen": true},
	"td":     {"align": true}, "th": {"align": true},
}

func init() {
	for _, e := range strings.Fields("br b strong i em u s del sup sub small p ul ol li blockquote code pre hr table thead tbody tr h4 h5 h6") {
		allowed[e] = map[string]bool{}
	}
}

var (
	safeHref = regexp.MustCompile(`^(?i:https?://|mailto:|[^:]*$)`)
	videoSrc = regexp.MustCompile(`^https://(www\.youtube(-nocookie)?\.com/embed/|player\.vimeo\.com/video/|customer-[a-z0-9]+\.cloudflarestream\.com/|embed\.vhx\.tv/videos/)`)
)

// hostileSeeds adds the hostile records' lines to a fuzz corpus: each is a
// payload a real attacker or a careless paste could produce.
func hostileSeeds(f *testing.F, add func(string)) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "hostile", "*.md"))
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(src), "\n") {
			if strings.ContainsAny(line, "<>[]") {
				add(line)
			}
		}
	}
}

// FuzzSanitize checks the contract of transcript.Sanitize, "safe to insert
// into a page": only allowlisted elements and attributes, links only to
// web or mail addresses, frames only from the video hosts, and markup that
// closes everything it opens, so the rest of the page (the next turn, the
// footer) stays outside it and keeps its formatting.
func FuzzSanitize(f *testing.F) {
	hostileSeeds(f, func(s string) { f.Add(s) })
	for _, s := range []string{
		`<b>bold`, `<table><tr><td>cell`, `<p><i>a</p>b`, `<ul><li>one<li>two`,
		`<iframe src="https://www.youtube.com/embed/x" allowfullscreen></iframe>`,
		`<a href="https://example.org/">x</a>`, `<pre><code>a < b</code></pre>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := transcript.Sanitize(in)
		doc, err := html.Parse(strings.NewReader(`<!doctype html><body><div id="box">` + out + `</div><p id="after">x</p>`))
		if err != nil {
			t.Fatal(err)
		}
		box, after := byID(doc, "box"), byID(doc, "after")
		if box == nil || after == nil || after.Parent == nil || after.Parent.Data != "body" {
			t.Fatalf("Sanitize(%q) = %q swallows what follows it", in, out)
		}
		if c := after.FirstChild; c == nil || c.Type != html.TextNode || c.Data != "x" || c.NextSibling != nil {
			t.Fatalf("Sanitize(%q) = %q leaks formatting into what follows it", in, out)
		}
		walk(box, func(n *html.Node) {
			if n.Type != html.ElementNode || n == box {
				return
			}
			attrs, ok := allowed[n.Data]
			if !ok {
				t.Fatalf("Sanitize(%q) = %q keeps <%s>", in, out, n.Data)
			}
			for _, a := range n.Attr {
				if !attrs[a.Key] {
					t.Fatalf("Sanitize(%q) = %q keeps %s on <%s>", in, out, a.Key, n.Data)
				}
				if a.Key == "href" && !safeHref.MatchString(strings.TrimSpace(a.Val)) {
					t.Fatalf("Sanitize(%q) = %q keeps href %q", in, out, a.Val)
				}
				if n.Data == "iframe" && a.Key == "src" && !videoSrc.MatchString(a.Val) {
					t.Fatalf("Sanitize(%q) = %q keeps a frame of %q", in, out, a.Val)
				}
			}
		})
	})
}

func byID(n *html.Node, id string) *html.Node {
	var found *html.Node
	walk(n, func(n *html.Node) {
		for _, a := range n.Attr {
			if found == nil && a.Key == "id" && a.Val == id {
				found = n
			}
		}
	})
	return found
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}
