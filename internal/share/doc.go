// Package share is how a Pharos node shares with its peers — other
// national coordination centres, EU agencies, third countries — in CISE's
// vocabulary: Push (to named peers, to every peer whose agreement matches,
// or to the subscribers of what is pushed), Pull with a deadline and a
// query by example, Subscribe and unsubscribe, Feedback, and
// Acknowledgements with CISE's codes. It sits at the end of the flow of
// DESIGN.md ("Sharing between nodes"): what the picture holds leaves the
// node only through it, and only as the sharing agreements allow.
//
// # Policy
//
// Each peer has an Agreement, which is data (node.yaml's sharing: section):
// the entity types, areas and border sections, the highest classification
// (CISE's InformationSecurityLevel, NonClassified up to EUTopSecret) and
// Traffic Light Protocol level, and the purposes the peer may receive.
// Every payload is decided per peer (Agreement.Decide): the payload's
// classification, TLP and purpose first, then each entity, at any depth,
// by type, place and origin; personal data is reduced to the vessel
// identifiers (MMSI, IMO number, call sign, name) unless the agreement
// names more, or none; a third country receives nothing another node
// originated unless that node consented; and the payload carries the end of
// the retention the receiver must enforce. Explain says what a peer would
// receive and, rule by rule, why. TestPolicyMatrix runs 58,320
// combinations against the rules written out again and finds no leak.
//
// # Topology
//
// Each node embeds a NATS server with JetStream on disk under its data
// directory, and links to each peer's server as a client, over TLS with
// its own certificate. Subjects are per node: pharos.<node>.… . Streams of
// node N:
//
//	OUT_<peer>  pharos.N.out.<peer>  work queue: messages waiting to go to that peer
//	INBOX       pharos.N.in.<peer>   work queue: messages from peers, until applied
//	RECEIVED    pharos.N.rcv.<peer>  what became of each (received, refused,
//	                                 expired), with the data of those received
//	                                 until their retention ends (per-message TTL)
//	AUDIT       pharos.N.audit       audit entries on their way to the audit log
//	share_marks, share_subs          how far each sender has been applied; the
//	                                 subscriptions peers hold here
//
// A peer connects to N's server as the user its certificate maps to
// (verify_and_map; Peer.Identity), which may publish only to
// pharos.N.in.<peer> — so a node can write only into its peers' inboxes,
// and only under its own name — and subscribe only to its own reply
// subjects, _INBOX_<peer>.>. It can read nothing of N and call no
// JetStream API. N's own connection is in-process, with a key made for
// the run.
//
// Direct links, not leaf nodes: a leaf node joins the peer's subject space
// into one's own account, which would have to be cut back down by imports,
// exports and JetStream domains to get what a client link gives at once —
// a peer's server deciding, by certificate, what the peer may do; and an
// acknowledgement that means the peer's stream has the message.
//
// A deployment that outgrows one machine keeps a node's streams in a NATS
// server or cluster of its own (Config.External, node.yaml sharing:
// external:) instead of the embedded server: the same streams, with
// External.Replicas copies each; the node connects with its certificate
// (or a credentials file), and peers connect to the cluster as they would
// to the embedded server. Config.Permissions lists the users such a
// server needs — the embedded server is configured from the same list,
// and `pharos share nats-config` prints it for an administrator. While the
// node's own NATS is away (a server stopped, a stream electing its
// leader) enqueue tries again, its audit entry and message carrying IDs
// that make each stored once; the loops that forward, apply and deliver
// retry as they do across cut links. TestExternalNATS and
// TestExternalCluster (three servers, three replicas, one stopped).
//
// # Delivery
//
// Push, Pull and the others encode and sign each message (Codec), journal
// its audit entry and put it in the outbox for its peer; they return once
// both are on disk. A forwarder per peer takes the outbox in order,
// publishes a batch into the peer's INBOX with the message ID as
// Nats-Msg-Id and the outbox's sequence number (and the outbox's creation
// time, its epoch), takes the peer's acknowledgements — its stream has
// stored the message — in order, and only then lets each go from the
// outbox. From the first that failed it publishes one at a time, waiting
// for the link to come back, for as long as it takes. A message that
// expires meanwhile (its deadline or retention passed) goes as its
// sequence number alone, so that the peer knows not to wait for it.
//
// The peer applies its INBOX in order. A sequence number at or below the
// sender's mark is a repeat and is dropped; one above the next waits for
// the one before (GapTimeout at most, then audited as lost). Each message
// is verified (signature, sender, recipient, ID), checked against the
// agreement (a pull or subscription asking for what it does not allow is
// refused: Unauthorized), audited, and recorded in RECEIVED; once the
// batch is stored the marks are saved and the INBOX lets it go. The
// signatures of a batch, independent of one another and most of the
// work, are checked on every core before it is applied in order. So a peer
// applies each message exactly once, in the order its sender sent it,
// across cut links (TestCutLink), a sender killed with SIGKILL
// (TestKillSender) and a receiver killed with SIGKILL (TestKillReceiver):
// duplicates from redelivery are stopped by the peer's stream (message ID,
// DedupWindow) or by the marks (no window).
//
// Handlers are called from RECEIVED, in order, once each; a node that
// dies after calling one and before noting so calls it again after its
// restart, with Received.Redelivered set. Acknowledgements: a refusal is
// always acknowledged with its code (AuthenticationError for a message
// whose signature or sender does not verify, Unauthorized for what the
// agreement forbids); success when the sender asks (Config.RequireAck,
// subscriptions); WaitAck waits for one, Handlers.Ack receives them all.
//
// # Durability
//
// JetStream writes each message to its file before acknowledging it, so
// that what was acknowledged survives the death of the process; it syncs
// to disk every two minutes, or at every write with Config.SyncAlways,
// which a node that must survive a power cut sets. Consumers start afresh
// at their acknowledgement floor when the node starts, so that what a
// killed node had in hand comes again at once, not after AckWait.
//
// # Audit
//
// Every message sent, received, refused or expired has an audit entry,
// journaled in AUDIT before the message moves on, and appended to the
// node's hash-chained audit log (Config.Audit, a store.Store) behind the
// messages, at most every 20 ms: a store that syncs each transaction
// would otherwise set the pace of sharing. Entries that queue up meanwhile
// go in one transaction to a BatchAuditor or, with a plain Auditor, one
// entry per run of the same actor, action and outcome, listing every
// message with its own time, target and detail. A crash may repeat an
// entry, never lose one. FlushAudit waits for the journal to drain.
//
// # Wire format
//
// The Codec encodes, signs, verifies and decodes. CISECodec is the one
// nodes speak (Settings.Codec, cise unless the node's key is not RSA):
// each Message is a cise.Message of its kind — a subscription or its end
// a PullRequest of PullType Subscribe or Unsubscribe, the deadline its
// ResponseTimeOut in whole seconds (rounded up), a Feedback's
// CorrelationID also its RefMessageID — signed with an enveloped XML
// signature (RSA-SHA256, exclusive c14n whose PrefixList covers the
// prefixes of xsi:type values) of the node's key, its certificate in
// KeyInfo. Verify checks the signature, that the certificate chains to
// the CAs and carries the peer's identity (Peer.Identity, as JSONCodec and
// the NATS servers do); a receiver then checks the sender named inside. A
// receiver opens a message (Opener: verify, then decode) from one reading
// of its XML, and a sender encodes and signs it in one step (Sealer).
// CISE's Service has no participant, so the node is the ServiceID's first
// label ("es.pharos.push.provider").
//
// The payload's classification, TLP and purpose are CISE's own names
// (NonSpecified too), personal its IsPersonalData, KeepUntil its
// RetentionPeriod. Entities become typed CISE entities: Vessel (MMSI,
// IMONumber, CallSign, Name, Length, Nationality, ExternalMarkings,
// INMARSATNumber, IRNumber, UVI, RegistryNumber; Where and Time as its
// LocationRel), the incident subtypes, Incident, Anomaly and Movement as
// cise.Event of that kind (Severity, Certainty, ResponseUrgency when a
// value of CISE's enumerations; Time the OccurrencePeriod, Where the
// LocationRel), Person and other agents as Agent, Organization and
// FormalOrganization (LegalName, AlternativeName, IdentificationNumber,
// Nationality, ContactInformation), Location and its subtypes, Risk,
// Document and its subtypes, OperationalAsset. Involved entities are the
// relations CISE has between them (an incident's InvolvedObjectRel
// vessels, InvolvedAgentRel persons, InvolvedWithRel events,
// ImpliedRiskRel risks, DocumentRel documents; a vessel's, a risk's, an
// agent's likewise). The ID is the UniqueIdentifier's UUID, whole; the
// Origin its GeneratedBy organisation (LegalName: the node), where CISE
// says who made an identifier and so where it stays with the entity
// across hops. What CISE has no element for — a field outside those, a
// number that would not read back the same ("0224…", "9.0"), a severity
// outside the enumeration, the border section, Onward, the personal
// marks, a Pharos type that is not CISE's (Person), a time or place where
// the entity has none — travels in one Metadata of the entity,
// Designation "pharos:share", URL-encoded in its Comments, with the
// Description as its Description. So a Pharos peer reads back exactly
// what was sent, and another CISE system reads the typed part.
//
// Lost on the way: involved entities come back grouped by relation, in
// the schema's order of the relations; times come back in UTC; an
// entity CISE cannot relate (an Aircraft, a Location involving others)
// is not encoded (ErrNotCISE). A Query is a query by example: an example
// entity per type (a Vessel for any type), the vessel asked about as the
// example or its involved vessel, EQUAL selectors on MMSI and IMONumber;
// what examples cannot say (any type, area, period) travels whole in a
// Metadata "pharos:query" of the first example, which Pharos reads; from
// another system, the examples' types and vessel identifiers are read.
//
// JSONCodec stands in for nodes whose key is not RSA, and for tests: JSON,
// with an ECDSA, Ed25519 or RSA signature of the node's certificate key
// on a line of its own.
package share
