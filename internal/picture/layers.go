package picture

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"pharos/internal/detect"
	"pharos/internal/model"
)

// Layer is a layer of the situational picture besides the events layer.
type Layer string

// The layers EUROSUR's picture keeps beside the events layer.
const (
	// LayerOperational holds the node's own assets, its operations, the
	// environmental information and the areas its users drew.
	LayerOperational Layer = "operational"
	// LayerAnalysis holds risk products, the watchlist, requests for
	// information and imagery references.
	LayerAnalysis Layer = "analysis"
)

// Kinds of record in the operational and analysis layers; each is a
// type below, the item's Value.
const (
	KindAsset       = "asset"
	KindOperation   = "operation"
	KindEnvironment = "environment"
	KindArea        = "area"
	KindRiskProduct = "risk_product"
	KindWatchlist   = "watchlist"
	KindRFI         = "rfi"
	KindImagery     = "imagery"
)

// record is a record of a layer: it names itself and checks its fields.
type record interface {
	key() string
	check() error
}

// kindSpec is what the picture knows of a kind: its layer and a new
// record to decode into.
type kindSpec struct {
	layer Layer
	new   func() record
}

var kinds = map[string]kindSpec{
	KindAsset:       {LayerOperational, func() record { return &Asset{} }},
	KindOperation:   {LayerOperational, func() record { return &Operation{} }},
	KindEnvironment: {LayerOperational, func() record { return &Environment{} }},
	KindArea:        {LayerOperational, func() record { return &Area{} }},
	KindRiskProduct: {LayerAnalysis, func() record { return &RiskProduct{} }},
	KindWatchlist:   {LayerAnalysis, func() record { return &WatchEntry{} }},
	KindRFI:         {LayerAnalysis, func() record { return &RFI{} }},
	KindImagery:     {LayerAnalysis, func() record { return &Imagery{} }},
}

// Kinds returns the kinds of record of the layers, sorted.
func Kinds() []string {
	list := make([]string, 0, len(kinds))
	for k := range kinds {
		list = append(list, k)
	}
	slices.Sort(list)
	return list
}

// LayerOf returns the layer a kind of record belongs to, or "".
func LayerOf(kind string) Layer { return kinds[kind].layer }

// Item is one record of a layer as the picture keeps it: the record's
// JSON (checked and in canonical form), who put it and when.
type Item struct {
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Layer   Layer           `json:"layer"`
	Updated time.Time       `json:"updated"`
	By      string          `json:"by"`
	Value   json.RawMessage `json:"value"`
}

// Decode decodes the item's record into v, a pointer to its kind's type.
func (it Item) Decode(v any) error { return json.Unmarshal(it.Value, v) }

// itemKey keys an item by kind and ID.
type itemKey struct{ kind, id string }

// Put checks a record of a kind (JSON; unknown fields refused) and puts
// it into its layer, replacing one of the same ID. It returns the item
// as kept.
func (p *Picture) Put(kind string, value []byte, by string, at time.Time) (Item, error) {
	spec, ok := kinds[kind]
	if !ok {
		return Item{}, fmt.Errorf("%w kind %q (want one of %v)", ErrInvalid, kind, Kinds())
	}
	rec := spec.new()
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		return Item{}, fmt.Errorf("%w %s: %v", ErrInvalid, kind, err)
	}
	if err := checkID(rec.key()); err != nil {
		return Item{}, fmt.Errorf("%w %s: %v", ErrInvalid, kind, err)
	}
	if err := rec.check(); err != nil {
		return Item{}, fmt.Errorf("%w %s %s: %v", ErrInvalid, kind, rec.key(), err)
	}
	canon, err := json.Marshal(rec)
	if err != nil {
		return Item{}, err
	}
	if by == "" {
		return Item{}, fmt.Errorf("%w %s: who puts it is required", ErrInvalid, kind)
	}
	it := Item{Kind: kind, ID: rec.key(), Layer: spec.layer, Updated: at.UTC(), By: by, Value: canon}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.items == nil {
		p.items = map[itemKey]Item{}
	}
	p.items[itemKey{kind, it.ID}] = it
	c := it
	p.notify(Change{Item: &c})
	return it, nil
}

// Delete takes a record out of its layer.
func (p *Picture) Delete(kind, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := itemKey{kind, id}
	it, ok := p.items[k]
	if !ok {
		return fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	}
	delete(p.items, k)
	p.notify(Change{Deleted: &ItemRef{Kind: kind, ID: id, Layer: it.Layer}})
	return nil
}

