package share

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pharos/internal/cise"
	"pharos/internal/shareddata"
)

// TestCISEEnums: the payload's classification and sensitivity map to the
// CISE names and back.
func TestCISEEnums(t *testing.T) {
	for _, tc := range []struct {
		class Classification
		cise  string
	}{
		{ClassNonSpecified, "NonSpecified"}, {ClassNonClassified, "NonClassified"}, {ClassEURestricted, "EURestricted"},
		{ClassEUConfidential, "EUConfidential"}, {ClassEUSecret, "EUSecret"}, {ClassEUTopSecret, "EUTopSecret"},
	} {
		t.Run(tc.cise, func(t *testing.T) {
			if got, err := classificationCISE(tc.class); got != tc.cise || err != nil {
				t.Errorf("%v → %q, %v; want %q", tc.class, got, err, tc.cise)
			}
			if got, err := classificationShare(tc.cise); got != tc.class || err != nil {
				t.Errorf("%q → %v, %v; want %v", tc.cise, got, err, tc.class)
			}
		})
	}
	for _, tc := range []struct {
		sens Sensitivity
		cise string
	}{
		{SensNonSpecified, "NonSpecified"}, {SensWhite, cise.TLPWhite}, {SensGreen, cise.TLPGreen},
		{SensAmber, cise.TLPAmber}, {SensRed, cise.TLPRed},
	} {
		t.Run(tc.cise, func(t *testing.T) {
			if got, err := sensitivityCISE(tc.sens); got != tc.cise || err != nil {
				t.Errorf("%v → %q, %v; want %q", tc.sens, got, err, tc.cise)
			}
			if got, err := sensitivityShare(tc.cise); got != tc.sens || err != nil {
				t.Errorf("%q → %v, %v; want %v", tc.cise, got, err, tc.sens)
			}
		})
	}
	if _, err := classificationCISE(Classification(9)); err == nil {
		t.Error("classification 9 maps")
	}
	if _, err := classificationShare("Secret"); err == nil {
		t.Error(`"Secret" maps`)
	}
	if _, err := sensitivityShare("TLP:RED"); err == nil {
		t.Error(`"TLP:RED" maps`)
	}
}

