package cise

import (
	"bytes"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"pharos/internal/shareddata"
)

// ciseData returns a path in the shared CISE data set, skipping the test
// when it is absent (failing under CI, which must have it).
func ciseData(t testing.TB, elem ...string) string {
	t.Helper()
	p := shareddata.Path(append([]string{"cise"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing: %v", err)
		}
		t.Skipf("shared data not present (%v); it is expected at %s", err, shareddata.Dir())
	}
	return p
}

// templates returns the reference's message templates by file name.
func templates(t testing.TB) map[string][]byte {
	t.Helper()
	dir := ciseData(t, "messages")
	names, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates in %s: %v", dir, err)
	}
	m := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(n)] = b
	}
	return m
}

// xmllint returns the path of xmllint, skipping the test without it
// (failing under CI, whose .ci/run installs libxml2-utils).
func xmllint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not installed (Debian package libxml2-utils)")
		}
		t.Skip("xmllint not installed (Debian package libxml2-utils)")
	}
	return p
}

// runXmllint runs xmllint with the document on a file and returns its
// standard output, or fails the test with its standard error.
func runXmllint(t testing.TB, doc []byte, args ...string) ([]byte, error) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xmllint(t), append(args, f)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.Bytes(), &xmllintError{err: err, stderr: strings.TrimSpace(errb.String())}
	}
	return out.Bytes(), nil
}

type xmllintError struct {
	err    error
	stderr string
}

func (e *xmllintError) Error() string { return e.err.Error() + ": " + e.stderr }

// testSigner returns a signer with a self-signed certificate made for the
// test binary.
func testSigner(t testing.TB) *Signer {
	t.Helper()
	k := testKeys(t)
	return &Signer{Key: k.leafKey, Chain: []*x509.Certificate{k.leaf, k.ca}}
}
