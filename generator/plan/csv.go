package plan

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/unicode/norm"

	"github.com/ogarchive/ogarchive/generator/diag"
)

// column is one CSV column: its name, and the title Taiwanese agencies'
// spreadsheets give it.
type column struct{ name, zh string }

// columns in the order WriteCSV writes them; the package documentation
// describes each.
var columns = []column{
	{"area", "範疇編號"},
	{"area_name", "範疇"},
	{"commitment", "承諾事項編號"},
	{"title", "承諾事項"},
	{"lead", "主辦機關"},
	{"partners", "協辦機關"},
	{"problem", "公共問題"},
	{"content", "承諾事項內容"},
	{"values", "OGP價值"},
	{"commitment_cites", "承諾事項引用"},
	{"milestone", "里程碑編號"},
	{"milestone_title", "里程碑"},
	{"due", "預計完成日期"},
	{"status", "執行狀態"},
	{"updated", "更新日期"},
	{"note", "說明"},
	{"milestone_cites", "里程碑引用"},
}

// milestoneColumns are the columns of a row that describe a milestone.
var milestoneColumns = []string{"milestone", "milestone_title", "due", "status", "updated", "note", "milestone_cites"}

// headerKey folds a header cell for matching: NFKC (full-width letters
// become ASCII), no spaces, lower case.
func headerKey(s string) string {
	s = norm.NFKC.String(strings.TrimPrefix(s, "\ufeff"))
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// ImportCSV reads a plan's areas and commitments from CSV as the package
// documentation describes; name is the file's name as the maintainer knows
// it, used in findings, and without its extension as the plan's id. The
// plan has no title, period or resolutions: a spreadsheet does not hold
// them (see ImportFile). The plan is nil when there are errors.
func ImportCSV(r io.Reader, name string) (*Plan, []diag.Finding) {
	diags := &diag.List{}
	p := importCSV(r, name, diags)
	if e, _ := diags.Count(); e > 0 {
		p = nil
	}
	return p, diags.Sorted()
}

func importCSV(r io.Reader, name string, diags *diag.List) *Plan {
	data, err := io.ReadAll(r)
	if err != nil {
		diags.Errorf(name, 0, "cannot read: %v", err)
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		dec, err := traditionalchinese.Big5.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(dec) || bytes.ContainsRune(dec, utf8.RuneError) {
			diags.Errorf(name, 0, "the file is neither UTF-8 nor Big5: save it from the spreadsheet as \"CSV UTF-8\"")
			return nil
		}
		diags.Warnf(name, 0, "the file is not UTF-8 and was read as Big5, as Excel saves CSV for Traditional Chinese: save it as \"CSV UTF-8\" to be sure of every character")
		data = dec
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		diags.Errorf(name, 1, "no header row: %v; the first row names the columns (see the column list in the documentation)", err)
		return nil
	}
	col := map[string]int{}
	for i, h := range header {
		k := headerKey(h)
		if k == "" {
			continue
		}
		found := ""
		for _, c := range columns {
			if k == c.name || k == headerKey(c.zh) {
				found = c.name
			}
		}
		if found == "" {
			var names []string
			for _, c := range columns {
				names = append(names, c.name)
			}
			diags.Errorf(name, 1, "unknown column %q: the columns are %s (or their Chinese titles)", h, strings.Join(names, ", "))
			continue
		}
		if prev, dup := col[found]; dup {
			diags.Errorf(name, 1, "columns %d and %d are both %q: keep one", prev+1, i+1, found)
			continue
		}
		col[found] = i
	}
	for _, req := range []string{"commitment", "title", "area"} {
		if _, ok := col[req]; !ok {
			diags.Errorf(name, 1, "missing column %q: every row needs its commitment's id, title and area", req)
		}
	}
	if e, _ := diags.Count(); e > 0 {
		return nil
	}

	id := strings.TrimSuffix(path.Base(name), path.Ext(name))
	p := &Plan{ID: id, File: path.Join(Dir, id+".toml"), Lang: "zh-TW"}
	im := &importer{name: name, p: p, diags: diags, seen: map[string]cell{}, msIDs: map[*Commitment]map[string]bool{}}
	var cur *Commitment
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			diags.Errorf(name, line, "CSV: %v", err)
			return nil
		}
		line, _ := cr.FieldPos(0)
		if len(rec) > len(header) {
			diags.Errorf(name, line, "the row has %d cells but the header only %d: remove the extra cells or name their column", len(rec), len(header))
			continue
		}
		row := csvRow{rec: rec, col: col, line: line}
		if row.empty() {
			continue
		}
		cur = im.row(row, cur)
	}
	if e, _ := diags.Count(); e == 0 && len(p.Commitments) == 0 {
		diags.Errorf(name, 0, "no commitments: add a row for each commitment, or each of its milestones")
	}
	return p
}

