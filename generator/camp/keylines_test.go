package camp

import (
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

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

func TestScanKeys(t *testing.T) {
	if _, err := toml.Decode(keyDoc, new(map[string]any)); err != nil {
		t.Fatalf("fixture is not valid TOML: %v", err)
	}
	kl := scanKeys([]byte(keyDoc))
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
		if got := kl.line(path); got != want {
			t.Errorf("line(%q) = %d, want %d", path, got, want)
		}
	}
	for plain, want := range map[string][]int{
		"outcomes.cites":        {15, 29},
		"outcomes.updates.date": {22, 31},
		"outcomes.id":           {14, 28},
		"outcomes.cites.turn":   {17},
	} {
		if got := kl.lines(plain); !reflect.DeepEqual(got, want) {
			t.Errorf("lines(%q) = %v, want %v", plain, got, want)
		}
	}
}
