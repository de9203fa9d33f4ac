package ais

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"pharos/internal/shareddata"
	"testing"
)

// dataDir holds the project's shared real data (see DESIGN.md).
var dataDir = shareddata.Dir()

// openData opens a file of the shared data set, skipping the test when it
// is absent, except in CI where its absence is a failure.
func openData(t testing.TB, rel string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(dataDir, rel))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing in CI: %v", err)
		}
		t.Skipf("shared data not present (%v); it is expected at %s", err, dataDir)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// readLines returns the lines of a shared data file.
func readLines(t testing.TB, rel string) [][]byte {
	t.Helper()
	f := openData(t, rel)
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// readLinesOptional returns the lines of shared data files that exist, for
// seeding fuzz corpora (fuzzing also runs without them).
func readLinesOptional(rels ...string) [][]byte {
	var lines [][]byte
	for _, rel := range rels {
		b, err := os.ReadFile(filepath.Join(dataDir, rel))
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(b, []byte("\n")) {
			if len(line) > 0 {
				lines = append(lines, line)
			}
		}
	}
	return lines
}
