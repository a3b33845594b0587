// Package weblink decides what becomes of a link a transcript's author
// wrote: published as written, published repaired, or shown as text only.
//
// Transcripts are typed by hand and pasted from mail, so their links carry
// every slip: a doubled scheme (`https://https://issuu.com/…`), one slash
// (`https:/pol.is/`), spaces, a bare domain, a scheme no browser opens
// (`ipfs:`), a host that cannot be one. A link that reaches a page, the
// JSON export or an Akoma Ntoso `href` (an xs:anyURI) must be a URI a
// browser reads as the author meant, or no link at all; the maintainer is
// told which, and how to fix the source. Every place a transcript's link is
// published (Markdown links and autolinks, raw HTML hrefs and embeds, the
// AKN writer) asks Check, so they agree.
package weblink

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Result is what to do with one link.
type Result struct {
	// URL is the link to publish, an ASCII URI reference (RFC 3986), when
	// OK; the text of the link stays whatever its author wrote.
	URL string
	// OK is false when the link must be shown as text, without an href.
	OK bool
	// Problem, when not empty, says what is wrong with the link as written
	// and how to fix it: a warning for the maintainer, whether or not the
	// link was repaired.
	Problem string
}

// schemes are the ones a reader's browser opens from an archive page; the
// HTML sanitiser allows the same.
var schemes = map[string]bool{"http": true, "https": true, "mailto": true}

var (
	// schemeRe is a URI scheme (RFC 3986 §3.1) and its colon.
	schemeRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	// webPrefix is one attempt at "http://" or "https://", typos included:
	// "https:/", "https//", "ttps://", "https:".
	webPrefix = regexp.MustCompile(`(?i)^h?ttps?(:/*|//+)`)
	// fileLike is a relative file name, not a host: "four-tests-checklist.md".
	fileLike = regexp.MustCompile(`(?i)^[^/?#]+\.(md|markdown|html?|pdf|txt|png|jpe?g|gif|docx?|xlsx?|csv)$`)
	// domainLike is a bare domain: "audreyt.org", "www.moda.gov.tw/…".
	domainLike = regexp.MustCompile(`^(www\.)?[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}(/|$|\?|#)`)
	// tld is the last label of a public host name.
	tld = regexp.MustCompile(`(?i)^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$`)
)

// Check examines a link destination as written and says what to publish.
func Check(raw string) Result {
	d := strings.TrimFunc(raw, unicode.IsSpace)
	if d == "" {
		return Result{Problem: "a link with no address; write its URL (https://…) or remove the link"}
	}
	if !utf8.ValidString(d) {
		return Result{Problem: fmt.Sprintf("link %q is not valid UTF-8; retype it", d)}
	}
	if r, ok := repairPrefix(d); ok {
		return r
	}
	var problems []string
	if strings.IndexFunc(d, unicode.IsSpace) >= 0 {
		// escape writes each as %20 (a NO-BREAK SPACE too, as readers
		// mean); in a host they are an error.
		problems = append(problems, "contains spaces")
		d = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return ' '
			}
			return r
		}, d)
	}
	switch {
	case strings.HasPrefix(d, "#"), strings.HasPrefix(d, "/") && !strings.HasPrefix(d, "//"):
		// A fragment or a path on the archive's own site.
		u, err := url.Parse(d)
		if err != nil {
			return Result{Problem: fmt.Sprintf("link %q is not a URL (%s); check it", raw, unwrap(err))}
		}
		out := u.String()
		if out == "" {
			out = "#" // url drops an empty fragment: "#" is the top of the page
		}
		return result(escape(out), problems, raw)
	case strings.HasPrefix(d, "//"):
		return checkURL(raw, "https:"+d, append(problems, "has no scheme"))
	case schemeRe.MatchString(d):
		return checkURL(raw, d, problems)
	case domainLike.MatchString(d) && !fileLike.MatchString(d):
		// A bare domain is a web address missing its scheme; publishing it
		// as written would point into the archive, where nothing is.
		return checkURL(raw, "https://"+d, problems)
	}
	return Result{Problem: fmt.Sprintf("link %q is relative and leads nowhere on the archive site; write a full URL (https://…)", raw)}
}

// repairPrefix handles a web address whose scheme is mistyped or doubled:
// "https://https://issuu.com/…", "https:/pol.is/", "https:/ttps://reurl.cc/…".
// It reports whether d was such an address.
func repairPrefix(d string) (Result, bool) {
	rest, n, secure, first := d, 0, false, ""
	for {
		m := webPrefix.FindString(rest)
		if m == "" {
			break
		}
		if n == 0 {
			first = strings.ToLower(m)
		}
		secure = secure || strings.ContainsAny(m[:strings.IndexAny(m, ":/")], "sS")
		rest = rest[len(m):]
		n++
	}
	if n == 0 || n == 1 && (first == "http://" || first == "https://") {
		return Result{}, false
	}
	scheme := "http://"
	if secure {
		scheme = "https://"
	}
	what := "repeats its scheme"
	if n == 1 {
		what = "has a mistyped scheme"
	}
	r := Check(scheme + strings.TrimLeft(rest, "/"))
	if !r.OK {
		r.Problem = fmt.Sprintf("link %q %s, and without it %s", d, what, r.Problem)
		return r, true
	}
	r.Problem = fmt.Sprintf("link %q %s; published as %q: write that", d, what, r.URL)
	return r, true
}

