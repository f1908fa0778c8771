package metrics

import (
	"reflect"
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics/period"
)

// TestPasses holds the rule that shares a pass: wants that each cover at least
// half of the pass's span, at most queries.MaxSlots of them, in the order of
// their first want.
func TestPasses(t *testing.T) {
	month := period.OfMonth(2024, 11)
	year := period.Period{Kind: period.Month, Start: time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC), End: month.End}
	calendar := period.Period{Kind: period.Year, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	twelve := period.Period{Kind: period.Month, Start: calendar.Start, End: calendar.End}
	months24 := period.Period{Kind: period.Month, Start: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), End: calendar.End}
	months36 := period.Period{Kind: period.Month, Start: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), End: calendar.End}
	half := period.Period{Kind: period.Month, Start: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), End: calendar.End}
	before := period.Period{Kind: period.Month, Start: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), End: calendar.Start}
	nine := make([]Want, 9)
	for i := range nine {
		nine[i] = Want{Period: month, By: Groupings[i%len(Groupings)]}
	}
	for _, c := range []struct {
		name  string
		wants []Want
		want  [][]int
	}{
		{"one", []Want{{Period: month, By: ByTotal}}, [][]int{{0}}},
		{"the monthly: the month apart from its 12 months", []Want{{Period: month, By: ByTotal}, {Period: month, By: ByDepartment},
			{Period: month, By: ByTown}, {Period: month, By: ByCounty}, {Period: month, By: ByPoliceStation},
			{Period: year, By: ByTotal, Months: true}}, [][]int{{0, 1, 2, 3, 4}, {5}}},
		{"the annual: its year and its 12 months are one span", []Want{{Period: calendar, By: ByTotal}, {Period: calendar, By: ByDepartment},
			{Period: twelve, By: ByTotal, Months: true}, {Period: twelve, By: ByDepartment, Months: true}}, [][]int{{0, 1, 2, 3}}},
		{"interleaved spans keep each span's order", []Want{{Period: month, By: ByTotal}, {Period: year, By: ByTotal, Months: true},
			{Period: month, By: ByTown}, {Period: year, By: ByTown, Months: true}}, [][]int{{0, 2}, {1, 3}}},
		{"the trend: 24 months beside the 36 of the year before them", []Want{{Period: months36, By: ByTotal, Months: true},
			{Period: months36, By: ByCounty, Months: true}, {Period: months24, By: ByCategory, Months: true},
			{Period: months24, By: ByDepartment, Months: true}}, [][]int{{0, 1, 2, 3}}},
		{"half the span is enough", []Want{{Period: calendar, By: ByTotal}, {Period: half, By: ByTotal}}, [][]int{{0, 1}}},
		{"a want that would stretch the span past twice another's starts its own", []Want{{Period: calendar, By: ByTotal},
			{Period: half, By: ByTown}, {Period: before, By: ByTotal}}, [][]int{{0, 1}, {2}}},
		{"more than MaxSlots of one span", nine, [][]int{{0, 1, 2, 3, 4, 5, 6, 7}, {8}}},
	} {
		if got := passes(c.wants); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: passes %v, want %v", c.name, got, c.want)
		}
	}
}
