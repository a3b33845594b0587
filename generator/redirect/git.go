package redirect

import (
	"bytes"
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

// History is what the git history of a records directory says of its
// transcripts (its own .md files): maintainers rename them with `git mv`
// and forget `.redirects`, and delete them, and each earlier name was a
// published address.
type History struct {
	// Renames are old file name → new one, without ".md", Source "git",
	// newest first.
	Renames []model.Redirect
	// Deleted are the transcripts deleted and not there now, with the
	// title and date of their last version and when they were deleted
	// (the newest deletion), by file name.
	Deleted []model.Withdrawn
}

// GitHistory reads the renames and deletions of the transcripts of dir in
// one pass over its git history. Outside a repository, in one without
// commits, or without git, there are none.
func GitHistory(dir string) (History, error) {
	var h History
	bin, err := exec.LookPath("git")
	if err != nil || exec.Command(bin, "-C", dir, "rev-parse", "--is-inside-work-tree").Run() != nil {
		return h, nil
	}
	cmd := exec.Command(bin, "-c", "core.quotePath=false", "-C", dir, "log", "--no-color", "--format=%x01%H%x09%cI",
		"--name-status", "-M", "--diff-filter=DR", "--relative", "-z", "--", ".")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "does not have any commits") {
			return h, nil
		}
		return h, fmt.Errorf("reading renames and deletions from git history: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	transcriptFile := func(f string) bool { return path.Dir(f) == "." && path.Ext(f) == ".md" }
	seen := map[string]bool{}
	// Each commit is \x01<hash>\t<date>\x00\n, then per file its status
	// and one path (D) or two (R), each \x00-terminated.
	for _, commit := range strings.Split(string(out), "\x01") {
		head, rest, ok := strings.Cut(commit, "\x00")
		hash, date, _ := strings.Cut(head, "\t")
		if !ok || hash == "" {
			continue
		}
		removed, _ := time.Parse(time.RFC3339, date)
		fields := strings.Split(strings.TrimLeft(rest, "\n"), "\x00")
		for i := 0; i+1 < len(fields); i++ {
			switch status := strings.TrimSpace(fields[i]); {
			case renameStatus.MatchString(status) && i+2 < len(fields):
				from, to := fields[i+1], fields[i+2]
				i += 2
				if transcriptFile(from) && transcriptFile(to) {
					h.Renames = append(h.Renames, model.Redirect{From: strings.TrimSuffix(from, ".md"), To: strings.TrimSuffix(to, ".md"), Source: "git"})
				}
			case status == "D":
				f := fields[i+1]
				i++
				if !transcriptFile(f) || seen[f] {
					continue
				}
				seen[f] = true
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					continue // back again since
				}
				if w, ok := lastVersion(bin, dir, hash, f); ok {
					w.Removed = removed.UTC()
					h.Deleted = append(h.Deleted, w)
				}
			}
		}
	}
	sort.Slice(h.Deleted, func(i, j int) bool { return h.Deleted[i].File < h.Deleted[j].File })
	return h, nil
}

// lastVersion reads the transcript f as it was before commit deleted it.
func lastVersion(bin, dir, commit, f string) (model.Withdrawn, bool) {
	src, err := exec.Command(bin, "-C", dir, "show", commit+"^:./"+f).Output()
	if err != nil {
		return model.Withdrawn{}, false
	}
	var ignored diag.List
	rec := transcript.Parse(f, src, &ignored)
	return model.Withdrawn{File: f, Slug: slug.Make(strings.TrimSuffix(f, ".md")), Title: rec.Title, Date: rec.Date}, true
}
