package nmea

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		talker  string
		total   int
		number  int
		seq     int
		channel byte
		payload string
		fill    int
		time    string // RFC 3339 or ""
		source  string
		group   Group
	}{
		{
			name: "plain", line: "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30",
			talker: "AI", total: 1, number: 1, seq: -1, channel: 'A', payload: "15N1u<PP1FJuvSRHOE6QIwwh0HQ6",
		},
		{
			name: "crlf and base station talker", line: "!BSVDM,1,1,,A,13@:`L001N0ded0O6Fp8wW<00<0t,0*62\r\n",
			talker: "BS", total: 1, number: 1, seq: -1, channel: 'A', payload: "13@:`L001N0ded0O6Fp8wW<00<0t",
		},
		{
			name: "own ship VDO without channel", line: "!AIVDO,1,1,,,B000000002EgKjv=lCL03wQ5wP06,0*0F",
			talker: "AI", total: 1, number: 1, seq: -1, payload: "B000000002EgKjv=lCL03wQ5wP06",
		},
		{
			name:   "tag block with seconds and group",
			line:   `\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63`,
			talker: "AI", total: 2, number: 1, seq: 6, channel: 'A', payload: "53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000",
			time: "2014-12-10T00:00:01Z", source: "rORBCOMM008", group: Group{Number: 1, Total: 2, ID: 1604},
		},
		{
			name:   "tag block with milliseconds",
			line:   withTag("s:2573238,c:1733782034123") + `!BSVDM,1,1,,A,13o4g` + "`" + `00000I2ENRH4g83S0L088C,0*3F`,
			talker: "BS", total: 1, number: 1, seq: -1, channel: 'A', payload: "13o4g`00000I2ENRH4g83S0L088C",
			time: "2024-12-09T22:07:14.123Z", source: "2573238",
		},
		{
			name:   "trailing unix time",
			line:   "!AIVDM,1,1,,A,35MuKPUP02I<cf<A1wt0JOv00000,0*48,1327664822",
			talker: "AI", total: 1, number: 1, seq: -1, channel: 'A', payload: "35MuKPUP02I<cf<A1wt0JOv00000",
			time: "2012-01-27T11:47:02Z",
		},
		{
			name:   "USCG station and time",
			line:   "!AIVDM,1,1,,A,14`qQb0000o?u?DK>Smo2E`v0404,0*1A,r003669987,1152921693",
			talker: "AI", total: 1, number: 1, seq: -1, channel: 'A', payload: "14`qQb0000o?u?DK>Smo2E`v0404",
			time: "2006-07-15T00:01:33Z", source: "003669987",
		},
		{
			name:   "USCG extended",
			line:   "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30,d-080,S2118,t050056.00,T56.4837741,r003669946,1325394060,1325394001",
			talker: "AI", total: 1, number: 1, seq: -1, channel: 'A', payload: "15N1u<PP1FJuvSRHOE6QIwwh0HQ6",
			time: "2012-01-01T05:01:00Z", source: "003669946",
		},
		{
			name:   "leading unix nanoseconds",
			line:   "1550303566167726840 !AIVDM,1,1,,B,10bb7q@P0lPGHlVMhbl0Qgw>2>`<,0*7F",
			talker: "AI", total: 1, number: 1, seq: -1, channel: 'B', payload: "10bb7q@P0lPGHlVMhbl0Qgw>2>`<",
			time: "2019-02-16T07:52:46.16772684Z",
		},
		{
			name:   "leading fractional seconds",
			line:   "1550303566.25,!AIVDM,1,1,,B,10bb7q@P0lPGHlVMhbl0Qgw>2>`<,0*7F",
			talker: "AI", total: 1, number: 1, seq: -1, channel: 'B', payload: "10bb7q@P0lPGHlVMhbl0Qgw>2>`<",
			time: "2019-02-16T07:52:46.25Z",
		},
		{
			name:   "odd talker",
			line:   "!=IVDM,1,1,,A,18JSmJ001D8FqSClKd51JAD20D0W,0*2E",
			talker: "=I", total: 1, number: 1, seq: -1, channel: 'A', payload: "18JSmJ001D8FqSClKd51JAD20D0W",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			var s Sentence
			ok, err := p.Parse([]byte(tt.line), &s)
			if err != nil || !ok {
				t.Fatalf("Parse = %v, %v; want sentence", ok, err)
			}
			if got := string(s.Talker[:]); got != tt.talker {
				t.Errorf("talker = %q, want %q", got, tt.talker)
			}
			if s.Total != tt.total || s.Number != tt.number || s.SeqID != tt.seq || s.Channel != tt.channel || s.Fill != tt.fill {
				t.Errorf("fragment = %d/%d seq %d ch %q fill %d, want %d/%d seq %d ch %q fill %d",
					s.Number, s.Total, s.SeqID, s.Channel, s.Fill, tt.number, tt.total, tt.seq, tt.channel, tt.fill)
			}
			if string(s.Payload) != tt.payload {
				t.Errorf("payload = %q, want %q", s.Payload, tt.payload)
			}
			if got := formatTime(s.Time); got != tt.time {
				t.Errorf("time = %q, want %q", got, tt.time)
			}
			if string(s.Source) != tt.source {
				t.Errorf("source = %q, want %q", s.Source, tt.source)
			}
			if s.Group != tt.group {
				t.Errorf("group = %+v, want %+v", s.Group, tt.group)
			}
		})
	}
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// TestParseMetadataLines checks that a Gatehouse $PGHP line or a tag block
// standing alone dates the next sentence, and only that one.
func TestParseMetadataLines(t *testing.T) {
	lines := []string{
		`\si:AISD*3F\`,
		"$PGHP,1,2013,11,12,12,0,0,11,219,,2190067,1,62*26",
		"!BSVDM,1,1,,A,13@:`L001N0ded0O6Fp8wW<00<0t,0*62",
		"!BSVDM,1,1,,A,13@:`L001N0ded0O6Fp8wW<00<0t,0*62",
		withTag("s:station7,c:1418172113"),
		"!BSVDM,1,1,,A,13@:`L001N0ded0O6Fp8wW<00<0t,0*62",
	}
	want := []struct {
		sentence bool
		time     string
		source   string
	}{
		{false, "", ""},
		{false, "", ""},
		{true, "2013-11-12T12:00:00.011Z", ""},
		{true, "", ""},
		{false, "", ""},
		{true, "2014-12-10T00:41:53Z", "station7"},
	}
	var p Parser
	for i, line := range lines {
		var s Sentence
		ok, err := p.Parse([]byte(line), &s)
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if ok != want[i].sentence {
			t.Fatalf("line %d: sentence = %v, want %v", i, ok, want[i].sentence)
		}
		if !ok {
			continue
		}
		if got := formatTime(s.Time); got != want[i].time {
			t.Errorf("line %d: time = %q, want %q", i, got, want[i].time)
		}
		if string(s.Source) != want[i].source {
			t.Errorf("line %d: source = %q, want %q", i, s.Source, want[i].source)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		line string
		want Reason
	}{
		{"empty", "  \r\n", ReasonEmpty},
		{"garbage", "hello world", ReasonNoSentence},
		{"leading time only", "1550303566167726840 ", ReasonNoSentence},
		{"leading time too long", "15503035661677268401 !AIVDM,1,1,,B,10bb7q@P0lPGHlVMhbl0Qgw>2>`<,0*7F", ReasonBadTime},
		{"leading time then garbage", "1550303566 xx", ReasonNoSentence},
		{"no checksum", "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0", ReasonNoChecksum},
		{"truncated checksum", "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*3", ReasonNoChecksum},
		{"bad checksum", "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*31", ReasonBadChecksum},
		{"non-hex checksum", "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*ZZ", ReasonNoChecksum},
		{"other sentence", "$GPZDA,114702.51,27,01,2012,,*66", ReasonUnsupported},
		{"alarm", "$BSALR,,006,V,V,general failure*62", ReasonUnsupported},
		{"fragment beyond total", withChecksum("!AIVDM,1,2,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0"), ReasonBadFields},
		{"zero total", withChecksum("!AIVDM,0,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0"), ReasonBadFields},
		{"fill out of range", withChecksum("!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,7"), ReasonBadFields},
		{"missing fields", withChecksum("!AIVDM,1,1,,A"), ReasonBadFields},
		{"extra field", withChecksum("!AIVDM,1,1,,A,15N1,0,9"), ReasonBadFields},
		{"empty payload", withChecksum("!AIVDM,1,1,,A,,0"), ReasonEmptyPayload},
		{"letter sequence id", withChecksum("!AIVDM,2,1,X,A,15N1,0"), ReasonBadFields},
		{"unclosed tag block", `\s:x,c:1*00!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30`, ReasonBadTagBlock},
		{"tag block bad time", withTag("c:abc") + "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", ReasonBadTime},
		{"tag block bad group", withTag("g:3-2-1") + "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", ReasonBadTagBlock},
		{"tag field without colon", withTag("abc") + "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", ReasonBadTagBlock},
		{"PGHP impossible date", withChecksum("$PGHP,1,2013,13,12,12,0,0,11,219,,2190067,1,62"), ReasonBadTime},
		{"PGHP short", withChecksum("$PGHP,1,2013,11"), ReasonBadTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			var s Sentence
			ok, err := p.Parse([]byte(tt.line), &s)
			if ok || !errors.Is(err, tt.want) {
				t.Errorf("Parse(%q) = %v, %v; want %v", tt.line, ok, err, tt.want)
			}
		})
	}
}

