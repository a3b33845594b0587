package sitetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/generator/pipeline"
)

// historySite is the default records as a maintainer's checkout has
// them: in a git repository whose history renames one transcript and adds
// and then deletes another, with the previous site's speech keys and
// speaker routes imported (legacy/).
var historySite = &builtSite{name: "history", records: "records", copy: true, extra: makeHistory}

const (
	historyOld     = "2020-05-20-臺中市政府水湳經貿園區專案辦公室訪談"
	historyNew     = "2020-05-20-水湳經貿園區訪談"
	historyDeleted = "2019-03-03-撤下的會議"
	legacyKey      = "2020-08-12-old-key"
	legacyRecord   = "2020-08-12-開放政府第75次協作會議-工作會議"
)

// TestLegacyAddresses: on a host serving 404.html for unknown paths, the
// previous site's speaker routes (decoded or percent-encoded) land on the
// merged speaker page, through the 404 page's lookup, and an old speech
// key on its record.
func TestLegacyAddresses(t *testing.T) {
	dir := historySite.Dir(t)
	for _, c := range []struct{ path, want string }{
		{"/speaker/唐鳳-3", "/speakers/唐鳳/"},
		{"/speaker/%E5%94%90%E9%B3%B3-3/", "/speakers/唐鳳/"},
		{"/speaker/audrey-tang", "/speakers/唐鳳/"},
		{"/" + legacyKey + "/", "/" + legacyRecord + "/"},
	} {
		tb := newTab(t, dir, false)
		tb.open(c.path)
		tb.waitFor(`decodeURIComponent(location.pathname) === '`+c.want+`' && document.querySelector('h1')`,
			c.path+" → "+c.want, 10*time.Second)
		for _, p := range tb.problems() {
			if !strings.Contains(p, "status of 404") { // the browser's note of the 404 before the lookup
				t.Errorf("%s: %s", c.path, p)
			}
		}
	}
	// An old section id lands on its turn, highlighted.
	a := historySite.archive(t)
	var turn string
	for _, r := range a.Records {
		if r.Stem() == legacyRecord {
			turn = r.Turns[2].ID
		}
	}
	tb := newTab(t, dir, false)
	tb.open("/speech/" + legacySection)
	tb.waitFor(`location.hash === '#`+turn+`' && document.querySelector('.is-target')`, "/speech/"+legacySection+" → its turn, highlighted", 10*time.Second)
	if id := eval[string](tb, `document.querySelector('.is-target').id`); id != turn {
		t.Errorf("highlighted %q, want turn %q", id, turn)
	}
	// An unknown route stays on the 404 page, its words in the search box.
	tb = newTab(t, dir, false)
	tb.open("/speaker/nobody-here")
	tb.waitFor(`document.getElementById('notfound-q') && document.getElementById('notfound-q').value === 'speaker nobody here'`,
		"the 404 page for an unknown route", 10*time.Second)
}

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
	if err := os.MkdirAll(filepath.Join(dir, "legacy"), 0o755); err != nil {
		return err
	}
	steps := []func() error{
		func() error {
			return os.WriteFile(filepath.Join(dir, "legacy", "speeches.tsv"), []byte("# test\n"+legacyKey+"\t"+legacyRecord+"\n"), 0o644)
		},
		func() error {
			return os.WriteFile(filepath.Join(dir, "legacy", "speakers.tsv"), []byte("# test\n唐鳳-3\t唐鳳\naudrey-tang\t唐鳳\n"), 0o644)
		},
		func() error { return writeSections(dir) },
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

// legacySection is an old section id the history site maps to the second
// turn of legacyRecord.
const legacySection = "628198"

// writeSections writes legacy/sections.tsv mapping legacySection to a turn,
// by the id the records' own ledger gives it, as import-legacy would.
func writeSections(dir string) error {
	l, err := pipeline.Load(dir, filepath.Join(dir, ".turn-ids"), nil)
	if err != nil {
		return err
	}
	for _, r := range l.Archive.Records {
		if r.Stem() == legacyRecord {
			line := legacySection + "\t" + legacyRecord + "#" + r.Turns[2].ID + "\n"
			return os.WriteFile(filepath.Join(dir, "legacy", "sections.tsv"), []byte("# test\n"+line), 0o644)
		}
	}
	return os.ErrNotExist
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
