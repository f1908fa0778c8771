package etl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl/parse"
	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/etl/profile"
	"github.com/fenliu/fenliu/etl/source"
	"github.com/fenliu/fenliu/queries"
)

// Options configure one load. Secret, Zone and Now are required; the rest may be zero.
type Options struct {
	Kind     profile.Kind       // "": detected from the headers
	Profile  *profile.Profile   // nil: the first of Profiles whose columns fit
	Profiles []*profile.Profile // candidates when Profile is nil; nil: the built-ins
	Secret   []byte             // HMAC key for caller phones
	Zone     *time.Location     // local zone of the exports
	Now      time.Time          // load time: the upper bound of received_at/dispatched_at, and loaded_at
	DryRun   bool               // check only: the transaction is rolled back
	// Reload loads a file again although the same bytes were loaded before (after
	// a profile was fixed): its rows go through the precedence rules again, and the
	// earlier load's rejects are replaced by the new ones.
	Reload   bool
	TempDir  string       // staging files; "": os.TempDir()
	MaxUnzip int64        // XLSX unzip limit; 0: 512 MiB
	Logger   *slog.Logger // nil: discard
	// Progress, if set, is called every 64 Ki rows read and once at the end.
	Progress func(rows int64)
}

func (o *Options) zone() *time.Location {
	if o.Zone == nil {
		return time.UTC
	}
	return o.Zone
}

// Load statuses.
const (
	StatusLoaded  = "loaded"
	StatusSkipped = "skipped"
	StatusRefused = "refused"
)

// Accounting is what one load did with one file (SPEC §7 ingest --json).
// For a loaded file, Read = Inserted + Updated + Unchanged + Superseded + Rejected.
type Accounting struct {
	File       string `json:"file"`
	SHA256     string `json:"sha256"`
	Kind       string `json:"kind"`
	Profile    string `json:"profile"`
	Encoding   string `json:"encoding"`
	Status     string `json:"status"`
	Message    string `json:"message"`
	Read       int64  `json:"read"`
	Inserted   int64  `json:"inserted"`
	Updated    int64  `json:"updated"`
	Unchanged  int64  `json:"unchanged"`
	Superseded int64  `json:"superseded"`
	Rejected   int64  `json:"rejected"`
	DateOnly   int64  `json:"date_only"`
	// Merged counts rows that took values from merged cells of an XLSX sheet.
	Merged int64 `json:"merged_cells"`
	// Replaced is the earlier load of the same bytes that a reload replaced.
	Replaced int64 `json:"replaced,omitempty"`
	// Rejects are the rejected rows of a check (DryRun), which keeps no ledger.
	Rejects []Reject `json:"rejects,omitempty"`
}

// Reject is one entry of the rejects ledger.
type Reject struct {
	Line     int64  `json:"line"`
	Field    string `json:"field"` // the field's English id (SPEC §2)
	Value    string `json:"value"`
	Reason   string `json:"reason"`
	FieldZh  string `json:"field_zh"` // its Chinese header, as the staff know it
	ReasonZh string `json:"reason_zh"`
}

// Balanced reports whether the row accounting adds up.
func (a Accounting) Balanced() bool {
	return a.Read == a.Inserted+a.Updated+a.Unchanged+a.Superseded+a.Rejected
}

// RefusedError is a file that cannot be read as a whole; nothing of it is loaded.
type RefusedError struct {
	File string
	Err  error
}

func (e *RefusedError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *RefusedError) Unwrap() error { return e.Err }

