package cise

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// How validity is tested.
//
// Envelopes: message.xsd compiles as published. Its XmlEntityPayload
// takes entities through an xs:any namespace="##other" wildcard, which
// refuses elements in no namespace; yet the data model declares its
// top-level entities (Vessel, Incident, …) in no namespace, and the
// reference writes them so. No entity can satisfy both, so an envelope is
// validated with its payload's entities set aside (envelopeOnly), and the
// entities against the data model on their own.
//
// Entities: the data-model schema set has files that include themselves
// (entity/object/Vehicle.xsd includes Vehicle.xsd, UniqueIdentifier.xsd
// includes itself, …), which xmllint refuses to compile. flattenDataModel
// rewrites the set, as published in ../shared/data, into one schema per
// namespace, with imports between them and one no-namespace schema of the
// top-level elements, into a temporary directory; xmllint then validates
// each entity Pharos writes against the published definitions, element
// order, types and enumerations included. The rewrite changes no
// definition: it copies each one, and checks that a type defined in two
// files is defined alike.

const nsXSD = "http://www.w3.org/2001/XMLSchema"

// flattenDataModel writes the flattened data-model schemas of src into
// dst and returns the path of the schema of the top-level elements.
func flattenDataModel(src, dst string) (string, error) {
	type component struct {
		kind, name string
		body       []byte
		file       string
	}
	type space struct {
		prefixes   map[string]string // prefix → URI, from the source files
		components map[string]component
	}
	spaces := map[string]*space{}
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xsd") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		doc, err := parseTree(b)
		if err != nil {
			return "", fmt.Errorf("%s: %w", f, err)
		}
		root := doc.root
		if root.local != "schema" || root.space() != nsXSD {
			return "", fmt.Errorf("%s: not a schema", f)
		}
		tns, _ := attr1(root, "targetNamespace")
		sp := spaces[tns]
		if sp == nil {
			sp = &space{prefixes: map[string]string{}, components: map[string]component{}}
			spaces[tns] = sp
		}
		for _, d := range root.ns {
			if d.prefix == "" {
				continue
			}
			if old, ok := sp.prefixes[d.prefix]; ok && old != d.uri {
				return "", fmt.Errorf("%s: prefix %s is %s here and %s elsewhere", f, d.prefix, d.uri, old)
			}
			sp.prefixes[d.prefix] = d.uri
		}
		for _, c := range root.children {
			if c.kind != elementNode || c.space() != nsXSD {
				continue
			}
			switch c.local {
			case "include", "import", "annotation":
				continue
			}
			name := attrValue(c, "name")
			body, err := canonicalise(doc, c, nil, c14nMode{exclusive: true})
			if err != nil {
				return "", fmt.Errorf("%s: %w", f, err)
			}
			key := c.local + " " + name
			if old, ok := sp.components[key]; ok {
				if !bytes.Equal(old.body, body) {
					return "", fmt.Errorf("%s %s defined differently in %s and %s", c.local, name, old.file, f)
				}
				continue
			}
			sp.components[key] = component{c.local, name, body, f}
		}
	}
	fileOf := func(ns string) string {
		if ns == "" {
			return "entities.xsd"
		}
		return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(ns, "http://www.cise.eu/datamodel/v1/"), "/"), "/", "-") + ".xsd"
	}
	for ns, sp := range spaces {
		var b bytes.Buffer
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
		b.WriteString(`<xs:schema xmlns:xs="` + nsXSD + `"`)
		if ns != "" {
			b.WriteString(` targetNamespace="` + ns + `"`)
		}
		prefixes := slices.Sorted(func(yield func(string) bool) {
			for p := range sp.prefixes {
				if !yield(p) {
					return
				}
			}
		})
		imports := map[string]bool{}
		for _, p := range prefixes {
			uri := sp.prefixes[p]
			if p == "xs" {
				continue
			}
			fmt.Fprintf(&b, ` xmlns:%s="%s"`, p, uri)
			if uri != ns && uri != nsXSD {
				imports[uri] = true
			}
		}
		if ns == "" {
			// The top-level elements' file imports every namespace.
			for other := range spaces {
				if other != "" {
					imports[other] = true
				}
			}
		}
		b.WriteString(">\n")
		for _, uri := range slices.Sorted(func(yield func(string) bool) {
			for u := range imports {
				if !yield(u) {
					return
				}
			}
		}) {
			if _, ok := spaces[uri]; !ok {
				return "", fmt.Errorf("namespace %s is used but defined nowhere", uri)
			}
			fmt.Fprintf(&b, `<xs:import namespace="%s" schemaLocation="%s"/>`+"\n", uri, fileOf(uri))
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range sp.components {
				if !yield(k) {
					return
				}
			}
		})
		for _, k := range keys {
			b.Write(sp.components[k].body)
			b.WriteByte('\n')
		}
		b.WriteString("</xs:schema>\n")
		if err := os.WriteFile(filepath.Join(dst, fileOf(ns)), b.Bytes(), 0o600); err != nil {
			return "", err
		}
	}
	if spaces[""] == nil {
		return "", errors.New("no schema of top-level elements")
	}
	return filepath.Join(dst, fileOf("")), nil
}

var (
	flatOnce   sync.Once
	flatSchema string
	flatErr    error
)

