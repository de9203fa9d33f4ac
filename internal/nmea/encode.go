package nmea

import "strconv"

// maxFragmentPayload keeps every sentence within the 82 characters that
// NMEA 0183 allows: "!AIVDM,n,n,s,c," (15) + payload + ",f*hh" (5) + CR LF.
const maxFragmentPayload = 60

// AppendVDM appends payload as one or more AIS sentences, each ending in
// "\r\n", to dst. talker is two characters ("AI"), format "VDM" or "VDO",
// seqID links the fragments of a multi-part message (0–9; ignored for one
// fragment), channel is 'A', 'B' or 0 for none.
func AppendVDM(dst []byte, talker, format string, payload []byte, fill, seqID int, channel byte) []byte {
	total := (len(payload) + maxFragmentPayload - 1) / maxFragmentPayload
	if total == 0 {
		total = 1
	}
	for n := 1; n <= total; n++ {
		part := payload[(n-1)*maxFragmentPayload : min(n*maxFragmentPayload, len(payload))]
		start := len(dst)
		dst = append(dst, '!')
		dst = append(dst, talker...)
		dst = append(dst, format...)
		dst = append(dst, ',', byte('0'+total), ',', byte('0'+n), ',')
		if total > 1 {
			dst = strconv.AppendInt(dst, int64(seqID%10), 10)
		}
		dst = append(dst, ',')
		if channel != 0 {
			dst = append(dst, channel)
		}
		dst = append(dst, ',')
		dst = append(dst, part...)
		f := 0
		if n == total {
			f = fill
		}
		dst = append(dst, ',', byte('0'+f))
		dst = appendChecksum(dst, dst[start+1:])
	}
	return dst
}

// AppendSentence appends start ('$' or '!'), body, the checksum and "\r\n".
func AppendSentence(dst []byte, start byte, body []byte) []byte {
	dst = append(dst, start)
	dst = append(dst, body...)
	return appendChecksum(dst, body)
}

// AppendTagBlock appends an NMEA 4.0 tag block, "\fields*hh\", to go before
// a sentence: fields such as "s:tarifa,c:1795749312123".
func AppendTagBlock(dst []byte, fields []byte) []byte {
	dst = append(dst, '\\')
	dst = append(dst, fields...)
	dst = appendChecksum(dst, fields)
	dst[len(dst)-2] = '\\' // the tag block ends in '\', not a line ending
	return dst[:len(dst)-1]
}

// appendChecksum appends "*hh\r\n" for the XOR of body.
func appendChecksum(dst, body []byte) []byte {
	var sum byte
	for _, c := range body {
		sum ^= c
	}
	const hex = "0123456789ABCDEF"
	return append(dst, '*', hex[sum>>4], hex[sum&15], '\r', '\n')
}
