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
	Waiting int          // new or still changing: looked at again next time
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
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".reason.txt") {
			continue
		}
		path := filepath.Join(in.Dir, name)
		info, err := os.Stat(path)
		if err != nil {
			continue // moved away meanwhile
		}
		mtime := domain.Wall(info.ModTime().UTC()) // as the table stores it
		var size int64
		var seen time.Time
		err = db.QueryRowContext(ctx, queries.SeenGet.SQL, name).Scan(&size, &seen)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return res, err
		}
		if err != nil || size != info.Size() || !seen.Equal(mtime) {
			if _, err := db.ExecContext(ctx, queries.SeenForget.SQL, name); err != nil {
				return res, err
			}
			if _, err := db.ExecContext(ctx, queries.SeenPut.SQL, name, info.Size(), mtime); err != nil {
				return res, err
			}
			res.Waiting++
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
