package metrics

import (
	"context"
	"time"

	"github.com/fenliu/fenliu/queries"
)

// SetRepeatHash defines derive/repeat_hash.sql's macro as def (a SQL expression of
// key and category) for the refreshes until the returned func restores it: the
// tests make every hash collide on purpose.
func SetRepeatHash(def string) (restore func()) {
	old := repeatHash
	repeatHash = queries.Statement{Name: "derive/repeat_hash (test)", SQL: "CREATE OR REPLACE TEMP MACRO repeat_hash(key, category) AS " + def + ";"}
	return func() { repeatHash = old }
}

// ReadSettled sets whether the computations read the settled figures, until the
// returned func restores it: the tests count every month from the records to
// compare.
func ReadSettled(read bool) (restore func()) {
	old := readSettled
	readSettled = read
	return func() { readSettled = old }
}

// SettledMonthsAt counts the months from first, up to twelve, that a computation
// at T would read from the settled figures.
func (s *Store) SettledMonthsAt(ctx context.Context, asof time.Time, first time.Time) (int, error) {
	usable, err := s.settledMonths(ctx, asof)
	if err != nil {
		return 0, err
	}
	n := 0
	for m := first; m.Before(first.AddDate(1, 0, 0)); m = m.AddDate(0, 1, 0) {
		if usable(m) {
			n++
		}
	}
	return n, nil
}

// SettledGroupings are the groupings kept settled, each compared by the tests.
func SettledGroupings() []By { return append([]By(nil), settledGroupings...) }

// Held is how many members a detail list holds in memory (a full detail's wait
// on its spool).
func (l *DetailList) Held() int {
	n := 0
	for _, s := range l.shelf {
		n += len(s)
	}
	return n
}
