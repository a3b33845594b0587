package plan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date given to the year, the month or the day: plans
// and spreadsheets often say "2022" or "2022-12" for a due date, and that
// is what they promise, no more precisely.
type Date struct {
	Year, Month, Day int // Month and Day are 0 when not given
}

// IsZero reports whether the date was left out.
func (d Date) IsZero() bool { return d.Year == 0 }

// String is YYYY, YYYY-MM or YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Full reports whether the date is given to the day.
func (d Date) Full() bool { return d.Day != 0 }

// Start is the first day the date covers, UTC midnight.
func (d Date) Start() time.Time {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// End is the last day the date covers, UTC midnight: a due date of
// "2022-12" is met on 2022-12-31.
func (d Date) End() time.Time {
	switch {
	case d.Month == 0:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case d.Day == 0:
		return time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return d.Start()
}

// ISO is the first day the date covers as YYYY-MM-DD, for search filters
// and machine-readable attributes; "" for the zero Date.
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return d.Start().Format("2006-01-02")
}

// ParseDate reads YYYY, YYYY-MM or YYYY-MM-DD (slashes and dots work as
// separators too, as spreadsheets write them) and checks that the date
// exists.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) == 0 || len(parts) > 3 || strings.Count(s, "-")+strings.Count(s, "/")+strings.Count(s, ".") != len(parts)-1 {
		return Date{}, fmt.Errorf("%q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var n [3]int
	for i, p := range parts {
		want := 2
		if i == 0 {
			want = 4
		}
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > want || (i == 0 && len(p) != 4) || v < 0 {
			return Date{}, fmt.Errorf("%q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if d.Year < 1000 {
		return Date{}, fmt.Errorf("%q: the year %d is out of range", s, d.Year)
	}
	if len(parts) >= 2 && (d.Month < 1 || d.Month > 12) {
		return Date{}, fmt.Errorf("%q: there is no month %d", s, d.Month)
	}
	if len(parts) == 3 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return Date{}, fmt.Errorf("%q: %04d-%02d has no day %d", s, d.Year, d.Month, d.Day)
		}
	}
	return d, nil
}

// dateOf converts a TOML local date.
func dateOf(t time.Time) Date {
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}
