package sitetest

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestContentSecurityPolicy checks every page of the built sites against
// the policy the page itself declares: each page carries the policy in a
// <meta> before anything it loads, and nothing in the markup (scripts,
// styles, images, frames, plugins, forms, event handlers, javascript:
// URLs) needs more than the policy allows. The browser tests see the
// violations of the pages they visit; this sees every page, the corpus's
// included. The _headers file serves the same policy.
func TestContentSecurityPolicy(t *testing.T) {
	for _, s := range []*builtSite{defaultSite, hostileSite, sampleSite, historySite, corpusSite} {
		t.Run(s.name, func(t *testing.T) {
			dir := s.Dir(t)
			self, _ := url.Parse(baseURL)
			var declared string
			pages, bad := 0, 0
			err := eachPage(dir, func(page string, data []byte) error {
				csp, problems := pagePolicy(data)
				if csp == "" && isRedirectPage(data) {
					return nil // an alias page: a refresh and nothing else
				}
				pages++
				if declared == "" {
					declared = csp
				} else if csp != declared {
					problems = append(problems, fmt.Sprintf("policy %q differs from the site's %q", csp, declared))
				}
				problems = append(problems, cspViolations(data, parsePolicy(csp), self)...)
				for _, pr := range problems {
					if bad++; bad <= 50 {
						t.Errorf("%s: %s", page, pr)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if bad > 50 {
				t.Errorf("… %d problems in all", bad)
			}
			if pages == 0 || declared == "" {
				t.Fatalf("%d pages, policy %q", pages, declared)
			}
			headers, err := os.ReadFile(filepath.Join(dir, "_headers"))
			if err != nil {
				t.Fatalf("no _headers file for hosts that read one: %v", err)
			}
			if !bytes.Contains(headers, []byte("Content-Security-Policy: "+declared)) {
				t.Errorf("_headers does not serve the pages' policy %q:\n%s", declared, headers)
			}
		})
	}
}

// isRedirectPage reports whether a page only sends readers on: one of
// Hugo's alias pages or a page left at a record's old address.
func isRedirectPage(data []byte) bool {
	return bytes.Contains(data, []byte(`http-equiv="refresh"`))
}

// pagePolicy returns the policy of the page's CSP <meta>, and a problem if
// the meta comes after an element that loads something (a policy applies
// only from where it is declared).
func pagePolicy(data []byte) (string, []string) {
	z := html.NewTokenizer(bytes.NewReader(data))
	var loaders []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return "", nil
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		a := attrs(tok)
		switch tok.Data {
		case "meta":
			if strings.EqualFold(a["http-equiv"], "Content-Security-Policy") {
				if len(loaders) > 0 {
					return a["content"], []string{"the CSP <meta> comes after " + strings.Join(loaders, ", ")}
				}
				return a["content"], nil
			}
		case "script", "link", "style", "img", "iframe":
			loaders = append(loaders, "<"+tok.Data+">")
		case "body":
			return "", []string{"no Content-Security-Policy <meta> in <head>"}
		}
	}
}

func attrs(tok html.Token) map[string]string {
	m := make(map[string]string, len(tok.Attr))
	for _, a := range tok.Attr {
		m[strings.ToLower(a.Key)] = a.Val
	}
	return m
}

// policy maps each CSP directive to its source list.
type policy map[string][]string

// parsePolicy reads a serialized policy: "a 'self'; b https://x".
func parsePolicy(s string) policy {
	p := policy{}
	for _, d := range strings.Split(s, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			p[strings.ToLower(f[0])] = f[1:]
		}
	}
	return p
}

// sources returns the source list governing directive, falling back to
// default-src as browsers do.
func (p policy) sources(directive string) []string {
	if s, ok := p[directive]; ok {
		return s
	}
	return p["default-src"]
}

// allows reports whether the policy lets directive load u on a page of
// origin self. It understands 'self', 'none', scheme sources ("data:") and
// host sources with an optional scheme and a leading "*." wildcard; that
// is every form the archive's policy uses.
func (p policy) allows(directive string, u, self *url.URL) bool {
	for _, src := range p.sources(directive) {
		switch {
		case src == "'self'":
			if u.Scheme == self.Scheme && u.Host == self.Host {
				return true
			}
		case strings.HasSuffix(src, ":") && !strings.Contains(src, "/"):
			if strings.EqualFold(u.Scheme+":", src) {
				return true
			}
		case !strings.HasPrefix(src, "'"):
			scheme, host, ok := strings.Cut(src, "://")
			if !ok {
				scheme, host = "https", src
			}
			host, _, _ = strings.Cut(host, "/")
			if !strings.EqualFold(u.Scheme, scheme) {
				continue
			}
			if h, ok := strings.CutPrefix(host, "*."); ok {
				if strings.HasSuffix(u.Hostname(), "."+h) {
					return true
				}
			} else if strings.EqualFold(u.Host, host) {
				return true
			}
		}
	}
	return false
}

// allowsInline reports whether the directive allows inline code or style.
func (p policy) allowsInline(directive string) bool {
	for _, s := range p.sources(directive) {
		if s == "'unsafe-inline'" {
			return true
		}
	}
	return false
}

var jsURL = regexp.MustCompile(`(?i)^[\x00-\x20]*j[\t\n\r]*a[\t\n\r]*v[\t\n\r]*a[\t\n\r]*s[\t\n\r]*c[\t\n\r]*r[\t\n\r]*i[\t\n\r]*p[\t\n\r]*t[\t\n\r]*:`)

// cspViolations lists what in a page the policy would block: each is a
// broken feature for readers, or a payload that reached the markup.
func cspViolations(data []byte, p policy, self *url.URL) []string {
	var out []string
	check := func(directive, tag, raw string) {
		u, err := self.Parse(strings.TrimSpace(raw))
		if err != nil || !p.allows(directive, u, self) {
			out = append(out, fmt.Sprintf("%s blocks <%s> %.100q", directive, tag, raw))
		}
	}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				out = append(out, "unparseable: "+z.Err().Error())
			}
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		a := attrs(tok)
		switch tok.Data {
		case "script":
			if src, ok := a["src"]; ok {
				check("script-src", "script", src)
			} else if a["type"] != "application/ld+json" && !p.allowsInline("script-src") {
				out = append(out, "script-src blocks an inline <script>")
			}
		case "style":
			if !p.allowsInline("style-src") {
				out = append(out, "style-src blocks a <style> element")
			}
		case "link":
			switch strings.ToLower(a["rel"]) {
			case "stylesheet":
				check("style-src", "link", a["href"])
			case "icon":
				check("img-src", "link", a["href"])
			}
		case "img", "source":
			if src, ok := a["src"]; ok {
				check("img-src", tok.Data, src)
			}
		case "video":
			if src, ok := a["poster"]; ok {
				check("img-src", tok.Data, src)
			}
		case "iframe", "frame":
			if src, ok := a["src"]; ok {
				check("frame-src", tok.Data, src)
			}
		case "object", "embed", "applet":
			check("object-src", tok.Data, a["data"]+a["src"])
		case "form":
			if action, ok := a["action"]; ok && action != "" {
				check("form-action", "form", action)
			}
		case "base":
			check("base-uri", "base", a["href"])
		}
		for k, v := range a {
			switch {
			case strings.HasPrefix(k, "on") && !p.allowsInline("script-src"):
				out = append(out, fmt.Sprintf("script-src blocks the event handler %s on <%s>", k, tok.Data))
			case k == "style" && !p.allowsInline("style-src"):
				out = append(out, fmt.Sprintf("style-src blocks the style attribute on <%s>: %.60q", tok.Data, v))
			case (k == "href" || k == "action" || k == "formaction" || k == "src") && jsURL.MatchString(v) && !p.allowsInline("script-src"):
				out = append(out, fmt.Sprintf("script-src blocks the javascript: URL on <%s>", tok.Data))
			}
		}
	}
}

