package source

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"pharos/internal/model"
)

// CSVFormat names a decoded-AIS CSV layout.
type CSVFormat uint8

// Formats that DetectCSV recognises.
const (
	CSVUnknown        CSVFormat = iota
	CSVDMA                      // Danish Maritime Authority "aisdk" daily files
	CSVMarineCadastre           // US MarineCadastre / NOAA 17-column files
	CSVSolent                   // Stone Soup's Solent set: Time, MMSI, lat, lon, COG, SOG
)

var csvFormatNames = [...]string{"unknown", "dma", "marinecadastre", "solent"}

func (f CSVFormat) String() string {
	if int(f) < len(csvFormatNames) {
		return csvFormatNames[f]
	}
	return "unknown"
}

// Reasons a CSV row is rejected, as counted by [CSVReader.Rejects].
const (
	RejectSyntax      = "csv_syntax"       // encoding/csv could not parse the row
	RejectShortRow    = "csv_short_row"    // fewer fields than the header
	RejectLongRow     = "csv_long_row"     // more fields than the header: columns shifted
	RejectBadTime     = "csv_bad_time"     // timestamp missing or malformed
	RejectBadMMSI     = "csv_bad_mmsi"     // MMSI missing, zero, or more than 30 bits
	RejectBadPosition = "csv_bad_position" // latitude/longitude not a number or out of range
	RejectBadField    = "csv_bad_field"    // SOG, COG, heading or status not a number
)

type reject uint8

const (
	rejSyntax reject = iota
	rejShortRow
	rejLongRow
	rejBadTime
	rejBadMMSI
	rejBadPosition
	rejBadField
	nRejects
	rejNone reject = 255
)

var rejectNames = [nRejects]string{
	RejectSyntax, RejectShortRow, RejectLongRow, RejectBadTime, RejectBadMMSI, RejectBadPosition, RejectBadField,
}

// csvLayout is where each field sits in a format; -1 when the file lacks it.
type csvLayout struct {
	format                               CSVFormat
	ncol                                 int
	time, mmsi, lat, lon                 int
	sog, cog, heading, status            int
	imo, name, callSign, shipType, cargo int
	length, width, draught, dest         int
	toBow, toStern, toPort, toStarboard  int
}

// DetectCSV recognises a format from its header row. Columns are found by
// name, so reordered or added columns do not matter.
func DetectCSV(header []string) (CSVFormat, error) {
	l, err := detect(header)
	return l.format, err
}

func detect(header []string) (csvLayout, error) {
	idx := make(map[string]int, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	col := func(names ...string) int {
		for _, n := range names {
			if i, ok := idx[n]; ok {
				return i
			}
		}
		return -1
	}
	l := csvLayout{ncol: len(header)}
	for _, p := range []*int{&l.sog, &l.cog, &l.heading, &l.status, &l.imo, &l.name, &l.callSign,
		&l.shipType, &l.cargo, &l.length, &l.width, &l.draught, &l.dest, &l.toBow, &l.toStern, &l.toPort, &l.toStarboard} {
		*p = -1
	}
	l.mmsi = col("mmsi")
	switch {
	case col("type of mobile") >= 0:
		l.format = CSVDMA
		l.time, l.lat, l.lon = col("# timestamp", "timestamp"), col("latitude"), col("longitude")
		l.sog, l.cog, l.heading, l.status = col("sog"), col("cog"), col("heading"), col("navigational status")
		l.imo, l.name, l.callSign = col("imo"), col("name"), col("callsign")
		l.shipType, l.cargo = col("ship type"), col("cargo type")
		l.length, l.width, l.draught, l.dest = col("length"), col("width"), col("draught"), col("destination")
		l.toBow, l.toStern, l.toPort, l.toStarboard = col("a"), col("b"), col("c"), col("d")
	case col("basedatetime") >= 0:
		l.format = CSVMarineCadastre
		l.time, l.lat, l.lon = col("basedatetime"), col("lat"), col("lon")
		l.sog, l.cog, l.heading, l.status = col("sog"), col("cog"), col("heading"), col("status")
		l.imo, l.name, l.callSign, l.shipType = col("imo"), col("vesselname"), col("callsign"), col("vesseltype")
		l.length, l.width, l.draught = col("length"), col("width"), col("draft")
	case col("latitude_degrees") >= 0:
		l.format = CSVSolent
		l.time, l.lat, l.lon = col("time"), col("latitude_degrees"), col("longitude_degrees")
		l.sog, l.cog = col("sog_knots"), col("cog_degrees")
	}
	if l.format == CSVUnknown || l.time < 0 || l.mmsi < 0 || l.lat < 0 || l.lon < 0 {
		return csvLayout{}, fmt.Errorf("%w: header %.80q", ErrCSVFormat, strings.Join(header, ","))
	}
	return l, nil
}

// CSVReader reads a decoded-AIS CSV archive as observations (sensor AIS,
// event time from the row). A bad row is skipped and counted by reason;
// it never stops the reader.
//
// Values the format marks as not available become absent: latitude 91 and
// longitude 181 (both coordinates then NaN), SOG 102.3, COG 360, heading
// 511, empty cells. Static data (name, call sign, IMO, ship type, size,
// draught, destination) is attached only when the row has some.
type CSVReader struct {
	Source string // copied into every observation; set it after NewCSVReader

	cr      *csv.Reader
	l       csvLayout
	rows    int
	rejects [nRejects]int
}

// NewCSVReader reads the header row of r and detects its format; it fails
// with ErrCSVFormat when the header matches none.
func NewCSVReader(r io.Reader) (*CSVReader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // a short row is one rejected row, not a broken file
	cr.LazyQuotes = true    // AIS names may contain a bare '"'
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: no header", ErrCSVFormat)
		}
		return nil, fmt.Errorf("read csv header: %w", err)
	}
	l, err := detect(header)
	if err != nil {
		return nil, err
	}
	return &CSVReader{cr: cr, l: l}, nil
}

