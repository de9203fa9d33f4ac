package share

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// PeerKind is what a peer is, which decides some of the rules: a third
// country receives nothing another node originated without that node's
// consent.
type PeerKind string

// Kinds of peer.
const (
	MemberState  PeerKind = "member_state"  // a national coordination centre of an EU member state
	EUAgency     PeerKind = "eu_agency"     // Frontex, EMSA, EFCA, MAOC-N…
	ThirdCountry PeerKind = "third_country" // a neighbour outside the EU, under a narrow agreement
)

// phrase names the kind in a sentence: "an EU agency".
func (k PeerKind) phrase() string {
	switch k {
	case MemberState:
		return "a member state"
	case EUAgency:
		return "an EU agency"
	case ThirdCountry:
		return "a third country"
	}
	return string(k)
}

// Agreement is what this node has agreed to share with one peer, as data
// (node.yaml's sharing: section, or the API). Nothing leaves that it does
// not allow; empty lists of entities or purposes allow nothing, empty
// lists of areas and sections allow anywhere.
type Agreement struct {
	Peer string   `yaml:"peer" json:"peer"`
	Kind PeerKind `yaml:"kind" json:"kind"`
	// Entities are the CISE entity types the peer may receive; a type
	// covers its subtypes: Incident covers IrregularMigrationIncident.
	Entities []string `yaml:"entities" json:"entities"`
	// Areas and Sections (border section IDs) bound where the entities
	// are: one inside any area or on any section goes.
	Areas    []Area   `yaml:"areas,omitempty" json:"areas,omitempty"`
	Sections []string `yaml:"sections,omitempty" json:"sections,omitempty"`
	// The highest classification and Traffic Light Protocol level the
	// peer may receive.
	MaxClassification Classification `yaml:"max_classification" json:"max_classification"`
	MaxSensitivity    Sensitivity    `yaml:"max_sensitivity" json:"max_sensitivity"`
	Purposes          []Purpose      `yaml:"purposes" json:"purposes"`
	// Personal names the personal data the peer may receive beyond the
	// vessel identifiers (MMSI, IMONumber, CallSign, Name), as a field
	// ("FamilyName") or an entity type and a field ("Person.Nationality").
	// NoIdentifiers withholds the vessel identifiers too.
	Personal      []string `yaml:"personal,omitempty" json:"personal,omitempty"`
	NoIdentifiers bool     `yaml:"no_identifiers,omitempty" json:"no_identifiers,omitempty"`
	// Retention is how long the peer may keep what it receives; the
	// payload carries the end of it, which the receiver enforces.
	Retention time.Duration `yaml:"retention,omitempty" json:"retention,omitempty"`
}

// Policy is a node's sharing agreements, one per peer.
type Policy struct {
	Agreements []Agreement `yaml:"agreements" json:"agreements"`
}

// Agreement returns the agreement with a peer.
func (p Policy) Agreement(peer string) (Agreement, bool) {
	for _, a := range p.Agreements {
		if a.Peer == peer {
			return a, true
		}
	}
	return Agreement{}, false
}

// Check says what is wrong with the policy, every problem at once.
func (p Policy) Check() error {
	return p.check(nil)
}

// check is Check, naming for each agreement the line lines gives (when
// not nil).
func (p Policy) check(lines []int) error {
	var errs []string
	seen := map[string]bool{}
	for i, a := range p.Agreements {
		at := fmt.Sprintf("agreement %d (%s)", i+1, a.Peer)
		if i < len(lines) {
			at = fmt.Sprintf("line %d: %s", lines[i], at)
		}
		for _, e := range a.problems() {
			errs = append(errs, at+": "+e)
		}
		if seen[a.Peer] {
			errs = append(errs, at+": a second agreement with the same peer")
		}
		seen[a.Peer] = true
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrPolicy, strings.Join(errs, "; "))
	}
	return nil
}

func (a Agreement) problems() []string {
	var errs []string
	if !validName(a.Peer) {
		errs = append(errs, fmt.Sprintf("peer name %q must be 1 to 32 letters, digits, - or _", a.Peer))
	}
	switch a.Kind {
	case MemberState, EUAgency, ThirdCountry:
	default:
		errs = append(errs, fmt.Sprintf("kind %q, want member_state, eu_agency or third_country", a.Kind))
	}
	if a.MaxClassification == ClassNonSpecified {
		errs = append(errs, "no max_classification")
	}
	if a.MaxSensitivity == SensNonSpecified {
		errs = append(errs, "no max_sensitivity")
	}
	if len(a.Entities) == 0 {
		errs = append(errs, "no entities: the peer would receive nothing")
	}
	for _, pu := range a.Purposes {
		if err := pu.Check(); err != nil {
			errs = append(errs, err.Error())
		}
	}
	for j, ar := range a.Areas {
		if err := ar.check(); err != nil {
			errs = append(errs, fmt.Sprintf("area %d: %v", j+1, err))
		}
	}
	if a.Retention < 0 {
		errs = append(errs, "negative retention")
	}
	return errs
}