// checkURL checks an absolute URL d, raw as written; problems are the
// repairs already made.
func checkURL(raw, d string, problems []string) Result {
	u, err := url.Parse(d)
	if err != nil {
		return Result{Problem: fmt.Sprintf("link %q is not a URL (%s); check it and write a full URL (https://…)", raw, unwrap(err))}
	}
	scheme := strings.ToLower(u.Scheme)
	if !schemes[scheme] {
		return Result{Problem: fmt.Sprintf("link %q: %s", raw, schemeAdvice(scheme))}
	}
	u.Scheme = scheme
	if scheme == "mailto" {
		addr, _, _ := strings.Cut(u.Opaque, "?")
		if u.Opaque == "" || !strings.Contains(addr, "@") {
			return Result{Problem: fmt.Sprintf("link %q names no mail address; write mailto:name@example.org", raw)}
		}
		return result(escape(u.String()), problems, raw)
	}
	host, why := checkHost(u)
	if why != "" {
		if cut, ok := textAfterHost(u); ok {
			return result(cut, append(problems, "runs on into the text after its host"), raw)
		}
		return Result{Problem: fmt.Sprintf("link %q %s; check the address", raw, why)}
	}
	u.Host = host
	return result(escape(u.String()), problems, raw)
}

// checkHost returns the URL's host in ASCII (an internationalised name in
// punycode) with its port, or why it cannot be a host.
func checkHost(u *url.URL) (string, string) {
	name, port := u.Hostname(), u.Port()
	if name == "" {
		return "", "has no host name"
	}
	if strings.HasPrefix(u.Host, "[") {
		return "", "has an IPv6 address for a host, not its name"
	}
	if net.ParseIP(name) != nil {
		return u.Host, ""
	}
	// Underscores, which the IDNA rules forbid, are in real host names and
	// browsers accept them: check the name with another letter in their
	// place. The ASCII form must be one that converts to itself: invalid
	// input can convert to something that does not.
	const stand = "x"
	trimmed := strings.TrimSuffix(name, ".")
	ascii, err := idna.Lookup.ToASCII(strings.ReplaceAll(trimmed, "_", stand))
	if err != nil {
		return "", fmt.Sprintf("has a host, %q, that cannot be one (%s)", name, unwrap(err))
	}
	labels := strings.Split(ascii, ".")
	if again, err := idna.Lookup.ToASCII(ascii); err != nil || again != ascii || slices.Contains(labels, "") {
		return "", fmt.Sprintf("has a host, %q, that cannot be one", name)
	}
	if strings.Contains(trimmed, "_") {
		lower := strings.ToLower(trimmed)
		if ascii != strings.ReplaceAll(lower, "_", stand) {
			return "", fmt.Sprintf("has a host, %q, that cannot be one", name)
		}
		ascii = lower
	}
	if len(labels) < 2 || !tld.MatchString(labels[len(labels)-1]) {
		return "", fmt.Sprintf("has a host, %q, that cannot be one: a public host has a dot and a top-level domain", name)
	}
	if port != "" {
		return net.JoinHostPort(ascii, port), ""
	}
	return ascii, ""
}

// textAfterHost returns the link to the host alone when the host runs on
// into the sentence after it, as when a link's address was pasted with the
// text that followed (`www.gov.tw，最近…`, `www.TWCC.ai。`): the host ends at
// the first punctuation or space outside ASCII, and what follows, path
// included, was never part of the address.
func textAfterHost(u *url.URL) (string, bool) {
	name := u.Hostname()
	i := strings.IndexFunc(name, func(r rune) bool { return r > unicode.MaxASCII && (unicode.IsPunct(r) || unicode.IsSpace(r)) })
	if i <= 0 {
		return "", false
	}
	cut := &url.URL{Scheme: u.Scheme, Host: name[:i]}
	host, why := checkHost(cut)
	if why != "" {
		return "", false
	}
	cut.Host = host
	return escape(cut.String()), true
}

// schemeAdvice says why a scheme is not published and what to write.
func schemeAdvice(scheme string) string {
	switch scheme {
	case "javascript", "vbscript", "data", "blob", "file":
		return scheme + ": links are never published; remove the link"
	case "ipfs", "ipns":
		return fmt.Sprintf("browsers do not open %s: links; link to a gateway instead, e.g. https://ipfs.io/%s/…", scheme, scheme)
	case "ftp":
		return "browsers no longer open ftp: links; link to an https:// copy"
	}
	return fmt.Sprintf("%s: is not a scheme browsers open from the archive (http, https, mailto); write an https:// address", scheme)
}

// result is a published link, with a problem when it had to be changed.
func result(u string, problems []string, raw string) Result {
	r := Result{URL: u, OK: true}
	if len(problems) > 0 {
		r.Problem = fmt.Sprintf("link %q %s; published as %q: write that", raw, strings.Join(problems, " and "), u)
	}
	return r
}

// escape percent-encodes every byte an RFC 3986 URI reference cannot hold
// (non-ASCII, spaces, quotes, `<>\^{|}` and a `%` that starts no escape),
// so the URL is a valid xs:anyURI and reads the same in every browser.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) || c < 0x80 && allowed[c] {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// allowed are the characters of RFC 3986's unreserved and reserved sets.
var allowed = func() (a [128]bool) {
	// "[" and "]" are left out: they may only enclose an IPv6 host, which
	// checkHost refuses.
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'()*+,;=" {
		a[c] = true
	}
	return a
}()

// unwrap drops the URL that url.Error and idna errors repeat.
func unwrap(err error) string {
	if e, ok := err.(*url.Error); ok {
		err = e.Err
	}
	return strings.TrimPrefix(err.Error(), "idna: ")
}
