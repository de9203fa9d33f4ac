package cise

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/risk"
)

var esp = Mapper{Node: "ESP-NCC"}

// viaXML writes an entity and reads it back, as a peer would.
func viaXML[T Entity](t *testing.T, e T) T {
	t.Helper()
	got, err := DecodeEntity(mustEncodeEntity(t, e))
	if err != nil {
		t.Fatal(err)
	}
	return got.(T)
}

func TestRefs(t *testing.T) {
	for _, c := range []struct {
		uuid string
		ok   bool
		ref  Ref
	}{
		{"ESP-NCC/track/42", true, Ref{"ESP-NCC", "track", "42"}},
		{"a/b/event/go_fast-000001", true, Ref{"a/b", "event", "go_fast-000001"}},
		{"08c5ca8c-34e0-4b4d-a6e5-d896tyuaecae", false, Ref{}},
		{"x/vessel/1", false, Ref{}},
		{"/track/1", false, Ref{}},
		{"n/track/", false, Ref{}},
	} {
		r, ok := ParseRef(c.uuid)
		if ok != c.ok || r != c.ref {
			t.Errorf("%q: %v %v, want %v %v", c.uuid, r, ok, c.ref, c.ok)
		}
		if ok && r.String() != c.uuid {
			t.Errorf("%v written %q", r, r.String())
		}
	}
}

func TestTrackRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 14, 2, 35, 7, 0, time.UTC)
	for name, c := range map[string]struct {
		in, want model.TrackState
	}{
		"ais": {
			model.TrackState{Time: at, TrackID: 42, Lat: 36.01234, Lon: -5.4321, SOG: 12.5, COG: 0, MMSI: 224123456, Name: "NUEVO SOL", Sensors: []string{"ais", "radar"}},
			model.TrackState{Time: at, TrackID: 42, Lat: 36.01234, Lon: -5.4321, SOG: 12.5, COG: 0, MMSI: 224123456, Name: "NUEVO SOL", Sensors: []string{"ais"}},
		},
		"dark": {
			model.TrackState{Time: at, TrackID: 7, Lat: 35.9, Lon: -5.6, SOG: 48, COG: 355.5, Dark: true, Sensors: []string{"ais", "radar"}},
			model.TrackState{Time: at, TrackID: 7, Lat: 35.9, Lon: -5.6, SOG: 48, COG: 355.5, Dark: true, Sensors: []string{"radar"}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			v := viaXML(t, esp.Vessel(c.in))
			got, err := esp.Track(v)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestTrackFromOthers(t *testing.T) {
	m, err := Decode(templates(t)["Vessel.xml"])
	if err != nil {
		t.Fatal(err)
	}
	prt := Mapper{Node: "PRT-NCC"}
	var ids []uint64
	for _, e := range m.Payload.Entities {
		s, err := prt.Track(e.(*Vessel))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.TrackID)
		if s.MMSI == 0 || s.Name == "" || s.Lat == 0 {
			t.Errorf("%+v", s)
		}
	}
	again, _ := prt.Track(m.Payload.Entities[0].(*Vessel))
	if again.TrackID != ids[0] || slices.Contains(ids[1:], ids[0]) {
		t.Errorf("foreign track ids not stable and distinct: %v", ids)
	}
	// Another node's track id is that node's: hashed here, not taken as ours.
	s, _ := prt.Track(viaXML(t, esp.Vessel(model.TrackState{TrackID: 42, Lat: 1, Lon: 1})))
	if s.TrackID == 42 {
		t.Error("ESP's track 42 taken as PRT's own")
	}
	if _, err := prt.Track(&Vessel{IMONumber: 7710525}); !errors.Is(err, ErrUnmappable) {
		t.Errorf("a vessel without a position: %v", err)
	}
}

func goFast() model.Event {
	return model.Event{
		ID: "go_fast-000012", Type: "go_fast", Category: model.CategoryCrossBorderCrime,
		Start: time.Date(2026, 3, 14, 1, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 14, 1, 20, 0, 0, time.UTC),
		Lat: 36.1, Lon: -5.35, MMSI: []uint32{224000001}, TrackIDs: []uint64{17}, Confidence: 0.8, Impact: model.ImpactHigh,
		Risk: &model.Risk{Score: 0.9, Threats: map[string]float64{risk.Drugs: 0.9, risk.PeopleSmuggling: 0.5},
			Explanation: "2× go-fast run, dark (no AIS) for 2 h"},
	}
}

func TestEventRoundTrip(t *testing.T) {
	encounter := model.Event{ID: "encounter-000001", Type: "encounter", Category: model.CategoryCrossBorderCrime,
		Start: time.Date(2026, 3, 14, 1, 0, 0, 0, time.UTC), Lat: 51.5, Lon: 2.5, MMSI: []uint32{244000001},
		TrackIDs: []uint64{3, 99}, Confidence: 0.6, Impact: model.ImpactMedium}
	for _, in := range []model.Event{goFast(), encounter} {
		t.Run(in.Type, func(t *testing.T) {
			a := esp.Anomaly(in)
			if in.Type == "go_fast" && a.AnomalyType != "UnexpectedMovement" {
				t.Errorf("anomaly type %s", a.AnomalyType)
			}
			got, err := esp.ModelEvent(viaXML(t, a))
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != in.ID || got.Type != in.Type || got.Category != in.Category || !got.Start.Equal(in.Start) ||
				!got.End.Equal(in.End) || got.Lat != in.Lat || got.Lon != in.Lon || got.Impact != in.Impact ||
				!slices.Equal(got.MMSI, in.MMSI) || !slices.Equal(got.TrackIDs, in.TrackIDs) ||
				math.Abs(got.Confidence-in.Confidence) > 0.1 {
				t.Errorf("got  %+v\nwant %+v", got, in)
			}
			if in.Risk != nil {
				if got.Risk == nil || got.Risk.Explanation != in.Risk.Explanation || len(got.Risk.Threats) != len(in.Risk.Threats) ||
					got.Risk.Threats[risk.Drugs] < got.Risk.Threats[risk.PeopleSmuggling] {
					t.Errorf("risk %+v, want %+v", got.Risk, in.Risk)
				}
			}
		})
	}
	// Another system's anomaly: the type its AnomalyType suggests.
	got, err := esp.ModelEvent(&Event{Kind: KindAnomaly, AnomalyType: "PerformingAISSpoofing",
		EventCommon: EventCommon{Identifier: &UniqueIdentifier{UUID: "abc"}}})
	if err != nil || got.Type != "identity_spoof" || got.ID != "abc" || got.Category != model.CategoryOther {
		t.Errorf("%+v %v", got, err)
	}
	if _, err := esp.ModelEvent(&Event{Kind: KindIncident}); !errors.Is(err, ErrUnmappable) {
		t.Errorf("an incident as a detection: %v", err)
	}
}

func TestIncidentRoundTrip(t *testing.T) {
	detected := time.Date(2026, 3, 14, 1, 5, 0, 0, time.UTC)
	base := picture.Incident{ID: "INC-000003", Category: model.CategoryCrossBorderCrime, Title: "Go-fast towards La Línea",
		Impact: model.ImpactHigh, Confidence: picture.Confidence{Reliability: "B", Credibility: 2}, Originator: "ESP-NCC",
		Owner: "ESP-NCC", Lat: 36.1, Lon: -5.35, Detected: detected, Due: detected.Add(picture.FirstReportWithin),
		Status: picture.StatusOpen, Events: []string{"go_fast-000012", "ais_gap-000001"}}
	withRisk := func(th string) []model.Event {
		e := goFast()
		e.Risk.Threats = map[string]float64{th: 0.9}
		return []model.Event{e}
	}
	for name, c := range map[string]struct {
		edit   func(in *picture.Incident)
		linked []model.Event
		kind   EventKind
		typ    string
	}{
		"drugs":     {nil, []model.Event{goFast()}, KindLawInfringementIncident, "DrugSmugglingOtherDrugs"},
		"pollution": {nil, withRisk(risk.Pollution), KindMaritimeSafetyIncident, "Pollution"},
		"fishing":   {nil, withRisk(risk.IllegalFishing), KindLawInfringementIncident, "LawInfringementByVessels"},
		"crime":     {nil, nil, KindLawInfringementIncident, "NonSpecified"},
		"crossing":  {func(in *picture.Incident) { in.Category = model.CategoryUnauthorisedCrossing }, nil, KindIrregularMigrationIncident, "IrregularEntryAttempt"},
		"crisis": {func(in *picture.Incident) {
			in.Category, in.Impact, in.Due = model.CategoryCrisis, model.ImpactVeryHigh, base.Due
		}, nil, KindCrisisIncident, "NonSpecified"},
		"other low": {func(in *picture.Incident) {
			in.Category, in.Impact, in.Due = model.CategoryOther, model.ImpactLow, time.Time{}
		}, nil, KindIncident, ""},
		"validated":   {func(in *picture.Incident) { in.Status = picture.StatusValidated }, nil, KindLawInfringementIncident, "NonSpecified"},
		"closed":      {func(in *picture.Incident) { in.Status, in.Closed = picture.StatusClosed, detected.Add(5*time.Hour) }, nil, KindLawInfringementIncident, "NonSpecified"},
		"owner":       {func(in *picture.Incident) { in.Owner, in.Confidence = "FRONTEX", picture.Unjudged }, nil, KindLawInfringementIncident, "NonSpecified"},
		"foreign ids": {func(in *picture.Incident) { in.ID, in.Events = "PRT-NCC/incident/7", []string{"PRT-NCC/event/x-1"} }, nil, KindLawInfringementIncident, "NonSpecified"},
	} {
		t.Run(name, func(t *testing.T) {
			in := base
			in.Events = slices.Clone(base.Events)
			if c.edit != nil {
				c.edit(&in)
			}
			ev := esp.Incident(in, c.linked)
			if ev.Kind != c.kind || ev.IncidentType != c.typ {
				t.Errorf("mapped to %s %q, want %s %q", ev.Kind, ev.IncidentType, c.kind, c.typ)
			}
			got, err := esp.PictureIncident(viaXML(t, ev))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, in) {
				t.Errorf("got  %+v\nwant %+v", got, in)
			}
			if len(c.linked) > 0 {
				a := ev.InvolvedWithRel[0].Event
				if a.AnomalyType == "" || len(ev.InvolvedObjectRel) != 1 || ev.InvolvedObjectRel[0].Object.MMSI != 224000001 {
					t.Errorf("linked detection not carried: %+v", ev.InvolvedWithRel[0])
				}
			}
		})
	}
}

func TestIncidentCorrelation(t *testing.T) {
	// Spain's incident at Portugal keeps Spain's identifiers; pushed on by
	// Portugal, it still carries them; back at Spain they are Spain's own.
	in := picture.Incident{ID: "INC-000003", Category: model.CategoryUnauthorisedCrossing, Impact: model.ImpactMedium,
		Confidence: picture.Unjudged, Originator: "ESP-NCC", Owner: "ESP-NCC", Events: []string{"distress-000001"}}
	prt := Mapper{Node: "PRT-NCC"}
	atPRT, err := prt.PictureIncident(viaXML(t, esp.Incident(in, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if atPRT.ID != "ESP-NCC/incident/INC-000003" || atPRT.Events[0] != "ESP-NCC/event/distress-000001" {
		t.Errorf("at Portugal: %+v", atPRT)
	}
	onward := viaXML(t, prt.Incident(atPRT, nil))
	if onward.Identifier.UUID != "ESP-NCC/incident/INC-000003" {
		t.Errorf("pushed on by Portugal as %s", onward.Identifier.UUID)
	}
	back, err := esp.PictureIncident(onward)
	if err != nil || back.ID != in.ID || back.Events[0] != in.Events[0] {
		t.Errorf("back at Spain: %+v %v", back, err)
	}
}

func TestIncidentFromReference(t *testing.T) {
	m, err := Decode(templates(t)["Incident.xml"])
	if err != nil {
		t.Fatal(err)
	}
	in, err := esp.PictureIncident(m.Payload.Entities[0].(*Event))
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != "08c5ca8c-34e0-4b4d-a6e5-d896tyuaecae" || in.Category != model.CategoryOther || in.Status != picture.StatusOpen ||
		in.Confidence != picture.Unjudged {
		t.Errorf("%+v", in)
	}
	if _, err := esp.PictureIncident(&Event{Kind: KindIncident}); !errors.Is(err, ErrUnmappable) {
		t.Errorf("an incident without an identifier: %v", err)
	}
}

func TestMappedEntitiesValidate(t *testing.T) {
	schema := dataModelSchema(t)
	in := picture.Incident{ID: "INC-1", Category: model.CategoryCrossBorderCrime, Title: "t", Impact: model.ImpactVeryHigh,
		Confidence: picture.Confidence{Reliability: "A", Credibility: 1}, Originator: "ESP-NCC", Owner: "ESP-NCC",
		Detected: sampleTime, Status: picture.StatusClosed, Closed: sampleTime.Add(time.Hour), Events: []string{"go_fast-000012", "x"}}
	for name, e := range map[string]Entity{
		"vessel":   esp.Vessel(model.TrackState{Time: sampleTime, TrackID: 1, Lat: 1, Lon: 2, MMSI: 224000001, Name: "A", Sensors: []string{"radar"}, Dark: true}),
		"anomaly":  esp.Anomaly(goFast()),
		"incident": esp.Incident(in, []model.Event{goFast()}),
		"crossing": esp.Incident(picture.Incident{ID: "2", Category: model.CategoryUnauthorisedCrossing, Confidence: picture.Unjudged}, nil),
	} {
		if err := validate(t, schema, mustEncodeEntity(t, e)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
