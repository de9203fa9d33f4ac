package cise

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// keys are the certificates the signature tests use, made once per test
// binary: a CA, a node certificate it issued, an expired one, and a
// stranger's CA and node certificate.
type keys struct {
	ca, leaf, expired, strangerCA, stranger *x509.Certificate
	caKey, leafKey, expiredKey, strangerKey *rsa.PrivateKey
	roots                                   *x509.CertPool
}

var (
	keysOnce sync.Once
	theKeys  keys
	keysErr  error
)

func testKeys(t testing.TB) *keys {
	t.Helper()
	keysOnce.Do(func() { theKeys, keysErr = makeKeys() })
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return &theKeys
}

func makeKeys() (keys, error) {
	var k keys
	var err error
	now := time.Now()
	newKey := func() *rsa.PrivateKey {
		if err != nil {
			return nil
		}
		var key *rsa.PrivateKey
		key, err = rsa.GenerateKey(rand.Reader, 2048)
		return key
	}
	serial := int64(0)
	cert := func(cn string, key *rsa.PrivateKey, isCA bool, parent *x509.Certificate, parentKey *rsa.PrivateKey, from, to time.Time) *x509.Certificate {
		if err != nil {
			return nil
		}
		serial++
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"Pharos test"}},
			NotBefore: from, NotAfter: to, IsCA: isCA, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
		if parent == nil {
			parent, parentKey = tmpl, key
		}
		var der []byte
		der, err = x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
		if err != nil {
			return nil
		}
		var c *x509.Certificate
		c, err = x509.ParseCertificate(der)
		return c
	}
	k.caKey, k.leafKey, k.expiredKey, k.strangerKey = newKey(), newKey(), newKey(), newKey()
	strangerCAKey := newKey()
	k.ca = cert("signing-ca", k.caKey, true, nil, nil, now.Add(-time.Hour), now.Add(24*time.Hour))
	k.leaf = cert("es.ncc.pharos", k.leafKey, false, k.ca, k.caKey, now.Add(-time.Hour), now.Add(24*time.Hour))
	k.expired = cert("es.ncc.old", k.expiredKey, false, k.ca, k.caKey, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	k.strangerCA = cert("other-ca", strangerCAKey, true, nil, nil, now.Add(-time.Hour), now.Add(24*time.Hour))
	k.stranger = cert("xx.intruder", k.strangerKey, false, k.strangerCA, strangerCAKey, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		return k, err
	}
	k.roots = x509.NewCertPool()
	k.roots.AddCert(k.ca)
	return k, nil
}

func TestSignVerify(t *testing.T) {
	k := testKeys(t)
	v := &Verifier{Roots: k.roots}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA1, crypto.SHA512} {
		s := &Signer{Key: k.leafKey, Chain: []*x509.Certificate{k.leaf}, Hash: h}
		for name, m := range sampleMessages() {
			t.Run(h.String()+"/"+name, func(t *testing.T) {
				signed, err := s.Sign(m)
				if err != nil {
					t.Fatal(err)
				}
				got, err := v.Open(signed)
				if err != nil {
					t.Fatalf("%v\n%s", err, signed)
				}
				if !got.Signed {
					t.Error("Signed not set")
				}
				want, _ := Encode(m)
				back, _ := Encode(got)
				if !bytes.Equal(want, back) {
					t.Errorf("the verified message differs:\n%s\n%s", want, back)
				}
			})
		}
	}
	// A chain in KeyInfo: the leaf and the CA; the CA alone trusted.
	signed, err := testSigner(t).Sign(sampleMessages()["push"])
	if err != nil {
		t.Fatal(err)
	}
	cert, err := v.Verify(signed)
	if err != nil || cert.Subject.CommonName != "es.ncc.pharos" {
		t.Errorf("cert %v err %v", cert, err)
	}
}

// signedPush returns a signed sample push and the verifier that trusts it.
func signedPush(t *testing.T) ([]byte, *Verifier) {
	t.Helper()
	k := testKeys(t)
	m := sampleMessages()["push"]
	m.Payload.Entities = []Entity{&Vessel{MMSI: 224123456, Name: []string{"NUEVO SOL"}}}
	signed, err := testSigner(t).Sign(m)
	if err != nil {
		t.Fatal(err)
	}
	return signed, &Verifier{Roots: k.roots}
}

