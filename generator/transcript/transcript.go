// Package transcript parses meeting transcripts, Markdown files shaped like
// the public archive's (`# YYYY-MM-DD Title`, `### Speaker：` turns,
// `> （stage direction）`), into model records. It walks goldmark's AST rather
// than matching lines, reports problems as diag findings, and never fails a
// file outright: what can be kept is kept.
package transcript

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/unicode/norm"
)

var (
	// safe renders blocks with no raw HTML: goldmark escapes text and drops
	// dangerous link URLs itself.
	safe = goldmark.New(goldmark.WithExtensions(extension.GFM))
	// unsafe renders blocks that carry raw HTML; its output always goes
	// through Sanitize.
	unsafe = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
)

// Parse reads one transcript. file is the name reported in findings and kept
// as Record.File; src is its content. Speaker labels are kept as written
// (Turn.Label); resolving them to identities is the caller's job, since
// aliases are archive-wide.
func Parse(file string, src []byte, diags *diag.List) *model.Record {
	sum := sha256.Sum256(src)
	rec := &model.Record{File: file, Hash: hex.EncodeToString(sum[:]), Kind: model.KindTranscript}

	if !norm.NFC.IsNormalString(file) {
		diags.Warnf(file, 0, "file name is not in Unicode NFC form; rename it to its NFC form (e.g. with `convmv -f utf8 -t utf8 --nfc`)")
	}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		diags.Warnf(file, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM")
		src = src[3:]
	}
	if !utf8.Valid(src) {
		diags.Errorf(file, invalidUTF8Line(src), "invalid UTF-8; re-save the file as UTF-8")
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}

	p := &parser{file: file, diags: diags, lines: lineStarts(src)}
	p.src = neutralizeUnclosed(file, src, diags, p.lineOf)
	if len(p.src) != len(src) {
		p.lines = lineStarts(p.src)
	}
	doc := safe.Parser().Parse(text.NewReader(p.src))
	p.fixLinks(doc)
	p.walk(doc, rec)
	p.dateAndTitle(rec)
	rec.Lang = detectLang(rec)
	if rec.SpeakerTurns() == 0 {
		rec.Kind = model.KindNotes
	}
	if p.h1 == "" && !rec.Dated() {
		diags.Warnf(file, 1, "no `# YYYY-MM-DD Title` heading and no date in the file name; published as undated notes. Add a first line like `# 2020-01-31 Meeting title`")
	}
	return rec
}

type parser struct {
	file  string
	src   []byte
	diags *diag.List
	lines []int // byte offset of each line start

	h1      string // text of the title heading
	h1Line  int
	current *model.Turn
}

func (p *parser) walk(doc ast.Node, rec *model.Record) {
	ordinal := 0
	first := true
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		line := p.line(n)
		if h, ok := n.(*ast.Heading); ok {
			label := p.raw(h)
			switch {
			case h.Level == 1 && first && rec.Title == "" && p.h1 == "":
				p.h1, p.h1Line = label, line
				first = false
				continue
			case h.Level == 3:
				ordinal++
				rec.Turns = append(rec.Turns, model.Turn{Ordinal: ordinal, Line: line, Label: strings.TrimSpace(label)})
				p.current = &rec.Turns[len(rec.Turns)-1]
				if p.current.Label == "" || strings.Trim(p.current.Label, ":： \u00a0") == "" {
					p.diags.Warnf(p.file, line, "speaker label is empty; write `### Name：`")
				}
				first = false
				continue
			case h.Level <= 2:
				// A section heading between turns starts a narrative segment.
				rec.Turns = append(rec.Turns, model.Turn{Line: line})
				p.current = &rec.Turns[len(rec.Turns)-1]
			}
		}
		first = false
		if p.current == nil {
			rec.Turns = append(rec.Turns, model.Turn{Line: line})
			p.current = &rec.Turns[len(rec.Turns)-1]
		}
		if b, ok := p.block(n, line); ok {
			p.current.Blocks = append(p.current.Blocks, b)
		}
		// p.current points into rec.Turns, which append may move.
		p.current = &rec.Turns[len(rec.Turns)-1]
	}
	// Exactly as long as they are: every record's turns stay in memory
	// through a build, and what append had spare was a quarter of them.
	rec.Turns = slices.Clone(rec.Turns)
	for i := range rec.Turns {
		if t := &rec.Turns[i]; cap(t.Blocks) > len(t.Blocks) {
			t.Blocks = slices.Clone(t.Blocks)
		}
	}
	for i := range rec.Turns {
		t := &rec.Turns[i]
		if t.Ordinal > 0 && len(t.Blocks) == 0 {
			p.diags.Warnf(p.file, t.Line, "turn %d (%s) has no text; add what was said or remove the label", t.Ordinal, t.Label)
		}
	}
}