// Format returns the detected format.
func (r *CSVReader) Format() CSVFormat { return r.l.format }

// Rows returns how many data rows were read so far, rejected ones included.
func (r *CSVReader) Rows() int { return r.rows }

// Rejects returns how many rows were rejected, by reason (the Reject…
// constants); reasons with no rejects are left out.
func (r *CSVReader) Rejects() map[string]int {
	m := make(map[string]int)
	for i, n := range r.rejects {
		if n > 0 {
			m[rejectNames[i]] = n
		}
	}
	return m
}

// Next returns the next good row as an observation, or io.EOF at the end.
// Other errors come from the underlying reader (a truncated gzip stream,
// say) and end the input.
func (r *CSVReader) Next() (model.Observation, error) {
	for {
		rec, err := r.cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return model.Observation{}, io.EOF
			}
			if _, ok := errors.AsType[*csv.ParseError](err); ok {
				r.rows++
				r.rejects[rejSyntax]++
				continue
			}
			return model.Observation{}, fmt.Errorf("read csv: %w", err)
		}
		r.rows++
		obs, why := r.parse(rec)
		if why != rejNone {
			r.rejects[why]++
			continue
		}
		return obs, nil
	}
}

func (r *CSVReader) parse(rec []string) (model.Observation, reject) {
	l := &r.l
	switch {
	case len(rec) < l.ncol:
		return model.Observation{}, rejShortRow
	case len(rec) > l.ncol:
		return model.Observation{}, rejLongRow
	}
	var (
		t  time.Time
		ok bool
	)
	if l.format == CSVDMA {
		t, ok = parseDMY(rec[l.time])
	} else {
		t, ok = parseISO(rec[l.time])
	}
	if !ok {
		return model.Observation{}, rejBadTime
	}
	mmsi, ok := parseMMSI(rec[l.mmsi])
	if !ok {
		return model.Observation{}, rejBadMMSI
	}
	o := model.NewObservation(t, r.Source, model.SensorAIS)
	o.MMSI = mmsi
	if o.Lat, o.Lon, ok = parsePosition(rec[l.lat], rec[l.lon]); !ok {
		return model.Observation{}, rejBadPosition
	}
	// Out-of-range values are the sender's "not available" codes (or close
	// to them): absent, not a reason to lose the position.
	if o.SOG, ok = parseKinematic(field(rec, l.sog), 0, 102.25); !ok {
		return model.Observation{}, rejBadField
	}
	if o.COG, ok = parseKinematic(field(rec, l.cog), 0, 360); !ok {
		return model.Observation{}, rejBadField
	}
	if o.Heading, ok = parseKinematic(field(rec, l.heading), 0, 360); !ok {
		return model.Observation{}, rejBadField
	}
	if l.format == CSVDMA {
		o.NavStatus = navStatusDMA(field(rec, l.status))
	} else if o.NavStatus, ok = parseNavStatus(field(rec, l.status)); !ok {
		return model.Observation{}, rejBadField
	}
	if v := r.static(rec); v != (model.VesselStatic{}) {
		s := v // allocated only for rows that have static data
		o.Static = &s
	}
	return o, rejNone
}

