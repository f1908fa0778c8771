// Package metrics computes the figures of fenliu: the indicators of SPEC §3 and
// the settings they depend on (SLAs, closure days, repeat windows), their
// comparisons, the weekly briefing's analyses and the detail lists beside them,
// and the machine-readable shapes of SPEC §7.
//
// A Store reads a database and only reads: its computations refuse derived facts
// that do not follow the loads and the settings (ErrStale). Refresh, a write,
// brings them up to date after a load or when a store is opened stale: the rows
// the new loads can have changed, or all of them after a settings change. The rules
// themselves are the SQL files of package queries; every list is scanned once
// into a typed value here.
package metrics
