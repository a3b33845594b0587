package plan

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
)

// TestMarshalStrings: whatever a text holds, the file written loads back
// to the same text (outer white space aside, which loading trims).
func TestMarshalStrings(t *testing.T) {
	for _, s := range []string{
		`引號 "quoted" 與反斜線 \ 結尾\`,
		"三個引號 \"\"\" 在中間",
		"多行\n第二行 \"\"\"\n第三行 \\",
		"結尾是引號\"",
		"tab\tand\rcarriage return\x01control",
		"line ending with backslash \\\nnext",
		"'''literal''' ' and #comment [[areas]]",
		"\U0001F600 與 CJK 擴展 𠀀",
	} {
		p := &Plan{ID: "x", File: "commitments/x.toml", Title: s, From: Date{Year: 2021}, To: Date{Year: 2024}, Lang: "zh-TW", Summary: s,
			Areas:       []*Area{{ID: "1", Name: s}},
			Commitments: []*Commitment{{ID: "1-1", Area: "1", Title: s, Content: s, Lead: []string{s}, Milestones: []*Milestone{{ID: "m1", Title: s, Status: Planned, Note: s}}}},
			Resolutions: []*Resolution{{ID: "r1", Text: s, Meeting: s, History: []Event{{Date: Date{2021, 4, 30}, Status: Closed, Meeting: s, Note: s}}}},
		}
		out, err := p.MarshalTOML()
		if err != nil {
			t.Fatal(err)
		}
		d := &diag.List{}
		back := Parse(p.File, out, d)
		if back == nil {
			t.Errorf("%q: does not load: %s\n%s", s, d, out)
			continue
		}
		if !reflect.DeepEqual(noLines(back), noLines(p)) {
			t.Errorf("%q: loads back differently:\n%s", s, out)
		}
	}
}

// TestMarshalIncomplete: a plan missing required fields is not written.
func TestMarshalIncomplete(t *testing.T) {
	p := &Plan{ID: "x", Commitments: []*Commitment{{ID: "1-1", Milestones: []*Milestone{{ID: "m1"}}}}, Resolutions: []*Resolution{{ID: "r1", History: []Event{{}}}}}
	_, err := p.MarshalTOML()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"the plan's title", "the plan's start (from)", "the area of commitment \"1-1\"", "the status of milestone \"m1\"", "the text of resolution \"r1\"", "the date of history entry 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

// TestMarshalSeed: the shipped plan, written out and loaded again, is the
// same plan; and the output is stable.
func TestMarshalSeed(t *testing.T) {
	src, err := os.ReadFile("../../records/commitments/2021-2024.toml")
	if err != nil {
		t.Fatal(err)
	}
	d := &diag.List{}
	p := Parse("commitments/2021-2024.toml", src, d)
	if p == nil {
		t.Fatal(d)
	}
	out, err := p.MarshalTOML()
	if err != nil {
		t.Fatal(err)
	}
	back := Parse(p.File, out, d)
	if back == nil || d.String() != "" {
		t.Fatalf("%s\n%s", d, out)
	}
	if !reflect.DeepEqual(noLines(back), noLines(p)) {
		t.Error("the seed plan marshals to a different plan")
	}
	again, _ := back.MarshalTOML()
	if !bytes.Equal(out, again) {
		t.Error("marshalling is not stable")
	}
	for _, want := range []string{"from = \"2021-01\"\n", "  [[commitments.milestones]]\n  id = \"m1\"\n", "  updated = 2020-12-31\n", "cites = [\n  \"2020-12-31-"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %q", want)
		}
	}
}