// allEntities is an entity of every type the CISE codec writes, with the
// fields CISE has an element for and some it has not.
func allEntities() []Entity {
	at := time.Date(2026, 11, 27, 7, 40, 12, 345000000, time.UTC)
	here := &Point{Lat: 36.05, Lon: -4.2}
	vessel := Entity{Type: "Vessel", ID: "es-v-7", Time: at, Where: here, Origin: "pt", Onward: []string{"ma", "frontex"},
		Fields: map[string]string{"MMSI": "224123456", "IMONumber": "9074729", "CallSign": "EA4321", "Name": "LUNA NEGRA",
			"Length": "11.5", "Nationality": "ES", "ExternalMarkings": "AL-3-12", "INMARSATNumber": "422412345", "IRNumber": "IR1",
			"UVI": "U1", "RegistryNumber": "R-1", "MasterName": "Juan Pérez", "ShipType": "Fishing", "Description": "go-fast"},
		Personal: []string{"MasterName"}}
	person := Entity{Type: "Person", ID: "es-p-1", Fields: map[string]string{"FamilyName": "Pérez", "GivenName": "Juan",
		"Nationality": "ES", "BirthDate": "1980-02-03"}}
	doc := Entity{Type: "VesselDocument", ID: "es-d-1", Time: at, Where: here, Fields: map[string]string{"Title": "crew list", "Version": "2"}}
	risk := Entity{Type: "Risk", ID: "es-r-1", Time: at, Where: here, Fields: map[string]string{"RiskType": "DrugTrafficking", "RiskLevel": "High"}}
	anomaly := Entity{Type: "Anomaly", ID: "pt-an-9", Time: at, Where: here, Origin: "pt", Fields: map[string]string{"Description": "AIS gap 3 h", "AnomalyType": "WithoutAISTransmission"}}
	list := []Entity{
		{Type: "LawInfringementIncident", ID: "es-inc-42", Time: at, Where: here, Section: "ES-SEA-ALB",
			Fields:   map[string]string{"Description": "go-fast heading for the coast at 38 kn", "Severity": "High", "Certainty": "Likely"},
			Involved: []Entity{anomaly, risk, vessel, doc, person}},
		{Type: "Vessel", ID: "v-2", Where: here, Fields: map[string]string{"MMSI": "0224000001", "Length": "9.0"},
			Involved: []Entity{anomaly, doc, person}},
		{Type: "Organization", ID: "o-1", Fields: map[string]string{"LegalName": "Guardia Civil", "AlternativeName": "GC", "Nationality": "ES"}},
		{Type: "FormalOrganization", ID: "o-2", Fields: map[string]string{"LegalName": "Frontex"}, Involved: []Entity{doc}},
		{Type: "Agent", ID: "a-1", Time: at, Where: here, Fields: map[string]string{"ContactInformation": "+34 600"}},
		{Type: "Location", ID: "l-1", Time: at, Where: here, Origin: "pt"},
		{Type: "PortLocation", ID: "l-2", Fields: map[string]string{"LocationName": "Algeciras"}},
		{Type: "Risk", ID: "r-2", Involved: []Entity{vessel, anomaly, doc, person}},
		{Type: "Document", ID: "d-2", Fields: map[string]string{"Subject": "report"}},
		{Type: "OperationalAsset", ID: "oa-1", Time: at, Where: here, Fields: map[string]string{"OperationalAssetType": "PatrolBoat"},
			Involved: []Entity{{Type: "Vessel", ID: "v-3", Fields: map[string]string{"Name": "RIO"}}}},
	}
	for _, k := range []string{"Incident", "IrregularMigrationIncident", "MaritimeSafetyIncident", "PollutionIncident", "CrisisIncident", "Movement"} {
		list = append(list, Entity{Type: k, ID: "x-" + k, Time: at, Where: here,
			Fields: map[string]string{"Severity": "Severe", "ResponseUrgency": "Past"}, Involved: []Entity{vessel}})
	}
	return list
}

// allMessages is a message of every kind and pull type, and an
// acknowledgement with every code share sends.
func allMessages() map[string]Message {
	created := time.Date(2026, 11, 27, 8, 0, 0, 123456789, time.UTC)
	es := Endpoint{Node: "es", ServiceID: "es.pharos.push.provider", Operation: "Push", Role: "Provider", ServiceType: "IncidentService"}
	pt := Endpoint{Node: "pt", ServiceID: "pt.pharos.push.consumer", Operation: "Push", Role: "Consumer"}
	base := func(k Kind) Message {
		return Message{Kind: k, ID: cise.NewID(), CorrelationID: "c-1", Created: created, Priority: PriorityHigh, RequiresAck: true,
			Sender: es, Recipient: pt}
	}
	payload := &Payload{Classification: ClassEURestricted, Sensitivity: SensAmber, Purpose: "BorderMonitoring", Personal: true,
		KeepUntil: created.Add(30 * 24 * time.Hour), Entities: allEntities()}
	ms := map[string]Message{}
	m := base(KindPush)
	m.Payload = payload
	ms["Push"] = m
	alb := Area{Name: "Alboran", Polygon: [][2]float64{{-5.5, 35.8}, {-2, 35.8}, {-2, 36.8}, {-5.5, 36.8}}}
	box := Area{BBox: []float64{-6, 35, -1, 37}}
	for name, q := range map[string]struct {
		pt PullType
		q  *Query
	}{
		"PullRequest by MMSI":            {PullRequest, &Query{MMSI: "224123456", IMO: "9074729"}},
		"PullRequest of types in a box":  {PullRequest, &Query{Types: []string{"Vessel", "Anomaly", "Person", "Object"}, Area: &box, From: created.Add(-time.Hour), To: created}},
		"Subscribe":                      {PullSubscribe, &Query{Types: []string{"Incident"}, Area: &alb}},
		"Subscribe to an abstract type":  {PullSubscribe, &Query{Types: []string{"Event"}, MMSI: "224123456"}},
		"Unsubscribe":                    {PullUnsubscribe, nil},
		"PullRequest of anything at all": {PullRequest, &Query{}},
	} {
		m := base(KindPullRequest)
		m.PullType, m.Query, m.Timeout = q.pt, q.q, 2*time.Second
		ms[name] = m
	}
	m = base(KindPullResponse)
	m.ResultCode, m.ErrorDetail, m.Payload = AckSuccess, "", payload
	ms["PullResponse"] = m
	m = base(KindPullResponse)
	m.ResultCode, m.ErrorDetail = AckUnauthorized, "not in the agreement"
	ms["PullResponse refused"] = m
	for _, ft := range []FeedbackType{FeedbackInfo, FeedbackDelete} {
		m = base(KindFeedback)
		m.FeedbackType, m.Reason = ft, "seen"
		ms["Feedback "+string(ft)] = m
	}
	for _, code := range []AckCode{AckSuccess, AckInvalidRequest, AckBadRequest, AckAuthenticationError, AckUnauthorized,
		AckEntityTypeNotAccepted, AckTimestampError, AckServerError} {
		m = base(KindAck)
		m.AckCode, m.AckDetail = code, "detail"
		ms["Acknowledgement "+string(code)] = m
	}
	return ms
}

