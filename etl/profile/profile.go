// Package profile maps the columns of a foreign export onto fenliu's canonical
// fields (SPEC §2). A profile is a YAML file: header aliases per field, and
// optionally the kind, sheet, encoding, delimiter, extra timestamp layouts, extra
// null markers and value maps. Built-in profiles are embedded; users add their own.
package profile

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/fenliu/fenliu/etl/pii"
)

// Profile is one mapping profile. The zero value maps nothing.
type Profile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Kind fixes the kind of export; empty: detected from the headers.
	Kind Kind `yaml:"kind"`
	// Encoding of CSV files: "" or "auto" (BOM, then UTF-8 check, else GB18030),
	// "utf-8" or "gb18030" (GBK is read as GB18030, its superset).
	Encoding string `yaml:"encoding"`
	// Sheet of an XLSX file; empty: the first sheet.
	Sheet string `yaml:"sheet"`
	// Delimiter of CSV files; empty: a comma.
	Delimiter string `yaml:"delimiter"`
	// HeaderRow is the line (CSV) or sheet row (XLSX) of the header; SkipRows
	// skips that many rows before it. Both 0: the header is found among the first
	// rows, as the first row that maps the required fields (titles above it are
	// skipped).
	HeaderRow int `yaml:"header_row"`
	SkipRows  int `yaml:"skip_rows"`
	// TimeLayouts are Go reference-time layouts tried before the built-in forms,
	// for example "01/02/2006 03:04:05 PM" for US exports.
	TimeLayouts []string `yaml:"time_layouts"`
	// Nulls are extra null markers for timestamp, enum and bool fields, for example
	// a sentinel date such as "01/01/1900 12:00:00 AM".
	Nulls []string `yaml:"nulls"`
	// Fields maps a canonical field name to the headers it may have, tried in order.
	// "报警时间#2" is the second column headed 报警时间, for files that repeat a header.
	Fields map[string][]string `yaml:"fields"`
	// Values maps, per field, an exported value to the canonical one before parsing;
	// the key "*" maps every value not listed. A mapped empty string is a null.
	Values map[string]map[string]string `yaml:"values"`
}

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtins returns the built-in profiles, "default" first, then by name.
func Builtins() []*Profile {
	names, _ := fs.Glob(builtinFS, "builtin/*.yaml")
	var ps []*Profile
	for _, n := range names {
		b, _ := builtinFS.ReadFile(n)
		p, err := Parse(path.Base(n), b)
		if err != nil {
			panic("profile: built-in " + err.Error())
		}
		ps = append(ps, p)
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if (ps[i].Name == "default") != (ps[j].Name == "default") {
			return ps[i].Name == "default"
		}
		return ps[i].Name < ps[j].Name
	})
	return ps
}

// LoadFile reads a user profile.
func LoadFile(name string) (*Profile, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return Parse(name, b)
}

// Parse decodes and validates a profile. Errors name the file and the line.
func Parse(file string, b []byte) (*Profile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	line := func(keys ...string) int { return lineOf(&root, keys...) }
	if p.Name == "" {
		return nil, fmt.Errorf("%s: name is required", file)
	}
	for _, r := range p.Name {
		if !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return nil, fmt.Errorf("%s:%d: name %q: use letters, digits, - and _ only", file, line("name"), p.Name)
		}
	}
	switch p.Kind {
	case "", Calls, Orders:
	default:
		return nil, fmt.Errorf("%s:%d: kind %q: want calls or orders", file, line("kind"), p.Kind)
	}
	switch strings.ToLower(p.Encoding) {
	case "", "auto", "utf-8", "utf8", "gb18030", "gbk":
	default:
		return nil, fmt.Errorf("%s:%d: encoding %q: want auto, utf-8 or gb18030", file, line("encoding"), p.Encoding)
	}
	if len([]rune(p.Delimiter)) > 1 {
		return nil, fmt.Errorf("%s:%d: delimiter %q: want one character", file, line("delimiter"), p.Delimiter)
	}
	switch {
	case p.HeaderRow < 0:
		return nil, fmt.Errorf("%s:%d: header_row %d: want the line of the header, from 1", file, line("header_row"), p.HeaderRow)
	case p.SkipRows < 0:
		return nil, fmt.Errorf("%s:%d: skip_rows %d: must not be negative", file, line("skip_rows"), p.SkipRows)
	case p.HeaderRow > 0 && p.SkipRows > 0:
		return nil, fmt.Errorf("%s:%d: give header_row or skip_rows, not both", file, line("skip_rows"))
	}
	if len(p.Fields) == 0 {
		return nil, fmt.Errorf("%s: fields: map at least one canonical field to its headers", file)
	}
	for f, aliases := range p.Fields {
		if !known(f) {
			return nil, fmt.Errorf("%s:%d: fields: unknown field %q (see SPEC §2 for the canonical names)", file, line("fields", f), f)
		}
		if len(aliases) == 0 {
			return nil, fmt.Errorf("%s:%d: fields: %s has no header", file, line("fields", f), f)
		}
	}
	for f := range p.Values {
		if !known(f) {
			return nil, fmt.Errorf("%s:%d: values: unknown field %q", file, line("values", f), f)
		}
	}
	return &p, nil
}

