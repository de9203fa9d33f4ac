package geotiff

import (
	"encoding/binary"
	"math"
)

var (
	le = binary.LittleEndian
	be = binary.BigEndian
)

// convert turns len(out) samples of src, step bytes apart, into float32.
// The loops are written out per type and byte order: this is the inner
// loop of reading a scene.
func convert(out []float32, src []byte, t SampleType, step int, little bool) {
	switch t {
	case Uint8:
		for i := range out {
			out[i] = float32(src[i*step])
		}
	case Int8:
		for i := range out {
			out[i] = float32(int8(src[i*step]))
		}
	case Uint16:
		if little {
			for i := range out {
				out[i] = float32(le.Uint16(src[i*step:]))
			}
		} else {
			for i := range out {
				out[i] = float32(be.Uint16(src[i*step:]))
			}
		}
	case Int16:
		if little {
			for i := range out {
				out[i] = float32(int16(le.Uint16(src[i*step:])))
			}
		} else {
			for i := range out {
				out[i] = float32(int16(be.Uint16(src[i*step:])))
			}
		}
	case Uint32, Int32, Float32:
		for i := range out {
			var u uint32
			if little {
				u = le.Uint32(src[i*step:])
			} else {
				u = be.Uint32(src[i*step:])
			}
			switch t {
			case Uint32:
				out[i] = float32(u)
			case Int32:
				out[i] = float32(int32(u))
			default:
				out[i] = math.Float32frombits(u)
			}
		}
	case Uint64, Int64, Float64:
		for i := range out {
			var u uint64
			if little {
				u = le.Uint64(src[i*step:])
			} else {
				u = be.Uint64(src[i*step:])
			}
			switch t {
			case Uint64:
				out[i] = float32(u)
			case Int64:
				out[i] = float32(int64(u))
			default:
				out[i] = float32(math.Float64frombits(u))
			}
		}
	case CInt16, CInt32, CFloat32, CFloat64:
		half := step
		switch t {
		case CInt16:
			half = 2
		case CInt32, CFloat32:
			half = 4
		case CFloat64:
			half = 8
		}
		for i := range out {
			re := component(src[i*step:], t, little)
			im := component(src[i*step+half:], t, little)
			out[i] = float32(math.Hypot(re, im))
		}
	}
}

// component reads the real or imaginary part of a complex sample.
func component(b []byte, t SampleType, little bool) float64 {
	var o binary.ByteOrder = be
	if little {
		o = le
	}
	switch t {
	case CInt16:
		return float64(int16(o.Uint16(b)))
	case CInt32:
		return float64(int32(o.Uint32(b)))
	case CFloat32:
		return float64(math.Float32frombits(o.Uint32(b)))
	default:
		return math.Float64frombits(o.Uint64(b))
	}
}

// undoHorizontal undoes TIFF predictor 2: each sample was stored as its
// difference from the same band of the pixel before (stride samples back),
// modulo its width.
func undoHorizontal(b []byte, stride, size int, little bool) {
	n := len(b) / size
	switch size {
	case 1:
		for i := stride; i < n; i++ {
			b[i] += b[i-stride]
		}
	case 2:
		if little {
			for i := stride; i < n; i++ {
				le.PutUint16(b[2*i:], le.Uint16(b[2*i:])+le.Uint16(b[2*(i-stride):]))
			}
		} else {
			for i := stride; i < n; i++ {
				be.PutUint16(b[2*i:], be.Uint16(b[2*i:])+be.Uint16(b[2*(i-stride):]))
			}
		}
	case 4:
		var o binary.ByteOrder = be
		if little {
			o = le
		}
		for i := stride; i < n; i++ {
			o.PutUint32(b[4*i:], o.Uint32(b[4*i:])+o.Uint32(b[4*(i-stride):]))
		}
	case 8:
		var o binary.ByteOrder = be
		if little {
			o = le
		}
		for i := stride; i < n; i++ {
			o.PutUint64(b[8*i:], o.Uint64(b[8*i:])+o.Uint64(b[8*(i-stride):]))
		}
	}
}

// undoFloat undoes TIFF predictor 3 (Adobe's floating-point predictor):
// the row's bytes were regrouped by significance (all most significant
// bytes first) and then differenced byte by byte, stride bytes back. The
// samples are put back in the file's byte order.
func undoFloat(b, tmp []byte, stride, size int, little bool) {
	for i := stride; i < len(b); i++ {
		b[i] += b[i-stride]
	}
	copy(tmp, b)
	wc := len(b) / size
	for i := range wc {
		for k := range size {
			if little {
				b[i*size+size-1-k] = tmp[k*wc+i]
			} else {
				b[i*size+k] = tmp[k*wc+i]
			}
		}
	}
}
