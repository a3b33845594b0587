// Package camp reads consensus-camp outcomes: the problems a camp's groups
// raised, the proposals made for each, who owns the answer, how it was
// answered and how that answer has moved since, each citing the speaker
// turns where it was said. Publishing that table with the exact words, and
// keeping it up to date, is what makes a consensus camp accountable.
//
// # File format
//
// One TOML file per camp in <records>/camps/. The file name without
// ".toml" is the camp's id and URL segment, so it is a lower-case ASCII
// slug and, like a transcript's file name, must not change once published.
//
//	title = "108年度開放政府聯絡人共識會議（第一場）"
//	date = 2019-01-18                    # a TOML date, or "2019-01-18"
//	lang = "zh-TW"                       # optional: "zh-TW" (default) or "en"
//	transcripts = ["2019-01-18-…"]       # record slugs of the camp's transcripts
//
//	[[themes]]                           # optional; outcomes are grouped by theme
//	id = "po-role"
//	name = "PO的定位"
//
//	[[groups]]
//	id = "group-1"
//	name = "第一組"
//	facilitator = "…"                    # optional
//	reporter = "…"                       # optional: who reported the group's results
//
//	[[outcomes]]
//	id = "contested-issues"              # slug, unique in the camp
//	group = "group-1"                    # optional: "" for the plenary
//	theme = "po-role"                    # optional; a declared theme
//	problem = "…"
//	proposals = ["…", "…"]
//	owner = "PDIS"
//	response = "…"                       # required unless status is "proposed"
//	status = "proposed"                  # see Statuses
//	cites = [
//	  "2019-01-18-…#ybbkufwm",                         # <slug>#<turn id>
//	  "/2019-01-18-…/#ybbkufwm",                       # a pasted permalink
//	  { turn = "2019-01-18-…#ybbkufwm", quote = "…" }, # quote: words of that turn
//	]
//	  [[outcomes.updates]]               # optional, oldest first
//	  date = 2019-03-01
//	  status = "in-progress"
//	  note = "…"
//
// Every problem is a diag finding at file:line that says how to fix it:
// TOML syntax, a value of the wrong type, an unknown key, a missing field,
// a duplicate or dangling id, a status outside the vocabulary, updates out
// of order, and (in Validate) a citation of a record or turn that does not
// exist or a quote the turn does not contain.
package camp

import (
	"time"
)

// Dir is the directory under the records directory that holds camp files.
const Dir = "camps"

// Status is where an outcome stands.
type Status string

// Statuses, the fixed vocabulary. A camp sorts what it heard into what can
// be done at once and what is hard; everything else waits for the promised
// point-by-point response.
const (
	Proposed   Status = "proposed"    // raised; no response yet
	DoNow      Status = "do-now"      // accepted, to be done at once
	Hard       Status = "hard"        // accepted as hard to achieve; best effort, no promise
	InProgress Status = "in-progress" // being carried out
	Done       Status = "done"        // carried out
	Declined   Status = "declined"    // answered: will not be done, and why
)

// Statuses lists the vocabulary in the order pages show it.
var Statuses = []Status{Proposed, DoNow, Hard, InProgress, Done, Declined}

// Valid reports whether s is in the vocabulary.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Camp is one consensus camp and its outcomes.
type Camp struct {
	ID          string // file name without ".toml"; URL segment under /camps/
	File        string // path relative to the records directory, e.g. "camps/2019-01-18-po-camp.toml"
	Title       string
	Date        time.Time // UTC midnight
	Lang        string    // "zh-TW" or "en"
	Transcripts []string  // record slugs of the camp's transcripts
	Themes      []Theme   // optional, in the order pages show them
	Groups      []Group
	Outcomes    []*Outcome // in file order
	Line        int        // line of the `transcripts` key, for findings about them
}

// DateString is the camp date as YYYY-MM-DD.
func (c *Camp) DateString() string { return c.Date.Format(dateLayout) }

// URL is the site-relative path of the camp page.
func (c *Camp) URL() string { return "/camps/" + c.ID + "/" }

// Theme returns the declared theme with the given id, or nil.
func (c *Camp) Theme(id string) *Theme {
	for i := range c.Themes {
		if c.Themes[i].ID == id {
			return &c.Themes[i]
		}
	}
	return nil
}

// Group returns the group with the given id, or nil.
func (c *Camp) Group(id string) *Group {
	for i := range c.Groups {
		if c.Groups[i].ID == id {
			return &c.Groups[i]
		}
	}
	return nil
}

// Theme is a heading outcomes are grouped under.
type Theme struct {
	ID, Name string
	Line     int
}

// Group is a discussion group of the camp.
type Group struct {
	ID          string
	Name        string
	Facilitator string // optional
	Reporter    string // optional: who reported the group's results
	Line        int
}

// Outcome is one problem the camp raised and what became of it.
type Outcome struct {
	ID        string // unique in the camp; URL segment
	Group     string // group id; "" when raised in the plenary
	Theme     string // theme id; "" when the camp declares none
	Problem   string
	Proposals []string // at least one
	Owner     string   // who carries it out or answers for it
	Response  string   // the answer as of the latest status
	Status    Status   // current status; equals the last update's when there are updates
	Updates   []Update // oldest first
	Cites     []Cite   // at least one
	Line      int      // line of the [[outcomes]] header
}

// URL is the site-relative path of the outcome's page.
func (o *Outcome) URL(c *Camp) string { return c.URL() + o.ID + "/" }

// Update is a dated change of an outcome's status.
type Update struct {
	Date   time.Time
	Status Status
	Note   string // optional
	Line   int
}

// DateString is the update date as YYYY-MM-DD.
func (u *Update) DateString() string { return u.Date.Format(dateLayout) }

// Cite is a citation of one speaker turn. Speaker and Text are filled in by
// Validate from the resolver.
type Cite struct {
	Slug  string // record slug
	Turn  string // turn id
	Quote string // optional: the words cited, which the turn contains
	Line  int

	Speaker string // speaker of the turn, as the resolver names them
	Text    string // the turn's speech text
}

// Ref is the citation in its canonical form, "<slug>#<turn id>".
func (c *Cite) Ref() string { return c.Slug + "#" + c.Turn }

// URL is the permalink of the cited turn.
func (c *Cite) URL() string { return "/" + c.Slug + "/#" + c.Turn }

const dateLayout = "2006-01-02"
