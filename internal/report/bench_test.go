package report

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"pharos/internal/store/sqlite"
)

// benchYear is the year the benchmarks report on: the Strait of
// Gibraltar at 110 times the shipped rates, about 100,000 incidents in
// 2025 (checked) and as many in 2024, written once per test binary as
// files and as a SQLite store.
var (
	benchOnce  sync.Once
	benchDir   string
	benchFiles string
	benchDB    string
)

func benchSetup(b *testing.B) *year {
	b.Helper()
	y := simulate(b, "gibraltar", 2025, 2, 110)
	benchOnce.Do(func() {
		n := 0
		from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, in := range y.incidents {
			if !in.Detected.Before(from) && in.Detected.Before(to) {
				n++
			}
		}
		if n < 100_000 {
			b.Fatalf("the benchmark year has %d incidents, want 100,000 or more", n)
		}
		dir, err := os.MkdirTemp("", "pharos-report-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = dir
		benchFiles = y.writeFiles(b, dir)
		benchDB = filepath.Join(dir, "pharos.db")
		start := time.Now()
		st := y.bulkStore(b, benchDB)
		st.Close()
		b.Logf("2025: %d incidents; 2024 and 2025: %d incidents, %d detections, %d track states; store loaded in %s",
			n, len(y.incidents), len(y.detections), len(y.tracks), time.Since(start).Round(time.Second))
	})
	return y
}

// TestMain removes the benchmarks' files.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkAnnual builds the annual report of a simulated year of more
// than 100,000 incidents, compared with the year before, from the files
// of pharos sim --year (as pharos report annual --events does) and from a
// SQLite store (as --data does): read, analyse, and write the PDF, the
// HTML and the annex CSV. Run with -benchtime=1x: one report is seconds.
func BenchmarkAnnual(b *testing.B) {
	y := benchSetup(b)
	l, w := baseData(b)
	ctx := context.Background()
	report := func(b *testing.B, src Source) {
		p := Year(2025)
		d, err := Load(ctx, src, Options{From: p.Earliest(), To: p.To, Sections: y.sections, Waters: w, Land: l})
		if err != nil {
			b.Fatal(err)
		}
		doc := Annual(Analyse(d, p), "benchmark")
		doc.Annex = "annual.csv"
		if err := WritePDF(io.Discard, doc); err != nil {
			b.Fatal(err)
		}
		if err := WriteHTML(io.Discard, doc); err != nil {
			b.Fatal(err)
		}
		if err := doc.Figures.WriteCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("files", func(b *testing.B) {
		for b.Loop() {
			f, err := OpenFiles(benchFiles)
			if err != nil {
				b.Fatal(err)
			}
			report(b, f)
		}
	})
	b.Run("sqlite", func(b *testing.B) {
		st, err := sqlite.Open(benchDB)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		for b.Loop() {
			report(b, st)
		}
	})
}
