package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/ais"
	"pharos/internal/model"
	"pharos/internal/nmea"
	"pharos/internal/picture"
)

var update = flag.Bool("update", false, "rewrite testdata fixtures and golden files")

// mixedFixture builds testdata/mixed.nmea: one message in each time
// convention, then the kinds of line real feeds also send.
func mixedFixture(t *testing.T) []byte {
	t.Helper()
	sentences := func(m ais.Message, seq int, ch byte) []string {
		p, fill, err := ais.AppendPayload(nil, m)
		if err != nil {
			t.Fatal(err)
		}
		out := string(nmea.AppendVDM(nil, "AI", "VDM", p, fill, seq, ch))
		return strings.Split(strings.TrimSpace(strings.ReplaceAll(out, "\r", "")), "\n")
	}
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }

	pos := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: 224123450}, SOG: 123,
		Lon: int32(-5.6 * 600000), Lat: int32(35.95 * 600000), COG: 2705, Heading: 271, Second: 12}
	add(withChecksum("$PGHP,1,2026,11,27,3,15,12,250,224,,2240001,1,00")) // Gatehouse time line
	add(sentences(pos, 0, 'A')...)

	b := &ais.ClassBPosition{}
	b.Type, b.MMSI, b.SOG, b.COG, b.Heading = 18, 224987650, 1023, 3600, 511
	b.Lon, b.Lat, b.Second = 181*600000, 91*600000, 60 // nothing available
	add(`\` + withChecksum("xs:tarifa,c:1795749312")[1:] + `\` + sentences(b, 0, 'B')[0])

	sv := &ais.StaticVoyage{Header: ais.Header{Type: 5, MMSI: 224123450}, IMO: 9074729, CallSign: "EADF",
		Name: "GUARDAMAR TALIA", ShipType: 51, Dimensions: ais.Dimensions{ToBow: 20, ToStern: 12, ToPort: 4, ToStarboard: 4},
		EPFD: 1, ETA: ais.ETA{Month: 11, Day: 27, Hour: 6, Minute: 30}, Draught: 31, Destination: "ALGECIRAS"}
	for _, s := range sentences(sv, 3, 'A') {
		add(s + ",r003669946,1795749313") // US Coast Guard suffix
	}

	p3 := *pos
	p3.Type, p3.MMSI, p3.ROT, p3.NavStatus = 3, 255805870, -128, 7
	add("1795749314500000000 " + sentences(&p3, 0, 'A')[0]) // leading receive time in ns

	add("garbage from a serial line")
	add("!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*31") // bad checksum
	add("$GPZDA,114702.51,27,01,2012,,*66")                // valid NMEA, no AIS
	add("!AIVDM,1,1,,B,,0*25")                             // empty payload
	add(sentences(sv, 4, 'B')[0])                          // a first fragment whose second never comes
	add("!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6")      // no checksum
	return []byte(strings.Join(lines, "\n") + "\n")
}

func withChecksum(s string) string {
	var sum byte
	for i := 1; i < len(s); i++ {
		sum ^= s[i]
	}
	return fmt.Sprintf("%s*%02X", s, sum)
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestDecodeGolden(t *testing.T) {
	golden(t, "mixed.nmea", mixedFixture(t))
	out, _, err := runCmd(t, "decode", "--json", "testdata/mixed.nmea")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "mixed.jsonl", []byte(out))
}

func TestDecodeStats(t *testing.T) {
	out, stderr, err := runCmd(t, "decode", "testdata/mixed.nmea", "--stats")
	if err != nil {
		t.Fatal(err, stderr)
	}
	var st statsJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("stats %q: %v", out, err)
	}
	wantRejects := map[string]int{"bad_checksum": 1, "dropped_parts": 1, "empty_payload": 1,
		"no_checksum": 1, "no_sentence": 1, "unsupported_sentence": 1}
	if st.Lines != 12 || st.Meta != 1 || st.Sentences != 6 || st.Messages != 4 || fmt.Sprint(st.Rejects) != fmt.Sprint(wantRejects) {
		t.Errorf("stats = %+v, want 12 lines, 1 meta, 6 sentences, 4 messages, rejects %v", st, wantRejects)
	}
	if st.ByType["5"] != 1 || st.LinesPerSec <= 0 {
		t.Errorf("by type %v, lines/s %v", st.ByType, st.LinesPerSec)
	}
}

func TestDecodeWithStatsKeepsStdoutJSONLines(t *testing.T) {
	out, stderr, err := runCmd(t, "decode", "--json", "--stats", "testdata/mixed.nmea")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("%d lines on stdout, want the 4 messages", n)
	}
	if !strings.Contains(stderr, `"messages":4`) {
		t.Errorf("stats not on stderr: %q", stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"decode"}, {"decode", "--nope", "x"}, {"ingest"}} {
		if _, _, err := runCmd(t, args...); err != errUsage {
			t.Errorf("run(%q) = %v, want usage error", args, err)
		}
	}
	if _, _, err := runCmd(t, "decode", "testdata/does-not-exist.nmea"); err == nil || !strings.Contains(err.Error(), "does-not-exist") {
		t.Errorf("missing file: %v", err)
	}
}

func TestIngestCSV(t *testing.T) {
	csv := "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D\n" +
		"27/11/2026 03:15:12,Class A,224123450,35.950000,-5.600000,Under way using engine,0.0,12.3,270.5,271,9074729,EADF,GUARDAMAR TALIA,SAR,,8,32,GPS,3.1,ALGECIRAS,27/11/2026 06:30:00,AIS,20,12,4,4\n" +
		"27/11/2026 03:16:12,Class A,224123450,91.000000,181.000000,Under way using engine,0.0,12.3,270.5,271,9074729,EADF,GUARDAMAR TALIA,SAR,,8,32,GPS,3.1,ALGECIRAS,27/11/2026 06:30:00,AIS,20,12,4,4\n" +
		"not a date,Class A,224123450,35.95,-5.6,,,,,,,,,,,,,,,,,AIS,,,,\n"
	path := filepath.Join(t.TempDir(), "dma.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runCmd(t, "ingest", path)
	if err != nil {
		t.Fatal(err, stderr)
	}
	for _, want := range []string{"observations      2 (1 with a position)", "GUARDAMAR TALIA", "csv_bad_time:1"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestIngestLiveTCP(t *testing.T) {
	// A feed on loopback that sends the fixture and then stays open.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		fixture, _ := os.ReadFile("testdata/mixed.nmea")
		conn.Write(fixture)
		time.Sleep(5 * time.Second)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"ingest", "tcp://" + ln.Addr().String()}, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if !strings.Contains(out.String(), "AIS messages      4") {
		t.Errorf("summary:\n%s\nstderr:\n%s", out.String(), errb.String())
	}
}

// TestSimRunEval runs the whole measured loop on a small scenario:
// simulate, track twice (the same bytes each time), and score.
func TestSimRunEval(t *testing.T) {
	sim, run1, run2 := t.TempDir(), t.TempDir(), t.TempDir()
	if _, stderr, err := runCmd(t, "sim", "--scenario", "../../internal/sim/testdata/mini.yaml", "--out", sim); err != nil {
		t.Fatal(err, stderr)
	}
	for _, r := range []string{run1, run2} {
		if _, stderr, err := runCmd(t, "run", "--out", r, sim); err != nil {
			t.Fatal(err, stderr)
		}
	}
	a, _ := os.ReadFile(filepath.Join(run1, TracksFile))
	b, _ := os.ReadFile(filepath.Join(run2, TracksFile))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("tracks differ between runs over the same input (%d and %d bytes)", len(a), len(b))
	}
	checkIncidents(t, run1, run2)
	out, stderr, err := runCmd(t, "eval", "--truth", filepath.Join(sim, "truth.json"), "--run", run1)
	if err != nil {
		t.Fatal(err, stderr)
	}
	var res struct {
		GOSPA      float64 `json:"gospa"`
		IDSwitches int     `json:"id_switches"`
		Dark       struct {
			Precision, Recall *float64
		} `json:"dark_target"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err, out)
	}
	if res.Dark.Precision == nil || res.Dark.Recall == nil || *res.Dark.Precision < 0.95 || *res.Dark.Recall < 0.95 {
		t.Errorf("dark target precision %v recall %v, want both ≥ 0.95:\n%s", res.Dark.Precision, res.Dark.Recall, out)
	}
	if res.IDSwitches > 1 {
		t.Errorf("%d identity switches:\n%s", res.IDSwitches, out)
	}
	t.Logf("mini scenario: GOSPA %.1f m, dark precision %.3f recall %.3f", res.GOSPA, *res.Dark.Precision, *res.Dark.Recall)
}

