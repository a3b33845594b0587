package search

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestStem(t *testing.T) {
	// Outputs of the Porter algorithm as published.
	for in, want := range map[string]string{
		"caresses": "caress", "ponies": "poni", "ties": "ti", "caress": "caress", "cats": "cat",
		"feed": "feed", "agreed": "agre", "plastered": "plaster", "bled": "bled", "motoring": "motor",
		"sing": "sing", "conflated": "conflat", "troubled": "troubl", "sized": "size", "hopping": "hop",
		"tanned": "tan", "falling": "fall", "hissing": "hiss", "fizzed": "fizz", "failing": "fail",
		"filing": "file", "happy": "happi", "sky": "sky", "relational": "relat", "conditional": "condit",
		"rational": "ration", "generalization": "gener", "oscillators": "oscil", "government": "govern",
		"meetings": "meet", "electrical": "electr", "controlling": "control", "hopeful": "hope",
		"goodness": "good", "adjustment": "adjust", "adoption": "adopt", "effective": "effect",
		"communism": "commun", "roll": "roll", "democracy": "democraci", "as": "as",
	} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		text     string
		indexing bool
		want     string // terms joined by |
	}{
		{"開放政府", false, "開放|放政|政府"},
		{"開放政府", true, "開放|放政|政府|府"},
		{"鳳", false, "鳳"},
		{"「唐鳳」說：好。", true, "唐鳳|鳳|說|好"},
		{"Open Government 是雙語的", false, "open|govern|是雙|雙語|語的"},
		{"ＦＵＬＬ－ＷＩＤＴＨ　ＴＥＸＴ１２３", false, "full|width|text123"},
		{"don't stop", false, "don|t|stop"},
		{"COVID-19 2020年", true, "covid|19|2020|年"},
		{"naïve Straße", false, "naïve|straße"},
		{"", false, ""},
	} {
		var got []string
		scan(tc.text, tc.indexing, func(_ int, term []byte, _, _, _ int) { got = append(got, string(term)) })
		if s := strings.Join(got, "|"); s != tc.want {
			t.Errorf("scan(%q, %v) = %q, want %q", tc.text, tc.indexing, s, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"「唐鳳」說：好。":           "唐鳳 說 好",
		"  Hello,   World! ": "hello world",
		"ＡＢＣ　ｄｅｆ":            "abc def",
		"":                   "",
	} {
		rs, offs := normalize(in)
		if string(rs) != want {
			t.Errorf("normalize(%q) = %q, want %q", in, string(rs), want)
		}
		src := []rune(in)
		for i, r := range rs {
			if r != ' ' && fold(src[offs[i]]) != r {
				t.Errorf("normalize(%q): rune %d maps to offset %d (%q)", in, i, offs[i], src[offs[i]])
			}
		}
	}
}

// jsToken is a token as client.js reports it.
type jsToken struct {
	Term  string `json:"term"`
	Kind  int    `json:"kind"`
	Pos   int    `json:"pos"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// TestAnalysisAgreement checks that client.js analyses a table of texts
// (zh-TW, English, mixed, full-width, punctuation, other scripts) and
// stems a list of words exactly as the Go side does.
func TestAnalysisAgreement(t *testing.T) {
	raw, err := os.ReadFile("testdata/analysis.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Texts []string `json:"texts"`
		Words []string `json:"words"`
	}
	if err := json.Unmarshal(raw, &table); err != nil {
		t.Fatal(err)
	}
	var js [][]jsToken
	runNode(t, map[string]any{"analyze": table.Texts}, &js)
	if len(js) != len(table.Texts) {
		t.Fatalf("client.js analysed %d texts, want %d", len(js), len(table.Texts))
	}
	tokens := 0
	for i, text := range table.Texts {
		want := []jsToken{}
		analyze(text, func(tk token) {
			want = append(want, jsToken{tk.Term, tk.Kind, tk.Pos, tk.Start, tk.End})
		})
		got := append([]jsToken{}, js[i]...)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("text %q:\n go %v\n js %v", text, want, got)
		}
		tokens += len(want)
	}
	if tokens < 200 {
		t.Errorf("the table yields only %d tokens; it should exercise more", tokens)
	}
	var stems []string
	runNode(t, map[string]any{"stem": table.Words}, &stems)
	for i, w := range table.Words {
		if i >= len(stems) || stems[i] != stem(w) {
			t.Errorf("stem(%q): go %q, js %v", w, stem(w), stems[i:min(i+1, len(stems))])
		}
	}
}
