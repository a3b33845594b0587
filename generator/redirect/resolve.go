package redirect

import (
	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"net/url"
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/slug"
)

// Sources are the old addresses Resolve turns into redirects.
type Sources struct {
	// Redirects are `.redirects` lines (ParseRedirects), then renames in
	// the records' git history (GitHistory): old address → the
	// address that replaced it, each a file name without ".md" or a key an
	// earlier site gave a record (its legacy slug, or a slug it was
	// published under). The old page lived at the slug of the old address.
	Redirects []model.Redirect
	// Legacy maps a record's file to its legacy SayIt slug (LegacySlugs).
	Legacy map[string]string
	// Published maps a record's file to every slug it has been published
	// under (turnid.Ledger.Published); the current slug among them is
	// ignored.
	Published map[string][]string
}

// Resolve turns every old address into a redirect to the live record it
// now belongs to, sets each record's Aliases (sorted) to its old slugs, and
// returns all redirects, From and To as slugs, sorted by From.
//
// A `.redirects` line leads to the record its new address names (by file
// name, slug, legacy slug or an earlier published slug, chains followed)
// or, failing that, to the one its old address names; both addresses then
// lead to that record. A line neither of whose addresses names a record,
// or whose two addresses name two live records, does nothing and is
// reported at its line.
//
// A live page always keeps its address: an old slug equal to a record's
// current slug (ignoring case, as Hugo and case-insensitive file systems
// would) is dropped. When two records claim one old slug, `.redirects`
// wins over the ledger's memory, which wins over the legacy slugs, and the
// loser is reported. `.redirects` chains are followed.
func Resolve(records []*model.Record, src Sources, diags *diag.List) []model.Redirect {
	byStem := make(map[string]*model.Record, len(records))
	live := make(map[string]*model.Record, len(records)) // lower-cased slug → record
	for _, r := range records {
		byStem[r.Stem()] = r
		live[strings.ToLower(r.Slug)] = r
		r.Aliases = nil
	}
	next := map[string]string{}
	for _, rd := range src.Redirects {
		if _, dup := next[rd.From]; !dup {
			next[rd.From] = rd.To
		}
	}
	// keys are every address a record answers to, lower-cased.
	keys := map[string]*model.Record{}
	for _, r := range sortedRecords(records) {
		for _, k := range append([]string{r.Slug, src.Legacy[r.File]}, src.Published[r.File]...) {
			if k = strings.ToLower(k); k != "" && keys[k] == nil {
				keys[k] = r
			}
		}
	}
	named := func(addr string) *model.Record {
		if r := byStem[addr]; r != nil {
			return r
		}
		if r := keys[strings.ToLower(addr)]; r != nil {
			return r
		}
		return keys[strings.ToLower(slug.Make(addr))]
	}
	target := func(to string) *model.Record {
		seen := map[string]bool{}
		for !seen[to] {
			seen[to] = true
			if r := named(to); r != nil {
				return r
			}
			n, ok := next[to]
			if !ok {
				return nil
			}
			to = n
		}
		return nil
	}

	type claim struct {
		rec    *model.Record
		source string
	}
	claims := map[string]claim{} // lower-cased old slug → claim
	var order []string
	add := func(from string, rec *model.Record, source string) {
		key := strings.ToLower(from)
		if from == "" || live[key] != nil {
			return
		}
		if c, ok := claims[key]; ok {
			if c.rec != rec {
				diags.Warnf(rec.File, 0, "its old address /%s/ (%s) also belongs to %s, which keeps it", from, describe(source), c.rec.File)
			}
			return
		}
		claims[key] = claim{rec, source}
		order = append(order, from)
	}
	for _, rd := range src.Redirects {
		old, r := named(rd.From), target(rd.To)
		if r == nil {
			r = old
		}
		// A rename in git history whose transcript was deleted, or whose
		// old name went to another transcript, is not the maintainer's to
		// fix: it is dropped without a word.
		report := rd.Source != "git"
		switch {
		case r == nil:
			if report {
				diags.Warnf(rd.Source, rd.Line, "neither %q nor %q is a transcript or an address of one: fix the line, or remove it if the transcript was deleted", rd.From, rd.To)
			}
			continue
		case old != nil && old != r && live[strings.ToLower(slug.Make(rd.From))] == old:
			if report {
				diags.Warnf(rd.Source, rd.Line, "%q and %q are two transcripts, %s and %s, so the old address keeps its own page: delete %s, or remove the line", rd.From, rd.To, old.File, r.File, old.File)
			}
			continue
		}
		add(slug.Make(rd.From), r, rd.Source)
		add(slug.Make(rd.To), r, rd.Source)
	}
	for _, r := range sortedRecords(records) {
		for _, s := range src.Published[r.File] {
			add(s, r, "ledger")
		}
	}
	for _, r := range sortedRecords(records) {
		add(src.Legacy[r.File], r, "legacy")
	}

	out := make([]model.Redirect, 0, len(order))
	for _, from := range order {
		c := claims[strings.ToLower(from)]
		c.rec.Aliases = append(c.rec.Aliases, from)
		out = append(out, model.Redirect{From: from, To: c.rec.Slug, Source: c.source})
	}
	for _, r := range records {
		sort.Strings(r.Aliases)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

func sortedRecords(records []*model.Record) []*model.Record {
	s := append([]*model.Record(nil), records...)
	sort.Slice(s, func(i, j int) bool { return s[i].File < s[j].File })
	return s
}

func describe(source string) string {
	switch source {
	case "legacy":
		return "its legacy SayIt address"
	case "ledger":
		return "an address it was published under"
	case "git":
		return "an earlier name in git history"
	}
	return "from " + source
}

// WriteRedirectsFile writes redirects as a `_redirects` file of the kind
// Netlify and Cloudflare Pages read: "/from/ /to/ 301" a line, paths
// percent-encoded as browsers send them. Cloudflare Pages takes at most
// 2,000 such lines; Hugo's alias pages (Record.Aliases) work on any host.
func WriteRedirectsFile(path string, redirects []model.Redirect) error {
	rs := append([]model.Redirect(nil), redirects...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].From < rs[j].From })
	var b strings.Builder
	b.WriteString("# Old addresses of the archive's records, written by ogarchive.\n")
	for _, r := range rs {
		b.WriteString("/" + url.PathEscape(r.From) + "/ /" + url.PathEscape(r.To) + "/ 301\n")
	}
	return atomicfile.Write(path, []byte(b.String()))
}
