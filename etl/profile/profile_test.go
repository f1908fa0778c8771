package profile

import (
	"errors"
	"strings"
	"testing"
)

func TestBuiltins(t *testing.T) {
	ps := Builtins()
	if ps[0].Name != "default" {
		t.Fatalf("first built-in is %q, want default", ps[0].Name)
	}
	names := map[string]bool{}
	for _, p := range ps {
		names[p.Name] = true
	}
	for _, n := range []string{"boston311", "sffire-calls", "sffire-units"} {
		if !names[n] {
			t.Errorf("built-in profile %s missing", n)
		}
	}
	// The default profile maps every canonical field to its SPEC header first.
	for _, fs := range [][]Field{CallFields, OrderFields} {
		for _, f := range fs {
			if a := ps[0].Fields[f.Name]; len(a) == 0 || a[0] != f.Header {
				t.Errorf("default profile: %s → %q, want %q first", f.Name, a, f.Header)
			}
		}
	}
}

func TestMatch(t *testing.T) {
	def := Builtins()[0]
	tests := []struct {
		name     string
		header   []string
		kind     Kind
		wantKind Kind
		wantErr  string
	}{
		{"calls", []string{"\uFEFF警情编号", " 报警时间 ", "警情类别"}, "", Calls, ""},
		{"orders", []string{"工单编号", "派单时间", "承办单位", "警情编号"}, "", Orders, ""},
		{"orders_forced", []string{"工单编号", "派单时间", "承办单位"}, Orders, Orders, ""},
		{"both", []string{"警情编号", "报警时间", "警情类别", "工单编号", "派单时间", "承办单位"}, "", "", "fit both"},
		{"both_with_kind", []string{"警情编号", "报警时间", "警情类别", "工单编号", "派单时间", "承办单位"}, Calls, Calls, ""},
		{"missing", []string{"警情编号", "报警时间", "地址"}, "", "", `missing required columns category (警情类别 / 警情类型); headers found: "警情编号", "报警时间", "地址"`},
		{"missing_for_kind", []string{"警情编号", "报警时间", "警情类别"}, Orders, "", "order_id (工单编号 / 工单号), dispatched_at (派单时间 / 交办时间), department"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := def.Match(tc.header, tc.kind)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != tc.wantKind {
				t.Errorf("kind %s, want %s", m.Kind, tc.wantKind)
			}
		})
	}
	var me *MissingError
	_, err := def.Match([]string{"x"}, Calls)
	if !errors.As(err, &me) || len(me.Missing) != 3 {
		t.Errorf("MissingError %+v", err)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown_key", "name: x\nfieldz: {}\n", "line 2: field fieldz not found"},
		{"unknown_field", "name: x\nfields:\n  call_id: [a]\n  caller: [b]\n", `p.yaml:4: fields: unknown field "caller"`},
		{"bad_kind", "name: x\nkind: cases\nfields: {call_id: [a]}\n", `p.yaml:2: kind "cases"`},
		{"no_name", "fields: {call_id: [a]}\n", "name is required"},
		{"bad_name", "name: a b\nfields: {call_id: [a]}\n", `p.yaml:1: name "a b"`},
		{"empty_aliases", "name: x\nfields:\n  call_id: []\n", "p.yaml:3: fields: call_id has no header"},
		{"bad_encoding", "name: x\nencoding: latin1\nfields: {call_id: [a]}\n", `p.yaml:2: encoding "latin1"`},
		{"bad_values_field", "name: x\nfields: {call_id: [a]}\nvalues:\n  colour: {a: b}\n", `p.yaml:4: values: unknown field "colour"`},
		{"not_yaml", "name: [\n", "p.yaml: yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	p, err := Parse("p.yaml", []byte("name: ok\nkind: orders\ntime_layouts: [\"01/02/2006\"]\nfields: {order_id: [ID]}\nvalues: {status: {Open: 处置中}}\n"))
	if err != nil || p.Kind != Orders || p.Values["status"]["Open"] != "处置中" {
		t.Errorf("valid profile: %+v, %v", p, err)
	}
}

func FuzzProfile(f *testing.F) {
	f.Add([]byte("name: x\nfields:\n  call_id: [a]\n"))
	f.Add([]byte("name: boston\nkind: orders\nvalues: {status: {Closed: 已办结}}\nfields: {order_id: [A], dispatched_at: [B], department: [C]}\n"))
	f.Add([]byte("name: x\nfields: {call_id: [a, b], received_at: [c]}\nnulls: [\"-\"]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse("f.yaml", b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		// Property: an accepted profile has a name, maps only canonical fields, and
		// matching any header never panics and gives a mapping or a clear error.
		if p.Name == "" || len(p.Fields) == 0 {
			t.Fatalf("accepted an incomplete profile: %+v", p)
		}
		for f := range p.Fields {
			if !known(f) {
				t.Fatalf("accepted unknown field %q", f)
			}
		}
		var header []string
		for _, a := range p.Fields {
			header = append(header, a...)
		}
		if m, err := p.Match(header, ""); err == nil && m.Kind != Calls && m.Kind != Orders {
			t.Fatalf("mapping of kind %q", m.Kind)
		}
	})
}
