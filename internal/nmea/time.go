package nmea

import (
	"bytes"
	"time"
)

// parseTagBlock reads the inside of an NMEA 4.0 tag block,
// "s:rORBCOMM008,c:1418169601,g:1-2-1604*37", into s. Non-standard fields
// (q:, T:, DMA's si:) are checked for shape only. sumOK reports whether the tag block's checksum matched.
func parseTagBlock(tb []byte, s *Sentence) (sumOK bool, err error) {
	star := bytes.LastIndexByte(tb, '*')
	if star < 0 || star+3 != len(tb) {
		return false, ReasonBadTagBlock
	}
	hi, ok1 := unhex(tb[star+1])
	lo, ok2 := unhex(tb[star+2])
	if !ok1 || !ok2 {
		return false, ReasonBadTagBlock
	}
	var sum byte
	for _, c := range tb[:star] {
		sum ^= c
	}
	f := tb[:star]
	for len(f) > 0 {
		j := bytes.IndexByte(f, ',')
		if j < 0 {
			j = len(f)
		}
		field := f[:j]
		if j < len(f) {
			j++
		}
		f = f[j:]
		colon := bytes.IndexByte(field, ':')
		if colon < 1 {
			return false, ReasonBadTagBlock
		}
		key, val := field[:colon], field[colon+1:]
		if len(key) != 1 {
			continue // vendor extensions such as DMA's "si:"
		}
		switch key[0] {
		case 'c':
			t, ok := parseUnix(val)
			if !ok {
				return false, ReasonBadTime
			}
			s.Time = t
		case 's':
			s.Source = val
		case 'g':
			g, ok := parseGroup(val)
			if !ok {
				return false, ReasonBadTagBlock
			}
			s.Group = g
		case 'd':
			s.Dest = val
		case 't':
			s.Text = val
		case 'n', 'r':
			n, ok := atoi(val)
			if !ok {
				return false, ReasonBadTagBlock
			}
			if key[0] == 'n' {
				s.LineCount = n
			} else {
				s.Relative = n
			}
		}
	}
	return hi<<4|lo == sum, nil
}

// parseGroup reads "1-2-1604": sentence 1 of 2 in group 1604.
func parseGroup(b []byte) (Group, bool) {
	var v [3]int
	for i := range v {
		j := bytes.IndexByte(b, '-')
		if i == 2 {
			j = len(b)
		} else if j < 0 {
			return Group{}, false
		}
		n, ok := atoi(b[:j])
		if !ok {
			return Group{}, false
		}
		v[i] = n
		if j < len(b) {
			j++
		}
		b = b[j:]
	}
	g := Group{Number: v[0], Total: v[1], ID: v[2]}
	if g.Total < 1 || g.Number < 1 || g.Number > g.Total {
		return Group{}, false
	}
	return g, true
}

// parsePGHP reads the fields after "$PGHP," of a Gatehouse time stamp:
// "1,2013,11,12,12,0,0,11,219,,2190067,1,62" is message 1, then year,
// month, day, hour, minute, second and millisecond (UTC).
func parsePGHP(b []byte) (time.Time, error) {
	// One pass over digits and commas: this line precedes every sentence
	// in Gatehouse archives, so it is on the hot path.
	var v [8]int
	i, n, digits := 0, 0, 0
	for _, c := range b {
		if c == ',' {
			if digits == 0 {
				return time.Time{}, ReasonBadTime
			}
			v[i], n, digits = n, 0, 0
			if i++; i == len(v) {
				break
			}
			continue
		}
		if !isDigit(c) || digits == 9 {
			return time.Time{}, ReasonBadTime
		}
		n = n*10 + int(c-'0')
		digits++
	}
	if i < len(v) {
		if i != len(v)-1 || digits == 0 {
			return time.Time{}, ReasonBadTime
		}
		v[i] = n
	}
	if v[0] != 1 {
		return time.Time{}, ReasonUnsupported
	}
	year, month, day, hour, minute, sec, ms := v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	if year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
		hour > 23 || minute > 59 || sec > 60 || ms > 999 {
		return time.Time{}, ReasonBadTime
	}
	unix := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return time.Unix(unix, int64(ms)*1e6).UTC(), nil
}

// daysFromCivil counts days from 1970-01-01 to a proleptic Gregorian date
// without time.Date's normalisation work, which shows in the hot path.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097 + doe - 719468)
}

// parseUnix reads a unix time. Whole numbers are read by magnitude, as real
// archives write seconds, milliseconds, microseconds or nanoseconds; a number
// with a fraction is seconds.
func parseUnix(b []byte) (time.Time, bool) {
	var whole int64
	i := 0
	for ; i < len(b) && isDigit(b[i]); i++ {
		if i >= 19 {
			return time.Time{}, false
		}
		whole = whole*10 + int64(b[i]-'0')
	}
	if i == 0 {
		return time.Time{}, false
	}
	if i == len(b) {
		switch {
		case whole >= 1e17:
			return time.Unix(0, whole).UTC(), true
		case whole >= 1e14:
			return time.UnixMicro(whole).UTC(), true
		case whole >= 1e11:
			return time.UnixMilli(whole).UTC(), true
		}
		return time.Unix(whole, 0).UTC(), true
	}
	if b[i] != '.' || whole >= 1e11 {
		return time.Time{}, false
	}
	var frac, scale int64 = 0, 1e9
	for i++; i < len(b); i++ {
		if !isDigit(b[i]) {
			return time.Time{}, false
		}
		if scale > 1 {
			scale /= 10
			frac += int64(b[i]-'0') * scale
		}
	}
	return time.Unix(whole, frac).UTC(), true
}

func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
