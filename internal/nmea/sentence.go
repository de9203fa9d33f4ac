package nmea

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Sentence is one AIS-carrying sentence (VDM or VDO). Its byte slices alias
// the line it was parsed from and are valid only as long as that line is.
type Sentence struct {
	Talker  [2]byte   // "AI", "BS", "AB", … any two characters
	Format  [3]byte   // "VDM" (other ships) or "VDO" (own ship)
	Total   int       // fragments in the message, 1–9
	Number  int       // this fragment, 1–Total
	SeqID   int       // sequential message id 0–9 linking fragments; -1 when empty
	Channel byte      // radio channel ('A', 'B', '1', '2'); 0 when empty
	Payload []byte    // armoured six-bit payload
	Fill    int       // fill bits at the end of the payload, 0–5
	Time    time.Time // event time from any convention; zero when the line has none
	Source  []byte    // receiving station or feed (tag block s:, USCG r…); empty when unknown
	Group   Group     // NMEA 4.0 sentence group (tag block g:); zero when absent

	// The other NMEA 4.0 tag-block fields, as sent; zero when absent.
	Dest      []byte // d: destination
	Text      []byte // t: text
	LineCount int    // n: line count
	Relative  int    // r: relative time
}

// Group is an NMEA 4.0 sentence group ("g:1-2-1604"): sentence Number of
// Total, all sharing ID.
type Group struct {
	Number, Total, ID int
}

// Parser turns lines into sentences. It keeps the little state that real
// archives need across lines: the time or source that a $PGHP line or a
// standalone tag block gives to the sentence after it. The zero value is
// ready to use; a Parser is not safe for concurrent use.
type Parser struct {
	// TagChecksumErrors counts tag blocks whose checksum did not match.
	// Such tag blocks are still used: real archives write "*00" or worse,
	// and the sentence after them carries a checksum of its own.
	TagChecksumErrors int

	pendingTime time.Time
	pendingSrc  [64]byte
	pendingLen  int
}

// Parse reads one line (with or without its line ending). It returns true
// when s now holds an AIS sentence; false with a nil error when the line was
// metadata for the next sentence; or a [Reason] when the line is rejected.
func (p *Parser) Parse(line []byte, s *Sentence) (bool, error) {
	*s = Sentence{SeqID: -1}
	body, err := p.frame(line, s)
	if err != nil || body == nil {
		return false, err
	}
	if isFormat(body, 'V', 'D', 'M') || isFormat(body, 'V', 'D', 'O') {
		if err := parseVDM(body, s); err != nil {
			return false, err
		}
		p.applyPending(s)
		return true, nil
	}
	return false, p.other(body)
}

// frame reads what comes around a sentence: a leading unix time and a tag
// block (into s), the checksum, and a suffix after it (into s). It returns
// the body between the start character and the '*'; a nil body with a nil
// error means the line was a tag block alone, now pending for the next
// sentence.
func (p *Parser) frame(line []byte, s *Sentence) ([]byte, error) {
	line = trimSpace(line)
	if len(line) == 0 {
		return nil, ReasonEmpty
	}

	// A leading receive time: "1550303566167726840 !AIVDM,…".
	if c := line[0]; c >= '0' && c <= '9' {
		n := 0
		for n < len(line) && (isDigit(line[n]) || line[n] == '.') {
			n++
		}
		t, ok := parseUnix(line[:n])
		if !ok {
			return nil, ReasonBadTime
		}
		s.Time = t
		for n < len(line) && (line[n] == ' ' || line[n] == '\t' || line[n] == ',' || line[n] == ';') {
			n++
		}
		line = line[n:]
		if len(line) == 0 {
			return nil, ReasonNoSentence
		}
	}

	if line[0] == '\\' {
		end := bytes.IndexByte(line[1:], '\\')
		if end < 0 {
			return nil, ReasonBadTagBlock
		}
		sumOK, err := parseTagBlock(line[1:1+end], s)
		if err != nil {
			return nil, err
		}
		if !sumOK {
			p.TagChecksumErrors++
		}
		line = line[2+end:]
		if len(line) == 0 {
			// A tag block on a line of its own speaks for the next sentence.
			p.setPending(s.Time, s.Source)
			return nil, nil
		}
	}

	if line[0] != '!' && line[0] != '$' {
		return nil, ReasonNoSentence
	}
	star, err := checkChecksum(line)
	if err != nil {
		return nil, err
	}
	parseSuffix(line[star+3:], s)
	return line[1:star], nil
}

// other handles a framed sentence that is not the caller's kind: a
// Gatehouse $PGHP time stamp becomes pending for the next sentence (nil),
// anything else is unsupported.
func (p *Parser) other(body []byte) error {
	if !bytes.HasPrefix(body, pghp) {
		return ReasonUnsupported
	}
	t, err := parsePGHP(body[len(pghp):])
	if err != nil {
		return err
	}
	p.setPending(t, nil)
	return nil
}

