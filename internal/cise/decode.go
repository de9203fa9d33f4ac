package cise

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxMessageSize is the largest document Decode and Verifier.Open read.
// The reference's gateways cap messages at a few megabytes; a peer that
// sends more is refused rather than held in memory.
const MaxMessageSize = 16 << 20

// messageWire is what a message is read through: every field of every
// kind, matched by local name in any order and any namespace.
type messageWire struct {
	ContextID          string             `xml:"ContextID"`
	CorrelationID      string             `xml:"CorrelationID"`
	Created            DateTime           `xml:"CreationDateTime"`
	ID                 string             `xml:"MessageID"`
	Priority           string             `xml:"Priority"`
	RequiresAck        bool               `xml:"RequiresAck"`
	Sender             *Service           `xml:"Sender"`
	Recipient          *Service           `xml:"Recipient"`
	Payload            *Payload           `xml:"Payload"`
	Reliability        string             `xml:"Reliability>RetryStrategy"`
	CcRecipients       []Service          `xml:"CcRecipients"`
	DiscoveryProfiles  []ServiceProfile   `xml:"DiscoveryProfiles"`
	PullType           string             `xml:"PullType"`
	ResponseTimeOut    int                `xml:"ResponseTimeOut"`
	Requests           *ServiceCapability `xml:"Requests"`
	Selectors          []Selector         `xml:"PayloadSelector>Selectors"`
	ErrorDetail        string             `xml:"ErrorDetail"`
	ResultCode         AckCode            `xml:"ResultCode"`
	Fulfils            *ServiceCapability `xml:"Fulfils"`
	FeedbackType       string             `xml:"FeedbackType"`
	Reason             string             `xml:"Reason"`
	RefMessageID       string             `xml:"RefMessageID"`
	AckCode            AckCode            `xml:"AckCode"`
	AckDetail          string             `xml:"AckDetail"`
	DiscoveredServices []Service          `xml:"DiscoveredServices"`
	Signature          *struct{}          `xml:"http://www.w3.org/2000/09/xmldsig# Signature"`
}

// Decode reads a CISE message, leniently: elements in any order and with
// or without a namespace, entities qualified or not, unknown elements and
// entities skipped (the entities' names are kept in Payload.Unknown),
// surrounding whitespace trimmed, every lexical form of a date. It
// refuses what is not one well-formed document (ErrMalformed), a DTD
// (ErrMalformed: no entity expansion) and a root that is not a message
// (ErrNotMessage). It does not verify the signature: Verifier.Open does.
func Decode(data []byte) (*Message, error) {
	if len(data) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes, over %d", ErrMalformed, len(data), MaxMessageSize)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	start, err := rootElement(d)
	if err != nil {
		return nil, err
	}
	kind := Kind(start.Name.Local)
	switch kind {
	case KindPush, KindPullRequest, KindPullResponse, KindFeedback, KindAcknowledgement:
	default:
		return nil, fmt.Errorf("%w: root element %s", ErrNotMessage, start.Name.Local)
	}
	if start.Name.Space != NSMessage && start.Name.Space != "" {
		return nil, fmt.Errorf("%w: %s in namespace %q", ErrNotMessage, start.Name.Local, start.Name.Space)
	}
	var w messageWire
	if err := d.DecodeElement(&w, &start); err != nil {
		return nil, malformed(err)
	}
	if err := trailer(d); err != nil {
		return nil, err
	}
	return &Message{
		Kind: kind, ContextID: trim(w.ContextID), CorrelationID: trim(w.CorrelationID), Created: w.Created.Time,
		ID: trim(w.ID), Priority: trim(w.Priority), RequiresAck: w.RequiresAck, Sender: w.Sender, Recipient: w.Recipient,
		Payload: w.Payload, Reliability: trim(w.Reliability), CcRecipients: w.CcRecipients,
		DiscoveryProfiles: w.DiscoveryProfiles, PullType: trim(w.PullType), ResponseTimeOut: w.ResponseTimeOut,
		Requests: w.Requests, Selectors: w.Selectors, ErrorDetail: w.ErrorDetail, ResultCode: AckCode(trim(string(w.ResultCode))),
		Fulfils: w.Fulfils, FeedbackType: trim(w.FeedbackType), Reason: w.Reason, RefMessageID: trim(w.RefMessageID),
		AckCode: AckCode(trim(string(w.AckCode))), AckDetail: w.AckDetail, DiscoveredServices: w.DiscoveredServices,
		Signed: w.Signature != nil,
	}, nil
}

