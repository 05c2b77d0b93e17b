package emulator

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// The services answer Format=XML with the same document as the JSON one,
// spelt as elements: the root is <ActionResponse> (<Error> for errors), an
// object member is an element of the member's name, and an array repeats
// the element of the array's name once per item, as the API reference's
// XML examples show. The JSON reply is the one source; this converts it,
// in member order.

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// jsonToXML renders a JSON object as an XML document whose root element is
// named root.
func jsonToXML(root string, body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out bytes.Buffer
	out.WriteString(xmlHeader)
	if err := xmlValue(&out, dec, root); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("xml: trailing data after the reply")
	}
	return out.Bytes(), nil
}

// xmlValue writes the next JSON value as element(s) named name.
func xmlValue(out *bytes.Buffer, dec *json.Decoder, name string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			out.WriteString("<" + name + ">")
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				k, ok := key.(string)
				if !ok || !validXMLName(k) {
					return fmt.Errorf("xml: member %v cannot be an element name", key)
				}
				if err := xmlValue(out, dec, k); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			out.WriteString("</" + name + ">")
		case '[':
			for dec.More() {
				if err := xmlValue(out, dec, name); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return err
			}
		default:
			return fmt.Errorf("xml: unexpected %v", t)
		}
	case nil:
		out.WriteString("<" + name + "></" + name + ">")
	default:
		out.WriteString("<" + name + ">")
		if err := xml.EscapeText(out, []byte(fmt.Sprint(t))); err != nil {
			return err
		}
		out.WriteString("</" + name + ">")
	}
	return nil
}

// validXMLName accepts the names the services use: letters, digits and _.
func validXMLName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
