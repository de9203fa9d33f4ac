package cise

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads a document into the small tree that canonicalisation,
// verification and decoding all work on, so that a received message is
// parsed once. The parser is this package's own: encoding/xml's
// tokenizer, which reads a byte at a time through an interface and copies
// every name, was most of what signing, verifying and decoding cost. Names
// and text that need no unescaping are slices of one copy of the input.

const (
	nsXML   = "http://www.w3.org/XML/1998/namespace"
	nsXMLNS = "http://www.w3.org/2000/xmlns/"
)

// maxDepth bounds the nesting of a document read into a tree (CISE
// messages nest about 20 deep), so that the recursions over it are
// bounded too; maxAttrs bounds an element's attributes and namespace
// declarations (CISE's have three at most), which are checked for
// duplicates pairwise.
const (
	maxDepth = 256
	maxAttrs = 64
)

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
	size int // bytes read, about what its canonical form takes
}

// parseTree reads a document into a tree. It refuses what is not
// well-formed XML 1.0 in UTF-8 (names, references, characters, tags that
// match, quoted attributes, no attribute twice), a DTD, more than one root
// element, text outside it, and nesting deeper than maxDepth; each error
// wraps ErrMalformed and says on which line.
func parseTree(data []byte) (*document, error) {
	// A byte order mark may start a document in UTF-8 (XML 1.0, 4.3.3);
	// it is not part of it.
	p := parser{s: strings.TrimPrefix(string(data), "\ufeff")}
	// An element takes two <, its text none: room for a node a < is about
	// right, up to a chunk (what is not XML must not make us allocate).
	n := min(strings.Count(p.s, "<")+1, chunk)
	p.nodes, p.lists = make([]node, 0, n), make([]*node, n)
	doc, err := p.document()
	if err != nil {
		return nil, fmt.Errorf("%w: line %d: %v", ErrMalformed, 1+strings.Count(p.s[:p.i], "\n"), err)
	}
	doc.size = len(data)
	return doc, nil
}

// parser reads one document. Nodes and children lists are cut from
// chunks rather than allocated one by one.
type parser struct {
	s     string
	i     int    // where the next token starts
	buf   []byte // text being unescaped
	open  []*node
	marks []int   // where each open element's children start in kids
	kids  []*node // children of the open elements, until they close
	nodes []node
	lists []*node
}

// chunk is how many nodes, or children, the parser allocates at once.
const chunk = 1024

var errEOF = errors.New("unexpected end of document")

func (p *parser) document() (*document, error) {
	doc := &document{}
	if strings.HasPrefix(p.s, "<?xml") && len(p.s) > 5 && (isSpace(p.s[5]) || p.s[5] == '?') {
		if err := p.declaration(); err != nil {
			return nil, err
		}
	}
	for p.i < len(p.s) {
		depth := len(p.open)
		if depth == 0 {
			p.space()
			if p.i == len(p.s) {
				break
			}
			if p.s[p.i] != '<' || strings.HasPrefix(p.s[p.i:], "<![CDATA[") {
				return nil, errors.New("text outside the root element")
			}
		}
		n, empty, err := p.node(doc, depth)
		if err != nil {
			return nil, err
		}
		if n == nil {
			continue // an end tag
		}
		if depth == 0 {
			doc.top = append(doc.top, n)
		} else {
			n.parent = p.open[depth-1]
			p.kids = append(p.kids, n)
		}
		if n.kind == elementNode {
			if err := uniqueAttrs(n); err != nil {
				return nil, err
			}
		}
		if n.kind == elementNode && !empty {
			p.open = append(p.open, n)
			p.marks = append(p.marks, len(p.kids))
		}
	}
	if len(p.open) > 0 {
		n := p.open[len(p.open)-1]
		return nil, fmt.Errorf("unclosed element %s", qname(n.prefix, n.local))
	}
	if doc.root == nil {
		return nil, errors.New("no root element")
	}
	return doc, nil
}

