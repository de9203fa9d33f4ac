package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is entries as sea-ports writes them, out of order: one without
// coordinates, one with a wrong sign that the fixes correct, and one in
// the fixes whose coordinates are no longer the wrong ones.
const sample = `{
 "MTMAR": {"name": "Marsaxlokk", "city": "Marsaxlokk", "country": "Malta", "coordinates": [14.5431, 35.8419], "unlocs": ["MTMAR"]},
 "ESALG": {"name": " Algeciras ", "coordinates": [-5.4442, 36.1275], "unlocs": ["ESALG"]},
 "ESEBO": {"name": "Bilbao old", "unlocs": ["ESEBO"]},
 "FJSUV": {"name": "Suva", "coordinates": [180, -18.14], "unlocs": ["FJSUV"]},
 "TNJAR": {"name": "Jarjis", "coordinates": [-11.1, 33.5]},
 "CDMAT": {"name": "Matadi", "coordinates": [13.4509856, -5.8237941]}
}`

func TestDecode(t *testing.T) {
	ports, skipped, fixed, err := decode([]byte(sample), 1e-5)
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 1 || fixed != 1 {
		t.Errorf("skipped %d, fixed %d, want 1 and 1", skipped, fixed)
	}
	want := []port{
		{"CDMAT", "Matadi", 19345099, 8417621}, // already right: left alone
		{"ESALG", "Algeciras", 17455580, 12612750},
		{"FJSUV", "Suva", 0, 7186000}, // 180° E wraps to 180° W
		{"MTMAR", "Marsaxlokk", 19454310, 12584190},
		{"TNJAR", "Jarjis", 19110000, 12350000}, // 11.1° E, not W
	}
	if len(ports) != len(want) {
		t.Fatalf("ports %+v", ports)
	}
	for i := range want {
		if ports[i] != want[i] {
			t.Errorf("port %d = %+v, want %+v", i, ports[i], want[i])
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for name, in := range map[string]string{
		"not a locode":  strings.Replace(sample, `"MTMAR"`, `"MT-MAR"`, 1),
		"digit 1":       strings.Replace(sample, `"MTMAR"`, `"MTMA1"`, 1),
		"outside globe": strings.Replace(sample, `14.5431, 35.8419`, `14.5431, 95.8419`, 1),
		"three numbers": strings.Replace(sample, `14.5431, 35.8419`, `14.5431, 35.8419, 3`, 1),
		"no name":       strings.Replace(sample, `"Suva"`, `""`, 1),
		"empty":         `{}`,
		"not an object": `[]`,
	} {
		if _, _, _, err := decode([]byte(in), 1e-5); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestRunDeterministic runs the whole conversion twice on a local file:
// the same bytes both times.
func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "ports.json")
	if err := os.WriteFile(in, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	var outs [][]byte
	for i := range 2 {
		out := filepath.Join(dir, "out"+string(rune('0'+i))+".bin.gz")
		if err := run([]string{"-in", in, "-o", out}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("two runs differ")
	}
	if err := run([]string{"-in", in, "-step", "0.3", "-o", filepath.Join(dir, "x")}, &bytes.Buffer{}); err == nil {
		t.Error("a step that does not divide 1° accepted")
	}
}
