// Package plan reads Open Government National Action Plans: areas,
// commitments with their lead and partner agencies, milestones with due
// dates and status, and the resolutions a steering group tracks from one
// meeting to the next ("持續列管" / "解除列管"). It checks them strictly,
// imports them from the CSV that agencies' spreadsheets export, and turns
// them into pages, search documents and the citation links that tie each
// commitment to the transcript turns where it was presented and discussed.
//
// # File format
//
// One TOML file per action plan in <records>/commitments/. The file name
// without ".toml" is the plan's id and URL segment (/plans/<id>/), so it is
// lower-case ASCII letters, digits and hyphens, and must not change once
// published.
//
//	title = "開放政府國家行動方案（2021年1月至2024年5月）"
//	from = "2021-01"                    # the plan's period: YYYY, YYYY-MM or YYYY-MM-DD
//	to = "2024-05"                      # (a TOML date such as 2024-05-31 works too)
//	lang = "zh-TW"                      # optional: "zh-TW" (default) or "en"
//	summary = "…"                       # optional
//	cites = ["<slug>#<turn id>"]        # optional: turns where the plan was presented
//
//	[[areas]]
//	id = "1"                            # ids: lower-case ASCII letters, digits, hyphens
//	name = "推動資料開放與資訊公開"
//	cites = ["…#…"]                     # optional
//
//	[[commitments]]
//	id = "1-1"                          # unique in the plan; URL segment
//	area = "1"                          # a declared area
//	title = "完備政府資料開放與再利用制度"
//	lead = ["國家發展委員會"]            # optional: lead agencies
//	partners = ["…"]                    # optional: partner agencies
//	problem = "…"                       # optional: the public problem addressed
//	content = "…"                       # optional: what the commitment promises
//	values = ["transparency"]           # optional: see Values
//	cites = ["…#…"]                     # optional
//
//	  [[commitments.milestones]]        # optional, in the order pages show them
//	  id = "m1"                         # unique in the commitment
//	  title = "…"                       # the milestone or KPI as the plan words it
//	  due = "2022-12"                   # optional: YYYY, YYYY-MM or YYYY-MM-DD
//	  status = "planned"                # see Statuses
//	  updated = 2020-12-31              # optional: when the status was last reported
//	  note = "…"                        # optional
//	  cites = ["…#…"]                   # optional
//
//	[[resolutions]]
//	id = "m2-1"                         # unique in the plan; an anchor on the tracker page
//	text = "…"                          # the resolution as the minutes word it
//	owners = ["國家發展委員會"]          # optional: who carries it out
//	meeting = "推動小組第2次會議"         # where it was made; may be left out when cite is given
//	date = 2020-12-31                   # optional: when it was made
//	cite = "…#…"                        # optional: the turn where it was made
//
//	  [[resolutions.history]]           # optional, oldest first
//	  date = 2020-12-31
//	  status = "proposed-close"         # see ResolutionStatuses
//	  meeting = "…"                     # the meeting that decided it; may be left out when cite is given
//	  cite = "…#…"
//	  note = "…"                        # optional
//
// Only the plan's title and period, ids, an area's name, a commitment's
// area and title, a milestone's title and status, a resolution's text, and
// a history entry's date and status are required, with a meeting or cite
// for resolutions and history entries. Everything else is optional because
// published plans and minutes often leave it out: a record keeps what the
// source says and invents nothing.
//
// A citation is "<record slug>#<turn id>"; a permalink pasted from a
// transcript page ("/<slug>/#<id>" or "https://…/<slug>/#<id>", percent-
// encoded or not) is accepted and means the same. The turn ids are the
// permanent anchors of the turn-id ledger.
//
// Every problem is a diag finding at file:line that says how to fix it:
// TOML syntax, a value of the wrong type, an unknown key, a missing
// required field, a bad date or period, a status or value outside its
// vocabulary, a duplicate or dangling id, history out of order, a malformed
// citation, and (in Validate) a citation of a record or turn that does not
// exist.
//
// BurntSushi/toml reports the position of a decoding error at the last
// occurrence of its key in an array of tables, not at the value that is
// wrong, and gives no positions for values at all; so files are decoded
// into plain maps and checked here, with the line of every key and array
// element taken from a scan of the source (lines.go).
//
// # CSV
//
// ImportCSV reads the table agencies keep in spreadsheets: one row per
// milestone, the commitment's columns repeated, or left empty on the rows
// after the first (as merged cells export). A commitment without milestones
// is one row with the milestone columns empty. The header row names the
// columns, in any order, in English or as the spreadsheets title them:
//
//	area             範疇編號           area id
//	area_name        範疇               area name
//	commitment       承諾事項編號       commitment id
//	title            承諾事項           commitment title
//	lead             主辦機關           lead agencies, separated by 、 ， , ; or new lines
//	partners         協辦機關           partner agencies, likewise
//	problem          公共問題
//	content          承諾事項內容
//	values           OGP價值            transparency, participation, accountability,
//	                                     inclusion (or 透明, 參與, 課責, 包容)
//	commitment_cites 承諾事項引用       citations, separated by spaces or new lines
//	milestone        里程碑編號
//	milestone_title  里程碑             the milestone or KPI
//	due              預計完成日期       YYYY, YYYY-MM, YYYY-MM-DD, or a Republic of China
//	                                     calendar date (110/12/31, 110年12月)
//	status           執行狀態           a status code, or 規劃中, 進行中, 已完成, 落後, 已取消
//	updated          更新日期           likewise
//	note             說明
//	milestone_cites  里程碑引用
//
// Only commitment, title and area are required columns; milestones without
// an id are numbered m1, m2, … in row order. A CSV file saved by Excel in
// Big5 is read with a warning. testdata/import.csv is an
// example. WriteCSV writes the same columns back, so a plan can go to a
// spreadsheet and return. A plan's title, period and resolutions are not
// in the spreadsheet: ImportFile keeps them from the plan's TOML file when
// it exists.
package plan

