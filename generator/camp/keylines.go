package camp

import (
	"regexp"
	"strconv"
	"strings"
)

// keyLines maps the key paths of a TOML document to the lines they are on,
// so that findings about decoded values can name a line. BurntSushi/toml
// gives positions for syntax errors only. The scan runs on documents that
// already parsed, so it reads just enough TOML to follow table headers,
// keys, and the elements of arrays and inline tables, skipping strings
// (multi-line ones included) so that their contents are never taken for keys.
//
// Paths name array elements by index: "outcomes[2].cites[1]",
// "outcomes[0].updates[1].date".
type keyLines struct {
	at    map[string]int   // indexed path → line
	plain map[string][]int // path without indexes → every line it is on, in order
}

// line returns the line of path, or of its nearest enclosing path that has
// one (an element of a one-line array is on the line of its key), or 0.
func (k *keyLines) line(path string) int {
	for path != "" {
		if n, ok := k.at[path]; ok {
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

// lines returns every line a path without indexes (as Undecoded reports
// keys) is on.
func (k *keyLines) lines(plain string) []int { return k.plain[plain] }

var indexRe = regexp.MustCompile(`\[\d+\]`)

func plainPath(path string) string { return indexRe.ReplaceAllString(path, "") }

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// scanKeys reads src, a valid TOML document.
func scanKeys(src []byte) *keyLines {
	s := &keyScanner{src: src, line: 1, kl: &keyLines{at: map[string]int{}, plain: map[string][]int{}}, current: map[string]int{}}
	s.document()
	return s.kl
}

type keyScanner struct {
	src     []byte
	pos     int
	line    int
	kl      *keyLines
	current map[string]int // array of tables (indexed path without its own index) → current element
}

func (s *keyScanner) record(path string, line int) {
	if _, ok := s.kl.at[path]; !ok {
		s.kl.at[path] = line
	}
	p := plainPath(path)
	s.kl.plain[p] = append(s.kl.plain[p], line)
}

// element records an array element; its path without indexes is its
// array's key, which is listed already.
func (s *keyScanner) element(path string, line int) {
	if _, ok := s.kl.at[path]; !ok {
		s.kl.at[path] = line
	}
}

func (s *keyScanner) peek(off int) byte {
	if s.pos+off < len(s.src) {
		return s.src[s.pos+off]
	}
	return 0
}

func (s *keyScanner) advance() {
	if s.src[s.pos] == '\n' {
		s.line++
	}
	s.pos++
}

// skip passes spaces, tabs and comments, and newlines too when nl is set.
func (s *keyScanner) skip(nl bool) {
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case c == '\n' && nl:
			s.advance()
		case c == '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		default:
			return
		}
	}
}

func (s *keyScanner) document() {
	prefix := ""
	for {
		s.skip(true)
		if s.pos >= len(s.src) {
			return
		}
		line := s.line
		if s.src[s.pos] == '[' {
			array := s.peek(1) == '['
			s.pos++
			if array {
				s.pos++
			}
			segs := s.key()
			s.skip(false)
			for s.pos < len(s.src) && s.src[s.pos] == ']' {
				s.pos++
			}
			prefix = s.header(segs, array)
			s.record(prefix, line)
			continue
		}
		segs := s.key()
		s.skip(false)
		if s.peek(0) == '=' {
			s.pos++
		}
		s.skip(false)
		s.value(joinPath(prefix, strings.Join(segs, ".")), line)
	}
}

// header resolves a table header to its indexed path; an array-of-tables
// header starts a new element.
func (s *keyScanner) header(segs []string, array bool) string {
	path := ""
	last := len(segs)
	if array {
		last--
	}
	for _, seg := range segs[:last] {
		path = joinPath(path, seg)
		if i, ok := s.current[path]; ok {
			path = indexPath(path, i)
		}
	}
	if !array {
		return path
	}
	path = joinPath(path, segs[last])
	i, ok := s.current[path]
	if ok {
		i++
	}
	s.current[path] = i
	return indexPath(path, i)
}

// key reads a dotted key: bare, "basic" or 'literal' segments.
func (s *keyScanner) key() []string {
	var segs []string
	for {
		s.skip(false)
		switch s.peek(0) {
		case '"', '\'':
			start := s.pos
			s.str()
			seg := string(s.src[start:s.pos])
			if u, err := strconv.Unquote(seg); err == nil && seg[0] == '"' {
				seg = u
			} else {
				seg = seg[1 : len(seg)-1]
			}
			segs = append(segs, seg)
		default:
			start := s.pos
			for s.pos < len(s.src) && isBare(s.src[s.pos]) {
				s.pos++
			}
			segs = append(segs, string(s.src[start:s.pos]))
		}
		s.skip(false)
		if s.peek(0) != '.' {
			return segs
		}
		s.pos++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads the value of key path, which starts on line.
func (s *keyScanner) value(path string, line int) {
	s.record(path, line)
	s.rest(path)
}

// rest reads a value whose start has been recorded.
func (s *keyScanner) rest(path string) {
	switch s.peek(0) {
	case '"', '\'':
		s.str()
	case '[':
		s.pos++
		for i := 0; ; i++ {
			s.skip(true)
			if s.pos >= len(s.src) || s.src[s.pos] == ']' {
				s.pos++
				return
			}
			s.element(indexPath(path, i), s.line)
			s.rest(indexPath(path, i))
			s.skip(true)
			if s.peek(0) == ',' {
				s.pos++
			}
		}
	case '{':
		s.pos++
		for {
			s.skip(true)
			if s.pos >= len(s.src) || s.src[s.pos] == '}' {
				s.pos++
				return
			}
			kline := s.line
			segs := s.key()
			s.skip(false)
			if s.peek(0) == '=' {
				s.pos++
			}
			s.skip(false)
			s.value(joinPath(path, strings.Join(segs, ".")), kline)
			s.skip(true)
			if s.peek(0) == ',' {
				s.pos++
			}
		}
	default: // number, bool, date: up to a delimiter
		for s.pos < len(s.src) && !strings.ContainsRune(",]}#\n", rune(s.src[s.pos])) {
			s.pos++
		}
	}
}

// str passes a string of any of TOML's four kinds.
func (s *keyScanner) str() {
	q := s.src[s.pos]
	escapes := q == '"'
	if s.peek(1) == q && s.peek(2) == q {
		s.pos += 3
		for s.pos < len(s.src) {
			if escapes && s.src[s.pos] == '\\' {
				s.advance()
				s.advance()
				continue
			}
			if s.src[s.pos] == q && s.peek(1) == q && s.peek(2) == q {
				s.pos += 3
				for s.peek(0) == q { // up to two quotes may end the content
					s.pos++
				}
				return
			}
			s.advance()
		}
		return
	}
	s.pos++
	for s.pos < len(s.src) && s.src[s.pos] != q && s.src[s.pos] != '\n' {
		if escapes && s.src[s.pos] == '\\' {
			s.pos++
		}
		s.pos++
	}
	s.pos++
}
