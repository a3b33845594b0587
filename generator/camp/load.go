package camp

import (
	"errors"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/tomlpos"
)

// The file shape as TOML decodes it. Dates and citations take more than one
// form, so they decode as any and are converted with line numbers at hand.
type rawCamp struct {
	Title       string       `toml:"title"`
	Date        any          `toml:"date"`
	Lang        string       `toml:"lang"`
	Transcripts []string     `toml:"transcripts"`
	Themes      []rawTheme   `toml:"themes"`
	Groups      []rawGroup   `toml:"groups"`
	Outcomes    []rawOutcome `toml:"outcomes"`
}

type rawTheme struct {
	ID   string `toml:"id"`
	Name string `toml:"name"`
}

type rawGroup struct {
	ID          string `toml:"id"`
	Name        string `toml:"name"`
	Facilitator string `toml:"facilitator"`
	Reporter    string `toml:"reporter"`
}

type rawOutcome struct {
	ID        string      `toml:"id"`
	Group     string      `toml:"group"`
	Theme     string      `toml:"theme"`
	Problem   string      `toml:"problem"`
	Proposals []string    `toml:"proposals"`
	Owner     string      `toml:"owner"`
	Response  string      `toml:"response"`
	Status    string      `toml:"status"`
	Updates   []rawUpdate `toml:"updates"`
	Cites     []any       `toml:"cites"`
}

type rawUpdate struct {
	Date   any    `toml:"date"`
	Status string `toml:"status"`
	Note   string `toml:"note"`
}

// knownKeys lists, per table (path without indexes), the keys it may have:
// the help an unknown-key finding gives.
var knownKeys = map[string]string{
	"":                 "title, date, lang, transcripts, themes, groups, outcomes",
	"themes":           "id, name",
	"groups":           "id, name, facilitator, reporter",
	"outcomes":         "id, group, theme, problem, proposals, owner, response, status, updates, cites",
	"outcomes.updates": "date, status, note",
	"outcomes.cites":   "turn, quote",
}

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

// typeErrRe reads the line and key out of BurntSushi/toml's type-mismatch
// errors, which are not ParseErrors.
var typeErrRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

func parse(file string, src []byte, diags *diag.List) *Camp {
	var raw rawCamp
	md, err := toml.Decode(string(src), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			diags.Errorf(file, pe.Position.Line, "TOML syntax: %s; fix the file so that it parses", pe.Message)
		} else if m := typeErrRe.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			diags.Errorf(file, n, "wrong type for `%s`: %s", m[2], strings.TrimPrefix(m[3], "incompatible types: "))
		} else {
			diags.Errorf(file, 0, "%v", err)
		}
		return nil
	}
	kl := tomlpos.Scan(src)
	p := &parser{file: file, kl: kl, diags: diags}

	// Undecoded lists a key once per occurrence, without array indexes;
	// unknownKey reports every line of a key at once.
	seen := map[string]bool{}
	for _, k := range md.Undecoded() {
		if s := k.String(); !seen[s] {
			seen[s] = true
			p.unknownKey(k)
		}
	}

	id := strings.TrimSuffix(path.Base(file), ".toml")
	if !idRe.MatchString(id) {
		diags.Errorf(file, 0, "the file name %q is the camp's URL segment: rename it to lower-case ASCII letters, digits and hyphens, e.g. 2019-01-18-po-camp.toml", path.Base(file))
	}
	c := &Camp{ID: id, File: file, Title: strings.TrimSpace(raw.Title), Lang: raw.Lang, Line: kl.Line("transcripts")}
	p.required("title", c.Title)
	if raw.Date == nil {
		p.errorf("date", "missing `date`: add the camp date, e.g. date = 2019-01-18")
	} else {
		c.Date = p.date("date", raw.Date)
	}
	switch c.Lang {
	case "":
		c.Lang = "zh-TW"
	case "zh-TW", "en":
	default:
		p.errorf("lang", "`lang` is %q: use \"zh-TW\" or \"en\"", c.Lang)
	}
	if len(raw.Transcripts) == 0 {
		p.errorf("transcripts", "missing `transcripts`: list the slugs of the camp's transcripts, e.g. transcripts = [\"2019-01-18-…\"]")
	}
	for i, s := range raw.Transcripts {
		c.Transcripts = append(c.Transcripts, p.slug(tomlpos.Index("transcripts", i), s))
	}

	themes := p.unique("themes", len(raw.Themes), func(i int) string { return raw.Themes[i].ID })
	for i, t := range raw.Themes {
		at := tomlpos.Index("themes", i)
		p.required(at+".name", t.Name)
		c.Themes = append(c.Themes, Theme{ID: t.ID, Name: t.Name, Line: kl.Line(at)})
	}
	groups := p.unique("groups", len(raw.Groups), func(i int) string { return raw.Groups[i].ID })
	for i, g := range raw.Groups {
		at := tomlpos.Index("groups", i)
		p.required(at+".name", g.Name)
		c.Groups = append(c.Groups, Group{ID: g.ID, Name: g.Name, Facilitator: g.Facilitator, Reporter: g.Reporter, Line: kl.Line(at)})
	}

	if len(raw.Outcomes) == 0 {
		diags.Errorf(file, 0, "no outcomes: add an [[outcomes]] table for each problem the camp raised")
	}
	p.unique("outcomes", len(raw.Outcomes), func(i int) string { return raw.Outcomes[i].ID })
	for i := range raw.Outcomes {
		c.Outcomes = append(c.Outcomes, p.outcome(c, tomlpos.Index("outcomes", i), &raw.Outcomes[i], themes, groups))
	}
	return c
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

