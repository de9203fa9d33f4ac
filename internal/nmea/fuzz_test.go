package nmea

import (
	"bufio"
	"os"
	"pharos/internal/shareddata"
	"testing"
)

// seedLines adds the first lines of real captures to a fuzz corpus.
func seedLines(f *testing.F, files ...string) {
	for _, name := range files {
		fh, err := os.Open(shareddata.Path("ais-nmea", name))
		if err != nil {
			continue // the hand-written seeds below still run
		}
		sc := bufio.NewScanner(fh)
		for n := 0; n < 50 && sc.Scan(); n++ {
			f.Add(append([]byte(nil), sc.Bytes()...))
		}
		fh.Close()
	}
	for _, s := range []string{
		"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30",
		`\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63`,
		"$PGHP,1,2013,11,12,12,0,0,11,219,,2190067,1,62*26",
		"1550303566167726840 !AIVDM,1,1,,B,10bb7q@P0lPGHlVMhbl0Qgw>2>`<,0*7F",
		"!AIVDM,1,1,,A,14`qQb0000o?u?DK>Smo2E`v0404,0*1A,r003669987,1152921693",
		`\si:AISD*3F\`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse checks that no line makes the parser panic, that a sentence it
// accepts is well formed, and that a rejected line names its reason.
func FuzzParse(f *testing.F) {
	seedLines(f, "dma_aislib_stream_example.txt", "nca_norwegian_20241209.raw", "goais_aistest.nmea",
		"noaadata_test_20060715.ais", "libais_tagblock.nmea", "libais_test.aivdm")
	f.Fuzz(func(t *testing.T, line []byte) {
		var p Parser
		var s Sentence
		ok, err := p.Parse(line, &s)
		if err != nil {
			if _, named := err.(Reason); !named || ok {
				t.Fatalf("Parse(%q) = %v, %v: want a Reason", line, ok, err)
			}
			return
		}
		if !ok {
			return
		}
		if s.Total < 1 || s.Total > 9 || s.Number < 1 || s.Number > s.Total || s.Fill < 0 || s.Fill > 5 || len(s.Payload) == 0 {
			t.Fatalf("Parse(%q) accepted a malformed sentence %+v", line, s)
		}
	})
}

// FuzzTagBlock fuzzes the inside of a tag block.
func FuzzTagBlock(f *testing.F) {
	for _, s := range []string{
		"g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37",
		"s:2573238,c:1733782034*0A",
		"c:1420030798*00",
		"si:AISD*3F",
		"s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, tb []byte) {
		var s Sentence
		_, err := parseTagBlock(tb, &s)
		if err != nil {
			if _, named := err.(Reason); !named {
				t.Fatalf("parseTagBlock(%q) = %v: want a Reason", tb, err)
			}
			return
		}
		if s.Group != (Group{}) && (s.Group.Number < 1 || s.Group.Number > s.Group.Total) {
			t.Fatalf("parseTagBlock(%q) accepted group %+v", tb, s.Group)
		}
	})
}
