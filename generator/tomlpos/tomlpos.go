// Package tomlpos reads the TOML files of a records subdirectory (camps,
// commitments) and maps the key paths of a TOML document to the lines they
// are on, so that findings about decoded values can name a line:
// BurntSushi/toml gives positions for syntax errors only.
//
// Paths index arrays: "outcomes[2].cites[1]", "commitments[0].milestones[1].status";
// an element of an array of tables is on the line of its [[header]].
package tomlpos

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// Lines holds the line of every key path of one document.
type Lines struct {
	at    map[string]int   // indexed path → line
	plain map[string][]int // path without indexes → every line it is on, in order
}

// Line returns the line of path, or of its nearest enclosing path that has
// one (an element of a one-line array is on its key's line, a key that is
// not in the file belongs to its table's header), or 0 when none has.
func (l *Lines) Line(path string) int {
	for path != "" {
		if n, ok := l.at[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// Plain returns every line a path without indexes is on, in file order,
// as toml.MetaData.Undecoded names keys without saying which element.
func (l *Lines) Plain(plain string) []int { return l.plain[plain] }

var indexRe = regexp.MustCompile(`\[\d+\]`)

// PlainPath drops the array indexes of path: "a[1].b[0]" → "a.b".
func PlainPath(path string) string { return indexRe.ReplaceAllString(path, "") }

// Index is the path of element i of the array at path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Scan reads src, a document that BurntSushi/toml has already parsed
// without error. It reads just enough TOML to follow table headers, keys,
// array elements and inline tables, and passes over comments and strings
// of all four kinds, so that nothing inside a string is taken for a key.
// A leading byte-order mark is ignored.
func Scan(src []byte) *Lines {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	s := &scanner{src: src, line: 1, out: &Lines{at: map[string]int{}, plain: map[string][]int{}}, elems: map[string]int{}}
	table := ""
	for {
		s.space(true)
		if s.pos >= len(s.src) {
			return s.out
		}
		line := s.line
		if s.src[s.pos] == '[' {
			array := s.peek(1) == '['
			s.pos++
			if array {
				s.pos++
			}
			segs := s.key()
			s.space(false)
			for s.peek(0) == ']' {
				s.pos++
			}
			table = s.header(segs, array)
			s.mark(table, line, true)
			continue
		}
		segs := s.key()
		s.assign()
		s.value(join(table, segs), line, true)
	}
}

type scanner struct {
	src   []byte
	pos   int
	line  int
	out   *Lines
	elems map[string]int // array of tables, as an indexed path → elements seen so far
}

// mark records the line of path. An array element is not listed under its
// plain path, which is its array's key and is listed already.
func (s *scanner) mark(path string, line int, plain bool) {
	if _, ok := s.out.at[path]; !ok {
		s.out.at[path] = line
	}
	if plain {
		p := PlainPath(path)
		s.out.plain[p] = append(s.out.plain[p], line)
	}
}

func (s *scanner) peek(off int) byte {
	if s.pos+off < len(s.src) {
		return s.src[s.pos+off]
	}
	return 0
}

// next passes one byte, counting lines.
func (s *scanner) next() {
	if s.src[s.pos] == '\n' {
		s.line++
	}
	s.pos++
}

// space passes blanks and comments, and line breaks too when nl is set.
func (s *scanner) space(nl bool) {
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || (c == '\n' && nl):
			s.next()
		case c == '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		default:
			return
		}
	}
}

// assign passes the "=" between a key and its value.
func (s *scanner) assign() {
	s.space(false)
	if s.peek(0) == '=' {
		s.pos++
	}
	s.space(false)
}

// header turns the segments of a [table] or [[array]] header into an
// indexed path: a segment naming an array of tables means its current
// element, and an [[array]] header starts the next element.
func (s *scanner) header(segs []string, array bool) string {
	path := ""
	for i, seg := range segs {
		path = join(path, []string{seg})
		if array && i == len(segs)-1 {
			n := s.elems[path]
			s.elems[path] = n + 1
			return Index(path, n)
		}
		if n, ok := s.elems[path]; ok {
			path = Index(path, n-1)
		}
	}
	return path
}

// key reads a dotted key of bare, "basic" and 'literal' segments.
func (s *scanner) key() []string {
	var segs []string
	for {
		s.space(false)
		switch q := s.peek(0); q {
		case '"', '\'':
			start := s.pos
			s.str()
			raw := string(s.src[start:s.pos])
			seg := raw[1 : len(raw)-1]
			if q == '"' {
				if u, err := strconv.Unquote(raw); err == nil {
					seg = u
				}
			}
			segs = append(segs, seg)
		default:
			start := s.pos
			for s.pos < len(s.src) && bare(s.src[s.pos]) {
				s.pos++
			}
			segs = append(segs, string(s.src[start:s.pos]))
		}
		s.space(false)
		if s.peek(0) != '.' {
			return segs
		}
		s.pos++
	}
}

func bare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func join(prefix string, segs []string) string {
	k := strings.Join(segs, ".")
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// value reads the value of path, which starts on line; plain is false for
// an array element.
func (s *scanner) value(path string, line int, plain bool) {
	s.mark(path, line, plain)
	switch s.peek(0) {
	case '"', '\'':
		s.str()
	case '[':
		s.pos++
		for i := 0; ; i++ {
			s.space(true)
			if s.pos >= len(s.src) || s.src[s.pos] == ']' {
				s.pos++
				return
			}
			s.value(Index(path, i), s.line, false)
			s.space(true)
			if s.peek(0) == ',' {
				s.pos++
			}
		}
	case '{':
		s.pos++
		for {
			s.space(true)
			if s.pos >= len(s.src) || s.src[s.pos] == '}' {
				s.pos++
				return
			}
			kl := s.line
			segs := s.key()
			s.assign()
			s.value(join(path, segs), kl, true)
			s.space(true)
			if s.peek(0) == ',' {
				s.pos++
			}
		}
	default: // number, boolean, date and time: up to a delimiter
		for s.pos < len(s.src) && !strings.ContainsRune(",]}#\r\n", rune(s.src[s.pos])) {
			s.pos++
		}
	}
}

// str passes a string of any kind: basic, literal, and their multi-line
// forms, which may hold line breaks, quotes and up to two quotes before
// the closing three.
func (s *scanner) str() {
	q := s.src[s.pos]
	basic := q == '"'
	if s.peek(1) == q && s.peek(2) == q {
		s.pos += 3
		for s.pos < len(s.src) {
			switch {
			case basic && s.src[s.pos] == '\\':
				s.next()
				if s.pos < len(s.src) {
					s.next()
				}
			case s.src[s.pos] == q && s.peek(1) == q && s.peek(2) == q:
				s.pos += 3
				for extra := 0; extra < 2 && s.peek(0) == q; extra++ {
					s.pos++
				}
				return
			default:
				s.next()
			}
		}
		return
	}
	s.pos++
	for s.pos < len(s.src) && s.src[s.pos] != q && s.src[s.pos] != '\n' {
		if basic && s.src[s.pos] == '\\' {
			s.pos++
		}
		s.pos++
	}
	s.pos++
}
