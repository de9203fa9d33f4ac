package cise

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"pharos/internal/model"
	"pharos/internal/picture"
)

// Ref is a Pharos identifier as it travels in a CISE UniqueIdentifier's
// UUID: "node/kind/id", e.g. "ESP-NCC/track/42", "ESP-NCC/event/go_fast-000012",
// "ESP-NCC/incident/INC-000003". The node that made the thing is part of
// its identifier, so identifiers from several nodes never collide and an
// update of an incident carries the identifier of its first report.
type Ref struct {
	Node, Kind, ID string
}

// Kinds of Ref.
const (
	RefTrack    = "track"
	RefEvent    = "event"
	RefIncident = "incident"
)

func (r Ref) String() string { return r.Node + "/" + r.Kind + "/" + r.ID }

// ParseRef reads a UUID written by Ref.String; false for any other UUID
// (another system's).
func ParseRef(uuid string) (Ref, bool) {
	j := strings.LastIndexByte(uuid, '/')
	if j <= 0 {
		return Ref{}, false
	}
	i := strings.LastIndexByte(uuid[:j], '/')
	if i <= 0 || j == len(uuid)-1 {
		return Ref{}, false
	}
	r := Ref{Node: uuid[:i], Kind: uuid[i+1 : j], ID: uuid[j+1:]}
	switch r.Kind {
	case RefTrack, RefEvent, RefIncident:
		return r, true
	}
	return Ref{}, false
}

// Mapper maps a node's tracks, detections and incidents to CISE entities
// and back. Node is the node's name (its `node:`), the first part of the
// identifiers it writes; what comes back with the node's own identifiers
// gets its own IDs back, what comes from elsewhere keeps the other
// system's identifier whole (correlation ids kept either way).
//
// What the mapping carries, field by field, is in doc.go.
type Mapper struct {
	Node string
}

func (m Mapper) uuid(kind, id string) string {
	if _, ok := ParseRef(id); ok {
		return id // already another node's identifier: kept as it came
	}
	return Ref{m.Node, kind, id}.String()
}

// localID returns the Pharos ID an identifier stands for: its own ID for
// one of this node's, the whole UUID for anyone else's.
func (m Mapper) localID(id *UniqueIdentifier, kind string) string {
	if id == nil {
		return ""
	}
	if r, ok := ParseRef(id.UUID); ok && r.Node == m.Node && r.Kind == kind {
		return r.ID
	}
	return id.UUID
}

func point(lat, lon float64) *Location {
	return &Location{Geometry: []Geometry{{
		Latitude:  strconv.FormatFloat(lat, 'f', -1, 64),
		Longitude: strconv.FormatFloat(lon, 'f', -1, 64),
	}}}
}

// latLon reads the first geometry with a usable latitude and longitude.
func latLon(loc *Location) (lat, lon float64, ok bool) {
	if loc == nil {
		return 0, 0, false
	}
	for _, g := range loc.Geometry {
		la, err1 := strconv.ParseFloat(strings.TrimSpace(g.Latitude), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(g.Longitude), 64)
		if err1 == nil && err2 == nil && la >= -90 && la <= 90 && lo >= -180 && lo <= 180 {
			return la, lo, true
		}
	}
	return 0, 0, false
}

// Sensors: Pharos's names and the data model's SensorType.
var sensorTypes = map[string]string{
	"ais":       "AutomaticIdentificationSystem",
	"radar":     "MaritimeRadar",
	"satellite": "SyntheticApertureRadar",
	"asset":     "Sighting",
}

// primarySensor is the sensor a track's position is reported as seen by:
// the radar or satellite for a dark track, else AIS when it has it.
func primarySensor(sensors []string, dark bool) string {
	order := []string{"ais", "radar", "satellite", "asset"}
	if dark {
		order = []string{"radar", "satellite", "asset", "ais"}
	}
	for _, s := range order {
		if slices.Contains(sensors, s) {
			return sensorTypes[s]
		}
	}
	return ""
}

