package search

import "testing"

func TestSnippetText(t *testing.T) {
	tests := []struct{ in, open, close, want string }{
		{"a <mark>開放</mark> b", "[", "]", "a [開放] b"},
		{"&lt;mark&gt; &amp; &#34;q&#34; &#39;s&#39;", "", "", `<mark> & "q" 's'`},
		{"<mark>x</mark>", "", "", "x"},
	}
	for _, tt := range tests {
		if got := SnippetText(tt.in, tt.open, tt.close); got != tt.want {
			t.Errorf("SnippetText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
