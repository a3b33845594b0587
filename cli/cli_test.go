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

// TestCheckLinks runs check on a record whose stage direction links to
// https://https://issuu.com/…: the warning names the line and the fix,
// and --strict refuses the record.
func TestCheckLinks(t *testing.T) {
	const name = "2021-01-07-malformed-links.md"
	src, err := os.ReadFile(filepath.Join("..", "sitetest", "testdata", "hostile", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "check", "--records", dir)
	want := name + `:3: warning: link "https://https://issuu.com/pdis.tw/docs/51" repeats its scheme; published as "https://issuu.com/pdis.tw/docs/51"`
	if code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("check: exit %d, want 0 and %s\n%s", code, want, stderr)
	}
	for _, w := range []string{name + ":6: warning: link \"https:/ttps://reurl.cc/1QkWW9/\"", name + ":9: warning: link \"ipfs://", name + ":12: warning: link \"https://https://issuu.com/pdis.tw/docs/53\""} {
		if !strings.Contains(stderr, w) {
			t.Errorf("check lacks %s…:\n%s", w, stderr)
		}
	}
	if code, _, stderr := run(t, "check", "--strict", "--records", dir); code != 1 {
		t.Errorf("check --strict: exit %d, want 1\n%s", code, stderr)
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

// TestImportLegacy runs import-legacy on a copy of the sample with the
// previous site's lists in their API form: it writes the two mappings and
// says what it matched.
func TestImportLegacy(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "corpus"))); err != nil {
		t.Fatal(err)
	}
	fixtures := filepath.Join("..", "generator", "legacy", "testdata")
	code, stdout, stderr := run(t, "import-legacy", "--records", dir,
		"--speeches", filepath.Join(fixtures, "speech_index.json"), "--speakers", filepath.Join(fixtures, "speakers.json"),
		"--sections", filepath.Join(fixtures, "sections"))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"speeches: 4 of 6 already lead to their record, 1 mapped", "1 not matched", "not matched: 2099-01-01-never-here", "speakers: 4 of 6 routes mapped",
		"sections: 1 of 1 speeches matched to a record; 10 of their 10 sections mapped", "(8 by their text"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	speeches, _ := os.ReadFile(filepath.Join(dir, "legacy", "speeches.tsv"))
	if !strings.Contains(string(speeches), "2025-01-29-interview-with-bbc-newsday-old\t2025-01-29-Interview-with-BBC-Newsday\n") {
		t.Errorf("legacy/speeches.tsv:\n%s", speeches)
	}
	speakers, _ := os.ReadFile(filepath.Join(dir, "legacy", "speakers.tsv"))
	if !strings.Contains(string(speakers), "唐鳳-3\t唐鳳\n") {
		t.Errorf("legacy/speakers.tsv:\n%s", speakers)
	}
	sections, _ := os.ReadFile(filepath.Join(dir, "legacy", "sections.tsv"))
	if !strings.Contains(string(sections), "700010\t2020-04-08-曾國展、李紀廣來訪#") {
		t.Errorf("legacy/sections.tsv:\n%s", sections)
	}
	// The build reads them back without a finding about them.
	code, _, stderr = run(t, "check", "--records", dir)
	if code != 0 || strings.Contains(stderr, "legacy/") {
		t.Errorf("check after the import: exit %d\n%s", code, stderr)
	}
	if code, _, _ := run(t, "import-legacy", "--records", dir); code == 0 {
		t.Error("import-legacy with no list succeeded")
	}
}
