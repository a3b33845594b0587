package camp

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/tomldecode"
	"github.com/ogarchive/ogarchive/generator/tomlpos"
)

// The file shape as TOML decodes it. Every field takes any value (see
// package tomldecode), so that a wrong type is found with its key path;
// dates and citations take more than one form and are converted with line
// numbers at hand. The type names show in findings about a table of the
// wrong type ("camp.rawTheme"), as BurntSushi/toml's errors named them.
type rawCamp struct {
	Title       tomldecode.String  `toml:"title"`
	Date        tomldecode.Value   `toml:"date"`
	Lang        tomldecode.String  `toml:"lang"`
	Transcripts tomldecode.Strings `toml:"transcripts"`
	Themes      toml.Primitive     `toml:"themes"`
	Groups      toml.Primitive     `toml:"groups"`
	Outcomes    toml.Primitive     `toml:"outcomes"`
}

type rawTheme struct {
	ID   tomldecode.String `toml:"id"`
	Name tomldecode.String `toml:"name"`
}

type rawGroup struct {
	ID          tomldecode.String `toml:"id"`
	Name        tomldecode.String `toml:"name"`
	Facilitator tomldecode.String `toml:"facilitator"`
	Reporter    tomldecode.String `toml:"reporter"`
}

type rawOutcome struct {
	ID        tomldecode.String  `toml:"id"`
	Group     tomldecode.String  `toml:"group"`
	Theme     tomldecode.String  `toml:"theme"`
	Problem   tomldecode.String  `toml:"problem"`
	Proposals tomldecode.Strings `toml:"proposals"`
	Owner     tomldecode.String  `toml:"owner"`
	Response  tomldecode.String  `toml:"response"`
	Status    tomldecode.String  `toml:"status"`
	Updates   toml.Primitive     `toml:"updates"`
	Cites     tomldecode.Array   `toml:"cites"`

	updates []rawUpdate // Updates decoded
}

type rawUpdate struct {
	Date   tomldecode.Value  `toml:"date"`
	Status tomldecode.String `toml:"status"`
	Note   tomldecode.String `toml:"note"`
}

// citeKeys are the keys of a citation's inline table, which cite checks:
// `cites` decodes whole, as its items take two forms.
const citeKeys = "turn, quote"

// idRe is the shape of camp, theme, group and outcome ids: they become URL
// segments and HTML ids.
var idRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load reads every camp file in dir/camps (dir is the records directory),
// sorted by file name. A missing camps directory is no camps. A file with
// errors is reported and left out; the rest load.
func Load(dir string, diags *diag.List) []*Camp {
	return tomlpos.Load(dir, Dir, diags, Parse)
}

// Parse reads one camp file; file is its path relative to the records
// directory, used in findings and for the camp id. It returns nil, with
// findings, when the file has errors.
func Parse(file string, src []byte, diags *diag.List) *Camp {
	return tomlpos.Checked(file, src, diags, parse)
}