// DecodeEntity reads one entity standing alone (as EncodeEntity writes it).
func DecodeEntity(data []byte) (Entity, error) {
	if len(data) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes, over %d", ErrMalformed, len(data), MaxMessageSize)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	start, err := rootElement(d)
	if err != nil {
		return nil, err
	}
	ent := newEntity(typeOf(start))
	if ent == nil {
		return nil, fmt.Errorf("%w: %s is not an entity this package reads", ErrMalformed, start.Name.Local)
	}
	if err := d.DecodeElement(ent, &start); err != nil {
		return nil, malformed(err)
	}
	if err := trailer(d); err != nil {
		return nil, err
	}
	return ent, nil
}

func trim(s string) string { return strings.TrimSpace(s) }

func malformed(err error) error {
	if errors.Is(err, ErrMalformed) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}

// rootElement reads up to the root element, refusing a DTD (and with it
// any entity declaration) and text before it.
func rootElement(d *xml.Decoder) (xml.StartElement, error) {
	for {
		t, err := d.Token()
		if err == io.EOF {
			return xml.StartElement{}, fmt.Errorf("%w: no root element", ErrMalformed)
		}
		if err != nil {
			return xml.StartElement{}, malformed(err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			return t, nil
		case xml.Directive:
			return xml.StartElement{}, fmt.Errorf("%w: DTD or other directive", ErrMalformed)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, fmt.Errorf("%w: text before the root element", ErrMalformed)
			}
		}
	}
}

// trailer checks that nothing but comments, processing instructions and
// whitespace follows the root element: what a signature covers is then
// exactly what was read.
func trailer(d *xml.Decoder) error {
	for {
		t, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return malformed(err)
		}
		switch t := t.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("%w: text after the root element", ErrMalformed)
			}
		case xml.Comment, xml.ProcInst:
		default:
			return fmt.Errorf("%w: content after the root element", ErrMalformed)
		}
	}
}

// newEntity returns a new entity for a top-level element (or xsi:type)
// name, nil for one this package does not model.
func newEntity(name string) Entity {
	switch name {
	case "Vessel":
		return &Vessel{}
	case "Location", "NamedLocation", "PortLocation", "PortFacilityLocation":
		return &Location{}
	case "Risk":
		return &Risk{}
	case "Document", "EventDocument", "VesselDocument", "RiskDocument", "LocationDocument", "CargoDocument",
		"CertificateDocument", "OrganizationDocument", "PersonDocument", "Stream":
		return &Document{}
	case "OperationalAsset":
		return &OperationalAsset{}
	case "Agent", "Organization", "FormalOrganization", "OrganizationalUnit", "OrganizationalCollaboration", "PortOrganization":
		return &Agent{}
	}
	if _, ok := eventNS[EventKind(name)]; ok {
		return &Event{}
	}
	return nil
}

// UnmarshalXML reads a payload of either kind and its entities.
func (p *Payload) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	*p = Payload{}
	for {
		t, err := d.Token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if err := p.child(d, t); err != nil {
				return err
			}
		}
	}
}

func (p *Payload) child(d *xml.Decoder, t xml.StartElement) error {
	var s string
	var dst *string
	switch t.Name.Local {
	case "InformationSecurityLevel":
		dst = &p.SecurityLevel
	case "InformationSensitivity":
		dst = &p.Sensitivity
	case "Purpose":
		dst = &p.Purpose
	case "Entities":
		dst = &p.Encrypted
	case "IsPersonalData":
		return d.DecodeElement(&p.PersonalData, &t)
	case "EnsureEncryption":
		return d.DecodeElement(&p.EnsureEncryption, &t)
	case "RetentionPeriod":
		var dt DateTime
		if err := d.DecodeElement(&dt, &t); err != nil {
			return err
		}
		p.RetentionPeriod = dt.Time
		return nil
	default:
		ent := newEntity(typeOf(t))
		if ent == nil {
			p.Unknown = append(p.Unknown, t.Name.Local)
			return d.Skip()
		}
		if err := d.DecodeElement(ent, &t); err != nil {
			return err
		}
		p.Entities = append(p.Entities, ent)
		return nil
	}
	if err := d.DecodeElement(&s, &t); err != nil {
		return err
	}
	*dst = strings.TrimSpace(s)
	return nil
}