// TestPolicyMatching checks the CSP matcher the site checks rely on.
func TestPolicyMatching(t *testing.T) {
	self, _ := url.Parse("https://archive.example.org/")
	p := parsePolicy("default-src 'self'; img-src 'self' data:; frame-src https://www.youtube.com https://*.cloudflarestream.com; object-src 'none'")
	tests := []struct {
		directive, url string
		want           bool
	}{
		{"img-src", "/icon.svg", true},
		{"img-src", "data:image/png;base64,AA==", true},
		{"img-src", "https://talk.example.org/a.png", false},
		{"script-src", "/js/main.js", true}, // default-src
		{"script-src", "https://cdn.example.org/x.js", false},
		{"frame-src", "https://www.youtube.com/embed/x", true},
		{"frame-src", "http://www.youtube.com/embed/x", false},
		{"frame-src", "https://customer-abc.cloudflarestream.com/v", true},
		{"frame-src", "https://cloudflarestream.com.evil.example/v", false},
		{"frame-src", "https://evil.example/embed", false},
		{"object-src", "/x.swf", false},
	}
	for _, tt := range tests {
		u, _ := self.Parse(tt.url)
		if got := p.allows(tt.directive, u, self); got != tt.want {
			t.Errorf("%s %s: allowed %v, want %v", tt.directive, tt.url, got, tt.want)
		}
	}
	page := []byte(`<img src="https://x.example/a.png"><p style="color:red" onclick="x()"><a href=" java` + "\t" + `script:x()">a</a><script>x()</script><script type="application/ld+json">{}</script>`)
	if got := cspViolations(page, p, self); len(got) != 5 {
		t.Errorf("violations of a bad page: %q, want 5", got)
	}
}
