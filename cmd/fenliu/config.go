package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/score"
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
		Schedule:     scheduleConfig{Inbox: "*/10 * * * *", Weekly: "0 8 * * 1", Monthly: "0 8 5 * *", Annual: "0 8 10 1 *"},
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
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return fmt.Errorf("time_zone %q: %w", c.TimeZone, err)
	}
	c.zone = loc
	if c.DB == "" {
		return fmt.Errorf("db: must name the database file")
	}
	if err := c.Indicators.Validate(); err != nil {
		return err
	}
	if err := c.Scoring.Validate(); err != nil {
		return err
	}
	for key, spec := range map[string]string{"inbox": c.Schedule.Inbox, "weekly": c.Schedule.Weekly,
		"monthly": c.Schedule.Monthly, "annual": c.Schedule.Annual} {
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

// secret returns the HMAC key: $FENLIU_SECRET, else the secret file.
func (c *config) secret() ([]byte, error) {
	if s := os.Getenv("FENLIU_SECRET"); s != "" {
		return []byte(s), nil
	}
	p := c.path(c.SecretFile)
	b, err := os.ReadFile(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no secret for caller phone keys: %s does not exist; run `fenliu init` or set FENLIU_SECRET", p)
		}
		return nil, fmt.Errorf("secret: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if len(s) < 16 {
		return nil, fmt.Errorf("secret in %s is too short (want at least 16 characters)", p)
	}
	return []byte(s), nil
}
