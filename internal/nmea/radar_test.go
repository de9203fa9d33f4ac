package nmea

import (
	"errors"
	"math"
	"testing"
)

// radarWant is what a test expects of a RadarTarget; NaN means absent.
type radarWant struct {
	talker     string
	kind       RadarKind
	number     int
	rng, brg   float64
	brgRef     byte
	speed, crs float64
	crsRef     byte
	cpa, tcpa  float64
	units      byte
	acq        byte
	lat, lon   float64
	name       string
	status     byte
	reference  bool
	utc        float64
	time       string // RFC 3339 or ""
	source     string
}

var nan = math.NaN()

// ttmWant and tllWant fill in the fields a sentence of that kind never has.
func ttmWant(w radarWant) radarWant {
	w.kind, w.lat, w.lon = RadarTTM, nan, nan
	return w
}

func tllWant(w radarWant) radarWant {
	w.kind = RadarTLL
	w.rng, w.brg, w.speed, w.crs, w.cpa, w.tcpa = nan, nan, nan, nan, nan, nan
	return w
}

const (
	kn  = 1852.0 / 3600
	kmh = 1000.0 / 3600
	mph = 1609.344 / 3600
)

func TestParseRadar(t *testing.T) {
	tests := []struct {
		name string
		line string
		want radarWant
	}{
		{
			name: "TTM nautical miles, NMEA 3.0 with UTC",
			line: "$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*79",
			want: ttmWant(radarWant{talker: "RA", number: 1, rng: 0.2 * 1852, brg: 190.8, brgRef: 'T',
				speed: 12.1 * kn, crs: 109.7, crsRef: 'T', cpa: 0.1 * 1852, tcpa: 30, units: 'N', acq: 'A',
				name: "TGT01", status: 'T', utc: 10*3600 + 21}),
		},
		{
			name: "TTM nautical miles, no speed or course",
			line: "$RATTM,02,3.55,297.3,T,,,T,0.13,,N,,Q,,,M*02",
			want: ttmWant(radarWant{talker: "RA", number: 2, rng: 3.55 * 1852, brg: 297.3, brgRef: 'T',
				speed: nan, crs: nan, crsRef: 'T', cpa: 0.13 * 1852, tcpa: nan, units: 'N', acq: 'M',
				status: 'Q', utc: nan}),
		},
		{
			name: "TTM kilometres, CPA past",
			line: withChecksum("$ARTTM,12,5.5,045.0,T,20.0,270.0,T,1.2,-3.5,K,,T,,,A"),
			want: ttmWant(radarWant{talker: "AR", number: 12, rng: 5500, brg: 45, brgRef: 'T',
				speed: 20 * kmh, crs: 270, crsRef: 'T', cpa: 1200, tcpa: -210, units: 'K', acq: 'A',
				status: 'T', utc: nan}),
		},
		{
			name: "TTM statute miles, reference target, last second of the day",
			line: withChecksum("$RATTM,7,2.0,300.0,T,10.0,120.0,T,,,S,BOAT 7,Q,R,235959.50,M"),
			want: ttmWant(radarWant{talker: "RA", number: 7, rng: 2 * 1609.344, brg: 300, brgRef: 'T',
				speed: 10 * mph, crs: 120, crsRef: 'T', cpa: nan, tcpa: nan, units: 'S', acq: 'M',
				name: "BOAT 7", status: 'Q', reference: true, utc: 86399.5}),
		},
		{
			name: "TTM relative bearing and course",
			line: withChecksum("$RATTM,03,1.5,045.0,R,5.2,135.0,R,0.50,1.20,N,,T,,,A"),
			want: ttmWant(radarWant{talker: "RA", number: 3, rng: 1.5 * 1852, brg: 45, brgRef: 'R',
				speed: 5.2 * kn, crs: 135, crsRef: 'R', cpa: 0.5 * 1852, tcpa: 72, units: 'N', acq: 'A',
				status: 'T', utc: nan}),
		},
		{
			name: "TTM NMEA 2.x, 13 fields, optional fields empty",
			line: withChecksum("$RATTM,04,3.2,010.0,T,,,,,,N,,T,"),
			want: ttmWant(radarWant{talker: "RA", number: 4, rng: 3.2 * 1852, brg: 10, brgRef: 'T',
				speed: nan, crs: nan, cpa: nan, tcpa: nan, units: 'N', status: 'T', utc: nan}),
		},
		{
			name: "TTM 14 fields, UTC without fraction",
			line: withChecksum("$RATTM,05,1.0,359.9,T,3,0,T,,,N,,T,,061500"),
			want: ttmWant(radarWant{talker: "RA", number: 5, rng: 1852, brg: 359.9, brgRef: 'T',
				speed: 3 * kn, crs: 0, crsRef: 'T', cpa: nan, tcpa: nan, units: 'N', status: 'T', utc: 6*3600 + 15*60}),
		},
		{
			name: "TTM everything empty, units read as nautical miles",
			line: withChecksum("$RATTM,,,,,,,,,,,,,,,"),
			want: ttmWant(radarWant{talker: "RA", number: -1, rng: nan, brg: nan, speed: nan, crs: nan,
				cpa: nan, tcpa: nan, utc: nan}),
		},
		{
			name: "TTM bearing 360 is 0, empty units",
			line: withChecksum("$RATTM,99,1,360,T,,,,,,,,T,,,"),
			want: ttmWant(radarWant{talker: "RA", number: 99, rng: 1852, brg: 0, brgRef: 'T', speed: nan, crs: nan,
				cpa: nan, tcpa: nan, status: 'T', utc: nan}),
		},
		{
			name: "TTM with tag block time and station",
			line: withTag("s:tarifa,c:1718000000") + withChecksum("$RATTM,08,4.0,180.0,T,,,,,,N,,T,,,A"),
			want: ttmWant(radarWant{talker: "RA", number: 8, rng: 4 * 1852, brg: 180, brgRef: 'T', speed: nan, crs: nan,
				cpa: nan, tcpa: nan, units: 'N', acq: 'A', status: 'T', utc: nan,
				time: "2024-06-10T06:13:20Z", source: "tarifa"}),
		},
		{
			name: "TTM with trailing unix time and CRLF",
			line: withChecksum("$RATTM,09,4.0,180.0,T,,,,,,N,,T,,,A") + ",1718000001\r\n",
			want: ttmWant(radarWant{talker: "RA", number: 9, rng: 4 * 1852, brg: 180, brgRef: 'T', speed: nan, crs: nan,
				cpa: nan, tcpa: nan, units: 'N', acq: 'A', status: 'T', utc: nan, time: "2024-06-10T06:13:21Z"}),
		},
		{
			name: "TLL north and east",
			line: "$RATLL,01,3731.51052,N,02436.00000,E,TEST1,161617.88,T,*0C",
			want: tllWant(radarWant{talker: "RA", number: 1, lat: 37 + 31.51052/60, lon: 24.6, name: "TEST1",
				status: 'T', utc: 16*3600 + 16*60 + 17.88}),
		},
		{
			name: "TLL south and west",
			line: withChecksum("$RATLL,42,3352.1234,S,07036.5000,W,,120000.5,T,"),
			want: tllWant(radarWant{talker: "RA", number: 42, lat: -(33 + 52.1234/60), lon: -(70 + 36.5/60),
				status: 'T', utc: 12*3600 + 0.5}),
		},
		{
			name: "TLL lost reference target, west",
			line: "$RATLL,1,3646.54266,N,00235.37778,W,test,020915,L,R*78",
			want: tllWant(radarWant{talker: "RA", number: 1, lat: 36 + 46.54266/60, lon: -(2 + 35.37778/60),
				name: "test", status: 'L', reference: true, utc: 2*3600 + 9*60 + 15}),
		},
		{
			name: "TLL without number, name, time or status",
			line: "$RATLL,,3647.422,N,01432.592,E,,,,*58",
			want: tllWant(radarWant{talker: "RA", number: -1, lat: 36 + 47.422/60, lon: 14 + 32.592/60, utc: nan}),
		},
		{
			name: "TLL without position",
			line: withChecksum("$RATLL,05,,,,,X,,Q,"),
			want: tllWant(radarWant{talker: "RA", number: 5, lat: nan, lon: nan, name: "X", status: 'Q', utc: nan}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			var got RadarTarget
			ok, err := p.ParseRadar([]byte(tt.line), &got)
			if !ok || err != nil {
				t.Fatalf("ParseRadar(%q) = %v, %v", tt.line, ok, err)
			}
			checkRadar(t, &got, tt.want)
		})
	}
}

