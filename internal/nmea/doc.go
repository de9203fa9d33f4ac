// Package nmea frames NMEA 0183 lines: it checks checksums, reads NMEA 4.0
// tag blocks, recognises the time-stamping conventions found in real AIS
// archives, and hands the AIS-carrying sentences (VDM, VDO, from any talker)
// on to package ais. It also reads the radar target sentences TTM (range and
// bearing from the radar) and TLL (latitude and longitude), see
// [Parser.ParseRadar].
//
// It is the first half of the decode stage in DESIGN.md. A line is either an
// AIS sentence, a metadata line that only carries a time or a source for the
// next sentence (a Gatehouse $PGHP line, a tag block standing alone), or it
// is rejected with a [Reason]. Parsing never allocates: a [Sentence] aliases
// the line it was parsed from.
//
// Time conventions understood, each giving the sentence its event time:
//
//	\s:src,c:1418172113*55\!AIVDM,…        NMEA 4.0 tag block (c: seconds or milliseconds)
//	$PGHP,1,2013,11,12,12,0,0,11,…*hh      Gatehouse: dates the next sentence
//	!AIVDM,…,0*hh,1327664821               a trailing unix time
//	!AIVDM,…,0*hh,r003669987,1152921693    US Coast Guard: station and unix time
//	1550303566167726840 !AIVDM,…           a leading unix time (s, ms, µs or ns)
package nmea