// TestParseTagChecksumTolerated checks that a tag block with a wrong
// checksum, as real archives write, still dates its sentence and is counted.
func TestParseTagChecksumTolerated(t *testing.T) {
	var p Parser
	var s Sentence
	ok, err := p.Parse([]byte(`\c:1420030798*00\!ABVDM,1,1,4,B,17P;HV?P008F98Il;EC1mOwL0@KP,0*22`), &s)
	if !ok || err != nil {
		t.Fatalf("Parse = %v, %v", ok, err)
	}
	if got := formatTime(s.Time); got != "2014-12-31T12:59:58Z" {
		t.Errorf("time = %s", got)
	}
	if p.TagChecksumErrors != 1 {
		t.Errorf("TagChecksumErrors = %d, want 1", p.TagChecksumErrors)
	}
}

func TestParseTagFields(t *testing.T) {
	var p Parser
	var s Sentence
	line := withTag("d:dest7,n:42,r:1500,t:hello,s:src") + "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30"
	if ok, err := p.Parse([]byte(line), &s); !ok || err != nil {
		t.Fatalf("Parse = %v, %v", ok, err)
	}
	if string(s.Dest) != "dest7" || s.LineCount != 42 || s.Relative != 1500 || string(s.Text) != "hello" || string(s.Source) != "src" {
		t.Errorf("tag fields %+v", s)
	}
	if _, err := p.Parse([]byte(withTag("n:x")+"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30"), &s); err != ReasonBadTagBlock {
		t.Errorf("bad line count: %v", err)
	}
}

