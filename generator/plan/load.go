package plan

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/tomlpos"
)

// idRe is the shape of plan, area, commitment, milestone and resolution
// ids: they become URL segments and HTML ids.
var idRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// The keys each table may have, in the order MarshalTOML writes them.
var (
	planKeys       = []string{"title", "from", "to", "lang", "summary", "cites", "areas", "commitments", "resolutions"}
	areaKeys       = []string{"id", "name", "cites"}
	commitmentKeys = []string{"id", "area", "title", "lead", "partners", "problem", "content", "values", "cites", "milestones"}
	milestoneKeys  = []string{"id", "title", "due", "status", "updated", "note", "cites"}
	resolutionKeys = []string{"id", "text", "owners", "meeting", "date", "cite", "history"}
	eventKeys      = []string{"date", "status", "meeting", "cite", "note"}
)

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
	var root map[string]any
	if _, err := toml.Decode(string(src), &root); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			diags.Errorf(file, pe.Position.Line, "TOML syntax: %s; fix the file so that it parses", pe.Message)
		} else {
			diags.Errorf(file, 0, "%v", err)
		}
		return nil
	}
	d := &decoder{file: file, lines: scanLines(src), diags: diags}
	p := &Plan{ID: strings.TrimSuffix(path.Base(file), ".toml"), File: file}
	if !idRe.MatchString(p.ID) {
		diags.Errorf(file, 0, "the file name %q is the plan's URL segment: rename it to lower-case ASCII letters, digits and hyphens, e.g. 2021-2024.toml", path.Base(file))
	}
	t := table{kind: "the plan", m: root}
	d.keys(t, planKeys)
	p.Title = d.str(t, "title", true)
	p.From = d.date(t, "from", true)
	p.To = d.date(t, "to", true)
	if !p.From.IsZero() && !p.To.IsZero() && p.To.End().Before(p.From.Start()) {
		d.errorf("to", "the plan ends (to = %q) before it starts (from = %q): swap or fix the dates", p.To, p.From)
	}
	switch p.Lang = d.str(t, "lang", false); p.Lang {
	case "":
		p.Lang = "zh-TW"
	case "zh-TW", "en":
	default:
		d.errorf("lang", "`lang` is %q: use \"zh-TW\" or \"en\"", p.Lang)
	}
	p.Summary = d.str(t, "summary", false)
	p.Cites = d.cites(t, "cites")

	areas := d.tables(t, "areas", "[[areas]]")
	if _, given := root["areas"]; !given {
		d.errorf("", "no areas: add an [[areas]] table, with id and name, for each area the commitments are grouped under")
	}
	firstArea := map[string]int{}
	for _, at := range areas {
		a := &Area{Line: d.lines.line(at.path)}
		a.ID = d.id(at, firstArea)
		at.kind = fmt.Sprintf("area %q", a.ID)
		d.keys(at, areaKeys)
		a.Name = d.str(at, "name", true)
		a.Cites = d.cites(at, "cites")
		p.Areas = append(p.Areas, a)
	}

	cts := d.tables(t, "commitments", "[[commitments]]")
	if _, given := root["commitments"]; !given {
		d.errorf("", "no commitments: add a [[commitments]] table for each commitment of the plan")
	}
	firstCommitment := map[string]int{}
	for _, ct := range cts {
		p.Commitments = append(p.Commitments, d.commitment(p, ct, firstCommitment))
	}
	for _, a := range p.Areas {
		if a.ID != "" && len(p.InArea(a.ID)) == 0 {
			diags.Warnf(file, a.Line, "area %q has no commitments: give a commitment area = %q, or remove the area", a.ID, a.ID)
		}
	}

	firstResolution := map[string]int{}
	for _, rt := range d.tables(t, "resolutions", "[[resolutions]]") {
		p.Resolutions = append(p.Resolutions, d.resolution(rt, firstResolution))
	}
	return p
}

