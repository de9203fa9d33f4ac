// Command portgen converts the port list of the npm package sea-ports into
// the compact file that package geo embeds (portdata/ports.bin.gz), so that
// a node knows how far a vessel is from the nearest port without a network.
//
// It installs the package with the machine's npm into a temporary
// directory and reads lib/ports.json: an object keyed by UN/LOCODE whose
// values hold a name and "coordinates" [lon, lat]. Entries without
// coordinates are left out (the generator says how many), a dozen whose
// latitude and longitude are swapped or of the wrong sign are corrected
// (see fixes), and a key that is not a five-letter UN/LOCODE, or
// coordinates off the globe, are errors.
// Positions are snapped to a grid of -step degrees and the ports, sorted by
// UN/LOCODE, written as delta-encoded varints, gzip'd. The output is a
// function of the input bytes only, so running it twice gives the same
// file byte for byte.
//
// sea-ports is © 2016 marchah, MIT licence (github.com/marchah/sea-ports).
//
// Usage (from internal/geo, as go generate runs it):
//
//	go run ./internal/portgen -npm sea-ports@0.0.9 -file sea-ports/lib/ports.json -o portdata/ports.bin.gz
//
// With -in the input is read from a local file instead of npm.
package main

import (
	"pharos/internal/geo/internal/npmdata"

	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "portgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("portgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	npmSpec := fs.String("npm", "", "npm package to install, name@version")
	file := fs.String("file", "", "file inside node_modules to read")
	in := fs.String("in", "", "read this local ports.json instead of installing from npm (.gz allowed)")
	step := fs.Float64("step", 1e-5, "grid step in degrees the positions are snapped to")
	out := fs.String("o", "", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || (*in == "") == (*npmSpec == "" || *file == "") {
		return errors.New("need -o and either -in or both -npm and -file")
	}
	if t := math.Round(1 / *step); !(*step > 0) || *step > 1 || math.Abs(t**step-1) > 1e-9 {
		return fmt.Errorf("grid step %g° does not divide 1°", *step)
	}
	data, path, err := npmdata.Read(*npmSpec, *file, *in, stderr)
	if err != nil {
		return err
	}
	ports, skipped, fixed, err := decode(data, *step)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	blob, err := encode(*step, ports)
	if err != nil {
		return err
	}
	if err := npmdata.WriteFile(*out, blob); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "portgen: %d ports (%d entries without coordinates left out, %d positions corrected), %d bytes in %s\n",
		len(ports), skipped, fixed, len(blob), *out)
	return nil
}

// A fix corrects an entry whose coordinates sea-ports gives wrongly, when
// they are still the wrong ones (a later version that corrects them is
// left alone). Each was found by comparing the table with the NGA World
// Port Index (Pub. 150): the entry lies hundreds of kilometres from any
// WPI port, mostly in the sea or in another country, and the corrected
// position lies within 10 km of the WPI port of that place.
type fix struct {
	bad  [2]float64 // [lon, lat] as sea-ports 0.0.9 gives them
	swap bool       // latitude and longitude swapped
	neg  bool       // longitude of the wrong sign
	why  string
}

var fixes = map[string]fix{
	"ANGSB": {bad: [2]float64{12.1686756, -68.4486145}, swap: true, why: "Bonaire, 9 km from WPI Goto Oil Terminal"},
	"ARDDC": {bad: [2]float64{-34.0447572, -59.199761}, swap: true, why: "Paraná delta, not the Southern Ocean"},
	"CDBOA": {bad: [2]float64{-5.8347218, 13.022875}, swap: true, why: "3 km from WPI Boma"},
	"CDMAT": {bad: [2]float64{-5.8237941, 13.4509856}, swap: true, why: "1 km from WPI Matadi"},
	"CLJRL": {bad: [2]float64{-36.9721439, -73.2265222}, swap: true, why: "9 km from WPI Coronel"},
	"CLPGO": {bad: [2]float64{-31.885551, -71.5038607}, swap: true, why: "Los Vilos, not the Southern Ocean"},
	"CLPPD": {bad: [2]float64{-27.0522946, -70.841904}, swap: true, why: "1 km from WPI Puerto Caldera"},
	"DZAAE": {bad: [2]float64{36.9178674, 7.6740654}, swap: true, why: "8 km from WPI Annaba"},
	"ISESK": {bad: [2]float64{65.0726522, -14.0538958}, swap: true, why: "2 km from WPI Eskifjordhur"},
	"REPDG": {bad: [2]float64{-20.9239169, 55.2856063}, swap: true, why: "1 km from WPI Port Ouest"},
	"VEGUB": {bad: [2]float64{11.6656673, -70.2147818}, swap: true, why: "4 km from WPI Las Piedras"},
	"TNJAR": {bad: [2]float64{-11.1, 33.5}, neg: true, why: "2 km from WPI Zarzis"},
}

