package export

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// xmlSafe is s as it reads back from XML: characters XML 1.0 cannot carry
// are replaced, everything else survives escaping unchanged.
func xmlSafe(s string) string { return strings.ReplaceAll(s, "\x0b", "\uFFFD") }

func TestAKNValidatesAgainstSchema(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, site := range []string{testSite, ""} {
		for _, r := range fixtureRecords() {
			out, err := AKN(r, fixtureSpeakers(), site)
			if err != nil {
				t.Fatalf("%s: %v", r.File, err)
			}
			name := r.Slug + ".xml"
			if site == "" {
				name = "relative-" + name
			}
			files = append(files, writeTemp(t, dir, name, out))
		}
	}
	xmllint(t, files)
}

// TestXMLLintCatchesInvalid makes sure the validation can fail: an export
// with a required attribute removed must be reported.
func TestXMLLintCatchesInvalid(t *testing.T) {
	out, err := AKN(fixtureRecords()[0], fixtureSpeakers(), testSite)
	if err != nil {
		t.Fatal(err)
	}
	broken := regexp.MustCompile(` by="[^"]*"`).ReplaceAll(out, nil)
	p := writeTemp(t, t.TempDir(), "broken.xml", broken)
	valid, failures, err := validateAKN([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	if valid != 0 || len(failures) == 0 {
		t.Fatalf("xmllint accepted speeches without a speaker: %d valid, failures %q", valid, failures)
	}
}

func TestAKNStructure(t *testing.T) {
	recs := fixtureRecords()
	parse := func(t *testing.T, r *model.Record, site string) *xnode {
		out, err := AKN(r, fixtureSpeakers(), site)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte("<script")) {
			t.Errorf("script element in export:\n%s", out)
		}
		return parseXML(t, out)
	}
	tests := []struct {
		name  string
		rec   *model.Record
		check func(t *testing.T, doc *xnode)
	}{
		{"hostile text is escaped and reads back unchanged", recs[0], func(t *testing.T, doc *xnode) {
			want := xmlSafe(hostile)
			if got := doc.all("docTitle")[0].content(); got != want {
				t.Errorf("docTitle = %q, want %q", got, want)
			}
			if got := doc.all("from")[0].content(); got != want+"召集人" {
				t.Errorf("from = %q", got)
			}
			if got := doc.all("speech")[0].all("p")[0].content(); got != want {
				t.Errorf("first paragraph = %q, want %q", got, want)
			}
			var names []string
			for _, p := range doc.all("TLCPerson") {
				names = append(names, p.attrs["showAs"])
			}
			if !slices.Contains(names, want) {
				t.Errorf("TLCPerson showAs = %q, want the hostile name among them", names)
			}
			if got := doc.all("TLCRole")[0].attrs["showAs"]; got != "<b>召集人</b>" {
				t.Errorf("TLCRole showAs = %q", got)
			}
			if got := doc.all("heading")[0].content(); got != "第一節 "+want {
				t.Errorf("heading = %q", got)
			}
		}},
		{"scripts and javascript links are dropped, their text kept", recs[0], func(t *testing.T, doc *xnode) {
			p := doc.all("speech")[0].all("p")[1]
			if got := p.content(); got != "ok x" {
				t.Errorf("paragraph = %q, want %q", got, "ok x")
			}
			if len(p.all("a")) != 0 {
				t.Errorf("javascript: link kept: %v", p.elements())
			}
		}},
		{"FRBR identification", recs[0], func(t *testing.T, doc *xnode) {
			work := "/akn/tw/debaterecord/2020-08-12/2020-08-12-hostile"
			vals := map[string][]string{}
			for _, name := range []string{"FRBRthis", "FRBRuri", "FRBRalias"} {
				for _, n := range doc.all(name) {
					vals[name] = append(vals[name], n.attrs["value"])
				}
			}
			wantThis := []string{work + "/!main", work + "/zho@/!main", work + "/zho@/!main.xml"}
			wantURI := []string{work, work + "/zho@", work + "/zho@.akn"}
			if !slices.Equal(vals["FRBRthis"], wantThis) || !slices.Equal(vals["FRBRuri"], wantURI) {
				t.Errorf("FRBRthis %q, FRBRuri %q; want %q, %q", vals["FRBRthis"], vals["FRBRuri"], wantThis, wantURI)
			}
			if want := []string{"/akn/tw/debaterecord/2020-08-12/2020-08-12-old"}; !slices.Equal(vals["FRBRalias"], want) {
				t.Errorf("FRBRalias = %q, want %q", vals["FRBRalias"], want)
			}
			if got := doc.all("FRBRlanguage")[0].attrs["language"]; got != "zho" {
				t.Errorf("FRBRlanguage = %q", got)
			}
			for _, d := range doc.all("FRBRdate") {
				if d.attrs["date"] != "2020-08-12" || d.attrs["name"] != "meeting" {
					t.Errorf("FRBRdate %v", d.attrs)
				}
			}
			if got := doc.all("docDate")[0].attrs["date"]; got != "2020-08-12" {
				t.Errorf("docDate = %q", got)
			}
		}},
		{"speeches: eIds from turn ids, by and as resolve to references", recs[0], func(t *testing.T, doc *xnode) {
			refs := map[string]string{}
			for _, kind := range []string{"TLCPerson", "TLCRole", "TLCOrganization"} {
				for _, n := range doc.all(kind) {
					refs[n.attrs["eId"]] = kind
				}
			}
			var ids []string
			for _, s := range doc.all("speech") {
				ids = append(ids, s.attrs["eId"])
				if refs[strings.TrimPrefix(s.attrs["by"], "#")] != "TLCPerson" {
					t.Errorf("speech %s by %q names no TLCPerson", s.attrs["eId"], s.attrs["by"])
				}
				if as := s.attrs["as"]; as != "" && refs[strings.TrimPrefix(as, "#")] != "TLCRole" {
					t.Errorf("speech %s as %q names no TLCRole", s.attrs["eId"], as)
				}
			}
			want := []string{"speech_bbbbbbbb", "speech_cccccccc", "speech_dddddddd", "speech_eeeeeeee", "speech_ffffffff", "speech_gggggggg"}
			if !slices.Equal(ids, want) {
				t.Errorf("speech eIds = %q, want %q", ids, want)
			}
			speeches := doc.all("speech")
			if got := speeches[2].attrs["by"]; got != "#unidentified" {
				t.Errorf("unknown speaker: by = %q, want #unidentified", got)
			}
			if got := speeches[1].attrs["as"]; got == "" || got == speeches[0].attrs["as"] {
				t.Errorf("roles 召集人 and <b>召集人</b> must be two TLCRoles, got as=%q and %q", got, speeches[0].attrs["as"])
			}
			if got := speeches[4].elements(); !slices.Equal(got, []string{"from", "p"}) {
				t.Errorf("empty turn = %v, want from and an empty p", got)
			}
			for _, p := range doc.all("TLCPerson") {
				if p.attrs["eId"] == "person_唐鳳" && p.attrs["href"] != "https://archive.example.tw/speakers/唐鳳/" {
					t.Errorf("person href = %q", p.attrs["href"])
				}
				if p.attrs["eId"] == "person_問" && !strings.HasPrefix(p.attrs["href"], "/ontology/person/") {
					t.Errorf("a role speaker has no page, href = %q", p.attrs["href"])
				}
			}
		}},
		{"stage directions: narrative between speeches, remark inside", recs[0], func(t *testing.T, doc *xnode) {
			sec := doc.all("debateSection")[0]
			if sec.attrs["eId"] != "dbsect_aaaaaaaa" || sec.attrs["name"] != "section" {
				t.Errorf("section attrs %v", sec.attrs)
			}
			if got := sec.elements()[:3]; !slices.Equal(got, []string{"heading", "narrative", "p"}) {
				t.Errorf("section starts %v", got)
			}
			n := sec.all("narrative")[0]
			if a := n.all("a"); len(a) != 1 || a[0].attrs["href"] != "https://example.org/board" {
				t.Errorf("narrative lost its link: %v", n.elements())
			}
			r := doc.all("speech")[0].all("remark")
			if len(r) != 1 || r[0].attrs["type"] != "sceneDescription" || r[0].content() != "（笑）" {
				t.Errorf("remark = %v", r)
			}
		}},
		{"lists, tables, quotes, code, headings and embeds become AKN blocks", recs[0], func(t *testing.T, doc *xnode) {
			sp := doc.all("speech")[1]
			want := []string{"from", "ul", "p", "table", "blockContainer", "block", "block", "p"}
			if got := sp.elements(); !slices.Equal(got, want) {
				t.Errorf("speech children = %v, want %v", got, want)
			}
			if got := len(sp.all("li")); got != 3 {
				t.Errorf("%d list items, want 3", got)
			}
			a := sp.all("a")
			if len(a) != 1 || a[0].attrs["href"] != "https://www.youtube.com/watch?t=7020s&v=EQ4dNEOlAlY" {
				t.Errorf("video link = %v", a)
			}
			if got := sp.all("block")[0].content(); got != "a < b && c" {
				t.Errorf("code = %q", got)
			}
			if got := sp.all("block")[1].attrs["name"]; got != "heading" {
				t.Errorf("h4 became block name=%q", got)
			}
		}},
		{"a turn whose HTML kept nothing but a script has only its text", recs[0], func(t *testing.T, doc *xnode) {
			sp := doc.all("speech")[5]
			if got := sp.elements(); !slices.Equal(got, []string{"from", "p"}) {
				t.Errorf("children = %v", got)
			}
			if got := sp.all("p")[0].content(); got != xmlSafe("Line\x0bwith a control character") {
				t.Errorf("text = %q", got)
			}
		}},
		{"undated notes: no docDate, sentinel FRBRdate, 0000-00-00 in URIs", recs[1], func(t *testing.T, doc *xnode) {
			if n := len(doc.all("docDate")); n != 0 {
				t.Errorf("%d docDate in an undated record", n)
			}
			for _, d := range doc.all("FRBRdate") {
				if d.attrs["date"] != "0001-01-01" || d.attrs["name"] != "undated" {
					t.Errorf("FRBRdate %v", d.attrs)
				}
			}
			if got := doc.all("FRBRuri")[0].attrs["value"]; got != "/akn/tw/debaterecord/0000-00-00/開放政府夥伴關係交流筆記" {
				t.Errorf("work URI = %q", got)
			}
			if got := doc.all("FRBRlanguage")[0].attrs["language"]; got != "eng" {
				t.Errorf("language = %q", got)
			}
			if got := doc.all("debate")[0].attrs["name"]; got != "notes" {
				t.Errorf("debate name = %q", got)
			}
			if n := len(doc.all("speech")); n != 0 {
				t.Errorf("%d speeches in notes", n)
			}
			sec := doc.all("debateSection")[0]
			if got := sec.elements(); !slices.Equal(got, []string{"ul", "p", "block"}) {
				t.Errorf("notes section = %v", got)
			}
		}},
		{"speeches before any narrative go in an opening section", recs[2], func(t *testing.T, doc *xnode) {
			secs := doc.all("debateSection")
			if len(secs) != 2 || secs[0].attrs["name"] != "proceedings" || secs[0].attrs["eId"] != "" {
				t.Fatalf("sections = %d, first %v", len(secs), secs[0].attrs)
			}
			if got := secs[0].elements(); !slices.Equal(got, []string{"speech", "speech"}) {
				t.Errorf("opening section = %v", got)
			}
			if got := secs[1].elements(); !slices.Equal(got, []string{"heading", "narrative", "speech"}) {
				t.Errorf("second section = %v", got)
			}
			if got := secs[0].all("speech")[1].attrs["eId"]; got != "speech_iiiiiiii-2" {
				t.Errorf("suffixed id: eId = %q", got)
			}
			if a := secs[1].all("a"); len(a) != 1 || a[0].attrs["href"] != "https://vimeo.com/123456" {
				t.Errorf("vimeo link = %v", a)
			}
		}},
		{"a record without turns still has a body", recs[3], func(t *testing.T, doc *xnode) {
			if got := doc.all("debateBody")[0].elements(); !slices.Equal(got, []string{"debateSection"}) {
				t.Errorf("body = %v", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, parse(t, tt.rec, testSite)) })
	}
}

func TestAKNRejectsTurnsWithoutUsableIDs(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *model.Record)
		want string
	}{
		{"missing id", func(r *model.Record) { r.Turns[1].ID = "" }, "line 7: turn has no id"},
		{"duplicate id", func(r *model.Record) { r.Turns[2].ID = r.Turns[1].ID }, "also the id of the turn on line 7"},
		{"space in id", func(r *model.Record) { r.Turns[0].ID = "a b" }, "cannot be an anchor"},
		{"no slug", func(r *model.Record) { r.Slug = "" }, "no slug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixtureRecords()[0]
			tt.edit(r)
			_, err := AKN(r, fixtureSpeakers(), testSite)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("AKN error = %v, want %q", err, tt.want)
			}
			_, err = RecordJSON(r, fixtureSpeakers(), testSite)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("RecordJSON error = %v, want %q", err, tt.want)
			}
		})
	}
}

