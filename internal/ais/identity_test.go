package ais

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"pharos/internal/shareddata"
	"strconv"
	"testing"
)

// midCSV is the merged ITU MID list that mid.go was produced from, in the
// shared data folder that sits beside the repository (and beside CI's clone).
var midCSV = shareddata.Path("mid", "mid_country_merged.csv")

func TestIdentity(t *testing.T) {
	tests := []struct {
		name   string
		mmsi   uint32
		kind   StationKind
		mid    uint16
		midOK  bool
		flag   string
		valid  bool
		vessel bool
	}{
		// One of each kind.
		{"vessel", 219012345, KindVessel, 219, true, "DK", true, true},
		{"group", 36699999, KindGroup, 366, true, "US", true, false},                       // 036699999
		{"coast station", 2191000, KindCoastStation, 219, true, "DK", true, false},         // 002191000
		{"coast station low MID", 2010001, KindCoastStation, 201, true, "AL", true, false}, // 002010001
		{"SAR aircraft", 111219500, KindSARAircraft, 219, true, "DK", true, false},
		{"aid to navigation", 992446000, KindAidToNavigation, 244, true, "NL", true, false},
		{"auxiliary craft", 982579999, KindAuxiliaryCraft, 257, true, "NO", true, false},
		{"SART", 970012345, KindSART, 0, false, "", true, false},
		{"MOB", 972123456, KindMOB, 0, false, "", true, false},
		{"EPIRB", 974999999, KindEPIRB, 0, false, "", true, false},
		{"diver radio", 850312345, KindDiverRadio, 503, true, "AU", true, false},

		// Edges of the MID range.
		{"first MID", 201000000, KindVessel, 201, true, "AL", true, true},
		{"last MID", 775999999, KindVessel, 775, true, "VE", true, true},

		// Right structure, unallocated MID: the kind is still read, the
		// digits are still returned, but nothing is valid.
		{"unallocated MID 200", 200000000, KindVessel, 200, false, "", false, false},
		{"unallocated MID 217", 217123456, KindVessel, 217, false, "", false, false},
		{"unallocated MID 776", 776000000, KindVessel, 776, false, "", false, false},
		{"unallocated MID 799", 799999999, KindVessel, 799, false, "", false, false},
		{"coast station unallocated MID", 2999999, KindCoastStation, 299, false, "", false, false},
		{"aid to navigation unallocated MID", 997990000, KindAidToNavigation, 799, false, "", false, false},

		// No structure matches.
		{"zero", 0, KindInvalid, 0, false, "", false, false},
		{"one", 1, KindInvalid, 0, false, "", false, false},
		{"placeholder 123456789", 123456789, KindInvalid, 0, false, "", false, false},
		{"placeholder 999999999", 999999999, KindInvalid, 0, false, "", false, false},
		{"too few digits 1193046", 1193046, KindInvalid, 0, false, "", false, false}, // 001193046: MID 119
		{"too few digits 12345", 12345, KindInvalid, 0, false, "", false, false},
		{"group with MID 100", 10000000, KindInvalid, 0, false, "", false, false}, // 010000000
		{"group with MID 899", 89999999, KindInvalid, 0, false, "", false, false}, // 089999999
		{"ten digits", 1_000_000_000, KindInvalid, 0, false, "", false, false},
		{"max uint32", 4294967295, KindInvalid, 0, false, "", false, false},
		{"leading 1 not 111", 100000000, KindInvalid, 0, false, "", false, false},
		{"SAR aircraft with MID 111", 111111111, KindInvalid, 0, false, "", false, false},
		{"diver radio with MID 123", 812345678, KindInvalid, 0, false, "", false, false},
		{"aid to navigation with MID 000", 990000000, KindInvalid, 0, false, "", false, false},
		{"auxiliary craft with MID 199", 981990000, KindInvalid, 0, false, "", false, false},
		{"97x other than 970/972/974", 971000000, KindInvalid, 0, false, "", false, false},
		{"973", 973000000, KindInvalid, 0, false, "", false, false},
		{"979", 979000000, KindInvalid, 0, false, "", false, false},
		{"90x", 900000000, KindInvalid, 0, false, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.mmsi); got != tt.kind {
				t.Errorf("Classify(%d) = %v, want %v", tt.mmsi, got, tt.kind)
			}
			if mid, ok := MID(tt.mmsi); mid != tt.mid || ok != tt.midOK {
				t.Errorf("MID(%d) = %d, %v, want %d, %v", tt.mmsi, mid, ok, tt.mid, tt.midOK)
			}
			if got := Flag(tt.mmsi); got != tt.flag {
				t.Errorf("Flag(%d) = %q, want %q", tt.mmsi, got, tt.flag)
			}
			if got := ValidMMSI(tt.mmsi); got != tt.valid {
				t.Errorf("ValidMMSI(%d) = %v, want %v", tt.mmsi, got, tt.valid)
			}
			if got := IsVessel(tt.mmsi); got != tt.vessel {
				t.Errorf("IsVessel(%d) = %v, want %v", tt.mmsi, got, tt.vessel)
			}
		})
	}
}

