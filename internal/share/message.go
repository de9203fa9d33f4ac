package share

import (
	"fmt"
	"strings"
	"time"
)

// Message is one CISE service-model message: a Push, a PullRequest (a
// query, a subscription or its end), a PullResponse, a Feedback or an
// Acknowledgement. Its fields are the envelope's elements by name, so that
// the CISE codec maps them one to one; what CISE spells as a query by
// example (a payload entity and selectors) is Query here.
type Message struct {
	Kind          Kind      `json:"kind"`
	ID            string    `json:"id"`                       // MessageID, unique per sender
	CorrelationID string    `json:"correlation_id,omitempty"` // the request a response or acknowledgement answers
	Created       time.Time `json:"created"`                  // CreationDateTime
	Priority      Priority  `json:"priority"`
	RequiresAck   bool      `json:"requires_ack,omitempty"` // the sender wants an asynchronous Acknowledgement
	Sender        Endpoint  `json:"sender"`
	Recipient     Endpoint  `json:"recipient"`
	Payload       *Payload  `json:"payload,omitempty"` // Push, PullResponse

	// PullRequest
	PullType PullType      `json:"pull_type,omitempty"`
	Timeout  time.Duration `json:"timeout,omitempty"` // ResponseTimeOut: answer within this
	Query    *Query        `json:"query,omitempty"`

	// PullResponse
	ResultCode  AckCode `json:"result_code,omitempty"`
	ErrorDetail string  `json:"error_detail,omitempty"`

	// Feedback
	FeedbackType FeedbackType `json:"feedback_type,omitempty"`
	Reason       string       `json:"reason,omitempty"`

	// Acknowledgement
	AckCode   AckCode `json:"ack_code,omitempty"`
	AckDetail string  `json:"ack_detail,omitempty"`
}

// Endpoint is a CISE Service: the node (CISE participant) and the service
// of it that sends or receives.
type Endpoint struct {
	Node        string `json:"node"`                   // Participant Id: the Pharos node's name
	ServiceID   string `json:"service_id"`             // e.g. "es.pharos.incident.push.provider"
	Operation   string `json:"operation,omitempty"`    // ServiceOperation: Push, Pull, Subscribe, Feedback, Acknowledgement
	Role        string `json:"role,omitempty"`         // ServiceRole: Provider or Consumer
	ServiceType string `json:"service_type,omitempty"` // e.g. IncidentService
}

// Payload is a CISE payload: entities and the metadata that governs them.
type Payload struct {
	Classification Classification `json:"classification" yaml:"classification"` // InformationSecurityLevel
	Sensitivity    Sensitivity    `json:"sensitivity" yaml:"sensitivity"`       // InformationSensitivity (Traffic Light Protocol)
	Purpose        Purpose        `json:"purpose" yaml:"purpose"`
	Personal       bool           `json:"personal" yaml:"personal"`                        // IsPersonalData
	KeepUntil      time.Time      `json:"keep_until,omitzero" yaml:"keep_until,omitempty"` // RetentionPeriod: the receiver deletes the payload then
	Entities       []Entity       `json:"entities" yaml:"entities"`
}

// Entity is a CISE data-model entity as sharing sees it: a type, an
// identifier, where and when, its attributes by CISE element name, and the
// entities it involves (an incident's vessels, a vessel's persons).
type Entity struct {
	Type     string            `json:"type" yaml:"type"` // CISE entity: Vessel, IrregularMigrationIncident, Anomaly, …
	ID       string            `json:"id" yaml:"id"`     // UniqueIdentifier
	Time     time.Time         `json:"time,omitzero" yaml:"time,omitempty"`
	Where    *Point            `json:"where,omitempty" yaml:"where,omitempty"`
	Section  string            `json:"section,omitempty" yaml:"section,omitempty"` // border section ID
	Fields   map[string]string `json:"fields,omitempty" yaml:"fields,omitempty"`   // e.g. MMSI, IMONumber, Name, Description
	Personal []string          `json:"personal,omitempty" yaml:"personal,omitempty"`
	Involved []Entity          `json:"involved,omitempty" yaml:"involved,omitempty"`
	// Origin is the node that first produced the entity; empty for one of
	// this node's own. Onward lists the peers its originator lets it go on
	// to ("*": any); it matters for third countries.
	Origin string   `json:"origin,omitempty" yaml:"origin,omitempty"`
	Onward []string `json:"onward,omitempty" yaml:"onward,omitempty"`
}

