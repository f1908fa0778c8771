// Package deliver hands finished reports to their readers: a copy into each
// recipient's outbox folder (shared drives are how intranets move files), a mail
// through the intranet's SMTP server, a message to a DingTalk / 浙政钉 / WeCom group
// robot. Each recipient gets only its scope's files: the committee and a county
// the reports, a department or a town its own feedback sheet (反馈单).
//
// A written report is described by its Manifest (kept beside it in the reports
// folder); Plan turns a manifest and the configured recipients into deliveries,
// Send carries each out with retries and backoff and says how it went. Nothing
// here touches the database: the caller records the results and retries the
// failed ones on its next run, so a failed delivery never blocks or loses the
// report.
package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Config is the delivery section of fenliu.yaml.
type Config struct {
	// Outbox is the folder under which each recipient with outbox: true has a
	// folder of its own (relative to the config's folder).
	Outbox string `yaml:"outbox"`
	// LinkBase is the address at which the intranet serves the reports folder
	// (http://10.1.2.3/fenliu/); a robot's message links to the report there.
	// "": the message names the file instead.
	LinkBase string `yaml:"link_base"`
	Mail     Mail   `yaml:"mail"`
	// Attempts is how many times a delivery is tried in one run, Backoff the wait
	// before the second try (doubled before each next one).
	Attempts   int           `yaml:"attempts"`
	Backoff    time.Duration `yaml:"backoff"`
	Recipients []Recipient   `yaml:"recipients"`
}

// DefaultConfig delivers nothing: no recipients.
func DefaultConfig() Config {
	return Config{Outbox: "outbox", Recipients: []Recipient{}, Attempts: 3, Backoff: 5 * time.Second, Mail: Mail{Port: 587, Security: "starttls"}}
}

// Mail is the intranet's SMTP server.
type Mail struct {
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// Security: starttls (port 587: the session is upgraded, and refused if the
	// server cannot), tls (port 465: TLS from the start) or none (a server on a
	// closed network that offers neither; the password then crosses in clear).
	Security string `yaml:"security"`
	Username string `yaml:"username"`
	// PasswordFile holds the password (a file readable by fenliu's user only,
	// never the config itself).
	PasswordFile string `yaml:"password_file"`
	From         string `yaml:"from"`    // 政法委考评 <kaoping@zfw.example>
	CAFile       string `yaml:"ca_file"` // the intranet's certificate authority (PEM); "": the system's
}

// Recipient is one reader of the reports and how it is reached.
type Recipient struct {
	Name string `yaml:"name"`
	// Scope: committee (every report), county:<name> (every report), or
	// department:<name> / town:<name> (that unit's feedback sheets).
	Scope string `yaml:"scope"`
	// Kinds are the report kinds it receives (monthly, annual, weekly, trend,
	// alerts); empty: all.
	Kinds   []string `yaml:"kinds"`
	Outbox  bool     `yaml:"outbox"`
	Email   []string `yaml:"email"`
	Webhook *Webhook `yaml:"webhook"`
}

// Webhook is a group robot.
type Webhook struct {
	URL string `yaml:"url"`
	// Kind is the JSON the robot takes: dingtalk (DingTalk and 浙政钉) or wecom.
	Kind string `yaml:"kind"`
	// SecretFile holds the robot's signing secret (DingTalk's 加签), if it has one.
	SecretFile string `yaml:"secret_file"`
}

// Validate checks the section: every recipient named once, with a known scope,
// known kinds, at least one channel, and the channels it uses configured.
func (c Config) Validate() error {
	seen := map[string]bool{}
	for i, r := range c.Recipients {
		where := fmt.Sprintf("delivery.recipients[%d]", i)
		if strings.TrimSpace(r.Name) == "" {
			return fmt.Errorf("%s: a recipient needs a name", where)
		}
		where = fmt.Sprintf("delivery.recipients[%d] (%s)", i, r.Name)
		if seen[r.Name] {
			return fmt.Errorf("%s: the name is used twice", where)
		}
		seen[r.Name] = true
		if _, _, err := ParseScope(r.Scope); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for _, k := range r.Kinds {
			if !slices.Contains(Kinds, k) {
				return fmt.Errorf("%s: kind %q is not one of %s", where, k, strings.Join(Kinds, ", "))
			}
		}
		if !r.Outbox && len(r.Email) == 0 && r.Webhook == nil {
			return fmt.Errorf("%s: no channel: set outbox: true, email or webhook", where)
		}
		if len(r.Email) > 0 && (c.Mail.Host == "" || c.Mail.From == "") {
			return fmt.Errorf("%s: has email, but delivery.mail has no host or from", where)
		}
		if w := r.Webhook; w != nil && (w.URL == "" || (w.Kind != "dingtalk" && w.Kind != "wecom")) {
			return fmt.Errorf("%s: a webhook needs a url and kind dingtalk or wecom", where)
		}
	}
	switch c.Mail.Security {
	case "starttls", "tls", "none":
	default:
		return fmt.Errorf("delivery.mail.security: %q is not starttls, tls or none", c.Mail.Security)
	}
	if c.Attempts < 1 {
		return errors.New("delivery.attempts: at least 1")
	}
	return nil
}

