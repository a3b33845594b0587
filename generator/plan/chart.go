package plan

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Chart is an inline SVG chart and its text alternative. The SVG is an
// image to assistive technology (role="img"), named by its <title> and
// described by its <desc>, which says everything the picture shows; Summary
// is the opening of that description, for a caption under the chart.
// Colours come from CSS classes (st-<status>), so the site's stylesheet
// sets them for light and dark schemes, and every status also has a mark
// of its own, so colour is never the only cue.
type Chart struct {
	SVG     string
	Summary string
}

// statusMark distinguishes statuses without colour.
var statusMark = map[Status]string{
	Done: "✓", InProgress: "▶", Planned: "○", Delayed: "!", Dropped: "×", Unreported: "–",
}

// Mark is the symbol charts and legends show for the status.
func (s Status) Mark() string { return statusMark[s] }

// chart geometry, in SVG user units; the SVG scales to its container.
const (
	chartW   = 400
	cellW    = 58
	cellH    = 34
	cellGap  = 8
	perRow   = 6
	rowLabel = 22
)

// counts lists, in chart order, each status that occurs with its count.
func counts(statuses []Status, lang string) string {
	n := map[Status]int{}
	for _, s := range statuses {
		n[s]++
	}
	var parts []string
	for _, s := range append(append([]Status(nil), Statuses...), Unreported) {
		if n[s] > 0 {
			parts = append(parts, word(lang, "count", s.Label(lang), n[s]))
		}
	}
	return strings.Join(parts, word(lang, "sep"))
}

