package detect

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"pharos/internal/model"
	"pharos/internal/track"
)

// Watchlist finds vessels that match an alert on a watchlist, the way an
// alert in the Schengen Information System on a boat asks the officer who
// meets it for a discreet check (Regulation (EU) 2018/1862, Article 36):
// the node reports where and when the vessel was seen, in whose company
// and on what course, and nothing is done that would warn the crew that
// they are watched. A hit is information for the owner of the alert, not
// an order to intercept; the entry's Impact says how urgently it matters.
//
// A track matches an entry on its MMSI, IMO number or call sign, exactly,
// or on its name: exactly or fuzzily, both normalised to upper-case
// letters and digits. Fuzzy means within one edit (Levenshtein distance)
// for names of OneEditLen characters or more, two for TwoEditLen or more,
// with the digits the same (sister ships differ only by their number), or
// every word of a name of two words or more found in the other, in any
// order ("AZUL MAR" for "MAR AZUL II"). Each (entry, track) is one event,
// from the first match until the track is dropped; the identifiers that
// matched are in Details "matched", and the confidence grows with them
// (an MMSI can be borrowed, an IMO number hardly).
//
// Entries are indexed on first use; SetEntries replaces them.
type Watchlist struct {
	Entries []WatchEntry
	// OneEditLen is the shortest normalised name matched within one edit;
	// default 5 (shorter names must match exactly).
	OneEditLen int
	// TwoEditLen is the shortest normalised name matched within two
	// edits; default 10.
	TwoEditLen int

	built  bool
	byMMSI map[uint32][]int
	byIMO  map[uint32][]int
	byCall map[string][]int
	names  []watchName
	tracks map[uint64]*watchTrack
	row    []int
}

// WatchEntry is one alert: the identifiers to look for (any may be zero or
// empty) and why.
type WatchEntry struct {
	ID       string            `json:"id" yaml:"id"`
	MMSI     uint32            `json:"mmsi,omitempty" yaml:"mmsi"`
	IMO      uint32            `json:"imo,omitempty" yaml:"imo"`
	CallSign string            `json:"call_sign,omitempty" yaml:"call_sign"`
	Name     string            `json:"name,omitempty" yaml:"name"`
	Reason   string            `json:"reason,omitempty" yaml:"reason"` // shown with every hit
	Impact   model.ImpactLevel `json:"impact" yaml:"impact"`
	// Category is the EUROSUR category of a hit; default other (a suspect
	// vessel).
	Category string `json:"category,omitempty" yaml:"category"`
}

type watchName struct {
	entry  int
	norm   []rune
	digits string
	tokens []string
}

// watchTrack is a track's identity as last matched, and its hits.
type watchTrack struct {
	mmsi, imo  uint32
	call, name string
	hits       []watchHit
}

type watchHit struct {
	entry string // the entry's ID: indexes change with SetEntries
	key   string
	ev    *model.Event
}

// watchMatch is how one entry matched an identity.
type watchMatch struct {
	entry   int
	fields  []string
	conf    float64
	edits   int // of a fuzzy name match
	partial bool
}

func (d *Watchlist) defaults() {
	if d.OneEditLen == 0 {
		d.OneEditLen = 5
	}
	if d.TwoEditLen == 0 {
		d.TwoEditLen = 10
	}
	if d.tracks == nil {
		d.tracks = map[uint64]*watchTrack{}
	}
	if !d.built {
		d.build()
	}
}

// SetEntries replaces the watchlist; every track is matched again at its
// next update. Open hits stay open until their tracks are dropped.
func (d *Watchlist) SetEntries(entries []WatchEntry) {
	d.Entries = entries
	d.built = false
	for _, s := range d.tracks {
		s.mmsi, s.imo, s.call, s.name = 0, 0, "\x00", "\x00" // never an identity: rematch
	}
}

func (d *Watchlist) build() {
	d.byMMSI, d.byIMO, d.byCall, d.names = map[uint32][]int{}, map[uint32][]int{}, map[string][]int{}, nil
	for i, e := range d.Entries {
		if e.MMSI != 0 {
			d.byMMSI[e.MMSI] = append(d.byMMSI[e.MMSI], i)
		}
		if e.IMO != 0 {
			d.byIMO[e.IMO] = append(d.byIMO[e.IMO], i)
		}
		if c := normalIdent(e.CallSign); c != "" {
			d.byCall[c] = append(d.byCall[c], i)
		}
		if n := normalIdent(e.Name); n != "" {
			d.names = append(d.names, watchName{entry: i, norm: []rune(n), digits: watchDigits(n), tokens: watchTokens(e.Name)})
		}
	}
	d.built = true
}

// Type implements Detector.
func (d *Watchlist) Type() string { return "watchlist_hit" }

// Observe implements Detector.
func (d *Watchlist) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	s := d.tracks[t.ID]
	if t.Status == track.Dropped {
		if s != nil {
			for _, h := range s.hits {
				r.Close(h.key, t.Updated)
			}
			delete(d.tracks, t.ID)
		}
		return
	}
	if t.OwnAsset || t.Identity == nil || t.Status == track.Tentative {
		return
	}
	id := t.Identity
	if s == nil {
		s = &watchTrack{call: "\x00", name: "\x00"}
		d.tracks[t.ID] = s
	}
	if s.mmsi != id.MMSI || s.imo != id.IMO || s.call != id.CallSign || s.name != id.Name {
		s.mmsi, s.imo, s.call, s.name = id.MMSI, id.IMO, id.CallSign, id.Name
		for _, m := range d.match(id) {
			d.hit(s, m, t, r)
		}
	}
	for _, h := range s.hits {
		h.ev.Lat, h.ev.Lon = t.Position()
		addEvidenceSpaced(h.ev, t, time.Minute)
	}
}

