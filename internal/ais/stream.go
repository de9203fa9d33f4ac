package ais

import (
	"bytes"
	"time"

	"pharos/internal/nmea"
)

// Stream decodes a stream of lines into messages: NMEA framing, multi-part
// assembly and payload decoding, counting everything it sees and every
// reject by reason. The zero value is ready to use; a Stream is not safe
// for concurrent use.
type Stream struct {
	Stats Stats

	parser   nmea.Parser
	sentence nmea.Sentence
	asm      Assembler
	dec      Decoder
}

// Decoded is a message with its event time and source. Msg and Source are
// valid until the next call to Line.
type Decoded struct {
	Msg    Message
	Time   time.Time // zero when the input carries no time
	Source []byte    // receiving station or feed; empty when unknown
}

// Stats counts what a Stream has seen.
type Stats struct {
	Lines     int // every line, used or not
	Meta      int // lines that only carried a time or source for the next sentence
	Sentences int // AIS sentences (fragments) that framed correctly
	Messages  int // messages decoded
	MultiPart int // of those, messages assembled from several fragments
	ByType    [28]int
	// TagChecksumErrors counts tag blocks used despite a wrong checksum
	// (see nmea.Parser); a warning, not a reject.
	TagChecksumErrors int
	NMEA              [nmea.NumReasons]int // lines rejected by framing, by reason
	AIS               [NumReasons]int      // sentences or messages rejected by assembly or decode, by reason
}

// Rejects returns the reject counts by reason name, leaving out zeros.
func (s *Stats) Rejects() map[string]int {
	m := map[string]int{}
	for r, n := range s.NMEA {
		if n > 0 {
			m[nmea.Reason(r).String()] += n
		}
	}
	for r, n := range s.AIS {
		if n > 0 {
			m[Reason(r).String()] += n
		}
	}
	return m
}

// Line takes one line. It returns true when the line completed a message.
func (s *Stream) Line(line []byte, out *Decoded) bool {
	s.Stats.Lines++
	ok, err := s.parser.Parse(line, &s.sentence)
	s.Stats.TagChecksumErrors = s.parser.TagChecksumErrors
	if err != nil {
		s.countNMEA(err)
		return false
	}
	if !ok {
		s.Stats.Meta++
		return false
	}
	s.Stats.Sentences++
	payload, fill, t, done, err := s.asm.Add(&s.sentence)
	s.Stats.AIS[ReasonDroppedParts] = s.asm.Dropped()
	if err != nil {
		s.countAIS(err)
		return false
	}
	if !done {
		return false
	}
	m, err := s.dec.Decode(payload, fill)
	if err != nil {
		s.countAIS(err)
		return false
	}
	s.Stats.Messages++
	if s.sentence.Total > 1 {
		s.Stats.MultiPart++
	}
	s.Stats.ByType[m.Head().Type]++
	out.Msg, out.Time, out.Source = m, t, s.sentence.Source
	return true
}

// Close gives up incomplete multi-part messages and counts their fragments
// as dropped. Call it at the end of an input.
func (s *Stream) Close() {
	s.asm.Flush()
	s.Stats.AIS[ReasonDroppedParts] = s.asm.Dropped()
}

// TooLong counts a line the caller could not even read whole.
func (s *Stream) TooLong() {
	s.Stats.Lines++
	s.Stats.AIS[ReasonTooLong]++
}

func (s *Stream) countNMEA(err error) {
	if r, ok := err.(nmea.Reason); ok {
		s.Stats.NMEA[r]++
	}
}

func (s *Stream) countAIS(err error) {
	if r, ok := err.(Reason); ok {
		s.Stats.AIS[r]++
	}
}

// Add adds another stream's counts to s, as when workers decode parts of
// one input.
func (s *Stats) Add(o *Stats) {
	s.Lines += o.Lines
	s.Meta += o.Meta
	s.Sentences += o.Sentences
	s.Messages += o.Messages
	s.MultiPart += o.MultiPart
	s.TagChecksumErrors += o.TagChecksumErrors
	for i := range s.ByType {
		s.ByType[i] += o.ByType[i]
	}
	for i := range s.NMEA {
		s.NMEA[i] += o.NMEA[i]
	}
	for i := range s.AIS {
		s.AIS[i] += o.AIS[i]
	}
}

// Cut finds where a block of NMEA lines may be split so that each part
// decodes as it would in one stream: just after the last line that ends a
// message (a single sentence or a last fragment), which leaves metadata
// lines with the sentence they date and fragments together. It returns 0
// when the block has no such line.
func Cut(block []byte) int {
	end := bytes.LastIndexByte(block, '\n')
	for end > 0 {
		start := bytes.LastIndexByte(block[:end], '\n') + 1
		if endsMessage(block[start:end]) {
			return end + 1
		}
		end = start - 1
	}
	return 0
}

// endsMessage reports whether a line is a VDM/VDO sentence that completes
// its message: fragment number equal to the count.
func endsMessage(line []byte) bool {
	i := bytes.Index(line, []byte("VDM,"))
	if i < 0 {
		i = bytes.Index(line, []byte("VDO,"))
	}
	if i < 0 || len(line) < i+8 {
		return false
	}
	f := line[i+4:]
	return f[1] == ',' && f[3] == ',' && f[0] == f[2]
}