// dataModelSchema returns the flattened data-model schema, made once per
// test binary.
func dataModelSchema(t *testing.T) string {
	t.Helper()
	src := ciseData(t, "xsd", "datamodel")
	xmllint(t)
	flatOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cise-xsd-")
		if err != nil {
			flatErr = err
			return
		}
		flatSchema, flatErr = flattenDataModel(src, dir)
	})
	if flatErr != nil {
		t.Fatal(flatErr)
	}
	return flatSchema
}

// envelopeOnly returns the message with its payload's entities set aside:
// every child of Payload that is not one of the payload's own fields.
func envelopeOnly(t *testing.T, msg []byte) []byte {
	t.Helper()
	doc, err := parseTree(msg)
	if err != nil {
		t.Fatal(err)
	}
	own := []string{"InformationSecurityLevel", "InformationSensitivity", "IsPersonalData", "Purpose",
		"RetentionPeriod", "EnsureEncryption", "Entities"}
	for _, c := range doc.root.children {
		if c.kind == elementNode && c.local == "Payload" {
			c.children = slices.DeleteFunc(c.children, func(n *node) bool {
				return n.kind == elementNode && !slices.Contains(own, n.local)
			})
		}
	}
	out, err := canonicalise(doc, doc.root, nil, c14nMode{comments: true})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// validate runs xmllint --schema on the document.
func validate(t *testing.T, schema string, doc []byte) error {
	t.Helper()
	_, err := runXmllint(t, doc, "--noout", "--schema", schema)
	return err
}

func TestEnvelopesValidate(t *testing.T) {
	schema := ciseData(t, "xsd", "servicemodel", "message.xsd")
	xmllint(t)
	signer := testSigner(t)
	for name, m := range sampleMessages() {
		t.Run(name, func(t *testing.T) {
			out, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, schema, envelopeOnly(t, out)); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
			signed, err := signer.Sign(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, schema, envelopeOnly(t, signed)); err != nil {
				t.Errorf("signed: %v\n%s", err, signed)
			}
		})
	}
	// The templates, as published, validate once their entities are set
	// aside; written back by Pharos, too.
	for name, b := range templates(t) {
		t.Run(name, func(t *testing.T) {
			if err := validate(t, schema, envelopeOnly(t, b)); err != nil {
				t.Errorf("template: %v", err)
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, schema, envelopeOnly(t, out)); err != nil {
				t.Errorf("written back: %v\n%s", err, out)
			}
		})
	}
}

func TestEnvelopeCheckBites(t *testing.T) {
	// The same check refuses an envelope out of order and one with an
	// entity left in (the quirk that makes envelopeOnly necessary).
	schema := ciseData(t, "xsd", "servicemodel", "message.xsd")
	xmllint(t)
	m := sampleMessages()["minimal"]
	out, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	swapped := bytes.Replace(out, []byte("<MessageID>m</MessageID><Priority>Low</Priority>"), []byte("<Priority>Low</Priority><MessageID>m</MessageID>"), 1)
	if bytes.Equal(swapped, out) {
		t.Fatal("test did not change the order")
	}
	if err := validate(t, schema, swapped); err == nil {
		t.Error("an envelope out of order validates")
	}
	m.Payload = &Payload{SecurityLevel: SecurityNonClassified, Sensitivity: TLPGreen, Purpose: PurposeSAR, Entities: []Entity{&Vessel{MMSI: 1}}}
	out, err = Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate(t, schema, out); err == nil || !strings.Contains(err.Error(), "##other") {
		t.Errorf("an unqualified entity in the payload: %v, want the ##other wildcard's refusal", err)
	}
	if err := validate(t, schema, envelopeOnly(t, out)); err != nil {
		t.Errorf("set aside: %v", err)
	}
}

func TestEntitiesValidate(t *testing.T) {
	schema := dataModelSchema(t)
	for _, ent := range sampleEntities() {
		name := ent.ElementName()
		t.Run(name, func(t *testing.T) {
			out, err := EncodeEntity(ent)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, schema, out); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
		})
	}
}

func TestEntityCheckBites(t *testing.T) {
	schema := dataModelSchema(t)
	for name, doc := range map[string]string{
		"order":     `<Vessel><MMSI>1</MMSI><IMONumber>2</IMONumber></Vessel>`,
		"enum":      `<Vessel><ShipType>Submarine</ShipType></Vessel>`,
		"type":      `<Vessel><MMSI>one</MMSI></Vessel>`,
		"abstract":  `<Incident><InvolvedWithRel><Event/></InvolvedWithRel></Incident>`,
		"qualified": `<Vessel xmlns="http://www.cise.eu/datamodel/v1/entity/vessel/"><MMSI>1</MMSI></Vessel>`,
	} {
		if err := validate(t, schema, []byte(doc)); err == nil {
			t.Errorf("%s: %s validates", name, doc)
		}
	}
	// And takes the reference's own entities.
	for name, b := range templates(t) {
		m, err := Decode(b)
		if err != nil || m.Payload == nil {
			continue
		}
		doc, err := parseTree(b)
		if err != nil {
			t.Fatal(err)
		}
		walk(doc.root, func(n *node) {
			if n.parent != nil && n.parent.local == "Payload" && newEntity(n.local) != nil {
				out, err := canonicalise(doc, n, nil, c14nMode{exclusive: true})
				if err != nil {
					t.Fatal(err)
				}
				if err := validate(t, schema, out); err != nil {
					t.Errorf("%s %s: %v", name, n.local, err)
				}
			}
		})
	}
}
