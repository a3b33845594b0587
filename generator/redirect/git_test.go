package redirect

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// TestGitHistory makes a records directory in a temporary git repository,
// renames a transcript twice and another once and then deletes it, and
// requires every earlier name of the live one to redirect to it, nothing
// to be said of the deleted one's renames, and the deleted one to be known
// with its last title and date.
func TestGitHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed: %v", err)
	}
	repo := t.TempDir()
	dir := filepath.Join(repo, "records")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.org", "-C", repo}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if h, err := GitHistory(dir); h.Renames != nil || h.Deleted != nil || err != nil {
		t.Fatalf("outside a repository: %v, %v", h, err)
	}
	git("init", "-q")
	if h, err := GitHistory(dir); h.Renames != nil || h.Deleted != nil || err != nil {
		t.Fatalf("a repository without commits: %v, %v", h, err)
	}
	body := "\n### 唐鳳：\n" + strings.Repeat("這是一段很長的發言，足以讓 git 認出改名。\n", 20)
	write("2020-01-01-舊名.md", "# 2020-01-01 舊名"+body)
	write("2020-02-02-gone.md", "# 2020-02-02 Gone"+"\n### A:\n"+strings.Repeat("A long turn that git recognises when renamed.\n", 20))
	git("add", ".")
	git("commit", "-q", "-m", "first")
	git("mv", "records/2020-01-01-舊名.md", "records/2020-01-01-中間名.md")
	git("mv", "records/2020-02-02-gone.md", "records/2020-02-02-gone-renamed.md")
	git("commit", "-q", "-m", "rename")
	git("mv", "records/2020-01-01-中間名.md", "records/2020-01-01-新名.md")
	git("rm", "-q", "records/2020-02-02-gone-renamed.md")
	git("commit", "-q", "-m", "rename again, delete")

	h, err := GitHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameRedirects(t, h.Renames, []model.Redirect{
		rd("2020-01-01-中間名", "2020-01-01-新名", "git"),
		rd("2020-01-01-舊名", "2020-01-01-中間名", "git"),
		rd("2020-02-02-gone", "2020-02-02-gone-renamed", "git"),
	})

	ws := h.Deleted
	if len(ws) != 1 || ws[0].File != "2020-02-02-gone-renamed.md" || ws[0].Slug != "2020-02-02-gone-renamed" ||
		ws[0].Title != "Gone" || ws[0].Date.Format("2006-01-02") != "2020-02-02" || ws[0].Removed.IsZero() {
		t.Errorf("deleted = %+v, want the deleted transcript with its title, date and removal", ws)
	}

	recs := []*model.Record{{File: "2020-01-01-新名.md", Slug: "2020-01-01-新名"}}
	var diags diag.List
	Resolve(recs, Sources{Redirects: h.Renames}, &diags)
	if got := strings.Join(recs[0].Aliases, " "); got != "2020-01-01-中間名 2020-01-01-舊名" {
		t.Errorf("aliases %q, want both earlier names", got)
	}
	if e, w := diags.Count(); e+w > 0 {
		t.Errorf("findings:\n%s", diags.String())
	}
}
