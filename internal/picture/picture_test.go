package picture

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var t0 = time.Date(2026, 3, 14, 2, 30, 0, 0, time.UTC)

func goFast(id string, impact model.ImpactLevel, at time.Time) model.Event {
	return model.Event{ID: id, Type: "go_fast", Category: model.CategoryCrossBorderCrime,
		Start: at, Lat: 36.0, Lon: -5.4, MMSI: []uint32{}, TrackIDs: []uint64{7}, Confidence: 0.92, Impact: impact}
}

func TestDetectOpensIncidentFromImpact(t *testing.T) {
	for _, tc := range []struct {
		impact model.ImpactLevel
		opens  bool
	}{
		{model.ImpactLow, false},
		{model.ImpactMedium, false},
		{model.ImpactHigh, true},
		{model.ImpactVeryHigh, true},
	} {
		t.Run(tc.impact.String(), func(t *testing.T) {
			p := New("ESP-NCC")
			id := p.Detect(goFast("go_fast/1", tc.impact, t0))
			if (id != "") != tc.opens {
				t.Fatalf("Detect at %s opened %q, want an incident: %v", tc.impact, id, tc.opens)
			}
			if !tc.opens {
				if n := len(p.Incidents(nil)); n != 0 {
					t.Errorf("%d incidents, want 0", n)
				}
				return
			}
			in, _ := p.Incident(id)
			if in.Owner != "ESP-NCC" || in.Originator != "ESP-NCC" || in.Status != StatusOpen {
				t.Errorf("incident %+v: want owner and originator ESP-NCC, open", in)
			}
			if want := t0.Add(24 * time.Hour); !in.Due.Equal(want) {
				t.Errorf("due %v, want %v", in.Due, want)
			}
			if in.Confidence != (Confidence{"B", 2}) {
				t.Errorf("confidence %+v, want B2 for a detection of confidence 0.92", in.Confidence)
			}
		})
	}
}

func TestDetectUpdateRaisesNeverLowers(t *testing.T) {
	p := New("ESP-NCC")
	p.AutoIncident = model.ImpactMedium
	ev := goFast("go_fast/1", model.ImpactMedium, t0)
	id := p.Detect(ev)
	in, _ := p.Incident(id)
	if !in.Due.IsZero() {
		t.Fatalf("a medium incident owes no first report, due %v", in.Due)
	}
	ev.Impact, ev.Lat = model.ImpactVeryHigh, 36.1
	if got := p.Detect(ev); got != id {
		t.Fatalf("update went to %q, want %q: one detection, one incident", got, id)
	}
	in, _ = p.Incident(id)
	if in.Impact != model.ImpactVeryHigh || in.Lat != 36.1 || !in.Due.Equal(t0.Add(FirstReportWithin)) {
		t.Errorf("after raise: impact %s lat %v due %v", in.Impact, in.Lat, in.Due)
	}
	ev.Impact = model.ImpactLow
	p.Detect(ev)
	if in, _ = p.Incident(id); in.Impact != model.ImpactVeryHigh {
		t.Errorf("a detection lowered the incident to %s", in.Impact)
	}
	if n := len(p.Incidents(nil)); n != 1 {
		t.Errorf("%d incidents, want 1", n)
	}
}

func TestOverdueBothSidesOf24h(t *testing.T) {
	p := New("ESP-NCC")
	id := p.Detect(goFast("go_fast/1", model.ImpactHigh, t0))
	for _, tc := range []struct {
		after time.Duration
		want  int
	}{
		{23*time.Hour + 59*time.Minute, 0},
		{24 * time.Hour, 0},
		{24*time.Hour + time.Second, 1},
	} {
		if got := len(p.Overdue(t0.Add(tc.after))); got != tc.want {
			t.Errorf("%v after detection: %d overdue, want %d", tc.after, got, tc.want)
		}
	}
	r := Report{Time: t0.Add(25 * time.Hour), Author: "duty officer", Text: "RHIB, 3 people, bales on deck",
		Impact: model.ImpactHigh, Confidence: Confidence{"A", 2}}
	if err := p.Report(id, r); err != nil {
		t.Fatal(err)
	}
	if got := len(p.Overdue(t0.Add(26 * time.Hour))); got != 0 {
		t.Errorf("%d overdue after the first report, want 0", got)
	}
}

