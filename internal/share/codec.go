package share

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// Codec turns messages into the bytes that travel between nodes and back,
// and signs and verifies them. The CISE codec (XML per the CISE service
// model, XML-DSig enveloped signatures) is the one nodes speak; JSONCodec
// stands in for it until it lands, and for tests.
//
// A node encodes, then signs; a receiver verifies, then decodes. A message
// that does not verify is refused with AuthenticationError.
type Codec interface {
	Encode(Message) ([]byte, error)
	// Decode reads a message, signed or not; it does not verify.
	Decode([]byte) (Message, error)
	// Sign returns the encoded message signed by this node.
	Sign([]byte) ([]byte, error)
	// Verify checks that the bytes are a message signed by peer and not
	// changed since; the error says why not.
	Verify(b []byte, peer string) error
}

// JSONCodec encodes messages as JSON and signs them with the node's key
// (ECDSA, Ed25519 or RSA: the key of its certificate), in an envelope
// {"message": …, "signer": …, "signature": …}. It verifies with the public
// keys of the peers' certificates.
type JSONCodec struct {
	Signer string        // this node's name, written in the envelope
	Key    crypto.Signer // this node's private key
	// Peers are the peers' public keys by node name.
	Peers map[string]crypto.PublicKey
}

type signed struct {
	Message   json.RawMessage `json:"message"`
	Signer    string          `json:"signer"`
	Signature []byte          `json:"signature"`
}

// Encode implements Codec.
func (c *JSONCodec) Encode(m Message) ([]byte, error) { return json.Marshal(m) }

// Decode implements Codec.
func (c *JSONCodec) Decode(b []byte) (Message, error) {
	var s signed
	if err := json.Unmarshal(b, &s); err == nil && s.Message != nil {
		b = s.Message
	}
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return Message{}, fmt.Errorf("decode message: %w", err)
	}
	return m, nil
}

// Sign implements Codec.
func (c *JSONCodec) Sign(b []byte) ([]byte, error) {
	sum := sha256.Sum256(b)
	var opts crypto.SignerOpts = crypto.SHA256
	digest := sum[:]
	if _, ok := c.Key.Public().(ed25519.PublicKey); ok {
		opts, digest = crypto.Hash(0), b
	}
	sig, err := c.Key.Sign(rand.Reader, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("sign message: %w", err)
	}
	return json.Marshal(signed{Message: b, Signer: c.Signer, Signature: sig})
}

// Verify implements Codec.
func (c *JSONCodec) Verify(b []byte, peer string) error {
	var s signed
	if err := json.Unmarshal(b, &s); err != nil || s.Message == nil {
		return fmt.Errorf("%w: not a signed message", ErrAuthentication)
	}
	if s.Signer != peer {
		return fmt.Errorf("%w: signed by %q, sent by %q", ErrAuthentication, s.Signer, peer)
	}
	key, ok := c.Peers[peer]
	if !ok {
		return fmt.Errorf("%w: no key for %q", ErrAuthentication, peer)
	}
	sum := sha256.Sum256(s.Message)
	var good bool
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		good = ecdsa.VerifyASN1(k, sum[:], s.Signature)
	case ed25519.PublicKey:
		good = ed25519.Verify(k, s.Message, s.Signature)
	case *rsa.PublicKey:
		good = rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], s.Signature) == nil
	default:
		return fmt.Errorf("%w: key of %q is a %T", ErrAuthentication, peer, key)
	}
	if !good {
		return fmt.Errorf("%w: signature of %q does not verify", ErrAuthentication, peer)
	}
	return nil
}
