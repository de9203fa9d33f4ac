package picture

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// Errors a change to the picture can fail with; each is wrapped with the
// incident or section it concerns.
var (
	ErrNotFound = errors.New("not found")
	ErrNotOwner = errors.New("only the owner may do this")
	ErrClosed   = errors.New("incident is closed")
	ErrInvalid  = errors.New("invalid")
)

// Picture is a node's situational picture: the detections and incidents
// of the events layer, the records of the operational and analysis layers,
// and the border sections.
type Picture struct {
	// Node names this node; it is the originator and owner of the
	// incidents the picture opens from detections.
	Node string
	// AutoIncident is the least impact at which a detection opens an
	// incident by itself; lower ones wait in the events layer for an
	// operator to open one. Default high: those owe a report in 24 h.
	AutoIncident model.ImpactLevel

	mu        sync.RWMutex
	events    map[string]model.Event // detections by ID, latest version
	incidents map[string]*Incident
	byEvent   map[string]string // detection ID → incident ID
	sections  map[string]*Section
	shapes    map[string][][][][2]float64 // border sections' polygons, by ID
	items     map[itemKey]Item            // the operational and analysis layers
	seq       int
	watchers  map[*watcher]struct{}
}

// New returns an empty picture of the node named node.
func New(node string) *Picture {
	return &Picture{Node: node, AutoIncident: model.ImpactHigh,
		events: map[string]model.Event{}, incidents: map[string]*Incident{},
		byEvent: map[string]string{}, sections: map[string]*Section{}}
}

// Detect puts a detection, new or updated, into the events layer. An
// update of a detection linked to an incident moves the incident to the
// detection's place and raises its impact if the detection's is higher
// (never lowers it: that is a reporter's call). A new detection at
// AutoIncident or above opens an incident of its own. It returns the ID
// of the incident the detection belongs to, or "".
func (p *Picture) Detect(ev model.Event) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events[ev.ID] = ev
	if len(p.watchers) > 0 {
		c := ev
		p.notify(Change{Detection: &c})
	}
	if id, ok := p.byEvent[ev.ID]; ok {
		in := p.incidents[id]
		if in.Status != StatusClosed {
			in.Lat, in.Lon = ev.Lat, ev.Lon
			if ev.Impact > in.Impact {
				in.Impact = ev.Impact
				in.setDue()
			}
			p.incidentChanged(in)
		}
		return id
	}
	if ev.Impact < p.AutoIncident {
		return ""
	}
	in := &Incident{Category: ev.Category, Title: ev.Type, Impact: ev.Impact,
		Confidence: detectionConfidence(ev.Confidence), Originator: p.Node, Owner: p.Node,
		Lat: ev.Lat, Lon: ev.Lon, Detected: ev.Start, Events: []string{ev.ID}}
	p.add(in)
	p.incidentChanged(in)
	return in.ID
}

// Withdraw takes an open detection out of the events layer: the
// behaviour it showed ended too soon to be one. A detection an incident
// already holds stays, for the incident's record. It reports whether the
// detection went.
func (p *Picture) Withdraw(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.events[id]; !ok {
		return false
	}
	if _, linked := p.byEvent[id]; linked {
		return false
	}
	delete(p.events, id)
	p.notify(Change{Withdrawn: id})
	return true
}

// detectionConfidence grades a detection of the node's own sensors: a
// usually reliable source (B), and a credibility from the detector's
// confidence; "confirmed by other sources" (1) is for people to say.
func detectionConfidence(c float64) Confidence {
	cred := 5
	switch {
	case c >= 0.9:
		cred = 2
	case c >= 0.7:
		cred = 3
	case c >= 0.5:
		cred = 4
	}
	return Confidence{Reliability: "B", Credibility: cred}
}

// add gives an incident its ID and first-report deadline and keeps it.
func (p *Picture) add(in *Incident) {
	p.seq++
	in.ID = fmt.Sprintf("INC-%06d", p.seq)
	in.setDue()
	p.incidents[in.ID] = in
	for _, e := range in.Events {
		p.byEvent[e] = in.ID
	}
}

// Restore fills an empty picture with what a store kept: detections,
// incidents (numbering goes on after the highest) and sections.
func (p *Picture) Restore(detections []model.Event, incidents []Incident, sections []Section) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.events)+len(p.incidents)+len(p.sections) > 0 {
		return errors.New("restore: the picture is not empty")
	}
	for _, ev := range detections {
		p.events[ev.ID] = ev
	}
	for _, in := range incidents {
		var n int
		if _, err := fmt.Sscanf(in.ID, "INC-%d", &n); err != nil {
			return fmt.Errorf("restore: incident ID %q: %w", in.ID, err)
		}
		p.seq = max(p.seq, n)
		c := in.clone()
		p.incidents[in.ID] = &c
		for _, e := range in.Events {
			p.byEvent[e] = in.ID
		}
	}
	for _, s := range sections {
		c := s
		c.History = slices.Clone(s.History)
		p.sections[s.ID] = &c
	}
	return nil
}