// svgOpen starts an SVG image named and described for assistive technology;
// id makes its element ids unique on the page.
func svgOpen(b *strings.Builder, id string, h int, title, desc string) {
	fmt.Fprintf(b, `<svg class="chart-svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, chartW, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
}

// PlanChart draws one box per commitment, row by row for each area,
// coloured and marked by the commitment's status (Commitment.Status), and
// under them a bar of all milestones by status. lang is the interface
// language, "zh-TW" or "en".
func PlanChart(p *Plan, lang string) Chart {
	var all, ms []Status
	var areaText []string
	for _, a := range p.Areas {
		cs := p.InArea(a.ID)
		var each []string
		for _, c := range cs {
			all = append(all, c.Status())
			each = append(each, c.ID+" "+c.Status().Label(lang))
			for _, m := range c.Milestones {
				ms = append(ms, m.Status)
			}
		}
		areaText = append(areaText, word(lang, "area", a.ID, a.Name, len(cs))+word(lang, "colon")+strings.Join(each, word(lang, "sep")))
	}
	summary := number(lang, "commitments", len(all)) + word(lang, "colon") + counts(all, lang) + word(lang, "stop")
	msText := number(lang, "milestones", len(ms))
	if len(ms) > 0 {
		msText += word(lang, "colon") + counts(ms, lang)
	}
	summary += msText + word(lang, "stop")
	desc := summary + strings.Join(areaText, word(lang, "stop")) + word(lang, "stop")

	// Geometry first, to know the height.
	type box struct {
		x, y int
		c    *Commitment
	}
	var boxes []box
	type label struct {
		y    int
		text string
	}
	var labels []label
	y := 0
	for _, a := range p.Areas {
		cs := p.InArea(a.ID)
		labels = append(labels, label{y + 15, word(lang, "area", a.ID, a.Name, len(cs))})
		y += rowLabel
		for i, c := range cs {
			if i > 0 && i%perRow == 0 {
				y += cellH + cellGap
			}
			boxes = append(boxes, box{(i % perRow) * (cellW + cellGap), y, c})
		}
		y += cellH + cellGap + 6
	}
	barY := y + rowLabel
	h := barY + 30

	var b strings.Builder
	svgOpen(&b, "chart-"+p.ID, h, word(lang, "planTitle"), strings.TrimSpace(desc))
	for _, l := range labels {
		fmt.Fprintf(&b, `<text class="chart-label" x="0" y="%d">%s</text>`, l.y, html.EscapeString(l.text))
	}
	for _, bx := range boxes {
		s := bx.c.Status()
		fmt.Fprintf(&b, `<rect class="st st-%s" x="%d" y="%d" width="%d" height="%d" rx="4"/>`, s, bx.x+1, bx.y+1, cellW-2, cellH-2)
		fmt.Fprintf(&b, `<text class="st-text st-%s" x="%d" y="%d" text-anchor="middle">%s %s</text>`, s, bx.x+cellW/2, bx.y+cellH/2+5, html.EscapeString(bx.c.ID), s.Mark())
	}
	fmt.Fprintf(&b, `<text class="chart-label" x="0" y="%d">%s</text>`, barY-7, html.EscapeString(msText))
	if len(ms) == 0 {
		fmt.Fprintf(&b, `<rect class="st st-unreported" x="1" y="%d" width="%d" height="20" rx="3"/>`, barY, chartW-2)
	}
	x := 0.0
	for _, s := range Statuses {
		n := 0
		for _, m := range ms {
			if m == s {
				n++
			}
		}
		if n == 0 {
			continue
		}
		w := float64(chartW) * float64(n) / float64(len(ms))
		fmt.Fprintf(&b, `<rect class="st st-%s" x="%.1f" y="%d" width="%.1f" height="20"/>`, s, x, barY, w)
		if w >= 36 {
			fmt.Fprintf(&b, `<text class="st-text st-%s" x="%.1f" y="%d" text-anchor="middle">%s %d</text>`, s, x+w/2, barY+15, s.Mark(), n)
		}
		x += w
	}
	b.WriteString(`</svg>`)
	return Chart{SVG: b.String(), Summary: summary}
}

// TimelineChart draws a commitment's milestones on the plan's period: one
// row per milestone, its mark at the due date (milestones without one in a
// column of their own at the right), the period as a band, years as ticks
// and a dashed line at the latest status update. It is the zero Chart for
// a commitment without milestones.
func TimelineChart(p *Plan, c *Commitment, lang string) Chart {
	if len(c.Milestones) == 0 {
		return Chart{}
	}
	start, end := p.From.Start(), p.To.End()
	var asOf time.Time
	for _, m := range c.Milestones {
		if !m.Due.IsZero() {
			start, end = minTime(start, m.Due.End()), maxTime(end, m.Due.End())
		}
		if !m.Updated.IsZero() {
			asOf = maxTime(asOf, m.Updated.Start())
		}
	}
	if !asOf.IsZero() {
		start, end = minTime(start, asOf), maxTime(end, asOf)
	}
	start = time.Date(start.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	end = time.Date(end.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	const left, right, noDueW = 48, chartW - 56, 56
	span := end.Sub(start).Hours()
	xOf := func(t time.Time) float64 { return left + float64(right-left)*t.Sub(start).Hours()/span }

	var parts []string
	for _, m := range c.Milestones {
		when := word(lang, "noDue")
		if !m.Due.IsZero() {
			when = word(lang, "due", m.Due)
		}
		parts = append(parts, m.ID+word(lang, "quote", m.Title)+when+word(lang, "sep")+m.Status.Label(lang))
	}
	period := word(lang, "period", p.From, p.To)
	summary := word(lang, "timelineTitle") + word(lang, "colon") + number(lang, "milestones", len(c.Milestones)) + word(lang, "sep") + counts(statuses(c), lang) + word(lang, "stop")
	desc := summary + period + word(lang, "stop") + strings.Join(parts, word(lang, "stop")) + word(lang, "stop")
	if !asOf.IsZero() {
		desc += word(lang, "asOf", asOf.Format("2006-01-02")) + word(lang, "stop")
	}

	const top, rowH = 26, 30
	axisY := top + rowH*len(c.Milestones) + 4
	h := axisY + 24
	var b strings.Builder
	svgOpen(&b, "timeline-"+c.ID, h, word(lang, "timelineTitle"), strings.TrimSpace(desc))
	fmt.Fprintf(&b, `<rect class="chart-period" x="%.1f" y="%d" width="%.1f" height="%d"/>`, xOf(p.From.Start()), top-8, xOf(p.To.End())-xOf(p.From.Start()), axisY-top+8)
	fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%d">%s</text>`, xOf(p.From.Start())+4, top-12, html.EscapeString(period))
	for y := start.Year(); y <= end.Year(); y++ {
		x := xOf(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC))
		fmt.Fprintf(&b, `<line class="chart-tick" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`, x, top-8, x, axisY+4)
		if y < end.Year() {
			fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%d">%d</text>`, x+3, axisY+18, y)
		}
	}
	fmt.Fprintf(&b, `<line class="chart-axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, axisY, right, axisY)
	for _, m := range c.Milestones {
		if m.Due.IsZero() {
			fmt.Fprintf(&b, `<text class="chart-label" x="%d" y="%d" text-anchor="middle">%s</text>`, chartW-noDueW/2, axisY+18, word(lang, "noDate"))
			break
		}
	}
	for i, m := range c.Milestones {
		y := top + rowH*i + rowH/2
		fmt.Fprintf(&b, `<text class="chart-label" x="0" y="%d">%s</text>`, y+5, html.EscapeString(m.ID))
		fmt.Fprintf(&b, `<line class="chart-row" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, y, chartW-4, y)
		x := float64(chartW - noDueW/2)
		if !m.Due.IsZero() {
			x = xOf(m.Due.End())
		}
		fmt.Fprintf(&b, `<circle class="st st-%s" cx="%.1f" cy="%d" r="10"/>`, m.Status, x, y)
		fmt.Fprintf(&b, `<text class="st-text st-%s" x="%.1f" y="%d" text-anchor="middle">%s</text>`, m.Status, x, y+5, m.Status.Mark())
	}
	if !asOf.IsZero() {
		x := xOf(asOf)
		fmt.Fprintf(&b, `<line class="chart-asof" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`, x, top-4, x, axisY)
		fmt.Fprintf(&b, `<text class="chart-label chart-small" x="%.1f" y="%d">%s</text>`, x+3, axisY-4, word(lang, "updated", asOf.Format("2006-01-02")))
	}
	b.WriteString(`</svg>`)
	return Chart{SVG: b.String(), Summary: summary}
}

func statuses(c *Commitment) []Status {
	var out []Status
	for _, m := range c.Milestones {
		out = append(out, m.Status)
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
