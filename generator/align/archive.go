package align

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
)

// Stats are the figures of aligning an archive's pairs.
type Stats struct {
	Pairs       int // .alternates pairs whose two records loaded
	ByOrder     int // aligned by order
	ByAlignment int // aligned by the monotone alignment
	Unsure      int // reported, not linked
	Turns       int // turns of the pairs aligned (both sides)
	Linked      int // of those, turns with a twin
}

// Archive aligns every pair of alternates of a (records whose Alternate is
// set, English first), sets a.Twins for those it is sure of, and reports
// to diags each pair it is not sure of (a warning naming the turn where
// the two part and the fix) and each merge of speakers the pairs suggest
// (a note: merging is the maintainers' decision, in speakers.toml).
func Archive(a *model.Archive, diags *diag.List) Stats {
	var st Stats
	a.Twins = map[string]*model.Twins{}
	var pairs [][2]*model.Record
	for _, r := range a.Records {
		if r.Alternate == "" || r.Lang != "en" {
			continue
		}
		if o := a.Record(r.Alternate); o != nil {
			pairs = append(pairs, [2]*model.Record{r, o})
		}
	}
	// In file order, so that notes land on the same file from run to run.
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0].File < pairs[j][0].File })
	sugg := suggestions{}
	for _, p := range pairs {
		en, zh := p[0], p[1]
		st.Pairs++
		res := Turns(en.Turns, zh.Turns)
		if !res.Sure {
			st.Unsure++
			reportUnsure(a, en, zh, res, diags)
			continue
		}
		if res.Method == ByOrder {
			st.ByOrder++
		} else {
			st.ByAlignment++
		}
		st.Turns += len(res.A) + len(res.B)
		st.Linked += res.Linked()
		a.Twins[en.File] = &model.Twins{Of: zh, Turns: res.A, Method: string(res.Method)}
		a.Twins[zh.File] = &model.Twins{Of: en, Turns: res.B, Method: string(res.Method)}
		sugg.add(en, zh, res)
	}
	sugg.report(a, diags)
	return st
}

// reportUnsure says where the two records of a pair part, in the file of
// the turn that has no sure counterpart.
func reportUnsure(a *model.Archive, en, zh *model.Record, res Result, diags *diag.List) {
	const fix = "so their turns are not linked to each other; give both files the same ### turns in the same order " +
		"(split or merge turns so that each has one counterpart, with the same speaker), or remove the pair from .alternates"
	turn := func(r *model.Record, i int) string {
		t := &r.Turns[i]
		if t.Ordinal == 0 {
			return fmt.Sprintf("the text at line %d", t.Line)
		}
		return fmt.Sprintf("turn %d (%s, line %d)", t.Ordinal, name(a, t), t.Line)
	}
	switch {
	case res.ProblemA >= 0 && res.ProblemB >= 0:
		t := &en.Turns[res.ProblemA]
		diags.Warnf(en.File, t.Line, "%s %s %s of its translation %s, %s",
			turn(en, res.ProblemA), res.Problem, turn(zh, res.ProblemB), zh.File, fix)
	case res.ProblemA >= 0:
		t := &en.Turns[res.ProblemA]
		diags.Warnf(en.File, t.Line, "%s %s %s, %s", turn(en, res.ProblemA), res.Problem, zh.File, fix)
	default:
		t := &zh.Turns[res.ProblemB]
		diags.Warnf(zh.File, t.Line, "%s %s %s, %s", turn(zh, res.ProblemB), res.Problem, en.File, fix)
	}
}

// name is how a turn's speaker is shown.
func name(a *model.Archive, t *model.Turn) string {
	if s := a.Speakers[t.Speaker]; s != nil {
		return s.Name
	}
	return t.Label
}

// suggestions are the speakers of English records whose twins are spoken
// by a speaker of another key: likely one person under two names.
type suggestions map[[2]string]*suggestion

type suggestion struct {
	en, zh *model.Record // the first pair suggesting it, in file order
	line   int           // the English speaker's first twin turn
	pairs  int
}

func (s suggestions) add(en, zh *model.Record, res Result) {
	seen := map[[2]string]bool{}
	for i, j := range res.A {
		if j == 0 {
			continue
		}
		te, tz := &en.Turns[i], &zh.Turns[j-1]
		if te.Ordinal == 0 || te.Speaker == "" || tz.Speaker == "" || te.Speaker == tz.Speaker {
			continue
		}
		k := [2]string{te.Speaker, tz.Speaker}
		if seen[k] {
			continue
		}
		seen[k] = true
		if s[k] == nil {
			s[k] = &suggestion{en: en, zh: zh, line: te.Line}
		}
		s[k].pairs++
	}
}

// report gives each suggestion as a note at its first turn: not a warning,
// since two names for two people are not a mistake, and `check --strict`
// must not fail on what is the maintainers' call.
func (s suggestions) report(a *model.Archive, diags *diag.List) {
	for k, g := range s {
		se, sz := a.Speakers[k[0]], a.Speakers[k[1]]
		if se == nil || sz == nil {
			continue
		}
		also := ""
		if g.pairs > 1 {
			also = fmt.Sprintf(" (and in %d other pairs)", g.pairs-1)
		}
		fix := fmt.Sprintf("add %q to the aliases of the [[person]] named %q in speakers.toml", se.Name, sz.Name)
		// A label listed in roles is a role whatever its aliases say.
		var roles []string
		for _, sp := range []*model.Speaker{se, sz} {
			if sp.IsRole {
				roles = append(roles, fmt.Sprintf("%q", sp.Name))
			}
		}
		if len(roles) > 0 {
			fix += " and take " + strings.Join(roles, " and ") + " out of roles"
		}
		diags.Add(diag.Finding{File: g.en.File, Line: g.line, Severity: diag.Note, Message: fmt.Sprintf(
			"%q speaks the turns of %q in the translation %s%s: if they are the same speaker, %s",
			se.Name, sz.Name, g.zh.File, also, fix)})
	}
}
