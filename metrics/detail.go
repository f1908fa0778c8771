package metrics

import (
	"context"
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
type Detail struct {
	Limit int
	Lists map[domain.IndicatorID]map[string]*DetailList
}

// DetailList is one indicator's detail for one group.
type DetailList struct {
	// States counts the members in each state against the group (Against);
	// the others are filtered out before they are read.
	States  map[State]int64
	Members []Member // the first Limit that count against the group
	Against []State  // the states listed, in order
	shelf   map[State][]Member
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

// List returns the group's list of an indicator, or nil.
func (d *Detail) List(id domain.IndicatorID, key string) *DetailList {
	if d == nil {
		return nil
	}
	return d.Lists[id][key]
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
// of the facts, keeping at most limit members not in num per group (0: all).
func (s *Store) Detail(ctx context.Context, q Query, ids []domain.IndicatorID, limit int) (*Detail, error) {
	d := &Detail{Limit: limit, Lists: map[domain.IndicatorID]map[string]*DetailList{}}
	for _, id := range ids {
		d.Lists[id] = map[string]*DetailList{}
	}
	err := s.explain(ctx, q, ids, "", true, limit, func(id domain.IndicatorID, key string, st State, n int64, member func() Member) error {
		l := d.Lists[id][key]
		if l == nil {
			l = &DetailList{States: map[State]int64{}, Against: Against(id), shelf: map[State][]Member{}}
			for _, st := range l.Against {
				l.shelf[st] = []Member{}
			}
			d.Lists[id][key] = l
		}
		shelf, against := l.shelf[st]
		if !against { // a member in good standing, read because it stands against another indicator
			return nil
		}
		l.States[st] += n
		// Members come by key then id: the first limit of each state are the ones shown.
		if limit == 0 || len(shelf) < limit {
			l.shelf[st] = append(shelf, member())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, byKey := range d.Lists {
		for _, l := range byKey {
			for _, st := range l.Against {
				l.Members = append(l.Members, l.shelf[st]...)
			}
			if limit > 0 && len(l.Members) > limit {
				l.Members = l.Members[:limit]
			}
			l.shelf = nil
		}
	}
	return d, nil
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