// Item returns one record of a layer.
func (p *Picture) Item(kind, id string) (Item, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	it, ok := p.items[itemKey{kind, id}]
	return it, ok
}

// Items returns the records of a kind ("" for every kind), by kind and ID.
func (p *Picture) Items(kind string) []Item {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var list []Item
	for k, it := range p.items {
		if kind == "" || k.kind == kind {
			list = append(list, it)
		}
	}
	slices.SortFunc(list, func(a, b Item) int { return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID)) })
	return list
}

// RestoreItems puts back the records a store kept, without telling the
// watchers; a record of a kind this version does not know is an error.
func (p *Picture) RestoreItems(items []Item) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.items == nil {
		p.items = map[itemKey]Item{}
	}
	for _, it := range items {
		if _, ok := kinds[it.Kind]; !ok {
			return fmt.Errorf("restore: %s %s: unknown kind", it.Kind, it.ID)
		}
		p.items[itemKey{it.Kind, it.ID}] = it
	}
	return nil
}

// ItemRef names a record of a layer.
type ItemRef struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Layer Layer  `json:"layer"`
}

// checkID accepts IDs that are safe in a URL path and in a file name.
func checkID(id string) error {
	if id == "" || len(id) > 128 {
		return fmt.Errorf("id %q: want 1 to 128 characters", id)
	}
	for _, r := range id {
		if !IDRune(r) {
			return fmt.Errorf("id %q: want letters, digits, '-', '_' and '.'", id)
		}
	}
	return nil
}

// IDRune reports whether a record's ID may hold r: ASCII letters and
// digits, '-', '_' and '.'.
func IDRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}

// Polygon is a ring of [lon, lat] points, as in GeoJSON; the last point
// may repeat the first.
type Polygon [][2]float64

func (pg Polygon) check() error {
	n := len(pg)
	if n > 0 && pg[0] == pg[n-1] {
		n--
	}
	if n < 3 {
		return fmt.Errorf("polygon of %d points: want 3 or more", n)
	}
	for _, pt := range pg {
		if err := checkPosition(pt[1], pt[0]); err != nil {
			return err
		}
	}
	return nil
}

func checkPosition(lat, lon float64) error {
	if math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return fmt.Errorf("position %g, %g: not a latitude and longitude", lat, lon)
	}
	return nil
}

func oneOf(field, v string, allowed ...string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s %q: want one of %v", field, v, allowed)
	}
	return nil
}

// Asset is one of the node's own assets: a patrol vessel, aircraft or
// station. Its position comes from its AIS or Cursor-on-Target reports
// (MMSI or UID), or from whoever updates the record.
type Asset struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`   // patrol_vessel, aircraft, helicopter, drone, vehicle, coastal_station
	Status string `json:"status"` // available, on_mission, maintenance, unavailable
	// Owner is the authority the asset belongs to.
	Owner string    `json:"owner,omitempty"`
	MMSI  uint32    `json:"mmsi,omitempty"`
	UID   string    `json:"uid,omitempty"` // Cursor-on-Target uid
	Lat   float64   `json:"lat,omitempty"`
	Lon   float64   `json:"lon,omitempty"`
	Time  time.Time `json:"time,omitzero"` // of the position
	// Track is the live track of the asset, when there is one.
	Track uint64 `json:"track,omitempty"`
}

func (a *Asset) key() string { return a.ID }
func (a *Asset) check() error {
	if a.Name == "" {
		return fmt.Errorf("name is required")
	}
	if err := oneOf("type", a.Type, "patrol_vessel", "aircraft", "helicopter", "drone", "vehicle", "coastal_station"); err != nil {
		return err
	}
	if err := oneOf("status", a.Status, "available", "on_mission", "maintenance", "unavailable"); err != nil {
		return err
	}
	return checkPosition(a.Lat, a.Lon)
}

// Operation is a joint or national operation: where and when, and which
// assets take part.
type Operation struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end,omitzero"` // zero: open-ended
	Area        Polygon   `json:"area"`
	Assets      []string  `json:"assets,omitempty"`
}

func (o *Operation) key() string { return o.ID }
func (o *Operation) check() error {
	if o.Name == "" || o.Start.IsZero() {
		return fmt.Errorf("name and start are required")
	}
	if !o.End.IsZero() && o.End.Before(o.Start) {
		return fmt.Errorf("ends before it starts")
	}
	return o.Area.check()
}

