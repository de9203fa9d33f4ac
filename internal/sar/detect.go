package sar

import (
	"cmp"
	"math"
	"slices"
)

// Object is a cluster of detected pixels: a vessel candidate.
type Object struct {
	X, Y       float64 // intensity-weighted centre, pixels (x right, y down; pixel centres at +0.5)
	MinX, MinY int     // bounding box, inclusive pixel indices
	MaxX, MaxY int
	Pixels     int     // detected pixels
	Length     float64 // along the major axis, pixels (metres when a spacing is given: LengthM)
	Width      float64 // across it, pixels
	Heading    float64 // of the major axis, degrees clockwise from image up, in [0, 180)
	PeakScore  float64 // highest CFAR score of its pixels
	Confidence float64 // 0–1, from how far the peak stands above the threshold
	LengthM    float64 // Length × spacing; 0 without a spacing
	WidthM     float64
}

// Detect runs the CFAR detector on g, clusters the detected pixels into
// objects and keeps those within the size range, largest score first.
func Detect(g *Grid, p Params) ([]Object, error) {
	p = p.withDefaults()
	g = noData(g)
	scores, cut, err := score(g, p)
	if err != nil {
		return nil, err
	}
	k := float32(Threshold(p.Pfa))
	objs := cluster(g, scores, k, p.Join)
	// A false alarm is a speckle grain or a few: where the clutter is
	// correlated over several pixels, so is the smallest object.
	minPixels := float64(p.MinPixels) * correlationArea(g, cut)
	scale := 1.0
	if p.Spacing > 0 {
		scale = p.Spacing
	}
	kept := objs[:0]
	for _, o := range objs {
		if float64(o.Pixels) < minPixels {
			continue
		}
		l := o.Length * scale
		if l < p.MinLength || l > p.MaxLength || o.Length > p.MaxAspect*o.Width {
			continue
		}
		if p.Spacing > 0 {
			o.LengthM, o.WidthM = o.Length*p.Spacing, o.Width*p.Spacing
		}
		// Confidence 0.5 at the threshold, rising towards 1 as the peak
		// stands twice the threshold above the background.
		o.Confidence = 1 - 0.5*math.Exp(-(o.PeakScore-float64(k))/float64(k)*3)
		kept = append(kept, o)
	}
	sortObjects(kept)
	return kept, nil
}

// sortObjects orders objects strongest first, then by position, so that
// output is the same run after run.
func sortObjects(objs []Object) {
	slices.SortStableFunc(objs, func(a, b Object) int {
		return cmp.Or(cmp.Compare(b.PeakScore, a.PeakScore), cmp.Compare(a.Y, b.Y), cmp.Compare(a.X, b.X))
	})
}

// cluster groups the pixels whose score exceeds k: two such pixels belong to
// one object when a chain of them, each within join pixels (Chebyshev
// distance) of the next, links them; join 1 is 8-connectivity. Joining
// over small gaps keeps a ship whose hull breaks up in speckle one object.
func cluster(g, score *Grid, k float32, join int) []Object {
	w, h := g.W, g.H
	label := make([]int32, w*h) // 0 = not yet visited, -1 = visited background
	var objs []Object
	var stack []int
	for i, s := range score.Pix {
		if s <= k || label[i] != 0 {
			continue
		}
		id := int32(len(objs) + 1)
		label[i] = id
		stack = append(stack[:0], i)
		var m moments
		m.init(i%w, i/w)
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			m.add(x, y, float64(g.Pix[j]), float64(score.Pix[j]))
			for yy := max(y-join, 0); yy <= min(y+join, h-1); yy++ {
				for xx := max(x-join, 0); xx <= min(x+join, w-1); xx++ {
					n := yy*w + xx
					if label[n] == 0 && score.Pix[n] > k {
						label[n] = id
						stack = append(stack, n)
					}
				}
			}
		}
		objs = append(objs, m.object())
	}
	return objs
}

// moments accumulates a cluster's box, weighted centre and second moments.
type moments struct {
	n                      int
	minX, minY, maxX, maxY int
	sw, sx, sy             float64 // intensity-weighted
	ux, uy, sxx, syy, sxy  float64 // unweighted
	peak                   float64
}

func (m *moments) init(x, y int) {
	m.minX, m.maxX, m.minY, m.maxY = x, x, y, y
	m.peak = math.Inf(-1)
}

func (m *moments) add(x, y int, v, s float64) {
	m.n++
	m.minX, m.maxX = min(m.minX, x), max(m.maxX, x)
	m.minY, m.maxY = min(m.minY, y), max(m.maxY, y)
	m.peak = max(m.peak, s)
	// Unweighted second moments: the shape of the detected area, not of
	// its brightest scatterers; the centre is weighted by intensity.
	fx, fy := float64(x)+0.5, float64(y)+0.5
	w := max(v, 1e-3)
	m.sw += w
	m.sx += w * fx
	m.sy += w * fy
	m.ux += fx
	m.uy += fy
	m.sxx += fx * fx
	m.syy += fy * fy
	m.sxy += fx * fy
}

func (m *moments) object() Object {
	o := Object{MinX: m.minX, MinY: m.minY, MaxX: m.maxX, MaxY: m.maxY, Pixels: m.n, PeakScore: m.peak}
	o.X, o.Y = m.sx/m.sw, m.sy/m.sw
	n := float64(m.n)
	cx, cy := m.ux/n, m.uy/n
	vxx := m.sxx/n - cx*cx
	vyy := m.syy/n - cy*cy
	vxy := m.sxy/n - cx*cy
	// Eigenvalues of the covariance; a uniform bar of length L has variance
	// L²/12 along it, and each pixel adds 1/12 of its own extent.
	tr, det := vxx+vyy, vxx*vyy-vxy*vxy
	d := math.Sqrt(max(tr*tr/4-det, 0))
	l1, l2 := tr/2+d, max(tr/2-d, 0)
	o.Length = math.Sqrt(12*l1 + 1)
	o.Width = math.Sqrt(12*l2 + 1)
	// Angle of the major axis from image up (−y), clockwise.
	th := 0.5 * math.Atan2(2*vxy, vxx-vyy) // from +x towards +y (down)
	hd := 90 + th*180/math.Pi
	hd = math.Mod(hd+360, 180)
	o.Heading = hd
	return o
}
