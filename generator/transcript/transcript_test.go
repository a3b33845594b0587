package transcript

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

func parseFile(t *testing.T, name string) (*model.Record, *diag.List) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var d diag.List
	return Parse(name, src, &d), &d
}

func TestTitleAndDate(t *testing.T) {
	tests := []struct {
		file, title, date, lang string
		kind                    model.Kind
		turns                   int
		findings                []string // substrings, in sorted order
	}{
		{"basic.md", "開放政府第75次協作會議 工作會議", "2020-08-12", "zh-TW", model.KindTranscript, 4,
			[]string{"basic.md:20: warning: turn 3 (唐鳳召集人：) has no text",
				`basic.md:33: warning: link "javascript:alert(1)": javascript: links are never published`,
				`basic.md:33: warning: link "javascript:alert(2)": javascript: links are never published`}},
		{"nbsp-date.md", "Cheers 盧智芳補訪", "2017-04-19", "zh-TW", model.KindTranscript, 1, nil},
		{"paren-date.md", "《律師法》修法諮詢會議", "2016-05-04", "zh-TW", model.KindTranscript, 1, nil},
		{"compact-date.md", "Compact date", "2016-02-04", "en", model.KindTranscript, 1, nil},
		{"2016-06-14-title-only.md", "第二階段第一次工作會議會議紀錄", "2016-06-14", "zh-TW", model.KindTranscript, 1, nil},
		{"nbhyphen.md", "Interview with Leen Vervaeke", "2019-12-24", "en", model.KindTranscript, 1, nil},
		{"notes.md", "notes", "", "zh-TW", model.KindNotes, 0,
			[]string{"notes.md:1: warning: no `# YYYY-MM-DD Title` heading and no date in the file name"}},
		{"bad.md", "Impossible", "", "en", model.KindTranscript, 1, []string{
			"bad.md:1: warning: file starts with a byte-order mark",
			"bad.md:1: error: impossible date 2019-02-30",
			"bad.md:4: error: invalid UTF-8",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, d := parseFile(t, tt.file)
			if r.Title != tt.title || r.DateString() != tt.date || r.Lang != tt.lang || r.Kind != tt.kind || r.SpeakerTurns() != tt.turns {
				t.Errorf("got title %q date %q lang %q kind %q turns %d; want %q %q %q %q %d",
					r.Title, r.DateString(), r.Lang, r.Kind, r.SpeakerTurns(), tt.title, tt.date, tt.lang, tt.kind, tt.turns)
			}
			got := d.Sorted()
			if len(got) != len(tt.findings) {
				t.Fatalf("findings:\n%s\nwant %d: %q", d.String(), len(tt.findings), tt.findings)
			}
			for i, want := range tt.findings {
				if !strings.HasPrefix(got[i].String(), want) {
					t.Errorf("finding %d = %q, want prefix %q", i, got[i].String(), want)
				}
			}
		})
	}
}

func TestTurnsAndBlocks(t *testing.T) {
	r, _ := parseFile(t, "basic.md")
	type turn struct {
		ordinal int
		label   string
		kinds   string
		line    int
	}
	want := []turn{
		{0, "", "direction", 3},
		{1, "顏容欣：", "p p", 5},
		{2, "Audrey Tang:", "p direction quote list", 10},
		{3, "唐鳳召集人：", "", 20},
		{0, "", "heading p", 22},
		{4, "問：", "html p", 26},
	}
	if len(r.Turns) != len(want) {
		t.Fatalf("got %d turns, want %d", len(r.Turns), len(want))
	}
	for i, w := range want {
		tr := r.Turns[i]
		var kinds []string
		for _, b := range tr.Blocks {
			kinds = append(kinds, string(b.Kind))
		}
		if tr.Ordinal != w.ordinal || tr.Label != w.label || strings.Join(kinds, " ") != w.kinds || tr.Line != w.line {
			t.Errorf("turn %d = {%d %q %q line %d}, want %+v", i, tr.Ordinal, tr.Label, strings.Join(kinds, " "), tr.Line, w)
		}
	}
	if got := r.Turns[2].Blocks[0].Text; got != "Hello \n world." {
		t.Errorf("plain text with <br> = %q", got)
	}
	if got := r.Turns[1].Text(); got != "上次提了想要做這個協作議題。\n第二段。" {
		t.Errorf("Text() = %q", got)
	}
}