func TestLifeCycle(t *testing.T) {
	p := New("ESP-NCC")
	p.Detect(goFast("go_fast/1", model.ImpactLow, t0))
	p.Detect(goFast("go_fast/2", model.ImpactLow, t0))
	in, err := p.Open(Incident{Category: model.CategoryUnauthorisedCrossing, Title: "boat adrift off Tarifa",
		Originator: "operator1", Owner: "ESP-NCC", Events: []string{"go_fast/1"}}, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if in.Confidence != Unjudged || !in.Detected.Equal(t0.Add(time.Minute)) {
		t.Errorf("opened %+v: want unjudged, detected at the time given", in)
	}
	if err := p.Link(in.ID, "go_fast/2"); err != nil {
		t.Fatal(err)
	}
	if err := p.Link(in.ID, "go_fast/2"); err != nil {
		t.Errorf("linking twice: %v", err)
	}
	if err := p.Validate(in.ID); err != nil {
		t.Fatal(err)
	}
	first := Report{Time: t0.Add(time.Hour), Author: "operator1", Text: "first report",
		Impact: model.ImpactHigh, Confidence: Confidence{"B", 2}}
	follow := first
	follow.Text, follow.Impact = "rescued", model.ImpactMedium
	for _, r := range []Report{first, follow} {
		if err := p.Report(in.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(in.ID, "operator1", t0.Add(2*time.Hour)); !errors.Is(err, ErrNotOwner) {
		t.Errorf("close by a non-owner: %v, want ErrNotOwner", err)
	}
	if err := p.Close(in.ID, "ESP-NCC", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ := p.Incident(in.ID)
	if got.Status != StatusClosed || len(got.Reports) != 2 || got.Reports[0].FollowUp || !got.Reports[1].FollowUp ||
		got.Impact != model.ImpactMedium || len(got.Events) != 2 {
		t.Errorf("closed incident %+v", got)
	}
	for name, err := range map[string]error{
		"validate": p.Validate(in.ID),
		"report":   p.Report(in.ID, follow),
		"link":     p.Link(in.ID, "go_fast/1"),
		"close":    p.Close(in.ID, "ESP-NCC", t0),
	} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s on a closed incident: %v, want ErrClosed", name, err)
		}
	}
	// A detection update no longer moves a closed incident.
	ev := goFast("go_fast/1", model.ImpactVeryHigh, t0)
	p.Detect(ev)
	if got, _ = p.Incident(in.ID); got.Impact != model.ImpactMedium {
		t.Errorf("closed incident changed to %s", got.Impact)
	}
}

func TestRejects(t *testing.T) {
	p := New("ESP-NCC")
	p.Detect(goFast("go_fast/1", model.ImpactHigh, t0)) // opens INC-000001
	ok := Incident{Category: model.CategoryOther, Originator: "o", Owner: "o"}
	good := Report{Time: t0, Author: "a", Text: "t", Confidence: Confidence{"C", 3}}
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"open without owner", open(p, Incident{Category: model.CategoryOther, Originator: "o"}), ErrInvalid},
		{"open with bad reliability", open(p, with(ok, func(in *Incident) { in.Confidence = Confidence{"G", 2} })), ErrInvalid},
		{"open with bad credibility", open(p, with(ok, func(in *Incident) { in.Confidence = Confidence{"A", 0} })), ErrInvalid},
		{"open on unknown detection", open(p, with(ok, func(in *Incident) { in.Events = []string{"nope"} })), ErrNotFound},
		{"open on taken detection", open(p, with(ok, func(in *Incident) { in.Events = []string{"go_fast/1"} })), ErrInvalid},
		{"link to unknown incident", p.Link("INC-999999", "go_fast/1"), ErrNotFound},
		{"link unknown detection", p.Link("INC-000001", "nope"), ErrNotFound},
		{"report without text", p.Report("INC-000001", Report{Time: t0, Author: "a", Confidence: Confidence{"A", 1}}), ErrInvalid},
		{"report without confidence", p.Report("INC-000001", Report{Time: t0, Author: "a", Text: "t"}), ErrInvalid},
		{"report to unknown incident", p.Report("INC-999999", good), ErrNotFound},
		{"validate unknown", p.Validate("INC-999999"), ErrNotFound},
		{"close unknown", p.Close("INC-999999", "o", t0), ErrNotFound},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	if n := len(p.Incidents(nil)); n != 1 {
		t.Errorf("%d incidents after rejects, want 1", n)
	}
}

func open(p *Picture, in Incident) error {
	_, err := p.Open(in, t0)
	return err
}

func with(in Incident, change func(*Incident)) Incident {
	change(&in)
	return in
}

func TestIncidentsAreCopies(t *testing.T) {
	p := New("ESP-NCC")
	id := p.Detect(goFast("go_fast/1", model.ImpactHigh, t0))
	in, _ := p.Incident(id)
	in.Events[0] = "changed"
	if again, _ := p.Incident(id); again.Events[0] != "go_fast/1" {
		t.Errorf("a caller changed the picture through a returned incident")
	}
}

func TestSections(t *testing.T) {
	p := New("ESP-NCC")
	p.AddSections([]geo.Area{
		{ID: "ES-SEA-1", Name: "Strait of Gibraltar", Kind: geo.KindBorderSection, Impact: geo.AreaImpactHigh},
		{ID: "ES-SEA-2", Name: "Alboran", Kind: geo.KindBorderSection},
		{ID: "TW-ESP", Kind: geo.KindTerritorialWaters},
	})
	if err := p.SetSectionLevel("ES-SEA-2", geo.AreaImpactCritical, "NCC chief", "mass departures from Nador", t0); err != nil {
		t.Fatal(err)
	}
	if err := p.SetSectionLevel("ES-SEA-2", geo.AreaImpactCritical, "NCC chief", "again", t0); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"unknown section": p.SetSectionLevel("TW-ESP", geo.AreaImpactLow, "a", "b", t0),
		"no reason":       p.SetSectionLevel("ES-SEA-1", geo.AreaImpactLow, "a", "", t0),
		"no author":       p.SetSectionLevel("ES-SEA-1", geo.AreaImpactLow, "", "b", t0),
		"level none":      p.SetSectionLevel("ES-SEA-1", geo.AreaImpactNone, "a", "b", t0),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	p.AddSections([]geo.Area{{ID: "ES-SEA-2", Kind: geo.KindBorderSection}}) // reloading keeps history
	got := p.Sections()
	if len(got) != 2 || got[0].Level != geo.AreaImpactHigh || got[1].Level != geo.AreaImpactCritical {
		t.Fatalf("sections %+v", got)
	}
	want := SectionChange{Time: t0, By: "NCC chief", From: geo.AreaImpactLow, To: geo.AreaImpactCritical, Why: "mass departures from Nador"}
	if len(got[1].History) != 1 || got[1].History[0] != want {
		t.Errorf("history %+v, want [%+v]", got[1].History, want)
	}
	for l := geo.AreaImpactLow; l <= geo.AreaImpactCritical; l++ {
		if Reaction(l) == "" {
			t.Errorf("no reaction for %s", l)
		}
	}
}

// TestIncidentJSON pins the incident's JSON, which the API will serve.
func TestIncidentJSON(t *testing.T) {
	p := New("ESP-NCC")
	id := p.Detect(goFast("go_fast/1", model.ImpactHigh, t0))
	if err := p.Report(id, Report{Time: t0.Add(time.Hour), Author: "duty officer", Text: "RHIB intercepted",
		Impact: model.ImpactVeryHigh, Confidence: Confidence{"A", 1}}); err != nil {
		t.Fatal(err)
	}
	in, _ := p.Incident(id)
	got, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "incident.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("incident JSON:\n%s\nwant:\n%s", got, want)
	}
	var back Incident
	if err := json.Unmarshal(got, &back); err != nil || back.Status != in.Status || back.Impact != in.Impact {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	p := New("ESP-NCC")
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				ev := goFast("go_fast/"+string(rune('a'+w)), model.ImpactHigh, t0.Add(time.Duration(i)*time.Second))
				p.Detect(ev)
				p.Incidents(nil)
				p.Overdue(t0)
			}
		})
	}
	wg.Wait()
	if n := len(p.Incidents(nil)); n != 4 {
		t.Errorf("%d incidents from 4 detections, want 4", n)
	}
}

