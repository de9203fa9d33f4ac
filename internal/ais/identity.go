package ais

// Identity facts about MMSIs, from the formats of ITU-R M.585. An MMSI is
// nine decimal digits, leading zeros included, so a uint32 below 10⁹ holds
// any of them; its leading digits tell what kind of station sent it and where
// the three Maritime Identification Digits (MID, 201–775) sit. Everything
// here is arithmetic on the number plus one table load: no allocation, so it
// is safe on the per-message decode path.

// StationKind is the kind of station an MMSI identifies, read from its digit
// structure. The zero value is KindInvalid, so an unset kind never passes for a
// real one.
//
// The constants carry a Kind prefix because the plain names (SARAircraft,
// AidToNavigation, …) are the message types of this package.
type StationKind uint8

const (
	// KindInvalid: no M.585 structure matches (wrong length, unknown prefix, or a
	// MID position whose first digit is not 2–7).
	KindInvalid StationKind = iota
	// KindVessel: ship station, MIDXXXXXX.
	KindVessel
	// KindGroup: group call to several ships, 0MIDXXXXX.
	KindGroup
	// KindCoastStation: coast or port station, 00MIDXXXX.
	KindCoastStation
	// KindSARAircraft: aircraft taking part in search and rescue, 111MIDXXX.
	KindSARAircraft
	// KindAidToNavigation: AIS aid to navigation (physical or virtual), 99MIDXXXX.
	KindAidToNavigation
	// KindAuxiliaryCraft: craft associated with a parent ship (tender, lifeboat),
	// 98MIDXXXX.
	KindAuxiliaryCraft
	// KindSART: AIS search and rescue transmitter, 970XXXXXX; carries no MID.
	KindSART
	// KindMOB: AIS man-overboard device, 972XXXXXX; carries no MID.
	KindMOB
	// KindEPIRB: EPIRB with AIS locator, 974XXXXXX; carries no MID.
	KindEPIRB
	// KindDiverRadio: diver's radio or handheld VHF with DSC and GNSS, 8MIDXXXXX;
	// M.585 gives both devices this format.
	KindDiverRadio
)

var stationKindNames = [...]string{
	KindInvalid:         "invalid",
	KindVessel:          "vessel",
	KindGroup:           "group",
	KindCoastStation:    "coast_station",
	KindSARAircraft:     "sar_aircraft",
	KindAidToNavigation: "aid_to_navigation",
	KindAuxiliaryCraft:  "auxiliary_craft",
	KindSART:            "sart",
	KindMOB:             "mob",
	KindEPIRB:           "epirb",
	KindDiverRadio:      "diver_radio",
}

// String is the kind's name as it appears in statistics and reports, in the
// same snake_case as Reason.
func (k StationKind) String() string {
	if int(k) < len(stationKindNames) {
		return stationKindNames[k]
	}
	return "unknown"
}

// parseMMSI reads the structure of mmsi: its kind and the three MID digits where
// that structure has them (0 otherwise). It checks only that the MID's first
// digit is 2–7, as every MID's is; whether the MID is allocated is left to
// the callers, so Classify can stay a pure reading of the format.
func parseMMSI(mmsi uint32) (StationKind, uint16) {
	if mmsi >= 1_000_000_000 {
		return KindInvalid, 0
	}
	switch mmsi / 100_000_000 {
	case 0:
		switch mmsi / 10_000_000 {
		case 0:
			if mid := mmsi / 10_000; midShaped(mid) { // 00MIDXXXX
				return KindCoastStation, uint16(mid)
			}
		default:
			if mid := mmsi / 100_000; midShaped(mid) { // 0MIDXXXXX
				return KindGroup, uint16(mid)
			}
		}
	case 1:
		if mmsi/1_000_000 == 111 { // 111MIDXXX
			if mid := mmsi / 1000 % 1000; midShaped(mid) {
				return KindSARAircraft, uint16(mid)
			}
		}
	case 2, 3, 4, 5, 6, 7: // MIDXXXXXX
		return KindVessel, uint16(mmsi / 1_000_000)
	case 8: // 8MIDXXXXX
		if mid := mmsi / 100_000 % 1000; midShaped(mid) {
			return KindDiverRadio, uint16(mid)
		}
	case 9:
		switch mmsi / 10_000_000 {
		case 99: // 99MIDXXXX
			if mid := mmsi / 10_000 % 1000; midShaped(mid) {
				return KindAidToNavigation, uint16(mid)
			}
		case 98: // 98MIDXXXX
			if mid := mmsi / 10_000 % 1000; midShaped(mid) {
				return KindAuxiliaryCraft, uint16(mid)
			}
		case 97:
			switch mmsi / 1_000_000 {
			case 970:
				return KindSART, 0
			case 972:
				return KindMOB, 0
			case 974:
				return KindEPIRB, 0
			}
		}
	}
	return KindInvalid, 0
}

// midShaped reports whether three digits can be a MID at all: MIDs start
// with 2–7 (one digit per ITU region).
func midShaped(mid uint32) bool {
	return mid >= 200 && mid < 800
}

// midAllocated reports whether the ITU has allocated mid to a country.
func midAllocated(mid uint16) bool {
	return int(mid) < len(midTable) && midTable[mid].alpha2 != ""
}

// Classify returns the kind of station mmsi identifies, by its nine-digit
// structure alone. An unallocated MID does not make it KindInvalid here (use
// ValidMMSI for that), so a decoder can still say what a misconfigured
// transponder claims to be.
func Classify(mmsi uint32) StationKind {
	k, _ := parseMMSI(mmsi)
	return k
}

// MID returns the Maritime Identification Digits of mmsi, taken from where
// its structure puts them (e.g. digits 3–5 of 00MIDXXXX). ok is true only
// when that MID is allocated; when the structure has a MID position that
// holds an unallocated value, the digits are still returned (with ok false)
// so they can be reported. SART, MOB, EPIRB and invalid MMSIs give 0, false.
func MID(mmsi uint32) (mid uint16, ok bool) {
	_, mid = parseMMSI(mmsi)
	if mid == 0 {
		return 0, false
	}
	return mid, midAllocated(mid)
}

// Flag returns the ISO 3166-1 alpha-2 code of the country whose MID mmsi
// carries, or "" when it carries none or an unallocated one. For a vessel
// this is its flag state; for a coast station or aid to navigation, the
// administration that assigned it.
func Flag(mmsi uint32) string {
	mid, ok := MID(mmsi)
	if !ok {
		return ""
	}
	return midTable[mid].alpha2
}

// FlagAlpha3 is Flag with the ISO 3166-1 alpha-3 code, for outputs that
// want three letters.
func FlagAlpha3(mmsi uint32) string {
	mid, ok := MID(mmsi)
	if !ok {
		return ""
	}
	return midTable[mid].alpha3
}

// ValidMMSI reports whether mmsi is nine digits with a known M.585 structure
// whose MID, where it has one, is allocated. It rejects the placeholders and
// garbage common in live AIS (0, 123456789, 999999999, short numbers).
func ValidMMSI(mmsi uint32) bool {
	k, mid := parseMMSI(mmsi)
	switch k {
	case KindInvalid:
		return false
	case KindSART, KindMOB, KindEPIRB:
		return true
	}
	return midAllocated(mid)
}

// IsVessel reports whether mmsi is a ship station with an allocated MID,
// the identities that name an actual ship and its flag.
func IsVessel(mmsi uint32) bool {
	k, mid := parseMMSI(mmsi)
	return k == KindVessel && midAllocated(mid)
}