// Vessel maps a track's state: its identifier (node/track/id), MMSI and
// name when known, and one LocationRel with the position, course and speed
// over ground, the time, the sensor that sees it (SourceType Observation).
// A dark track carries an InvolvedEventRel to an Anomaly of type
// WithoutAISTransmission.
func (m Mapper) Vessel(s model.TrackState) *Vessel {
	v := &Vessel{Identifier: &UniqueIdentifier{UUID: Ref{m.Node, RefTrack, strconv.FormatUint(s.TrackID, 10)}.String()}}
	if s.Name != "" {
		v.Name = []string{s.Name}
	}
	v.MMSI = int64(s.MMSI)
	v.LocationRel = []ObjectLocation{{
		Location: point(s.Lat, s.Lon), COG: finite(s.COG), PeriodOfTime: PeriodOf(s.Time, time.Time{}),
		SourceType: "Observation", SensorType: primarySensor(s.Sensors, s.Dark), SOG: finite(s.SOG),
	}}
	if s.Dark {
		v.InvolvedEventRel = []ObjectEvent{{Event: &Event{Kind: KindAnomaly, AnomalyType: "WithoutAISTransmission"}, ObjectRole: "Participant"}}
	}
	return v
}

func finite(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// Track maps a vessel back to a track state. The track ID is this node's
// own for one of its identifiers, else a 64-bit FNV-1a hash of the other
// system's UUID (stable, so the same foreign vessel is the same track),
// else its MMSI. A vessel without a position does not map.
func (m Mapper) Track(v *Vessel) (model.TrackState, error) {
	var s model.TrackState
	found := false
	for _, l := range v.LocationRel {
		lat, lon, ok := latLon(l.Location)
		if !ok {
			continue
		}
		s.Lat, s.Lon, s.COG, s.SOG = lat, lon, deref(l.COG), deref(l.SOG)
		if l.SOG == nil && l.Speed != nil {
			s.SOG = *l.Speed
		}
		s.Time = l.PeriodOfTime.Start()
		for name, t := range sensorTypes {
			if t == l.SensorType {
				s.Sensors = []string{name}
			}
		}
		found = true
		break
	}
	if !found {
		return s, fmt.Errorf("%w: vessel without a position", ErrUnmappable)
	}
	if v.MMSI > 0 && v.MMSI < 1_000_000_000 {
		s.MMSI = uint32(v.MMSI)
	}
	if len(v.Name) > 0 {
		s.Name = strings.TrimSpace(v.Name[0])
	}
	switch id := m.localID(v.Identifier, RefTrack); {
	case id != "" && v.Identifier.UUID != id:
		n, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			return s, fmt.Errorf("%w: track id %q", ErrUnmappable, id)
		}
		s.TrackID = n
	case id != "":
		h := fnv.New64a()
		h.Write([]byte(id))
		s.TrackID = h.Sum64()
	default:
		s.TrackID = uint64(s.MMSI)
	}
	for _, r := range v.InvolvedEventRel {
		if r.Event != nil && r.Event.Kind == KindAnomaly && r.Event.AnomalyType == "WithoutAISTransmission" {
			s.Dark = true
		}
	}
	return s, nil
}

// Pharos event types and the data model's AnomalyType. Types without a
// counterpart are Other; the Pharos type itself travels in the anomaly's
// Metadata Designation.
var anomalyTypes = map[string]string{
	"ais_gap":        "WithoutAISTransmission",
	"dark_target":    "WithoutAISTransmission",
	"identity_spoof": "PerformingAISSpoofing",
	"go_fast":        "UnexpectedMovement",
	"drift":          "VesselWithErraticMovements",
	"speed_change":   "UnexpectedMovement",
	"loitering":      "UnexpectedMovement",
	"zone_loiter":    "UnexpectedMovement",
	"encounter":      "UnexpectedMovement",
	"distress":       "Other",
	"zone_entry":     "Other",
	"zone_exit":      "Other",
	"watchlist_hit":  "Other",
}

// eventCategories are the detectors' categories, for an anomaly that comes
// without one.
var eventCategories = map[string]string{
	"go_fast": model.CategoryCrossBorderCrime, "encounter": model.CategoryCrossBorderCrime,
	"distress": model.CategoryUnauthorisedCrossing,
}

var categories = []string{model.CategoryUnauthorisedCrossing, model.CategoryCrossBorderCrime, model.CategoryCrisis, model.CategoryOther}

// Impact levels and the data model's severities (an incident's Severity,
// a risk's RiskSeverity): four levels each.
var (
	severities     = [...]string{"Minor", "Moderate", "Severe", "Extreme"}
	riskSeverities = [...]string{"Negligible", "Marginal", "Critical", "Catastrophic"}
)

