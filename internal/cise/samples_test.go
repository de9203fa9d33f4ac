package cise

import "time"

// Samples with every field this package writes set, so that the schema
// tests see every element in its place.

var sampleTime = time.Date(2026, 3, 14, 2, 35, 7, 250_000_000, time.UTC)

func ptr[T any](v T) *T { return &v }

func sampleService(id, op, role string) *Service {
	return &Service{DataFreshness: "RealTime", SeaBasin: "Mediterranean", ServiceID: id, ServiceOperation: op,
		ServiceRole: role, ServiceStatus: "Online", ServiceType: "IncidentService",
		Capability: &ServiceCapability{ExpectedResponseTime: 5, MaxEntitiesPerMsg: 100, MaxNumberOfRequests: 10, QueryByExampleType: "BestEffort"}}
}

func sampleIdentifier(uuid string) *UniqueIdentifier {
	return &UniqueIdentifier{
		GeneratedBy: &Agent{Kind: KindOrganization, Organization: &OrganizationFields{LegalName: "ESP-NCC"}},
		GeneratedIn: At(sampleTime), UUID: uuid,
		CorrelatedWith: []Correlation{{
			Identifier: &UniqueIdentifier{GeneratedIn: At(sampleTime), UUID: uuid + "-other"},
			Type:       "Automatic", CorrelatedIn: At(sampleTime),
			CorrelatedBy: &Agent{Kind: KindOrganization, Organization: &OrganizationFields{LegalName: "PRT-NCC"}},
		}},
	}
}

func sampleMetadata() Metadata {
	return Metadata{
		Abstract: "abstract", Comments: "comments", CreationDate: At(sampleTime),
		Creator:     &Agent{Kind: KindOrganization, Organization: &OrganizationFields{LegalName: "ESP-NCC"}},
		Description: "description", Designation: "go_fast", FileMediaType: "image/jpeg",
		FileSchema: "urn:schema", FileURI: "https://example.org/f", ReliabilityLevel: "HighConfidence",
		SecurityClassification: "EURestricted", SensitivityDegree: "Amber", Language: "en",
		PublicationDate: At(sampleTime), Publisher: &Agent{ContactInformation: "duty officer"},
		ValidityPeriod: PeriodOf(sampleTime, sampleTime.Add(time.Hour)),
	}
}

func sampleLocation() *Location {
	return &Location{
		Geometry:            []Geometry{{Altitude: "0", Latitude: "36.0123", Longitude: "-5.4567", WKT: "POINT(-5.4567 36.0123)", XMLGeometry: "<gml/>"}},
		QualitativeAccuracy: "High", Zone: []string{"TerritorialWaters"}, Metadata: []Metadata{sampleMetadata()},
		OperationalPurpose: "Surveillance area",
	}
}

func sampleDocument() *Document {
	return &Document{Identifier: sampleIdentifier("doc-1"), Metadata: []Metadata{sampleMetadata()}, Subject: "subject",
		Title: "title", Version: "1", LocationRel: []LocationRel{{Location: sampleLocation()}}}
}

func sampleAgent(kind AgentKind) *Agent {
	a := &Agent{Kind: kind, ContactInformation: "+34 000", Identifier: sampleIdentifier("agent-1"),
		IsOfInterest: ptr(true), IsSuspect: ptr(false), Metadata: []Metadata{sampleMetadata()}, Nationality: []string{"ES"},
		LocationRel: []AgentLocation{{Location: sampleLocation(), AgentRole: "IsLocatedIn", InvolvementPeriod: PeriodOf(sampleTime, time.Time{})}},
		DocumentRel: []DocumentRel{{Document: sampleDocument()}}}
	if kind != KindAgent {
		a.Organization = &OrganizationFields{AlternativeName: "NCC", IdentificationNumber: "42", LegalName: "Guardia Civil",
			Classification: "Governmental", Purpose: []string{"BorderControl", "Customs"}, Role: "NationalCompetentAuthority"}
	}
	if kind == KindFormalOrganization {
		a.FormalOrganizationName = "Guardia Civil"
	}
	return a
}

