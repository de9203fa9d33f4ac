package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Doc is a report's content, which every format renders the same way:
// headings, paragraphs, lists, tables whose numbers are figures, and
// graphics (charts and maps) drawn by the program.
type Doc struct {
	Title    string
	Subtitle string
	// Meta are the report's particulars: originator, period, sources…
	Meta [][2]string
	// Time is the report's time (the end of its period): the PDF's
	// creation date, so that the same data gives the same bytes.
	Time   time.Time
	Blocks []Block
	// Figures are every figure the report gives; the annex CSV lists
	// them.
	Figures *Figures
	// Annex is the name of the annex CSV file, for links to it.
	Annex string
}

// Block is one piece of a document: set one of its fields.
type Block struct {
	Heading string // a heading, of Level 1 or 2
	Level   int
	Text    string   // a paragraph
	Items   []string // a list
	Table   *Table
	Graphic *Graphic
	// Caption goes under a table or a graphic.
	Caption string
	// PageBreak starts a new page in formats with pages.
	PageBreak bool
}

// Table is a table; a cell holding a figure prints its value.
type Table struct {
	Head []string
	Rows [][]Cell
	// Widths are the columns' relative widths; default equal.
	Widths []float64
	// Numeric marks the columns aligned right.
	Numeric []bool
}

// Cell is one cell of a table: a figure's value, or text (a change, a
// share, a name).
type Cell struct {
	Text string
	Fig  *Figure
	Bold bool
}

// String is what the cell prints.
func (c Cell) String() string {
	if c.Fig != nil {
		return Num(c.Fig.Value)
	}
	return c.Text
}

// Graphic is a chart or a map: a drawing on a canvas of W × H units.
type Graphic struct {
	W, H float64
	Draw func(c canvas)
}

// Num writes a count with thousands separated by commas.
func Num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Change writes the change from before to now: "+12 %", "−3 %", "new",
// "0 %", or "–" when both are zero.
func Change(now, before int) string {
	switch {
	case before == 0 && now == 0:
		return "–"
	case before == 0:
		return "new"
	}
	p := math.Round(100 * float64(now-before) / float64(before))
	switch {
	case p > 0:
		return fmt.Sprintf("+%.0f %%", p)
	case p < 0:
		return fmt.Sprintf("−%.0f %%", -p)
	}
	return "0 %"
}

// Share writes part of whole as a percentage.
func Share(part, whole int) string {
	if whole == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f %%", 100*float64(part)/float64(whole))
}

// doc helpers for the builders.
func (d *Doc) h1(s string) { d.Blocks = append(d.Blocks, Block{Heading: s, Level: 1}) }
func (d *Doc) h2(s string) { d.Blocks = append(d.Blocks, Block{Heading: s, Level: 2}) }
func (d *Doc) para(f string, a ...any) {
	d.Blocks = append(d.Blocks, Block{Text: fmt.Sprintf(f, a...)})
}
func (d *Doc) list(items []string) {
	if len(items) > 0 {
		d.Blocks = append(d.Blocks, Block{Items: items})
	}
}
func (d *Doc) table(t *Table, caption string) {
	d.Blocks = append(d.Blocks, Block{Table: t, Caption: caption})
}
func (d *Doc) graphic(g *Graphic, caption string) {
	d.Blocks = append(d.Blocks, Block{Graphic: g, Caption: caption})
}
func (d *Doc) pageBreak() { d.Blocks = append(d.Blocks, Block{PageBreak: true}) }

func fig(f *Figure) Cell { return Cell{Fig: f} }
func text(s string) Cell { return Cell{Text: s} }
func bold(s string) Cell { return Cell{Text: s, Bold: true} }
func change(a, b *Figure) Cell {
	return Cell{Text: Change(a.Value, b.Value)}
}
