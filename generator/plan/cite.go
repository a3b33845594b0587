package plan

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ParseCite reads a citation: "<slug>#<turn id>", or a turn's permalink as
// copied from a transcript page, site-relative ("/<slug>/#<id>") or
// absolute ("https://host/<slug>/#<id>"), with the slug percent-encoded as
// browsers copy it or not. The slug is NFC-normalised, as slugs are.
func ParseCite(s string) (Cite, error) {
	s = strings.TrimSpace(s)
	hint := "cite a turn as \"<record slug>#<turn id>\", or paste its permalink from the transcript page"
	if s == "" {
		return Cite{}, fmt.Errorf("empty citation: %s", hint)
	}
	slug, id, ok := "", "", false
	if strings.HasPrefix(s, "/") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		u, err := url.Parse(s)
		if err != nil {
			return Cite{}, fmt.Errorf("%q is not a permalink: %s", s, hint)
		}
		path := strings.Trim(u.Path, "/")
		if path == "t" {
			return Cite{}, fmt.Errorf("%q is a short link: open it and copy the full permalink of the turn instead", s)
		}
		if strings.Contains(path, "/") {
			return Cite{}, fmt.Errorf("%q is not the permalink of a turn (/<slug>/#<id>): %s", s, hint)
		}
		slug, id, ok = path, u.Fragment, u.Fragment != ""
	} else {
		var err error
		i := strings.LastIndexByte(s, '#')
		if i >= 0 {
			slug, id, ok = s[:i], s[i+1:], true
			if slug, err = url.PathUnescape(slug); err != nil {
				return Cite{}, fmt.Errorf("%q: %v: %s", s, err, hint)
			}
		}
	}
	if !ok || slug == "" || id == "" {
		return Cite{}, fmt.Errorf("%q names no turn: %s", s, hint)
	}
	if strings.ContainsAny(id, " \t#/") || strings.ContainsAny(slug, " \t#/") {
		return Cite{}, fmt.Errorf("%q: a slug and a turn id have no spaces, '/' or '#': %s", s, hint)
	}
	return Cite{Slug: norm.NFC.String(slug), Turn: id}, nil
}