func TestTamperRefused(t *testing.T) {
	signed, v := signedPush(t)
	k := testKeys(t)
	strangerB64 := base64.StdEncoding.EncodeToString(k.stranger.Raw)
	leafB64 := base64.StdEncoding.EncodeToString(k.leaf.Raw)
	sigStart := bytes.Index(signed, []byte("<Signature "))
	sigEnd := bytes.Index(signed, []byte("</Signature>")) + len("</Signature>")
	sig := string(signed[sigStart:sigEnd])
	unsigned := string(signed[:sigStart]) + string(signed[sigEnd:])
	for name, c := range map[string]struct {
		doc  string
		want error
	}{
		"payload changed":    {strings.Replace(string(signed), "224123456", "224123457", 1), ErrBadSignature},
		"header changed":     {strings.Replace(string(signed), "<Priority>High", "<Priority>Low", 1), ErrBadSignature},
		"whitespace added":   {strings.Replace(string(signed), "<MMSI>", "\n<MMSI>", 1), ErrBadSignature},
		"comment added":      {strings.Replace(string(signed), "<MMSI>", "<!-- ok --><MMSI>", 1), nil},
		"digest changed":     {strings.Replace(string(signed), "<DigestValue>", "<DigestValue>AAAA", 1), ErrBadSignature},
		"value changed":      {strings.Replace(string(signed), "<SignatureValue>", "<SignatureValue>AAAA", 1), ErrBadSignature},
		"method changed":     {strings.Replace(string(signed), "xmldsig-more#rsa-sha256", "xmldsig-more#rsa-sha512", 1), ErrBadSignature},
		"stranger's cert":    {strings.Replace(string(signed), leafB64, strangerB64, 1), ErrBadCertificate},
		"no signature":       {unsigned, ErrNoSignature},
		"two signatures":     {strings.Replace(string(signed), sig, sig+sig, 1), ErrBadSignature},
		"signature moved":    {strings.Replace(unsigned, "<MMSI>", sig+"<MMSI>", 1), ErrBadSignature},
		"reference by id":    {strings.Replace(string(signed), `URI=""`, `URI="#x"`, 1), ErrBadSignature},
		"no uri":             {strings.Replace(string(signed), `URI=""`, ``, 1), ErrBadSignature},
		"xslt transform":     {strings.Replace(string(signed), AlgEnveloped, "http://www.w3.org/TR/1999/REC-xslt-19991116", 1), ErrBadSignature},
		"no enveloped":       {strings.Replace(string(signed), `<Transform Algorithm="`+AlgEnveloped+`"></Transform>`, "", 1), ErrBadSignature},
		"hmac":               {strings.Replace(string(signed), "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2000/09/xmldsig#hmac-sha1", 1), ErrBadSignature},
		"md5 digest":         {strings.Replace(string(signed), AlgSHA256, "http://www.w3.org/2001/04/xmldsig-more#md5", 1), ErrBadSignature},
		"certificate broken": {strings.Replace(string(signed), leafB64, leafB64[:40], 1), ErrBadCertificate},
		"no certificate":     {string(signed[:bytes.Index(signed, []byte("<X509Data>"))]) + "<X509Data></X509Data>" + string(signed[bytes.Index(signed, []byte("</X509Data>"))+len("</X509Data>"):]), ErrBadCertificate},
		"ca instead of leaf": {strings.Replace(string(signed), "<X509Certificate>"+leafB64+"</X509Certificate>", "", 1), ErrBadSignature},
	} {
		t.Run(name, func(t *testing.T) {
			if c.doc == string(signed) {
				t.Fatal("the test did not change the message")
			}
			m, err := v.Open([]byte(c.doc))
			if c.want == nil {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) || !errors.Is(err, ErrAuthentication) {
				t.Fatalf("err %v, want %v and ErrAuthentication", err, c.want)
			}
			if m == nil {
				t.Fatal("the refused message was not returned for its acknowledgement")
			}
			ack := Refusal(m, err, sampleTime)
			if ack.AckCode != AckAuthenticationError || ack.CorrelationID != "corr-1" ||
				ack.Recipient.ServiceID != m.Sender.ServiceID || ack.Sender.ServiceID != m.Recipient.ServiceID {
				t.Errorf("acknowledgement %+v", ack)
			}
			if _, err := Encode(ack); err != nil {
				t.Errorf("acknowledgement not written: %v", err)
			}
		})
	}
}

