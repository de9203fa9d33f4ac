package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"pharos/internal/model"
)

// ErrSatelliteFormat is returned when a satellite detection file is not a
// GeoJSON FeatureCollection or a CSV with the required columns.
var ErrSatelliteFormat = errors.New("unrecognised satellite detection format")

// Default 1-sigma position errors of a detection, metres, when neither the
// detection nor the reader gives one. A SAR detection is the centroid of a
// bright blob of 10–20 m pixels, smeared along track by the vessel's own
// motion; optical centroids are tighter.
const (
	DefaultSARPosError     = 50.0
	DefaultOpticalPosError = 20.0
)

// Reasons a satellite detection (or scene) is rejected, as counted in
// [SatelliteStats.Rejects].
const (
	RejectSatBadFeature   = "sat_bad_feature"   // a feature that is not a JSON object of the GeoJSON shape
	RejectSatBadGeometry  = "sat_bad_geometry"  // no geometry, not a Point, or coordinates not two numbers
	RejectSatBadPosition  = "sat_bad_position"  // latitude/longitude missing, not finite or out of range
	RejectSatBadTime      = "sat_bad_time"      // the detection's time is malformed
	RejectSatNoSceneTime  = "sat_no_scene_time" // neither the detection nor its scene has a time
	RejectSatBadField     = "sat_bad_field"     // length, width, heading, confidence or position error not a number
	RejectSatSyntax       = "sat_syntax"        // CSV: encoding/csv could not parse the row
	RejectSatShortRow     = "sat_short_row"     // CSV: fewer fields than the header
	RejectSatLongRow      = "sat_long_row"      // CSV: more fields than the header
	RejectSatBadScene     = "sat_bad_scene"     // a scene object or its time is malformed (counted per scene; its detections may still be read)
	RejectSatBadFootprint = "sat_bad_footprint" // a footprint that is not a valid polygon (counted per scene; the scene keeps no footprint)
)

type satReject uint8

const (
	satRejBadFeature satReject = iota
	satRejBadGeometry
	satRejBadPosition
	satRejBadTime
	satRejNoSceneTime
	satRejBadField
	satRejSyntax
	satRejShortRow
	satRejLongRow
	satRejBadScene
	satRejBadFootprint
	satNRejects
	satRejNone satReject = 255
)

var satRejectNames = [satNRejects]string{
	RejectSatBadFeature, RejectSatBadGeometry, RejectSatBadPosition, RejectSatBadTime, RejectSatNoSceneTime,
	RejectSatBadField, RejectSatSyntax, RejectSatShortRow, RejectSatLongRow, RejectSatBadScene, RejectSatBadFootprint,
}

// SatelliteStats is what a satellite reader found besides the detections.
type SatelliteStats struct {
	// Scenes lists every scene of the file in order of first appearance,
	// also those without an accepted detection: an empty scene is evidence
	// that nothing was seen inside its footprint at its time. A scene's
	// Time is zero only when neither it nor any of its detections had one.
	Scenes []*model.Scene

	Records    int            // features (scene footprints included) or CSV data rows read
	Detections int            // detections accepted
	Rejects    map[string]int // rejected detections (and scenes) by reason; reasons with none left out
}

