package cise

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	_ "crypto/sha1" // RSA-SHA1 and SHA-1 digests, which the reference sends
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// Algorithm identifiers of XML-DSig (RFC 3275, RFC 6931).
const (
	AlgExcC14N             = "http://www.w3.org/2001/10/xml-exc-c14n#"
	AlgExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
	AlgC14N                = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	AlgC14NWithComments    = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
	AlgEnveloped           = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	AlgRSASHA1             = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	AlgRSASHA256           = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgRSASHA512           = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	AlgSHA1                = "http://www.w3.org/2000/09/xmldsig#sha1"
	AlgSHA256              = "http://www.w3.org/2001/04/xmlenc#sha256"
	AlgSHA512              = "http://www.w3.org/2001/04/xmlenc#sha512"
)

var (
	signatureHashes = map[string]crypto.Hash{AlgRSASHA1: crypto.SHA1, AlgRSASHA256: crypto.SHA256, AlgRSASHA512: crypto.SHA512}
	digestHashes    = map[string]crypto.Hash{AlgSHA1: crypto.SHA1, AlgSHA256: crypto.SHA256, AlgSHA512: crypto.SHA512}
	digestOf        = map[crypto.Hash]string{crypto.SHA1: AlgSHA1, crypto.SHA256: AlgSHA256, crypto.SHA512: AlgSHA512}
	signatureOf     = map[crypto.Hash]string{crypto.SHA1: AlgRSASHA1, crypto.SHA256: AlgRSASHA256, crypto.SHA512: AlgRSASHA512}
)

// Signer signs messages with an enveloped XML signature: exclusive
// canonicalisation, RSA-SHA256 (or Hash), the signer's X.509 certificate
// (and any intermediates) in KeyInfo.
type Signer struct {
	Key   *rsa.PrivateKey
	Chain []*x509.Certificate // the signer's certificate first, then intermediates
	// Hash is the digest and signature hash: SHA-256 unless set. SHA-1 is
	// there for tests of what the reference sends, not for use.
	Hash crypto.Hash
}

// Sign encodes the message (as Encode does) and signs it. The Signature
// goes where message.xsd's ##other wildcard lets it stand, after the
// header and before the fields of the message's kind, so that the signed
// message still validates; the enveloped-signature transform makes its
// place irrelevant to the digest.
func (s *Signer) Sign(m *Message) ([]byte, error) {
	w, at, err := encode(m)
	if err != nil {
		return nil, err
	}
	doc := w.b.Bytes()
	// What encode writes after the XML declaration is its own exclusive
	// canonical form.
	return s.sign(doc, at, doc[len(xmlDeclaration):], w.prefixList())
}

