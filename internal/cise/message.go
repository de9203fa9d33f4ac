package cise

import "time"

// Namespaces of the CISE service model and of the XML vocabularies a
// message uses.
const (
	NSMessage = "http://www.cise.eu/servicemodel/v1/message/"
	NSService = "http://www.cise.eu/servicemodel/v1/service/"
	nsXSI     = "http://www.w3.org/2001/XMLSchema-instance"
	nsDSig    = "http://www.w3.org/2000/09/xmldsig#"
	nsExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#" // of InclusiveNamespaces
)

// Kind is the kind of a service-model message: its root element.
type Kind string

// Message kinds. Subscribe and unsubscribe are pull requests (PullType
// Subscribe, Unsubscribe); what a provider then sends its subscribers are
// pushes whose Sender has ServiceOperation Subscribe.
const (
	KindPush            Kind = "Push"
	KindPullRequest     Kind = "PullRequest"
	KindPullResponse    Kind = "PullResponse"
	KindFeedback        Kind = "Feedback"
	KindAcknowledgement Kind = "Acknowledgement"
)

// Priority of a message.
const (
	PriorityLow    = "Low"
	PriorityMedium = "Medium"
	PriorityHigh   = "High"
)

// PullType values.
const (
	PullRequestType = "Request"
	PullSubscribe   = "Subscribe"
	PullUnsubscribe = "Unsubscribe"
	PullDiscover    = "Discover"
	PullSubscribers = "GetSubscribers"
)

// AckCode is the code of an acknowledgement (and, for the codes they
// share, the ResultCode of a pull response).
type AckCode string

// Acknowledgement codes (message.xsd AcknowledgementType).
const (
	AckSuccess                 AckCode = "Success"
	AckAuthenticationError     AckCode = "AuthenticationError"
	AckBadRequest              AckCode = "BadRequest"
	AckInvalidRequestObject    AckCode = "InvalidRequestObject"
	AckObjectTypeNotAccepted   AckCode = "ObjectTypeNotAccepted"
	AckEntityTypeNotAccepted   AckCode = "EntityTypeNotAccepted"
	AckInternalGatewayFault    AckCode = "InternalGatewayFault"
	AckServiceManagerError     AckCode = "ServiceManagerError"
	AckSecurityError           AckCode = "SecurityError"
	AckUnauthorized            AckCode = "Unauthorized"
	AckServerError             AckCode = "ServerError"
	AckServiceTypeNotSupported AckCode = "ServiceTypeNotSupported"
	AckTimestampError          AckCode = "TimestampError"
	AckNetworkError            AckCode = "NetworkError"
	AckEndPointNotFound        AckCode = "EndPointNotFound"
)

// Payload security level (InformationSecurityLevelType), sensitivity
// (InformationSensitivityType, the Traffic Light Protocol) and purpose
// (PurposeType) values Pharos uses; the enumerations hold more.
const (
	SecurityNonClassified  = "NonClassified"
	SecurityEURestricted   = "EURestricted"
	SecurityEUConfidential = "EUConfidential"
	SecurityEUSecret       = "EUSecret"
	SecurityEUTopSecret    = "EUTopSecret"

	TLPWhite = "White"
	TLPGreen = "Green"
	TLPAmber = "Amber"
	TLPRed   = "Red"

	PurposeBorderMonitoring = "BorderMonitoring"
	PurposeBorderOperation  = "BorderOperation"
	PurposeLawEnforcement   = "LawEnforcementMonitoring"
	PurposeSAR              = "SAR"
	PurposeNonSpecified     = "NonSpecified"
)

