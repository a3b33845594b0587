package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/internal/testcorpus"
)

// hostile is text that breaks out of markup if anything forgets to escape
// it: closing tags, a script, an entity, a CDATA end, quotes, and a control
// character XML 1.0 cannot carry.
const hostile = "</p><script>alert(\"x\")</script>&amp; ]]> 'q' \x0b end"

const testSite = "https://archive.example.tw/"

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func para(text string) model.Block {
	return model.Block{Kind: model.BlockParagraph, Text: text, Markup: "<p>" + html.EscapeString(text) + "</p>"}
}

func direction(text string) model.Block {
	return model.Block{Kind: model.BlockDirection, Text: text, Markup: "<blockquote>\n<p>" + html.EscapeString(text) + "</p>\n</blockquote>"}
}

func heading(level int, text string) model.Block {
	return model.Block{Kind: model.BlockHeading, Text: text, Markup: fmt.Sprintf("<h%d>%s</h%d>", level, html.EscapeString(text), level)}
}

func fixtureSpeakers() map[string]*model.Speaker {
	return map[string]*model.Speaker{
		"唐鳳":            {Key: "唐鳳", Name: "唐鳳", Aliases: []string{"Audrey Tang", "唐鳳召集人"}},
		"evil":          {Key: "evil", Name: hostile, Aliases: []string{hostile + " 2"}},
		"問":             {Key: "問", Name: "問", IsRole: true},
		"eileen-wagner": {Key: "eileen-wagner", Name: "Eileen Wagner"},
	}
}

// fixtureRecords covers what the corpus has and what it might have: every
// block kind, raw HTML with video embeds, tables and scripts, hostile text
// in titles, labels, roles, names and speech, undated notes, a record that
// starts with a speech, an empty speech, speakers nobody knows, roles, and
// a record with no turns at all.
func fixtureRecords() []*model.Record {
	return []*model.Record{
		{
			File: "2020-08-12-hostile.md", Slug: "2020-08-12-hostile", Title: hostile,
			Date: date("2020-08-12"), Lang: "zh-TW", Kind: model.KindTranscript,
			Alternate: "2020-08-12-hostile-en.md", Aliases: []string{"2020-08-12-old"},
			Hash: strings.Repeat("ab", 32),
			Turns: []model.Turn{
				{ID: "aaaaaaaa", Line: 3, Blocks: []model.Block{
					heading(2, "第一節 "+hostile),
					{Kind: model.BlockDirection, Text: "（白板：https://example.org/board）", Line: 5,
						Markup: "<blockquote>\n<p>（白板：<a href=\"https://example.org/board\">https://example.org/board</a>）</p>\n</blockquote>"},
					para("時間：上午十點"),
				}},
				{ID: "bbbbbbbb", Ordinal: 1, Line: 7, Label: hostile + "召集人", Speaker: "evil", Role: "<b>召集人</b>", Blocks: []model.Block{
					para(hostile),
					{Kind: model.BlockParagraph, Text: "ok x", Markup: `<p>ok<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>`},
					direction("（笑）"),
					para("好，那我們繼續。"),
				}},
				{ID: "cccccccc", Ordinal: 2, Line: 12, Label: "唐鳳召集人", Speaker: "唐鳳", Role: "召集人", Blocks: []model.Block{
					{Kind: model.BlockList, Text: "一\n二\n三", Markup: "<ul>\n<li>一</li>\n<li><p>二</p>\n<ol start=\"3\">\n<li>三 <strong>粗</strong></li>\n</ol>\n</li>\n</ul>"},
					{Kind: model.BlockHTML, Text: "", Markup: `<iframe src="https://www.youtube-nocookie.com/embed/EQ4dNEOlAlY?si=x&amp;start=7020" title="YouTube video player" allowfullscreen=""></iframe>`},
					{Kind: model.BlockHTML, Text: "h d", Markup: "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d<br>e</td></tr></tbody></table>"},
					{Kind: model.BlockQuote, Text: "引言", Markup: "<blockquote>\n<p>引言</p>\n</blockquote>"},
					{Kind: model.BlockCode, Text: "a < b && c", Markup: "<pre><code>a &lt; b &amp;&amp; c\n</code></pre>"},
					heading(4, "小標"),
					{Kind: model.BlockParagraph, Text: "第一行 第二行", Markup: "<p>第一行\n第二行</p>"},
				}},
				{ID: "dddddddd", Ordinal: 3, Line: 30, Label: "？？", Blocks: []model.Block{para("（聽不清楚）是誰？")}},
				{ID: "eeeeeeee", Ordinal: 4, Line: 32, Label: "問", Speaker: "問", Blocks: []model.Block{para("請問時程？")}},
				{ID: "ffffffff", Ordinal: 5, Line: 34, Label: "唐鳳", Speaker: "唐鳳"},
				{ID: "gggggggg", Ordinal: 6, Line: 36, Label: "唐鳳", Speaker: "唐鳳", Blocks: []model.Block{
					{Kind: model.BlockHTML, Text: "", Markup: "<p><script>alert(1)</script></p>"},
					para("Line\x0bwith a control character"),
				}},
			},
		},
		{
			File: "開放政府夥伴關係交流筆記.md", Slug: "開放政府夥伴關係交流筆記", Title: "開放政府夥伴關係交流筆記",
			Lang: "en", Kind: model.KindNotes,
			Turns: []model.Turn{
				{ID: "hhhhhhhh", Line: 1, Blocks: []model.Block{
					{Kind: model.BlockList, Text: "OGP\nNAP", Markup: "<ul>\n<li>OGP\n<ul>\n<li>NAP</li>\n</ul>\n</li>\n</ul>"},
					para("Notes & more"),
					{Kind: model.BlockCode, Text: "x := 1", Markup: "<pre><code>x := 1\n</code></pre>"},
				}},
			},
		},
		{
			File: "2017-02-24-Eileen-Wagner-visit.md", Slug: "2017-02-24-eileen-wagner-visit", Title: "Eileen Wagner visit",
			Date: date("2017-02-24"), Lang: "en", Kind: model.KindTranscript,
			Turns: []model.Turn{
				{ID: "iiiiiiii", Ordinal: 1, Line: 3, Label: "Audrey Tang", Speaker: "唐鳳", Blocks: []model.Block{para("All right.")}},
				{ID: "iiiiiiii-2", Ordinal: 2, Line: 5, Label: "Eileen Wagner", Speaker: "eileen-wagner", Blocks: []model.Block{para("All right.")}},
				{ID: "jjjjjjjj", Line: 7, Blocks: []model.Block{heading(2, "Part two"), direction("(Break)")}},
				{ID: "kkkkkkkk", Ordinal: 3, Line: 9, Label: "Audrey Tang", Speaker: "唐鳳", Blocks: []model.Block{
					{Kind: model.BlockHTML, Text: "", Markup: `<iframe src="https://player.vimeo.com/video/123456" title="Talk"></iframe>`},
				}},
			},
		},
		{
			File: "1999年全國司法改革會議.md", Slug: "1999年全國司法改革會議", Title: "1999年全國司法改革會議",
			Lang: "zh-TW", Kind: model.KindNotes,
		},
	}
}