// checkIncidents checks that two runs over the same input opened the same
// incidents, at least one (the mini scenario's go-fast), each of high
// impact or above, due 24 h after detection and linked to detections the
// run wrote.
func checkIncidents(t *testing.T, run1, run2 string) {
	t.Helper()
	a, _ := os.ReadFile(filepath.Join(run1, IncidentsFile))
	b, _ := os.ReadFile(filepath.Join(run2, IncidentsFile))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("incidents differ between runs over the same input, or none (%d and %d bytes)", len(a), len(b))
	}
	events, _ := os.ReadFile(filepath.Join(run1, EventsFile))
	for line := range bytes.Lines(a) {
		var in picture.Incident
		if err := json.Unmarshal(line, &in); err != nil {
			t.Fatal(err)
		}
		if in.Impact < model.ImpactHigh || !in.Due.Equal(in.Detected.Add(picture.FirstReportWithin)) || len(in.Events) == 0 {
			t.Errorf("incident %s: impact %s, detected %v, due %v, events %v", in.ID, in.Impact, in.Detected, in.Due, in.Events)
		}
		for _, id := range in.Events {
			if !bytes.Contains(events, []byte(`"id":"`+id+`"`)) {
				t.Errorf("incident %s links %s, which is not in %s", in.ID, id, EventsFile)
			}
		}
	}
}

