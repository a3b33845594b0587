package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Corpus describes a records directory the benchmark built.
type Corpus struct {
	Files    int   // transcripts
	Replicas int   // of which copies with shifted dates
	Bytes    int64 // transcript bytes
	Turns    int   // `###` speaker sections
}

// replicaSuffix marks the copies in file names and titles, so that their
// slugs and titles differ from the originals'.
const replicaSuffix = "bis"

// maxRounds bounds the rounds of copies Replicate makes: the corpus about
// 100 times over.
const maxRounds = 100

// forwardRounds are the first rounds, whose copies are shifted forward
// (by at most 60 days, so never into the future: see shiftable); later
// rounds shift theirs backward.
const forwardRounds = 20

// datedFile matches the file names replication can shift: a date, then the
// rest of the name.
var datedFile = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-(.+)\.md$`)

// corpusExtras are the files besides transcripts that describe the records
// and are copied unchanged; a turn-id ledger is left behind, since the
// build writes its own.
var corpusExtras = []string{".alternates", ".redirects", "speakers.toml"}

// Replicate fills dst with the transcripts of corpus plus shifted copies of
// some of them until there are target transcripts, the size of the full
// archive. A copy keeps its source's text with the date in its file name and
// heading moved a few days on and a suffix on its name and title; pairs of
// translations listed in .alternates are copied together and listed as a
// pair. The commitments/ and camps/ directories of defaults, when present,
// are copied too, so the build has its usual commitment and camp records.
func Replicate(corpus, defaults, dst string, target int) (Corpus, error) {
	var c Corpus
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return c, err
	}
	entries, err := os.ReadDir(corpus)
	if err != nil {
		return c, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") {
			files = append(files, e.Name())
		}
	}
	sort.Strings(files)
	src := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(corpus, f))
		if err != nil {
			return c, err
		}
		src[f] = b
		if err := c.add(dst, f, b); err != nil {
			return c, err
		}
	}
	for _, name := range corpusExtras {
		b, err := os.ReadFile(filepath.Join(corpus, name))
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return c, err
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			return c, err
		}
	}
	for _, sub := range []string{"commitments", "camps"} {
		from := filepath.Join(defaults, sub)
		if _, err := os.Stat(from); err != nil {
			continue
		}
		if err := os.CopyFS(filepath.Join(dst, sub), os.DirFS(from)); err != nil {
			return c, err
		}
	}

	pairs, err := readAlternates(filepath.Join(corpus, ".alternates"))
	if err != nil {
		return c, err
	}
	var newPairs [][2]string
	taken := map[string]bool{}
	// Spread the copies over the whole archive: every k-th shiftable file.
	var candidates []string
	for _, f := range files {
		if shiftable(f, src[f]) {
			candidates = append(candidates, f)
		}
	}
	need := target - len(files)
	if need > 0 && len(candidates) == 0 {
		return c, fmt.Errorf("%s: no transcript with a dated name and heading to replicate", corpus)
	}
	for round := 1; need > 0; round++ {
		step := max(1, len(candidates)/need)
		for i := 0; i < len(candidates) && need > 0; i += step {
			f := candidates[i]
			if taken[f] {
				continue
			}
			group := []string{f}
			if p, ok := pairs.partner[f]; ok {
				if need < 2 || !shiftable(p, src[p]) || taken[p] {
					continue
				}
				group = append(group, p)
			}
			names := map[string]string{}
			for _, g := range group {
				taken[g] = true
				days, suffix := roundShift(round)
				name, b := Shift(g, src[g], days, suffix)
				if _, exists := src[name]; exists {
					return c, fmt.Errorf("replica %s collides with a corpus file", name)
				}
				if err := c.add(dst, name, b); err != nil {
					return c, err
				}
				c.Replicas++
				names[g] = name
				need--
			}
			if len(group) == 2 {
				a, b := group[0], group[1]
				if !pairs.first[a] {
					a, b = b, a
				}
				newPairs = append(newPairs, [2]string{names[a], names[b]})
			}
		}
		if round > maxRounds {
			return c, fmt.Errorf("cannot reach %d transcripts from %d", target, len(files))
		}
		taken = map[string]bool{}
	}
	if len(newPairs) > 0 {
		var buf bytes.Buffer
		buf.WriteString("\n# Pairs of the replicated transcripts.\n")
		for _, p := range newPairs {
			buf.WriteString(p[0] + "\t" + p[1] + "\n")
		}
		f, err := os.OpenFile(filepath.Join(dst, ".alternates"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return c, err
		}
		if _, err := f.Write(buf.Bytes()); err != nil {
			f.Close()
			return c, err
		}
		if err := f.Close(); err != nil {
			return c, err
		}
	}
	return c, nil
}

// roundShift is how far the copies of a round are shifted, and the suffix
// of their names.
func roundShift(round int) (days int, suffix string) {
	switch {
	case round == 1:
		return 3, replicaSuffix
	case round <= forwardRounds:
		return round * 3, fmt.Sprint(replicaSuffix, round)
	}
	return -3 * (round - forwardRounds), fmt.Sprint(replicaSuffix, round)
}

func (c *Corpus) add(dir, name string, b []byte) error {
	c.Files++
	c.Bytes += int64(len(b))
	c.Turns += CountTurns(b)
	return os.WriteFile(filepath.Join(dir, name), b, 0o644)
}

// CountTurns counts `###` speaker sections.
func CountTurns(b []byte) int {
	n := 0
	for line := range bytes.Lines(b) {
		if bytes.HasPrefix(line, []byte("### ")) {
			n++
		}
	}
	return n
}

