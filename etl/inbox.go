package etl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/fenliu/fenliu/domain"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fenliu/fenliu/queries"
)

// Inbox names the folders of the scheduled loads.
type Inbox struct {
	Dir, Archive, Failed string
}

// InboxResult says what one scan did.
type InboxResult struct {
	Loaded  []Accounting // loaded or skipped, moved to the archive
	Failed  []string     // refused or failed, moved to failed/ with a reason file
	Waiting []Waiting    // left in the inbox, each with why: looked at again next time
}

// Waiting is a file left in the inbox and why.
type Waiting struct {
	Name, Reason string
}

// Why a file waits in the inbox.
const (
	WaitNew     = "new: loaded on the next scan if it has not changed by then"
	WaitGrowing = "still being written: its size or time changed since the last scan"
	WaitLocked  = "locked: open in another program (an office lock file is beside it)"
	WaitUnread  = "cannot be read"
	WaitKind    = "not an export: fenliu loads .csv, .txt, .tsv, .xlsx and .parquet files; move it out of the inbox"
)

// Blocked says why an inbox file cannot be loaded however long it waits — not
// an export, locked by an office suite, unreadable — or "" when it can be.
func Blocked(dir, name string) string {
	if !exportExts[strings.ToLower(filepath.Ext(name))] {
		return WaitKind
	}
	if lockedBy(dir, name) {
		return WaitLocked
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return WaitUnread + ": " + err.Error()
	}
	f.Close()
	return ""
}

// exportExts are the names of the files the inbox loads.
var exportExts = map[string]bool{".csv": true, ".txt": true, ".tsv": true, ".xlsx": true, ".xls": true, ".parquet": true}

// lockedBy reports an office suite's lock file beside a file: ~$name (Excel,
// WPS) or .~lock.name# (LibreOffice), written while the file is open.
func lockedBy(dir, name string) bool {
	for _, lock := range []string{"~$" + name, ".~lock." + name + "#"} {
		if _, err := os.Lstat(filepath.Join(dir, lock)); err == nil {
			return true
		}
	}
	// Excel shortens long names: ~$ replaces the first two characters.
	if r := []rune(name); len(r) > 2 {
		if _, err := os.Lstat(filepath.Join(dir, "~$"+string(r[2:]))); err == nil {
			return true
		}
	}
	return false
}

// ScanInbox loads the files of the inbox that are complete: a file is loaded only
// when its size and modification time held since the previous scan (recorded in the
// database, so separate processes — `schedule --once` from a timer — agree). A
// loaded or skipped file moves to the archive; a file that cannot be loaded moves
// to failed/ with <name>.reason.txt. Names are never overwritten: a clash gets -1,
// -2 ….
func ScanInbox(ctx context.Context, db *sql.DB, in Inbox, o Options) (InboxResult, error) {
	var res InboxResult
	entries, err := os.ReadDir(in.Dir)
	if err != nil {
		return res, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasSuffix(name, ".reason.txt") {
			continue
		}
		path := filepath.Join(in.Dir, name)
		info, err := os.Stat(path)
		if err != nil {
			continue // moved away meanwhile
		}
		wait := func(reason string) { res.Waiting = append(res.Waiting, Waiting{name, reason}) }
		if why := Blocked(in.Dir, name); why != "" {
			wait(why)
			continue
		}
		mtime := domain.Wall(info.ModTime().UTC()) // as the table stores it
		var size int64
		var seen time.Time
		err = db.QueryRowContext(ctx, queries.SeenGet.SQL, name).Scan(&size, &seen)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return res, err
		}
		if err != nil || size != info.Size() || !seen.Equal(mtime) {
			if err != nil {
				wait(WaitNew)
			} else {
				wait(WaitGrowing)
			}
			if _, err := db.ExecContext(ctx, queries.SeenForget.SQL, name); err != nil {
				return res, err
			}
			if _, err := db.ExecContext(ctx, queries.SeenPut.SQL, name, info.Size(), mtime); err != nil {
				return res, err
			}
			continue
		}
		acc, lerr := Load(ctx, db, path, o)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if lerr != nil {
			dest, err := moveFree(path, in.Failed)
			if err != nil {
				return res, err
			}
			reason := fmt.Sprintf("%s\n\nfenliu could not load this file (%s). Fix it and drop it into the inbox again.\n", lerr, o.Now.Format(time.RFC3339))
			if err := os.WriteFile(dest+".reason.txt", []byte(reason), 0o644); err != nil {
				return res, err
			}
			res.Failed = append(res.Failed, name)
		} else {
			if _, err := moveFree(path, in.Archive); err != nil {
				return res, err
			}
			res.Loaded = append(res.Loaded, acc)
		}
		if _, err := db.ExecContext(ctx, queries.SeenForget.SQL, name); err != nil {
			return res, err
		}
	}
	return res, nil
}

// moveFree moves a file into dir under its name, or name-1, name-2 … if taken.
func moveFree(path, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 0; ; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		dest := filepath.Join(dir, name)
		if _, err := os.Lstat(dest); errors.Is(err, os.ErrNotExist) {
			return dest, os.Rename(path, dest)
		}
	}
}