// SatelliteReader reads satellite vessel detections: SAR or optical scenes
// in which a detector (ours, or a provider such as Global Fishing Watch)
// found vessels. The zero value is ready to use; [ReadSatelliteGeoJSON] and
// [ReadSatelliteCSV] cover the common case.
//
// The GeoJSON form is a FeatureCollection with one Point feature per
// detection. The scene is given as a foreign member of the collection, as a
// list of them for a file that holds several scenes, or as a footprint
// feature, whichever the producer finds easiest:
//
//	{"type": "FeatureCollection",
//	 "scene": {"id": "S1A_IW_GRDH_1SDV_20261127T062144", "time": "2026-11-27T06:21:44Z",
//	           "sensor": "SAR", "footprint": {"type": "Polygon", "coordinates": [[[lon, lat], …]]}},
//	 "features": [
//	   {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-5.61, 36.02]},
//	    "properties": {"id": "S1A…#1", "scene_id": "S1A_IW_GRDH_1SDV_20261127T062144",
//	                   "time": "2026-11-27T06:21:44Z", "length_m": 24.5, "width_m": 6,
//	                   "heading": 270, "confidence": 0.91, "position_error_m": 50}}]}
//
// The scene members:
//
//   - "scene": an object with "id", "time" (RFC 3339 acquisition time),
//     "sensor" ("SAR" or "optical") and "footprint" (a GeoJSON Polygon or
//     MultiPolygon, or a WKT string). Every member is optional.
//   - "scenes": a list of such objects, for a file with several scenes.
//   - A footprint feature: a Polygon (or MultiPolygon) feature whose
//     properties have "kind": "footprint" (or "scene") and the scene's "id"
//     (or "scene_id"), "time" and "sensor".
//
// Detection properties, all optional: "id" (or "detect_id", or the feature's
// own "id"), "scene_id", "time" (defaults to the scene's time), "length_m",
// "width_m", "heading" (degrees true), "confidence" (0–1; "score" and
// "presence" are read too), "position_error_m" (1-sigma, metres). Pixel
// properties ("px", "py", "bbox") and anything else are ignored. Numbers may
// be written as strings, times also as "2026-11-27 06:21:44 UTC" (BigQuery's
// rendering) or as Unix seconds.
//
// A detection belongs to the scene its "scene_id" names; without one, to the
// collection's "scene", or to the only scene the file declares. A file that
// declares none gets one scene per acquisition time. A scene without a time
// takes its earliest detection's; a scene without an id is named by its time
// (RFC 3339). All detections of a scene share one *model.Scene.
//
// The CSV form has one row per detection and a header row; columns are
// found by name, case-insensitively, in any order, extra columns ignored:
//
//	scene_id,time,lat,lon,length_m,confidence[,width_m,heading,position_error_m,sensor,footprint_wkt,id]
//
// with the aliases Global Fishing Watch's published SAR detection tables
// use: detect_id, detect_timestamp or timestamp, detect_lat or latitude,
// detect_lon or longitude, inferred_length_m, presence_score, presence or
// inferred_presence (preferred to confidence or score, which in those
// tables rate the match to AIS). The time, lat and lon columns are
// required. "footprint_wkt" holds a WKT POLYGON or MULTIPOLYGON (the first
// polygon's outer ring is kept); the first footprint of a scene wins.
//
// Each detection becomes an observation with sensor satellite, Time the
// detection's (else the scene's) acquisition time, Lat/Lon, Length,
// Heading, Confidence, Scene, and TargetID the detection id or, without
// one, "<scene id>#<n>" (n counts the scene's detections from 1 in file
// order). PosError is "position_error_m", else the reader's PosError, else
// DefaultSARPosError or DefaultOpticalPosError by the scene's sensor (told
// from a Sentinel product name when the file does not say). The
// model has no width field, so "width_m" is checked but not carried.
//
// A bad detection is skipped and counted by reason (the RejectSat…
// constants); only a document that cannot be read at all is an error.
type SatelliteReader struct {
	Source   string  // copied into every observation
	PosError float64 // 1-sigma metres for detections without "position_error_m"; 0 = by sensor
}

// ReadSatelliteGeoJSON reads a GeoJSON detection file with a zero
// SatelliteReader for source.
func ReadSatelliteGeoJSON(r io.Reader, source string) ([]model.Observation, SatelliteStats, error) {
	return SatelliteReader{Source: source}.ReadGeoJSON(r)
}

// ReadSatelliteCSV reads a CSV detection file with a zero SatelliteReader
// for source.
func ReadSatelliteCSV(r io.Reader, source string) ([]model.Observation, SatelliteStats, error) {
	return SatelliteReader{Source: source}.ReadCSV(r)
}

// ReadGeoJSON reads a GeoJSON FeatureCollection (or a single Feature) of
// detections. It fails with ErrSatelliteFormat when r does not hold a JSON
// object of that shape; bad features are only counted.
func (sr SatelliteReader) ReadGeoJSON(r io.Reader) ([]model.Observation, SatelliteStats, error) {
	var doc map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, SatelliteStats{}, fmt.Errorf("%w: decode geojson: %w", ErrSatelliteFormat, err)
	}
	if doc == nil { // the document was "null"
		return nil, SatelliteStats{}, fmt.Errorf("%w: geojson is null", ErrSatelliteFormat)
	}
	b := newSatBuilder(sr)
	typ, _ := satString(doc["type"])
	switch {
	case typ == "Feature":
		b.feature(satDocBytes(doc))
		return b.finish()
	case typ != "FeatureCollection" && doc["features"] == nil:
		return nil, SatelliteStats{}, fmt.Errorf("%w: geojson type %.40q is not a FeatureCollection", ErrSatelliteFormat, typ)
	}
	if raw := doc["scene"]; !satNull(raw) {
		b.def = b.sceneObject(raw)
	}
	if raw := doc["scenes"]; !satNull(raw) {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			b.rejects[satRejBadScene]++
		}
		for _, s := range list {
			b.sceneObject(s)
		}
	}
	var features []json.RawMessage
	if raw := doc["features"]; !satNull(raw) {
		if err := json.Unmarshal(raw, &features); err != nil {
			return nil, SatelliteStats{}, fmt.Errorf("%w: features is not a list: %w", ErrSatelliteFormat, err)
		}
	}
	for _, f := range features {
		b.feature(f)
	}
	return b.finish()
}

