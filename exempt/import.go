package exempt

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/fenliu/fenliu/etl/parse"
	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/etl/source"
)

// The ledger's columns (SPEC §10), as a committee keeps its appeal ledger.
const (
	colOrder        = "工单编号"
	colCall         = "警情编号"
	colIndicators   = "核减指标"
	colReason       = "核减理由"
	colApprovedBy   = "审批人"
	colApprovedAt   = "审批时间"
	colRevokedAt    = "撤销时间"
	colRevokedBy    = "撤销人"
	colRevokeReason = "撤销理由"
)

// Reject is one ledger row that was not recorded.
type Reject struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

// ImportResult accounts for one ledger: Read = Added + Unchanged + Rejected.
type ImportResult struct {
	File      string   `json:"file"`
	SHA256    string   `json:"sha256"`
	Read      int      `json:"read"`
	Added     int      `json:"added"`
	Unchanged int      `json:"unchanged"`
	Rejected  int      `json:"rejected"`
	Rejects   []Reject `json:"rejects"`
}

// twinKey identifies an exemption by its parsed values, for "unchanged".
func twinKey(e Exemption) string {
	inds := make([]string, len(e.Indicators))
	for i, id := range e.Indicators {
		inds[i] = string(id)
	}
	slices.Sort(inds)
	return strings.Join([]string{string(e.Kind), e.RecordID, strings.Join(inds, ","), e.Reason, e.ApprovedBy,
		e.ApprovedAt.Format(time.DateTime)}, "\x00")
}

// Import records the exemptions of an appeal ledger (CSV in UTF-8 or GBK, or
// XLSX). now is the wall clock in zone, the zone of the ledger's times. A row
// identical to a stored exemption (in force or revoked) is unchanged; a 撤销时间 on
// it revokes the stored twin if that is not revoked yet. A ledger without an id
// column, 核减理由 or 审批人 is refused as a whole. The whole ledger is recorded in
// one transaction: a crash or an error mid-import records none of it.
func Import(ctx context.Context, db *sql.DB, path string, zone *time.Location, now time.Time, who string) (ImportResult, error) {
	var res ImportResult
	err := inTx(ctx, db, func(tx *sql.Tx) error {
		var err error
		res, err = importLedger(ctx, tx, path, zone, now, who)
		return err
	})
	return res, err
}

