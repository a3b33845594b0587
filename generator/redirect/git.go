package redirect

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path"
	"regexp"
	"strings"

	"github.com/ogarchive/ogarchive/generator/model"
)

// renameStatus is git's status of a rename, with its similarity.
var renameStatus = regexp.MustCompile(`^R[0-9]*$`)

// GitRenames returns every rename of a transcript in the history of the
// records directory dir, when dir is in a git repository: old file name →
// new one, without ".md", Source "git", newest first. Maintainers rename
// with `git mv` and forget `.redirects`; each earlier name was a published
// address. Outside a repository, or without git, there are none.
func GitRenames(dir string) ([]model.Redirect, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return nil, nil
	}
	if err := exec.Command(bin, "-C", dir, "rev-parse", "--is-inside-work-tree").Run(); err != nil {
		return nil, nil // not a repository
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
