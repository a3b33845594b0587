package plan

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/ogarchive/ogarchive/generator/diag"
)

// noLines zeroes every Line field of p, in place, and returns p: lines
// depend on where a plan was read from, so plans read from CSV and from
// TOML compare equal without them.
func noLines(p *Plan) *Plan {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).Name == "Line" {
					v.Field(i).SetInt(0)
				} else {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(p))
	return p
}

func importFixture(t *testing.T) *Plan {
	t.Helper()
	f, err := os.Open("testdata/import.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, findings := ImportCSV(f, "testdata/import.csv")
	if p == nil || len(findings) > 0 {
		t.Fatalf("import: %v", findings)
	}
	return p
}

// TestImportCSV reads the example a spreadsheet exports: Chinese headers,
// merged cells left empty, ROC dates, status labels, values in Chinese,
// quotes, commas and line breaks inside cells.
func TestImportCSV(t *testing.T) {
	p := importFixture(t)
	if p.ID != "import" || p.File != "commitments/import.toml" {
		t.Errorf("id %q, file %q", p.ID, p.File)
	}
	if len(p.Areas) != 2 || p.Areas[0].Name != "推動資料開放與資訊公開" || p.Areas[1].Name != "擴大公共參與機制" {
		t.Errorf("areas: %+v %+v", p.Areas[0], p.Areas[1])
	}
	if len(p.Commitments) != 3 {
		t.Fatalf("%d commitments, want 3", len(p.Commitments))
	}
	c := p.Commitments[0]
	if !reflect.DeepEqual(c.Partners, []string{"各部會", "地方政府"}) ||
		!reflect.DeepEqual(c.Values, []Value{Transparency, Participation}) ||
		!strings.Contains(c.Content, "\n（內容可以分行，也可以有 \"引號\" 與逗號,）") ||
		len(c.Cites) != 1 || c.Cites[0].Turn != "eigv7pjv" {
		t.Errorf("commitment 1-1: %+v", c)
	}
	if len(c.Milestones) != 2 {
		t.Fatalf("1-1 has %d milestones, want 2", len(c.Milestones))
	}
	m1, m2 := c.Milestones[0], c.Milestones[1]
	if m1.Due.String() != "2022-12" || m1.Updated.String() != "2021-06-30" || m1.Status != InProgress || m1.Cites[0].Turn != "nykclake" {
		t.Errorf("m1: %+v", m1)
	}
	if m2.ID != "m2" || m2.Due.String() != "2023" || m2.Status != Planned {
		t.Errorf("m2 (a continuation row): %+v", m2)
	}
	if c := p.Commitments[1]; len(c.Milestones) != 0 || c.Lead[0] != "科技部" {
		t.Errorf("1-2 (no milestones): %+v", c)
	}
	c = p.Commitments[2]
	if len(c.Milestones) != 2 || c.Milestones[0].ID != "m1" || c.Milestones[1].ID != "m2" || c.Milestones[1].Note != "因疫情延後" || c.Milestones[1].Status != Delayed {
		t.Errorf("2-5 (numbered milestones): %+v", c.Milestones)
	}
}

// TestCSVRoundTrip: CSV → plan → TOML → Load gives the same plan, and
// CSV → plan → CSV → plan too.
func TestCSVRoundTrip(t *testing.T) {
	p := importFixture(t)
	p.Title, p.From, p.To = "測試方案", Date{Year: 2021, Month: 1}, Date{Year: 2024, Month: 5}

	out, err := p.MarshalTOML()
	if err != nil {
		t.Fatal(err)
	}
	d := &diag.List{}
	back := Parse(p.File, out, d)
	if back == nil || d.String() != "" {
		t.Fatalf("the TOML written does not load:\n%s\n%s", d, out)
	}
	if !reflect.DeepEqual(noLines(back), noLines(p)) {
		t.Errorf("CSV → TOML → Load differs:\n%s", out)
	}
	again, err := back.MarshalTOML()
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("marshalling the loaded plan again differs:\n%s", again)
	}

	var buf bytes.Buffer
	if err := WriteCSV(&buf, p); err != nil {
		t.Fatal(err)
	}
	p2, findings := ImportCSV(&buf, "testdata/import.csv")
	if p2 == nil || len(findings) > 0 {
		t.Fatalf("re-import: %v\n%s", findings, buf.String())
	}
	p2.Title, p2.From, p2.To = p.Title, p.From, p.To
	if !reflect.DeepEqual(noLines(p2), noLines(p)) {
		t.Errorf("CSV → plan → CSV → plan differs:\n%s", buf.String())
	}
}

// TestImportBig5: Excel's Traditional Chinese CSV is Big5; it is read,
// with a warning to save UTF-8 next time.
func TestImportBig5(t *testing.T) {
	src := "area,area_name,commitment,title,lead\n1,推動資料開放與資訊公開,1-1,完備政府資料開放與再利用制度,國家發展委員會\n"
	big5, err := traditionalchinese.Big5.NewEncoder().String(src)
	if err != nil {
		t.Fatal(err)
	}
	p, findings := ImportCSV(strings.NewReader(big5), "big5.csv")
	if p == nil || p.Commitments[0].Lead[0] != "國家發展委員會" || p.Areas[0].Name != "推動資料開放與資訊公開" {
		t.Fatalf("Big5 import: %+v %v", p, findings)
	}
	if len(findings) != 1 || findings[0].Severity != diag.Warning || !strings.Contains(findings[0].Message, "Big5") {
		t.Errorf("findings: %v", findings)
	}
	if _, findings := ImportCSV(strings.NewReader("\xff\xfe\xff"), "binary.csv"); len(findings) != 1 || !strings.Contains(findings[0].Message, "neither UTF-8 nor Big5") {
		t.Errorf("binary input: %v", findings)
	}
}

