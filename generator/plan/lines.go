package plan

import (
	"bytes"
	"strconv"
	"strings"
)

// keyLines maps the key paths of a TOML document to the line each starts
// on, so that findings about decoded values can name their line. Paths
// index arrays: "commitments[2].milestones[0].status", "areas[1].cites[3]";
// an element of an array of tables is the line of its [[header]].
type keyLines map[string]int

// line returns the line of path or of its nearest enclosing path: an
// element of a one-line array is on its key's line, a key that is not in
// the file belongs to its table's header, and the root table starts on
// line 1.
func (k keyLines) line(path string) int {
	for path != "" {
		if n, ok := k[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 1
}

// scanLines reads src, a document that BurntSushi/toml has already parsed
// without error: it follows table headers, keys, array elements and inline
// tables, and passes over strings of all four kinds and comments, so that
// nothing inside a string is taken for a key.
func scanLines(src []byte) keyLines {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	s := &lineScanner{src: src, line: 1, out: keyLines{}, elems: map[string]int{}}
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
			s.mark(table, line)
			continue
		}
		segs := s.key()
		s.assign()
		s.value(joinKey(table, segs), line)
	}
}

type lineScanner struct {
	src   []byte
	pos   int
	line  int
	out   keyLines
	elems map[string]int // array of tables, as an indexed path → elements seen so far
}

func (s *lineScanner) mark(path string, line int) {
	if _, ok := s.out[path]; !ok {
		s.out[path] = line
	}
}

func (s *lineScanner) peek(off int) byte {
	if s.pos+off < len(s.src) {
		return s.src[s.pos+off]
	}
	return 0
}

// next passes one byte, counting lines.
func (s *lineScanner) next() {
	if s.src[s.pos] == '\n' {
		s.line++
	}
	s.pos++
}

// space passes blanks and comments, and line breaks too when nl is set.
func (s *lineScanner) space(nl bool) {
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
func (s *lineScanner) assign() {
	s.space(false)
	if s.peek(0) == '=' {
		s.pos++
	}
	s.space(false)
}

// header turns the segments of a [table] or [[array]] header into an
// indexed path: a segment naming an array of tables means its current
// element, and an [[array]] header starts the next element.
func (s *lineScanner) header(segs []string, array bool) string {
	path := ""
	for i, seg := range segs {
		path = joinKey(path, []string{seg})
		if array && i == len(segs)-1 {
			n := s.elems[path]
			s.elems[path] = n + 1
			return path + "[" + strconv.Itoa(n) + "]"
		}
		if n, ok := s.elems[path]; ok {
			path += "[" + strconv.Itoa(n-1) + "]"
		}
	}
	return path
}

// key reads a dotted key of bare, "basic" and 'literal' segments.
func (s *lineScanner) key() []string {
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

func joinKey(prefix string, segs []string) string {
	k := strings.Join(segs, ".")
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// value reads the value of path, which starts on line.
func (s *lineScanner) value(path string, line int) {
	s.mark(path, line)
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
			s.value(path+"["+strconv.Itoa(i)+"]", s.line)
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
			s.value(joinKey(path, segs), kl)
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
func (s *lineScanner) str() {
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