// sign signs a document whose exclusive canonical form, with the prefixes
// of its xsi:type values in the PrefixList, is canon, putting the
// Signature at byte at.
func (s *Signer) sign(doc []byte, at int, canon []byte, prefixes []string) ([]byte, error) {
	if s.Key == nil || len(s.Chain) == 0 {
		return nil, errors.New("sign: a key and a certificate are needed")
	}
	if !s.Key.PublicKey.Equal(s.Chain[0].PublicKey) {
		return nil, errors.New("sign: the certificate is not the key's")
	}
	h := s.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	if signatureOf[h] == "" {
		return nil, fmt.Errorf("sign: hash %v not supported", h)
	}
	dh := h.New()
	dh.Write(canon)
	signedInfo := `<SignedInfo><CanonicalizationMethod Algorithm="` + AlgExcC14N + `"></CanonicalizationMethod>` +
		`<SignatureMethod Algorithm="` + signatureOf[h] + `"></SignatureMethod>` +
		`<Reference URI=""><Transforms><Transform Algorithm="` + AlgEnveloped + `"></Transform>` +
		`<Transform Algorithm="` + AlgExcC14N + `">` + inclusiveNamespaces(prefixes) + `</Transform></Transforms>` +
		`<DigestMethod Algorithm="` + digestOf[h] + `"></DigestMethod>` +
		`<DigestValue>` + base64.StdEncoding.EncodeToString(dh.Sum(nil)) + `</DigestValue></Reference></SignedInfo>`
	// The exclusive canonical form of SignedInfo as it will stand in the
	// document: in the default namespace its Signature declares.
	siDoc, err := parseTree([]byte(`<Signature xmlns="` + nsDSig + `">` + signedInfo + `</Signature>`))
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	siCanon, err := canonicalise(siDoc, siDoc.root.children[0], nil, c14nMode{exclusive: true})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sh := h.New()
	sh.Write(siCanon)
	value, err := rsa.SignPKCS1v15(nil, s.Key, h, sh.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	var sig strings.Builder
	sig.WriteString(`<Signature xmlns="` + nsDSig + `">` + signedInfo + `<SignatureValue>`)
	sig.WriteString(base64.StdEncoding.EncodeToString(value))
	sig.WriteString(`</SignatureValue><KeyInfo><X509Data>`)
	for _, c := range s.Chain {
		sig.WriteString(`<X509Certificate>` + base64.StdEncoding.EncodeToString(c.Raw) + `</X509Certificate>`)
	}
	sig.WriteString(`</X509Data></KeyInfo></Signature>`)
	out := make([]byte, 0, len(doc)+sig.Len())
	out = append(out, doc[:at]...)
	out = append(out, sig.String()...)
	return append(out, doc[at:]...), nil
}

// inclusiveNamespaces is the InclusiveNamespaces element of an exclusive
// canonicalisation with a PrefixList, nothing for none.
func inclusiveNamespaces(prefixes []string) string {
	if len(prefixes) == 0 {
		return ""
	}
	list := slices.Clone(prefixes)
	if list[0] == "" {
		list[0] = "#default"
	}
	return `<ec:InclusiveNamespaces xmlns:ec="` + nsExcC14N + `" PrefixList="` + strings.Join(list, " ") + `"></ec:InclusiveNamespaces>`
}

// Verifier verifies the enveloped XML signatures of received messages.
type Verifier struct {
	// Roots are the certificate authorities (or the self-signed
	// certificates of peers) whose certificates are trusted to sign.
	Roots *x509.CertPool
	// Now is the time certificates must be valid at; time.Now when nil.
	Now func() time.Time
}

// Open verifies a received message's signature and decodes it, from one
// reading of the document. When the message decodes but does not verify,
// Open returns it with an error wrapping ErrAuthentication, so that the
// receiver can address the AuthenticationError acknowledgement to it
// (NewAck, AckCodeFor).
func (v *Verifier) Open(data []byte) (*Message, error) {
	doc, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	m, err := decodeMessage(doc)
	if err != nil {
		return nil, err
	}
	if _, err := v.verify(doc); err != nil {
		return m, err
	}
	return m, nil
}

// Unseal verifies a received message as Verify does and then decodes what
// it verified, from the same reading of the document, and returns the
// message and the signer's certificate. What does not verify is refused as
// Verify refuses it; what verifies but is not a message, as Decode does.
func (v *Verifier) Unseal(data []byte) (*Message, *x509.Certificate, error) {
	doc, err := parseSigned(data)
	if err != nil {
		return nil, nil, err
	}
	cert, err := v.verify(doc)
	if err != nil {
		return nil, nil, err
	}
	m, err := decodeMessage(doc)
	if err != nil {
		return nil, nil, err
	}
	return m, cert, nil
}

// Verify checks the document's enveloped signature and its certificate
// and returns the certificate. It accepts what the XML-DSig profile of
// CISE uses and nothing more: exactly one Signature, a child of the root
// element, with one Reference to the whole document (URI=""), the
// enveloped-signature transform optionally followed by a canonicalisation
// (exclusive or inclusive, which then also digests), SHA-1, SHA-256 or
// SHA-512 digests, RSA-SHA1, RSA-SHA256 or RSA-SHA512 signatures, and the
// signer's certificate in KeyInfo/X509Data, chaining to Roots. Anything
// else (XSLT or XPath transforms, references by ID, HMAC, a key without
// a certificate) is refused: each error wraps ErrAuthentication and
// ErrNoSignature, ErrBadSignature or ErrBadCertificate.
func (v *Verifier) Verify(data []byte) (*x509.Certificate, error) {
	doc, err := parseSigned(data)
	if err != nil {
		return nil, err
	}
	return v.verify(doc)
}

// parseSigned reads a document to verify: one that does not read does not
// verify either.
func parseSigned(data []byte) (*document, error) {
	doc, err := parseDocument(data)
	if err != nil {
		return nil, authErr(ErrBadSignature, "%v", err)
	}
	return doc, nil
}

// verify checks the signature of a document read into a tree.
func (v *Verifier) verify(doc *document) (*x509.Certificate, error) {
	var sigs []*node
	walk(doc.root, func(n *node) {
		if n.local == "Signature" && n.space() == nsDSig {
			sigs = append(sigs, n)
		}
	})
	switch {
	case len(sigs) == 0:
		return nil, authErr(ErrNoSignature, "the message is not signed")
	case len(sigs) > 1:
		return nil, authErr(ErrBadSignature, "%d signatures", len(sigs))
	case sigs[0].parent != doc.root:
		return nil, authErr(ErrBadSignature, "the signature is not enveloped by the root element")
	}
	sig := sigs[0]
	si := child(sig, "SignedInfo")
	if si == nil {
		return nil, authErr(ErrBadSignature, "no SignedInfo")
	}
	// The certificate first: a message from an unknown signer is refused
	// whatever its signature says.
	cert, err := v.certificate(sig)
	if err != nil {
		return nil, err
	}
	// SignedInfo: its canonicalisation and signature method.
	cm := child(si, "CanonicalizationMethod")
	siMode, ok := c14nModeOf(cm)
	if !ok {
		return nil, authErr(ErrBadSignature, "canonicalization method %q", attrValue(cm, "Algorithm"))
	}
	sm := attrValue(child(si, "SignatureMethod"), "Algorithm")
	sh, ok := signatureHashes[sm]
	if !ok {
		return nil, authErr(ErrBadSignature, "signature method %q", sm)
	}
	refs := children(si, "Reference")
	if len(refs) != 1 {
		return nil, authErr(ErrBadSignature, "%d references, want 1", len(refs))
	}
	ref := refs[0]
	if uri, ok := attr1(ref, "URI"); !ok || uri != "" {
		return nil, authErr(ErrBadSignature, "reference URI %q, want the whole document", uri)
	}
	refMode, err := referenceMode(ref)
	if err != nil {
		return nil, err
	}
	dm := attrValue(child(ref, "DigestMethod"), "Algorithm")
	dh, ok := digestHashes[dm]
	if !ok {
		return nil, authErr(ErrBadSignature, "digest method %q", dm)
	}
	want, err := base64Content(child(ref, "DigestValue"))
	if err != nil {
		return nil, authErr(ErrBadSignature, "digest value: %v", err)
	}
	canon, err := canonicalise(doc, doc.root, sig, refMode)
	if err != nil {
		return nil, authErr(ErrBadSignature, "%v", err)
	}
	hh := dh.New()
	hh.Write(canon)
	if subtle.ConstantTimeCompare(hh.Sum(nil), want) != 1 {
		return nil, authErr(ErrBadSignature, "the digest does not match the message")
	}
	siCanon, err := canonicalise(doc, si, nil, siMode)
	if err != nil {
		return nil, authErr(ErrBadSignature, "%v", err)
	}
	value, err := base64Content(child(sig, "SignatureValue"))
	if err != nil {
		return nil, authErr(ErrBadSignature, "signature value: %v", err)
	}
	pub := cert.PublicKey.(*rsa.PublicKey)
	h := sh.New()
	h.Write(siCanon)
	if err := rsa.VerifyPKCS1v15(pub, sh, h.Sum(nil), value); err != nil {
		return nil, authErr(ErrBadSignature, "the signature value does not verify with the certificate's key")
	}
	return cert, nil
}

// certificate reads the signer's certificate (and intermediates) from
// KeyInfo and checks it chains to a trusted root.
func (v *Verifier) certificate(sig *node) (*x509.Certificate, error) {
	var certs []*x509.Certificate
	if ki := child(sig, "KeyInfo"); ki != nil {
		for _, xd := range children(ki, "X509Data") {
			for _, c := range children(xd, "X509Certificate") {
				der, err := base64Content(c)
				if err != nil {
					return nil, authErr(ErrBadCertificate, "X509Certificate: %v", err)
				}
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					return nil, authErr(ErrBadCertificate, "%v", err)
				}
				certs = append(certs, cert)
			}
		}
	}
	if len(certs) == 0 {
		return nil, authErr(ErrBadCertificate, "no X509Certificate in KeyInfo")
	}
	leaf := certs[0]
	if _, ok := leaf.PublicKey.(*rsa.PublicKey); !ok {
		return nil, authErr(ErrBadCertificate, "the certificate's key is %T, not RSA", leaf.PublicKey)
	}
	if v.Roots == nil {
		return nil, authErr(ErrBadCertificate, "no trusted roots configured")
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: v.Roots, Intermediates: inter, CurrentTime: now(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return nil, authErr(ErrBadCertificate, "%s: %v", leaf.Subject, err)
	}
	return leaf, nil
}

// referenceMode returns how a Reference's data is canonicalised before its
// digest: by its last transform if that is a canonicalisation, else by
// Canonical XML 1.0 without comments, the default for a node-set. The
// enveloped-signature transform is required; a same-document reference
// never keeps comments.
func referenceMode(ref *node) (c14nMode, error) {
	mode := c14nMode{}
	enveloped := false
	ts := child(ref, "Transforms")
	if ts == nil {
		return mode, authErr(ErrBadSignature, "no transforms: an enveloped signature needs the enveloped-signature transform")
	}
	list := children(ts, "Transform")
	for i, t := range list {
		alg := attrValue(t, "Algorithm")
		switch {
		case alg == AlgEnveloped:
			if enveloped {
				return mode, authErr(ErrBadSignature, "enveloped-signature transform twice")
			}
			enveloped = true
		case i == len(list)-1 && enveloped:
			m, ok := c14nModeOf(t)
			if !ok {
				return mode, authErr(ErrBadSignature, "transform %q", alg)
			}
			mode = m
		default:
			return mode, authErr(ErrBadSignature, "transform %q", alg)
		}
	}
	if !enveloped {
		return mode, authErr(ErrBadSignature, "no enveloped-signature transform")
	}
	mode.comments = false
	return mode, nil
}

// c14nModeOf reads a canonicalisation algorithm and its InclusiveNamespaces.
func c14nModeOf(n *node) (c14nMode, bool) {
	var m c14nMode
	switch attrValue(n, "Algorithm") {
	case AlgExcC14N:
		m.exclusive = true
	case AlgExcC14NWithComments:
		m.exclusive, m.comments = true, true
	case AlgC14N:
	case AlgC14NWithComments:
		m.comments = true
	default:
		return m, false
	}
	if m.exclusive {
		for _, c := range n.children {
			if c.kind == elementNode && c.local == "InclusiveNamespaces" && c.space() == nsExcC14N {
				for p := range strings.FieldsSeq(attrValue(c, "PrefixList")) {
					if p == "#default" {
						p = ""
					}
					m.inclusive = append(m.inclusive, p)
				}
			}
		}
	}
	return m, true
}

func authErr(kind error, format string, a ...any) error {
	return fmt.Errorf("%w: %w: %s", ErrAuthentication, kind, fmt.Sprintf(format, a...))
}

func walk(n *node, f func(*node)) {
	if n.kind != elementNode {
		return
	}
	f(n)
	for _, c := range n.children {
		walk(c, f)
	}
}

// child returns the first child element in the XML-DSig namespace with a
// local name, nil if none (or if n is nil).
func child(n *node, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.kind == elementNode && c.local == local && c.space() == nsDSig {
			return c
		}
	}
	return nil
}

func children(n *node, local string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.kind == elementNode && c.local == local && c.space() == nsDSig {
			out = append(out, c)
		}
	}
	return out
}

func attr1(n *node, local string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.prefix == "" && a.local == local {
			return a.value, true
		}
	}
	return "", false
}

func attrValue(n *node, local string) string {
	v, _ := attr1(n, local)
	return v
}

// base64Content decodes an element's text, ignoring the line breaks and
// spaces Java's encoders put in it.
func base64Content(n *node) ([]byte, error) {
	if n == nil {
		return nil, errors.New("missing")
	}
	var b bytes.Buffer
	for _, c := range n.children {
		if c.kind == textNode {
			for _, r := range c.text {
				if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
					b.WriteRune(r)
				}
			}
		}
	}
	return base64.StdEncoding.DecodeString(b.String())
}
