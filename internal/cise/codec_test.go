package cise

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTemplatesParse(t *testing.T) {
	want := map[string]struct {
		kind     Kind
		id       string
		entities int
		check    func(t *testing.T, m *Message)
	}{
		"AcknowledgementTemplate.xml": {KindAcknowledgement, "291761f9-2bdb-4f70-a154-5c21b36583ca", -1, func(t *testing.T, m *Message) {
			if m.AckCode != AckSuccess || m.AckDetail != "Push message received" || m.Recipient.ServiceOperation != "Acknowledgement" {
				t.Errorf("ack %+v", m)
			}
		}},
		"FeedbackTemplate.xml": {KindFeedback, "ba6f94e3-2004-439b-a09f-a6f1f96ea34c", 0, func(t *testing.T, m *Message) {
			if m.FeedbackType != "info" || m.Reason != "Reason-111" || m.RefMessageID != "RefMessageID-111" || !m.RequiresAck {
				t.Errorf("feedback %+v", m)
			}
		}},
		"Incident.xml": {KindPush, "2657a510-5469-429f-ad00-7c96daa7c7a2", 1, func(t *testing.T, m *Message) {
			ev, ok := m.Payload.Entities[0].(*Event)
			if !ok || ev.Kind != KindIncident || ev.Incident == nil || ev.Incident.ResponseUrgency != "Immediate" ||
				ev.Identifier.UUID != "08c5ca8c-34e0-4b4d-a6e5-d896tyuaecae" {
				t.Errorf("incident %+v", m.Payload.Entities[0])
			}
		}},
		"Pull_requestTemplate.xml": {KindPullRequest, "f28e1703-4c0d-48ce-aba5-e187a3321333", 1, func(t *testing.T, m *Message) {
			if m.PullType != PullRequestType || m.ResponseTimeOut != 1000 || m.Priority != PriorityHigh {
				t.Errorf("pull request %+v", m)
			}
			if v := m.Payload.Entities[0].(*Vessel); v.IMONumber != 7710525 {
				t.Errorf("query vessel %+v", v)
			}
		}},
		"Pull_responseTemplate.xml": {KindPullResponse, "e3c96fe8-dc6d-43ae-b1e2-7afe310634fd", 1, func(t *testing.T, m *Message) {
			if m.ResultCode != AckSuccess || m.Reliability != "NoRetry" {
				t.Errorf("pull response %+v", m)
			}
		}},
		"PushTemplate.xml": {KindPush, "2657a510-5469-429f-ad00-7c96daa7c7a2", 1, func(t *testing.T, m *Message) {
			p := m.Payload
			if p.SecurityLevel != SecurityNonClassified || p.Sensitivity != TLPGreen || p.Purpose != PurposeNonSpecified || p.PersonalData {
				t.Errorf("payload %+v", p)
			}
			if !m.Created.Equal(time.Date(2018, 1, 18, 12, 45, 29, 590e6, time.UTC)) {
				t.Errorf("created %v", m.Created)
			}
		}},
		"SubscribeTemplate.xml": {KindPush, "4691ff5e-5427-4aec-b504-247f2b5db18f", 1, func(t *testing.T, m *Message) {
			if m.Sender.ServiceOperation != "Subscribe" || m.Sender.Capability.MaxEntitiesPerMsg != 3 || m.Recipient != nil {
				t.Errorf("subscribe push %+v", m)
			}
		}},
		"Vessel.xml": {KindPush, "2657a510-5469-429f-ad00-7c96daa7c7a2", 3, func(t *testing.T, m *Message) {
			v := m.Payload.Entities[1].(*Vessel)
			if v.MMSI != 448002000 || v.IMONumber != 8810525 || v.Name[0] != "MARY BST" || v.ShipType[0] != "MobileOffShoreDrillingUnit" {
				t.Errorf("vessel %+v", v)
			}
			if got := v.Identifier.CorrelatedWith[1].Identifier.UUID; got != "789" {
				t.Errorf("correlated id %q, want 789", got)
			}
			loc := v.LocationRel[0]
			if g := loc.Location.Geometry[0]; g.Latitude != "43.3242" || g.Longitude != "14.62" || loc.SourceType != "Observation" {
				t.Errorf("location %+v", loc)
			}
			if got := v.Metadata[0].ValidityPeriod.End(); !got.Equal(time.Date(2017, 11, 1, 23, 0, 0, 0, time.UTC)) {
				t.Errorf("validity end %v", got)
			}
		}},
	}
	tpl := templates(t)
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			b, ok := tpl[name]
			if !ok {
				t.Fatalf("template %s missing", name)
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != w.kind || m.ID != w.id {
				t.Errorf("kind %s id %s, want %s %s", m.Kind, m.ID, w.kind, w.id)
			}
			if w.entities >= 0 && (m.Payload == nil || len(m.Payload.Entities) != w.entities) {
				t.Errorf("payload %+v, want %d entities", m.Payload, w.entities)
			}
			w.check(t, m)
			// Written back, read again and written again: the same bytes.
			out, err := Encode(m)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			m2, err := Decode(out)
			if err != nil {
				t.Fatalf("decode own output: %v\n%s", err, out)
			}
			out2, err := Encode(m2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Errorf("not a fixed point:\n%s\n%s", out, out2)
			}
		})
	}
	if len(tpl) != len(want) {
		t.Errorf("%d templates, %d checked", len(tpl), len(want))
	}
}