func TestRestore(t *testing.T) {
	p := New("ESP-NCC")
	p.Detect(goFast("go_fast/1", model.ImpactHigh, t0))
	p.Detect(goFast("go_fast/2", model.ImpactLow, t0))
	p.AddSections([]geo.Area{{ID: "ES-SEA-1", Kind: geo.KindBorderSection}})
	p.SetSectionLevel("ES-SEA-1", geo.AreaImpactHigh, "chief", "runs at night", t0)
	var dets []model.Event
	for _, id := range p.Detections() {
		ev, _ := p.Detection(id)
		dets = append(dets, ev)
	}
	q := New("ESP-NCC")
	if err := q.Restore(dets, p.Incidents(nil), p.Sections()); err != nil {
		t.Fatal(err)
	}
	if err := q.Restore(nil, nil, nil); err == nil {
		t.Error("restored into a picture that is not empty")
	}
	// Numbering goes on; the restored links still hold.
	in, err := q.Open(Incident{Category: model.CategoryOther, Originator: "o", Owner: "o", Events: []string{"go_fast/2"}}, t0)
	if err != nil || in.ID != "INC-000002" {
		t.Errorf("opened %q, %v; want INC-000002", in.ID, err)
	}
	if _, err := q.Open(Incident{Category: model.CategoryOther, Originator: "o", Owner: "o", Events: []string{"go_fast/1"}}, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("opened on a detection a restored incident holds: %v", err)
	}
	if got := q.Sections(); len(got) != 1 || len(got[0].History) != 1 {
		t.Errorf("sections %+v", got)
	}
	if err := New("x").Restore(nil, []Incident{{ID: "bad"}}, nil); err == nil {
		t.Error("restored an incident with a foreign ID")
	}
}