// block converts one top-level node.
func (p *parser) block(n ast.Node, line int) (model.Block, bool) {
	b := model.Block{Line: line}
	switch n := n.(type) {
	case *ast.Heading:
		b.Kind = model.BlockHeading
		b.Text = p.plain(n)
	case *ast.Paragraph:
		b.Kind = model.BlockParagraph
		b.Text = p.plain(n)
	case *ast.Blockquote:
		b.Text = p.plain(n)
		b.Kind = model.BlockQuote
		if isDirection(b.Text) {
			b.Kind = model.BlockDirection
		}
	case *ast.List:
		b.Kind = model.BlockList
		b.Text = p.plain(n)
	case *ast.HTMLBlock:
		b.Kind = model.BlockHTML
		b.Text = HTMLText(p.raw(n))
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		b.Kind = model.BlockCode
		b.Text = p.raw(n)
	case *ast.ThematicBreak:
		return b, false
	default:
		b.Kind = model.BlockParagraph
		b.Text = p.plain(n)
	}
	b.SetHTML(p.render(n))
	if b.Kind == model.BlockHTML && strings.TrimSpace(b.HTML()) == "" {
		// Everything in it was disallowed (e.g. a <script>): nothing to show.
		return b, strings.TrimSpace(b.Text) != ""
	}
	return b, true
}

// isDirection reports whether a block quote is a stage direction or section
// marker: its text is wrapped in parentheses, full- or half-width.
func isDirection(s string) bool {
	s = strings.TrimSpace(s)
	return (strings.HasPrefix(s, "（") || strings.HasPrefix(s, "(")) &&
		(strings.HasSuffix(s, "）") || strings.HasSuffix(s, ")"))
}

// render returns the node's HTML, sanitised when it carries raw HTML.
func (p *parser) render(n ast.Node) string {
	var buf bytes.Buffer
	if hasRawHTML(n) {
		_ = unsafe.Renderer().Render(&buf, p.src, n)
		for _, problem := range LinkProblems(buf.String()) {
			p.diags.Warnf(p.file, p.line(n), "%s", problem)
		}
		return strings.TrimSpace(Sanitize(buf.String()))
	}
	_ = safe.Renderer().Render(&buf, p.src, n)
	return strings.TrimSpace(buf.String())
}

func hasRawHTML(n ast.Node) bool {
	found := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (c.Kind() == ast.KindRawHTML || c.Kind() == ast.KindHTMLBlock) {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// plain extracts a node's text for search and exports: inline text, link
// text, line breaks; raw HTML tags dropped except <br>.
func (p *parser) plain(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if c.Type() == ast.TypeBlock && c != n && b.Len() > 0 {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(p.src))
			if c.HardLineBreak() {
				b.WriteByte('\n')
			} else if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.URL(p.src))
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				if isBreakTag(seg.Value(p.src)) {
					b.WriteByte('\n')
				}
			}
		case *ast.HTMLBlock:
			b.WriteString(HTMLText(p.raw(c)))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(strings.ReplaceAll(b.String(), "\n\n", "\n"))
}

var breakTag = regexp.MustCompile(`(?i)^<br\s*/?>$`)

func isBreakTag(b []byte) bool { return breakTag.Match(bytes.TrimSpace(b)) }

// HTMLText is the visible text of an HTML fragment, a line break for each
// <br>.
func HTMLText(s string) string {
	s = breakTags.ReplaceAllString(s, "\n")
	s = tags.ReplaceAllString(s, "")
	return strings.TrimSpace(htmlUnescape(s))
}

var (
	breakTags = regexp.MustCompile(`(?i)<br\s*/?>`)
	tags      = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
)

// raw returns the source lines of a block node.
func (p *parser) raw(n ast.Node) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(p.src))
	}
	return strings.TrimRight(b.String(), "\n")
}

