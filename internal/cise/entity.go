package cise

import (
	"reflect"
	"strings"
)

// The data model's namespaces. Entities' elements are unqualified (the
// schemas set no elementFormDefault) and the payload's top-level entity
// elements are declared without a namespace, so these appear only in
// xsi:type attributes, which name the actual type of an element whose
// declared type is abstract (Object, Vehicle, Event) or a base (Agent).
const nsDataModel = "http://www.cise.eu/datamodel/v1/entity/"

// Entity is a CISE data-model entity that can stand in a payload:
// *Vessel, *Location, *Event (incidents, anomalies, movements), *Risk,
// *Agent (agents and organizations), *Document or *OperationalAsset.
type Entity interface {
	// ElementName is the entity's top-level element (and type) name.
	ElementName() string
}

// UniqueIdentifier identifies an entity; correlatedWithRel links it to
// the identifiers other systems gave the same thing.
type UniqueIdentifier struct {
	GeneratedBy    *Agent        `xml:"GeneratedBy,omitempty"` // an Organization
	GeneratedIn    DateTime      `xml:"GeneratedIn"`
	UUID           string        `xml:"UUID,omitempty"`
	CorrelatedWith []Correlation `xml:"correlatedWithRel,omitempty"`
}

// Correlation is a correlatedWithRel: another identifier of the same thing.
type Correlation struct {
	Identifier   *UniqueIdentifier `xml:"UniqueIdentifier,omitempty"`
	Type         string            `xml:"CorrelationType,omitempty"` // Manual, Automatic, Other, NonSpecified
	CorrelatedIn DateTime          `xml:"CorrelatedIn"`
	CorrelatedBy *Agent            `xml:"CorrelatedBy,omitempty"` // an Organization
}

// Metadata is what is known about an entity's information: who made it,
// how reliable, how classified, how sensitive, valid when.
type Metadata struct {
	Abstract               string   `xml:"Abstract,omitempty"`
	Comments               string   `xml:"Comments,omitempty"`
	CreationDate           DateTime `xml:"CreationDate"`
	Creator                *Agent   `xml:"Creator,omitempty"`
	Description            string   `xml:"Description,omitempty"`
	Designation            string   `xml:"Designation,omitempty"`
	FileMediaType          string   `xml:"FileMediaType,omitempty"`
	FileSchema             string   `xml:"FileSchema,omitempty"`
	FileURI                string   `xml:"FileURI,omitempty"`
	ReliabilityLevel       string   `xml:"InformationReliabilityLevel,omitempty"`       // VeryHighConfidence … VeryLowConfidence
	SecurityClassification string   `xml:"InformationSecurityClassification,omitempty"` // NonClassified, EURestricted, …
	SensitivityDegree      string   `xml:"InformationSensitivityDegree,omitempty"`      // White, Green, Amber, Red
	Language               string   `xml:"Language,omitempty"`
	PublicationDate        DateTime `xml:"PublicationDate"`
	Publisher              *Agent   `xml:"Publisher,omitempty"`
	ValidityPeriod         *Period  `xml:"ValidityPeriod,omitempty"`
}

// Geometry is a position. Latitude and longitude are xs:string in the
// schema: decimal degrees (WGS 84) as everyone writes them.
type Geometry struct {
	Altitude    string `xml:"Altitude,omitempty"`
	Latitude    string `xml:"Latitude,omitempty"`
	Longitude   string `xml:"Longitude,omitempty"`
	WKT         string `xml:"WKT,omitempty"`
	XMLGeometry string `xml:"XMLGeometry,omitempty"`
}

// Location is a place: one or more geometries.
type Location struct {
	Geometry            []Geometry `xml:"Geometry,omitempty"`
	QualitativeAccuracy string     `xml:"LocationQualitativeAccuracy,omitempty"` // High, Medium, Low
	Zone                []string   `xml:"LocationZone,omitempty"`
	Metadata            []Metadata `xml:"Metadata,omitempty"`
	OperationalPurpose  string     `xml:"OperationalPurpose,omitempty"`
}

// ElementName is "Location".
func (*Location) ElementName() string { return "Location" }

