package sar

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"

	"pharos/internal/lap"
)

// Box is an axis-aligned box in pixels, inclusive corners, as Pascal VOC
// annotations give them.
type Box struct {
	Name                   string
	MinX, MinY, MaxX, MaxY int
}

// ReadVOC reads the object boxes of a Pascal VOC annotation (SSDD's format).
func ReadVOC(r io.Reader) ([]Box, error) {
	var doc struct {
		Objects []struct {
			Name string `xml:"name"`
			Box  struct {
				XMin float64 `xml:"xmin"`
				YMin float64 `xml:"ymin"`
				XMax float64 `xml:"xmax"`
				YMax float64 `xml:"ymax"`
			} `xml:"bndbox"`
		} `xml:"object"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode voc annotation: %w", err)
	}
	boxes := make([]Box, 0, len(doc.Objects))
	for i, o := range doc.Objects {
		b := Box{Name: o.Name, MinX: int(o.Box.XMin), MinY: int(o.Box.YMin), MaxX: int(o.Box.XMax), MaxY: int(o.Box.YMax)}
		if b.MaxX < b.MinX || b.MaxY < b.MinY {
			return nil, fmt.Errorf("voc object %d: box %d,%d–%d,%d is inverted", i, b.MinX, b.MinY, b.MaxX, b.MaxY)
		}
		boxes = append(boxes, b)
	}
	return boxes, nil
}

// Box returns the object's bounding box.
func (o Object) Box() Box { return Box{MinX: o.MinX, MinY: o.MinY, MaxX: o.MaxX, MaxY: o.MaxY} }

// IoU is the intersection over union of two boxes.
func IoU(a, b Box) float64 {
	ix := min(a.MaxX, b.MaxX) - max(a.MinX, b.MinX) + 1
	iy := min(a.MaxY, b.MaxY) - max(a.MinY, b.MinY) + 1
	if ix <= 0 || iy <= 0 {
		return 0
	}
	area := func(b Box) int { return (b.MaxX - b.MinX + 1) * (b.MaxY - b.MinY + 1) }
	in := ix * iy
	return float64(in) / float64(area(a)+area(b)-in)
}

// Match counts matches of detections against true boxes. The rule: taking
// the detections in order of confidence, each matches the still unmatched
// true box it overlaps most, provided their IoU is at least 0.3 or the
// detection's centre lies inside the box. A second detection of a matched
// ship (a fragment) is a false positive.
type Match struct {
	TP, FP, FN int
}

// MatchBoxes scores objs (sorted by confidence, highest first, as Detect
// returns them) against truth.
func MatchBoxes(objs []Object, truth []Box) Match {
	used := make([]bool, len(truth))
	var m Match
	for _, o := range objs {
		best, bestIoU := -1, -1.0
		for i, t := range truth {
			if used[i] {
				continue
			}
			iou := IoU(o.Box(), t)
			inside := o.X >= float64(t.MinX) && o.X <= float64(t.MaxX+1) && o.Y >= float64(t.MinY) && o.Y <= float64(t.MaxY+1)
			if (iou >= 0.3 || inside) && iou > bestIoU {
				best, bestIoU = i, iou
			}
		}
		if best < 0 {
			m.FP++
			continue
		}
		used[best] = true
		m.TP++
	}
	m.FN = len(truth) - m.TP
	return m
}

// Add sums two counts.
func (m Match) Add(o Match) Match { return Match{m.TP + o.TP, m.FP + o.FP, m.FN + o.FN} }

// PRF returns precision, recall and F1 (0 where undefined).
func (m Match) PRF() (p, r, f1 float64) {
	if m.TP+m.FP > 0 {
		p = float64(m.TP) / float64(m.TP+m.FP)
	}
	if m.TP+m.FN > 0 {
		r = float64(m.TP) / float64(m.TP+m.FN)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

// PairCentres pairs detections with true ship centres within radius
// pixels of each other (200 m over the pixel spacing for the xView3
// challenge's rule) as its scorer does: one to one, as many pairs as can
// be made, and of those pairings the one of least total distance (a
// linear assignment, internal/lap). It returns, per detection, the index
// of its true ship or −1.
func PairCentres(objs []Object, truth [][2]float64, radius float64) []int {
	pair := make([]int, len(objs))
	for i := range pair {
		pair[i] = -1
	}
	if len(objs) == 0 || len(truth) == 0 {
		return pair
	}
	// The solver wants no more rows than columns.
	flip := len(objs) > len(truth)
	rows, cols := len(objs), len(truth)
	if flip {
		rows, cols = cols, rows
	}
	dist := func(i, j int) float64 { return math.Hypot(objs[i].X-truth[j][0], objs[i].Y-truth[j][1]) }
	cost := make([]float64, rows*cols)
	for r := range rows {
		for c := range cols {
			i, j := r, c
			if flip {
				i, j = c, r
			}
			cost[r*cols+c] = lap.Forbidden
			if d := dist(i, j); d <= radius {
				cost[r*cols+c] = d
			}
		}
	}
	out := make([]int, rows)
	var s lap.Solver
	s.Solve(cost, rows, cols, out)
	for r, c := range out {
		i, j := r, c
		if flip {
			i, j = c, r
		}
		if dist(i, j) <= radius {
			pair[i] = j
		}
	}
	return pair
}
