package geotiff

import (
	"bufio"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// reader holds what ReadRows keeps between calls: the decompressor of the
// strip being read (so reading down a compressed strip band by band
// decodes it once) and the decoded row of tiles last used.
type reader struct {
	block int       // strip or tile being decompressed, -1 none
	row   int       // rows of it already decoded
	src   io.Reader // its decompressed bytes
	br    *bufio.Reader
	zr    io.ReadCloser
	lzw   *lzwReader
	pb    packBitsReader
	buf   []byte // stored rows: a few of a strip, or one tile
	tmp   []byte // scratch for the floating-point predictor

	tileRow int // row of tiles in cache, -1 none
	cache   []float32
}

// directChunk is how many bytes of uncompressed rows one ReadAt fetches.
const directChunk = 1 << 20

// ReadRows reads rows [y0, y1) of band 1 into dst, row after row, as
// float32; dst must hold (y1-y0)·Width values. Only the strips or tiles
// holding those rows are read: an uncompressed strip's rows directly, a
// compressed strip through a decompressor kept open, so that reading a
// scene top to bottom in bands decodes each strip once (going back up
// within a compressed strip decodes it again from its start); tiles a row
// of tiles at a time, the last row kept. Memory stays O(block row),
// never O(image).
func (im *Image) ReadRows(y0, y1 int, dst []float32) error {
	if y0 < 0 || y1 > im.Height || y0 > y1 {
		return fmt.Errorf("%w: rows [%d, %d) of a %d-row image", ErrRange, y0, y1, im.Height)
	}
	if n := (y1 - y0) * im.Width; len(dst) < n {
		return fmt.Errorf("%w: %d values for %d rows of %d", ErrRange, len(dst), y1-y0, im.Width)
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.Tiled {
		return im.readTiled(y0, y1, dst)
	}
	w := im.Width
	for y := y0; y < y1; {
		s := y / im.BlockHeight
		end := min(y1, (s+1)*im.BlockHeight)
		out := dst[(y-y0)*w : (end-y0)*w]
		var err error
		switch {
		case im.sparse(s):
			im.fill(out)
		case im.Compression == None:
			err = im.readDirect(s, y-s*im.BlockHeight, end-y, out)
		default:
			err = im.readStream(s, y-s*im.BlockHeight, end-y, out)
		}
		if err != nil {
			return err
		}
		y = end
	}
	return nil
}

func (im *Image) fill(out []float32) {
	v := float32(0)
	if im.HasNoData {
		v = float32(im.NoData)
	}
	for i := range out {
		out[i] = v
	}
}

// readDirect reads n rows of uncompressed strip s from row r on.
func (im *Image) readDirect(s, r, n int, out []float32) error {
	rb := im.rowBytes
	k := max(1, directChunk/rb)
	if len(im.rd.buf) < min(k, n)*rb {
		im.rd.buf = make([]byte, min(k, n)*rb)
	}
	for i := 0; i < n; i += k {
		m := min(k, n-i)
		b := im.rd.buf[:m*rb]
		off := int64(im.offsets[s]) + int64(r+i)*int64(rb)
		if err := readAt(im.r, b, off); err != nil {
			return fmt.Errorf("read strip %d: %w", s, err)
		}
		for j := range m {
			im.decodeRow(out[(i+j)*im.Width:(i+j+1)*im.Width], b[j*rb:(j+1)*rb])
		}
	}
	return nil
}

// readStream reads n rows of compressed strip s from row r on.
func (im *Image) readStream(s, r, n int, out []float32) error {
	rd := &im.rd
	if rd.block != s || rd.row > r {
		if err := im.open(s); err != nil {
			return err
		}
	}
	rb := im.rowBytes
	if len(rd.buf) < rb {
		rd.buf = make([]byte, rb)
	}
	b := rd.buf[:rb]
	for rd.row < r+n {
		if _, err := io.ReadFull(rd.src, b); err != nil {
			rows := im.blockRows(s)
			rd.block = -1
			return im.decodeErr("strip", s, fmt.Sprintf("after %d of %d rows", rd.row, rows), err)
		}
		if rd.row >= r {
			i := rd.row - r
			im.decodeRow(out[i*im.Width:(i+1)*im.Width], b)
		}
		rd.row++
	}
	return nil
}

func (im *Image) decodeErr(kind string, i int, where string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s %s %d ends %s", ErrMalformed, im.Compression, kind, i, where)
	}
	if errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnsupported) {
		return fmt.Errorf("decode %s %d: %w", kind, i, err)
	}
	return fmt.Errorf("%w: decode %s %d (%s): %w", ErrMalformed, kind, i, im.Compression, err)
}