func impactOf(names []string, v string) (model.ImpactLevel, bool) {
	i := slices.Index(names, v)
	return model.ImpactLevel(max(i, 0)), i >= 0
}

// Pharos threat types and the data model's RiskType.
var riskTypes = map[string]string{
	"drugs":                       "DrugTrafficking",
	"people_smuggling":            "IllegalImmigration",
	"trafficking_in_human_beings": "HumanTrafficking",
	"illegal_fishing":             "IllegalFishing",
	"pollution":                   "Pollution",
}

func riskLevel(score float64) string {
	switch {
	case score >= 0.7:
		return "High"
	case score >= 0.4:
		return "Medium"
	default:
		return "Low"
	}
}

var riskScores = map[string]float64{"High": 0.85, "Medium": 0.55, "Low": 0.2}

// Confidence (0–1) and the data model's InformationReliabilityLevel.
func reliabilityLevel(c float64) string {
	switch {
	case c >= 0.9:
		return "VeryHighConfidence"
	case c >= 0.7:
		return "HighConfidence"
	case c >= 0.5:
		return "Confident"
	case c >= 0.3:
		return "LowConfidence"
	case c > 0:
		return "VeryLowConfidence"
	}
	return ""
}

var reliabilityScores = map[string]float64{"VeryHighConfidence": 0.95, "HighConfidence": 0.8, "Confident": 0.6,
	"LowConfidence": 0.4, "VeryLowConfidence": 0.2}

// involved returns the vessels of an event: one per track, with the MMSI
// when the event names as many MMSIs as tracks (the detectors list them in
// the same order), else the MMSIs and the tracks as vessels of their own.
func (m Mapper) involved(mmsi []uint32, tracks []uint64, role string) []EventObject {
	var out []EventObject
	add := func(v *Vessel) { out = append(out, EventObject{Object: v, ObjectRole: role}) }
	trackID := func(id uint64) *UniqueIdentifier {
		return &UniqueIdentifier{UUID: Ref{m.Node, RefTrack, strconv.FormatUint(id, 10)}.String()}
	}
	if len(mmsi) == len(tracks) {
		for i := range tracks {
			add(&Vessel{Identifier: trackID(tracks[i]), MMSI: int64(mmsi[i])})
		}
		return out
	}
	for _, n := range mmsi {
		add(&Vessel{MMSI: int64(n)})
	}
	for _, id := range tracks {
		add(&Vessel{Identifier: trackID(id)})
	}
	return out
}

// Anomaly maps a detection: its identifier (node/event/id); the Pharos
// type in Metadata Designation, its EUROSUR category in Comments, the
// risk explanation in Description, the confidence as the reliability
// level; the AnomalyType nearest the type; the time window, the place, the
// vessels involved (MMSI, track identifiers); and one implied Risk per
// threat assessed (RiskType, RiskLevel from the score, RiskSeverity from
// the impact), or one with the impact alone.
func (m Mapper) Anomaly(e model.Event) *Event {
	md := Metadata{Designation: e.Type, Comments: e.Category, ReliabilityLevel: reliabilityLevel(e.Confidence)}
	if e.Risk != nil {
		md.Description = e.Risk.Explanation
	}
	at := anomalyTypes[e.Type]
	if at == "" {
		at = "Other"
	}
	ev := &Event{Kind: KindAnomaly, AnomalyType: at, EventCommon: EventCommon{
		Identifier: &UniqueIdentifier{UUID: m.uuid(RefEvent, e.ID)},
		Metadata:   []Metadata{md}, NatureType: "Observed", OccurrencePeriod: PeriodOf(e.Start, e.End),
		LocationRel:       []EventLocation{{Location: point(e.Lat, e.Lon), SourceType: "Observation"}},
		InvolvedObjectRel: m.involved(e.MMSI, e.TrackIDs, "Participant"),
	}}
	sev := riskSeverities[min(int(e.Impact), len(riskSeverities)-1)]
	if e.Risk != nil && len(e.Risk.Threats) > 0 {
		threats := slices.SortedFunc(maps.Keys(e.Risk.Threats), func(a, b string) int {
			return cmp.Or(cmp.Compare(e.Risk.Threats[b], e.Risk.Threats[a]), strings.Compare(a, b))
		})
		for _, th := range threats {
			rt := riskTypes[th]
			if rt == "" {
				rt = "Other"
			}
			ev.ImpliedRiskRel = append(ev.ImpliedRiskRel, RiskRel{Risk: &Risk{
				RiskLevel: riskLevel(e.Risk.Threats[th]), RiskSeverity: sev, RiskType: rt}})
		}
	} else {
		r := &Risk{RiskSeverity: sev}
		if e.Risk != nil {
			r.RiskLevel = riskLevel(e.Risk.Score)
		}
		ev.ImpliedRiskRel = []RiskRel{{Risk: r}}
	}
	return ev
}

