package ais

import (
	"strconv"
	"unicode/utf8"
)

// jsonw appends JSON object members. Each method writes `,"key":value`, so a
// message's AppendJSON output can follow members the caller wrote (its time,
// its source) without bookkeeping; the first comma is the caller's to drop.
type jsonw []byte

func (w jsonw) key(k string) jsonw {
	w = append(w, ',', '"')
	w = append(w, k...)
	return append(w, '"', ':')
}

func (w jsonw) uint(k string, v uint64) jsonw {
	return strconv.AppendUint(w.key(k), v, 10)
}

// float writes v with at most prec decimals and no trailing zeros.
func (w jsonw) float(k string, v float64, prec int) jsonw {
	w = w.key(k)
	start := len(w)
	w = strconv.AppendFloat(w, v, 'f', prec, 64)
	for len(w) > start+1 && w[len(w)-1] == '0' {
		w = w[:len(w)-1]
	}
	if w[len(w)-1] == '.' {
		w = w[:len(w)-1]
	}
	return w
}

func (w jsonw) bool(k string, v bool) jsonw {
	w = w.key(k)
	if v {
		return append(w, "true"...)
	}
	return append(w, "false"...)
}

func (w jsonw) str(k, v string) jsonw {
	return appendString(w.key(k), v)
}

// hex writes bytes as a lower-case hex string.
func (w jsonw) hex(k string, v []byte) jsonw {
	const digits = "0123456789abcdef"
	w = append(w.key(k), '"')
	for _, c := range v {
		w = append(w, digits[c>>4], digits[c&15])
	}
	return append(w, '"')
}

// appendString writes s as a JSON string. AIS text is six-bit ASCII, but
// binary payloads decoded as text may hold anything, so escape fully.
func appendString(dst []byte, s string) []byte {
	const digits = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
			i++
		case c < 0x20 || c == 0x7f:
			dst = append(dst, '\\', 'u', '0', '0', digits[c>>4], digits[c&15])
			i++
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
		}
	}
	return append(dst, '"')
}