func TestWatch(t *testing.T) {
	p := New("ESP-NCC")
	p.AddSections([]geo.Area{{ID: "ES-SEA-1", Kind: geo.KindBorderSection}})
	changes, stop := p.Watch(4)
	slow, stopSlow := p.Watch(1)
	defer stopSlow()
	id := p.Detect(goFast("go_fast/1", model.ImpactHigh, t0))
	if c := <-changes; c.Detection == nil || c.Detection.ID != "go_fast/1" {
		t.Errorf("first change %+v, want detection go_fast/1", c)
	}
	if c := <-changes; c.Incident == nil || c.Incident.ID != id || c.Incident.Status != StatusOpen {
		t.Errorf("second change %+v, want incident %s opened", c, id)
	}
	p.Detect(goFast("go_fast/2", model.ImpactLow, t0)) // no incident: the detection alone
	if c := <-changes; c.Detection == nil || c.Detection.ID != "go_fast/2" {
		t.Errorf("change %+v, want detection go_fast/2", c)
	}
	p.Validate(id)
	if c := <-changes; c.Incident == nil || c.Incident.Status != StatusValidated {
		t.Errorf("second change %+v, want validated", c)
	}
	p.SetSectionLevel("ES-SEA-1", geo.AreaImpactHigh, "chief", "why", t0)
	if c := <-changes; c.Section == nil || c.Section.Level != geo.AreaImpactHigh || len(c.Section.History) != 1 {
		t.Errorf("third change %+v, want the section raised", c)
	}
	// The slow watcher held the first change and missed the next four.
	<-slow
	p.Close(id, "ESP-NCC", t0)
	if c := <-slow; c.Dropped != 4 || c.Incident.Status != StatusClosed {
		t.Errorf("slow watcher got %+v, want the close with 4 dropped", c)
	}
	if c := <-changes; c.Incident == nil || c.Incident.Status != StatusClosed || c.Dropped != 0 {
		t.Errorf("fourth change %+v, want closed", c)
	}
	stop()
	if _, ok := <-changes; ok {
		t.Error("the channel is open after stop")
	}
	stop() // twice is harmless
	p.Detect(goFast("go_fast/3", model.ImpactHigh, t0))
}

