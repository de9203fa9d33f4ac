package share

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
// (ECDSA, Ed25519 or RSA: the key of its certificate): the signature
// follows the message on a line of its own, "#signed <node> <base64>", as
// an enveloped signature does. It verifies with the public keys of the
// peers' certificates.
type JSONCodec struct {
	Signer string        // this node's name, written with the signature
	Key    crypto.Signer // this node's private key
	// Peers are the peers' public keys by node name.
	Peers map[string]crypto.PublicKey
}

// sigMark starts the signature line.
var sigMark = []byte("\n#signed ")

// split cuts a signed message into the message, the signer and the
// signature.
func split(b []byte) (msg []byte, signer string, sig []byte, ok bool) {
	i := bytes.LastIndex(b, sigMark)
	if i < 0 {
		return b, "", nil, false
	}
	who, enc, found := strings.Cut(strings.TrimSpace(string(b[i+len(sigMark):])), " ")
	if !found {
		return b, "", nil, false
	}
	sig, err := base64.StdEncoding.DecodeString(enc)
	return b[:i], who, sig, err == nil
}

// Encode implements Codec.
func (c *JSONCodec) Encode(m Message) ([]byte, error) { return json.Marshal(m) }

// Decode implements Codec.
func (c *JSONCodec) Decode(b []byte) (Message, error) {
	b, _, _, _ = split(b)
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return Message{}, fmt.Errorf("decode message: %w", err)
	}
	return m, nil
}

// Sign implements Codec.
func (c *JSONCodec) Sign(b []byte) ([]byte, error) {
	if bytes.Contains(b, sigMark) {
		return nil, errors.New("sign message: it holds a signature line already")
	}
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
	out := make([]byte, 0, len(b)+len(sigMark)+len(c.Signer)+base64.StdEncoding.EncodedLen(len(sig))+2)
	out = append(append(append(out, b...), sigMark...), c.Signer...)
	out = append(out, ' ')
	out = base64.StdEncoding.AppendEncode(out, sig)
	return append(out, '\n'), nil
}

// Verify implements Codec.
func (c *JSONCodec) Verify(b []byte, peer string) error {
	msg, signer, sig, ok := split(b)
	if !ok {
		return fmt.Errorf("%w: not a signed message", ErrAuthentication)
	}
	if signer != peer {
		return fmt.Errorf("%w: signed by %q, sent by %q", ErrAuthentication, signer, peer)
	}
	key, ok := c.Peers[peer]
	if !ok {
		return fmt.Errorf("%w: no key for %q", ErrAuthentication, peer)
	}
	sum := sha256.Sum256(msg)
	var good bool
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		good = ecdsa.VerifyASN1(k, sum[:], sig)
	case ed25519.PublicKey:
		good = ed25519.Verify(k, msg, sig)
	case *rsa.PublicKey:
		good = rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], sig) == nil
	default:
		return fmt.Errorf("%w: key of %q is a %T", ErrAuthentication, peer, key)
	}
	if !good {
		return fmt.Errorf("%w: signature of %q does not verify", ErrAuthentication, peer)
	}
	return nil
}
