package cise

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// This file is XML canonicalisation, as XML-DSig needs it: Exclusive XML
// Canonicalization 1.0 (what Pharos signs with, and the reference's
// SignedInfo) and Canonical XML 1.0 (what a Reference whose last transform
// is the enveloped-signature transform is digested with), both without
// comments, over a whole document less one subtree (the enveloped
// signature) or over one subtree (SignedInfo). It works on the tree of
// tree.go, in which prefixes stay as written.

// c14nMode says which canonicalisation to apply.
type c14nMode struct {
	exclusive bool
	comments  bool
	// inclusive lists the prefixes of exclusive canonicalisation's
	// InclusiveNamespaces PrefixList ("" for #default).
	inclusive []string
}

// canonicalise writes the canonical form of the subtree at apex (the whole
// document when apex is the root and whole is set, with the top-level
// processing instructions) less the subtree at exclude.
func canonicalise(doc *document, apex, exclude *node, mode c14nMode) ([]byte, error) {
	var b bytes.Buffer
	c := canon{b: &b, mode: mode, apex: apex, exclude: exclude}
	if apex == doc.root {
		b.Grow(doc.size)
		after := false
		for _, n := range doc.top {
			switch {
			case n == doc.root:
				c.element(n, nil)
				after = true
			case n.kind == procInstNode || (n.kind == commentNode && mode.comments):
				if after {
					b.WriteByte('\n')
				}
				c.node(n, nil)
				if !after {
					b.WriteByte('\n')
				}
			}
		}
		return b.Bytes(), c.err
	}
	c.element(apex, nil)
	return b.Bytes(), c.err
}

// canon writes a canonical form. Its scratch slices serve one element at a
// time: what outlives the element's start tag is copied.
type canon struct {
	b             *bytes.Buffer
	mode          c14nMode
	apex, exclude *node
	err           error
	want          []string
	decls         []nsDecl
	attrs         []qattr
}

// qattr is an attribute with its namespace, as canonical order sorts it.
type qattr struct {
	uri, prefix, local, value string
}

func (c *canon) node(n *node, rendered []nsDecl) {
	switch n.kind {
	case elementNode:
		c.element(n, rendered)
	case textNode:
		escapeText(c.b, n.text)
	case commentNode:
		if c.mode.comments {
			c.b.WriteString("<!--")
			c.b.WriteString(n.text)
			c.b.WriteString("-->")
		}
	case procInstNode:
		c.b.WriteString("<?")
		c.b.WriteString(n.local)
		if n.text != "" {
			c.b.WriteByte(' ')
			c.b.WriteString(n.text)
		}
		c.b.WriteString("?>")
	}
}

// element writes an element. rendered holds the namespace declarations
// the nearest output ancestors wrote, the innermost of a prefix last.
func (c *canon) element(n *node, rendered []nsDecl) {
	if n == c.exclude || c.err != nil {
		return
	}
	decls := c.declarations(n, rendered)
	attrs := c.sortedAttrs(n)
	if c.err != nil {
		return
	}
	b := c.b
	b.WriteByte('<')
	writeName(b, n.prefix, n.local)
	for _, d := range decls { // sorted by prefix, the default first
		if d.prefix == "" {
			b.WriteString(` xmlns="`)
		} else {
			b.WriteString(" xmlns:")
			b.WriteString(d.prefix)
			b.WriteString(`="`)
		}
		escapeAttr(b, d.uri)
		b.WriteByte('"')
	}
	for _, a := range attrs {
		b.WriteByte(' ')
		writeName(b, a.prefix, a.local)
		b.WriteString(`="`)
		escapeAttr(b, a.value)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if len(decls) > 0 {
		rendered = append(rendered[:len(rendered):len(rendered)], decls...)
	}
	for _, ch := range n.children {
		c.node(ch, rendered)
	}
	b.WriteString("</")
	writeName(b, n.prefix, n.local)
	b.WriteByte('>')
}

// declarations returns the namespace declarations an element writes: of
// the prefixes it uses (exclusive) or has in scope (inclusive), those its
// output ancestors did not write with the same namespace.
func (c *canon) declarations(n *node, rendered []nsDecl) []nsDecl {
	// Below the apex, an element that declares nothing has its parent's
	// bindings, which its parent (an output element) or an ancestor wrote
	// if they had to be: only the prefixes it uses itself may be new.
	inherits := n != c.apex && len(n.ns) == 0
	want := c.want[:0]
	if c.mode.exclusive {
		want = append(want, n.prefix)
		for _, a := range n.attrs {
			if a.prefix != "" {
				want = append(want, a.prefix)
			}
		}
		if !inherits {
			want = append(want, c.mode.inclusive...)
		}
	} else if !inherits {
		want = append(want, "")
		for e := n; e != nil; e = e.parent {
			for _, d := range e.ns {
				want = append(want, d.prefix)
			}
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	c.want = want
	if _, ok := n.lookup(n.prefix); !ok {
		c.err = fmt.Errorf("%w: prefix %q is not declared", ErrMalformed, n.prefix)
		return nil
	}
	decls := c.decls[:0]
	for _, p := range want {
		if p == "xml" {
			continue
		}
		uri, bound := n.lookup(p)
		if !bound {
			continue // a PrefixList's prefix not in scope
		}
		prev, had := renderedAs(rendered, p)
		if p == "" && uri == "" && (!had || prev == "") {
			continue // no default namespace, and none to undo
		}
		if had && prev == uri {
			continue
		}
		decls = append(decls, nsDecl{p, uri})
	}
	c.decls = decls
	return decls
}

// renderedAs returns the namespace an output ancestor declared a prefix
// as, if any did.
func renderedAs(rendered []nsDecl, prefix string) (string, bool) {
	for i := len(rendered) - 1; i >= 0; i-- {
		if rendered[i].prefix == prefix {
			return rendered[i].uri, true
		}
	}
	return "", false
}

// sortedAttrs returns an element's attributes sorted by namespace URI,
// then local name; unqualified first.
func (c *canon) sortedAttrs(n *node) []qattr {
	attrs := c.attrs[:0]
	for _, a := range n.attrs {
		q := qattr{prefix: a.prefix, local: a.local, value: a.value}
		if a.prefix != "" {
			uri, ok := n.lookup(a.prefix)
			if !ok {
				c.err = fmt.Errorf("%w: prefix %q is not declared", ErrMalformed, a.prefix)
				return nil
			}
			q.uri = uri
		}
		attrs = append(attrs, q)
	}
	slices.SortFunc(attrs, func(x, y qattr) int {
		if r := strings.Compare(x.uri, y.uri); r != 0 {
			return r
		}
		return strings.Compare(x.local, y.local)
	})
	c.attrs = attrs
	return attrs
}

func writeName(b *bytes.Buffer, prefix, local string) {
	if prefix != "" {
		b.WriteString(prefix)
		b.WriteByte(':')
	}
	b.WriteString(local)
}

// escapeText and escapeAttr write text and attribute values escaped as
// canonical XML escapes them.
func escapeText(b *bytes.Buffer, s string) { escape(b, s, "&<>\r") }

func escapeAttr(b *bytes.Buffer, s string) { escape(b, s, "&<\"\t\n\r") }

// escape writes s with the characters of specials as references, a run of
// plain characters at a time.
func escape(b *bytes.Buffer, s, specials string) {
	for {
		i := strings.IndexAny(s, specials)
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString(references[s[i]])
		s = s[i+1:]
	}
}

var references = [...]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '"': "&quot;", '\t': "&#x9;", '\n': "&#xA;", '\r': "&#xD;"}