func TestWithdraw(t *testing.T) {
	p := New("ESP-NCC")
	changes, stop := p.Watch(8)
	defer stop()
	p.Detect(goFast("go_fast/1", model.ImpactLow, t0))
	id := p.Detect(goFast("go_fast/2", model.ImpactHigh, t0))
	if !p.Withdraw("go_fast/1") {
		t.Error("an open detection of no incident was not withdrawn")
	}
	if p.Withdraw("go_fast/2") {
		t.Errorf("withdrew a detection incident %s holds", id)
	}
	if p.Withdraw("go_fast/9") {
		t.Error("withdrew a detection the picture never had")
	}
	if got := p.Detections(); !slices.Equal(got, []string{"go_fast/2"}) {
		t.Errorf("detections %v after withdrawing go_fast/1", got)
	}
	var withdrawn []string
	for len(changes) > 0 {
		if c := <-changes; c.Withdrawn != "" {
			withdrawn = append(withdrawn, c.Withdrawn)
		}
	}
	if !slices.Equal(withdrawn, []string{"go_fast/1"}) {
		t.Errorf("withdrawn changes %v", withdrawn)
	}
}

func TestSectionShape(t *testing.T) {
	p := New("ESP-NCC")
	square := [][][][2]float64{{{{-6, 35.8}, {-5.2, 35.8}, {-5.2, 36.2}, {-6, 36.2}}}}
	p.AddSections([]geo.Area{
		{ID: "ES-SEA-1", Kind: geo.KindBorderSection, Polygons: square},
		{ID: "TW-ESP", Kind: geo.KindTerritorialWaters, Polygons: square},
	})
	if got := p.SectionShape("ES-SEA-1"); len(got) != 1 || got[0][0][1] != [2]float64{-5.2, 35.8} {
		t.Errorf("shape of ES-SEA-1: %v", got)
	}
	if got := p.SectionShape("TW-ESP"); got != nil {
		t.Errorf("territorial waters are no section, yet have a shape: %v", got)
	}
	// A section restored from a store gets its shape when the
	// configuration names its area again.
	q := New("ESP-NCC")
	if err := q.Restore(nil, nil, p.Sections()); err != nil {
		t.Fatal(err)
	}
	if q.SectionShape("ES-SEA-1") != nil {
		t.Error("a restored section has a shape before its area is added")
	}
	q.AddSections([]geo.Area{{ID: "ES-SEA-1", Kind: geo.KindBorderSection, Polygons: square}})
	if q.SectionShape("ES-SEA-1") == nil {
		t.Error("a restored section took no shape from its area")
	}
}

func TestMirror(t *testing.T) {
	p := New("PRT-NCC")
	in, err := p.Open(Incident{Category: model.CategoryCrossBorderCrime, Title: "go-fast", Impact: model.ImpactMedium,
		Originator: "ESP-NCC", Owner: "ESP-NCC", Ref: "ESP-NCC/incident/INC-000007"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Mirror("ESP-NCC/incident/INC-000009", "x", model.ImpactLow, StatusOpen, 0, 0, t0); ok {
		t.Error("mirrored an incident the picture does not hold")
	}
	got, ok := p.Mirror(in.Ref, "go-fast landed at Barbate", model.ImpactHigh, StatusClosed, 36.18, -5.93, t0.Add(time.Hour))
	if !ok || got.Status != StatusClosed || !got.Closed.Equal(t0.Add(time.Hour)) || got.Impact != model.ImpactHigh ||
		got.Due.IsZero() || got.Title != "go-fast landed at Barbate" || got.Owner != "ESP-NCC" {
		t.Errorf("mirrored %+v", got)
	}
	if err := p.Close(got.ID, "PRT-NCC", t0); err == nil {
		t.Error("the receiving node closed an incident it does not own")
	}
}

// TestWatchOnly: a watcher of incidents is not made to drop one by a
// flood of track changes.
func TestWatchOnly(t *testing.T) {
	p := New("ESP-NCC")
	incidents, stop := p.WatchOnly(1, func(c *Change) bool { return c.Incident != nil })
	defer stop()
	for i := range 100 {
		p.TrackChanged(model.TrackState{TrackID: uint64(i), Time: t0})
	}
	p.Detect(goFast("go_fast/1", model.ImpactHigh, t0))
	if c := <-incidents; c.Incident == nil || c.Dropped != 0 {
		t.Errorf("change %+v, want the incident, none dropped", c)
	}
}
