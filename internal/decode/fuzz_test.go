package decode

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walk consumes one value of unknown shape through the pull API only
// (never Skip for containers), so that it exercises the same paths as
// generated code.
func walk(d *Decoder) {
	switch d.Peek() {
	case Object:
		if d.BeginObject() {
			for {
				if _, ok := d.NextKey(); !ok {
					break
				}
				walk(d)
			}
		}
	case Array:
		if d.BeginArray() {
			for d.NextElem() {
				walk(d)
			}
		}
	case String, Number:
		_ = d.String()
	case Bool:
		d.Bool()
	default:
		d.Skip() // null, or an invalid byte that Skip reports
	}
}

// tree decodes a value into the shapes encoding/json produces for an
// interface{} with UseNumber, so that both decoders can be compared.
func tree(d *Decoder) any {
	switch d.Peek() {
	case Object:
		m := map[string]any{}
		if d.BeginObject() {
			for {
				k, ok := d.NextKey()
				if !ok {
					break
				}
				key := string(k) // k is only valid until the next call
				m[key] = tree(d)
			}
		}
		return m
	case Array:
		a := []any{}
		if d.BeginArray() {
			for d.NextElem() {
				a = append(a, tree(d))
			}
		}
		return a
	case String:
		return d.String()
	case Number:
		return json.Number(d.String())
	case Bool:
		return d.Bool()
	default:
		d.Skip()
		return nil
	}
}

// nesting returns the maximum container depth of a document, ignoring
// brackets inside strings. It is only meaningful for valid JSON.
func nesting(data []byte) int {
	depth, maxDepth := 0, 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			maxDepth = max(maxDepth, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return maxDepth
}

// jsonTrim removes the whitespace JSON allows around a document.
func jsonTrim(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }

func FuzzDecoder(f *testing.F) {
	seeds := []string{
		`{"AccountId":"123","Count":"5","Tags":[{"Key":"k","Value":"v"}],"JoinTime":"2021-06-05T14:39:13+08:00"}`,
		`[1, -0.5e+10, "2", true, false, null, {}, []]`,
		`"\ud83d\ude00\ud83d\u0041\ude00\"\\\/\b\f\n\r\t"`,
		"\"\xff\xfe\xed\xa0\x80 \xe4\xb8\"",
		`{"a":{"b":{"c":[[[[{"d":null}]]]]}}}`,
		`  123456789012345678901234567890e-5  `,
		`{"a":1,"a":2}`,
		`[1,]`,
		`{"a" 1}`,
		`"\u12`,
		"[\"a\x00\"]",
		`01`,
		`[` + string(bytes.Repeat([]byte("["), 600)),
		`{"t":"2022-01-01 00:00:00","u":1609459200000,"b":"TRUE","f":" 1.5 "}`,
		``,
		`nul`,
		`[1e400, -1e-400, 1E+2]`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := json.Valid(data)
		tooDeep := valid && nesting(data) > MaxDepth

		check := func(what string, err error) {
			switch {
			case tooDeep:
				require.Error(t, err, what)
				assert.Contains(t, err.Error(), "maximum nesting depth", what)
			case valid:
				require.NoError(t, err, "%s: %q", what, data)
			default:
				require.Error(t, err, "%s: %q", what, data)
			}
		}

		d := New(data)
		d.Skip()
		check("Skip", d.Finish())

		d.Reset(data)
		walk(d)
		check("walk", d.Finish())

		d.Reset(data)
		raw := d.Raw()
		check("Raw", d.Finish())
		if valid && !tooDeep {
			assert.Equal(t, jsonTrim(data), raw)
		}

		d.Reset(data)
		got := tree(d)
		check("tree", d.Finish())
		if valid && !tooDeep {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var want any
			require.NoError(t, dec.Decode(&want))
			require.Equal(t, want, got)
		}

		// The scalar accessors must never panic, whatever they are fed.
		for _, get := range []func(*Decoder){
			func(d *Decoder) { d.Int32() },
			func(d *Decoder) { d.Int64() },
			func(d *Decoder) { d.Float64() },
			func(d *Decoder) { d.Bool() },
			func(d *Decoder) { d.Time() },
			func(d *Decoder) { d.BeginObject(); d.NextKey() },
			func(d *Decoder) { d.BeginArray(); d.NextElem() },
		} {
			d.Reset(data)
			get(d)
			_ = d.Finish()
		}
	})
}
