package plan

import (
	"testing"

	"github.com/BurntSushi/toml"
)

// TestScanLines: key paths map to the lines their keys, headers and array
// elements start on, whatever strings, comments and nesting surround them.
func TestScanLines(t *testing.T) {
	src := `# a comment with [[fake]] and key = "x"
title = "標題 # not a comment"
summary = """
id = "not a key"
[[areas]]
"""
lit = '''
[[commitments]] still text'''
cites = [
  "a#b", # a comment
  'c#d',

  "e#f",
]
"quoted.key" = 1
dotted.inner = 2

[[areas]]
id = "1"

[[areas]]
id = "2"
cites = ["x#y", "z#w"]

[[commitments]]
id = "1-1"
  [[commitments.milestones]]
  id = "m1"
  [[commitments.milestones]]
  id = "m2"
  note = "say \"hi\" \\"
[[commitments]]
id = "1-2"
milestones = [
  { id = "a", cites = [
      "p#q",
  ] },
  {id="b"},
]
`
	var sink map[string]any
	if _, err := toml.Decode(src, &sink); err != nil {
		t.Fatalf("the fixture is not TOML: %v", err)
	}
	k := scanLines([]byte(src))
	for _, tc := range []struct {
		path string
		line int
	}{
		{"title", 2},
		{"summary", 3},
		{"lit", 7},
		{"cites", 9},
		{"cites[0]", 10},
		{"cites[1]", 11},
		{"cites[2]", 13},
		{"quoted.key", 15},
		{"dotted.inner", 16},
		{"areas[0]", 18},
		{"areas[0].id", 19},
		{"areas[1]", 21},
		{"areas[1].cites[1]", 23},
		{"commitments[0]", 25},
		{"commitments[0].milestones[0]", 27},
		{"commitments[0].milestones[1].id", 30},
		{"commitments[0].milestones[1].note", 31},
		{"commitments[1].id", 33},
		{"commitments[1].milestones[0]", 35},
		{"commitments[1].milestones[0].cites[0]", 36},
		{"commitments[1].milestones[1].id", 38},
		// Nearest enclosing path: a missing key is on its table's line,
		// an element of a one-line array on its key's line.
		{"commitments[0].milestones[1].status", 29},
		{"areas[1].cites", 23},
		{"nothing.here", 1},
		{"", 1},
	} {
		if got := k.line(tc.path); got != tc.line {
			t.Errorf("line(%q) = %d, want %d", tc.path, got, tc.line)
		}
	}
}

// TestScanLinesCRLF: Windows line endings and a byte-order mark, as some
// editors save files, change no line.
func TestScanLinesCRLF(t *testing.T) {
	src := "\ufefftitle = \"x\"\r\n\r\n[[areas]]\r\nid = \"1\"\r\ncites = [\r\n  \"a#b\",\r\n]\r\n"
	k := scanLines([]byte(src))
	for path, want := range map[string]int{"title": 1, "areas[0]": 3, "areas[0].id": 4, "areas[0].cites[0]": 6} {
		if got := k.line(path); got != want || k[path] == 0 {
			t.Errorf("line(%q) = %d, want %d", path, got, want)
		}
	}
}
