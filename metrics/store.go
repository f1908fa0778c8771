package metrics

import (
	"database/sql"
	"log/slog"
)

// Store computes the figures of one fenliu database: the indicators (Compute,
// Compare), the weekly briefing (Weekly) and the detail lists beside them. It
// only reads — a database opened read-only will do — and refuses derived facts
// that do not follow the loads and the settings (ErrStale); Refresh builds them.
type Store struct {
	db      *sql.DB
	cfg     Config
	log     *slog.Logger
	tempDir string
}

// New returns a Store over db with the indicator settings in force. log takes
// each statement's name and time at debug level; nil discards.
func New(db *sql.DB, cfg Config, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{db: db, cfg: cfg, log: log}
}

// WithTempDir is the store writing what it spools (a full detail's members) in
// dir rather than the system's temporary folder.
func (s *Store) WithTempDir(dir string) *Store {
	c := *s
	c.tempDir = dir
	return &c
}

// Config is the indicator settings the store computes with.
func (s *Store) Config() Config { return s.cfg }
