package risk

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"pharos/internal/ais"
	"pharos/internal/model"
	"pharos/internal/track"
)

// Threat types.
const (
	Drugs           = "drugs"
	PeopleSmuggling = "people_smuggling"
	Trafficking     = "trafficking_in_human_beings"
	IllegalFishing  = "illegal_fishing"
	Pollution       = "pollution"
)

// Threats lists every threat type, in a fixed order.
var Threats = []string{Drugs, PeopleSmuggling, Trafficking, IllegalFishing, Pollution}

// Weights say how much each fact adds to each threat: a fact's weights
// are summed per threat and the sum s mapped to a score 1 − e^(−s), so that
// evidence accumulates and no score passes 1.
type Weights map[string]map[string]float64

// DefaultWeights are the facts Pharos knows and a first judgement of what
// each says about each threat. They encode the operational reading of the
// issue that asked for them (a go-fast is the drug run's signature; a
// small dark boat in distress, people smuggling; a rendezvous with a dark
// boat, transhipment of drugs or catch); tune them per node.
func DefaultWeights() Weights {
	return Weights{
		"go_fast":             {Drugs: 1.5, PeopleSmuggling: 0.3},
		"encounter":           {IllegalFishing: 0.5, Drugs: 0.3},
		"encounter_dark":      {Drugs: 1.0, Trafficking: 0.3, IllegalFishing: 0.7},
		"ais_gap":             {IllegalFishing: 0.6, Drugs: 0.3},
		"loitering":           {IllegalFishing: 0.3, Drugs: 0.2},
		"drift":               {PeopleSmuggling: 0.3, Pollution: 0.2},
		"speed_change":        {Drugs: 0.1},
		"distress":            {PeopleSmuggling: 1.5, Trafficking: 0.5},
		"identity_spoof":      {Drugs: 0.5, IllegalFishing: 0.5, Trafficking: 0.3, Pollution: 0.2},
		"watchlist_hit":       {Drugs: 1.5, PeopleSmuggling: 1.5, Trafficking: 1.5, IllegalFishing: 1.5, Pollution: 1.5},
		"zone_entry":          {PeopleSmuggling: 0.1, Drugs: 0.1},
		"zone_loiter":         {IllegalFishing: 0.3, Drugs: 0.2},
		"dark_target":         {Drugs: 0.4, PeopleSmuggling: 0.4},
		"dark":                {Drugs: 0.3, PeopleSmuggling: 0.3, IllegalFishing: 0.2},
		"dark_long":           {IllegalFishing: 0.4, Drugs: 0.3},
		"unconfirmed":         {Drugs: 0.2, IllegalFishing: 0.2},
		"invalid_identity":    {Drugs: 0.3, IllegalFishing: 0.3, Pollution: 0.2},
		"flag_of_convenience": {IllegalFishing: 0.2, Pollution: 0.2},
		"small_fast_at_night": {Drugs: 0.4, PeopleSmuggling: 0.2},
		"small_boat_no_ais":   {PeopleSmuggling: 0.2, Drugs: 0.2},
	}
}

// flagsOfConvenience are the registers the International Transport
// Workers' Federation lists as flags of convenience (ISO 3166 alpha-2).
var flagsOfConvenience = map[string]bool{
	"AG": true, "BS": true, "BB": true, "BZ": true, "BM": true, "BO": true, "KH": true, "KY": true,
	"KM": true, "CK": true, "CY": true, "GQ": true, "FO": true, "GE": true, "GI": true, "HN": true,
	"JM": true, "LB": true, "LR": true, "MT": true, "MH": true, "MU": true, "MD": true, "MN": true,
	"MM": true, "KP": true, "PA": true, "ST": true, "VC": true, "LK": true, "TO": true, "VU": true,
	"TZ": true, "CM": true, "PW": true, "SL": true, "TG": true,
}

// Assessor accumulates facts per track and scores them. It is not safe for
// concurrent use.
type Assessor struct {
	w      Weights
	tracks map[uint64]*facts
}

// facts is what is known of one track.
type facts struct {
	events                                                map[string]int // event type (or a refinement) → count
	lastSeen                                              time.Time
	darkFrom                                              time.Time // when the track was last seen to turn dark; zero while it transmits
	dark                                                  bool
	unconfirmed, invalid, foc, smallFastNight, smallNoAIS bool
	mmsi                                                  uint32
}

// New returns an assessor with weights (nil: DefaultWeights).
func New(w Weights) *Assessor {
	if w == nil {
		w = DefaultWeights()
	}
	return &Assessor{w: w, tracks: map[uint64]*facts{}}
}

func (a *Assessor) factsOf(id uint64) *facts {
	f := a.tracks[id]
	if f == nil {
		f = &facts{events: map[string]int{}}
		a.tracks[id] = f
	}
	return f
}

// Track records what a track shows about itself.
func (a *Assessor) Track(t *track.Track) {
	if t.Status == track.Dropped {
		delete(a.tracks, t.ID)
		return
	}
	f := a.factsOf(t.ID)
	f.lastSeen = t.Updated
	dark := t.Dark()
	if dark && !f.dark {
		f.darkFrom = t.Seen[model.SensorAIS]
		if f.darkFrom.IsZero() {
			f.darkFrom = t.Created
		}
	}
	f.dark = dark
	f.unconfirmed = t.Unconfirmed
	if t.Identity != nil && t.Identity.MMSI != 0 {
		f.mmsi = t.Identity.MMSI
		f.invalid = !ais.ValidMMSI(t.Identity.MMSI)
		f.foc = flagsOfConvenience[t.Identity.Flag]
	}
	sog, _ := t.Velocity()
	length := t.BestLength()
	small := length == 0 || length <= 20
	_, lon := t.Position()
	f.smallFastNight = f.smallFastNight || (small && sog > 25 && night(t.Updated, lon))
	f.smallNoAIS = small && t.Identity == nil
}