// isFormat reports whether body is "ttFFF" or "ttFFF,…" for any talker tt
// and the given format FFF.
func isFormat(body []byte, a, b, c byte) bool {
	return len(body) >= 5 && body[2] == a && body[3] == b && body[4] == c && (len(body) == 5 || body[5] == ',')
}

var pghp = []byte("PGHP,")

func (p *Parser) setPending(t time.Time, src []byte) {
	if !t.IsZero() {
		p.pendingTime = t
	}
	if len(src) > 0 {
		p.pendingLen = copy(p.pendingSrc[:], src)
	}
}

// applyPending gives the sentence the time and source that earlier metadata
// lines announced, unless the sentence carries its own, and forgets them:
// they speak for one sentence only.
func (p *Parser) applyPending(s *Sentence) {
	if s.Time.IsZero() {
		s.Time = p.pendingTime
	}
	if len(s.Source) == 0 && p.pendingLen > 0 {
		s.Source = p.pendingSrc[:p.pendingLen]
	}
	p.pendingTime = time.Time{}
	p.pendingLen = 0
}

// checkChecksum verifies "*hh" after the sentence body and returns the index
// of the '*'.
func checkChecksum(line []byte) (int, error) {
	i := bytes.IndexByte(line, '*')
	if i < 0 || i+2 >= len(line) {
		return 0, ReasonNoChecksum
	}
	hi, ok1 := unhex(line[i+1])
	lo, ok2 := unhex(line[i+2])
	if !ok1 || !ok2 {
		return 0, ReasonNoChecksum
	}
	if hi<<4|lo != xorBytes(line[1:i]) {
		return 0, ReasonBadChecksum
	}
	return i, nil
}

// xorBytes is the NMEA checksum of b, eight bytes at a time.
func xorBytes(b []byte) byte {
	var w uint64
	for len(b) >= 8 {
		w ^= binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	w ^= w >> 32
	w ^= w >> 16
	w ^= w >> 8
	sum := byte(w)
	for _, c := range b {
		sum ^= c
	}
	return sum
}

// parseVDM reads "AIVDM,1,1,,A,payload,0" into s.
func parseVDM(body []byte, s *Sentence) error {
	s.Talker = [2]byte{body[0], body[1]}
	s.Format = [3]byte{body[2], body[3], body[4]}
	f := body[5:]
	var fields [6][]byte
	for i := range fields {
		if len(f) == 0 || f[0] != ',' {
			return ReasonBadFields
		}
		f = f[1:]
		j := bytes.IndexByte(f, ',')
		if j < 0 {
			j = len(f)
		}
		fields[i], f = f[:j], f[j:]
	}
	if len(f) != 0 {
		return ReasonBadFields
	}
	if len(fields[0]) != 1 || len(fields[1]) != 1 || len(fields[5]) != 1 {
		return ReasonBadFields
	}
	s.Total = int(fields[0][0]) - '0'
	s.Number = int(fields[1][0]) - '0'
	s.Fill = int(fields[5][0]) - '0'
	if s.Total < 1 || s.Total > 9 || s.Number < 1 || s.Number > s.Total || s.Fill < 0 || s.Fill > 5 {
		return ReasonBadFields
	}
	switch len(fields[2]) {
	case 0:
	case 1:
		if !isDigit(fields[2][0]) {
			return ReasonBadFields
		}
		s.SeqID = int(fields[2][0] - '0')
	default:
		return ReasonBadFields
	}
	switch len(fields[3]) {
	case 0:
	case 1:
		s.Channel = fields[3][0]
	default:
		return ReasonBadFields
	}
	if len(fields[4]) == 0 {
		return ReasonEmptyPayload
	}
	s.Payload = fields[4]
	return nil
}

// parseSuffix reads what some archives append after the checksum: a unix
// time, or the US Coast Guard's ",r<station>,<unix>" (with optional d, S,
// t, T fields before it). A suffix it does not understand is ignored: the
// sentence itself was checksummed and stands on its own.
func parseSuffix(b []byte, s *Sentence) {
	for len(b) > 0 {
		if b[0] != ',' {
			return
		}
		b = b[1:]
		j := bytes.IndexByte(b, ',')
		if j < 0 {
			j = len(b)
		}
		f := b[:j]
		b = b[j:]
		switch {
		case len(f) > 1 && f[0] == 'r':
			if len(s.Source) == 0 {
				s.Source = f[1:]
			}
		case len(f) > 0 && isDigit(f[0]) && s.Time.IsZero():
			if t, ok := parseUnix(f); ok {
				s.Time = t
			}
		}
	}
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
