package export

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/records"
	"github.com/ogarchive/ogarchive/generator/weblink"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// TestMalformedLinks writes every link of testdata/links.tsv into a
// transcript in each form a transcript holds links (a Markdown link in a
// stage direction and in speech, an autolink, a raw HTML href and a video
// embed), loads it as a build does, and requires a warning at the link's
// line for each malformed one, AKN that validates against the schema and
// JSON whose every href is a URI as weblink publishes it. A second record
// carries the same links as raw hrefs in its blocks, as if no parser had
// seen them: the AKN writer must not rely on the parser.
func TestMalformedLinks(t *testing.T) {
	links := testcorpus.Links(t)
	var src strings.Builder
	src.WriteString("# 2021-03-04 連結測試\n\n")
	line := 3
	type at struct {
		link testcorpus.Link
		line int
	}
	var want []at
	var bypass []model.Block
	for _, l := range links {
		w := l.Written
		md := "<" + w + ">"
		if strings.ContainsAny(w, "<>") {
			md = w
		}
		attr := html.EscapeString(w)
		turn := []string{
			fmt.Sprintf("### 唐鳳：\n\n> （簡報：[%s](%s)）\n", html.EscapeString(w), md),
			fmt.Sprintf("見[這裡](%s)。\n", md),
			fmt.Sprintf(`<p>原始 <a href="%s">連結</a></p>`+"\n", attr),
			fmt.Sprintf(`<iframe src="%s" title="video"></iframe>`+"\n", attr),
		}
		if !strings.ContainsAny(w, " <>") && strings.Contains(w, ":") {
			turn = append(turn, fmt.Sprintf("自動 <%s> 連結\n", w))
		}
		for i, s := range turn {
			if i == 0 {
				// The heading, its blank line, then the direction.
				want = append(want, at{l, line + 2})
			}
			src.WriteString(s + "\n")
			line += strings.Count(s, "\n") + 1
		}
		bypass = append(bypass, model.Block{Kind: model.BlockHTML, Text: "x",
			Markup: fmt.Sprintf(`<p><a href="%s">x</a> <iframe src="%s"></iframe></p>`, attr, attr)})
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "2021-03-04-連結測試.md"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	a, findings, err := records.Load(dir, records.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := findings.String()
	for _, w := range want {
		if w.link.Problem == "" {
			if strings.Contains(found, fmt.Sprintf("%q", w.link.Written)) {
				t.Errorf("links.tsv:%d: %q is fine, but the parser warns of it:\n%s", w.link.Line, w.link.Written, found)
			}
			continue
		}
		prefix := fmt.Sprintf("2021-03-04-連結測試.md:%d: warning: ", w.line)
		if !regexp.MustCompile(regexp.QuoteMeta(prefix) + `[^\n]*` + regexp.QuoteMeta(w.link.Problem)).MatchString(found) {
			t.Errorf("links.tsv:%d: no warning %s…%s…", w.link.Line, prefix, w.link.Problem)
		}
	}
	if t.Failed() {
		t.Logf("findings:\n%s", found)
	}
	rec := a.Records[0]
	rec.Slug = "links"
	a.Records = append(a.Records, &model.Record{File: "bypass.md", Slug: "bypass", Title: "bypass", Lang: "en",
		Kind: model.KindTranscript, Turns: []model.Turn{{ID: "b", Ordinal: 1, Label: "A", Blocks: bypass}}})
	for _, r := range a.Records {
		for i := range r.Turns {
			r.Turns[i].ID = fmt.Sprintf("t%d", i)
		}
	}

	out := t.TempDir()
	if _, err := WriteAll(a, out, testSite); err != nil {
		t.Fatal(err)
	}
	xmllint(t, []string{filepath.Join(out, AKNDir, "links.xml"), filepath.Join(out, AKNDir, "bypass.xml")})

	data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(RecordsDir), "links.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validateJSON(t, RecordSchema, data); err != nil {
		t.Error(err)
	}
	var doc struct {
		Turns []struct {
			Blocks []struct{ HTML string }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	hrefs := 0
	for _, tr := range doc.Turns {
		for _, b := range tr.Blocks {
			for _, m := range hrefAttr.FindAllStringSubmatch(b.HTML, -1) {
				hrefs++
				u := html.UnescapeString(m[2])
				if r := weblink.Check(u); !r.OK || r.URL != u || r.Problem != "" {
					t.Errorf("the JSON export publishes %s=%q, not a URI as weblink publishes it: %+v", m[1], u, r)
				}
			}
		}
	}
	if hrefs < len(links) {
		t.Errorf("the JSON export has %d links for %d table rows: the test read nothing", hrefs, len(links))
	}
}

// hrefAttr finds the URL attributes of a sanitised fragment.
var hrefAttr = regexp.MustCompile(`\b(href|src)="([^"]*)"`)
