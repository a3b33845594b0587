package speakers

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ogarchive/ogarchive/generator/diag"
)

func TestParse(t *testing.T) {
	tests := []struct{ in, name, role string }{
		{"唐鳳：", "唐鳳", ""},
		{"唐鳳:", "唐鳳", ""},
		{"唐鳳召集人：", "唐鳳", "召集人"},
		{"彭啟明共同召集人：", "彭啟明", "共同召集人"},
		{"外交部報告(蕭伊芳副司長)：", "蕭伊芳", "外交部報告 副司長"},
		{"外交部報告（蕭伊芳副司長）", "蕭伊芳", "外交部報告 副司長"},
		{"國發會報告：", "國發會", "報告"},
		{"科長：邱俊雄", "邱俊雄", "科長"},
		{"空保處代表：許平和薦任科員", "許平和薦任", "空保處代表 科員"},
		{"林先生：", "林先生", ""},
		{"Audrey Tang:", "Audrey Tang", ""},
		{"  Audrey\u00a0 Tang ：", "Audrey Tang", ""},
		{"Mark (moderator):", "Mark", "moderator"},
		{"e\u0301lise:", "élise", ""},
		{"【行政院農業委員會林務局新竹林管處補充說明】", "【行政院農業委員會林務局新竹林管處補充說明】", ""},
	}
	for _, tt := range tests {
		got := Parse(tt.in)
		if got.Name != tt.name || got.Role != tt.role {
			t.Errorf("Parse(%q) = %q + %q, want %q + %q", tt.in, got.Name, got.Role, tt.name, tt.role)
		}
	}
}

func TestResolver(t *testing.T) {
	var d diag.List
	r := NewResolver(LoadConfig("testdata/speakers.toml", "speakers.toml", &d))
	if d.String() != "" {
		t.Fatalf("unexpected findings:\n%s", d.String())
	}
	tests := []struct {
		label, key, name string
		role             bool
	}{
		{"Audrey Tang:", "唐鳳", "唐鳳", false},
		{"唐鳳召集人：", "唐鳳", "唐鳳", false},
		{"audrey：", "唐鳳", "唐鳳", false},
		{"問：", "問", "問", true},
		{"Audience Member:", "audience-member", "Audience Member", true},
		{"Rufus Pollock:", "rufus-pollock", "Rufus Pollock", false},
	}
	for _, tt := range tests {
		_, sp := r.Resolve(tt.label)
		if sp.Key != tt.key || sp.Name != tt.name || sp.IsRole != tt.role {
			t.Errorf("Resolve(%q) = %+v, want key %q name %q role %v", tt.label, sp, tt.key, tt.name, tt.role)
		}
	}
	var unused []string
	for _, e := range r.UnusedAliases() {
		unused = append(unused, fmt.Sprintf("%s@%d", e.Value, e.Line))
	}
	if got, want := strings.Join(unused, ","), "Question@1,Nobody Uses This@9"; got != want {
		t.Errorf("UnusedAliases = %s, want %s", got, want)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"roles = [\"問\"\n", "speakers.toml:1: error: invalid TOML"},
		{"rols = [\"問\"]\n", "speakers.toml:1: error: unknown key \"rols\""},
		{"roles = [\"問\", \"問\"]\n", "speakers.toml:1: error: \"問\" is listed twice"},
		{"[[person]]\naliases = [\"x\"]\n", "speakers.toml: error: [[person]] #1 has no name"},
	}
	for _, tt := range tests {
		var d diag.List
		ParseConfig([]byte(tt.src), "speakers.toml", &d)
		if !strings.Contains(d.String(), tt.want) {
			t.Errorf("ParseConfig(%q) findings:\n%s\nwant %q", tt.src, d.String(), tt.want)
		}
	}
}