// static collects the identity and voyage fields; malformed ones stay
// unknown rather than costing the row its position.
func (r *CSVReader) static(rec []string) model.VesselStatic {
	l := &r.l
	v := model.VesselStatic{
		IMO:         parseIMO(field(rec, l.imo)),
		Name:        strings.TrimSpace(field(rec, l.name)),
		CallSign:    strings.TrimSpace(field(rec, l.callSign)),
		Destination: strings.TrimSpace(field(rec, l.dest)),
	}
	if d := parseMetres(field(rec, l.draught)); d > 0 {
		v.Draught = d
	}
	if l.format == CSVDMA {
		v.ShipType = shipTypeDMA(strings.TrimSpace(field(rec, l.shipType)), strings.TrimSpace(field(rec, l.cargo)))
	} else if n, ok := parseUint(strings.TrimSpace(field(rec, l.shipType)), math.MaxUint8); ok {
		v.ShipType = uint8(n)
	}
	bow, stern := parseMetres(field(rec, l.toBow)), parseMetres(field(rec, l.toStern))
	port, stbd := parseMetres(field(rec, l.toPort)), parseMetres(field(rec, l.toStarboard))
	if bow+stern+port+stbd == 0 {
		// Only the overall size is known: put the reference point amidships,
		// the least wrong guess, so Length and Beam come out right.
		length, width := math.Round(parseMetres(field(rec, l.length))), math.Round(parseMetres(field(rec, l.width)))
		bow, stern = math.Ceil(length/2), math.Floor(length/2)
		port, stbd = math.Ceil(width/2), math.Floor(width/2)
	}
	v.ToBow, v.ToStern = uint16(min(bow, math.MaxUint16)), uint16(min(stern, math.MaxUint16))
	v.ToPort, v.ToStarboard = uint8(min(port, math.MaxUint8)), uint8(min(stbd, math.MaxUint8))
	return v
}

func field(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return rec[i]
}

// parseNumber parses a cell; present is false for an empty cell, ok false
// for anything that is not a finite number.
func parseNumber(s string) (v float64, present, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return math.NaN(), false, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), false, false
	}
	return v, true, true
}

// parseKinematic returns the value when it lies in [lo, hi), NaN when the
// cell is empty or out of range, and ok false when it is not a number.
func parseKinematic(s string, lo, hi float64) (float64, bool) {
	v, present, ok := parseNumber(s)
	if !ok {
		return v, false
	}
	if !present || v < lo || v >= hi {
		return math.NaN(), true
	}
	return v, true
}

// parseMetres is lenient: anything but a positive number is 0, unknown.
func parseMetres(s string) float64 {
	v, present, ok := parseNumber(s)
	if !ok || !present || v <= 0 {
		return 0
	}
	return v
}

// parsePosition returns NaN, NaN for an absent position (empty, or the AIS
// "not available" 91/181) and ok false for a malformed one.
func parsePosition(slat, slon string) (lat, lon float64, ok bool) {
	nan := math.NaN()
	lat, plat, ok1 := parseNumber(slat)
	lon, plon, ok2 := parseNumber(slon)
	switch {
	case !ok1 || !ok2:
		return nan, nan, false
	case !plat || !plon || lat == 91 || lon == 181:
		return nan, nan, true
	case lat < -90 || lat > 90 || lon < -180 || lon > 180:
		return nan, nan, false
	}
	return lat, lon, true
}

// parseMMSI accepts any non-zero number the 30-bit AIS field can carry:
// a 10-digit "MMSI" is a misconfigured transmitter, which the NMEA decoder
// would report just the same and tracking may want to see.
func parseMMSI(s string) (uint32, bool) {
	n, ok := parseUint(s, 1<<30-1)
	return uint32(n), ok && n > 0
}

// parseIMO accepts "9123456" and MarineCadastre's "IMO9123456"; DMA's
// "Unknown" and anything else malformed is 0.
func parseIMO(s string) uint32 {
	s = strings.TrimSpace(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "imo") {
		s = s[3:]
	}
	n, ok := parseUint(s, math.MaxUint32)
	if !ok {
		return 0
	}
	return uint32(n)
}

// parseUint parses a plain decimal no greater than max. Unlike strconv it
// allocates nothing on failure, and empty cells fail on most rows.
func parseUint(s string, max uint64) (uint64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	return n, n <= max
}

// parseNavStatus reads a numeric status: -1 when empty or outside 0–15.
func parseNavStatus(s string) (int8, bool) {
	v, present, ok := parseNumber(s)
	switch {
	case !ok:
		return -1, false
	case !present || v < 0 || v > 15 || v != math.Trunc(v):
		return -1, true
	}
	return int8(v), true
}