// port is one entry: x = 0 at 180° W, y = 0 at 90° S, in grid steps.
type port struct {
	locode, name string
	x, y         int64
}

type entry struct {
	Name        string    `json:"name"`
	Coordinates []float64 `json:"coordinates"`
}

// decode reads ports.json; it returns the ports sorted by UN/LOCODE, the
// number of entries left out for want of coordinates and the number of
// positions corrected (see fixes).
func decode(data []byte, step float64) ([]port, int, int, error) {
	var doc map[string]entry
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, 0, 0, err
	}
	if len(doc) == 0 {
		return nil, 0, 0, errors.New("no ports")
	}
	var ports []port
	skipped, fixed := 0, 0
	for code, e := range doc {
		if !isLocode(code) {
			return nil, 0, 0, fmt.Errorf("key %q is not a UN/LOCODE", code)
		}
		if len(e.Coordinates) == 0 {
			skipped++
			continue
		}
		c := e.Coordinates
		if f, ok := fixes[code]; ok && len(c) == 2 && c[0] == f.bad[0] && c[1] == f.bad[1] {
			c = []float64{c[0], c[1]}
			if f.swap {
				c[0], c[1] = c[1], c[0]
			}
			if f.neg {
				c[0] = -c[0]
			}
			fixed++
		}
		if len(c) != 2 || math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.Abs(c[0]) > 180 || math.Abs(c[1]) > 90 {
			return nil, 0, 0, fmt.Errorf("%s: bad coordinates %v", code, c)
		}
		name := strings.TrimSpace(e.Name)
		if name == "" || len(name) > 255 {
			return nil, 0, 0, fmt.Errorf("%s: name %q", code, e.Name)
		}
		x, y := int64(math.Round((c[0]+180)/step)), int64(math.Round((c[1]+90)/step))
		if turn := int64(math.Round(360 / step)); x == turn {
			x = 0 // 180° E is 180° W
		}
		ports = append(ports, port{locode: code, name: name, x: x, y: y})
	}
	if len(ports) == 0 {
		return nil, 0, 0, errors.New("no port with coordinates")
	}
	slices.SortFunc(ports, func(a, b port) int { return strings.Compare(a.locode, b.locode) })
	return ports, skipped, fixed, nil
}

// isLocode reports whether s is a UN/LOCODE: a two-letter country code and
// three letters or digits 2–9.
func isLocode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := range 5 {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
		case i >= 2 && c >= '2' && c <= '9':
		default:
			return false
		}
	}
	return true
}

// The file format, read by geo.LoadPorts (ports.go):
//
//	gzip(
//	  "PHPORT1\n"
//	  float64 step                 little-endian; lon = x*step - 180, lat = y*step - 90
//	  uvarint nPorts
//	  nPorts × (
//	    5 bytes UN/LOCODE
//	    uvarint len; bytes         name
//	    varint dx, varint dy       zig-zag, relative to the previous port, from (0, 0)
//	  )
//	)
//
// Ports are sorted by UN/LOCODE.
const magic = "PHPORT1\n"

func encode(step float64, ports []port) ([]byte, error) {
	var b []byte
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(step))
	b = binary.AppendUvarint(b, uint64(len(ports)))
	var px, py int64
	for _, p := range ports {
		b = append(b, p.locode...)
		b = binary.AppendUvarint(b, uint64(len(p.name)))
		b = append(b, p.name...)
		b = binary.AppendVarint(b, p.x-px)
		b = binary.AppendVarint(b, p.y-py)
		px, py = p.x, p.y
	}
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// A zero header (no name, no time) keeps the output reproducible.
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
