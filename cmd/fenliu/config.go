package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"github.com/fenliu/fenliu/alerts"
	"github.com/fenliu/fenliu/deliver"
	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/etl/profile"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/queries"
	"github.com/fenliu/fenliu/reports"
)

// config mirrors fenliu.yaml. Each package owns its section's type and defaults.
type config struct {
	DB           string         `yaml:"db"`
	TimeZone     string         `yaml:"time_zone"`
	SecretFile   string         `yaml:"secret_file"`
	Dictionaries dictionaries   `yaml:"dictionaries"`
	Profiles     []string       `yaml:"profiles"`
	Dirs         dirs           `yaml:"dirs"`
	DuckDB       duckdbConfig   `yaml:"duckdb"`
	Indicators   metrics.Config `yaml:"indicators"`
	Scoring      score.Config   `yaml:"scoring"`
	Schedule     scheduleConfig `yaml:"schedule"`
	Bulletin     reports.Header `yaml:"bulletin"`
	Delivery     deliver.Config `yaml:"delivery"`
	Alerts       alerts.Config  `yaml:"alerts"`

	dir  string         // folder of the config file ("" for built-in defaults: the working folder)
	file string         // the config file, "" for built-in defaults
	zone *time.Location // parsed TimeZone
}

type dictionaries struct {
	Departments string `yaml:"departments"`
	Categories  string `yaml:"categories"`
}

type dirs struct {
	Inbox   string `yaml:"inbox"`
	Archive string `yaml:"archive"`
	Failed  string `yaml:"failed"`
	Reports string `yaml:"reports"`
	Temp    string `yaml:"temp"`
}

type duckdbConfig struct {
	MemoryLimit string `yaml:"memory_limit"`
	Threads     int    `yaml:"threads"`
}

type scheduleConfig struct {
	Inbox   string `yaml:"inbox"`
	Weekly  string `yaml:"weekly"`
	Monthly string `yaml:"monthly"`
	Annual  string `yaml:"annual"`
	Alerts  string `yaml:"alerts"` // the warnings (预警): found and the new ones delivered
	// PerUnit: with the monthly and annual reports, also a feedback sheet
	// (反馈单) per department or town ("": none).
	PerUnit string `yaml:"per_unit"`
}

func defaultConfig() config {
	return config{
		DB:           "fenliu.duckdb",
		TimeZone:     "Asia/Shanghai",
		SecretFile:   "secret.key",
		Dictionaries: dictionaries{Departments: "departments.csv", Categories: "categories.csv"},
		Profiles:     []string{},
		Dirs:         dirs{Inbox: "inbox", Archive: "archive", Failed: "failed", Reports: "reports", Temp: "tmp"},
		DuckDB:       duckdbConfig{MemoryLimit: "2GB"},
		Indicators:   metrics.DefaultConfig(),
		Scoring:      score.DefaultConfig(),
		Schedule:     scheduleConfig{Inbox: "*/10 * * * *", Weekly: "0 8 * * 1", Monthly: "0 8 5 * *", Annual: "0 8 10 1 *", Alerts: "0 9 * * *"},
		Bulletin:     reports.DefaultHeader(),
		Delivery:     deliver.DefaultConfig(),
		Alerts:       alerts.DefaultConfig(),
	}
}

// loadConfig finds and reads the configuration: --config, else $FENLIU_CONFIG, else
// ./fenliu.yaml if present, else the built-in defaults.
func loadConfig(flagPath string) (*config, error) {
	path := flagPath
	if path == "" {
		path = os.Getenv("FENLIU_CONFIG")
	}
	if path == "" {
		if _, err := os.Stat("fenliu.yaml"); err == nil {
			path = "fenliu.yaml"
		}
	}
	c := defaultConfig()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, usageError{fmt.Errorf("config: %w", err)}
		}
		if err := decodeConfig(b, &c); err != nil {
			return nil, usageError{fmt.Errorf("config %s: %w", path, err)}
		}
		abs, _ := filepath.Abs(path)
		c.file, c.dir = abs, filepath.Dir(abs)
	}
	if err := c.validate(); err != nil {
		where := "built-in defaults"
		if path != "" {
			where = path
		}
		return nil, usageError{fmt.Errorf("config %s: %w", where, err)}
	}
	return &c, nil
}

// decodeConfig decodes YAML over the defaults, refusing unknown keys. Maps given in
// the file replace the default maps entry by entry.
func decodeConfig(b []byte, c *config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) { // an empty file: all defaults
		return err
	}
	return nil
}

