package slug

import (
	"reflect"
	"testing"
)

func TestMake(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-02-27-商周專欄：防堵-AI-賓拉登", "2025-02-27-商周專欄防堵-ai-賓拉登"},
		{"2015-08-23-演講-開放^資料", "2015-08-23-演講-開放資料"},
		{"2019‑12‑24-Interview-with-Leen-Vervaeke", "2019-12-24-interview-with-leen-vervaeke"}, // U+2011
		{"2017-07-07-社會企業交流座談（南區）", "2017-07-07-社會企業交流座談南區"},
		{"2024-03-29「2024 總統盃黑客松」第一次工作小組會議逐字稿", "2024-03-292024-總統盃黑客松第一次工作小組會議逐字稿"}, // brackets are punctuation: dropped like "："
		{"1999年全國司法改革會議", "1999年全國司法改革會議"},
		{"  Hello,   World!  ", "hello-world"},
		{"a -- b", "a-b"},
		{"snake_case", "snake_case"},
		{"e\u0301cole", "école"}, // NFC
		{"《律師法》修法", "律師法修法"},
		{"", ""},
		{"！？", ""},
	}
	for _, tt := range tests {
		if got := Make(tt.in); got != tt.want {
			t.Errorf("Make(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnique(t *testing.T) {
	got := Unique([]string{"a", "b", "a", "a-2", "a", ""})
	want := []string{"a", "b", "a-3", "a-2", "a-4", "untitled"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Unique = %v, want %v", got, want)
	}
}
