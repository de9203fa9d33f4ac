package share

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"pharos/internal/cise"
)

// CISECodec is the codec nodes speak: each Message is a CISE service-model
// message (internal/cise) signed with an enveloped XML signature of the
// node's RSA key, its certificate in KeyInfo. A receiver verifies the
// signature and that the certificate chains to its CAs and carries the
// sending peer's identity (the rule of JSONCodec, Peer.Identity).
//
// How each field maps is in doc.go ("Wire format"). What CISE has no
// element for — a field outside the typed ones, the border section, the
// onward consent, the personal marks, a Pharos type CISE does not have —
// travels in one Metadata of the entity with Designation "pharos:share",
// URL-encoded in its Comments, so that a Pharos peer reads back what it
// was sent and another CISE system sees the typed part and a comment.
type CISECodec struct {
	Signer string // this node's name
	Key    *rsa.PrivateKey
	Chain  []*x509.Certificate // this node's certificate first, then intermediates
	Roots  *x509.CertPool      // the CAs of the peers' certificates
	// Identities are the peers' identities by node name, when not the
	// default URIIdentity.
	Identities map[string]string
	// Now is the time certificates must be valid at; time.Now when nil.
	Now func() time.Time
}

// ErrNotCISE reports a message or entity that has no CISE form.
var ErrNotCISE = errors.New("no CISE form")

// NewCISECodec makes the CISE codec of a node from its key and
// certificate chain; the key must be RSA, the only key XML-DSig as CISE
// profiles it signs with.
func NewCISECodec(name string, key any, chain []*x509.Certificate, roots *x509.CertPool, ids map[string]string) (*CISECodec, error) {
	k, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the CISE codec signs with an RSA key, not %T (set codec: json to keep it)", key)
	}
	if len(chain) == 0 || !k.PublicKey.Equal(chain[0].PublicKey) {
		return nil, errors.New("the CISE codec needs the key's certificate")
	}
	return &CISECodec{Signer: name, Key: k, Chain: chain, Roots: roots, Identities: ids}, nil
}

// Encode implements Codec: the message as CISE XML, unsigned.
func (c *CISECodec) Encode(m Message) ([]byte, error) {
	cm, err := ToCISE(m)
	if err != nil {
		return nil, err
	}
	return cise.Encode(cm)
}

// Seal implements Sealer: the message mapped to CISE and signed, without
// encoding it twice.
func (c *CISECodec) Seal(m Message) ([]byte, error) {
	cm, err := ToCISE(m)
	if err != nil {
		return nil, err
	}
	s := cise.Signer{Key: c.Key, Chain: c.Chain}
	return s.Sign(cm)
}

// Decode implements Codec: a CISE message, signed or not, without
// verifying it.
func (c *CISECodec) Decode(b []byte) (Message, error) {
	cm, err := cise.Decode(b)
	if err != nil {
		return Message{}, fmt.Errorf("decode message: %w", err)
	}
	return FromCISE(cm)
}

// Sign implements Codec. The signature stands inside the document, where
// cise.Signer puts it, so the message is read again and signed as written.
func (c *CISECodec) Sign(b []byte) ([]byte, error) {
	cm, err := cise.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("sign message: %w", err)
	}
	if cm.Signed {
		return nil, errors.New("sign message: it holds a signature already")
	}
	s := cise.Signer{Key: c.Key, Chain: c.Chain}
	return s.Sign(cm)
}

// Verify implements Codec: the enveloped signature verifies, its
// certificate chains to Roots and is valid now, and carries the peer's
// identity.
func (c *CISECodec) Verify(b []byte, peer string) error {
	v, err := c.verifier(peer)
	if err != nil {
		return err
	}
	cert, err := v.Verify(b)
	if err != nil {
		return unverified(peer, err)
	}
	return c.signedBy(cert, peer)
}

// Open implements Opener: the message verified as Verify does, then
// decoded as Decode does from the XML read for verifying.
func (c *CISECodec) Open(b []byte, peer string) (Message, error) {
	v, err := c.verifier(peer)
	if err != nil {
		return Message{}, err
	}
	cm, cert, err := v.Unseal(b)
	switch {
	case errors.Is(err, cise.ErrAuthentication):
		return Message{}, unverified(peer, err)
	case err != nil:
		return Message{}, fmt.Errorf("decode message: %w", err)
	}
	if err := c.signedBy(cert, peer); err != nil {
		return Message{}, err
	}
	return FromCISE(cm)
}

// verifier returns the verifier of a peer's signatures.
func (c *CISECodec) verifier(peer string) (*cise.Verifier, error) {
	if c.Roots == nil {
		return nil, fmt.Errorf("%w: no CAs to verify %q with", ErrAuthentication, peer)
	}
	return &cise.Verifier{Roots: c.Roots, Now: c.Now}, nil
}

func unverified(peer string, err error) error {
	return fmt.Errorf("%w: signature of %q does not verify: %w", ErrAuthentication, peer, err)
}

// signedBy checks that a verified signature's certificate carries the
// peer's identity.
func (c *CISECodec) signedBy(cert *x509.Certificate, peer string) error {
	id := c.Identities[peer]
	if id == "" {
		id = URIIdentity(peer)
	}
	if !hasIdentity(cert, id) {
		return fmt.Errorf("%w: the certificate signing as %q is not %s's", ErrAuthentication, peer, id)
	}
	return nil
}