// ciseTestCodec is the CISE codec of a node of an RSA PKI.
func ciseTestCodec(t testing.TB, names ...string) (*pki, *CISECodec) {
	t.Helper()
	p := newPKIWith(t, true, names...)
	return p, p.ciseCodec(names[0])
}

func encodeSign(t testing.TB, c Codec, m Message) []byte {
	t.Helper()
	b, err := c.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCISECodecRoundTrip: every message kind, with an entity of every
// type, is encoded, signed, verified and decoded to itself.
func TestCISECodecRoundTrip(t *testing.T) {
	_, c := ciseTestCodec(t, "es")
	for name, m := range allMessages() {
		t.Run(name, func(t *testing.T) {
			s := encodeSign(t, c, m)
			if err := c.Verify(s, "es"); err != nil {
				t.Fatal(err)
			}
			got, err := c.Decode(s)
			if err != nil {
				t.Fatal(err)
			}
			// Sealing in one step is the same to a receiver.
			sealed, err := c.Seal(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Verify(sealed, "es"); err != nil {
				t.Fatalf("sealed: %v", err)
			}
			if unsealed, err := c.Decode(sealed); err != nil || !reflect.DeepEqual(unsealed, got) {
				t.Errorf("sealed decodes to\n%+v, %v\nwant\n%+v", unsealed, err, got)
			}
			if !reflect.DeepEqual(got, m) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, m)
				if got.Payload != nil && m.Payload != nil {
					for i := range min(len(got.Payload.Entities), len(m.Payload.Entities)) {
						if g, w := got.Payload.Entities[i], m.Payload.Entities[i]; !reflect.DeepEqual(g, w) {
							t.Errorf("entity %d\n%+v\nwant\n%+v", i, g, w)
						}
					}
				}
			}
		})
	}
	t.Run("item", func(t *testing.T) {
		m := Message{Kind: KindPush, ID: "m-1", Created: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), Priority: PriorityLow,
			Sender: Endpoint{Node: "es", ServiceID: "es.pharos.push.provider"}, Recipient: Endpoint{Node: "pt", ServiceID: "pt.pharos.push.consumer"}}
		p := readItem(t)
		m.Payload = &p
		got, err := c.Decode(encodeSign(t, c, m))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("decoded\n%+v\nwant\n%+v", got, m)
		}
	})
}

