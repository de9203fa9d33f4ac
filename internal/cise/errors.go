package cise

import "errors"

// Errors of decoding. Each error Decode returns wraps one of them.
var (
	// ErrNotMessage: the document is well-formed XML but its root is not a
	// CISE service-model message (Push, PullRequest, PullResponse,
	// Feedback, Acknowledgement).
	ErrNotMessage = errors.New("not a CISE message")
	// ErrMalformed: the bytes are not a well-formed XML document of the
	// shape this package reads (one root element, no DTD, within the size
	// and depth limits), or a value does not parse.
	ErrMalformed = errors.New("malformed CISE XML")
	// ErrInvalid: a message or entity to be written misses a field the
	// schema requires or has a value outside its enumeration.
	ErrInvalid = errors.New("invalid CISE message")
)

// Errors of signature verification. Each also wraps ErrAuthentication, so
// a receiver answers every one of them with the AuthenticationError
// acknowledgement (see AckCodeFor).
var (
	// ErrAuthentication is what every failed verification is.
	ErrAuthentication = errors.New("authentication failed")
	// ErrNoSignature: the message carries no XML signature.
	ErrNoSignature = errors.New("no signature")
	// ErrBadSignature: the signature is malformed, uses an algorithm or a
	// transform this package refuses, or its digest or value does not
	// match the message.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrBadCertificate: the certificate in the message is missing,
	// unreadable, expired, not an RSA key, or not issued by a trusted
	// authority.
	ErrBadCertificate = errors.New("certificate does not verify")
)

// ErrUnmappable: a CISE entity lacks what its Pharos counterpart needs (a
// vessel without a position, an event of a kind that is not an anomaly, an
// incident without an identifier).
var ErrUnmappable = errors.New("entity does not map to Pharos")
