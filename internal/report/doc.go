// Package report turns what a node kept — the events layer (incidents and
// detections), its border sections and its track history — into risk
// analysis and the reports EUROSUR and the EU Internal Security Strategy
// ask for: the annual report on cross-border crime (human trafficking,
// human smuggling, illicit goods), the monthly indicators, and
// risk-analysis products for the picture's analysis layer. It is the last
// stage of the flow in DESIGN.md: it reads a store.Store (or the files a
// run or a simulated year writes, through Files) and imports nothing that
// comes after it.
//
// # Figures
//
// Every number a report prints is a Figure: the count of the records (of
// one layer, incidents by detection time or detections by start time)
// that match a Query over a period [From, To) — by crime type, type or
// title, impact, border section, hour of day, hotspot cells, route or
// state of departure. Data.Count and Data.By make them; the same query
// always gives the same figure, and every figure goes into the annex CSV
// with its query, so a reader can count it again in the store. Shares and
// changes are computed from two figures printed beside them. A test
// recounts every figure of the reports from a SQLite store's records with
// code of its own, and by SQL where SQL can state the query.
//
// # Crime types
//
// CrimeOf maps an incident's EUROSUR category and title to a crime type
// (its documentation lists the rules); DetectionCrime maps a detection by
// the threat its risk assessment scored highest. The mapping is
// deliberately plain — substrings of the title, then the detection types,
// then the category — so that it can be written as SQL and checked.
//
// # Analysis
//
// Load reads a span of time and works out, once per record, what it is
// counted by. Analyse then finds, for a Period and the one it is compared
// with:
//
//   - hotspots: cells of a grid (Options.Grid, 0.1° by default) whose
//     Getis–Ord Gi* z-score, over the cell and its eight neighbours against
//     every sea cell of the map, is at least 1.96, with at least three
//     records; neighbouring hot cells make one hotspot. For incidents by
//     crime type, and for detections by threat (suspicious behaviour);
//   - common areas of interest: cells that are hotspots of two crime types
//     or more at once;
//   - routes: from where the track of an incident's first detection
//     begins to where it lands (a go-fast's landfall) or ends, rounded to
//     0.2° and named by the state whose territorial waters hold each end;
//   - time-of-day and seasonal patterns: counts by hour (UTC), month and
//     quarter;
//   - border sections: counts by section, and the impact level the
//     serious incidents a month suggest (Levels), with the evidence;
//   - where joint operations look needed (JointOps), and why.
//
// Products turns an analysis into picture.RiskProduct records.
//
// # Rendering
//
// Annual and Monthly build a Doc: headings, text, tables whose cells hold
// figures, and graphics drawn by the program on a canvas — bar charts, and
// maps with the coastline traced from the embedded land data (geo.Land,
// by marching squares), the border sections, hotspot cells and route
// arrows. WritePDF (go-pdf/fpdf, the annex attached), WriteHTML (inline
// SVG, each figure's cell marked data-fig) and WriteMarkdown render the
// same Doc; nothing is fetched from the network. The PDF's dates are the
// period's end, so the same data gives the same bytes.
package report
