package metrics_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/exempt"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

// TestExplainAddsUpToTheFigures: for every indicator, grouping, period kind and
// as-of time, the members explain lists add up to what Compute counts (SPEC §9):
// count(num) + count(partial) + count(den) = den, count(num) + credit ×
// count(partial) = num, count(pending) = pending; and they are sorted by key, id.
func TestExplainAddsUpToTheFigures(t *testing.T) {
	db := loadFixture(t, generated(t))
	ctx := context.Background()
	// Decided appeals on one record in seven, each from a pseudo-random part of its
	// kind's indicators, approved three days after the record and one in five
	// revoked seventeen days later: in force at some T and not at others.
	for _, q := range []string{`INSERT INTO exemptions SELECT row_number() OVER (), 'order', order_id,
			list_filter(['sign_rate', 'arrival_rate', 'closure_rate', 'resolution_rate', 'satisfaction_rate', 'return_rate'], x -> hash(order_id || x) % 2 = 0),
			'错派', '张三', dispatched_at + INTERVAL 3 DAY, CASE WHEN hash(order_id) % 5 = 0 THEN dispatched_at + INTERVAL 20 DAY END, NULL, NULL
		FROM orders WHERE hash(order_id) % 7 = 0`,
		`INSERT INTO exemptions SELECT 1000000 + row_number() OVER (), 'call', call_id,
			list_filter(['repeat_rate', 'diversion_ratio', 'nonpolice_diversion_ratio'], x -> hash(call_id || x) % 2 = 0),
			'重复派单', '李四', received_at + INTERVAL 3 DAY, CASE WHEN hash(call_id) % 5 = 0 THEN received_at + INTERVAL 20 DAY END, NULL, NULL
		FROM calls WHERE hash(call_id) % 7 = 0`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	listed, exempted := 0, 0
	for _, pa := range []struct{ p, asOf string }{{"2024-03", "2024-03-20"}, {"2024-03", "2024-07-01"}, {"2024-W10", "2024-03-09 12:00"}, {"2024-Q1", "2024-04-03"}} {
		per, _ := period.Parse(pa.p)
		at, _ := period.ParseAsOf(pa.asOf)
		for _, by := range metrics.Groupings {
			q := metrics.Query{Period: per, AsOf: at, By: by}
			s := metrics.New(db, metrics.DefaultConfig(), nil)
			res, err := s.Compute(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range metrics.Indicators {
				members, err := s.Explain(ctx, q, in.ID, "")
				if err != nil {
					t.Fatalf("%s %s %s: %v", pa.p, by, in.ID, err)
				}
				if !sort.SliceIsSorted(members, func(i, j int) bool {
					if members[i].Key != members[j].Key {
						return members[i].Key < members[j].Key
					}
					return members[i].ID < members[j].ID
				}) {
					t.Errorf("%s %s %s: not sorted by key, id", pa.p, by, in.ID)
				}
				listed += len(members)
				type tally struct{ num, partial, den, pending, exempt int64 }
				got := map[string]*tally{}
				for _, m := range members {
					if got[m.Key] == nil {
						got[m.Key] = &tally{}
					}
					switch m.State {
					case metrics.StateNum:
						got[m.Key].num++
					case metrics.StatePartial:
						got[m.Key].partial++
					case metrics.StateDen:
						got[m.Key].den++
					case metrics.StatePending:
						got[m.Key].pending++
					case metrics.StateExempt:
						got[m.Key].exempt++
						exempted++
					}
					if m.Reason == "" || m.Times == nil {
						t.Fatalf("%s %s %s %s: no reason or times", pa.p, by, in.ID, m.ID)
					}
				}
				for _, g := range res.Groups {
					want, c := g.Indicators[in.ID], got[g.Key]
					if c == nil {
						c = &tally{}
					}
					credit := metrics.DefaultConfig().PartialCredit
					if c.num+c.partial+c.den != want.Den || float64(c.num)+credit*float64(c.partial) != want.Num || c.pending != want.Pending || c.exempt != want.Exempt {
						t.Errorf("%s as of %s by %s, %s %q: explain %+v, metrics %+v", pa.p, pa.asOf, by, in.ID, g.Key, *c, want)
					}
					delete(got, g.Key)
				}
				for k, c := range got {
					t.Errorf("%s by %s, %s: explain lists group %q (%+v) that metrics has not", pa.p, by, in.ID, k, *c)
				}
			}
		}
	}
	if listed < 100000 || exempted < 1000 {
		t.Errorf("only %d members listed, %d exempted: the test checks little", listed, exempted)
	}
}

// TestExplainReasons: the boundary fixture's sign states read as a department
// would check them.
func TestExplainReasons(t *testing.T) {
	db := loadFixture(t, "testdata/boundary")
	per, _ := period.Parse("2024-05")
	q := metrics.Query{Period: per, AsOf: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), By: metrics.ByDepartment}
	members, err := metrics.New(db, metrics.DefaultConfig(), nil).Explain(context.Background(), q, metrics.SignRate, "市场监管局")
	if err != nil {
		t.Fatal(err)
	}
	if len(members) == 0 {
		t.Fatal("no members")
	}
	seen := map[metrics.State]bool{}
	for _, m := range members {
		if m.Key != "市场监管局" {
			t.Errorf("key %q under --key 市场监管局", m.Key)
		}
		seen[m.State] = true
		switch m.State {
		case metrics.StateNum:
			if !containsAll(m.Reason, "签收用时", "未超过时限") {
				t.Errorf("%s num: %q", m.ID, m.Reason)
			}
		case metrics.StateDen:
			if !containsAny(m.Reason, "超过时限", "时限", "顺序异常") {
				t.Errorf("%s den: %q", m.ID, m.Reason)
			}
		}
	}
	if !seen[metrics.StateNum] || !seen[metrics.StateDen] {
		t.Errorf("states %v: the fixture's 市场监管局 has signed and late orders", seen)
	}
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{42*time.Minute + 12*time.Second, "42分12秒"}, {30 * time.Minute, "30分"}, {3*time.Hour + 5*time.Minute, "3小时5分"}, {7 * 24 * time.Hour, "7天"}, {50 * time.Hour, "2天2小时"}, {12 * time.Second, "12秒"}} {
		if got := metrics.Span(c.d); got != c.want {
			t.Errorf("Span(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !contains(s, x) {
			return false
		}
	}
	return true
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if contains(s, x) {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestExplainGolden: every member of every indicator of the hand-built boundary
// fixture (SPEC §3's boundaries, each derived by hand in metrics_test.go), with its
// state and reason word for word, at a T when most windows have closed (and two
// records are exempted from every indicator), and at two inside the month when
// many are open — every state of every indicator appears. A change of a rule or of a reason shows in
// the diff of testdata/explain.golden.
func TestExplainGolden(t *testing.T) {
	db := loadFixture(t, "testdata/boundary")
	// Decided appeals: O06 out of every order indicator, C01 out of every call
	// indicator, from 1 June: exempt at the first T, not yet at the others.
	approved := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	for _, e := range []exempt.Exemption{
		{Kind: exempt.Order, RecordID: "O06", Indicators: exempt.Indicators(exempt.Order), Reason: "错派，应由交通运输局承办", ApprovedBy: "张三", ApprovedAt: approved},
		{Kind: exempt.Call, RecordID: "C01", Indicators: exempt.Indicators(exempt.Call), Reason: "重复派单", ApprovedBy: "李四", ApprovedAt: approved},
	} {
		if _, err := exempt.Add(context.Background(), db, e, approved.Add(time.Hour), "test"); err != nil {
			t.Fatal(err)
		}
	}
	per, _ := period.Parse("2024-05")
	var b strings.Builder
	// At 08:20 on 21 May O07 (dispatched 08:10) waits for its sign and arrival windows.
	for _, asOf := range []time.Time{time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC),
		time.Date(2024, 5, 21, 8, 20, 0, 0, time.UTC)} {
		for _, in := range metrics.Indicators {
			q := metrics.Query{Period: per, AsOf: asOf, By: metrics.ByTotal}
			members, err := metrics.New(db, metrics.DefaultConfig(), nil).Explain(context.Background(), q, in.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "== %s as of %s\n", in.ID, asOf.Format("2006-01-02 15:04"))
			for _, m := range members {
				fmt.Fprintf(&b, "%s\t%s\t%s\n", m.ID, m.State, m.Reason)
			}
		}
	}
	path := filepath.Join("testdata", "explain.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != b.String() {
		t.Errorf("explain changed (go test ./metrics -run TestExplainGolden -update to accept):\n%s", b.String())
	}
}

// TestExplainStream: the streamed JSON is byte for byte the document's, for an
// empty list and for one with rows (and markup in a reason); a streamed CSV row is
// the document's.
func TestExplainStream(t *testing.T) {
	db := loadFixture(t, "testdata/boundary")
	per, _ := period.Parse("2024-05")
	q := metrics.Query{Period: per, AsOf: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), By: metrics.ByDepartment}
	members, err := metrics.New(db, metrics.DefaultConfig(), nil).Explain(context.Background(), q, metrics.SignRate, "")
	if err != nil || len(members) < 3 {
		t.Fatalf("%d members: %v", len(members), err)
	}
	members[1].Reason += " <b>&</b>"
	for _, m := range members {
		if got, want := metrics.MemberCSV(m), metrics.NewMemberDoc(m).CSV(); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("MemberCSV %v, want %v", got, want)
		}
	}
	for _, ms := range [][]metrics.Member{nil, members} {
		var want, got bytes.Buffer
		if err := metrics.NewExplainDoc(q, metrics.SignRate, "住建局", ms).WriteJSON(&want); err != nil {
			t.Fatal(err)
		}
		s, err := metrics.NewExplainStream(&got, q, metrics.SignRate, "住建局")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if err := s.Row(m); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d rows: streamed\n%s\nwant\n%s", len(ms), got.String(), want.String())
		}
	}
}

