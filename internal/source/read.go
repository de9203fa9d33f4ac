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
