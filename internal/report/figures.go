package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Layer names the records a figure counts.
type Layer string

// The layers figures count.
const (
	// LayerIncidents counts incidents by the time they were detected.
	LayerIncidents Layer = "incidents"
	// LayerDetections counts detections by the time they started.
	LayerDetections Layer = "detections"
)

// Query says which records a figure counts: those of a layer whose time
// is in [From, To) and that match every condition set. An unset
// condition ("") matches all.
type Query struct {
	Layer Layer
	From  time.Time
	To    time.Time
	// Crime is a crime type's name (CrimeOf for incidents,
	// DetectionCrime for detections), or ThreeCrimes for the three of the
	// report together.
	Crime string
	// Type is an incident's title or a detection's type.
	Type string
	// Serious, "yes", keeps the records of impact high or very high.
	Serious string
	// Section is a border section's ID (SectionOf), or NoSection.
	Section string
	// Hours are hours of the day, UTC: "22" or a range "20-05" that may
	// run past midnight.
	Hours string
	// Cells are cells of the hotspot grid (CellOf at Grid degrees),
	// "row:col", several separated by spaces.
	Cells string
	Grid  float64
	// Route is a route's key (RouteOf), or its states' pair
	// ("Morocco > Spain") when RoutePair is set.
	Route     string
	RoutePair bool
	// Departure is the state (Place.State) routes left from.
	Departure string
}

// NoSection is the Section of records outside every border section.
const NoSection = "none"

// ThreeCrimes is the Query.Crime of the three crime types of the report
// together.
const ThreeCrimes = "three"

// Figure is one number of a report: a count of records and the query
// that gives it. Every number a report prints is a figure, or is computed
// from figures (a change, a share) and says so.
type Figure struct {
	ID    string
	Label string
	Query Query
	Value int
}

// Figures are the figures of a report, by the order they were made;
// asking twice for the same query gives the same figure.
type Figures struct {
	list  []*Figure
	byKey map[Query]*Figure
}

// add registers a figure, or returns the one of the same query.
func (fs *Figures) add(q Query, label string, value int) *Figure {
	if fs.byKey == nil {
		fs.byKey = map[Query]*Figure{}
	}
	if f, ok := fs.byKey[q]; ok {
		if f.Value != value {
			panic(fmt.Sprintf("report: figure %s counted twice, %d and %d", f.ID, f.Value, value))
		}
		return f
	}
	f := &Figure{ID: fmt.Sprintf("F%05d", len(fs.list)+1), Label: label, Query: q, Value: value}
	fs.list = append(fs.list, f)
	fs.byKey[q] = f
	return f
}

// List returns the figures in the order they were made.
func (fs *Figures) List() []*Figure { return fs.list }

// Len is the number of figures.
func (fs *Figures) Len() int { return len(fs.list) }

// csvHead are the columns of the annex.
var csvHead = []string{"id", "label", "layer", "from", "to", "crime", "type", "serious", "section", "hours_utc",
	"grid_deg", "cells", "route", "departure", "value"}

// WriteCSV writes the annex: every figure, its query and its value.
func (fs *Figures) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHead); err != nil {
		return err
	}
	for _, f := range fs.list {
		q := f.Query
		grid := ""
		if q.Cells != "" {
			grid = strconv.FormatFloat(q.Grid, 'f', -1, 64)
		}
		route := q.Route
		if q.RoutePair && route != "" {
			route = "pair:" + route
		}
		rec := []string{f.ID, f.Label, string(q.Layer), q.From.UTC().Format(time.RFC3339), q.To.UTC().Format(time.RFC3339),
			q.Crime, q.Type, q.Serious, q.Section, q.Hours, grid, q.Cells, route, q.Departure, strconv.Itoa(f.Value)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// HourIn reports whether hour h (0–23) is in an hours condition: "" (all),
// "07" or a range "20-05" running past midnight.
func HourIn(h int, hours string) bool {
	if hours == "" {
		return true
	}
	a, b, ok := strings.Cut(hours, "-")
	from, err1 := strconv.Atoi(a)
	if err1 != nil {
		return false
	}
	if !ok {
		return h == from
	}
	to, err2 := strconv.Atoi(b)
	if err2 != nil {
		return false
	}
	if from <= to {
		return h >= from && h <= to
	}
	return h >= from || h <= to
}
