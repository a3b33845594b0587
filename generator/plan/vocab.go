package plan

import (
	"strings"
)

// Status is where a milestone stands.
type Status string

// Milestone statuses, the fixed vocabulary of files, and Unreported, which
// only a commitment without milestones has (see Commitment.Status).
const (
	Planned    Status = "planned"     // not started yet
	InProgress Status = "in-progress" // being carried out
	Done       Status = "done"        // achieved
	Delayed    Status = "delayed"     // behind schedule
	Dropped    Status = "dropped"     // abandoned, e.g. after a mid-term review
	Unreported Status = "unreported"  // no milestones recorded
)

// Statuses lists the milestone vocabulary in the order charts show it.
var Statuses = []Status{Done, InProgress, Planned, Delayed, Dropped}

// Value is one of the Open Government Partnership's values a commitment
// is relevant to.
type Value string

// OGP values, the fixed vocabulary.
const (
	Transparency   Value = "transparency"
	Participation  Value = "participation"
	Accountability Value = "accountability"
	Inclusion      Value = "inclusion"
)

// ResolutionStatus is where a tracked resolution stands.
type ResolutionStatus string

// Resolution statuses, the fixed vocabulary: the words of Taiwanese
// follow-up tables ("列管") in the order a resolution passes through them.
const (
	Tracking      ResolutionStatus = "tracking"       // 持續列管: still followed up at each meeting
	ProposedClose ResolutionStatus = "proposed-close" // 建議解除列管: reported done, closing proposed
	Closed        ResolutionStatus = "closed"         // 解除列管: the meeting closed it
)

// ResolutionStatuses lists the vocabulary in order.
var ResolutionStatuses = []ResolutionStatus{Tracking, ProposedClose, Closed}

// term is one word of a vocabulary: its code in files, its labels on
// pages, and other spellings the CSV import accepts.
type term struct {
	code, zh, en string
	aliases      []string
}

var statusTerms = []term{
	{string(Planned), "規劃中", "Planned", []string{"未開始", "尚未開始", "規劃", "planned"}},
	{string(InProgress), "進行中", "In progress", []string{"執行中", "辦理中", "in progress", "ongoing"}},
	{string(Done), "已完成", "Done", []string{"完成", "已達成", "達成", "completed", "complete"}},
	{string(Delayed), "落後", "Delayed", []string{"進度落後", "延宕", "延後", "behind"}},
	{string(Dropped), "已取消", "Dropped", []string{"取消", "刪除", "停止", "cancelled", "canceled"}},
	{string(Unreported), "尚無里程碑", "No milestones", nil},
}

var valueTerms = []term{
	{string(Transparency), "透明", "Transparency", []string{"透明化", "公開透明"}},
	{string(Participation), "參與", "Participation", []string{"公民參與", "公共參與"}},
	{string(Accountability), "課責", "Accountability", []string{"問責", "公共課責"}},
	{string(Inclusion), "包容", "Inclusion", []string{"包容性"}},
}

var resolutionTerms = []term{
	{string(Tracking), "持續列管", "Tracking", []string{"列管", "繼續列管"}},
	{string(ProposedClose), "建議解除列管", "Proposed for closing", []string{"建議解列"}},
	{string(Closed), "解除列管", "Closed", []string{"解列", "同意解除列管"}},
}

// label returns the zh or en label of code; lang is a BCP 47 tag.
func label(terms []term, code, lang string) string {
	for _, t := range terms {
		if t.code == code {
			if lang == "en" {
				return t.en
			}
			return t.zh
		}
	}
	return code
}

// codes lists the codes of terms that files may use, quoted, for messages.
func codes(terms []term, except ...string) string {
	var out []string
outer:
	for _, t := range terms {
		for _, e := range except {
			if t.code == e {
				continue outer
			}
		}
		out = append(out, `"`+t.code+`"`)
	}
	return strings.Join(out, ", ")
}

// lookup finds the term whose code is s; with aliases, also one whose
// label or alias is s.
func lookup(terms []term, s string, aliases bool) (term, bool) {
	for _, t := range terms {
		if t.code == s {
			return t, true
		}
	}
	if !aliases {
		return term{}, false
	}
	f := strings.ToLower(strings.TrimSpace(s))
	for _, t := range terms {
		if f == t.zh || f == strings.ToLower(t.en) {
			return t, true
		}
		for _, a := range t.aliases {
			if f == a {
				return t, true
			}
		}
	}
	return term{}, false
}

// Label is the status as pages show it in the interface language lang.
func (s Status) Label(lang string) string { return label(statusTerms, string(s), lang) }

// Label is the value as pages show it in the interface language lang.
func (v Value) Label(lang string) string { return label(valueTerms, string(v), lang) }

// Label is the status as pages show it in the interface language lang.
func (s ResolutionStatus) Label(lang string) string {
	return label(resolutionTerms, string(s), lang)
}
