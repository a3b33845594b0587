// Package slug turns record file names and speaker names into URL path
// segments. A record's path is its public identity, so the rule is
// conservative: Unicode letters and digits are kept (lower-cased), spaces and
// hyphen-like characters become '-', everything else is dropped.
package slug

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Make returns the URL segment for s: NFC, lower-cased, letters, digits,
// marks and '_' kept, spaces and dashes collapsed to single '-', other
// punctuation and symbols dropped, no leading or trailing '-'.
//
//	"2025-02-27-商周專欄：防堵-AI-賓拉登" → "2025-02-27-商周專欄防堵-ai-賓拉登"
func Make(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || r == '/' || r == '.':
			// Spaces, every kind of dash (incl. U+2011 NON-BREAKING HYPHEN in
			// some corpus file names), and path-like separators mark word
			// boundaries.
			dash = true
		}
	}
	// Dropping punctuation can leave a mark next to a new base character:
	// normalise again so the result is NFC too.
	return norm.NFC.String(b.String())
}

// Unique returns slugs for the given keys, in order, with a stable "-2",
// "-3", … suffix on collisions. Callers pass keys in a deterministic order
// (the records' file names, sorted) so suffixes never move between builds.
func Unique(slugs []string) []string {
	out := make([]string, len(slugs))
	taken := make(map[string]bool, len(slugs)) // every slug as given: suffixes must not steal one
	for i, s := range slugs {
		if s == "" {
			s = "untitled"
		}
		out[i] = s
		taken[s] = true
	}
	first := make(map[string]bool, len(slugs))
	for i, s := range out {
		if !first[s] {
			first[s] = true
			continue
		}
		cand := s
		for n := 2; taken[cand]; n++ {
			cand = s + "-" + strconv.Itoa(n)
		}
		taken[cand] = true
		out[i] = cand
	}
	return out
}
