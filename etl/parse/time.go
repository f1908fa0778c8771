package parse

import (
	"github.com/fenliu/fenliu/domain"
	"math"
	"strings"
	"time"
)

// Time is a parsed timestamp: the local wall-clock time in the configured zone,
// carried in a time.Time whose location is UTC (fenliu stores naive TIMESTAMPs; a
// non-UTC time.Time would be shifted by the driver, see docs/loading.md).
//
// DateOnly is set when the value held a date without a time (00:00:00 is used).
type Time struct {
	Wall     time.Time
	DateOnly bool
}

// TimeParser parses the timestamp forms of SPEC §2.4, plus any extra layouts a
// mapping profile gives (Go reference-time layouts, tried first). Values with an
// explicit offset or Z are converted to Zone. The zero TimeParser uses UTC as Zone.
type TimeParser struct {
	Zone    *time.Location
	Layouts []string
}

// Parse parses one trimmed, non-null cell.
func (p TimeParser) Parse(s string) (Time, error) {
	for _, l := range p.Layouts {
		t, err := time.ParseInLocation(l, s, time.UTC)
		if err == nil {
			if hasZone(l) {
				t = p.wall(t)
			}
			if t.Year() < 1 || t.Year() > 9999 {
				return Time{}, ErrBadTime
			}
			return Time{Wall: t}, nil
		}
	}
	return p.builtin(s)
}

func hasZone(layout string) bool {
	return strings.Contains(layout, "Z07") || strings.Contains(layout, "-07") || strings.Contains(layout, "MST")
}

// wall converts an instant with a known offset to wall-clock time in the zone.
func (p TimeParser) wall(t time.Time) time.Time {
	z := p.Zone
	if z == nil {
		z = time.UTC
	}
	return domain.Wall(t.In(z))
}

// scanner walks a timestamp string.
type scanner struct {
	s string
	i int
}

func (c *scanner) digits(min, max int) (int, bool) {
	n, v := 0, 0
	for c.i < len(c.s) && n < max && c.s[c.i] >= '0' && c.s[c.i] <= '9' {
		v = v*10 + int(c.s[c.i]-'0')
		c.i++
		n++
	}
	return v, n >= min
}

func (c *scanner) lit(l string) bool {
	if strings.HasPrefix(c.s[c.i:], l) {
		c.i += len(l)
		return true
	}
	return false
}

func (c *scanner) done() bool { return c.i == len(c.s) }

