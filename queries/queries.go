// Package queries holds every SQL statement of fenliu, embedded from the .sql files
// beside it, and opens a migrated DuckDB database.
//
// Each statement is exposed as a named string value; values are always bound as
// parameters, never formatted into the text. Schema migrations are the numbered
// files in schema/, applied in order and recorded in the table migrations.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed schema/*.sql load/*.sql migrate/*.sql indicators/*.sql derive/*.sql report/*.sql jobs/*.sql weekly/*.sql explain/*.sql exempt/*.sql deliver/*.sql alerts/*.sql settled/*.sql
var files embed.FS

// used records which embedded files back a value, so a test can check that every
// file is used exactly once.
var used = map[string]bool{}

// Statement is one SQL statement and its name (its file without .sql, such as
// "load/find_file"), so that logs and errors say which statement.
type Statement struct {
	Name string
	SQL  string
}

func mustLoad(name string) Statement {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("queries: " + err.Error())
	}
	used[name] = true
	return Statement{Name: strings.TrimSuffix(name, ".sql"), SQL: string(b)}
}

// Load statements (load/*.sql), in the order the loader runs them.
var (
	FindFile        = mustLoad("load/find_file.sql")
	NextFileID      = mustLoad("load/next_file_id.sql")
	LastCalls       = mustLoad("load/last_calls.sql")
	ClassifyCalls   = mustLoad("load/classify_calls.sql")
	LastOrders      = mustLoad("load/last_orders.sql")
	ClassifyOrders  = mustLoad("load/classify_orders.sql")
	Count           = mustLoad("load/count.sql")
	DeleteCalls     = mustLoad("load/delete_calls.sql")
	DeleteOrders    = mustLoad("load/delete_orders.sql")
	InsertCalls     = mustLoad("load/insert_calls.sql")
	InsertOrders    = mustLoad("load/insert_orders.sql")
	InsertAllCalls  = mustLoad("load/insert_all_calls.sql")
	InsertAllOrders = mustLoad("load/insert_all_orders.sql")
	InsertRejects   = mustLoad("load/insert_rejects.sql")
	InsertFile      = mustLoad("load/insert_file.sql")
	ReplaceFile     = mustLoad("load/replace_file.sql")
	ReplaceRejects  = mustLoad("load/replace_rejects.sql")
	RejectsOfFile   = mustLoad("load/rejects_of_file.sql")
	FileNamed       = mustLoad("load/file_names.sql")
	DropTemp        = mustLoad("load/drop_temp.sql")
	RejectsList     = mustLoad("load/rejects_list.sql")
	FilesList       = mustLoad("load/files_list.sql")
	DictClear       = mustLoad("load/dict_clear.sql")
	DictDepartment  = mustLoad("load/dict_department.sql")
	DictCategory    = mustLoad("load/dict_category.sql")
	DictRows        = mustLoad("load/dict_rows.sql")
	TableCounts     = mustLoad("load/table_counts.sql")
)

// MaxSlots is how many groupings one computation counts in one pass
// (indicators/params.sql).
const MaxSlots = 8

