package deliver

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// reportDir writes a monthly report's files and two units' feedback sheets, and
// returns its manifest.
func reportDir(t *testing.T) *Manifest {
	t.Helper()
	dir := t.TempDir()
	m := &Manifest{Kind: "monthly", Period: "2024-05", Version: 1, Title: "2024年5月非警务警情分流处置考评通报",
		Summary: "2024年5月，全市共接报警情21起。", Dir: dir,
		Files: []string{"2024-05_月度考评通报.xlsx", "2024-05_月度考评通报.html"},
		Units: []UnitFiles{
			{Unit: "水利局", By: Department, Summary: "水利局2024年5月考评总分 75.67 分。", Files: []string{"2024-05/units/水利局/2024-05_水利局_反馈单.xlsx"}},
			{Unit: "住建局", By: Department, Summary: "住建局…", Files: []string{"2024-05/units/住建局/2024-05_住建局_反馈单.xlsx"}},
		}}
	for _, f := range append(append([]string{}, m.Files...), m.Units[0].Files[0], m.Units[1].Files[0]) {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("bytes of "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestPlanGivesEachRecipientItsScope(t *testing.T) {
	m := reportDir(t)
	c := DefaultConfig()
	c.Mail.Host, c.Mail.From = "mail.example", "考评 <k@example>"
	c.LinkBase = "http://10.0.0.1/fenliu/"
	c.Recipients = []Recipient{
		{Name: "市委政法委", Scope: "committee", Outbox: true, Email: []string{"a@example"}, Webhook: &Webhook{URL: "http://robot", Kind: "dingtalk"}},
		{Name: "诸暨市", Scope: "county:诸暨市", Outbox: true},
		{Name: "水利局", Scope: "department:水利局", Outbox: true, Email: []string{"sl@example"}},
		{Name: "枫桥镇", Scope: "town:枫桥镇", Outbox: true},                             // no sheet in this report
		{Name: "周报组", Scope: "committee", Kinds: []string{"weekly"}, Outbox: true}, // not this kind
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	ds := Plan(c, "/srv/fenliu", m, nil)
	var got []string
	for _, d := range ds {
		var files []string
		for _, f := range d.Files {
			files = append(files, filepath.Base(f))
		}
		got = append(got, d.Recipient+" "+d.Channel+" "+strings.Join(files, ","))
		if d.Report != "monthly/2024-05/v1" {
			t.Errorf("report key %q", d.Report)
		}
	}
	want := []string{
		"市委政法委 outbox 2024-05_月度考评通报.xlsx,2024-05_月度考评通报.html",
		"市委政法委 mail 2024-05_月度考评通报.xlsx,2024-05_月度考评通报.html",
		"市委政法委 webhook 2024-05_月度考评通报.xlsx,2024-05_月度考评通报.html",
		"诸暨市 outbox 2024-05_月度考评通报.xlsx,2024-05_月度考评通报.html",
		"水利局 outbox 2024-05_水利局_反馈单.xlsx",
		"水利局 mail 2024-05_水利局_反馈单.xlsx",
	}
	if !slices.Equal(got, want) {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ds[0].outbox != filepath.Join("/srv/fenliu", "outbox", "市委政法委") || ds[0].Link != "http://10.0.0.1/fenliu/2024-05_%E6%9C%88%E5%BA%A6%E8%80%83%E8%AF%84%E9%80%9A%E6%8A%A5.html" {
		t.Errorf("outbox %s link %s", ds[0].outbox, ds[0].Link)
	}
	if ds[4].Subject != m.Title+" · 水利局 考评反馈单" || !strings.HasPrefix(ds[4].Body, "水利局2024年5月考评总分") || strings.Contains(ds[4].Body, "全市") {
		t.Errorf("the unit's message: %q %q", ds[4].Subject, ds[4].Body)
	}
	// A retry keeps only what failed.
	retry := Plan(c, "/srv/fenliu", m, func(r, ch string) bool { return r == "水利局" && ch == "mail" })
	if len(retry) != 1 || retry[0].Recipient != "水利局" || retry[0].Channel != "mail" {
		t.Errorf("retry plan %+v", retry)
	}
}

func TestValidateNamesTheRecipient(t *testing.T) {
	for _, tc := range []struct {
		r    Recipient
		mail Mail
		want string
	}{
		{Recipient{Name: "甲", Scope: "city", Outbox: true}, Mail{Security: "starttls"}, "甲"},
		{Recipient{Name: "甲", Scope: "department:", Outbox: true}, Mail{Security: "starttls"}, "scope"},
		{Recipient{Name: "甲", Scope: "committee"}, Mail{Security: "starttls"}, "no channel"},
		{Recipient{Name: "甲", Scope: "committee", Email: []string{"a@b"}}, Mail{Security: "starttls"}, "no host"},
		{Recipient{Name: "甲", Scope: "committee", Webhook: &Webhook{URL: "http://x", Kind: "slack"}}, Mail{Security: "starttls"}, "dingtalk or wecom"},
		{Recipient{Name: "甲", Scope: "committee", Kinds: []string{"daily"}, Outbox: true}, Mail{Security: "starttls"}, "daily"},
		{Recipient{Name: "甲", Scope: "committee", Outbox: true}, Mail{Security: "ssl"}, "security"},
	} {
		c := DefaultConfig()
		c.Mail, c.Recipients = tc.mail, []Recipient{tc.r}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error naming %q", tc.r, err, tc.want)
		}
	}
}

func TestOutboxCopiesOnlyTheScope(t *testing.T) {
	m := reportDir(t)
	base := t.TempDir()
	c := DefaultConfig()
	c.Recipients = []Recipient{{Name: "水利局", Scope: "department:水利局", Outbox: true}, {Name: "市委政法委", Scope: "committee", Outbox: true}}
	res := Send(context.Background(), Plan(c, base, m, nil), Options{Config: c})
	for _, r := range res {
		if r.Err != nil || r.Attempts != 1 {
			t.Fatalf("%s: %v after %d attempts", r.Recipient, r.Err, r.Attempts)
		}
	}
	unit, _ := os.ReadDir(filepath.Join(base, "outbox", "水利局"))
	if len(unit) != 1 || unit[0].Name() != "2024-05_水利局_反馈单.xlsx" {
		t.Errorf("the unit's outbox holds %v", unit)
	}
	committee, _ := os.ReadDir(filepath.Join(base, "outbox", "市委政法委"))
	if len(committee) != 2 {
		t.Errorf("the committee's outbox holds %v", committee)
	}
	b, _ := os.ReadFile(filepath.Join(base, "outbox", "水利局", "2024-05_水利局_反馈单.xlsx"))
	if string(b) != "bytes of 2024-05/units/水利局/2024-05_水利局_反馈单.xlsx" {
		t.Errorf("copied %q", b)
	}
	// A file gone from the reports folder: not retried, said.
	os.Remove(filepath.Join(m.Dir, m.Files[0]))
	res = Send(context.Background(), Plan(c, base, m, nil), Options{Config: c, Sleep: func(time.Duration) { t.Error("slept before a hopeless retry") }})
	if res[1].Err == nil || res[1].Attempts != 1 || res[0].Err != nil {
		t.Errorf("missing file: %v after %d attempts; the unit: %v", res[1].Err, res[1].Attempts, res[0].Err)
	}
}

// smtpServer is an SMTP server on loopback that keeps what it receives.
type smtpServer struct {
	mu       sync.Mutex
	messages [][]byte
	rcpts    [][]string
	authed   []string
	fail     int // refuse this many messages first (451)
}

type smtpSession struct {
	s     *smtpServer
	rcpts []string
	user  string
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }
func (ss *smtpSession) AuthMechanisms() []string                  { return []string{sasl.Plain} }
func (ss *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "kaoping" || pass != "s3cret" {
			return errors.New("bad credentials")
		}
		ss.user = user
		return nil
	}), nil
}
func (ss *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.rcpts = append(ss.rcpts, to)
	return nil
}
func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.fail > 0 {
		ss.s.fail--
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	ss.s.messages, ss.s.rcpts, ss.s.authed = append(ss.s.messages, b), append(ss.s.rcpts, ss.rcpts), append(ss.s.authed, ss.user)
	return nil
}
func (ss *smtpSession) Reset()        { ss.rcpts = nil }
func (ss *smtpSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and returns it with its PEM.
func selfSigned(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// startSMTP starts the server on loopback: STARTTLS offered, or TLS from the
// start (implicit), or plain text only.
func startSMTP(t *testing.T, mode string, cert tls.Certificate) (*smtpServer, int) {
	t.Helper()
	be := &smtpServer{}
	srv := smtp.NewServer(be)
	srv.Domain = "127.0.0.1"
	srv.AllowInsecureAuth = mode == "none"
	if mode != "none" {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	var l net.Listener
	var err error
	if mode == "tls" {
		l, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return be, l.Addr().(*net.TCPAddr).Port
}

func mailConfig(t *testing.T, security string, port int, caPEM []byte) (Config, string) {
	base := t.TempDir()
	os.WriteFile(filepath.Join(base, "mail.pass"), []byte("s3cret\n"), 0o600)
	os.WriteFile(filepath.Join(base, "ca.pem"), caPEM, 0o644)
	c := DefaultConfig()
	c.Attempts, c.Backoff = 3, time.Millisecond
	c.Mail = Mail{Host: "127.0.0.1", Port: port, Security: security, Username: "kaoping", PasswordFile: "mail.pass",
		From: "政法委考评 <kaoping@zfw.example>", CAFile: "ca.pem"}
	c.Recipients = []Recipient{{Name: "水利局", Scope: "department:水利局", Email: []string{"shuili@zfw.example", "ban@zfw.example"}}}
	return c, base
}

func TestMailReachesTheServer(t *testing.T) {
	cert, caPEM := selfSigned(t)
	for _, security := range []string{"starttls", "tls"} {
		t.Run(security, func(t *testing.T) {
			srv, port := startSMTP(t, security, cert)
			srv.fail = 1 // the first try is refused for now: retried
			m := reportDir(t)
			c, base := mailConfig(t, security, port, caPEM)
			var slept []time.Duration
			res := Send(context.Background(), Plan(c, base, m, nil), Options{Config: c, BaseDir: base, Sleep: func(d time.Duration) { slept = append(slept, d) }})
			if len(res) != 1 || res[0].Err != nil || res[0].Attempts != 2 || len(slept) != 1 {
				t.Fatalf("%+v (slept %v)", res, slept)
			}
			if len(srv.messages) != 1 || srv.authed[0] != "kaoping" || !slices.Equal(srv.rcpts[0], []string{"shuili@zfw.example", "ban@zfw.example"}) {
				t.Fatalf("received %d messages, auth %v, rcpts %v", len(srv.messages), srv.authed, srv.rcpts)
			}
			msg, err := netmail.ReadMessage(bytes.NewReader(srv.messages[0]))
			if err != nil {
				t.Fatal(err)
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if subject != m.Title+" · 水利局 考评反馈单" {
				t.Errorf("subject %q", subject)
			}
			_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
			mr := multipart.NewReader(msg.Body, params["boundary"])
			var text string
			var attached []string
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(p)
				if p.FileName() != "" {
					name, _ := new(mime.WordDecoder).DecodeHeader(p.FileName()) // RFC 2047, as Outlook and Foxmail read it
					attached = append(attached, name)
					if p.Header.Get("Content-Transfer-Encoding") == "base64" {
						b, _ = base64.StdEncoding.DecodeString(strings.ReplaceAll(string(b), "\r\n", ""))
					}
					if string(b) != "bytes of 2024-05/units/水利局/2024-05_水利局_反馈单.xlsx" {
						t.Errorf("attachment bytes %q", b)
					}
				} else {
					text += decodeBody(t, p.Header.Get("Content-Transfer-Encoding"), b)
				}
			}
			if !slices.Equal(attached, []string{"2024-05_水利局_反馈单.xlsx"}) || !strings.Contains(text, "水利局2024年5月考评总分 75.67 分") || strings.Contains(text, "住建局") {
				t.Errorf("attachments %v, body %q", attached, text)
			}
		})
	}
}

func decodeBody(t *testing.T, enc string, b []byte) string {
	switch strings.ToLower(enc) {
	case "base64":
		out, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(b), "\r\n", ""))
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	case "quoted-printable":
		out, err := io.ReadAll(newQP(b))
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	return string(b)
}

// STARTTLS required: a server that does not offer it is refused, and the
// password never crosses in clear; a wrong password fails.
func TestMailRefusesPlainTextAndBadPasswords(t *testing.T) {
	cert, caPEM := selfSigned(t)
	srv, port := startSMTP(t, "none", cert)
	m := reportDir(t)
	c, base := mailConfig(t, "starttls", port, caPEM)
	c.Attempts = 1
	if res := Send(context.Background(), Plan(c, base, m, nil), Options{Config: c, BaseDir: base}); res[0].Err == nil || len(srv.messages) != 0 {
		t.Errorf("sent without STARTTLS: %v", res[0].Err)
	}
	_, port = startSMTP(t, "starttls", cert)
	c, base = mailConfig(t, "starttls", port, caPEM)
	c.Attempts = 1
	os.WriteFile(filepath.Join(base, "mail.pass"), []byte("wrong"), 0o600)
	if res := Send(context.Background(), Plan(c, base, m, nil), Options{Config: c, BaseDir: base}); res[0].Err == nil {
		t.Error("sent with a wrong password")
	} else if strings.Contains(res[0].Err.Error(), "wrong") {
		t.Errorf("the error shows the password: %v", res[0].Err)
	}
}

func TestWebhookRobots(t *testing.T) {
	var mu sync.Mutex
	var bodies []map[string]any
	var queries []string
	failures := 2
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if failures > 0 {
			failures--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		var b map[string]any
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("robot got %v (%s)", err, r.Header.Get("Content-Type"))
		}
		bodies, queries = append(bodies, b), append(queries, r.URL.RawQuery)
		if strings.Contains(r.URL.Path, "refuse") {
			w.Write([]byte(`{"errcode":310000,"errmsg":"sign not match"}`))
			return
		}
		w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer robot.Close()
	m := reportDir(t)
	base := t.TempDir()
	os.WriteFile(filepath.Join(base, "robot.secret"), []byte("SECabc"), 0o600)
	c := DefaultConfig()
	c.Backoff, c.LinkBase = time.Second, "http://10.0.0.1/r"
	c.Recipients = []Recipient{
		{Name: "钉钉群", Scope: "committee", Webhook: &Webhook{URL: robot.URL + "/robot/send?access_token=TOKEN", Kind: "dingtalk", SecretFile: "robot.secret"}},
		{Name: "企业微信群", Scope: "committee", Webhook: &Webhook{URL: robot.URL + "/cgi-bin/webhook/send?key=KEY", Kind: "wecom"}},
		{Name: "拒收群", Scope: "committee", Webhook: &Webhook{URL: robot.URL + "/refuse", Kind: "dingtalk"}},
	}
	var slept []time.Duration
	res := Send(context.Background(), Plan(c, base, m, nil), Options{Config: c, BaseDir: base, Sleep: func(d time.Duration) { slept = append(slept, d) }})
	if res[0].Err != nil || res[0].Attempts != 3 || len(slept) < 2 || !slices.Equal(slept[:2], []time.Duration{time.Second, 2 * time.Second}) {
		t.Fatalf("dingtalk: %v after %d attempts, slept %v", res[0].Err, res[0].Attempts, slept)
	}
	if res[1].Err != nil || res[2].Err == nil || !strings.Contains(res[2].Err.Error(), "errcode 310000") || res[2].Attempts != 3 {
		t.Errorf("wecom %v; refusing robot %v after %d", res[1].Err, res[2].Err, res[2].Attempts)
	}
	md := bodies[0]["markdown"].(map[string]any)
	if bodies[0]["msgtype"] != "markdown" || md["title"] != m.Title || !strings.Contains(md["text"].(string), "### "+m.Title) ||
		!strings.Contains(md["text"].(string), m.Summary) || !strings.Contains(md["text"].(string), "[查看报告](http://10.0.0.1/r/2024-05_") {
		t.Errorf("dingtalk body %v", bodies[0])
	}
	// 加签: sign = base64(HMAC-SHA256(secret, timestamp\nsecret)).
	q, _ := parseQuery(queries[0])
	mac := hmac.New(sha256.New, []byte("SECabc"))
	mac.Write([]byte(q["timestamp"] + "\nSECabc"))
	if q["access_token"] != "TOKEN" || q["sign"] != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Errorf("dingtalk query %s", queries[0])
	}
	wc := bodies[1]["markdown"].(map[string]any)
	if bodies[1]["msgtype"] != "markdown" || !strings.Contains(wc["content"].(string), m.Summary) || wc["title"] != nil {
		t.Errorf("wecom body %v", bodies[1])
	}
	// A robot's token never reaches an error message.
	robot.Close()
	c.Attempts = 1
	res = Send(context.Background(), Plan(c, base, m, nil), Options{Config: c, BaseDir: base})
	if res[0].Err == nil || strings.Contains(res[0].Err.Error(), "TOKEN") || strings.Contains(res[1].Err.Error(), "KEY") {
		t.Errorf("errors: %v / %v", res[0].Err, res[1].Err)
	}
}

func newQP(b []byte) io.Reader { return quotedprintable.NewReader(bytes.NewReader(b)) }

func parseQuery(s string) (map[string]string, error) {
	v, err := url.ParseQuery(s)
	out := map[string]string{}
	for k := range v {
		out[k] = v.Get(k)
	}
	return out, err
}
