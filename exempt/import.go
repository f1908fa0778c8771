package exempt

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl/parse"
	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/etl/source"
	"github.com/fenliu/fenliu/queries"
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

// fieldColumn names each field of an exemption by the ledger column it comes from.
var fieldColumn = map[string]string{
	"order_id": colOrder, "call_id": colCall, "indicators": colIndicators, "reason": colReason,
	"approved_by": colApprovedBy, "approved_at": colApprovedAt, "revoked_at": colRevokedAt,
	"revoked_by": colRevokedBy, "revoke_reason": colRevokeReason, "exemption": "核减记录",
}

// Reject is one ledger row that was not recorded: the field by its English id and
// by its ledger column, the reason in English and in Chinese.
type Reject struct {
	Line     int    `json:"line"`
	Field    string `json:"field"`
	Value    string `json:"value"`
	Reason   string `json:"reason"`
	FieldZh  string `json:"field_zh"`
	ReasonZh string `json:"reason_zh"`
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
	sum, err := source.SHA256(path)
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
	// Pass 1: parse every row; the rows that parse wait for their records' times.
	type row struct {
		line      int
		e         Exemption
		revokedAt *time.Time
		by, why   string
	}
	var rows []row
	reject := func(line int, err error) {
		var fe *FieldError
		if !errors.As(err, &fe) {
			fe = &FieldError{"", "", err.Error(), err.Error()}
		}
		res.Rejected++
		zh := fe.ReasonZh
		if zh == "" {
			zh = fe.Reason
		}
		res.Rejects = append(res.Rejects, Reject{Line: line, Field: fe.Field, Value: pii.MaskText(fe.Value), Reason: fe.Reason,
			FieldZh: fieldColumn[fe.Field], ReasonZh: zh})
	}
	times := parse.TimeParser{Zone: zone}
	var orderIDs, callIDs []string
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
		if rec.Err != "" {
			reject(rec.Line, &FieldError{"order_id", "", "the row cannot be read: " + rec.Err, "该行无法读取：" + rec.ErrZh})
			continue
		}
		e, revokedAt, err := ledgerRow(cell, times, r.Serials(), now)
		if err != nil {
			reject(rec.Line, err)
			continue
		}
		if e.Kind == Call {
			callIDs = append(callIDs, e.RecordID)
		} else {
			orderIDs = append(orderIDs, e.RecordID)
		}
		rows = append(rows, row{rec.Line, e, revokedAt, clean(cell(colRevokedBy)), clean(cell(colRevokeReason))})
	}
	// The records' times, in one query.
	recordAt := map[string]time.Time{}
	trs, err := db.QueryContext(ctx, queries.ExemptRecordTimes.SQL, orderIDs, callIDs)
	if err != nil {
		return res, fmt.Errorf("%s: %w", queries.ExemptRecordTimes.Name, err)
	}
	for trs.Next() {
		var kind, id string
		var at time.Time
		if err := trs.Scan(&kind, &id, &at); err != nil {
			trs.Close()
			return res, err
		}
		recordAt[kind+"\x00"+id] = at
	}
	trs.Close()
	if err := trs.Err(); err != nil {
		return res, err
	}
	// Pass 2, in ledger order: check, then unchanged (a stored twin or an earlier
	// row) or new; the new ones are inserted together, then the revocations done.
	type revocation struct {
		key     string
		at      time.Time
		by, why string
		line    int
	}
	var fresh []row
	var revocations []revocation
	for _, rw := range rows {
		at, found := recordAt[string(rw.e.Kind)+"\x00"+rw.e.RecordID]
		if err := checkRecord(&rw.e, at, found, now); err != nil {
			reject(rw.line, err)
			continue
		}
		key := twinKey(rw.e)
		if _, seen := twins[key]; seen {
			res.Unchanged++
		} else {
			twins[key] = rw.e // ID 0: inserted below
			fresh = append(fresh, rw)
			res.Added++
		}
		if rw.revokedAt != nil {
			revocations = append(revocations, revocation{key, *rw.revokedAt, or(rw.by, rw.e.ApprovedBy), or(rw.why, "台账撤销"), rw.line})
		}
	}
	slices.SortStableFunc(res.Rejects, func(a, b Reject) int { return a.Line - b.Line })
	if len(fresh) > 0 {
		n := len(fresh)
		kinds, ids, inds, reasons, approvers, ats := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		order, lines, details := make([]int64, n), make([]int64, n), make([]string, n)
		for i, rw := range fresh {
			e := rw.e
			kinds[i], ids[i], reasons[i], approvers[i], ats[i] = string(e.Kind), e.RecordID, e.Reason, e.ApprovedBy, e.ApprovedAt.Format(time.DateTime)
			names := make([]string, len(e.Indicators))
			for k, id := range e.Indicators {
				names[k] = string(id)
			}
			inds[i], order[i], lines[i] = strings.Join(names, ","), int64(i), int64(rw.line)
			details[i] = auditDetail(e, names)
		}
		irs, err := db.QueryContext(ctx, queries.ExemptInsertMany.SQL, kinds, ids, inds, reasons, approvers, ats, order)
		if err != nil {
			return res, fmt.Errorf("%s: %w", queries.ExemptInsertMany.Name, err)
		}
		idOf := map[string]int64{}
		for irs.Next() {
			var e Exemption
			var kind, inds string
			if err := irs.Scan(&e.ID, &kind, &e.RecordID, &inds, &e.Reason, &e.ApprovedBy, &e.ApprovedAt); err != nil {
				irs.Close()
				return res, err
			}
			e.Kind = Kind(kind)
			for _, i := range strings.Split(inds, ",") {
				e.Indicators = append(e.Indicators, domain.IndicatorID(i))
			}
			idOf[twinKey(e)] = e.ID
			twins[twinKey(e)] = e
		}
		irs.Close()
		if err := irs.Err(); err != nil {
			return res, err
		}
		auditIDs := make([]int64, n)
		for i, rw := range fresh {
			if auditIDs[i] = idOf[twinKey(rw.e)]; auditIDs[i] == 0 {
				return res, fmt.Errorf("%s: line %d: inserted, but not returned", queries.ExemptInsertMany.Name, rw.line)
			}
		}
		if _, err := db.ExecContext(ctx, queries.ExemptAuditMany.SQL, now, "import", auditIDs, who, path, lines, details); err != nil {
			return res, fmt.Errorf("%s: %w", queries.ExemptAuditMany.Name, err)
		}
	}
	for _, rv := range revocations {
		if twin := twins[rv.key]; twin.RevokedAt == nil {
			if err := revoke(ctx, db, twin.ID, rv.at, rv.by, rv.why, now, who, path, rv.line); err != nil {
				return res, err
			}
			twin.RevokedAt = &rv.at
			twins[rv.key] = twin
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
		return e, nil, &FieldError{"order_id", order, "both 工单编号 and 警情编号 are filled: one row, one record", "工单编号和警情编号都填了：一行只能核减一条记录"}
	case order == "" && call == "":
		return e, nil, &FieldError{"order_id", "", "neither 工单编号 nor 警情编号 is filled", "工单编号和警情编号都没有填"}
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
		return e, nil, &FieldError{"reason", "", "required", "必填"}
	}
	if e.ApprovedBy == "" {
		return e, nil, &FieldError{"approved_by", "", "required", "必填"}
	}
	e.ApprovedAt = now
	if s := parse.Trim(cell(colApprovedAt)); s != "" {
		t, err := ledgerTime(times, serials, s)
		if err != nil {
			return e, nil, &FieldError{"approved_at", s, "not a time (SPEC §2.4 forms, such as 2024-06-07 09:30)", "时间无法识别（应写成 2024-06-07 09:30 这样的形式）"}
		}
		e.ApprovedAt = t
	}
	var revokedAt *time.Time
	if s := parse.Trim(cell(colRevokedAt)); s != "" {
		t, err := ledgerTime(times, serials, s)
		if err != nil {
			return e, nil, &FieldError{"revoked_at", s, "not a time (SPEC §2.4 forms, such as 2024-06-07 09:30)", "时间无法识别（应写成 2024-06-07 09:30 这样的形式）"}
		}
		switch {
		case t.Before(e.ApprovedAt):
			return e, nil, &FieldError{"revoked_at", s, "before the approval (审批时间 " + e.ApprovedAt.Format(time.DateTime) + ")",
				"早于审批时间（" + e.ApprovedAt.Format(time.DateTime) + "）"}
		case t.After(now):
			return e, nil, &FieldError{"revoked_at", s, "in the future", "晚于当前时间"}
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
