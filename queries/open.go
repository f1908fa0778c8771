package queries

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/dustin/go-humanize"
)

// Options configure the DuckDB instance. The zero value uses DuckDB's defaults
// except that extension auto-install and auto-load are always off: fenliu runs on
// air-gapped networks and must never try to download anything.
type Options struct {
	// MemoryLimit is the process's memory budget (e.g. "2GB", "1.5GiB"; KB, MB, GB
	// are powers of 1000 as in DuckDB). DuckDB's memory_limit is DuckDBShare of it;
	// empty: DuckDB's default (80 % of RAM).
	MemoryLimit string
	Threads     int    // 0: one per core
	TempDir     string // spill directory; empty: DuckDB's default (<db>.tmp)
	ReadOnly    bool
	// Create allows a new database file when none exists (its folder must). Without
	// it, a missing file is an error: a mistyped path must not read as an empty
	// database.
	Create bool
}

// ErrNoDatabase is returned by Open when the file does not exist and Create is off.
var ErrNoDatabase = errors.New("no such database")

// NotDatabaseError is a path that holds something other than a DuckDB database.
type NotDatabaseError struct {
	Path, What string
}

func (e *NotDatabaseError) Error() string {
	return fmt.Sprintf("%s is not a fenliu database (a DuckDB file): %s", e.Path, e.What)
}

// ErrLocked is returned by Open when another process holds the database file.
var ErrLocked = errors.New("database is in use by another process")

// LockedError names the database file and, when DuckDB tells it, the holder.
type LockedError struct {
	Path   string
	Holder string // "PID 123, /usr/bin/fenliu", or empty
	Err    error
}

func (e *LockedError) Error() string {
	msg := "database " + e.Path + " is in use by another process"
	if e.Holder != "" {
		msg += " (held by " + e.Holder + ")"
	}
	return msg + "; wait for it to finish (a scheduled job or another fenliu command) and try again"
}

func (e *LockedError) Unwrap() error { return ErrLocked }

var (
	lockHeld = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)
	lockAny  = regexp.MustCompile(`Could not set lock`)
)

// Open opens the DuckDB file at path (creating it when o.Create) and applies every
// pending migration; read-only, it applies none and returns ErrOutdated when one is
// pending. The caller closes the returned handle; keep one per process.
func Open(ctx context.Context, dbPath string, o Options) (*sql.DB, error) {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return nil, err
	}
	if err := asURL(abs); err != nil {
		return nil, err
	}
	if err := check(abs, o.Create); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	q.Set("allow_community_extensions", "false")
	// Inserts and CTAS run in parallel; every query that needs an order says ORDER BY.
	q.Set("preserve_insertion_order", "false")
	if o.MemoryLimit != "" {
		limit, err := duckdbLimit(o.MemoryLimit)
		if err != nil {
			return nil, err
		}
		q.Set("memory_limit", limit)
	}
	if o.Threads > 0 {
		q.Set("threads", strconv.Itoa(o.Threads))
	}
	if o.TempDir != "" {
		q.Set("temp_directory", o.TempDir)
	}
	if o.ReadOnly {
		q.Set("access_mode", "read_only")
	}
	connector, err := duckdb.NewConnector(abs+"?"+q.Encode(), nil)
	if err != nil {
		return nil, openError(abs, err)
	}
	db := sql.OpenDB(connector)
	if err := migrate(ctx, db, o.ReadOnly); err != nil {
		db.Close()
		if errors.Is(err, ErrOutdated) {
			return nil, err
		}
		return nil, fmt.Errorf("migrate %s: %w", abs, err)
	}
	return db, nil
}

// asURL refuses a path duckdb-go cannot open as given: it reads the path and the
// settings as one URL (a '%' must begin an escape) and the file name as what comes
// before the first '?'; after a '#' the settings — read-only, the memory limit —
// would be dropped without a word.
func asURL(path string) error {
	if _, err := url.Parse(path); err != nil || strings.ContainsAny(path, "?#") {
		return fmt.Errorf("cannot open the database %s: DuckDB's Go driver reads its path as a URL, which cannot hold '?', '#' or a '%%' not followed by two hex digits; move or rename it", path)
	}
	return nil
}