// node reads the node that starts at p.i, at a depth (0: outside the root
// element), or the end tag there (and returns no node); an element tag
// may be empty (<a/>).
func (p *parser) node(doc *document, depth int) (n *node, empty bool, err error) {
	switch s := p.s[p.i:]; {
	case s[0] != '<' || strings.HasPrefix(s, "<![CDATA["):
		n = p.newNode(textNode)
		n.text, err = p.chars(0)
	case strings.HasPrefix(s, "<!--"):
		n = p.newNode(commentNode)
		n.text, err = p.comment()
	case strings.HasPrefix(s, "<!"):
		err = errors.New("DTD or other directive")
	case strings.HasPrefix(s, "<?"):
		n = p.newNode(procInstNode)
		err = p.procInst(n)
	case strings.HasPrefix(s, "</"):
		err = p.endTag()
	case depth == 0 && doc.root != nil:
		err = errors.New("a second root element")
	case depth == maxDepth:
		err = fmt.Errorf("nested deeper than %d", maxDepth)
	default:
		n = p.newNode(elementNode)
		empty, err = p.startTag(n)
		if depth == 0 {
			doc.root = n
		}
	}
	return n, empty, err
}

func (p *parser) newNode(kind nodeKind) *node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]node, 0, chunk)
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	n.kind = kind
	return n
}

// close ends the innermost open element, giving it its children.
func (p *parser) close() {
	last := len(p.open) - 1
	n, start := p.open[last], p.marks[last]
	p.open, p.marks = p.open[:last], p.marks[:last]
	if k := len(p.kids) - start; k > 0 {
		if k > len(p.lists) {
			p.lists = make([]*node, max(k, chunk))
		}
		n.children = p.lists[:k:k]
		p.lists = p.lists[k:]
		copy(n.children, p.kids[start:])
	}
	p.kids = p.kids[:start]
}

// declaration reads the XML declaration: version 1.0, then, if they are
// there, encoding UTF-8 and standalone yes or no, in that order and
// nothing else (XML 1.0, production XMLDecl).
func (p *parser) declaration() error {
	end := strings.Index(p.s, "?>")
	if end < 0 {
		return errEOF
	}
	rest := p.s[5:end]
	p.i = end + 2
	v, ok, err := pseudoAttr(&rest, "version")
	switch {
	case err != nil:
		return err
	case !ok:
		return errors.New("XML declaration without a version")
	case v != "1.0":
		return fmt.Errorf("XML version %q, not 1.0", v)
	}
	if e, ok, err := pseudoAttr(&rest, "encoding"); err != nil {
		return err
	} else if ok && !strings.EqualFold(e, "UTF-8") {
		return fmt.Errorf("encoding %q, not UTF-8", e)
	}
	if sd, ok, err := pseudoAttr(&rest, "standalone"); err != nil {
		return err
	} else if ok && sd != "yes" && sd != "no" {
		return fmt.Errorf("standalone %q, not yes or no", sd)
	}
	if strings.TrimLeft(rest, " \t\r\n") != "" {
		return fmt.Errorf("%q in the XML declaration", strings.TrimSpace(rest))
	}
	return nil
}

// pseudoAttr reads the pseudo-attribute name of the XML declaration, with
// the white space before it, from the start of *rest, if it stands there.
func pseudoAttr(rest *string, name string) (value string, ok bool, err error) {
	s := strings.TrimLeft(*rest, " \t\r\n")
	if len(s) == len(*rest) || !strings.HasPrefix(s, name) {
		return "", false, nil
	}
	s = strings.TrimLeft(s[len(name):], " \t\r\n")
	if !strings.HasPrefix(s, "=") {
		return "", false, fmt.Errorf("expected = after %s in the XML declaration", name)
	}
	s = strings.TrimLeft(s[1:], " \t\r\n")
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return "", false, fmt.Errorf("%s not quoted in the XML declaration", name)
	}
	value, *rest, ok = strings.Cut(s[1:], s[:1])
	if !ok {
		return "", false, fmt.Errorf("%s not closed in the XML declaration", name)
	}
	return value, true, nil
}

