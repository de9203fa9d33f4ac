package report

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// canvas is what charts and maps draw on: SVG for HTML, the PDF page for
// PDF. Coordinates are the graphic's units, x to the right and y down.
type canvas interface {
	Rect(x, y, w, h float64, st style)
	Line(x1, y1, x2, y2 float64, st style)
	Polyline(pts [][2]float64, st style)
	// Path fills and strokes rings, the even-odd rule deciding the
	// inside (so that lakes and holes stay open).
	Path(rings [][][2]float64, st style)
	Circle(x, y, r float64, st style)
	// Text writes s with its baseline at y, anchored at x by its start,
	// middle or end.
	Text(x, y float64, s string, ts textStyle)
	// Clip limits what is drawn until Unclip to a rectangle.
	Clip(x, y, w, h float64)
	Unclip()
}

// style is how a shape is filled and stroked; "" colours are none.
type style struct {
	Fill    string // "#rrggbb"
	Stroke  string
	Width   float64
	Opacity float64 // of the fill; 0 means 1
	Dash    bool
}

type anchor uint8

const (
	anchorStart anchor = iota
	anchorMiddle
	anchorEnd
)

// textStyle is how text is set.
type textStyle struct {
	Size   float64
	Bold   bool
	Italic bool
	Color  string
	Anchor anchor
}

// svgCanvas writes SVG elements.
type svgCanvas struct {
	b    *strings.Builder
	ids  *int // clip path numbering, unique in a page
	clip bool
}

func f2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func (s *svgCanvas) attrs(st style) string {
	var b strings.Builder
	if st.Fill == "" {
		b.WriteString(` fill="none"`)
	} else {
		fmt.Fprintf(&b, ` fill="%s"`, st.Fill)
		if st.Opacity > 0 && st.Opacity < 1 {
			fmt.Fprintf(&b, ` fill-opacity="%s"`, f2(st.Opacity))
		}
	}
	if st.Stroke != "" {
		fmt.Fprintf(&b, ` stroke="%s" stroke-width="%s"`, st.Stroke, f2(max(st.Width, 0.1)))
		if st.Dash {
			b.WriteString(` stroke-dasharray="4 3"`)
		}
	}
	return b.String()
}

func (s *svgCanvas) Rect(x, y, w, h float64, st style) {
	fmt.Fprintf(s.b, `<rect x="%s" y="%s" width="%s" height="%s"%s/>`+"\n", f2(x), f2(y), f2(w), f2(h), s.attrs(st))
}

func (s *svgCanvas) Line(x1, y1, x2, y2 float64, st style) {
	fmt.Fprintf(s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s"%s/>`+"\n", f2(x1), f2(y1), f2(x2), f2(y2), s.attrs(st))
}

func (s *svgCanvas) Polyline(pts [][2]float64, st style) {
	s.b.WriteString(`<polyline points="`)
	for i, p := range pts {
		if i > 0 {
			s.b.WriteByte(' ')
		}
		s.b.WriteString(f2(p[0]) + "," + f2(p[1]))
	}
	fmt.Fprintf(s.b, `"%s/>`+"\n", s.attrs(st))
}

func (s *svgCanvas) Path(rings [][][2]float64, st style) {
	s.b.WriteString(`<path fill-rule="evenodd" d="`)
	for _, r := range rings {
		for i, p := range r {
			if i == 0 {
				s.b.WriteByte('M')
			} else {
				s.b.WriteByte('L')
			}
			s.b.WriteString(f2(p[0]) + " " + f2(p[1]))
		}
		s.b.WriteByte('Z')
	}
	fmt.Fprintf(s.b, `"%s/>`+"\n", s.attrs(st))
}

func (s *svgCanvas) Circle(x, y, r float64, st style) {
	fmt.Fprintf(s.b, `<circle cx="%s" cy="%s" r="%s"%s/>`+"\n", f2(x), f2(y), f2(r), s.attrs(st))
}

func (s *svgCanvas) Text(x, y float64, txt string, ts textStyle) {
	anchor := [...]string{"start", "middle", "end"}[ts.Anchor]
	color := ts.Color
	if color == "" {
		color = "#222222"
	}
	weight := ""
	if ts.Bold {
		weight = ` font-weight="bold"`
	}
	if ts.Italic {
		weight += ` font-style="italic"`
	}
	fmt.Fprintf(s.b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s" fill="%s"%s>%s</text>`+"\n",
		f2(x), f2(y), f2(ts.Size), anchor, color, weight, html.EscapeString(txt))
}

func (s *svgCanvas) Clip(x, y, w, h float64) {
	*s.ids++
	id := fmt.Sprintf("clip%d", *s.ids)
	fmt.Fprintf(s.b, `<clipPath id="%s"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath><g clip-path="url(#%s)">`+"\n",
		id, f2(x), f2(y), f2(w), f2(h), id)
	s.clip = true
}

func (s *svgCanvas) Unclip() {
	if s.clip {
		s.b.WriteString("</g>\n")
		s.clip = false
	}
}

// svgOf draws a graphic as an SVG element.
func svgOf(g *Graphic, ids *int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" font-family="Helvetica, Arial, sans-serif">`+"\n",
		f2(g.W), f2(g.H))
	g.Draw(&svgCanvas{b: &b, ids: ids})
	b.WriteString("</svg>")
	return b.String()
}
