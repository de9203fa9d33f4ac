package cise

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// This file is XML canonicalisation, as XML-DSig needs it: Exclusive XML
// Canonicalization 1.0 (what Pharos signs with, and the reference's
// SignedInfo) and Canonical XML 1.0 (what a Reference whose last transform
// is the enveloped-signature transform is digested with), both without
// comments, over a whole document less one subtree (the enveloped
// signature) or over one subtree (SignedInfo). It works on a small tree of
// its own, parsed with encoding/xml's raw tokens so that prefixes stay as
// written.

const nsXML = "http://www.w3.org/XML/1998/namespace"

// maxDepth bounds the nesting of a document read into a tree (CISE
// messages nest about 20 deep), so that canonicalisation's recursion is
// bounded too.
const maxDepth = 256

type nodeKind uint8

const (
	elementNode nodeKind = iota
	textNode
	commentNode
	procInstNode
)

type attr struct {
	prefix, local, value string
}

type nsDecl struct {
	prefix, uri string // prefix "" is the default namespace
}

type node struct {
	kind          nodeKind
	prefix, local string // element name, PI target
	attrs         []attr
	ns            []nsDecl
	text          string // text, comment, PI data
	children      []*node
	parent        *node
}

// document is a parsed XML document: the root element and what stands
// beside it at the top level (processing instructions, comments).
type document struct {
	top  []*node
	root *node
}

// parseTree reads a document into a tree. It refuses a DTD, unbalanced or
// mismatched tags, more than one root element, text outside it, and
// nesting deeper than maxDepth.
func parseTree(data []byte) (*document, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	doc := &document{}
	var cur *node
	depth := 0
	var text bytes.Buffer
	var open *node // the text node being gathered
	flush := func() {
		if open != nil {
			open.text = text.String()
			open = nil
			text.Reset()
		}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, malformed(err)
		}
		if _, ok := tok.(xml.CharData); !ok {
			flush()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if cur == nil && doc.root != nil {
				return nil, fmt.Errorf("%w: a second root element", ErrMalformed)
			}
			if depth++; depth > maxDepth {
				return nil, fmt.Errorf("%w: nested deeper than %d", ErrMalformed, maxDepth)
			}
			n := &node{kind: elementNode, prefix: t.Name.Space, local: t.Name.Local, parent: cur}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.ns = append(n.ns, nsDecl{"", a.Value})
				case a.Name.Space == "xmlns":
					if a.Value == "" {
						return nil, fmt.Errorf("%w: xmlns:%s undeclared (XML 1.1)", ErrMalformed, a.Name.Local)
					}
					n.ns = append(n.ns, nsDecl{a.Name.Local, a.Value})
				default:
					n.attrs = append(n.attrs, attr{a.Name.Space, a.Name.Local, normaliseAttr(a.Value)})
				}
			}
			if cur == nil {
				doc.root = n
				doc.top = append(doc.top, n)
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			if cur == nil || t.Name.Space != cur.prefix || t.Name.Local != cur.local {
				return nil, fmt.Errorf("%w: unexpected end tag %s", ErrMalformed, t.Name.Local)
			}
			cur = cur.parent
			depth--
		case xml.CharData:
			if cur == nil {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, fmt.Errorf("%w: text outside the root element", ErrMalformed)
				}
				continue
			}
			// Adjacent text (a CDATA section beside text) is one text node,
			// gathered in a buffer: concatenating strings would be
			// quadratic in the number of sections.
			if k := len(cur.children); k > 0 && cur.children[k-1] == open {
				text.Write(t)
			} else {
				flush()
				open = &node{kind: textNode, parent: cur}
				cur.children = append(cur.children, open)
				text.Write(t)
			}
			continue
		case xml.Comment:
			n := &node{kind: commentNode, text: string(t), parent: cur}
			if cur == nil {
				doc.top = append(doc.top, n)
			} else {
				cur.children = append(cur.children, n)
			}
		case xml.ProcInst:
			if t.Target == "xml" {
				continue // the XML declaration is not a processing instruction
			}
			n := &node{kind: procInstNode, local: t.Target, text: string(t.Inst), parent: cur}
			if cur == nil {
				doc.top = append(doc.top, n)
			} else {
				cur.children = append(cur.children, n)
			}
		case xml.Directive:
			return nil, fmt.Errorf("%w: DTD or other directive", ErrMalformed)
		}
	}
	flush()
	if cur != nil {
		return nil, fmt.Errorf("%w: unclosed element %s", ErrMalformed, cur.local)
	}
	if doc.root == nil {
		return nil, fmt.Errorf("%w: no root element", ErrMalformed)
	}
	return doc, nil
}

