// Package pii keeps personal information out of the database: a caller's phone
// number becomes an HMAC key and a mask (SPEC §2.6), free text has phone-like digit
// runs masked, and addresses get a matching key. It is pure and fuzzed.
package pii

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"log/slog"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Phone is a normalised phone number (ASCII digits only). It never prints itself:
// String and LogValue give the mask, so a Phone cannot reach a log or message raw.
type Phone struct{ digits string }

// Caller is what is stored for one caller_phone cell.
type Caller struct {
	Key    string // hex HMAC-SHA256(secret, digits); empty when unknown
	Masked string // 138****1234; empty when the cell had no digits
}

// NormalizePhone keeps the ASCII digits of s after NFKC and removes a leading
// country code: "86" when more than 11 digits remain, "0086" when more than 13.
func NormalizePhone(s string) Phone {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	d := b.String()
	switch {
	case len(d) > 13 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	case len(d) > 11 && strings.HasPrefix(d, "86"):
		d = d[2:]
	}
	return Phone{digits: d}
}

// Empty reports whether the number has no digits.
func (p Phone) Empty() bool { return p.digits == "" }

// Masked gives the first 3 digits, ****, and the last 4; numbers of fewer than 8
// digits give **** alone, so that no short number can be read back.
func (p Phone) Masked() string {
	if len(p.digits) < 8 {
		if p.digits == "" {
			return ""
		}
		return "****"
	}
	return p.digits[:3] + "****" + p.digits[len(p.digits)-4:]
}

// Key is the hex HMAC-SHA256 of the digits under secret.
func (p Phone) Key(secret []byte) string {
	return NewKeyer(secret).Key(p)
}

// A Keyer computes caller keys under one secret, reusing its hash state: cheaper
// than Phone.Key for many numbers. It is not safe for concurrent use.
type Keyer struct {
	mac hash.Hash
	sum []byte
	hex []byte
}

// NewKeyer returns a Keyer for secret.
func NewKeyer(secret []byte) *Keyer {
	return &Keyer{mac: hmac.New(sha256.New, secret), hex: make([]byte, hex.EncodedLen(sha256.Size))}
}

// Key is the hex HMAC-SHA256 of the phone's digits.
func (k *Keyer) Key(p Phone) string {
	k.mac.Reset()
	k.mac.Write([]byte(p.digits))
	k.sum = k.mac.Sum(k.sum[:0])
	hex.Encode(k.hex, k.sum)
	return string(k.hex)
}

// String implements fmt.Stringer with the mask.
func (p Phone) String() string { return p.Masked() }

// LogValue implements slog.LogValuer with the mask.
func (p Phone) LogValue() slog.Value { return slog.StringValue(p.Masked()) }

// NewCaller turns one trimmed caller_phone cell into what is stored. A cell that is
// already masked in the export (it holds a '*') gives only the mask, no key.
func NewCaller(cell string, secret []byte) Caller {
	return NewKeyer(secret).Caller(cell)
}

// Caller is NewCaller with the Keyer's secret.
func (k *Keyer) Caller(cell string) Caller {
	if cell == "" {
		return Caller{}
	}
	if strings.ContainsAny(cell, "*＊") {
		m := strings.ReplaceAll(norm.NFKC.String(cell), " ", "")
		return Caller{Masked: MaskText(m)}
	}
	p := NormalizePhone(cell)
	if p.Empty() {
		return Caller{}
	}
	return Caller{Key: k.Key(p), Masked: p.Masked()}
}

// AddressKey normalises an address for matching: NFKC, then white space and the
// Unicode categories P*, Z* and C* removed (symbols kept, no case folding).
// An address with nothing left gives "".
func AddressKey(s string) string {
	if plainAddress(s) { // already its own key: NFKC would change nothing, nothing to drop
		return s
	}
	s = norm.NFKC.String(s)
	keep := true
	for _, r := range s {
		if !addressRune(r) {
			keep = false
			break
		}
	}
	if keep { // the common case: nothing to drop, no copy
		return s
	}
	return strings.Map(func(r rune) rune {
		if addressRune(r) {
			return r
		}
		return -1
	}, s)
}

// plainAddress reports whether every rune of s is a CJK unified ideograph or
// printable ASCII other than punctuation: the bulk of addresses. Such a string is
// its own NFKC (no decompositions, no combining marks, nothing that composes) and
// keeps every rune, so its key is itself; the check costs a fifth of NFKC's
// table look-ups (FuzzAddressKeyPlain holds the two ways equal).
func plainAddress(s string) bool {
	for _, r := range s {
		if !(r >= 0x4E00 && r <= 0x9FFF || r < 0x80 && addressRune(r)) {
			return false
		}
	}
	return true
}

