package source

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"maps"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"pharos/internal/model"
)

const (
	dmaFile    = "ais-csv/dma_aisdk_2018-06-01_head138.csv"
	mcFile     = "ais-csv/marinecadastre_AIS_2022-01-03_first99999.csv"
	solentFile = "ais-csv/stonesoup_SolentAIS_20160112_130211.csv"
	icesFile   = "ais-csv/ices_wkssfgeo_passive_vessel_ais_adriatic_2017.csv"
)

// readAll reads every observation from a CSV reader.
func readAll(t *testing.T, r *CSVReader) []model.Observation {
	t.Helper()
	var obs []model.Observation
	for {
		o, err := r.Next()
		if errors.Is(err, io.EOF) {
			return obs
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", r.Rows(), err)
		}
		obs = append(obs, o)
	}
}

func nan(v float64) bool { return math.IsNaN(v) }

// sameObs compares observations field by field, NaN equal to NaN, Static
// by value.
func sameObs(a, b model.Observation) bool {
	f := func(x, y float64) bool { return x == y || nan(x) && nan(y) }
	if !a.Time.Equal(b.Time) || a.Source != b.Source || a.Sensor != b.Sensor || a.MMSI != b.MMSI ||
		!f(a.Lat, b.Lat) || !f(a.Lon, b.Lon) || !f(a.SOG, b.SOG) || !f(a.COG, b.COG) || !f(a.Heading, b.Heading) ||
		a.NavStatus != b.NavStatus || (a.Static == nil) != (b.Static == nil) {
		return false
	}
	return a.Static == nil || *a.Static == *b.Static
}

func obs(t time.Time, mmsi uint32, lat, lon, sog, cog, hdg float64, status int8, st *model.VesselStatic) model.Observation {
	o := model.NewObservation(t, "test", model.SensorAIS)
	o.MMSI, o.Lat, o.Lon, o.SOG, o.COG, o.Heading, o.NavStatus, o.Static = mmsi, lat, lon, sog, cog, hdg, status, st
	return o
}

