package cise

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// c14nCases are documents that exercise canonicalisation's corners:
// namespaces declared and redeclared, used and unused, a default
// namespace undone, attributes in several namespaces, CDATA, character
// and entity references, carriage returns, comments and processing
// instructions outside the root, whitespace.
var c14nCases = map[string]string{
	"namespaces": `<?xml version="1.0"?>
<a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u" xmlns="urn:default">
  <child b:attr="1" attr="2" a:attr="3"><b:inner xmlns:b="urn:b"/><plain xmlns="">x</plain></child>
  <a:other xmlns:a="urn:a2"><deep xmlns="urn:default">y</deep></a:other>
</a:root>`,
	"text":         "<?pi before?>\n<!-- c -->\n<r a='x&lt;&amp;&quot;\"' b=\"it's\">t&amp;<![CDATA[<&>]]>&#13;&#x20AC;\r\nz<!--inner--><?inner data?><e></e><f/></r>\n<?pi after?>",
	"default":      `<r xmlns="urn:x"><s xmlns=""><t xmlns="urn:x"/></s><u xmlns="urn:y"/></r>`,
	"bom":          "\ufeff<?xml version='1.0' encoding='utf-8' standalone='no' ?>\n<r/>",
	"xml declared": `<r xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="en"><s xmlns:p="urn:p" xmlns:q="urn:q" p:b="1" q:b="2"/></r>`,
	"xsi":          `<ns4:Push xmlns:ns4="urn:m"><Payload xsi:type="ns4:XmlEntityPayload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Vessel><MMSI>1</MMSI></Vessel></Payload></ns4:Push>`,
}

// xmllint's --c14n and --exc-c14n keep comments; the modes without
// comments differ only in dropping them (TestCanonicaliseComments).
func TestCanonicaliseAgainstXmllint(t *testing.T) {
	docs := map[string][]byte{}
	for name, s := range c14nCases {
		docs[name] = []byte(s)
	}
	for name, b := range templates(t) {
		docs[name] = b
	}
	for name, doc := range docs {
		tree, err := parseTree(doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, m := range []struct {
			flag string
			mode c14nMode
		}{{"--exc-c14n", c14nMode{exclusive: true, comments: true}}, {"--c14n", c14nMode{comments: true}}} {
			want, err := runXmllint(t, doc, m.flag)
			if err != nil {
				t.Fatalf("%s %s: %v", name, m.flag, err)
			}
			got, err := canonicalise(tree, tree.root, nil, m.mode)
			if err != nil {
				t.Fatalf("%s %s: %v", name, m.flag, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s %s:\n got %q\nwant %q", name, m.flag, got, want)
			}
		}
	}
}

func TestCanonicaliseSubtree(t *testing.T) {
	// SignedInfo as it stands in a signature, and alone: the same bytes.
	in := `<r xmlns:ns4="urn:m"><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="x"/></SignedInfo></Signature></r>`
	want := `<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><CanonicalizationMethod Algorithm="x"></CanonicalizationMethod></SignedInfo>`
	doc, err := parseTree([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	si := doc.root.children[0].children[0]
	got, err := canonicalise(doc, si, nil, c14nMode{exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("exclusive:\n got %s\nwant %s", got, want)
	}
	// Inclusive canonicalisation carries every namespace in scope.
	got, err = canonicalise(doc, si, nil, c14nMode{})
	if err != nil {
		t.Fatal(err)
	}
	wantIncl := `<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#" xmlns:ns4="urn:m"><CanonicalizationMethod Algorithm="x"></CanonicalizationMethod></SignedInfo>`
	if string(got) != wantIncl {
		t.Errorf("inclusive:\n got %s\nwant %s", got, wantIncl)
	}
	// PrefixList: an unused prefix named there is declared.
	got, err = canonicalise(doc, si, nil, c14nMode{exclusive: true, inclusive: []string{"ns4"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != wantIncl {
		t.Errorf("exclusive with PrefixList ns4:\n got %s\nwant %s", got, wantIncl)
	}
}

func TestParseTreeRefuses(t *testing.T) {
	for name, s := range map[string]string{
		"doctype":     `<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>`,
		"two roots":   `<a/><b/>`,
		"text after":  `<a/>x`,
		"mismatch":    `<a></b>`,
		"unclosed":    `<a><b></b>`,
		"empty":       ``,
		"undeclared":  `<p:a/>`,
		"deep":        string(bytes.Repeat([]byte("<a>"), maxDepth+1)) + string(bytes.Repeat([]byte("</a>"), maxDepth+1)),
		"bad entity":  `<a>&nope;</a>`,
		"unbound ns1": `<a xmlns:p=""/>`,
		"only <":      strings.Repeat("<", 1<<20),
		"attr twice":  `<a b="1" b="2"/>`,
		"late decl":   ` <?xml version="1.0"?><a/>`,
		"bad name":    "<a><\xe4/></a>",
		"]]> in text": `<a>]]></a>`,
		// Namespaces in XML: the reserved prefixes and namespaces, an
		// attribute named twice through two prefixes, a colon in a PI.
		"xml rebound":         `<a xmlns:xml="urn:x"/>`,
		"xml ns bound":        `<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>`,
		"xml ns default":      `<a xmlns="http://www.w3.org/XML/1998/namespace"/>`,
		"xmlns declared":      `<a xmlns:xmlns="urn:x"/>`,
		"xmlns ns bound":      `<a xmlns:p="http://www.w3.org/2000/xmlns/"/>`,
		"xmlns ns default":    `<a xmlns="http://www.w3.org/2000/xmlns/"/>`,
		"attr twice by ns":    `<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>`,
		"attr twice by scope": `<a xmlns:p="urn:x"><b xmlns:q="urn:x" q:b="2" p:b="1"/></a>`,
		"colon in PI target":  `<a><?p:q x?></a>`,
		// The XML declaration: version first and required, then encoding,
		// then standalone, nothing else.
		"decl bare":          `<?xml?><a/>`,
		"decl no version":    `<?xml encoding="UTF-8"?><a/>`,
		"decl versionx":      `<?xml versionx="1.0"?><a/>`,
		"decl unknown":       `<?xml version="1.0" foo="bar"?><a/>`,
		"decl standalone":    `<?xml version="1.0" standalone="maybe"?><a/>`,
		"decl order":         `<?xml version="1.0" standalone="yes" encoding="UTF-8"?><a/>`,
		"decl no space":      `<?xml version="1.0"encoding="UTF-8"?><a/>`,
		"decl unquoted":      `<?xml version=1.0?><a/>`,
		"decl unclosed":      `<?xml version="1.0?><a/>`,
		"decl latin1":        `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`,
		"decl version twice": `<?xml version="1.0" version="1.0"?><a/>`,
	} {
		doc, err := parseTree([]byte(s))
		if err == nil {
			_, err = canonicalise(doc, doc.root, nil, c14nMode{exclusive: true})
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
}