// typePrefixes returns the prefixes a document's xsi:type values use (""
// for the default namespace), as the signature's PrefixList names them.
func typePrefixes(doc *document) []string {
	var prefixes []string
	walk(doc.root, func(n *node) {
		for _, a := range n.attrs {
			if a.local == "type" && a.prefix != "" && n.resolve(a.prefix) == nsXSI {
				p, _, ok := strings.Cut(strings.TrimSpace(a.value), ":")
				if !ok {
					p = ""
				}
				prefixes = append(prefixes, p)
			}
		}
	})
	slices.Sort(prefixes)
	return slices.Compact(prefixes)
}

// canonicalForm returns a document's exclusive canonical form, as a
// verifier digests it, and its PrefixList.
func canonicalForm(t testing.TB, doc []byte) ([]byte, []string) {
	t.Helper()
	tree, err := parseTree(doc)
	if err != nil {
		t.Fatal(err)
	}
	prefixes := typePrefixes(tree)
	canon, err := canonicalise(tree, tree.root, nil, c14nMode{exclusive: true, inclusive: prefixes})
	if err != nil {
		t.Fatal(err)
	}
	return canon, prefixes
}

// signDocument signs any document as Sign signs what it writes, but
// canonicalising it first.
func signDocument(t testing.TB, s *Signer, doc []byte, at int) []byte {
	t.Helper()
	canon, prefixes := canonicalForm(t, doc)
	signed, err := s.sign(doc, at, canon, prefixes)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// checkCanonical fails unless what Encode wrote is, after the XML
// declaration, its own exclusive canonical form, which Sign digests
// without canonicalising it.
func checkCanonical(t testing.TB, doc []byte) {
	t.Helper()
	if canon, _ := canonicalForm(t, doc); !bytes.Equal(canon, doc[len(xmlDeclaration):]) {
		t.Fatalf("not in canonical form:\n%s\n%s", doc, canon)
	}
}

// TestSignWritesCanonicalForm: a message is written in its canonical form,
// odd characters and all, so that Sign, which digests it as written, signs
// what a signer that canonicalises it would.
func TestSignWritesCanonicalForm(t *testing.T) {
	odd := benchPush()
	odd.ContextID = "\"quoted\" 'and' <tagged> & \t\n\r\x01\xff\uFFFD"
	odd.Payload.Entities[0].(*Vessel).Name = []string{odd.ContextID}
	messages := sampleMessages()
	messages["odd characters"] = odd
	s := testSigner(t)
	for name, m := range messages {
		t.Run(name, func(t *testing.T) {
			w, at, err := encode(m)
			if err != nil {
				t.Fatal(err)
			}
			doc := w.b.Bytes()
			checkCanonical(t, doc)
			signed, err := s.Sign(m)
			if err != nil {
				t.Fatal(err)
			}
			if want := signDocument(t, s, doc, at); !bytes.Equal(signed, want) {
				t.Errorf("Sign wrote\n%s\nwant\n%s", signed, want)
			}
		})
	}
}

// orgDecl declares the prefix of the organization types' xsi:type
// values; no element or attribute name uses it.
const orgDecl = ` xmlns:organization="http://www.cise.eu/datamodel/v1/entity/organization/"`

// orgOnRoot declares the organization types' prefix once, on the root, as
// other writers declare their namespaces.
func orgOnRoot(doc []byte) []byte {
	doc = bytes.ReplaceAll(doc, []byte(orgDecl), nil)
	return bytes.Replace(doc, []byte("<ns4:Push"), []byte("<ns4:Push"+orgDecl), 1)
}

// orgMoved moves the organization types to another namespace.
func orgMoved(doc []byte) []byte {
	return bytes.Replace(doc, []byte(orgDecl), []byte(strings.Replace(orgDecl, "/organization/", "/agent/", 1)), 1)
}

// TestSignCoversTypePrefixes: the prefixes xsi:type values use are in the
// exclusive canonicalisation's PrefixList, so their declarations are
// signed: moving a type to another namespace breaks the signature.
func TestSignCoversTypePrefixes(t *testing.T) {
	signed, err := testSigner(t).Sign(sampleMessages()["push"])
	if err != nil {
		t.Fatal(err)
	}
	if want := `<Transform Algorithm="` + AlgExcC14N + `"><ec:InclusiveNamespaces xmlns:ec="` + nsExcC14N +
		`" PrefixList="agent anomaly ns4 organization vessel"></ec:InclusiveNamespaces></Transform>`; !bytes.Contains(signed, []byte(want)) {
		t.Errorf("no %s in\n%s", want, signed)
	}
	v := &Verifier{Roots: testKeys(t).roots}
	if _, err := v.Open(signed); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(orgMoved(signed)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("type moved to another namespace: %v, want ErrBadSignature", err)
	}
}

// typePrefixOnRoot returns a push signed by Pharos whose organization
// types' prefix is declared on the root only.
func typePrefixOnRoot(t *testing.T) []byte {
	t.Helper()
	doc, err := Encode(sampleMessages()["push"])
	if err != nil {
		t.Fatal(err)
	}
	doc = orgOnRoot(doc)
	return signDocument(t, testSigner(t), doc, bytes.LastIndex(doc, []byte("</ns4:Push>")))
}

// TestTypePrefixOnAncestor: a message whose xsi:type prefix is declared on
// an ancestor only verifies and reads its types, and that declaration is
// signed too.
func TestTypePrefixOnAncestor(t *testing.T) {
	signed := typePrefixOnRoot(t)
	v := &Verifier{Roots: testKeys(t).roots}
	m, err := v.Open(signed)
	if err != nil {
		t.Fatalf("%v\n%s", err, signed)
	}
	if id := m.Payload.Entities[0].(*Vessel).Identifier; id.GeneratedBy.Kind != KindOrganization {
		t.Errorf("GeneratedBy read as %q", id.GeneratedBy.Kind)
	}
	if _, err := v.Verify(orgMoved(signed)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("type moved to another namespace: %v, want ErrBadSignature", err)
	}
}

func TestCommentAddedStillVerifies(t *testing.T) {
	// Comments are outside a same-document reference's node-set.
	signed, v := signedPush(t)
	doc := strings.Replace(string(signed), "<MMSI>", "<!-- ok --><MMSI>", 1)
	if _, err := v.Open([]byte(doc)); err != nil {
		t.Error(err)
	}
}

func TestCertificateRefused(t *testing.T) {
	k := testKeys(t)
	m := sampleMessages()["feedback"]
	cases := map[string]struct {
		s *Signer
		v *Verifier
	}{
		"untrusted issuer": {&Signer{Key: k.strangerKey, Chain: []*x509.Certificate{k.stranger, k.strangerCA}}, &Verifier{Roots: k.roots}},
		"expired":          {&Signer{Key: k.expiredKey, Chain: []*x509.Certificate{k.expired}}, &Verifier{Roots: k.roots}},
		"not yet valid":    {&Signer{Key: k.leafKey, Chain: []*x509.Certificate{k.leaf}}, &Verifier{Roots: k.roots, Now: func() time.Time { return k.leaf.NotBefore.Add(-time.Minute) }}},
		"no roots":         {&Signer{Key: k.leafKey, Chain: []*x509.Certificate{k.leaf}}, &Verifier{}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			signed, err := c.s.Sign(m)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.v.Open(signed)
			if !errors.Is(err, ErrBadCertificate) || !errors.Is(err, ErrAuthentication) {
				t.Fatalf("err %v, want ErrBadCertificate", err)
			}
			if AckCodeFor(err) != AckAuthenticationError || got == nil {
				t.Errorf("ack code %s, message %v", AckCodeFor(err), got)
			}
		})
	}
	if _, err := (&Signer{Key: k.strangerKey, Chain: []*x509.Certificate{k.leaf}}).Sign(m); err == nil {
		t.Error("signed with a key that is not the certificate's")
	}
}