func TestFlag(t *testing.T) {
	tests := []struct {
		name   string
		mmsi   uint32
		alpha2 string
		alpha3 string
	}{
		{"Denmark 219", 219000001, "DK", "DNK"},
		{"Denmark 220", 220123456, "DK", "DNK"},
		{"Netherlands 244", 244000001, "NL", "NLD"},
		{"Netherlands 245", 245123456, "NL", "NLD"},
		{"Netherlands 246", 246999999, "NL", "NLD"},
		{"United States 338", 338123456, "US", "USA"},
		{"United States 366", 366999999, "US", "USA"},
		{"United States 367", 367123456, "US", "USA"},
		{"United States 368", 368000001, "US", "USA"},
		{"United States 369", 369970000, "US", "USA"},
		{"United States Alaska 303", 303123456, "US", "USA"},
		{"Spain 224", 224123456, "ES", "ESP"},
		{"Spain 225", 225123456, "ES", "ESP"},
		{"Marshall Islands 538", 538006789, "MH", "MHL"},
		{"Liberia 636", 636012345, "LR", "LBR"},
		{"Australia 503", 503123456, "AU", "AUS"},
		{"Norway 257", 257123456, "NO", "NOR"},
		{"Panama 357", 357123456, "PA", "PAN"},
		{"Portugal Madeira 255", 255805000, "PT", "PRT"},
		{"Hong Kong 477", 477123456, "HK", "HKG"},
		{"Vatican filled by hand 208", 208123456, "VA", "VAT"},
		{"Kerguelen filled by hand 635", 635123456, "TF", "ATF"},
		{"coast station Norway", 2570100, "NO", "NOR"}, // 002570100
		{"aid to navigation UK", 992351234, "GB", "GBR"},
		{"SART has no flag", 970123456, "", ""},
		{"unallocated", 799123456, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Flag(tt.mmsi); got != tt.alpha2 {
				t.Errorf("Flag(%d) = %q, want %q", tt.mmsi, got, tt.alpha2)
			}
			if got := FlagAlpha3(tt.mmsi); got != tt.alpha3 {
				t.Errorf("FlagAlpha3(%d) = %q, want %q", tt.mmsi, got, tt.alpha3)
			}
		})
	}
}

func TestIdentityStationKindString(t *testing.T) {
	tests := []struct {
		kind StationKind
		want string
	}{
		{KindInvalid, "invalid"},
		{KindVessel, "vessel"},
		{KindGroup, "group"},
		{KindCoastStation, "coast_station"},
		{KindSARAircraft, "sar_aircraft"},
		{KindAidToNavigation, "aid_to_navigation"},
		{KindAuxiliaryCraft, "auxiliary_craft"},
		{KindSART, "sart"},
		{KindMOB, "mob"},
		{KindEPIRB, "epirb"},
		{KindDiverRadio, "diver_radio"},
		{KindDiverRadio + 1, "unknown"},
		{255, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.want+"_"+strconv.Itoa(int(tt.kind)), func(t *testing.T) {
			if got := tt.kind.String(); got != tt.want {
				t.Errorf("StationKind(%d).String() = %q, want %q", uint8(tt.kind), got, tt.want)
			}
		})
	}
}

