package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"pharos/internal/geo"
)

// Levels is the rule by which the figures suggest a border section's
// impact level: the serious incidents (impact high or very high) in the
// section per 30 days of the period. A level is suggested when the rate
// reaches its threshold; a lower level than the section has only when
// the period compared with was below the section's threshold too, so that
// one quiet year does not lower a section. A period of which the node
// holds no record at all (incident or detection, anywhere) suggests
// nothing.
type Levels struct {
	Medium, High, Critical float64 // serious incidents per 30 days
}

// DefaultLevels: medium from 2 serious incidents a month, high from 8,
// critical from 25 — a go-fast run or a boat in distress every other
// week asks the centre to watch; several a week, reinforced measures;
// most nights, escalation.
var DefaultLevels = Levels{Medium: 2, High: 8, Critical: 25}

// level is the level the rate calls for.
func (l Levels) level(rate float64) geo.AreaImpact {
	switch {
	case rate >= l.Critical:
		return geo.AreaImpactCritical
	case rate >= l.High:
		return geo.AreaImpactHigh
	case rate >= l.Medium:
		return geo.AreaImpactMedium
	}
	return geo.AreaImpactLow
}

// threshold is the rate at which a level begins.
func (l Levels) threshold(level geo.AreaImpact) float64 {
	switch level {
	case geo.AreaImpactCritical:
		return l.Critical
	case geo.AreaImpactHigh:
		return l.High
	case geo.AreaImpactMedium:
		return l.Medium
	}
	return 0
}

// covers says whether the node holds any record of [from, to): without
// one, its silence says nothing of the sea, and no level is suggested
// from it.
func (d *Data) covers(from, to time.Time) bool {
	f, t := from.UnixNano(), to.UnixNano()
	return len(d.records(LayerIncidents, f, t))+len(d.records(LayerDetections, f, t)) > 0
}

// SectionFigures are a border section's figures over a period and the
// one compared with.
type SectionFigures struct {
	Section *Section
	// Incidents, Serious and ByCrime count the period's incidents in the
	// section: all, those of impact high or very high, and by crime type;
	// the Before ones the period compared with.
	Incidents, Serious, IncidentsBefore, SeriousBefore *Figure
	ByCrime, ByCrimeBefore                             map[Crime]*Figure
	// Rate is Serious per 30 days; RateBefore likewise.
	Rate, RateBefore float64
	// Suggested is the level the figures suggest; Change says whether it
	// differs from the section's.
	Suggested geo.AreaImpact
	Change    bool
	// Worst are up to five of the period's incidents of the highest
	// impact in the section, by time: evidence to read.
	Worst []string
	// Departures count the incidents in the section whose route left from
	// each state, most first.
	Departures []StateCount
}

// StateCount is a state and a figure.
type StateCount struct {
	State string
	ISO   string
	Fig   *Figure
}

// SectionsOver makes the figures of every border section over [from, to)
// compared with [pfrom, pto), and suggests levels.
func (d *Data) SectionsOver(from, to, pfrom, pto time.Time) []SectionFigures {
	var out []SectionFigures
	days := to.Sub(from).Hours() / 24
	pdays := pto.Sub(pfrom).Hours() / 24
	crimes := crimeNames[:]
	for i := range d.Sections {
		s := &d.Sections[i]
		q := Query{Layer: LayerIncidents, From: from, To: to, Section: s.ID}
		p := Query{Layer: LayerIncidents, From: pfrom, To: pto, Section: s.ID}
		sf := SectionFigures{Section: s, Incidents: d.Count(q), IncidentsBefore: d.Count(p),
			ByCrime: map[Crime]*Figure{}, ByCrimeBefore: map[Crime]*Figure{}}
		for name, f := range d.By(q, DimCrime, crimes) {
			c, _ := ParseCrime(name)
			sf.ByCrime[c] = f
		}
		for name, f := range d.By(p, DimCrime, crimes) {
			c, _ := ParseCrime(name)
			sf.ByCrimeBefore[c] = f
		}
		q.Serious, p.Serious = "yes", "yes"
		sf.Serious, sf.SeriousBefore = d.Count(q), d.Count(p)
		sf.Rate = float64(sf.Serious.Value) / days * 30
		sf.RateBefore = float64(sf.SeriousBefore.Value) / pdays * 30
		sf.Suggested = d.Levels.level(sf.Rate)
		if sf.Suggested < s.Level && (sf.RateBefore >= d.Levels.threshold(s.Level) || !d.covers(pfrom, pto)) {
			// Lower only after two periods below the section's level.
			sf.Suggested = s.Level
		}
		sf.Change = s.Level != geo.AreaImpactNone && sf.Suggested != s.Level && d.covers(from, to)
		sf.Worst = d.worst(from, to, i)
		q.Serious = ""
		deps := map[string]string{}
		for _, k := range d.By(q, DimRoute, nil) {
			r := d.Routes[d.routeIdx[k.Query.Route]]
			deps[r.From.State] = r.From.ISO
		}
		for _, dep := range slices.Sorted(maps.Keys(deps)) {
			iso := deps[dep]
			dq := q
			dq.Departure = dep
			sf.Departures = append(sf.Departures, StateCount{State: dep, ISO: iso, Fig: d.Count(dq)})
		}
		slices.SortFunc(sf.Departures, func(a, b StateCount) int {
			return cmp.Or(cmp.Compare(b.Fig.Value, a.Fig.Value), cmp.Compare(a.State, b.State))
		})
		out = append(out, sf)
	}
	return out
}

