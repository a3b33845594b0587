package plan

import (
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in, want, start, end, err string
	}{
		{in: "2022", want: "2022", start: "2022-01-01", end: "2022-12-31"},
		{in: "2022-12", want: "2022-12", start: "2022-12-01", end: "2022-12-31"},
		{in: "2024-02", want: "2024-02", start: "2024-02-01", end: "2024-02-29"},
		{in: "2020-12-31", want: "2020-12-31", start: "2020-12-31", end: "2020-12-31"},
		{in: "2021/3/5", want: "2021-03-05", start: "2021-03-05", end: "2021-03-05"},
		{in: " 2021.03 ", want: "2021-03", start: "2021-03-01", end: "2021-03-31"},
		{in: "2021-02-29", err: "2021-02 has no day 29"},
		{in: "2021-13", err: "no month 13"},
		{in: "2021-00", err: "no month 0"},
		{in: "21-01-01", err: "is not a date"},
		{in: "0999", err: "out of range"},
		{in: "2021--01", err: "is not a date"},
		{in: "2021-01-01-01", err: "is not a date"},
		{in: "2021-1a", err: "is not a date"},
		{in: "", err: "is not a date"},
	} {
		d, err := ParseDate(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseDate(%q) = %v, %v; want error with %q", tc.in, d, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tc.in, err)
			continue
		}
		if d.String() != tc.want || d.ISO() != tc.start || d.End().Format("2006-01-02") != tc.end {
			t.Errorf("ParseDate(%q) = %s (start %s, end %s), want %s (%s, %s)", tc.in, d, d.ISO(), d.End().Format("2006-01-02"), tc.want, tc.start, tc.end)
		}
	}
}

func TestParseCite(t *testing.T) {
	const slug = "2020-12-31-行政院開放政府國家行動方案推動小組第2次會議"
	for _, tc := range []struct {
		in, ref, err string
	}{
		{in: slug + "#nm5bhmt4", ref: slug + "#nm5bhmt4"},
		{in: "/" + slug + "/#nm5bhmt4", ref: slug + "#nm5bhmt4"},
		{in: "https://archive.example.org/" + slug + "/#nm5bhmt4", ref: slug + "#nm5bhmt4"},
		{in: "/2020-12-31-%E8%A1%8C%E6%94%BF%E9%99%A2%E9%96%8B%E6%94%BE%E6%94%BF%E5%BA%9C%E5%9C%8B%E5%AE%B6%E8%A1%8C%E5%8B%95%E6%96%B9%E6%A1%88%E6%8E%A8%E5%8B%95%E5%B0%8F%E7%B5%84%E7%AC%AC2%E6%AC%A1%E6%9C%83%E8%AD%B0/#nm5bhmt4", ref: slug + "#nm5bhmt4"},
		{in: "2020-12-31-%E6%9C%83%E8%AD%B0#abc", ref: "2020-12-31-會議#abc"},
		// NFD, as some systems copy it, becomes NFC like slugs.
		{in: "cafe\u0301#x", ref: "café#x"},
		{in: "  " + slug + "#nm5bhmt4-2 ", ref: slug + "#nm5bhmt4-2"},
		{in: slug, err: "names no turn"},
		{in: slug + "#", err: "names no turn"},
		{in: "#nm5bhmt4", err: "names no turn"},
		{in: "/" + slug + "/", err: "names no turn"},
		{in: "/t/#k3x9.nm5bhmt4", err: "short link"},
		{in: "/speakers/唐鳳/#x", err: "not the permalink of a turn"},
		{in: "a b#c", err: "no spaces"},
		{in: "%zz#c", err: "invalid URL escape"},
		{in: "", err: "empty citation"},
	} {
		c, err := ParseCite(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseCite(%q) = %v, %v; want error with %q", tc.in, c, err, tc.err)
			}
			continue
		}
		if err != nil || c.Ref() != tc.ref {
			t.Errorf("ParseCite(%q) = %q, %v; want %q", tc.in, c.Ref(), err, tc.ref)
		}
	}
}

func TestCommitmentStatus(t *testing.T) {
	ms := func(ss ...Status) *Commitment {
		c := &Commitment{}
		for _, s := range ss {
			c.Milestones = append(c.Milestones, &Milestone{Status: s})
		}
		return c
	}
	for _, tc := range []struct {
		c    *Commitment
		want Status
	}{
		{ms(), Unreported},
		{ms(Planned, Planned), Planned},
		{ms(Planned, Done), InProgress},
		{ms(Planned, InProgress), InProgress},
		{ms(Done, InProgress, Delayed), Delayed},
		{ms(Done, Dropped), Done},
		{ms(Dropped, Dropped), Dropped},
		{ms(Dropped, Planned), Planned},
	} {
		if got := tc.c.Status(); got != tc.want {
			var in []Status
			for _, m := range tc.c.Milestones {
				in = append(in, m.Status)
			}
			t.Errorf("Status of %v = %s, want %s", in, got, tc.want)
		}
	}
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Done.Label("zh-TW"), "已完成"},
		{Done.Label("en"), "Done"},
		{Unreported.Label("zh-TW"), "尚無里程碑"},
		{Closed.Label("zh-TW"), "解除列管"},
		{ProposedClose.Label("en"), "Proposed for closing"},
		{Tracking.Label("zh-TW"), "持續列管"},
		{Accountability.Label("zh-TW"), "課責"},
		{Status("unknown").Label("en"), "unknown"},
	} {
		if tc.got != tc.want {
			t.Errorf("label %q, want %q", tc.got, tc.want)
		}
	}
}