// Load loads one export file into db in one transaction and returns its accounting.
// A file that cannot be read as a whole returns a *RefusedError (and an Accounting
// with status refused); rejected rows are not errors.
func Load(ctx context.Context, db *sql.DB, path string, o Options) (Accounting, error) {
	acc := Accounting{File: path}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	refused := func(err error) (Accounting, error) {
		// A refusal may quote the file (a data row taken for a header): every
		// message goes through the free-text mask (SPEC §2.6).
		err = maskedError{err}
		acc.Status = StatusRefused
		acc.Message = err.Error()
		return acc, &RefusedError{File: path, Err: err}
	}
	sum, err := source.SHA256(path)
	if err != nil {
		return refused(err)
	}
	acc.SHA256 = sum
	prof := o.Profile
	cands := o.Profiles
	if prof != nil {
		cands = []*profile.Profile{prof}
	} else if cands == nil {
		cands = profile.Builtins()
	}
	src, m, err := openMapped(path, cands, &o)
	if err != nil {
		return refused(err)
	}
	defer src.Close()
	acc.Kind, acc.Profile, acc.Encoding = string(m.Kind), m.Profile.Name, src.Encoding()
	// The same bytes loaded again as the same kind are a no-op. (One export may be
	// loaded once as calls and once as orders, as the SF fire data is.)
	var prevID int64
	var prevName string
	err = db.QueryRowContext(ctx, queries.FindFile.SQL, sum, acc.Kind).Scan(&prevID, &prevName)
	switch {
	case err == nil && o.Reload:
		acc.Replaced = prevID
	case err == nil:
		acc.Status = StatusSkipped
		acc.Message = fmt.Sprintf("same bytes as %s (file %d), already loaded: nothing to do (ingest --reload loads it again)", prevName, prevID)
		return acc, nil
	case !errors.Is(err, sql.ErrNoRows):
		return acc, err
	}

	tmp, err := os.MkdirTemp(o.TempDir, fmt.Sprintf("%s%d-", StagingPrefix, os.Getpid()))
	if err != nil {
		return acc, err
	}
	defer os.RemoveAll(tmp)
	stagePath, rejectPath := filepath.Join(tmp, "stage.parquet"), filepath.Join(tmp, "rejects.parquet")
	start := time.Now()
	if err := parseFile(src, m, stagePath, rejectPath, &acc, &o); err != nil {
		var re *refusal
		if errors.As(err, &re) {
			return refused(re.err)
		}
		return acc, maskedError{fmt.Errorf("%s: %w", filepath.Base(path), err)}
	}
	o.Logger.Debug("parsed", "component", "etl", "file", filepath.Base(path), "rows", acc.Read, "took", time.Since(start))
	if err := apply(ctx, db, path, m.Kind, stagePath, rejectPath, &acc, &o); err != nil {
		// A database error may quote a value of the file.
		return acc, maskedError{fmt.Errorf("%s: %w", filepath.Base(path), err)}
	}
	return acc, nil
}

// maskedError shows an error through the free-text mask.
type maskedError struct{ err error }

func (e maskedError) Error() string { return pii.MaskText(e.err.Error()) }
func (e maskedError) Unwrap() error { return e.err }

// refusal marks a whole-file error found while parsing.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }

// openMapped opens the file with the first candidate profile whose columns fit,
// positioned after the header. The header is the row the profile fixes
// (header_row, skip_rows), else the first of the first rows that maps the
// required fields, on the profile's sheet or else the first sheet that has one.
// Profiles that read the file the same way (encoding, sheet, delimiter) share
// one reading of it.
func openMapped(path string, cands []*profile.Profile, o *Options) (source.Reader, *profile.Mapping, error) {
	type opened struct {
		src    source.Reader
		sheets []string // the sheets to look at: the profile's, or every one
		heads  map[string][]source.Record
	}
	readers := map[source.Options]*opened{}
	defer func() {
		for _, r := range readers {
			if r.src != nil {
				r.src.Close()
			}
		}
	}()
	var best *headerMiss
	for _, p := range cands {
		line, _ := p.HeaderLine()
		so := source.Options{Encoding: p.Encoding, Sheet: p.Sheet, TempDir: o.TempDir, MaxUnzip: o.MaxUnzip, HeadLines: line}
		if p.Delimiter != "" {
			so.Delimiter = []rune(p.Delimiter)[0]
		}
		r := readers[so]
		if r == nil {
			src, err := source.Open(path, so)
			if err != nil {
				return nil, nil, err // the same for every profile: the file itself is bad
			}
			r = &opened{src: src, heads: map[string][]source.Record{}}
			r.sheets = []string{""}
			if sr, ok := src.(source.SheetReader); ok {
				r.sheets = []string{sr.Sheet()}
				if p.Sheet == "" {
					r.sheets = sr.Sheets()
				}
			}
			readers[so] = r
		}
		for _, sheet := range r.sheets {
			head, ok := r.heads[sheet]
			if !ok {
				if sr, isSheets := r.src.(source.SheetReader); isSheets && sr.Sheet() != sheet {
					sr.UseSheet(sheet) // an empty or unreadable sheet has an empty head
				}
				head = r.src.Head()
				r.heads[sheet] = head
			}
			i, m, miss := findHeader(head, p, o.Kind)
			if m == nil {
				miss.sheet = sheet
				if best == nil || miss.missing < best.missing {
					best = miss
				}
				continue
			}
			if sr, isSheets := r.src.(source.SheetReader); isSheets && sr.Sheet() != sheet {
				if err := sr.UseSheet(sheet); err != nil {
					return nil, nil, err
				}
			}
			r.src.UseHeader(i)
			src := r.src
			r.src = nil // handed to the caller
			return src, m, nil
		}
	}
	err := best.err
	if hint := delimiterHint(best.header, best.delim); hint != "" {
		err = fmt.Errorf("%w; %s", err, hint)
	}
	where := best.where()
	if len(cands) > 1 {
		return nil, nil, fmt.Errorf("no profile fits (tried %s); the closest, profile %s, %s: %w", profileNames(cands), best.profile, where, err)
	}
	return nil, nil, fmt.Errorf("%s: %w", where, err)
}