func checkRadar(t *testing.T, got *RadarTarget, w radarWant) {
	t.Helper()
	if string(got.Talker[:]) != w.talker || got.Kind != w.kind || got.Number != w.number {
		t.Errorf("talker, kind, number = %s %v %d; want %s %v %d", got.Talker[:], got.Kind, got.Number, w.talker, w.kind, w.number)
	}
	floats := []struct {
		name      string
		got, want float64
	}{
		{"range", got.Range, w.rng}, {"bearing", got.Bearing, w.brg}, {"speed", got.Speed, w.speed},
		{"course", got.Course, w.crs}, {"cpa", got.CPA, w.cpa}, {"tcpa", got.TCPA, w.tcpa},
		{"lat", got.Lat, w.lat}, {"lon", got.Lon, w.lon}, {"utc", got.UTC, w.utc},
	}
	for _, f := range floats {
		if !sameFloat(f.got, f.want) {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
	letters := []struct {
		name      string
		got, want byte
	}{
		{"bearing ref", got.BearingRef, w.brgRef}, {"course ref", got.CourseRef, w.crsRef},
		{"units", got.Units, w.units}, {"acquisition", got.Acquisition, w.acq}, {"status", got.Status, w.status},
	}
	for _, l := range letters {
		if l.got != l.want {
			t.Errorf("%s = %q, want %q", l.name, l.got, l.want)
		}
	}
	if string(got.Name) != w.name || got.Reference != w.reference {
		t.Errorf("name, reference = %q %v; want %q %v", got.Name, got.Reference, w.name, w.reference)
	}
	if ft := formatTime(got.Time); ft != w.time || string(got.Source) != w.source {
		t.Errorf("time, source = %q %q; want %q %q", ft, got.Source, w.time, w.source)
	}
}

// sameFloat compares to a part in 1e12, NaN equal to NaN.
func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func TestParseRadarRejects(t *testing.T) {
	ttm := func(fields string) string { return withChecksum("$RATTM," + fields) }
	tll := func(fields string) string { return withChecksum("$RATLL," + fields) }
	tests := []struct {
		name string
		line string
		want Reason
	}{
		{"empty", "\r\n", ReasonEmpty},
		{"no checksum", "$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A", ReasonNoChecksum},
		{"bad checksum", "$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*78", ReasonBadChecksum},
		{"bad checksum TLL", "$RATLL,01,3731.51052,N,02436.00000,E,TEST1,161617.88,T,*0D", ReasonBadChecksum},
		{"garbage", "radar says hello", ReasonNoSentence},
		{"AIS", "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", ReasonUnsupported},
		{"own ship data", withChecksum("$RAOSD,35.1,A,36.0,M,10.5,M,,,N"), ReasonUnsupported},
		{"TTMX is not TTM", withChecksum("$RATTMX,1"), ReasonUnsupported},
		{"TTM without fields", withChecksum("$RATTM"), ReasonBadFields},
		{"TTM 12 fields", ttm("01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T"), ReasonBadFields},
		{"TTM 16 fields", ttm("01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A,X"), ReasonBadFields},
		{"TLL 8 fields", tll("01,3731.51052,N,02436.00000,E,TEST1,161617.88,T"), ReasonBadFields},
		{"TLL 10 fields", tll("01,3731.51052,N,02436.00000,E,TEST1,161617.88,T,,"), ReasonBadFields},
		{"TTM letters in range", ttm("01,0.2x,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM letters in bearing", ttm("01,0.2,abc,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM two dots", ttm("01,0.2.1,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM exponent", ttm("01,1e3,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM NaN", ttm("01,NaN,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM lone sign", ttm("01,0.2,190.8,T,,,,,-,N,,T,,,"), ReasonBadFields},
		{"TTM negative range", ttm("01,-0.2,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM bearing over 360", ttm("01,0.2,360.1,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM negative speed", ttm("01,0.2,190.8,T,-1,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM too many digits", ttm("01,0.2000000000000000001,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM bad bearing reference", ttm("01,0.2,190.8,M,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM bad units", ttm("01,0.2,190.8,T,,,,,,M,,T,,,"), ReasonBadFields},
		{"TTM bad status", ttm("01,0.2,190.8,T,,,,,,N,,X,,,"), ReasonBadFields},
		{"TTM bad reference target", ttm("01,0.2,190.8,T,,,,,,N,,T,Y,,"), ReasonBadFields},
		{"TTM bad acquisition", ttm("01,0.2,190.8,T,,,,,,N,,T,,,Z"), ReasonBadFields},
		{"TTM hour 25", ttm("01,0.2,190.8,T,,,,,,N,,T,,250000,"), ReasonBadFields},
		{"TTM short UTC", ttm("01,0.2,190.8,T,,,,,,N,,T,,1200,"), ReasonBadFields},
		{"TTM UTC comma fraction", ttm("01,0.2,190.8,T,,,,,,N,,T,,120000:5,"), ReasonBadFields},
		{"TTM letter number", ttm("A1,0.2,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TTM number 1000", ttm("1000,0.2,190.8,T,,,,,,N,,T,,,"), ReasonBadFields},
		{"TLL minutes 60", tll("01,3760.000,N,02436.000,E,,,T,"), ReasonBadFields},
		{"TLL latitude 91", tll("01,9100.000,N,02436.000,E,,,T,"), ReasonBadFields},
		{"TLL longitude 181", tll("01,3700.000,N,18100.000,E,,,T,"), ReasonBadFields},
		{"TLL signed latitude", tll("01,-3700.000,N,02436.000,E,,,T,"), ReasonBadFields},
		{"TLL latitude with E", tll("01,3700.000,E,02436.000,E,,,T,"), ReasonBadFields},
		{"TLL latitude without hemisphere", tll("01,3700.000,,02436.000,E,,,T,"), ReasonBadFields},
		{"TLL hemisphere without latitude", tll("01,,N,02436.000,E,,,T,"), ReasonBadFields},
		{"TLL latitude without longitude", tll("01,3700.000,N,,,,,T,"), ReasonBadFields},
		{"TLL letters in longitude", tll("01,3700.000,N,024x6.000,E,,,T,"), ReasonBadFields},
		{"TLL bad status", tll("01,3700.000,N,02436.000,E,,,A,"), ReasonBadFields},
		{"tag block bad time", withTag("c:soon") + ttm("01,0.2,190.8,T,,,,,,N,,T,,,"), ReasonBadTime},
		{"unclosed tag block", `\c:1718000000*00` + ttm("01,0.2,190.8,T,,,,,,N,,T,,,"), ReasonBadTagBlock},
		{"leading time then nothing", "1718000000 ", ReasonNoSentence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			var got RadarTarget
			ok, err := p.ParseRadar([]byte(tt.line), &got)
			if ok || !errors.Is(err, tt.want) {
				t.Errorf("ParseRadar(%q) = %v, %v; want %v", tt.line, ok, err, tt.want)
			}
		})
	}
}

// TestParseRadarMetadataLines checks that a tag block alone or a $PGHP line
// dates the next radar sentence, as they date the next AIS sentence.
func TestParseRadarMetadataLines(t *testing.T) {
	ttm := withChecksum("$RATTM,08,4.0,180.0,T,,,,,,N,,T,,,A")
	lines := []string{
		withTag("s:tarifa,c:1718000000"),
		ttm,
		ttm,
		withChecksum("$PGHP,1,2024,6,10,6,13,22,500,219,,2190067,1,62"),
		withChecksum("$RATLL,01,3731.51052,N,02436.00000,E,,,T,"),
	}
	want := []struct {
		target       bool
		time, source string
	}{
		{false, "", ""},
		{true, "2024-06-10T06:13:20Z", "tarifa"},
		{true, "", ""},
		{false, "", ""},
		{true, "2024-06-10T06:13:22.5Z", ""},
	}
	var p Parser
	for i, line := range lines {
		var rt RadarTarget
		ok, err := p.ParseRadar([]byte(line), &rt)
		if err != nil || ok != want[i].target {
			t.Fatalf("line %d: ParseRadar = %v, %v; want %v", i, ok, err, want[i].target)
		}
		if !ok {
			continue
		}
		if got := formatTime(rt.Time); got != want[i].time || string(rt.Source) != want[i].source {
			t.Errorf("line %d: time, source = %q %q; want %q %q", i, got, rt.Source, want[i].time, want[i].source)
		}
	}
}

// TestParseRadarResetsTarget checks that a rejected line leaves no values of
// an earlier target behind.
func TestParseRadarResetsTarget(t *testing.T) {
	var p Parser
	var rt RadarTarget
	if ok, err := p.ParseRadar([]byte("$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*79"), &rt); !ok {
		t.Fatalf("ParseRadar: %v", err)
	}
	if ok, _ := p.ParseRadar([]byte(withChecksum("$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,X,,,")), &rt); ok {
		t.Fatal("bad status accepted")
	}
	if rt.Kind != 0 || rt.Number != -1 || !math.IsNaN(rt.Range) || len(rt.Name) != 0 {
		t.Errorf("after a reject: %+v", rt)
	}
}

var radarBenchLines = [][]byte{
	[]byte("$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*79"),
	[]byte("$RATLL,01,3731.51052,N,02436.00000,E,TEST1,161617.88,T,*0C"),
	[]byte(withTag("s:tarifa,c:1718000000") + withChecksum("$RATTM,08,4.0,180.0,T,,,,,,N,,T,,,A")),
}

func TestParseRadarNoAllocs(t *testing.T) {
	var p Parser
	var rt RadarTarget
	allocs := testing.AllocsPerRun(100, func() {
		for _, line := range radarBenchLines {
			if ok, err := p.ParseRadar(line, &rt); !ok {
				t.Fatalf("ParseRadar(%q): %v", line, err)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}

func BenchmarkParseRadar(b *testing.B) {
	var p Parser
	var rt RadarTarget
	var bytes int64
	for _, l := range radarBenchLines {
		bytes += int64(len(l))
	}
	b.SetBytes(bytes / int64(len(radarBenchLines)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if ok, err := p.ParseRadar(radarBenchLines[i%len(radarBenchLines)], &rt); !ok {
			b.Fatal(err)
		}
		i++
	}
}

// FuzzRadar checks that no line makes ParseRadar panic, that a rejected line
// names its reason, and that an accepted target keeps every value in range.
func FuzzRadar(f *testing.F) {
	seedLines(f, "amsa_risky_nmea-timestamped.txt")
	for _, s := range []string{
		"$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*79",
		"$RATTM,02,3.55,297.3,T,,,T,0.13,,N,,Q,,,M*02",
		"$RATTM,02,1.43,170.5,T,0.16,264.4,T,1.42,36.9,N,,T,,,M*2A",
		withChecksum("$ARTTM,12,5.5,045.0,T,20.0,270.0,T,1.2,-3.5,K,,T,,,A"),
		withChecksum("$RATTM,7,2.0,300.0,T,10.0,120.0,T,,,S,BOAT 7,Q,R,235959.50,M"),
		withChecksum("$RATTM,03,1.5,045.0,R,5.2,135.0,R,0.50,1.20,N,,T,,,A"),
		withChecksum("$RATTM,04,3.2,010.0,T,,,,,,N,,T,"),
		withChecksum("$RATTM,,,,,,,,,,,,,,,"),
		withTag("s:tarifa,c:1718000000") + withChecksum("$RATTM,08,4.0,180.0,T,,,,,,N,,T,,,A"),
		withChecksum("$RATTM,09,4.0,180.0,T,,,,,,N,,T,,,A") + ",1718000001",
		"$RATLL,01,3731.51052,N,02436.00000,E,TEST1,161617.88,T,*0C",
		"$RATLL,1,3646.54266,N,00235.37778,W,test,020915,L,R*78",
		"$RATLL,,3647.422,N,01432.592,E,,,,*58",
		withChecksum("$RATLL,42,3352.1234,S,07036.5000,W,,120000.5,T,"),
		"$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*78",
		withChecksum("$RATTM,01,1e3,190.8,T,,,,,,N,,T,,,"),
		withChecksum("$PGHP,1,2024,6,10,6,13,22,500,219,,2190067,1,62"),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var p Parser
		var rt RadarTarget
		ok, err := p.ParseRadar(line, &rt)
		if err != nil {
			if _, named := err.(Reason); !named || ok {
				t.Fatalf("ParseRadar(%q) = %v, %v: want a Reason", line, ok, err)
			}
			return
		}
		if !ok {
			return
		}
		bad := rt.Kind != RadarTTM && rt.Kind != RadarTLL ||
			rt.Number < -1 || rt.Number > maxTargetNumber ||
			!absentOrIn(rt.Range, 0, math.MaxFloat64) || !absentOrIn(rt.Bearing, 0, 359.999999999) ||
			!absentOrIn(rt.Speed, 0, math.MaxFloat64) || !absentOrIn(rt.Course, 0, 359.999999999) ||
			!absentOrIn(rt.CPA, 0, math.MaxFloat64) || !absentOrIn(rt.TCPA, -math.MaxFloat64, math.MaxFloat64) ||
			!absentOrIn(rt.Lat, -90, 90) || !absentOrIn(rt.Lon, -180, 180) ||
			math.IsNaN(rt.Lat) != math.IsNaN(rt.Lon) ||
			!absentOrIn(rt.UTC, 0, 86401) ||
			rt.Kind == RadarTLL && !(math.IsNaN(rt.Range) && math.IsNaN(rt.Bearing)) ||
			rt.Kind == RadarTTM && !math.IsNaN(rt.Lat)
		if bad {
			t.Fatalf("ParseRadar(%q) accepted %+v", line, rt)
		}
	})
}

func absentOrIn(v, lo, hi float64) bool {
	return math.IsNaN(v) || v >= lo && v <= hi
}
