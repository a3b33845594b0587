package plan

import (
	"fmt"
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

// idRe is the shape of plan, area, commitment, milestone and resolution
// ids: they become URL segments and HTML ids.
var idRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// The file shape as TOML decodes it, fields in the order MarshalTOML
// writes them, which is the order findings list the keys of a table in.
// Every field takes any value (see package tomldecode), so that each
// wrong one is a finding at its line and the rest is still checked.
type planFile struct {
	Title       tomldecode.String  `toml:"title"`
	From        tomldecode.Value   `toml:"from"`
	To          tomldecode.Value   `toml:"to"`
	Lang        tomldecode.String  `toml:"lang"`
	Summary     tomldecode.String  `toml:"summary"`
	Cites       tomldecode.Strings `toml:"cites"`
	Areas       toml.Primitive     `toml:"areas"`
	Commitments toml.Primitive     `toml:"commitments"`
	Resolutions toml.Primitive     `toml:"resolutions"`
}

type areaFile struct {
	ID    tomldecode.String  `toml:"id"`
	Name  tomldecode.String  `toml:"name"`
	Cites tomldecode.Strings `toml:"cites"`
}

type commitmentFile struct {
	ID         tomldecode.String  `toml:"id"`
	Area       tomldecode.String  `toml:"area"`
	Title      tomldecode.String  `toml:"title"`
	Lead       tomldecode.Strings `toml:"lead"`
	Partners   tomldecode.Strings `toml:"partners"`
	Problem    tomldecode.String  `toml:"problem"`
	Content    tomldecode.String  `toml:"content"`
	Values     tomldecode.Strings `toml:"values"`
	Cites      tomldecode.Strings `toml:"cites"`
	Milestones toml.Primitive     `toml:"milestones"`
}

type milestoneFile struct {
	ID      tomldecode.String  `toml:"id"`
	Title   tomldecode.String  `toml:"title"`
	Due     tomldecode.Value   `toml:"due"`
	Status  tomldecode.String  `toml:"status"`
	Updated tomldecode.Value   `toml:"updated"`
	Note    tomldecode.String  `toml:"note"`
	Cites   tomldecode.Strings `toml:"cites"`
}

type resolutionFile struct {
	ID      tomldecode.String  `toml:"id"`
	Text    tomldecode.String  `toml:"text"`
	Owners  tomldecode.Strings `toml:"owners"`
	Meeting tomldecode.String  `toml:"meeting"`
	Date    tomldecode.Value   `toml:"date"`
	Cite    tomldecode.String  `toml:"cite"`
	History toml.Primitive     `toml:"history"`
}

type eventFile struct {
	Date    tomldecode.Value  `toml:"date"`
	Status  tomldecode.String `toml:"status"`
	Meeting tomldecode.String `toml:"meeting"`
	Cite    tomldecode.String `toml:"cite"`
	Note    tomldecode.String `toml:"note"`
}

// examples show how to write a required key that is missing, by its path
// without indexes.
var examples = map[string]string{
	"title":                         `title = "…"`,
	"from":                          `from = "2021-01"`,
	"to":                            `to = "2024-05"`,
	"areas.id":                      `id = "1"`,
	"areas.name":                    `name = "…"`,
	"commitments.id":                `id = "1-1"`,
	"commitments.area":              `area = "1"`,
	"commitments.title":             `title = "…"`,
	"commitments.milestones.id":     `id = "m1"`,
	"commitments.milestones.title":  `title = "…"`,
	"commitments.milestones.status": `status = "planned"`,
	"resolutions.id":                `id = "m2-1"`,
	"resolutions.text":              `text = "…"`,
	"resolutions.history.date":      `date = 2020-12-31`,
	"resolutions.history.status":    `status = "tracking"`,
}

// Load reads every plan file in dir/commitments (dir is the records
// directory), sorted by file name. A missing directory is no plans. A file
// with errors is reported and left out; the rest load.
func Load(dir string, diags *diag.List) []*Plan {
	return tomlpos.Load(dir, Dir, diags, Parse)
}

// Parse reads one plan file; file is its path relative to the records
// directory, used in findings and for the plan's id. It returns nil, with
// findings, when the file has errors.
func Parse(file string, src []byte, diags *diag.List) *Plan {
	return tomlpos.Checked(file, src, diags, parse)
}

func parse(file string, src []byte, diags *diag.List) *Plan {
	var f planFile
	// Keys are matched exactly: `Title` is a misspelling to report, not
	// the title, although BurntSushi/toml would take it for one.
	doc := tomldecode.Decode(file, src, &f, diags, tomldecode.Options{ExactCase: true, RootLine: 1})
	if doc == nil {
		return nil
	}
	d := &decoder{doc: doc}
	p := &Plan{ID: strings.TrimSuffix(path.Base(file), ".toml"), File: file}
	if !idRe.MatchString(p.ID) {
		diags.Errorf(file, 0, "the file name %q is the plan's URL segment: rename it to lower-case ASCII letters, digits and hyphens, e.g. 2021-2024.toml", path.Base(file))
	}
	t := table{kind: "the plan"}
	d.keys(t)
	p.Title = d.str(t, "title", f.Title, true)
	p.From = d.date(t, "from", f.From, true)
	p.To = d.date(t, "to", f.To, true)
	if !p.From.IsZero() && !p.To.IsZero() && p.To.End().Before(p.From.Start()) {
		doc.Errorf("to", "the plan ends (to = %q) before it starts (from = %q): swap or fix the dates", p.To, p.From)
	}
	switch p.Lang = d.str(t, "lang", f.Lang, false); p.Lang {
	case "":
		p.Lang = "zh-TW"
	case "zh-TW", "en":
	default:
		doc.Errorf("lang", "`lang` is %q: use \"zh-TW\" or \"en\"", p.Lang)
	}
	p.Summary = d.str(t, "summary", f.Summary, false)
	p.Cites = d.cites(t, "cites", f.Cites)

	areas := tables[areaFile](d, t, "areas", f.Areas, "[[areas]]")
	if !tomldecode.Given(f.Areas) {
		doc.Errorf("", "no areas: add an [[areas]] table, with id and name, for each area the commitments are grouped under")
	}
	firstArea := map[string]int{}
	for i, af := range areas {
		at := table{path: tomlpos.Index("areas", i), kind: "[[areas]]"}
		a := &Area{Line: doc.Line(at.path)}
		a.ID = d.id(at, af.ID, firstArea)
		at.kind = fmt.Sprintf("area %q", a.ID)
		d.keys(at)
		a.Name = d.str(at, "name", af.Name, true)
		a.Cites = d.cites(at, "cites", af.Cites)
		p.Areas = append(p.Areas, a)
	}

	cts := tables[commitmentFile](d, t, "commitments", f.Commitments, "[[commitments]]")
	if !tomldecode.Given(f.Commitments) {
		doc.Errorf("", "no commitments: add a [[commitments]] table for each commitment of the plan")
	}
	firstCommitment := map[string]int{}
	for i := range cts {
		ct := table{path: tomlpos.Index("commitments", i), kind: "[[commitments]]"}
		p.Commitments = append(p.Commitments, d.commitment(p, ct, &cts[i], firstCommitment))
	}
	for _, a := range p.Areas {
		if a.ID != "" && len(p.InArea(a.ID)) == 0 {
			diags.Warnf(file, a.Line, "area %q has no commitments: give a commitment area = %q, or remove the area", a.ID, a.ID)
		}
	}

	firstResolution := map[string]int{}
	rts := tables[resolutionFile](d, t, "resolutions", f.Resolutions, "[[resolutions]]")
	for i := range rts {
		rt := table{path: tomlpos.Index("resolutions", i), kind: "[[resolutions]]"}
		p.Resolutions = append(p.Resolutions, d.resolution(rt, &rts[i], firstResolution))
	}
	d.unknownKeys()
	return p
}

func (d *decoder) commitment(p *Plan, t table, f *commitmentFile, first map[string]int) *Commitment {
	c := &Commitment{Line: d.doc.Line(t.path)}
	c.ID = d.id(t, f.ID, first)
	if c.ID == "resolutions" {
		d.doc.Errorf(t.at("id"), "a commitment cannot have the id \"resolutions\": /plans/<plan>/resolutions/ is the plan's resolutions tracker; choose another id")
	}
	t.kind = fmt.Sprintf("commitment %q", c.ID)
	d.keys(t)
	c.Area = d.str(t, "area", f.Area, true)
	if c.Area != "" && p.Area(c.Area) == nil {
		var ids []string
		for _, a := range p.Areas {
			if q := strconv.Quote(a.ID); a.ID != "" && !contains(ids, q) {
				ids = append(ids, q)
			}
		}
		d.doc.Errorf(t.at("area"), "commitment %q is in area %q, which is not declared: use one of %s, or add an [[areas]] table with id = %q", c.ID, c.Area, strings.Join(ids, ", "), c.Area)
	}
	c.Title = d.str(t, "title", f.Title, true)
	c.Lead = d.list(t, "lead", f.Lead)
	c.Partners = d.list(t, "partners", f.Partners)
	c.Problem = d.str(t, "problem", f.Problem, false)
	c.Content = d.str(t, "content", f.Content, false)
	for i, v := range d.list(t, "values", f.Values) {
		tm, ok := lookup(valueTerms, v, false)
		if !ok {
			d.doc.Errorf(tomlpos.Index(t.at("values"), i), "%q is not an OGP value: use %s%s", v, codes(valueTerms), aliasHint(valueTerms, v))
			continue
		}
		c.Values = append(c.Values, Value(tm.code))
	}
	c.Cites = d.cites(t, "cites", f.Cites)
	firstMilestone := map[string]int{}
	mts := tables[milestoneFile](d, t, "milestones", f.Milestones, "[[commitments.milestones]]")
	for i := range mts {
		mt := table{path: tomlpos.Index(t.at("milestones"), i), kind: "[[commitments.milestones]]"}
		c.Milestones = append(c.Milestones, d.milestone(p, c, mt, &mts[i], firstMilestone))
	}
	return c
}

func (d *decoder) milestone(p *Plan, c *Commitment, t table, f *milestoneFile, first map[string]int) *Milestone {
	m := &Milestone{Line: d.doc.Line(t.path)}
	t.kind = fmt.Sprintf("a milestone of commitment %q", c.ID)
	m.ID = d.id(t, f.ID, first)
	t.kind = fmt.Sprintf("milestone %q of commitment %q", m.ID, c.ID)
	d.keys(t)
	m.Title = d.str(t, "title", f.Title, true)
	m.Due = d.date(t, "due", f.Due, false)
	if !m.Due.IsZero() && !p.From.IsZero() && !p.To.IsZero() &&
		(m.Due.End().Before(p.From.Start()) || m.Due.Start().After(p.To.End())) {
		d.doc.Warnf(t.at("due"), "milestone %q of commitment %q is due %s, outside the plan's period %s to %s: check the date", m.ID, c.ID, m.Due, p.From, p.To)
	}
	if s := d.str(t, "status", f.Status, true); s != "" {
		tm, ok := lookup(statusTerms, s, false)
		if !ok || tm.code == string(Unreported) {
			d.doc.Errorf(t.at("status"), "status %q is not a milestone status: use %s%s", s, codes(statusTerms, string(Unreported)), aliasHint(statusTerms, s))
		} else {
			m.Status = Status(tm.code)
		}
	}
	m.Updated = d.date(t, "updated", f.Updated, false)
	m.Note = d.str(t, "note", f.Note, false)
	m.Cites = d.cites(t, "cites", f.Cites)
	return m
}

func (d *decoder) resolution(t table, f *resolutionFile, first map[string]int) *Resolution {
	r := &Resolution{Line: d.doc.Line(t.path)}
	r.ID = d.id(t, f.ID, first)
	t.kind = fmt.Sprintf("resolution %q", r.ID)
	d.keys(t)
	r.Text = d.str(t, "text", f.Text, true)
	r.Owners = d.list(t, "owners", f.Owners)
	r.Meeting = d.str(t, "meeting", f.Meeting, false)
	r.Date = d.date(t, "date", f.Date, false)
	r.Cite = d.cite(t, "cite", f.Cite)
	if r.Meeting == "" && !f.Meeting.Given() && !f.Cite.Given() {
		d.doc.Errorf(t.path, "say where resolution %q was made: add meeting = \"…\" (the meeting's name) or cite = \"<slug>#<turn id>\" (the turn where it was made)", r.ID)
	}
	var prev *Event
	ets := tables[eventFile](d, t, "history", f.History, "[[resolutions.history]]")
	for i := range ets {
		ef := &ets[i]
		et := table{path: tomlpos.Index(t.at("history"), i), kind: fmt.Sprintf("history entry %d of resolution %q", i+1, r.ID)}
		e := Event{Line: d.doc.Line(et.path)}
		d.keys(et)
		e.Date = d.date(et, "date", ef.Date, true)
		if s := d.str(et, "status", ef.Status, true); s != "" {
			if tm, ok := lookup(resolutionTerms, s, false); ok {
				e.Status = ResolutionStatus(tm.code)
			} else {
				d.doc.Errorf(et.at("status"), "status %q is not a resolution status: use %s%s", s, codes(resolutionTerms), aliasHint(resolutionTerms, s))
			}
		}
		e.Meeting = d.str(et, "meeting", ef.Meeting, false)
		e.Cite = d.cite(et, "cite", ef.Cite)
		e.Note = d.str(et, "note", ef.Note, false)
		if e.Meeting == "" && !ef.Meeting.Given() && !ef.Cite.Given() {
			d.doc.Errorf(et.path, "say which meeting decided this: add meeting = \"…\" or cite = \"<slug>#<turn id>\"")
		}
		switch {
		case e.Date.IsZero():
		case !r.Date.IsZero() && e.Date.End().Before(r.Date.Start()):
			d.doc.Errorf(et.at("date"), "history entry dated %s is before resolution %q was made (%s): fix either date", e.Date, r.ID, r.Date)
		case prev != nil && !prev.Date.IsZero() && e.Date.End().Before(prev.Date.Start()):
			d.doc.Errorf(et.at("date"), "history out of order: %s comes after %s (line %d); list the entries of resolution %q oldest first", e.Date, prev.Date, prev.Line, r.ID)
		}
		r.History = append(r.History, e)
		prev = &r.History[len(r.History)-1]
	}
	return r
}

// decoder turns a decoded planFile into a Plan, reporting every problem
// with the line it is on.
type decoder struct {
	doc   *tomldecode.Doc
	kinds map[string]string // table path → how findings name it, for unknown keys
}

// table is one TOML table being read.
type table struct {
	path string // indexed key path; "" for the root table
	kind string // how findings name it, e.g. `commitment "1-1"`
}

func (t table) at(key string) string {
	if t.path == "" {
		return key
	}
	return t.path + "." + key
}

// keys names t for the findings about its unknown keys, which unknownKeys
// reports once every table is decoded.
func (d *decoder) keys(t table) {
	if d.kinds == nil {
		d.kinds = map[string]string{}
	}
	d.kinds[t.path] = t.kind
}

// unknownKeys reports every key that is not allowed where it is.
func (d *decoder) unknownKeys() {
	for _, u := range d.doc.Unknown() {
		d.doc.Errorf(u.Path, "unknown key `%s` in %s%s: the keys there are %s", u.Key, d.kinds[u.Table], tomldecode.DidYouMean(u.Key, u.Allowed), strings.Join(u.Allowed, ", "))
	}
}

// tables decodes the array of tables at t's key, reporting a value that
// is not one; a Primitive holds it until then so that a wrong value does
// not stop the decoding of the rest.
func tables[T any](d *decoder, t table, key string, p toml.Primitive, header string) []T {
	out, bad := tomldecode.Tables[T](d.doc, p, t.at(key))
	switch {
	case bad == nil:
	case bad.Item >= 0:
		d.doc.Errorf(bad.At(), "item %d of `%s` is %s: each must be a table; write a %s section for each", bad.Item+1, key, tomldecode.Describe(bad.Got), header)
	default:
		d.doc.Errorf(bad.At(), "`%s` must be tables: write a %s section for each; found %s", key, header, tomldecode.Describe(bad.Got))
	}
	return out
}

func (d *decoder) missing(t table, key string) {
	d.doc.Missing(t.at(key), t.kind, examples[tomlpos.PlainPath(t.at(key))])
}

// str reads a string, trimmed.
func (d *decoder) str(t table, key string, v tomldecode.String, required bool) string {
	if !v.Set {
		if required {
			d.missing(t, key)
		}
		return ""
	}
	if v.Got != nil {
		d.doc.Errorf(t.at(key), "`%s` must be a string, e.g. %s = \"…\"; found %s", key, key, tomldecode.Describe(v.Got))
		return ""
	}
	s := strings.TrimSpace(v.V)
	if s == "" && required {
		d.doc.Errorf(t.at(key), "`%s` is empty in %s: fill it in", key, t.kind)
	}
	return s
}

// id reads the table's id and checks it is well formed and unique among
// the tables first has seen.
func (d *decoder) id(t table, v tomldecode.String, first map[string]int) string {
	id := d.str(t, "id", v, true)
	if id == "" {
		return ""
	}
	line := d.doc.Line(t.at("id"))
	if !idRe.MatchString(id) {
		d.doc.Errorf(t.at("id"), "id %q must be lower-case ASCII letters, digits and hyphens (it becomes part of a URL), e.g. \"1-1\"", id)
	} else if prev, dup := first[id]; dup {
		d.doc.Errorf(t.at("id"), "duplicate id %q in %s: line %d has it already; give each its own id", id, t.kind, prev)
	} else {
		first[id] = line
	}
	return id
}

// list reads an array of non-empty, distinct strings.
func (d *decoder) list(t table, key string, v tomldecode.Strings) []string {
	if !v.Set {
		return nil
	}
	if v.Got != nil {
		d.doc.Errorf(t.at(key), "`%s` must be an array of strings, e.g. %s = [\"…\", \"…\"]; found %s", key, key, tomldecode.Describe(v.Got))
		return nil
	}
	var out []string
	for i, s := range v.V {
		at := tomlpos.Index(t.at(key), i)
		e, wrong := v.Wrong[i]
		switch {
		case wrong:
			d.doc.Errorf(at, "`%s` must hold strings only; item %d is %s", key, i+1, tomldecode.Describe(e))
		case strings.TrimSpace(s) == "":
			d.doc.Errorf(at, "item %d of `%s` is empty: remove it", i+1, key)
		case contains(out, strings.TrimSpace(s)):
			d.doc.Errorf(at, "%q is listed twice in `%s`: remove one", strings.TrimSpace(s), key)
		default:
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// date reads a date written as a string (YYYY, YYYY-MM, YYYY-MM-DD) or as
// a TOML local date.
func (d *decoder) date(t table, key string, v tomldecode.Value, required bool) Date {
	if !v.Set {
		if required {
			d.missing(t, key)
		}
		return Date{}
	}
	switch x := v.V.(type) {
	case string:
		dt, err := ParseDate(x)
		if err != nil {
			d.doc.Errorf(t.at(key), "`%s`: %v", key, err)
		}
		return dt
	case time.Time:
		// BurntSushi/toml marks a TOML local date with a zone of this
		// name; its variable for it is internal.
		if x.Location().String() != "date-local" {
			d.doc.Errorf(t.at(key), "`%s` has a time of day: give the date only, e.g. %s = %s", key, key, x.Format("2006-01-02"))
			return Date{}
		}
		return dateOf(x)
	case int64:
		d.doc.Errorf(t.at(key), "`%s` is a number: write the year as a string, %s = \"%d\"", key, key, x)
	default:
		d.doc.Errorf(t.at(key), "`%s` must be a date, e.g. %s = \"2022-12\" or %s = 2022-12-31; found %s", key, key, key, tomldecode.Describe(x))
	}
	return Date{}
}

// cites reads an array of citations.
func (d *decoder) cites(t table, key string, v tomldecode.Strings) []Cite {
	if !v.Set {
		return nil
	}
	if v.Got != nil {
		d.doc.Errorf(t.at(key), "`%s` must be an array of citations, e.g. %s = [\"<slug>#<turn id>\"]; found %s", key, key, tomldecode.Describe(v.Got))
		return nil
	}
	var out []Cite
	seen := map[string]int{}
	for i, s := range v.V {
		at := tomlpos.Index(t.at(key), i)
		if e, wrong := v.Wrong[i]; wrong {
			d.doc.Errorf(at, "`%s` must hold strings only; item %d is %s", key, i+1, tomldecode.Describe(e))
			continue
		}
		c, err := ParseCite(s)
		if err != nil {
			d.doc.Errorf(at, "citation: %v", err)
			continue
		}
		c.Line = d.doc.Line(at)
		if prev, dup := seen[c.Ref()]; dup {
			d.doc.Warnf(at, "%s is cited twice in `%s` (line %d has it): remove one", c.Ref(), key, prev)
			continue
		}
		seen[c.Ref()] = c.Line
		out = append(out, c)
	}
	return out
}

// cite reads one optional citation.
func (d *decoder) cite(t table, key string, v tomldecode.String) Cite {
	if !v.Set {
		return Cite{}
	}
	if v.Got != nil {
		d.doc.Errorf(t.at(key), "`%s` must be one citation, e.g. %s = \"<slug>#<turn id>\"; found %s", key, key, tomldecode.Describe(v.Got))
		return Cite{}
	}
	c, err := ParseCite(v.V)
	if err != nil {
		d.doc.Errorf(t.at(key), "citation: %v", err)
		return Cite{}
	}
	c.Line = d.doc.Line(t.at(key))
	return c
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// aliasHint tells which code a label or other spelling of a term is, for
// someone who wrote the word a spreadsheet uses.
func aliasHint(terms []term, s string) string {
	if tm, ok := lookup(terms, s, true); ok && tm.code != s {
		return fmt.Sprintf(" (%q is written %q)", s, tm.code)
	}
	return ""
}
