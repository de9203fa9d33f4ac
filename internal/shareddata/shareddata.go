// Package shareddata tells tests where the shared real data set is: the
// directory PHAROS_DATA names, or else ../shared/data beside the checkout
// (found from this file's place in the source tree, so that it is the same
// from every package's directory).
package shareddata

import (
	"os"
	"path/filepath"
	"runtime"
)

// Dir returns the shared data directory.
func Dir() string {
	if d := os.Getenv("PHAROS_DATA"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
}

// Path returns a file of the shared data set: Path("ais-nmea", name).
func Path(elem ...string) string {
	return filepath.Join(append([]string{Dir()}, elem...)...)
}
