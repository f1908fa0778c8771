package metrics

import (
	"context"
	"errors"
	"sort"

	"github.com/fenliu/fenliu/domain"
)

// Detail is what a scorecard links its scored cells to (SPEC §9 in a report):
// for each indicator and group key, how many members of the population stand in
// each state, and the members that count against the group — for a rate where
// higher is better den, partial, pending and exempt; where lower is better (the
// repeat rate) num, pending and exempt; in that order, then by id — at most Limit
// of them (0: all).
// The states come from the same scan as `explain` (one definition), so a list
// and its counts add up to the figures.
//
// A capped detail holds its members in memory. A full one (Limit 0: a year of a
// province is millions of members, 5–6 GB as Go values) writes them to a
// spool on disk as they come and reads each list back when it is drawn; Close
// releases the spool.
type Detail struct {
	Limit int
	Lists map[domain.IndicatorID]map[string]*DetailList
	spool *spool
}

// DetailList is one indicator's detail for one group.
type DetailList struct {
	// States counts the members in each state against the group (Against);
	// the others are filtered out before they are read.
	States  map[State]int64
	Against []State // the states listed, in order
	limit   int
	shelf   map[State][]Member // in memory: the first limit of each state
	spans   map[State]span     // on the spool: every member of each state
}

// ListOf is a detail list held in memory: members (of one group, sorted by id)
// in the states against indicator id, each listed — what a test or a caller
// that has the members already builds.
func ListOf(id domain.IndicatorID, members []Member) *DetailList {
	l := &DetailList{States: map[State]int64{}, Against: Against(id), shelf: map[State][]Member{}}
	for _, m := range members {
		l.States[m.State]++
		l.shelf[m.State] = append(l.shelf[m.State], m)
	}
	return l
}

// Listable is how many members count against the group: the list's length
// without a limit.
func (l *DetailList) Listable() int64 {
	if l == nil {
		return 0
	}
	var n int64
	for _, st := range l.Against {
		n += l.States[st]
	}
	return n
}

// Listed is how many members in state st Each yields: all of them, or those
// within the detail's limit.
func (l *DetailList) Listed(st State) int64 {
	if l == nil {
		return 0
	}
	if l.spans != nil {
		return l.spans[st].n
	}
	var n, before int64
	for _, s := range l.Against {
		k := int64(len(l.shelf[s]))
		if l.limit > 0 {
			k = max(0, min(k, int64(l.limit)-before))
		}
		if s == st {
			n = k
		}
		before += k
	}
	return n
}

// errStop ends Each early without an error (Head).
var errStop = errors.New("metrics: stop")

// Each yields the members listed, in the order of Against, then by id: the
// first Limit of the list, or all of them. An error from yield ends it and is
// returned; a spool that cannot be read is an error.
func (l *DetailList) Each(yield func(Member) error) error {
	if l == nil {
		return nil
	}
	left := l.limit
	for _, st := range l.Against {
		if sp, ok := l.spans[st]; ok {
			if err := sp.each(st, yield); err != nil {
				return err
			}
			continue
		}
		for _, m := range l.shelf[st] {
			if l.limit > 0 && left == 0 {
				return nil
			}
			left--
			if err := yield(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// Head is the first n members listed (n ≤ 0: all).
func (l *DetailList) Head(n int) ([]Member, error) {
	var out []Member
	err := l.Each(func(m Member) error {
		if n > 0 && len(out) == n {
			return errStop
		}
		out = append(out, m)
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// List returns the group's list of an indicator, or nil.
func (d *Detail) List(id domain.IndicatorID, key string) *DetailList {
	if d == nil {
		return nil
	}
	return d.Lists[id][key]
}

// Close releases a full detail's spool; its lists cannot be read after.
func (d *Detail) Close() error {
	if d == nil || d.spool == nil {
		return nil
	}
	return d.spool.close()
}

// Against are the states that count against a group on the indicator, in the
// order a detail list shows them.
func Against(id domain.IndicatorID) []State {
	if in, _ := IndicatorByID(id); in.LowerBetter {
		return []State{StateNum, StatePending, StateExempt}
	}
	return []State{StateDen, StatePartial, StatePending, StateExempt}
}

// Detail explains the indicators for every group of the query on one preparation
// of the facts, keeping at most limit members not in num per group (0: all, on
// a spool in the store's temporary folder).
func (s *Store) Detail(ctx context.Context, q Query, ids []domain.IndicatorID, limit int) (d *Detail, err error) {
	d = &Detail{Limit: limit, Lists: map[domain.IndicatorID]map[string]*DetailList{}}
	for _, id := range ids {
		d.Lists[id] = map[string]*DetailList{}
	}
	if limit == 0 {
		d.spool = newSpool(s.tempDir)
		defer func() {
			if err != nil {
				d.Close()
			}
		}()
	}
	err = s.explain(ctx, q, ids, "", true, limit, func(id domain.IndicatorID, key string, st State, n int64, member func() Member) error {
		l := d.Lists[id][key]
		if l == nil {
			l = &DetailList{States: map[State]int64{}, Against: Against(id), limit: limit, shelf: map[State][]Member{}}
			if d.spool != nil {
				l.spans = map[State]span{}
			}
			d.Lists[id][key] = l
		}
		if !inStates(st, l.Against) { // a member in good standing, read because it stands against another indicator
			return nil
		}
		l.States[st] += n
		if d.spool != nil {
			// Members come by key then id, each indicator's in one scan: a list's
			// members of one state are one run of their (indicator, state) file.
			sp, err := d.spool.add(id, st, key, member())
			if err != nil {
				return err
			}
			l.spans[st] = sp
			return nil
		}
		// The first limit of each state are the ones shown.
		if shelf := l.shelf[st]; len(shelf) < limit {
			l.shelf[st] = append(shelf, member())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if d.spool != nil {
		if err := d.spool.flush(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func inStates(st State, in []State) bool {
	for _, s := range in {
		if s == st {
			return true
		}
	}
	return false
}

// Keys are the groups of an indicator's detail, sorted.
func (d *Detail) Keys(id domain.IndicatorID) []string {
	var out []string
	for k := range d.Lists[id] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
