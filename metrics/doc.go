// Package metrics defines the indicators of SPEC §3 and the settings they depend on
// (SLAs, closure days, repeat windows). The computation itself lives in the SQL
// files of package queries.
package metrics
