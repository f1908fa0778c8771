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
	db  *sql.DB
	cfg Config
	log *slog.Logger
}

// New returns a Store over db with the indicator settings in force. log takes
// each statement's name and time at debug level; nil discards.
func New(db *sql.DB, cfg Config, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{db: db, cfg: cfg, log: log}
}

// Config is the indicator settings the store computes with.
func (s *Store) Config() Config { return s.cfg }
