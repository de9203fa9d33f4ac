package ais

// Reason says why a payload or fragment was not decoded. Like nmea.Reason it
// is both an error and a small integer for counting.
type Reason uint8

// Reasons a payload is rejected.
const (
	ReasonBadArmour    Reason = iota + 1 // a character outside the six-bit alphabet
	ReasonTooShort                       // fewer bits than the message type needs
	ReasonTooLong                        // more payload than any AIS message can carry
	ReasonUnknownType                    // message type 0 or above 27
	ReasonOrphanPart                     // a later fragment whose first never came
	ReasonDroppedParts                   // an incomplete message evicted by the time or size bound
	ReasonUnencodable                    // a message type or value the encoder cannot write
	numReasons
)

// NumReasons bounds the Reason values, for arrays of counters.
const NumReasons = int(numReasons)

var reasonNames = [numReasons]string{
	ReasonBadArmour:    "bad_armour",
	ReasonTooShort:     "too_short",
	ReasonTooLong:      "too_long",
	ReasonUnknownType:  "unknown_type",
	ReasonDroppedParts: "dropped_parts",
	ReasonUnencodable:  "unencodable",
}

// String is the reason's name as it appears in statistics.
func (r Reason) String() string {
	if r < numReasons && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return "unknown"
}

func (r Reason) Error() string { return "ais: " + r.String() }