// Vessel is a ship or a boat: the fields of the data model's Object,
// Vehicle and Vessel, in the schema's order.
type Vessel struct {
	// Object.
	Colour           []string          `xml:"Colour,omitempty"`
	ExternalMarkings []string          `xml:"ExternalMarkings,omitempty"`
	Identifier       *UniqueIdentifier `xml:"Identifier,omitempty"`
	Metadata         []Metadata        `xml:"Metadata,omitempty"`
	Name             []string          `xml:"Name,omitempty"`
	InvolvedRiskRel  []RiskRel         `xml:"InvolvedRiskRel,omitempty"`
	LocationRel      []ObjectLocation  `xml:"LocationRel,omitempty"`
	InvolvedEventRel []ObjectEvent     `xml:"InvolvedEventRel,omitempty"`
	DocumentRel      []DocumentRel     `xml:"DocumentRel,omitempty"`
	InvolvedAgentRel []ObjectAgent     `xml:"InvolvedAgentRel,omitempty"`
	// Vehicle.
	MaximumSpeed          *float64  `xml:"MaximumSpeed,omitempty"`
	Nationality           []string  `xml:"Nationality,omitempty"` // flag state, ISO 3166
	TotalPersonsOnBoard   *int      `xml:"TotalPersonsOnBoard,omitempty"`
	CorrespondentAssetRel *AssetRel `xml:"CorrespondentAssetRel,omitempty"`
	// Vessel.
	Arrangement                   string   `xml:"Arrangement,omitempty"`
	Beam                          int      `xml:"Beam,omitempty"`
	Breadth                       int      `xml:"Breadth,omitempty"`
	CallSign                      string   `xml:"CallSign,omitempty"`
	ConditionOfTheCargoAndBallast string   `xml:"ConditionOfTheCargoAndBallast,omitempty"`
	ContainerCapacity             int      `xml:"ContainerCapacity,omitempty"`
	Deadweight                    int      `xml:"Deadweight,omitempty"`
	Depth                         float64  `xml:"Depth,omitempty"`
	DesignSpeed                   float64  `xml:"DesignSpeed,omitempty"`
	Draught                       float64  `xml:"Draught,omitempty"`
	FishingGear                   string   `xml:"FishingGear,omitempty"`
	GrossTonnage                  float64  `xml:"GrossTonnage,omitempty"`
	HullMaterial                  string   `xml:"HullMaterial,omitempty"`
	IMONumber                     int64    `xml:"IMONumber,omitempty"`
	INFShipClass                  string   `xml:"INFShipClass,omitempty"`
	INMARSATNumber                string   `xml:"INMARSATNumber,omitempty"`
	IRNumber                      string   `xml:"IRNumber,omitempty"`
	ISPSSecurityLevel             string   `xml:"ISPSSSecurityLevel,omitempty"` // sic: the schema's spelling
	IsBanned                      *bool    `xml:"IsBanned,omitempty"`
	IsFishing                     *bool    `xml:"IsFishing,omitempty"`
	LOA                           float64  `xml:"LOA,omitempty"`
	Length                        float64  `xml:"Length,omitempty"`
	LengthenedYear                int      `xml:"LengthenedYear,omitempty"`
	MMSI                          int64    `xml:"MMSI,omitempty"`
	NavigationalStatus            string   `xml:"NavigationalStatus,omitempty"`
	NetTonnage                    float64  `xml:"NetTonnage,omitempty"`
	RegionalIdentification        string   `xml:"RegionalIdentification,omitempty"`
	RegistryDate                  Date     `xml:"RegistryDate"`
	RegistryNumber                string   `xml:"RegistryNumber,omitempty"`
	SegregatedBallastVolume       float64  `xml:"SegregatedBallastVolume,omitempty"`
	ShipConfiguration             string   `xml:"ShipConfiguration,omitempty"`
	ShipType                      []string `xml:"ShipType,omitempty"`
	UVI                           string   `xml:"UVI,omitempty"`
	UnderSanitaryMeasure          string   `xml:"UnderSanitaryMeasure,omitempty"`
	YearBuilt                     int      `xml:"YearBuilt,omitempty"`
}

// ElementName is "Vessel".
func (*Vessel) ElementName() string { return "Vessel" }