func TestCSVRealFiles(t *testing.T) {
	n := math.NaN()
	tests := []struct {
		name      string
		file      string
		format    CSVFormat
		rows      int
		rejects   map[string]int
		noPos     int // rows whose position is absent
		static    int // rows with static data
		nanSOG    int
		nanCOG    int
		nanHead   int
		noStatus  int
		first     model.Observation
		checkRows func(t *testing.T, obs []model.Observation)
	}{
		{
			name: "dma", file: dmaFile, format: CSVDMA,
			rows: 138, rejects: map[string]int{},
			noPos: 10, static: 14, nanSOG: 22, nanCOG: 24, nanHead: 44, noStatus: 0,
			first: obs(time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC), 215810000, 55.921028, 17.320418, 12.5, 255.5, 256, 4, nil),
			checkRows: func(t *testing.T, all []model.Observation) {
				var tanker *model.Observation
				for i := range all {
					if all[i].MMSI == 266220000 {
						tanker = &all[i]
					}
				}
				if tanker == nil {
					t.Fatal("no row for MMSI 266220000")
				}
				// Lat 91, lon 181 ("not available") with full static data.
				want := obs(tanker.Time, 266220000, n, n, n, n, n, 15, &model.VesselStatic{
					IMO: 9320063, Name: "ASTINA", CallSign: "SHZA", ShipType: 81, // Tanker, Category X
					ToBow: 65, ToStern: 65, ToPort: 10, ToStarboard: 10, Draught: 5.9, Destination: "FREDERICIA",
				})
				if !sameObs(*tanker, want) {
					t.Errorf("MMSI 266220000:\n got %+v %+v\nwant %+v %+v", *tanker, tanker.Static, want, want.Static)
				}
				last := all[len(all)-1]
				if want := obs(last.Time, 219023648, 55.860993, 10.991620, 20.6, 9.2, 8, 0, nil); !sameObs(last, want) {
					t.Errorf("last row %+v, want %+v", last, want)
				}
			},
		},
		{
			name: "marinecadastre", file: mcFile, format: CSVMarineCadastre,
			rows: 99999, rejects: map[string]int{},
			noPos: 0, static: 99872, nanSOG: 173, nanCOG: 14023, nanHead: 52255, noStatus: 23805,
			first: obs(time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC), 338148873, 33.60716, -117.91483, 0, 280, n, -1,
				&model.VesselStatic{Name: "CAZADOR", ShipType: 37, ToBow: 7, ToStern: 7}),
			checkRows: func(t *testing.T, all []model.Observation) {
				if want := obs(time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC), 367379190, 30.3706, -88.56408, 0, 336.2, n, 0,
					&model.VesselStatic{IMO: 8207721, Name: "EAGLE", CallSign: "WTD4583", ShipType: 31, ToBow: 14, ToStern: 14, ToPort: 6, ToStarboard: 5, Draught: 3.3},
				); !sameObs(all[1], want) {
					t.Errorf("row 2:\n got %+v %+v\nwant %+v %+v", all[1], all[1].Static, want, want.Static)
				}
				last := all[len(all)-1]
				if want := obs(time.Date(2022, 1, 3, 0, 23, 40, 0, time.UTC), 245227000, 30.75395, -81.29776, 1.1, 161.8, 155, 0,
					&model.VesselStatic{IMO: 9375147, Name: "SOMERS ISLES", CallSign: "PHOX", ShipType: 70, ToBow: 50, ToStern: 49, ToPort: 8, ToStarboard: 7, Draught: 5.8},
				); !sameObs(last, want) {
					t.Errorf("last row:\n got %+v %+v\nwant %+v %+v", last, last.Static, want, want.Static)
				}
				quoted := 0
				for _, o := range all {
					if o.Static != nil && o.Static.Name == `RAY "CHIEF" TONEY` {
						quoted++
					}
				}
				if quoted != 18 {
					t.Errorf("%d rows named RAY \"CHIEF\" TONEY, want 18", quoted)
				}
			},
		},
		{
			name: "solent", file: solentFile, format: CSVSolent,
			rows: 18623, rejects: map[string]int{},
			noPos: 0, static: 0, nanSOG: 0, nanCOG: 1027, nanHead: 18623, noStatus: 18623,
			first: obs(time.Date(2016, 1, 12, 13, 2, 11, 218e6, time.UTC), 235070762, 50.7730133333333, -1.092935, 5.9, 157.8, n, -1, nil),
			checkRows: func(t *testing.T, all []model.Observation) {
				// The outlier 55° east of the Solent is a valid number: kept,
				// for tracking to judge.
				o := all[8207]
				if want := obs(time.Date(2016, 1, 12, 13, 41, 20, 973e6, time.UTC), 245188000, 50.8141, 54.83172, 0, 87.8, n, -1, nil); !sameObs(o, want) {
					t.Errorf("outlier row %+v, want %+v", o, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(dataFile(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := NewCSVReader(f)
			if err != nil {
				t.Fatal(err)
			}
			r.Source = "test"
			if r.Format() != tt.format {
				t.Errorf("format %v, want %v", r.Format(), tt.format)
			}
			all := readAll(t, r)
			if r.Rows() != tt.rows {
				t.Errorf("read %d rows, want %d", r.Rows(), tt.rows)
			}
			if got := r.Rejects(); !maps.Equal(got, tt.rejects) {
				t.Errorf("rejects %v, want %v", got, tt.rejects)
			}
			rejected := 0
			for _, v := range tt.rejects {
				rejected += v
			}
			if len(all) != tt.rows-rejected {
				t.Errorf("%d observations, want %d", len(all), tt.rows-rejected)
			}
			var noPos, static, nanSOG, nanCOG, nanHead, noStatus int
			for _, o := range all {
				if !o.HasPosition() {
					noPos++
					if !nan(o.Lat) || !nan(o.Lon) {
						t.Fatalf("half a position: %+v", o)
					}
				}
				if o.Static != nil {
					static++
				}
				if nan(o.SOG) {
					nanSOG++
				}
				if nan(o.COG) {
					nanCOG++
				}
				if nan(o.Heading) {
					nanHead++
				}
				if o.NavStatus < 0 {
					noStatus++
				}
				if o.Source != "test" || o.Sensor != model.SensorAIS {
					t.Fatalf("source %q sensor %v", o.Source, o.Sensor)
				}
			}
			counts := []struct {
				what      string
				got, want int
			}{
				{"without position", noPos, tt.noPos},
				{"with static", static, tt.static},
				{"SOG absent", nanSOG, tt.nanSOG},
				{"COG absent", nanCOG, tt.nanCOG},
				{"heading absent", nanHead, tt.nanHead},
				{"status absent", noStatus, tt.noStatus},
			}
			for _, c := range counts {
				if c.got != c.want {
					t.Errorf("rows %s: %d, want %d", c.what, c.got, c.want)
				}
			}
			if len(all) == 0 {
				t.Fatal("no observations")
			}
			if !sameObs(all[0], tt.first) {
				t.Errorf("first row:\n got %+v %+v\nwant %+v %+v", all[0], all[0].Static, tt.first, tt.first.Static)
			}
			tt.checkRows(t, all)
		})
	}
}

func TestCSVICESNotSupported(t *testing.T) {
	f, err := os.Open(dataFile(t, icesFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := NewCSVReader(f); !errors.Is(err, ErrCSVFormat) {
		t.Errorf("NewCSVReader = %v, want ErrCSVFormat (the file has no MMSI)", err)
	}
}

// A gzip archive through Open, as the ingest command reads it.
func TestCSVThroughOpen(t *testing.T) {
	data, err := os.ReadFile(dataFile(t, dmaFile))
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/aisdk.csv.gz"
	if err := os.WriteFile(path, gzipped(t, string(data)), 0o600); err != nil {
		t.Fatal(err)
	}
	rc, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r, err := NewCSVReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(readAll(t, r)); n != 138 {
		t.Errorf("%d observations, want 138", n)
	}
}

func TestDetectCSV(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   CSVFormat
	}{
		{"dma", "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type", CSVDMA},
		{"dma with A-D", "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D", CSVDMA},
		{"dma without #", "Timestamp,Type of mobile,MMSI,Latitude,Longitude", CSVDMA},
		{"marinecadastre", "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass", CSVMarineCadastre},
		{"marinecadastre with BOM, lower case", "\ufeffmmsi,basedatetime,lat,lon,sog,cog,heading", CSVMarineCadastre},
		{"solent", "Time,MMSI,Latitude_degrees,Longitude_degrees,COG_degrees,SOG_knots", CSVSolent},
		{"solent reordered", "MMSI,SOG_knots,Time,Longitude_degrees,Latitude_degrees", CSVSolent},
		{"ices: no mmsi", `"vessel_id","time_stamp","lon","lat","speed","course","trip"`, CSVUnknown},
		{"dma without position", "# Timestamp,Type of mobile,MMSI", CSVUnknown},
		{"nmea", "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24", CSVUnknown},
		{"empty", "", CSVUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewCSVReader(strings.NewReader(tt.header + "\n"))
			if tt.want == CSVUnknown {
				if !errors.Is(err, ErrCSVFormat) {
					t.Errorf("NewCSVReader = %v, want ErrCSVFormat", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewCSVReader: %v", err)
			}
			if r.Format() != tt.want {
				t.Errorf("format %v, want %v", r.Format(), tt.want)
			}
			if got, err := DetectCSV(strings.Split(tt.header, ",")); got != tt.want || err != nil {
				t.Errorf("DetectCSV = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

const (
	solentHeader = "Time,MMSI,Latitude_degrees,Longitude_degrees,COG_degrees,SOG_knots"
	dmaHeader    = "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type"
	dmaHeaderAD  = dmaHeader + ",A,B,C,D"
	mcHeader     = "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass"
)

// TestCSVRows feeds one row at a time between two good ones: the bad row
// is rejected for its reason and the reader goes on.
func TestCSVRows(t *testing.T) {
	n := math.NaN()
	t0 := time.Date(2016, 1, 12, 13, 2, 11, 0, time.UTC)
	d0 := time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC)
	m0 := time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC)
	good := map[string]string{
		solentHeader: "2016-01-12 13:02:11,235070762,50.77,-1.09,157.8,5.9",
		dmaHeader:    "01/06/2018 00:00:00,Class A,215810000,55.9,17.3,Moored,0.0,0.0,1.0,2,Unknown,,,Undefined,,,,Undefined,,,,AIS",
		dmaHeaderAD:  "01/06/2018 00:00:00,Class A,215810000,55.9,17.3,Moored,0.0,0.0,1.0,2,Unknown,,,Undefined,,,,Undefined,,,,AIS,,,,",
		mcHeader:     "338148873,2022-01-03T00:00:00,33.6,-117.9,0,280,511,,,,,,,,,,B",
	}
	tests := []struct {
		name   string
		header string
		row    string
		reject string            // "" when the row is accepted
		want   model.Observation // checked when accepted
	}{
		{"solent ok", solentHeader, "2016-01-12 13:02:11.5,235070762,50.77,-1.09,157.8,5.9", "",
			obs(t0.Add(500*time.Millisecond), 235070762, 50.77, -1.09, 5.9, 157.8, n, -1, nil)},
		{"solent nanoseconds and Z", solentHeader, "2016-01-12T13:02:11.123456789Z,235070762,50.77,-1.09,157.8,5.9", "",
			obs(t0.Add(123456789), 235070762, 50.77, -1.09, 5.9, 157.8, n, -1, nil)},
		{"empty position is absent", solentHeader, "2016-01-12 13:02:11,235070762,,,157.8,5.9", "",
			obs(t0, 235070762, n, n, 5.9, 157.8, n, -1, nil)},
		{"91/181 is absent", solentHeader, "2016-01-12 13:02:11,235070762,91,181,360,102.3", "",
			obs(t0, 235070762, n, n, n, n, n, -1, nil)},
		{"lat 91 alone is absent", solentHeader, "2016-01-12 13:02:11,235070762,91,-1.09,360,0", "",
			obs(t0, 235070762, n, n, 0, n, n, -1, nil)},
		{"negative sog is absent", solentHeader, "2016-01-12 13:02:11,235070762,-90,180,-1,-5", "",
			obs(t0, 235070762, -90, 180, n, n, n, -1, nil)},
		{"10-digit mmsi kept", solentHeader, "2016-01-12 13:02:11,1072211352,50,-1,0,0", "",
			obs(t0, 1072211352, 50, -1, 0, 0, n, -1, nil)},
		{"short row", solentHeader, "2016-01-12 13:02:11,235070762", RejectShortRow, model.Observation{}},
		{"long row", solentHeader, "2016-01-12 13:02:11,235070762,50,-1,0,0,extra", RejectLongRow, model.Observation{}},
		{"month 13", solentHeader, "2016-13-12 13:02:11,235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"30 February", solentHeader, "2016-02-30 13:02:11,235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"hour 24", solentHeader, "2016-01-12 24:02:11,235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"fraction without digits", solentHeader, "2016-01-12 13:02:11.,235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"fraction too long", solentHeader, "2016-01-12 13:02:11.1234567890,235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"year 0001", solentHeader, "0001-01-01 00:00:00,235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"time with zone", solentHeader, "2016-01-12 13:02:11+01:00,235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"empty time", solentHeader, ",235070762,50,-1,0,0", RejectBadTime, model.Observation{}},
		{"mmsi text", solentHeader, "2016-01-12 13:02:11,abc,50,-1,0,0", RejectBadMMSI, model.Observation{}},
		{"mmsi zero", solentHeader, "2016-01-12 13:02:11,0,50,-1,0,0", RejectBadMMSI, model.Observation{}},
		{"mmsi negative", solentHeader, "2016-01-12 13:02:11,-235070762,50,-1,0,0", RejectBadMMSI, model.Observation{}},
		{"mmsi over 30 bits", solentHeader, "2016-01-12 13:02:11,1073741824,50,-1,0,0", RejectBadMMSI, model.Observation{}},
		{"mmsi empty", solentHeader, "2016-01-12 13:02:11,,50,-1,0,0", RejectBadMMSI, model.Observation{}},
		{"lat text", solentHeader, "2016-01-12 13:02:11,235070762,north,-1,0,0", RejectBadPosition, model.Observation{}},
		{"lat 95", solentHeader, "2016-01-12 13:02:11,235070762,95,-1,0,0", RejectBadPosition, model.Observation{}},
		{"lon -181", solentHeader, "2016-01-12 13:02:11,235070762,50,-181,0,0", RejectBadPosition, model.Observation{}},
		{"lat NaN", solentHeader, "2016-01-12 13:02:11,235070762,NaN,-1,0,0", RejectBadPosition, model.Observation{}},
		{"lon Inf", solentHeader, "2016-01-12 13:02:11,235070762,50,Inf,0,0", RejectBadPosition, model.Observation{}},
		{"sog text", solentHeader, "2016-01-12 13:02:11,235070762,50,-1,0,fast", RejectBadField, model.Observation{}},

		{"dma ok", dmaHeader, "01/06/2018 00:00:00,Class A,219014345,91.000000,181.000000,Under way sailing,0.0,5.1,200.0,,Unknown,XPE2447,,Sailing,,4,9,GPS, , , ,AIS", "",
			obs(d0, 219014345, n, n, 5.1, 200, n, 8, &model.VesselStatic{CallSign: "XPE2447", ShipType: 36, ToBow: 5, ToStern: 4, ToPort: 2, ToStarboard: 2})},
		{"dma A-D, cargo Y, case", dmaHeaderAD, "01/06/2018 00:00:00,Class A,219014345,55,10,moored,,,,,1234567,,,cargo,category y,20,100,GPS,7.5,AARHUS,,AIS,80,20,12,8", "",
			obs(d0, 219014345, 55, 10, n, n, n, 5, &model.VesselStatic{IMO: 1234567, ShipType: 72, ToBow: 80, ToStern: 20, ToPort: 12, ToStarboard: 8, Draught: 7.5, Destination: "AARHUS"})},
		{"dma unknown texts", dmaHeader, "01/06/2018 00:00:00,Class A,219014345,55,10,Sleeping,,,,,Unknown,,,Spaceship,,,,,,,,AIS", "",
			obs(d0, 219014345, 55, 10, n, n, n, -1, nil)},
		{"dma iso time", dmaHeader, "2018-06-01 00:00:00,Class A,219014345,55,10,Moored,,,,,Unknown,,,Undefined,,,,,,,,AIS", RejectBadTime, model.Observation{}},
		{"dma short date", dmaHeader, "1/6/2018 00:00:00,Class A,219014345,55,10,Moored,,,,,Unknown,,,Undefined,,,,,,,,AIS", RejectBadTime, model.Observation{}},
		{"dma cog text", dmaHeader, "01/06/2018 00:00:00,Class A,219014345,55,10,Moored,,,north,,Unknown,,,Undefined,,,,,,,,AIS", RejectBadField, model.Observation{}},

		{"mc ok", mcHeader, `367704390,2022-01-03T00:00:24,30.22025,-93.26768,0.2,275.4,197,"RAY ""CHIEF"" TONEY",IMO0000000,WDI5024,31,12,25,,,57,A`, "",
			obs(m0.Add(24*time.Second), 367704390, 30.22025, -93.26768, 0.2, 275.4, 197, 12, &model.VesselStatic{Name: `RAY "CHIEF" TONEY`, CallSign: "WDI5024", ShipType: 31, ToBow: 13, ToStern: 12})},
		{"mc bare quote in name", mcHeader, `367704390,2022-01-03T00:00:24,30.2,-93.2,0,0,0,MY "BOAT",,,,,,,,,A`, "",
			obs(m0.Add(24*time.Second), 367704390, 30.2, -93.2, 0, 0, 0, -1, &model.VesselStatic{Name: `MY "BOAT"`})},
		{"mc not available codes", mcHeader, "367704390,2022-01-03T00:00:24,91,181,102.3,360,511,,,,0,15,0,0,0,,A", "",
			obs(m0.Add(24*time.Second), 367704390, n, n, n, n, n, 15, nil)},
		{"mc heading 360, status 16", mcHeader, "367704390,2022-01-03T00:00:24,30,-93,102.2,359.9,360,,,,,16,,,,,A", "",
			obs(m0.Add(24*time.Second), 367704390, 30, -93, 102.2, 359.9, n, -1, nil)},
		{"mc junk static ignored", mcHeader, "367704390,2022-01-03T00:00:24,30,-93,0,0,0,,IMOX,,999,,long,-3,deep,,A", "",
			obs(m0.Add(24*time.Second), 367704390, 30, -93, 0, 0, 0, -1, nil)},
		{"mc status text", mcHeader, "367704390,2022-01-03T00:00:24,30,-93,0,0,0,,,,,moored,,,,,A", RejectBadField, model.Observation{}},
		{"mc heading text", mcHeader, "367704390,2022-01-03T00:00:24,30,-93,0,0,n/a,,,,,,,,,,A", RejectBadField, model.Observation{}},
		{"mc dmy time", mcHeader, "367704390,03/01/2022 00:00:24,30,-93,0,0,0,,,,,,,,,,A", RejectBadTime, model.Observation{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := good[tt.header]
			input := tt.header + "\r\n" + g + "\r\n" + tt.row + "\r\n" + g + "\r\n"
			r, err := NewCSVReader(strings.NewReader(input))
			if err != nil {
				t.Fatal(err)
			}
			r.Source = "test"
			all := readAll(t, r)
			if r.Rows() != 3 {
				t.Errorf("read %d rows, want 3", r.Rows())
			}
			wantRejects := map[string]int{}
			wantObs := 3
			if tt.reject != "" {
				wantRejects[tt.reject] = 1
				wantObs = 2
			}
			if got := r.Rejects(); !maps.Equal(got, wantRejects) {
				t.Errorf("rejects %v, want %v", got, wantRejects)
			}
			if len(all) != wantObs {
				t.Fatalf("%d observations, want %d", len(all), wantObs)
			}
			if tt.reject == "" && !sameObs(all[1], tt.want) {
				t.Errorf("\n got %+v %+v\nwant %+v %+v", all[1], all[1].Static, tt.want, tt.want.Static)
			}
		})
	}
}

// fuzzSeeds returns the header and a few rows of each real file, plus its
// rows with quotes, falling back to a small synthetic set without the data.
func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		[]byte(solentHeader + "\n" + "2016-01-12 13:02:11.218,235070762,50.7730133333333,-1.092935,157.8,5.9\n"),
		[]byte(dmaHeader + "\n01/06/2018 00:00:00,Class A,219014345,91.000000,181.000000,Under way sailing,0.0,5.1,200.0,,Unknown,XPE2447,,Sailing,,4,9,GPS, , , ,AIS\n"),
		[]byte(mcHeader + "\n367704390,2022-01-03T00:00:24,30.22025,-93.26768,0.2,275.4,197,\"RAY \"\"CHIEF\"\" TONEY\",,WDI5024,31,12,25,,,57,A\n"),
	}
	for _, name := range []string{dmaFile, mcFile, solentFile} {
		path := dataDir + "/" + name
		fh, err := os.Open(path)
		if err != nil {
			if os.Getenv("CI") == "true" {
				f.Fatalf("shared test data %s is absent (CI=true requires it): %v", path, err)
			}
			continue // the synthetic seeds still exercise every format
		}
		sc := bufio.NewScanner(fh)
		var header string
		var b bytes.Buffer
		for i := 0; sc.Scan() && i < 20000; i++ {
			line := sc.Text()
			switch {
			case i == 0:
				header = line
			case i <= 5 || strings.Contains(line, `"`) || strings.Contains(line, ",91.0"):
				b.Reset()
				b.WriteString(header + "\n" + line + "\n")
				seeds = append(seeds, bytes.Clone(b.Bytes()))
			}
			if len(seeds) > 40 {
				break
			}
		}
		fh.Close()
	}
	return seeds
}

func FuzzCSV(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSVReader(bytes.NewReader(data))
		if err != nil {
			return // not a known header: nothing more to read
		}
		n := 0
		for {
			o, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Next on in-memory input: %v", err)
			}
			n++
			if n > len(data) {
				t.Fatalf("%d observations from %d bytes", n, len(data))
			}
			switch {
			case o.Sensor != model.SensorAIS || o.MMSI == 0 || o.MMSI >= 1<<30:
				t.Fatalf("bad identity %+v", o)
			case o.HasPosition() && (o.Lat < -90 || o.Lat > 90 || o.Lon < -180 || o.Lon > 180):
				t.Fatalf("position out of range %+v", o)
			case !o.HasPosition() && !(nan(o.Lat) && nan(o.Lon)):
				t.Fatalf("half a position %+v", o)
			case !nan(o.SOG) && (o.SOG < 0 || o.SOG >= 102.25),
				!nan(o.COG) && (o.COG < 0 || o.COG >= 360),
				!nan(o.Heading) && (o.Heading < 0 || o.Heading >= 360):
				t.Fatalf("kinematics out of range %+v", o)
			case o.NavStatus < -1 || o.NavStatus > 15:
				t.Fatalf("nav status %d", o.NavStatus)
			case o.Time.IsZero() || o.Time.Location() != time.UTC:
				t.Fatalf("time %v", o.Time)
			case o.Static != nil && *o.Static == (model.VesselStatic{}):
				t.Fatalf("empty static attached")
			}
		}
		rejected := 0
		for _, v := range r.Rejects() {
			rejected += v
		}
		if n+rejected != r.Rows() {
			t.Fatalf("%d accepted + %d rejected != %d rows", n, rejected, r.Rows())
		}
	})
}

func BenchmarkCSV(b *testing.B) {
	data, err := os.ReadFile(dataFile(b, mcFile))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		r, err := NewCSVReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
		rows += r.Rows()
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(rows), "allocs/row")
}
