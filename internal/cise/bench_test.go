package cise

import (
	"testing"
	"time"

	"pharos/internal/model"
)

// benchPush is a push of one vessel with its location, as a node shares a
// track: the unit of the throughput target of issue 6.
func benchPush() *Message {
	s := model.TrackState{Time: time.Date(2026, 3, 14, 2, 35, 7, 0, time.UTC), TrackID: 42, Lat: 36.01234, Lon: -5.4321,
		SOG: 12.5, COG: 87.2, MMSI: 224123456, Name: "NUEVO SOL", Sensors: []string{"ais"}}
	return &Message{Kind: KindPush, CorrelationID: "c", Created: s.Time, ID: "0b7c2a9e-0a52-4e0e-9a55-3f1b0f7d6a11",
		Priority: PriorityLow, Sender: &Service{ServiceID: "es.ncc.vessel.push.provider", ServiceOperation: "Push"},
		Recipient: &Service{ServiceID: "pt.ncc.vessel.push.consumer", ServiceOperation: "Push"},
		Payload: &Payload{SecurityLevel: SecurityNonClassified, Sensitivity: TLPGreen, Purpose: PurposeBorderMonitoring,
			PersonalData: true, Entities: []Entity{esp.Vessel(s)}}}
}

func BenchmarkEncodePush(b *testing.B) {
	m := benchPush()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePush(b *testing.B) {
	doc, err := Encode(benchPush())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignPush(b *testing.B) {
	m, s := benchPush(), testSigner(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenPush(b *testing.B) {
	doc, err := testSigner(b).Sign(benchPush())
	if err != nil {
		b.Fatal(err)
	}
	v := &Verifier{Roots: testKeys(b).roots}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Open(doc); err != nil {
			b.Fatal(err)
		}
	}
}