// Point is a position in degrees.
type Point struct {
	Lat float64 `json:"lat" yaml:"lat"`
	Lon float64 `json:"lon" yaml:"lon"`
}

// Query is a query by example, the filter of a pull request and of a
// subscription: entities of these types, about this vessel, in this area,
// in this period. Zero fields match anything.
type Query struct {
	Types []string  `json:"types,omitempty" yaml:"types,omitempty"`
	MMSI  string    `json:"mmsi,omitempty" yaml:"mmsi,omitempty"`
	IMO   string    `json:"imo,omitempty" yaml:"imo,omitempty"`
	Area  *Area     `json:"area,omitempty" yaml:"area,omitempty"`
	From  time.Time `json:"from,omitzero" yaml:"from,omitempty"`
	To    time.Time `json:"to,omitzero" yaml:"to,omitempty"`
}

// Match says whether an entity, or one it involves, answers the query.
func (q Query) Match(e Entity) bool {
	if len(q.Types) > 0 && !typeIn(e.Type, q.Types) {
		return false
	}
	if !q.From.IsZero() && (e.Time.IsZero() || e.Time.Before(q.From)) {
		return false
	}
	if !q.To.IsZero() && (e.Time.IsZero() || e.Time.After(q.To)) {
		return false
	}
	if q.Area != nil && (e.Where == nil || !q.Area.contains(*e.Where)) {
		return false
	}
	if q.MMSI == "" && q.IMO == "" {
		return true
	}
	return q.vessel(e)
}

// vessel says whether the entity is, or involves, the vessel the query
// names.
func (q Query) vessel(e Entity) bool {
	if (q.MMSI == "" || e.Fields["MMSI"] == q.MMSI) && (q.IMO == "" || e.Fields["IMONumber"] == q.IMO) {
		return true
	}
	for _, in := range e.Involved {
		if q.vessel(in) {
			return true
		}
	}
	return false
}

// Kind is a CISE message type.
type Kind string

// The CISE service-model messages.
const (
	KindPush         Kind = "Push"
	KindPullRequest  Kind = "PullRequest"
	KindPullResponse Kind = "PullResponse"
	KindFeedback     Kind = "Feedback"
	KindAck          Kind = "Acknowledgement"
)

// PullType says what a pull request asks for.
type PullType string

// CISE pull types Pharos uses.
const (
	PullRequest     PullType = "Request"
	PullSubscribe   PullType = "Subscribe"
	PullUnsubscribe PullType = "Unsubscribe"
)

// FeedbackType is CISE's kind of feedback on a message received.
type FeedbackType string

// CISE feedback types.
const (
	FeedbackInfo   FeedbackType = "info"
	FeedbackDelete FeedbackType = "delete"
)

// AckCode is a CISE acknowledgement code (AcknowledgementType), spelled as
// the schema spells it.
type AckCode string

// The CISE acknowledgement codes Pharos sends. The schema has no
// "NotAllowed": a request the agreement forbids is Unauthorized; a
// message whose signature or sender does not verify is
// AuthenticationError.
const (
	AckSuccess               AckCode = "Success"
	AckInvalidRequest        AckCode = "InvalidRequestObject"
	AckBadRequest            AckCode = "BadRequest"
	AckAuthenticationError   AckCode = "AuthenticationError"
	AckUnauthorized          AckCode = "Unauthorized"
	AckEntityTypeNotAccepted AckCode = "EntityTypeNotAccepted"
	AckTimestampError        AckCode = "TimestampError"
	AckServerError           AckCode = "ServerError"
)

// Priority is a CISE message priority.
type Priority string

// CISE priorities.
const (
	PriorityLow    Priority = "Low"
	PriorityMedium Priority = "Medium"
	PriorityHigh   Priority = "High"
)

// Classification is a CISE InformationSecurityLevel, an EU classification
// of information, ordered from NonClassified up. ClassNonSpecified is not
// a level: nothing with it is shared.
type Classification uint8

// The levels, lowest first.
const (
	ClassNonSpecified Classification = iota
	ClassNonClassified
	ClassEURestricted   // RESTREINT UE/EU RESTRICTED
	ClassEUConfidential // CONFIDENTIEL UE/EU CONFIDENTIAL
	ClassEUSecret       // SECRET UE/EU SECRET
	ClassEUTopSecret    // TRES SECRET UE/EU TOP SECRET
)

