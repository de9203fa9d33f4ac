package npmdata

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestReadLocalAndWrite(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "land.json")
	if err := WriteFile(plain, []byte(`{"type":"Topology"}`)); err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(`{"type":"FeatureCollection"}`))
	zw.Close()
	gz := filepath.Join(dir, "areas.geo.json.gz")
	if err := WriteFile(gz, z.Bytes()); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{plain: `{"type":"Topology"}`, gz: `{"type":"FeatureCollection"}`} {
		got, from, err := Read("", "", path, io.Discard)
		if err != nil || string(got) != want || from != path {
			t.Errorf("Read(%s) = %q, %q, %v", path, got, from, err)
		}
	}
	if fi, err := os.Stat(plain); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("written file mode: %v %v", fi, err)
	}
	if _, _, err := Read("", "", filepath.Join(dir, "missing.json"), io.Discard); err == nil {
		t.Error("a missing file read without error")
	}
}
