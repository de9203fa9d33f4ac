package cise

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file writes the XML of Encode through the structs' xml tags
// (tags.go), as encoding/xml's Marshal would — the same elements in the
// same order — but in the exclusive canonical form Signer.Sign digests
// (less the XML declaration): no empty-element tags, text and attribute
// values escaped as canonicalisation escapes them, namespace declarations
// first and in the order of their prefixes, none that an ancestor made
// already. A signer then digests what was written, without reading it
// back and canonicalising it, which was a quarter of what signing cost;
// the tests check, on every sample and in FuzzDecodeMessage, that what is
// written is its own canonical form.

// writer writes XML into a buffer and keeps the first error.
type writer struct {
	b        bytes.Buffer
	err      error
	declared []nsDecl // the namespace declarations in force, innermost last
	marks    []int    // how many were in force outside each open element
	types    []string // the prefixes of the xsi:type values written
}

// elementWriter is a type that writes its own element, or nothing when it
// has nothing to say: dates and times, the payload, and the entities that
// may name their type in xsi:type.
type elementWriter interface {
	writeXML(w *writer, name string)
}

func (w *writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// elem writes v as the element name; opt does when present; text writes a
// string that is not empty.
func (w *writer) elem(name string, v any) { w.value(name, reflect.ValueOf(v), false) }

func (w *writer) opt(name string, present bool, v any) {
	if present {
		w.elem(name, v)
	}
}

func (w *writer) text(name, s string) { w.opt(name, s != "", s) }

// open writes a start tag; its attributes are prefix:local="value", a
// namespace declaration's prefix being xmlns.
func (w *writer) open(name string, attrs ...attr) {
	w.marks = append(w.marks, len(w.declared))
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for _, a := range w.canonical(attrs) {
		if a.local == "type" && w.space(a) == nsXSI {
			p, _, ok := strings.Cut(a.value, ":")
			if !ok {
				p = ""
			}
			w.types = append(w.types, p)
		}
		w.b.WriteByte(' ')
		writeName(&w.b, a.prefix, a.local)
		w.b.WriteString(`="`)
		escapeAttr(&w.b, xmlChars(a.value))
		w.b.WriteByte('"')
	}
	w.b.WriteByte('>')
}

// canonical returns an element's attributes as canonical XML writes them:
// first the namespace declarations no ancestor made already (in force
// from here on), by prefix, then the attributes, by namespace and local
// name.
func (w *writer) canonical(attrs []attr) []attr {
	if len(attrs) == 0 {
		return nil
	}
	kept := make([]attr, 0, len(attrs))
	for _, a := range attrs {
		if a.prefix == "xmlns" {
			if uri, ok := renderedAs(w.declared, a.local); ok && uri == a.value {
				continue
			}
			w.declared = append(w.declared, nsDecl{a.local, a.value})
		}
		kept = append(kept, a)
	}
	slices.SortFunc(kept, func(x, y attr) int {
		if xd, yd := x.prefix == "xmlns", y.prefix == "xmlns"; xd != yd {
			if xd {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(w.space(x), w.space(y)), strings.Compare(x.local, y.local))
	})
	return kept
}

// space returns an attribute's namespace: none without a prefix; for a
// namespace declaration, none either, so that they sort by prefix.
func (w *writer) space(a attr) string {
	if a.prefix == "" || a.prefix == "xmlns" {
		return ""
	}
	uri, _ := renderedAs(w.declared, a.prefix)
	return uri
}

func (w *writer) close(name string) {
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteByte('>')
	last := len(w.marks) - 1
	w.declared, w.marks = w.declared[:w.marks[last]], w.marks[:last]
}

// prefixList returns the prefixes of the xsi:type values written, for the
// signature's PrefixList.
func (w *writer) prefixList() []string {
	slices.Sort(w.types)
	return slices.Compact(w.types)
}

// element writes the struct v points to as the element name.
func (w *writer) element(name string, attrs []attr, v any) {
	w.open(name, attrs...)
	w.fields(reflect.ValueOf(v).Elem())
	w.close(name)
}

// fields writes a struct's fields in order.
func (w *writer) fields(v reflect.Value) {
	for _, f := range fieldsOf(v.Type()).list {
		if fv, err := v.FieldByIndexErr(f.index); err == nil { // else in a nil embedded struct
			w.value(f.name, fv, f.omitEmpty)
		}
	}
}

// value writes v as the element name, as encoding/xml does: nothing for a
// nil pointer or, with omitempty, a zero number, false or an empty string
// (but a pointer to one is written), an element for each item of a slice.
func (w *writer) value(name string, v reflect.Value, omitEmpty bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		if ew, ok := v.Interface().(elementWriter); ok {
			ew.writeXML(w, name)
			return
		}
		v, omitEmpty = v.Elem(), false
	}
	switch v.Kind() {
	case reflect.Struct:
		if !v.CanAddr() {
			c := reflect.New(v.Type()).Elem()
			c.Set(v)
			v = c
		}
		if ew, ok := v.Addr().Interface().(elementWriter); ok {
			ew.writeXML(w, name)
			return
		}
		w.open(name)
		w.fields(v)
		w.close(name)
	case reflect.Slice:
		for i := range v.Len() {
			w.value(name, v.Index(i), omitEmpty)
		}
	case reflect.String:
		if !omitEmpty || v.Len() > 0 {
			w.open(name)
			escapeText(&w.b, xmlChars(v.String()))
			w.close(name)
		}
	case reflect.Bool:
		if !omitEmpty || v.Bool() {
			w.open(name)
			w.b.WriteString(strconv.FormatBool(v.Bool()))
			w.close(name)
		}
	case reflect.Int, reflect.Int64:
		if !omitEmpty || v.Int() != 0 {
			w.open(name)
			w.b.Write(strconv.AppendInt(w.b.AvailableBuffer(), v.Int(), 10))
			w.close(name)
		}
	case reflect.Float64:
		if !omitEmpty || v.Float() != 0 {
			w.open(name)
			w.b.Write(strconv.AppendFloat(w.b.AvailableBuffer(), v.Float(), 'g', -1, 64))
			w.close(name)
		}
	default:
		w.fail(fmt.Errorf("cannot write a %s", v.Type()))
	}
}

// xmlChars returns s with what is not an XML character (or not UTF-8)
// replaced by U+FFFD, as encoding/xml writes it.
func xmlChars(s string) string {
	for i := 0; i < len(s); {
		if c := s[i]; c >= ' ' && c < utf8.RuneSelf || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isChar(r, n) {
			return strings.Map(func(r rune) rune {
				if isChar(r, utf8.RuneLen(r)) {
					return r
				}
				return utf8.RuneError
			}, s)
		}
		i += n
	}
	return s
}
