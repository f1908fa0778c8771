// Package exempt keeps the decided appeals (核减, SPEC §10): an exemption takes one
// record — an order or a call — out of the base of the named indicators while it is
// in force (approved by T, not revoked by T). Figures apply them as of T
// (queries/indicators/exemptions.sql); this package records them, checks them,
// revokes them, and keeps every add and revocation in an append-only audit trail.
// Nothing is deleted.
package exempt

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl/parse"
	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/queries"
)

// Kind is the kind of record an exemption is on.
type Kind string

// The record kinds.
const (
	Order Kind = "order"
	Call  Kind = "call"
)

// Indicators lists the indicators a record of a kind can belong to (SPEC §10).
func Indicators(k Kind) []domain.IndicatorID {
	if k == Call {
		return []domain.IndicatorID{domain.RepeatRate, domain.DiversionRatio, domain.NonpoliceDiversionRatio}
	}
	return []domain.IndicatorID{domain.SignRate, domain.ArrivalRate, domain.ClosureRate, domain.ResolutionRate,
		domain.SatisfactionRate, domain.ReturnRate}
}

// Exemption is one decided appeal.
type Exemption struct {
	ID           int64
	Kind         Kind
	RecordID     string
	Indicators   []domain.IndicatorID
	Reason       string
	ApprovedBy   string
	ApprovedAt   time.Time // wall clock
	RevokedAt    *time.Time
	RevokedBy    string
	RevokeReason string
}

// FieldError is an exemption that cannot be recorded: the field, its value and
// why, in English (errors, JSON) and in Chinese (ReasonZh, what the committee's
// staff read in the import's rejects).
type FieldError struct {
	Field, Value, Reason, ReasonZh string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Field, pii.MaskText(e.Value), e.Reason)
}

// ParseIndicators reads a list of indicators, ids or Chinese names separated by
// 、 or commas; empty or "all" is every indicator of the kind. An indicator of the
// other kind is an error.
func ParseIndicators(k Kind, s string) ([]domain.IndicatorID, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "all") {
		return Indicators(k), nil
	}
	var out []domain.IndicatorID
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		found, ok := domain.IndicatorNamed(item)
		switch {
		case !ok:
			return nil, &FieldError{"indicators", item, "not an indicator of SPEC §3 (an id such as sign_rate, or its name such as 签收率)", "不是考评指标（应为 签收率 这样的指标名称，或 sign_rate 这样的代码）"}
		case !contains(Indicators(k), found):
			return nil, &FieldError{"indicators", item, map[Kind]string{Order: "does not apply to an order", Call: "does not apply to a call"}[k],
				map[Kind]string{Order: "该指标不按工单计算，不能核减工单", Call: "该指标不按警情计算，不能核减警情"}[k]}
		}
		if !contains(out, found) {
			out = append(out, found)
		}
	}
	if len(out) == 0 {
		return Indicators(k), nil
	}
	return out, nil
}