// ModelEvent maps an anomaly back to a detection. An anomaly from another
// system, without a Pharos type, gets the type its AnomalyType suggests
// (ais_gap, identity_spoof) or "cise_anomaly", with the AnomalyType in
// Details. Confidence and threat scores come back as the middle of their
// level; the impact is the highest risk severity.
func (m Mapper) ModelEvent(ev *Event) (model.Event, error) {
	if ev.Kind != KindAnomaly {
		return model.Event{}, fmt.Errorf("%w: a %s is not a detection", ErrUnmappable, ev.Kind)
	}
	e := model.Event{ID: m.localID(ev.Identifier, RefEvent)}
	var md Metadata
	if len(ev.Metadata) > 0 {
		md = ev.Metadata[0]
	}
	e.Type = strings.TrimSpace(md.Designation)
	if e.Type == "" {
		switch ev.AnomalyType {
		case "WithoutAISTransmission":
			e.Type = "ais_gap"
		case "PerformingAISSpoofing", "DetecionOfChangesInAISParameters":
			e.Type = "identity_spoof"
		default:
			e.Type = "cise_anomaly"
		}
		e.Details = map[string]any{"cise_anomaly_type": ev.AnomalyType}
	}
	e.Category = strings.TrimSpace(md.Comments)
	if !slices.Contains(categories, e.Category) {
		e.Category = cmp.Or(eventCategories[e.Type], model.CategoryOther)
	}
	e.Confidence = reliabilityScores[md.ReliabilityLevel]
	e.Start, e.End = ev.OccurrencePeriod.Start(), ev.OccurrencePeriod.End()
	for _, l := range ev.LocationRel {
		if lat, lon, ok := latLon(l.Location); ok {
			e.Lat, e.Lon = lat, lon
			break
		}
	}
	for _, o := range ev.InvolvedObjectRel {
		if o.Object == nil {
			continue
		}
		if o.Object.MMSI > 0 && o.Object.MMSI < 1_000_000_000 {
			e.MMSI = append(e.MMSI, uint32(o.Object.MMSI))
		}
		if id := m.localID(o.Object.Identifier, RefTrack); id != "" {
			if n, err := strconv.ParseUint(id, 10, 64); err == nil {
				e.TrackIDs = append(e.TrackIDs, n)
			}
		}
	}
	var risk model.Risk
	for _, r := range ev.ImpliedRiskRel {
		if r.Risk == nil {
			continue
		}
		if imp, ok := impactOf(riskSeverities[:], r.Risk.RiskSeverity); ok && imp > e.Impact {
			e.Impact = imp
		}
		score, ok := riskScores[r.Risk.RiskLevel]
		if !ok {
			continue
		}
		risk.Score = max(risk.Score, score)
		for th, rt := range riskTypes {
			if rt == r.Risk.RiskType {
				if risk.Threats == nil {
					risk.Threats = map[string]float64{}
				}
				risk.Threats[th] = score
			}
		}
	}
	if risk.Score > 0 || md.Description != "" {
		risk.Explanation = md.Description
		e.Risk = &risk
	}
	return e, nil
}

// IncidentKind is the incident subtype (and its incident type) of a
// EUROSUR category; a cross-border crime by the threat its detections
// score highest ("" when none).
func IncidentKind(category, threat string) (EventKind, string) {
	switch category {
	case model.CategoryUnauthorisedCrossing:
		return KindIrregularMigrationIncident, "IrregularEntryAttempt"
	case model.CategoryCrossBorderCrime:
		switch threat {
		case "drugs":
			return KindLawInfringementIncident, "DrugSmugglingOtherDrugs"
		case "trafficking_in_human_beings":
			return KindLawInfringementIncident, "HumanTraffickingOther"
		case "people_smuggling":
			return KindLawInfringementIncident, "OtherRelatedCrossBorderCriminalActivityOther"
		case "illegal_fishing":
			return KindLawInfringementIncident, "LawInfringementByVessels"
		case "pollution":
			return KindMaritimeSafetyIncident, "Pollution"
		}
		return KindLawInfringementIncident, "NonSpecified"
	case model.CategoryCrisis:
		return KindCrisisIncident, "NonSpecified"
	}
	return KindIncident, ""
}