// builtin parses the forms of SPEC §2.4 and §8:
//
//	2024-05-01 08:00:00, 2024-05-01 08:00, 2024-05-01T08:00:00[.fff][Z|±hh:mm]
//	2024/5/1 8:00[:00], 2024年5月1日 08:00[:00], 2024年05月01日08时00分[00秒]
//	20240501080000, and a date alone: 2024-05-01, 2024/5/1, 2024年5月1日.
//
// Month, day and hour may be unpadded in every form.
func (p TimeParser) builtin(s string) (Time, error) {
	if len(s) == 14 && allDigits(s) {
		c := scanner{s: s}
		y, _ := c.digits(4, 4)
		mo, _ := c.digits(2, 2)
		d, _ := c.digits(2, 2)
		h, _ := c.digits(2, 2)
		mi, _ := c.digits(2, 2)
		se, _ := c.digits(2, 2)
		return build(y, mo, d, h, mi, se, 0, false)
	}
	c := scanner{s: s}
	y, ok := c.digits(4, 4)
	if !ok {
		return Time{}, ErrBadTime
	}
	var sep2, dateEnd string
	switch {
	case c.lit("-"):
		sep2 = "-"
	case c.lit("/"):
		sep2 = "/"
	case c.lit("年"):
		sep2, dateEnd = "月", "日"
	default:
		return Time{}, ErrBadTime
	}
	mo, ok := c.digits(1, 2)
	if !ok || !c.lit(sep2) {
		return Time{}, ErrBadTime
	}
	d, ok := c.digits(1, 2)
	if !ok || (dateEnd != "" && !c.lit(dateEnd)) {
		return Time{}, ErrBadTime
	}
	if c.done() {
		return build(y, mo, d, 0, 0, 0, 0, true)
	}
	// Separator between date and time: T (ISO form only), spaces, or nothing after 日.
	switch {
	case sep2 == "-" && c.lit("T"):
	case c.lit(" "):
		for c.lit(" ") {
		}
	case dateEnd != "":
	default:
		return Time{}, ErrBadTime
	}
	h, ok := c.digits(1, 2)
	if !ok {
		return Time{}, ErrBadTime
	}
	var mi, se, nsec int
	switch {
	case c.lit(":"):
		if mi, ok = c.digits(2, 2); !ok {
			return Time{}, ErrBadTime
		}
		if c.lit(":") {
			if se, ok = c.digits(2, 2); !ok {
				return Time{}, ErrBadTime
			}
			if c.lit(".") {
				start := c.i
				f, ok := c.digits(1, 9)
				if !ok {
					return Time{}, ErrBadTime
				}
				for n := c.i - start; n < 9; n++ {
					f *= 10
				}
				nsec = f
			}
		}
	case c.lit("时"):
		if mi, ok = c.digits(1, 2); !ok || !c.lit("分") {
			return Time{}, ErrBadTime
		}
		if !c.done() {
			if se, ok = c.digits(1, 2); !ok || !c.lit("秒") {
				return Time{}, ErrBadTime
			}
		}
	default:
		return Time{}, ErrBadTime
	}
	if c.done() {
		return build(y, mo, d, h, mi, se, nsec, false)
	}
	// An explicit offset (ISO form only).
	if sep2 != "-" {
		return Time{}, ErrBadTime
	}
	var off int
	switch {
	case c.lit("Z"):
	case c.s[c.i] == '+' || c.s[c.i] == '-':
		sign := 1
		if c.s[c.i] == '-' {
			sign = -1
		}
		c.i++
		oh, ok := c.digits(2, 2)
		if !ok {
			return Time{}, ErrBadTime
		}
		c.lit(":")
		om, ok := c.digits(2, 2)
		if !ok || oh > 14 || om > 59 {
			return Time{}, ErrBadTime
		}
		off = sign * (oh*3600 + om*60)
	default:
		return Time{}, ErrBadTime
	}
	if !c.done() {
		return Time{}, ErrBadTime
	}
	t, err := build(y, mo, d, h, mi, se, nsec, false)
	if err != nil {
		return t, err
	}
	inst := time.Date(y, time.Month(mo), d, h, mi, se, nsec, time.FixedZone("", off))
	w := p.wall(inst)
	if w.Year() > 9999 || w.Year() < 1 {
		return Time{}, ErrBadTime // converted past the years a timestamp can be written with
	}
	return Time{Wall: w}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func build(y, mo, d, h, mi, se, nsec int, dateOnly bool) (Time, error) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return Time{}, ErrBadTime
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, nsec, time.UTC)
	if t.Day() != d { // 2024-02-30 and the like
		return Time{}, ErrBadTime
	}
	return Time{Wall: t, DateOnly: dateOnly}, nil
}

// MaxSerial is the largest XLSX 1900-system date serial (9999-12-31).
const MaxSerial = 2958466

// Serial converts an XLSX 1900-system date serial to wall-clock time, rounded to the
// nearest second (SPEC §8). Serials 60 and below follow Excel's fictitious
// 1900-02-29, which is irrelevant here: such dates are rejected as too early.
func Serial(v float64) (Time, error) {
	if math.IsNaN(v) || v < 0 || v >= MaxSerial {
		return Time{}, ErrBadTime
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	secs := math.Round(v * 86400)
	t := base.Add(time.Duration(secs) * time.Second)
	return Time{Wall: t, DateOnly: v == math.Trunc(v)}, nil
}