// ParsePolicy reads sharing agreements from YAML: a file of its own with
// agreements: at the top, or node.yaml with them in its sharing: section
// (ParseSettings reads the rest of it). Errors name the line.
func ParsePolicy(b []byte) (Policy, error) {
	s, err := ParseSettings(b)
	return s.Policy, err
}

// Area is a region of an agreement or a query: a bounding box or a
// polygon, in degrees. A polygon's ring is [lon, lat] pairs as GeoJSON
// writes them, closed or not; it must not cross the antimeridian (split it
// in two areas).
type Area struct {
	Name    string       `yaml:"name,omitempty" json:"name,omitempty"`
	BBox    []float64    `yaml:"bbox,omitempty" json:"bbox,omitempty"` // west, south, east, north
	Polygon [][2]float64 `yaml:"polygon,omitempty" json:"polygon,omitempty"`
}

func (a Area) check() error {
	switch {
	case len(a.BBox) == 0 && len(a.Polygon) == 0:
		return fmt.Errorf("neither bbox nor polygon")
	case len(a.BBox) != 0 && len(a.BBox) != 4:
		return fmt.Errorf("bbox has %d numbers, want west, south, east, north", len(a.BBox))
	case len(a.BBox) == 4 && (a.BBox[0] > a.BBox[2] || a.BBox[1] > a.BBox[3]):
		return fmt.Errorf("bbox %v: west after east or south after north", a.BBox)
	case len(a.Polygon) != 0 && len(a.Polygon) < 3:
		return fmt.Errorf("polygon with %d points, want 3 or more", len(a.Polygon))
	}
	return nil
}

func (a Area) label() string {
	if a.Name != "" {
		return a.Name
	}
	if len(a.BBox) == 4 {
		return fmt.Sprintf("box %g,%g–%g,%g", a.BBox[0], a.BBox[1], a.BBox[2], a.BBox[3])
	}
	return fmt.Sprintf("polygon of %d points", len(a.Polygon))
}