func (d *decoder) commitment(p *Plan, t table, first map[string]int) *Commitment {
	c := &Commitment{Line: d.lines.line(t.path)}
	c.ID = d.id(t, first)
	if c.ID == "resolutions" {
		d.errorf(t.at("id"), "a commitment cannot have the id \"resolutions\": /plans/<plan>/resolutions/ is the plan's resolutions tracker; choose another id")
	}
	t.kind = fmt.Sprintf("commitment %q", c.ID)
	d.keys(t, commitmentKeys)
	c.Area = d.str(t, "area", true)
	if c.Area != "" && p.Area(c.Area) == nil {
		var ids []string
		for _, a := range p.Areas {
			if q := strconv.Quote(a.ID); a.ID != "" && !contains(ids, q) {
				ids = append(ids, q)
			}
		}
		d.errorf(t.at("area"), "commitment %q is in area %q, which is not declared: use one of %s, or add an [[areas]] table with id = %q", c.ID, c.Area, strings.Join(ids, ", "), c.Area)
	}
	c.Title = d.str(t, "title", true)
	c.Lead = d.list(t, "lead")
	c.Partners = d.list(t, "partners")
	c.Problem = d.str(t, "problem", false)
	c.Content = d.str(t, "content", false)
	for i, v := range d.list(t, "values") {
		tm, ok := lookup(valueTerms, v, false)
		if !ok {
			d.errorf(indexed(t.at("values"), i), "%q is not an OGP value: use %s%s", v, codes(valueTerms), aliasHint(valueTerms, v))
			continue
		}
		c.Values = append(c.Values, Value(tm.code))
	}
	c.Cites = d.cites(t, "cites")
	firstMilestone := map[string]int{}
	for _, mt := range d.tables(t, "milestones", "[[commitments.milestones]]") {
		c.Milestones = append(c.Milestones, d.milestone(p, c, mt, firstMilestone))
	}
	return c
}

func (d *decoder) milestone(p *Plan, c *Commitment, t table, first map[string]int) *Milestone {
	m := &Milestone{Line: d.lines.line(t.path)}
	t.kind = fmt.Sprintf("a milestone of commitment %q", c.ID)
	m.ID = d.id(t, first)
	t.kind = fmt.Sprintf("milestone %q of commitment %q", m.ID, c.ID)
	d.keys(t, milestoneKeys)
	m.Title = d.str(t, "title", true)
	m.Due = d.date(t, "due", false)
	if !m.Due.IsZero() && !p.From.IsZero() && !p.To.IsZero() &&
		(m.Due.End().Before(p.From.Start()) || m.Due.Start().After(p.To.End())) {
		d.warnf(t.at("due"), "milestone %q of commitment %q is due %s, outside the plan's period %s to %s: check the date", m.ID, c.ID, m.Due, p.From, p.To)
	}
	if s := d.str(t, "status", true); s != "" {
		tm, ok := lookup(statusTerms, s, false)
		if !ok || tm.code == string(Unreported) {
			d.errorf(t.at("status"), "status %q is not a milestone status: use %s%s", s, codes(statusTerms, string(Unreported)), aliasHint(statusTerms, s))
		} else {
			m.Status = Status(tm.code)
		}
	}
	m.Updated = d.date(t, "updated", false)
	m.Note = d.str(t, "note", false)
	m.Cites = d.cites(t, "cites")
	return m
}

func (d *decoder) resolution(t table, first map[string]int) *Resolution {
	r := &Resolution{Line: d.lines.line(t.path)}
	r.ID = d.id(t, first)
	t.kind = fmt.Sprintf("resolution %q", r.ID)
	d.keys(t, resolutionKeys)
	r.Text = d.str(t, "text", true)
	r.Owners = d.list(t, "owners")
	r.Meeting = d.str(t, "meeting", false)
	r.Date = d.date(t, "date", false)
	r.Cite = d.cite(t, "cite")
	if r.Meeting == "" && d.absent(t, "meeting", "cite") {
		d.errorf(t.path, "say where resolution %q was made: add meeting = \"…\" (the meeting's name) or cite = \"<slug>#<turn id>\" (the turn where it was made)", r.ID)
	}
	var prev *Event
	for i, et := range d.tables(t, "history", "[[resolutions.history]]") {
		et.kind = fmt.Sprintf("history entry %d of resolution %q", i+1, r.ID)
		e := Event{Line: d.lines.line(et.path)}
		d.keys(et, eventKeys)
		e.Date = d.date(et, "date", true)
		if s := d.str(et, "status", true); s != "" {
			if tm, ok := lookup(resolutionTerms, s, false); ok {
				e.Status = ResolutionStatus(tm.code)
			} else {
				d.errorf(et.at("status"), "status %q is not a resolution status: use %s%s", s, codes(resolutionTerms), aliasHint(resolutionTerms, s))
			}
		}
		e.Meeting = d.str(et, "meeting", false)
		e.Cite = d.cite(et, "cite")
		e.Note = d.str(et, "note", false)
		if e.Meeting == "" && d.absent(et, "meeting", "cite") {
			d.errorf(et.path, "say which meeting decided this: add meeting = \"…\" or cite = \"<slug>#<turn id>\"")
		}
		switch {
		case e.Date.IsZero():
		case !r.Date.IsZero() && e.Date.End().Before(r.Date.Start()):
			d.errorf(et.at("date"), "history entry dated %s is before resolution %q was made (%s): fix either date", e.Date, r.ID, r.Date)
		case prev != nil && !prev.Date.IsZero() && e.Date.End().Before(prev.Date.Start()):
			d.errorf(et.at("date"), "history out of order: %s comes after %s (line %d); list the entries of resolution %q oldest first", e.Date, prev.Date, prev.Line, r.ID)
		}
		r.History = append(r.History, e)
		prev = &r.History[len(r.History)-1]
	}
	return r
}