// TestIdentityNoAllocs guards the reason these functions exist in this
// form: they run for every decoded message.
func TestIdentityNoAllocs(t *testing.T) {
	mmsis := []uint32{219012345, 2191000, 970012345, 123456789, 799999999}
	var sink int
	allocs := testing.AllocsPerRun(100, func() {
		for _, m := range mmsis {
			sink += len(Flag(m)) + len(FlagAlpha3(m)) + int(Classify(m))
			if ValidMMSI(m) && IsVessel(m) {
				sink++
			}
			if mid, ok := MID(m); ok {
				sink += int(mid)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("identity functions allocate %v times per run, want 0", allocs)
	}
	_ = sink
}

// TestMIDTableWellFormed checks the table's shape without the source file:
// allocated MIDs lie in 201–775 and carry both codes as upper-case letters.
func TestMIDTableWellFormed(t *testing.T) {
	n := 0
	for mid, c := range midTable {
		if c == (isoCountry{}) {
			continue
		}
		n++
		if mid < 201 || mid > 775 {
			t.Errorf("MID %d is outside 201–775 but has %q", mid, c.alpha2)
		}
		if !isUpperCode(c.alpha2, 2) || !isUpperCode(c.alpha3, 3) {
			t.Errorf("MID %d has malformed codes %q/%q", mid, c.alpha2, c.alpha3)
		}
	}
	if n < 250 {
		t.Errorf("only %d MIDs allocated, want the full ITU list (about 290)", n)
	}
}

func isUpperCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// TestMIDTableMatchesCSV checks mid.go against the file it was produced
// from: every MID with an ISO code there has the same codes here, every MID
// listed there is allocated here (the rest were filled by hand), and the
// table allocates nothing the list does not name.
func TestMIDTableMatchesCSV(t *testing.T) {
	f, err := os.Open(midCSV)
	if errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing; CI must have shared/ beside the repository", midCSV)
		}
		t.Skipf("%s not found (shared/ is not beside the repository); skipping the cross-check", midCSV)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", midCSV, err)
	}
	if len(records) < 2 {
		t.Fatalf("%s has no rows", midCSV)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	for _, h := range []string{"mid", "iso_a2", "iso_a3"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("%s has no %q column (header %v)", midCSV, h, records[0])
		}
	}

	listed := map[int]bool{}
	for _, r := range records[1:] {
		mid, err := strconv.Atoi(r[col["mid"]])
		if err != nil || mid < 0 || mid >= len(midTable) {
			t.Errorf("bad MID %q in %s", r[col["mid"]], midCSV)
			continue
		}
		listed[mid] = true
		got := midTable[mid]
		if got.alpha2 == "" {
			t.Errorf("MID %d is in %s but not allocated in midTable", mid, midCSV)
			continue
		}
		if a2 := r[col["iso_a2"]]; a2 != "" && got.alpha2 != a2 {
			t.Errorf("MID %d: alpha-2 %q, want %q from %s", mid, got.alpha2, a2, midCSV)
		}
		if a3 := r[col["iso_a3"]]; a3 != "" && got.alpha3 != a3 {
			t.Errorf("MID %d: alpha-3 %q, want %q from %s", mid, got.alpha3, a3, midCSV)
		}
	}
	// Allocated since the 2015 list: seen in real traffic.
	newer := map[int]bool{374: true}
	for mid, c := range midTable {
		if c.alpha2 != "" && !listed[mid] && !newer[mid] {
			t.Errorf("MID %d (%s) is allocated in midTable but not in %s", mid, c.alpha2, midCSV)
		}
	}
}

func BenchmarkFlag(b *testing.B) {
	mmsis := [...]uint32{219012345, 366999999, 2191000, 992446000, 970012345, 123456789}
	var n int
	i := 0
	for b.Loop() {
		n += len(Flag(mmsis[i%len(mmsis)]))
		i++
	}
	_ = n
}
