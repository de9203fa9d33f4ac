package report

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/risk"
	"pharos/internal/store"
)

// TestFiguresCrossCheck loads two simulated years into a SQLite store
// through its own methods, builds the annual report of the second, the
// monthly report of one of its months and the risk products from the
// store, and recounts every figure they made from the store's records,
// with code of its own: the times, hours, sections (its own
// point-in-polygon), cells and crime types of incidents (a SQL CASE over
// the stored documents) are worked out here, not by the report. Figures
// a SQL query can state are counted by SQLite as well. Only the routes
// come from the report's definition (RouteOf, tested on its own) applied
// to the store's track history.
func TestFiguresCrossCheck(t *testing.T) {
	ctx := context.Background()
	y := simulate(t, "gibraltar", 2025, 2, 0.5)
	path := filepath.Join(t.TempDir(), "pharos.db")
	st := y.store(t, path)
	l, w := baseData(t)
	t.Logf("%d incidents, %d detections, %d track states, %d sections", len(y.incidents), len(y.detections), len(y.tracks), len(y.sections))

	recount := newRecounter(t, ctx, st, path, y.sections)
	for _, tc := range []struct {
		name   string
		period Period
		build  func(*Analysis) *Doc
	}{
		{"annual", Year(2025), func(a *Analysis) *Doc { return Annual(a, "test store") }},
		{"monthly", Month(2025, time.August), func(a *Analysis) *Doc { return Monthly(a, "test store") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Load(ctx, st, Options{From: tc.period.Earliest(), To: tc.period.To, Sections: y.sections, Waters: w, Land: l})
			if err != nil {
				t.Fatal(err)
			}
			a := Analyse(d, tc.period)
			doc := tc.build(a)
			prods := Products(a)
			figs := doc.Figures.List()
			if len(figs) < 100 {
				t.Fatalf("only %d figures", len(figs))
			}
			bad, bySQL := 0, 0
			for _, f := range figs {
				want := recount.count(t, f.Query)
				if f.Value != want {
					bad++
					if bad <= 10 {
						t.Errorf("%s %s: report %d, store %d", f.ID, f.Label, f.Value, want)
					}
				}
				if n, ok := recount.sqlCount(t, f.Query); ok {
					bySQL++
					if n != f.Value {
						t.Errorf("%s %s: report %d, SQL %d", f.ID, f.Label, f.Value, n)
					}
				}
			}
			if bad > 0 {
				t.Fatalf("%d of %d figures differ from the store's counts", bad, len(figs))
			}
			t.Logf("%d figures recounted from the store's records, %d of them by SQL as well; %d products", len(figs), bySQL, len(prods))

			// What the formats print is those figures: every cell of the
			// HTML that holds a figure, and every line of the annex.
			checkRendered(t, doc)
			// Every product is a record the analysis layer takes.
			pic := picture.New("ncc-test")
			for _, pr := range prods {
				b, _ := jsonMarshal(pr)
				if _, err := pic.Put(picture.KindRiskProduct, b, "analyst", tc.period.To); err != nil {
					t.Errorf("product %s refused: %v", pr.ID, err)
				}
			}
		})
	}
}

// recounter counts the store's records for a query its own way.
type recounter struct {
	db        *sql.DB
	inc, det  []rrec
	sections  []geo.Area
	crimeCase string
}

// rrec is a record as the recount sees it.
type rrec struct {
	t        time.Time
	crime    string
	typ      string
	serious  bool
	section  string
	lat, lon float64
	route    *Route
}

