package export

import (
	stdhtml "html"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/weblink"
)

// A block's sanitised HTML is converted element by element into the AKN
// vocabulary (p, ul/ol/li, table, blockContainer, b, i, a, br, …). Anything
// without an AKN counterpart keeps its text and loses its markup; scripts
// and styles lose both. The HTML is parsed, never matched with patterns, so
// whatever it contains ends up as escaped text or allowed elements.

var bodyContext = &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}

// blockNodes converts one block (anything but a stage direction) into AKN
// blocks.
func blockNodes(b model.Block) []*node {
	markup := b.HTML()
	if s, ok := plainParagraph(markup); ok { // most blocks: skip the parser
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return []*node{el("p").add(text(s))}
	}
	var out []*node
	if strings.TrimSpace(markup) != "" {
		if nodes, err := html.ParseFragment(strings.NewReader(markup), bodyContext); err == nil {
			out = convertBlocks(nodes)
		}
	}
	if len(out) == 0 && strings.TrimSpace(b.Text) != "" {
		// The HTML kept nothing (everything was disallowed) but the text is
		// still part of the record.
		out = []*node{el("p").add(text(b.Text))}
	}
	return out
}

// plainParagraph reports whether s is a paragraph without markup inside,
// returning its text.
func plainParagraph(s string) (string, bool) {
	inner, ok := strings.CutPrefix(s, "<p>")
	if !ok {
		return "", false
	}
	inner, ok = strings.CutSuffix(inner, "</p>")
	if !ok || strings.IndexByte(inner, '<') >= 0 {
		return "", false
	}
	return stdhtml.UnescapeString(inner), true
}

// directionInline is the inline content of a stage direction, links kept.
func directionInline(b model.Block) []*node {
	if k := flatten(blockNodes(b)); !blank(k) {
		return k
	}
	return []*node{text(b.Text)}
}

// headingInline is the inline content of a heading block.
func headingInline(b model.Block) []*node {
	nodes, err := html.ParseFragment(strings.NewReader(b.HTML()), bodyContext)
	if err == nil {
		for _, n := range nodes {
			if n.Type == html.ElementNode && isHeading(n.DataAtom) {
				if k := inlineOf(children(n)); !blank(k) {
					return k
				}
			}
		}
	}
	return []*node{text(b.Text)}
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func children(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, c)
	}
	return out
}

// convertBlocks converts sibling HTML nodes in a block context; loose text
// and inline elements between blocks are gathered into paragraphs.
func convertBlocks(list []*html.Node) []*node {
	var out []*node
	var para *node
	flush := func() {
		if para != nil && !blank(para.kids) {
			out = append(out, para)
		}
		para = nil
	}
	for _, c := range list {
		if c.Type == html.ElementNode && blockTags[c.DataAtom] {
			flush()
			out = append(out, blockElement(c)...)
			continue
		}
		k := inline(c)
		if len(k) == 0 {
			continue
		}
		if para == nil {
			para = el("p")
		}
		para.add(k...)
	}
	flush()
	return out
}

// blockTags are the HTML elements blockElement converts; the others are
// inline.
var blockTags = func() map[atom.Atom]bool {
	m := map[atom.Atom]bool{}
	for _, a := range []atom.Atom{
		atom.P, atom.Address, atom.Figcaption, atom.Dt, atom.Dd, atom.Summary, atom.Caption, atom.Legend,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Blockquote,
		atom.Pre, atom.Table, atom.Iframe, atom.Div, atom.Section, atom.Article, atom.Aside,
		atom.Header, atom.Footer, atom.Nav, atom.Main, atom.Figure, atom.Details, atom.Center,
		atom.Dl, atom.Li, atom.Tr, atom.Td, atom.Th, atom.Thead, atom.Tbody, atom.Tfoot, atom.Form,
		atom.Fieldset, atom.Hr, atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Object,
		atom.Embed, atom.Head, atom.Title, atom.Meta, atom.Link, atom.Video, atom.Audio,
	} {
		m[a] = true
	}
	return m
}()