type csvRow struct {
	rec  []string
	col  map[string]int
	line int
}

func (r csvRow) get(name string) string {
	i, ok := r.col[name]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r csvRow) empty() bool {
	for _, c := range r.rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cell is a value of a CSV column and the line it was given on.
type cell struct {
	value string
	line  int
}

type importer struct {
	name  string
	p     *Plan
	diags *diag.List
	seen  map[string]cell // "<owner>\x00<column>" → the value first given
	msIDs map[*Commitment]map[string]bool
}

// row adds one row: a commitment's columns, first given or repeated, and
// a milestone when the milestone columns are filled. cur is the commitment
// of the previous row, which a row without a commitment id continues.
func (im *importer) row(r csvRow, cur *Commitment) *Commitment {
	if id := r.get("commitment"); id != "" {
		if !idRe.MatchString(id) {
			im.diags.Errorf(im.name, r.line, "commitment id %q must be lower-case ASCII letters, digits and hyphens, e.g. \"1-1\"", id)
			return cur
		}
		if cur = im.p.Commitment(id); cur == nil {
			cur = &Commitment{ID: id}
			im.p.Commitments = append(im.p.Commitments, cur)
		}
	} else if cur == nil {
		im.diags.Errorf(im.name, r.line, "the row has no commitment id and follows none: fill in the commitment column")
		return nil
	}
	im.area(r, cur)
	if v, ok := im.first(r, "commitment "+cur.ID, "title"); ok {
		cur.Title = v
	}
	if v, ok := im.first(r, "commitment "+cur.ID, "problem"); ok {
		cur.Problem = v
	}
	if v, ok := im.first(r, "commitment "+cur.ID, "content"); ok {
		cur.Content = v
	}
	if v, ok := im.first(r, "commitment "+cur.ID, "lead"); ok {
		cur.Lead = splitList(v)
	}
	if v, ok := im.first(r, "commitment "+cur.ID, "partners"); ok {
		cur.Partners = splitList(v)
	}
	if v, ok := im.first(r, "commitment "+cur.ID, "values"); ok {
		for _, v := range splitList(v) {
			tm, ok := lookup(valueTerms, v, true)
			if !ok {
				im.diags.Errorf(im.name, r.line, "%q is not an OGP value: use %s, or 透明, 參與, 課責, 包容", v, codes(valueTerms))
				continue
			}
			cur.Values = append(cur.Values, Value(tm.code))
		}
	}
	if _, ok := im.first(r, "commitment "+cur.ID, "commitment_cites"); ok {
		cur.Cites = im.cites(r, "commitment_cites")
	}
	for _, c := range milestoneColumns {
		if r.get(c) != "" {
			im.milestone(r, cur)
			break
		}
	}
	return cur
}

// area files the commitment under the row's area, declaring the area the
// first time it appears.
func (im *importer) area(r csvRow, c *Commitment) {
	id := r.get("area")
	if id == "" {
		if name := r.get("area_name"); name != "" && c.Area == "" {
			im.diags.Errorf(im.name, r.line, "area %q has no id: fill in the area column, e.g. \"1\"", name)
		}
		return
	}
	if !idRe.MatchString(id) {
		im.diags.Errorf(im.name, r.line, "area id %q must be lower-case ASCII letters, digits and hyphens, e.g. \"1\"", id)
		return
	}
	a := im.p.Area(id)
	if a == nil {
		a = &Area{ID: id}
		im.p.Areas = append(im.p.Areas, a)
	}
	if name, ok := im.first(r, "area "+id, "area_name"); ok {
		a.Name = name
	}
	if _, ok := im.first(r, "commitment "+c.ID, "area"); ok {
		c.Area = id
	}
}

// first returns the cell of column name when the row is the first to give
// it for owner (a commitment id, or an area); a later row that gives
// another value is an error, one that gives the same or none is fine.
func (im *importer) first(r csvRow, owner, name string) (string, bool) {
	v := r.get(name)
	if v == "" {
		return "", false
	}
	key := owner + "\x00" + name
	if prev, ok := im.seen[key]; ok {
		if prev.value != v {
			im.diags.Errorf(im.name, r.line, "column %s of %s differs from line %d: make the rows agree, or leave the cell empty on rows after the first", name, owner, prev.line)
		}
		return "", false
	}
	im.seen[key] = cell{v, r.line}
	return v, true
}

func (im *importer) milestone(r csvRow, c *Commitment) {
	ids := im.msIDs[c]
	if ids == nil {
		ids = map[string]bool{}
		im.msIDs[c] = ids
	}
	m := &Milestone{ID: r.get("milestone"), Title: r.get("milestone_title"), Note: r.get("note")}
	if m.ID == "" {
		// Spreadsheets seldom number milestones; number them in row order.
		for n := len(c.Milestones) + 1; ; n++ {
			if id := "m" + strconv.Itoa(n); !ids[id] {
				m.ID = id
				break
			}
		}
	} else if !idRe.MatchString(m.ID) {
		im.diags.Errorf(im.name, r.line, "milestone id %q must be lower-case ASCII letters, digits and hyphens, e.g. \"m1\"", m.ID)
	} else if ids[m.ID] {
		im.diags.Errorf(im.name, r.line, "commitment %s has milestone %q twice: give each milestone its own id", c.ID, m.ID)
	}
	ids[m.ID] = true
	if m.Title == "" {
		im.diags.Errorf(im.name, r.line, "milestone %q of commitment %s has no milestone_title: write the milestone or KPI", m.ID, c.ID)
	}
	switch s := r.get("status"); {
	case s == "":
		im.diags.Errorf(im.name, r.line, "milestone %q of commitment %s has no status: use %s", m.ID, c.ID, codes(statusTerms, string(Unreported)))
	default:
		tm, ok := lookup(statusTerms, s, true)
		if !ok || tm.code == string(Unreported) {
			im.diags.Errorf(im.name, r.line, "status %q is not a milestone status: use %s, or 規劃中, 進行中, 已完成, 落後, 已取消", s, codes(statusTerms, string(Unreported)))
		}
		m.Status = Status(tm.code)
	}
	m.Due = im.date(r, "due")
	m.Updated = im.date(r, "updated")
	m.Cites = im.cites(r, "milestone_cites")
	c.Milestones = append(c.Milestones, m)
}

// rocDateRe matches dates in the Republic of China calendar as Taiwanese
// spreadsheets write them: 110/12/31, 110-12, 110年12月31日, 110年.
var rocDateRe = regexp.MustCompile(`^(?:民國)?(\d{2,3})(?:年|[/.-])(?:(\d{1,2})(?:月|[/.-])?(?:(\d{1,2})日?)?)?$`)

func (im *importer) date(r csvRow, name string) Date {
	s := r.get(name)
	if s == "" {
		return Date{}
	}
	if m := rocDateRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		ad := strconv.Itoa(y + 1911)
		for _, part := range m[2:] {
			if part != "" {
				ad += "-" + part
			}
		}
		s = ad
	}
	d, err := ParseDate(s)
	if err != nil {
		im.diags.Errorf(im.name, r.line, "column %s: %v (a year of the Republic of China calendar, e.g. 110/12/31, works too)", name, err)
	}
	return d
}