func newRecounter(t *testing.T, ctx context.Context, st store.Store, path string, sections []geo.Area) *recounter {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &recounter{db: db, sections: sortedSections(sections), crimeCase: crimeSQL()}
	// Crime types of incidents as SQL sees them, by ID.
	sqlCrime := map[string]string{}
	rows, err := db.Query(`SELECT id, ` + r.crimeCase + ` FROM incidents`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, c string
		if err := rows.Scan(&id, &c); err != nil {
			t.Fatal(err)
		}
		sqlCrime[id] = c
	}
	rows.Close()
	incs, err := st.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dets, err := st.Detections(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	_, w := baseData(t)
	byID := map[string]*model.Event{}
	for i := range dets {
		byID[dets[i].ID] = &dets[i]
	}
	for _, in := range incs {
		c, ok := sqlCrime[in.ID]
		if !ok {
			t.Fatalf("incident %s not found by SQL", in.ID)
		}
		if go_ := CrimeOf(in.Category, in.Title).String(); go_ != c {
			t.Errorf("incident %s (%s, %q): CrimeOf %s, SQL %s", in.ID, in.Category, in.Title, go_, c)
		}
		rr := rrec{t: in.Detected, crime: c, typ: in.Title, serious: in.Impact >= model.ImpactHigh, lat: in.Lat, lon: in.Lon}
		rr.section = r.sectionOf(in.Lat, in.Lon)
		if len(in.Events) > 0 {
			if ev := byID[in.Events[0]]; ev != nil {
				var hist []model.TrackState
				if len(ev.TrackIDs) > 0 {
					end := ev.End
					if end.IsZero() {
						end = ev.Start
					}
					if hist, err = st.TrackHistory(ctx, ev.TrackIDs[0], ev.Start.Add(-RouteWindow), end.Add(RouteWindow)); err != nil {
						t.Fatal(err)
					}
				}
				if rt, ok := RouteOf(hist, ev, w); ok {
					rr.route = &rt
				}
			}
		}
		r.inc = append(r.inc, rr)
	}
	for _, ev := range dets {
		r.det = append(r.det, rrec{t: ev.Start, crime: detectionCrime(&ev), typ: ev.Type, serious: ev.Impact >= model.ImpactHigh,
			lat: ev.Lat, lon: ev.Lon, section: r.sectionOf(ev.Lat, ev.Lon)})
	}
	return r
}

// detectionCrime is DetectionCrime written again: the highest threat of
// at least 0.5 (ties to the first in risk.Threats), else by type.
func detectionCrime(ev *model.Event) string {
	if ev.Risk != nil {
		best, score := "", 0.0
		for _, th := range risk.Threats {
			if s := ev.Risk.Threats[th]; s >= 0.5 && s > score {
				best, score = th, s
			}
		}
		switch best {
		case risk.Drugs:
			return "illicit_goods"
		case risk.PeopleSmuggling:
			return "human_smuggling"
		case risk.Trafficking:
			return "human_trafficking"
		case risk.IllegalFishing, risk.Pollution:
			return "other_crime"
		}
	}
	return CrimeOf(ev.Category, ev.Type).String()
}

// crimeSQL is CrimeOf as a SQL expression over an incident's document.
func crimeSQL() string {
	like := func(words []string) string {
		var or []string
		for _, w := range words {
			or = append(or, fmt.Sprintf("lower(json_extract(doc, '$.title')) LIKE '%%%s%%'", w))
		}
		return "(" + strings.Join(or, " OR ") + ")"
	}
	return `CASE
		WHEN ` + like([]string{"trafficking in human", "human trafficking", "thb", "sexual exploitation", "forced labour", "forced labor"}) + ` THEN 'human_trafficking'
		WHEN ` + like([]string{"drug", "hashish", "cannabis", "cocaine", "heroin", "narcotic", "tobacco", "cigarette", "fuel smuggling",
		"weapon", "firearm", "contraband", "illicit goods", "excise"}) + ` THEN 'illicit_goods'
		WHEN ` + like([]string{"migrant", "people smuggling", "human smuggling", "smuggling of people", "facilitat"}) + ` THEN 'human_smuggling'
		WHEN lower(json_extract(doc, '$.title')) IN ('go_fast', 'encounter') THEN 'illicit_goods'
		WHEN lower(json_extract(doc, '$.title')) = 'distress' THEN 'human_smuggling'
		WHEN json_extract(doc, '$.category') = 'unauthorised_border_crossing' THEN 'human_smuggling'
		WHEN json_extract(doc, '$.category') = 'cross_border_crime' THEN 'other_crime'
		ELSE 'not_crime' END`
}

func sortedSections(list []geo.Area) []geo.Area {
	var out []geo.Area
	for _, a := range list {
		if a.Kind == geo.KindBorderSection {
			out = append(out, a)
		}
	}
	for i := 1; i < len(out); i++ { // by ID
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// sectionOf is the first section by ID holding the point, by ray
// casting over every ring (even-odd).
func (r *recounter) sectionOf(lat, lon float64) string {
	for _, s := range r.sections {
		in := false
		for _, poly := range s.Polygons {
			for _, ring := range poly {
				n := len(ring)
				for i, j := 0, n-1; i < n; j, i = i, i+1 {
					a, b := ring[i], ring[j]
					if (a[1] > lat) != (b[1] > lat) && lon < (b[0]-a[0])*(lat-a[1])/(b[1]-a[1])+a[0] {
						in = !in
					}
				}
			}
		}
		if in {
			return s.ID
		}
	}
	return NoSection
}

func (r *recounter) count(t *testing.T, q Query) int {
	list := r.inc
	if q.Layer == LayerDetections {
		list = r.det
	}
	var cells map[string]bool
	if q.Cells != "" {
		cells = map[string]bool{}
		for _, c := range strings.Fields(q.Cells) {
			cells[c] = true
		}
	}
	n := 0
	for _, rr := range list {
		if rr.t.Before(q.From) || !rr.t.Before(q.To) {
			continue
		}
		switch {
		case q.Crime == ThreeCrimes && rr.crime != "human_trafficking" && rr.crime != "human_smuggling" && rr.crime != "illicit_goods":
			continue
		case q.Crime != "" && q.Crime != ThreeCrimes && rr.crime != q.Crime:
			continue
		case q.Type != "" && rr.typ != q.Type:
			continue
		case q.Serious == "yes" && !rr.serious:
			continue
		case q.Section != "" && rr.section != q.Section:
			continue
		case q.Hours != "" && !hourMatch(rr.t.UTC().Hour(), q.Hours):
			continue
		case cells != nil && !cells[fmt.Sprintf("%d:%d", int(math.Floor(rr.lat/q.Grid+1e-9)), int(math.Floor(rr.lon/q.Grid+1e-9)))]:
			continue
		case q.Route != "" && (rr.route == nil || !q.RoutePair && rr.route.Key != q.Route || q.RoutePair && rr.route.Pair != q.Route):
			continue
		case q.Departure != "" && (rr.route == nil || rr.route.From.State != q.Departure):
			continue
		}
		n++
	}
	return n
}

// hourMatch is HourIn written again.
func hourMatch(h int, hours string) bool {
	if a, b, ok := strings.Cut(hours, "-"); ok {
		from, _ := strconv.Atoi(a)
		to, _ := strconv.Atoi(b)
		if from <= to {
			return h >= from && h <= to
		}
		return h >= from || h <= to
	}
	want, _ := strconv.Atoi(hours)
	return h == want
}

// sqlCount counts incidents and detections by SQL when the query says
// nothing SQL cannot: sections, cells and routes need geometry.
func (r *recounter) sqlCount(t *testing.T, q Query) (int, bool) {
	if q.Section != "" || q.Cells != "" || q.Route != "" || q.Departure != "" {
		return 0, false
	}
	if q.Layer == LayerDetections && q.Crime != "" {
		return 0, false
	}
	table, col := "incidents", "detected_ns"
	typ := "json_extract(doc, '$.title')"
	if q.Layer == LayerDetections {
		table, col, typ = "detections", "start_ns", "json_extract(doc, '$.type')"
	}
	where := []string{col + " >= ?", col + " < ?"}
	args := []any{q.From.UnixNano(), q.To.UnixNano()}
	switch q.Crime {
	case "":
	case ThreeCrimes:
		where = append(where, r.crimeCase+" IN ('human_trafficking', 'human_smuggling', 'illicit_goods')")
	default:
		where = append(where, r.crimeCase+" = ?")
		args = append(args, q.Crime)
	}
	if q.Type != "" {
		where = append(where, typ+" = ?")
		args = append(args, q.Type)
	}
	if q.Serious == "yes" {
		where = append(where, "json_extract(doc, '$.impact') IN ('high', 'very_high')")
	}
	if q.Hours != "" {
		hour := "CAST(strftime('%H', " + col + " / 1000000000, 'unixepoch') AS INTEGER)"
		if a, b, ok := strings.Cut(q.Hours, "-"); ok {
			from, _ := strconv.Atoi(a)
			to, _ := strconv.Atoi(b)
			if from <= to {
				where = append(where, fmt.Sprintf("%s BETWEEN %d AND %d", hour, from, to))
			} else {
				where = append(where, fmt.Sprintf("(%s >= %d OR %s <= %d)", hour, from, hour, to))
			}
		} else {
			h, _ := strconv.Atoi(q.Hours)
			where = append(where, fmt.Sprintf("%s = %d", hour, h))
		}
	}
	var n int
	if err := r.db.QueryRow("SELECT count(*) FROM "+table+" WHERE "+strings.Join(where, " AND "), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n, true
}

var dataFig = regexp.MustCompile(`<td[^>]*data-fig="(F\d+)"[^>]*>(?:<b>)?([^<]*)`)

// checkRendered checks that the HTML prints each figure's value where it
// names the figure, and that the annex lists every figure with its value.
func checkRendered(t *testing.T, doc *Doc) {
	t.Helper()
	byID := map[string]*Figure{}
	for _, f := range doc.Figures.List() {
		byID[f.ID] = f
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, doc); err != nil {
		t.Fatal(err)
	}
	cells := dataFig.FindAllStringSubmatch(page.String(), -1)
	if len(cells) == 0 {
		t.Fatal("no figure in the HTML")
	}
	for _, m := range cells {
		f := byID[m[1]]
		if f == nil {
			t.Errorf("HTML cell names figure %s, which the report does not have", m[1])
		} else if m[2] != Num(f.Value) {
			t.Errorf("HTML prints %s for %s, the figure is %d", m[2], m[1], f.Value)
		}
	}
	var annex bytes.Buffer
	if err := doc.Figures.WriteCSV(&annex); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&annex).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != doc.Figures.Len()+1 {
		t.Fatalf("annex has %d lines for %d figures", len(recs)-1, doc.Figures.Len())
	}
	for _, rec := range recs[1:] {
		f := byID[rec[0]]
		if f == nil || rec[len(rec)-1] != strconv.Itoa(f.Value) {
			t.Errorf("annex line %v does not match its figure", rec)
		}
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
