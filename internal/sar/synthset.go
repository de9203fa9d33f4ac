package sar

import (
	"fmt"
	"math"
	"math/rand/v2"

	"pharos/internal/geo"
)

// A synthetic test set is made of chips like a Sentinel-1 IW GRD product's:
// 10 m pixels, about 20 m resolution, 4.4 looks, sea clutter of moderate
// texture. Half the chips lie across a coast of the Alborán Sea and the
// Strait of Gibraltar, half out at sea.
const (
	SynthSpacing    = 10.0  // metres per pixel
	SynthSide       = 800   // pixels, 8 km
	SynthResolution = 2.0   // pixels: the radar's impulse response spreads every hull over at least this
	SynthLooks      = 4     // speckle looks
	SynthNu         = 4.0   // texture shape of the sea clutter
	SynthMean       = 100.0 // mean sea amplitude, digital numbers of a 16-bit scene
	NearShoreM      = 2000  // a ship closer than this to the coastline is near-shore, as xView3 counts
)

// Chip centres: coasts the land mask must handle, and open sea.
var (
	synthCoasts = [][2]float64{{36.01, -5.60}, {35.89, -5.31}, {36.70, -4.42}, {36.83, -2.46}, {35.79, -5.81}, {35.17, -2.93}}
	synthSea    = [][2]float64{{36.10, -3.90}, {35.75, -4.30}, {36.20, -2.60}, {35.60, -3.40}, {36.25, -4.70}, {35.90, -2.10}}
)

// SynthChip is one chip of a synthetic test set with its truth.
type SynthChip struct {
	Name  string
	Synth Synth
	Ships []SynthTruth
}

// SynthTruth is a ship as it is, not as the radar draws it.
type SynthTruth struct {
	X         float64 `json:"px"` // centre, pixels
	Y         float64 `json:"py"`
	LengthM   float64 `json:"length_m"`
	WidthM    float64 `json:"width_m"`
	Axis      float64 `json:"axis_deg"` // clockwise from north, 0–180
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	SCR       float64 `json:"scr_db"`     // signal to clutter ratio
	NearShore bool    `json:"near_shore"` // within NearShoreM of the coastline
}

// SynthSet draws n chips (even numbers across coasts, odd ones at sea) with
// 2–8 ships each: lengths 15–300 m, log-uniform; beam a quarter to a
// seventh of the length; any axis; signal to clutter ratio 10 dB for a
// 15 m boat rising 12 dB per decade of length, ±3 dB. Near-shore chips
// place half their ships within 2 km of the coast, none closer than
// 200 m. max clips the amplitudes: 255 for 8-bit chips, 65535 for 16-bit
// scenes (the mean sea amplitude is scaled to 40 for 8 bits).
func SynthSet(seed uint64, n int, land *geo.Land, maxAmp float64) []SynthChip {
	r := rand.New(rand.NewPCG(seed, 0x5e7))
	mean := SynthMean
	if maxAmp <= 255 {
		mean = 40
	}
	var set []SynthChip
	for i := range n {
		coastal := i%2 == 0
		centres := synthSea
		if coastal {
			centres = synthCoasts
		}
		c := centres[(i/2)%len(centres)]
		half := SynthSide * SynthSpacing / 2
		top, _ := geo.Destination(c[0], c[1], 0, half)
		_, left := geo.Destination(c[0], c[1], 270, half)
		chip := SynthChip{Name: fmt.Sprintf("synth-%03d", i+1), Synth: Synth{
			W: SynthSide, H: SynthSide, Looks: SynthLooks, Nu: SynthNu, Mean: mean,
			Place: Georef{Lat: top, Lon: left, Spacing: SynthSpacing}, Spacing: SynthSpacing,
			Land: land, Max: maxAmp,
		}}
		ships := 2 + r.IntN(7)
		for tries := 0; len(chip.Ships) < ships && tries < 1000; tries++ {
			t := SynthTruth{
				X: 20 + r.Float64()*(SynthSide-40), Y: 20 + r.Float64()*(SynthSide-40),
				LengthM: 15 * math.Pow(20, r.Float64()),
				Axis:    r.Float64() * 180,
			}
			t.WidthM = t.LengthM / (4 + 3*r.Float64())
			t.SCR = ShipSCR(t.LengthM, 2*r.Float64()-1)
			t.Lat, t.Lon = chip.Synth.Place.LatLon(t.X, t.Y)
			shore := land.DistanceToShoreWithin(t.Lat, t.Lon, 10*NearShoreM)
			if land.Contains(t.Lat, t.Lon) || shore < 200+t.LengthM/2 {
				continue
			}
			t.NearShore = shore < NearShoreM
			if coastal && len(chip.Ships) < ships/2 && !t.NearShore {
				continue // half the ships of a coastal chip keep close in
			}
			if overlaps(chip.Ships, t) {
				continue
			}
			chip.Ships = append(chip.Ships, t)
			chip.Synth.Ships = append(chip.Synth.Ships, HullAt(t.X, t.Y, t.LengthM, t.WidthM, t.Axis, t.SCR, SynthSpacing))
		}
		set = append(set, chip)
	}
	return set
}

// ShipSCR is the signal to clutter ratio, dB, synthetic images give a
// hull of the given length on 10 m pixels: 10 dB for a 15 m boat, rising
// 12 dB per decade of length; u in [−1, 1] moves it by up to 3 dB.
func ShipSCR(lengthM, u float64) float64 {
	return 10 + 12*math.Log10(max(lengthM, 1)/15) + 3*u
}

// HullAt is a hull of the given size (metres), axis and signal to clutter
// ratio (dB) centred on pixel (x, y) of an image of the given spacing, as
// the radar draws it: blurred over at least SynthResolution pixels.
func HullAt(x, y, lengthM, widthM, axis, scrDB, spacing float64) SynthShip {
	return SynthShip{X: x, Y: y,
		Length: math.Hypot(lengthM/spacing, SynthResolution),
		Width:  math.Hypot(widthM/spacing, SynthResolution),
		Axis:   axis, SCR: math.Pow(10, scrDB/10)}
}

// overlaps reports whether t lies within a hull's length of a ship
// already placed: two hulls side by side are one object to any detector.
func overlaps(placed []SynthTruth, t SynthTruth) bool {
	for _, p := range placed {
		gap := (p.LengthM + t.LengthM) / SynthSpacing
		if math.Hypot(p.X-t.X, p.Y-t.Y) < gap {
			return true
		}
	}
	return false
}
