package sar

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"sync"

	"pharos/internal/geo"
)

// Rows is an image read a band of rows at a time, so that a scene larger
// than memory can be processed: a GeoTIFF (internal/geotiff) or a Grid.
type Rows interface {
	Size() (w, h int)
	// ReadRows fills dst with rows [y0, y1), row after row.
	ReadRows(y0, y1 int, dst []float32) error
}

// Size returns the grid's width and height.
func (g *Grid) Size() (w, h int) { return g.W, g.H }

// ReadRows copies rows [y0, y1) into dst.
func (g *Grid) ReadRows(y0, y1 int, dst []float32) error {
	if y0 < 0 || y1 > g.H || y0 > y1 || len(dst) < (y1-y0)*g.W {
		return fmt.Errorf("rows %d–%d of a %d-row grid into %d values", y0, y1, g.H, len(dst))
	}
	copy(dst, g.Pix[y0*g.W:y1*g.W])
	return nil
}

// Placement places pixel coordinates (x right, y down, pixel centres at
// +0.5) on the Earth.
type Placement interface {
	LatLon(x, y float64) (lat, lon float64)
}

// SceneOptions configures DetectScene.
type SceneOptions struct {
	// Tile is the side of the square each pass of the detector owns,
	// pixels; default DefaultTile. Each is read with a margin on every side
	// wide enough for the background window and the largest object, so
	// an object across a tile edge is found once and whole.
	Tile int
	// Place and Land mask the land: with both set, pixels within
	// LandBuffer metres of the coastline or on land are neither detected
	// nor taken as clutter. Place also needs Params.Spacing.
	Place      Placement
	Land       *geo.Land
	LandBuffer float64 // metres; default DefaultLandBuffer
	// Progress, when set, is called after each tile with the number done
	// and the total, from one goroutine at a time.
	Progress func(done, total int)
	// Workers is how many tiles are processed at once; default 1. Each
	// holds its own tile's working grids.
	Workers int
}

// DefaultTile bounds memory: a 1024-pixel tile and its margins take some
// 60 MB of working grids, and a band of rows of a 25,000-pixel-wide scene
// about 120 MB.
const DefaultTile = 1024

// DefaultLandBuffer is how far from the coastline the land mask reaches:
// the embedded 1:10m coastline is off the real one by up to a few hundred
// metres, and quays, breakwaters and moored ships lie along it.
const DefaultLandBuffer = 500

// ErrNoSpacing is returned when a land mask is asked for without a pixel
// spacing.
var ErrNoSpacing = errors.New("land masking needs a pixel spacing")

// DetectScene runs Detect over a scene tile by tile, holding one band of
// rows and one tile in memory whatever the scene's size, and returns the
// objects in scene pixel coordinates. An object belongs to the tile its
// centre falls in, so one lying across a tile edge is found once.
func DetectScene(r Rows, p Params, o SceneOptions) ([]Object, error) {
	p = p.withDefaults()
	if err := p.check(); err != nil {
		return nil, err
	}
	if o.Place != nil && o.Land != nil && p.Spacing <= 0 {
		return nil, ErrNoSpacing
	}
	o.Tile = cmp.Or(max(o.Tile, 0), DefaultTile)
	o.LandBuffer = cmp.Or(max(o.LandBuffer, 0), DefaultLandBuffer)
	o.Workers = max(o.Workers, 1)
	w, h := r.Size()
	if w <= 0 || h <= 0 {
		return nil, ErrEmptyImage
	}
	maxLen := p.MaxLength
	if p.Spacing > 0 {
		maxLen /= p.Spacing
	}
	s := &scan{p: p, o: o, w: w, margin: p.Background/2 + int(math.Ceil(maxLen/2)) + p.Join}
	return s.run(r, h)
}

// scan is one pass of DetectScene over a scene w pixels wide.
type scan struct {
	p      Params
	o      SceneOptions // defaults filled in
	w      int
	margin int // pixels read around a tile

	mu    sync.Mutex // guards found, done and first
	found []Object
	done  int
	first error
}

