package share

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Settings is node.yaml's sharing: section: where the node listens for
// its peers, its certificate, its peers and its agreements with them.
//
//	sharing:
//	  listen: 0.0.0.0:4250
//	  cert: certs/es.pem
//	  key: certs/es.key
//	  ca: certs/ca.pem
//	  codec: cise            # or json; cise unless the key is not RSA
//	  peers:
//	    - {name: pt, url: tls://pt.example.eu:4250}
//	  external:              # optional: streams in a NATS cluster of the node's own
//	    url: tls://nats-1.ncc.es:4222,tls://nats-2.ncc.es:4222
//	    replicas: 3
//	  agreements:
//	    - peer: pt
//	      kind: member_state
//	      …
type Settings struct {
	Listen string `yaml:"listen,omitempty"`
	// PEM files, relative to the file's directory: the node's
	// certificate and key, and the CAs of its peers' certificates.
	Cert  string `yaml:"cert,omitempty"`
	Key   string `yaml:"key,omitempty"`
	CA    string `yaml:"ca,omitempty"`
	Peers []Peer `yaml:"peers,omitempty"`
	// Codec is what the node speaks to its peers: "cise" (CISECodec:
	// CISE XML with XML-DSig, which signs with RSA keys only) or "json"
	// (JSONCodec, for keys of other kinds and tests). Empty is cise for
	// an RSA key and json for any other, so that a node with an ECDSA
	// certificate keeps working.
	Codec  string `yaml:"codec,omitempty"`
	Policy `yaml:",inline"`

	// External keeps the node's streams in a NATS cluster of its own
	// instead of the embedded server; its creds file is relative to the
	// file's directory.
	External *External `yaml:"external,omitempty"`

	RequireAck       bool          `yaml:"require_ack,omitempty"`
	SyncAlways       bool          `yaml:"sync_always,omitempty"`
	DefaultRetention time.Duration `yaml:"default_retention,omitempty"`
}

// ParseSettings reads the sharing settings from YAML: node.yaml, whose
// sharing: section it reads, or a file of their own. Unknown keys are
// errors, so that a misspelt rule does not silently share more; errors in
// agreements name their line.
func ParseSettings(b []byte) (Settings, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Settings{}, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	var s Settings
	if len(doc.Content) == 0 {
		return s, nil
	}
	node, src := doc.Content[0], b
	if v := mapValue(node, "sharing"); v != nil {
		// node.yaml: the section alone, strictly.
		node = v
		var err error
		if src, err = yaml.Marshal(v); err != nil {
			return Settings{}, fmt.Errorf("%w: %w", ErrPolicy, err)
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return Settings{}, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	var lines []int
	if v := mapValue(node, "agreements"); v != nil {
		for _, n := range v.Content {
			lines = append(lines, n.Line)
		}
	}
	if err := s.Policy.check(lines); err != nil {
		return s, err
	}
	var errs []string
	for i, p := range s.Peers {
		if !validName(p.Name) {
			errs = append(errs, fmt.Sprintf("peer %d: name %q must be 1 to 32 letters, digits, - or _", i+1, p.Name))
		}
		if p.URL == "" {
			errs = append(errs, fmt.Sprintf("peer %d (%s): no url", i+1, p.Name))
		}
	}
	if s.Codec != "" && s.Codec != "cise" && s.Codec != "json" {
		errs = append(errs, fmt.Sprintf("codec %q: want cise or json", s.Codec))
	}
	if len(errs) > 0 {
		return s, fmt.Errorf("%w: %s", ErrConfig, strings.Join(errs, "; "))
	}
	return s, nil
}

// mapValue returns the value of a key of a YAML mapping, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Config makes the configuration of node name, with its data under dir,
// from the settings, reading the PEM files relative to base, with the
// codec the settings name (see Settings.Codec); the caller adds the audit
// log and the handlers.
func (s Settings) Config(name, dir, base string) (Config, error) {
	path := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	cert, pool, err := LoadTLS(path(s.Cert), path(s.Key), path(s.CA))
	if err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	key, ok := cert.PrivateKey.(crypto.Signer)
	if !ok {
		return Config{}, fmt.Errorf("%w: the key in %s cannot sign", ErrConfig, s.Key)
	}
	ids := map[string]string{}
	for _, p := range s.Peers {
		if p.Identity != "" {
			ids[p.Name] = p.Identity
		}
	}
	var codec Codec = &JSONCodec{Signer: name, Key: key, Cert: cert.Leaf, Roots: pool, Identities: ids}
	_, isRSA := key.(*rsa.PrivateKey)
	if s.Codec == "cise" || (s.Codec == "" && isRSA) {
		chain := []*x509.Certificate{cert.Leaf}
		for _, der := range cert.Certificate[1:] {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return Config{}, fmt.Errorf("%w: intermediate certificate in %s: %w", ErrConfig, s.Cert, err)
			}
			chain = append(chain, c)
		}
		if codec, err = NewCISECodec(name, key, chain, pool, ids); err != nil {
			return Config{}, fmt.Errorf("%w: %s: %w", ErrConfig, s.Key, err)
		}
	}
	var ext *External
	if s.External != nil {
		e := *s.External
		e.Creds = path(e.Creds)
		ext = &e
	}
	return Config{Name: name, Dir: dir, Listen: s.Listen, Cert: cert, CAs: pool, Peers: s.Peers, Policy: s.Policy,
		Codec: codec, External: ext,
		RequireAck: s.RequireAck, SyncAlways: s.SyncAlways, DefaultRetention: s.DefaultRetention}, nil
}