func withChecksum(s string) string {
	var sum byte
	for i := 1; i < len(s); i++ {
		sum ^= s[i]
	}
	const hex = "0123456789ABCDEF"
	return s + "*" + string([]byte{hex[sum>>4], hex[sum&15]})
}

func withTag(fields string) string {
	return `\` + withChecksum("x" + fields)[1:] + `\`
}

func TestAppendVDMRoundTrip(t *testing.T) {
	payload := []byte("53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000000000008")
	out := AppendVDM(nil, "AI", "VDM", payload, 2, 3, 'B')
	var p Parser
	var got []byte
	n := 0
	for _, line := range splitLines(out) {
		var s Sentence
		ok, err := p.Parse(line, &s)
		if !ok || err != nil {
			t.Fatalf("Parse(%q) = %v, %v", line, ok, err)
		}
		if len(line) > 82 {
			t.Errorf("sentence of %d characters: %q", len(line), line)
		}
		n++
		if s.Total != 2 || s.Number != n || s.SeqID != 3 || s.Channel != 'B' {
			t.Errorf("fragment %d: %+v", n, s)
		}
		got = append(got, s.Payload...)
		if n == s.Total && s.Fill != 2 {
			t.Errorf("fill = %d, want 2", s.Fill)
		}
	}
	if string(got) != string(payload) {
		t.Errorf("payload = %q, want %q", got, payload)
	}
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		out = append(out, b[:i])
		if i < len(b) {
			i++
		}
		b = b[i:]
	}
	return out
}

func TestAppendSentenceAndTagBlock(t *testing.T) {
	line := AppendTagBlock(nil, []byte("s:tarifa,c:1795749312123"))
	line = AppendSentence(line, '$', []byte("RATTM,07,10.0,180.0,T,,,,,,N,,T,,031512.12,A"))
	var p Parser
	var rt RadarTarget
	ok, err := p.ParseRadar(line, &rt)
	if !ok || err != nil {
		t.Fatalf("ParseRadar(%q) = %v, %v", line, ok, err)
	}
	if rt.Number != 7 || string(rt.Source) != "tarifa" || formatTime(rt.Time) != "2026-11-27T03:15:12.123Z" {
		t.Errorf("target %+v from %q", rt, line)
	}
}