// render writes converted blocks without indentation, for comparing.
func render(t *testing.T, nodes []*node) string {
	t.Helper()
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	w := treeWriter{enc: enc}
	for _, n := range nodes {
		w.write(n, 0, false)
	}
	if w.err == nil {
		w.err = enc.Flush()
	}
	if w.err != nil {
		t.Fatal(w.err)
	}
	return regexp.MustCompile(`>\n *<`).ReplaceAllString(buf.String(), "><")
}

func TestBlockConversion(t *testing.T) {
	tests := []struct {
		name  string
		block model.Block
		want  string
	}{
		{"plain paragraph", para(`a & b < "c"`), `<p>a &amp; b &lt; &#34;c&#34;</p>`},
		{"inline markup", model.Block{Markup: `<p><strong>b</strong> <em>i</em> <code>c</code> <del>d</del> <sup>1</sup><br>x</p>`},
			`<p><b>b</b> <i>i</i> <inline name="code">c</inline> <span class="strikethrough">d</span> <sup>1</sup><br></br>x</p>`},
		{"link keeps title, escapes href", model.Block{Markup: `<p><a href="https://e.org/a b?q=1&amp;r=&quot;" title="t&quot;">x</a></p>`},
			`<p><a href="https://e.org/a%20b?q=1&amp;r=%22" title="t&#34;">x</a></p>`},
		{"javascript link loses its href", model.Block{Markup: `<p><a href="javascript:alert(1)">x</a></p>`}, `<p>x</p>`},
		{"empty link shows its URL", model.Block{Markup: `<p><a href="https://e.org/"></a></p>`}, `<p><a href="https://e.org/">https://e.org/</a></p>`},
		{"script and style vanish", model.Block{Markup: `<p>a<script>alert("</p>")</script><style>p{}</style>b</p>`}, `<p>ab</p>`},
		{"loose inline HTML becomes a paragraph", model.Block{Markup: `<b>x</b> y<br>z`}, `<p><b>x</b> y<br></br>z</p>`},
		{"nested lists", model.Block{Markup: "<ul>\n<li>a</li>\n<li><p>b</p>\n<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>"},
			`<ul><li>a</li><li><p>b</p><ol><li>c</li></ol></li></ul>`},
		{"an ordered list keeps its start", model.Block{Markup: "<ol start=\"2010\">\n<li></li>\n<li>x</li>\n</ol>"},
			`<ol><li value="2010"></li><li value="2011">x</li></ol>`},
		{"blocks inside an item become paragraphs", model.Block{Markup: "<ul><li>a<blockquote><p>q</p></blockquote><pre>x</pre></li></ul>"},
			`<ul><li>a<p>q</p><p>x</p></li></ul>`},
		{"a list without items is nothing", model.Block{Markup: "<ul></ul>"}, ``},
		{"quote", model.Block{Markup: "<blockquote>\n<p>q</p>\n<p>r</p>\n</blockquote>"}, `<blockContainer class="quote"><p>q</p><p>r</p></blockContainer>`},
		{"empty quote is nothing", model.Block{Markup: "<blockquote>\n</blockquote>"}, ``},
		{"code keeps its text", model.Block{Markup: "<pre><code>a &lt; b\n  c\n</code></pre>"}, "<block name=\"code\">a &lt; b\n  c</block>"},
		{"heading", heading(4, "H & I"), `<block name="heading">H &amp; I</block>`},
		{"table", model.Block{Markup: "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td><td></td></tr><tr></tr></tbody></table>"},
			`<table><tr><th><p>h</p></th></tr><tr><td><p>d</p></td><td></td></tr></table>`},
		{"youtube embed", model.Block{Markup: `<iframe src="https://www.youtube.com/embed/abc" title="T"></iframe>`},
			`<p><a href="https://www.youtube.com/watch?v=abc" title="T">https://www.youtube.com/watch?v=abc</a></p>`},
		{"other embed keeps its URL", model.Block{Markup: `<iframe src="https://embed.vhx.tv/videos/1"></iframe>`},
			`<p><a href="https://embed.vhx.tv/videos/1">https://embed.vhx.tv/videos/1</a></p>`},
		{"embed without a usable src is nothing", model.Block{Markup: `<iframe src="javascript:x"></iframe>`}, ``},
		{"HTML that kept nothing falls back to the text", model.Block{Text: "a <b>", Markup: ""}, `<p>a &lt;b&gt;</p>`},
		{"hr and breaks alone are nothing", model.Block{Markup: "<hr><p><br></p>"}, ``},
		{"div content is kept", model.Block{Markup: "<div><p>a</p>b</div>"}, `<p>a</p><p>b</p>`},
		{"control characters are replaced", para("a\x0cb"), "<p>a\uFFFDb</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, blockNodes(tt.block)); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestLanguageCode(t *testing.T) {
	for tag, want := range map[string]string{"zh-TW": "zho", "en": "eng", "en-GB": "eng", "ja": "jpn", "": "und", "und": "und", "x-klingon": "und"} {
		if got := LanguageCode(tag); got != want {
			t.Errorf("LanguageCode(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestWatchURL(t *testing.T) {
	tests := []struct{ src, want string }{
		{"https://www.youtube-nocookie.com/embed/EQ4dNEOlAlY?si=x&start=7020", "https://www.youtube.com/watch?t=7020s&v=EQ4dNEOlAlY"},
		{"https://youtube.com/embed/abc", "https://www.youtube.com/watch?v=abc"},
		{"https://www.youtube.com/embed/videoseries?list=PL1", "https://www.youtube.com/watch?v=videoseries"},
		{"https://player.vimeo.com/video/42?h=1", "https://vimeo.com/42"},
		{"https://customer-x.cloudflarestream.com/v/iframe", "https://customer-x.cloudflarestream.com/v/iframe"},
	}
	for _, tt := range tests {
		if got := watchURL(tt.src); got != tt.want {
			t.Errorf("watchURL(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestAKNGolden pins the whole document of two fixtures; run with -update
// after an intended change and review the diff.
func TestAKNGolden(t *testing.T) {
	for _, i := range []int{0, 2} {
		r := fixtureRecords()[i]
		got, err := AKN(r, fixtureSpeakers(), testSite)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", r.Slug+".xml"), got)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the export; run go test -update and review the diff", path)
	}
}