func importLedger(ctx context.Context, db *sql.Tx, path string, zone *time.Location, now time.Time, who string) (ImportResult, error) {
	res := ImportResult{File: path, Rejects: []Reject{}}
	sum, err := fileSHA256(path)
	if err != nil {
		return res, err
	}
	res.SHA256 = sum
	r, err := source.Open(path, source.Options{})
	if err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	defer r.Close()
	col := map[string]int{}
	for i, h := range r.Header() {
		col[norm.NFKC.String(parse.Trim(h))] = i
	}
	_, hasOrder := col[colOrder]
	_, hasCall := col[colCall]
	var missing []string
	if !hasOrder && !hasCall {
		missing = append(missing, colOrder+" 或 "+colCall)
	}
	for _, c := range []string{colReason, colApprovedBy} {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return res, fmt.Errorf("%s: line 1: the ledger has no column %s (its header: %s)", path,
			strings.Join(missing, ", "), strings.Join(r.Header(), ", "))
	}
	stored, err := List(ctx, db, true)
	if err != nil {
		return res, err
	}
	twins := map[string]Exemption{}
	for _, e := range stored {
		twins[twinKey(e)] = e
	}
	times := parse.TimeParser{Zone: zone}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, fmt.Errorf("%s: %w", path, err)
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec.Fields) {
				return rec.Fields[i]
			}
			return ""
		}
		res.Read++
		reject := func(err error) {
			var fe *FieldError
			if !errors.As(err, &fe) {
				fe = &FieldError{"", "", err.Error()}
			}
			res.Rejected++
			res.Rejects = append(res.Rejects, Reject{Line: rec.Line, Field: fe.Field, Value: pii.MaskText(fe.Value), Reason: fe.Reason})
		}
		if rec.Err != "" {
			reject(&FieldError{"order_id", "", "the row cannot be read: " + rec.Err})
			continue
		}
		e, revokedAt, err := ledgerRow(cell, times, r.Serials(), now)
		if err != nil {
			reject(err)
			continue
		}
		if err := check(ctx, db, &e, now); err != nil {
			reject(err)
			continue
		}
		twin, seen := twins[twinKey(e)]
		switch {
		case seen:
			res.Unchanged++
			if revokedAt != nil && twin.RevokedAt == nil {
				by, why := clean(cell(colRevokedBy)), clean(cell(colRevokeReason))
				if err := revoke(ctx, db, twin.ID, *revokedAt, or(by, e.ApprovedBy), or(why, "台账撤销"), now, who, path, rec.Line); err != nil {
					return res, err
				}
				twin.RevokedAt = revokedAt
				twins[twinKey(e)] = twin
			}
		default:
			id, err := insert(ctx, db, e, now, who, path, rec.Line)
			if err != nil {
				return res, err
			}
			e.ID = id
			if revokedAt != nil {
				by, why := clean(cell(colRevokedBy)), clean(cell(colRevokeReason))
				if err := revoke(ctx, db, id, *revokedAt, or(by, e.ApprovedBy), or(why, "台账撤销"), now, who, path, rec.Line); err != nil {
					return res, err
				}
				e.RevokedAt = revokedAt
			}
			twins[twinKey(e)] = e
			res.Added++
		}
	}
	return res, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ledgerRow parses one ledger row, first failing check first: ids, indicators,
// reason, approver, approved_at (then revoked_at).
func ledgerRow(cell func(string) string, times parse.TimeParser, serials bool, now time.Time) (Exemption, *time.Time, error) {
	var e Exemption
	order, call := parse.ID(cell(colOrder)), parse.ID(cell(colCall))
	switch {
	case order != "" && call != "":
		return e, nil, &FieldError{"order_id", order, "both 工单编号 and 警情编号 are filled: one row, one record"}
	case order == "" && call == "":
		return e, nil, &FieldError{"order_id", "", "neither 工单编号 nor 警情编号 is filled"}
	case call != "":
		e.Kind, e.RecordID = Call, call
	default:
		e.Kind, e.RecordID = Order, order
	}
	var err error
	if e.Indicators, err = ParseIndicators(e.Kind, norm.NFKC.String(cell(colIndicators))); err != nil {
		return e, nil, err
	}
	e.Reason, e.ApprovedBy = clean(cell(colReason)), clean(cell(colApprovedBy))
	if e.Reason == "" {
		return e, nil, &FieldError{"reason", "", "required"}
	}
	if e.ApprovedBy == "" {
		return e, nil, &FieldError{"approved_by", "", "required"}
	}
	e.ApprovedAt = now
	if s := parse.Trim(cell(colApprovedAt)); s != "" {
		t, err := ledgerTime(times, serials, s)
		if err != nil {
			return e, nil, &FieldError{"approved_at", s, "not a time (SPEC §2.4 forms, such as 2024-06-07 09:30)"}
		}
		e.ApprovedAt = t
	}
	var revokedAt *time.Time
	if s := parse.Trim(cell(colRevokedAt)); s != "" {
		t, err := ledgerTime(times, serials, s)
		if err != nil {
			return e, nil, &FieldError{"revoked_at", s, "not a time (SPEC §2.4 forms, such as 2024-06-07 09:30)"}
		}
		revokedAt = &t
	}
	return e, revokedAt, nil
}

// ledgerTime parses a time cell; a workbook's date cells may arrive as serials.
func ledgerTime(times parse.TimeParser, serials bool, s string) (time.Time, error) {
	if serials {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			t, err := parse.Serial(v)
			return t.Wall, err
		}
	}
	t, err := times.Parse(s)
	return t.Wall, err
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