var classNames = [...]string{"NonSpecified", "NonClassified", "EURestricted", "EUConfidential", "EUSecret", "EUTopSecret"}

// classAliases are the spellings of EU classification markings people
// write in configuration, by level.
var classAliases = map[string]Classification{
	"unclassified": ClassNonClassified, "non classified": ClassNonClassified, "non_classified": ClassNonClassified,
	"restreint ue/eu restricted": ClassEURestricted, "eu restricted": ClassEURestricted, "restreint ue": ClassEURestricted,
	"confidentiel ue/eu confidential": ClassEUConfidential, "eu confidential": ClassEUConfidential, "confidentiel ue": ClassEUConfidential,
	"secret ue/eu secret": ClassEUSecret, "eu secret": ClassEUSecret, "secret ue": ClassEUSecret,
	"tres secret ue/eu top secret": ClassEUTopSecret, "eu top secret": ClassEUTopSecret, "tres secret ue": ClassEUTopSecret,
}

func (c Classification) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Classification(%d)", c)
}

// MarshalText writes the CISE name.
func (c Classification) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a CISE name or an EU marking ("RESTREINT UE/EU
// RESTRICTED"), in any case.
func (c *Classification) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	for i, n := range classNames {
		if strings.EqualFold(n, s) {
			*c = Classification(i)
			return nil
		}
	}
	if l, ok := classAliases[strings.ToLower(s)]; ok {
		*c = l
		return nil
	}
	return fmt.Errorf("unknown classification %q (want NonClassified, EURestricted, EUConfidential, EUSecret or EUTopSecret)", s)
}

// Sensitivity is a CISE InformationSensitivity, the Traffic Light
// Protocol: White (TLP:CLEAR) < Green < Amber < Red. SensNonSpecified is
// not a level: nothing with it is shared.
type Sensitivity uint8

// The levels, lowest first.
const (
	SensNonSpecified Sensitivity = iota
	SensWhite
	SensGreen
	SensAmber
	SensRed
)

var sensNames = [...]string{"NonSpecified", "White", "Green", "Amber", "Red"}

func (s Sensitivity) String() string {
	if int(s) < len(sensNames) {
		return sensNames[s]
	}
	return fmt.Sprintf("Sensitivity(%d)", s)
}

// MarshalText writes the CISE name.
func (s Sensitivity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a CISE name or a TLP label ("TLP:CLEAR", "AMBER"),
// in any case.
func (s *Sensitivity) UnmarshalText(b []byte) error {
	v := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(string(b))), "TLP:")
	if v == "CLEAR" {
		v = "WHITE"
	}
	if v == "AMBER+STRICT" {
		v = "AMBER"
	}
	for i, n := range sensNames {
		if strings.EqualFold(n, v) {
			*s = Sensitivity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown sensitivity %q (want White/CLEAR, Green, Amber or Red)", string(b))
}

// Purpose is a CISE PurposeType, e.g. BorderMonitoring, SAR.
type Purpose string

// purposes are the CISE purposes.
var purposes = []Purpose{"DefenceMonitoring", "CSDPTask", "BorderMonitoring", "CounterTerrorism",
	"EnvironmentWarning", "EnvironmentMonitoring", "EnvironmentResponse", "CustomsMonitoring",
	"LawEnforcementMonitoring", "FisheriesOperation", "BorderOperation", "Safety", "Security", "SAR",
	"FisheriesWarning", "FisheriesMonitoring", "VTM", "Operation", "LawEnforcementOperation",
	"CustomsOperation", "NonSpecified"}

// Check says whether the purpose is one of CISE's.
func (p Purpose) Check() error {
	for _, q := range purposes {
		if p == q {
			return nil
		}
	}
	return fmt.Errorf("unknown purpose %q (CISE purposes: BorderMonitoring, BorderOperation, SAR, …)", string(p))
}

// Ack is an acknowledgement a peer sent for one of this node's messages.
type Ack struct {
	From   string  `json:"from"`
	ID     string  `json:"id"`  // the acknowledgement's own message ID
	Ref    string  `json:"ref"` // the message acknowledged
	Code   AckCode `json:"code"`
	Detail string  `json:"detail,omitempty"`
}

// OK says whether the acknowledgement is a success.
func (a Ack) OK() bool { return a.Code == AckSuccess }
