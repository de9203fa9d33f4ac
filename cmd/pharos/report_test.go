package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/report"
	"pharos/internal/store/sqlite"
)

// simYear runs pharos sim --year into a directory.
func simYear(t *testing.T, scenario string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	args = append([]string{"sim", "--scenario", "../../scenarios/" + scenario + ".yaml", "--out", dir}, args...)
	out, stderr, err := runCmd(t, args...)
	if err != nil {
		t.Fatal(err, stderr)
	}
	t.Log(strings.TrimSpace(out))
	return dir
}

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v: %s", path, err, sc.Bytes())
		}
		out = append(out, v)
	}
	return out
}

// TestSimYear: pharos sim --year writes incidents as pharos run does,
// each linked to detections it wrote, with tracks, sections and a
// node.yaml naming them; the same options give the same bytes.
func TestSimYear(t *testing.T) {
	a := simYear(t, "central-med", "--year", "2025", "--years", "1", "--scale", "0.3")
	b := simYear(t, "central-med", "--year", "2025", "--years", "1", "--scale", "0.3")
	for _, name := range []string{IncidentsFile, EventsFile, TracksFile, SectionsFile, "node.yaml"} {
		x, err1 := os.ReadFile(filepath.Join(a, name))
		y, err2 := os.ReadFile(filepath.Join(b, name))
		if err1 != nil || err2 != nil || len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: missing, empty or different between two runs (%v, %v)", name, err1, err2)
		}
	}
	incs := readJSONL[picture.Incident](t, filepath.Join(a, IncidentsFile))
	evs := readJSONL[model.Event](t, filepath.Join(a, EventsFile))
	byID := map[string]bool{}
	for _, ev := range evs {
		byID[ev.ID] = true
		if ev.Start.Year() != 2025 {
			t.Fatalf("detection %s starts %v, outside 2025", ev.ID, ev.Start)
		}
	}
	crimes := map[report.Crime]int{}
	for _, in := range incs {
		if len(in.Events) == 0 || !byID[in.Events[0]] {
			t.Fatalf("incident %s links %v, not written", in.ID, in.Events)
		}
		if in.Impact >= model.ImpactHigh && in.Due.IsZero() {
			t.Errorf("incident %s of impact %s has no first report due", in.ID, in.Impact)
		}
		crimes[report.CrimeOf(in.Category, in.Title)]++
	}
	if len(incs) < 100 || crimes[report.HumanSmuggling] == 0 {
		t.Errorf("%d incidents, by crime type %v", len(incs), crimes)
	}
}

