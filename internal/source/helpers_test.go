package source

import (
	"os"
	"path/filepath"
	"pharos/internal/shareddata"
	"testing"
	"time"
)

// dataDir is the shared data set.
var dataDir = shareddata.Dir()

// dataFile returns the path of a shared data file; when it is absent the
// test is skipped, or fails under CI=true where the data must be present.
func dataFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(dataDir, rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared test data %s is absent (CI=true requires it): %v", p, err)
		}
		t.Skipf("shared test data %s is absent (see ../shared/data/README.md): %v", p, err)
	}
	return p
}

// within waits for ch to deliver, failing the test after d.
func within[T any](t *testing.T, d time.Duration, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatalf("timed out after %v waiting for %s", d, what)
		var zero T
		return zero
	}
}

// lineCollector is a LineFunc that copies each line onto a channel.
func lineCollector(n int) (LineFunc, chan string) {
	ch := make(chan string, n)
	return func(line []byte) { ch <- string(line) }, ch
}

// collect reads n lines from ch, failing the test after d.
func collect(t *testing.T, d time.Duration, ch <-chan string, n int) []string {
	t.Helper()
	deadline := time.After(d)
	var got []string
	for len(got) < n {
		select {
		case l := <-ch:
			got = append(got, l)
		case <-deadline:
			t.Fatalf("timed out after %v with %d of %d lines: %q", d, len(got), n, got)
		}
	}
	return got
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
