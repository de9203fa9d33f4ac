package cise

import (
	"reflect"
	"strings"
	"sync"
)

// The structs' xml tags, read once per type for the decoder (decode.go)
// and the writer (write.go), with encoding/xml's meaning: a field is the
// element its tag names (the field's name without one), with a namespace
// if the tag has "namespace name", a path if it has "a>b", and left out
// when empty with omitempty; the fields of embedded structs, and of
// embedded pointers to structs, stand in for them.

// xmlField is a struct field as its tag describes it.
type xmlField struct {
	index     []int  // through embedded structs
	name      string // the element's local name (a in a>b)
	space     string // the namespace the element must be in; "" for any
	inner     string // with a tag "a>b": b
	omitEmpty bool
}

// xmlFields are a struct type's fields, in order and by element name.
type xmlFields struct {
	list   []xmlField
	byName map[string]*xmlField // where two share a name, the shallower
}

var fieldCache sync.Map // reflect.Type → *xmlFields

func fieldsOf(t reflect.Type) *xmlFields {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*xmlFields)
	}
	fs := &xmlFields{list: appendFields(nil, t, nil), byName: map[string]*xmlField{}}
	for i := range fs.list {
		f := &fs.list[i]
		if old, ok := fs.byName[f.name]; !ok || len(f.index) < len(old.index) {
			fs.byName[f.name] = f
		}
	}
	fieldCache.Store(t, fs)
	return fs
}

func appendFields(list []xmlField, t reflect.Type, index []int) []xmlField {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("xml")
		f := xmlField{index: append(index[:len(index):len(index)], i)}
		if ft := sf.Type; sf.Anonymous && tag == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				list = appendFields(list, ft, f.index)
				continue
			}
		}
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f.omitEmpty = opts == "omitempty"
		if name == "" {
			name = sf.Name
		}
		if space, local, ok := strings.Cut(name, " "); ok {
			f.space, name = space, local
		}
		f.name, f.inner, _ = strings.Cut(name, ">")
		list = append(list, f)
	}
	return list
}