// lineOf finds the line of a key path in a decoded YAML document (0 if absent).
func lineOf(n *yaml.Node, keys ...string) int {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// maxHeader is the longest header cell (in bytes) that is matched against aliases.
const maxHeader = 256

// Mapping says, for one file, which column holds each canonical field.
type Mapping struct {
	Kind    Kind
	Profile *Profile
	Columns map[string]int // canonical field → column index
}

// MissingError is a file that lacks required columns. It names them and the
// headers found, so a person can fix the export or the profile.
type MissingError struct {
	Kind    Kind
	Profile string
	Missing []string // "call_id (警情编号)"
	Found   []string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("profile %q does not fit these headers as %s: missing required columns %s; headers found: %s",
		e.Profile, e.Kind, strings.Join(e.Missing, ", "), strings.Join(e.Found, ", "))
}

// ErrAmbiguous is returned when the headers fit both kinds and the profile does not say.
var ErrAmbiguous = errors.New("the headers fit both calls and orders: give --kind")

// HeaderLine is the line the profile fixes for the header, or 0 when it is to be
// found: header_row, or the first row after skip_rows.
func (p *Profile) HeaderLine() (line int, exact bool) {
	switch {
	case p.HeaderRow > 0:
		return p.HeaderRow, true
	case p.SkipRows > 0:
		return p.SkipRows + 1, false
	}
	return 0, false
}

// DuplicateError is a header that names more than one column, mapped to a field
// without saying which column (a "#N" alias does).
type DuplicateError struct {
	Profile, Field, Header string
	Columns                []int // 1-based
}

func (e *DuplicateError) Error() string {
	cols := make([]string, len(e.Columns))
	for i, c := range e.Columns {
		cols[i] = fmt.Sprint(c)
	}
	return fmt.Sprintf("the header %q (%s) heads columns %s: say which in a mapping profile, e.g. fields: %s: [\"%s#2\"] for the second",
		e.Header, e.Field, strings.Join(cols, " and "), e.Field, e.Header)
}

// Match maps a header row. kind may be empty to detect it from the headers. The
// error is a *MissingError, a *DuplicateError or ErrAmbiguous.
func (p *Profile) Match(header []string, kind Kind) (*Mapping, error) {
	if kind == "" {
		kind = p.Kind
	}
	if kind != "" {
		return p.match(header, kind)
	}
	mc, errC := p.match(header, Calls)
	mo, errO := p.match(header, Orders)
	switch {
	case errC == nil && errO == nil:
		return nil, ErrAmbiguous
	case errC == nil:
		return mc, nil
	case errO == nil:
		return mo, nil
	}
	// Neither fits: report against the kind that is closer.
	if Missing(errC) < Missing(errO) {
		return nil, errC
	}
	return nil, errO
}

// Missing is how many required columns an error of Match says are missing: 0 for
// a duplicate (the row is a header), a large number for anything else.
func Missing(err error) int {
	var me *MissingError
	var de *DuplicateError
	switch {
	case errors.As(err, &me):
		return len(me.Missing)
	case errors.As(err, &de):
		return 0
	}
	return 1 << 30
}

// alias splits "报警时间#2" into the header and the occurrence (1 when absent).
func alias(a string) (string, int) {
	if i := strings.LastIndexByte(a, '#'); i > 0 {
		var n int
		if _, err := fmt.Sscanf(a[i+1:], "%d", &n); err == nil && n > 0 && fmt.Sprint(n) == a[i+1:] {
			return a[:i], n
		}
	}
	return a, 0
}

func (p *Profile) match(header []string, kind Kind) (*Mapping, error) {
	idx := map[string][]int{}
	fold := map[string][]int{}
	for i, h := range header {
		if len(h) > maxHeader {
			continue // no alias is that long: a broken file, not a header
		}
		h = strings.TrimFunc(h, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
		idx[h] = append(idx[h], i)
		fold[strings.ToLower(h)] = append(fold[strings.ToLower(h)], i)
	}
	m := &Mapping{Kind: kind, Profile: p, Columns: map[string]int{}}
	var missing []string
	var dup *DuplicateError
	for _, f := range Fields(kind) {
		col := -1
		for _, a := range p.Fields[f.Name] {
			name, nth := alias(a)
			cols, ok := idx[name]
			if !ok {
				cols, ok = fold[strings.ToLower(name)]
			}
			if !ok {
				continue
			}
			switch {
			case nth == 0 && len(cols) > 1:
				if dup == nil {
					dup = &DuplicateError{Profile: p.Name, Field: f.Name, Header: name}
					for _, c := range cols {
						dup.Columns = append(dup.Columns, c+1)
					}
				}
				col = cols[0]
			case nth == 0:
				col = cols[0]
			case nth <= len(cols):
				col = cols[nth-1]
			default:
				continue
			}
			break
		}
		if col >= 0 {
			m.Columns[f.Name] = col
		} else if f.Required {
			want := f.Name
			if a := p.Fields[f.Name]; len(a) > 0 {
				want += " (" + strings.Join(a, " / ") + ")"
			}
			missing = append(missing, want)
		}
	}
	if missing != nil {
		return nil, &MissingError{Kind: kind, Profile: p.Name, Missing: missing, Found: Shown(header)}
	}
	if dup != nil {
		return nil, dup
	}
	return m, nil
}

// Shown is a header row as messages show it: each cell quoted, masked like free
// text (a data row taken for a header holds phone numbers), cut to 40 characters,
// at most 60 cells.
func Shown(header []string) []string {
	found := make([]string, 0, len(header))
	for i, h := range header {
		if i == 60 {
			found = append(found, fmt.Sprintf("… (%d more)", len(header)-i))
			break
		}
		if n := utf8.RuneCountInString(h); n > 40 {
			cut := 0
			for k := 0; k < 40; k++ {
				_, size := utf8.DecodeRuneInString(h[cut:])
				cut += size
			}
			h = h[:cut] + fmt.Sprintf("… (%d characters)", n)
		}
		found = append(found, fmt.Sprintf("%q", pii.MaskText(h)))
	}
	return found
}
