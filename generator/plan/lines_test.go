package plan

import "testing"

// TestLinesRoot: a path the file does not hold is on the root table's
// line, 1, while held paths keep their own lines.
func TestLinesRoot(t *testing.T) {
	k := scanLines([]byte("# plan\n\ntitle = \"x\"\n[[areas]]\nid = \"1\"\n"))
	for _, tc := range []struct {
		path string
		line int
	}{
		{"title", 3},
		{"areas[0].id", 5},
		{"areas[0].cites", 4},
		{"nothing.here", 1},
		{"", 1},
	} {
		if got := k.line(tc.path); got != tc.line {
			t.Errorf("line(%q) = %d, want %d", tc.path, got, tc.line)
		}
	}
}