// ObjectLocation is an object's LocationRel: where it was, when, how fast,
// seen by what.
type ObjectLocation struct {
	Location                *Location  `xml:"Location,omitempty"`
	COG                     *float64   `xml:"COG,omitempty"`
	Heading                 *float64   `xml:"Heading,omitempty"`
	Metadata                []Metadata `xml:"Metadata,omitempty"`
	PeriodOfTime            *Period    `xml:"PeriodOfTime,omitempty"`
	SourceType              string     `xml:"SourceType,omitempty"` // Observation, Declaration, Estimation, Correlation, …
	PlacementPurpose        string     `xml:"PlacementPurpose,omitempty"`
	PlannedOperations       []string   `xml:"PlannedOperations,omitempty"`
	PlannedWorks            string     `xml:"PlannedWorks,omitempty"`
	SensorType              string     `xml:"SensorType,omitempty"` // AutomaticIdentificationSystem, MaritimeRadar, …
	SOG                     *float64   `xml:"SOG,omitempty"`
	SpecialSecurityMeasures string     `xml:"SpecialSecurityMeasures,omitempty"`
	Speed                   *float64   `xml:"Speed,omitempty"`
	LocationRole            string     `xml:"LocationRole,omitempty"`
}

// ObjectEvent is an object's InvolvedEventRel.
type ObjectEvent struct {
	Event             *Event  `xml:"Event,omitempty"`
	ObjectRole        string  `xml:"ObjectRole,omitempty"`
	InvolvementPeriod *Period `xml:"InvolvementPeriod,omitempty"`
}

// ObjectAgent is an object's InvolvedAgentRel.
type ObjectAgent struct {
	Agent             *Agent  `xml:"Agent,omitempty"`
	AgentRole         string  `xml:"AgentRole,omitempty"`
	Duty              string  `xml:"Duty,omitempty"`
	InvolvementPeriod *Period `xml:"InvolvementPeriod,omitempty"`
	TransitPassenger  *bool   `xml:"TransitPassenger,omitempty"`
}

// RiskRel is an InvolvedRiskRel or ImpliedRiskRel.
type RiskRel struct {
	Risk *Risk `xml:"Risk,omitempty"`
}

// DocumentRel is a DocumentRel.
type DocumentRel struct {
	Document *Document `xml:"Document,omitempty"`
}

// LocationRel is a plain LocationRel (of a risk or a document).
type LocationRel struct {
	Location *Location `xml:"Location,omitempty"`
}

// AssetRel is a vehicle's CorrespondentAssetRel.
type AssetRel struct {
	Asset *OperationalAsset `xml:"OperationalAsset,omitempty"`
}

// VehicleRel is an operational asset's CorrespondentVehicleRel.
type VehicleRel struct {
	Vehicle *Vessel `xml:"Vehicle,omitempty"`
}

// EventKind is the data-model type of an Event.
type EventKind string

// Event kinds: the Incident family, Anomaly and Movement.
const (
	KindIncident                   EventKind = "Incident"
	KindIrregularMigrationIncident EventKind = "IrregularMigrationIncident"
	KindLawInfringementIncident    EventKind = "LawInfringementIncident"
	KindMaritimeSafetyIncident     EventKind = "MaritimeSafetyIncident"
	KindPollutionIncident          EventKind = "PollutionIncident"
	KindCrisisIncident             EventKind = "CrisisIncident"
	KindAnomaly                    EventKind = "Anomaly"
	KindMovement                   EventKind = "Movement"
)

// IsIncident reports whether the kind is Incident or one of its subtypes.
func (k EventKind) IsIncident() bool {
	switch k {
	case KindIncident, KindIrregularMigrationIncident, KindLawInfringementIncident,
		KindMaritimeSafetyIncident, KindPollutionIncident, KindCrisisIncident:
		return true
	}
	return false
}

var eventNS = map[EventKind]string{
	KindIncident: "incident", KindIrregularMigrationIncident: "incident", KindLawInfringementIncident: "incident",
	KindMaritimeSafetyIncident: "incident", KindPollutionIncident: "incident", KindCrisisIncident: "incident",
	KindAnomaly: "anomaly", KindMovement: "movement",
}

