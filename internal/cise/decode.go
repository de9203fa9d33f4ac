package cise

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
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
	doc, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	return decodeMessage(doc)
}

// parseDocument reads a document of at most MaxMessageSize into a tree.
func parseDocument(data []byte) (*document, error) {
	if len(data) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes, over %d", ErrMalformed, len(data), MaxMessageSize)
	}
	return parseTree(data)
}

// decodeMessage reads the message whose tree doc is.
func decodeMessage(doc *document) (*Message, error) {
	root := doc.root
	kind := Kind(root.local)
	switch kind {
	case KindPush, KindPullRequest, KindPullResponse, KindFeedback, KindAcknowledgement:
	default:
		return nil, fmt.Errorf("%w: root element %s", ErrNotMessage, root.local)
	}
	if ns := root.space(); ns != NSMessage && ns != "" {
		return nil, fmt.Errorf("%w: %s in namespace %q", ErrNotMessage, root.local, ns)
	}
	var w messageWire
	if err := decodeValue(root, reflect.ValueOf(&w).Elem()); err != nil {
		return nil, malformed(err)
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
	doc, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	ent := newEntity(typeOf(doc.root))
	if ent == nil {
		return nil, fmt.Errorf("%w: %s is not an entity this package reads", ErrMalformed, doc.root.local)
	}
	if err := decodeValue(doc.root, reflect.ValueOf(ent)); err != nil {
		return nil, malformed(err)
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

// The rest of the file reads values from the tree through the structs'
// xml tags (tags.go), as encoding/xml's Unmarshal reads them from a
// document: a child element fills the field of its local name, repeated
// elements fill a slice, unknown elements are skipped; a string is the
// element's own text, a number or boolean that text trimmed.

// treeDecoder is a type that reads itself from its element: dates and
// times, the payload, and the entities whose kind the element's name or
// xsi:type says.
type treeDecoder interface {
	decodeTree(n *node) error
}

// decodeValue reads element n into v.
func decodeValue(n *node, v reflect.Value) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		if d, ok := v.Addr().Interface().(treeDecoder); ok {
			return d.decodeTree(n)
		}
		return decodeStruct(n, v)
	case reflect.Slice:
		v.Grow(1)
		v.SetLen(v.Len() + 1)
		return decodeValue(n, v.Index(v.Len()-1))
	case reflect.String:
		v.SetString(n.content())
		return nil
	}
	s := trim(n.content())
	if s == "" {
		v.SetZero()
		return nil
	}
	var err error
	switch v.Kind() {
	case reflect.Bool:
		var b bool
		b, err = strconv.ParseBool(s)
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		var i int64
		i, err = strconv.ParseInt(s, 10, v.Type().Bits())
		v.SetInt(i)
	case reflect.Float64:
		var f float64
		f, err = strconv.ParseFloat(s, 64)
		v.SetFloat(f)
	default:
		err = fmt.Errorf("cannot read into %s", v.Type())
	}
	if err != nil {
		return fmt.Errorf("%s: %w", n.local, err)
	}
	return nil
}

// fieldByIndex is v.FieldByIndex, making the embedded structs' pointers
// it meets on the way.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// decodeStruct reads the child elements of n into the fields of v.
func decodeStruct(n *node, v reflect.Value) error {
	fields := fieldsOf(v.Type()).byName
	for _, c := range n.children {
		if c.kind != elementNode {
			continue
		}
		f, ok := fields[c.local]
		if !ok || f.space != "" && c.space() != f.space {
			continue
		}
		fv := fieldByIndex(v, f.index)
		if f.inner == "" {
			if err := decodeValue(c, fv); err != nil {
				return err
			}
			continue
		}
		for _, g := range c.children {
			if g.kind == elementNode && g.local == f.inner {
				if err := decodeValue(g, fv); err != nil {
					return err
				}
			}
		}
	}
	return nil
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

// decodeTree reads a payload of either kind and its entities.
func (p *Payload) decodeTree(n *node) error {
	*p = Payload{}
	for _, c := range n.children {
		if c.kind == elementNode {
			if err := p.child(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *Payload) child(c *node) error {
	var dst *string
	switch c.local {
	case "InformationSecurityLevel":
		dst = &p.SecurityLevel
	case "InformationSensitivity":
		dst = &p.Sensitivity
	case "Purpose":
		dst = &p.Purpose
	case "Entities":
		dst = &p.Encrypted
	case "IsPersonalData":
		return decodeValue(c, reflect.ValueOf(&p.PersonalData).Elem())
	case "EnsureEncryption":
		return decodeValue(c, reflect.ValueOf(&p.EnsureEncryption).Elem())
	case "RetentionPeriod":
		var dt DateTime
		if err := dt.decodeTree(c); err != nil {
			return err
		}
		p.RetentionPeriod = dt.Time
		return nil
	default:
		ent := newEntity(typeOf(c))
		if ent == nil {
			p.Unknown = append(p.Unknown, c.local)
			return nil
		}
		if err := decodeValue(c, reflect.ValueOf(ent)); err != nil {
			return err
		}
		p.Entities = append(p.Entities, ent)
		return nil
	}
	*dst = trim(c.content())
	return nil
}
