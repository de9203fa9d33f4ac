package source

import (
	"errors"
	"math"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/nmea"
)

// radarSentence appends the checksum to a sentence written without one.
func radarSentence(s string) string {
	var sum byte
	for i := 1; i < len(s); i++ {
		sum ^= s[i]
	}
	const hex = "0123456789ABCDEF"
	return s + "*" + string([]byte{hex[sum>>4], hex[sum&15]})
}

// radarTagged prefixes a sentence with an NMEA 4.0 tag block.
func radarTagged(fields, sentence string) string {
	return `\` + radarSentence("x" + fields)[1:] + `\` + sentence
}

// tarifaSite is a coastal radar on the Strait of Gibraltar with a 48 nmi range.
func tarifaSite() RadarSite {
	return RadarSite{ID: "tarifa", Lat: 36.0143, Lon: -5.6044, Range: 48 * geo.NauticalMile, Period: 2500 * time.Millisecond}
}

var radarDay = time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC)

func TestRadarReaderObserve(t *testing.T) {
	site := tarifaSite()
	tests := []struct {
		name     string
		line     string
		lat, lon float64 // want, to 1e-6 degree
		sog, cog float64 // NaN when absent
		id       string
		time     time.Time
		posError float64
	}{
		{
			name: "TTM 10 nmi south lands about 18.5 km south",
			line: radarSentence("$RATTM,01,10.0,180.0,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A"),
			lat:  site.Lat - 10*geo.NauticalMile/geo.EarthRadius*180/math.Pi, lon: site.Lon,
			sog: 12.1, cog: 109.7, id: "tarifa/1",
			time:     time.Date(2024, 6, 10, 10, 0, 21, 0, time.UTC),
			posError: math.Hypot(30, 10*geo.NauticalMile*0.5*math.Pi/180),
		},
		{
			name: "TTM in km with relative motion: position but no SOG or COG",
			line: radarSentence("$RATTM,2,5.0,090.0,T,20.0,270.0,R,1.2,-3.5,K,,Q,,101500,A"),
			lat:  radarLatOf(geo.Destination(site.Lat, site.Lon, 90, 5000)), lon: radarLonOf(geo.Destination(site.Lat, site.Lon, 90, 5000)),
			sog: math.NaN(), cog: math.NaN(), id: "tarifa/2",
			time:     time.Date(2024, 6, 10, 10, 15, 0, 0, time.UTC),
			posError: math.Hypot(30, 5000*0.5*math.Pi/180),
		},
		{
			name: "TLL passes through",
			line: radarSentence("$RATLL,07,3555.0000,N,00536.0000,W,SUSPECT,101500.50,T,"),
			lat:  35 + 55.0/60, lon: -(5 + 36.0/60), sog: math.NaN(), cog: math.NaN(), id: "tarifa/7",
			time:     time.Date(2024, 6, 10, 10, 15, 0, 5e8, time.UTC),
			posError: site.PosError(geo.Distance(site.Lat, site.Lon, 35+55.0/60, -(5 + 36.0/60))),
		},
		{
			name: "tag block time wins over UTC of data and Day",
			line: radarTagged("s:ra1,c:1718000000", radarSentence("$RATLL,08,3555.0000,N,00536.0000,W,,235959.00,T,")),
			lat:  35 + 55.0/60, lon: -(5 + 36.0/60), sog: math.NaN(), cog: math.NaN(), id: "tarifa/8",
			time:     time.Unix(1718000000, 0).UTC(),
			posError: site.PosError(geo.Distance(site.Lat, site.Lon, 35+55.0/60, -(5 + 36.0/60))),
		},
		{
			name: "TLL without target number",
			line: radarSentence("$RATLL,,3555.0000,N,00536.0000,W,,101500,,"),
			lat:  35 + 55.0/60, lon: -(5 + 36.0/60), sog: math.NaN(), cog: math.NaN(), id: "",
			time:     time.Date(2024, 6, 10, 10, 15, 0, 0, time.UTC),
			posError: site.PosError(geo.Distance(site.Lat, site.Lon, 35+55.0/60, -(5 + 36.0/60))),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := RadarReader{Site: site, Day: radarDay}
			obs, ok, err := r.Observe([]byte(tt.line))
			if !ok || err != nil {
				t.Fatalf("Observe(%q) = %v, %v", tt.line, ok, err)
			}
			if obs.Sensor != model.SensorRadar || obs.Source != "tarifa" || obs.TargetID != tt.id || obs.MMSI != 0 {
				t.Errorf("sensor, source, target = %v %q %q; want radar tarifa %q", obs.Sensor, obs.Source, obs.TargetID, tt.id)
			}
			if math.Abs(obs.Lat-tt.lat) > 1e-6 || math.Abs(obs.Lon-tt.lon) > 1e-6 {
				t.Errorf("position = %.6f, %.6f; want %.6f, %.6f", obs.Lat, obs.Lon, tt.lat, tt.lon)
			}
			if !radarSame(obs.SOG, tt.sog, 1e-9) || !radarSame(obs.COG, tt.cog, 1e-9) {
				t.Errorf("SOG, COG = %v, %v; want %v, %v", obs.SOG, obs.COG, tt.sog, tt.cog)
			}
			if !obs.Time.Equal(tt.time) {
				t.Errorf("time = %v, want %v", obs.Time, tt.time)
			}
			if math.Abs(obs.PosError-tt.posError) > 1e-6 {
				t.Errorf("PosError = %v, want %v", obs.PosError, tt.posError)
			}
			if !math.IsNaN(obs.Heading) || !math.IsNaN(obs.Length) || !math.IsNaN(obs.Confidence) || obs.NavStatus != -1 {
				t.Errorf("values radar does not give are not absent: %+v", obs)
			}
		})
	}
}

func radarLatOf(la, _ float64) float64 { return la }
func radarLonOf(_, lo float64) float64 { return lo }

func radarSame(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// TestRadarTTMDistance checks the geometry against the great-circle
// distance and bearing back from the target: 10 nmi due south of Tarifa.
func TestRadarTTMDistance(t *testing.T) {
	r := RadarReader{Site: tarifaSite(), Day: radarDay}
	obs, ok, err := r.Observe([]byte(radarSentence("$RATTM,01,10.0,180.0,T,,,,,,N,,T,,120000,A")))
	if !ok {
		t.Fatal(err)
	}
	if d := geo.Distance(r.Site.Lat, r.Site.Lon, obs.Lat, obs.Lon); math.Abs(d-18520) > 1 {
		t.Errorf("distance from the site = %.1f m, want 18520", d)
	}
	if obs.Lat > 35.85 || obs.Lat < 35.84 || math.Abs(obs.Lon-r.Site.Lon) > 1e-9 {
		t.Errorf("position = %.5f, %.5f; want about 35.8477, -5.6044", obs.Lat, obs.Lon)
	}
}

func TestRadarReaderRejects(t *testing.T) {
	tests := []struct {
		name string
		day  time.Time
		line string
		want error
	}{
		{"TTM beyond 48 nmi", radarDay, radarSentence("$RATTM,01,50.0,180.0,T,,,,,,N,,T,,120000,A"), RejectRadarOutOfRange},
		{"TTM beyond range in km", radarDay, radarSentence("$RATTM,01,90.0,180.0,T,,,,,,K,,T,,120000,A"), RejectRadarOutOfRange},
		{"TLL beyond range", radarDay, radarSentence("$RATLL,01,3400.0000,N,00536.0000,W,,120000,T,"), RejectRadarOutOfRange},
		{"TTM lost", radarDay, radarSentence("$RATTM,01,5.0,180.0,T,,,,,,N,,L,,120000,A"), RejectRadarLost},
		{"TLL lost", radarDay, radarSentence("$RATLL,01,3555.0000,N,00536.0000,W,,120000,L,"), RejectRadarLost},
		{"lost and relative counts as lost", radarDay, radarSentence("$RATTM,01,5.0,180.0,R,,,,,,N,,L,,120000,A"), RejectRadarLost},
		{"TTM relative bearing", radarDay, radarSentence("$RATTM,01,5.0,045.0,R,,,,,,N,,T,,120000,A"), RejectRadarRelativeBearing},
		{"TTM bearing without reference", radarDay, radarSentence("$RATTM,01,5.0,045.0,,,,,,,N,,T,,120000,A"), RejectRadarRelativeBearing},
		{"TTM without range", radarDay, radarSentence("$RATTM,01,,045.0,T,,,,,,N,,T,,120000,A"), RejectRadarNoPosition},
		{"TLL without position", radarDay, radarSentence("$RATLL,01,,,,,,120000,T,"), RejectRadarNoPosition},
		{"no UTC and no full time", radarDay, radarSentence("$RATTM,01,5.0,045.0,T,,,,,,N,,T,"), RejectRadarNoTime},
		{"UTC but no Day", time.Time{}, radarSentence("$RATTM,01,5.0,045.0,T,,,,,,N,,T,,120000,A"), RejectRadarNoTime},
		{"bad checksum", radarDay, "$RATTM,01,5.0,045.0,T,,,,,,N,,T,,120000,A*00", nmea.ReasonBadChecksum},
		{"not a radar sentence", radarDay, "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", nmea.ReasonUnsupported},
		{"non-numeric range", radarDay, radarSentence("$RATTM,01,five,045.0,T,,,,,,N,,T,,120000,A"), nmea.ReasonBadFields},
	}
	all := RadarReader{Site: tarifaSite(), Day: radarDay}
	wantCounts := map[string]int{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := RadarReader{Site: tarifaSite(), Day: tt.day}
			obs, ok, err := r.Observe([]byte(tt.line))
			if ok || !errors.Is(err, tt.want) {
				t.Fatalf("Observe(%q) = %v, %v; want %v", tt.line, ok, err, tt.want)
			}
			if obs.Source != "" || obs.TargetID != "" {
				t.Errorf("a reject returned an observation: %+v", obs)
			}
			name := tt.want.(interface{ String() string }).String()
			if got := r.Rejects(); len(got) != 1 || got[name] != 1 {
				t.Errorf("Rejects() = %v, want {%s: 1}", got, name)
			}
		})
		if !tt.day.IsZero() {
			all.Observe([]byte(tt.line))
			wantCounts[tt.want.(interface{ String() string }).String()]++
		}
	}
	got := all.Rejects()
	if len(got) != len(wantCounts) {
		t.Errorf("Rejects() = %v, want %v", got, wantCounts)
	}
	for k, v := range wantCounts {
		if got[k] != v {
			t.Errorf("Rejects()[%q] = %d, want %d", k, got[k], v)
		}
	}
	for _, k := range []string{"radar_out_of_range", "radar_lost_target", "radar_relative_bearing", "radar_no_time",
		"radar_no_position", "bad_checksum", "unsupported_sentence", "bad_fields"} {
		if got[k] == 0 {
			t.Errorf("Rejects() has no %q: %v", k, got)
		}
	}
	if all.Observations() != 0 || all.Lines() != len(tests)-1 {
		t.Errorf("Observations, Lines = %d, %d; want 0, %d", all.Observations(), all.Lines(), len(tests)-1)
	}
}

// TestRadarReaderMidnight checks that a feed dated only by UTC time of day
// moves on to the next day when the time of day falls back by more than
// 12 hours, also when the line that shows it is rejected, and not on a
// small step back.
func TestRadarReaderMidnight(t *testing.T) {
	ttm := func(utc, status string) []byte {
		return []byte(radarSentence("$RATTM,05,3.0,200.0,T,,,,,,N,," + status + ",," + utc + ",A"))
	}
	steps := []struct {
		line []byte
		want time.Time // zero: rejected
	}{
		{ttm("235958.00", "T"), time.Date(2024, 6, 10, 23, 59, 58, 0, time.UTC)},
		{ttm("235959.50", "T"), time.Date(2024, 6, 10, 23, 59, 59, 5e8, time.UTC)},
		{ttm("000001.25", "T"), time.Date(2024, 6, 11, 0, 0, 1, 25e7, time.UTC)},
		{ttm("000000.75", "T"), time.Date(2024, 6, 11, 0, 0, 0, 75e7, time.UTC)}, // a step back, same day
		{ttm("120000", "T"), time.Date(2024, 6, 11, 12, 0, 0, 0, time.UTC)},
		{ttm("235000", "T"), time.Date(2024, 6, 11, 23, 50, 0, 0, time.UTC)},
		{ttm("000500", "L"), time.Time{}}, // lost, but midnight passed all the same
		{ttm("001000", "T"), time.Date(2024, 6, 12, 0, 10, 0, 0, time.UTC)},
	}
	r := RadarReader{Site: tarifaSite(), Day: time.Date(2024, 6, 10, 22, 0, 0, 0, time.FixedZone("CEST", 2*3600)).Add(3 * time.Hour)}
	for i, s := range steps {
		obs, ok, err := r.Observe(s.line)
		if s.want.IsZero() {
			if ok {
				t.Errorf("step %d: accepted, want a reject", i)
			}
			continue
		}
		if !ok {
			t.Fatalf("step %d: %v", i, err)
		}
		if !obs.Time.Equal(s.want) {
			t.Errorf("step %d: time = %v, want %v", i, obs.Time, s.want)
		}
	}
}

func TestRadarReaderMetadataAndLineFunc(t *testing.T) {
	r := RadarReader{Site: tarifaSite()}
	var got []model.Observation
	fn := r.LineFunc(func(o model.Observation) { got = append(got, o) })
	for _, line := range []string{
		radarTagged("s:ra1,c:1718000000", ""),
		radarSentence("$RATTM,01,10.0,180.0,T,,,,,,N,,T,,,A"),
		radarSentence("$RATTM,01,10.0,180.0,T,,,,,,N,,T,,,A"), // the tag block spoke for one sentence only
		"garbage",
	} {
		fn([]byte(line))
	}
	if len(got) != 1 || !got[0].Time.Equal(time.Unix(1718000000, 0)) || got[0].TargetID != "tarifa/1" {
		t.Fatalf("observations = %+v; want one dated by the tag block", got)
	}
	want := map[string]int{"radar_no_time": 1, "no_sentence": 1}
	rej := r.Rejects()
	if len(rej) != len(want) || rej["radar_no_time"] != 1 || rej["no_sentence"] != 1 {
		t.Errorf("Rejects() = %v, want %v", rej, want)
	}
	if r.Lines() != 4 || r.Observations() != 1 {
		t.Errorf("Lines, Observations = %d, %d; want 4, 1", r.Lines(), r.Observations())
	}
}

func TestRadarSitePosError(t *testing.T) {
	s := RadarSite{RangeSigma: 10, BearingSigma: 1}
	if got, want := s.PosError(0), 10.0; got != want {
		t.Errorf("PosError(0) = %v, want %v", got, want)
	}
	// At 10 km a 1° bearing error is 174.5 m across.
	if got := s.PosError(10000); math.Abs(got-math.Hypot(10, 10000*math.Pi/180)) > 1e-9 {
		t.Errorf("PosError(10 km) = %v", got)
	}
	var d RadarSite
	if got := d.PosError(0); got != DefaultRadarRangeSigma {
		t.Errorf("default PosError(0) = %v, want %v", got, DefaultRadarRangeSigma)
	}
}

var radarFeed = [][]byte{
	[]byte(radarSentence("$RATTM,01,10.0,180.0,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A")),
	[]byte(radarSentence("$RATTM,02,5.0,090.0,T,20.0,270.0,T,1.2,-3.5,N,,T,,100021.50,A")),
	[]byte(radarSentence("$RATLL,07,3555.0000,N,00536.0000,W,SUSPECT,100022.00,T,")),
	[]byte(radarTagged("s:tarifa,c:1718000000", radarSentence("$RATTM,03,4.0,200.0,T,,,,,,N,,T,,,A"))),
}

// TestRadarReaderNoAllocs checks that, once each target number has its id,
// an observation costs no allocation.
func TestRadarReaderNoAllocs(t *testing.T) {
	r := RadarReader{Site: tarifaSite(), Day: radarDay}
	allocs := testing.AllocsPerRun(100, func() {
		for _, line := range radarFeed {
			if _, ok, err := r.Observe(line); !ok {
				t.Fatalf("Observe(%q): %v", line, err)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run of %d lines, want 0", allocs, len(radarFeed))
	}
}

func BenchmarkRadarReader(b *testing.B) {
	r := RadarReader{Site: tarifaSite(), Day: radarDay}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok, err := r.Observe(radarFeed[i%len(radarFeed)]); !ok {
			b.Fatal(err)
		}
		i++
	}
}