// CategoryOf is the EUROSUR category of an incident subtype (and its
// incident type), the way back from IncidentKind.
func CategoryOf(kind EventKind, incidentType string) string {
	switch {
	case kind == KindIrregularMigrationIncident:
		return model.CategoryUnauthorisedCrossing
	case kind == KindLawInfringementIncident, kind == KindPollutionIncident,
		kind == KindMaritimeSafetyIncident && incidentType == "Pollution":
		return model.CategoryCrossBorderCrime
	case kind == KindCrisisIncident:
		return model.CategoryCrisis
	}
	return model.CategoryOther
}

// Grades of an incident's confidence and the data model's reliability
// level (source reliability A–F) and certainty (credibility 1–6).
var (
	reliabilityGrades = map[string]string{"A": "VeryHighConfidence", "B": "HighConfidence", "C": "Confident",
		"D": "LowConfidence", "E": "VeryLowConfidence", "F": "NonSpecified"}
	certainties = [...]string{1: "Observed", 2: "Likely", 3: "Possible", 4: "Unlikely", 5: "Unlikely", 6: "Unknown"}
)

func organization(name string) *Agent {
	return &Agent{Kind: KindOrganization, Organization: &OrganizationFields{LegalName: name}}
}

// Incident maps an incident, with the detections linked to it when the
// caller has them: the subtype by EUROSUR category (IrregularMigration
// for an unauthorised crossing, LawInfringement for a cross-border crime
// or MaritimeSafety Pollution when pollution is its main threat, Crisis,
// plain Incident for other); its identifier (node/incident/id); the
// category in Metadata Designation and the title in Description; the
// source reliability as the reliability level and the credibility as the
// Certainty; the impact as Severity; open, validated and closed as
// NatureType Estimated, Observed and ResponseUrgency Past; the place and
// the time from detection to closing; the originator (Reporter) and owner
// (Coordinator) as organizations; each detection as an InvolvedWithRel
// Anomaly (whole when linked holds it) and the vessels they involve.
func (m Mapper) Incident(in picture.Incident, linked []model.Event) *Event {
	byID := map[string]model.Event{}
	threats := map[string]float64{}
	var mmsi []uint32
	for _, e := range linked {
		if !slices.Contains(in.Events, e.ID) {
			continue
		}
		byID[e.ID] = e
		if e.Risk != nil {
			for th, s := range e.Risk.Threats {
				threats[th] = max(threats[th], s)
			}
		}
		for _, n := range e.MMSI {
			if !slices.Contains(mmsi, n) {
				mmsi = append(mmsi, n)
			}
		}
	}
	top := ""
	for th, s := range threats {
		if top == "" || s > threats[top] || s == threats[top] && th < top {
			top = th
		}
	}
	kind, typ := IncidentKind(in.Category, top)
	md := Metadata{Designation: in.Category, Description: in.Title, ReliabilityLevel: reliabilityGrades[in.Confidence.Reliability]}
	f := &IncidentFields{Severity: severities[min(int(in.Impact), len(severities)-1)]}
	if c := in.Confidence.Credibility; c >= 1 && c < len(certainties) {
		f.Certainty = certainties[c]
	}
	nature := "Estimated"
	switch {
	case in.Status == picture.StatusClosed:
		f.ResponseUrgency, nature = "Past", "Observed"
	case in.Impact >= model.ImpactHigh:
		f.ResponseUrgency = "Immediate"
	default:
		f.ResponseUrgency = "Expected"
	}
	if in.Status == picture.StatusValidated {
		nature = "Observed"
	}
	ev := &Event{Kind: kind, IncidentType: typ, Incident: f, EventCommon: EventCommon{
		Identifier: &UniqueIdentifier{UUID: m.uuid(RefIncident, in.ID)},
		Metadata:   []Metadata{md}, NatureType: nature, OccurrencePeriod: PeriodOf(in.Detected, in.Closed),
		LocationRel: []EventLocation{{Location: point(in.Lat, in.Lon), SourceType: "Observation"}},
	}}
	for _, id := range in.Events {
		a := &Event{Kind: KindAnomaly, EventCommon: EventCommon{Identifier: &UniqueIdentifier{UUID: m.uuid(RefEvent, id)}}}
		if e, ok := byID[id]; ok {
			a = m.Anomaly(e)
		}
		ev.InvolvedWithRel = append(ev.InvolvedWithRel, EventEvent{Event: a, EventRole: "Causes"})
	}
	for _, n := range mmsi {
		ev.InvolvedObjectRel = append(ev.InvolvedObjectRel, EventObject{Object: &Vessel{MMSI: int64(n)}, ObjectRole: "Participant"})
	}
	if in.Originator != "" {
		ev.InvolvedAgentRel = append(ev.InvolvedAgentRel, EventAgent{Agent: organization(in.Originator), AgentRole: "Reporter"})
	}
	if in.Owner != "" {
		ev.InvolvedAgentRel = append(ev.InvolvedAgentRel, EventAgent{Agent: organization(in.Owner), AgentRole: "Coordinator"})
	}
	return ev
}

