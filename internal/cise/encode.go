package cise

import (
	"fmt"
	"reflect"
	"slices"
)

// prefix is the message namespace's prefix in what Pharos writes: the one
// the reference's JAXB mapping writes, so that messages look alike.
const prefix = "ns4"

func invalidf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// Encode writes the message as XML, exactly: the elements the schema
// orders in its order, only the fields of the message's kind, every
// required field present and every enumerated value one of the schema's
// (else an error wrapping ErrInvalid), without indentation, entities
// unqualified as the data model declares them. The same message gives the
// same bytes. The message is not signed: Signer.Sign writes a signed one.
func Encode(m *Message) ([]byte, error) {
	w, _, err := encode(m)
	if err != nil {
		return nil, err
	}
	return w.b.Bytes(), nil
}

// encode writes the message and returns where its Signature belongs: after
// the header the abstract Message defines, whose xs:any ##other wildcard
// is the only place message.xsd lets one stand, before the fields of the
// message's kind.
func encode(m *Message) (_ *writer, sigAt int, err error) {
	if err := Validate(m); err != nil {
		return nil, 0, err
	}
	w := &writer{}
	w.b.Grow(2048)
	w.b.WriteString(xmlDeclaration)
	root := prefix + ":" + string(m.Kind)
	w.open(root, attr{"xmlns", prefix, NSMessage})
	w.text("ContextID", m.ContextID)
	w.text("CorrelationID", m.CorrelationID)
	w.elem("CreationDateTime", DateTime{m.Created})
	w.elem("MessageID", m.ID)
	w.elem("Priority", m.Priority)
	w.elem("RequiresAck", m.RequiresAck)
	w.opt("Sender", m.Sender != nil, m.Sender)
	w.opt("Recipient", m.Recipient != nil, m.Recipient)
	w.opt("Payload", m.Payload != nil, m.Payload)
	w.opt("Reliability", m.Reliability != "", struct {
		RetryStrategy string `xml:"RetryStrategy"`
	}{m.Reliability})
	for i := range m.CcRecipients {
		w.elem("CcRecipients", &m.CcRecipients[i])
	}
	sigAt = w.b.Len()
	switch m.Kind {
	case KindPush:
		w.profiles(m.DiscoveryProfiles)
	case KindPullRequest:
		w.elem("PullType", m.PullType)
		w.opt("ResponseTimeOut", m.ResponseTimeOut != 0, m.ResponseTimeOut)
		w.opt("Requests", m.Requests != nil, m.Requests)
		w.profiles(m.DiscoveryProfiles)
		w.opt("PayloadSelector", len(m.Selectors) > 0, struct {
			Selectors []Selector `xml:"Selectors"`
		}{m.Selectors})
	case KindPullResponse:
		w.text("ErrorDetail", m.ErrorDetail)
		w.elem("ResultCode", m.ResultCode)
		w.opt("Fulfils", m.Fulfils != nil, m.Fulfils)
	case KindFeedback:
		w.elem("FeedbackType", m.FeedbackType)
		w.text("Reason", m.Reason)
		w.elem("RefMessageID", m.RefMessageID)
	case KindAcknowledgement:
		w.elem("AckCode", m.AckCode)
		w.text("AckDetail", m.AckDetail)
		for i := range m.DiscoveredServices {
			w.elem("DiscoveredServices", &m.DiscoveredServices[i])
		}
	}
	w.close(root)
	if w.err != nil {
		return nil, 0, fmt.Errorf("encode %s: %w", m.Kind, w.err)
	}
	return w, sigAt, nil
}