func (im *importer) cites(r csvRow, name string) []Cite {
	var out []Cite
	for _, s := range strings.FieldsFunc(r.get(name), func(c rune) bool {
		return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ';' || c == '；' || c == '、'
	}) {
		c, err := ParseCite(s)
		if err != nil {
			im.diags.Errorf(im.name, r.line, "column %s: citation: %v", name, err)
			continue
		}
		out = append(out, c)
	}
	return out
}

// splitList splits a cell listing agencies or values.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(c rune) bool {
		return strings.ContainsRune("、，,;；\n\r", c)
	}) {
		if f = strings.TrimSpace(f); f != "" && !contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// WriteCSV writes the plan's areas and commitments as ImportCSV reads
// them: English column names, one row per milestone with the commitment's
// columns repeated, one row for a commitment without milestones.
func WriteCSV(w io.Writer, p *Plan) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(columns))
	for i, c := range columns {
		head[i] = c.name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, c := range p.Commitments {
		area := ""
		if a := p.Area(c.Area); a != nil {
			area = a.Name
		}
		var vals []string
		for _, v := range c.Values {
			vals = append(vals, string(v))
		}
		base := []string{c.Area, area, c.ID, c.Title, strings.Join(c.Lead, "、"), strings.Join(c.Partners, "、"),
			c.Problem, c.Content, strings.Join(vals, "、"), joinCites(c.Cites)}
		if len(c.Milestones) == 0 {
			if err := cw.Write(append(base, make([]string, len(milestoneColumns))...)); err != nil {
				return err
			}
		}
		for _, m := range c.Milestones {
			row := append(append([]string(nil), base...), m.ID, m.Title, m.Due.String(), string(m.Status), m.Updated.String(), m.Note, joinCites(m.Cites))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

func joinCites(cs []Cite) string {
	refs := make([]string, len(cs))
	for i, c := range cs {
		refs[i] = c.Ref()
	}
	return strings.Join(refs, "\n")
}
