package sim

import (
	"bufio"
	"math"
	"path/filepath"

	"pharos/internal/geo"
	"pharos/internal/geotiff"
	"pharos/internal/sar"
)

// FileSARImagePrefix names the radar image of a pass that asks for one:
// "sar-<pass id>.tif".
const FileSARImagePrefix = "sar-"

// sarImages renders the image of every pass that asks for one and writes
// it into dir as a 16-bit GeoTIFF on a north-up WGS 84 grid. It returns
// how many it wrote.
func (w *world) sarImages(seed uint64, land Land, dir string) (int, error) {
	n := 0
	for _, s := range w.sc.Sensors.Satellites {
		if s.Image == nil {
			continue
		}
		syn := w.sarImage(s, seed, land)
		g := syn.Render(seed ^ 0x5a7)
		pix := make([]uint16, len(g.Pix))
		for i, v := range g.Pix {
			pix[i] = uint16(v)
		}
		dlat, dlon := syn.Place.Degrees()
		opt := geotiff.WriteOptions{EPSG: 4326, Origin: [2]float64{syn.Place.Lon, syn.Place.Lat}, PixelSize: [2]float64{dlon, dlat}, Deflate: true}
		path := filepath.Join(dir, FileSARImagePrefix+s.ID+".tif")
		err := writeFile(path, func(b *bufio.Writer) error { return geotiff.Write(b, syn.W, syn.H, pix, opt) })
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// sarImage lays out the image of pass s: the window around its centre and
// every vessel inside at the acquisition time, with the signal to clutter
// ratio sar.ShipSCR gives its length.
func (w *world) sarImage(s Satellite, seed uint64, land Land) sar.Synth {
	im := s.Image
	t := w.start.Add(s.At.D())
	rng := rngFor(seed, "sar/"+s.ID)
	top, _ := geo.Destination(im.Centre.lat(), im.Centre.lon(), 0, im.SizeKm[1]*500)
	_, left := geo.Destination(im.Centre.lat(), im.Centre.lon(), 270, im.SizeKm[0]*500)
	syn := sar.Synth{
		W: int(math.Round(im.SizeKm[0] * 1000 / im.Spacing)), H: int(math.Round(im.SizeKm[1] * 1000 / im.Spacing)),
		Looks: sar.SynthLooks, Nu: sar.SynthNu, Mean: sar.SynthMean, Max: math.MaxUint16,
		Place: sar.Georef{Lat: top, Lon: left, Spacing: im.Spacing}, Spacing: im.Spacing, Land: land,
	}
	dlat, dlon := syn.Place.Degrees()
	for _, a := range w.actors {
		if !a.path.present(t) {
			continue
		}
		lat, lon, _, cog := a.path.at(t)
		x, y := (lon-left)/dlon, (top-lat)/dlat
		if x < 0 || y < 0 || x >= float64(syn.W) || y >= float64(syn.H) {
			continue
		}
		beam := a.Beam
		if beam == 0 {
			beam = a.Length / 5
		}
		syn.Ships = append(syn.Ships, sar.HullAt(x, y, a.Length, beam, math.Mod(cog, 180),
			sar.ShipSCR(a.Length, 2*rng.Float64()-1), im.Spacing))
	}
	return syn
}
