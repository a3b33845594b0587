package model

import "testing"

// TestBlockHTML: a paragraph of plain text keeps no HTML of its own and
// gives back exactly what it was set to; anything else keeps its HTML.
func TestBlockHTML(t *testing.T) {
	for _, c := range []struct {
		name       string
		kind       BlockKind
		text, html string
		kept       bool // Markup holds the HTML
	}{
		{"plain paragraph", BlockParagraph, "大家好，今天討論開放政府。", "<p>大家好，今天討論開放政府。</p>", false},
		{"escaped characters", BlockParagraph, `a < b & "c" > d`, "<p>a &lt; b &amp; &quot;c&quot; &gt; d</p>", false},
		{"empty paragraph", BlockParagraph, "", "<p></p>", false},
		{"inline markup", BlockParagraph, "粗體", "<p><strong>粗體</strong></p>", true},
		{"another escaping", BlockParagraph, "it's", "<p>it&#39;s</p>", true},
		{"soft line break", BlockParagraph, "第一行 第二行", "<p>第一行\n第二行</p>", true},
		{"direction", BlockDirection, "（開始）", "<p>（開始）</p>", true},
		{"HTML that kept nothing", BlockHTML, "x", "", false},
	} {
		b := Block{Kind: c.kind, Text: c.text}
		b.SetHTML(c.html)
		if got := b.HTML(); got != c.html {
			t.Errorf("%s: HTML() = %q, want %q", c.name, got, c.html)
		}
		if (b.Markup != "") != c.kept {
			t.Errorf("%s: Markup = %q, want it kept: %v", c.name, b.Markup, c.kept)
		}
	}
}
