package report

import (
	"bytes"
	"testing"
)

// FuzzParseTrackLine: the hand reader of tracks.jsonl never panics, and
// what it reads from a line encoding/json also reads, it reads alike.
func FuzzParseTrackLine(f *testing.F) {
	for _, s := range []string{
		// pharos run's tracks.jsonl
		`{"t":"2026-11-27T01:20:10Z","id":17,"status":"confirmed","lat":35.9301234,"lon":-5.5512345,"sog":48.20,"cog":21.5,"sigma_m":41.2,"sensors":["radar"],"dark":true,"own_asset":false,"unconfirmed":false}`,
		// pharos sim --year's
		`{"t":"2025-03-02T23:41:07Z","id":1000123,"lat":35.871234,"lon":-5.52,"sog":47.3,"cog":14.2,"dark":true,"sensors":["radar"]}`,
		`{"t":"2025-03-02T23:41:07Z","id":1,"lat":1e400,"lon":0}`,
		`{"t":"","id":-1,"lat":"x","lon":}`,
		`{}`, `[]`, `{"name":"\"id\":3,","t":"2025-01-01T00:00:00Z","id":4,"lat":1,"lon":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseTrackLine(b)
		if err != nil {
			return
		}
		if bytes.Contains(b, []byte(`\`)) {
			return // escapes: the hand reader gave way to encoding/json
		}
		again, err := parseTrackLine(append([]byte(nil), b...))
		if err != nil || !again.Time.Equal(st.Time) || again.TrackID != st.TrackID {
			t.Errorf("read twice differently: %+v / %+v, %v", st, again, err)
		}
	})
}

// FuzzParseBox: a box read is a box that makes sense.
func FuzzParseBox(f *testing.F) {
	for _, s := range []string{"35.5,-6.3,36.5,-4.5", "0,0,1,1", "-90,-180,90,180", "1,2,3", "a,b,c,d", "36,-6,35,-4", "NaN,0,1,1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBox(s)
		if err != nil {
			return
		}
		if !(b.South < b.North && b.West < b.East && b.South >= -90 && b.North <= 90 && b.West >= -180 && b.East <= 180) {
			t.Errorf("ParseBox(%q) = %+v", s, b)
		}
	})
}