// WithSlots writes a statement of the facts or totals (OrderFacts, CallFacts,
// OrderTotals, CallTotals) for the slots of one pass: inUse[i] says whether slot
// i+1 counts this statement's records (a grouping of calls only counts no orders).
//   - The facts' template line (/*slot*/, # for the slot) is repeated for each
//     slot in use; a slot not in use is NULL columns k<i>, m<i> at no cost per row.
//   - The totals' grouping (/*sets*/) is one set (k<i>, m<i>) per slot in use, a
//     plain GROUP BY for one, and each group's key (/*key*/) is prefixed with its
//     slot and labelled with its month ('2#2024-05|水利局').
//
// Only column names of this closed list are written, never a value.
func WithSlots(st Statement, inUse []bool) Statement {
	if len(inUse) < 1 || len(inUse) > MaxSlots {
		panic(fmt.Sprintf("queries: %d slots, want 1 to %d", len(inUse), MaxSlots))
	}
	facts := strings.Count(st.SQL, "/*slot*/") == 1
	totals := strings.Count(st.SQL, "/*sets*/") == 1 && strings.Count(st.SQL, "/*key*/") == 1
	switch {
	case facts && !totals:
		lines := strings.Split(st.SQL, "\n")
		for n, line := range lines {
			indent, tmpl, ok := strings.Cut(line, "/*slot*/ ")
			if !ok {
				continue
			}
			cols := make([]string, len(inUse))
			for i, use := range inUse {
				if use {
					cols[i] = indent + strings.ReplaceAll(tmpl, "#", strconv.Itoa(i+1))
				} else {
					cols[i] = fmt.Sprintf("%sNULL::VARCHAR AS k%d, NULL::TIMESTAMP AS m%d,", indent, i+1, i+1)
				}
			}
			lines[n] = strings.Join(cols, "\n")
		}
		st.SQL = strings.Join(lines, "\n")
	case totals && !facts:
		var used []int
		for i, use := range inUse {
			if use {
				used = append(used, i+1)
			}
		}
		set := func(i int) string { return fmt.Sprintf("k%d, m%d", i, i) }
		label := func(i int) string { return fmt.Sprintf("'%d#' || slot_label(m%d, k%d)", i, i, i) }
		var by, key string
		switch len(used) {
		case 0: // no slot counts these records (their facts are empty)
			by, key = set(1), label(1)
		case 1:
			by, key = set(used[0]), label(used[0])
		default:
			sets, keys := make([]string, len(used)), make([]string, len(used))
			for n, i := range used {
				sets[n] = "(" + set(i) + ")"
				keys[n] = fmt.Sprintf("WHEN grouping(k%d) = 0 THEN %s", i, label(i))
			}
			by, key = "GROUPING SETS ("+strings.Join(sets, ", ")+")", "CASE "+strings.Join(keys, " ")+" END"
		}
		st.SQL = strings.Replace(strings.Replace(st.SQL, "/*sets*/", by, 1), "/*key*/", key, 1)
	default:
		panic("queries: " + st.Name + " has no slots to write")
	}
	return st
}

// Indicator statements (indicators/*.sql): Params, then the facts, then one query
// per indicator returning (k, num, den, pending), then Counts and Durations.
var (
	Params       = mustLoad("indicators/params.sql")
	Keys         = mustLoad("indicators/keys.sql")
	Exemptions   = mustLoad("indicators/exemptions.sql")
	Dictionaries = mustLoad("indicators/dictionaries.sql")
	OrderFacts   = mustLoad("indicators/order_facts.sql")
	OrderTotals  = mustLoad("indicators/order_totals.sql")
	CallTotals   = mustLoad("indicators/call_totals.sql")
	CallFacts    = mustLoad("indicators/call_facts.sql")
	RepeatGroups = mustLoad("indicators/repeat_groups.sql")
	RepeatTable  = mustLoad("indicators/repeat_table.sql")
	Sources      = mustLoad("indicators/sources.sql")
	Counts       = mustLoad("indicators/counts.sql")
	Durations    = mustLoad("indicators/durations.sql")
	GroupKinds   = mustLoad("indicators/group_kinds.sql")
	DataExtent   = mustLoad("indicators/data_extent.sql")
	DropFacts    = mustLoad("indicators/drop.sql")

	// Indicators maps each indicator id of SPEC §3 to its query.
	Indicators = map[string]Statement{
		"sign_rate":                 mustLoad("indicators/sign_rate.sql"),
		"arrival_rate":              mustLoad("indicators/arrival_rate.sql"),
		"closure_rate":              mustLoad("indicators/closure_rate.sql"),
		"resolution_rate":           mustLoad("indicators/resolution_rate.sql"),
		"repeat_rate":               mustLoad("indicators/repeat_rate.sql"),
		"diversion_ratio":           mustLoad("indicators/diversion_ratio.sql"),
		"nonpolice_diversion_ratio": mustLoad("indicators/nonpolice_diversion_ratio.sql"),
		"satisfaction_rate":         mustLoad("indicators/satisfaction_rate.sql"),
		"return_rate":               mustLoad("indicators/return_rate.sql"),
	}
)

