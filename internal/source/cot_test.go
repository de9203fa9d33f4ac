package source

import (
	"context"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pharos/internal/model"
)

const cotBrief = `<event version="2.0" uid="PATROL-1" type="a-f-S-X-L" how="m-g" time="2026-11-27T03:15:12Z" start="2026-11-27T03:15:12Z" stale="2026-11-27T03:17:12Z">` +
	`<point lat="36.0" lon="-5.6" hae="0" ce="10" le="9999999"/><detail><contact callsign="GUARDAMAR TALIA"/><track course="270.5" speed="6.3"/></detail></event>`

// cotEv builds an event from its attributes and inner XML.
func cotEv(attrs, inner string) string {
	return `<event version="2.0" ` + attrs + `>` + inner + `</event>`
}

const cotAttrs = `uid="U" type="a-f-S" time="2026-11-27T03:15:12Z" stale="2026-11-27T03:17:12Z"`
const cotPt = `<point lat="36.5" lon="-5.25" ce="9999999" le="9999999" hae="0"/>`

// decodeCoT decodes s in one piece, as one stream.
func decodeCoT(s string, maxEvent int) ([]model.Observation, CoTStats) {
	d := &CoTDecoder{Source: "test", MaxEvent: maxEvent}
	var got []model.Observation
	d.Feed([]byte(s), func(o model.Observation) { got = append(got, o) })
	d.Flush()
	return got, d.Stats()
}

