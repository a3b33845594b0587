package redirect

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/slug"
	"github.com/ogarchive/ogarchive/generator/transcript"
)

// renameStatus is git's status of a rename, with its similarity.
var renameStatus = regexp.MustCompile(`^R[0-9]*$`)

// gitFor returns the git binary when dir is in a git work tree.
func gitFor(dir string) (string, bool) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return "", false
	}
	return bin, exec.Command(bin, "-C", dir, "rev-parse", "--is-inside-work-tree").Run() == nil
}

// GitRenames returns every rename of a transcript in the history of the
// records directory dir, when dir is in a git repository: old file name →
// new one, without ".md", Source "git", newest first. Maintainers rename
// with `git mv` and forget `.redirects`; each earlier name was a published
// address. Outside a repository, or without git, there are none.
func GitRenames(dir string) ([]model.Redirect, error) {
	bin, ok := gitFor(dir)
	if !ok {
		return nil, nil
	}
	cmd := exec.Command(bin, "-c", "core.quotePath=false", "-C", dir, "log", "--no-color", "--format=",
		"--name-status", "-M", "--diff-filter=R", "--relative", "-z", "--", ".")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && strings.Contains(stderr.String(), "does not have any commits") {
			return nil, nil
		}
		return nil, fmt.Errorf("reading renames from git history: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var rds []model.Redirect
	fields := strings.Split(string(out), "\x00")
	for i := 0; i+2 < len(fields); i++ {
		if !renameStatus.MatchString(strings.TrimSpace(fields[i])) {
			continue
		}
		from, to := strings.TrimSpace(fields[i+1]), strings.TrimSpace(fields[i+2])
		i += 2
		// Transcripts are the directory's own .md files.
		if path.Dir(from) != "." || path.Dir(to) != "." || path.Ext(from) != ".md" || path.Ext(to) != ".md" {
			continue
		}
		rds = append(rds, model.Redirect{From: strings.TrimSuffix(from, ".md"), To: strings.TrimSuffix(to, ".md"), Source: "git"})
	}
	return rds, nil
}

// GitDeletions returns the transcripts deleted from the records directory
// dir in its git history and not there now: each with the title and date
// of its last version and when it was deleted (the newest deletion), by
// file name. Outside a repository, or without git, there are none.
func GitDeletions(dir string) ([]model.Withdrawn, error) {
	bin, ok := gitFor(dir)
	if !ok {
		return nil, nil
	}
	cmd := exec.Command(bin, "-c", "core.quotePath=false", "-C", dir, "log", "--no-color", "--format=%x01%H%x09%cI",
		"--name-only", "--diff-filter=D", "--relative", "-z", "--", ".")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "does not have any commits") {
			return nil, nil
		}
		return nil, fmt.Errorf("reading deletions from git history: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	seen := map[string]bool{}
	var ws []model.Withdrawn
	// Each commit is \x01<hash>\t<date>\x00\n<file>\x00<file>\x00…
	for _, commit := range strings.Split(string(out), "\x01") {
		head, files, ok := strings.Cut(commit, "\x00")
		hash, date, _ := strings.Cut(head, "\t")
		if !ok || hash == "" {
			continue
		}
		removed, _ := time.Parse(time.RFC3339, date)
		for _, f := range strings.Split(strings.TrimLeft(files, "\n"), "\x00") {
			if f == "" || seen[f] || path.Dir(f) != "." || path.Ext(f) != ".md" {
				continue
			}
			seen[f] = true
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				continue // back again since
			}
			src, err := exec.Command(bin, "-C", dir, "show", hash+"^:./"+f).Output()
			if err != nil {
				continue
			}
			var ignored diag.List
			rec := transcript.Parse(f, src, &ignored)
			ws = append(ws, model.Withdrawn{File: f, Slug: slug.Make(strings.TrimSuffix(f, ".md")),
				Title: rec.Title, Date: rec.Date, Removed: removed.UTC()})
		}
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].File < ws[j].File })
	return ws, nil
}
