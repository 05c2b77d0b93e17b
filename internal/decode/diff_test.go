package decode

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diffDocs are valid documents on which this package and encoding/json must
// agree exactly.
var diffDocs = []string{
	`"plain ascii"`,
	`""`,
	`"escapes \" \\ \/ \b \f \n \r \t \u0000 \u001f \u007f \u00e9 \u4e2d \uffff"`,
	`"pairs \ud83d\ude00 \uD834\uDD1E, lone \ud800 \udc00 \ud800\ud800 \ud800x \udbff\udfff"`,
	"\"invalid utf-8: \xff \xc3 \xe4\xb8 \xf0\x9f\x98 \xed\xa0\x80 \xc0\xaf \xf8\x88\x80\x80\x80\"",
	"\"valid utf-8: é 中 😀 \u2028 \ufeff \"",
	"\"mixed \xff\\n\xe2\x82\"",
	`{"key \u00e9": "v", "k\"q": "w", "dup": 1, "dup": 2}`,
	`[0, -0, 1, -1, 3.0, 1e3, 1E+3, 1e-3, -2.5e-10, 0.1, 0.30000000000000004, 123456789, 9007199254740993,
	  9223372036854775807, -9223372036854775808, 1.7976931348623157e308, 5e-324, 4.9e-324, 1e-400,
	  12345678901234567890123, 2.2250738585072014e-308, 1.00000000000000011102230246251565404236316680908203125]`,
	`{"nested": {"a": [1, [2, [3, {"b": null}]]], "c": true, "d": false}, "e": [], "f": {}}`,
}

func TestDifferentialTree(t *testing.T) {
	for _, doc := range diffDocs {
		data := []byte(doc)
		require.True(t, json.Valid(data), doc)

		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		require.NoError(t, dec.Decode(&want))

		d := New(data)
		got := tree(d)
		require.NoError(t, d.Finish())
		assert.Equal(t, want, got, doc)
	}
}

func TestDifferentialStrings(t *testing.T) {
	for _, doc := range diffDocs {
		if doc[0] != '"' {
			continue
		}
		var want string
		require.NoError(t, json.Unmarshal([]byte(doc), &want))
		d := New([]byte(doc))
		got := d.String()
		require.NoError(t, d.Finish())
		assert.Equal(t, want, got, doc)
	}
}

func TestDifferentialNumbers(t *testing.T) {
	var doc []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(diffDocs[8]), &doc))
	for _, raw := range doc {
		in := []byte(raw)

		var wantF float64
		errF := json.Unmarshal(in, &wantF)
		d := New(in)
		gotF := d.Float64()
		if errF != nil {
			assert.Error(t, d.Finish(), "%s", in)
		} else if assert.NoError(t, d.Finish(), "%s", in) {
			assert.Equal(t, math.Float64bits(wantF), math.Float64bits(gotF), "%s", in)
		}

		// encoding/json rejects integral numbers written with a fraction or
		// exponent, which this package deliberately accepts; compare only
		// where encoding/json succeeds.
		var wantI int64
		if json.Unmarshal(in, &wantI) == nil {
			d := New(in)
			gotI := d.Int64()
			require.NoError(t, d.Finish(), "%s", in)
			assert.Equal(t, wantI, gotI, "%s", in)
		}
		var wantI32 int32
		if json.Unmarshal(in, &wantI32) == nil {
			d := New(in)
			gotI := d.Int32()
			require.NoError(t, d.Finish(), "%s", in)
			assert.Equal(t, wantI32, gotI, "%s", in)
		} else {
			// encoding/json refuses anything with a fraction or exponent;
			// here integral values are fine as long as they fit.
			d := New(in)
			gotI := d.Int32()
			if d.Finish() == nil {
				require.NoError(t, errF, "%s", in)
				assert.Equal(t, wantF, float64(gotI), "%s", in)
			}
		}

		// Quoted numbers decode like unquoted ones.
		q := append(append([]byte(`"`), in...), '"')
		d = New(q)
		gotQ := d.Float64()
		if errF == nil && assert.NoError(t, d.Finish(), "%s", q) {
			assert.Equal(t, math.Float64bits(wantF), math.Float64bits(gotQ), "%s", q)
		}
	}
}

// TestDifferentialStruct decodes the benchmark document both ways.
func TestDifferentialStruct(t *testing.T) {
	data := benchDocument()
	var want []benchResource
	require.NoError(t, json.Unmarshal(data, &want))

	got := decodeResources(New(data))
	require.Len(t, got, len(want))
	for i := range want {
		require.True(t, want[i].CreateTime.Equal(got[i].CreateTime), "%v != %v", want[i].CreateTime, got[i].CreateTime)
		want[i].CreateTime = got[i].CreateTime // same instant; Location pointers differ
		assert.Equal(t, want[i], got[i])
	}
}