// headerMiss is why no header was found for one profile on one sheet.
type headerMiss struct {
	profile string
	sheet   string
	line    int // the row closest to a header (0: none read)
	tried   int // rows tried, from the first
	header  []string
	delim   rune
	missing int
	err     error
}

func (m *headerMiss) where() string {
	s := ""
	if m.sheet != "" {
		s = fmt.Sprintf("sheet %q, ", m.sheet)
	}
	switch {
	case m.line == 0:
		return strings.TrimSuffix(s, ", ")
	case m.tried > 1:
		return fmt.Sprintf("%sclosest to a header of the first %d rows: line %d", s, m.tried, m.line)
	}
	return fmt.Sprintf("%sline %d", s, m.line)
}

// findHeader finds the header row of a profile among the head rows.
func findHeader(head []source.Record, p *profile.Profile, kind profile.Kind) (int, *profile.Mapping, *headerMiss) {
	miss := &headerMiss{profile: p.Name, missing: 1 << 30, err: errors.New("the sheet is empty")}
	if p.Delimiter != "" {
		miss.delim = []rune(p.Delimiter)[0]
	}
	line, exact := p.HeaderLine()
	for i, rec := range head {
		if rec.Err != "" || rec.Line < line {
			continue
		}
		if exact && rec.Line != line {
			miss.err = fmt.Errorf("header_row %d: that row is blank or missing", line)
			break
		}
		miss.tried++
		m, err := p.Match(rec.Fields, kind)
		if err == nil {
			return i, m, nil
		}
		if n := profile.Missing(err); n < miss.missing {
			miss.missing, miss.err, miss.line, miss.header = n, err, rec.Line, rec.Fields
		}
		if line > 0 || errors.Is(err, profile.ErrAmbiguous) || profile.Missing(err) == 0 {
			break // a fixed header row, or a row that is the header but cannot be used
		}
	}
	return 0, nil, miss
}

func profileNames(ps []*profile.Profile) string {
	var n []string
	for _, p := range ps {
		n = append(n, p.Name)
	}
	return strings.Join(n, ", ")
}

// delimiterHint recognises a header read with the wrong delimiter.
func delimiterHint(header []string, used rune) string {
	if len(header) != 1 {
		return ""
	}
	for _, d := range []string{";", "\t", "|", ","} {
		if []rune(d)[0] != used && strings.Count(header[0], d) >= 2 {
			shown := d
			if d == "\t" {
				shown = `\t`
			}
			return fmt.Sprintf("the header is one column holding %q several times: the file seems to use %q as delimiter; set delimiter: %q in a mapping profile", shown, shown, shown)
		}
	}
	return ""
}

// work is a run of records for one parse worker.
type work struct {
	recs  []source.Record
	first int64 // position of recs[0] among the file's records
}

const workRecords = 8192