func TestSanitizedHTML(t *testing.T) {
	r, _ := parseFile(t, "basic.md")
	var all strings.Builder
	for _, tr := range r.Turns {
		for _, b := range tr.Blocks {
			all.WriteString(b.HTML())
		}
	}
	html := all.String()
	for _, bad := range []string{"<script", "pwned", "javascript:", "onclick", "evil.example"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML keeps %q:\n%s", bad, html)
		}
	}
	for _, good := range []string{`<iframe src="https://www.youtube-nocookie.com/embed/abc"`, "<b>粗</b>", "<sup>1</sup>", "<br", `<a href="https://example.org"`} {
		if !strings.Contains(html, good) {
			t.Errorf("rendered HTML lost %q:\n%s", good, html)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<script>alert(1)</script>x`, `x`},
		{`<img src=x onerror=alert(1)>`, ``},
		{`<a href="javascript:alert(1)">t</a>`, `t`},
		{`<a href="data:text/html,<script>alert(1)</script>">t</a>`, `t`},
		{`<a href="https://example.org/" onmouseover="x()">t</a>`, `<a href="https://example.org/" rel="nofollow">t</a>`},
		{`<iframe src="https://player.vimeo.com/video/1"></iframe>`, `<iframe src="https://player.vimeo.com/video/1"></iframe>`},
		{`<iframe src="https://example.org/"></iframe>`, ``},
		{`<iframe src="javascript:alert(1)"></iframe>`, ``},
		{`<b onclick="x()">b</b><br/>`, `<b>b</b><br/>`},
		{`<svg onload=alert(1)>`, ``},
		{`<blockquote class="twitter-tweet"><p>tweet</p></blockquote><script async src="https://platform.twitter.com/widgets.js"></script>`, `<blockquote><p>tweet</p></blockquote>`},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParse checks that no input crashes the parser and that every `###`
// heading line becomes a turn.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, name := range files {
		src, _ := os.ReadFile(name)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var d diag.List
		r := Parse("fuzz.md", src, &d)
		if r == nil {
			t.Fatal("nil record")
		}
		for _, tr := range r.Turns {
			for _, b := range tr.Blocks {
				if strings.Contains(strings.ToLower(b.HTML()), "<script") {
					t.Fatalf("script survived: %q", b.HTML())
				}
			}
		}
	})
}

func TestLinksAndUnclosedHTML(t *testing.T) {
	r, d := parseFile(t, "links.md")
	if r.SpeakerTurns() != 5 {
		t.Fatalf("an unclosed <!-- hid turns: %d of 5 kept\n%s", r.SpeakerTurns(), d.String())
	}
	html := r.Turns[0].Blocks[0].HTML()
	for _, want := range []string{`<a href="https://audreyt.org/x">網站</a>`, `檔案`, `<a href="http://talk.pdis.nat.gov.tw/a.png">🖼 圖</a>`} {
		if !strings.Contains(html, want) {
			t.Errorf("turn A HTML lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "four-tests-checklist.md") || strings.Contains(html, "<img") {
		t.Errorf("relative link or image kept:\n%s", html)
	}
	if got := r.Turns[3].Blocks[0].HTML(); got != "<p><b>粗體沒有結束</b></p>" {
		t.Errorf("unclosed <b> = %q", got)
	}
	for _, want := range []string{
		`links.md:4: warning: link "four-tests-checklist.md" is relative`,
		`links.md:7: warning: <!-- is never closed with -->`,
	} {
		if !strings.Contains(d.String(), want) {
			t.Errorf("findings lack %q:\n%s", want, d.String())
		}
	}
}