func parse(file string, src []byte, diags *diag.List) *Camp {
	var raw rawCamp
	doc := tomldecode.Decode(file, src, &raw, diags, tomldecode.Options{})
	if doc == nil {
		return nil
	}
	kl := doc.Lines
	p := &parser{file: file, kl: kl, diags: diags}
	themes, bad := decodeTables[rawTheme](doc, raw.Themes, "themes", nil)
	groups, bad := decodeTables[rawGroup](doc, raw.Groups, "groups", bad)
	outcomes, bad := decodeTables[rawOutcome](doc, raw.Outcomes, "outcomes", bad)
	for i := range outcomes {
		at := tomlpos.Index("outcomes", i)
		outcomes[i].updates, bad = decodeTables[rawUpdate](doc, outcomes[i].Updates, at+".updates", bad)
	}
	bad = append(tomldecode.Check(&raw, ""), bad...)
	if len(bad) > 0 {
		// A value of the wrong type is the one finding, as when
		// BurntSushi/toml stopped at it.
		p.wrongType(bad[0])
		return nil
	}
	p.unknownKeys(doc.Unknown())

	id := strings.TrimSuffix(path.Base(file), ".toml")
	if !idRe.MatchString(id) {
		diags.Errorf(file, 0, "the file name %q is the camp's URL segment: rename it to lower-case ASCII letters, digits and hyphens, e.g. 2019-01-18-po-camp.toml", path.Base(file))
	}
	c := &Camp{ID: id, File: file, Title: strings.TrimSpace(raw.Title.V), Lang: raw.Lang.V, Line: kl.Line("transcripts")}
	p.required("title", c.Title)
	if !raw.Date.Set {
		p.errorf("date", "missing `date`: add the camp date, e.g. date = 2019-01-18")
	} else {
		c.Date = p.date("date", raw.Date.V)
	}
	switch c.Lang {
	case "":
		c.Lang = "zh-TW"
	case "zh-TW", "en":
	default:
		p.errorf("lang", "`lang` is %q: use \"zh-TW\" or \"en\"", c.Lang)
	}
	if len(raw.Transcripts.V) == 0 {
		p.errorf("transcripts", "missing `transcripts`: list the slugs of the camp's transcripts, e.g. transcripts = [\"2019-01-18-…\"]")
	}
	for i, s := range raw.Transcripts.V {
		c.Transcripts = append(c.Transcripts, p.slug(tomlpos.Index("transcripts", i), s))
	}

	themeIDs := p.unique("themes", len(themes), func(i int) string { return themes[i].ID.V })
	for i, t := range themes {
		at := tomlpos.Index("themes", i)
		p.required(at+".name", t.Name.V)
		c.Themes = append(c.Themes, Theme{ID: t.ID.V, Name: t.Name.V, Line: kl.Line(at)})
	}
	groupIDs := p.unique("groups", len(groups), func(i int) string { return groups[i].ID.V })
	for i, g := range groups {
		at := tomlpos.Index("groups", i)
		p.required(at+".name", g.Name.V)
		c.Groups = append(c.Groups, Group{ID: g.ID.V, Name: g.Name.V, Facilitator: g.Facilitator.V, Reporter: g.Reporter.V, Line: kl.Line(at)})
	}

	if len(outcomes) == 0 {
		diags.Errorf(file, 0, "no outcomes: add an [[outcomes]] table for each problem the camp raised")
	}
	p.unique("outcomes", len(outcomes), func(i int) string { return outcomes[i].ID.V })
	for i := range outcomes {
		c.Outcomes = append(c.Outcomes, p.outcome(c, tomlpos.Index("outcomes", i), &outcomes[i], themeIDs, groupIDs))
	}
	return c
}

// decodeTables decodes the array of tables at path and appends to bad the
// values of the wrong type in it: its own, or its tables' leaf fields.
func decodeTables[T any](doc *tomldecode.Doc, prim toml.Primitive, path string, bad []tomldecode.Mismatch) ([]T, []tomldecode.Mismatch) {
	out, m := tomldecode.Tables[T](doc, prim, path)
	if m != nil {
		return nil, append(bad, *m)
	}
	for i := range out {
		bad = append(bad, tomldecode.Check(&out[i], tomlpos.Index(path, i))...)
	}
	return out, bad
}

// parser carries what findings need: the file and its key lines.
type parser struct {
	file  string
	kl    *tomlpos.Lines
	diags *diag.List
}

func (p *parser) errorf(at, format string, args ...any) {
	p.diags.Errorf(p.file, p.kl.Line(at), format, args...)
}

// wrongType reports a value of the wrong type in the words, and at the
// line, of BurntSushi/toml's own error: the key without indexes, and the
// line of its last occurrence.
func (p *parser) wrongType(m tomldecode.Mismatch) {
	key := tomlpos.PlainPath(m.Path)
	var what string
	if m.Want == "table" {
		what = fmt.Sprintf("type mismatch for %s: expected table but found %s", m.Dest, tomldecode.GoType(m.Got))
	} else {
		what = fmt.Sprintf("TOML value has type %s; destination has type %s", tomldecode.GoType(m.Got), m.Want)
	}
	lines := p.kl.Plain(key)
	if len(lines) == 0 {
		// The table a dotted key makes has no line of its own.
		p.diags.Errorf(p.file, 0, "toml: (last key %q): %s", key, strings.Replace(what, "TOML value", "incompatible types: TOML value", 1))
		return
	}
	p.diags.Errorf(p.file, lines[len(lines)-1], "wrong type for `%s`: %s", key, what)
}

