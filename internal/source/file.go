package source

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// Open opens path for reading; "-" means stdin, which Close leaves open.
// Gzip input is recognised by its magic bytes, not by the file name, because
// archives are often renamed or piped, and is decompressed transparently
// (concatenated gzip members are read as one stream).
func Open(path string) (io.ReadCloser, error) {
	return open(path, os.Stdin)
}

// open is Open with stdin passed in, so tests need not swap os.Stdin.
func open(path string, stdin io.Reader) (io.ReadCloser, error) {
	var (
		r io.Reader
		c io.Closer
	)
	if path == "-" {
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("source file: %w", err)
		}
		r, c = f, f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		closeQuietly(c)
		return nil, fmt.Errorf("source file %s: %w", path, err)
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeQuietly(c)
			return nil, fmt.Errorf("source file %s: gzip: %w", path, err)
		}
		return &file{Reader: zr, zr: zr, c: c}, nil
	}
	return &file{Reader: br, c: c}, nil
}

func closeQuietly(c io.Closer) {
	if c != nil {
		_ = c.Close()
	}
}

// file is what Open returns: the (maybe decompressed) reader plus what must
// be closed; c is nil for stdin.
type file struct {
	io.Reader
	zr *gzip.Reader
	c  io.Closer
}

func (f *file) Close() error {
	var err error
	if f.zr != nil {
		err = f.zr.Close()
	}
	if f.c != nil {
		if cerr := f.c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
