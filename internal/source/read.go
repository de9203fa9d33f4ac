package source

import (
	"errors"
	"io"
)

// fileBufSize is the block ReadLines reads at a time: large enough that a
// file costs few system calls, and the split runs over memory in cache.
const fileBufSize = 256 << 10

// ReadLines reads r to its end and hands each line to fn, with the same
// contract as the network inputs (no line ending, valid only during the
// call, lines over DefaultMaxLine dropped). It returns the number of lines
// dropped.
func ReadLines(r io.Reader, fn LineFunc) (dropped int, err error) {
	sp := newSplitter(DefaultMaxLine)
	buf := make([]byte, fileBufSize)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			_, d := sp.split(buf[:n], fn)
			dropped += d
		}
		if errors.Is(err, io.EOF) {
			if sp.flush(fn) < 0 {
				dropped++
			}
			return dropped, nil
		}
		if err != nil {
			return dropped, err
		}
	}
}

// EachLine hands every line of a block of complete lines to fn, with the
// same contract as ReadLines, and returns the number of lines dropped. The
// lines alias block.
func EachLine(block []byte, fn LineFunc) (dropped int) {
	sp := splitter{max: DefaultMaxLine}
	_, dropped = sp.split(block, fn)
	if sp.flush(fn) < 0 {
		dropped++
	}
	return dropped
}

// ReadBlocks reads r in blocks of about size bytes and hands each to fn in
// order. A block ends where cut says: cut gets the block read so far (whole
// lines and maybe a partial last one) and returns how many of its bytes
// form the block; the rest starts the next one. A cut of 0 grows the block
// instead. Buffers come from get (nil: allocate), which returns an empty
// slice with at least the capacity asked; fn owns the block it is given and
// may hand its buffer back to whatever get draws from.
func ReadBlocks(r io.Reader, size int, get func(capacity int) []byte, cut func([]byte) int, fn func([]byte)) error {
	if get == nil {
		get = func(c int) []byte { return make([]byte, 0, c) }
	}
	buf := get(size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow: no cut found in a whole block
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			if len(buf) > 0 {
				fn(buf)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if len(buf) < cap(buf) {
			continue
		}
		if k := cut(buf); k > 0 {
			next := append(get(max(size, 2*(len(buf)-k))), buf[k:]...)
			fn(buf[:k])
			buf = next
		}
	}
}