// satDocBytes re-encodes a decoded top-level Feature so that it takes the
// same path as a feature of a collection.
func satDocBytes(doc map[string]json.RawMessage) json.RawMessage {
	p, err := json.Marshal(doc)
	if err != nil { // cannot happen: the members were valid JSON
		return nil
	}
	return p
}

// satDet is a detection read but not yet tied to its scene: that needs the
// whole file, since footprint features may come after their detections.
type satDet struct {
	sceneID  string
	hasScene bool
	id       string
	t        time.Time // zero: the scene's
	lat, lon float64
	length   float64
	heading  float64
	conf     float64
	posErr   float64 // 0: the default

	// What a CSV row says about its scene, applied once the scene is
	// known; parsed only while the scene has none.
	sensor, footprint string

	sc *satScene
	n  int // 1-based position among the scene's detections
}

// satScene is a scene being assembled.
type satScene struct {
	s         *model.Scene
	declared  bool      // described by the file, not only named by a detection
	footprint bool      // a footprint was tried, valid or not: the first one wins
	earliest  time.Time // earliest detection time, for a scene without its own
	n         int       // detections so far
}

type satBuilder struct {
	sr       SatelliteReader
	scenes   map[string]*satScene
	order    []*satScene
	def      *satScene // the collection's "scene"
	declared []*satScene
	dets     []satDet
	records  int
	rejects  [satNRejects]int
	strs     map[string]string // CSV cells that rows repeat
}

// intern returns a copy of s shared by every equal string it was given.
func (b *satBuilder) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := b.strs[s]; ok {
		return v
	}
	if b.strs == nil {
		b.strs = make(map[string]string)
	}
	v := strings.Clone(s)
	b.strs[v] = v
	return v
}

func newSatBuilder(sr SatelliteReader) *satBuilder {
	return &satBuilder{sr: sr, scenes: make(map[string]*satScene)}
}

// scene returns the scene with id, creating it on first use.
func (b *satBuilder) scene(id string) *satScene {
	if sc, ok := b.scenes[id]; ok {
		return sc
	}
	sc := &satScene{s: &model.Scene{ID: id}}
	b.scenes[id] = sc
	b.order = append(b.order, sc)
	return sc
}

// declare merges a scene description into the scene with its id: the first
// non-empty value of each field wins.
func (b *satBuilder) declare(id string, t time.Time, sensor string) *satScene {
	sc := b.scene(id)
	if !sc.declared {
		sc.declared = true
		b.declared = append(b.declared, sc)
	}
	if sc.s.Time.IsZero() {
		sc.s.Time = t
	}
	if sc.s.Sensor == "" {
		sc.s.Sensor = satSensor(sensor)
	}
	return sc
}

// setFootprint gives sc its footprint unless it already tried one.
func (b *satBuilder) setFootprint(sc *satScene, ring [][2]float64, ok bool) {
	if sc.footprint {
		return
	}
	sc.footprint = true
	if !ok {
		b.rejects[satRejBadFootprint]++
		return
	}
	sc.s.Footprint = ring
}

// sceneObject reads a "scene" member or an element of "scenes".
func (b *satBuilder) sceneObject(raw json.RawMessage) *satScene {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		b.rejects[satRejBadScene]++
		return nil
	}
	id, _ := satString(satProp(m, "id", "scene_id"))
	t, present, ok := satTime(satProp(m, "time", "timestamp", "acquisition_time"))
	if present && !ok {
		b.rejects[satRejBadScene]++
	}
	sensor, _ := satString(m["sensor"])
	sc := b.declare(id, t, sensor)
	if fp := m["footprint"]; !satNull(fp) {
		ring, ok := satFootprint(fp)
		b.setFootprint(sc, ring, ok)
	}
	return sc
}

