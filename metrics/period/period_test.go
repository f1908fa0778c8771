package period

import (
	"fmt"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	tests := []struct {
		in            string
		kind          Kind
		start, end    string
		prev, yearAgo string
	}{
		{"2024", Year, "2024-01-01", "2025-01-01", "2023", "2023"},
		{"2024-Q2", Quarter, "2024-04-01", "2024-07-01", "2024-Q1", "2023-Q2"},
		{"2024-Q1", Quarter, "2024-01-01", "2024-04-01", "2023-Q4", "2023-Q1"},
		{"2024-05", Month, "2024-05-01", "2024-06-01", "2024-04", "2023-05"},
		{"2024-01", Month, "2024-01-01", "2024-02-01", "2023-12", "2023-01"},
		{"2024-W20", Week, "2024-05-13", "2024-05-20", "2024-W19", "2023-W20"},
		{"2024-W01", Week, "2024-01-01", "2024-01-08", "2023-W52", "2023-W01"},
		{"2021-W01", Week, "2021-01-04", "2021-01-11", "2020-W53", "2020-W01"},
		{"2020-W53", Week, "2020-12-28", "2021-01-04", "2020-W52", "2019-W52"}, // 2019 has 52 weeks
		{"2026-W53", Week, "2026-12-28", "2027-01-04", "2026-W52", "2025-W52"},
		{"2024-05-01", Day, "2024-05-01", "2024-05-02", "2024-04-30", "2023-05-01"},
		{"2024-02-29", Day, "2024-02-29", "2024-03-01", "2024-02-28", "2023-02-28"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			p, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tc.kind || !p.Start.Equal(d(tc.start)) || !p.End.Equal(d(tc.end)) || p.String() != tc.in {
				t.Errorf("%s = %s [%s, %s) %q", tc.in, p.Kind, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"), p.String())
			}
			if got := p.Prev().String(); got != tc.prev {
				t.Errorf("Prev = %s, want %s", got, tc.prev)
			}
			if got := p.YearAgo().String(); got != tc.yearAgo {
				t.Errorf("YearAgo = %s, want %s", got, tc.yearAgo)
			}
			if !p.Prev().End.Equal(p.Start) {
				t.Errorf("Prev does not end where %s starts", tc.in)
			}
		})
	}
	for _, bad := range []string{"2024-13", "2024-Q5", "2024-W54", "2021-W53", "2024-02-30", "24-05", "2024/05", "", "2024-5"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestParseAsOf(t *testing.T) {
	for in, want := range map[string]string{
		"2024-06-20":          "2024-06-20 00:00:00",
		"2024-06-20 08:30":    "2024-06-20 08:30:00",
		"2024-06-20 08:30:15": "2024-06-20 08:30:15",
	} {
		got, err := ParseAsOf(in)
		if err != nil || got.Format("2006-01-02 15:04:05") != want {
			t.Errorf("ParseAsOf(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseAsOf("20/6/2024"); err == nil {
		t.Error("accepted 20/6/2024")
	}
}

func ExampleParse() {
	p, _ := Parse("2024-W20")
	fmt.Println(p.Label(), p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"), p.Prev(), p.YearAgo())
	// Output: 2024年第20周 2024-05-13 2024-05-20 2024-W19 2023-W20
}
