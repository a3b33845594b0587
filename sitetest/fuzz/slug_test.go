package fuzz

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ogarchive/ogarchive/generator/slug"
)

// FuzzSlug checks that a slug is always a safe, canonical URL segment:
// valid NFC UTF-8, only lower-case letters, digits, marks, '_' and single
// inner '-', nothing a URL or a file system treats specially, and the slug
// of a slug is itself (so a slug written into .redirects keeps naming the
// same page).
func FuzzSlug(f *testing.F) {
	for _, s := range []string{
		"2025-02-27-商周專欄：防堵-AI-賓拉登", "1999年全國司法改革會議", "../../etc/passwd",
		`2021-02-01-"><img src=x onerror=window.__pwned=1>`, "javascript:alert(1)", "a\u2011b\u00a0c",
		"ÉCOLE Ǆ ǅ ǈ İstanbul ﬁ", "e\u0301\u0323", "%2F%2e%2E", "--a--b--",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := slug.Make(s)
		if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
			t.Fatalf("Make(%q) = %q is not valid NFC UTF-8", s, out)
		}
		if strings.HasPrefix(out, "-") || strings.HasSuffix(out, "-") || strings.Contains(out, "--") {
			t.Fatalf("Make(%q) = %q has a stray '-'", s, out)
		}
		for _, r := range out {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' || r == '-') || unicode.ToLower(r) != r { // letters with a lower case are lowered (ϔ has none)
				t.Fatalf("Make(%q) = %q contains %q", s, out, r)
			}
		}
		if again := slug.Make(out); again != out {
			t.Fatalf("Make(%q) = %q, but Make(%q) = %q", s, out, out, again)
		}
	})
}
