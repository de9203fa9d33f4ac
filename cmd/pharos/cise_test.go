package main

import (
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pharos/internal/cise"
	"pharos/internal/shareddata"
)

// TestCISEExportAndParse exports a simulated run's events as signed Push
// messages, verifies each with the certificate written beside them, and
// parses one back to JSON; a file that is no CISE message is refused with
// a reason.
func TestCISEExportAndParse(t *testing.T) {
	simDir, runDir, out := t.TempDir(), t.TempDir(), t.TempDir()
	if _, stderr, err := runCmd(t, "sim", "--scenario", "../../internal/sim/testdata/mini.yaml", "--out", simDir); err != nil {
		t.Fatal(err, stderr)
	}
	if _, stderr, err := runCmd(t, "run", "--out", runDir, simDir); err != nil {
		t.Fatal(err, stderr)
	}
	stdout, stderr, err := runCmd(t, "cise", "export", "--run", runDir, "--out", out, "--node", "ESP-NCC")
	if err != nil {
		t.Fatal(err, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.xml"))
	if len(files) == 0 || !strings.Contains(stdout, "signed Push messages") {
		t.Fatalf("export wrote %d messages: %s", len(files), stdout)
	}
	v := &cise.Verifier{Roots: certPool(t, filepath.Join(out, "signer-cert.pem"))}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if _, err := v.Verify(b); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
	stdout, stderr, err = runCmd(t, "cise", "parse", files[0])
	if err != nil {
		t.Fatal(err, stderr)
	}
	var m struct {
		Kind          string
		CorrelationID string
		Signed        bool
	}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil || !m.Signed || !strings.HasPrefix(m.CorrelationID, "ESP-NCC/event/") {
		t.Errorf("parsed %+v, %v:\n%s", m, err, stdout)
	}
	if _, _, err := runCmd(t, "cise", "parse", shareddata.Path("ais-nmea/gfw_mixed_types.nmea")); err == nil {
		t.Error("parsed an NMEA file as a CISE message")
	}
}

func certPool(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		t.Fatalf("%s: no certificate", path)
	}
	return pool
}
