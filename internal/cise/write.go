package cise

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// This file writes the XML of Encode through the structs' xml tags
// (tags.go), byte for byte as encoding/xml's Marshal wrote it — start and
// end tags, never an empty-element tag, text and attribute values escaped
// as its EscapeString escapes them — without its costs for every value
// (interface checks, a stack of open tags, escaping a rune at a time),
// which were most of what encoding a message cost.

// writer writes XML into a buffer and keeps the first error.
type writer struct {
	b   bytes.Buffer
	err error
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

// open writes a start tag; its attributes are prefix:local="value".
func (w *writer) open(name string, attrs ...attr) {
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for _, a := range attrs {
		w.b.WriteByte(' ')
		writeName(&w.b, a.prefix, a.local)
		w.b.WriteString(`="`)
		w.escape(a.value)
		w.b.WriteByte('"')
	}
	w.b.WriteByte('>')
}

func (w *writer) close(name string) {
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteByte('>')
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
			w.escape(v.String())
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

// escape writes s as encoding/xml's EscapeString does: the markup
// characters, quotes, tab and line ends as references, and what is not
// an XML character as U+FFFD.
func (w *writer) escape(s string) {
	last := 0
	for i := 0; i < len(s); {
		var esc string
		c, n := s[i], 1
		switch {
		case c == '"':
			esc = "&#34;"
		case c == '\'':
			esc = "&#39;"
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\t':
			esc = "&#x9;"
		case c == '\n':
			esc = "&#xA;"
		case c == '\r':
			esc = "&#xD;"
		case c >= ' ' && c < utf8.RuneSelf:
			i++
			continue
		default:
			var r rune
			if r, n = utf8.DecodeRuneInString(s[i:]); isChar(r, n) {
				i += n
				continue
			}
			esc = "\uFFFD"
		}
		w.b.WriteString(s[last:i])
		w.b.WriteString(esc)
		i += n
		last = i
	}
	w.b.WriteString(s[last:])
}