func sampleRisk() *Risk {
	return &Risk{Identifier: sampleIdentifier("risk-1"), Metadata: []Metadata{sampleMetadata()},
		OccurrencePeriod: PeriodOf(sampleTime, sampleTime.Add(time.Hour)), RiskLevel: "High", RiskProbability: "Probable",
		RiskSeverity: "Critical", RiskType: "DrugTrafficking",
		InvolvedObjectRel: []RiskObject{{Object: &Vessel{MMSI: 224000001}}},
		LocationRel:       []LocationRel{{Location: sampleLocation()}},
		ImpliedEventRel:   []RiskEvent{{Event: &Event{Kind: KindAnomaly, AnomalyType: "UnexpectedMovement"}}},
		DocumentRel:       []DocumentRel{{Document: sampleDocument()}},
		InvolvedAgentRel:  []RiskAgent{{Agent: sampleAgent(KindOrganization), AgentRole: "Reports", InvolvementPeriod: PeriodOf(sampleTime, time.Time{})}},
	}
}

func sampleAsset() *OperationalAsset {
	return &OperationalAsset{AvailabilityPeriod: PeriodOf(sampleTime, sampleTime.Add(8*time.Hour)), Identifier: sampleIdentifier("asset-1"),
		MaxPassengers: ptr(12), MaxSpeed: ptr(40.0), Metadata: []Metadata{sampleMetadata()}, Type: "PatrolBoat",
		Capability: "Patrolling", Range: ptr(300.0), ReadinessState: TimeOfDay{sampleTime},
		CorrespondentVehicleRel: &VehicleRel{Vehicle: &Vessel{Name: []string{"RIO ADAJA"}, MMSI: 224000999}}}
}

func sampleVessel() *Vessel {
	return &Vessel{
		Colour: []string{"Grey"}, ExternalMarkings: []string{"GC-1"}, Identifier: sampleIdentifier("ESP-NCC/track/42"),
		Metadata: []Metadata{sampleMetadata()}, Name: []string{"NUEVO SOL"},
		InvolvedRiskRel: []RiskRel{{Risk: &Risk{RiskType: "Smuggling", RiskLevel: "Medium"}}},
		LocationRel: []ObjectLocation{{
			Location: sampleLocation(), COG: ptr(0.0), Heading: ptr(359.5), Metadata: []Metadata{sampleMetadata()},
			PeriodOfTime: PeriodOf(sampleTime, time.Time{}), SourceType: "Observation", PlacementPurpose: "InTransit",
			PlannedOperations: []string{"Loading"}, PlannedWorks: "Inspection", SensorType: "MaritimeRadar",
			SOG: ptr(31.5), SpecialSecurityMeasures: "none", Speed: ptr(31.5), LocationRole: "PortOfRegistry",
		}},
		InvolvedEventRel: []ObjectEvent{{Event: &Event{Kind: KindAnomaly, AnomalyType: "WithoutAISTransmission"},
			ObjectRole: "Participant", InvolvementPeriod: PeriodOf(sampleTime, time.Time{})}},
		DocumentRel: []DocumentRel{{Document: sampleDocument()}},
		InvolvedAgentRel: []ObjectAgent{{Agent: sampleAgent(KindAgent), AgentRole: "Owner", Duty: "Agent",
			InvolvementPeriod: PeriodOf(sampleTime, time.Time{}), TransitPassenger: ptr(false)}},
		MaximumSpeed: ptr(55.0), Nationality: []string{"ES"}, TotalPersonsOnBoard: ptr(3),
		CorrespondentAssetRel: &AssetRel{Asset: &OperationalAsset{Type: "PatrolBoat"}},
		Arrangement:           "open", Beam: 3, Breadth: 3, CallSign: "EA1234", ConditionOfTheCargoAndBallast: "Empty",
		ContainerCapacity: 0, Deadweight: 2, Depth: 1.5, DesignSpeed: 50, Draught: 0.8, FishingGear: "TrawlNets",
		GrossTonnage: 5.5, HullMaterial: "HighStrengthSteel", IMONumber: 9074729, INFShipClass: "INF1", INMARSATNumber: "123",
		IRNumber: "ESP000001", ISPSSecurityLevel: "SecurityLevel1", IsBanned: ptr(false), IsFishing: ptr(false), LOA: 14,
		Length: 14, LengthenedYear: 2010, MMSI: 224123456, NavigationalStatus: "UnderWayUsingEngine", NetTonnage: 3,
		RegionalIdentification: "R-1", RegistryDate: Date{sampleTime}, RegistryNumber: "RN-1", SegregatedBallastVolume: 1,
		ShipConfiguration: "DoubleHullTanker", ShipType: []string{"HighSpeedCraft", "Other"}, UVI: "UVI-1",
		UnderSanitaryMeasure: "Quarantine", YearBuilt: 2005,
	}
}

