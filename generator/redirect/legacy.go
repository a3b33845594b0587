package redirect

import (
	"bufio"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ogarchive/ogarchive/generator/model"
)

// legacyMax is how many characters (runes) of a legacy slug SayIt kept.
const legacyMax = 50

// LegacySlug is the slug the legacy SayIt site derived from a transcript's
// heading (the H1 text as written, date included): NFKC, lower-cased,
// everything but letters, digits, '_', spaces and hyphens dropped, runs of
// spaces and hyphens collapsed to one '-', '-' and '_' trimmed from both
// ends, then cut to 50 characters (which can leave a trailing '-', as SayIt
// did).
//
//	"2015-08-23 演講：開放 ^ 資料" → "2015-08-23-演講開放-資料"
func LegacySlug(heading string) string {
	s := strings.ToLower(norm.NFKC.String(heading))
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_':
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		case r == '-' || unicode.IsSpace(r):
			sep = true
		}
	}
	out := strings.Trim(b.String(), "-_")
	if r := []rune(out); len(r) > legacyMax {
		out = string(r[:legacyMax])
	}
	return out
}

// LegacySlugs returns the legacy SayIt slug of every record, by file. The
// heading is read from the first line of the record's file in fsys (SayIt
// saw the H1 as written, which the parsed title does not keep); a file
// without one falls back to the date and title. Records whose slugs collide
// get "-2", "-3", … in order of date, then file name, undated first.
func LegacySlugs(fsys fs.FS, records []*model.Record) (map[string]string, error) {
	recs := append([]*model.Record(nil), records...)
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.File < b.File
	})
	out := make(map[string]string, len(recs))
	taken := make(map[string]bool, len(recs))
	for _, r := range recs {
		h, err := heading(fsys, r.File)
		if err != nil {
			return nil, err
		}
		if h == "" {
			h = strings.TrimSpace(r.DateString() + " " + r.Title)
		}
		base := LegacySlug(h)
		if base == "" {
			continue
		}
		s := base
		for n := 2; taken[s]; n++ {
			s = base + "-" + strconv.Itoa(n)
		}
		taken[s] = true
		out[r.File] = s
	}
	return out, nil
}

// heading returns the text of an ATX H1 on the first line of file, "" if
// the first line is no H1.
func heading(fsys fs.FS, file string) (string, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return "", nil // empty file
	}
	line = strings.TrimPrefix(strings.TrimRight(line, "\r\n"), "\ufeff")
	rest, ok := strings.CutPrefix(line, "#")
	if !ok || strings.HasPrefix(rest, "#") || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", nil
	}
	return strings.TrimSpace(rest), nil
}
