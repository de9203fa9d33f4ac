package share

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sealer is a Codec that encodes and signs in one step, sparing a signer
// that works on its own message type the decoding of what it has just
// encoded (the CISE codec). Seal(m) must equal Sign(Encode(m)) in what a
// receiver verifies and decodes.
type Sealer interface {
	Seal(Message) ([]byte, error)
}

// Opener is a Codec that verifies and decodes in one step, sparing the
// receiver a second reading of the message (the CISE codec). Open(b, peer)
// must refuse what Verify(b, peer) refuses, with an error wrapping
// ErrAuthentication, and otherwise return what Decode(b) returns.
type Opener interface {
	Open(b []byte, peer string) (Message, error)
}

// Codec turns messages into the bytes that travel between nodes and back,
// and signs and verifies them. The CISE codec (XML per the CISE service
// model, XML-DSig enveloped signatures) is the one nodes speak; JSONCodec
// stands in for it until it lands, and for tests.
//
// A node encodes, then signs; a receiver verifies, then decodes. A message
// that does not verify is refused with AuthenticationError. A receiver
// verifies and decodes a batch of messages on every core at once, so a
// Codec must be safe for concurrent use.
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
// (ECDSA, Ed25519 or RSA: the key of its certificate). The signature
// follows the message on a line of its own, "#signed <node> <signature>
// <certificate>", with the signer's certificate as XML-DSig's KeyInfo
// carries it. A receiver verifies the certificate against its CAs and
// that it is the sending peer's (its identity, as Peer.Identity), or,
// without CAs, uses the peer's key from Peers.
type JSONCodec struct {
	Signer string            // this node's name, written with the signature
	Key    crypto.Signer     // this node's private key
	Cert   *x509.Certificate // this node's certificate, sent with each signature; optional
	Roots  *x509.CertPool    // the CAs of the peers' certificates
	// Identities are the peers' identities by node name, when not the
	// default URIIdentity.
	Identities map[string]string
	// Peers are the peers' public keys by node name, for a codec
	// without Roots.
	Peers map[string]crypto.PublicKey
}

// sigMark starts the signature line.
var sigMark = []byte("\n#signed ")

// signature is a message's signature line, parsed.
type signature struct {
	signer string
	sig    []byte
	cert   []byte // DER; none without one
}

// split cuts a signed message into the message and its signature.
func split(b []byte) (msg []byte, s signature, ok bool) {
	i := bytes.LastIndex(b, sigMark)
	if i < 0 {
		return b, s, false
	}
	f := strings.Fields(string(b[i+len(sigMark):]))
	if len(f) < 2 || len(f) > 3 {
		return b, s, false
	}
	s.signer = f[0]
	var err error
	if s.sig, err = base64.StdEncoding.DecodeString(f[1]); err != nil {
		return b, s, false
	}
	if len(f) == 3 {
		if s.cert, err = base64.StdEncoding.DecodeString(f[2]); err != nil {
			return b, s, false
		}
	}
	return b[:i], s, true
}

// Encode implements Codec.
func (c *JSONCodec) Encode(m Message) ([]byte, error) { return json.Marshal(m) }

// Decode implements Codec.
func (c *JSONCodec) Decode(b []byte) (Message, error) {
	b, _, _ = split(b)
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
	out := make([]byte, 0, len(b)+len(sigMark)+len(c.Signer)+2*len(sig)+2)
	out = append(append(append(out, b...), sigMark...), c.Signer...)
	out = append(out, ' ')
	out = base64.StdEncoding.AppendEncode(out, sig)
	if c.Cert != nil {
		out = append(out, ' ')
		out = base64.StdEncoding.AppendEncode(out, c.Cert.Raw)
	}
	return append(out, '\n'), nil
}

// Verify implements Codec.
func (c *JSONCodec) Verify(b []byte, peer string) error {
	msg, s, ok := split(b)
	if !ok {
		return fmt.Errorf("%w: not a signed message", ErrAuthentication)
	}
	if s.signer != peer {
		return fmt.Errorf("%w: signed by %q, sent by %q", ErrAuthentication, s.signer, peer)
	}
	key, err := c.key(peer, s.cert)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(msg)
	var good bool
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		good = ecdsa.VerifyASN1(k, sum[:], s.sig)
	case ed25519.PublicKey:
		good = ed25519.Verify(k, msg, s.sig)
	case *rsa.PublicKey:
		good = rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], s.sig) == nil
	default:
		return fmt.Errorf("%w: key of %q is a %T", ErrAuthentication, peer, key)
	}
	if !good {
		return fmt.Errorf("%w: signature of %q does not verify", ErrAuthentication, peer)
	}
	return nil
}

// key returns the key a peer's signature verifies with: from the
// certificate sent with it, once that is shown to be the peer's, or else
// the one the codec knows.
func (c *JSONCodec) key(peer string, der []byte) (crypto.PublicKey, error) {
	if c.Roots == nil || der == nil {
		if k, ok := c.Peers[peer]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("%w: no certificate or key for %q", ErrAuthentication, peer)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate of %q: %v", ErrAuthentication, peer, err)
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: c.Roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return nil, fmt.Errorf("%w: certificate of %q: %v", ErrAuthentication, peer, err)
	}
	id := c.Identities[peer]
	if id == "" {
		id = URIIdentity(peer)
	}
	if !hasIdentity(cert, id) {
		return nil, fmt.Errorf("%w: the certificate signing as %q is not %s's", ErrAuthentication, peer, id)
	}
	return cert.PublicKey, nil
}

// hasIdentity says whether a certificate carries an identity as NATS maps
// certificates to users: an e-mail address, DNS name or URI of its
// subject alternative names, or its subject's distinguished name.
func hasIdentity(cert *x509.Certificate, id string) bool {
	for _, u := range cert.URIs {
		if u.String() == id {
			return true
		}
	}
	return slices.Contains(cert.EmailAddresses, id) || slices.Contains(cert.DNSNames, id) ||
		cert.Subject.String() == id || cert.Subject.ToRDNSequence().String() == id
}
