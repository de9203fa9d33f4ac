package ais

// otherMessages holds the message types that are not position or static
// reports: binary, safety, interrogation and channel management messages.
type otherMessages struct{}

func (o *otherMessages) decode(b *bits, t int) (Message, error) {
	return nil, ReasonUnknownType
}