// TestCISECodecTyped: what CISE has an element for is written there, not
// in the Pharos metadata: a CISE system that does not know Pharos reads
// the vessel's identifiers, the incident's kind and severity, where and
// when, and who originated it.
func TestCISECodecTyped(t *testing.T) {
	m := allMessages()["Push"]
	cm, err := ToCISE(m)
	if err != nil {
		t.Fatal(err)
	}
	ev, ok := cm.Payload.Entities[0].(*cise.Event)
	if !ok || ev.Kind != cise.KindLawInfringementIncident || ev.Incident == nil || ev.Incident.Certainty != "Likely" ||
		ev.Incident.Severity != "" || ev.OccurrencePeriod == nil || ev.LocationRel[0].Location.Geometry[0].Latitude != "36.05" {
		t.Fatalf("incident %+v", cm.Payload.Entities[0])
	}
	v := ev.InvolvedObjectRel[0].Object
	if v.MMSI != 224123456 || v.IMONumber != 9074729 || v.CallSign != "EA4321" || v.Name[0] != "LUNA NEGRA" || v.Length != 11.5 ||
		v.Identifier.GeneratedBy.Organization.LegalName != "pt" {
		t.Errorf("vessel %+v", v)
	}
	if len(ev.InvolvedAgentRel) != 1 || ev.InvolvedAgentRel[0].Agent.Nationality[0] != "ES" || len(ev.InvolvedWithRel) != 1 ||
		ev.InvolvedWithRel[0].Event.Kind != cise.KindAnomaly || len(ev.ImpliedRiskRel) != 1 || len(ev.DocumentRel) != 1 {
		t.Errorf("relations %+v", ev.EventCommon)
	}
	// "0224000001" and "9.0" would not read back the same as numbers:
	// they stay in the metadata.
	v2 := cm.Payload.Entities[1].(*cise.Vessel)
	if v2.MMSI != 0 || v2.Length != 0 || !strings.Contains(v2.Metadata[0].Comments, "f%3AMMSI=0224000001") {
		t.Errorf("vessel 2 %+v", v2)
	}
	if q, err := ToCISE(allMessages()["PullRequest by MMSI"]); err != nil || len(q.Selectors) != 2 ||
		q.Payload.Entities[0].(*cise.Vessel).MMSI != 224123456 {
		t.Errorf("query by MMSI %+v, %v", q, err)
	}
	// A query from a CISE system that is not Pharos: its examples.
	foreign := &cise.Payload{Entities: []cise.Entity{&cise.Event{Kind: cise.KindIrregularMigrationIncident,
		EventCommon: cise.EventCommon{InvolvedObjectRel: []cise.EventObject{{Object: &cise.Vessel{MMSI: 224123456}}}}}}}
	if q, err := queryShare(foreign); err != nil || !slices.Equal(q.Types, []string{"IrregularMigrationIncident"}) || q.MMSI != "224123456" {
		t.Errorf("foreign query %+v, %v", q, err)
	}
	if _, err := ToCISE(Message{Kind: KindPush, ID: "x", Created: time.Now(), Priority: PriorityLow,
		Payload: &Payload{Entities: []Entity{{Type: "Aircraft", ID: "a"}}}}); !errors.Is(err, ErrNotCISE) {
		t.Errorf("an aircraft: %v", err)
	}
}