// blockElement converts a block-level HTML element (one of blockTags).
func blockElement(n *html.Node) (out []*node) {
	switch n.DataAtom {
	case atom.P, atom.Address, atom.Figcaption, atom.Dt, atom.Dd, atom.Summary, atom.Caption, atom.Legend:
		if k := inlineOf(children(n)); !blank(k) {
			out = []*node{el("p").add(k...)}
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if k := inlineOf(children(n)); !blank(k) {
			out = []*node{el("block", "name", "heading").add(k...)}
		}
	case atom.Ul, atom.Ol:
		if l := list(n); l != nil {
			out = []*node{l}
		}
	case atom.Blockquote:
		if inner := convertBlocks(children(n)); len(inner) > 0 {
			out = []*node{flow("blockContainer", "class", "quote").add(inner...)}
		}
	case atom.Pre:
		if s := strings.TrimRight(textContent(n), "\n"); strings.TrimSpace(s) != "" {
			out = []*node{el("block", "name", "code").add(text(s))}
		}
	case atom.Table:
		if t := table(n); t != nil {
			out = []*node{t}
		}
	case atom.Iframe:
		if a := videoLink(n); a != nil {
			out = []*node{el("p").add(a)}
		}
	case atom.Div, atom.Section, atom.Article, atom.Aside, atom.Header, atom.Footer, atom.Nav,
		atom.Main, atom.Figure, atom.Details, atom.Center, atom.Dl, atom.Li, atom.Tr, atom.Td,
		atom.Th, atom.Thead, atom.Tbody, atom.Tfoot, atom.Form, atom.Fieldset:
		out = convertBlocks(children(n))
	case atom.Hr, atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Object, atom.Embed,
		atom.Head, atom.Title, atom.Meta, atom.Link, atom.Video, atom.Audio:
		// Nothing a reader of the record would miss.
	}
	return out
}

// list converts ul/ol; nil when it has no items (the schema wants one).
func list(n *html.Node) *node {
	name := "ul"
	if n.DataAtom == atom.Ol {
		name = "ol"
	}
	l := flow(name)
	// An ordered list that does not start at 1 numbers its items
	// explicitly, or "2010." alone on a line (a list item to Markdown)
	// would lose its number.
	next, numbered := 0, false
	if name == "ol" {
		next, numbered = startOf(n)
	}
	for _, c := range children(n) {
		if c.Type == html.ElementNode && c.DataAtom == atom.Li {
			li := el("li")
			if numbered {
				li.attrs = append(li.attrs, attr("value", strconv.Itoa(next)))
				next++
			}
			l.add(li.add(itemContent(c)...))
			continue
		}
		if k := inline(c); !blank(k) { // stray content between items
			l.add(el("li").add(k...))
		}
	}
	if len(l.kids) == 0 {
		return nil
	}
	return l
}

// startOf reads an ol's start attribute.
func startOf(n *html.Node) (int, bool) {
	v, err := strconv.Atoi(strings.TrimSpace(attrOf(n, "start")))
	return v, err == nil
}

// itemContent is what an li may hold: inline content, p, ul and ol; other
// blocks inside an item become paragraphs of their text.
func itemContent(li *html.Node) []*node {
	var out []*node
	for _, c := range children(li) {
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.Ul, atom.Ol:
				if l := list(c); l != nil {
					out = append(out, l)
				}
				continue
			}
			if blockTags[c.DataAtom] {
				for _, b := range blockElement(c) {
					if b.name == "p" || b.name == "ul" || b.name == "ol" {
						out = append(out, b)
					} else if k := flatten([]*node{b}); !blank(k) {
						out = append(out, el("p").add(k...))
					}
				}
				continue
			}
		}
		out = append(out, inline(c)...)
	}
	// Source line breaks around the item's paragraphs and sublists are
	// layout, not content.
	hasBlock := false
	for _, n := range out {
		hasBlock = hasBlock || n.name == "p" || n.name == "ul" || n.name == "ol"
	}
	if hasBlock {
		out = slices.DeleteFunc(out, func(n *node) bool { return n.name == "" && strings.TrimSpace(n.text) == "" })
	}
	return out
}

// table converts a table's rows and cells; nil when it has no cell.
func table(n *html.Node) *node {
	t := flow("table")
	var rows func(*html.Node)
	rows = func(n *html.Node) {
		for _, c := range children(n) {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				r := flow("tr")
				for _, cell := range children(c) {
					if cell.Type == html.ElementNode && (cell.DataAtom == atom.Td || cell.DataAtom == atom.Th) {
						r.add(flow(cell.Data).add(convertBlocks(children(cell))...))
					}
				}
				if len(r.kids) > 0 {
					t.add(r)
				}
			case atom.Thead, atom.Tbody, atom.Tfoot:
				rows(c)
			}
		}
	}
	rows(n)
	if len(t.kids) == 0 {
		return nil
	}
	return t
}

func inlineOf(list []*html.Node) []*node {
	var out []*node
	for _, c := range list {
		out = append(out, inline(c)...)
	}
	return out
}