// PictureIncident maps an incident of any subtype back. The category is
// the Designation Pharos wrote, else the subtype's (IrregularMigration: an
// unauthorised crossing; LawInfringement, Pollution and MaritimeSafety
// Pollution: a cross-border crime; Crisis: a crisis; anything else:
// other). The first report's due time follows from the impact, as in the
// picture. Reports do not travel.
func (m Mapper) PictureIncident(ev *Event) (picture.Incident, error) {
	if !ev.Kind.IsIncident() {
		return picture.Incident{}, fmt.Errorf("%w: a %s is not an incident", ErrUnmappable, ev.Kind)
	}
	in := picture.Incident{ID: m.localID(ev.Identifier, RefIncident), Confidence: picture.Unjudged}
	if in.ID == "" {
		return in, fmt.Errorf("%w: incident without an identifier", ErrUnmappable)
	}
	var md Metadata
	if len(ev.Metadata) > 0 {
		md = ev.Metadata[0]
	}
	in.Category = strings.TrimSpace(md.Designation)
	if !slices.Contains(categories, in.Category) {
		in.Category = CategoryOf(ev.Kind, ev.IncidentType)
	}
	in.Title = md.Description
	for grade, level := range reliabilityGrades {
		if level == md.ReliabilityLevel {
			in.Confidence.Reliability = grade
		}
	}
	f := ev.Incident
	if f == nil {
		f = &IncidentFields{}
	}
	if i := slices.Index(certainties[:], f.Certainty); i > 0 {
		in.Confidence.Credibility = i
	}
	in.Impact, _ = impactOf(severities[:], f.Severity)
	for _, l := range ev.LocationRel {
		if lat, lon, ok := latLon(l.Location); ok {
			in.Lat, in.Lon = lat, lon
			break
		}
	}
	in.Detected = ev.OccurrencePeriod.Start()
	switch {
	case f.ResponseUrgency == "Past":
		in.Status, in.Closed = picture.StatusClosed, ev.OccurrencePeriod.End()
	case ev.NatureType == "Observed":
		in.Status = picture.StatusValidated
	}
	if in.Impact >= model.ImpactHigh && !in.Detected.IsZero() {
		in.Due = in.Detected.Add(picture.FirstReportWithin)
	}
	for _, a := range ev.InvolvedAgentRel {
		if a.Agent == nil || a.Agent.Organization == nil {
			continue
		}
		switch a.AgentRole {
		case "Reporter":
			in.Originator = a.Agent.Organization.LegalName
		case "Coordinator":
			in.Owner = a.Agent.Organization.LegalName
		}
	}
	if r, ok := ParseRef(ev.Identifier.UUID); ok && in.Originator == "" {
		in.Originator = r.Node
	}
	in.Owner = cmp.Or(in.Owner, in.Originator)
	for _, w := range ev.InvolvedWithRel {
		if w.Event != nil {
			if id := m.localID(w.Event.Identifier, RefEvent); id != "" {
				in.Events = append(in.Events, id)
			}
		}
	}
	return in, nil
}