func (p *parser) unknownKey(k toml.Key) {
	parent := strings.Join(k[:len(k)-1], ".")
	known, ok := knownKeys[parent]
	if !ok || parent == "outcomes.cites" {
		// Inside a key that is itself unknown (reported at its root), or a
		// citation's inline table, which decodes as any and is checked by cite.
		return
	}
	lines := p.kl.Plain(strings.Join(k, "."))
	if len(lines) == 0 {
		lines = []int{0}
	}
	where := "at the top level"
	if parent != "" {
		where = "in " + parent
	}
	for _, n := range lines {
		p.diags.Errorf(p.file, n, "unknown key `%s` %s: the keys are %s", k[len(k)-1], where, known)
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
	name := strconv.Quote(r.ID)
	if r.ID == "" {
		name = strings.TrimPrefix(table(at+".id"), "outcome ") // its number
	}
	o := &Outcome{ID: r.ID, Group: r.Group, Theme: r.Theme, Problem: strings.TrimSpace(r.Problem),
		Owner: strings.TrimSpace(r.Owner), Response: strings.TrimSpace(r.Response), Line: p.kl.Line(at)}
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
	if len(r.Proposals) == 0 {
		p.errorf(at, "outcome %s has no `proposals`: list at least one proposed solution, as said at the camp", name)
	}
	for i, s := range r.Proposals {
		if s = strings.TrimSpace(s); s == "" {
			p.errorf(tomlpos.Index(at+".proposals", i), "proposal %d of outcome %s is empty: remove it or write it", i+1, name)
			continue
		}
		o.Proposals = append(o.Proposals, s)
	}
	o.Status = p.status(at+".status", r.Status)
	if o.Status != Proposed && o.Status.Valid() && o.Response == "" {
		p.errorf(at+".status", "outcome %s is %q but has no `response`: say what was answered", name, o.Status)
	}

	prev := c.Date
	for i, ru := range r.Updates {
		uat := tomlpos.Index(at+".updates", i)
		u := Update{Status: p.status(uat+".status", ru.Status), Note: strings.TrimSpace(ru.Note), Line: p.kl.Line(uat)}
		if ru.Date == nil {
			p.errorf(uat, "update %d of outcome %s has no `date`: add the date of the change", i+1, name)
		} else if u.Date = p.date(uat+".date", ru.Date); !u.Date.IsZero() && !prev.IsZero() && u.Date.Before(prev) {
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

	if len(r.Cites) == 0 {
		p.errorf(at, "outcome %s has no `cites`: cite the turns where it was raised, as \"<record slug>#<turn id>\"", name)
	}
	for i, v := range r.Cites {
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
				p.errorf(at+"."+k, "unknown key `%s` in a citation: the keys are %s", k, knownKeys["outcomes.cites"])
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
