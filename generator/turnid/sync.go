package turnid

import (
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/model"
)

// commonSketch is how many vanished records may share a sketch before it
// stops counting as evidence of a rename: short formulaic turns ("好。",
// "Thank you.") are everywhere.
const commonSketch = 8

// Sync reconciles the ledger with the record files, before Assign. files
// lists every transcript file in the records directory, records those that
// loaded: a file left out for its errors keeps its entry untouched. A file
// the ledger knows that is no longer in files is either renamed, and its
// entry (ids, retired ids, published paths, short-link key) moves to the
// new file, or deleted: its entry is dropped, and its short-link key kept
// aside so that it is never given to another record. A rename is
// recognised when
//
//   - a redirect (old file name TAB new file name, as ParseRedirects reads
//     `.redirects`, chains followed) leads from the gone file to a present
//     file the ledger does not know yet; or
//   - failing that, more than half of the turns of a new file and of a gone
//     one have the same sketch, and no other gone file matches as well.
//
// Files new to the ledger get their entries, and short-link keys, in file
// name order, so keys do not depend on the order records are assigned in.
// Sync returns the renames it recognised, From and To as file names without
// ".md", Source "ledger", sorted.
func (l *Ledger) Sync(files []string, records []*model.Record, redirects []model.Redirect) []model.Redirect {
	l.mu.Lock()
	defer l.mu.Unlock()
	present := make(map[string]bool, len(files))
	for _, f := range files {
		present[f] = true
	}
	live := make(map[string]*model.Record, len(records))
	var fresh []*model.Record
	for _, r := range records {
		live[r.File], present[r.File] = r, true
		if l.records[r.File] == nil {
			fresh = append(fresh, r)
		}
	}
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].File < fresh[j].File })
	var gone []string
	for f := range l.records {
		if !present[f] {
			gone = append(gone, f)
		}
	}
	sort.Strings(gone)

	var renames []model.Redirect
	claimed := map[string]bool{} // new files that took over a gone one
	move := func(from, to string) {
		e := l.records[from]
		delete(l.records, from)
		l.records[to], l.keys[e.key] = e, to
		claimed[to] = true
		renames = append(renames, model.Redirect{From: stem(from), To: stem(to), Source: "ledger"})
	}

	if len(gone) > 0 && len(fresh) > 0 {
		next := map[string]string{}
		for _, rd := range redirects {
			if _, dup := next[rd.From]; !dup {
				next[rd.From] = rd.To
			}
		}
		var left []string
		for _, f := range gone {
			to, seen := stem(f), map[string]bool{}
			for next[to] != "" && !seen[to] {
				seen[to] = true
				to = next[to]
			}
			if to += ".md"; len(seen) > 0 && present[to] && l.records[to] == nil && !claimed[to] {
				move(f, to)
			} else {
				left = append(left, f)
			}
		}
		l.matchContent(left, fresh, claimed, move)
	}
	for _, f := range gone {
		if e := l.records[f]; e != nil {
			delete(l.records, f)
			delete(l.keys, e.key)
			l.deleted[e.key] = f
		}
	}
	for _, r := range fresh {
		l.entryFor(r.File)
	}
	sort.Slice(renames, func(i, j int) bool { return renames[i].From < renames[j].From })
	return renames
}

// matchContent carries gone entries over to new files with mostly the same
// turns. Sketches it computes are kept for Assign.
func (l *Ledger) matchContent(gone []string, fresh []*model.Record, claimed map[string]bool, move func(from, to string)) {
	if len(gone) == 0 {
		return
	}
	holders := map[sketch][]int{} // sketch → indexes in gone
	for g, f := range gone {
		seen := map[sketch]bool{}
		for _, t := range l.records[f].turns {
			if !seen[t.sk] {
				seen[t.sk] = true
				holders[t.sk] = append(holders[t.sk], g)
			}
		}
	}
	taken := make([]bool, len(gone))
	if l.pending == nil {
		l.pending = map[string][]sketch{}
	}
	for _, r := range fresh {
		if claimed[r.File] {
			continue
		}
		cur := sketches(r)
		l.pending[r.File] = cur
		hits := map[int]int{}
		for _, s := range cur {
			if h := holders[s]; len(h) <= commonSketch {
				for _, g := range h {
					hits[g]++
				}
			}
		}
		best, bestScore, second := -1, 0.0, 0.0 // a tie for best leaves second == bestScore: no rename
		for g, n := range hits {
			if taken[g] {
				continue
			}
			score := float64(n) / float64(max(len(cur), len(l.records[gone[g]].turns)))
			if score > bestScore {
				best, bestScore, second = g, score, bestScore
			} else if score > second {
				second = score
			}
		}
		if best >= 0 && bestScore > 0.5 && bestScore > second {
			taken[best] = true
			move(gone[best], r.File)
		}
	}
}

func stem(file string) string { return strings.TrimSuffix(file, ".md") }