// Event is a CISE event: an incident of any subtype, an anomaly or a
// movement, told apart by Kind. Only the fields of its kind are written.
type Event struct {
	Kind EventKind

	EventCommon

	// Incident and its subtypes.
	Incident *IncidentFields
	// IncidentType is the subtype's own type: IrregularMigrationIncidentType,
	// LawInfringementIncidentType, MaritimeSafetyIncidentType (also of a
	// PollutionIncident) or CrisisIncidentType.
	IncidentType string
	Pollution    *PollutionFields

	// Anomaly.
	AnomalyType string

	// Movement.
	MovementType string
	Purpose      string
	VoyageNumber string
}

// ElementName is the event's kind.
func (e *Event) ElementName() string { return string(e.Kind) }

// EventCommon holds the fields of the abstract Event every kind has.
type EventCommon struct {
	Identifier        *UniqueIdentifier `xml:"Identifier,omitempty"`
	Metadata          []Metadata        `xml:"Metadata,omitempty"`
	NatureType        string            `xml:"NatureType,omitempty"` // Observed, Declared, Estimated, Simulated
	OccurrencePeriod  *Period           `xml:"OccurrencePeriod,omitempty"`
	InvolvedWithRel   []EventEvent      `xml:"InvolvedWithRel,omitempty"`
	ImpliedRiskRel    []RiskRel         `xml:"ImpliedRiskRel,omitempty"`
	LocationRel       []EventLocation   `xml:"LocationRel,omitempty"`
	InvolvedObjectRel []EventObject     `xml:"InvolvedObjectRel,omitempty"`
	DocumentRel       []DocumentRel     `xml:"DocumentRel,omitempty"`
	InvolvedAgentRel  []EventAgent      `xml:"InvolvedAgentRel,omitempty"`
}

// EventEvent is an event's InvolvedWithRel: another event and how the two
// relate (Causes, Responds, Encompasses, …).
type EventEvent struct {
	Event             *Event  `xml:"Event,omitempty"`
	EventRole         string  `xml:"EventRole,omitempty"`
	InvolvementPeriod *Period `xml:"InvolvementPeriod,omitempty"`
}

// EventLocation is an event's LocationRel.
type EventLocation struct {
	Location     *Location `xml:"Location,omitempty"`
	DateTime     *Period   `xml:"DateTime,omitempty"`
	EventArea    string    `xml:"EventArea,omitempty"`
	LocationRole string    `xml:"LocationRole,omitempty"` // StartPlace, EndPlace, LastPlace, NextPlace
	SourceType   string    `xml:"SourceType,omitempty"`
}

// EventObject is an event's InvolvedObjectRel: a vessel and its role.
type EventObject struct {
	Object            *Vessel `xml:"Object,omitempty"`
	ObjectRole        string  `xml:"ObjectRole,omitempty"` // Participant, Victim, Cause, …
	InvolvementPeriod *Period `xml:"InvolvementPeriod,omitempty"`
}

// EventAgent is an event's InvolvedAgentRel: an agent (an organization)
// and its role (Coordinator, Reporter, Perpetrator, …).
type EventAgent struct {
	Agent             *Agent  `xml:"Agent,omitempty"`
	AgentRole         string  `xml:"AgentRole,omitempty"`
	InvolvementPeriod *Period `xml:"InvolvementPeriod,omitempty"`
}

// IncidentFields are the fields of Incident, in the schema's order.
type IncidentFields struct {
	Certainty          string   `xml:"Certainty,omitempty"` // Observed, Likely, Possible, Unlikely, Unknown
	DeathsOnBoard      *int     `xml:"DeathsOnBoard,omitempty"`
	DiseasesOnBoard    *bool    `xml:"DiseasesOnBoard,omitempty"`
	InfectionOnBoard   *bool    `xml:"InfectionOnBoard,omitempty"`
	Instructions       []string `xml:"Instructions,omitempty"`
	NumberOfIllPersons *int     `xml:"NumberOfIIllPersons,omitempty"` // sic
	ResponseType       []string `xml:"ResponseType,omitempty"`
	ResponseUrgency    string   `xml:"ResponseUrgency,omitempty"` // Immediate, Expected, Future, Past, Unknown
	Severity           string   `xml:"Severity,omitempty"`        // Extreme, Severe, Moderate, Minor, Unknown
	SickAnimalOnBoard  *bool    `xml:"SickAnimalOnBoard,omitempty"`
}

