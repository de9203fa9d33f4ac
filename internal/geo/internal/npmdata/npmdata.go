// Package npmdata gives the base-data generators (landgen, areagen) their
// input — a file of an npm package, installed with the machine's npm into
// a temporary directory, or a local file —, writes their output
// atomically, so that go build never embeds a half-written file, and holds
// the ring helpers they share.
package npmdata

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Read returns the bytes of file inside the npm package spec
// (name@version), or of the local path when local is not empty. Gzip
// input (.gz) is decompressed. npm's output goes to log.
func Read(spec, file, local string, log io.Writer) ([]byte, string, error) {
	path := local
	if path == "" {
		dir, err := os.MkdirTemp("", "pharos-npm-")
		if err != nil {
			return nil, "", err
		}
		defer os.RemoveAll(dir)
		cmd := exec.Command("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, spec)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return nil, "", fmt.Errorf("npm install %s: %w", spec, err)
		}
		path = filepath.Join(dir, "node_modules", filepath.FromSlash(file))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, path, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, path, fmt.Errorf("%s: %w", path, err)
		}
		data, err = io.ReadAll(zr)
		if err != nil {
			return nil, path, fmt.Errorf("%s: %w", path, err)
		}
	}
	return data, path, nil
}

// WriteFile replaces path atomically.
func WriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".npmdata-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Dedupe drops repeated consecutive vertices of a ring and its closing
// vertex, in place of a copy.
func Dedupe[P comparable](ring []P) []P {
	out := ring[:0:0]
	for _, p := range ring {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}