// parseDMY parses DMA's "dd/mm/yyyy hh:mm:ss", UTC. Hand-written because it
// runs for every row and time.Parse is several times slower.
func parseDMY(s string) (time.Time, bool) {
	if len(s) != 19 || s[2] != '/' || s[5] != '/' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	return mkTime(digits(s[6:10]), digits(s[3:5]), digits(s[0:2]), digits(s[11:13]), digits(s[14:16]), digits(s[17:19]), 0)
}

// parseISO parses "yyyy-mm-ddThh:mm:ss" with 'T' or ' ', an optional
// fraction of up to nanoseconds and an optional 'Z'; UTC either way.
func parseISO(s string) (time.Time, bool) {
	s = strings.TrimSuffix(s, "Z")
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	ns := 0
	if frac := s[19:]; frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		ns = digits(frac[1:])
		for range 10 - len(frac) {
			ns *= 10
		}
	}
	return mkTime(digits(s[0:4]), digits(s[5:7]), digits(s[8:10]), digits(s[11:13]), digits(s[14:16]), digits(s[17:19]), ns)
}

// digits returns the value of an all-digit string, or -1.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return -1
		}
		n = n*10 + int(c)
	}
	return n
}

// mkTime builds a UTC time from checked fields. Years before 1970 are
// refused: no AIS archive is that old, and a zeroed date would otherwise
// become Go's zero time, which downstream means "no time".
func mkTime(y, mo, d, h, mi, sec, ns int) (time.Time, bool) {
	if y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ns < 0 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
	if t.Day() != d { // 31 April and the like: time.Date would roll over
		return time.Time{}, false
	}
	return t, true
}

// codeText pairs a DMA text with its ITU-R M.1371 code.
type codeText struct {
	text string
	code uint8
}

// dmaNavStatus lists DMA's texts for navigational status; "Unknown value"
// is their rendering of 15, "not defined".
var dmaNavStatus = [...]codeText{
	{"Under way using engine", 0}, {"At anchor", 1}, {"Not under command", 2},
	{"Restricted maneuverability", 3}, {"Restricted manoeuvrability", 3},
	{"Constrained by her draught", 4}, {"Moored", 5}, {"Aground", 6},
	{"Engaged in fishing", 7}, {"Under way sailing", 8},
	{"Reserved for future amendment [HSC]", 9}, {"Reserved for future amendment [WIG]", 10},
	{"Power-driven vessel towing astern", 11},
	{"Power-driven vessel pushing ahead or towing alongside", 12},
	{"Reserved for future use", 13}, {"AIS-SART", 14}, {"Unknown value", 15},
}

// dmaShipType lists DMA's ship type texts with the first code of their ITU
// range; "Undefined" and "Reserved" stay 0.
var dmaShipType = [...]codeText{
	{"Cargo", 70}, {"Tanker", 80}, {"Passenger", 60}, {"Fishing", 30},
	{"Sailing", 36}, {"Pleasure", 37}, {"Tug", 52}, {"Towing", 31},
	{"Towing long/wide", 32}, {"Dredging", 33}, {"Diving", 34}, {"Military", 35},
	{"HSC", 40}, {"WIG", 20}, {"Pilot", 50}, {"SAR", 51}, {"Port tender", 53},
	{"Anti-pollution", 54}, {"Law enforcement", 55}, {"Spare 1", 56}, {"Spare 2", 57},
	{"Medical", 58}, {"Not party to conflict", 59}, {"Other", 90},
}

func lookup(table []codeText, s string) (uint8, bool) {
	for _, e := range table {
		if e.text == s {
			return e.code, true
		}
	}
	for _, e := range table { // rare: a spelling that differs in case only
		if strings.EqualFold(e.text, s) {
			return e.code, true
		}
	}
	return 0, false
}

func navStatusDMA(s string) int8 {
	if c, ok := lookup(dmaNavStatus[:], strings.TrimSpace(s)); ok {
		return int8(c)
	}
	return -1
}

// shipTypeDMA maps DMA's ship and cargo type texts to an ITU code; the
// cargo category (hazardous X, Y, Z, OS) is the second digit of the
// WIG, HSC, passenger, cargo, tanker and other ranges.
func shipTypeDMA(ship, cargo string) uint8 {
	t, ok := lookup(dmaShipType[:], ship)
	if !ok {
		return 0
	}
	switch t {
	case 20, 40, 60, 70, 80, 90:
		for i, c := range [...]string{"Category X", "Category Y", "Category Z", "Category OS"} {
			if strings.EqualFold(cargo, c) {
				t += uint8(i + 1)
			}
		}
	}
	return t
}