// Kinds are what can be delivered: the report kinds and the warnings.
var Kinds = []string{"monthly", "annual", "weekly", "trend", "alerts"}

// Scopes of a recipient.
const (
	Committee  = "committee"
	County     = "county"
	Department = "department"
	Town       = "town"
)

// ParseScope splits a scope into its kind and unit: committee, county:诸暨市,
// department:水利局, town:枫桥镇.
func ParseScope(s string) (kind, unit string, err error) {
	kind, unit, _ = strings.Cut(strings.TrimSpace(s), ":")
	kind, unit = strings.TrimSpace(kind), strings.TrimSpace(unit)
	switch {
	case kind == Committee && unit == "":
		return kind, "", nil
	case (kind == County || kind == Department || kind == Town) && unit != "":
		return kind, unit, nil
	}
	return "", "", fmt.Errorf("scope %q: want committee, county:<name>, department:<name> or town:<name>", s)
}

// Manifest describes a written report for its delivery: kept beside the report
// (ManifestPath), so that a delivery retried later, or asked for by
// hand, needs neither the database nor the report built again.
type Manifest struct {
	Kind    string    `json:"kind"`
	Period  string    `json:"period"`
	Version int       `json:"version"`
	Title   string    `json:"title"`
	Summary string    `json:"summary"` // the 通报's first paragraph
	AsOf    time.Time `json:"as_of"`
	// Dir is the reports folder; Files and the units' files are relative to it.
	Dir   string      `json:"-"`
	Files []string    `json:"files"`
	Units []UnitFiles `json:"units,omitempty"`
}

// UnitFiles are one unit's feedback sheets.
type UnitFiles struct {
	Unit    string   `json:"unit"`
	By      string   `json:"by"` // department or town
	Summary string   `json:"summary"`
	Files   []string `json:"files"`
}

// Key names the report in the delivery records: monthly/2026-11/v1.
func (m *Manifest) Key() string { return fmt.Sprintf("%s/%s/v%d", m.Kind, m.Period, m.Version) }

// ManifestPath is where the manifest of the report named base is kept in dir:
// .base.delivery.json, hidden from those who browse the reports folder.
func ManifestPath(dir, base string) string {
	return filepath.Join(dir, "."+base+".delivery.json")
}

// WriteManifest writes the manifest beside the report (ManifestPath).
func WriteManifest(m *Manifest, base string) (string, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	path := ManifestPath(m.Dir, base)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// ReadManifest reads a manifest; its Dir is the folder it is in.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.Dir = filepath.Dir(path)
	return &m, nil
}

// A Delivery is one message to one recipient by one channel.
type Delivery struct {
	Report    string // Manifest.Key
	Recipient string
	Channel   string // outbox, mail, webhook
	To        []string
	Subject   string
	Summary   string   // the report's (or the unit's) summary
	Body      string   // plain text: the summary and what is attached
	Files     []string // absolute paths
	Link      string   // the report on the intranet ("" without link_base)
	webhook   *Webhook
	outbox    string
}

