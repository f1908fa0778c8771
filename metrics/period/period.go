// Package period parses the periods of SPEC §7 ("2024", "2024-Q2", "2024-05",
// "2024-W20", "2024-05-01") into half-open intervals [Start, End) of local
// wall-clock time, and gives the periods they are compared with (环比, 同比).
//
// Times are wall-clock times carried in UTC-located time.Time values, as
// everywhere in fenliu (see docs/loading.md).
package period

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Kind is the length of a period.
type Kind string

// The period kinds.
const (
	Year    Kind = "year"
	Quarter Kind = "quarter"
	Month   Kind = "month"
	Week    Kind = "week" // ISO 8601 week, Monday to Sunday
	Day     Kind = "day"
)

// Period is [Start, End) of one kind.
type Period struct {
	Kind  Kind
	Start time.Time
	End   time.Time
}

var (
	reYear    = regexp.MustCompile(`^(\d{4})$`)
	reQuarter = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	reMonth   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	reWeek    = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)
	reDay     = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// Parse reads a period: 2024, 2024-Q2, 2024-05, 2024-W20 or 2024-05-01.
func Parse(s string) (Period, error) {
	switch {
	case reYear.MatchString(s):
		return OfYear(atoi(s)), nil
	case reQuarter.MatchString(s):
		m := reQuarter.FindStringSubmatch(s)
		start := date(atoi(m[1]), (atoi(m[2])-1)*3+1, 1)
		return Period{Quarter, start, start.AddDate(0, 3, 0)}, nil
	case reMonth.MatchString(s):
		m := reMonth.FindStringSubmatch(s)
		if mo := atoi(m[2]); mo >= 1 && mo <= 12 {
			return OfMonth(atoi(m[1]), time.Month(mo)), nil
		}
	case reWeek.MatchString(s):
		m := reWeek.FindStringSubmatch(s)
		y, w := atoi(m[1]), atoi(m[2])
		if w >= 1 && w <= weeksIn(y) {
			return OfWeek(y, w), nil
		}
	case reDay.MatchString(s):
		m := reDay.FindStringSubmatch(s)
		d := date(atoi(m[1]), atoi(m[2]), atoi(m[3]))
		if d.Format("2006-01-02") == s {
			return Period{Day, d, d.AddDate(0, 0, 1)}, nil
		}
	}
	return Period{}, fmt.Errorf("period %q: want 2024, 2024-Q2, 2024-05, 2024-W20 or 2024-05-01", s)
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// OfYear is the calendar year y.
func OfYear(y int) Period { return Period{Year, date(y, 1, 1), date(y+1, 1, 1)} }

// OfMonth is one calendar month.
func OfMonth(y int, m time.Month) Period {
	s := date(y, int(m), 1)
	return Period{Month, s, s.AddDate(0, 1, 0)}
}

// OfWeek is ISO week w of ISO year y.
func OfWeek(y, w int) Period {
	jan4 := date(y, 1, 4) // always in week 1
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	s := monday.AddDate(0, 0, 7*(w-1))
	return Period{Week, s, s.AddDate(0, 0, 7)}
}

// weeksIn is the number of ISO weeks of ISO year y (52 or 53).
func weeksIn(y int) int {
	_, w := date(y, 12, 28).ISOWeek()
	return w
}

// String gives the period in the form Parse reads.
func (p Period) String() string {
	switch p.Kind {
	case Year:
		return p.Start.Format("2006")
	case Quarter:
		return fmt.Sprintf("%d-Q%d", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
	case Month:
		return p.Start.Format("2006-01")
	case Week:
		y, w := p.Start.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	return p.Start.Format("2006-01-02")
}

// Label is the period in Chinese, for reports: 2024年5月, 2024年第20周 ….
func (p Period) Label() string {
	switch p.Kind {
	case Year:
		return fmt.Sprintf("%d年", p.Start.Year())
	case Quarter:
		return fmt.Sprintf("%d年第%d季度", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
	case Month:
		return fmt.Sprintf("%d年%d月", p.Start.Year(), p.Start.Month())
	case Week:
		y, w := p.Start.ISOWeek()
		return fmt.Sprintf("%d年第%d周", y, w)
	}
	return fmt.Sprintf("%d年%d月%d日", p.Start.Year(), p.Start.Month(), p.Start.Day())
}

// Prev is the preceding period of the same kind (环比).
func (p Period) Prev() Period {
	switch p.Kind {
	case Year:
		return OfYear(p.Start.Year() - 1)
	case Quarter:
		return Period{Quarter, p.Start.AddDate(0, -3, 0), p.Start}
	case Month:
		return Period{Month, p.Start.AddDate(0, -1, 0), p.Start}
	case Week:
		return Period{Week, p.Start.AddDate(0, 0, -7), p.Start}
	}
	return Period{Day, p.Start.AddDate(0, 0, -1), p.Start}
}

// YearAgo is the same period a year earlier (同比). For an ISO week it is the same
// week number of the previous ISO year; week 53 maps to week 52 when that year
// has none. 29 February maps to 28 February.
func (p Period) YearAgo() Period {
	switch p.Kind {
	case Year:
		return OfYear(p.Start.Year() - 1)
	case Quarter:
		return Period{Quarter, p.Start.AddDate(-1, 0, 0), p.End.AddDate(-1, 0, 0)}
	case Month:
		return OfMonth(p.Start.Year()-1, p.Start.Month())
	case Week:
		y, w := p.Start.ISOWeek()
		return OfWeek(y-1, min(w, weeksIn(y-1)))
	}
	d := date(p.Start.Year()-1, int(p.Start.Month()), p.Start.Day())
	if d.Month() != p.Start.Month() { // 29 February
		d = date(p.Start.Year()-1, int(p.Start.Month()), 28)
	}
	return Period{Day, d, d.AddDate(0, 0, 1)}
}

// Of returns the period of kind k that contains t.
func Of(k Kind, t time.Time) Period {
	switch k {
	case Year:
		return OfYear(t.Year())
	case Quarter:
		s := date(t.Year(), (int(t.Month())-1)/3*3+1, 1)
		return Period{Quarter, s, s.AddDate(0, 3, 0)}
	case Month:
		return OfMonth(t.Year(), t.Month())
	case Week:
		y, w := t.ISOWeek()
		return OfWeek(y, w)
	}
	d := date(t.Year(), int(t.Month()), t.Day())
	return Period{Day, d, d.AddDate(0, 0, 1)}
}

// ParseAsOf reads an as-of time: 2024-06-20 (00:00) or 2024-06-20 08:30[:00].
func ParseAsOf(s string) (time.Time, error) {
	for _, l := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("as-of %q: want 2024-06-20 or 2024-06-20 08:30[:00]", s)
}