// A detail of at most L members per unit, read as the first L of each set of orders
// that stand alike (explain/orders.sql), is the full detail cut: the same counts
// of every state, and the same first members, in the same order, with the same
// reasons — at a T where windows are open and with exemptions in force.
func TestDetailLimitedIsTheFullDetailCut(t *testing.T) {
	db := loadFixture(t, generated(t))
	ctx := context.Background()
	if _, err := db.Exec(`INSERT INTO exemptions SELECT row_number() OVER (), 'order', order_id,
			list_filter(['sign_rate', 'arrival_rate', 'closure_rate', 'resolution_rate', 'satisfaction_rate', 'return_rate'], x -> hash(order_id || x) % 2 = 0),
			'错派', '张三', dispatched_at + INTERVAL 3 DAY, NULL, NULL, NULL
		FROM orders WHERE hash(order_id) % 9 = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO exemptions SELECT 1000000 + row_number() OVER (), 'call', call_id,
			list_filter(['repeat_rate', 'diversion_ratio', 'nonpolice_diversion_ratio'], x -> hash(call_id || x) % 2 = 0),
			'重复派单', '李四', received_at + INTERVAL 2 DAY, NULL, NULL, NULL
		FROM calls WHERE hash(call_id) % 7 = 0`); err != nil {
		t.Fatal(err)
	}
	ids := []domain.IndicatorID{"sign_rate", "arrival_rate", "closure_rate", "resolution_rate", "satisfaction_rate", "return_rate", "repeat_rate",
		"diversion_ratio", "nonpolice_diversion_ratio"}
	per, _ := period.Parse("2024-03")
	for _, credit := range []float64{0, 0.5} {
		cfg := metrics.DefaultConfig()
		cfg.PartialCredit = credit
		spoolDir := t.TempDir()
		store := metrics.New(db, cfg, nil).WithTempDir(spoolDir)
		for _, by := range []metrics.By{metrics.ByDepartment, metrics.ByTown} {
			for _, asOf := range []string{"2024-03-25", "2024-06-01"} {
				at, _ := period.ParseAsOf(asOf)
				q := metrics.Query{Period: per, AsOf: at, By: by}
				full, err := store.Detail(ctx, q, ids, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer full.Close()
				if left, _ := os.ReadDir(spoolDir); len(left) != 0 {
					t.Errorf("the spool left %d files in its folder while open", len(left))
				}
				// The full detail, read back from its spool, is explain's
				// members against each group: by state in the order of
				// Against, then by id.
				fullLists := map[domain.IndicatorID]map[string][]metrics.Member{}
				for _, id := range ids {
					explained, err := store.Explain(ctx, q, id, "")
					if err != nil {
						t.Fatal(err)
					}
					fullLists[id] = map[string][]metrics.Member{}
					for _, st := range metrics.Against(id) {
						for _, m := range explained {
							if m.State == st {
								fullLists[id][m.Key] = append(fullLists[id][m.Key], m)
							}
						}
					}
					for key, want := range fullLists[id] {
						got, err := full.List(id, key).Head(0)
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("%s %s by %s at %s: the spooled list (%d) is not explain's (%d)", id, key, by, asOf, len(got), len(want))
						}
					}
					for key, l := range full.Lists[id] {
						if n := int64(len(fullLists[id][key])); l.Listable() != n {
							t.Errorf("%s %s by %s at %s: %d listable, explain has %d against", id, key, by, asOf, l.Listable(), n)
						}
						if l.Held() != 0 { // a year of a province would not fit (6 GB at 10 M calls)
							t.Errorf("%s %s by %s at %s: the full detail holds %d members in memory", id, key, by, asOf, l.Held())
						}
					}
				}
				for _, limit := range []int{1, 4} {
					cut, err := store.Detail(ctx, q, ids, limit)
					if err != nil {
						t.Fatal(err)
					}
					for _, id := range ids {
						if len(cut.Lists[id]) != len(full.Lists[id]) {
							t.Fatalf("%s by %s at %s: %d units listed, want %d", id, by, asOf, len(cut.Lists[id]), len(full.Lists[id]))
						}
						for key, f := range full.Lists[id] {
							c := cut.List(id, key)
							if !reflect.DeepEqual(c.States, f.States) {
								t.Errorf("%s %s by %s at %s, limit %d: states %v, want %v", id, key, by, asOf, limit, c.States, f.States)
							}
							// The full list cut: the first limit of each state, in the order of Against, then limit in all.
							var want []metrics.Member
							for _, st := range f.Against {
								n := 0
								for _, m := range fullLists[id][key] {
									if m.State == st && n < limit {
										want, n = append(want, m), n+1
									}
								}
							}
							if len(want) > limit {
								want = want[:limit]
							}
							got, err := c.Head(0)
							if err != nil {
								t.Fatal(err)
							}
							for _, st := range c.Against {
								n := int64(0)
								for _, m := range got {
									if m.State == st {
										n++
									}
								}
								if c.Listed(st) != n {
									t.Errorf("%s %s, limit %d: Listed(%s) %d, Each yields %d", id, key, limit, st, c.Listed(st), n)
								}
							}
							if !reflect.DeepEqual(got, want) {
								t.Errorf("%s %s by %s at %s, limit %d: members differ from the full list cut", id, key, by, asOf, limit)
							}
						}
					}
				}
			}
		}
	}
}