// PollutionFields are what a PollutionIncident adds to a
// MaritimeSafetyIncident.
type PollutionFields struct {
	AreaCoverPercentage string   `xml:"AreaCoverPercentage,omitempty"`
	Characteristics     string   `xml:"Characteristics,omitempty"`
	DriftCourse         *int     `xml:"DriftCourse,omitempty"`
	DriftSpeed          *float64 `xml:"DriftSpeed,omitempty"`
	PollutionType       string   `xml:"PollutionType,omitempty"` // OIL, CHEM, …
	Quantity            *float64 `xml:"Quantity,omitempty"`
}

// Risk is an assessed risk: its level, probability, severity and type.
type Risk struct {
	Identifier        *UniqueIdentifier `xml:"Identifier,omitempty"`
	Metadata          []Metadata        `xml:"Metadata,omitempty"`
	OccurrencePeriod  *Period           `xml:"OccurrencePeriod,omitempty"`
	RiskLevel         string            `xml:"RiskLevel,omitempty"`       // High, Medium, Low
	RiskProbability   string            `xml:"RiskProbability,omitempty"` // Frequent … Improbable
	RiskSeverity      string            `xml:"RiskSeverity,omitempty"`    // Catastrophic, Critical, Marginal, Negligible
	RiskType          string            `xml:"RiskType,omitempty"`        // DrugTrafficking, IllegalImmigration, …
	InvolvedObjectRel []RiskObject      `xml:"InvolvedObjectRel,omitempty"`
	LocationRel       []LocationRel     `xml:"LocationRel,omitempty"`
	ImpliedEventRel   []RiskEvent       `xml:"ImpliedEventRel,omitempty"`
	DocumentRel       []DocumentRel     `xml:"DocumentRel,omitempty"`
	InvolvedAgentRel  []RiskAgent       `xml:"InvolvedAgentRel,omitempty"`
}

// ElementName is "Risk".
func (*Risk) ElementName() string { return "Risk" }

// RiskObject is a risk's InvolvedObjectRel.
type RiskObject struct {
	Object *Vessel `xml:"Object,omitempty"`
}

// RiskEvent is a risk's ImpliedEventRel.
type RiskEvent struct {
	Event *Event `xml:"Event,omitempty"`
}

// RiskAgent is a risk's InvolvedAgentRel.
type RiskAgent struct {
	Agent             *Agent  `xml:"Agent,omitempty"`
	AgentRole         string  `xml:"AgentRole,omitempty"`
	InvolvementPeriod *Period `xml:"InvolvementPeriod,omitempty"`
}

// AgentKind is the data-model type of an Agent.
type AgentKind string

// Agent kinds this package writes.
const (
	KindAgent              AgentKind = "Agent"
	KindOrganization       AgentKind = "Organization"
	KindFormalOrganization AgentKind = "FormalOrganization"
)

// Agent is a CISE agent, organization or formal organization, told apart
// by Kind (empty is Agent). Only the fields of its kind are written.
type Agent struct {
	Kind AgentKind

	ContactInformation string            `xml:"ContactInformation,omitempty"`
	Identifier         *UniqueIdentifier `xml:"Identifier,omitempty"`
	IsOfInterest       *bool             `xml:"IsOfInterest,omitempty"`
	IsSuspect          *bool             `xml:"IsSuspect,omitempty"`
	Metadata           []Metadata        `xml:"Metadata,omitempty"`
	Nationality        []string          `xml:"Nationality,omitempty"`
	LocationRel        []AgentLocation   `xml:"LocationRel,omitempty"`
	DocumentRel        []DocumentRel     `xml:"DocumentRel,omitempty"`

	// Organization.
	Organization *OrganizationFields
	// FormalOrganization.
	FormalOrganizationName string
}

// ElementName is the agent's kind.
func (a *Agent) ElementName() string { return string(a.kind()) }