// decoder turns the plain maps BurntSushi/toml decodes into a Plan,
// reporting every problem with the line it is on.
type decoder struct {
	file  string
	lines keyLines
	diags *diag.List
}

// table is one TOML table being read.
type table struct {
	path string // indexed key path; "" for the root table
	kind string // how findings name it, e.g. `commitment "1-1"`
	m    map[string]any
}

func (t table) at(key string) string {
	if t.path == "" {
		return key
	}
	return t.path + "." + key
}

func indexed(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func (d *decoder) errorf(path, format string, args ...any) {
	d.diags.Errorf(d.file, d.lines.line(path), format, args...)
}

func (d *decoder) warnf(path, format string, args ...any) {
	d.diags.Warnf(d.file, d.lines.line(path), format, args...)
}

// keys reports every key of t that is not allowed there.
func (d *decoder) keys(t table, allowed []string) {
	for k := range t.m {
		if !contains(allowed, k) {
			d.errorf(t.at(k), "unknown key `%s` in %s%s: the keys there are %s", k, t.kind, suggest(k, allowed), strings.Join(allowed, ", "))
		}
	}
}

// absent reports whether none of keys is given, an empty string counting
// as not given; a key given with a wrong value has a finding already.
func (d *decoder) absent(t table, keys ...string) bool {
	for _, k := range keys {
		if v, ok := t.m[k]; ok && v != "" {
			return false
		}
	}
	return true
}

func (d *decoder) missing(t table, key string) {
	ex := examples[tomlpos.PlainPath(t.at(key))]
	d.errorf(t.path, "missing `%s` in %s: add %s", key, t.kind, ex)
}

// str reads a string, trimmed.
func (d *decoder) str(t table, key string, required bool) string {
	v, ok := t.m[key]
	if !ok {
		if required {
			d.missing(t, key)
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.errorf(t.at(key), "`%s` must be a string, e.g. %s = \"…\"; found %s", key, key, typeName(v))
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		d.errorf(t.at(key), "`%s` is empty in %s: fill it in", key, t.kind)
	}
	return s
}

// id reads the table's id and checks it is well formed and unique among
// the tables first has seen.
func (d *decoder) id(t table, first map[string]int) string {
	id := d.str(t, "id", true)
	if id == "" {
		return ""
	}
	line := d.lines.line(t.at("id"))
	if !idRe.MatchString(id) {
		d.errorf(t.at("id"), "id %q must be lower-case ASCII letters, digits and hyphens (it becomes part of a URL), e.g. \"1-1\"", id)
	} else if prev, dup := first[id]; dup {
		d.errorf(t.at("id"), "duplicate id %q in %s: line %d has it already; give each its own id", id, t.kind, prev)
	} else {
		first[id] = line
	}
	return id
}

// list reads an array of non-empty, distinct strings.
func (d *decoder) list(t table, key string) []string {
	v, ok := t.m[key]
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		d.errorf(t.at(key), "`%s` must be an array of strings, e.g. %s = [\"…\", \"…\"]; found %s", key, key, typeName(v))
		return nil
	}
	var out []string
	for i, e := range arr {
		s, ok := e.(string)
		switch {
		case !ok:
			d.errorf(indexed(t.at(key), i), "`%s` must hold strings only; item %d is %s", key, i+1, typeName(e))
		case strings.TrimSpace(s) == "":
			d.errorf(indexed(t.at(key), i), "item %d of `%s` is empty: remove it", i+1, key)
		case contains(out, strings.TrimSpace(s)):
			d.errorf(indexed(t.at(key), i), "%q is listed twice in `%s`: remove one", strings.TrimSpace(s), key)
		default:
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// date reads a date written as a string (YYYY, YYYY-MM, YYYY-MM-DD) or as
// a TOML local date.
func (d *decoder) date(t table, key string, required bool) Date {
	v, ok := t.m[key]
	if !ok {
		if required {
			d.missing(t, key)
		}
		return Date{}
	}
	switch v := v.(type) {
	case string:
		dt, err := ParseDate(v)
		if err != nil {
			d.errorf(t.at(key), "`%s`: %v", key, err)
		}
		return dt
	case time.Time:
		// BurntSushi/toml marks a TOML local date with a zone of this
		// name; its variable for it is internal.
		if v.Location().String() != "date-local" {
			d.errorf(t.at(key), "`%s` has a time of day: give the date only, e.g. %s = %s", key, key, v.Format("2006-01-02"))
			return Date{}
		}
		return dateOf(v)
	case int64:
		d.errorf(t.at(key), "`%s` is a number: write the year as a string, %s = \"%d\"", key, key, v)
	default:
		d.errorf(t.at(key), "`%s` must be a date, e.g. %s = \"2022-12\" or %s = 2022-12-31; found %s", key, key, key, typeName(v))
	}
	return Date{}
}

// tables reads an array of tables, given as [[header]] sections or as an
// array of inline tables.
func (d *decoder) tables(t table, key, header string) []table {
	v, ok := t.m[key]
	if !ok {
		return nil
	}
	var maps []map[string]any
	switch v := v.(type) {
	case []map[string]any:
		maps = v
	case []any:
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				d.errorf(indexed(t.at(key), i), "item %d of `%s` is %s: each must be a table; write a %s section for each", i+1, key, typeName(e), header)
				return nil
			}
			maps = append(maps, m)
		}
	default:
		d.errorf(t.at(key), "`%s` must be tables: write a %s section for each; found %s", key, header, typeName(v))
		return nil
	}
	out := make([]table, len(maps))
	for i, m := range maps {
		out[i] = table{path: indexed(t.at(key), i), kind: header, m: m}
	}
	return out
}

// cites reads an array of citations.
func (d *decoder) cites(t table, key string) []Cite {
	v, ok := t.m[key]
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		d.errorf(t.at(key), "`%s` must be an array of citations, e.g. %s = [\"<slug>#<turn id>\"]; found %s", key, key, typeName(v))
		return nil
	}
	var out []Cite
	seen := map[string]int{}
	for i, e := range arr {
		at := indexed(t.at(key), i)
		s, ok := e.(string)
		if !ok {
			d.errorf(at, "`%s` must hold strings only; item %d is %s", key, i+1, typeName(e))
			continue
		}
		c, err := ParseCite(s)
		if err != nil {
			d.errorf(at, "citation: %v", err)
			continue
		}
		c.Line = d.lines.line(at)
		if prev, dup := seen[c.Ref()]; dup {
			d.warnf(at, "%s is cited twice in `%s` (line %d has it): remove one", c.Ref(), key, prev)
			continue
		}
		seen[c.Ref()] = c.Line
		out = append(out, c)
	}
	return out
}

// cite reads one optional citation.
func (d *decoder) cite(t table, key string) Cite {
	v, ok := t.m[key]
	if !ok {
		return Cite{}
	}
	s, ok := v.(string)
	if !ok {
		d.errorf(t.at(key), "`%s` must be one citation, e.g. %s = \"<slug>#<turn id>\"; found %s", key, key, typeName(v))
		return Cite{}
	}
	c, err := ParseCite(s)
	if err != nil {
		d.errorf(t.at(key), "citation: %v", err)
		return Cite{}
	}
	c.Line = d.lines.line(t.at(key))
	return c
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
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

// suggest names the allowed key closest to a misspelt one.
func suggest(key string, allowed []string) string {
	best, bestD := "", 3
	for _, a := range allowed {
		if d := distance(strings.ToLower(key), a); d < bestD {
			best, bestD = a, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean `%s`?)", best)
}

// distance is the Levenshtein distance of a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag, row[j] = row[j], next
		}
	}
	return row[len(rb)]
}
