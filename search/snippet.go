package search

import (
	"html"
	"strings"
)

// SnippetText turns a Result's snippet (escaped text with matches in
// <mark>) into plain text, each match between open and close.
func SnippetText(snippet, open, close string) string {
	s := strings.NewReplacer("<mark>", open, "</mark>", close).Replace(snippet)
	return html.UnescapeString(s)
}