func fixtureArchive() *model.Archive {
	return &model.Archive{Records: fixtureRecords(), Speakers: fixtureSpeakers()}
}

// xmllint validates files against the AKN schema and fails the test for
// every file that does not validate.
func xmllint(t *testing.T, files []string) {
	t.Helper()
	valid, failures, err := validateAKN(files)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range failures {
		if i == 20 {
			t.Errorf("… and %d more", len(failures)-i)
			break
		}
		t.Error(f)
	}
	if valid != len(files) {
		t.Errorf("%d of %d AKN files validate against akomantoso30.xsd", valid, len(files))
		return
	}
	t.Logf("%d AKN files validate against akomantoso30.xsd", valid)
}

// validateAKN runs xmllint --schema akomantoso30.xsd over files, a few
// hundred per run so that the schema is parsed a few times, not once per
// record. It returns how many files validate and xmllint's error lines.
func validateAKN(files []string) (valid int, failures []string, err error) {
	xsd := testcorpus.Schema()
	if _, err := os.Stat(xsd); err != nil {
		return 0, nil, fmt.Errorf("AKN schema: %w", err)
	}
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		return 0, nil, fmt.Errorf("xmllint is needed to validate AKN exports (apt-get install libxml2-utils): %w", err)
	}
	const chunk = 400
	for len(files) > 0 {
		n := min(chunk, len(files))
		var out bytes.Buffer
		cmd := exec.Command(bin, append([]string{"--noout", "--schema", xsd}, files[:n]...)...)
		cmd.Stdout, cmd.Stderr = &out, &out
		runErr := cmd.Run()
		bad := 0
		for _, line := range strings.Split(out.String(), "\n") {
			switch {
			case strings.HasSuffix(line, " validates"):
				valid++
			case strings.Contains(line, "validity error"), strings.Contains(line, "parser error"):
				failures = append(failures, line)
				bad++
			case strings.HasSuffix(line, " fails to validate"):
				bad++
			}
		}
		if runErr != nil && bad == 0 {
			return valid, failures, fmt.Errorf("xmllint: %v\n%s", runErr, out.String())
		}
		files = files[n:]
	}
	return valid, failures, nil
}

// xnode is a parsed XML element (or text node when name is "") for
// checking exports structurally.
type xnode struct {
	name  string
	attrs map[string]string
	kids  []*xnode
	text  string
}

func parseXML(t *testing.T, data []byte) *xnode {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := &xnode{}
	stack := []*xnode{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("export is not well-formed XML: %v", err)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.kids = append(top.kids, &xnode{text: string(tok)})
		}
	}
	return root
}

// all returns the descendants named name, in document order.
func (n *xnode) all(name string) []*xnode {
	var out []*xnode
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
		out = append(out, k.all(name)...)
	}
	return out
}

// content is the text of n and its descendants.
func (n *xnode) content() string {
	if n.name == "" {
		return n.text
	}
	var b strings.Builder
	for _, k := range n.kids {
		b.WriteString(k.content())
	}
	return b.String()
}

// elements are n's element children's names.
func (n *xnode) elements() []string {
	var out []string
	for _, k := range n.kids {
		if k.name != "" {
			out = append(out, k.name)
		}
	}
	return out
}

func writeTemp(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
