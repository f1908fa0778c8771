package deliver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// postWebhook posts the delivery to a group robot as markdown: DingTalk's (and
// 浙政钉's) {"msgtype":"markdown","markdown":{"title","text"}}, signed with
// timestamp and sign when the robot has a secret (加签); WeCom's
// {"msgtype":"markdown","markdown":{"content"}}. A robot answers errcode 0 when
// it took the message.
func postWebhook(ctx context.Context, d Delivery, o Options) error {
	w := d.webhook
	text := markdown(d)
	var payload any
	target := w.URL
	switch w.Kind {
	case "wecom":
		payload = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": text}}
	default:
		payload = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": d.Subject, "text": text}}
		secret, err := secretFile(o.BaseDir, w.SecretFile)
		if err != nil {
			return fmt.Errorf("webhook secret_file: %w", err)
		}
		if secret != "" {
			target = signed(target, secret, time.Now())
		}
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return redact(err, w.URL)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("robot answered HTTP %d: %.200s", resp.StatusCode, answer)
	}
	var r struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(answer, &r); err != nil || r.ErrCode == nil {
		return fmt.Errorf("robot answered %.200q, not {errcode, errmsg}", answer)
	}
	if *r.ErrCode != 0 {
		return fmt.Errorf("robot refused the message: errcode %d %s", *r.ErrCode, r.ErrMsg)
	}
	return nil
}

// markdown is the robot's message: the title, the summary, the files and the link.
func markdown(d Delivery) string {
	var b strings.Builder
	b.WriteString("### " + d.Subject + "\n\n")
	if d.Summary != "" {
		b.WriteString(d.Summary + "\n\n")
	}
	if d.Link != "" {
		b.WriteString("[查看报告](" + d.Link + ")\n")
	} else if len(d.Files) > 0 {
		var names []string
		for _, f := range d.Files {
			names = append(names, filepath.Base(f))
		}
		b.WriteString("文件：" + strings.Join(names, "、") + "\n")
	}
	return b.String()
}

// signed adds DingTalk's signature to a robot's address: timestamp (ms) and
// sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
func signed(target, secret string, now time.Time) string {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	sign := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + "timestamp=" + ts + "&sign=" + url.QueryEscape(sign)
}

// redact keeps a robot's access token out of an error (and so out of the job
// history and the log): the address is named by its host.
func redact(err error, target string) error {
	u, perr := url.Parse(target)
	if perr != nil {
		return fmt.Errorf("robot: %s", strings.ReplaceAll(err.Error(), target, "(the robot's address)"))
	}
	msg := err.Error()
	if ue, ok := err.(*url.Error); ok {
		msg = ue.Err.Error()
	}
	return fmt.Errorf("robot at %s: %s", u.Host, msg)
}
