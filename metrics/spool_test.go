package metrics

import (
	"bufio"
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/domain"
)

// A spool gives back each group's run of each (indicator, state) as written,
// whatever the interleaving of the files, and refuses a group that comes back
// after another: its members would not be one run.
func TestSpoolRuns(t *testing.T) {
	s := newSpool(t.TempDir())
	defer s.close()
	at := time.Date(2024, 6, 3, 8, 30, 0, 0, time.UTC)
	member := func(id string, times ...string) Member {
		m := Member{ID: id, Reason: "签收用时 " + id, Times: map[string]time.Time{}}
		for i, n := range times {
			m.Times[n] = at.Add(time.Duration(i) * time.Hour)
		}
		return m
	}
	type add struct {
		id  domain.IndicatorID
		st  State
		key string
		m   Member
	}
	adds := []add{
		{SignRate, StateDen, "住建局", member("O1", "dispatched_at")},
		{SignRate, StatePending, "住建局", member("O2", "dispatched_at", "sign_end")},
		{SignRate, StateDen, "住建局", member("O3")},
		{ClosureRate, StateDen, "住建局", member("O1", "dispatched_at", "due_at", "done_at")},
		{SignRate, StateDen, "交通局", member("O4", "dispatched_at")},
		{SignRate, StatePending, "人社局", member("O5", "dispatched_at")},
	}
	spans := map[[3]string]span{}
	for _, a := range adds {
		sp, err := s.add(a.id, a.st, a.key, a.m)
		if err != nil {
			t.Fatal(err)
		}
		spans[[3]string{string(a.id), string(a.st), a.key}] = sp
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	for k, sp := range spans {
		var want []Member
		for _, a := range adds {
			if [3]string{string(a.id), string(a.st), a.key} == k {
				m := a.m
				m.Key, m.State = a.key, a.st
				want = append(want, m)
			}
		}
		var got []Member
		if err := sp.each(State(k[1]), func(m Member) error { got = append(got, m); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v: read back %+v, want %+v", k, got, want)
		}
	}
	if _, err := s.add(SignRate, StateDen, "住建局", member("O9")); err == nil || !strings.Contains(err.Error(), "out of order") {
		t.Errorf("a group back after another: %v", err)
	}
}

// A spool read back is a member or an error, never a panic, whatever its bytes;
// a member written is read back whole.
func FuzzReadMember(f *testing.F) {
	f.Add("O1", "超过签收时限", "dispatched_at", int64(1717400000), []byte{})
	f.Add("", "", "", int64(0), []byte{3, 'a', 'b'})
	f.Add("C-2024-0001", "重复报警", "received_at", int64(-62135596800), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, id, reason, name string, unix int64, junk []byte) {
		if _, err := newMemberReader(bufio.NewReader(bytes.NewReader(junk))).member(); err == nil && len(junk) == 0 {
			t.Error("a member read from nothing")
		}
		m := Member{ID: id, Reason: reason, Times: map[string]time.Time{name: time.Unix(unix, 0).UTC()}}
		got, err := newMemberReader(bufio.NewReader(bytes.NewReader(appendMember(nil, m)))).member()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("read back %+v, want %+v", got, m)
		}
	})
}

// A member spool gives its members back whole, group and state included, in the
// order added, each time it is read; its file is gone from the folder at once.
func TestMemberSpool(t *testing.T) {
	dir := t.TempDir()
	s, err := NewMemberSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2024, 6, 3, 8, 30, 0, 0, time.UTC)
	want := []Member{
		{ID: "O2", Key: "住建局", State: StateDen, Reason: "签收用时 42分12秒", Times: map[string]time.Time{"dispatched_at": at, "sign_end": at.Add(time.Hour)}},
		{ID: "O1", Key: "", State: StateExempt, Reason: "", Times: map[string]time.Time{}},
		{ID: "C9", Key: "城关镇", State: StatePending, Reason: "待定", Times: map[string]time.Time{"received_at": at}},
	}
	for _, m := range want {
		if err := s.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the spool's file is in its folder: %v", left)
	}
	for range 2 {
		var got []Member
		if err := s.Each(func(m Member) error { got = append(got, m); return nil }); err != nil {
			t.Fatal(err)
		}
		if s.Len() != int64(len(want)) || !reflect.DeepEqual(got, want) {
			t.Errorf("read back %d: %+v, want %+v", s.Len(), got, want)
		}
	}
}
