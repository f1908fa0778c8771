package reports

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fenliu/fenliu/metrics"
)

// How figures are written in the prose of a 通报, in the register of a
// government notice: 12,345起, 96.3%, 上升1.2个百分点, 持平, 不计算. Each writes a
// value the way a table of the same report shows it, so that every number of the
// text can be found in the report (tested).

// thousands writes a count with thousands separators: 12,345.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// percentText writes a rate as its table cell shows it (one decimal), or 不计算
// when it has no denominator.
func percentText(r metrics.Ratio) string {
	p := r.Rate()
	if p == nil {
		return "不计算"
	}
	return strconv.FormatFloat(*p*100, 'f', 1, 64) + "%"
}

// fractionText writes a fraction (a floor or a target) as a percentage, with as
// many decimals as it has.
func fractionText(v float64) string { return trimFloat(v*100) + "%" }

// pointsText writes a change in percentage points as the tables round it: 上升1.2个
// 百分点, 下降0.8个百分点, 持平 (0.0), or 不计算 when either side has no rate.
func pointsText(d *float64) string {
	if d == nil {
		return "不计算"
	}
	return changeWords(*d, "上升", "下降", "个百分点")
}

// percentChangeText writes a count's change in percent: 增长5.2%, 下降3.0%, 持平,
// or "" when the earlier count is 0.
func percentChangeText(d *float64) string {
	if d == nil {
		return ""
	}
	return changeWords(*d, "增长", "下降", "%")
}

// changeWords writes a change rounded to one decimal as the tables show it.
func changeWords(d float64, up, down, unit string) string {
	v := math.Round(d*10) / 10
	switch {
	case v > 0:
		return up + strconv.FormatFloat(v, 'f', 1, 64) + unit
	case v < 0:
		return down + strconv.FormatFloat(-v, 'f', 1, 64) + unit
	}
	return "持平"
}

// scoreText writes a score as the tables do: 92.13分.
func scoreText(v *float64) string {
	if v == nil {
		return "无得分"
	}
	return strconv.FormatFloat(*v, 'f', 2, 64) + "分"
}

// chineseDate writes a date as a notice is dated: 2024年6月20日.
func chineseDate(t time.Time) string {
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// chineseMoment writes T as the text states it: 2024年6月20日0时, 2024年6月20日8时,
// 2024年6月20日8时30分.
func chineseMoment(t time.Time) string {
	s := chineseDate(t)
	switch {
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0:
		return s + "0时"
	case t.Minute() == 0 && t.Second() == 0:
		return s + strconv.Itoa(t.Hour()) + "时"
	}
	return s + strconv.Itoa(t.Hour()) + "时" + strconv.Itoa(t.Minute()) + "分"
}

// chineseNumeral writes a small count in Chinese (一 … 十九), for the ordinal
// headings and the counts of a sentence that are not figures of the report.
func chineseNumeral(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n-10]
	case n < 100 && n%10 == 0:
		return digits[n/10] + "十"
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return strconv.Itoa(n)
}

// joinNames joins names as a list in a sentence: 甲、乙和丙.
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], "、") + "和" + names[len(names)-1]
}

// durationText writes a setting's duration as staff read it: 5分钟, 30分钟,
// 2小时, 1小时30分钟, 7天, 3天12小时, 90秒 — never Go's 5m0s or 168h0m0s.
func durationText(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	var b strings.Builder
	days, rest := d/(24*time.Hour), d%(24*time.Hour)
	hours, rest := rest/time.Hour, rest%time.Hour
	mins, rest := rest/time.Minute, rest%time.Minute
	secs := rest / time.Second
	for _, p := range []struct {
		n    time.Duration
		unit string
	}{{days, "天"}, {hours, "小时"}, {mins, "分钟"}, {secs, "秒"}} {
		if p.n > 0 {
			b.WriteString(strconv.FormatInt(int64(p.n), 10) + p.unit)
		}
	}
	return b.String()
}
