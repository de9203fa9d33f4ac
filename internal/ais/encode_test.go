package ais

import (
	"reflect"
	"testing"

	"pharos/internal/nmea"
)

// TestRoundTrip decodes real captures, encodes every message of the types
// the encoder writes, decodes that again and requires the same message.
func TestRoundTrip(t *testing.T) {
	files := []string{
		"dma_aisabnormal_ais-sample_20131112.txt.gz",
		"dma_aislib_stream_example.txt",
		"nca_norwegian_20241209.raw",
		"pyais_nmea_data_sample.txt",
		"amsa_risky_ais_20120127.txt.gz",
		"bcl_aisparser_SAR.log",
		"gfw_mixed_types.nmea",
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			var dec Decoder
			var p nmea.Parser
			var s nmea.Sentence
			counts := map[uint8]int{}
			decodeFile(t, "ais-nmea/"+file, func(d *Decoded) {
				orig := snapshot(d.Msg)
				payload, fill, err := AppendPayload(nil, d.Msg)
				if err == ReasonUnencodable {
					return
				}
				if err != nil {
					t.Fatalf("encode %T: %v", d.Msg, err)
				}
				// Through NMEA framing as well, as the simulator will send it.
				for _, line := range splitSentences(nmea.AppendVDM(nil, "AI", "VDM", payload, fill, 0, 'A')) {
					if ok, err := p.Parse(line, &s); !ok || err != nil {
						t.Fatalf("frame %q: %v", line, err)
					}
				}
				again, err := dec.Decode(payload, fill)
				if err != nil {
					t.Fatalf("decode of encoded %T: %v", orig, err)
				}
				if got := snapshot(again); !reflect.DeepEqual(got, orig) {
					t.Fatalf("round trip changed the message:\n got %+v\nwant %+v", got, orig)
				}
				counts[orig.(Message).Head().Type]++
			})
			if len(counts) == 0 {
				t.Fatal("no encodable messages")
			}
			t.Logf("round-tripped by type: %v", counts)
		})
	}
}

// snapshot copies the message a Decoder owns, so a later Decode cannot
// change it.
func snapshot(m Message) any {
	v := reflect.ValueOf(m).Elem()
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	return c.Interface()
}

func splitSentences(b []byte) [][]byte {
	var out [][]byte
	start := 0
	for i, c := range b {
		if c == '\n' {
			out = append(out, b[start:i])
			start = i + 1
		}
	}
	return out
}

func TestEncodeUnencodable(t *testing.T) {
	var m BaseStation
	m.Type = 4
	if _, _, err := AppendPayload(nil, &m); err != ReasonUnencodable {
		t.Errorf("AppendPayload(type 4) error = %v, want %v", err, ReasonUnencodable)
	}
}
