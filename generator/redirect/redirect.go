// Package redirect keeps every address the archive ever published working:
// renamed files (`.redirects`), the slugs the legacy SayIt site gave each
// transcript, slugs the turn-id ledger remembers, and the /t/ short links
// to single turns.
//
// The flow of a build:
//
//	rds, _ := redirect.ParseRedirects(dir+"/.redirects", diags) // old file name → new
//	legacy, _ := redirect.LegacySlugs(os.DirFS(dir), recs)     // file → SayIt slug
//	all := redirect.Resolve(recs, redirect.Sources{Redirects: rds, Legacy: legacy,
//		Published: ledger.Published()}, diags)                // sets each Record.Aliases
//	redirect.WriteRedirectsFile(public+"/_redirects", all)      // for hosts that read one
//	redirect.WriteShortLinks(public+"/t", ledger.Lookup(recs))  // /t/#<key>.<id> lookup
package redirect

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// ParseRedirects reads a `.redirects` file: one line an old address and the
// address that replaced it, separated by a TAB, without ".md". Both are
// addresses, as the archive's earlier sites published them: a transcript's
// file name, or the key (slug) the previous site gave it, which is often
// the file name as it was before a rename. Blank lines and lines starting
// with '#' are skipped. A missing file has no redirects.
//
// Every problem is a warning at file:line, and the line is left out when
// it cannot be used: a wrong number of fields, an empty name, a
// self-redirect, a repeated old name, a loop. A chain (a new address that
// is itself redirected further down) is followed but reported. Whether
// the addresses lead to a record is Resolve's to say: it knows every
// address a record has.
//
// The returned redirects hold the addresses without ".md", Source
// ".redirects" and their line.
func ParseRedirects(path string, diags *diag.List) ([]model.Redirect, error) {
	return ParseMapping(path, filepath.Base(path), diags)
}

// ParseMapping reads a file in the format of `.redirects` (such as
// legacy/speeches.tsv), reporting its problems, and setting the
// redirects' Source, as name.
func ParseMapping(path, name string, diags *diag.List) ([]model.Redirect, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}

	type line struct {
		n        int
		from, to string
	}
	var lines []line
	first := map[string]int{} // old name → index in lines
	for n, raw := range bytes.Split(data, []byte("\n")) {
		n++
		text := strings.TrimSuffix(string(raw), "\r")
		if t := strings.TrimSpace(text); t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(text, "\t")
		switch {
		case len(f) == 1 && strings.ContainsAny(strings.TrimSpace(text), " \u3000"):
			diags.Warnf(name, n, "no TAB: separate the old and the new file name with a TAB, not spaces")
			continue
		case len(f) == 1:
			diags.Warnf(name, n, "only one name: write the old file name, a TAB and the new one")
			continue
		case len(f) > 2:
			diags.Warnf(name, n, "%d TAB-separated fields: a line is the old file name, a TAB and the new one", len(f))
			continue
		}
		from, to := clean(name, n, f[0], diags), clean(name, n, f[1], diags)
		switch {
		case from == "" || to == "":
			diags.Warnf(name, n, "empty file name: write the old file name, a TAB and the new one")
			continue
		case strings.ContainsAny(from+to, "/\\"):
			diags.Warnf(name, n, "a file name cannot contain a slash: write names of transcripts in the records directory")
			continue
		case from == to:
			diags.Warnf(name, n, "%q redirects to itself: remove the line", from)
			continue
		}
		if k, dup := first[from]; dup {
			if lines[k].to == to {
				diags.Warnf(name, n, "repeats line %d: remove one of them", lines[k].n)
			} else {
				diags.Warnf(name, n, "line %d already redirects %q to %q: the first line wins; remove the other", lines[k].n, from, lines[k].to)
			}
			continue
		}
		first[from] = len(lines)
		lines = append(lines, line{n, from, to})
	}

	// Loops: follow each line's chain; a chain that comes back to a name
	// already on it is a loop, reported once and left out entirely.
	inLoop := map[int]bool{}
	for i := range lines {
		if inLoop[i] {
			continue
		}
		var path []int
		seen := map[int]int{} // index → position on the path
		for k, ok := i, true; ok; k, ok = first[lines[k].to] {
			if p, again := seen[k]; again {
				loop := path[p:]
				if !inLoop[loop[0]] {
					names, nums := []string{}, []string{}
					sort.Ints(loop)
					for _, j := range loop {
						inLoop[j] = true
						names = append(names, lines[j].from)
						nums = append(nums, fmt.Sprint(lines[j].n))
					}
					diags.Warnf(name, lines[loop[0]].n, "redirect loop through %s (lines %s): remove the line of the name that is no longer in use",
						strings.Join(names, ", "), strings.Join(nums, ", "))
				}
				break
			}
			if inLoop[k] {
				break
			}
			seen[k] = len(path)
			path = append(path, k)
		}
	}

	var out []model.Redirect
	for i, l := range lines {
		if inLoop[i] {
			continue
		}
		final, via := l.to, -1
		for k, ok := first[l.to]; ok && !inLoop[k]; k, ok = first[lines[k].to] {
			if via < 0 {
				via = lines[k].n
			}
			final = lines[k].to
		}
		if via > 0 {
			diags.Warnf(name, l.n, "%q is renamed again on line %d: write %q<TAB>%q here so a visitor is redirected once", l.to, via, l.from, final)
		}
		out = append(out, model.Redirect{From: l.from, To: l.to, Source: name, Line: l.n})
	}
	return out, nil
}

// clean trims a name, reporting spaces around it and a ".md" it should not
// carry.
func clean(file string, n int, s string, diags *diag.List) string {
	t := strings.TrimSpace(s)
	if t != s {
		diags.Warnf(file, n, "spaces around %q: names are compared without them; remove them", t)
	}
	if strings.HasSuffix(t, ".md") {
		diags.Warnf(file, n, "%q: write file names without .md", t)
		t = strings.TrimSuffix(t, ".md")
	}
	return t
}
