package parse

import (
	"errors"
	"testing"
	"time"
)

func TestTime(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		name     string
		in       string
		want     time.Time
		dateOnly bool
		wantErr  bool
	}{
		{"iso_seconds", "2024-05-01 08:00:00", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"iso_minutes", "2024-05-01 08:00", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"iso_t", "2024-05-01T08:00:00", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"iso_fraction", "2024-05-01T08:00:00.250", at(2024, 5, 1, 8, 0, 0, 250e6), false, false},
		{"rfc3339_z", "2024-05-01T00:00:00Z", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"rfc3339_offset", "2024-05-01T10:00:00+10:00", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"rfc3339_offset_day_change", "2024-04-30T23:30:00-01:00", at(2024, 5, 1, 8, 30, 0, 0), false, false},
		{"slash_unpadded", "2024/5/1 8:00", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"slash_seconds", "2024/5/1 8:00:09", at(2024, 5, 1, 8, 0, 9, 0), false, false},
		{"chinese_colon", "2024年5月1日 08:00", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"chinese_colon_seconds", "2024年5月1日 8:00:30", at(2024, 5, 1, 8, 0, 30, 0), false, false},
		{"chinese_units", "2024年05月01日08时00分", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"chinese_units_seconds", "2024年05月01日08时00分07秒", at(2024, 5, 1, 8, 0, 7, 0), false, false},
		{"compact", "20240501080000", at(2024, 5, 1, 8, 0, 0, 0), false, false},
		{"date_only_iso", "2024-05-01", at(2024, 5, 1, 0, 0, 0, 0), true, false},
		{"date_only_slash", "2024/5/1", at(2024, 5, 1, 0, 0, 0, 0), true, false},
		{"date_only_chinese", "2024年5月1日", at(2024, 5, 1, 0, 0, 0, 0), true, false},
		{"leap_day", "2024-02-29 12:00:00", at(2024, 2, 29, 12, 0, 0, 0), false, false},
		{"bare_number", "45413", time.Time{}, false, true},
		{"short_compact", "202405010800", time.Time{}, false, true},
		{"month_13", "2024/13/01 08:00", time.Time{}, false, true},
		{"feb_30", "2024-02-30 08:00:00", time.Time{}, false, true},
		{"hour_24", "2024-05-01 24:00:00", time.Time{}, false, true},
		{"mixed_separators", "2024-05/01 08:00", time.Time{}, false, true},
		{"t_in_slash_form", "2024/05/01T08:00", time.Time{}, false, true},
		{"offset_on_chinese", "2024年5月1日 08:00+08:00", time.Time{}, false, true},
		{"trailing_garbage", "2024-05-01 08:00:00x", time.Time{}, false, true},
		{"us_without_layout", "05/01/2024 08:00:00 AM", time.Time{}, false, true},
		{"words", "昨天下午", time.Time{}, false, true},
	}
	p := TimeParser{Zone: shanghai}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Parse(tc.in)
			if tc.wantErr {
				if !errors.Is(err, ErrBadTime) {
					t.Fatalf("Parse(%q) = %v, %v; want ErrBadTime", tc.in, got.Wall, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if !got.Wall.Equal(tc.want) || got.Wall.Location() != time.UTC || got.DateOnly != tc.dateOnly {
				t.Errorf("Parse(%q) = %v (date only %v), want %v (date only %v)", tc.in, got.Wall, got.DateOnly, tc.want, tc.dateOnly)
			}
		})
	}
}

func TestTimeLayouts(t *testing.T) {
	p := TimeParser{Zone: time.UTC, Layouts: []string{"01/02/2006 03:04:05 PM"}}
	got, err := p.Parse("10/08/2017 09:29:39 PM")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2017, 10, 8, 21, 29, 39, 0, time.UTC); !got.Wall.Equal(want) {
		t.Errorf("got %v, want %v", got.Wall, want)
	}
	// The built-in forms still work after the profile's layouts.
	if _, err := p.Parse("2017-10-08 21:29:39"); err != nil {
		t.Errorf("built-in form after layouts: %v", err)
	}
}

func TestSerial(t *testing.T) {
	tests := []struct {
		in       float64
		want     time.Time
		dateOnly bool
	}{
		// The taidi export's row 7: a serial with float noise, rounded to the second.
		{43563.359259259261, time.Date(2019, 4, 8, 8, 37, 20, 0, time.UTC), false},
		{45413, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), true},
		{45413.5, time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), false},
		{45413.99999999, time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), false},
	}
	for _, tc := range tests {
		got, err := Serial(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Wall.Equal(tc.want) || got.DateOnly != tc.dateOnly {
			t.Errorf("Serial(%v) = %v %v, want %v %v", tc.in, got.Wall, got.DateOnly, tc.want, tc.dateOnly)
		}
	}
	for _, bad := range []float64{-1, MaxSerial, 1e12} {
		if _, err := Serial(bad); err == nil {
			t.Errorf("Serial(%v) accepted", bad)
		}
	}
}

func TestBool(t *testing.T) {
	for _, s := range []string{"是", "Y", "y", "1", "true", "TRUE", "Yes"} {
		if v, err := Bool(s); err != nil || !v {
			t.Errorf("Bool(%q) = %v, %v; want true", s, v, err)
		}
	}
	for _, s := range []string{"否", "N", "n", "0", "false", "False", "NO"} {
		if v, err := Bool(s); err != nil || v {
			t.Errorf("Bool(%q) = %v, %v; want false", s, v, err)
		}
	}
	for _, s := range []string{"有", "2", "t", "ok"} {
		if _, err := Bool(s); !errors.Is(err, ErrBadBool) {
			t.Errorf("Bool(%q) accepted", s)
		}
	}
}

func TestNullTrimEnumID(t *testing.T) {
	for _, s := range []string{"", "-", "/", "NULL", "null", "N/A"} {
		if !IsNull(s) {
			t.Errorf("IsNull(%q) = false", s)
		}
	}
	for _, s := range []string{"Null", "n/a", "0", "无"} {
		if IsNull(s) {
			t.Errorf("IsNull(%q) = true", s)
		}
	}
	if got := Trim("\u3000 紧急\u00a0\t"); got != "紧急" {
		t.Errorf("Trim = %q", got)
	}
	if _, err := Enum("特急", []string{"紧急", "一般"}); !errors.Is(err, ErrBadEnum) {
		t.Errorf("Enum accepted a synonym")
	}
	if got := ID(" ＪＱ２０２４－００１\u3000"); got != "JQ2024-001" {
		t.Errorf("ID = %q, want JQ2024-001", got)
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-05-01 08:00:00", "2024/5/1 8:00", "2024年05月01日08时00分00秒",
		"20240501080000", "2024-05-01T08:00:00.123+08:00", "2024-05-01", "2024年5月1日", "9999-12-31T23:59:59Z"} {
		f.Add(s)
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	p := TimeParser{Zone: shanghai}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := p.Parse(s)
		if err != nil {
			return
		}
		// Property: formatting the result and parsing it again gives the same instant.
		again, err := p.Parse(got.Wall.Format("2006-01-02 15:04:05.999999999"))
		if err != nil {
			t.Fatalf("Parse(%q) = %v, but its formatting does not parse: %v", s, got.Wall, err)
		}
		if !again.Wall.Equal(got.Wall) {
			t.Fatalf("Parse(%q) = %v, re-parsed %v", s, got.Wall, again.Wall)
		}
		if got.Wall.Location() != time.UTC {
			t.Fatalf("Parse(%q) location %v, want UTC wall clock", s, got.Wall.Location())
		}
	})
}