// TestImportCSVErrors: every problem a spreadsheet can have is a finding on
// its CSV line.
func TestImportCSVErrors(t *testing.T) {
	const head = "area,area_name,commitment,title,milestone,milestone_title,due,status,values,commitment_cites\n"
	for _, tc := range []struct {
		name, csv string
		want      []string
	}{
		{"unknown and duplicate columns", "area,commitment,title,標題,承諾事項\n1,1-1,t,x,y\n",
			[]string{`x.csv:1: error: columns 3 and 5 are both "title": keep one`, `x.csv:1: error: unknown column "標題"`}},
		{"missing columns", "commitment\n1-1\n",
			[]string{`x.csv:1: error: missing column "area"`, `x.csv:1: error: missing column "title"`}},
		{"no header", "",
			[]string{`x.csv:1: error: no header row`}},
		{"no rows", head,
			[]string{`x.csv: error: no commitments`}},
		{"bad quoting", head + "1,n,1-1,\"t\"x,,,,,,\n",
			[]string{`x.csv:2: error: CSV: `}},
		{"too many cells", head + "1,n,1-1,t,,,,,,,extra\n",
			[]string{`x.csv:2: error: the row has 11 cells but the header only 10`}},
		{"no commitment to continue", head + ",,,,m1,k,2022,planned,,\n",
			[]string{`x.csv:2: error: the row has no commitment id and follows none`}},
		{"bad ids", head + "1,n,1.1,t,,,,,,\n一,n,1-2,t,,,,,,\n1,n,1-3,t,M 1,k,,planned,,\n",
			[]string{`x.csv:2: error: commitment id "1.1" must be lower-case`, `x.csv:3: error: area id "一" must be lower-case`, `x.csv:4: error: milestone id "M 1" must be lower-case`}},
		{"area name without id", head + ",名稱,1-1,t,,,,,,\n",
			[]string{`x.csv:2: error: area "名稱" has no id`}},
		{"rows disagree", head + "1,n,1-1,t,,,,,,\n1,m,1-1,u,,,,,,\n2,n,1-1,,,,,,,\n",
			[]string{`x.csv:3: error: column area_name of area 1 differs from line 2`, `x.csv:3: error: column title of commitment 1-1 differs from line 2`, `x.csv:4: error: column area of commitment 1-1 differs from line 2`}},
		{"milestone problems", head + "1,n,1-1,t,m1,,2022,,,\n1,n,1-1,t,m1,k,2022,finished,,\n",
			[]string{`x.csv:2: error: milestone "m1" of commitment 1-1 has no milestone_title`, `x.csv:2: error: milestone "m1" of commitment 1-1 has no status`,
				`x.csv:3: error: commitment 1-1 has milestone "m1" twice`, `x.csv:3: error: status "finished" is not a milestone status`}},
		{"dates", head + "1,n,1-1,t,m1,k,2022-02-30,planned,,\n1,n,1-1,t,m2,k,明年,planned,,\n",
			[]string{`x.csv:2: error: column due: "2022-02-30": 2022-02 has no day 30`, `x.csv:3: error: column due: "明年" is not a date`}},
		{"values and cites", head + "1,n,1-1,t,,,,,\"transparency、開放\",\"ok#a /t/#k.b\"\n",
			[]string{`x.csv:2: error: "開放" is not an OGP value`, `x.csv:2: error: column commitment_cites: citation: "/t/#k.b" is a short link`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, findings := ImportCSV(strings.NewReader(tc.csv), "x.csv")
			if p != nil {
				t.Errorf("a plan was returned despite errors")
			}
			var got []string
			for _, f := range findings {
				got = append(got, f.String())
			}
			if len(got) != len(tc.want) {
				t.Errorf("got %d findings, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
				return
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("finding %d:\n got %s\nwant %s…", i, got[i], w)
				}
			}
		})
	}
}

// TestImportROCDates: Republic of China calendar years, as Taiwanese
// spreadsheets write them.
func TestImportROCDates(t *testing.T) {
	for in, want := range map[string]string{
		"110/12/31": "2021-12-31", "110-06": "2021-06", "110年": "2021", "110年12月": "2021-12",
		"民國110年1月5日": "2021-01-05", "99/1/2": "2010-01-02", "2021-06": "2021-06",
	} {
		csv := "area,commitment,title,milestone_title,status,due\n1,1-1,t,k,planned," + in + "\n"
		p, findings := ImportCSV(strings.NewReader(csv), "x.csv")
		if p == nil {
			t.Errorf("%s: %v", in, findings)
			continue
		}
		if got := p.Commitments[0].Milestones[0].Due.String(); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
}
