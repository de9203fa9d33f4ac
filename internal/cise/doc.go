// Package cise is the CISE vocabulary of a Pharos node: Go types and an
// XML codec for the service-model messages (Push, PullRequest,
// PullResponse, Feedback, Acknowledgement) and the data-model entities
// nodes exchange (Vessel, Location and Geometry, the Event family —
// Incident and its subtypes, Anomaly, Movement —, Risk, Agent and
// Organization, Document, OperationalAsset, with their Metadata,
// UniqueIdentifier and Period), XML-DSig signatures, and the mapping
// between the picture (tracks, detections, incidents) and those entities.
//
// It sits at the end of the flow of DESIGN.md, under share: share decides
// what leaves, to whom, and carries it over NATS; this package says it in
// CISE and checks who said what. It imports model and picture, for the
// mapping, and nothing else of Pharos.
//
// # Messages
//
// A Message is one struct for the five kinds; the fields after
// CcRecipients belong to one kind each. Subscribe and unsubscribe are
// PullRequests with PullType Subscribe and Unsubscribe; what a provider
// then sends its subscribers are Pushes whose Sender has ServiceOperation
// Subscribe (as the reference's SubscribeTemplate). Acknowledgements are
// made with NewAck, Refusal and AckCodeFor.
//
// Read leniently, write exactly. Decode takes elements in any order,
// qualified or not, padded with whitespace, with unknown elements and
// entities skipped (their names kept in Payload.Unknown) and any lexical
// form of xs:dateTime, xs:date and xs:time; it refuses what is not one
// well-formed document, a DTD, more than MaxMessageSize, nesting deeper
// than 256, and a root that is not a message. Encode writes the schema's order, only the kind's fields,
// no indentation, and refuses (ErrInvalid) a message Validate finds
// short of message.xsd: a required field missing, a service-model value
// outside its enumeration, a field of another kind. Entities are written
// unqualified, as the data model declares them and the reference writes
// them; a nested entity whose element is not named after its type (a
// Vessel in an Object slot, an Anomaly in an Event slot, an Organization
// in an Agent slot) carries xsi:type.
//
// # Validity
//
// The tests validate with xmllint (Debian package libxml2-utils) against
// the schemas of ../shared/data/cise/xsd. The envelope: every message
// kind, plain and signed, and every reference template, against
// servicemodel/message.xsd, with the payload's entities set aside — the
// payload's xs:any namespace="##other" wildcard refuses elements in no
// namespace, while the data model declares its top-level entities in no
// namespace, so no entity can satisfy both. The entities: the data-model
// schema set includes files in themselves, which xmllint refuses to
// compile, so a test rewrites it (flattenDataModel in xsd_test.go) into
// one schema per namespace plus one of the top-level elements, copying
// every definition unchanged, and validates against that an entity of
// every type and kind with every field set, and the entities the mapping
// writes. Other tests make sure the checks bite (an element out of order,
// a value outside its enumeration, an entity left in the payload) and
// compare the enumerations Validate and the mapping use with the schemas'.
//
// # Signatures
//
// Signer.Sign writes an enveloped XML signature (XML-DSig 1.0): one
// Reference to the whole document (URI="") with the enveloped-signature
// and exclusive canonicalisation transforms, SHA-256 digest, SignedInfo in
// exclusive canonical form, RSA-SHA256, and the signer's X.509
// certificate (and any intermediates) in KeyInfo/X509Data. The Signature
// stands where message.xsd's xs:any ##other wildcard lets it, after the
// header and before the kind's fields, so a signed message still
// validates. Exclusive canonicalisation writes only the namespace
// declarations an element or attribute name uses, and the prefixes of
// xsi:type values (vessel:Vessel) are not names: the transform's
// InclusiveNamespaces PrefixList names them, so that their declarations
// are signed too and a type moved to another namespace does not verify.
// SignedInfo has no such values and needs no PrefixList.
//
// Verifier.Verify, Open and Unseal accept RSA-SHA1, RSA-SHA256 and
// RSA-SHA512, SHA-1, SHA-256 and SHA-512 digests, exclusive (with its
// PrefixList) or inclusive canonicalisation (a Reference whose last
// transform is the enveloped one is digested over Canonical XML 1.0, as
// the reference's are), and require exactly one Signature, a child of the
// root element, with one Reference to the whole document and the
// enveloped transform; its certificate must chain to the Verifier's Roots
// and be valid now. Everything else — XSLT and XPath transforms,
// references by ID, HMAC, a key without a certificate — is refused. Every refusal wraps ErrAuthentication, which
// AckCodeFor answers with the AuthenticationError acknowledgement; Open
// returns the message it could read along with the error, to address the
// acknowledgement to it.
//
// Canonicalisation (c14n.go) is this package's own, over the tree of its
// parser; a test compares it byte for byte with xmllint's --exc-c14n and
// --c14n on the templates and on documents made to exercise namespaces,
// attributes, CDATA, references and line ends, and another has xmlsec1
// (when installed) verify what Pharos signs (a type prefix declared on the
// root too) and sign what Pharos verifies (with a PrefixList too).
//
// # Reading and writing
//
// Every document is read once, by the package's own parser (tree.go),
// into a small tree with prefixes as written: canonicalisation,
// verification and decoding all work on it. Open and Unseal verify and
// decode the same tree — a receiver parses each message once, and what it
// reads is exactly what was verified. Decode reads values from the tree
// through the structs' xml tags (tags.go) as encoding/xml's Unmarshal
// would. Encode writes through the same tags (write.go) the elements
// encoding/xml's Marshal would, but in the message's exclusive canonical
// form (c14n's escaping, namespace declarations first and in order, none
// an ancestor made already), so that Sign digests what it wrote without
// reading it back; the tests check on every sample, and FuzzDecodeMessage
// on whatever it finds, that this is the form a verifier computes.
// encoding/xml, which reads a byte at a time through an interface and
// checks interfaces at every value, and reading back what was just
// written were most of what signing, verifying and decoding cost: a
// signed push of 100 entities (BenchmarkCISECodec in share, medians on a
// quiet machine) took 3.26 ms to seal and 3.87 ms to verify and decode; it
// takes 1.35 ms (of which the RSA signature is about 0.7 ms) and 0.86 ms.
//
// # Mapping
//
// A Mapper, named after its node, maps both ways. Identifiers travel as
// "node/kind/id" UUIDs (Ref): what comes back with the node's own
// identifiers gets its own IDs back; another system's identifiers are kept
// whole, so an incident pushed on by a second node still carries the
// first node's identifier.
//
//   - Track state ↔ Vessel: identifier, MMSI, name, one LocationRel with
//     position, COG, SOG, time (PeriodOfTime), SourceType Observation and
//     the sensor (AIS, MaritimeRadar, SyntheticApertureRadar, Sighting; a
//     dark track's radar first). A dark track is involved in an Anomaly
//     WithoutAISTransmission. A vessel from elsewhere gets a stable track
//     ID hashed from its UUID. Lossy: only the primary sensor travels.
//   - Detection ↔ Anomaly: identifier, Pharos type (Metadata Designation)
//     and EUROSUR category (Comments), the AnomalyType nearest the type,
//     time window, place, vessels (MMSI, track identifiers), confidence as
//     the reliability level, one implied Risk per threat (RiskType, level
//     from the score) whose RiskSeverity is the impact, the risk
//     explanation (Description). Lossy: confidence and threat scores come
//     back as the middle of their level; evidence, parameters and details
//     do not travel.
//   - Incident ↔ Incident subtype, by EUROSUR category: an unauthorised
//     crossing is an IrregularMigrationIncident (IrregularEntryAttempt), a
//     cross-border crime a LawInfringementIncident typed by the main threat
//     of its detections (drugs, trafficking, smuggling, illegal fishing) or
//     a MaritimeSafetyIncident of type Pollution, a crisis a
//     CrisisIncident, other a plain Incident. Impact is Severity, source
//     reliability the reliability level, credibility the Certainty (5 comes
//     back as 4), open/validated/closed NatureType Estimated/Observed and
//     ResponseUrgency Past; originator and owner are Reporter and
//     Coordinator organizations; the linked detections are InvolvedWithRel
//     Anomalies, their vessels InvolvedObjectRel. Reports do not travel.
package cise