// Exemption statements (exempt/*.sql): the decided appeals and their audit trail.
var (
	ExemptApprovedAt  = mustLoad("exempt/approved_at.sql")
	ExemptRecordTime  = mustLoad("exempt/record_time.sql")
	ExemptInsert      = mustLoad("exempt/insert.sql")
	ExemptInsertMany  = mustLoad("exempt/insert_many.sql")
	ExemptAuditMany   = mustLoad("exempt/audit_many.sql")
	ExemptRecordTimes = mustLoad("exempt/record_times.sql")
	ExemptRevoke      = mustLoad("exempt/revoke.sql")
	ExemptAudit       = mustLoad("exempt/audit.sql")
	ExemptList        = mustLoad("exempt/list.sql")
	ExemptAuditList   = mustLoad("exempt/audit_list.sql")
	ExemptInForce     = mustLoad("exempt/in_force.sql")
)

// Explain statements (explain/*.sql): the members of an indicator's population,
// read from the same facts the indicators count.
var (
	ExplainOrderMembers = mustLoad("explain/order_members.sql")
	ExplainOrders       = mustLoad("explain/orders.sql")
	ExplainOrdersAlike  = mustLoad("explain/orders_alike.sql")
	ExplainCallMembers  = mustLoad("explain/call_members.sql")
	ExplainCalls        = mustLoad("explain/calls.sql")
	ExplainCallsAlike   = mustLoad("explain/calls_alike.sql")
	ExplainGroupMembers = mustLoad("explain/repeat_group_members.sql")
	ExplainRepeatGroups = mustLoad("explain/repeat_groups.sql")
	ExplainGroupsAlike  = mustLoad("explain/repeat_groups_alike.sql")
)

// Derived facts (derive/*.sql), brought up to date after loads: in full, or only
// the rows the loads since the last refresh can have changed.
var (
	DerivedFingerprint = mustLoad("derive/fingerprint.sql")
	DeriveFacts        = mustLoad("derive/facts.sql")
	DeriveRepeats      = mustLoad("derive/repeats.sql")
	RepeatHash         = mustLoad("derive/repeat_hash.sql")
	DeriveScopeAll     = mustLoad("derive/scope_all.sql")
	DeriveCovered      = mustLoad("derive/covered.sql")
	DeriveScopeChanged = mustLoad("derive/scope_changed.sql")
	FullCallDerived    = mustLoad("derive/full_call_derived.sql")
	FullOrderCalls     = mustLoad("derive/full_order_calls.sql")
	FullOrderDerived   = mustLoad("derive/full_order_derived.sql")
	UpdateCallDerived  = mustLoad("derive/update_call_derived.sql")
	UpdateOrderCalls   = mustLoad("derive/update_order_calls.sql")
	UpdateOrderDerived = mustLoad("derive/update_order_derived.sql")
	DropDerive         = mustLoad("derive/drop.sql")
	ForgetDerived      = mustLoad("derive/forget.sql")
	RecordDerived      = mustLoad("derive/record.sql")
	Rules              = mustLoad("derive/rules.sql")
	RuleStatus         = mustLoad("derive/rule_status.sql")
	RuleSLA            = mustLoad("derive/rule_sla.sql")
	RuleClosure        = mustLoad("derive/rule_closure.sql")
)