func sameRejects64(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestCoTDecoder(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 3, 15, 12, 0, time.UTC)
	huge := cotEv(cotAttrs, cotPt+`<detail><remarks>`+strings.Repeat("x", 70<<10)+`</remarks></detail>`)
	tests := []struct {
		name    string
		in      string
		uids    []string
		rejects map[string]uint64
		check   func(t *testing.T, obs []model.Observation)
	}{
		{"the brief's event", cotBrief, []string{"PATROL-1"}, nil, func(t *testing.T, obs []model.Observation) {
			o := obs[0]
			if o.Sensor != model.SensorAsset || o.Source != "test" || o.AssetType != "a-f-S-X-L" || !o.Time.Equal(t0) ||
				o.Lat != 36 || o.Lon != -5.6 || o.PosError != 10 || o.COG != 270.5 || math.Abs(o.SOG-12.2462203) > 1e-6 ||
				o.Static == nil || o.Static.Name != "GUARDAMAR TALIA" || !math.IsNaN(o.Heading) || o.MMSI != 0 {
				t.Errorf("%+v", o)
			}
		}},
		{"missing detail", cotEv(cotAttrs, cotPt), []string{"U"}, nil, func(t *testing.T, obs []model.Observation) {
			o := obs[0]
			if o.Lat != 36.5 || o.Lon != -5.25 || o.PosError != 0 || !math.IsNaN(o.SOG) || !math.IsNaN(o.COG) || o.Static != nil {
				t.Errorf("%+v", o)
			}
		}},
		{"unknown elements and attributes", cotEv(cotAttrs+` access="Undefined" qos="1-r-c"`,
			`<detail><__group name="Cyan"/><track course="10" speed="1" slope="0"/><link uid="X" relation="p-p"/><contact callsign="A &amp; B"/></detail>`+cotPt+`<extra><deep><er/></deep></extra>`),
			[]string{"U"}, nil, func(t *testing.T, obs []model.Observation) {
				o := obs[0]
				if o.COG != 10 || math.Abs(o.SOG-3600.0/1852) > 1e-12 || o.Static.Name != "A & B" {
					t.Errorf("%+v", o)
				}
			}},
		{"bad kinematics are absent", cotEv(cotAttrs, cotPt+`<detail><track course="360" speed="-1"/></detail>`), []string{"U"}, nil,
			func(t *testing.T, obs []model.Observation) {
				if !math.IsNaN(obs[0].COG) || !math.IsNaN(obs[0].SOG) {
					t.Errorf("%+v", obs[0])
				}
			}},
		{"speed zero", cotEv(cotAttrs, cotPt+`<detail><track course="0" speed="0.0"/></detail>`), []string{"U"}, nil,
			func(t *testing.T, obs []model.Observation) {
				if obs[0].COG != 0 || obs[0].SOG != 0 {
					t.Errorf("%+v", obs[0])
				}
			}},
		{"time with offset and fraction, no stale", cotEv(`uid="U" type="a-n-A" time="2026-11-27T04:15:12.5+01:00"`, cotPt), []string{"U"}, nil,
			func(t *testing.T, obs []model.Observation) {
				if !obs[0].Time.Equal(t0.Add(500*time.Millisecond)) || obs[0].Time.Location() != time.UTC {
					t.Errorf("time %v", obs[0].Time)
				}
			}},
		{"start when time is missing", cotEv(`uid="U" type="a-f-S" start="2026-11-27T03:15:12Z"`, cotPt), []string{"U"}, nil, nil},
		{"non-atom types", cotEv(`uid="U" type="t-x-c-t" time="2026-11-27T03:15:12Z"`, cotPt) +
			cotEv(`uid="U" type="b-m-p-s-p-i" time="2026-11-27T03:15:12Z"`, cotPt) + cotEv(`uid="U" time="2026-11-27T03:15:12Z"`, cotPt) +
			cotEv(`uid="U" type="a" time="2026-11-27T03:15:12Z"`, cotPt),
			nil, map[string]uint64{RejectCoTNotAtom: 4}, nil},
		{"stale", cotEv(`uid="U" type="a-f-S" time="2026-11-27T03:15:12Z" stale="2026-11-27T03:15:11Z"`, cotPt), nil,
			map[string]uint64{RejectCoTStale: 1}, nil},
		{"stale equal to time is not stale", cotEv(`uid="U" type="a-f-S" time="2026-11-27T03:15:12Z" stale="2026-11-27T03:15:12Z"`, cotPt),
			[]string{"U"}, nil, nil},
		{"no uid", cotEv(`type="a-f-S" time="2026-11-27T03:15:12Z"`, cotPt), nil, map[string]uint64{RejectCoTNoUID: 1}, nil},
		{"bad times", cotEv(`uid="U" type="a-f-S"`, cotPt) + cotEv(`uid="U" type="a-f-S" time="03:15"`, cotPt), nil,
			map[string]uint64{RejectCoTBadTime: 2}, nil},
		{"bad positions", cotEv(cotAttrs, ``) + cotEv(cotAttrs, `<point lat="91" lon="0"/>`) + cotEv(cotAttrs, `<point lat="x" lon="0"/>`) +
			cotEv(cotAttrs, `<point lon="0"/>`) + `<event ` + cotAttrs + `/>`, nil, map[string]uint64{RejectCoTBadPosition: 5}, nil},
		{"bad xml", cotEv(cotAttrs, `<point lat="1" lon="2"></event>`) + cotEv(cotAttrs, cotPt+`&nbsp;`) + `<event uid="a" type="a-f-S" time="2026-11-27T03:15:12Z">` + cotPt + `</detail></event>`, nil,
			map[string]uint64{RejectCoTBadXML: 3}, nil},
		{"garbage and declarations between events", "junk\r\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
			cotEv(`uid="A" type="a-f-S" time="2026-11-27T03:15:12Z"`, cotPt) + "<events/></event><!-- c --><eventual/>\x00\xff" +
			cotEv(`uid="B" type="a-f-S" time="2026-11-27T03:15:12Z"`, cotPt) + "\n\n", []string{"A", "B"}, nil, nil},
		{"concatenated without separators", strings.Repeat(cotBrief, 3), []string{"PATROL-1", "PATROL-1", "PATROL-1"}, nil, nil},
		{"whitespace in tags", "<event\n\tuid=\"A\" type=\"a-f-S\" time=\"2026-11-27T03:15:12Z\"\n>" + cotPt + "</event\r\n>", []string{"A"}, nil, nil},
		{"'>' and '/>' in attribute values", `<event uid="a>b/>" type='a-f-S' time="2026-11-27T03:15:12Z">` + cotPt + `<detail><contact callsign="x/>"/></detail></event>`,
			[]string{"a>b/>"}, nil, nil},
		{"look-alike end tags", cotEv(cotAttrs, cotPt+`<detail><eventx/></detail><detail></eventually></detail>`), nil,
			map[string]uint64{RejectCoTBadXML: 1}, nil},
		{"truncated by the next event", `<event uid="A" type="a-f-S" time="2026-11-27T03:15:12Z"><point lat="36" lo` +
			cotEv(`uid="B" type="a-f-S" time="2026-11-27T03:15:12Z"`, cotPt), []string{"B"}, map[string]uint64{RejectCoTTruncated: 1}, nil},
		{"truncated in the start tag", `<event uid="A" type="a-f` + cotEv(`uid="B" type="a-f-S" time="2026-11-27T03:15:12Z"`, cotPt),
			[]string{"B"}, map[string]uint64{RejectCoTTruncated: 1}, nil},
		{"truncated in an attribute value", `<event uid="A` + cotEv(`uid="B" type="a-f-S" time="2026-11-27T03:15:12Z"`, cotPt),
			[]string{"B"}, map[string]uint64{RejectCoTTruncated: 1}, nil},
		{"truncated at the end", cotBrief + cotBrief[:100], []string{"PATROL-1"}, map[string]uint64{RejectCoTTruncated: 1}, nil},
		{"cut inside the end tag", cotBrief[:len(cotBrief)-3], nil, map[string]uint64{RejectCoTTruncated: 1}, nil},
		{"huge event dropped", huge + cotBrief, []string{"PATROL-1"}, map[string]uint64{RejectCoTTooLarge: 1}, nil},
		{"huge unterminated event dropped", huge[:len(huge)-100] + cotBrief, []string{"PATROL-1"}, map[string]uint64{RejectCoTTooLarge: 1}, nil},
		{"huge start tag dropped", `<event uid="` + strings.Repeat("u", 70<<10) + `" type="a-f-S">` + cotPt + `</event>` + cotBrief,
			[]string{"PATROL-1"}, map[string]uint64{RejectCoTTooLarge: 1}, nil},
		{"only garbage", "hello <eve <?xml?> </event> < event>", nil, nil, nil},
		{"empty", "", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, st := decodeCoT(tt.in, 0)
			var uids []string
			for _, o := range obs {
				uids = append(uids, o.TargetID)
			}
			if tt.rejects == nil {
				tt.rejects = map[string]uint64{}
			}
			var nrej uint64
			for _, n := range st.Rejects {
				nrej += n
			}
			if !equalStrings(uids, tt.uids) || !sameRejects64(st.Rejects, tt.rejects) ||
				st.Positions != uint64(len(obs)) || st.Events != st.Positions+nrej {
				t.Fatalf("uids %q, stats %+v; want %q, rejects %v", uids, st, tt.uids, tt.rejects)
			}
			if tt.check != nil {
				tt.check(t, obs)
			}
		})
	}
}