// open starts decompressing block i.
func (im *Image) open(i int) error {
	rd := &im.rd
	rd.block, rd.row = -1, 0
	sec := io.NewSectionReader(im.r, int64(im.offsets[i]), int64(im.counts[i]))
	if rd.br == nil {
		rd.br = bufio.NewReaderSize(sec, 64<<10)
	} else {
		rd.br.Reset(sec)
	}
	kind := "strip"
	if im.Tiled {
		kind = "tile"
	}
	switch im.Compression {
	case Deflate, DeflateOld:
		var err error
		if rd.zr == nil {
			rd.zr, err = zlib.NewReader(rd.br)
		} else {
			err = rd.zr.(zlib.Resetter).Reset(rd.br, nil)
		}
		if err != nil {
			rd.zr = nil
			return im.decodeErr(kind, i, "in its header", err)
		}
		rd.src = rd.zr
	case LZW:
		if rd.lzw == nil {
			rd.lzw = new(lzwReader)
		}
		rd.lzw.reset(rd.br)
		rd.src = rd.lzw
	case PackBits:
		rd.pb.reset(rd.br)
		rd.src = &rd.pb
	default:
		return fmt.Errorf("%w: compression %s", ErrUnsupported, im.Compression)
	}
	rd.block = i
	return nil
}

// readTiled reads rows [y0, y1) through the cache of one row of tiles.
func (im *Image) readTiled(y0, y1 int, dst []float32) error {
	w := im.Width
	for y := y0; y < y1; {
		tr := y / im.BlockHeight
		if im.rd.cache == nil || im.rd.tileRow != tr {
			if err := im.loadTileRow(tr); err != nil {
				im.rd.tileRow = -1
				return err
			}
		}
		end := min(y1, (tr+1)*im.BlockHeight)
		r := y - tr*im.BlockHeight
		copy(dst[(y-y0)*w:(end-y0)*w], im.rd.cache[r*w:(r+end-y)*w])
		y = end
	}
	return nil
}

// loadTileRow decodes band 1 of row tr of tiles into the cache.
func (im *Image) loadTileRow(tr int) error {
	rd := &im.rd
	w, tw, th := im.Width, im.BlockWidth, im.BlockHeight
	rows := min(th, im.Height-tr*th) // of the image in this row of tiles
	if rd.cache == nil {
		rd.cache = make([]float32, th*w)
	}
	tb := th * im.rowBytes
	if len(rd.buf) < tb {
		rd.buf = make([]byte, tb)
	}
	b := rd.buf[:tb]
	for tx := range im.across {
		t := tr*im.across + tx
		x0 := tx * tw
		cols := min(tw, w-x0)
		if im.sparse(t) {
			for r := range rows {
				im.fill(rd.cache[r*w+x0 : r*w+x0+cols])
			}
			continue
		}
		if im.Compression == None {
			if err := readAt(im.r, b, int64(im.offsets[t])); err != nil {
				return fmt.Errorf("read tile %d: %w", t, err)
			}
		} else {
			if err := im.open(t); err != nil {
				return err
			}
			if _, err := io.ReadFull(rd.src, b); err != nil {
				rd.block = -1
				return im.decodeErr("tile", t, "early", err)
			}
			rd.block = -1
		}
		for r := range rows {
			row := b[r*im.rowBytes : (r+1)*im.rowBytes]
			im.decodeRow(rd.cache[r*w+x0:r*w+x0+cols], row)
		}
	}
	rd.tileRow = tr
	return nil
}

// decodeRow undoes the predictor on one stored row and converts its band-1
// samples into out.
func (im *Image) decodeRow(out []float32, row []byte) {
	switch im.Predictor {
	case 2:
		undoHorizontal(row, im.stride, im.sampleBytes, im.littleEndianFile)
	case 3:
		if len(im.rd.tmp) < len(row) {
			im.rd.tmp = make([]byte, len(row))
		}
		undoFloat(row, im.rd.tmp[:len(row)], im.stride, im.sampleBytes, im.littleEndianFile)
	}
	convert(out, row, im.Type, im.stride*im.sampleBytes, im.littleEndianFile)
}