// Names of the payload metadata, share's and CISE's, in share's order.
var (
	classToCISE = map[Classification]string{
		ClassNonSpecified: cise.SecurityNonClassified, ClassNonClassified: cise.SecurityNonClassified,
		ClassEURestricted: cise.SecurityEURestricted, ClassEUConfidential: cise.SecurityEUConfidential,
		ClassEUSecret: cise.SecurityEUSecret, ClassEUTopSecret: cise.SecurityEUTopSecret,
	}
	sensToCISE = map[Sensitivity]string{
		SensNonSpecified: "NonSpecified", SensWhite: cise.TLPWhite, SensGreen: cise.TLPGreen,
		SensAmber: cise.TLPAmber, SensRed: cise.TLPRed,
	}
)

// classificationCISE and the functions after it map the payload's
// metadata. ClassNonSpecified is CISE's NonSpecified too.
func classificationCISE(c Classification) (string, error) {
	if c == ClassNonSpecified {
		return "NonSpecified", nil
	}
	if s, ok := classToCISE[c]; ok {
		return s, nil
	}
	return "", fmt.Errorf("%w: classification %d", ErrNotCISE, c)
}

func classificationShare(s string) (Classification, error) {
	if s == "NonSpecified" {
		return ClassNonSpecified, nil
	}
	for c, n := range classToCISE {
		if n == s && c != ClassNonSpecified {
			return c, nil
		}
	}
	return 0, fmt.Errorf("%w: InformationSecurityLevel %q", cise.ErrMalformed, s)
}

func sensitivityCISE(s Sensitivity) (string, error) {
	if n, ok := sensToCISE[s]; ok {
		return n, nil
	}
	return "", fmt.Errorf("%w: sensitivity %d", ErrNotCISE, s)
}