func readCoTFixture(t testing.TB) []byte {
	t.Helper()
	p, err := os.ReadFile(filepath.Join("testdata", "cot_assets.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCoTFixture(t *testing.T) {
	obs, st := decodeCoT(string(readCoTFixture(t)), 0)
	want := []string{"ESP-GC-PATROL-1", "ESP-SASEMAR-HELIMER-207", "MAR-MRN-OPV-3", "ESP-COASTAL-RADAR-TARIFA", "ESP-GC-PATROL-1"}
	var uids []string
	for _, o := range obs {
		uids = append(uids, o.TargetID)
	}
	if !equalStrings(uids, want) || st.Events != 6 || !sameRejects64(st.Rejects, map[string]uint64{RejectCoTNotAtom: 1}) {
		t.Fatalf("uids %q, stats %+v", uids, st)
	}
	if o := obs[1]; o.AssetType != "a-f-A-C-H" || o.PosError != 5.1 || math.Abs(o.SOG-99.99) > 0.01 || o.Static.Name != "HELIMER 207" {
		t.Errorf("helicopter %+v", o)
	}
	if o := obs[2]; o.PosError != 0 || o.Static != nil || !o.Time.Equal(time.Date(2026, 11, 27, 3, 15, 31, 0, time.UTC)) {
		t.Errorf("OPV %+v", o)
	}
}

// TestCoTSplit feeds a stream cut at every byte, and byte by byte, and
// wants what it gets in one piece.
func TestCoTSplit(t *testing.T) {
	stream := string(readCoTFixture(t)) + "garbage<?xml version='1.0'?>" + cotBrief[:150] + cotBrief +
		`<event uid="a>b/>" type='a-f-S' time="2026-11-27T03:15:12Z">` + cotPt + `</event  >` +
		cotEv(cotAttrs, cotPt+`<detail><remarks>`+strings.Repeat("r", 1200)+`</remarks></detail>`) + "<eve" + cotBrief + "</ev"
	const maxEvent = 1024 // so that the long event is dropped, and the limit crossed at many points
	want, wantSt := decodeCoT(stream, maxEvent)
	if len(want) != 8 || wantSt.Rejects[RejectCoTTooLarge] != 1 || wantSt.Rejects[RejectCoTTruncated] != 1 {
		t.Fatalf("in one piece: %d positions, stats %+v", len(want), wantSt)
	}
	same := func(t *testing.T, how string, got []model.Observation, st CoTStats) {
		t.Helper()
		if len(got) != len(want) || st.Events != wantSt.Events || !sameRejects64(st.Rejects, wantSt.Rejects) {
			t.Fatalf("%s: %d positions, stats %+v; want %d, %+v", how, len(got), st, len(want), wantSt)
		}
		for i := range got {
			if got[i].TargetID != want[i].TargetID || !got[i].Time.Equal(want[i].Time) || got[i].Lat != want[i].Lat {
				t.Fatalf("%s: position %d = %+v, want %+v", how, i, got[i], want[i])
			}
		}
	}
	for cut := range len(stream) {
		d := &CoTDecoder{MaxEvent: maxEvent}
		var got []model.Observation
		fn := func(o model.Observation) { got = append(got, o) }
		d.Feed([]byte(stream[:cut]), fn)
		d.Feed([]byte(stream[cut:]), fn)
		d.Flush()
		same(t, "cut at "+strconv.Itoa(cut), got, d.Stats())
	}
	d := &CoTDecoder{MaxEvent: maxEvent}
	var got []model.Observation
	for i := range len(stream) {
		d.Feed([]byte{stream[i]}, func(o model.Observation) { got = append(got, o) })
		if len(d.buf) > 2*maxEvent+16 {
			t.Fatalf("buffer holds %d bytes at byte %d", len(d.buf), i)
		}
	}
	d.Flush()
	same(t, "byte by byte", got, d.Stats())
}

func TestAppendCoTRoundTrip(t *testing.T) {
	o := model.NewObservation(time.Date(2026, 11, 27, 3, 15, 12, 123456789, time.UTC), "sim", model.SensorAsset)
	o.TargetID, o.AssetType = `ESP-GC-"P&1"<x>`, "a-f-S-X-L"
	o.Lat, o.Lon, o.PosError = 36.012345678901234, -5.604123456789012, 12.5
	o.COG, o.SOG = 270.5, 12.3
	o.Static = &model.VesselStatic{Name: "GUARDAMAR TALIA\t'1'\x01"}
	b := AppendCoT([]byte("prefix "), o)
	if !strings.HasPrefix(string(b), "prefix <event ") || !strings.HasSuffix(string(b), "</event>") {
		t.Fatalf("AppendCoT = %s", b)
	}
	got, st := decodeCoT(string(b), 0)
	if len(got) != 1 {
		t.Fatalf("%s\ndecoded %d, stats %+v", b, len(got), st)
	}
	g := got[0]
	if g.TargetID != o.TargetID || g.AssetType != o.AssetType || !g.Time.Equal(o.Time) || g.Lat != o.Lat || g.Lon != o.Lon ||
		g.PosError != o.PosError || g.COG != o.COG || math.Abs(g.SOG-o.SOG) > 1e-9 || g.Static == nil ||
		g.Static.Name != "GUARDAMAR TALIA\t'1'\uFFFD" || g.Sensor != model.SensorAsset {
		t.Errorf("%s\nround trip: got %+v %+v, want %+v", b, g, g.Static, o)
	}

	// Absent values stay absent; the type defaults to a friendly surface vessel.
	bare := model.NewObservation(o.Time, "", model.SensorAsset)
	bare.TargetID, bare.Lat, bare.Lon = "B", 1, 2
	got, _ = decodeCoT(string(AppendCoT(nil, bare)), 0)
	if len(got) != 1 || got[0].AssetType != "a-f-S" || got[0].PosError != 0 || !math.IsNaN(got[0].SOG) || !math.IsNaN(got[0].COG) || got[0].Static != nil {
		t.Errorf("bare round trip: %+v", got)
	}
	bare.SOG = 5
	if got, _ = decodeCoT(string(AppendCoT(nil, bare)), 0); len(got) != 1 || math.Abs(got[0].SOG-5) > 1e-9 || !math.IsNaN(got[0].COG) {
		t.Errorf("speed only: %+v", got)
	}
	if b := AppendCoT([]byte("x"), model.NewObservation(o.Time, "", model.SensorAsset)); string(b) != "x" {
		t.Errorf("no position: %q", b)
	}
}

func TestCoTListener(t *testing.T) {
	l := &CoTListener{Source: "udp"}
	if err := l.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	got := make(chan model.Observation, 16)
	errc := make(chan error, 1)
	go func() { errc <- l.Serve(ctx, func(o model.Observation) { got <- o }) }()

	c, err := net.Dial("udp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ev := func(uid string) string {
		return cotEv(`uid="`+uid+`" type="a-f-S" time="2026-11-27T03:15:12Z"`, cotPt)
	}
	for _, dgram := range []string{
		`<?xml version="1.0"?>` + ev("A") + "\n" + ev("B"), // two events in one datagram
		ev("C")[:60], // an event cut short: it does not continue in the next datagram
		ev("D"),
	} {
		if _, err := c.Write([]byte(dgram)); err != nil {
			t.Fatal(err)
		}
	}
	var uids []string
	for range 3 {
		o := within(t, 5*time.Second, got, "a position")
		if o.Source != "udp" {
			t.Errorf("source %q", o.Source)
		}
		uids = append(uids, o.TargetID)
	}
	if !equalStrings(uids, []string{"A", "B", "D"}) {
		t.Errorf("uids %q, want A B D", uids)
	}
	cancel()
	if err := within(t, 5*time.Second, errc, "Serve to return"); err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
	st := l.Stats()
	if st.Datagrams != 3 || st.Positions != 3 || st.Events != 4 || !sameRejects64(st.Rejects, map[string]uint64{RejectCoTTruncated: 1}) {
		t.Errorf("stats %+v", st)
	}
}

func TestCoTListenerNotListening(t *testing.T) {
	var l CoTListener
	if err := l.Serve(t.Context(), func(model.Observation) {}); err != ErrNotListening {
		t.Errorf("Serve = %v, want ErrNotListening", err)
	}
	if err := l.Close(); err != ErrNotListening {
		t.Errorf("Close = %v, want ErrNotListening", err)
	}
}

func TestReadCoTTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stream := readCoTFixture(t)
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return
		}
		defer c.Close()
		// In small writes, so that events arrive in pieces.
		for p := stream; len(p) > 0; {
			n := min(len(p), 37)
			if _, err := c.Write(p[:n]); err != nil {
				return
			}
			p = p[n:]
		}
	}()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	d := &CoTDecoder{Source: "tcp"}
	var got []model.Observation
	if err := ReadCoT(ctx, c, d, func(o model.Observation) { got = append(got, o) }); err != nil {
		t.Fatalf("ReadCoT = %v", err)
	}
	if st := d.Stats(); len(got) != 5 || st.Positions != 5 || st.Events != 6 {
		t.Errorf("%d positions, stats %+v", len(got), st)
	}
}

func TestReadCoTCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := client.Write([]byte(cotBrief[:80])); err != nil { // then silence
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	d := new(CoTDecoder)
	errc := make(chan error, 1)
	go func() { errc <- ReadCoT(ctx, c, d, func(model.Observation) {}) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	if err := within(t, 5*time.Second, errc, "ReadCoT to return"); err != nil {
		t.Errorf("ReadCoT = %v, want nil", err)
	}
	if st := d.Stats(); st.Positions != 0 || st.Events > 1 {
		t.Errorf("stats %+v: at most the event cut short", st)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestReadCoTError(t *testing.T) {
	if err := ReadCoT(t.Context(), errReader{}, nil, func(model.Observation) {}); err == nil {
		t.Error("ReadCoT = nil, want the read error")
	}
	if err := ReadCoT(t.Context(), strings.NewReader(cotBrief), nil, func(model.Observation) {}); err != nil {
		t.Errorf("ReadCoT = %v at EOF, want nil", err)
	}
}

func FuzzCoT(f *testing.F) {
	f.Add(readCoTFixture(f), uint16(0))
	f.Add([]byte(cotBrief), uint16(100))
	f.Add([]byte(`<?xml version="1.0"?><event uid="a>b/>" type='a-f-S' time="2026-11-27T03:15:12Z">`+cotPt+`</event  ><eve`), uint16(7))
	f.Add([]byte(`<event uid="A" type="a-f`+cotEv(cotAttrs, cotPt+`<detail><track course="1e308" speed="NaN"/></detail>`)), uint16(30))
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		const maxEvent = 256
		whole, wst := decodeCoT(string(data), maxEvent)
		var nrej uint64
		for _, n := range wst.Rejects {
			nrej += n
		}
		if wst.Positions != uint64(len(whole)) || wst.Events != wst.Positions+nrej {
			t.Fatalf("stats %+v for %d positions", wst, len(whole))
		}
		// Cut anywhere, the same positions come out.
		at := int(cut) % (len(data) + 1)
		d := &CoTDecoder{MaxEvent: maxEvent}
		var split []model.Observation
		fn := func(o model.Observation) { split = append(split, o) }
		d.Feed(data[:at], fn)
		d.Feed(data[at:], fn)
		d.Flush()
		if st := d.Stats(); len(split) != len(whole) || st.Events != wst.Events || !sameRejects64(st.Rejects, wst.Rejects) {
			t.Fatalf("cut at %d: %d positions, stats %+v; in one piece %d, %+v", at, len(split), st, len(whole), wst)
		}
		for i, o := range whole {
			if o.TargetID != split[i].TargetID || !o.Time.Equal(split[i].Time) {
				t.Fatalf("cut at %d: position %d differs", at, i)
			}
			if !(o.Lat >= -90 && o.Lat <= 90 && o.Lon >= -180 && o.Lon <= 180) || o.TargetID == "" || o.Time.IsZero() {
				t.Fatalf("bad position %+v", o)
			}
			// What AppendCoT writes reads back.
			back, _ := decodeCoT(string(AppendCoT(nil, o)), 0)
			if len(back) != 1 || back[0].Lat != o.Lat || back[0].Lon != o.Lon || !back[0].Time.Equal(o.Time) ||
				!sameFloat(back[0].COG, o.COG) || back[0].PosError != o.PosError {
				t.Fatalf("%+v written as %s read back as %+v", o, AppendCoT(nil, o), back)
			}
		}
	})
}