// xmlDeclaration starts what Encode writes.
const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>`

func (w *writer) profiles(ps []ServiceProfile) {
	for i := range ps {
		w.elem("DiscoveryProfiles", &ps[i])
	}
}

// writeXML writes the payload as an XmlEntityPayload with its entities,
// or an EncryptedEntityPayload when Encrypted is set.
func (p *Payload) writeXML(w *writer, name string) {
	typ := "XmlEntityPayload"
	if p.Encrypted != "" {
		typ = "EncryptedEntityPayload"
	}
	w.open(name, attr{"xsi", "type", prefix + ":" + typ}, attr{"xmlns", "xsi", nsXSI})
	w.elem("InformationSecurityLevel", p.SecurityLevel)
	w.elem("InformationSensitivity", p.Sensitivity)
	w.elem("IsPersonalData", p.PersonalData)
	w.elem("Purpose", p.Purpose)
	w.elem("RetentionPeriod", DateTime{p.RetentionPeriod})
	w.elem("EnsureEncryption", p.EnsureEncryption)
	if p.Encrypted != "" {
		w.elem("Entities", p.Encrypted)
	} else {
		for _, ent := range p.Entities {
			w.elem(ent.ElementName(), ent)
		}
	}
	w.close(name)
}

// EncodeEntity writes one entity as a document of its own, as it stands in
// a payload: for inspection and for validating entities against the data
// model's schema.
func EncodeEntity(ent Entity) ([]byte, error) {
	if err := validateEntity(ent); err != nil {
		return nil, err
	}
	var w writer
	w.elem(ent.ElementName(), ent)
	if w.err != nil {
		return nil, fmt.Errorf("encode %s: %w", ent.ElementName(), w.err)
	}
	return w.b.Bytes(), nil
}

// Enumerations of the service model (message.xsd, service.xsd,
// authority.xsd) that Validate checks. TestEnumerations compares them with
// the schemas.
var (
	enumPriority      = []string{"Low", "Medium", "High"}
	enumSecurityLevel = []string{"NonSpecified", "EUTopSecret", "EURestricted", "NonClassified", "EUSecret", "EUConfidential"}
	enumSensitivity   = []string{"White", "Red", "Green", "Amber", "NonSpecified"}
	enumPurpose       = []string{"DefenceMonitoring", "CSDPTask", "BorderMonitoring", "CounterTerrorism", "EnvironmentWarning",
		"EnvironmentMonitoring", "EnvironmentResponse", "CustomsMonitoring", "LawEnforcementMonitoring", "FisheriesOperation",
		"BorderOperation", "Safety", "Security", "SAR", "FisheriesWarning", "FisheriesMonitoring", "VTM", "Operation",
		"LawEnforcementOperation", "CustomsOperation", "NonSpecified"}
	enumRetryStrategy = []string{"LowReliability", "NoRetry", "HighReliability"}
	enumAckCode       = []string{"InvalidRequestObject", "ObjectTypeNotAccepted", "AuthenticationError", "BadRequest",
		"EntityTypeNotAccepted", "InternalGatewayFault", "ServiceManagerError", "Success", "SecurityError", "Unauthorized",
		"ServerError", "ServiceTypeNotSupported", "TimestampError", "NetworkError", "EndPointNotFound"}
	enumResponseCode = []string{"ServerError", "EndPointNotFound", "Success", "InternalGatewayFault", "Unauthorized",
		"InvalidRequestObject", "EntityTypeNotAccepted", "SecurityError", "BadRequest", "TimestampError",
		"AuthenticationError", "ServiceTypeNotSupported", "ObjectTypeNotAccepted"}
	enumPullType          = []string{"GetSubscribers", "Discover", "Unsubscribe", "Subscribe", "Request"}
	enumConditionOperator = []string{"IS_NULL", "NOT_LIKE", "GREATER_THAN_OR_EQUAL_TO", "NOT_EQUAL", "LIKE", "EQUAL",
		"GREATER_THAN", "LESS_THAN_OR_EQUAL_TO", "LESS_THAN"}
	enumFeedbackType     = []string{"info", "delete"}
	enumDataFreshness    = []string{"Historic", "Unknown", "RealTime", "NearlyRealTime"}
	enumServiceOperation = []string{"Feedback", "Pull", "Subscribe", "Acknowledgement", "Push"}
	enumServiceRole      = []string{"Consumer", "Provider"}
	enumServiceStatus    = []string{"Deprecated", "Online", "Draft", "Offline", "Maintenance"}
	enumServiceType      = []string{"OperationalAssetService", "MeteoOceanographicConditionService", "CargoService",
		"RiskService", "OrganizationDocumentService", "VesselDocumentService", "EventDocumentService",
		"LawInfringementIncidentService", "PersonService", "LandVehicleService", "MovementService", "AnomalyService",
		"OrganizationService", "AgentService", "LocationDocumentService", "MaritimeSafetyIncidentService",
		"IrregularMigrationIncidentService", "AircraftService", "ActionService", "IncidentService", "LocationService",
		"CargoDocumentService", "RiskDocumentService", "CertificateDocumentService", "DocumentService",
		"CrisisIncidentService", "PersonDocumentService", "VesselService"}
	enumQueryByExample = []string{"BestEffort", "ExactSearch"}
	enumSeaBasin       = []string{"BlackSea", "OutermostRegions", "NonSpecified", "Atlantic", "Mediterranean", "NorthSea",
		"ArcticOcean", "BalticSea"}
	enumCommunity = []string{"Other", "FisheriesControl", "MaritimeSafetySecurity", "DefenceMonitoring", "MarineEnvironment",
		"BorderControl", "NonSpecified", "GeneralLawEnforcement", "Customs"}
	enumFunction = []string{"FisheriesMonitoring", "Safety", "EnvironmentResponse", "CustomsMonitoring", "CounterTerrorism",
		"Security", "FisheriesWarning", "DefenceMonitoring", "SAR", "CustomsOperation", "Operation", "NonSpecified",
		"EnvironmentMonitoring", "LawEnforcementMonitoring", "BorderMonitoring", "VTM", "BorderOperation",
		"LawEnforcementOperation", "EnvironmentWarning", "CSDPTask", "FisheriesOperation"}
)

// checker collects the first problem found.
type checker struct{ err error }

func (c *checker) fail(format string, a ...any) {
	if c.err == nil {
		c.err = invalidf(format, a...)
	}
}

func (c *checker) required(field, v string) {
	if v == "" {
		c.fail("%s is required", field)
	}
}

func (c *checker) enum(field, v string, values []string, required bool) {
	if v == "" {
		if required {
			c.fail("%s is required", field)
		}
		return
	}
	if !slices.Contains(values, v) {
		c.fail("%s %q is not one of the schema's values", field, v)
	}
}

func (c *checker) service(field string, s *Service) {
	if s == nil {
		return
	}
	c.required(field+".ServiceID", s.ServiceID)
	c.enum(field+".DataFreshness", s.DataFreshness, enumDataFreshness, false)
	c.enum(field+".SeaBasin", s.SeaBasin, enumSeaBasin, false)
	c.enum(field+".ServiceOperation", s.ServiceOperation, enumServiceOperation, false)
	c.enum(field+".ServiceRole", s.ServiceRole, enumServiceRole, false)
	c.enum(field+".ServiceStatus", s.ServiceStatus, enumServiceStatus, false)
	c.enum(field+".ServiceType", s.ServiceType, enumServiceType, false)
	c.capability(field+".ServiceCapability", s.Capability)
}

func (c *checker) capability(field string, sc *ServiceCapability) {
	if sc != nil {
		c.enum(field+".QueryByExampleType", sc.QueryByExampleType, enumQueryByExample, false)
	}
}

func (c *checker) profile(field string, p *ServiceProfile) {
	c.enum(field+".Community", p.Community, enumCommunity, false)
	if p.Country != "" && (len(p.Country) != 2 || p.Country[0] < 'A' || p.Country[0] > 'Z' || p.Country[1] < 'A' || p.Country[1] > 'Z') {
		c.fail("%s.Country %q is not an ISO 3166 alpha-2 code", field, p.Country)
	}
	c.enum(field+".DataFreshness", p.DataFreshness, enumDataFreshness, false)
	c.enum(field+".Function", p.Function, enumFunction, false)
	c.enum(field+".SeaBasin", p.SeaBasin, enumSeaBasin, false)
	c.enum(field+".ServiceOperation", p.ServiceOperation, enumServiceOperation, false)
	c.enum(field+".ServiceRole", p.ServiceRole, enumServiceRole, false)
	c.enum(field+".ServiceType", p.ServiceType, enumServiceType, false)
	c.enum(field+".ServiceStatus", p.ServiceStatus, enumServiceStatus, false)
	c.capability(field+".ServiceCapability", p.Capability)
}

// Validate reports the first way the message falls short of message.xsd:
// a required field missing, a value outside its enumeration, a field of
// another kind set. Entities are checked for what the codec cannot write
// (an unknown kind); the data-model enumerations are the mapping's
// business and are checked by the tests against the schemas.
func Validate(m *Message) error {
	var c checker
	switch m.Kind {
	case KindPush, KindPullRequest, KindPullResponse, KindFeedback, KindAcknowledgement:
	default:
		return invalidf("message kind %q", m.Kind)
	}
	if m.Created.IsZero() {
		c.fail("CreationDateTime is required")
	}
	c.required("MessageID", m.ID)
	c.enum("Priority", m.Priority, enumPriority, true)
	c.service("Sender", m.Sender)
	c.service("Recipient", m.Recipient)
	for i := range m.CcRecipients {
		c.service(fmt.Sprintf("CcRecipients[%d]", i), &m.CcRecipients[i])
	}
	c.enum("Reliability", m.Reliability, enumRetryStrategy, false)
	if p := m.Payload; p != nil {
		c.enum("Payload.InformationSecurityLevel", p.SecurityLevel, enumSecurityLevel, true)
		c.enum("Payload.InformationSensitivity", p.Sensitivity, enumSensitivity, true)
		c.enum("Payload.Purpose", p.Purpose, enumPurpose, true)
		for i, ent := range p.Entities {
			if ent == nil {
				c.fail("Payload entity %d is nil", i)
			} else if err := validateEntity(ent); err != nil && c.err == nil {
				c.err = err
			}
		}
	}
	if m.Kind != KindPush && m.Kind != KindPullRequest && len(m.DiscoveryProfiles) > 0 {
		c.fail("DiscoveryProfiles belong to Push and PullRequest")
	}
	for i := range m.DiscoveryProfiles {
		c.profile(fmt.Sprintf("DiscoveryProfiles[%d]", i), &m.DiscoveryProfiles[i])
	}
	if m.Kind == KindPullRequest {
		c.enum("PullType", m.PullType, enumPullType, true)
		if m.ResponseTimeOut < 0 {
			c.fail("ResponseTimeOut %d is negative", m.ResponseTimeOut)
		}
		c.capability("Requests", m.Requests)
		for i, s := range m.Selectors {
			c.required(fmt.Sprintf("Selectors[%d].Selector", i), s.Selector)
			c.enum(fmt.Sprintf("Selectors[%d].Operator", i), s.Operator, enumConditionOperator, true)
		}
	} else if m.PullType != "" || m.ResponseTimeOut != 0 || m.Requests != nil || len(m.Selectors) > 0 {
		c.fail("PullType, ResponseTimeOut, Requests and Selectors belong to PullRequest")
	}
	if m.Kind == KindPullResponse {
		c.enum("ResultCode", string(m.ResultCode), enumResponseCode, true)
		c.capability("Fulfils", m.Fulfils)
	} else if m.ErrorDetail != "" || m.ResultCode != "" || m.Fulfils != nil {
		c.fail("ErrorDetail, ResultCode and Fulfils belong to PullResponse")
	}
	if m.Kind == KindFeedback {
		c.enum("FeedbackType", m.FeedbackType, enumFeedbackType, true)
		c.required("RefMessageID", m.RefMessageID)
	} else if m.FeedbackType != "" || m.Reason != "" || m.RefMessageID != "" {
		c.fail("FeedbackType, Reason and RefMessageID belong to Feedback")
	}
	if m.Kind == KindAcknowledgement {
		c.enum("AckCode", string(m.AckCode), enumAckCode, true)
		for i := range m.DiscoveredServices {
			c.service(fmt.Sprintf("DiscoveredServices[%d]", i), &m.DiscoveredServices[i])
		}
	} else if m.AckCode != "" || m.AckDetail != "" || len(m.DiscoveredServices) > 0 {
		c.fail("AckCode, AckDetail and DiscoveredServices belong to Acknowledgement")
	}
	return c.err
}

func validateEntity(ent Entity) error {
	if rv := reflect.ValueOf(ent); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return invalidf("nil %T", ent)
	}
	switch v := ent.(type) {
	case *Event:
		if _, ok := eventNS[v.Kind]; !ok {
			return invalidf("event kind %q", v.Kind)
		}
	case *Agent:
		switch v.kind() {
		case KindAgent, KindOrganization, KindFormalOrganization:
		default:
			return invalidf("agent kind %q", v.Kind)
		}
	case *Vessel, *Location, *Risk, *Document, *OperationalAsset:
	default:
		return invalidf("entity %T", ent)
	}
	return nil
}
