package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Page layout of the PDF, millimetres (A4 portrait).
const (
	pdfMargin = 15.0
	pdfWidth  = 210.0 - 2*pdfMargin
)

// WritePDF renders a document as PDF, with the annex CSV attached.
func WritePDF(w io.Writer, doc *Doc) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfMargin+5)
	pdf.SetCreationDate(doc.Time)
	pdf.SetModificationDate(doc.Time)
	pdf.SetTitle(doc.Title, true)
	pdf.SetSubject(doc.Subtitle, true)
	pdf.SetCreator("Pharos", true)
	pdf.SetProducer("Pharos (go-pdf/fpdf)", true)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true) // resources in a fixed order: the same data, the same bytes
	pdf.AliasNbPages("{nb}")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252 for the core fonts
	p := &pdfDoc{pdf: pdf, tr: func(s string) string { return tr(pdfSafe.Replace(s)) }}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-pdfMargin)
		pdf.SetFont("Helvetica", "", 7)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(pdfWidth/2, 4, p.tr(doc.Title), "", 0, "L", false, 0, "")
		pdf.CellFormat(pdfWidth/2, 4, fmt.Sprintf("page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	if doc.Figures != nil && doc.Annex != "" {
		var csv bytes.Buffer
		if err := doc.Figures.WriteCSV(&csv); err != nil {
			return err
		}
		pdf.SetAttachments([]fpdf.Attachment{{Content: csv.Bytes(), Filename: doc.Annex,
			Description: "every figure of the report, with its query"}})
	}
	pdf.AddPage()
	p.title(doc)
	for _, b := range doc.Blocks {
		p.block(b)
		if pdf.Err() {
			return pdf.Error()
		}
	}
	return pdf.Output(w)
}

// pdfSafe replaces the characters the core fonts' code page lacks.
var pdfSafe = strings.NewReplacer("→", "->", "≥", ">=", "≤", "<=", "−", "-", "’", "'", "‘", "'", "Σ", "sum")

type pdfDoc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