// referenceSign signs a document as the reference's DefaultDomSigner does
// (less its XSLT transform, which Pharos refuses): one Reference to the
// whole document with the enveloped-signature transform alone (so its
// digest is over Canonical XML 1.0), SHA-1 digest, exclusive
// canonicalisation of SignedInfo, RSA-SHA1, the subject name and the
// certificate in KeyInfo, the Signature appended as the root's last child,
// prefixed, base64 wrapped at 76 columns as Java writes it.
func referenceSign(t *testing.T, doc []byte, key *rsa.PrivateKey, cert *x509.Certificate) []byte {
	t.Helper()
	tree, err := parseTree(doc)
	if err != nil {
		t.Fatal(err)
	}
	canon, err := canonicalise(tree, tree.root, nil, c14nMode{})
	if err != nil {
		t.Fatal(err)
	}
	h := crypto.SHA1.New()
	h.Write(canon)
	wrap := func(b []byte) string {
		s := base64.StdEncoding.EncodeToString(b)
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString(s[:76] + "\n")
			s = s[76:]
		}
		return out.String() + s
	}
	si := `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + AlgExcC14N + `"/><ds:SignatureMethod Algorithm="` + AlgRSASHA1 + `"/>` +
		`<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="` + AlgEnveloped + `"/></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + AlgSHA1 + `"/><ds:DigestValue>` + wrap(h.Sum(nil)) + `</ds:DigestValue></ds:Reference></ds:SignedInfo>`
	siTree, err := parseTree([]byte(`<ds:Signature xmlns:ds="` + nsDSig + `">` + si + `</ds:Signature>`))
	if err != nil {
		t.Fatal(err)
	}
	siCanon, err := canonicalise(siTree, siTree.root.children[0], nil, c14nMode{exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	sh := crypto.SHA1.New()
	sh.Write(siCanon)
	value, err := rsa.SignPKCS1v15(nil, key, crypto.SHA1, sh.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	sig := `<ds:Signature xmlns:ds="` + nsDSig + `">` + si + `<ds:SignatureValue>` + wrap(value) + `</ds:SignatureValue>` +
		`<ds:KeyInfo><ds:X509Data><ds:X509SubjectName>` + cert.Subject.String() + `</ds:X509SubjectName>` +
		`<ds:X509Certificate>` + wrap(cert.Raw) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
	end := bytes.LastIndex(doc, []byte("</"))
	return append(append(append([]byte{}, doc[:end]...), sig...), doc[end:]...)
}

func TestReferenceStyleSHA1Verifies(t *testing.T) {
	k := testKeys(t)
	v := &Verifier{Roots: k.roots}
	for name, b := range templates(t) {
		t.Run(name, func(t *testing.T) {
			signed := referenceSign(t, b, k.leafKey, k.leaf)
			m, err := v.Open(signed)
			if err != nil {
				t.Fatalf("%v\n%s", err, signed)
			}
			if !m.Signed {
				t.Error("Signed not set")
			}
			tampered := bytes.Replace(signed, []byte("<Priority>Low"), []byte("<Priority>Medium"), 1)
			if bytes.Equal(tampered, signed) {
				tampered = bytes.Replace(signed, []byte("<Priority>High"), []byte("<Priority>Medium"), 1)
			}
			if _, err := v.Open(tampered); !errors.Is(err, ErrBadSignature) {
				t.Errorf("tampered: %v", err)
			}
		})
	}
}

// TestXmlsec1Interop checks the signatures against an independent
// implementation (xmlsec1, Debian package xmlsec1) when it is installed:
// it verifies what Pharos signs, and signs what Pharos verifies.
func TestXmlsec1Interop(t *testing.T) {
	bin, err := exec.LookPath("xmlsec1")
	if err != nil {
		t.Skip("xmlsec1 not installed (Debian package xmlsec1): no cross-check")
	}
	k := testKeys(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caPEM := write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.ca.Raw}))
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA1} {
		signed, err := (&Signer{Key: k.leafKey, Chain: []*x509.Certificate{k.leaf}, Hash: h}).Sign(sampleMessages()["pull"])
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "--verify", "--enabled-reference-uris", "empty", "--trusted-pem", caPEM,
			write("signed-"+h.String()+".xml", signed)).CombinedOutput()
		if err != nil {
			t.Errorf("xmlsec1 refuses what Pharos signs with %v: %v\n%s", h, err, out)
		}
	}
	out, err := exec.Command(bin, "--verify", "--enabled-reference-uris", "empty", "--trusted-pem", caPEM,
		write("prefix-on-root.xml", typePrefixOnRoot(t))).CombinedOutput()
	if err != nil {
		t.Errorf("xmlsec1 refuses a type prefix declared on the root: %v\n%s", err, out)
	}
	// xmlsec1 signs templates, Pharos verifies them: one digested over
	// Canonical XML 1.0, and one over exclusive canonicalisation whose
	// PrefixList names the types' prefix declared on the root. Either
	// covers that declaration.
	keyDER, err := x509.MarshalPKCS8PrivateKey(k.leafKey)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := write("key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	certPEM := write("cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.leaf.Raw}))
	unsigned, err := Encode(sampleMessages()["push"])
	if err != nil {
		t.Fatal(err)
	}
	enveloped := `<ds:Transform Algorithm="` + AlgEnveloped + `"/>`
	for name, c := range map[string]struct {
		doc        []byte
		transforms string
	}{
		"c14n": {unsigned, enveloped},
		"prefixlist": {orgOnRoot(unsigned), enveloped + `<ds:Transform Algorithm="` + AlgExcC14N + `">` +
			`<ec:InclusiveNamespaces xmlns:ec="` + nsExcC14N + `" PrefixList="organization"/></ds:Transform>`},
	} {
		tmpl := bytes.Replace(c.doc, []byte("</ns4:Push>"), []byte(`<ds:Signature xmlns:ds="`+nsDSig+`"><ds:SignedInfo>`+
			`<ds:CanonicalizationMethod Algorithm="`+AlgExcC14N+`"/><ds:SignatureMethod Algorithm="`+AlgRSASHA1+`"/>`+
			`<ds:Reference URI=""><ds:Transforms>`+c.transforms+`</ds:Transforms>`+
			`<ds:DigestMethod Algorithm="`+AlgSHA1+`"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>`+
			`<ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature></ns4:Push>`), 1)
		out, err := exec.Command(bin, "--sign", "--enabled-reference-uris", "empty", "--privkey-pem", keyPEM+","+certPEM,
			write("tmpl-"+name+".xml", tmpl)).Output()
		if err != nil {
			t.Fatalf("xmlsec1 --sign %s: %v", name, err)
		}
		v := &Verifier{Roots: k.roots}
		if _, err := v.Open(out); err != nil {
			t.Errorf("Pharos refuses what xmlsec1 signs (%s): %v\n%s", name, err, out)
		}
		if _, err := v.Verify(orgMoved(out)); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: type moved to another namespace: %v, want ErrBadSignature", name, err)
		}
	}
}

func TestAckCodeFor(t *testing.T) {
	for _, c := range []struct {
		err  error
		want AckCode
	}{
		{nil, AckSuccess},
		{authErr(ErrBadSignature, "x"), AckAuthenticationError},
		{authErr(ErrBadCertificate, "x"), AckAuthenticationError},
		{authErr(ErrNoSignature, "x"), AckAuthenticationError},
		{ErrMalformed, AckBadRequest},
		{ErrNotMessage, AckBadRequest},
		{invalidf("x"), AckInvalidRequestObject},
		{errors.New("disk full"), AckServerError},
	} {
		if got := AckCodeFor(c.err); got != c.want {
			t.Errorf("%v: %s, want %s", c.err, got, c.want)
		}
	}
	// Nothing readable: an acknowledgement without correlation still writes.
	a := Refusal(nil, ErrMalformed, sampleTime)
	if _, err := Encode(a); err != nil || a.AckCode != AckBadRequest {
		t.Errorf("%+v: %v", a, err)
	}
}
