package cise

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"pharos/internal/shareddata"
)

// fuzzSeeds returns the reference's templates (when the shared data is
// there) and what Pharos writes: every sample message, plain and signed.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	names, _ := filepath.Glob(shareddata.Path("cise", "messages", "*.xml"))
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			seeds = append(seeds, b)
		}
	}
	s := testSigner(f)
	for _, m := range sampleMessages() {
		if b, err := Encode(m); err == nil {
			seeds = append(seeds, b)
		}
		if b, err := s.Sign(m); err == nil {
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// FuzzDecodeMessage: Decode never panics, refuses with its sentinel
// errors, and what it reads Encode writes (or refuses as invalid) in its
// canonical form and as a fixed point.
func FuzzDecodeMessage(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNotMessage) {
				t.Fatalf("error without its sentinel: %v", err)
			}
			return
		}
		out, err := Encode(m)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("encode: %v", err)
			}
			return
		}
		checkCanonical(t, out)
		m2, err := Decode(out)
		if err != nil {
			t.Fatalf("own output refused: %v\n%s", err, out)
		}
		out2, err := Encode(m2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixed point (%v):\n%s\n%s", err, out, out2)
		}
	})
}

// FuzzDecodeEntity: the same for an entity standing alone.
func FuzzDecodeEntity(f *testing.F) {
	for _, e := range sampleEntities() {
		if b, err := EncodeEntity(e); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<Vessel><MMSI>1</MMSI><LocationRel><Location><Geometry><Latitude>1</Latitude></Geometry></Location></LocationRel></Vessel>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEntity(data)
		if err != nil {
			return
		}
		out, err := EncodeEntity(e)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("encode: %v", err)
			}
			return
		}
		e2, err := DecodeEntity(out)
		if err != nil {
			t.Fatalf("own output refused: %v\n%s", err, out)
		}
		out2, err := EncodeEntity(e2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not a fixed point (%v):\n%s\n%s", err, out, out2)
		}
		// The mapping takes whatever decodes without panicking.
		switch v := e.(type) {
		case *Vessel:
			_, _ = esp.Track(v)
		case *Event:
			_, _ = esp.ModelEvent(v)
			_, _ = esp.PictureIncident(v)
		}
	})
}

// FuzzCanonicalise: the tree parser never panics, and canonicalisation of
// what it reads is idempotent, exclusive and inclusive.
func FuzzCanonicalise(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	for _, s := range c14nCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseTree(data)
		if err != nil {
			return
		}
		for _, mode := range []c14nMode{{exclusive: true}, {}, {exclusive: true, comments: true}} {
			c1, err := canonicalise(doc, doc.root, nil, mode)
			if err != nil {
				continue
			}
			doc2, err := parseTree(c1)
			if err != nil {
				t.Fatalf("canonical form does not parse: %v\n%q", err, c1)
			}
			c2, err := canonicalise(doc2, doc2.root, nil, mode)
			if err != nil || !bytes.Equal(c1, c2) {
				t.Fatalf("not idempotent (%v):\n%q\n%q", err, c1, c2)
			}
		}
	})
}

// FuzzVerify: verification never panics and every refusal is an
// authentication error.
func FuzzVerify(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	v := &Verifier{Roots: testKeys(f).roots}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := v.Verify(data); err != nil && !errors.Is(err, ErrAuthentication) {
			t.Fatalf("refusal without ErrAuthentication: %v", err)
		}
	})
}

// FuzzParseRef: a UUID ParseRef accepts is written back as it came.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"ESP-NCC/track/42", "a/b/event/go_fast-000001", "08c5ca8c-34e0", "x/incident/", "//track//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, ok := ParseRef(s); ok && r.String() != s {
			t.Fatalf("%q read as %+v, written %q", s, r, r.String())
		}
	})
}