func (a *Agent) kind() AgentKind {
	if a.Kind == "" {
		return KindAgent
	}
	return a.Kind
}

// AgentLocation is an agent's LocationRel.
type AgentLocation struct {
	Location          *Location `xml:"Location,omitempty"`
	AgentRole         string    `xml:"AgentRole,omitempty"`
	InvolvementPeriod *Period   `xml:"InvolvementPeriod,omitempty"`
}

// OrganizationFields are what an Organization adds to an Agent.
type OrganizationFields struct {
	AlternativeName      string   `xml:"AlternativeName,omitempty"`
	IdentificationNumber string   `xml:"IdentificationNumber,omitempty"`
	LegalName            string   `xml:"LegalName,omitempty"`
	Classification       string   `xml:"OrganizationClassification,omitempty"` // Governmental, MemberState, …
	Purpose              []string `xml:"OrganizationPurpose,omitempty"`        // BorderControl, Customs, …
	Role                 string   `xml:"OrganizationRole,omitempty"`
}

// Document is a CISE document (its subtypes are read as a Document).
type Document struct {
	Identifier  *UniqueIdentifier `xml:"Identifier,omitempty"`
	Metadata    []Metadata        `xml:"Metadata,omitempty"`
	Subject     string            `xml:"Subject,omitempty"`
	Title       string            `xml:"Title,omitempty"`
	Version     string            `xml:"Version,omitempty"`
	LocationRel []LocationRel     `xml:"LocationRel,omitempty"`
}

// ElementName is "Document".
func (*Document) ElementName() string { return "Document" }

// OperationalAsset is an own asset: a patrol boat, an aircraft, …
type OperationalAsset struct {
	AvailabilityPeriod      *Period           `xml:"AvailabilityPeriod,omitempty"`
	Identifier              *UniqueIdentifier `xml:"Identifier,omitempty"`
	MaxPassengers           *int              `xml:"MaxPassengers,omitempty"`
	MaxSpeed                *float64          `xml:"MaxSpeed,omitempty"`
	Metadata                []Metadata        `xml:"Metadata,omitempty"`
	Type                    string            `xml:"OperationalAssetType,omitempty"`  // PatrolBoat, Aircraft, Helicopter, …
	Capability              string            `xml:"OperationalCapability,omitempty"` // Patrolling, SearchAndRescue, …
	Range                   *float64          `xml:"Range,omitempty"`
	ReadinessState          TimeOfDay         `xml:"ReadinessState"`
	CorrespondentVehicleRel *VehicleRel       `xml:"CorrespondentVehicleRel,omitempty"`
}

// ElementName is "OperationalAsset".
func (*OperationalAsset) ElementName() string { return "OperationalAsset" }

// xsiType returns the attributes that name an element's actual type, for
// an element whose name is not its type's (a Vessel in an Object slot, an
// Anomaly in an Event slot, an Organization in an Agent slot). An element
// named as its type needs none, which keeps payload entities as the
// reference writes them.
func xsiType(name, typeName, pkg string) []attr {
	if name == typeName {
		return nil
	}
	return []attr{{"xmlns", "xsi", nsXSI}, {"xmlns", pkg, nsDataModel + pkg + "/"}, {"xsi", "type", pkg + ":" + typeName}}
}

// typeOf returns the local part of an element's xsi:type, or its name.
// The type's prefix is not resolved: the data model's type names are
// unique across its namespaces, and reading leniently takes what a sender
// meant (and so is an xsi prefix that is not declared).
func typeOf(n *node) string {
	for _, a := range n.attrs {
		if s := n.resolve(a.prefix); a.local == "type" && a.prefix != "" && (s == nsXSI || s == "xsi") {
			v := strings.TrimSpace(a.value)
			if i := strings.LastIndexByte(v, ':'); i >= 0 {
				v = v[i+1:]
			}
			return v
		}
	}
	return n.local
}

type vesselView Vessel

// writeXML writes the vessel, naming its type where the element's name
// does not.
func (v *Vessel) writeXML(w *writer, name string) {
	w.element(name, xsiType(name, "Vessel", "vessel"), (*vesselView)(v))
}