// freeUDPPort returns a loopback UDP address nobody listens on.
func freeUDPPort(t *testing.T) string {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().String()
}

// TestIngestLiveRadarAndCoT feeds a radar plot over UDP (placed from the
// radar in the configuration) and an own asset's CoT event over UDP.
func TestIngestLiveRadarAndCoT(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "node.yaml")
	os.WriteFile(cfg, []byte("radars:\n  - {id: tarifa, lat: 36.0143, lon: -5.6044, range_m: 40000, period: 3s}\n"), 0o644)
	radarAddr, cotAddr := freeUDPPort(t), freeUDPPort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	go func() {
		time.Sleep(500 * time.Millisecond)
		send := func(addr, msg string) {
			if c, err := net.Dial("udp", addr); err == nil {
				c.Write([]byte(msg))
				c.Close()
			}
		}
		send(radarAddr, `\`+withChecksum("xs:tarifa,c:1795749312000")[1:]+`\`+withChecksum("$RATTM,07,10.0,180.0,T,,,T,,,N,,T,,031512.00,A")+"\r\n")
		send(cotAddr, `<event version="2.0" uid="GC-1" type="a-f-S-X-L" how="m-g" time="2026-11-27T03:15:12Z" start="2026-11-27T03:15:12Z" stale="2026-11-27T03:17:12Z"><point lat="36.0" lon="-5.5" hae="0" ce="10" le="9999999"/></event>`)
	}()
	var out, errb bytes.Buffer
	err := run(ctx, []string{"ingest", "--config", cfg, "udp://" + radarAddr, "cot-udp://" + cotAddr}, &out, &errb)
	if err != nil {
		t.Fatal(err, errb.String())
	}
	if !strings.Contains(out.String(), "observations      2 (2 with a position)") {
		t.Errorf("summary:\n%s\nstderr:\n%s", out.String(), errb.String())
	}
}

func TestAppendFixed(t *testing.T) {
	tests := []struct {
		v      float64
		places int
		want   string
	}{
		{36.1234567, 7, "36.1234567"}, {-5.6044, 7, "-5.6044"}, {1.05, 2, "1.05"}, {1.5, 2, "1.5"},
		{0.00012345678, 7, "0.0001235"}, {12, 1, "12"}, {-0.04, 1, "0"}, {359.96, 1, "360"}, {0, 2, "0"},
	}
	for _, tt := range tests {
		if got := string(appendFixed(nil, tt.v, tt.places)); got != tt.want {
			t.Errorf("appendFixed(%v, %d) = %q, want %q", tt.v, tt.places, got, tt.want)
		}
	}
}