// TestCISECodecRefuses: a message changed after signing, signed by
// another CA's certificate or another node's, said to come from another
// peer, or not signed, does not verify, with ErrAuthentication.
func TestCISECodecRefuses(t *testing.T) {
	p, c := ciseTestCodec(t, "es", "pt")
	m := allMessages()["Push"]
	s := encodeSign(t, c, m)
	if err := c.Verify(s, "es"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(s); i += len(s) / 60 {
		bad := bytes.Clone(s)
		bad[i] ^= 0x01
		if err := c.Verify(bad, "es"); err == nil {
			// What the signature does not cover (the XML declaration)
			// may change and still verify, and must not change what
			// the message says.
			if got, derr := c.Decode(bad); derr != nil || !reflect.DeepEqual(got, m) {
				t.Errorf("changed at byte %d of %d (%q): verifies and reads %+v, %v", i, len(s), s[max(0, i-20):min(len(s), i+20)], got, derr)
			} else {
				t.Logf("changed at byte %d (%q): verifies, in what the signature does not cover; reads the same", i, s[max(0, i-20):min(len(s), i+20)])
			}
		}
	}
	if err := c.Verify(bytes.Replace(s, []byte("LUNA NEGRA"), []byte("LUNA BLANCA"), 1), "es"); !errors.Is(err, ErrAuthentication) {
		t.Errorf("vessel renamed: %v", err)
	}
	if err := c.Verify(s, "pt"); !errors.Is(err, ErrAuthentication) {
		t.Errorf("said to come from pt: %v", err)
	}
	unsigned, _ := c.Encode(m)
	if err := c.Verify(unsigned, "es"); !errors.Is(err, ErrAuthentication) {
		t.Errorf("unsigned: %v", err)
	}
	other := newPKIWith(t, true, "es")
	if err := c.Verify(encodeSign(t, other.ciseCodec("es"), m), "es"); !errors.Is(err, ErrAuthentication) {
		t.Errorf("another CA: %v", err)
	}
	forged := &CISECodec{Signer: "es", Key: p.certs["pt"].PrivateKey.(*rsa.PrivateKey), Chain: []*x509.Certificate{p.certs["pt"].Leaf}}
	if err := c.Verify(encodeSign(t, forged, m), "es"); !errors.Is(err, ErrAuthentication) {
		t.Errorf("signed by pt as es: %v", err)
	} else {
		t.Logf("signed by pt as es: %v", err)
	}
	if _, err := c.Sign(s); err == nil {
		t.Error("signs a signed message again")
	}
	if _, err := NewCISECodec("es", newPKIWith(t, false, "es").certs["es"].PrivateKey, nil, nil, nil); err == nil {
		t.Error("an ECDSA key makes a CISE codec")
	}
}

// stripEntities returns the document with its payload's entities set
// aside: the payload's xs:any ##other wildcard refuses the data model's
// unqualified entities, so message.xsd validates the envelope alone (as
// internal/cise's tests do).
func stripEntities(t *testing.T, doc []byte) []byte {
	t.Helper()
	own := []string{"InformationSecurityLevel", "InformationSensitivity", "IsPersonalData", "Purpose",
		"RetentionPeriod", "EnsureEncryption", "Entities"}
	d := xml.NewDecoder(bytes.NewReader(doc))
	var cuts [][2]int64
	depth, inPayload := 0, false
	for {
		at := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && x.Name.Local == "Payload":
				inPayload = true
			case depth == 3 && inPayload && !slices.Contains(own, x.Name.Local):
				if err := d.Skip(); err != nil {
					t.Fatal(err)
				}
				cuts = append(cuts, [2]int64{at, d.InputOffset()})
				depth--
			}
		case xml.EndElement:
			if depth == 2 {
				inPayload = false
			}
			depth--
		}
	}
	var out []byte
	last := int64(0)
	for _, c := range cuts {
		out = append(out, doc[last:c[0]]...)
		last = c[1]
	}
	return append(out, doc[last:]...)
}

// TestCISECodecValidates: every message the codec writes, signed, is valid
// against message.xsd (its entities set aside), checked by xmllint.
func TestCISECodecValidates(t *testing.T) {
	schema := shareddata.Path("cise", "xsd", "servicemodel", "message.xsd")
	if _, err := os.Stat(schema); err != nil {
		t.Skipf("shared data not present: %v", err)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian package libxml2-utils)")
	}
	_, c := ciseTestCodec(t, "es")
	dir := t.TempDir()
	for name, m := range allMessages() {
		t.Run(name, func(t *testing.T) {
			doc := stripEntities(t, encodeSign(t, c, m))
			f := filepath.Join(dir, "m.xml")
			if err := os.WriteFile(f, doc, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(xmllint, "--noout", "--schema", schema, f).CombinedOutput(); err != nil {
				t.Errorf("%v: %s\n%s", err, out, doc)
			}
		})
	}
}

