package parse

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Errors returned for a value that does not parse. The loader records them in the
// rejects ledger together with the field and the raw value.
var (
	ErrBadTime = errors.New("bad timestamp")
	ErrBadBool = errors.New("bad yes/no value")
	ErrBadEnum = errors.New("value not allowed")
)

// Trim removes all leading and trailing Unicode white space (U+3000, NBSP included).
func Trim(s string) string {
	// Fast path: most cells have no surrounding space at all.
	if s == "" || (s[0] > ' ' && s[0] < 0x80 && s[len(s)-1] > ' ' && s[len(s)-1] < 0x80) {
		return s
	}
	return strings.TrimFunc(s, unicode.IsSpace)
}

// IsNull reports whether a trimmed timestamp, enum or bool cell is a null marker:
// empty, "-", "/", "NULL", "null" or "N/A". Text fields are null only when empty.
func IsNull(s string) bool {
	switch s {
	case "", "-", "/", "NULL", "null", "N/A":
		return true
	}
	return false
}

// Bool parses 是/否, Y/N, 1/0, true/false and yes/no, case-insensitively.
func Bool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "是", "y", "1", "true", "yes":
		return true, nil
	case "否", "n", "0", "false", "no":
		return false, nil
	}
	return false, ErrBadBool
}

// Enum returns s if it is exactly one of allowed (no synonyms), else ErrBadEnum.
func Enum(s string, allowed []string) (string, error) {
	for _, a := range allowed {
		if s == a {
			return a, nil
		}
	}
	return "", ErrBadEnum
}

// ID trims an identifier and folds full-width ASCII to half-width (NFKC).
func ID(s string) string {
	s = Trim(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return Trim(norm.NFKC.String(s))
		}
	}
	return s
}
