package search

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestNearMiss: a quote typed with a character left out, added or changed
// is held whole by no turn; its turn, which holds all the rest of it in a
// long speech, must still come first, ahead of short turns that repeat
// half of it (which plain BM25 over the terms puts first), through Query
// and through client.js alike.
func TestNearMiss(t *testing.T) {
	const quote = "公民參與平台的設計原則"
	filler := strings.Repeat("今天天氣很好我們出去走走看看風景。", 20)
	docs := []Doc{{ID: "target", URL: "/a/#target", Source: "a.md", Turn: 1, Speaker: "甲", Date: "2020-01-01",
		Title: "a", Kind: "transcript", Lang: "zh-TW", Text: filler + "我想談談" + quote + "，以及後續。" + filler}}
	for i := range 40 {
		docs = append(docs, Doc{ID: fmt.Sprint("d", i), URL: fmt.Sprintf("/d%d/#x", i), Source: fmt.Sprintf("d%d.md", i), Turn: 1,
			Speaker: "乙", Date: "2020-01-02", Title: "d", Kind: "transcript", Lang: "zh-TW", Text: "公民參與平台，公民參與平台，公民參與平台。"})
	}
	for i := range 200 {
		docs = append(docs, Doc{ID: fmt.Sprint("f", i), URL: fmt.Sprintf("/f%d/#x", i), Source: fmt.Sprintf("f%d.md", i), Turn: 1,
			Speaker: "丙", Date: "2020-01-03", Title: "f", Kind: "transcript", Lang: "zh-TW", Text: fmt.Sprintf("第%d則：今天天氣很好。", i)})
	}
	dir := t.TempDir()
	index, out := filepath.Join(dir, "index"), filepath.Join(dir, "out")
	if _, err := Build(context.Background(), index, docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(index, out); err != nil {
		t.Fatal(err)
	}
	qs := []jsQuery{
		{"公民參與平台設計原則", nil},   // 的 left out
		{"公民參與平台的的設計原則", nil}, // 的 doubled
		{"公民參與平台之設計原則", nil},  // 的 changed
		{"「公民參與平台設計原則」", nil}, // pasted with quotation marks
		{"公民参与平台设计原则", nil},   // Simplified, and 的 left out
		{quote, nil},
	}
	for i, res := range both(t, index, out, qs) {
		if len(res) == 0 || res[0].Source != "a.md" {
			first := "nothing"
			if len(res) > 0 {
				first = res[0].Source
			}
			t.Errorf("%q: first result %s, want a.md", qs[i].Q, first)
		}
	}
}