// unknownKeys reports each unknown key on every line it is on.
func (p *parser) unknownKeys(unknown []tomldecode.Unknown) {
	seen := map[string]bool{}
	for _, u := range unknown {
		key := tomlpos.PlainPath(u.Path)
		if u.Implicit {
			// Camps have always let a.b = 1 pass when a is unknown:
			// Undecoded names a.b, whose table is not one of the file's.
			continue
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		where := "at the top level"
		if u.Table != "" {
			where = "in " + tomlpos.PlainPath(u.Table)
		}
		lines := p.kl.Plain(key)
		if len(lines) == 0 {
			lines = []int{0}
		}
		for _, n := range lines {
			p.diags.Errorf(p.file, n, "unknown key `%s` %s: the keys are %s", u.Key, where, strings.Join(u.Allowed, ", "))
		}
	}
}

func (p *parser) required(at, v string) {
	if strings.TrimSpace(v) == "" {
		key := at[strings.LastIndexByte(at, '.')+1:]
		p.errorf(at, "missing `%s` in %s: add it", key, table(at))
	}
}

// table names the table holding the key at path, for messages: "outcomes[2]"
// reads better as "outcome 3".
func table(at string) string {
	i := strings.LastIndexByte(at, '.')
	if i < 0 {
		return "the camp"
	}
	t := at[:i]
	if j := strings.LastIndexByte(t, '['); j >= 0 {
		n, _ := strconv.Atoi(t[j+1 : len(t)-1])
		name := t[:j]
		if k := strings.LastIndexByte(name, '.'); k >= 0 {
			name = name[k+1:]
		}
		return strings.TrimSuffix(name, "s") + " " + strconv.Itoa(n+1)
	}
	return t
}

// unique checks the ids of an array of tables: present, well-formed and not
// repeated. It returns the set of ids.
func (p *parser) unique(array string, n int, id func(int) string) map[string]bool {
	seen := map[string]int{}
	for i := 0; i < n; i++ {
		at := tomlpos.Index(array, i) + ".id"
		v := id(i)
		switch {
		case v == "":
			p.required(at, v)
		case !idRe.MatchString(v):
			p.errorf(at, "id %q: use lower-case ASCII letters, digits and hyphens (it becomes part of a URL)", v)
		case seen[v] > 0:
			p.errorf(at, "duplicate id %q (first at line %d): give each of %s its own id", v, seen[v], array)
		default:
			seen[v] = p.kl.Line(at)
		}
	}
	set := map[string]bool{}
	for v := range seen {
		set[v] = true
	}
	return set
}

// date converts a TOML date or a "YYYY-MM-DD" string to UTC midnight.
func (p *parser) date(at string, v any) time.Time {
	switch d := v.(type) {
	case time.Time:
		if d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			p.errorf(at, "`%s` has a time of day: give a date only, e.g. 2019-01-18", at[strings.LastIndexByte(at, '.')+1:])
			return time.Time{}
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	case string:
		t, err := time.Parse(dateLayout, d)
		if err == nil {
			return t
		}
		p.errorf(at, "date %q: write it as YYYY-MM-DD, e.g. 2019-01-18", d)
	default:
		p.errorf(at, "`%s` is a %T: write a date, e.g. 2019-01-18", at[strings.LastIndexByte(at, '.')+1:], v)
	}
	return time.Time{}
}

func (p *parser) status(at, v string) Status {
	s := Status(v)
	switch {
	case v == "":
		p.required(at, v)
	case !s.Valid():
		p.errorf(at, "status %q is not one of %s", v, statusList())
	}
	return s
}

func statusList() string {
	var b strings.Builder
	for i, s := range Statuses {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s))
	}
	return b.String()
}

func (p *parser) outcome(c *Camp, at string, r *rawOutcome, themes, groups map[string]bool) *Outcome {
	name := strconv.Quote(r.ID.V)
	if r.ID.V == "" {
		name = strings.TrimPrefix(table(at+".id"), "outcome ") // its number
	}
	o := &Outcome{ID: r.ID.V, Group: r.Group.V, Theme: r.Theme.V, Problem: strings.TrimSpace(r.Problem.V),
		Owner: strings.TrimSpace(r.Owner.V), Response: strings.TrimSpace(r.Response.V), Line: p.kl.Line(at)}
	if o.Group != "" && !groups[o.Group] {
		p.errorf(at+".group", "group %q is not declared: add a [[groups]] table with id = %q, or fix the id", o.Group, o.Group)
	}
	switch {
	case o.Theme != "" && !themes[o.Theme]:
		p.errorf(at+".theme", "theme %q is not declared: add a [[themes]] table with id = %q, or fix the id", o.Theme, o.Theme)
	case o.Theme == "" && len(themes) > 0:
		p.errorf(at, "outcome %s has no `theme`: the camp declares themes, so give it one of them", name)
	}
	p.required(at+".problem", o.Problem)
	p.required(at+".owner", o.Owner)
	if len(r.Proposals.V) == 0 {
		p.errorf(at, "outcome %s has no `proposals`: list at least one proposed solution, as said at the camp", name)
	}
	for i, s := range r.Proposals.V {
		if s = strings.TrimSpace(s); s == "" {
			p.errorf(tomlpos.Index(at+".proposals", i), "proposal %d of outcome %s is empty: remove it or write it", i+1, name)
			continue
		}
		o.Proposals = append(o.Proposals, s)
	}
	o.Status = p.status(at+".status", r.Status.V)
	if o.Status != Proposed && o.Status.Valid() && o.Response == "" {
		p.errorf(at+".status", "outcome %s is %q but has no `response`: say what was answered", name, o.Status)
	}

	prev := c.Date
	for i, ru := range r.updates {
		uat := tomlpos.Index(at+".updates", i)
		u := Update{Status: p.status(uat+".status", ru.Status.V), Note: strings.TrimSpace(ru.Note.V), Line: p.kl.Line(uat)}
		if !ru.Date.Set {
			p.errorf(uat, "update %d of outcome %s has no `date`: add the date of the change", i+1, name)
		} else if u.Date = p.date(uat+".date", ru.Date.V); !u.Date.IsZero() && !prev.IsZero() && u.Date.Before(prev) {
			p.errorf(uat+".date", "update dated %s is earlier than %s: updates go oldest first and not before the camp", u.DateString(), prev.Format(dateLayout))
		}
		if !u.Date.IsZero() {
			prev = u.Date
		}
		o.Updates = append(o.Updates, u)
	}
	if n := len(o.Updates); n > 0 && o.Updates[n-1].Status.Valid() && o.Status.Valid() && o.Updates[n-1].Status != o.Status {
		p.errorf(at+".status", "status is %q but the last update says %q: make them agree", o.Status, o.Updates[n-1].Status)
	}

	if len(r.Cites.V) == 0 {
		p.errorf(at, "outcome %s has no `cites`: cite the turns where it was raised, as \"<record slug>#<turn id>\"", name)
	}
	for i, v := range r.Cites.V {
		if ct, ok := p.cite(tomlpos.Index(at+".cites", i), v); ok {
			o.Cites = append(o.Cites, ct)
		}
	}
	return o
}

