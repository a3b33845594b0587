package legacy

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/transcript"
)

// SectionsFile maps the previous site's section ids (/speech/<id>, the old
// SayIt ids journalists share) to turns: id<TAB>record file name (no
// .md)#turn id.
const SectionsFile = "legacy/sections.tsv"

// Section is one element of what /api/speech/<key> returns: a paragraph
// of a turn, a stage direction or an embed.
type Section struct {
	Key     string `json:"filename"`
	ID      ID     `json:"section_id"`
	Speaker any    `json:"section_speaker"` // a name, "None" or null
	Content string `json:"section_content"` // HTML
}

// ID is a section id, which the previous site's API writes as a string or
// as a number.
type ID string

// UnmarshalJSON takes a string, a number or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case string:
		*id = ID(v)
	case float64:
		*id = ID(strconv.FormatFloat(v, 'f', -1, 64))
	case nil:
		*id = ""
	default:
		return fmt.Errorf("section id %s is neither a string nor a number", b)
	}
	return nil
}

// MatchSections maps the sections of one speech to the turns of its
// record, by content: sections are paragraphs, so a section belongs to the
// first turn at or after the previous match whose text holds it (after
// it, when the speaker changes). A
// section no turn holds (an embed, a stage direction kept apart, a
// paragraph since corrected) goes to the turn beside it: the one the
// previous section matched, or the next one matched when it comes first.
func MatchSections(rec *model.Record, secs []Section) (rows []Row, byContent int) {
	texts := make([]string, len(rec.Turns))
	for i := range rec.Turns {
		texts[i] = letters(rec.Turns[i].Text())
	}
	stem := rec.Stem()
	at := -1 // turn of the previous match
	prev := ""
	var pending []string
	search := func(from int, c string) int {
		for i := max(from, 0); i < len(texts); i++ {
			if strings.Contains(texts[i], c) {
				return i
			}
		}
		return -1
	}
	for _, s := range secs {
		if s.ID == "" {
			continue
		}
		c := letters(transcript.HTMLText(s.Content))
		speaker := speakerOf(s)
		found := -1
		if len([]rune(c)) >= 2 {
			// Another speaker starts another turn: "謝謝。" after "謝謝，瞭解了"
			// is the next turn, not the same one again.
			if at >= 0 && speaker != "" && prev != "" && speaker != prev {
				found = search(at+1, c)
			}
			if found < 0 {
				found = search(at, c)
			}
		}
		if speaker != "" {
			prev = speaker
		}
		switch {
		case found >= 0:
			at = found
			byContent++
			for _, id := range pending {
				rows = append(rows, Row{id, stem + "#" + rec.Turns[at].ID})
			}
			pending = nil
			rows = append(rows, Row{string(s.ID), stem + "#" + rec.Turns[at].ID})
		case at >= 0:
			rows = append(rows, Row{string(s.ID), stem + "#" + rec.Turns[at].ID})
		default:
			pending = append(pending, string(s.ID))
		}
	}
	// Sections no turn holds before any match: to the first turn, or to
	// the record's page when it has no turns (a speech whose text the
	// archive does not have).
	first := ""
	if len(rec.Turns) > 0 {
		first = rec.Turns[0].ID
	}
	for _, id := range pending {
		rows = append(rows, Row{id, stem + "#" + first})
	}
	return rows, byContent
}

// speakerOf is a section's speaker, "" when it has none.
func speakerOf(s Section) string {
	if name, ok := s.Speaker.(string); ok && name != "None" {
		return strings.TrimSpace(name)
	}
	return ""
}

// letters keeps the letters and digits of s, lower-cased: what survives
// between the previous site's HTML and a transcript's Markdown.
func letters(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// ReadSections reads legacy/sections.tsv under dir and resolves each line
// to the site-relative URL of its turn. A line whose record or turn is not
// in the archive (retired ids resolve through the record) is a warning at
// its line; the rest is read. A line with an empty turn id (file#) leads
// to the record's page. A missing file has no sections.
func ReadSections(dir string, byStem map[string]*model.Record, diags *diag.List) (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(SectionsFile)))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, target, ok := strings.Cut(line, "\t")
		stem, turn, hasTurn := strings.Cut(target, "#")
		switch {
		case !ok || !hasTurn || id == "" || strings.Trim(id, "0123456789") != "":
			diags.Warnf(SectionsFile, n+1, "want a section id, a TAB and file#turn-id; rerun `ogarchive import-legacy` or fix the line")
		case byStem[stem] == nil:
			diags.Warnf(SectionsFile, n+1, "no transcript %s.md: fix the name after a rename, or rerun `ogarchive import-legacy`", stem)
		case turn == "":
			out[id] = byStem[stem].URL() // the record's page: the section is in no turn
		default:
			out[id] = byStem[stem].URL() + "#" + turn
		}
	}
	return out, nil
}

// WriteSectionShards writes dir/<id mod n>.json, objects of section ids to
// turn URLs, about 200 ids a file, and dir/index.json with n, which the
// 404 page reads first.
func WriteSectionShards(dir string, sections map[string]string) error {
	if len(sections) == 0 {
		return nil
	}
	n := 1 << bits.Len(uint(len(sections)/200)) // a power of two
	shards := make([]map[string]string, n)
	for id, u := range sections {
		var k uint64
		fmt.Sscan(id, &k)
		s := int(k % uint64(n))
		if shards[s] == nil {
			shards[s] = map[string]string{}
		}
		shards[s][id] = u
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, m := range shards {
		if m == nil {
			continue
		}
		data, _ := json.Marshal(m) // strings only: cannot fail
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", i)), data, 0o644); err != nil {
			return err
		}
	}
	data, _ := json.Marshal(map[string]int{"shards": n})
	return os.WriteFile(filepath.Join(dir, "index.json"), data, 0o644)
}
