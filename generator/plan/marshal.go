package plan

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MarshalTOML writes the plan in the file format, for people to edit: keys
// in a fixed order, optional fields left out when empty, text with line
// breaks as multi-line strings, citations one per line, milestones and
// history indented under their commitment or resolution. Comments of a
// hand-written file are not kept. It fails when a required field is empty,
// since the file would not load.
func (p *Plan) MarshalTOML() ([]byte, error) {
	if err := p.complete(); err != nil {
		return nil, err
	}
	w := &tomlWriter{}
	w.str("title", p.Title)
	w.date("from", p.From)
	w.date("to", p.To)
	w.str("lang", p.Lang)
	w.str("summary", p.Summary)
	w.cites("cites", p.Cites)
	for _, a := range p.Areas {
		w.header("[[areas]]")
		w.str("id", a.ID)
		w.str("name", a.Name)
		w.cites("cites", a.Cites)
	}
	for _, c := range p.Commitments {
		w.header("[[commitments]]")
		w.str("id", c.ID)
		w.str("area", c.Area)
		w.str("title", c.Title)
		w.list("lead", c.Lead)
		w.list("partners", c.Partners)
		w.str("problem", c.Problem)
		w.str("content", c.Content)
		var vals []string
		for _, v := range c.Values {
			vals = append(vals, string(v))
		}
		w.list("values", vals)
		w.cites("cites", c.Cites)
		w.indent = "  "
		for _, m := range c.Milestones {
			w.header("[[commitments.milestones]]")
			w.str("id", m.ID)
			w.str("title", m.Title)
			w.date("due", m.Due)
			w.str("status", string(m.Status))
			w.date("updated", m.Updated)
			w.str("note", m.Note)
			w.cites("cites", m.Cites)
		}
		w.indent = ""
	}
	for _, r := range p.Resolutions {
		w.header("[[resolutions]]")
		w.str("id", r.ID)
		w.str("text", r.Text)
		w.list("owners", r.Owners)
		w.str("meeting", r.Meeting)
		w.date("date", r.Date)
		w.cite("cite", r.Cite)
		w.indent = "  "
		for _, e := range r.History {
			w.header("[[resolutions.history]]")
			w.date("date", e.Date)
			w.str("status", string(e.Status))
			w.str("meeting", e.Meeting)
			w.cite("cite", e.Cite)
			w.str("note", e.Note)
		}
		w.indent = ""
	}
	return w.buf.Bytes(), nil
}

// complete reports the required fields that are empty.
func (p *Plan) complete() error {
	var miss []string
	need := func(v, what string) {
		if v == "" {
			miss = append(miss, what)
		}
	}
	need(p.Title, "the plan's title")
	need(p.From.String(), "the plan's start (from)")
	need(p.To.String(), "the plan's end (to)")
	for i, a := range p.Areas {
		need(a.ID, fmt.Sprintf("the id of area %d", i+1))
		need(a.Name, fmt.Sprintf("the name of area %q", a.ID))
	}
	for i, c := range p.Commitments {
		need(c.ID, fmt.Sprintf("the id of commitment %d", i+1))
		need(c.Area, fmt.Sprintf("the area of commitment %q", c.ID))
		need(c.Title, fmt.Sprintf("the title of commitment %q", c.ID))
		for j, m := range c.Milestones {
			need(m.ID, fmt.Sprintf("the id of milestone %d of commitment %q", j+1, c.ID))
			need(m.Title, fmt.Sprintf("the title of milestone %q of commitment %q", m.ID, c.ID))
			need(string(m.Status), fmt.Sprintf("the status of milestone %q of commitment %q", m.ID, c.ID))
		}
	}
	for i, r := range p.Resolutions {
		need(r.ID, fmt.Sprintf("the id of resolution %d", i+1))
		need(r.Text, fmt.Sprintf("the text of resolution %q", r.ID))
		for j, e := range r.History {
			need(e.Date.String(), fmt.Sprintf("the date of history entry %d of resolution %q", j+1, r.ID))
			need(string(e.Status), fmt.Sprintf("the status of history entry %d of resolution %q", j+1, r.ID))
		}
	}
	if len(miss) > 0 {
		return errors.New("plan " + p.ID + " is missing " + strings.Join(miss, ", "))
	}
	return nil
}

type tomlWriter struct {
	buf    bytes.Buffer
	indent string
}

func (w *tomlWriter) header(h string) {
	w.buf.WriteByte('\n')
	w.buf.WriteString(w.indent + h + "\n")
}

func (w *tomlWriter) kv(key, value string) {
	w.buf.WriteString(w.indent + key + " = " + value + "\n")
}

func (w *tomlWriter) str(key, v string) {
	if v == "" {
		return
	}
	if strings.Contains(v, "\n") {
		w.kv(key, `"""`+"\n"+escape(v, true)+"\n"+`"""`)
		return
	}
	w.kv(key, quote(v))
}

func (w *tomlWriter) list(key string, v []string) {
	if len(v) == 0 {
		return
	}
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = quote(s)
	}
	w.kv(key, "["+strings.Join(q, ", ")+"]")
}

// date writes a full date as a TOML date and a year or month as a string,
// since TOML has no type for those.
func (w *tomlWriter) date(key string, d Date) {
	switch {
	case d.IsZero():
	case d.Full():
		w.kv(key, d.String())
	default:
		w.kv(key, quote(d.String()))
	}
}

func (w *tomlWriter) cite(key string, c Cite) {
	if !c.IsZero() {
		w.kv(key, quote(c.Ref()))
	}
}

func (w *tomlWriter) cites(key string, cs []Cite) {
	if len(cs) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("[\n")
	for _, c := range cs {
		b.WriteString(w.indent + "  " + quote(c.Ref()) + ",\n")
	}
	b.WriteString(w.indent + "]")
	w.kv(key, b.String())
}

func quote(s string) string { return `"` + escape(s, false) + `"` }

// escape writes s for a TOML basic string, or a multi-line one, where line
// breaks stay as they are. Every '"' is escaped, so no run of three can
// end a multi-line string early.
func escape(s string, multiline bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' && multiline:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