// Settled figures (settled/*.sql): per month, the totals of its records from the
// time they no longer depend on T (metrics/settled.go).
var (
	SettledViews     = mustLoad("settled/views.sql")
	SettledState     = mustLoad("settled/state.sql")
	SettledBefore    = mustLoad("settled/before.sql")
	SettledTouched   = mustLoad("settled/touched.sql")
	SettledChanged   = mustLoad("settled/changed.sql")
	SettledExtent    = mustLoad("settled/extent.sql")
	SettledLate      = mustLoad("settled/late.sql")
	SettledSources   = mustLoad("settled/sources.sql")
	LateSources      = mustLoad("settled/late_sources.sql")
	SettledKeep      = mustLoad("settled/keep.sql")
	SettledMerge     = mustLoad("settled/merge.sql")
	SettledResetLate = mustLoad("settled/reset_late.sql")
	SettledSpan      = mustLoad("settled/span.sql")
	SettledReset     = mustLoad("settled/reset.sql")
	SettledStore     = mustLoad("settled/store.sql")
	SettledRecord    = mustLoad("settled/record.sql")
	SettledUsable    = mustLoad("settled/usable.sql")
	SettledReadOT    = mustLoad("settled/read_ot.sql")
	SettledReadCT    = mustLoad("settled/read_ct.sql")
	DropSettled      = mustLoad("settled/drop.sql")
)

// Report statements (report/*.sql).
var (
	Coverage           = mustLoad("report/coverage.sql")
	Overdue            = mustLoad("report/overdue.sql")
	DueSoon            = mustLoad("report/due_soon.sql")
	Repeats            = mustLoad("report/repeats.sql")
	RejectsByFile      = mustLoad("report/rejects_by_file.sql")
	UnknownDepartments = mustLoad("report/unknown_departments.sql")
	UnknownCategories  = mustLoad("report/unknown_categories.sql")
	ReportExemptions   = mustLoad("report/exemptions.sql")
	ExemptionsInForce  = mustLoad("report/exemptions_in_force.sql")
)

// Weekly briefing statements (weekly/*.sql).
var (
	WeeklyVolumes           = mustLoad("weekly/volumes.sql")
	WeeklyFrequentCallers   = mustLoad("weekly/frequent_callers.sql")
	WeeklyFrequentAddresses = mustLoad("weekly/frequent_addresses.sql")
	WeeklyOverdueOpen       = mustLoad("weekly/overdue_open.sql")
	WeeklyFollowupDone      = mustLoad("weekly/followup_done.sql")
	WeeklyUnsigned          = mustLoad("weekly/unsigned.sql")
)

// Scheduler statements (jobs/*.sql).
var (
	JobRecord      = mustLoad("jobs/record.sql")
	DeliveryRecord = mustLoad("deliver/record.sql")
	DeliveryLast   = mustLoad("deliver/last.sql")
	AlertsSent     = mustLoad("alerts/sent.sql")
	AlertsForget   = mustLoad("alerts/forget.sql")
	AlertsRecord   = mustLoad("alerts/record.sql")
	Status         = mustLoad("jobs/status.sql")
	JobLastRuns    = mustLoad("jobs/last_runs.sql")
	JobList        = mustLoad("jobs/list.sql")
	JobLastSuccess = mustLoad("jobs/last_success.sql")
	SeenGet        = mustLoad("jobs/seen_get.sql")
	SeenPut        = mustLoad("jobs/seen_put.sql")
	SeenForget     = mustLoad("jobs/seen_forget.sql")
)

// migration is one numbered schema file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists schema/NNNN_*.sql in version order.
func migrations() []migration {
	names, err := fs.Glob(files, "schema/*.sql")
	if err != nil {
		panic("queries: " + err.Error())
	}
	sort.Strings(names)
	var ms []migration
	for i, n := range names {
		base := path.Base(n)
		v := 0
		for _, r := range base[:strings.IndexByte(base, '_')] {
			v = v*10 + int(r-'0')
		}
		if v != i+1 {
			panic("queries: migrations must be numbered 0001, 0002, … without gaps: " + base)
		}
		ms = append(ms, migration{version: v, name: base, sql: mustLoad(n).SQL})
	}
	return ms
}
