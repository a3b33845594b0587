package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repo is the repository root: the Hugo project and default records.
var repo = os.DirFS("..")

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	recs := os.DirFS(filepath.Join("..", "records"))
	code = Main(args, repo, recs, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheck(t *testing.T) {
	archive := filepath.Join("..", "generator", "records", "testdata", "archive")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string // lines that must appear
	}{
		{"default records pass", []string{"check"}, 0,
			[]string{"開放政府夥伴關係交流筆記.md:1: warning: no `# YYYY-MM-DD Title` heading"}},
		{"default records fail strict on the notes warning", []string{"check", "--strict"}, 1, nil},
		{"errors fail", []string{"check", "--records", archive}, 1, []string{
			"2020-02-30-impossible.md:1: error: impossible date 2020-02-30; write a real date as YYYY-MM-DD",
			".alternates:4: error: want two file names separated by one TAB (English first), found 1 field(s)",
		}},
		{"missing directory", []string{"check", "--records", "/nonexistent"}, 1, []string{"records directory"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

func TestImportCommitments(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join("..", "generator", "plan", "testdata", "import.csv")
	code, stdout, stderr := run(t, "import-commitments", "--records", dir, "--id", "test-plan", "--title", "測試方案", "--from", "2021-01", "--to", "2024-05", csv)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := filepath.Join(dir, "commitments", "test-plan.toml")
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout %q does not name %s", stdout, want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "import-commitments", "--records", dir, "no-such.csv"); code != 1 || stderr == "" {
		t.Errorf("a missing CSV: exit %d, stderr %q", code, stderr)
	}
}