// normaliseAttr does what a conforming parser does to an attribute value
// and encoding/xml does not: literal tabs and line ends become spaces.
// (A character reference to one is turned too, as encoding/xml no longer
// tells them apart; no CISE writer puts one in an attribute.)
func normaliseAttr(v string) string {
	if !strings.ContainsAny(v, "\t\n\r") {
		return v
	}
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(v)
}

// lookup returns the namespace a prefix is bound to at n ("" for the
// default namespace when none is declared), and whether it is bound.
func (n *node) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return nsXML, true
	}
	for e := n; e != nil; e = e.parent {
		for _, d := range e.ns {
			if d.prefix == prefix {
				return d.uri, true
			}
		}
	}
	return "", prefix == ""
}

// space returns the namespace of an element.
func (n *node) space() string {
	uri, _ := n.lookup(n.prefix)
	return uri
}

// inScope returns every namespace binding in force at n, by prefix.
func (n *node) inScope() map[string]string {
	m := map[string]string{}
	var chain []*node
	for e := n; e != nil; e = e.parent {
		chain = append(chain, e)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, d := range chain[i].ns {
			m[d.prefix] = d.uri
		}
	}
	return m
}

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
	c := canon{b: &b, mode: mode, exclude: exclude}
	if apex == doc.root {
		after := false
		for _, n := range doc.top {
			switch {
			case n == doc.root:
				c.element(n, map[string]string{})
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
	c.element(apex, map[string]string{})
	return b.Bytes(), c.err
}

type canon struct {
	b       *bytes.Buffer
	mode    c14nMode
	exclude *node
	err     error
}

func (c *canon) node(n *node, rendered map[string]string) {
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

// element writes an element. rendered holds the namespace bindings the
// nearest output ancestors wrote (prefix → URI; "" the default).
func (c *canon) element(n *node, rendered map[string]string) {
	if n == c.exclude || c.err != nil {
		return
	}
	scope := n.inScope()
	// Which prefixes this element may need to declare.
	var want []string
	if c.mode.exclusive {
		want = append(want, n.prefix)
		for _, a := range n.attrs {
			if a.prefix != "" && a.prefix != "xml" {
				want = append(want, a.prefix)
			}
		}
		for _, p := range c.mode.inclusive {
			if _, ok := scope[p]; ok || p == "" {
				want = append(want, p)
			}
		}
	} else {
		want = append(want, "")
		for p := range scope {
			want = append(want, p)
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	var decls []nsDecl
	next, cloned := rendered, false
	for _, p := range want {
		uri, bound := scope[p]
		if p != "" && !bound {
			if p == n.prefix {
				c.err = fmt.Errorf("%w: prefix %q is not declared", ErrMalformed, p)
				return
			}
			continue
		}
		if p == "xml" {
			continue
		}
		prev, had := rendered[p]
		if p == "" && uri == "" && (!had || prev == "") {
			continue // no default namespace, and none to undo
		}
		if had && prev == uri {
			continue
		}
		decls = append(decls, nsDecl{p, uri})
		if !cloned {
			next, cloned = maps.Clone(rendered), true
		}
		next[p] = uri
	}
	// Attributes sort by namespace URI, then local name; unqualified first.
	type qattr struct{ uri, local, name, value string }
	attrs := make([]qattr, 0, len(n.attrs))
	for _, a := range n.attrs {
		q := qattr{local: a.local, name: a.local, value: a.value}
		if a.prefix != "" {
			uri, ok := n.lookup(a.prefix)
			if !ok {
				c.err = fmt.Errorf("%w: prefix %q is not declared", ErrMalformed, a.prefix)
				return
			}
			q.uri, q.name = uri, a.prefix+":"+a.local
		}
		attrs = append(attrs, q)
	}
	slices.SortFunc(attrs, func(x, y qattr) int {
		if r := strings.Compare(x.uri, y.uri); r != 0 {
			return r
		}
		return strings.Compare(x.local, y.local)
	})
	name := n.local
	if n.prefix != "" {
		name = n.prefix + ":" + n.local
	}
	b := c.b
	b.WriteByte('<')
	b.WriteString(name)
	for _, d := range decls { // already sorted by prefix, the default first
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
		b.WriteString(a.name)
		b.WriteString(`="`)
		escapeAttr(b, a.value)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	for _, ch := range n.children {
		c.node(ch, next)
	}
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

func escapeText(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteByte(c)
		}
	}
}

func escapeAttr(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '"':
			b.WriteString("&quot;")
		case '\t':
			b.WriteString("&#x9;")
		case '\n':
			b.WriteString("&#xA;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteByte(c)
		}
	}
}