// startTag reads <name attributes> or <name attributes/> (empty) into n.
func (p *parser) startTag(n *node) (empty bool, err error) {
	p.i++
	if n.prefix, n.local, err = p.qname(); err != nil {
		return false, err
	}
	for {
		spaced := p.space()
		if p.i == len(p.s) {
			return false, errEOF
		}
		switch {
		case p.s[p.i] == '>':
			p.i++
			return false, nil
		case strings.HasPrefix(p.s[p.i:], "/>"):
			p.i += 2
			return true, nil
		case !spaced:
			return false, fmt.Errorf("expected space, > or /> in tag %s", qname(n.prefix, n.local))
		}
		if err := p.attribute(n); err != nil {
			return false, err
		}
	}
}

// attribute reads name="value" into n's attributes or namespace
// declarations.
func (p *parser) attribute(n *node) error {
	prefix, local, err := p.qname()
	if err != nil {
		return err
	}
	p.space()
	if p.i == len(p.s) || p.s[p.i] != '=' {
		return fmt.Errorf("attribute %s without a value", qname(prefix, local))
	}
	p.i++
	p.space()
	if p.i == len(p.s) || (p.s[p.i] != '"' && p.s[p.i] != '\'') {
		return fmt.Errorf("attribute %s: value not quoted", qname(prefix, local))
	}
	quote := p.s[p.i]
	p.i++
	value, err := p.chars(quote)
	if err != nil {
		return err
	}
	p.i++ // the closing quote
	if len(n.attrs)+len(n.ns) == maxAttrs {
		return fmt.Errorf("more than %d attributes", maxAttrs)
	}
	for _, a := range n.attrs {
		if a.prefix == prefix && a.local == local {
			return fmt.Errorf("attribute %s twice", qname(prefix, local))
		}
	}
	switch {
	case prefix == "" && local == "xmlns":
		local = ""
	case prefix == "xmlns":
		if value == "" {
			return fmt.Errorf("xmlns:%s undeclared (XML 1.1)", local)
		}
	default:
		n.attrs = append(n.attrs, attr{prefix, local, value})
		return nil
	}
	for _, d := range n.ns {
		if d.prefix == local {
			return fmt.Errorf("namespace %q declared twice", local)
		}
	}
	// Namespaces in XML reserves xml and xmlns: a document that binds
	// them otherwise is not namespace-well-formed, and xmllint's
	// canonical form of it differs from ours.
	switch {
	case local == "xmlns" || value == nsXMLNS:
		return errors.New("the xmlns prefix or namespace declared")
	case (local == "xml") != (value == nsXML):
		return fmt.Errorf("the xml prefix or namespace declared as xmlns:%s=%q", local, value)
	}
	n.ns = append(n.ns, nsDecl{local, value})
	return nil
}

// uniqueAttrs refuses two attributes of an element with one namespace and
// local name under two prefixes (p:a and q:a, p and q bound to one
// namespace), which Namespaces in XML forbids: canonical order, by
// namespace and local name, cannot tell them apart, and a reader of one
// would not know which to take. n's parent must be set.
func uniqueAttrs(n *node) error {
	for i, a := range n.attrs {
		if a.prefix == "" {
			continue
		}
		for _, b := range n.attrs[:i] {
			if b.prefix == "" || b.local != a.local {
				continue
			}
			ua, oka := n.lookup(a.prefix)
			ub, okb := n.lookup(b.prefix)
			if oka && okb && ua == ub {
				return fmt.Errorf("attributes %s and %s are one", qname(b.prefix, b.local), qname(a.prefix, a.local))
			}
		}
	}
	return nil
}

// endTag reads </name>, which must close the innermost open element.
func (p *parser) endTag() error {
	p.i += 2
	prefix, local, err := p.qname()
	if err != nil {
		return err
	}
	p.space()
	if p.i == len(p.s) || p.s[p.i] != '>' {
		return fmt.Errorf("expected > after </%s", qname(prefix, local))
	}
	p.i++
	if len(p.open) == 0 {
		return fmt.Errorf("unexpected end tag %s", qname(prefix, local))
	}
	if n := p.open[len(p.open)-1]; n.prefix != prefix || n.local != local {
		return fmt.Errorf("end tag %s closes %s", qname(prefix, local), qname(n.prefix, n.local))
	}
	p.close()
	return nil
}

