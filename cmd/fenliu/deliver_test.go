package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailbox is an SMTP server on loopback that keeps the mails it is given.
type mailbox struct {
	mu    sync.Mutex
	mails []string
}

type mailboxSession struct{ b *mailbox }

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return mailboxSession{b}, nil }
func (mailboxSession) AuthMechanisms() []string                { return []string{sasl.Plain} }
func (mailboxSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "kaoping" || pass != "s3cret" {
			return errors.New("bad credentials")
		}
		return nil
	}), nil
}
func (mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (mailboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s mailboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.b.mu.Lock()
	s.b.mails = append(s.b.mails, string(b))
	s.b.mu.Unlock()
	return err
}
func (mailboxSession) Reset()        {}
func (mailboxSession) Logout() error { return nil }

func startMailbox(t *testing.T) (*mailbox, string) {
	b := &mailbox{}
	srv := smtp.NewServer(b)
	srv.Domain, srv.AllowInsecureAuth = "127.0.0.1", true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return b, port
}

// A written report reaches every recipient in its scope: the committee's outbox
// and mail and robot get the report, a department's outbox only its own feedback
// sheet; nothing is sent twice; a robot that is down fails the delivery, which
// is recorded, and the scheduler's next run delivers it.
func TestDeliverReachesTheRecipients(t *testing.T) {
	dir := generatedInstall(t, 600, "2024-05-01", "2024-06-01", 3)
	box, port := startMailbox(t)
	var down atomic.Bool
	var robotMu sync.Mutex
	var robot []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		var m map[string]any
		json.NewDecoder(r.Body).Decode(&m)
		robotMu.Lock()
		robot = append(robot, m)
		robotMu.Unlock()
		w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	os.WriteFile(filepath.Join(dir, "mail.pass"), []byte("s3cret"), 0o600)
	cfg := filepath.Join(dir, "fenliu.yaml")
	b, _ := os.ReadFile(cfg)
	conf := strings.NewReplacer(
		`    host: ""               # the intranet's SMTP server`, `    host: 127.0.0.1`,
		`    port: 587`, `    port: `+port,
		`    security: starttls     # starttls (587), tls (465) or none`, `    security: none`,
		`    username: ""`, `    username: kaoping`,
		`    password_file: ""      # a file holding the password (mode 0600)`, `    password_file: mail.pass`,
		`    from: ""               # e.g. "政法委考评 <kaoping@zfw.example>"`, `    from: "政法委考评 <kaoping@zfw.example>"`,
		`  backoff: 5s`, `  backoff: 10ms`,
		`  recipients: []`, `  recipients:
    - {name: 市委政法委, scope: committee, outbox: true, email: [kp@zfw.example], webhook: {url: "`+srv.URL+`/robot/send?access_token=T", kind: dingtalk}}
    - {name: 水利局, scope: "department:水利局", outbox: true}
    - {name: 周报组, scope: committee, kinds: [weekly], outbox: true}`,
	).Replace(string(b))
	if !strings.Contains(conf, "security: none") || !strings.Contains(conf, "水利局") {
		t.Fatal("the config template changed: the test could not set delivery up")
	}
	os.WriteFile(cfg, []byte(conf), 0o644)

	if _, errs, code := fenliu(t, dir, "deliver", "monthly", "--period", "2024-05"); code != 1 || !strings.Contains(errs, "no monthly report for 2024-05") {
		t.Errorf("deliver before the report: exit %d %s", code, errs)
	}
	if _, errs, code := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20", "--per", "department"); code != 0 {
		t.Fatalf("report: %s", errs)
	}
	out, errs, code := fenliu(t, dir, "deliver", "monthly", "--period", "2024-05")
	if code != 0 {
		t.Fatalf("deliver: exit %d %s\n%s", code, errs, out)
	}
	mustContain(t, "deliver", out, "monthly/2024-05/v1 → 市委政法委 by outbox: sent (2 files", "→ 市委政法委 by mail: sent", "→ 市委政法委 by webhook: sent",
		"→ 水利局 by outbox: sent (2 files")
	if strings.Contains(out, "周报组") {
		t.Errorf("the weekly-only recipient got the monthly:\n%s", out)
	}
	committee, _ := os.ReadDir(filepath.Join(dir, "outbox", "市委政法委"))
	unit, _ := os.ReadDir(filepath.Join(dir, "outbox", "水利局"))
	if len(committee) != 2 || len(unit) != 2 {
		t.Fatalf("outboxes: committee %v, unit %v", committee, unit)
	}
	for _, f := range unit {
		if !strings.HasPrefix(f.Name(), "2024-05_水利局_反馈单.") {
			t.Errorf("the unit's outbox holds %s", f.Name())
		}
	}
	if len(box.mails) != 1 || !strings.Contains(box.mails[0], "2024-05_") || len(robot) != 1 {
		t.Fatalf("%d mails, %d robot messages", len(box.mails), len(robot))
	}
	md := robot[0]["markdown"].(map[string]any)
	if !strings.Contains(md["text"].(string), "全市共接报警情") {
		t.Errorf("the robot's message lacks the 通报's summary: %v", md)
	}

	// Again: nothing to send.
	if out, _, code := fenliu(t, dir, "deliver", "monthly", "--period", "2024-05"); code != 0 || !strings.Contains(out, "nothing to deliver") {
		t.Errorf("second deliver: exit %d\n%s", code, out)
	}
	// The robot is down: --again fails its delivery (exit 1), the others go.
	down.Store(true)
	out, errs, code = fenliu(t, dir, "deliver", "monthly", "--period", "2024-05", "--again")
	if code != 1 || !strings.Contains(out, "by webhook: failed") || !strings.Contains(errs, "1 of 4 deliveries failed") {
		t.Fatalf("robot down: exit %d %s\n%s", code, errs, out)
	}
	if strings.Contains(out+errs, "access_token") {
		t.Errorf("the robot's token shows:\n%s%s", out, errs)
	}
	// The scheduler's next run delivers it.
	down.Store(false)
	if _, errs, code := fenliu(t, dir, "schedule", "--once"); code != 0 {
		t.Fatalf("schedule --once: %s", errs)
	}
	jobs, _, _ := fenliu(t, dir, "jobs")
	mustContain(t, "jobs", jobs, "deliver", "retried: 1 delivered")
	may := 0 // the run also wrote and delivered this week's, month's and year's reports
	for _, m := range robot {
		if strings.HasPrefix(m["markdown"].(map[string]any)["title"].(string), "2024年5月") {
			may++
		}
	}
	if may != 2 {
		t.Errorf("%d robot messages of May 2024 after the retry, want 2", may)
	}
	// Nothing left to retry: the next run records nothing for deliver.
	fenliu(t, dir, "schedule", "--once")
	if jobs2, _, _ := fenliu(t, dir, "jobs"); strings.Count(jobs2, "retried") != 1 {
		t.Errorf("an idle retry was recorded:\n%s", jobs2)
	}
}