// parseFile reads every record and parses it on one worker per core, writing
// accepted rows and rejects to two Parquet files. A row's seq is its position
// among all records of the file, so rows may be staged in any order.
func parseFile(src source.Reader, m *profile.Mapping, stagePath, rejectPath string, acc *Accounting, o *Options) error {
	cols := callColumns
	if m.Kind == profile.Orders {
		cols = orderColumns
	}
	stage, err := newParquetSink(stagePath, cols)
	if err != nil {
		return err
	}
	rejects, err := newParquetSink(rejectPath, rejectColumns)
	if err != nil {
		stage.close()
		return err
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), 8))
	jobs := make(chan work, workers)
	var wg sync.WaitGroup
	tallies := make([]tally, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tallies[w] = parseWorker(jobs, m, src.Serials(), cols, stage, rejects, o)
		}()
	}
	readErr := readRecords(src, jobs, acc, o)
	close(jobs)
	wg.Wait()
	var all tally
	for _, t := range tallies {
		all.add(t)
	}
	acc.Rejected, acc.DateOnly, acc.Merged = all.rejected, all.dateOnly, all.merged
	if acc.Read > 0 && acc.Rejected == acc.Read && len(all.fields) == 1 {
		acc.Message = profileHint(all.first, m.Columns)
	}
	serr, rerr := stage.close(), rejects.close()
	if readErr != nil {
		if errors.Is(readErr, source.ErrRefused) {
			return &refusal{readErr}
		}
		return readErr
	}
	if acc.Read == 0 {
		return &refusal{errors.New("the file has a header but no rows: is the export complete?")}
	}
	if serr != nil {
		return serr
	}
	return rerr
}

// readRecords feeds the workers with runs of records and counts them.
func readRecords(src source.Reader, jobs chan<- work, acc *Accounting, o *Options) error {
	width := len(src.Header())
	csvFile := src.Format() == "csv"
	buf := make([]source.Record, 0, workRecords)
	flush := func() {
		if len(buf) > 0 {
			jobs <- work{recs: buf, first: acc.Read - int64(len(buf))}
			buf = make([]source.Record, 0, workRecords)
		}
	}
	for {
		rec, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			flush()
			return err
		}
		rec.Fields = append([]string(nil), rec.Fields...) // the reader reuses its slice
		if rec.Err == "" && csvFile && !fits(rec.Fields, width) {
			rec.Err = fmt.Sprintf("the row has %d fields, the header %d (a missing or extra delimiter?)", len(rec.Fields), width)
			rec.ErrZh = fmt.Sprintf("该行有 %d 个字段，表头有 %d 个（是否少了或多了分隔符？）", len(rec.Fields), width)
		}
		buf = append(buf, rec)
		acc.Read++
		if len(buf) == workRecords {
			flush()
			if o.Progress != nil && acc.Read%(64*1024) == 0 {
				o.Progress(acc.Read)
			}
		}
	}
	flush()
	if o.Progress != nil {
		o.Progress(acc.Read)
	}
	return nil
}

// tally is what parse workers count: rejected rows (per field, with the first
// of them), rows with a date alone, rows filled from merged cells.
type tally struct {
	rejected, dateOnly, merged int64
	fields                     map[string]int64
	first                      *RowError
}

func (t *tally) add(o tally) {
	t.rejected += o.rejected
	t.dateOnly += o.dateOnly
	t.merged += o.merged
	for f, n := range o.fields {
		if t.fields == nil {
			t.fields = map[string]int64{}
		}
		t.fields[f] += n
	}
	if t.first == nil || (o.first != nil && o.first.Line < t.first.Line) {
		t.first = o.first
	}
}

// parseWorker parses runs of records until jobs is closed.
func parseWorker(jobs <-chan work, m *profile.Mapping, serials bool, cols []column, stage, rejects *parquetSink, o *Options) tally {
	p := newRowParser(m, serials, o)
	sb, rb := newRowBuilder(stage, cols), newRowBuilder(rejects, rejectColumns)
	defer sb.release()
	defer rb.release()
	out := make([]value, len(cols))
	rej := make([]value, len(rejectColumns))
	t := tally{fields: map[string]int64{}}
	for job := range jobs {
		for i, rec := range job.recs {
			if rec.Merged {
				t.merged++
			}
			if re := p.parse(rec); re != nil {
				t.rejected++
				t.fields[re.Field]++
				if t.first == nil {
					t.first = re
				}
				rej[0], rej[1], rej[2], rej[3] = value{i: int64(re.Line)}, text(re.Field), text(re.Value), text(re.Reason())
				rej[4], rej[5] = text(re.FieldZh), text(re.ReasonZh())
				rb.add(rej)
				continue
			}
			if len(p.dateOnl) > 0 {
				t.dateOnly++
			}
			p.emit(out, job.first+int64(i), rec.Line)
			sb.add(out)
		}
		stage.put(sb.take())
		rejects.put(rb.take())
	}
	return t
}

