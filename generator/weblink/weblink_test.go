package weblink

import (
	"net/url"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

func TestCheckTable(t *testing.T) {
	cases := append(testcorpus.Links(t),
		testcorpus.Link{Written: "  https://example.org/x \t", Published: "https://example.org/x"},
		testcorpus.Link{Written: "https://example.org/a\u00a0b", Published: "https://example.org/a%20b", Problem: "contains spaces"},
		testcorpus.Link{Written: "   ", Published: "-", Problem: "no address"},
	)
	if len(cases) < 30 {
		t.Fatalf("links.tsv has only %d cases", len(cases))
	}
	for _, c := range cases {
		r := Check(c.Written)
		if c.Published == "-" {
			if r.OK || r.URL != "" {
				t.Errorf("links.tsv:%d: Check(%q) publishes %q, want text only", c.Line, c.Written, r.URL)
			}
		} else if !r.OK || r.URL != c.Published {
			t.Errorf("links.tsv:%d: Check(%q) = %q (ok %v), want %q", c.Line, c.Written, r.URL, r.OK, c.Published)
		}
		switch {
		case c.Problem == "" && r.Problem != "":
			t.Errorf("links.tsv:%d: Check(%q) warns %q, want no warning", c.Line, c.Written, r.Problem)
		case c.Problem != "" && !strings.Contains(r.Problem, c.Problem):
			t.Errorf("links.tsv:%d: Check(%q) warns %q, want …%s…", c.Line, c.Written, r.Problem, c.Problem)
		}
		if r.OK {
			checkPublished(t, c.Written, r)
		}
	}
}

// checkPublished holds for every published link: an RFC 3986 URI reference
// of ASCII characters that url.Parse reads, and Check publishes it as it is
// with nothing to say.
func checkPublished(t *testing.T, written string, r Result) {
	t.Helper()
	for i := 0; i < len(r.URL); i++ {
		c := r.URL[i]
		if c >= 0x80 || !allowed[c] && c != '%' {
			t.Errorf("Check(%q) = %q: byte %q is not allowed in a URI", written, r.URL, c)
			return
		}
	}
	if _, err := url.Parse(r.URL); err != nil {
		t.Errorf("Check(%q) = %q, which does not parse: %v", written, r.URL, err)
	}
	if again := Check(r.URL); !again.OK || again.URL != r.URL || again.Problem != "" {
		t.Errorf("Check(%q) = %q, but Check(%q) = %+v", written, r.URL, r.URL, again)
	}
}

// FuzzCheck feeds Check any string: what it publishes always holds
// checkPublished, and a link it refuses always says why.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"https://https://issuu.com/pdis.tw/docs/51", "https:/pol.is/", "audreyt.org",
		"https://例子.測試/路徑?q=中文#片段", "javascript:alert(1)", "mailto:a@b.org", "#x", "/a b", "//x.org",
		"https://a_b.example.org:8080/%41?q=|#f#g", "https://x.org/\u00a0", "ipfs://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Check(s)
		if r.OK {
			checkPublished(t, s, r)
		} else if r.Problem == "" && strings.TrimSpace(s) != "" {
			t.Errorf("Check(%q) refuses the link without a reason", s)
		}
	})
}
