package report

import (
	"fmt"
	"strings"

	"pharos/internal/model"
	"pharos/internal/risk"
)

// Crime is a type of cross-border crime the annual report counts: the
// three the EU Internal Security Strategy asks a yearly report on, and
// the rest.
type Crime uint8

// Crime types, in the report's order.
const (
	// NotCrime: crisis situations and other incidents (suspect or
	// unidentified vessels, spoofed identities…) not known as a crime.
	NotCrime Crime = iota
	HumanTrafficking
	HumanSmuggling
	IllicitGoods
	// OtherCrime: cross-border crime of another kind (illegal fishing,
	// pollution) or of no stated kind.
	OtherCrime
	numCrimes
)

// Crimes are the three crime types of the report, in its order.
var Crimes = []Crime{HumanTrafficking, HumanSmuggling, IllicitGoods}

// AllCrimes are every crime type, NotCrime last.
var AllCrimes = []Crime{HumanTrafficking, HumanSmuggling, IllicitGoods, OtherCrime, NotCrime}

var crimeNames = [...]string{"not_crime", "human_trafficking", "human_smuggling", "illicit_goods", "other_crime"}
var crimeLabels = [...]string{"Not a cross-border crime", "Human trafficking", "Human smuggling", "Illicit goods", "Other cross-border crime"}

// String is the crime type's name in figures and files.
func (c Crime) String() string {
	if int(c) < len(crimeNames) {
		return crimeNames[c]
	}
	return "unknown"
}

// Label is the crime type's name for people.
func (c Crime) Label() string {
	if int(c) < len(crimeLabels) {
		return crimeLabels[c]
	}
	return "unknown"
}

// Threat is the threat type a risk product names for the crime type:
// the names of package risk where it has one.
func (c Crime) Threat() string {
	switch c {
	case HumanTrafficking:
		return risk.Trafficking
	case HumanSmuggling:
		return risk.PeopleSmuggling
	}
	return c.String()
}

// ParseCrime reads a crime type's name.
func ParseCrime(s string) (Crime, error) {
	for i, n := range crimeNames {
		if n == s {
			return Crime(i), nil
		}
	}
	return 0, fmt.Errorf("unknown crime type %q", s)
}

// The words that name a crime type in an incident's title, lower case,
// matched as substrings in this order. They are plain substrings so that
// the mapping can be written as SQL LIKE patterns too (the cross-check
// test does).
var (
	traffickingWords = []string{"trafficking in human", "human trafficking", "thb", "sexual exploitation", "forced labour", "forced labor"}
	goodsWords       = []string{"drug", "hashish", "cannabis", "cocaine", "heroin", "narcotic", "tobacco", "cigarette", "fuel smuggling",
		"weapon", "firearm", "contraband", "illicit goods", "excise"}
	smugglingWords = []string{"migrant", "people smuggling", "human smuggling", "smuggling of people", "facilitat"}
)

// CrimeOf maps an incident's EUROSUR category and title to a crime type;
// an incident a detection opened has the detection's type as its title.
// The first rule that applies decides:
//
//  1. a title naming trafficking in human beings ("trafficking in human",
//     "human trafficking", "THB", "sexual exploitation", "forced labour"):
//     human trafficking;
//  2. a title naming illicit goods ("drug", "hashish", "cannabis",
//     "cocaine", "heroin", "narcotic", "tobacco", "cigarette", "fuel
//     smuggling", "weapon", "firearm", "contraband", "illicit goods",
//     "excise"): illicit goods;
//  3. a title naming the smuggling of people ("migrant", "people
//     smuggling", "human smuggling", "smuggling of people",
//     "facilitat…"): human smuggling;
//  4. the detection types: go_fast and encounter (the go-fast runs and
//     transhipments at sea of drug and tobacco smuggling): illicit goods;
//     distress: human smuggling;
//  5. the category unauthorised_border_crossing: human smuggling — a
//     crossing by sea in a small boat is as a rule facilitated for gain;
//  6. the category cross_border_crime: other cross-border crime (illegal
//     fishing, pollution, or a crime the title does not name);
//  7. anything else (crisis_situation, other): not a cross-border crime.
//
// Titles are matched in lower case.
func CrimeOf(category, title string) Crime {
	t := strings.ToLower(title)
	switch {
	case containsAny(t, traffickingWords):
		return HumanTrafficking
	case containsAny(t, goodsWords):
		return IllicitGoods
	case containsAny(t, smugglingWords):
		return HumanSmuggling
	}
	switch t {
	case "go_fast", "encounter":
		return IllicitGoods
	case "distress":
		return HumanSmuggling
	}
	switch category {
	case model.CategoryUnauthorisedCrossing:
		return HumanSmuggling
	case model.CategoryCrossBorderCrime:
		return OtherCrime
	}
	return NotCrime
}

// DetectionCrime maps a detection to a crime type: the threat its risk
// assessment scored highest, when at least MinThreat (drugs: illicit
// goods; people smuggling: human smuggling; trafficking in human beings:
// human trafficking; illegal fishing, pollution: other), else CrimeOf
// its category and type. It is the "suspicious behaviour by threat type"
// of the hotspots.
func DetectionCrime(ev *model.Event) Crime {
	if ev.Risk != nil {
		best, score := "", MinThreat
		for _, th := range risk.Threats { // fixed order: ties go to the first
			if s := ev.Risk.Threats[th]; s >= score && (best == "" || s > score) {
				best, score = th, s
			}
		}
		switch best {
		case risk.Drugs:
			return IllicitGoods
		case risk.PeopleSmuggling:
			return HumanSmuggling
		case risk.Trafficking:
			return HumanTrafficking
		case risk.IllegalFishing, risk.Pollution:
			return OtherCrime
		}
	}
	return CrimeOf(ev.Category, ev.Type)
}

// MinThreat is the least threat score that makes a detection count for
// that threat.
const MinThreat = 0.5

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