func TestRoundTrip(t *testing.T) {
	for name, m := range sampleMessages() {
		t.Run(name, func(t *testing.T) {
			out, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			m2, err := Decode(out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			out2, err := Encode(m2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Errorf("round trip changed the message:\n%s\n%s", out, out2)
			}
			if m.Payload != nil && m.Payload.Encrypted == "" && len(m2.Payload.Entities) != len(m.Payload.Entities) {
				t.Errorf("%d entities back, want %d", len(m2.Payload.Entities), len(m.Payload.Entities))
			}
		})
	}
}

func TestDecodeLenient(t *testing.T) {
	// Qualified entities, elements out of order, padding, an unknown entity
	// and an unknown element, a zoneless date.
	doc := `<m:Push xmlns:m="` + NSMessage + `" xmlns:v="urn:somewhere">
	  <Priority> Low </Priority><MessageID> id-1 </MessageID><CreationDateTime>2024-05-01T10:00:00</CreationDateTime>
	  <Unknown>x</Unknown>
	  <Payload><Purpose>SAR</Purpose><InformationSensitivity>Red</InformationSensitivity>
	    <v:Vessel><v:MMSI> 224000001 </v:MMSI><v:Name>A</v:Name></v:Vessel>
	    <Cargo><X/></Cargo>
	    <InformationSecurityLevel>NonClassified</InformationSecurityLevel></Payload>
	</m:Push>`
	m, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "id-1" || m.Priority != "Low" || !m.Created.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("header %+v", m)
	}
	p := m.Payload
	if p.Purpose != "SAR" || p.SecurityLevel != "NonClassified" || len(p.Entities) != 1 || !slices.Equal(p.Unknown, []string{"Cargo"}) {
		t.Errorf("payload %+v", p)
	}
	if v := p.Entities[0].(*Vessel); v.MMSI != 224000001 || v.Name[0] != "A" {
		t.Errorf("vessel %+v", v)
	}
	if _, err := Encode(m); err != nil {
		t.Errorf("a leniently read message is written: %v", err)
	}
}

func TestDecodeRefuses(t *testing.T) {
	for name, c := range map[string]struct {
		doc  string
		want error
	}{
		"empty":        {"", ErrMalformed},
		"not xml":      {"hello", ErrMalformed},
		"doctype":      {`<!DOCTYPE Push [<!ENTITY a "b">]><Push/>`, ErrMalformed},
		"two roots":    {`<Push xmlns="` + NSMessage + `"/><Push/>`, ErrMalformed},
		"trailing":     {`<Push/>text`, ErrMalformed},
		"not message":  {`<Vessel/>`, ErrNotMessage},
		"foreign ns":   {`<Push xmlns="urn:other"/>`, ErrNotMessage},
		"bad date":     {`<Push><CreationDateTime>yesterday</CreationDateTime></Push>`, ErrMalformed},
		"bad number":   {`<PullRequest><ResponseTimeOut>soon</ResponseTimeOut></PullRequest>`, ErrMalformed},
		"unclosed":     {`<Push><MessageID>x</Push>`, ErrMalformed},
		"huge":         {strings.Repeat(" ", MaxMessageSize+1), ErrMalformed},
		"bad entity":   {`<Push><Payload><Vessel><MMSI>x</MMSI></Vessel></Payload></Push>`, ErrMalformed},
		"bad xsi:type": {`<Push><Payload><Incident><InvolvedWithRel><Event xmlns:x="` + nsXSI + `" x:type="Action"/></InvolvedWithRel></Incident></Payload></Push>`, nil},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(c.doc))
			if c.want == nil {
				if err != nil {
					t.Errorf("err %v, want none", err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Errorf("err %v, want %v", err, c.want)
			}
		})
	}
}