// line returns the 1-based source line of a node: its first line segment,
// or that of its first descendant for containers.
func (p *parser) line(n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return p.lineOf(c.Lines().At(0).Start)
		}
		if t, ok := c.(*ast.Text); ok {
			return p.lineOf(t.Segment.Start)
		}
	}
	return 0
}

func (p *parser) lineOf(offset int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > offset })
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func invalidUTF8Line(src []byte) int {
	line := 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		src = src[size:]
	}
	return line
}

// dateRe finds a date at the start of a title: 2020-08-12, 2019‑12‑24 (any
// dash), 20160204, or a date in parentheses anywhere, (2016-05-04).
var (
	leadDate  = regexp.MustCompile(`^(\d{4})[\p{Pd}]?(\d{2})[\p{Pd}]?(\d{2})(?:[\s\p{Zs}]+|$)`)
	parenDate = regexp.MustCompile(`[（(](\d{4})[\p{Pd}](\d{2})[\p{Pd}](\d{2})[）)]`)
	fileDate  = regexp.MustCompile(`^(\d{4})[\p{Pd}](\d{2})[\p{Pd}](\d{2})`)
)

// dateAndTitle sets the record's title and date from the H1, falling back to
// the file name for whatever the H1 lacks.
func (p *parser) dateAndTitle(rec *model.Record) {
	title := strings.TrimSpace(norm.NFC.String(p.h1))
	title = strings.Join(strings.FieldsFunc(title, unicode.IsSpace), " ")
	var y, m, d string
	if g := leadDate.FindStringSubmatch(title); g != nil {
		y, m, d = g[1], g[2], g[3]
		title = strings.TrimSpace(title[len(g[0]):])
	} else if g := parenDate.FindStringSubmatch(title); g != nil {
		y, m, d = g[1], g[2], g[3]
		title = strings.TrimSpace(strings.Replace(title, g[0], "", 1))
	}
	stem := strings.TrimSuffix(path.Base(rec.File), path.Ext(rec.File))
	fy, fm, fd := "", "", ""
	if g := fileDate.FindStringSubmatch(stem); g != nil {
		fy, fm, fd = g[1], g[2], g[3]
	}
	if y != "" {
		if t, ok := p.date(y, m, d, p.h1Line); ok {
			rec.Date = t
		}
		if fy != "" && (fy != y || fm != m || fd != d) {
			p.diags.Warnf(p.file, p.h1Line, "heading date %s-%s-%s differs from the file name's %s-%s-%s; make them agree (the heading wins)", y, m, d, fy, fm, fd)
		}
	} else if fy != "" {
		if t, ok := p.date(fy, fm, fd, 0); ok {
			rec.Date = t
		}
	}
	if title == "" {
		title = stem
		if g := fileDate.FindString(stem); g != "" {
			title = strings.TrimLeft(stem[len(g):], "-")
		}
		title = strings.TrimSpace(strings.ReplaceAll(title, "-", " "))
		if p.h1 == "" && !rec.Dated() {
			// Neither heading nor dated file name: the caller's warning covers it.
			rec.Title = title
			return
		}
	}
	rec.Title = title
}

func (p *parser) date(y, m, d string, line int) (time.Time, bool) {
	s := y + "-" + m + "-" + d
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		p.diags.Errorf(p.file, line, "impossible date %s; write a real date as YYYY-MM-DD", s)
		return time.Time{}, false
	}
	if t.Year() < 1900 || t.After(time.Now().AddDate(1, 0, 0)) {
		p.diags.Errorf(p.file, line, "implausible date %s; check the year", s)
		return time.Time{}, false
	}
	return t, true
}

// detectLang guesses the record's language from its text: Traditional
// Chinese when Han characters make up a real share of the letters.
func detectLang(rec *model.Record) string {
	han, latin := 0, 0
	count := func(s string) {
		for _, r := range s {
			switch {
			case unicode.Is(unicode.Han, r):
				han++
			case r < 0x250 && unicode.IsLetter(r):
				latin++
			}
		}
	}
	count(rec.Title)
	for i := range rec.Turns {
		for _, b := range rec.Turns[i].Blocks {
			count(b.Text)
		}
		if han+latin > 20000 {
			break
		}
	}
	// A Han character carries about as much as a four-letter word.
	if han*4 >= latin/2 && han > 0 {
		return "zh-TW"
	}
	return "en"
}
