package etl

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

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
	TempDir  string             // staging files; "": os.TempDir()
	MaxUnzip int64              // XLSX unzip limit; 0: 512 MiB
	Logger   *slog.Logger       // nil: discard
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
		acc.Status = StatusRefused
		acc.Message = err.Error()
		return acc, &RefusedError{File: path, Err: err}
	}
	sum, err := fileSHA256(path)
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
	err = db.QueryRowContext(ctx, queries.FindFile, sum, acc.Kind).Scan(&prevID, &prevName)
	switch {
	case err == nil:
		acc.Status = StatusSkipped
		acc.Message = fmt.Sprintf("same bytes as %s (file %d), already loaded: nothing to do", prevName, prevID)
		return acc, nil
	case !errors.Is(err, sql.ErrNoRows):
		return acc, err
	}

	tmp, err := os.MkdirTemp(o.TempDir, fmt.Sprintf("fenliu-load-%d-", os.Getpid()))
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
		return acc, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	o.Logger.Debug("parsed", "component", "etl", "file", filepath.Base(path), "rows", acc.Read, "took", time.Since(start))
	if err := apply(ctx, db, path, m.Kind, stagePath, rejectPath, &acc, &o); err != nil {
		return acc, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return acc, nil
}

// refusal marks a whole-file error found while parsing.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }

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