func sampleIncident(kind EventKind, typ string) *Event {
	ev := &Event{Kind: kind, IncidentType: typ,
		EventCommon: EventCommon{
			Identifier: sampleIdentifier("ESP-NCC/incident/INC-000001"), Metadata: []Metadata{sampleMetadata()},
			NatureType: "Observed", OccurrencePeriod: PeriodOf(sampleTime, sampleTime.Add(time.Hour)),
			InvolvedWithRel: []EventEvent{{Event: &Event{Kind: KindAnomaly, AnomalyType: "UnexpectedMovement",
				EventCommon: EventCommon{Identifier: &UniqueIdentifier{UUID: "ESP-NCC/event/go_fast-000001"}}},
				EventRole: "Causes", InvolvementPeriod: PeriodOf(sampleTime, time.Time{})}},
			ImpliedRiskRel: []RiskRel{{Risk: &Risk{RiskType: "DrugTrafficking", RiskLevel: "High", RiskSeverity: "Critical"}}},
			LocationRel: []EventLocation{{Location: sampleLocation(), DateTime: PeriodOf(sampleTime, time.Time{}), EventArea: "GEN",
				LocationRole: "LastPlace", SourceType: "Observation"}},
			InvolvedObjectRel: []EventObject{{Object: &Vessel{MMSI: 224123456, Name: []string{"NUEVO SOL"}}, ObjectRole: "Participant",
				InvolvementPeriod: PeriodOf(sampleTime, time.Time{})}},
			DocumentRel: []DocumentRel{{Document: sampleDocument()}},
			InvolvedAgentRel: []EventAgent{{Agent: sampleAgent(KindOrganization), AgentRole: "Coordinator",
				InvolvementPeriod: PeriodOf(sampleTime, time.Time{})}},
		},
		Incident: &IncidentFields{Certainty: "Likely", DeathsOnBoard: ptr(0), DiseasesOnBoard: ptr(false), InfectionOnBoard: ptr(false),
			Instructions: []string{"intercept"}, NumberOfIllPersons: ptr(0), ResponseType: []string{"Monitor", "Execute"},
			ResponseUrgency: "Immediate", Severity: "Severe", SickAnimalOnBoard: ptr(false)},
	}
	if kind == KindPollutionIncident {
		ev.Pollution = &PollutionFields{AreaCoverPercentage: "5", Characteristics: "sheen", DriftCourse: ptr(90), DriftSpeed: ptr(0.5),
			PollutionType: "OIL", Quantity: ptr(2.0)}
	}
	return ev
}

func sampleEvents() []*Event {
	return []*Event{
		sampleIncident(KindIncident, ""),
		sampleIncident(KindIrregularMigrationIncident, "IrregularEntryAttempt"),
		sampleIncident(KindLawInfringementIncident, "DrugSmugglingHashish"),
		sampleIncident(KindMaritimeSafetyIncident, "EngineFailure"),
		sampleIncident(KindPollutionIncident, "Pollution"),
		sampleIncident(KindCrisisIncident, "HumanitarianCrisis"),
		{Kind: KindAnomaly, AnomalyType: "PerformingAISSpoofing", EventCommon: EventCommon{Identifier: sampleIdentifier("a"),
			InvolvedObjectRel: []EventObject{{Object: &Vessel{MMSI: 1}, ObjectRole: "Cause"}}}},
		{Kind: KindMovement, MovementType: "Voyage", Purpose: "fishing", VoyageNumber: "V1",
			EventCommon: EventCommon{LocationRel: []EventLocation{{Location: sampleLocation(), LocationRole: "NextPlace"}}}},
	}
}

