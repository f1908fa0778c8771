package etl

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl/parse"
	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/etl/profile"
	"github.com/fenliu/fenliu/etl/source"
	"github.com/fenliu/fenliu/queries"
)

// LoadDictionaries replaces the department and category dictionaries in db with the
// contents of two CSV files (UTF-8 or GBK): departments `name, aliases (|
// separated), kind, county` and categories `category, nature`. Either path may be
// empty to leave that dictionary empty. When both are what is stored already
// (every scheduled load), nothing is written. Errors name the file, line and value.
func LoadDictionaries(ctx context.Context, db *sql.DB, departments, categories string) error {
	type dept struct{ name, alias, kind, county string }
	type cat struct{ name, nature string }
	var ds []dept
	var cs []cat
	if departments != "" {
		err := readDict(departments, []string{"name", "aliases", "kind", "county"}, func(line int, f []string) error {
			name := parse.Trim(f[0])
			if name == "" {
				return fmt.Errorf("%s:%d: name is empty", filepath.Base(departments), line)
			}
			kind := parse.Trim(f[2])
			if _, err := parse.Enum(kind, domain.Names(domain.DeptKinds)); err != nil {
				return fmt.Errorf("%s:%d: kind %q: want one of %s", filepath.Base(departments), line, kind, strings.Join(domain.Names(domain.DeptKinds), " "))
			}
			county := parse.Trim(f[3])
			ds = append(ds, dept{name, name, kind, county})
			for _, a := range strings.Split(f[1], "|") {
				if a = parse.Trim(a); a != "" && a != name {
					ds = append(ds, dept{name, a, kind, county})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if categories != "" {
		err := readDict(categories, []string{"category", "nature"}, func(line int, f []string) error {
			c, n := parse.Trim(f[0]), parse.Trim(f[1])
			if c == "" {
				return fmt.Errorf("%s:%d: category is empty", filepath.Base(categories), line)
			}
			if _, err := parse.Enum(n, domain.Names(domain.Natures)); err != nil {
				return fmt.Errorf("%s:%d: nature %q: want 警务 or 非警务", filepath.Base(categories), line, n)
			}
			cs = append(cs, cat{c, n})
			return nil
		})
		if err != nil {
			return err
		}
	}
	// The rows as dict_rows.sql lists them: a load that brings the same
	// dictionaries (every scheduled load does) writes nothing.
	var want [][5]string
	for _, d := range ds {
		want = append(want, [5]string{"d", d.name, d.alias, d.kind, d.county})
	}
	for _, c := range cs {
		want = append(want, [5]string{"c", c.name, c.nature, "", ""})
	}
	slices.SortFunc(want, func(a, b [5]string) int { return slices.Compare(a[:], b[:]) })
	had, err := storedDictionaries(ctx, db)
	if err != nil {
		return err
	}
	if slices.Equal(had, want) {
		return nil
	}
	var names, aliases, kinds, counties, cats, natures []string
	for _, d := range ds {
		names, aliases, kinds, counties = append(names, d.name), append(aliases, d.alias), append(kinds, d.kind), append(counties, d.county)
	}
	for _, c := range cs {
		cats, natures = append(cats, c.name), append(natures, c.nature)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, st := range []struct {
		q    queries.Statement
		args []any
	}{{queries.DictClear, nil}, {queries.DictDepartment, []any{names, aliases, kinds, counties}}, {queries.DictCategory, []any{cats, natures}}} {
		if _, err := tx.ExecContext(ctx, st.q.SQL, st.args...); err != nil {
			return fmt.Errorf("%s: %w", st.q.Name, err)
		}
	}
	return tx.Commit()
}

// storedDictionaries reads both dictionaries as load/dict_rows.sql lists them.
func storedDictionaries(ctx context.Context, db *sql.DB) ([][5]string, error) {
	rows, err := db.QueryContext(ctx, queries.DictRows.SQL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", queries.DictRows.Name, err)
	}
	defer rows.Close()
	var out [][5]string
	for rows.Next() {
		var r [5]string
		if err := rows.Scan(&r[0], &r[1], &r[2], &r[3], &r[4]); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// readDict reads a dictionary CSV whose header must hold cols (in any order).
func readDict(path string, cols []string, row func(line int, f []string) error) error {
	src, err := source.Open(path, source.Options{})
	if err != nil {
		return fmt.Errorf("dictionary %s: %w", path, err)
	}
	defer src.Close()
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, h := range src.Header() {
			if strings.EqualFold(parse.Trim(strings.TrimPrefix(h, "\uFEFF")), c) {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return fmt.Errorf("dictionary %s: missing column %q; headers found: %s", path, c, strings.Join(profile.Shown(src.Header()), ", "))
		}
	}
	f := make([]string, len(cols))
	for {
		rec, err := src.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("dictionary %s: %w", path, err)
		}
		if rec.Err != "" {
			return fmt.Errorf("%s:%d: %s", filepath.Base(path), rec.Line, rec.Err)
		}
		for i, j := range idx {
			f[i] = ""
			if j < len(rec.Fields) {
				// Names are stored and shown: masked like any free text (SPEC §2.6).
				f[i] = pii.MaskText(rec.Fields[j])
			}
		}
		if err := row(rec.Line, f); err != nil {
			return err
		}
	}
}