func sensitivityShare(n string) (Sensitivity, error) {
	for s, v := range sensToCISE {
		if v == n {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w: InformationSensitivity %q", cise.ErrMalformed, n)
}

// ToCISE maps a message to its CISE form.
func ToCISE(m Message) (*cise.Message, error) {
	cm := &cise.Message{Kind: cise.Kind(m.Kind), ID: m.ID, CorrelationID: m.CorrelationID, Created: m.Created,
		Priority: string(m.Priority), RequiresAck: m.RequiresAck, Sender: service(m.Sender), Recipient: service(m.Recipient)}
	if m.Payload != nil {
		p, err := payloadCISE(*m.Payload)
		if err != nil {
			return nil, err
		}
		cm.Payload = p
	}
	switch m.Kind {
	case KindPush:
	case KindPullRequest:
		cm.PullType = string(m.PullType)
		if m.Timeout > 0 {
			cm.ResponseTimeOut = int((m.Timeout + time.Second - 1) / time.Second)
		}
		if m.Query != nil {
			if cm.Payload != nil {
				return nil, fmt.Errorf("%w: a pull request with a payload and a query", ErrNotCISE)
			}
			p, sel, err := queryCISE(*m.Query)
			if err != nil {
				return nil, err
			}
			cm.Payload, cm.Selectors = p, sel
		}
	case KindPullResponse:
		cm.ResultCode, cm.ErrorDetail = cise.AckCode(m.ResultCode), m.ErrorDetail
	case KindFeedback:
		cm.FeedbackType, cm.Reason, cm.RefMessageID = string(m.FeedbackType), m.Reason, m.CorrelationID
	case KindAck:
		cm.AckCode, cm.AckDetail = cise.AckCode(m.AckCode), m.AckDetail
	default:
		return nil, fmt.Errorf("%w: message kind %q", ErrNotCISE, m.Kind)
	}
	if err := cise.Validate(cm); err != nil {
		return nil, err
	}
	return cm, nil
}

// FromCISE maps a CISE message back.
func FromCISE(cm *cise.Message) (Message, error) {
	m := Message{Kind: Kind(cm.Kind), ID: cm.ID, CorrelationID: cm.CorrelationID, Created: cm.Created,
		Priority: Priority(cm.Priority), RequiresAck: cm.RequiresAck, Sender: endpoint(cm.Sender), Recipient: endpoint(cm.Recipient)}
	switch cm.Kind {
	case cise.KindPullRequest:
		m.PullType = PullType(cm.PullType)
		m.Timeout = time.Duration(cm.ResponseTimeOut) * time.Second
		if cm.Payload != nil {
			q, err := queryShare(cm.Payload)
			if err != nil {
				return Message{}, err
			}
			m.Query = &q
		}
		return m, nil
	case cise.KindPullResponse:
		m.ResultCode, m.ErrorDetail = AckCode(cm.ResultCode), cm.ErrorDetail
	case cise.KindFeedback:
		m.FeedbackType, m.Reason = FeedbackType(cm.FeedbackType), cm.Reason
		if m.CorrelationID == "" {
			m.CorrelationID = cm.RefMessageID
		}
	case cise.KindAcknowledgement:
		m.AckCode, m.AckDetail = AckCode(cm.AckCode), cm.AckDetail
	}
	if cm.Payload != nil {
		p, err := payloadShare(cm.Payload)
		if err != nil {
			return Message{}, err
		}
		m.Payload = &p
	}
	return m, nil
}

// service writes an endpoint. CISE's Service has no participant: the node
// is the first label of the ServiceID, as the reference's service IDs
// ("es.gc-ls01.vessel.push.provider") and share's own have it, spelt as
// the node spells itself.
func service(e Endpoint) *cise.Service {
	id := e.ServiceID
	node, rest, _ := strings.Cut(id, ".")
	switch {
	case e.Node == "":
	case strings.EqualFold(node, e.Node) && rest != "":
		id = e.Node + "." + rest
	default:
		id = e.Node + "." + id
	}
	return &cise.Service{ServiceID: strings.TrimSuffix(id, "."), ServiceOperation: e.Operation, ServiceRole: e.Role, ServiceType: e.ServiceType}
}

func endpoint(s *cise.Service) Endpoint {
	if s == nil {
		return Endpoint{}
	}
	node, _, _ := strings.Cut(s.ServiceID, ".")
	return Endpoint{Node: node, ServiceID: s.ServiceID, Operation: s.ServiceOperation, Role: s.ServiceRole, ServiceType: s.ServiceType}
}

func payloadCISE(p Payload) (*cise.Payload, error) {
	cls, err := classificationCISE(p.Classification)
	if err != nil {
		return nil, err
	}
	sens, err := sensitivityCISE(p.Sensitivity)
	if err != nil {
		return nil, err
	}
	purpose := string(p.Purpose)
	if purpose == "" {
		purpose = "NonSpecified"
	}
	cp := &cise.Payload{SecurityLevel: cls, Sensitivity: sens, Purpose: purpose, PersonalData: p.Personal, RetentionPeriod: p.KeepUntil}
	for i, e := range p.Entities {
		ce, err := entityCISE(e)
		if err != nil {
			return nil, fmt.Errorf("entity %d (%s %s): %w", i, e.Type, e.ID, err)
		}
		cp.Entities = append(cp.Entities, ce)
	}
	return cp, nil
}

func payloadShare(cp *cise.Payload) (Payload, error) {
	cls, err := classificationShare(cp.SecurityLevel)
	if err != nil {
		return Payload{}, err
	}
	sens, err := sensitivityShare(cp.Sensitivity)
	if err != nil {
		return Payload{}, err
	}
	p := Payload{Classification: cls, Sensitivity: sens, Purpose: Purpose(cp.Purpose), Personal: cp.PersonalData, KeepUntil: cp.RetentionPeriod}
	if p.Purpose == "NonSpecified" {
		p.Purpose = ""
	}
	if cp.Encrypted != "" {
		return Payload{}, fmt.Errorf("%w: an encrypted payload", ErrNotCISE)
	}
	for _, ce := range cp.Entities {
		e, err := entityShare(ce)
		if err != nil {
			return Payload{}, err
		}
		p.Entities = append(p.Entities, e)
	}
	return p, nil
}

// extDesignation marks the Metadata that carries what has no CISE
// element.
const extDesignation = "pharos:share"

// Keys of the extension, besides "f:<field>" for a field.
const (
	extType     = "type"     // the Pharos type, when the CISE type is another
	extSection  = "section"  // the border section
	extOnward   = "onward"   // the peers the originator consents to (repeated)
	extPersonal = "personal" // the fields marked personal (repeated)
	extTime     = "time"     // the time, where the entity has no period
	extWhere    = "where"    // "lat lon", where the entity has no location
)

// cut is an entity on its way to CISE: the fields not yet placed, and
// the extension.
type cut struct {
	fields map[string]string
	ext    url.Values
}

// eachInvolved converts the entities e involves to CISE and hands each to
// file, which files it in the relation its kind belongs in, or says it has
// none: then e (what, "a vessel") cannot be said in CISE.
func eachInvolved(e Entity, what string, file func(cise.Entity) bool) error {
	for i, in := range e.Involved {
		ce, err := entityCISE(in)
		if err != nil {
			return fmt.Errorf("involved %d: %w", i, err)
		}
		if !file(ce) {
			return fmt.Errorf("%w: %s involving a %s", ErrNotCISE, what, in.Type)
		}
	}
	return nil
}

func newCut(e Entity) *cut {
	c := &cut{fields: make(map[string]string, len(e.Fields)), ext: url.Values{}}
	for k, v := range e.Fields {
		c.fields[k] = v
	}
	if e.Section != "" {
		c.ext.Set(extSection, e.Section)
	}
	for _, o := range e.Onward {
		c.ext.Add(extOnward, o)
	}
	for _, p := range e.Personal {
		c.ext.Add(extPersonal, p)
	}
	return c
}

// take removes a field and returns it.
func (c *cut) take(k string) string {
	v := c.fields[k]
	delete(c.fields, k)
	return v
}

// str places a string field, when it has one.
func (c *cut) str(k string, dst *string) {
	if v := c.fields[k]; v != "" {
		*dst = c.take(k)
	}
}

// list places a field as a one-value list.
func (c *cut) list(k string, dst *[]string) {
	if v := c.fields[k]; v != "" {
		*dst = []string{c.take(k)}
	}
}

// integer places a field as an integer when it reads back the same.
func (c *cut) integer(k string, dst *int64) {
	v := c.fields[k]
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && strconv.FormatInt(n, 10) == v {
		*dst = n
		c.take(k)
	}
}

// float places a field as a decimal when it reads back the same.
func (c *cut) float(k string, dst *float64) {
	v := c.fields[k]
	if f, err := strconv.ParseFloat(v, 64); err == nil && f != 0 && !math.IsInf(f, 0) && strconv.FormatFloat(f, 'f', -1, 64) == v {
		*dst = f
		c.take(k)
	}
}

// enum places a field whose CISE element is an enumeration, when its
// value is one of it.
func (c *cut) enum(k string, values []string, dst *string) {
	if v := c.fields[k]; slices.Contains(values, v) {
		*dst = c.take(k)
	}
}

// metadata is the entity's Pharos Metadata: its Description, and what is
// left in the extension.
func (c *cut) metadata() []cise.Metadata {
	desc := c.take("Description")
	for k, v := range c.fields {
		c.ext.Set("f:"+k, v)
	}
	if desc == "" && len(c.ext) == 0 {
		return nil
	}
	return []cise.Metadata{{Designation: extDesignation, Description: desc, Comments: c.ext.Encode()}}
}

// Data-model enumerations the typed fields take.
var (
	severities = []string{"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
	certainty  = []string{"Observed", "Likely", "Possible", "Unlikely", "Unknown"}
	urgencies  = []string{"Immediate", "Expected", "Future", "Past", "Unknown"}
)

// eventKinds are the Pharos types that are CISE events, by kind.
var eventKinds = map[string]cise.EventKind{
	"Incident": cise.KindIncident, "IrregularMigrationIncident": cise.KindIrregularMigrationIncident,
	"LawInfringementIncident": cise.KindLawInfringementIncident, "MaritimeSafetyIncident": cise.KindMaritimeSafetyIncident,
	"PollutionIncident": cise.KindPollutionIncident, "CrisisIncident": cise.KindCrisisIncident,
	"Anomaly": cise.KindAnomaly, "Movement": cise.KindMovement,
}

func identifier(e Entity) *cise.UniqueIdentifier {
	if e.ID == "" && e.Origin == "" {
		return nil
	}
	id := &cise.UniqueIdentifier{UUID: e.ID}
	if e.Origin != "" {
		id.GeneratedBy = organization(e.Origin)
	}
	return id
}

func organization(name string) *cise.Agent {
	return &cise.Agent{Kind: cise.KindOrganization, Organization: &cise.OrganizationFields{LegalName: name}}
}

func location(p *Point) *cise.Location {
	if p == nil {
		return nil
	}
	return &cise.Location{Geometry: []cise.Geometry{{
		Latitude: strconv.FormatFloat(p.Lat, 'f', -1, 64), Longitude: strconv.FormatFloat(p.Lon, 'f', -1, 64)}}}
}

func point(l *cise.Location) (*Point, error) {
	if l == nil {
		return nil, nil
	}
	for _, g := range l.Geometry {
		if g.Latitude == "" && g.Longitude == "" {
			continue
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(g.Latitude), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(g.Longitude), 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%w: geometry: %w", cise.ErrMalformed, err)
		}
		return &Point{Lat: lat, Lon: lon}, nil
	}
	return nil, nil
}

// period is the period starting at t, or none.
func period(t time.Time) *cise.Period {
	if t.IsZero() {
		return nil
	}
	return cise.PeriodOf(t, time.Time{})
}

func periodStart(p *cise.Period) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.Start()
}

// placeElsewhere puts the time and place of an entity that has no
// element for them in the extension.
func (c *cut) placeElsewhere(e Entity) {
	if !e.Time.IsZero() {
		c.ext.Set(extTime, e.Time.UTC().Format(time.RFC3339Nano))
	}
	if e.Where != nil {
		c.ext.Set(extWhere, strconv.FormatFloat(e.Where.Lat, 'f', -1, 64)+" "+strconv.FormatFloat(e.Where.Lon, 'f', -1, 64))
	}
}

// entityCISE maps an entity to its typed CISE entity.
func entityCISE(e Entity) (cise.Entity, error) {
	c := newCut(e)
	typ := e.Type
	switch {
	case typ == "Vessel":
		v := &cise.Vessel{Identifier: identifier(e)}
		c.integer("MMSI", &v.MMSI)
		c.integer("IMONumber", &v.IMONumber)
		c.str("CallSign", &v.CallSign)
		c.list("Name", &v.Name)
		c.float("Length", &v.Length)
		c.list("Nationality", &v.Nationality)
		c.list("ExternalMarkings", &v.ExternalMarkings)
		c.str("INMARSATNumber", &v.INMARSATNumber)
		c.str("IRNumber", &v.IRNumber)
		c.str("UVI", &v.UVI)
		c.str("RegistryNumber", &v.RegistryNumber)
		if e.Where != nil || !e.Time.IsZero() {
			v.LocationRel = []cise.ObjectLocation{{Location: location(e.Where), PeriodOfTime: period(e.Time)}}
		}
		err := eachInvolved(e, "a vessel", func(ce cise.Entity) bool {
			switch x := ce.(type) {
			case *cise.Event:
				v.InvolvedEventRel = append(v.InvolvedEventRel, cise.ObjectEvent{Event: x})
			case *cise.Agent:
				v.InvolvedAgentRel = append(v.InvolvedAgentRel, cise.ObjectAgent{Agent: x})
			case *cise.Risk:
				v.InvolvedRiskRel = append(v.InvolvedRiskRel, cise.RiskRel{Risk: x})
			case *cise.Document:
				v.DocumentRel = append(v.DocumentRel, cise.DocumentRel{Document: x})
			default:
				return false
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		v.Metadata = c.metadata()
		return v, nil

	case eventKinds[typ] != "":
		ev := &cise.Event{Kind: eventKinds[typ]}
		ev.Identifier = identifier(e)
		ev.OccurrencePeriod = period(e.Time)
		if e.Where != nil {
			ev.LocationRel = []cise.EventLocation{{Location: location(e.Where)}}
		}
		if ev.Kind.IsIncident() {
			in := &cise.IncidentFields{}
			c.enum("Severity", severities, &in.Severity)
			c.enum("Certainty", certainty, &in.Certainty)
			c.enum("ResponseUrgency", urgencies, &in.ResponseUrgency)
			if in.Severity != "" || in.Certainty != "" || in.ResponseUrgency != "" {
				ev.Incident = in
			}
		}
		err := eachInvolved(e, "an event", func(ce cise.Entity) bool {
			switch x := ce.(type) {
			case *cise.Vessel:
				ev.InvolvedObjectRel = append(ev.InvolvedObjectRel, cise.EventObject{Object: x})
			case *cise.Event:
				ev.InvolvedWithRel = append(ev.InvolvedWithRel, cise.EventEvent{Event: x})
			case *cise.Agent:
				ev.InvolvedAgentRel = append(ev.InvolvedAgentRel, cise.EventAgent{Agent: x})
			case *cise.Risk:
				ev.ImpliedRiskRel = append(ev.ImpliedRiskRel, cise.RiskRel{Risk: x})
			case *cise.Document:
				ev.DocumentRel = append(ev.DocumentRel, cise.DocumentRel{Document: x})
			default:
				return false
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		ev.Metadata = c.metadata()
		return ev, nil

	case isA(typ, "Agent"):
		a := &cise.Agent{Kind: cise.KindAgent, Identifier: identifier(e)}
		switch typ {
		case "Organization", "FormalOrganization":
			a.Kind = cise.AgentKind(typ)
			o := &cise.OrganizationFields{}
			c.str("LegalName", &o.LegalName)
			c.str("AlternativeName", &o.AlternativeName)
			c.str("IdentificationNumber", &o.IdentificationNumber)
			a.Organization = o
		case "Agent":
		default:
			c.ext.Set(extType, typ)
		}
		c.list("Nationality", &a.Nationality)
		c.str("ContactInformation", &a.ContactInformation)
		if e.Where != nil || !e.Time.IsZero() {
			a.LocationRel = []cise.AgentLocation{{Location: location(e.Where), InvolvementPeriod: period(e.Time)}}
		}
		err := eachInvolved(e, "an agent", func(ce cise.Entity) bool {
			d, ok := ce.(*cise.Document)
			if ok {
				a.DocumentRel = append(a.DocumentRel, cise.DocumentRel{Document: d})
			}
			return ok
		})
		if err != nil {
			return nil, err
		}
		a.Metadata = c.metadata()
		return a, nil

	case isA(typ, "Location"):
		if len(e.Involved) > 0 {
			return nil, fmt.Errorf("%w: a location involving others", ErrNotCISE)
		}
		l := location(e.Where)
		if l == nil {
			l = &cise.Location{}
		}
		if typ != "Location" {
			c.ext.Set(extType, typ)
		}
		c.placeElsewhere(Entity{Time: e.Time})
		// A Location has no identifier: the ID and origin go with the
		// rest.
		c.ext.Set("id", e.ID)
		if e.Origin != "" {
			c.ext.Set("origin", e.Origin)
		}
		l.Metadata = c.metadata()
		return l, nil

	case typ == "Risk":
		r := &cise.Risk{Identifier: identifier(e), OccurrencePeriod: period(e.Time)}
		c.str("RiskType", &r.RiskType)
		c.str("RiskLevel", &r.RiskLevel)
		c.str("RiskSeverity", &r.RiskSeverity)
		if e.Where != nil {
			r.LocationRel = []cise.LocationRel{{Location: location(e.Where)}}
		}
		err := eachInvolved(e, "a risk", func(ce cise.Entity) bool {
			switch x := ce.(type) {
			case *cise.Vessel:
				r.InvolvedObjectRel = append(r.InvolvedObjectRel, cise.RiskObject{Object: x})
			case *cise.Event:
				r.ImpliedEventRel = append(r.ImpliedEventRel, cise.RiskEvent{Event: x})
			case *cise.Agent:
				r.InvolvedAgentRel = append(r.InvolvedAgentRel, cise.RiskAgent{Agent: x})
			case *cise.Document:
				r.DocumentRel = append(r.DocumentRel, cise.DocumentRel{Document: x})
			default:
				return false
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		r.Metadata = c.metadata()
		return r, nil

	case isA(typ, "Document"):
		if len(e.Involved) > 0 {
			return nil, fmt.Errorf("%w: a document involving others", ErrNotCISE)
		}
		d := &cise.Document{Identifier: identifier(e)}
		if typ != "Document" {
			c.ext.Set(extType, typ)
		}
		c.str("Title", &d.Title)
		c.str("Subject", &d.Subject)
		c.str("Version", &d.Version)
		if e.Where != nil {
			d.LocationRel = []cise.LocationRel{{Location: location(e.Where)}}
		}
		c.placeElsewhere(Entity{Time: e.Time})
		d.Metadata = c.metadata()
		return d, nil

	case typ == "OperationalAsset":
		a := &cise.OperationalAsset{Identifier: identifier(e)}
		c.str("OperationalAssetType", &a.Type)
		c.str("OperationalCapability", &a.Capability)
		c.placeElsewhere(e)
		switch len(e.Involved) {
		case 0:
		case 1:
			ce, err := entityCISE(e.Involved[0])
			if err != nil {
				return nil, fmt.Errorf("involved 0: %w", err)
			}
			v, ok := ce.(*cise.Vessel)
			if !ok {
				return nil, fmt.Errorf("%w: an operational asset involving a %s", ErrNotCISE, e.Involved[0].Type)
			}
			a.CorrespondentVehicleRel = &cise.VehicleRel{Vehicle: v}
		default:
			return nil, fmt.Errorf("%w: an operational asset involving %d entities", ErrNotCISE, len(e.Involved))
		}
		a.Metadata = c.metadata()
		return a, nil
	}
	return nil, fmt.Errorf("%w: entity type %q", ErrNotCISE, typ)
}

// back is an entity on its way back from CISE.
type back struct {
	e Entity
}

func (b *back) set(k, v string) {
	if v == "" {
		return
	}
	if b.e.Fields == nil {
		b.e.Fields = map[string]string{}
	}
	b.e.Fields[k] = v
}

func (b *back) first(k string, vs []string) {
	if len(vs) > 0 {
		b.set(k, vs[0])
	}
}

func (b *back) integer(k string, n int64) {
	if n != 0 {
		b.set(k, strconv.FormatInt(n, 10))
	}
}

func (b *back) float(k string, f float64) {
	if f != 0 {
		b.set(k, strconv.FormatFloat(f, 'f', -1, 64))
	}
}

func (b *back) identifier(id *cise.UniqueIdentifier) {
	if id == nil {
		return
	}
	b.e.ID = id.UUID
	if g := id.GeneratedBy; g != nil && g.Organization != nil {
		b.e.Origin = g.Organization.LegalName
	}
}

// metadata reads the Pharos Metadata back.
func (b *back) metadata(md []cise.Metadata) error {
	for _, m := range md {
		if m.Designation != extDesignation {
			continue
		}
		b.set("Description", m.Description)
		ext, err := url.ParseQuery(m.Comments)
		if err != nil {
			return fmt.Errorf("%w: %s metadata: %w", cise.ErrMalformed, extDesignation, err)
		}
		for k, vs := range ext {
			if f, ok := strings.CutPrefix(k, "f:"); ok {
				b.set(f, vs[0])
			}
		}
		if t := ext.Get(extType); t != "" {
			b.e.Type = t
		}
		b.e.Section = ext.Get(extSection)
		b.e.Onward = ext[extOnward]
		b.e.Personal = ext[extPersonal]
		if id := ext.Get("id"); id != "" {
			b.e.ID = id
		}
		if o := ext.Get("origin"); o != "" {
			b.e.Origin = o
		}
		if s := ext.Get(extTime); s != "" {
			if b.e.Time, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return fmt.Errorf("%w: %s time: %w", cise.ErrMalformed, extDesignation, err)
			}
		}
		if s := ext.Get(extWhere); s != "" {
			lat, lon, _ := strings.Cut(s, " ")
			p, err := point(&cise.Location{Geometry: []cise.Geometry{{Latitude: lat, Longitude: lon}}})
			if err != nil {
				return err
			}
			b.e.Where = p
		}
	}
	return nil
}

// entityShare maps a CISE entity back. Involved entities come back
// grouped by relation, in the schema's order of the relations.
func entityShare(ce cise.Entity) (Entity, error) {
	b := &back{e: Entity{Type: ce.ElementName()}}
	var md []cise.Metadata
	var involved []cise.Entity
	var where *cise.Location
	switch x := ce.(type) {
	case *cise.Vessel:
		b.identifier(x.Identifier)
		md = x.Metadata
		b.integer("MMSI", x.MMSI)
		b.integer("IMONumber", x.IMONumber)
		b.set("CallSign", x.CallSign)
		b.first("Name", x.Name)
		b.float("Length", x.Length)
		b.first("Nationality", x.Nationality)
		b.first("ExternalMarkings", x.ExternalMarkings)
		b.set("INMARSATNumber", x.INMARSATNumber)
		b.set("IRNumber", x.IRNumber)
		b.set("UVI", x.UVI)
		b.set("RegistryNumber", x.RegistryNumber)
		if len(x.LocationRel) > 0 {
			where = x.LocationRel[0].Location
			b.e.Time = periodStart(x.LocationRel[0].PeriodOfTime)
		}
		for _, r := range x.InvolvedRiskRel {
			involved = append(involved, r.Risk)
		}
		for _, r := range x.InvolvedEventRel {
			involved = append(involved, r.Event)
		}
		for _, r := range x.DocumentRel {
			involved = append(involved, r.Document)
		}
		for _, r := range x.InvolvedAgentRel {
			involved = append(involved, r.Agent)
		}
	case *cise.Event:
		if x.Kind == "" {
			return Entity{}, fmt.Errorf("%w: an event of a kind Pharos does not read", ErrNotCISE)
		}
		b.identifier(x.Identifier)
		md = x.Metadata
		b.e.Time = periodStart(x.OccurrencePeriod)
		if len(x.LocationRel) > 0 {
			where = x.LocationRel[0].Location
		}
		if in := x.Incident; in != nil {
			b.set("Severity", in.Severity)
			b.set("Certainty", in.Certainty)
			b.set("ResponseUrgency", in.ResponseUrgency)
		}
		for _, r := range x.InvolvedWithRel {
			involved = append(involved, r.Event)
		}
		for _, r := range x.ImpliedRiskRel {
			involved = append(involved, r.Risk)
		}
		for _, r := range x.InvolvedObjectRel {
			involved = append(involved, r.Object)
		}
		for _, r := range x.DocumentRel {
			involved = append(involved, r.Document)
		}
		for _, r := range x.InvolvedAgentRel {
			involved = append(involved, r.Agent)
		}
	case *cise.Agent:
		b.identifier(x.Identifier)
		md = x.Metadata
		if o := x.Organization; o != nil {
			b.set("LegalName", o.LegalName)
			b.set("AlternativeName", o.AlternativeName)
			b.set("IdentificationNumber", o.IdentificationNumber)
		}
		b.first("Nationality", x.Nationality)
		b.set("ContactInformation", x.ContactInformation)
		if len(x.LocationRel) > 0 {
			where = x.LocationRel[0].Location
			b.e.Time = periodStart(x.LocationRel[0].InvolvementPeriod)
		}
		for _, r := range x.DocumentRel {
			involved = append(involved, r.Document)
		}
	case *cise.Location:
		md = x.Metadata
		where = x
	case *cise.Risk:
		b.identifier(x.Identifier)
		md = x.Metadata
		b.e.Time = periodStart(x.OccurrencePeriod)
		b.set("RiskType", x.RiskType)
		b.set("RiskLevel", x.RiskLevel)
		b.set("RiskSeverity", x.RiskSeverity)
		if len(x.LocationRel) > 0 {
			where = x.LocationRel[0].Location
		}
		for _, r := range x.InvolvedObjectRel {
			involved = append(involved, r.Object)
		}
		for _, r := range x.ImpliedEventRel {
			involved = append(involved, r.Event)
		}
		for _, r := range x.DocumentRel {
			involved = append(involved, r.Document)
		}
		for _, r := range x.InvolvedAgentRel {
			involved = append(involved, r.Agent)
		}
	case *cise.Document:
		b.identifier(x.Identifier)
		md = x.Metadata
		b.set("Title", x.Title)
		b.set("Subject", x.Subject)
		b.set("Version", x.Version)
		if len(x.LocationRel) > 0 {
			where = x.LocationRel[0].Location
		}
	case *cise.OperationalAsset:
		b.identifier(x.Identifier)
		md = x.Metadata
		b.set("OperationalAssetType", x.Type)
		b.set("OperationalCapability", x.Capability)
		if r := x.CorrespondentVehicleRel; r != nil && r.Vehicle != nil {
			involved = append(involved, r.Vehicle)
		}
	default:
		return Entity{}, fmt.Errorf("%w: entity %T", ErrNotCISE, ce)
	}
	p, err := point(where)
	if err != nil {
		return Entity{}, err
	}
	b.e.Where = p
	if err := b.metadata(md); err != nil {
		return Entity{}, err
	}
	for _, in := range involved {
		if isNil(in) {
			continue
		}
		ie, err := entityShare(in)
		if err != nil {
			return Entity{}, err
		}
		b.e.Involved = append(b.e.Involved, ie)
	}
	return b.e, nil
}

// isNil says whether an entity is a nil pointer, as an empty relation
// leaves.
func isNil(ce cise.Entity) bool {
	v := reflect.ValueOf(ce)
	return !v.IsValid() || v.IsNil()
}

// metadataOf returns where an entity keeps its Metadata.
func metadataOf(ce cise.Entity) *[]cise.Metadata {
	switch x := ce.(type) {
	case *cise.Vessel:
		return &x.Metadata
	case *cise.Event:
		return &x.Metadata
	case *cise.Agent:
		return &x.Metadata
	case *cise.Location:
		return &x.Metadata
	case *cise.Risk:
		return &x.Metadata
	case *cise.Document:
		return &x.Metadata
	case *cise.OperationalAsset:
		return &x.Metadata
	}
	return nil
}

// queryDesignation marks the Metadata of a query's first example that
// holds the whole query.
const queryDesignation = "pharos:query"

// queryCISE writes a query by example: an example entity per type asked
// for (a Vessel when any type will do), the vessel asked about as the
// example itself or its involved vessel, and EQUAL selectors on its MMSI
// and IMO number. CISE's examples cannot say "any type", "within this
// area" or "in this period": the whole query also travels in a Metadata
// of the first example (Designation "pharos:query"), which is what a
// Pharos peer reads.
func queryCISE(q Query) (*cise.Payload, []cise.Selector, error) {
	p := &cise.Payload{SecurityLevel: "NonSpecified", Sensitivity: "NonSpecified", Purpose: "NonSpecified",
		PersonalData: q.MMSI != "" || q.IMO != ""}
	vessel := Entity{Type: "Vessel", Fields: map[string]string{}}
	if q.MMSI != "" {
		vessel.Fields["MMSI"] = q.MMSI
	}
	if q.IMO != "" {
		vessel.Fields["IMONumber"] = q.IMO
	}
	types := q.Types
	if len(types) == 0 {
		types = []string{"Vessel"}
	}
	for _, t := range types {
		ex := Entity{Type: t}
		switch {
		case t == "Vessel":
			ex = vessel
		case len(vessel.Fields) > 0 && (eventKinds[t] != "" || t == "Risk"):
			ex.Involved = []Entity{vessel}
		}
		ce, err := entityCISE(ex)
		if err != nil {
			continue // a type CISE has no entity for: it travels in the metadata
		}
		p.Entities = append(p.Entities, ce)
	}
	if len(p.Entities) == 0 {
		ce, err := entityCISE(vessel)
		if err != nil {
			return nil, nil, err
		}
		p.Entities = append(p.Entities, ce)
	}
	ext := url.Values{}
	for _, t := range q.Types {
		ext.Add("type", t)
	}
	if q.MMSI != "" {
		ext.Set("mmsi", q.MMSI)
	}
	if q.IMO != "" {
		ext.Set("imo", q.IMO)
	}
	if !q.From.IsZero() {
		ext.Set("from", q.From.UTC().Format(time.RFC3339Nano))
	}
	if !q.To.IsZero() {
		ext.Set("to", q.To.UTC().Format(time.RFC3339Nano))
	}
	if a := q.Area; a != nil {
		ext.Set("area", "")
		if a.Name != "" {
			ext.Set("area", a.Name)
		}
		if len(a.BBox) > 0 {
			ext.Set("bbox", floats(a.BBox))
		}
		for _, pt := range a.Polygon {
			ext.Add("polygon", floats(pt[:]))
		}
	}
	md := metadataOf(p.Entities[0])
	*md = append(*md, cise.Metadata{Designation: queryDesignation, Comments: ext.Encode()})
	var sel []cise.Selector
	if q.MMSI != "" {
		sel = append(sel, cise.Selector{Selector: "//Vessel/MMSI", Operator: "EQUAL"})
	}
	if q.IMO != "" {
		sel = append(sel, cise.Selector{Selector: "//Vessel/IMONumber", Operator: "EQUAL"})
	}
	return p, sel, nil
}

func floats(fs []float64) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strings.Join(s, " ")
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Fields(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// queryShare reads a query by example back: Pharos's own from its
// metadata, another system's from its examples (their types, and the
// MMSI and IMO number of a vessel among them).
func queryShare(p *cise.Payload) (Query, error) {
	var q Query
	for _, ce := range p.Entities {
		md := metadataOf(ce)
		if md == nil {
			continue
		}
		for _, m := range *md {
			if m.Designation == queryDesignation {
				return queryExt(m.Comments)
			}
		}
	}
	for _, ce := range p.Entities {
		e, err := entityShare(ce)
		if err != nil {
			return Query{}, err
		}
		q.Types = append(q.Types, e.Type)
		for _, v := range append([]Entity{e}, e.Involved...) {
			if v.Type != "Vessel" {
				continue
			}
			if s := v.Fields["MMSI"]; s != "" && q.MMSI == "" {
				q.MMSI = s
			}
			if s := v.Fields["IMONumber"]; s != "" && q.IMO == "" {
				q.IMO = s
			}
		}
	}
	return q, nil
}

func queryExt(s string) (Query, error) {
	bad := func(err error) (Query, error) {
		return Query{}, fmt.Errorf("%w: %s metadata: %w", cise.ErrMalformed, queryDesignation, err)
	}
	ext, err := url.ParseQuery(s)
	if err != nil {
		return bad(err)
	}
	q := Query{Types: ext["type"], MMSI: ext.Get("mmsi"), IMO: ext.Get("imo")}
	for k, t := range map[string]*time.Time{"from": &q.From, "to": &q.To} {
		if v := ext.Get(k); v != "" {
			if *t, err = time.Parse(time.RFC3339Nano, v); err != nil {
				return bad(err)
			}
		}
	}
	if _, ok := ext["area"]; ok {
		a := &Area{Name: ext.Get("area")}
		if v := ext.Get("bbox"); v != "" {
			if a.BBox, err = parseFloats(v); err != nil {
				return bad(err)
			}
		}
		for _, v := range ext["polygon"] {
			f, err := parseFloats(v)
			if err != nil || len(f) != 2 {
				return bad(fmt.Errorf("polygon point %q", v))
			}
			a.Polygon = append(a.Polygon, [2]float64{f[0], f[1]})
		}
		q.Area = a
	}
	return q, nil
}
