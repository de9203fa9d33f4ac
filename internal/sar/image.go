package sar

import (
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // chips come as JPEG (SSDD) or PNG
	_ "image/png"
	"io"
)

// ErrEmptyImage is returned for an image with no pixels.
var ErrEmptyImage = errors.New("empty image")

// Grid is a row-major grid of float32 values: the backscatter amplitude of
// a chip or of a piece of a scene, one value per pixel (a chip's 8-bit
// grey level, 0–255, or a scene's digital number).
type Grid struct {
	W, H int
	Pix  []float32
	// Land, when not nil, marks the pixels that are not sea (one per
	// pixel): they are neither detected nor counted as clutter.
	Land []bool
}

// NewGrid returns a zero grid of w×h pixels.
func NewGrid(w, h int) *Grid {
	return &Grid{W: w, H: h, Pix: make([]float32, w*h)}
}

// At returns the value at column x, row y.
func (g *Grid) At(x, y int) float32 { return g.Pix[y*g.W+x] }

// Set sets the value at column x, row y.
func (g *Grid) Set(x, y int, v float32) { g.Pix[y*g.W+x] = v }

// FromImage converts an image to a grid of grey levels. SAR chips are
// single-band; a chip stored as RGB (as SSDD's JPEGs are) has equal bands,
// and the luminance is taken in any case.
func FromImage(img image.Image) (*Grid, error) {
	b := img.Bounds()
	if b.Empty() {
		return nil, ErrEmptyImage
	}
	g := NewGrid(b.Dx(), b.Dy())
	switch im := img.(type) {
	case *image.Gray:
		for y := 0; y < g.H; y++ {
			row := im.Pix[y*im.Stride : y*im.Stride+g.W]
			for x, v := range row {
				g.Pix[y*g.W+x] = float32(v)
			}
		}
	default:
		for y := 0; y < g.H; y++ {
			for x := 0; x < g.W; x++ {
				r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				// Rec. 601 luma on 16-bit channels, back to 0–255.
				l := (19595*r + 38470*gg + 7471*bb + 1<<15) >> 24
				g.Pix[y*g.W+x] = float32(l)
			}
		}
	}
	return g, nil
}

// ReadChip decodes a JPEG or PNG chip into a grid.
func ReadChip(r io.Reader) (*Grid, error) {
	img, _, err := image.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("decode chip: %w", err)
	}
	return FromImage(img)
}