// DuckDBShare is the part of the memory budget (Options.MemoryLimit) that DuckDB's
// memory_limit takes. That limit bounds DuckDB's buffer manager, not every
// allocation: the derived facts' rebuild at 10 M calls peaked 0.3–0.7 GB above
// a 2 GB limit (docs/performance.md, "Memory"); the rest of the budget is for that
// and for Go's heap.
const DuckDBShare = 0.8

// CheckMemoryLimit reports whether budget is a memory budget Open takes.
func CheckMemoryLimit(budget string) error {
	_, err := duckdbLimit(budget)
	return err
}

// duckdbLimit is DuckDB's memory_limit for a memory budget, in MB (10^6 bytes).
func duckdbLimit(budget string) (string, error) {
	n, err := humanize.ParseBytes(budget)
	if err != nil || n < 1e6 {
		return "", fmt.Errorf("memory limit %q: want a size such as 2GB or 512MB", budget)
	}
	return strconv.FormatUint(uint64(float64(n)*DuckDBShare/1e6), 10) + "MB", nil
}

// check refuses what DuckDB would open wrongly: a missing file where none may be
// created (DuckDB would create it, and its folders), and a file that is not a
// DuckDB database (DuckDB reads a .csv path as a CSV, and asks to install an
// extension for a SQLite file).
func check(path string, create bool) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		if !create {
			return fmt.Errorf("%w: %s does not exist; check --db or the config's db (fenliu ingest creates it)", ErrNoDatabase, path)
		}
		if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
			return fmt.Errorf("cannot create the database %s: the folder %s does not exist", path, filepath.Dir(path))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return &NotDatabaseError{path, "it is a folder"}
	}
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case n == 0 && create:
		return nil
	case n == 0:
		return &NotDatabaseError{path, "the file is empty"}
	case n >= 12 && string(head[8:12]) == "DUCK":
		return nil
	case bytes.HasPrefix(head, []byte("SQLite format 3")):
		return &NotDatabaseError{path, "it is a SQLite database; give --db the fenliu.duckdb file"}
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PAR1")):
		return &NotDatabaseError{path, "it is an export (XLSX or Parquet); load exports with fenliu ingest FILE"}
	case utf8.Valid(head[:n-min(3, n-1)]):
		return &NotDatabaseError{path, "it is a text file (a CSV export?); load exports with fenliu ingest FILE"}
	}
	return &NotDatabaseError{path, "its first bytes are not a DuckDB header"}
}

func openError(path string, err error) error {
	if m := lockHeld.FindStringSubmatch(err.Error()); m != nil {
		return &LockedError{Path: path, Holder: "PID " + m[2] + ", " + m[1], Err: err}
	}
	if lockAny.MatchString(err.Error()) {
		return &LockedError{Path: path, Err: err}
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// ErrOutdated is returned by Open for a read-only store that misses migrations:
// open it once read-write to apply them.
var ErrOutdated = errors.New("the database was written by an older fenliu: open it read-write once to migrate it")

func migrate(ctx context.Context, db *sql.DB, readOnly bool) error {
	if readOnly {
		var have int
		if err := db.QueryRowContext(ctx, migrationVersion.SQL).Scan(&have); err != nil || have < len(migrations()) {
			return ErrOutdated
		}
		return nil
	}
	if _, err := db.ExecContext(ctx, createMigrations.SQL); err != nil {
		return err
	}
	var have int
	if err := db.QueryRowContext(ctx, migrationVersion.SQL).Scan(&have); err != nil {
		return err
	}
	for _, m := range migrations() {
		if m.version <= have {
			continue
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, recordMigration.SQL, m.version, m.name); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return nil
}

var (
	createMigrations = mustLoad("migrate/create.sql")
	migrationVersion = mustLoad("migrate/version.sql")
	recordMigration  = mustLoad("migrate/record.sql")
)
