package sitetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// historySite is the default records in a git repository whose history
// renames one transcript and adds and then deletes another: what a
// maintainer's checkout looks like.
var historySite = &builtSite{name: "history", records: "records", copy: true, extra: makeHistory}

const (
	historyOld     = "2020-05-20-臺中市政府水湳經貿園區專案辦公室訪談"
	historyNew     = "2020-05-20-水湳經貿園區訪談"
	historyDeleted = "2019-03-03-撤下的會議"
)

func makeHistory(dir string) error {
	git := func(args ...string) error {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.org",
			"-c", "init.defaultBranch=main", "-C", dir}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return &gitError{args, err, string(out)}
		}
		return nil
	}
	deleted := "# 2019-03-03 撤下的會議\n\n### 唐鳳：\n這份逐字稿後來撤下了。\n"
	steps := []func() error{
		func() error { return git("init", "-q") },
		func() error { return os.WriteFile(filepath.Join(dir, historyDeleted+".md"), []byte(deleted), 0o644) },
		func() error { return git("add", ".") },
		func() error { return git("commit", "-q", "-m", "records") },
		func() error { return git("mv", historyOld+".md", historyNew+".md") },
		func() error { return git("rm", "-q", historyDeleted+".md") },
		func() error { return git("commit", "-q", "-m", "rename one, withdraw one") },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

type gitError struct {
	args []string
	err  error
	out  string
}

func (e *gitError) Error() string {
	return "git " + strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.out
}

// TestGitHistoryAddresses: in a browser on the built site, the old name of
// a transcript renamed with git mv (and no .redirects line) lands on its
// page, and the address of a deleted one shows a withdrawn page with its
// title and the day it was removed.
func TestGitHistoryAddresses(t *testing.T) {
	dir := historySite.Dir(t)
	tb := newTab(t, dir, false)
	tb.open("/" + historyOld + "/")
	tb.waitFor(`location.pathname.includes('`+historyNew+`') || decodeURIComponent(location.pathname).includes('`+historyNew+`')`,
		"the redirect from the name in git history", 10*time.Second)
	tb.assertClean()

	tb = newTab(t, dir, false)
	tb.open("/" + historyDeleted + "/")
	tb.waitFor(`document.querySelector('h1')`, "the withdrawn page", 10*time.Second)
	if h := eval[string](tb, `document.querySelector('h1').textContent`); h != "撤下的會議" {
		t.Errorf("withdrawn page h1 %q", h)
	}
	today := time.Now().UTC().Format("2006-01-02")
	if n := eval[string](tb, `document.querySelector('.notice').textContent`); !strings.Contains(n, today) {
		t.Errorf("withdrawn notice %q lacks the removal date %s", n, today)
	}
	if d := eval[string](tb, `document.querySelector('time').textContent`); d != "2019-03-03" {
		t.Errorf("withdrawn page meeting date %q", d)
	}
	tb.assertClean()
}