// openMapped opens the file with the first candidate profile whose columns fit.
// Profiles that read the file the same way (encoding, sheet, delimiter) share one
// reading of the header.
func openMapped(path string, cands []*profile.Profile, o *Options) (source.Reader, *profile.Mapping, error) {
	var firstErr error
	headers := map[source.Options][]string{}
	for _, p := range cands {
		so := source.Options{Encoding: p.Encoding, Sheet: p.Sheet, TempDir: o.TempDir, MaxUnzip: o.MaxUnzip}
		if p.Delimiter != "" {
			so.Delimiter = []rune(p.Delimiter)[0]
		}
		header, seen := headers[so]
		var src source.Reader
		if !seen {
			var err error
			if src, err = source.Open(path, so); err != nil {
				return nil, nil, err // the same for every profile: the file itself is bad
			}
			header = src.Header()
			headers[so] = header
		}
		m, err := p.Match(header, o.Kind)
		if err == nil {
			if src == nil {
				if src, err = source.Open(path, so); err != nil {
					return nil, nil, err
				}
			}
			return src, m, nil
		}
		if src != nil {
			src.Close()
		}
		if hint := delimiterHint(header, so.Delimiter); hint != "" {
			err = fmt.Errorf("%w; %s", err, hint)
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if len(cands) > 1 {
		return nil, nil, fmt.Errorf("no profile fits (tried %s); with the default profile: %w", profileNames(cands), firstErr)
	}
	return nil, nil, firstErr
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
	var rejected, dateOnly atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, d := parseWorker(jobs, m, src.Serials(), cols, stage, rejects, o)
			rejected.Add(r)
			dateOnly.Add(d)
		}()
	}
	readErr := readRecords(src, jobs, acc, o)
	close(jobs)
	wg.Wait()
	acc.Rejected, acc.DateOnly = rejected.Load(), dateOnly.Load()
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

// parseWorker parses runs of records until jobs is closed; it returns how many
// rows it rejected and how many gave a date without a time.
func parseWorker(jobs <-chan work, m *profile.Mapping, serials bool, cols []column, stage, rejects *parquetSink, o *Options) (rejected, dateOnly int64) {
	p := newRowParser(m, serials, o)
	sb, rb := newRowBuilder(stage, cols), newRowBuilder(rejects, rejectColumns)
	defer sb.release()
	defer rb.release()
	out := make([]value, len(cols))
	rej := make([]value, len(rejectColumns))
	for job := range jobs {
		for i, rec := range job.recs {
			if re := p.parse(rec); re != nil {
				rejected++
				rej[0], rej[1], rej[2], rej[3] = value{i: int64(re.Line)}, text(re.Field), text(re.Value), text(re.Reason())
				rb.add(rej)
				continue
			}
			if len(p.dateOnl) > 0 {
				dateOnly++
			}
			p.emit(out, job.first+int64(i), rec.Line)
			sb.add(out)
		}
		stage.put(sb.take())
		rejects.put(rb.take())
	}
	return rejected, dateOnly
}

// apply runs the staged rows through the load SQL in one transaction.
func apply(ctx context.Context, db *sql.DB, path string, kind profile.Kind, stagePath, rejectPath string, acc *Accounting, o *Options) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	var fileID int64
	if err := tx.QueryRowContext(ctx, queries.NextFileID).Scan(&fileID); err != nil {
		return err
	}
	classify, del, ins := queries.ClassifyCalls, queries.DeleteCalls, queries.InsertCalls
	if kind == profile.Orders {
		classify, del, ins = queries.ClassifyOrders, queries.DeleteOrders, queries.InsertOrders
	}
	exec := func(q string, args ...any) error {
		start := time.Now()
		_, err := tx.ExecContext(ctx, q, args...)
		o.Logger.Debug("sql", "component", "etl", "step", strings.SplitN(q, ":", 2)[0], "took", time.Since(start))
		return err
	}
	if err := exec(classify, stagePath); err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	if err := tx.QueryRowContext(ctx, queries.Count).Scan(&acc.Inserted, &acc.Updated, &acc.Unchanged); err != nil {
		return fmt.Errorf("count: %w", err)
	}
	accepted := acc.Read - acc.Rejected
	acc.Superseded = accepted - acc.Inserted - acc.Updated - acc.Unchanged
	name := filepath.Base(path)
	abs, _ := filepath.Abs(path)
	for _, step := range []struct {
		name string
		q    string
		args []any
	}{
		{"delete", del, nil},
		{"insert", ins, []any{stagePath, fileID}},
		{"rejects", queries.InsertRejects, []any{rejectPath, fileID, name}},
		{"drop", queries.DropTemp, nil},
	} {
		if err := exec(step.q, step.args...); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
	}
	acc.Status = StatusLoaded
	if acc.Rejected > 0 {
		acc.Message = fmt.Sprintf("%d rows rejected: see fenliu rejects --file %q", acc.Rejected, name)
	}
	if !acc.Balanced() {
		return fmt.Errorf("row accounting does not add up: %+v", *acc)
	}
	now := o.Now.In(o.zone())
	loadedAt := time.Date(now.Year(), now.Month(), now.Day(), now.Hour(), now.Minute(), now.Second(), 0, time.UTC)
	if err := exec(queries.InsertFile, fileID, name, abs, acc.SHA256, acc.Kind, acc.Profile, acc.Encoding,
		acc.Status, acc.Message, acc.Read, acc.Inserted, acc.Updated, acc.Unchanged, acc.Superseded,
		acc.Rejected, acc.DateOnly, loadedAt); err != nil {
		return fmt.Errorf("record file: %w", err)
	}
	if o.DryRun {
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

// CleanStale removes the staging folders that a killed load left in tempDir: those
// of processes that no longer run (a folder is named fenliu-load-<pid>-…). Loads of
// this process and of running ones are left alone.
func CleanStale(tempDir string) error {
	if tempDir == "" {
		return nil
	}
	dirs, err := filepath.Glob(filepath.Join(tempDir, "fenliu-load-*"))
	if err != nil {
		return err
	}
	for _, d := range dirs {
		var pid int
		if _, err := fmt.Sscanf(filepath.Base(d), "fenliu-load-%d-", &pid); err == nil && pid > 0 {
			if err := syscall.Kill(pid, 0); pid == os.Getpid() || err == nil || errors.Is(err, syscall.EPERM) {
				continue // still loading
			}
		}
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	return nil
}
