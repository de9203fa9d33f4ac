package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pharos/internal/geo"
	"pharos/internal/node"
	"pharos/internal/picture"
	"pharos/internal/report"
)

const reportUsage = `usage:
  pharos report annual  --year YYYY    --out FILE.pdf|.html|.md [SOURCE] [flags]
  pharos report monthly --month YYYY-MM --out FILE.pdf|.html|.md [SOURCE] [flags]
  pharos report risk    --from DATE --to DATE [--out FILE.json] [--put URL] [SOURCE] [flags]

SOURCE is one of
  --events DIR/incidents.jsonl   a run's or a simulated year's files (events.jsonl, tracks.jsonl,
                                 and node.yaml or sections.geojson beside it are read too)
  --data DIR                     the node's SQLite store, DIR/pharos.db (env PHAROS_DATA_DIR)
  --db postgres://…              the node's PostgreSQL store (env PHAROS_DB)
`

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, reportUsage)
		return errUsage
	}
	kind, args := args[0], args[1:]
	if kind != "annual" && kind != "monthly" && kind != "risk" {
		fmt.Fprintf(stderr, "pharos report: unknown report %q\n\n%s", kind, reportUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("report "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	year := fs.Int("year", 0, "annual: the calendar year (UTC), compared with the one before")
	month := fs.String("month", "", "monthly: the month, YYYY-MM, compared with the one before and the same month a year before")
	fromS := fs.String("from", "", "risk: the period's first day, YYYY-MM-DD (UTC)")
	toS := fs.String("to", "", "risk: the day after the period's last, YYYY-MM-DD (UTC); compared with as long a period before")
	out := fs.String("out", "", "the report: .pdf, .html or .md; risk: the products as JSON (default stdout)")
	csvOut := fs.String("csv", "", "the annex CSV of every figure (default: the report's name with .csv)")
	events := fs.String("events", "", "incidents.jsonl of a run or a simulated year to report on instead of a store")
	data := fs.String("data", envOr("PHAROS_DATA_DIR", ""), "the node's data directory: its SQLite store DATA/pharos.db (env PHAROS_DATA_DIR)")
	db := fs.String("db", os.Getenv("PHAROS_DB"), "postgres://… the node's PostgreSQL store (env PHAROS_DB)")
	config := fs.String("config", os.Getenv("PHAROS_CONFIG"), "node configuration: its name and its border sections (areas:) (env PHAROS_CONFIG)")
	areas := fs.String("areas", "", "border sections (GeoJSON) instead of the configuration's")
	bbox := fs.String("bbox", "", "only the records inside south,west,north,east (degrees)")
	grid := fs.Float64("grid", report.DefaultGrid, "hotspot grid cell, degrees")
	nodeName := fs.String("node", "", "the node reporting (default: the configuration's name, or pharos)")
	put := fs.String("put", "", "risk: a node's URL to PUT the products to (/api/risk-products/{id})")
	token := fs.String("token", os.Getenv("PHAROS_TOKEN"), "risk: the API token for --put (env PHAROS_TOKEN)")
	if _, err := parseInterspersed(fs, args); err != nil {
		fmt.Fprint(stderr, reportUsage)
		return errUsage
	}
	var period report.Period
	switch kind {
	case "annual":
		if *year < 1970 || *year > 2200 || *out == "" {
			fmt.Fprint(stderr, reportUsage)
			return errUsage
		}
		period = report.Year(*year)
	case "monthly":
		m, err := time.Parse("2006-01", *month)
		if err != nil || *out == "" {
			fmt.Fprint(stderr, reportUsage)
			return errUsage
		}
		period = report.Month(m.Year(), m.Month())
	case "risk":
		from, err1 := time.Parse("2006-01-02", *fromS)
		to, err2 := time.Parse("2006-01-02", *toS)
		if err := errors.Join(err1, err2); err != nil || !from.Before(to) {
			fmt.Fprint(stderr, reportUsage)
			return errUsage
		}
		period = report.Span(from, to)
	}
	var format report.Format
	if kind != "risk" {
		var err error
		if format, err = report.FormatOf(*out); err != nil {
			return err
		}
	}
	if n := btoi(*events != "") + btoi(*data != "") + btoi(*db != ""); n != 1 {
		fmt.Fprintln(stderr, "pharos report: give one source: --events FILE, --data DIR or --db URL")
		return errUsage
	}

	begin := time.Now()
	opt := report.Options{From: period.Earliest(), To: period.To, Grid: *grid}
	if *bbox != "" {
		b, err := report.ParseBox(*bbox)
		if err != nil {
			return err
		}
		opt.Area = &b
	}
	var err error
	if opt.Land, err = geo.LoadLand(); err != nil {
		return err
	}
	if opt.Waters, err = geo.LoadTerritorialWaters(); err != nil {
		return err
	}
	cfgPath, areasPath := *config, *areas
	if *events != "" && cfgPath == "" && areasPath == "" {
		// A simulated year or a run: its configuration or its sections
		// beside it.
		dir := filepath.Dir(*events)
		if _, err := os.Stat(filepath.Join(dir, node.ConfigFile)); err == nil {
			cfgPath = filepath.Join(dir, node.ConfigFile)
		} else if _, err := os.Stat(filepath.Join(dir, SectionsFile)); err == nil {
			areasPath = filepath.Join(dir, SectionsFile)
		}
	}
	opt.Node = *nodeName
	if cfgPath != "" {
		cfg, err := node.LoadConfig(cfgPath)
		if err != nil {
			return err
		}
		set, err := cfg.AreaSet()
		if err != nil {
			return err
		}
		opt.Sections = append(opt.Sections, set.List()...)
		if opt.Node == "" {
			opt.Node = cfg.NodeName()
		}
	}
	if areasPath != "" {
		f, err := os.Open(areasPath)
		if err != nil {
			return err
		}
		list, err := geo.ParseAreasGeoJSON(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", areasPath, err)
		}
		opt.Sections = append(opt.Sections, list...)
	}

	var (
		src    report.Source
		source string
	)
	switch {
	case *events != "":
		files, err := report.OpenFiles(*events)
		if err != nil {
			return err
		}
		src, source = files, "the files of "+filepath.Dir(*events)
	default:
		st, where, err := node.OpenStore(ctx, *data, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		src, source = st, "the node's store ("+where+")"
	}
	d, err := report.Load(ctx, src, opt)
	if err != nil {
		return err
	}
	if len(d.Sections) == 0 {
		fmt.Fprintln(stderr, "pharos report: no border sections (--config with areas:, or --areas): the figures by section are left out")
	}
	a := report.Analyse(d, period)

	if kind == "risk" {
		return writeProducts(ctx, report.Products(a), *out, *put, *token, stdout)
	}
	var doc *report.Doc
	if kind == "annual" {
		doc = report.Annual(a, source)
	} else {
		doc = report.Monthly(a, source)
	}
	annex := *csvOut
	if annex == "" {
		annex = strings.TrimSuffix(*out, filepath.Ext(*out)) + ".csv"
	}
	doc.Annex = filepath.Base(annex)
	if err := writeFileWith(*out, func(w io.Writer) error { return report.Write(w, doc, format) }); err != nil {
		return err
	}
	if err := writeFileWith(annex, doc.Figures.WriteCSV); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s report %s: %s incidents and %s detections from %s to %s read, %s figures; wrote %s and %s in %s\n",
		kind, period.Name, report.Num(d.Incidents()), report.Num(d.Detections()), opt.From.Format("2006-01-02"),
		opt.To.AddDate(0, 0, -1).Format("2006-01-02"), report.Num(doc.Figures.Len()), *out, annex, time.Since(begin).Round(time.Millisecond))
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeProducts writes the risk products as a JSON array, and puts each
// into a node's analysis layer when asked.
func writeProducts(ctx context.Context, prods []picture.RiskProduct, out, put, token string, stdout io.Writer) error {
	b, err := json.MarshalIndent(prods, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if out == "" || out == "-" {
		if _, err := stdout.Write(b); err != nil {
			return err
		}
	} else if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	if put == "" {
		return nil
	}
	if token == "" {
		return errors.New("--put needs an API token (--token or PHAROS_TOKEN)")
	}
	base, err := url.Parse(put)
	if err != nil {
		return fmt.Errorf("--put %q: %w", put, err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for _, p := range prods {
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		u := base.JoinPath("api", "risk-products", p.ID)
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("put %s: %w", p.ID, err)
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("put %s: %s: %s", p.ID, resp.Status, bytes.TrimSpace(msg))
		}
	}
	if out != "" && out != "-" {
		fmt.Fprintf(stdout, "%d risk products put to %s\n", len(prods), put)
	}
	return nil
}