func (p *pdfDoc) title(doc *Doc) {
	pdf := p.pdf
	pdf.SetTextColor(20, 40, 80)
	pdf.SetFont("Helvetica", "B", 18)
	pdf.MultiCell(pdfWidth, 8, p.tr(doc.Title), "", "L", false)
	if doc.Subtitle != "" {
		pdf.SetFont("Helvetica", "", 11)
		pdf.SetTextColor(60, 60, 60)
		pdf.MultiCell(pdfWidth, 5.5, p.tr(doc.Subtitle), "", "L", false)
	}
	pdf.Ln(2)
	pdf.SetDrawColor(20, 40, 80)
	pdf.SetLineWidth(0.5)
	pdf.Line(pdfMargin, pdf.GetY(), pdfMargin+pdfWidth, pdf.GetY())
	pdf.Ln(2)
	pdf.SetTextColor(30, 30, 30)
	for _, kv := range doc.Meta {
		pdf.SetFont("Helvetica", "B", 8.5)
		pdf.CellFormat(38, 4.2, p.tr(kv[0]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 8.5)
		pdf.MultiCell(pdfWidth-38, 4.2, p.tr(kv[1]), "", "L", false)
	}
	pdf.Ln(2)
}

func (p *pdfDoc) block(b Block) {
	pdf := p.pdf
	pdf.SetTextColor(30, 30, 30)
	switch {
	case b.PageBreak:
		pdf.AddPage()
	case b.Heading != "":
		size, h := 14.0, 7.0
		if b.Level > 1 {
			size, h = 11, 5.5
		}
		p.need(h + 20) // keep a heading with what follows
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", size)
		pdf.SetTextColor(20, 40, 80)
		pdf.Bookmark(p.tr(b.Heading), b.Level-1, -1)
		pdf.MultiCell(pdfWidth, h, p.tr(b.Heading), "", "L", false)
		pdf.Ln(1)
	case b.Text != "":
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(pdfWidth, 4.3, p.tr(b.Text), "", "L", false)
		pdf.Ln(1.5)
	case len(b.Items) > 0:
		pdf.SetFont("Helvetica", "", 9)
		for _, it := range b.Items {
			p.need(4.3)
			pdf.SetX(pdfMargin + 2)
			pdf.CellFormat(4, 4.3, p.tr("•"), "", 0, "L", false, 0, "")
			pdf.MultiCell(pdfWidth-6, 4.3, p.tr(it), "", "L", false)
			pdf.Ln(0.6)
		}
		pdf.Ln(1)
	case b.Table != nil:
		p.table(b.Table)
		p.caption(b.Caption)
	case b.Graphic != nil:
		g := b.Graphic
		k := pdfWidth / g.W
		h := g.H * k
		p.need(h + 6)
		y := pdf.GetY()
		g.Draw(&pdfCanvas{pdf: pdf, tr: p.tr, ox: pdfMargin, oy: y, k: k})
		pdf.SetAlpha(1, "Normal")
		pdf.SetY(y + h + 1)
		p.caption(b.Caption)
	}
}

// need starts a new page unless h millimetres are left on this one.
func (p *pdfDoc) need(h float64) {
	_, ph := p.pdf.GetPageSize()
	if p.pdf.GetY()+h > ph-pdfMargin-5 {
		p.pdf.AddPage()
	}
}

func (p *pdfDoc) caption(s string) {
	if s == "" {
		return
	}
	pdf := p.pdf
	pdf.SetFont("Helvetica", "I", 7.5)
	pdf.SetTextColor(80, 80, 80)
	pdf.MultiCell(pdfWidth, 3.6, p.tr(s), "", "L", false)
	pdf.SetTextColor(30, 30, 30)
	pdf.Ln(2)
}

func (p *pdfDoc) table(t *Table) {
	pdf := p.pdf
	n := len(t.Head)
	widths := make([]float64, n)
	var sum float64
	for i := range widths {
		widths[i] = 1
		if i < len(t.Widths) {
			widths[i] = t.Widths[i]
		}
		sum += widths[i]
	}
	for i := range widths {
		widths[i] *= pdfWidth / sum
	}
	const rowH = 4.6
	head := func() {
		pdf.SetFont("Helvetica", "B", 7.5)
		pdf.SetFillColor(225, 230, 240)
		pdf.SetTextColor(20, 40, 80)
		for i, h := range t.Head {
			pdf.CellFormat(widths[i], rowH+0.6, p.fit(h, widths[i]), "B", 0, p.align(t, i), true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetTextColor(30, 30, 30)
	}
	p.need(3 * rowH)
	head()
	for r, row := range t.Rows {
		_, ph := pdf.GetPageSize()
		if pdf.GetY()+rowH > ph-pdfMargin-5 {
			pdf.AddPage()
			head()
		}
		fill := r%2 == 1
		pdf.SetFillColor(246, 247, 250)
		for i := range n {
			c := Cell{}
			if i < len(row) {
				c = row[i]
			}
			style := ""
			if c.Bold {
				style = "B"
			}
			pdf.SetFont("Helvetica", style, 7.5)
			pdf.CellFormat(widths[i], rowH, p.fit(c.String(), widths[i]), "", 0, p.align(t, i), fill, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetDrawColor(180, 180, 180)
	pdf.SetLineWidth(0.2)
	pdf.Line(pdfMargin, pdf.GetY(), pdfMargin+pdfWidth, pdf.GetY())
	pdf.Ln(1)
}

func (p *pdfDoc) align(t *Table, i int) string {
	if i < len(t.Numeric) && t.Numeric[i] {
		return "R"
	}
	return "L"
}

// fit translates s and shortens it with an ellipsis to the width.
func (p *pdfDoc) fit(s string, w float64) string {
	s = p.tr(s)
	w -= 2 // the cell's padding
	if p.pdf.GetStringWidth(s) <= w {
		return s
	}
	ell := p.tr("…")
	for len(s) > 0 && p.pdf.GetStringWidth(s+ell) > w {
		s = s[:len(s)-1]
	}
	return s + ell
}

// pdfCanvas draws a graphic on the page at (ox, oy), k millimetres a
// unit.
type pdfCanvas struct {
	pdf    *fpdf.Fpdf
	tr     func(string) string
	ox, oy float64
	k      float64
}

func (c *pdfCanvas) x(v float64) float64 { return c.ox + v*c.k }
func (c *pdfCanvas) y(v float64) float64 { return c.oy + v*c.k }

func rgb(hex string) (int, int, int) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, 0, 0
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, 0, 0
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

// set prepares the colours and returns fpdf's style: "F", "D" or "FD",
// with "*" for even-odd when evenOdd.
func (c *pdfCanvas) set(st style, evenOdd bool) string {
	op := ""
	if st.Fill != "" {
		c.pdf.SetFillColor(rgb(st.Fill))
		op += "F"
	}
	if st.Stroke != "" {
		c.pdf.SetDrawColor(rgb(st.Stroke))
		c.pdf.SetLineWidth(max(st.Width, 0.1) * c.k)
		if st.Dash {
			c.pdf.SetDashPattern([]float64{4 * c.k, 3 * c.k}, 0)
		} else {
			c.pdf.SetDashPattern(nil, 0)
		}
		op += "D"
	}
	a := 1.0
	if st.Opacity > 0 && st.Opacity < 1 {
		a = st.Opacity
	}
	c.pdf.SetAlpha(a, "Normal")
	if evenOdd && op != "" && op != "D" {
		op += "*"
	}
	return op
}

func (c *pdfCanvas) Rect(x, y, w, h float64, st style) {
	if op := c.set(st, false); op != "" {
		c.pdf.Rect(c.x(x), c.y(y), w*c.k, h*c.k, op)
	}
}

func (c *pdfCanvas) Line(x1, y1, x2, y2 float64, st style) {
	st.Fill = ""
	if c.set(st, false) != "" {
		c.pdf.Line(c.x(x1), c.y(y1), c.x(x2), c.y(y2))
	}
}

func (c *pdfCanvas) Polyline(pts [][2]float64, st style) {
	st.Fill = ""
	if len(pts) < 2 || c.set(st, false) == "" {
		return
	}
	c.pdf.MoveTo(c.x(pts[0][0]), c.y(pts[0][1]))
	for _, p := range pts[1:] {
		c.pdf.LineTo(c.x(p[0]), c.y(p[1]))
	}
	c.pdf.DrawPath("D")
}

func (c *pdfCanvas) Path(rings [][][2]float64, st style) {
	op := c.set(st, true)
	if op == "" {
		return
	}
	drawn := false
	for _, r := range rings {
		if len(r) < 2 {
			continue
		}
		c.pdf.MoveTo(c.x(r[0][0]), c.y(r[0][1]))
		for _, p := range r[1:] {
			c.pdf.LineTo(c.x(p[0]), c.y(p[1]))
		}
		c.pdf.ClosePath()
		drawn = true
	}
	if drawn {
		c.pdf.DrawPath(op)
	}
}

func (c *pdfCanvas) Circle(x, y, r float64, st style) {
	if op := c.set(st, false); op != "" {
		c.pdf.Circle(c.x(x), c.y(y), r*c.k, op)
	}
}

func (c *pdfCanvas) Text(x, y float64, s string, ts textStyle) {
	style := ""
	if ts.Bold {
		style += "B"
	}
	if ts.Italic {
		style += "I"
	}
	c.pdf.SetAlpha(1, "Normal")
	c.pdf.SetFont("Helvetica", style, ts.Size*c.k/0.3528) // units → mm → points
	color := ts.Color
	if color == "" {
		color = "#222222"
	}
	c.pdf.SetTextColor(rgb(color))
	s = c.tr(s)
	px := c.x(x)
	switch ts.Anchor {
	case anchorMiddle:
		px -= c.pdf.GetStringWidth(s) / 2
	case anchorEnd:
		px -= c.pdf.GetStringWidth(s)
	}
	c.pdf.Text(px, c.y(y), s)
}

func (c *pdfCanvas) Clip(x, y, w, h float64) {
	c.pdf.ClipRect(c.x(x), c.y(y), w*c.k, h*c.k, false)
}

func (c *pdfCanvas) Unclip() { c.pdf.ClipEnd() }