func contains(ids []domain.IndicatorID, id domain.IndicatorID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// clean removes all Unicode white space around a free-text value and masks the
// phone-number-like digit runs in it: a reason may quote a caller, and no raw
// number is ever stored (SPEC §2.6).
func clean(s string) string { return pii.MaskText(strings.TrimFunc(s, unicode.IsSpace)) }

// querier is what the steps below need of a *sql.DB or a *sql.Tx: Add and Revoke
// run each in a transaction of their own, Import all its rows in one.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// inTx runs f in a transaction and commits it when f succeeds.
func inTx(ctx context.Context, db *sql.DB, f func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Add records an exemption after checking it: the record must be loaded, the
// reason and the approver given, and approved_at neither later than now + 1 day
// nor earlier than the record's own time. now is the wall clock in the exports'
// zone; who is the operator, for the audit trail. It returns the new id.
func Add(ctx context.Context, db *sql.DB, e Exemption, now time.Time, who string) (int64, error) {
	e.RecordID, e.Reason, e.ApprovedBy = parse.ID(e.RecordID), clean(e.Reason), clean(e.ApprovedBy)
	switch {
	case e.Reason == "":
		return 0, &FieldError{"reason", e.Reason, "required", "必填"}
	case e.ApprovedBy == "":
		return 0, &FieldError{"approved_by", e.ApprovedBy, "required", "必填"}
	}
	var id int64
	err := inTx(ctx, db, func(tx *sql.Tx) error {
		if err := check(ctx, tx, &e, now); err != nil {
			return err
		}
		var err error
		id, err = insert(ctx, tx, e, now, who, "", 0)
		return err
	})
	return id, err
}

// check checks what needs the database: the record is loaded, and approved_at is
// neither before it nor after now + 1 day.
func check(ctx context.Context, db querier, e *Exemption, now time.Time) error {
	var recordAt time.Time
	err := db.QueryRowContext(ctx, queries.ExemptRecordTime.SQL, string(e.Kind), e.RecordID).Scan(&recordAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return checkRecord(e, recordAt, err == nil, now)
}

// checkRecord is check's rule, given the record's time (found: it is loaded).
func checkRecord(e *Exemption, recordAt time.Time, found bool, now time.Time) error {
	switch {
	case !found:
		return &FieldError{string(e.Kind) + "_id", e.RecordID, "no such " + string(e.Kind) + " is loaded (exemptions are recorded after their exports)",
			"库中没有这条" + map[Kind]string{Order: "工单", Call: "警情"}[e.Kind] + "（先导入导出数据，再登记核减）"}
	case e.ApprovedAt.After(now.Add(24 * time.Hour)):
		return &FieldError{"approved_at", e.ApprovedAt.Format(time.DateTime), "in the future", "晚于当前时间"}
	case e.ApprovedAt.Before(recordAt):
		return &FieldError{"approved_at", e.ApprovedAt.Format(time.DateTime), "before the record itself (" + recordAt.Format(time.DateTime) + ")",
			"早于记录本身的时间（" + recordAt.Format(time.DateTime) + "）"}
	}
	return nil
}

// insert stores a checked exemption and its audit entry (file and line: the
// ledger row of an import).
func insert(ctx context.Context, tx querier, e Exemption, now time.Time, who, file string, line int) (int64, error) {
	inds := make([]string, len(e.Indicators))
	for i, id := range e.Indicators {
		inds[i] = string(id)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, queries.ExemptInsert.SQL, string(e.Kind), e.RecordID, inds, e.Reason, e.ApprovedBy, e.ApprovedAt).Scan(&id); err != nil {
		return 0, fmt.Errorf("%s: %w", queries.ExemptInsert.Name, err)
	}
	action := "add"
	if file != "" {
		action = "import"
	}
	if _, err := tx.ExecContext(ctx, queries.ExemptAudit.SQL, now, action, id, who, nullable(file), line, auditDetail(e, inds)); err != nil {
		return 0, fmt.Errorf("%s: %w", queries.ExemptAudit.Name, err)
	}
	return id, nil
}

// auditDetail is what the trail says of a new exemption.
func auditDetail(e Exemption, inds []string) string {
	return fmt.Sprintf("%s %s: %s（%s，审批人 %s，%s）", e.Kind, e.RecordID, strings.Join(inds, ","), e.Reason, e.ApprovedBy,
		e.ApprovedAt.Format(time.DateTime))
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Revoke revokes an exemption at at, by whom, for reason; the exemption stays,
// revoked, and the revocation is audited under who, the operator. Revoking one
// that is revoked already, or that does not exist, is an error.
func Revoke(ctx context.Context, db *sql.DB, id int64, at time.Time, by, reason string, now time.Time, who string) error {
	by, reason = clean(by), clean(reason)
	switch {
	case by == "":
		return &FieldError{"revoked_by", by, "required", "必填"}
	case reason == "":
		return &FieldError{"revoke_reason", reason, "required", "必填"}
	}
	return inTx(ctx, db, func(tx *sql.Tx) error { return revoke(ctx, tx, id, at, by, reason, now, who, "", 0) })
}

func revoke(ctx context.Context, tx querier, id int64, at time.Time, by, reason string, now time.Time, who, file string, line int) error {
	var got int64
	err := tx.QueryRowContext(ctx, queries.ExemptRevoke.SQL, id, at, by, reason).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		var approved time.Time
		if tx.QueryRowContext(ctx, queries.ExemptApprovedAt.SQL, id).Scan(&approved) == nil {
			return &FieldError{"revoked_at", at.Format(time.DateTime), "before the approval (" + approved.Format(time.DateTime) + ")",
				"早于审批时间（" + approved.Format(time.DateTime) + "）"}
		}
		return &FieldError{"exemption", fmt.Sprint(id), "no such exemption in force (never recorded, or revoked already)", "没有这条生效的核减（从未登记，或已撤销）"}
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, queries.ExemptAudit.SQL, now, "revoke", id, who, nullable(file), line,
		fmt.Sprintf("撤销于 %s，撤销人 %s：%s", at.Format(time.DateTime), by, reason)); err != nil {
		return err
	}
	return nil
}

// List returns the exemptions, the revoked ones too when all.
func List(ctx context.Context, db querier, all bool) ([]Exemption, error) {
	rows, err := db.QueryContext(ctx, queries.ExemptList.SQL, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Exemption
	for rows.Next() {
		var e Exemption
		var kind, inds string
		var revoked sql.NullTime
		if err := rows.Scan(&e.ID, &kind, &e.RecordID, &inds, &e.Reason, &e.ApprovedBy, &e.ApprovedAt, &revoked, &e.RevokedBy, &e.RevokeReason); err != nil {
			return nil, err
		}
		e.Kind = Kind(kind)
		for _, i := range strings.Split(inds, ",") {
			e.Indicators = append(e.Indicators, domain.IndicatorID(i))
		}
		if revoked.Valid {
			e.RevokedAt = &revoked.Time
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditEntry is one entry of the audit trail.
type AuditEntry struct {
	At          time.Time
	Action      string // add | import | revoke
	ExemptionID int64
	Who         string
	File        string
	Line        int
	Detail      string
}

// Audit returns the audit trail, oldest first.
func Audit(ctx context.Context, db *sql.DB) ([]AuditEntry, error) {
	rows, err := db.QueryContext(ctx, queries.ExemptAuditList.SQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var a AuditEntry
		if err := rows.Scan(&a.At, &a.Action, &a.ExemptionID, &a.Who, &a.File, &a.Line, &a.Detail); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
