package plan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
)

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImportFileNew: a new plan needs its title and period; the file
// written loads.
func TestImportFileNew(t *testing.T) {
	dir := t.TempDir()
	d := &diag.List{}
	if _, err := ImportFile("testdata/import.csv", dir, ImportOptions{}, d); err == nil || !strings.Contains(err.Error(), "--title") {
		t.Errorf("no title and period: %v", err)
	}
	if _, err := ImportFile("testdata/import.csv", dir, ImportOptions{Title: "t", From: "2021-01", To: "2024-13"}, d); err == nil {
		t.Error("a bad --to was taken")
	}
	out, err := ImportFile("testdata/import.csv", dir, ImportOptions{ID: "2021-2024", Title: "測試方案", From: "2021-01", To: "2024-05"}, d)
	if err != nil || d.String() != "" {
		t.Fatalf("%v\n%s", err, d)
	}
	if want := filepath.Join(dir, "commitments", "2021-2024.toml"); out != want {
		t.Errorf("wrote %s, want %s", out, want)
	}
	plans := Load(dir, d)
	if len(plans) != 1 || plans[0].Title != "測試方案" || len(plans[0].Commitments) != 3 || d.String() != "" {
		t.Errorf("the written file: %d plans, %s", len(plans), d)
	}
	bad := filepath.Join(t.TempDir(), "承諾事項表.csv")
	writeFile(t, bad, "area,commitment,title\n1,1-1,t\n")
	if _, err := ImportFile(bad, dir, ImportOptions{}, d); !errors.Is(err, ErrFindings) || !strings.Contains(d.String(), `the plan id "承諾事項表" (from the file name)`) {
		t.Errorf("a file name that is no id: %v\n%s", err, d)
	}
}

// TestImportFileMerge: importing into an existing plan replaces areas and
// commitments and keeps the rest; a CSV with errors writes nothing.
func TestImportFileMerge(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "commitments", "import.toml")
	writeFile(t, target, `title = "既有的方案"
from = "2021-01"
to = "2024-05"
summary = "保留"

[[areas]]
id = "1"
name = "舊的名稱"
cites = ["rec-a#t2"]

[[areas]]
id = "9"
name = "不在試算表裡的範疇"

[[commitments]]
id = "9-9"
area = "9"
title = "會被取代的承諾"

[[resolutions]]
id = "r1"
text = "保留的決議"
meeting = "第1次會議"
`)
	d := &diag.List{}
	if _, err := ImportFile("testdata/import.csv", dir, ImportOptions{Title: "ignored"}, d); err != nil {
		t.Fatalf("%v\n%s", err, d)
	}
	if !strings.Contains(d.String(), "--title is ignored") {
		t.Errorf("findings: %s", d)
	}
	d = &diag.List{}
	plans := Load(dir, d)
	if len(plans) != 1 {
		t.Fatal(d)
	}
	p := plans[0]
	if p.Title != "既有的方案" || p.Summary != "保留" || len(p.Resolutions) != 1 || len(p.Commitments) != 3 || p.Commitment("9-9") != nil {
		t.Errorf("merged plan: %+v", p)
	}
	if a := p.Area("1"); a == nil || a.Name != "推動資料開放與資訊公開" || len(a.Cites) != 1 || p.Area("9") != nil {
		t.Errorf("areas: %+v", p.Areas)
	}

	before, _ := os.ReadFile(target)
	bad := filepath.Join(t.TempDir(), "import.csv")
	writeFile(t, bad, "area,commitment,title,status,milestone_title\n1,1-1,t,finished,k\n")
	d = &diag.List{}
	if _, err := ImportFile(bad, dir, ImportOptions{}, d); !errors.Is(err, ErrFindings) || !strings.Contains(d.String(), "import.csv:2: error: status \"finished\"") {
		t.Errorf("%v\n%s", err, d)
	}
	if after, _ := os.ReadFile(target); string(after) != string(before) {
		t.Error("a failed import changed the plan file")
	}

	// Importing into a plan file that does not load is refused.
	writeFile(t, bad, "area,commitment,title\n1,1-1,t\n")
	writeFile(t, target, "title = \"x\"\nfrom = \"2021\"\n")
	d = &diag.List{}
	if _, err := ImportFile(bad, dir, ImportOptions{}, d); !errors.Is(err, ErrFindings) || !strings.Contains(d.String(), "commitments/import.toml:1: error: missing `to`") {
		t.Errorf("importing into a broken file: %v\n%s", err, d)
	}
}