import "github.com/ogarchive/ogarchive/generator/cite"

// Dir is the directory under the records directory that holds plan files.
const Dir = "commitments"

// Plan is one national action plan.
type Plan struct {
	ID          string // file name without ".toml"; URL segment under /plans/
	File        string // path relative to the records directory, e.g. "commitments/2021-2024.toml"
	Title       string
	From, To    Date   // the plan's period
	Lang        string // BCP 47 tag of the text: "zh-TW" or "en"
	Summary     string // optional
	Cites       []Cite // optional: turns where the plan as a whole was presented
	Areas       []*Area
	Commitments []*Commitment // in file order
	Resolutions []*Resolution // in file order
}

// URL is the site-relative path of the plan's page.
func (p *Plan) URL() string { return "/plans/" + p.ID + "/" }

// ResolutionsURL is the site-relative path of the plan's resolutions tracker.
func (p *Plan) ResolutionsURL() string { return p.URL() + "resolutions/" }

// Area returns the area with the given id, or nil.
func (p *Plan) Area(id string) *Area {
	for _, a := range p.Areas {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Commitment returns the commitment with the given id, or nil.
func (p *Plan) Commitment(id string) *Commitment {
	for _, c := range p.Commitments {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// InArea returns the commitments of area id, in file order.
func (p *Plan) InArea(id string) []*Commitment {
	var out []*Commitment
	for _, c := range p.Commitments {
		if c.Area == id {
			out = append(out, c)
		}
	}
	return out
}

// Area is a heading that groups commitments.
type Area struct {
	ID    string
	Name  string
	Cites []Cite // optional: turns where the area was presented or discussed
	Line  int    // line of the [[areas]] header
}

// Commitment is one promise of the plan.
type Commitment struct {
	ID         string
	Area       string // area id
	Title      string
	Lead       []string // lead agencies; optional
	Partners   []string // partner agencies; optional
	Problem    string   // the public problem; optional
	Content    string   // what is promised; optional
	Values     []Value  // relevance to OGP values; optional
	Milestones []*Milestone
	Cites      []Cite
	Line       int // line of the [[commitments]] header
}

// URL is the site-relative path of the commitment's page.
func (c *Commitment) URL(p *Plan) string { return p.URL() + c.ID + "/" }

// Status sums up the milestones: Unreported without any, Dropped when all
// were dropped, Done when the rest are done, Delayed when any is delayed,
// InProgress when any has started or finished, else Planned.
func (c *Commitment) Status() Status {
	n := map[Status]int{}
	for _, m := range c.Milestones {
		n[m.Status]++
	}
	total := len(c.Milestones)
	switch {
	case total == 0:
		return Unreported
	case n[Dropped] == total:
		return Dropped
	case n[Done]+n[Dropped] == total:
		return Done
	case n[Delayed] > 0:
		return Delayed
	case n[InProgress]+n[Done] > 0:
		return InProgress
	}
	return Planned
}

// Milestone is a dated step or KPI of a commitment.
type Milestone struct {
	ID      string
	Title   string
	Due     Date // optional
	Status  Status
	Updated Date   // optional: when Status was last reported
	Note    string // optional
	Cites   []Cite
	Line    int // line of the [[commitments.milestones]] header
}

// Anchor is the HTML id of the milestone on its commitment's page.
func (m *Milestone) Anchor() string { return "milestone-" + m.ID }

// Resolution is a decision of a meeting that is tracked until closed.
type Resolution struct {
	ID      string
	Text    string
	Owners  []string // optional
	Meeting string   // name of the meeting where it was made; optional when Cite is set
	Date    Date     // when it was made; optional
	Cite    Cite     // the turn where it was made; optional (zero)
	History []Event  // oldest first
	Line    int      // line of the [[resolutions]] header
}

// Anchor is the HTML id of the resolution on the tracker page.
func (r *Resolution) Anchor() string { return "r-" + r.ID }

// Status is the latest history entry's status; a resolution without
// history has just been made and is being tracked.
func (r *Resolution) Status() ResolutionStatus {
	if n := len(r.History); n > 0 {
		return r.History[n-1].Status
	}
	return Tracking
}

// Closed returns the history entry that closed the resolution, or nil
// while it is still open.
func (r *Resolution) Closed() *Event {
	if n := len(r.History); n > 0 && r.History[n-1].Status == Closed {
		return &r.History[n-1]
	}
	return nil
}

// Event is one step of a resolution's history.
type Event struct {
	Date    Date
	Status  ResolutionStatus
	Meeting string // optional when Cite is set
	Cite    Cite   // optional (zero)
	Note    string // optional
	Line    int    // line of the [[resolutions.history]] header
}

// Cite is a citation of one speaker turn. Speaker and Text are filled in by
// Validate from the resolver.
type Cite struct {
	Slug string // record slug
	Turn string // turn id
	Line int

	Speaker string // display name of the turn's speaker
	Text    string // the turn's speech text
	// Record is the cited record as its pages show it, when the resolver
	// knows it (see Validate): the pages then need no archive, and can
	// be made once the transcripts' model is gone.
	Record *CitedRecord
}

// CitedRecord is what a plan's pages show of a cited record.
type CitedRecord struct {
	Title, URL, Date, Lang string
}

// IsZero reports whether c cites nothing (an optional citation left out).
func (c Cite) IsZero() bool { return c.Slug == "" && c.Turn == "" }

// Ref is the citation in its canonical form, "<slug>#<turn id>".
func (c Cite) Ref() string { return c.Slug + "#" + c.Turn }

// URL is the permalink of the cited turn.
func (c Cite) URL() string { return "/" + c.Slug + "/#" + c.Turn }

// Excerpt is the opening of the cited turn's text, at most n characters.
func (c Cite) Excerpt(n int) string { return cite.Excerpt(c.Text, n) }
