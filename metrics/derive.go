package metrics

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/fenliu/fenliu/queries"
)

// Refresh rebuilds the per-call facts that do not depend on the period or T
// (first dispatch, next repeat candidate) when the loads or the repeat settings
// changed since they were built. Compute calls it; ingest calls it after loading so
// that the first computation is fast. It reports whether it rebuilt.
func Refresh(ctx context.Context, db *sql.DB, cfg Config) (bool, error) {
	si := seconds(cfg.SameIncident)
	var want string
	var have sql.NullString
	if err := db.QueryRowContext(ctx, queries.DerivedFingerprint, si).Scan(&want, &have); err != nil {
		return false, fmt.Errorf("metrics: fingerprint: %w", err)
	}
	if have.Valid && have.String == want {
		return false, nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, queries.RebuildCalls, si); err != nil {
		return false, fmt.Errorf("metrics: rebuild call facts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, queries.RebuildOrders); err != nil {
		return false, fmt.Errorf("metrics: rebuild order facts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, queries.RecordDerived, want); err != nil {
		return false, fmt.Errorf("metrics: record: %w", err)
	}
	return true, tx.Commit()
}