// hit opens the event of a match, or adds to it what matched anew.
func (d *Watchlist) hit(s *watchTrack, m watchMatch, t *track.Track, r *Recorder) {
	e := &d.Entries[m.entry]
	i := slices.IndexFunc(s.hits, func(h watchHit) bool { return h.entry == e.ID })
	if i < 0 {
		cat := e.Category
		if cat == "" {
			cat = model.CategoryOther
		}
		key := fmt.Sprintf("watchlist_hit/%s/%d", e.ID, t.ID)
		lat, lon := t.Position()
		ev := r.Open(key, model.Event{
			Type: "watchlist_hit", Category: cat, Start: t.Updated, Lat: lat, Lon: lon,
			TrackIDs: []uint64{t.ID}, Impact: e.Impact,
			Params:  map[string]float64{"one_edit_len": float64(d.OneEditLen), "two_edit_len": float64(d.TwoEditLen)},
			Details: map[string]any{"entry": e.ID, "reason": e.Reason, "action": "discreet_check"},
		})
		s.hits = append(s.hits, watchHit{entry: e.ID, key: key, ev: ev})
		i = len(s.hits) - 1
	}
	ev := s.hits[i].ev
	if mmsi := t.Identity.MMSI; mmsi != 0 && !slices.Contains(ev.MMSI, mmsi) {
		ev.MMSI = append(ev.MMSI, mmsi)
	}
	matched, _ := ev.Details["matched"].([]string)
	for _, f := range m.fields {
		if !slices.Contains(matched, f) {
			matched = append(matched, f)
		}
	}
	ev.Details["matched"] = matched
	if t.Identity.Name != "" {
		ev.Details["name"] = t.Identity.Name
	}
	if e.Name != "" {
		ev.Details["watch_name"] = e.Name
	}
	if m.partial {
		ev.Details["name_edits"] = m.edits
	}
	ev.Confidence = max(ev.Confidence, m.conf)
}

// match returns the entries an identity matches, in entry order.
func (d *Watchlist) match(id *track.Identity) []watchMatch {
	var out []watchMatch
	add := func(i int, field string, conf float64, edits int, partial bool) {
		k := slices.IndexFunc(out, func(m watchMatch) bool { return m.entry == i })
		if k < 0 {
			out = append(out, watchMatch{entry: i})
			k = len(out) - 1
		}
		m := &out[k]
		m.fields = append(m.fields, field)
		m.conf = 1 - (1-m.conf)*(1-conf) // independent signs
		if partial {
			m.edits, m.partial = edits, true
		}
	}
	if id.MMSI != 0 {
		for _, i := range d.byMMSI[id.MMSI] {
			add(i, "mmsi", 0.9, 0, false)
		}
	}
	if id.IMO != 0 {
		for _, i := range d.byIMO[id.IMO] {
			add(i, "imo", 0.95, 0, false)
		}
	}
	if c := normalIdent(id.CallSign); c != "" {
		for _, i := range d.byCall[c] {
			add(i, "call_sign", 0.8, 0, false)
		}
	}
	if n := normalIdent(id.Name); n != "" && len(d.names) > 0 {
		name, digits, tokens := []rune(n), watchDigits(n), watchTokens(id.Name)
		for k := range d.names {
			w := &d.names[k]
			switch {
			case slices.Equal(w.norm, name):
				add(w.entry, "name", 0.7, 0, false)
			case w.digits != digits:
				// Sister ships: the number tells them apart.
			case d.within(w.norm, name):
				add(w.entry, "name_fuzzy", 0.5, d.edits(w.norm, name), true)
			case len(w.tokens) >= 2 && watchAllIn(w.tokens, tokens):
				add(w.entry, "name_words", 0.5, 0, false)
			}
		}
	}
	slices.SortFunc(out, func(a, b watchMatch) int { return a.entry - b.entry })
	return out
}

// within reports whether a vessel's name is within the edits the watched
// name's length allows.
func (d *Watchlist) within(watch, name []rune) bool {
	limit := 0
	switch n := len(watch); {
	case n >= d.TwoEditLen:
		limit = 2
	case n >= d.OneEditLen:
		limit = 1
	}
	if limit == 0 || max(len(watch)-len(name), len(name)-len(watch)) > limit {
		return false
	}
	return d.edits(watch, name) <= limit
}

// edits is the Levenshtein distance between two names.
func (d *Watchlist) edits(a, b []rune) int {
	if cap(d.row) < len(b)+1 {
		d.row = make([]int, len(b)+1)
	}
	row := d.row[:len(b)+1]
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag, row[j] = row[j], next
		}
	}
	return row[len(b)]
}

// watchDigits is the digits of a normalised name, in order.
func watchDigits(n string) string {
	return strings.Map(func(c rune) rune {
		if unicode.IsDigit(c) {
			return c
		}
		return -1
	}, n)
}

// watchTokens splits a name into its upper-case words of letters and
// digits.
func watchTokens(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(s), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })
}

// watchAllIn reports whether every word of want is among have.
func watchAllIn(want, have []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// Tick implements Detector; hits end when their tracks are dropped.
func (d *Watchlist) Tick(time.Time, *Recorder) {}