// profileHint says what to change when every row of a file was rejected for the
// same field: the file is read, but the profile does not read it right.
func profileHint(re *RowError, columns map[string]int) string {
	what := fmt.Sprintf("every row was rejected for %s (line %d: %q)", re.Field, re.Line, re.Value)
	switch {
	case errors.Is(re.Err, parse.ErrBadTime), errors.Is(re.Err, ErrOutOfRange):
		return what + ": if the export writes its times in another form, add the form to time_layouts in a mapping profile (a Go layout such as \"01/02/2006 15:04\"; see docs/loading.md)"
	case errors.Is(re.Err, ErrRequired):
		if _, ok := columns[re.Field]; !ok {
			return what + fmt.Sprintf(": the file has no column for %s; name its header under fields: %s: in a mapping profile", re.Field, re.Field)
		}
		return what + fmt.Sprintf(": the column mapped to %s is empty in every row; check fields: %s: in the mapping profile", re.Field, re.Field)
	case errors.Is(re.Err, parse.ErrBadEnum), errors.Is(re.Err, parse.ErrBadBool):
		return what + fmt.Sprintf(": map the export's values onto the allowed ones under values: %s: in a mapping profile", re.Field)
	case errors.Is(re.Err, ErrBadRow):
		return what + ": no row could be read; is the delimiter right (delimiter: in a mapping profile)?"
	}
	return what
}

