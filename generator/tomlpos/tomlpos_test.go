package tomlpos

import (
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestScan: key paths map to the lines their keys, headers and array
// elements start on, whatever strings, comments and nesting surround them.
func TestScan(t *testing.T) {
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
	k := Scan([]byte(src))
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
		{"nothing.here", 0},
		{"", 0},
	} {
		if got := k.Line(tc.path); got != tc.line {
			t.Errorf("Line(%q) = %d, want %d", tc.path, got, tc.line)
		}
	}
}

// TestScanCRLF: Windows line endings and a byte-order mark, as some
// editors save files, change no line.
func TestScanCRLF(t *testing.T) {
	src := "\ufefftitle = \"x\"\r\n\r\n[[areas]]\r\nid = \"1\"\r\ncites = [\r\n  \"a#b\",\r\n]\r\n"
	k := Scan([]byte(src))
	for path, want := range map[string]int{"title": 1, "areas[0]": 3, "areas[0].id": 4, "areas[0].cites[0]": 6} {
		if got := k.Line(path); got != want || k.at[path] == 0 {
			t.Errorf("Line(%q) = %d, want %d", path, got, want)
		}
	}
}

// keyDoc exercises what the scan must get right: strings (all four kinds,
// multi-line ones holding text that looks like keys and headers), arrays
// over several lines with comments, inline tables, dotted and quoted keys,
// and arrays of tables nested in arrays of tables.
const keyDoc = `# comment = 1
title = "a # not a comment"
"quoted key" = 'literal [x]'
dotted.key = 1
multi = """
fake = "key"
[[outcomes]]
"""
lit = '''
also = fake'''
date = 2019-01-18

[[outcomes]]
id = "one"
cites = [
  "a#b", # comment, "c"
  { turn = "x#y", quote = "q, with } and ]" },

  "last",
]
  [[outcomes.updates]]
  date = 2019-02-01
  [[outcomes.updates]]
  note = """
ends with quotes"""""

[[outcomes]]
id = "two" # trailing
cites = ["one-line", "array"]
  [[outcomes.updates]]
  date = 2019-03-01

[table]
k = 1
`

func TestScanArraysOfTables(t *testing.T) {
	if _, err := toml.Decode(keyDoc, new(map[string]any)); err != nil {
		t.Fatalf("fixture is not valid TOML: %v", err)
	}
	kl := Scan([]byte(keyDoc))
	for path, want := range map[string]int{
		"title":                       2,
		"quoted key":                  3,
		"dotted.key":                  4,
		"multi":                       5,
		"lit":                         9,
		"date":                        11,
		"outcomes[0]":                 13,
		"outcomes[0].id":              14,
		"outcomes[0].cites":           15,
		"outcomes[0].cites[0]":        16,
		"outcomes[0].cites[1]":        17,
		"outcomes[0].cites[1].turn":   17,
		"outcomes[0].cites[1].quote":  17,
		"outcomes[0].cites[2]":        19,
		"outcomes[0].updates[0]":      21,
		"outcomes[0].updates[0].date": 22,
		"outcomes[0].updates[1]":      23,
		"outcomes[0].updates[1].note": 24,
		"outcomes[1]":                 27,
		"outcomes[1].id":              28,
		"outcomes[1].cites[1]":        29, // one-line array: the key's line
		"outcomes[1].updates[0]":      30,
		"outcomes[1].updates[0].date": 31,
		"table.k":                     34,
		"outcomes[0].cites[1].nope":   17, // falls back to the enclosing path
		"outcomes[7].id":              0,
		"fake":                        0,
		"also":                        0,
	} {
		if got := kl.Line(path); got != want {
			t.Errorf("Line(%q) = %d, want %d", path, got, want)
		}
	}
	for plain, want := range map[string][]int{
		"outcomes.cites":        {15, 29},
		"outcomes.updates.date": {22, 31},
		"outcomes.id":           {14, 28},
		"outcomes.cites.turn":   {17},
	} {
		if got := kl.Plain(plain); !reflect.DeepEqual(got, want) {
			t.Errorf("Plain(%q) = %v, want %v", plain, got, want)
		}
	}
}

func TestPaths(t *testing.T) {
	for _, tc := range []struct{ path, plain string }{
		{"title", "title"},
		{Index("outcomes", 2), "outcomes"},
		{Index(Index("a", 1)+".b", 0) + ".c", "a.b.c"},
	} {
		if got := PlainPath(tc.path); got != tc.plain {
			t.Errorf("PlainPath(%q) = %q, want %q", tc.path, got, tc.plain)
		}
	}
}
