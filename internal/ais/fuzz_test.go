package ais

import (
	"bytes"
	"testing"

	"pharos/internal/nmea"
)

// FuzzDecode checks that no payload makes the decoder panic, that every
// reject is a named Reason, and that whatever decodes also writes JSON.
func FuzzDecode(f *testing.F) {
	for _, line := range readLinesOptional("ais-nmea/libais_typeexamples.nmea", "ais-nmea/gfw_mixed_types.nmea") {
		var p nmea.Parser
		var s nmea.Sentence
		if ok, _ := p.Parse(line, &s); ok {
			f.Add(append([]byte(nil), s.Payload...), s.Fill)
		}
	}
	f.Add([]byte("15N1u<PP1FJuvSRHOE6QIwwh0HQ6"), 0)
	f.Fuzz(func(t *testing.T, payload []byte, fill int) {
		var d Decoder
		m, err := d.Decode(payload, fill&7)
		if err != nil {
			if _, named := err.(Reason); !named {
				t.Fatalf("Decode(%q) = %v: want a Reason", payload, err)
			}
			return
		}
		m.AppendJSON(nil)
		if out, fill2, err := AppendPayload(nil, m); err == nil {
			again, err := d.Decode(out, fill2)
			if err != nil {
				t.Fatalf("re-decode of %q (from %q): %v", out, payload, err)
			}
			if again.Head().MMSI != m.Head().MMSI {
				t.Fatalf("round trip changed the MMSI")
			}
		}
	})
}

// FuzzStream feeds lines, split from one fuzzed input, through framing and
// multi-part assembly, checking the assembler's bounds.
func FuzzStream(f *testing.F) {
	f.Add([]byte("!AIVDM,2,1,7,A,<M000000000000000000GcMvmEEEOPB6??uR0001np`R0;gbpaR@gP7GbSeH,0*63\n!AIVDM,2,2,7,A,OeEEEGp4Qf<,2*74\n"))
	f.Add([]byte(`\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63` + "\n" +
		`\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\!AIVDM,2,2,6,A,00000000008,2*2A` + "\n"))
	for _, line := range readLinesOptional("ais-nmea/gfw_multi-part.nmea") {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		var st Stream
		st.asm.MaxPending = 4
		var d Decoded
		for _, line := range bytes.Split(input, []byte("\n")) {
			st.Line(line, &d)
			if st.asm.Pending() > 4 {
				t.Fatalf("%d messages pending, bound is 4", st.asm.Pending())
			}
		}
		st.Close()
		if st.asm.Pending() != 0 {
			t.Fatal("Close left messages pending")
		}
	})
}