// decodeTree reads a vessel. An object of another type (an Aircraft in an
// Object slot) is skipped and leaves the vessel empty.
func (v *Vessel) decodeTree(n *node) error {
	if t := typeOf(n); t != "Vessel" && t != n.local {
		return nil
	}
	return decodeStruct(n, reflect.ValueOf((*vesselView)(v)).Elem())
}

// The views an Event is written through, one per kind, so that only the
// kind's fields go out, in the schema's order.
type (
	incidentView struct {
		*EventCommon
		*IncidentFields
	}
	irregularMigrationView struct {
		*EventCommon
		*IncidentFields
		Type string `xml:"IrregularMigrationIncidentType,omitempty"`
	}
	lawInfringementView struct {
		*EventCommon
		*IncidentFields
		Type string `xml:"LawInfringementIncidentType,omitempty"`
	}
	maritimeSafetyView struct {
		*EventCommon
		*IncidentFields
		Type string `xml:"MaritimeSafetyIncidentType,omitempty"`
	}
	pollutionView struct {
		*EventCommon
		*IncidentFields
		Type string `xml:"MaritimeSafetyIncidentType,omitempty"`
		*PollutionFields
	}
	crisisView struct {
		*EventCommon
		*IncidentFields
		Type string `xml:"CrisisIncidentType,omitempty"`
	}
	anomalyView struct {
		*EventCommon
		AnomalyType string `xml:"AnomalyType,omitempty"`
	}
	movementView struct {
		*EventCommon
		MovementType string `xml:"MovementType,omitempty"`
		Purpose      string `xml:"Purpose,omitempty"`
		VoyageNumber string `xml:"VoyageNumber,omitempty"`
	}
	// eventWire is what every kind is read through.
	eventWire struct {
		EventCommon
		IncidentFields
		IrregularMigrationIncidentType string `xml:"IrregularMigrationIncidentType"`
		LawInfringementIncidentType    string `xml:"LawInfringementIncidentType"`
		MaritimeSafetyIncidentType     string `xml:"MaritimeSafetyIncidentType"`
		CrisisIncidentType             string `xml:"CrisisIncidentType"`
		PollutionFields
		AnomalyType  string `xml:"AnomalyType"`
		MovementType string `xml:"MovementType"`
		Purpose      string `xml:"Purpose"`
		VoyageNumber string `xml:"VoyageNumber"`
	}
)

// writeXML writes the event as its kind, naming the kind in xsi:type
// where the element's name does not.
func (ev *Event) writeXML(w *writer, name string) {
	pkg, ok := eventNS[ev.Kind]
	if !ok {
		w.fail(invalidf("event kind %q", ev.Kind))
		return
	}
	c, f := &ev.EventCommon, ev.Incident
	var v any
	switch ev.Kind {
	case KindIncident:
		v = &incidentView{c, f}
	case KindIrregularMigrationIncident:
		v = &irregularMigrationView{c, f, ev.IncidentType}
	case KindLawInfringementIncident:
		v = &lawInfringementView{c, f, ev.IncidentType}
	case KindMaritimeSafetyIncident:
		v = &maritimeSafetyView{c, f, ev.IncidentType}
	case KindPollutionIncident:
		v = &pollutionView{c, f, ev.IncidentType, ev.Pollution}
	case KindCrisisIncident:
		v = &crisisView{c, f, ev.IncidentType}
	case KindAnomaly:
		v = &anomalyView{c, ev.AnomalyType}
	case KindMovement:
		v = &movementView{c, ev.MovementType, ev.Purpose, ev.VoyageNumber}
	}
	w.element(name, xsiType(name, string(ev.Kind), pkg), v)
}

