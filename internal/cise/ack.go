package cise

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"
)

// NewID returns a random (version 4) UUID, the form the reference gives
// its message IDs.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// AckCodeFor returns the acknowledgement code that answers an error of
// Decode or Verifier.Open: AuthenticationError for a signature or
// certificate that does not verify, BadRequest for what is not a
// well-formed message, InvalidRequestObject for a message Validate
// refuses, ServerError for anything else, Success for no error.
func AckCodeFor(err error) AckCode {
	switch {
	case err == nil:
		return AckSuccess
	case errors.Is(err, ErrAuthentication):
		return AckAuthenticationError
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrNotMessage):
		return AckBadRequest
	case errors.Is(err, ErrInvalid):
		return AckInvalidRequestObject
	default:
		return AckServerError
	}
}

// NewAck returns the acknowledgement of a received message: correlated
// with it (its CorrelationID, or its MessageID when it has none), from its
// recipient back to its sender, both with ServiceOperation
// Acknowledgement, as the reference answers. to may be nil when the
// message could not be read at all; the acknowledgement then has no
// correlation and no addresses.
func NewAck(to *Message, code AckCode, detail string, now time.Time) *Message {
	a := &Message{Kind: KindAcknowledgement, ID: NewID(), Created: now, Priority: PriorityLow,
		AckCode: code, AckDetail: detail}
	if to == nil {
		return a
	}
	a.CorrelationID = to.CorrelationID
	if a.CorrelationID == "" {
		a.CorrelationID = to.ID
	}
	if to.Priority != "" {
		a.Priority = to.Priority
	}
	a.Sender = ackService(to.Recipient)
	a.Recipient = ackService(to.Sender)
	return a
}

func ackService(s *Service) *Service {
	if s == nil || s.ServiceID == "" {
		return nil
	}
	return &Service{ServiceID: s.ServiceID, ServiceOperation: "Acknowledgement"}
}

// Refusal returns the acknowledgement that refuses a message Open or
// Decode did not accept: m is what Open returned (possibly nil), err its
// error.
func Refusal(m *Message, err error, now time.Time) *Message {
	return NewAck(m, AckCodeFor(err), err.Error(), now)
}