// Plan is the deliveries of a report to the recipients whose kinds and scope it
// meets; only tells which recipients and channels to keep (nil: all), for a
// retry of the failed ones.
func Plan(c Config, baseDir string, m *Manifest, only func(recipient, channel string) bool) []Delivery {
	var out []Delivery
	for _, r := range c.Recipients {
		if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, m.Kind) {
			continue
		}
		kind, unit, err := ParseScope(r.Scope)
		if err != nil {
			continue // Validate refused it
		}
		d := Delivery{Report: m.Key(), Recipient: r.Name, Subject: m.Title, Summary: m.Summary}
		var rel []string
		switch kind {
		case Committee, County:
			rel = m.Files
		default:
			found := false
			for _, u := range m.Units {
				if u.By == kind && u.Unit == unit {
					rel, found = u.Files, true
					d.Subject = m.Title + " · " + unit + " 考评反馈单"
					d.Summary = u.Summary
				}
			}
			if !found {
				continue // no sheet of its own in this report
			}
		}
		for _, f := range rel {
			d.Files = append(d.Files, filepath.Join(m.Dir, f))
		}
		d.Link = link(c.LinkBase, rel)
		d.Body = body(d.Summary, rel, d.Link)
		keep := func(ch string) bool { return only == nil || only(r.Name, ch) }
		if r.Outbox && keep("outbox") {
			o := d
			o.Channel, o.outbox = "outbox", filepath.Join(baseDir, c.Outbox, SafeName(r.Name))
			o.To = []string{o.outbox}
			out = append(out, o)
		}
		if len(r.Email) > 0 && keep("mail") {
			o := d
			o.Channel, o.To = "mail", r.Email
			out = append(out, o)
		}
		if r.Webhook != nil && keep("webhook") {
			o := d
			o.Channel, o.webhook, o.To = "webhook", r.Webhook, []string{r.Webhook.Kind}
			out = append(out, o)
		}
	}
	return out
}

// link is the address of the report's page (or its first file) under base.
func link(base string, rel []string) string {
	if base == "" || len(rel) == 0 {
		return ""
	}
	pick := rel[0]
	for _, f := range rel {
		if strings.HasSuffix(f, ".html") {
			pick = f
			break
		}
	}
	parts := strings.Split(filepath.ToSlash(pick), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.Join(parts, "/")
}

// body is a message's text: the summary, then the attached files by name and the
// link.
func body(summary string, rel []string, link string) string {
	var b strings.Builder
	if summary != "" {
		b.WriteString(summary + "\n\n")
	}
	if len(rel) > 0 {
		b.WriteString("附件：\n")
		for _, f := range rel {
			b.WriteString("  " + filepath.Base(f) + "\n")
		}
	}
	if link != "" {
		b.WriteString("\n在线查看：" + link + "\n")
	}
	b.WriteString("\n（本消息由 fenliu 自动发送）\n")
	return b.String()
}

// Result is how a delivery went.
type Result struct {
	Delivery
	Err      error
	Attempts int
	At       time.Time
}

// Options are what a send needs besides the deliveries.
type Options struct {
	Config  Config
	BaseDir string              // the config's folder: relative secret files are under it
	Sleep   func(time.Duration) // time.Sleep; tests pass a recorder
	Now     func() time.Time
}

// Send carries out each delivery, trying each up to Attempts times with a
// doubling backoff; a delivery that fails does not stop the others.
func Send(ctx context.Context, ds []Delivery, o Options) []Result {
	sleep, now := o.Sleep, o.Now
	if sleep == nil {
		sleep = time.Sleep
	}
	if now == nil {
		now = time.Now
	}
	out := make([]Result, 0, len(ds))
	for _, d := range ds {
		r := Result{Delivery: d}
		wait := o.Config.Backoff
		for r.Attempts < max(o.Config.Attempts, 1) {
			if r.Attempts > 0 {
				sleep(wait)
				wait *= 2
			}
			r.Attempts++
			if r.Err = send(ctx, d, o); r.Err == nil || errors.Is(r.Err, errPermanent) || ctx.Err() != nil {
				break
			}
		}
		r.At = now()
		out = append(out, r)
	}
	return out
}

// errPermanent marks an error no retry can mend (a missing file, a secret file
// that cannot be read).
var errPermanent = errors.New("not retried")

func send(ctx context.Context, d Delivery, o Options) error {
	for _, f := range d.Files {
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("%w: %v", errPermanent, err)
		}
	}
	switch d.Channel {
	case "outbox":
		return copyOut(d.Files, d.outbox)
	case "mail":
		return sendMail(ctx, d, o)
	case "webhook":
		return postWebhook(ctx, d, o)
	}
	return fmt.Errorf("%w: unknown channel %q", errPermanent, d.Channel)
}

// secretFile reads a secret kept in a file (relative to the config's folder).
func secretFile(baseDir, path string) (string, error) {
	if path == "" {
		return "", nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errPermanent, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// SafeName makes a name (a recipient's, a unit's) a file or folder name: no path
// separators, no characters Windows refuses, no control characters, not empty.
func SafeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, s)
	if s = strings.Trim(s, " ."); s == "" {
		return "未命名"
	}
	return s
}