// Event records an event for each of its tracks. An encounter in which one
// side is dark counts as the graver "encounter_dark".
func (a *Assessor) Event(ev *model.Event) {
	typ := ev.Type
	if typ == "encounter" {
		if d, _ := ev.Details["dark"].(bool); d {
			typ = "encounter_dark"
		}
	}
	for _, id := range ev.TrackIDs {
		a.factsOf(id).events[typ]++
	}
}

// Assess scores a track from what is known of it.
func (a *Assessor) Assess(id uint64) model.Risk {
	f := a.tracks[id]
	if f == nil {
		return model.Risk{}
	}
	type reason struct {
		weight float64
		text   string
	}
	sums := map[string]float64{}
	var reasons []reason
	add := func(fact string, times float64, text string) {
		total := 0.0
		for threat, w := range a.w[fact] {
			// Repeats add less and less: the second encounter counts half.
			k := 0.0
			for i := 0; float64(i) < times; i++ {
				k += min(1, times-float64(i)) / float64(i+1)
			}
			sums[threat] += w * k
			total += w * k
		}
		if total > 0 {
			reasons = append(reasons, reason{total, text})
		}
	}
	for _, typ := range sortedKeys(f.events) {
		n := f.events[typ]
		add(typ, float64(n), eventText(typ, n))
	}
	if f.dark {
		// Being dark weighs more the longer it lasts, in full after
		// half an hour: a plot seen for seconds says little.
		d := f.lastSeen.Sub(f.darkFrom)
		k := min(1, d.Minutes()/30)
		add("dark", k, "dark (no AIS) for "+human(d))
		if f.smallNoAIS {
			add("small_boat_no_ais", k, "small boat without AIS")
		}
		if d >= 12*time.Hour {
			add("dark_long", 1, "dark for over 12 h")
		}
	}
	for _, c := range []struct {
		on         bool
		fact, text string
	}{
		{f.unconfirmed, "unconfirmed", "AIS not confirmed by the radar that covers it"},
		{f.invalid, "invalid_identity", fmt.Sprintf("invalid MMSI %09d", f.mmsi)},
		{f.foc, "flag_of_convenience", "flag of convenience"},
		{f.smallFastNight, "small_fast_at_night", "small craft running fast at night"},
	} {
		if c.on {
			add(c.fact, 1, c.text)
		}
	}
	r := model.Risk{Threats: map[string]float64{}}
	for _, threat := range Threats {
		if s := sums[threat]; s > 0 {
			score := 1 - math.Exp(-s)
			r.Threats[threat] = math.Round(score*1000) / 1000
			r.Score = max(r.Score, r.Threats[threat])
		}
	}
	slices.SortStableFunc(reasons, func(a, b reason) int {
		switch {
		case a.weight > b.weight:
			return -1
		case a.weight < b.weight:
			return 1
		}
		return 0
	})
	for _, x := range reasons {
		r.Reasons = append(r.Reasons, x.text)
	}
	r.Explanation = strings.Join(r.Reasons, ", ")
	return r
}

// AssessEvent is the risk of an event: the highest of its tracks'.
func (a *Assessor) AssessEvent(ev *model.Event) model.Risk {
	var best model.Risk
	for _, id := range ev.TrackIDs {
		if r := a.Assess(id); r.Score >= best.Score {
			best = r
		}
	}
	return best
}

// Tracks returns the ids of the tracks with any fact, in order.
func (a *Assessor) Tracks() []uint64 { return sortedKeys(a.tracks) }

func eventText(typ string, n int) string {
	name := map[string]string{
		"go_fast": "go-fast run", "encounter": "encounter at sea", "encounter_dark": "encounter with a dark target",
		"ais_gap": "AIS gap", "loitering": "loitering far from shore", "drift": "drifting",
		"speed_change": "sudden speed change", "distress": "possible distress", "identity_spoof": "identity spoofing",
		"watchlist_hit": "watchlist match", "zone_entry": "zone entry", "zone_exit": "zone exit",
		"zone_loiter": "loitering in a zone", "dark_target": "dark inside a border section",
	}[typ]
	if name == "" {
		name = strings.ReplaceAll(typ, "_", " ")
	}
	if n == 1 {
		return name
	}
	return fmt.Sprintf("%d× %s", n, name)
}

func human(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%.0f h", d.Hours())
	case d >= time.Minute:
		return fmt.Sprintf("%.0f min", d.Minutes())
	}
	return fmt.Sprintf("%.0f s", d.Seconds())
}

// night reports whether the sun is down at the place: local solar time
// (UTC plus longitude/15 hours) between 19 h and 6 h, close enough for
// telling a night run from a day trip.
func night(t time.Time, lon float64) bool {
	h := math.Mod(float64(t.UTC().Hour())+float64(t.UTC().Minute())/60+lon/15+24, 24)
	return h >= 19 || h < 6
}