// worst lists up to five incidents of the highest impact in a section.
func (d *Data) worst(from, to time.Time, section int) []string {
	recs := d.records(LayerIncidents, from.UnixNano(), to.UnixNano())
	var idx []int
	for i := range recs {
		if int(recs[i].section) == section {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Compare(d.incident(&recs[b]).Impact, d.incident(&recs[a]).Impact)
	})
	var out []string
	for _, i := range idx[:min(5, len(idx))] {
		in := d.incident(&recs[i])
		out = append(out, fmt.Sprintf("%s (%s, %s, %s)", in.ID, in.Detected.UTC().Format("2006-01-02"), in.Title, in.Impact))
	}
	return out
}

// Joint is a border section where a joint operation looks needed, and
// why.
type Joint struct {
	Section *SectionFigures
	Reasons []string
}

// JointOps gives the sections where the figures point to a joint
// operation: two reasons or more among
//
//   - two or more of the report's crime types each make a tenth or more of
//     the section's crime incidents, five or more each: the authorities of
//     each (border guards, customs, police) working the same waters;
//   - a quarter or more of the section's incidents with a route came from
//     another state's coast: an operation with that state's authorities;
//   - the suggested level is high or critical;
//   - the serious incidents rose by a quarter or more on the period
//     compared with.
//
// Sections with one reason are given too, marked so, after those.
func JointOps(secs []SectionFigures) []Joint {
	var out []Joint
	for i := range secs {
		s := &secs[i]
		var why []string
		total := 0
		for _, c := range Crimes {
			total += s.ByCrime[c].Value
		}
		var mixed []string
		for _, c := range Crimes {
			if n := s.ByCrime[c].Value; n >= 5 && float64(n) >= 0.1*float64(total) {
				mixed = append(mixed, fmt.Sprintf("%s (%d)", strings.ToLower(c.Label()), n))
			}
		}
		if len(mixed) >= 2 {
			why = append(why, fmt.Sprintf("%s in the same waters: the authorities of each working together", joinAnd(mixed)))
		}
		routed := 0
		for _, dc := range s.Departures {
			routed += dc.Fig.Value
		}
		for _, dc := range s.Departures {
			if dc.State == OpenSea || dc.ISO == s.Section.ISOA2 || routed == 0 {
				continue
			}
			if float64(dc.Fig.Value) >= 0.25*float64(routed) {
				why = append(why, fmt.Sprintf("%d of the %d craft with a known route came from %s: an operation with its authorities",
					dc.Fig.Value, routed, dc.State))
			}
		}
		if s.Suggested >= geo.AreaImpactHigh {
			why = append(why, fmt.Sprintf("the figures suggest impact level %s (%.1f serious incidents per month)", s.Suggested, s.Rate))
		}
		if b := s.SeriousBefore.Value; s.Serious.Value >= 5 && float64(s.Serious.Value) >= 1.25*float64(b) {
			why = append(why, fmt.Sprintf("serious incidents up from %d to %d", b, s.Serious.Value))
		}
		if len(why) > 0 {
			out = append(out, Joint{Section: s, Reasons: why})
		}
	}
	slices.SortStableFunc(out, func(a, b Joint) int {
		return cmp.Or(cmp.Compare(len(b.Reasons), len(a.Reasons)), cmp.Compare(b.Section.Serious.Value, a.Section.Serious.Value))
	})
	return out
}

// Needed says whether the figures give two reasons or more.
func (j Joint) Needed() bool { return len(j.Reasons) >= 2 }

func joinAnd(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}
