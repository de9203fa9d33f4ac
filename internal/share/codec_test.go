package share

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"reflect"
	"testing"
	"time"
)

func signedItem(t testing.TB, c *JSONCodec) (Message, []byte) {
	t.Helper()
	m := Message{Kind: KindPush, ID: "2657a510-5469-429f-ad00-7c96daa7c7a2", Created: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC),
		Priority: PriorityLow, Sender: Endpoint{Node: "es", ServiceID: "es.pharos.push.provider"},
		Recipient: Endpoint{Node: "pt", ServiceID: "pt.pharos.push.consumer"}}
	p := readItem(t)
	m.Payload = &p
	b, err := c.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestJSONCodec: a signed message verifies and decodes to itself; one
// changed anywhere, or said to come from another node, does not verify.
func TestJSONCodec(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	p := newPKIWith(t, false, "es")
	for name, c := range map[string]*JSONCodec{
		"certificate": p.jsonCodec("es"),
		"ed25519 key": {Signer: "es", Key: priv, Peers: map[string]crypto.PublicKey{"es": pub}},
	} {
		t.Run(name, func(t *testing.T) {
			m, s := signedItem(t, c)
			if err := c.Verify(s, "es"); err != nil {
				t.Fatal(err)
			}
			got, err := c.Decode(s)
			if err != nil {
				t.Fatal(err)
			}
			m.Payload.KeepUntil = m.Payload.KeepUntil.Round(0)
			if !reflect.DeepEqual(got, m) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, m)
			}
			for i := 0; i < len(s); i += len(s) / 50 {
				bad := bytes.Clone(s)
				bad[i] ^= 0x20
				if err := c.Verify(bad, "es"); err == nil {
					t.Errorf("changed at byte %d of %d: verifies", i, len(s))
				}
			}
			if err := c.Verify(s, "pt"); !errors.Is(err, ErrAuthentication) {
				t.Errorf("said to come from pt: %v", err)
			}
		})
	}

	// A certificate of another CA, or of another node, does not make a
	// signature Spain's.
	other := newPKIWith(t, false, "es", "pt")
	for name, signer := range map[string]*JSONCodec{
		"another CA":   other.jsonCodec("es"),
		"another node": {Signer: "es", Key: other.certs["pt"].PrivateKey.(crypto.Signer), Cert: other.certs["pt"].Leaf},
	} {
		_, s := signedItem(t, signer)
		verifier := &JSONCodec{Roots: p.pool}
		if name == "another node" {
			verifier.Roots = other.pool
		}
		if err := verifier.Verify(s, "es"); !errors.Is(err, ErrAuthentication) {
			t.Errorf("%s: %v, want an authentication error", name, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// FuzzJSONCodec: whatever comes in, Decode and Verify answer without
// panicking, and what verifies decodes.
func FuzzJSONCodec(f *testing.F) {
	p := newPKIWith(f, false, "es")
	c := p.jsonCodec("es")
	_, s := signedItem(f, c)
	f.Add(s)
	f.Add([]byte(`{"kind":"Push","id":"x"}`))
	f.Add([]byte("{}\n#signed es AAAA\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, derr := c.Decode(b)
		if c.Verify(b, "es") == nil && derr != nil {
			t.Errorf("verifies but does not decode: %v", derr)
		}
	})
}