// TestReportCommands makes every report from a simulated pair of years,
// from the files and from a SQLite store holding them: the two give the
// same figures.
func TestReportCommands(t *testing.T) {
	sim := simYear(t, "gibraltar", "--year", "2025", "--scale", "0.3")
	out := t.TempDir()
	events := filepath.Join(sim, IncidentsFile)
	for _, name := range []string{"annual.pdf", "annual.html", "annual.md"} {
		stdout, stderr, err := runCmd(t, "report", "annual", "--year", "2025", "--events", events, "--out", filepath.Join(out, name))
		if err != nil {
			t.Fatal(err, stderr)
		}
		if !strings.Contains(stdout, "annual report 2025") {
			t.Errorf("stdout: %s", stdout)
		}
	}
	pdf, _ := os.ReadFile(filepath.Join(out, "annual.pdf"))
	page, _ := os.ReadFile(filepath.Join(out, "annual.html"))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(page, []byte("<svg")) || !bytes.Contains(page, []byte(`href="annual.csv"`)) {
		t.Errorf("the PDF (%d bytes) or the HTML (%d bytes) is not what it should be", len(pdf), len(page))
	}
	fromFiles, err := os.ReadFile(filepath.Join(out, "annual.csv"))
	if err != nil || bytes.Count(fromFiles, []byte("\n")) < 100 {
		t.Fatalf("annex: %v, %d lines", err, bytes.Count(fromFiles, []byte("\n")))
	}

	// The same records in the node's store.
	data := t.TempDir()
	st, err := sqlite.Open(filepath.Join(data, "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, in := range readJSONL[picture.Incident](t, events) {
		if err := st.SaveIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, ev := range readJSONL[model.Event](t, filepath.Join(sim, EventsFile)) {
		if err := st.SaveDetection(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	states := readJSONL[model.TrackState](t, filepath.Join(sim, TracksFile))
	for i := 0; i < len(states); i += 1000 {
		if err := st.AddTrackStates(ctx, states[i:min(i+1000, len(states))]); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	csvStore := filepath.Join(out, "store.csv")
	if _, stderr, err := runCmd(t, "report", "annual", "--year", "2025", "--data", data, "--config", filepath.Join(sim, "node.yaml"),
		"--out", filepath.Join(out, "store.md"), "--csv", csvStore); err != nil {
		t.Fatal(err, stderr)
	}
	fromStore, _ := os.ReadFile(csvStore)
	if !bytes.Equal(fromFiles, fromStore) {
		t.Error("the annex from the store differs from the annex from the files")
	}

	if _, stderr, err := runCmd(t, "report", "monthly", "--month", "2025-07", "--events", events, "--out", filepath.Join(out, "july.pdf")); err != nil {
		t.Fatal(err, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "july.csv")); err != nil {
		t.Error(err)
	}

	// Risk products: to a file, and to a node's API.
	var (
		mu  sync.Mutex
		put = map[string]picture.RiskProduct{}
	)
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.URL.Path, "/api/risk-products/")
		if r.Method != http.MethodPut || !ok || r.Header.Get("Authorization") != "Bearer tok-123" {
			http.Error(w, `{"error": "no"}`, http.StatusForbidden)
			return
		}
		var p picture.RiskProduct
		body, _ := io.ReadAll(r.Body)
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil || p.ID != id {
			http.Error(w, `{"error": "bad"}`, http.StatusBadRequest)
			return
		}
		// What the picture would say of it.
		if _, err := picture.New("n").Put(picture.KindRiskProduct, body, "analyst", p.To); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		put[id] = p
		mu.Unlock()
		w.Write([]byte("{}"))
	}))
	defer node.Close()
	prodFile := filepath.Join(out, "products.json")
	stdout, stderr, err := runCmd(t, "report", "risk", "--from", "2025-01-01", "--to", "2026-01-01", "--events", events,
		"--out", prodFile, "--put", node.URL, "--token", "tok-123")
	if err != nil {
		t.Fatal(err, stderr)
	}
	var prods []picture.RiskProduct
	b, _ := os.ReadFile(prodFile)
	if err := json.Unmarshal(b, &prods); err != nil || len(prods) < 5 {
		t.Fatalf("products: %v, %d", err, len(prods))
	}
	if len(put) != len(prods) || !strings.Contains(stdout, "risk products put") {
		t.Errorf("%d products put of %d: %s", len(put), len(prods), stdout)
	}
	if _, _, err := runCmd(t, "report", "risk", "--from", "2025-01-01", "--to", "2026-01-01", "--events", events,
		"--out", prodFile, "--put", node.URL, "--token", "wrong"); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a refused put: %v", err)
	}
}

func TestReportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"report"},
		{"report", "weekly"},
		{"report", "annual", "--out", "x.pdf", "--events", "x.jsonl"},                            // no year
		{"report", "annual", "--year", "2025", "--out", "x.pdf"},                                 // no source
		{"report", "annual", "--year", "2025", "--events", "a", "--data", "b", "--out", "x.pdf"}, // two
		{"report", "monthly", "--month", "2025-13", "--out", "x.pdf", "--events", "x"},
		{"report", "risk", "--from", "2025-02-01", "--to", "2025-01-01", "--events", "x"},
	} {
		if _, _, err := runCmd(t, args...); err != errUsage {
			t.Errorf("%v: %v, want the usage", args, err)
		}
	}
	if _, _, err := runCmd(t, "report", "annual", "--year", "2025", "--events", "x", "--out", "x.docx"); err == nil || !strings.Contains(err.Error(), ".pdf") {
		t.Errorf("an unknown format: %v", err)
	}
}
