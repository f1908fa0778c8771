// Package metrics computes the figures of fenliu: the indicators of SPEC §3 and
// the settings they depend on (SLAs, closure days, repeat windows), their
// comparisons, the weekly briefing's analyses and the detail lists beside them,
// and the machine-readable shapes of SPEC §7.
//
// A Store reads a database and only reads: its computations refuse derived facts
// that do not follow the loads and the settings (ErrStale). Refresh, a write,
// rebuilds them after a load or when a store is opened stale. The rules
// themselves are the SQL files of package queries; every list is scanned once
// into a typed value here.
package metrics