// sampleEntities has one entity of every type and kind this package writes.
func sampleEntities() []Entity {
	ents := []Entity{sampleVessel(), sampleLocation(), sampleRisk(), sampleDocument(), sampleAsset(),
		sampleAgent(KindAgent), sampleAgent(KindOrganization), sampleAgent(KindFormalOrganization)}
	for _, e := range sampleEvents() {
		ents = append(ents, e)
	}
	return ents
}

func samplePayload() *Payload {
	return &Payload{SecurityLevel: SecurityEURestricted, Sensitivity: TLPAmber, PersonalData: true, Purpose: PurposeBorderMonitoring,
		RetentionPeriod: sampleTime.Add(90 * 24 * time.Hour), EnsureEncryption: false, Entities: sampleEntities()}
}

// sampleMessages has one message of every kind, every field set, and a
// subscribe, an unsubscribe and an encrypted push.
func sampleMessages() map[string]*Message {
	header := func(k Kind) *Message {
		return &Message{Kind: k, ContextID: "ctx-1", CorrelationID: "corr-1", Created: sampleTime, ID: "msg-" + string(k),
			Priority: PriorityHigh, RequiresAck: true, Sender: sampleService("es.ncc.incident.push.provider", "Push", "Provider"),
			Recipient: sampleService("pt.ncc.incident.push.consumer", "Push", "Consumer"), Payload: samplePayload(),
			Reliability: "HighReliability", CcRecipients: []Service{*sampleService("eu.frontex.incident.push.consumer", "Push", "Consumer")}}
	}
	profile := ServiceProfile{Community: "BorderControl", Country: "PT", DataFreshness: "RealTime", Function: "BorderMonitoring",
		SeaBasin: "Atlantic", ServiceID: "pt.ncc.incident.push.consumer", ServiceOperation: "Push", ServiceRole: "Consumer",
		ServiceType: "IncidentService", ServiceStatus: "Online", Capability: &ServiceCapability{MaxEntitiesPerMsg: 10}}
	push := header(KindPush)
	push.DiscoveryProfiles = []ServiceProfile{profile}
	pull := header(KindPullRequest)
	pull.PullType, pull.ResponseTimeOut = PullRequestType, 30
	pull.Requests = &ServiceCapability{MaxEntitiesPerMsg: 5, QueryByExampleType: "ExactSearch"}
	pull.DiscoveryProfiles = []ServiceProfile{profile}
	pull.Selectors = []Selector{{Selector: "//Vessel/MMSI", Operator: "EQUAL"}}
	sub := header(KindPullRequest)
	sub.PullType = PullSubscribe
	unsub := header(KindPullRequest)
	unsub.PullType, unsub.Payload = PullUnsubscribe, nil
	resp := header(KindPullResponse)
	resp.ErrorDetail, resp.ResultCode, resp.Fulfils = "none", AckSuccess, &ServiceCapability{QueryByExampleType: "BestEffort"}
	fb := header(KindFeedback)
	fb.FeedbackType, fb.Reason, fb.RefMessageID = "delete", "sent by mistake", "msg-Push"
	ack := header(KindAcknowledgement)
	ack.Payload = nil
	ack.AckCode, ack.AckDetail = AckAuthenticationError, "signature does not verify"
	ack.DiscoveredServices = []Service{*sampleService("pt.ncc.incident.push.consumer", "Push", "Consumer")}
	enc := header(KindPush)
	enc.Payload.Encrypted, enc.Payload.EnsureEncryption = "ZW5jcnlwdGVk", true
	minimal := &Message{Kind: KindPush, Created: sampleTime, ID: "m", Priority: PriorityLow}
	return map[string]*Message{"push": push, "pull": pull, "subscribe": sub, "unsubscribe": unsub, "response": resp,
		"feedback": fb, "ack": ack, "encrypted": enc, "minimal": minimal}
}