func (c *config) validate() error {
	if strings.TrimSpace(c.TimeZone) == "" {
		return fmt.Errorf("time_zone: empty; name the zone of the exports, such as Asia/Shanghai")
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return fmt.Errorf("time_zone %q: %w", c.TimeZone, err)
	}
	c.zone = loc
	switch {
	case c.DB == "":
		return fmt.Errorf("db: must name the database file")
	case c.SecretFile == "" && os.Getenv("FENLIU_SECRET") == "":
		return fmt.Errorf("secret_file: empty; name the secret file (fenliu init writes secret.key) or set FENLIU_SECRET")
	case c.DuckDB.Threads < 0:
		return fmt.Errorf("duckdb.threads %d: want 0 (one per core) or a positive number", c.DuckDB.Threads)
	case c.DuckDB.MemoryLimit != "" && queries.CheckMemoryLimit(c.DuckDB.MemoryLimit) != nil:
		return fmt.Errorf("duckdb.memory_limit %q: want a size such as 2GB or 512MB", c.DuckDB.MemoryLimit)
	}
	if err := c.Indicators.Validate(); err != nil {
		return err
	}
	if err := c.Scoring.Validate(); err != nil {
		return err
	}
	switch c.Schedule.PerUnit {
	case "", "department", "town":
	default:
		return fmt.Errorf("schedule.per_unit %q: want department, town or nothing", c.Schedule.PerUnit)
	}
	if err := c.Delivery.Validate(); err != nil {
		return err
	}
	if err := c.Alerts.Validate(); err != nil {
		return err
	}
	for key, spec := range map[string]string{"inbox": c.Schedule.Inbox, "weekly": c.Schedule.Weekly,
		"monthly": c.Schedule.Monthly, "annual": c.Schedule.Annual, "alerts": c.Schedule.Alerts} {
		if _, err := cron.ParseStandard(spec); err != nil {
			return fmt.Errorf("schedule.%s %q: %w", key, spec, err)
		}
	}
	return nil
}

// path resolves a configured path against the config file's folder.
func (c *config) path(p string) string {
	if p == "" || filepath.IsAbs(p) || c.dir == "" {
		return p
	}
	return filepath.Join(c.dir, p)
}

// minSecret is the shortest secret accepted, from the environment or a file.
const minSecret = 16

// secret returns the HMAC key: $FENLIU_SECRET, else the secret file. A secret file
// that other users may read is refused unless allowOpen: the key is what keeps
// caller numbers from being guessed back from their keys.
func (c *config) secret(allowOpen bool) ([]byte, error) {
	if s := os.Getenv("FENLIU_SECRET"); s != "" {
		if len(strings.TrimSpace(s)) < minSecret {
			return nil, usageError{fmt.Errorf("FENLIU_SECRET is too short (want at least %d characters)", minSecret)}
		}
		return []byte(s), nil
	}
	p := c.path(c.SecretFile)
	st, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no secret for caller phone keys: %s (secret_file) does not exist; run `fenliu init` or set FENLIU_SECRET", p)
		}
		return nil, fmt.Errorf("secret: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 && !allowOpen {
		return nil, usageError{fmt.Errorf("secret_file %s can be read by other users (mode %04o): chmod 600 %s, or pass --allow-open-secret", p, st.Mode().Perm(), p)}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if len(s) < minSecret {
		return nil, usageError{fmt.Errorf("secret_file %s is too short (want at least %d characters)", p, minSecret)}
	}
	return []byte(s), nil
}

// profiles returns the built-in profiles followed by the configured user profiles.
func (c *config) profiles() ([]*profile.Profile, error) {
	ps := profile.Builtins()
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Name] = true
	}
	for _, pat := range c.Profiles {
		matches, err := filepath.Glob(c.path(pat))
		if err != nil {
			return nil, fmt.Errorf("profiles: %q: %w", pat, err)
		}
		for _, m := range matches {
			p, err := profile.LoadFile(m)
			if err != nil {
				return nil, err
			}
			if seen[p.Name] {
				return nil, fmt.Errorf("profile %s: name %q is already taken", m, p.Name)
			}
			seen[p.Name] = true
			ps = append(ps, p)
		}
	}
	return ps, nil
}

// pickProfile finds a profile by name, or reads a YAML file.
func pickProfile(ps []*profile.Profile, name string) (*profile.Profile, error) {
	for _, p := range ps {
		if p.Name == name {
			return p, nil
		}
	}
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
		return profile.LoadFile(name)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("--profile %q: no such profile (have: %s; or give a .yaml file)", name, strings.Join(names, ", "))
}

// loadDictionaries loads the configured dictionaries. Without a config file, a
// missing dictionary is simply absent; with one, it is an error.
func (c *config) loadDictionaries(ctx context.Context, db *sql.DB) error {
	dep, cat := c.path(c.Dictionaries.Departments), c.path(c.Dictionaries.Categories)
	if c.file == "" {
		if _, err := os.Stat(dep); err != nil {
			dep = ""
		}
		if _, err := os.Stat(cat); err != nil {
			cat = ""
		}
		if dep == "" && cat == "" {
			return nil
		}
	}
	return etl.LoadDictionaries(ctx, db, dep, cat)
}