// comment reads <!-- text -->, in which -- may not stand.
func (p *parser) comment() (string, error) {
	body := p.s[p.i+4:]
	end := strings.Index(body, "--")
	if end < 0 {
		return "", errEOF
	}
	if !strings.HasPrefix(body[end:], "-->") {
		return "", errors.New(`"--" in a comment`)
	}
	p.i += 4 + end + 3
	return p.normalised(body[:end])
}

// procInst reads <?target data?> into n; the data goes without the white
// space before it, as XPath (and so canonicalisation) sees it.
func (p *parser) procInst(n *node) error {
	p.i += 2
	target, err := p.name()
	if err != nil {
		return err
	}
	if strings.EqualFold(target, "xml") {
		return errors.New("XML declaration not at the start of the document")
	}
	if strings.Contains(target, ":") {
		return fmt.Errorf("processing instruction %s: a colon in its target", target) // Namespaces in XML
	}
	end := strings.Index(p.s[p.i:], "?>")
	if end < 0 {
		return errEOF
	}
	body := p.s[p.i : p.i+end]
	if body != "" && !isSpace(body[0]) {
		return fmt.Errorf("expected space or ?> after <?%s", target)
	}
	p.i += end + 2
	n.local = target
	n.text, err = p.normalised(strings.TrimLeft(body, " \t\r\n"))
	return err
}

// chars reads character data up to a quote (an attribute value) or, with
// quote 0, up to the next markup that is not a CDATA section (text):
// references expanded, line ends normalised to \n and, in an attribute
// value, literal white space to spaces. It returns a slice of the input
// when nothing needed changing.
func (p *parser) chars(quote byte) (string, error) {
	s, start, i := p.s, p.i, p.i
	b, edited := p.buf[:0], false // until edited, the result is s[start:i]
	edit := func() {
		if !edited {
			b, edited = append(b, s[start:i]...), true
		}
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == quote && quote != 0:
			p.i = i
			return p.result(b, edited, start)
		case c == '<':
			if quote != 0 {
				return "", p.at(i, errors.New("< in an attribute value"))
			}
			if !strings.HasPrefix(s[i:], "<![CDATA[") {
				p.i = i
				return p.result(b, edited, start)
			}
			end := strings.Index(s[i+9:], "]]>")
			if end < 0 {
				return "", p.at(i, errEOF)
			}
			cdata, err := p.normalised(s[i+9 : i+9+end])
			if err != nil {
				return "", p.at(i, err)
			}
			edit()
			b = append(b, cdata...)
			i += 9 + end + 3
		case c == '&':
			r, n, err := reference(s[i:])
			if err != nil {
				return "", p.at(i, err)
			}
			edit()
			b = utf8.AppendRune(b, r)
			i += n
		case c == '\r' || (quote != 0 && (c == '\t' || c == '\n')):
			edit()
			if quote != 0 {
				b = append(b, ' ')
			} else {
				b = append(b, '\n')
			}
			if i++; c == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
		case c == ']' && quote == 0 && strings.HasPrefix(s[i:], "]]>"):
			return "", p.at(i, errors.New("]]> outside a CDATA section"))
		case c < utf8.RuneSelf:
			if c < ' ' && c != '\t' && c != '\n' {
				return "", p.at(i, fmt.Errorf("character %#x", c))
			}
			if edited {
				b = append(b, c)
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !isChar(r, n) {
				return "", p.at(i, errors.New("invalid UTF-8 or a character XML does not allow"))
			}
			if edited {
				b = append(b, s[i:i+n]...)
			}
			i += n
		}
	}
	if quote != 0 {
		return "", errEOF
	}
	p.i = i
	return p.result(b, edited, start)
}

func (p *parser) result(b []byte, edited bool, start int) (string, error) {
	if !edited {
		return p.s[start:p.i], nil
	}
	p.buf = b
	return string(b), nil
}

// at moves the error position to i, for the line number.
func (p *parser) at(i int, err error) error {
	p.i = i
	return err
}