// contains says whether a point is inside the area: inside its box, and
// inside its polygon by the even-odd rule.
func (a Area) contains(p Point) bool {
	if len(a.BBox) == 4 && (p.Lon < a.BBox[0] || p.Lon > a.BBox[2] || p.Lat < a.BBox[1] || p.Lat > a.BBox[3]) {
		return false
	}
	if len(a.Polygon) < 3 {
		return len(a.BBox) == 4
	}
	in := false
	r := a.Polygon
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		xi, yi, xj, yj := r[i][0], r[i][1], r[j][0], r[j][1]
		if (yi > p.Lat) != (yj > p.Lat) && p.Lon < (xj-xi)*(p.Lat-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// Verdict is one rule's say on what a peer receives.
type Verdict struct {
	Rule   string `json:"rule"`             // classification, sensitivity, purpose, entity type, area, onward, personal data, retention
	Entity string `json:"entity,omitempty"` // the entity it is about; empty for the whole payload
	Allow  bool   `json:"allow"`
	Why    string `json:"why"`
}

// Decision is what a peer would receive of a payload and why.
type Decision struct {
	Peer     string    `json:"peer"`
	Send     bool      `json:"send"`              // something goes
	Payload  *Payload  `json:"payload,omitempty"` // what goes, minimised; nil when nothing does
	Verdicts []Verdict `json:"verdicts"`
	Withheld int       `json:"withheld"` // entities (at any depth) left out
}

// String writes the decision for people, one verdict a line.
func (d Decision) String() string {
	var b strings.Builder
	if d.Send {
		fmt.Fprintf(&b, "%s receives %d entities", d.Peer, len(d.Payload.Entities))
		if d.Withheld > 0 {
			fmt.Fprintf(&b, " (%d withheld)", d.Withheld)
		}
		b.WriteString(":\n")
	} else {
		fmt.Fprintf(&b, "%s receives nothing:\n", d.Peer)
	}
	for _, v := range d.Verdicts {
		mark := "ok  "
		if !v.Allow {
			mark = "NO  "
		}
		b.WriteString(mark)
		if v.Entity != "" {
			b.WriteString(v.Entity + ": ")
		}
		fmt.Fprintf(&b, "%s: %s\n", v.Rule, v.Why)
	}
	return b.String()
}

// Explain says what a peer would receive of a payload this node (self)
// sends at now, and why. Without an agreement the peer receives nothing.
func (p Policy) Explain(pl Payload, peer, self string, now time.Time) Decision {
	a, ok := p.Agreement(peer)
	if !ok {
		return Decision{Peer: peer, Verdicts: []Verdict{{Rule: "agreement", Why: "no sharing agreement with " + peer}}}
	}
	return a.Decide(pl, self, now)
}

// Decide applies the agreement to a payload this node (self) sends at now:
// the payload's classification, sensitivity and purpose first, then each
// entity's type, place, origin and personal data, then the retention. The
// payload is not changed; the decision holds a minimised copy.
func (a Agreement) Decide(pl Payload, self string, now time.Time) Decision {
	return a.decide(pl, self, now, false)
}

// decide is Decide; quiet leaves out the verdicts that allow, which only
// explanations need (pushes keep the ones that say no, for the audit log).
func (a Agreement) decide(pl Payload, self string, now time.Time, quiet bool) Decision {
	d := Decision{Peer: a.Peer}
	ok := true
	say := func(v Verdict) {
		d.Verdicts = append(d.Verdicts, v)
		ok = ok && v.Allow
	}
	switch c := pl.Classification; {
	case c == ClassNonSpecified:
		say(Verdict{Rule: "classification", Why: "the payload's classification is not specified"})
	case c > a.MaxClassification:
		say(Verdict{Rule: "classification", Why: fmt.Sprintf("%s is above the agreement's highest level, %s", c, a.MaxClassification)})
	default:
		if !quiet {
			say(Verdict{Rule: "classification", Allow: true, Why: fmt.Sprintf("%s is within the agreement's highest level, %s", c, a.MaxClassification)})
		}
	}
	switch s := pl.Sensitivity; {
	case s == SensNonSpecified:
		say(Verdict{Rule: "sensitivity", Why: "the payload's sensitivity (TLP) is not specified"})
	case s > a.MaxSensitivity:
		say(Verdict{Rule: "sensitivity", Why: fmt.Sprintf("TLP %s is above the agreement's highest, %s", s, a.MaxSensitivity)})
	default:
		if !quiet {
			say(Verdict{Rule: "sensitivity", Allow: true, Why: fmt.Sprintf("TLP %s is within the agreement's highest, %s", s, a.MaxSensitivity)})
		}
	}
	if slices.Contains(a.Purposes, pl.Purpose) {
		if !quiet {
			say(Verdict{Rule: "purpose", Allow: true, Why: fmt.Sprintf("%s is an agreed purpose", pl.Purpose)})
		}
	} else {
		say(Verdict{Rule: "purpose", Why: fmt.Sprintf("%q is not among the agreed purposes (%s)", pl.Purpose, joinPurposes(a.Purposes))})
	}
	if !ok {
		d.Withheld = countEntities(pl.Entities)
		return d
	}

	out := pl
	out.Entities = nil
	for _, e := range pl.Entities {
		if m, kept := a.entity(e, self, true, "", &d, quiet); kept {
			out.Entities = append(out.Entities, m)
		}
	}
	if len(out.Entities) == 0 {
		return d
	}
	out.Personal = slices.ContainsFunc(out.Entities, hasPersonal)
	if a.Retention > 0 {
		until := now.Add(a.Retention).UTC().Truncate(time.Second)
		if out.KeepUntil.IsZero() || until.Before(out.KeepUntil) {
			out.KeepUntil = until
		}
	}
	switch {
	case quiet:
	case a.Retention > 0:
		d.Verdicts = append(d.Verdicts, Verdict{Rule: "retention", Allow: true,
			Why: fmt.Sprintf("the peer must delete it by %s (the agreement's %s, or the payload's own end if sooner)", out.KeepUntil.Format(time.RFC3339), shortDuration(a.Retention))})
	case !out.KeepUntil.IsZero():
		d.Verdicts = append(d.Verdicts, Verdict{Rule: "retention", Allow: true,
			Why: fmt.Sprintf("the peer must delete it by %s, the payload's own retention", out.KeepUntil.Format(time.RFC3339))})
	}
	d.Send, d.Payload = true, &out
	return d
}

// entity decides one entity and, below it, the entities it involves; top
// says whether the areas apply (they bound where things are, and an
// incident's vessels are where the incident is). It returns the minimised
// copy and whether the entity goes.
func (a Agreement) entity(e Entity, self string, top bool, origin string, d *Decision, quiet bool) (Entity, bool) {
	name := e.Type
	if e.ID != "" {
		name += " " + e.ID
	}
	no := func(rule, why string) (Entity, bool) {
		d.Verdicts = append(d.Verdicts, Verdict{Rule: rule, Entity: name, Why: why})
		d.Withheld += 1 + countEntities(e.Involved)
		return Entity{}, false
	}
	yes := func(rule, format string, args ...any) {
		if !quiet {
			d.Verdicts = append(d.Verdicts, Verdict{Rule: rule, Entity: name, Allow: true, Why: fmt.Sprintf(format, args...)})
		}
	}

	if by, ok := coveredBy(e.Type, a.Entities); ok {
		yes("entity type", "covered by %s", by)
	} else {
		return no("entity type", fmt.Sprintf("not among the agreed entity types (%s)", strings.Join(a.Entities, ", ")))
	}

	if top && (len(a.Areas) > 0 || len(a.Sections) > 0) {
		where, ok := a.place(e, quiet)
		if !ok {
			return no("area", where)
		}
		yes("area", "%s", where)
	}

	if e.Origin != "" {
		origin = e.Origin
	}
	switch {
	case origin == "" || origin == self:
		if top {
			yes("onward", "this node's own information")
		}
	case a.Kind != ThirdCountry:
		yes("onward", "originated by %s; passing it on to %s needs no consent", origin, a.Kind.phrase())
	case slices.Contains(e.Onward, a.Peer) || slices.Contains(e.Onward, "*"):
		yes("onward", "originated by %s, which consented to its going on to %s", origin, a.Peer)
	default:
		return no("onward", fmt.Sprintf("originated by %s, which has not consented to its going on to a third country", origin))
	}

	m := e
	m.Fields, m.Personal, m.Involved = nil, nil, nil
	var kept, removed []string
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		switch {
		case !isPersonal(e, k):
			if m.Fields == nil {
				m.Fields = map[string]string{}
			}
			m.Fields[k] = e.Fields[k]
		case a.allowsPersonal(e.Type, k):
			if m.Fields == nil {
				m.Fields = map[string]string{}
			}
			m.Fields[k] = e.Fields[k]
			m.Personal = append(m.Personal, k)
			if !quiet {
				kept = append(kept, k)
			}
		default:
			if !quiet {
				removed = append(removed, k)
			}
		}
	}
	if !quiet && len(kept)+len(removed) > 0 {
		why := ""
		if len(kept) > 0 {
			why = "kept " + strings.Join(kept, ", ") + " (vessel identifiers or named by the agreement)"
		}
		if len(removed) > 0 {
			if why != "" {
				why += "; "
			}
			why += "removed " + strings.Join(removed, ", ") + " (personal data the agreement does not name)"
		}
		yes("personal data", "%s", why)
	}
	for _, in := range e.Involved {
		if c, ok := a.entity(in, self, false, origin, d, quiet); ok {
			m.Involved = append(m.Involved, c)
		}
	}
	return m, true
}

// place says where an entity is with respect to the agreement's areas and
// sections, and whether that is inside.
func (a Agreement) place(e Entity, quiet bool) (string, bool) {
	if e.Section != "" && slices.Contains(a.Sections, e.Section) {
		if quiet {
			return "", true
		}
		return fmt.Sprintf("on border section %s", e.Section), true
	}
	if e.Where != nil {
		for _, ar := range a.Areas {
			if ar.contains(*e.Where) {
				if quiet {
					return "", true
				}
				return fmt.Sprintf("at %.4f, %.4f, inside %s", e.Where.Lat, e.Where.Lon, ar.label()), true
			}
		}
	}
	var names []string
	for _, ar := range a.Areas {
		names = append(names, ar.label())
	}
	names = append(names, a.Sections...)
	if e.Where == nil && e.Section == "" {
		return fmt.Sprintf("has no position to check against the agreed areas (%s)", strings.Join(names, ", ")), false
	}
	return fmt.Sprintf("outside the agreed areas and sections (%s)", strings.Join(names, ", ")), false
}

// allowsPersonal says whether the peer may receive a personal field of an
// entity of a type.
func (a Agreement) allowsPersonal(typ, field string) bool {
	if slices.Contains(a.Personal, field) || slices.Contains(a.Personal, typ+"."+field) {
		return true
	}
	return !a.NoIdentifiers && vesselIdentifier(typ, field)
}

// vesselIdentifier says whether a field of an entity of a type is one of
// the vessel identifiers: a vessel's name, or its MMSI, IMO number or call
// sign on any entity (an anomaly may name the MMSI it is about).
func vesselIdentifier(typ, field string) bool {
	return vesselIdentifiers[field] && (field != "Name" || isA(typ, "Vessel"))
}

// vesselIdentifiers are the personal data a peer receives unless its
// agreement says otherwise: what identifies a vessel, and through it its
// master and owner.
var vesselIdentifiers = map[string]bool{"MMSI": true, "IMONumber": true, "CallSign": true, "Name": true}

// personalFields are the CISE fields that identify or describe a person,
// or a vessel in ways beyond its identifiers, on any entity.
var personalFields = map[string]bool{
	// Person
	"FullName": true, "GivenName": true, "FamilyName": true, "BirthName": true, "PatronymicName": true,
	"AlternativeName": true, "BirthDate": true, "BirthPlace": true, "DateOfDeath": true, "Gender": true,
	"Nationality": true, "PersonIdentifiers": true,
	// contact
	"Telephone": true, "Email": true, "Address": true, "ContactInformation": true,
	// vessel registration and communication numbers, and the people aboard
	"INMARSATNumber": true, "IRNumber": true, "UVI": true, "RegistryNumber": true, "ExternalMarkings": true,
	"MasterName": true, "OwnerName": true, "Crew": true, "Passengers": true,
}

// isPersonal says whether a field of an entity is personal data: every
// field of a person, the vessel identifiers, the fields personalFields
// lists and those the entity itself marks.
func isPersonal(e Entity, field string) bool {
	return isA(e.Type, "Person") || vesselIdentifier(e.Type, field) ||
		personalFields[field] || slices.Contains(e.Personal, field)
}

func hasPersonal(e Entity) bool {
	for k := range e.Fields {
		if isPersonal(e, k) {
			return true
		}
	}
	return slices.ContainsFunc(e.Involved, hasPersonal)
}

// parents are CISE's entity types above each type, as far as sharing
// needs them.
var parents = map[string]string{
	"IrregularMigrationIncident": "Incident", "LawInfringementIncident": "Incident", "MaritimeSafetyIncident": "Incident",
	"CrisisIncident": "Incident", "PollutionIncident": "Incident",
	"Incident": "Event", "Anomaly": "Event", "Action": "Event",
	"Vessel": "Object", "Aircraft": "Object", "LandVehicle": "Object", "Cargo": "Object", "OperationalAsset": "Object",
	"Person": "Agent", "Organization": "Agent", "OrganizationalUnit": "Organization", "FormalOrganization": "Organization",
	"OrganizationalCollaboration": "Organization", "PortOrganization": "Organization",
	"NamedLocation": "Location", "PortLocation": "Location", "PortFacilityLocation": "Location",
	"VesselDocument": "Document", "EventDocument": "Document", "RiskDocument": "Document", "PersonDocument": "Document",
	"LocationDocument": "Document", "CargoDocument": "Document", "CertificateDocument": "Document",
	"OrganizationDocument": "Document",
}

// isA says whether typ is kind or one of its subtypes.
func isA(typ, kind string) bool {
	for t := typ; t != ""; t = parents[t] {
		if t == kind {
			return true
		}
	}
	return false
}

// coveredBy returns the type in list that covers typ, if any.
func coveredBy(typ string, list []string) (string, bool) {
	for t := typ; t != ""; t = parents[t] {
		if slices.Contains(list, t) {
			return t, true
		}
	}
	return "", false
}

func typeIn(typ string, list []string) bool {
	_, ok := coveredBy(typ, list)
	return ok
}

func countEntities(list []Entity) int {
	n := len(list)
	for _, e := range list {
		n += countEntities(e.Involved)
	}
	return n
}

func joinPurposes(list []Purpose) string {
	s := make([]string, len(list))
	for i, p := range list {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

// validName says whether a node name can be a NATS subject token and a
// stream's consumer name.
func validName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Permits says whether the peer may ask for what a query (a pull request
// or a subscription) asks: every type it names must be one the agreement
// covers, and a peer that may not receive vessel identifiers may not
// search by them either. The answers are then decided entity by entity.
func (a Agreement) Permits(q Query) error {
	for _, t := range q.Types {
		if !typeIn(t, a.Entities) {
			return fmt.Errorf("%w: asks for %s, which the agreement with %s does not cover (%s)",
				ErrNotAllowed, t, a.Peer, strings.Join(a.Entities, ", "))
		}
	}
	if (q.MMSI != "" || q.IMO != "") && (a.NoIdentifiers || !typeIn("Vessel", a.Entities)) {
		return fmt.Errorf("%w: asks by vessel identifier, which the agreement with %s does not let it receive", ErrNotAllowed, a.Peer)
	}
	return nil
}

// shortDuration writes a duration without its zero minutes and seconds:
// 168h, not 168h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
