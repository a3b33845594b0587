package search

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
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
		{"開放政府", false, "开放|放政|政府"},
		{"開放政府", true, "开放|放政|政府|府"},
		{"鳳", false, "凤"},
		{"「唐鳳」說：好。", true, "唐凤|凤|说|好"},
		{"Open Government 是雙語的", false, "open|govern|是双|双语|语的"},
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

// TestFoldVariants: each row is spellings readers and transcripts use for
// the same words; all must analyse to the same terms, at the same offsets.
func TestFoldVariants(t *testing.T) {
	for _, row := range [][]string{
		{"臺灣的開放政府", "台灣的開放政府", "台湾的开放政府"},
		{"這裡", "這裏", "这里"},
		{"看著", "看着"},
		{"山峰", "山峯"},
		{"數位發展部", "数位发展部"},
		{"為什麼", "爲什麼", "为什么"},
		{"大眾", "大衆", "大众"},
		{"ＡＢＣ臺", "abc台"},
	} {
		terms := func(s string) string {
			var out []string
			analyze(s, func(tk token) { out = append(out, fmt.Sprintf("%s@%d-%d", tk.Term, tk.Start, tk.End)) })
			return strings.Join(out, "|")
		}
		want := terms(row[0])
		for _, v := range row[1:] {
			if got := terms(v); got != want {
				t.Errorf("%q analyses to %s, but %q to %s", v, got, row[0], want)
			}
		}
	}
	// Folding is a function onto its own fixed points: folding twice is
	// folding once, so a folded query matches a folded index.
	n := 0
	for r := rune(variantLo); r <= variantHi; r++ {
		if f := fold(r); fold(f) != f {
			t.Errorf("fold(%q) = %q, but fold(%q) = %q", r, f, f, fold(f))
		} else if f != r {
			n++
		}
	}
	if n < 3000 {
		t.Errorf("only %d code points fold to another: the OpenCC tables were not read", n)
	}
	// Distinct characters stay distinct.
	for _, pair := range [][2]rune{{'唐', '鳳'}, {'台', '室'}, {'里', '理'}} {
		if fold(pair[0]) == fold(pair[1]) {
			t.Errorf("%q and %q fold alike", pair[0], pair[1])
		}
	}
}

// TestAlternatives: a query holding mainland vocabulary gets its Taiwan
// wording as a second query, in Go and in client.js alike; Taiwan wording,
// variants and English get none.
func TestAlternatives(t *testing.T) {
	tests := []struct{ q, alt string }{
		{"数字发展部", "数位发展部"},
		{"數字發展部", "数位发展部"},
		{"软件开发", "软体开发"},
		{"信息公开", "资讯公开"},
		{"用U盘拷贝", "用随身碟复制"},
		{"网络安全", "网路安全"},
		{"數位發展部", ""},
		{"台灣的開放政府", ""},
		{"臺灣的開放政府", ""},
		{"open data", ""},
		{"", ""},
	}
	var qs []string
	for _, tc := range tests {
		qs = append(qs, tc.q)
		want := []string{tc.q}
		if tc.alt != "" {
			want = append(want, tc.alt)
		}
		if got := alternatives(tc.q); !reflect.DeepEqual(got, want) {
			t.Errorf("alternatives(%q) = %q, want %q", tc.q, got, want)
		}
	}
	if n := len(phraseTable()); n < 300 {
		t.Errorf("phrase table has %d entries: OpenCC's TWPhrases was not read", n)
	}
	var js [][]string
	runNode(t, map[string]any{"alternatives": qs, "variants": base64.StdEncoding.EncodeToString(variantsFile())}, &js)
	for i, q := range qs {
		if i >= len(js) || !reflect.DeepEqual(js[i], alternatives(q)) {
			t.Errorf("client.js alternatives(%q) = %q, Go %q", q, js[i:min(i+1, len(js))], alternatives(q))
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"「唐鳳」說：好。":           "唐凤 说 好",
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
	runNode(t, map[string]any{"analyze": table.Texts, "variants": base64.StdEncoding.EncodeToString(variantsFile())}, &js)
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