// heading matches a first line `# YYYY-MM-DD Title`.
var heading = regexp.MustCompile(`^# (\d{4}-\d{2}-\d{2}) (.+?)\s*$`)

// shiftable reports whether a transcript has a dated file name and a
// heading with the same date, so both can be shifted together.
func shiftable(name string, src []byte) bool {
	m := datedFile.FindStringSubmatch(name)
	if m == nil {
		return false
	}
	first, _, _ := bytes.Cut(src, []byte("\n"))
	h := heading.FindSubmatch(first)
	if h == nil || string(h[1]) != m[1] {
		return false
	}
	d, err := time.Parse("2006-01-02", m[1])
	// Keep dates plausible: the checker refuses dates far in the future.
	return err == nil && d.Before(time.Now().AddDate(0, 0, -90))
}

// Shift returns a copy of a shiftable transcript days later, its file name
// and title ending in suffix.
func Shift(name string, src []byte, days int, suffix string) (string, []byte) {
	newName, date, _ := shiftedName(name, days, suffix)
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	h := heading.FindSubmatch(first)
	var out bytes.Buffer
	fmt.Fprintf(&out, "# %s %s (%s)\n", date, h[2], suffix)
	out.Write(rest)
	return newName, out.Bytes()
}

// shiftedName is the file name Shift gives a copy of name, and the copy's
// date; false if name is not a dated file name.
func shiftedName(name string, days int, suffix string) (string, string, bool) {
	m := datedFile.FindStringSubmatch(name)
	if m == nil {
		return "", "", false
	}
	d, err := time.Parse("2006-01-02", m[1])
	if err != nil {
		return "", "", false
	}
	date := d.AddDate(0, 0, days).Format("2006-01-02")
	return date + "-" + m[2] + "-" + suffix + ".md", date, true
}

// Copies names the copies Replicate may have made of a transcript, as
// they would be named; exists says which of them the archive holds.
func Copies(name string, exists func(string) bool) []string {
	var out []string
	for round := 1; round <= maxRounds; round++ {
		days, suffix := roundShift(round)
		if c, _, ok := shiftedName(name, days, suffix); ok && exists(c) {
			out = append(out, c)
		}
	}
	return out
}

// alternates are the pairs of .alternates: each file's partner, and which
// files come first on their line (the English one).
type alternates struct {
	partner map[string]string
	first   map[string]bool
}

func readAlternates(path string) (alternates, error) {
	alt := alternates{partner: map[string]string{}, first: map[string]bool{}}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return alt, nil
	} else if err != nil {
		return alt, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		en, zh, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		en, zh = strings.TrimSpace(en), strings.TrimSpace(zh)
		alt.partner[en], alt.partner[zh] = zh, en
		alt.first[en] = true
	}
	return alt, sc.Err()
}