// Environment is environmental information at a place: weather, sea
// state, visibility, currents, or a notice to mariners.
type Environment struct {
	ID    string    `json:"id"`
	Kind  string    `json:"kind"` // weather, sea_state, visibility, current, notice
	Lat   float64   `json:"lat"`
	Lon   float64   `json:"lon"`
	Time  time.Time `json:"time"`
	Until time.Time `json:"until,omitzero"`
	Text  string    `json:"text,omitempty"`
	// Values are measured figures by name with their unit in it:
	// wind_kn, wave_height_m, visibility_nm…
	Values map[string]float64 `json:"values,omitempty"`
}

func (e *Environment) key() string { return e.ID }
func (e *Environment) check() error {
	if err := oneOf("kind", e.Kind, "weather", "sea_state", "visibility", "current", "notice"); err != nil {
		return err
	}
	if e.Time.IsZero() {
		return fmt.Errorf("time is required")
	}
	return checkPosition(e.Lat, e.Lon)
}

// Area is an area a user drew, with the rule the zone detectors apply to
// it: the event types to report and their impact.
type Area struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"` // closed_area, area_of_interest
	Polygon Polygon `json:"polygon"`
	// Events are the zone events wanted: zone_entry, zone_exit,
	// zone_loiter; none: all three.
	Events []string          `json:"events,omitempty"`
	Impact model.ImpactLevel `json:"impact"`
	Note   string            `json:"note,omitempty"`
}

func (a *Area) key() string { return a.ID }
func (a *Area) check() error {
	if a.Name == "" {
		return fmt.Errorf("name is required")
	}
	if err := oneOf("kind", a.Kind, "closed_area", "area_of_interest"); err != nil {
		return err
	}
	for _, e := range a.Events {
		if err := oneOf("event", e, "zone_entry", "zone_exit", "zone_loiter"); err != nil {
			return err
		}
	}
	return a.Polygon.check()
}

// RiskProduct is a finished piece of risk analysis: what threat, where,
// over which period, how grave, and the analyst's summary.
type RiskProduct struct {
	ID      string            `json:"id"`
	Title   string            `json:"title"`
	From    time.Time         `json:"from"`
	To      time.Time         `json:"to"`
	Area    Polygon           `json:"area,omitempty"`
	Threats []string          `json:"threats"` // drugs, people_smuggling, …
	Level   model.ImpactLevel `json:"level"`
	Summary string            `json:"summary"`
}

func (r *RiskProduct) key() string { return r.ID }
func (r *RiskProduct) check() error {
	if r.Title == "" || r.Summary == "" || len(r.Threats) == 0 {
		return fmt.Errorf("title, threats and summary are required")
	}
	if r.From.IsZero() || r.To.Before(r.From) {
		return fmt.Errorf("want a period from … to")
	}
	if len(r.Area) > 0 {
		return r.Area.check()
	}
	return nil
}

// WatchEntry is an alert on the watchlist, as watchlist_hit matches it.
type WatchEntry detect.WatchEntry

func (w *WatchEntry) key() string { return w.ID }
func (w *WatchEntry) check() error {
	if w.MMSI == 0 && w.IMO == 0 && w.CallSign == "" && w.Name == "" {
		return fmt.Errorf("an MMSI, IMO number, call sign or name is required")
	}
	return nil
}

// RFI is a request for information between centres, and its answer.
type RFI struct {
	ID      string    `json:"id"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Text    string    `json:"text"`
	Due     time.Time `json:"due,omitzero"`
	Status  string    `json:"status"` // open, answered, closed
	Answer  string    `json:"answer,omitempty"`
}

func (r *RFI) key() string { return r.ID }
func (r *RFI) check() error {
	if r.From == "" || r.To == "" || r.Subject == "" {
		return fmt.Errorf("from, to and subject are required")
	}
	if err := oneOf("status", r.Status, "open", "answered", "closed"); err != nil {
		return err
	}
	if r.Status == "answered" && r.Answer == "" {
		return fmt.Errorf("an answered request needs its answer")
	}
	return nil
}

// Imagery references a satellite or aerial image: what took it, when,
// what it covers and where it is kept.
type Imagery struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"` // sentinel-1, …
	Time      time.Time `json:"time"`
	Footprint Polygon   `json:"footprint"`
	URI       string    `json:"uri"`
	// Detections counts the vessels found in it, when it was searched.
	Detections int `json:"detections,omitempty"`
}

func (m *Imagery) key() string { return m.ID }
func (m *Imagery) check() error {
	if m.Source == "" || m.URI == "" || m.Time.IsZero() {
		return fmt.Errorf("source, time and uri are required")
	}
	return m.Footprint.check()
}
