package report

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"strings"
)

// htmlStyle keeps the page readable on a screen and printable.
const htmlStyle = `body{font-family:Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{color:#142850;font-size:1.9em;margin-bottom:.2em}h2{color:#142850;border-bottom:2px solid #142850;padding-bottom:.15em;margin-top:2em}
h3{color:#142850;margin-top:1.5em}.subtitle{color:#555;font-size:1.1em;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.85em;margin:.6em 0}th{background:#e1e6f0;color:#142850;text-align:left;padding:.25em .4em}
td{padding:.2em .4em;border-bottom:1px solid #eee}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
table.meta td{border:none;vertical-align:top}table.meta td:first-child{font-weight:bold;width:12em}
figure{margin:1em 0}figcaption,.caption{color:#555;font-style:italic;font-size:.85em}svg{display:block;max-width:100%;height:auto}
@media print{body{max-width:none}h2{page-break-before:auto}figure,table{page-break-inside:avoid}}`

// WriteHTML renders a document as one HTML page, its charts and maps
// inline SVG, every figure's cell marked with the figure's ID
// (data-fig), and a link to the annex CSV.
func WriteHTML(w io.Writer, doc *Doc) error {
	bw := bufio.NewWriter(w)
	esc := html.EscapeString
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>\n%s\n</style>\n</head>\n<body>\n",
		esc(doc.Title), htmlStyle)
	fmt.Fprintf(bw, "<h1>%s</h1>\n", esc(doc.Title))
	if doc.Subtitle != "" {
		fmt.Fprintf(bw, "<p class=\"subtitle\">%s</p>\n", esc(doc.Subtitle))
	}
	bw.WriteString("<table class=\"meta\">\n")
	for _, kv := range doc.Meta {
		fmt.Fprintf(bw, "<tr><td>%s</td><td>%s</td></tr>\n", esc(kv[0]), esc(kv[1]))
	}
	if doc.Annex != "" {
		fmt.Fprintf(bw, "<tr><td>Annex</td><td><a href=\"%s\">%s</a></td></tr>\n", esc(doc.Annex), esc(doc.Annex))
	}
	bw.WriteString("</table>\n")
	ids := 0
	for _, b := range doc.Blocks {
		switch {
		case b.PageBreak:
		case b.Heading != "":
			fmt.Fprintf(bw, "<h%d>%s</h%d>\n", b.Level+1, esc(b.Heading), b.Level+1)
		case b.Text != "":
			fmt.Fprintf(bw, "<p>%s</p>\n", esc(b.Text))
		case len(b.Items) > 0:
			bw.WriteString("<ul>\n")
			for _, it := range b.Items {
				fmt.Fprintf(bw, "<li>%s</li>\n", esc(it))
			}
			bw.WriteString("</ul>\n")
		case b.Table != nil:
			writeHTMLTable(bw, b.Table)
			if b.Caption != "" {
				fmt.Fprintf(bw, "<p class=\"caption\">%s</p>\n", esc(b.Caption))
			}
		case b.Graphic != nil:
			bw.WriteString("<figure>\n")
			bw.WriteString(svgOf(b.Graphic, &ids))
			if b.Caption != "" {
				fmt.Fprintf(bw, "\n<figcaption>%s</figcaption>", esc(b.Caption))
			}
			bw.WriteString("\n</figure>\n")
		}
	}
	bw.WriteString("</body>\n</html>\n")
	return bw.Flush()
}

func writeHTMLTable(w *bufio.Writer, t *Table) {
	num := func(i int) bool { return i < len(t.Numeric) && t.Numeric[i] }
	w.WriteString("<table>\n<tr>")
	for i, h := range t.Head {
		if num(i) {
			fmt.Fprintf(w, "<th class=\"n\">%s</th>", html.EscapeString(h))
		} else {
			fmt.Fprintf(w, "<th>%s</th>", html.EscapeString(h))
		}
	}
	w.WriteString("</tr>\n")
	for _, row := range t.Rows {
		w.WriteString("<tr>")
		for i, c := range row {
			var attrs []string
			if num(i) {
				attrs = append(attrs, `class="n"`)
			}
			if c.Fig != nil {
				attrs = append(attrs, fmt.Sprintf(`data-fig="%s"`, c.Fig.ID))
			}
			s := html.EscapeString(c.String())
			if c.Bold {
				s = "<b>" + s + "</b>"
			}
			if len(attrs) > 0 {
				fmt.Fprintf(w, "<td %s>%s</td>", strings.Join(attrs, " "), s)
			} else {
				fmt.Fprintf(w, "<td>%s</td>", s)
			}
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</table>\n")
}

// WriteMarkdown renders a document as Markdown text: the tables and
// words of the other formats, graphics named by their captions.
func WriteMarkdown(w io.Writer, doc *Doc) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", doc.Title)
	if doc.Subtitle != "" {
		fmt.Fprintf(bw, "%s\n\n", doc.Subtitle)
	}
	for _, kv := range doc.Meta {
		fmt.Fprintf(bw, "- **%s**: %s\n", kv[0], kv[1])
	}
	if doc.Annex != "" {
		fmt.Fprintf(bw, "- **Annex**: %s\n", doc.Annex)
	}
	bw.WriteString("\n")
	for _, b := range doc.Blocks {
		switch {
		case b.PageBreak:
		case b.Heading != "":
			fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", b.Level+1), b.Heading)
		case b.Text != "":
			fmt.Fprintf(bw, "%s\n\n", b.Text)
		case len(b.Items) > 0:
			for _, it := range b.Items {
				fmt.Fprintf(bw, "- %s\n", it)
			}
			bw.WriteString("\n")
		case b.Table != nil:
			t := b.Table
			fmt.Fprintf(bw, "| %s |\n|", strings.Join(t.Head, " | "))
			for i := range t.Head {
				if i < len(t.Numeric) && t.Numeric[i] {
					bw.WriteString("---:|")
				} else {
					bw.WriteString("---|")
				}
			}
			bw.WriteString("\n")
			for _, row := range t.Rows {
				cells := make([]string, len(t.Head))
				for i := range cells {
					if i < len(row) {
						cells[i] = strings.ReplaceAll(row[i].String(), "|", "/")
					}
				}
				fmt.Fprintf(bw, "| %s |\n", strings.Join(cells, " | "))
			}
			bw.WriteString("\n")
			if b.Caption != "" {
				fmt.Fprintf(bw, "*%s*\n\n", b.Caption)
			}
		case b.Graphic != nil:
			fmt.Fprintf(bw, "[graphic %.0f × %.0f] %s\n\n", b.Graphic.W, b.Graphic.H, b.Caption)
		}
	}
	return bw.Flush()
}

// Format is an output format, chosen by the file's extension.
type Format string

// Formats the reports are written in.
const (
	FormatPDF      Format = "pdf"
	FormatHTML     Format = "html"
	FormatMarkdown Format = "md"
)

// FormatOf chooses the format of a file by its extension: .pdf, .html
// (.htm) or .md.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pdf":
		return FormatPDF, nil
	case ".html", ".htm":
		return FormatHTML, nil
	case ".md":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("%w: %s: want a .pdf, .html or .md file", ErrOptions, path)
}

// Write renders a document in a format.
func Write(w io.Writer, doc *Doc, f Format) error {
	switch f {
	case FormatPDF:
		return WritePDF(w, doc)
	case FormatHTML:
		return WriteHTML(w, doc)
	case FormatMarkdown:
		return WriteMarkdown(w, doc)
	}
	return fmt.Errorf("%w: format %q", ErrOptions, f)
}
