package nmea

// Reason says why a line was not used. It is an error, so a parse result can
// be checked with errors.Is, and a small integer, so callers can count
// rejects in an array indexed by it.
type Reason uint8

// Reasons a line is rejected.
const (
	ReasonEmpty        Reason = iota + 1 // a blank line
	ReasonNoSentence                     // no '!', '$' or '\' where a sentence must start
	ReasonNoChecksum                     // no "*hh" after the sentence body
	ReasonBadChecksum                    // the checksum does not match
	ReasonBadTagBlock                    // a malformed NMEA 4.0 tag block
	ReasonUnsupported                    // a valid sentence that carries no AIS (e.g. $GPZDA, $xxALR)
	ReasonBadFields                      // a VDM/VDO whose fields are missing or out of range
	ReasonEmptyPayload                   // a VDM/VDO without payload, as idle receivers send
	ReasonBadTime                        // a time stamp that cannot be read
	numReasons
)

// NumReasons bounds the Reason values, for arrays of counters.
const NumReasons = int(numReasons)

var reasonNames = [numReasons]string{
	ReasonEmpty:        "empty",
	ReasonNoSentence:   "no_sentence",
	ReasonNoChecksum:   "no_checksum",
	ReasonBadChecksum:  "bad_checksum",
	ReasonBadTagBlock:  "bad_tag_block",
	ReasonUnsupported:  "unsupported_sentence",
	ReasonBadFields:    "bad_fields",
	ReasonEmptyPayload: "empty_payload",
	ReasonBadTime:      "bad_time",
}

// String is the reason's name as it appears in statistics.
func (r Reason) String() string {
	if r < numReasons && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return "unknown"
}

func (r Reason) Error() string { return "nmea: " + r.String() }