// decodeTree reads an event of any kind, from its xsi:type or its
// element's name; an event of a kind not modelled here (an Action) is
// skipped and leaves Kind empty.
func (ev *Event) decodeTree(n *node) error {
	kind := EventKind(typeOf(n))
	if _, ok := eventNS[kind]; !ok {
		*ev = Event{}
		return nil
	}
	var w eventWire
	if err := decodeStruct(n, reflect.ValueOf(&w).Elem()); err != nil {
		return err
	}
	*ev = Event{Kind: kind, EventCommon: w.EventCommon}
	switch {
	case kind == KindAnomaly:
		ev.AnomalyType = w.AnomalyType
	case kind == KindMovement:
		ev.MovementType, ev.Purpose, ev.VoyageNumber = w.MovementType, w.Purpose, w.VoyageNumber
	default:
		if !reflect.ValueOf(w.IncidentFields).IsZero() {
			f := w.IncidentFields
			ev.Incident = &f
		}
		switch kind {
		case KindIrregularMigrationIncident:
			ev.IncidentType = w.IrregularMigrationIncidentType
		case KindLawInfringementIncident:
			ev.IncidentType = w.LawInfringementIncidentType
		case KindMaritimeSafetyIncident, KindPollutionIncident:
			ev.IncidentType = w.MaritimeSafetyIncidentType
		case KindCrisisIncident:
			ev.IncidentType = w.CrisisIncidentType
		}
		if kind == KindPollutionIncident && w.PollutionFields != (PollutionFields{}) {
			p := w.PollutionFields
			ev.Pollution = &p
		}
	}
	return nil
}

type (
	agentCommon struct {
		ContactInformation string            `xml:"ContactInformation,omitempty"`
		Identifier         *UniqueIdentifier `xml:"Identifier,omitempty"`
		IsOfInterest       *bool             `xml:"IsOfInterest,omitempty"`
		IsSuspect          *bool             `xml:"IsSuspect,omitempty"`
		Metadata           []Metadata        `xml:"Metadata,omitempty"`
		Nationality        []string          `xml:"Nationality,omitempty"`
		LocationRel        []AgentLocation   `xml:"LocationRel,omitempty"`
		DocumentRel        []DocumentRel     `xml:"DocumentRel,omitempty"`
	}
	organizationView struct {
		*agentCommon
		*OrganizationFields
	}
	formalOrganizationView struct {
		*agentCommon
		*OrganizationFields
		FormalOrganizationName string `xml:"FormalOrganizationName,omitempty"`
	}
	agentWire struct {
		agentCommon
		OrganizationFields
		FormalOrganizationName string `xml:"FormalOrganizationName"`
	}
)

func (a *Agent) common() *agentCommon {
	return &agentCommon{a.ContactInformation, a.Identifier, a.IsOfInterest, a.IsSuspect, a.Metadata, a.Nationality, a.LocationRel, a.DocumentRel}
}

// writeXML writes the agent as its kind, naming the kind in xsi:type
// where the element's name does not.
func (a *Agent) writeXML(w *writer, name string) {
	switch k := a.kind(); k {
	case KindAgent:
		w.element(name, xsiType(name, "Agent", "agent"), a.common())
	case KindOrganization:
		w.element(name, xsiType(name, "Organization", "organization"), &organizationView{a.common(), a.Organization})
	case KindFormalOrganization:
		w.element(name, xsiType(name, "FormalOrganization", "organization"),
			&formalOrganizationView{a.common(), a.Organization, a.FormalOrganizationName})
	default:
		w.fail(invalidf("agent kind %q", k))
	}
}

// decodeTree reads an agent, organization or formal organization; other
// agents (a Person) are read as a plain Agent.
func (a *Agent) decodeTree(n *node) error {
	var w agentWire
	if err := decodeStruct(n, reflect.ValueOf(&w).Elem()); err != nil {
		return err
	}
	c := w.agentCommon
	*a = Agent{Kind: KindAgent, ContactInformation: c.ContactInformation, Identifier: c.Identifier,
		IsOfInterest: c.IsOfInterest, IsSuspect: c.IsSuspect, Metadata: c.Metadata, Nationality: c.Nationality,
		LocationRel: c.LocationRel, DocumentRel: c.DocumentRel}
	switch typeOf(n) {
	case "Organization", "GeneratedBy", "CorrelatedBy":
		a.Kind = KindOrganization
	case "FormalOrganization":
		a.Kind, a.FormalOrganizationName = KindFormalOrganization, w.FormalOrganizationName
	}
	if a.Kind != KindAgent {
		o := w.OrganizationFields
		a.Organization = &o
	}
	return nil
}