// Open opens an incident an operator reports: spec needs a category, an
// originator and an owner, and a valid confidence if it has one (none:
// Unjudged). Detected defaults to at. The linked detections must be in
// the events layer and belong to no other incident.
func (p *Picture) Open(spec Incident, at time.Time) (Incident, error) {
	if spec.Category == "" || spec.Originator == "" || spec.Owner == "" {
		return Incident{}, fmt.Errorf("%w incident: category, originator and owner are required", ErrInvalid)
	}
	if spec.Confidence == (Confidence{}) {
		spec.Confidence = Unjudged
	} else if err := spec.Confidence.Check(); err != nil {
		return Incident{}, fmt.Errorf("%w incident: %w", ErrInvalid, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range spec.Events {
		if _, ok := p.events[e]; !ok {
			return Incident{}, fmt.Errorf("detection %s: %w", e, ErrNotFound)
		}
		if id, ok := p.byEvent[e]; ok {
			return Incident{}, fmt.Errorf("%w incident: detection %s belongs to %s", ErrInvalid, e, id)
		}
	}
	in := spec.clone()
	in.Status, in.Closed, in.Due, in.Reports = StatusOpen, time.Time{}, time.Time{}, nil
	if in.Detected.IsZero() {
		in.Detected = at
	}
	p.add(&in)
	p.incidentChanged(&in)
	return in.clone(), nil
}

// Link adds a detection to an open or validated incident.
func (p *Picture) Link(id, event string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	in, err := p.live(id)
	if err != nil {
		return err
	}
	if _, ok := p.events[event]; !ok {
		return fmt.Errorf("detection %s: %w", event, ErrNotFound)
	}
	if other, ok := p.byEvent[event]; ok {
		if other == id {
			return nil
		}
		return fmt.Errorf("%w link: detection %s belongs to %s", ErrInvalid, event, other)
	}
	in.Events = append(in.Events, event)
	p.byEvent[event] = id
	p.incidentChanged(in)
	return nil
}

// Mirror brings an incident another node shared (its Ref) up to what the
// originator says of it now: title, impact, status and place. The owner is
// the originator, so this is how such an incident is validated and closed
// here. It returns the incident as it is now, and false when the picture
// holds no incident of that Ref.
func (p *Picture) Mirror(ref, title string, impact model.ImpactLevel, status Status, lat, lon float64, at time.Time) (Incident, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, in := range p.incidents {
		if in.Ref != ref {
			continue
		}
		if in.Title == title && in.Impact == impact && in.Status == status && in.Lat == lat && in.Lon == lon {
			return in.clone(), true
		}
		in.Title, in.Lat, in.Lon = title, lat, lon
		if impact != in.Impact {
			in.Impact = impact
			in.setDue()
		}
		if status != in.Status {
			in.Status = status
			if status == StatusClosed {
				in.Closed = at
			}
		}
		p.incidentChanged(in)
		return in.clone(), true
	}
	return Incident{}, false
}

// Validate marks an open incident as confirmed. Validating twice is no
// error.
func (p *Picture) Validate(id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	in, err := p.live(id)
	if err != nil {
		return err
	}
	if in.Status != StatusValidated {
		in.Status = StatusValidated
		p.incidentChanged(in)
	}
	return nil
}

// Report adds a report to an incident that is not closed: the first one,
// or a follow-up linked to it. The report's impact and confidence become
// the incident's.
func (p *Picture) Report(id string, r Report) error {
	if r.Author == "" || r.Text == "" || r.Time.IsZero() {
		return fmt.Errorf("%w report: author, text and time are required", ErrInvalid)
	}
	if err := r.Confidence.Check(); err != nil {
		return fmt.Errorf("%w report: %w", ErrInvalid, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	in, err := p.live(id)
	if err != nil {
		return err
	}
	r.FollowUp = len(in.Reports) > 0
	in.Reports = append(in.Reports, r)
	in.Impact, in.Confidence = r.Impact, r.Confidence
	in.setDue()
	p.incidentChanged(in)
	return nil
}

// Close closes an incident; only its owner may.
func (p *Picture) Close(id, by string, at time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	in, err := p.live(id)
	if err != nil {
		return err
	}
	if by != in.Owner {
		return fmt.Errorf("close incident %s (owner %s, asked by %s): %w", id, in.Owner, by, ErrNotOwner)
	}
	in.Status, in.Closed = StatusClosed, at
	p.incidentChanged(in)
	return nil
}

// live finds an incident that is not closed.
func (p *Picture) live(id string) (*Incident, error) {
	in, ok := p.incidents[id]
	if !ok {
		return nil, fmt.Errorf("incident %s: %w", id, ErrNotFound)
	}
	if in.Status == StatusClosed {
		return nil, fmt.Errorf("incident %s: %w", id, ErrClosed)
	}
	return in, nil
}

// Incident returns the incident with the given ID.
func (p *Picture) Incident(id string) (Incident, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	in, ok := p.incidents[id]
	if !ok {
		return Incident{}, false
	}
	return in.clone(), true
}

// Incidents returns the incidents keep accepts (all when keep is nil),
// oldest detection first.
func (p *Picture) Incidents(keep func(*Incident) bool) []Incident {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var list []Incident
	for _, in := range p.incidents {
		if keep == nil || keep(in) {
			list = append(list, in.clone())
		}
	}
	slices.SortFunc(list, func(a, b Incident) int {
		return cmp.Or(a.Detected.Compare(b.Detected), cmp.Compare(a.ID, b.ID))
	})
	return list
}

// Overdue returns the incidents whose first report is late at time at.
func (p *Picture) Overdue(at time.Time) []Incident {
	return p.Incidents(func(in *Incident) bool { return in.Overdue(at) })
}

// Detection returns the latest version of a detection.
func (p *Picture) Detection(id string) (model.Event, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	ev, ok := p.events[id]
	return ev, ok
}

// DetectionList returns the detections keep accepts (all when keep is
// nil), by start and ID.
func (p *Picture) DetectionList(keep func(*model.Event) bool) []model.Event {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var list []model.Event
	for _, ev := range p.events {
		if keep == nil || keep(&ev) {
			list = append(list, ev)
		}
	}
	slices.SortFunc(list, func(a, b model.Event) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	return list
}

// Detections returns the IDs of the detections in the events layer,
// sorted.
func (p *Picture) Detections() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return slices.Sorted(maps.Keys(p.events))
}

// Section is a border section in the picture: its impact level now and
// every change of it.
type Section struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Level   geo.AreaImpact  `json:"level"`
	History []SectionChange `json:"history,omitempty"`
}

// SectionChange is one change of a section's impact level.
type SectionChange struct {
	Time time.Time      `json:"t"`
	By   string         `json:"by"`
	From geo.AreaImpact `json:"from"`
	To   geo.AreaImpact `json:"to"`
	Why  string         `json:"why"`
}

// Reaction is what EUROSUR asks of a centre at each impact level of a
// border section.
func Reaction(l geo.AreaImpact) string {
	switch l {
	case geo.AreaImpactLow:
		return "regular border control"
	case geo.AreaImpactMedium:
		return "regular control; the national coordination centre is informed and monitors"
	case geo.AreaImpactHigh:
		return "reinforced measures; the national coordination centre is informed and can ask for support"
	case geo.AreaImpactCritical:
		return "escalation: the national coordination centre informs the agency, which may deploy support"
	}
	return ""
}

// AddSections puts the border sections among areas into the picture; a
// section without an impact level starts low. A section already present
// keeps its level and history, and takes the area's polygons.
func (p *Picture) AddSections(areas []geo.Area) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range areas {
		if a.Kind != geo.KindBorderSection {
			continue
		}
		if len(a.Polygons) > 0 {
			if p.shapes == nil {
				p.shapes = map[string][][][][2]float64{}
			}
			p.shapes[a.ID] = a.Polygons
		}
		if _, ok := p.sections[a.ID]; ok {
			continue
		}
		p.sections[a.ID] = &Section{ID: a.ID, Name: a.Name, Level: max(a.Impact, geo.AreaImpactLow)}
	}
}

// SetSectionLevel changes a section's impact level, recording who did it,
// when and why (both required). Setting the level it has is no change.
func (p *Picture) SetSectionLevel(id string, to geo.AreaImpact, by, why string, at time.Time) error {
	if to < geo.AreaImpactLow || to > geo.AreaImpactCritical {
		return fmt.Errorf("%w section level %d", ErrInvalid, to)
	}
	if by == "" || why == "" {
		return fmt.Errorf("%w section change: who and why are required", ErrInvalid)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.sections[id]
	if !ok {
		return fmt.Errorf("section %s: %w", id, ErrNotFound)
	}
	if s.Level == to {
		return nil
	}
	s.History = append(s.History, SectionChange{Time: at, By: by, From: s.Level, To: to, Why: why})
	s.Level = to
	c := *s
	c.History = slices.Clone(s.History)
	p.notify(Change{Section: &c})
	return nil
}

// SectionShape returns a border section's polygons as GeoJSON draws them
// (rings of [lon, lat]), or nil when the picture has none: a section
// restored from a store whose area the configuration no longer names.
// The caller must not change them.
func (p *Picture) SectionShape(id string) [][][][2]float64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.shapes[id]
}

// Sections returns the border sections, by ID.
func (p *Picture) Sections() []Section {
	p.mu.RLock()
	defer p.mu.RUnlock()
	list := make([]Section, 0, len(p.sections))
	for _, s := range p.sections {
		c := *s
		c.History = slices.Clone(s.History)
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b Section) int { return cmp.Compare(a.ID, b.ID) })
	return list
}