// addressRune reports whether r stays in an address key: not white space and not
// in the Unicode categories P*, Z* or C*.
func addressRune(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs: the bulk of an address
		return true
	case r < 0x80:
		return r > ' ' && r != 0x7F && !unicode.IsPunct(r)
	}
	return !(unicode.IsSpace(r) || unicode.In(r, unicode.P, unicode.Z, unicode.C))
}

// phoneLike finds digit runs joined by up to two separators (hyphens, dots,
// underscores, spaces, and their full-width forms) that could be a phone number;
// MaskText then checks their shape.
var phoneLike = regexp.MustCompile(`\+?[0-9０-９]+(?:[-._ \t\x{3000}－．＿]{1,2}[0-9０-９]+)*`)

// dateTime finds date and time shapes ("2024-05-01 08:00", "01-05-2024",
// "2024年5月1日8时00分", "08:00:00"), which are never masked: their digits joined
// would look like a landline, and a garbled date helps nobody.
var dateTime = regexp.MustCompile(`(?:` +
	`[0-9０-９]{4}[-/.年][0-9０-９]{1,2}[-/.月][0-9０-９]{1,2}日?` +
	`|[0-9０-９]{1,2}[-/.][0-9０-９]{1,2}[-/.][0-9０-９]{4}` +
	`)(?:[ T\x{3000}]{0,2}[0-9０-９]{1,2}[:：时][0-9０-９]{2}(?:[:：分][0-9０-９]{2}秒?)?(?:\.[0-9]+)?)?` +
	`|[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?`)

// MaskText masks phone-number-like digit runs in free text (SPEC §8): mobile
// numbers (11 digits from 13…19, with an optional 86 prefix) and landlines with an
// area code (0 + 9 to 11 digits). Digit groups joined by separators are tried
// together ("138 1234 5678", "0575-87654321", "139.1234.5678",
// "1 3 8 1 2 3 4 5 6 7 8"); dates and times, and other numbers (amounts, ids)
// stay as they are. It is what every free-text value, name and message that
// echoes data goes through before it is stored or shown.
func MaskText(s string) string {
	if !hasDigitRun(s) {
		return s
	}
	spans := dateTime.FindAllStringIndex(s, -1)
	if spans == nil {
		return phoneLike.ReplaceAllStringFunc(s, maskRun)
	}
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		b.WriteString(phoneLike.ReplaceAllStringFunc(s[at:sp[0]], maskRun))
		b.WriteString(s[sp[0]:sp[1]])
		at = sp[1]
	}
	b.WriteString(phoneLike.ReplaceAllStringFunc(s[at:], maskRun))
	return b.String()
}

var groupSep = regexp.MustCompile(`[-._ \t\x{3000}－．＿]{1,2}`)

// maxPhoneDigits is the most digits a phone number has with its country code
// (0086 + 11).
const maxPhoneDigits = 15

// maskRun masks, from left to right, the longest runs of whole digit groups that
// are phone-shaped, keeping the separators between the groups it leaves.
func maskRun(run string) string {
	groups := groupSep.Split(run, -1)
	seps := groupSep.FindAllString(run, -1)
	var b strings.Builder
	for i := 0; i < len(groups); {
		best, digits := i, 0
		var masked string
		for j := i; j < len(groups); j++ {
			digits += len(groups[j]) // full-width digits count 3: they end the run early, which is safe
			if digits > maxPhoneDigits*3 {
				break
			}
			if p := NormalizePhone(strings.Join(groups[i:j+1], "")); len(p.digits) <= maxPhoneDigits && phoneShaped(p.digits) {
				best, masked = j+1, p.Masked()
			}
		}
		if best == i { // no phone starts here: keep the group as it was
			b.WriteString(groups[i])
			best = i + 1
		} else {
			b.WriteString(masked)
		}
		if best-1 < len(seps) {
			b.WriteString(seps[best-1])
		}
		i = best
	}
	return b.String()
}

func phoneShaped(d string) bool {
	mobile := len(d) == 11 && d[0] == '1' && d[1] >= '3'
	landline := len(d) >= 10 && len(d) <= 12 && d[0] == '0'
	return mobile || landline
}

// hasDigitRun is a fast check for 7 or more digits joined by nothing or by
// separators (ASCII or full-width), the least any maskable number has; most free
// text has none.
func hasDigitRun(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			n++
			if n >= 7 {
				return true
			}
		case r == '-' || r == ' ' || r == '.' || r == '_' || r == '\t' || r == '\u3000' || r == '－' || r == '．' || r == '＿' || r == '+':
		default:
			n = 0
		}
	}
	return false
}