// apply runs the staged rows through the load SQL in one transaction.
func apply(ctx context.Context, db *sql.DB, path string, kind profile.Kind, stagePath, rejectPath string, acc *Accounting, o *Options) error {
	// The parse is over: give the heap it used (some 400 MB for a large file) back
	// to the system before DuckDB fills its own memory_limit, so that the process
	// stays within that limit and little more (Go would return it only slowly).
	debug.FreeOSMemory()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	var fileID int64
	if err := tx.QueryRowContext(ctx, queries.NextFileID.SQL).Scan(&fileID); err != nil {
		return err
	}
	last, classify, del, ins, insAll := queries.LastCalls, queries.ClassifyCalls, queries.DeleteCalls, queries.InsertCalls, queries.InsertAllCalls
	if kind == profile.Orders {
		last, classify, del, ins, insAll = queries.LastOrders, queries.ClassifyOrders, queries.DeleteOrders, queries.InsertOrders, queries.InsertAllOrders
	}
	// exec runs one statement of the load, naming it in its error and the log.
	exec := func(st queries.Statement, args ...any) error {
		start := time.Now()
		_, err := tx.ExecContext(ctx, st.SQL, args...)
		o.Logger.Debug("statement", "component", "etl", "name", st.Name, "took", time.Since(start))
		if err != nil {
			return fmt.Errorf("%s: %w", st.Name, err)
		}
		return nil
	}
	for _, st := range []queries.Statement{last, classify} {
		if err := exec(st, stagePath); err != nil {
			return err
		}
	}
	if err := tx.QueryRowContext(ctx, queries.Count.SQL).Scan(&acc.Inserted, &acc.Updated, &acc.Unchanged); err != nil {
		return fmt.Errorf("%s: %w", queries.Count.Name, err)
	}
	accepted := acc.Read - acc.Rejected
	acc.Superseded = accepted - acc.Inserted - acc.Updated - acc.Unchanged
	name := filepath.Base(path)
	abs, _ := filepath.Abs(path)
	type step struct {
		st   queries.Statement
		args []any
	}
	steps := []step{{del, nil}, {ins, []any{stagePath, fileID}}, {queries.InsertRejects, []any{rejectPath, fileID, name}}, {queries.DropTemp, nil}}
	if acc.Inserted == accepted { // every row new: nothing to delete, nothing to pick
		steps = steps[1:]
		steps[0].st = insAll
	}
	if acc.Replaced > 0 {
		steps = append(steps, step{queries.ReplaceRejects, []any{acc.Replaced}})
	}
	for _, s := range steps {
		if err := exec(s.st, s.args...); err != nil {
			return err
		}
	}
	acc.Status = StatusLoaded
	var notes []string
	if acc.Replaced > 0 {
		notes = append(notes, fmt.Sprintf("reloaded: replaces the load of file %d and its rejects", acc.Replaced))
	}
	if acc.Rejected > 0 && !o.DryRun {
		notes = append(notes, fmt.Sprintf("%d rows rejected: see fenliu rejects --file %q", acc.Rejected, name))
	}
	if acc.Message != "" { // the profile hint
		notes = append(notes, acc.Message)
	}
	acc.Message = strings.Join(notes, "; ")
	if !acc.Balanced() {
		return fmt.Errorf("row accounting does not add up: %+v", *acc)
	}
	loadedAt := domain.Wall(o.Now.In(o.zone()).Truncate(time.Second))
	if err := exec(queries.InsertFile, fileID, name, abs, acc.SHA256, acc.Kind, acc.Profile, acc.Encoding,
		acc.Status, acc.Message, acc.Read, acc.Inserted, acc.Updated, acc.Unchanged, acc.Superseded,
		acc.Rejected, acc.DateOnly, loadedAt, acc.Merged); err != nil {
		return err
	}
	if acc.Replaced > 0 {
		if err := exec(queries.ReplaceFile, acc.Replaced, fileID); err != nil {
			return err
		}
	}
	if o.DryRun {
		if acc.Rejected > 0 {
			if err := rejectsOf(ctx, tx, fileID, acc); err != nil {
				return fmt.Errorf("rejects: %w", err)
			}
		}
		acc.Message = strings.TrimSpace("checked: nothing was written. " + acc.Message)
		return tx.Rollback()
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	o.Logger.Info("loaded", "component", "etl", "file", name, "kind", acc.Kind, "read", acc.Read,
		"inserted", acc.Inserted, "updated", acc.Updated, "rejected", acc.Rejected)
	return nil
}

// rejectsOf reads a load's rejected rows back from the ledger inside its
// transaction (a check rolls it back, so it prints them itself).
func rejectsOf(ctx context.Context, tx *sql.Tx, fileID int64, acc *Accounting) error {
	rows, err := tx.QueryContext(ctx, queries.RejectsOfFile.SQL, fileID)
	if err != nil {
		return err
	}
	defer rows.Close()
	acc.Rejects = make([]Reject, 0, acc.Rejected)
	for rows.Next() {
		var r Reject
		if err := rows.Scan(&r.Line, &r.Field, &r.Value, &r.Reason, &r.FieldZh, &r.ReasonZh); err != nil {
			return err
		}
		acc.Rejects = append(acc.Rejects, r)
	}
	return rows.Err()
}

// fits reports whether a CSV record has the header's width; extra trailing fields
// are tolerated when they are empty (spreadsheets leave them).
func fits(rec []string, width int) bool {
	if len(rec) < width {
		return false
	}
	for _, f := range rec[width:] {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// StagingPrefix begins the name of a load's staging folder, followed by the
// loading process's PID.
const StagingPrefix = "fenliu-load-"

// RemoveStale removes what killed processes left in dir: the files and folders
// named prefix + "<pid>-…" whose process no longer runs (a load's staging
// folder, a report's temporary file). Those of this process and of running ones
// are left alone.
func RemoveStale(dir, prefix string) error {
	if dir == "" {
		return nil
	}
	names, err := filepath.Glob(filepath.Join(dir, prefix+"*"))
	if err != nil {
		return err
	}
	for _, d := range names {
		var pid int
		if _, err := fmt.Sscanf(strings.TrimPrefix(filepath.Base(d), prefix), "%d-", &pid); err == nil && pid > 0 {
			if err := syscall.Kill(pid, 0); pid == os.Getpid() || err == nil || errors.Is(err, syscall.EPERM) {
				continue // still running
			}
		}
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	return nil
}