// cite converts one element of `cites`: a reference string, or an inline
// table {turn = "…", quote = "…"}.
func (p *parser) cite(at string, v any) (Cite, bool) {
	ct := Cite{Line: p.kl.Line(at)}
	ref := ""
	switch x := v.(type) {
	case string:
		ref = x
	case map[string]any:
		for k := range x {
			if k != "turn" && k != "quote" {
				p.errorf(at+"."+k, "unknown key `%s` in a citation: the keys are %s", k, citeKeys)
			}
		}
		s, ok := x["turn"].(string)
		if !ok {
			p.errorf(at, "citation without a `turn` string: write {turn = \"<record slug>#<turn id>\", quote = \"…\"}")
			return ct, false
		}
		ref = s
		if q, ok := x["quote"]; ok {
			qs, isStr := q.(string)
			if !isStr || strings.TrimSpace(qs) == "" {
				p.errorf(at+".quote", "`quote` must be a non-empty string: the words of the turn being cited")
				return ct, false
			}
			ct.Quote = strings.TrimSpace(qs)
		}
	default:
		p.errorf(at, "citation %v is neither a string nor a table: write \"<record slug>#<turn id>\" or {turn = \"…\", quote = \"…\"}", v)
		return ct, false
	}
	slug, turn, err := ParseRef(ref)
	if err != nil {
		p.errorf(at, "citation %q: %v", ref, err)
		return ct, false
	}
	ct.Slug, ct.Turn = slug, turn
	return ct, true
}

func (p *parser) slug(at, s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "/#") {
		p.errorf(at, "transcript %q: give the record's slug, the path segment of its page without slashes", s)
	}
	return s
}

// ParseRef reads a citation reference: "<slug>#<turn id>", a permalink
// "/<slug>/#<turn id>", or a full URL ending in one. Percent-encoded slugs
// (as browsers copy them) are decoded.
func ParseRef(ref string) (slug, turn string, err error) {
	ref = strings.TrimSpace(ref)
	hash := strings.LastIndexByte(ref, '#')
	if hash < 0 {
		return "", "", errors.New("no turn id: write \"<record slug>#<turn id>\" or paste the turn's permalink")
	}
	before, turn := ref[:hash], ref[hash+1:]
	if i := strings.Index(before, "://"); i >= 0 {
		before = before[i+3:]
		j := strings.IndexByte(before, '/')
		if j < 0 {
			before = ""
		} else {
			before = before[j:]
		}
	}
	if i := strings.IndexAny(before, "?"); i >= 0 {
		before = before[:i]
	}
	before = strings.Trim(before, "/")
	if i := strings.LastIndexByte(before, '/'); i >= 0 {
		before = before[i+1:] // a site under a path prefix, or /en/…
	}
	if u, uerr := url.PathUnescape(before); uerr == nil {
		before = u
	}
	if before == "" {
		return "", "", errors.New("no record slug before '#'")
	}
	if turn == "" {
		return "", "", errors.New("empty turn id after '#'")
	}
	return before, turn, nil
}
