package plan

import "github.com/ogarchive/ogarchive/generator/tomlpos"

// keyLines maps the key paths of a plan file to the lines they are on (see
// package tomlpos), so that findings about decoded values can name a line.
type keyLines struct{ *tomlpos.Lines }

// scanLines reads src, a document that BurntSushi/toml has already parsed
// without error.
func scanLines(src []byte) keyLines { return keyLines{tomlpos.Scan(src)} }

// line returns the line of path or of its nearest enclosing path; a path
// with neither in the file belongs to the root table, which starts on
// line 1, so every finding names a line.
func (k keyLines) line(path string) int {
	if n := k.Line(path); n > 0 {
		return n
	}
	return 1
}