func TestValidateRefuses(t *testing.T) {
	base := func() *Message {
		return &Message{Kind: KindPush, Created: sampleTime, ID: "m", Priority: PriorityLow,
			Payload: &Payload{SecurityLevel: SecurityNonClassified, Sensitivity: TLPGreen, Purpose: PurposeSAR}}
	}
	for name, f := range map[string]func(m *Message){
		"kind":         func(m *Message) { m.Kind = "Pull" },
		"no id":        func(m *Message) { m.ID = "" },
		"no time":      func(m *Message) { m.Created = time.Time{} },
		"priority":     func(m *Message) { m.Priority = "Urgent" },
		"tlp":          func(m *Message) { m.Payload.Sensitivity = "Orange" },
		"purpose":      func(m *Message) { m.Payload.Purpose = "" },
		"service id":   func(m *Message) { m.Sender = &Service{ServiceType: "VesselService"} },
		"service type": func(m *Message) { m.Sender = &Service{ServiceID: "x", ServiceType: "BoatService"} },
		"pull type":    func(m *Message) { m.Kind = KindPullRequest },
		"ack fields":   func(m *Message) { m.AckCode = AckSuccess },
		"result code":  func(m *Message) { m.Kind, m.ResultCode = KindPullResponse, "ServiceManagerError" },
		"feedback":     func(m *Message) { m.Kind, m.FeedbackType = KindFeedback, "info" },
		"event kind":   func(m *Message) { m.Payload.Entities = []Entity{&Event{Kind: "Action"}} },
		"nil entity":   func(m *Message) { m.Payload.Entities = []Entity{(*Vessel)(nil)} },
		"country":      func(m *Message) { m.DiscoveryProfiles = []ServiceProfile{{Country: "Spain"}} },
		"selector op": func(m *Message) {
			m.Kind, m.PullType, m.Selectors = KindPullRequest, "Request", []Selector{{Selector: "x", Operator: "="}}
		},
		"profiles": func(m *Message) {
			m.Kind, m.AckCode, m.DiscoveryProfiles = KindAcknowledgement, AckSuccess, []ServiceProfile{{}}
		},
		"negative wait":  func(m *Message) { m.Kind, m.PullType, m.ResponseTimeOut = KindPullRequest, "Request", -1 },
		"agent kind":     func(m *Message) { m.Payload.Entities = []Entity{&Agent{Kind: "Person"}} },
		"retry strategy": func(m *Message) { m.Reliability = "Always" },
	} {
		t.Run(name, func(t *testing.T) {
			m := base()
			f(m)
			if _, err := Encode(m); !errors.Is(err, ErrInvalid) {
				t.Errorf("err %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := Encode(base()); err != nil {
		t.Errorf("base message: %v", err)
	}
}

func TestPeriod(t *testing.T) {
	start := time.Date(2026, 1, 31, 23, 59, 59, 5e8, time.FixedZone("CET", 3600))
	p := PeriodOf(start, time.Time{})
	if !p.Start().Equal(start) || !p.End().IsZero() {
		t.Errorf("start %v end %v", p.Start(), p.End())
	}
	ent, err := DecodeEntity(mustEncodeEntity(t, &Location{Metadata: []Metadata{{ValidityPeriod: p}}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := ent.(*Location).Metadata[0].ValidityPeriod.Start(); !got.Equal(start) {
		t.Errorf("written and read: %v, want %v", got, start)
	}
	// As the reference writes them: a day and a time each with an offset.
	var q Period
	q.StartDate.Time, _ = parseTime("2017-07-25+02:00", dateLayouts, "d")
	q.StartTime.Time, _ = parseTime("01:30:00+02:00", timeLayouts, "t")
	if got := q.Start(); !got.Equal(time.Date(2017, 7, 24, 23, 30, 0, 0, time.UTC)) {
		t.Errorf("reference period start %v", got)
	}
}

func mustEncodeEntity(t *testing.T, e Entity) []byte {
	t.Helper()
	b, err := EncodeEntity(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