// run reads the scene band by band and detects in each band's tiles.
func (s *scan) run(r Rows, h int) ([]Object, error) {
	tile := s.o.Tile
	cols, rows := (s.w+tile-1)/tile, (h+tile-1)/tile
	// One buffer for the whole scene, sized for the largest band.
	buf := make([]float32, min(tile+2*s.margin, h)*s.w)
	var band []float32
	var prev [2]int // rows the band held last
	for ty := range rows {
		y0, y1 := ty*tile, min((ty+1)*tile, h)
		by0, by1 := max(y0-s.margin, 0), min(y1+s.margin, h)
		// Bands overlap by twice the margin: those rows move to the front
		// instead of being read again (a compressed strip would be
		// decompressed again from its start).
		from := by0
		if ty > 0 && prev[1] > by0 {
			copy(buf, band[(by0-prev[0])*s.w:(prev[1]-prev[0])*s.w])
			from = prev[1]
		}
		band = buf[:(by1-by0)*s.w]
		if err := r.ReadRows(from, by1, band[(from-by0)*s.w:]); err != nil {
			return nil, fmt.Errorf("read rows %d–%d: %w", from, by1, err)
		}
		prev = [2]int{by0, by1}
		// The tiles of a band share it read-only; the buffer is reused
		// only once all of them are done.
		var wg sync.WaitGroup
		sem := make(chan struct{}, s.o.Workers)
		for tx := range cols {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				x0, x1 := tx*tile, min((tx+1)*tile, s.w)
				objs, err := s.tile(band, by0, by1, x0, x1, y0, y1)
				s.add(objs, err, rows*cols)
			})
		}
		wg.Wait()
		if s.first != nil {
			return nil, s.first
		}
	}
	sortObjects(s.found)
	return s.found, nil
}

// add keeps a tile's objects, or its error, and reports progress.
func (s *scan) add(objs []Object, err error, tiles int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.first = cmp.Or(s.first, err)
		return
	}
	s.found = append(s.found, objs...)
	s.done++
	if s.o.Progress != nil {
		s.o.Progress(s.done, tiles)
	}
}

// tile detects in the tile [x0, x1) × [y0, y1) of a band holding rows
// [by0, by1), reading the margin around it, and keeps the objects whose
// centre lies in the tile.
func (s *scan) tile(band []float32, by0, by1, x0, x1, y0, y1 int) ([]Object, error) {
	bx0, bx1 := max(x0-s.margin, 0), min(x1+s.margin, s.w)
	g := NewGrid(bx1-bx0, by1-by0)
	for y := range g.H {
		copy(g.Pix[y*g.W:(y+1)*g.W], band[y*s.w+bx0:y*s.w+bx1])
	}
	if s.o.Place != nil && s.o.Land != nil {
		g.Land = LandMask(s.o.Land, s.o.Place, bx0, by0, g.W, g.H, s.p.Spacing, s.o.LandBuffer)
	}
	objs, err := Detect(g, s.p)
	if err != nil {
		return nil, err
	}
	kept := objs[:0]
	for _, ob := range objs {
		ob.shift(bx0, by0)
		if ob.X >= float64(x0) && ob.X < float64(x1) && ob.Y >= float64(y0) && ob.Y < float64(y1) {
			kept = append(kept, ob)
		}
	}
	return kept, nil
}

func (o *Object) shift(dx, dy int) {
	o.X += float64(dx)
	o.Y += float64(dy)
	o.MinX += dx
	o.MaxX += dx
	o.MinY += dy
	o.MaxY += dy
}

// LandMask marks the pixels of the w×h window at (x0, y0) of a scene that
// lie on land or within buffer metres of the coastline. It samples the
// coastline on a coarse grid of cells a quarter of the buffer wide and
// masks a whole cell when land is within the buffer plus the cell's
// half-diagonal of its centre, so the mask errs on the side of land.
func LandMask(land *geo.Land, place Placement, x0, y0, w, h int, spacing, buffer float64) []bool {
	mask := make([]bool, w*h)
	step := max(1, int(buffer/4/spacing))
	reach := buffer + float64(step)*spacing*math.Sqrt2/2
	for cy := 0; cy < h; cy += step {
		for cx := 0; cx < w; cx += step {
			ex, ey := min(cx+step, w), min(cy+step, h)
			lat, lon := place.LatLon(float64(x0)+float64(cx+ex)/2, float64(y0)+float64(cy+ey)/2)
			if !land.Contains(lat, lon) && land.DistanceToShoreWithin(lat, lon, reach) >= reach {
				continue
			}
			for y := cy; y < ey; y++ {
				for x := cx; x < ex; x++ {
					mask[y*w+x] = true
				}
			}
		}
	}
	return mask
}