// normalised checks the characters of a comment, PI or CDATA section and
// turns its line ends into \n.
func (p *parser) normalised(s string) (string, error) {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= ' ' && c < utf8.RuneSelf || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isChar(r, n) {
			return "", errors.New("invalid UTF-8 or a character XML does not allow")
		}
		i += n
	}
	if !strings.Contains(s, "\r") {
		return s, nil
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), nil
}

// reference reads the entity or character reference s starts with and
// returns the character and the reference's length.
func reference(s string) (rune, int, error) {
	end := strings.IndexByte(s[:min(len(s), 32)], ';')
	if end < 0 {
		return 0, 0, errors.New("& not followed by a reference")
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1, nil
	case "gt":
		return '>', end + 1, nil
	case "amp":
		return '&', end + 1, nil
	case "apos":
		return '\'', end + 1, nil
	case "quot":
		return '"', end + 1, nil
	}
	var digits string
	base := 10
	switch {
	case strings.HasPrefix(name, "#x"):
		digits, base = name[2:], 16
	case strings.HasPrefix(name, "#"):
		digits = name[1:]
	default:
		return 0, 0, fmt.Errorf("unknown entity &%s;", name)
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil || !isChar(rune(v), 0) {
		return 0, 0, fmt.Errorf("character reference &%s;", name)
	}
	return rune(v), end + 1, nil
}

// isChar says whether r, read from n bytes (0: from a reference), is a
// character XML 1.0 allows.
func isChar(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return false
	case r < 0x20:
		return r == '\t' || r == '\n' || r == '\r'
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	default:
		return r >= 0x10000 && r <= utf8.MaxRune
	}
}

// qname reads a name and splits it at its colon, if it has one; a name
// with a colon must be prefix:local.
func (p *parser) qname() (prefix, local string, err error) {
	name, err := p.name()
	if err != nil {
		return "", "", err
	}
	prefix, local, ok := strings.Cut(name, ":")
	if !ok {
		return "", name, nil
	}
	if prefix == "" || local == "" || strings.Contains(local, ":") {
		return "", "", fmt.Errorf("name %q is not a qualified name", name)
	}
	return prefix, local, nil
}

// name reads an XML name.
func (p *parser) name() (string, error) {
	s, start, i := p.s, p.i, p.i
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isNameByte(c) || (i == start && (c == '-' || c == '.' || c >= '0' && c <= '9')) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isChar(r, n) || !isNameRune(r, i == start) {
			break
		}
		i += n
	}
	if i == start {
		if i == len(s) {
			return "", errEOF
		}
		return "", fmt.Errorf("expected a name, found %q", s[i:min(len(s), i+10)])
	}
	p.i = i
	return s[start:i], nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '-' || c == '.'
}

// isNameRune says whether a character beyond ASCII may stand in a name
// (XML 1.0 fifth edition), first or not.
func isNameRune(r rune, first bool) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF, r >= 0x370 && r <= 0x37D,
		r >= 0x37F && r <= 0x1FFF, r == 0x200C, r == 0x200D, r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF,
		r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	case r == 0xB7, r >= 0x300 && r <= 0x36F, r == 0x203F, r == 0x2040:
		return !first
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// space skips white space and says whether there was any.
func (p *parser) space() bool {
	start := p.i
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

func qname(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
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

// resolve returns the namespace a prefix stands for at n; a prefix that is
// not declared stands for itself, as encoding/xml reads it, which no
// namespace name equals (canonicalisation refuses it).
func (n *node) resolve(prefix string) string {
	if uri, ok := n.lookup(prefix); ok {
		return uri
	}
	return prefix
}

// space returns the namespace of an element.
func (n *node) space() string { return n.resolve(n.prefix) }

// content returns an element's own character data, without the text of
// its child elements.
func (n *node) content() string {
	var s string
	var b []byte // when there is more than one text node
	for _, c := range n.children {
		switch {
		case c.kind != textNode:
		case b != nil:
			b = append(b, c.text...)
		case s == "":
			s = c.text
		default:
			b = append([]byte(s), c.text...)
		}
	}
	if b != nil {
		return string(b)
	}
	return s
}
