package sitetest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/ogarchive/ogarchive/generator/weblink"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// TestPublishedLinks checks every link and embed that leaves the site, on
// every page of the built sites: each is a URI exactly as weblink
// publishes it, so no page carries an href a browser would misread. The
// hostile record with malformed links shows the repaired link under the
// text its author wrote, and its Akoma Ntoso export validates.
func TestPublishedLinks(t *testing.T) {
	for _, s := range []*builtSite{defaultSite, hostileSite, sampleSite, corpusSite} {
		t.Run(s.name, func(t *testing.T) {
			dir := s.Dir(t)
			external, bad := 0, 0
			err := eachPage(dir, func(page string, data []byte) error {
				for _, u := range outboundURLs(data) {
					external++
					if r := weblink.Check(u); !r.OK || r.URL != u || r.Problem != "" {
						if bad++; bad <= 20 {
							t.Errorf("%s: publishes %q: %+v", page, u, r)
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d outbound links and embeds", external)
			if external == 0 {
				t.Fatal("no outbound link found: the check read nothing")
			}
		})
	}
}

func TestMalformedLinksRecord(t *testing.T) {
	const slug = "2021-01-07-malformed-links"
	dir := hostileSite.Dir(t)
	page, err := os.ReadFile(filepath.Join(dir, slug, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`href="https://issuu.com/pdis.tw/docs/51"`, ">https://https://issuu.com/pdis.tw/docs/51</a>",
		`href="https://reurl.cc/1QkWW9/"`, `href="https://example.org/a%20b.pdf"`, `href="https://issuu.com/pdis.tw/docs/53"`,
		"IPFS", "主機", "清單",
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, u := range outboundURLs(page) {
		for _, bad := range []string{"https://https:", ":/ttps:", "ipfs:", "exa!mple", " "} {
			if strings.Contains(u, bad) {
				t.Errorf("the page links to %q", u)
			}
		}
	}
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint is needed (apt-get install libxml2-utils): %v", err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", testcorpus.Schema(), filepath.Join(dir, "akn", slug+".xml")).CombinedOutput()
	if err != nil {
		t.Errorf("the AKN export does not validate: %v\n%s", err, out)
	}
}

// outboundURLs returns the href of every link and the src of every embed
// on a page that has a scheme: the ones that leave the site.
func outboundURLs(page []byte) []string {
	var urls []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return urls
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			key := map[string]string{"a": "href", "iframe": "src"}[string(name)]
			for more && key != "" {
				var k, v []byte
				k, v, more = z.TagAttr()
				if string(k) == key && strings.Contains(string(v), "://") || string(k) == key && strings.HasPrefix(string(v), "mailto:") {
					urls = append(urls, string(v))
				}
			}
		}
	}
}
