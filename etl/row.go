package etl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl/parse"
	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/etl/profile"
	"github.com/fenliu/fenliu/etl/source"
)

// Errors of a rejected row (RowError.Err).
var (
	ErrRequired   = errors.New("required field is empty")
	ErrOutOfRange = errors.New("timestamp out of range")
	ErrBadRow     = errors.New("row cannot be read")
)

// reasonZh is each rejection's reason in Chinese, as the staff who fix the
// export read it (the English stays in logs and JSON).
var reasonZh = map[error]string{
	ErrRequired:      "必填项为空",
	ErrOutOfRange:    "时间超出范围",
	ErrBadRow:        "该行无法读取",
	parse.ErrBadTime: "时间无法识别",
	parse.ErrBadBool: "是否值无法识别",
	parse.ErrBadEnum: "取值不在允许范围内",
}

// A RowError says why one input row was rejected: the first failing field in the
// field order of SPEC §2. Value is phone-masked.
type RowError struct {
	File, Field, Value string
	FieldZh            string // the field's Chinese header (SPEC §2), or 整行
	Line               int
	Err                error
	Detail             string // what a person can do about it
	DetailZh           string // Detail in Chinese
}

func (e *RowError) Error() string {
	return fmt.Sprintf("%s:%d: %s %q: %s", e.File, e.Line, e.Field, e.Value, e.Reason())
}

// Reason is the ledger's reason text.
func (e *RowError) Reason() string {
	if e.Detail != "" {
		return e.Err.Error() + ": " + e.Detail
	}
	return e.Err.Error()
}

// ReasonZh is Reason in Chinese.
func (e *RowError) ReasonZh() string {
	r := reasonZh[e.Err]
	if r == "" {
		r = e.Err.Error()
	}
	if e.DetailZh != "" {
		return r + "：" + e.DetailZh
	}
	return r
}

func (e *RowError) Unwrap() error { return e.Err }

// value is one parsed cell or derived column.
type value struct {
	s    string
	t    time.Time
	b    bool
	i    int64
	null bool
}

// rowParser parses the records of one file into output columns.
type rowParser struct {
	kind    profile.Kind
	fields  []profile.Field
	cols    []int // column index per field, -1 when the file has no such column
	values  []map[string]string
	nulls   map[string]bool
	times   parse.TimeParser
	serials bool
	secret  []byte
	keyer   *pii.Keyer
	minTime time.Time
	maxTime time.Time
	in      []value // parsed fields, reused
	present []bool  // parsed non-null, before defaults
	dateOnl []string
}

func newRowParser(m *profile.Mapping, serials bool, o *Options) *rowParser {
	p := &rowParser{
		kind:    m.Kind,
		fields:  profile.Fields(m.Kind),
		times:   parse.TimeParser{Zone: o.Zone, Layouts: m.Profile.TimeLayouts},
		serials: serials,
		secret:  o.Secret,
		keyer:   pii.NewKeyer(o.Secret),
		minTime: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		nulls:   map[string]bool{},
	}
	p.maxTime = domain.Wall(o.Now.In(o.zone()).Truncate(time.Second)).Add(24 * time.Hour)
	for _, n := range m.Profile.Nulls {
		p.nulls[n] = true
	}
	p.cols = make([]int, len(p.fields))
	p.values = make([]map[string]string, len(p.fields))
	for i, f := range p.fields {
		c, ok := m.Columns[f.Name]
		if !ok {
			c = -1
		}
		p.cols[i] = c
		p.values[i] = m.Profile.Values[f.Name]
	}
	p.in = make([]value, len(p.fields))
	p.present = make([]bool, len(p.fields))
	return p
}

// parse fills p.in from a record, or returns the first failing field.
func (p *rowParser) parse(rec source.Record) *RowError {
	if rec.Err != "" {
		return &RowError{Field: "(row)", FieldZh: "整行", Value: shownRow(rec.Fields), Line: rec.Line, Err: ErrBadRow, Detail: rec.Err, DetailZh: rec.ErrZh}
	}
	p.dateOnl = p.dateOnl[:0]
	for i, f := range p.fields {
		raw := ""
		if c := p.cols[i]; c >= 0 && c < len(rec.Fields) {
			raw = rec.Fields[c]
		}
		s := parse.Trim(raw)
		if vm := p.values[i]; vm != nil {
			if v, ok := vm[s]; ok {
				s = v
			} else if v, ok := vm["*"]; ok && s != "" {
				s = v
			}
		}
		v := value{}
		fail := func(err error, detail, detailZh string) *RowError {
			shown := raw
			if f.Type == profile.Phone {
				shown = pii.NewCaller(s, nil).Masked
			}
			return &RowError{Field: f.Name, FieldZh: f.Header, Value: pii.MaskText(shown), Line: rec.Line, Err: err, Detail: detail, DetailZh: detailZh}
		}
		switch f.Type {
		case profile.Text, profile.ID, profile.Phone:
			switch f.Type {
			case profile.ID:
				s = parse.ID(s)
			case profile.Text:
				// Every text field is stored masked (SPEC §2.6): a phone number
				// turns up in addresses, names and tags as well as in summaries.
				s = pii.MaskText(s)
			}
			v.s, v.null = s, s == ""
		case profile.Timestamp, profile.Enum, profile.Bool:
			if parse.IsNull(s) || p.nulls[s] {
				v.null = true
				break
			}
			switch f.Type {
			case profile.Timestamp:
				t, err := p.time(s)
				if err != nil {
					return fail(parse.ErrBadTime, "use a form such as 2024-05-01 08:00:00 (see docs/loading.md)",
						"请写成 2024-05-01 08:00:00 这样的形式（见 docs/loading.md）")
				}
				v.t = t.Wall
				if t.DateOnly {
					p.dateOnl = append(p.dateOnl, f.Name)
				}
				if f.Required && (v.t.Before(p.minTime) || v.t.After(p.maxTime)) {
					return fail(ErrOutOfRange, "must be from 2000-01-01 to one day after the load time",
						"应在 2000-01-01 至导入时刻后一天之间")
				}
			case profile.Enum:
				e, err := parse.Enum(s, f.Values)
				if err != nil {
					return fail(err, "want one of "+strings.Join(f.Values, " "), "应为以下之一："+strings.Join(f.Values, "、"))
				}
				v.s = e
			case profile.Bool:
				b, err := parse.Bool(s)
				if err != nil {
					return fail(err, "want 是/否, Y/N, 1/0, true/false or yes/no", "应为 是/否、Y/N、1/0、true/false 或 yes/no")
				}
				v.b = b
			}
		}
		if v.null && f.Required {
			what, whatZh := "fill it in the export", "请在导出文件中填写"
			if p.cols[i] < 0 {
				what, whatZh = "the file has no such column", "文件中没有这一列"
			}
			return fail(ErrRequired, what, whatZh)
		}
		p.in[i] = v
		p.present[i] = !v.null
	}
	return nil
}

// shownRow is an unreadable row as the ledger keeps it: its cells joined by
// commas, masked, at most 200 characters.
func shownRow(fields []string) string {
	s := pii.MaskText(strings.ToValidUTF8(strings.Join(fields, ","), "\uFFFD"))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

func (p *rowParser) time(s string) (parse.Time, error) {
	if p.serials && len(s) > 0 && (s[0] >= '0' && s[0] <= '9') {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f < parse.MaxSerial {
			return parse.Serial(f)
		}
	}
	return p.times.Parse(s)
}