// Message is one CISE service-model message. The fields after
// CcRecipients belong to one kind each and are written only for it.
type Message struct {
	Kind          Kind
	ContextID     string
	CorrelationID string
	Created       time.Time // CreationDateTime (required)
	ID            string    // MessageID (required)
	Priority      string    // Low, Medium, High (required)
	RequiresAck   bool
	Sender        *Service
	Recipient     *Service
	Payload       *Payload
	Reliability   string // ReliabilityProfile's RetryStrategy: NoRetry, LowReliability, HighReliability
	CcRecipients  []Service

	// Push and PullRequest: whom to send to, by profile.
	DiscoveryProfiles []ServiceProfile

	// PullRequest.
	PullType        string             // Request, Subscribe, Unsubscribe, Discover, GetSubscribers (required)
	ResponseTimeOut int                // seconds; 0 is absent
	Requests        *ServiceCapability // what the requester can take
	Selectors       []Selector         // PayloadSelector

	// PullResponse.
	ErrorDetail string
	ResultCode  AckCode            // (required)
	Fulfils     *ServiceCapability // how the request was answered

	// Feedback.
	FeedbackType string // info, delete (required)
	Reason       string
	RefMessageID string // (required)

	// Acknowledgement.
	AckCode            AckCode // (required)
	AckDetail          string
	DiscoveredServices []Service

	// Signed reports whether the message carried an XML signature when it
	// was decoded. Decode does not verify it: Verifier.Open does.
	Signed bool
}

// Service is a CISE service: the sender or recipient of a message.
type Service struct {
	DataFreshness    string             `xml:"DataFreshness,omitempty"`
	SeaBasin         string             `xml:"SeaBasin,omitempty"`
	ServiceID        string             `xml:"ServiceID"`
	ServiceOperation string             `xml:"ServiceOperation,omitempty"` // Push, Pull, Subscribe, Feedback, Acknowledgement
	ServiceRole      string             `xml:"ServiceRole,omitempty"`      // Provider, Consumer
	ServiceStatus    string             `xml:"ServiceStatus,omitempty"`
	ServiceType      string             `xml:"ServiceType,omitempty"` // VesselService, IncidentService, …
	Capability       *ServiceCapability `xml:"ServiceCapability,omitempty"`
}

// ServiceCapability says what a service can do or was asked to do.
type ServiceCapability struct {
	ExpectedResponseTime int    `xml:"ExpectedResponseTime,omitempty"`
	MaxEntitiesPerMsg    int    `xml:"MaxEntitiesPerMsg,omitempty"`
	MaxNumberOfRequests  int    `xml:"MaxNumberOfRequests,omitempty"`
	QueryByExampleType   string `xml:"QueryByExampleType,omitempty"` // BestEffort, ExactSearch
}

// ServiceProfile selects services by what they are: the recipients of a
// push "to everyone matching a profile".
type ServiceProfile struct {
	Community        string             `xml:"Community,omitempty"`
	Country          string             `xml:"Country,omitempty"` // ISO 3166 alpha-2
	DataFreshness    string             `xml:"DataFreshness,omitempty"`
	Function         string             `xml:"Function,omitempty"`
	SeaBasin         string             `xml:"SeaBasin,omitempty"`
	ServiceID        string             `xml:"ServiceID,omitempty"`
	ServiceOperation string             `xml:"ServiceOperation,omitempty"`
	ServiceRole      string             `xml:"ServiceRole,omitempty"`
	ServiceType      string             `xml:"ServiceType,omitempty"`
	ServiceStatus    string             `xml:"ServiceStatus,omitempty"`
	Capability       *ServiceCapability `xml:"ServiceCapability,omitempty"`
}

// Selector is one condition of a pull request's PayloadSelector: an XPath
// expression over the payload and an operator (EQUAL, LIKE, …).
type Selector struct {
	Selector string `xml:"Selector"`
	Operator string `xml:"Operator"`
}

// Payload is a message's business content and what may be done with it.
type Payload struct {
	SecurityLevel    string    // InformationSecurityLevel (required)
	Sensitivity      string    // InformationSensitivity: the TLP colour (required)
	PersonalData     bool      // IsPersonalData
	Purpose          string    // (required)
	RetentionPeriod  time.Time // until when the payload may be kept; zero is absent
	EnsureEncryption bool
	// Entities are the payload's CISE entities (an XmlEntityPayload).
	Entities []Entity
	// Encrypted is the base64 of an EncryptedEntityPayload's entities;
	// when set, Entities is ignored.
	Encrypted string
	// Unknown names the payload entities this package does not model,
	// which Decode skipped.
	Unknown []string
}