// TestWithCISECodec runs share's node tests with the CISE codec: the
// three nodes and the third country, and the tampered and forged
// messages. (-share.codec=cise runs them all so.)
func TestWithCISECodec(t *testing.T) {
	if *codecName == "cise" {
		t.Skip("the whole package runs with the CISE codec")
	}
	*codecName = "cise"
	defer func() { *codecName = "json" }()
	t.Run("ThreeNodesAndAThirdCountry", TestThreeNodesAndAThirdCountry)
	t.Run("Tampered", TestTampered)
}

// FuzzCISECodec: whatever comes in, Decode, Verify and Open answer
// without panicking, what verifies decodes, and Open refuses what Verify
// refuses and reads what Decode reads.
func FuzzCISECodec(f *testing.F) {
	_, c := ciseTestCodec(f, "es")
	for _, name := range []string{"Push", "Subscribe", "Acknowledgement Success", "Feedback info"} {
		f.Add(encodeSign(f, c, allMessages()[name]))
	}
	unsigned, _ := c.Encode(allMessages()["PullRequest of types in a box"])
	f.Add(unsigned)
	// The reference's templates, real CISE from elsewhere.
	tmpls, _ := filepath.Glob(shareddata.Path("cise", "messages", "*.xml"))
	for _, n := range tmpls {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<Push xmlns="http://www.cise.eu/servicemodel/v1/message/"/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, derr := c.Decode(b)
		verr := c.Verify(b, "es")
		if verr == nil && derr != nil {
			t.Errorf("verifies but does not decode: %v", derr)
		}
		opened, oerr := c.Open(b, "es")
		switch {
		case verr != nil && !errors.Is(oerr, ErrAuthentication):
			t.Errorf("Verify refuses (%v), Open: %v", verr, oerr)
		case verr == nil && derr == nil && (oerr != nil || !reflect.DeepEqual(opened, m)):
			t.Errorf("Open reads %+v, %v; Decode %+v", opened, oerr, m)
		}
	})
}

// BenchmarkCISECodec: a push of 100 entities (an incident each, with a
// vessel involved, as BenchmarkPush sends), encoded and signed, and
// verified and decoded (in one reading: Open, as a receiver does).
func BenchmarkCISECodec(b *testing.B) {
	_, c := ciseTestCodec(b, "es")
	p := payload(100, 0)
	m := Message{Kind: KindPush, ID: cise.NewID(), Created: time.Now().UTC(), Priority: PriorityLow, Payload: &p,
		Sender: Endpoint{Node: "es", ServiceID: "es.pharos.push.provider"}, Recipient: Endpoint{Node: "pt", ServiceID: "pt.pharos.push.consumer"}}
	signed := encodeSign(b, c, m)
	b.Run("EncodeSign", func(b *testing.B) {
		for b.Loop() {
			encodeSign(b, c, m)
		}
		b.ReportMetric(float64(len(signed)), "bytes/msg")
	})
	b.Run("Seal", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Seal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("VerifyDecode", func(b *testing.B) {
		for b.Loop() {
			if err := c.Verify(signed, "es"); err != nil {
				b.Fatal(err)
			}
			if _, err := c.Decode(signed); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Open(signed, "es"); err != nil {
				b.Fatal(err)
			}
		}
	})
	j := newPKIWith(b, false, "es").jsonCodec("es")
	js := encodeSign(b, j, m)
	b.Run("JSON/EncodeSign", func(b *testing.B) {
		for b.Loop() {
			encodeSign(b, j, m)
		}
		b.ReportMetric(float64(len(js)), "bytes/msg")
	})
	b.Run("JSON/VerifyDecode", func(b *testing.B) {
		for b.Loop() {
			if err := j.Verify(js, "es"); err != nil {
				b.Fatal(err)
			}
			if _, err := j.Decode(js); err != nil {
				b.Fatal(err)
			}
		}
	})
}
