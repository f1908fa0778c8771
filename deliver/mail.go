package deliver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"time"

	mail "github.com/wneessen/go-mail"
)

// sendMail sends the delivery as one mail: the subject in Chinese (RFC 2047),
// the body as UTF-8 text, every file attached under its own name.
func sendMail(ctx context.Context, d Delivery, o Options) error {
	c := o.Config.Mail
	m := mail.NewMsg()
	if err := m.From(c.From); err != nil {
		return fmt.Errorf("%w: from %q: %v", errPermanent, c.From, err)
	}
	if err := m.To(d.To...); err != nil {
		return fmt.Errorf("%w: to %v: %v", errPermanent, d.To, err)
	}
	m.Subject(d.Subject)
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, d.Body)
	for _, f := range d.Files {
		m.AttachFile(f, mail.WithFileName(filepath.Base(f)))
	}
	client, err := mailClient(c, o.BaseDir)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, m)
}

// mailClient connects as the config says: STARTTLS required, TLS from the
// start, or neither; with the password from its file when there is a user.
func mailClient(c Mail, baseDir string) (*mail.Client, error) {
	tc := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		path := c.CAFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(baseDir, path)
		}
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: delivery.mail.ca_file: %v", errPermanent, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: delivery.mail.ca_file %s holds no certificate", errPermanent, path)
		}
		tc.RootCAs = pool
	}
	opts := []mail.Option{mail.WithPort(c.Port), mail.WithTimeout(30 * time.Second), mail.WithTLSConfig(tc)}
	switch c.Security {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if c.Username != "" {
		password, err := secretFile(baseDir, c.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("delivery.mail.password_file: %w", err)
		}
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(c.Username), mail.WithPassword(password))
	}
	return mail.NewClient(c.Host, opts...)
}