// satFeature is a GeoJSON feature with its members left raw, so that a bad
// member costs only that feature.
type satFeature struct {
	ID         json.RawMessage            `json:"id"`
	Geometry   *satGeometry               `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

type satGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

func (b *satBuilder) feature(raw json.RawMessage) {
	b.records++
	var f satFeature
	if err := json.Unmarshal(raw, &f); err != nil {
		b.rejects[satRejBadFeature]++
		return
	}
	p := f.Properties
	kind, _ := satString(p["kind"])
	if k := strings.ToLower(kind); k == "footprint" || k == "scene" {
		b.footprintFeature(f)
		return
	}
	if f.Geometry == nil || f.Geometry.Type != "Point" {
		b.rejects[satRejBadGeometry]++
		return
	}
	var coords []json.RawMessage
	if err := json.Unmarshal(f.Geometry.Coordinates, &coords); err != nil || len(coords) < 2 {
		b.rejects[satRejBadGeometry]++
		return
	}
	lon, lonOK, ok1 := satNumber(coords[0])
	lat, latOK, ok2 := satNumber(coords[1])
	if !ok1 || !ok2 || !lonOK || !latOK {
		b.rejects[satRejBadGeometry]++
		return
	}
	d := satDet{lat: lat, lon: lon}
	d.sceneID, d.hasScene = satString(p["scene_id"])
	d.hasScene = d.hasScene && d.sceneID != ""
	if d.id, _ = satString(satProp(p, "id", "detect_id")); d.id == "" {
		d.id, _ = satString(f.ID)
	}
	t, present, ok := satTime(satProp(p, "time", "timestamp", "detect_timestamp"))
	if present && !ok {
		b.rejects[satRejBadTime]++
		return
	}
	d.t = t
	var fields [5]json.RawMessage
	fields[0] = satProp(p, "length_m", "length")
	fields[1] = satProp(p, "width_m", "width")
	fields[2] = p["heading"]
	fields[3] = satProp(p, "confidence", "score", "presence")
	fields[4] = p["position_error_m"]
	var vals [5]float64
	for i, raw := range fields {
		v, _, ok := satNumber(raw)
		if !ok {
			b.rejects[satRejBadField]++
			return
		}
		vals[i] = v
	}
	if why := b.add(d, vals); why != satRejNone {
		b.rejects[why]++
	}
}

// add checks a detection's values and keeps it. vals are length, width,
// heading, confidence and position error, NaN when absent.
func (b *satBuilder) add(d satDet, vals [5]float64) satReject {
	if d.lat < -90 || d.lat > 90 || d.lon < -180 || d.lon > 180 || math.IsNaN(d.lat) || math.IsNaN(d.lon) {
		return satRejBadPosition
	}
	nan := math.NaN()
	// Out-of-range values are absent, as in the AIS CSV reader: a strange
	// length should not cost the position.
	d.length, d.heading, d.conf = nan, nan, nan
	if v := vals[0]; v > 0 {
		d.length = v
	}
	if v := vals[2]; v >= 0 && v < 360 {
		d.heading = v
	}
	if v := vals[3]; v >= 0 && v <= 1 {
		d.conf = v
	}
	if v := vals[4]; v > 0 {
		d.posErr = v
	}
	b.dets = append(b.dets, d)
	return satRejNone
}

func (b *satBuilder) footprintFeature(f satFeature) {
	p := f.Properties
	id, _ := satString(satProp(p, "id", "scene_id"))
	if id == "" {
		id, _ = satString(f.ID)
	}
	t, present, ok := satTime(satProp(p, "time", "timestamp", "acquisition_time"))
	if present && !ok {
		b.rejects[satRejBadScene]++
	}
	sensor, _ := satString(p["sensor"])
	sc := b.declare(id, t, sensor)
	if f.Geometry != nil {
		ring, ok := satGeometryRing(f.Geometry.Type, f.Geometry.Coordinates)
		b.setFootprint(sc, ring, ok)
	}
}

// finish ties detections to scenes and builds the observations.
func (b *satBuilder) finish() ([]model.Observation, SatelliteStats, error) {
	var def *satScene
	switch {
	case b.def != nil:
		def = b.def
	case len(b.declared) == 1:
		def = b.declared[0]
	}
	for i := range b.dets {
		d := &b.dets[i]
		switch {
		case d.hasScene:
			d.sc = b.scene(d.sceneID)
		case def != nil:
			d.sc = def
		case d.t.IsZero():
			continue // no scene to take a time from: rejected below
		default:
			d.sc = b.scene(d.t.Format(time.RFC3339Nano))
			if d.sc.s.Time.IsZero() {
				d.sc.s.Time = d.t
			}
		}
		d.sc.n++
		d.n = d.sc.n
		if d.sc.s.Sensor == "" {
			d.sc.s.Sensor = satSensor(d.sensor)
		}
		if !d.sc.footprint {
			if wkt := strings.TrimSpace(d.footprint); wkt != "" {
				ring, ok := satParseWKT(wkt)
				b.setFootprint(d.sc, ring, ok)
			}
		}
		if !d.t.IsZero() && (d.sc.earliest.IsZero() || d.t.Before(d.sc.earliest)) {
			d.sc.earliest = d.t
		}
	}
	st := SatelliteStats{Records: b.records, Rejects: make(map[string]int)}
	for _, sc := range b.order {
		if sc.s.Time.IsZero() {
			sc.s.Time = sc.earliest
		}
		if sc.s.Sensor == "" {
			sc.s.Sensor = satSensorOf(sc.s.ID)
		}
		if sc.s.ID == "" && !sc.s.Time.IsZero() {
			sc.s.ID = sc.s.Time.Format(time.RFC3339Nano)
		}
		st.Scenes = append(st.Scenes, sc.s)
	}
	obs := make([]model.Observation, 0, len(b.dets))
	for i := range b.dets {
		d := &b.dets[i]
		t := d.t
		if t.IsZero() && d.sc != nil {
			t = d.sc.s.Time
		}
		if t.IsZero() {
			b.rejects[satRejNoSceneTime]++
			continue
		}
		o := model.NewObservation(t, b.sr.Source, model.SensorSatellite)
		o.Lat, o.Lon = d.lat, d.lon
		o.Length, o.Heading, o.Confidence = d.length, d.heading, d.conf
		o.Scene = d.sc.s
		o.TargetID = d.id
		if o.TargetID == "" {
			o.TargetID = d.sc.s.ID + "#" + strconv.Itoa(d.n)
		}
		o.PosError = d.posErr
		if o.PosError == 0 {
			o.PosError = b.sr.defaultPosError(d.sc.s.Sensor)
		}
		obs = append(obs, o)
	}
	st.Detections = len(obs)
	for i, n := range b.rejects {
		if n > 0 {
			st.Rejects[satRejectNames[i]] = n
		}
	}
	return obs, st, nil
}

func (sr SatelliteReader) defaultPosError(sensor string) float64 {
	switch {
	case sr.PosError > 0:
		return sr.PosError
	case sensor == "optical":
		return DefaultOpticalPosError
	}
	return DefaultSARPosError
}

// satSensor spells the two sensors we know one way; anything else is kept.
func satSensor(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case strings.EqualFold(s, "sar"):
		return "SAR"
	case strings.EqualFold(s, "optical"), strings.EqualFold(s, "eo"):
		return "optical"
	}
	return s
}

// satSensorOf tells the sensor from a Copernicus product name, which
// begins with the mission: Sentinel-1 is a radar, Sentinel-2 and -3
// optical. Other names tell nothing.
func satSensorOf(id string) string {
	switch {
	case len(id) < 4 || id[3] != '_':
		return ""
	case id[:2] == "S1":
		return "SAR"
	case id[:2] == "S2", id[:2] == "S3":
		return "optical"
	}
	return ""
}

// satProp returns the first of names that m has.
func satProp(m map[string]json.RawMessage, names ...string) json.RawMessage {
	for _, n := range names {
		if v, ok := m[n]; ok {
			return v
		}
	}
	return nil
}

func satNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// satString reads a string or a number (ids are often numbers) as text;
// present is false for absent, null or any other JSON value.
func satString(raw json.RawMessage) (s string, present bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch c := raw[0]; {
	case c == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return strings.TrimSpace(s), true
	case c == '-' || c >= '0' && c <= '9':
		return string(raw), true
	}
	return "", false
}

// satNumber reads a JSON number, or a string holding one. present is false
// for absent, null or an empty string; ok is false for anything else that
// is not a finite number.
func satNumber(raw json.RawMessage) (v float64, present, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return math.NaN(), false, true
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return math.NaN(), false, false
		}
		return parseNumber(s)
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), false, false
	}
	return v, true, true
}

// satTime reads an RFC 3339 string (or another spelling satParseTime
// knows) or a number of Unix seconds.
func satTime(raw json.RawMessage) (t time.Time, present, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, false, true
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, true, false
		}
		if strings.TrimSpace(s) == "" {
			return time.Time{}, false, true
		}
		t, ok := satParseTime(s)
		return t, true, ok
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return time.Time{}, true, false
	}
	t, ok = satUnix(v)
	return t, true, ok
}

// satUnix converts seconds since 1970 to a UTC time, refusing times
// before 1970 (a zeroed field) and after 9999 (which RFC 3339 cannot write).
func satUnix(v float64) (time.Time, bool) {
	if !(v >= 0 && v < 253402300800) { // also false for NaN
		return time.Time{}, false
	}
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), true
}

// satParseTime parses the timestamps satellite and CoT producers write:
// RFC 3339 with any fraction and offset, the same without a zone (UTC),
// with ' ' for 'T', or with a trailing " UTC" as BigQuery exports them.
// The result is UTC; years before 1970 are refused as in the CSV reader.
func satParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "UTC"))
	if t, ok := parseISO(s); ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.Parse("2006-01-02 15:04:05.999999999Z07:00", s)
	}
	if err != nil || t.Year() < 1970 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// satFootprint reads a footprint given as a GeoJSON geometry or a WKT
// string. A nil ring with ok true means "none" (an empty polygon).
func satFootprint(raw json.RawMessage) ([][2]float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, false
		}
		return satParseWKT(s)
	}
	var g satGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, false
	}
	return satGeometryRing(g.Type, g.Coordinates)
}

// satGeometryRing returns the outer ring of a Polygon, or of a
// MultiPolygon's first polygon: Scene has room for one ring, and a scene
// split in two by the antimeridian is rare enough to lose its second half.
func satGeometryRing(typ string, coords json.RawMessage) ([][2]float64, bool) {
	var ring []json.RawMessage
	switch typ {
	case "Polygon":
		var rings [][]json.RawMessage
		if err := json.Unmarshal(coords, &rings); err != nil || len(rings) == 0 {
			return nil, false
		}
		ring = rings[0]
	case "MultiPolygon":
		var polys [][][]json.RawMessage
		if err := json.Unmarshal(coords, &polys); err != nil || len(polys) == 0 || len(polys[0]) == 0 {
			return nil, false
		}
		ring = polys[0][0]
	default:
		return nil, false
	}
	pts := make([][2]float64, 0, len(ring)+1)
	for _, raw := range ring {
		var pos []json.RawMessage
		if err := json.Unmarshal(raw, &pos); err != nil || len(pos) < 2 {
			return nil, false
		}
		lon, p1, ok1 := satNumber(pos[0])
		lat, p2, ok2 := satNumber(pos[1])
		if !p1 || !p2 || !ok1 || !ok2 {
			return nil, false
		}
		pts = append(pts, [2]float64{lon, lat})
	}
	return satRing(pts)
}

// satRing checks a ring of lon, lat points and closes it if its producer
// did not.
func satRing(pts [][2]float64) ([][2]float64, bool) {
	for _, p := range pts {
		if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
			return nil, false
		}
	}
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		pts = append(pts, pts[0])
	}
	if len(pts) < 4 { // a triangle, closed, is the least polygon
		return nil, false
	}
	return pts, true
}

// satParseWKT reads the outer ring of a WKT POLYGON or the first
// polygon of a MULTIPOLYGON, with Z or M coordinates allowed and ignored.
// "POLYGON EMPTY" and an empty string give no ring and ok true.
func satParseWKT(s string) ([][2]float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	upper := strings.ToUpper(s)
	var rest string
	switch {
	case strings.HasPrefix(upper, "MULTIPOLYGON"):
		rest = s[len("MULTIPOLYGON"):]
	case strings.HasPrefix(upper, "POLYGON"):
		rest = s[len("POLYGON"):]
	default:
		return nil, false
	}
	rest = strings.TrimSpace(rest)
	for _, dim := range []string{"ZM", "Z", "M"} {
		if len(rest) >= len(dim) && strings.EqualFold(rest[:len(dim)], dim) {
			rest = strings.TrimSpace(rest[len(dim):])
			break
		}
	}
	if strings.EqualFold(rest, "EMPTY") {
		return nil, true
	}
	if !strings.HasPrefix(rest, "(") {
		return nil, false
	}
	rest = strings.TrimLeft(rest, "( \t\r\n")
	end := strings.IndexByte(rest, ')')
	if end < 0 {
		return nil, false
	}
	var pts [][2]float64
	for p := range strings.SplitSeq(rest[:end], ",") {
		f := strings.Fields(p)
		if len(f) < 2 {
			return nil, false
		}
		lon, p1, ok1 := parseNumber(f[0])
		lat, p2, ok2 := parseNumber(f[1])
		if !p1 || !p2 || !ok1 || !ok2 {
			return nil, false
		}
		pts = append(pts, [2]float64{lon, lat})
	}
	return satRing(pts)
}

// satCSVLayout is where each field sits; -1 when the file lacks it.
type satCSVLayout struct {
	ncol                                 int
	id, scene, time, lat, lon            int
	length, width, heading, conf, posErr int
	sensor, footprint                    int
}

func satDetectCSV(header []string) (satCSVLayout, error) {
	idx := make(map[string]int, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := idx[h]; !dup {
			idx[h] = i
		}
	}
	col := func(names ...string) int {
		for _, n := range names {
			if i, ok := idx[n]; ok {
				return i
			}
		}
		return -1
	}
	l := satCSVLayout{
		ncol:      len(header),
		id:        col("id", "detect_id", "detection_id"),
		scene:     col("scene_id", "scene"),
		time:      col("time", "detect_timestamp", "timestamp", "datetime"),
		lat:       col("lat", "detect_lat", "latitude"),
		lon:       col("lon", "detect_lon", "longitude", "lng"),
		length:    col("length_m", "inferred_length_m", "length"),
		width:     col("width_m", "width"),
		heading:   col("heading"),
		conf:      col("presence_score", "presence", "inferred_presence"),
		posErr:    col("position_error_m"),
		sensor:    col("sensor"),
		footprint: col("footprint_wkt", "footprint", "wkt"),
	}
	if l.conf < 0 {
		// Where a table has both, as Global Fishing Watch's does, its
		// "confidence" and "score" are of the match to AIS, "presence" is
		// of the detection.
		l.conf = col("confidence", "score")
	}
	if l.time < 0 || l.lat < 0 || l.lon < 0 {
		return satCSVLayout{}, fmt.Errorf("%w: csv header %.80q lacks time, lat or lon", ErrSatelliteFormat, strings.Join(header, ","))
	}
	return l, nil
}

// ReadCSV reads a CSV detection file. It fails with ErrSatelliteFormat
// when the header lacks a time, latitude or longitude column; bad rows are
// only counted.
func (sr SatelliteReader) ReadCSV(r io.Reader) ([]model.Observation, SatelliteStats, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, SatelliteStats{}, fmt.Errorf("%w: no header", ErrSatelliteFormat)
		}
		return nil, SatelliteStats{}, fmt.Errorf("%w: read csv header: %w", ErrSatelliteFormat, err)
	}
	l, err := satDetectCSV(header)
	if err != nil {
		return nil, SatelliteStats{}, err
	}
	b := newSatBuilder(sr)
	for {
		rec, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			if _, ok := errors.AsType[*csv.ParseError](err); ok {
				b.records++
				b.rejects[satRejSyntax]++
				continue
			}
			return nil, SatelliteStats{}, fmt.Errorf("read csv: %w", err)
		}
		b.records++
		if why := b.row(&l, rec); why != satRejNone {
			b.rejects[why]++
		}
	}
	return b.finish()
}

func (b *satBuilder) row(l *satCSVLayout, rec []string) satReject {
	switch {
	case len(rec) < l.ncol:
		return satRejShortRow
	case len(rec) > l.ncol:
		return satRejLongRow
	}
	lat, p1, ok1 := parseNumber(rec[l.lat])
	lon, p2, ok2 := parseNumber(rec[l.lon])
	if !p1 || !p2 || !ok1 || !ok2 {
		return satRejBadPosition
	}
	d := satDet{lat: lat, lon: lon, id: strings.TrimSpace(field(rec, l.id))}
	if s := strings.TrimSpace(rec[l.time]); s != "" {
		var ok bool
		if d.t, ok = satParseTime(s); !ok {
			return satRejBadTime
		}
	}
	var vals [5]float64
	for i, c := range [5]int{l.length, l.width, l.heading, l.conf, l.posErr} {
		v, _, ok := parseNumber(field(rec, c))
		if !ok {
			return satRejBadField
		}
		vals[i] = v
	}
	if d.sceneID = strings.TrimSpace(field(rec, l.scene)); d.sceneID != "" {
		d.hasScene = true
	}
	d.sensor = field(rec, l.sensor)
	d.footprint = field(rec, l.footprint)
	// The cells are slices of one string per row, which a detection
	// holding any of them would keep whole: copy what is unique to the
	// row and share what rows repeat.
	d.id = strings.Clone(d.id)
	d.sceneID, d.sensor, d.footprint = b.intern(d.sceneID), b.intern(d.sensor), b.intern(d.footprint)
	return b.add(d, vals)
}

// WriteSatelliteGeoJSON writes one scene and its detections in the GeoJSON
// form ReadSatelliteGeoJSON reads: the scene as the collection's "scene"
// member, one Point feature per detection with "id" (TargetID, or
// "<scene id>#<n>" when empty), "scene_id", "time" and whichever of
// "length_m", "heading", "confidence" and "position_error_m" the
// observation has. It fails when a detection has no position, or no time
// while the scene has none either. The output has one feature per line.
func WriteSatelliteGeoJSON(w io.Writer, scene model.Scene, dets []model.Observation) error {
	buf := make([]byte, 0, 256+160*len(dets))
	buf = append(buf, `{"type":"FeatureCollection","scene":{`...)
	buf = satAppendMember(buf, "id", scene.ID, false)
	if !scene.Time.IsZero() {
		buf = satAppendMember(buf, "time", scene.Time.UTC().Format(time.RFC3339Nano), true)
	}
	if scene.Sensor != "" {
		buf = satAppendMember(buf, "sensor", scene.Sensor, true)
	}
	if len(scene.Footprint) > 0 {
		buf = append(buf, `,"footprint":{"type":"Polygon","coordinates":[[`...)
		for i, p := range scene.Footprint {
			if !satFinite(p[0]) || !satFinite(p[1]) {
				return fmt.Errorf("write scene %q: footprint point %d is not finite", scene.ID, i)
			}
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			buf = strconv.AppendFloat(buf, p[0], 'g', -1, 64)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, p[1], 'g', -1, 64)
			buf = append(buf, ']')
		}
		buf = append(buf, "]]}"...)
	}
	buf = append(buf, "},\"features\":["...)
	for i, o := range dets {
		if !o.HasPosition() || !satFinite(o.Lat) || !satFinite(o.Lon) {
			return fmt.Errorf("write detection %d of scene %q: no position", i, scene.ID)
		}
		if o.Time.IsZero() && scene.Time.IsZero() {
			return fmt.Errorf("write detection %d of scene %q: no time", i, scene.ID)
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":["...)
		buf = strconv.AppendFloat(buf, o.Lon, 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, o.Lat, 'g', -1, 64)
		buf = append(buf, `]},"properties":{`...)
		id := o.TargetID
		if id == "" {
			id = scene.ID + "#" + strconv.Itoa(i+1)
		}
		buf = satAppendMember(buf, "id", id, false)
		if scene.ID != "" {
			buf = satAppendMember(buf, "scene_id", scene.ID, true)
		}
		if !o.Time.IsZero() {
			buf = satAppendMember(buf, "time", o.Time.UTC().Format(time.RFC3339Nano), true)
		}
		buf = satAppendNumber(buf, "length_m", o.Length, o.Length > 0)
		buf = satAppendNumber(buf, "heading", o.Heading, true)
		buf = satAppendNumber(buf, "confidence", o.Confidence, true)
		buf = satAppendNumber(buf, "position_error_m", o.PosError, o.PosError > 0)
		buf = append(buf, "}}"...)
		if len(buf) > 64<<10 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("write satellite geojson: %w", err)
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, "\n]}\n"...)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write satellite geojson: %w", err)
	}
	return nil
}

func satFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// satAppendMember appends "name":"value", preceded by a comma unless it is
// the first member.
func satAppendMember(buf []byte, name, value string, comma bool) []byte {
	if comma {
		buf = append(buf, ',')
	}
	buf = satAppendString(buf, name)
	buf = append(buf, ':')
	return satAppendString(buf, value)
}

// satAppendNumber appends ,"name":v when ok and v is finite.
func satAppendNumber(buf []byte, name string, v float64, ok bool) []byte {
	if !ok || !satFinite(v) {
		return buf
	}
	buf = append(buf, ',')
	buf = satAppendString(buf, name)
	buf = append(buf, ':')
	return strconv.AppendFloat(buf, v, 'g', -1, 64)
}

// satAppendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func satAppendString(buf []byte, s string) []byte {
	p, err := json.Marshal(s)
	if err != nil { // cannot happen for a string
		return append(buf, `""`...)
	}
	return append(buf, p...)
}