// inline converts one node in an inline context.
func inline(n *html.Node) []*node {
	switch n.Type {
	case html.TextNode:
		return []*node{text(n.Data)}
	case html.ElementNode:
	default:
		return nil // comments, doctypes
	}
	wrap := func(e *node) []*node {
		k := inlineOf(children(n))
		if len(k) == 0 {
			return nil
		}
		return []*node{e.add(k...)}
	}
	switch n.DataAtom {
	case atom.A:
		k := inlineOf(children(n))
		href, ok := safeHref(attrOf(n, "href"))
		if !ok {
			return k
		}
		if blank(k) {
			k = []*node{text(href)}
		}
		a := el("a", "href", href)
		if t := attrOf(n, "title"); t != "" {
			a.attrs = append(a.attrs, attr("title", t))
		}
		return []*node{a.add(k...)}
	case atom.B, atom.Strong:
		return wrap(el("b"))
	case atom.I, atom.Em, atom.Cite, atom.Var, atom.Dfn:
		return wrap(el("i"))
	case atom.U, atom.Ins:
		return wrap(el("u"))
	case atom.Sup:
		return wrap(el("sup"))
	case atom.Sub:
		return wrap(el("sub"))
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		return wrap(el("inline", "name", "code"))
	case atom.S, atom.Del, atom.Strike:
		// AKN's del marks amendments; this is only typography.
		return wrap(el("span", "class", "strikethrough"))
	case atom.Br:
		return []*node{el("br")}
	case atom.Iframe:
		if a := videoLink(n); a != nil {
			return []*node{a}
		}
		return nil
	case atom.Img:
		if alt := attrOf(n, "alt"); alt != "" {
			return []*node{text(alt)}
		}
		return nil
	case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Object, atom.Embed,
		atom.Head, atom.Title, atom.Meta, atom.Link, atom.Video, atom.Audio:
		return nil
	}
	if blockTags[n.DataAtom] {
		return flatten(blockElement(n))
	}
	return inlineOf(children(n)) // span, small, abbr, …: keep the text
}

// blockNames are the AKN elements flatten takes apart.
var blockNames = map[string]bool{
	"p": true, "li": true, "block": true, "blockContainer": true,
	"ul": true, "ol": true, "table": true, "tr": true, "td": true, "th": true,
}

// flatten turns converted blocks into inline content, one line per block,
// for places where the schema allows no blocks.
func flatten(nodes []*node) []*node {
	var out []*node
	for _, n := range nodes {
		if !blockNames[n.name] {
			out = append(out, n)
			continue
		}
		inner := flatten(n.kids)
		if blank(inner) {
			continue
		}
		if !blank(out) {
			out = append(out, el("br"))
		}
		out = append(out, inner...)
	}
	return out
}

// blank reports whether nodes show nothing: only white space and breaks.
func blank(nodes []*node) bool {
	for _, n := range nodes {
		switch {
		case n.name == "" && strings.TrimSpace(n.text) != "":
			return false
		case n.name != "" && n.name != "br":
			return false
		}
	}
	return true
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// safeHref returns href as weblink.Check publishes it, an ASCII URI that
// is a valid xs:anyURI, or false when it is no usable link. The parser
// already publishes only such links; the export does not rely on it, as
// its input may come from elsewhere.
func safeHref(href string) (string, bool) {
	r := weblink.Check(href)
	return r.URL, r.OK
}

// videoLink turns a video embed into a link to the video's own page, which
// is what a reader of an exported record can follow.
func videoLink(n *html.Node) *node {
	src, ok := safeHref(attrOf(n, "src"))
	if !ok {
		return nil
	}
	href, ok := safeHref(watchURL(src))
	if !ok {
		return nil
	}
	a := el("a", "href", href)
	if t := attrOf(n, "title"); t != "" {
		a.attrs = append(a.attrs, attr("title", t))
	}
	return a.add(text(href))
}

// watchURL maps YouTube and Vimeo embed URLs to their watch pages; other
// URLs are returned as they are.
func watchURL(src string) string {
	u, err := url.Parse(src)
	if err != nil {
		return src
	}
	host := strings.TrimPrefix(u.Host, "www.")
	switch {
	case (host == "youtube.com" || host == "youtube-nocookie.com") && strings.HasPrefix(u.Path, "/embed/"):
		id := strings.TrimPrefix(u.Path, "/embed/")
		if id == "" || strings.Contains(id, "/") {
			return src
		}
		q := url.Values{"v": {id}}
		if start := u.Query().Get("start"); start != "" {
			q.Set("t", start+"s")
		}
		return "https://www.youtube.com/watch?" + q.Encode()
	case host == "player.vimeo.com" && strings.HasPrefix(u.Path, "/video/"):
		if id := strings.TrimPrefix(u.Path, "/video/"); id != "" && !strings.Contains(id, "/") {
			return "https://vimeo.com/" + id
		}
	}
	return src
}
