package share

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// alboran is the area the matrix's agreements cover.
var alboran = Area{Name: "Alboran", BBox: []float64{-5.6, 35.0, -2.0, 36.8}}

// TestPolicyMatrix runs every combination of entity type, classification,
// TLP, peer kind, personal data, origin, place, purpose and agreement
// variant through Decide and checks each outcome with rules written out
// again independently: nothing sent that the agreement does not allow (a
// leak), and nothing withheld that it does.
func TestPolicyMatrix(t *testing.T) {
	types := []string{"IrregularMigrationIncident", "Incident", "Vessel", "Anomaly", "Person", "Risk"}
	// What each agreement variant's entity list lets through, written out.
	covered := map[string]bool{"IrregularMigrationIncident": true, "Incident": true, "Vessel": true, "Anomaly": false, "Person": false, "Risk": false}
	classes := []Classification{ClassNonSpecified, ClassNonClassified, ClassEURestricted, ClassEUConfidential, ClassEUSecret, ClassEUTopSecret}
	tlps := []Sensitivity{SensNonSpecified, SensWhite, SensGreen, SensAmber, SensRed}
	kinds := []PeerKind{MemberState, EUAgency, ThirdCountry}
	personal := []struct {
		name   string
		fields map[string]string
		marked []string
	}{
		{"none", map[string]string{"Description": "go-fast", "Length": "12"}, nil},
		{"vessel ids", map[string]string{"MMSI": "224000001", "IMONumber": "9074729", "CallSign": "EA1234", "Name": "LUNA", "Length": "12"}, nil},
		{"more", map[string]string{"MMSI": "224000001", "Name": "LUNA", "FamilyName": "García", "Telephone": "+34600000000",
			"INMARSATNumber": "422400001", "Remark": "skipper is Juan"}, []string{"Remark"}},
	}
	origins := []struct {
		name, origin string
		onward       []string
	}{{"own", "", nil}, {"onward", "pt", nil}, {"onward with consent", "pt", []string{"tn"}}}
	places := []struct {
		name string
		at   Point
		in   bool
	}{{"inside", Point{36.0, -4.0}, true}, {"outside", Point{43.5, -8.5}, false}}
	purposes := []struct {
		p  Purpose
		ok bool
	}{{"BorderMonitoring", true}, {"FisheriesMonitoring", false}}
	variants := []struct {
		name  string
		apply func(*Agreement)
		// may says whether the variant lets a personal field through.
		may func(field string) bool
	}{
		{"vessel identifiers", func(*Agreement) {}, func(f string) bool { return vesselIdentifiers[f] }},
		{"no identifiers", func(a *Agreement) { a.NoIdentifiers = true }, func(string) bool { return false }},
		{"names FamilyName", func(a *Agreement) { a.Personal = []string{"FamilyName", "Vessel.Telephone"} },
			func(f string) bool { return vesselIdentifiers[f] || f == "FamilyName" || f == "Telephone" }},
	}
	personalNames := map[string]bool{"MMSI": true, "IMONumber": true, "CallSign": true, "Name": true,
		"FamilyName": true, "Telephone": true, "INMARSATNumber": true, "Remark": true}

	cases, sent, leaks, wrong := 0, 0, 0, 0
	for _, v := range variants {
		for _, kind := range kinds {
			a := Agreement{Peer: "tn", Kind: kind, Entities: []string{"Incident", "Vessel"}, Areas: []Area{alboran},
				MaxClassification: ClassEURestricted, MaxSensitivity: SensAmber,
				Purposes: []Purpose{"BorderMonitoring", "SAR"}, Retention: 72 * time.Hour}
			v.apply(&a)
			for _, typ := range types {
				for _, c := range classes {
					for _, s := range tlps {
						for _, pd := range personal {
							for _, o := range origins {
								for _, pl := range places {
									for _, pu := range purposes {
										cases++
										at := pl.at
										in := Payload{Classification: c, Sensitivity: s, Purpose: pu.p, Personal: pd.name != "none",
											KeepUntil: t0.Add(30 * 24 * time.Hour),
											Entities: []Entity{{Type: typ, ID: "e1", Time: t0, Where: &at, Fields: clone(pd.fields),
												Personal: pd.marked, Origin: o.origin, Onward: o.onward}}}
										d := a.Decide(in, "es", t0)
										if q := a.decide(in, "es", t0, true); q.Send != d.Send || !reflect.DeepEqual(q.Payload, d.Payload) || q.Withheld != d.Withheld {
											t.Fatalf("%s/%s/%s: the quiet decision differs", v.name, kind, typ)
										}
										name := fmt.Sprintf("%s/%s/%s/%s/%s/%s/%s/%s/%s", v.name, kind, typ, c, s, pd.name, o.name, pl.name, pu.p)

										// Independent rules.
										want := c != ClassNonSpecified && c <= ClassEURestricted &&
											s != SensNonSpecified && s <= SensAmber && pu.ok && covered[typ] && pl.in &&
											!(kind == ThirdCountry && o.origin != "" && !slices.Contains(o.onward, "tn"))
										if d.Send {
											sent++
											leaks += leaksOf(t, name, d, in, personalNames, v.may, covered)
										}
										if d.Send != want {
											wrong++
											if wrong < 5 {
												t.Errorf("%s: send %v, want %v\n%s", name, d.Send, want, d)
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("policy matrix: %d cases, %d sent something, %d leaks, %d wrong decisions", cases, sent, leaks, wrong)
	if leaks > 0 || wrong > 0 {
		t.Errorf("%d leaks and %d wrong decisions in %d cases", leaks, wrong, cases)
	}
	if cases != 58320 {
		t.Errorf("%d cases, want 58320", cases)
	}
}

// leaksOf counts what a decision sends that its agreement does not allow.
func leaksOf(t *testing.T, name string, d Decision, in Payload, personal map[string]bool, may func(string) bool, covered map[string]bool) int {
	t.Helper()
	n := 0
	leak := func(format string, args ...any) {
		n++
		if n < 3 {
			t.Errorf("%s: leak: "+format, append([]any{name}, args...)...)
		}
	}
	p := d.Payload
	if p.Classification == ClassNonSpecified || p.Classification > ClassEURestricted {
		leak("classification %s", p.Classification)
	}
	if p.Sensitivity == SensNonSpecified || p.Sensitivity > SensAmber {
		leak("sensitivity %s", p.Sensitivity)
	}
	if p.Purpose != "BorderMonitoring" && p.Purpose != "SAR" {
		leak("purpose %s", p.Purpose)
	}
	if p.KeepUntil.IsZero() || p.KeepUntil.After(t0.Add(72*time.Hour)) {
		leak("kept until %v, past the agreement's 72h", p.KeepUntil)
	}
	for _, e := range p.Entities {
		if !covered[e.Type] {
			leak("entity type %s", e.Type)
		}
		if e.Where == nil || !(e.Where.Lat >= 35 && e.Where.Lat <= 36.8 && e.Where.Lon >= -5.6 && e.Where.Lon <= -2) {
			leak("entity outside the area: %+v", e.Where)
		}
		if d.Peer == "tn" && e.Origin == "pt" && !slices.Contains(e.Onward, "tn") && strings.Contains(name, string(ThirdCountry)) {
			leak("onward without consent")
		}
		for k := range e.Fields {
			if isPersonalHere(e.Type, k, personal) && !may(k) {
				leak("personal field %s", k)
			}
		}
	}
	// Something personal was in, something personal must be flagged out.
	var personalOut bool
	for _, e := range p.Entities {
		for k := range e.Fields {
			personalOut = personalOut || isPersonalHere(e.Type, k, personal)
		}
	}
	if personalOut != p.Personal {
		leak("IsPersonalData %v with personal fields %v", p.Personal, personalOut)
	}
	return n
}

// isPersonalHere is the matrix's own rule for personal data: the fields
// it puts in as personal, but a Name only on a vessel or a person.
func isPersonalHere(typ, field string, personal map[string]bool) bool {
	if typ == "Person" {
		return true
	}
	if field == "Name" {
		return typ == "Vessel"
	}
	return personal[field]
}

func clone(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// TestDecideNested: an incident's vessels and persons are decided each by
// its own type, onward rule and personal data, inside the incident.
func TestDecideNested(t *testing.T) {
	a := Agreement{Peer: "ma", Kind: ThirdCountry, Entities: []string{"Incident", "Vessel"},
		MaxClassification: ClassNonClassified, MaxSensitivity: SensGreen, Purposes: []Purpose{"SAR"}}
	in := Payload{Classification: ClassNonClassified, Sensitivity: SensGreen, Purpose: "SAR", Entities: []Entity{{
		Type: "MaritimeSafetyIncident", ID: "inc-1", Fields: map[string]string{"Description": "boat in distress"},
		Involved: []Entity{
			{Type: "Vessel", ID: "v1", Fields: map[string]string{"MMSI": "224000001", "MasterName": "Juan", "Length": "9"}},
			{Type: "Person", ID: "p1", Fields: map[string]string{"FamilyName": "García"}},
			{Type: "Vessel", ID: "v2", Origin: "pt", Fields: map[string]string{"MMSI": "263000002"}},
		},
	}}}
	d := a.Decide(in, "es", t0)
	if !d.Send || len(d.Payload.Entities) != 1 {
		t.Fatalf("%s", d)
	}
	inc := d.Payload.Entities[0]
	if len(inc.Involved) != 1 || inc.Involved[0].ID != "v1" {
		t.Fatalf("involved %+v, want vessel v1 only", inc.Involved)
	}
	if got := inc.Involved[0].Fields; got["MMSI"] != "224000001" || got["Length"] != "9" || got["MasterName"] != "" {
		t.Errorf("vessel fields %v, want MMSI and Length only", got)
	}
	if d.Withheld != 2 || !d.Payload.Personal {
		t.Errorf("withheld %d, personal %v; want 2, true", d.Withheld, d.Payload.Personal)
	}
	if in.Entities[0].Involved[0].Fields["MasterName"] != "Juan" {
		t.Error("Decide changed its input")
	}
}

// TestExplain compares the words of Explain with golden files: one
// payload seen by each peer of the example policy.
func TestExplain(t *testing.T) {
	pol := readPolicy(t, "testdata/policy.good.yml")
	var pl Payload
	b, err := os.ReadFile("testdata/item.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &pl); err != nil {
		t.Fatal(err)
	}
	for _, peer := range []string{"pt", "frontex", "ma", "xx"} {
		t.Run(peer, func(t *testing.T) {
			d := pol.Explain(pl, peer, "es", t0)
			var out bytes.Buffer
			out.WriteString(d.String())
			if d.Payload != nil {
				out.WriteString("\n")
				y, err := yaml.Marshal(d.Payload)
				if err != nil {
					t.Fatal(err)
				}
				out.Write(y)
			}
			golden(t, filepath.Join("testdata", "explain."+peer+".golden"), out.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func readPolicy(t *testing.T, path string) Policy {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := ParsePolicy(b)
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// TestParsePolicy reads the fixtures: the good one parses and checks, each
// bad one fails with the error its first line names.
func TestParsePolicy(t *testing.T) {
	readPolicy(t, "testdata/policy.good.yml")
	bad, _ := filepath.Glob("testdata/policy.*.bad.yml")
	if len(bad) == 0 {
		t.Fatal("no bad fixtures")
	}
	for _, path := range bad {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := bytes.Cut(b, []byte("\n"))
			want := strings.TrimSpace(strings.TrimPrefix(string(first), "# want:"))
			_, err = ParsePolicy(b)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v, want one containing %q", err, want)
			}
			if err != nil && !errors.Is(err, ErrPolicy) {
				t.Errorf("error %v does not wrap ErrPolicy", err)
			}
		})
	}
}

// TestPermits: what a peer may ask for.
func TestPermits(t *testing.T) {
	pol := readPolicy(t, "testdata/policy.good.yml")
	ma, _ := pol.Agreement("ma")
	pt, _ := pol.Agreement("pt")
	for _, tc := range []struct {
		name string
		a    Agreement
		q    Query
		ok   bool
	}{
		{"incidents in an area", ma, Query{Types: []string{"IrregularMigrationIncident"}, Area: &alboran}, true},
		{"persons", ma, Query{Types: []string{"Person"}}, false},
		{"by MMSI without identifiers", ma, Query{MMSI: "224000001"}, false},
		{"by MMSI", pt, Query{MMSI: "224000001"}, true},
		{"anything", pt, Query{}, true},
	} {
		err := tc.a.Permits(tc.q)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrNotAllowed)) {
			t.Errorf("%s: %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

func TestEnumsText(t *testing.T) {
	for in, want := range map[string]Classification{"EURestricted": ClassEURestricted, "RESTREINT UE/EU RESTRICTED": ClassEURestricted,
		"nonclassified": ClassNonClassified, "EU Top Secret": ClassEUTopSecret} {
		var c Classification
		if err := c.UnmarshalText([]byte(in)); err != nil || c != want {
			t.Errorf("%q: %v %v, want %v", in, c, err, want)
		}
	}
	for in, want := range map[string]Sensitivity{"TLP:CLEAR": SensWhite, "white": SensWhite, "AMBER": SensAmber, "TLP:AMBER+STRICT": SensAmber, "Red": SensRed} {
		var s Sensitivity
		if err := s.UnmarshalText([]byte(in)); err != nil || s != want {
			t.Errorf("%q: %v %v, want %v", in, s, err, want)
		}
	}
	var c Classification
	if c.UnmarshalText([]byte("TOP SECRET")) == nil {
		t.Error("TOP SECRET parsed")
	}
}
