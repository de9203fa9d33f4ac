package report

import (
	"math"
)

// Colours of the crime types and of the impact levels of sections.
var crimeColors = map[Crime]string{
	HumanTrafficking: "#7b3294",
	HumanSmuggling:   "#e66101",
	IllicitGoods:     "#2c7bb6",
	OtherCrime:       "#4d9221",
	NotCrime:         "#999999",
}

var levelColors = [...]string{"#cccccc", "#1a9641", "#e6c619", "#f46d43", "#d7191c"}

// series is one series of a chart.
type series struct {
	Name   string
	Color  string
	Values []float64
}

// barChart is a bar chart of categories (months, hours…), its series
// stacked or side by side, with a line series drawn over the bars.
type barChart struct {
	Title      string
	Categories []string
	Series     []series
	Stacked    bool
	Line       *series
	// LabelEvery prints every nth category's label; default 1.
	LabelEvery int
	W, H       float64
}

func (bc barChart) graphic() *Graphic {
	if bc.W == 0 {
		bc.W, bc.H = 720, 260
	}
	return &Graphic{W: bc.W, H: bc.H, Draw: bc.draw}
}

// niceStep is a round step giving about n ticks up to top.
func niceStep(top float64, n int) float64 {
	if top <= 0 {
		return 1
	}
	raw := top / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return math.Max(m*mag, 1)
		}
	}
	return 10 * mag
}

func (bc barChart) draw(c canvas) {
	const left, right, top, bottom = 52.0, 12.0, 46.0, 24.0
	pw, ph := bc.W-left-right, bc.H-top-bottom
	c.Text(left, 14, bc.Title, textStyle{Size: 13, Bold: true})
	// Legend, right-aligned under the title.
	lx := bc.W - right
	legend := append([]series{}, bc.Series...)
	if bc.Line != nil {
		legend = append(legend, *bc.Line)
	}
	for i := len(legend) - 1; i >= 0; i-- {
		s := legend[i]
		w := float64(len([]rune(s.Name)))*5.6 + 16
		lx -= w
		if bc.Line != nil && i == len(legend)-1 {
			c.Line(lx, 28, lx+10, 28, style{Stroke: s.Color, Width: 2})
		} else {
			c.Rect(lx, 23, 10, 10, style{Fill: s.Color})
		}
		c.Text(lx+13, 32, s.Name, textStyle{Size: 10})
	}
	n := len(bc.Categories)
	if n == 0 {
		return
	}
	var maxV float64
	for i := range n {
		var stack float64
		for _, s := range bc.Series {
			if bc.Stacked {
				stack += s.Values[i]
			} else {
				stack = math.Max(stack, s.Values[i])
			}
		}
		maxV = math.Max(maxV, stack)
		if bc.Line != nil {
			maxV = math.Max(maxV, bc.Line.Values[i])
		}
	}
	step := niceStep(maxV, 5)
	yTop := math.Max(step, math.Ceil(maxV/step)*step)
	y := func(v float64) float64 { return top + ph - v/yTop*ph }
	for v := 0.0; v <= yTop+step/2; v += step {
		c.Line(left, y(v), left+pw, y(v), style{Stroke: "#dddddd", Width: 0.6})
		c.Text(left-6, y(v)+4, Num(int(v)), textStyle{Size: 10, Anchor: anchorEnd, Color: "#555555"})
	}
	slot := pw / float64(n)
	every := max(bc.LabelEvery, 1)
	for i, cat := range bc.Categories {
		x0 := left + float64(i)*slot
		if bc.Stacked {
			base := 0.0
			for _, s := range bc.Series {
				v := s.Values[i]
				if v > 0 {
					c.Rect(x0+slot*0.15, y(base+v), slot*0.7, y(base)-y(base+v), style{Fill: s.Color})
				}
				base += v
			}
		} else {
			bw := slot * 0.8 / float64(len(bc.Series))
			for k, s := range bc.Series {
				v := s.Values[i]
				if v > 0 {
					c.Rect(x0+slot*0.1+float64(k)*bw, y(v), bw*0.92, y(0)-y(v), style{Fill: s.Color})
				}
			}
		}
		if i%every == 0 {
			c.Text(x0+slot/2, top+ph+14, cat, textStyle{Size: 10, Anchor: anchorMiddle, Color: "#333333"})
		}
	}
	if bc.Line != nil {
		pts := make([][2]float64, n)
		for i := range n {
			pts[i] = [2]float64{left + (float64(i)+0.5)*slot, y(bc.Line.Values[i])}
		}
		c.Polyline(pts, style{Stroke: bc.Line.Color, Width: 2})
		for _, p := range pts {
			c.Circle(p[0], p[1], 2.5, style{Fill: bc.Line.Color})
		}
	}
	c.Line(left, top+ph, left+pw, top+ph, style{Stroke: "#444444", Width: 1})
}
