package decode

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Account and Tag mirror what the code generator emits; decoding them here
// checks that the intended calling pattern works end to end.
type Account struct {
	AccountId string
	Count     int32
	Size      int64
	Ratio     float64
	Enabled   bool
	JoinTime  time.Time
	Tags      []Tag
	Names     []string
}

type Tag struct {
	Key   string
	Value string
}

func (v *Tag) decode(d *Decoder) {
	if !d.BeginObject() {
		return
	}
	for {
		key, ok := d.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "Key":
			v.Key = d.String()
		case "Value":
			v.Value = d.String()
		default:
			d.Skip()
		}
	}
}

func (v *Account) decode(d *Decoder) {
	if !d.BeginObject() {
		return
	}
	for {
		key, ok := d.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "AccountId":
			v.AccountId = d.String()
		case "Count":
			v.Count = d.Int32()
		case "Size":
			v.Size = d.Int64()
		case "Ratio":
			v.Ratio = d.Float64()
		case "Enabled":
			v.Enabled = d.Bool()
		case "JoinTime":
			v.JoinTime = d.Time()
		case "Tags":
			if d.BeginArray() {
				for d.NextElem() {
					var t Tag
					t.decode(d)
					v.Tags = append(v.Tags, t)
				}
			}
		case "Names":
			if d.BeginArray() {
				for d.NextElem() {
					v.Names = append(v.Names, d.String())
				}
			}
		default:
			d.Skip()
		}
	}
}

func decodeAccount(t *testing.T, in string) (Account, error) {
	t.Helper()
	var a Account
	d := New([]byte(in))
	a.decode(d)
	return a, d.Finish()
}

func TestGeneratedUsage(t *testing.T) {
	in := `{
		"AccountId": "1234567890",
		"Count": "12",
		"Size": 9007199254740993,
		"Ratio": "0.25",
		"Enabled": "True",
		"JoinTime": "2021-06-05T14:39:13+08:00",
		"Unknown": {"deep": [1, {"x": null}, "s\"tr"], "n": -1.5e3},
		"Tags": [{"Key": "env", "Value": "prod", "Extra": [true]}, null, {"Key": "k\u00e9"}],
		"Names": ["a", 1, true, null],
		"Empty": {}, "EmptyArr": []
	}`
	a, err := decodeAccount(t, in)
	require.NoError(t, err)
	assert.Equal(t, "1234567890", a.AccountId)
	assert.Equal(t, int32(12), a.Count)
	assert.Equal(t, int64(9007199254740993), a.Size)
	assert.Equal(t, 0.25, a.Ratio)
	assert.True(t, a.Enabled)
	assert.True(t, a.JoinTime.Equal(time.Date(2021, 6, 5, 6, 39, 13, 0, time.UTC)), a.JoinTime)
	assert.Equal(t, []Tag{{"env", "prod"}, {}, {Key: "ké"}}, a.Tags)
	assert.Equal(t, []string{"a", "1", "true", ""}, a.Names)
}

func TestGeneratedUsageNullAndEmpty(t *testing.T) {
	for _, in := range []string{`null`, ` null `, `{}`, " {\n} ", `{"Tags":null,"Names":null}`, `{"Tags":[],"Names":[]}`} {
		a, err := decodeAccount(t, in)
		require.NoError(t, err, in)
		assert.Equal(t, Account{}, a, in)
	}
}

func TestGeneratedUsageErrors(t *testing.T) {
	tests := []struct{ in, err string }{
		{``, `decode: unexpected end of input at offset 0: expected object`},
		{`[]`, `decode: expected object, found array at offset 0`},
		{`{"Tags": {}}`, `decode: expected array, found object at offset 9`},
		{`{"AccountId": {}}`, `decode: expected string, found object at offset 14`},
		{`{"Names": [[]]}`, `decode: expected string, found array at offset 11`},
		{`{"Count": 1.5}`, `decode: expected int32, found number 1.5 (not an integer) at offset 10`},
		{`{"Count": 3000000000}`, `decode: expected int32, found number 3000000000 (out of range) at offset 10`},
		{`{"AccountId" "x"}`, `decode: invalid character '"' at offset 13: expected ':'`},
		{`{"AccountId": "x",}`, `decode: invalid character '}' at offset 18: expected string key`},
		{`{"AccountId": "x" "Count": 1}`, `decode: invalid character '"' at offset 18: expected ',' or '}'`},
		{`{"Names": ["a" "b"]}`, `decode: invalid character '"' at offset 15: expected ',' or ']'`},
		{`{"Names": ["a",]}`, `decode: invalid character ']' at offset 15: expected string`},
		{`{"Unknown": [1,]}`, `decode: invalid character ']' at offset 15: expected value`},
		{`{"Unknown": x}`, `decode: invalid character 'x' at offset 12: expected value`},
		{`{1: 2}`, `decode: invalid character '1' at offset 1: expected string key or '}'`},
		{`{"AccountId": "x"`, `decode: unexpected end of input at offset 17: expected ',' or '}'`},
		{`{"AccountId": "x`, `decode: unexpected end of input in string literal at offset 16: expected '"'`},
		{`{"AccountId": "x"} {}`, `decode: invalid character '{' after top-level value at offset 19: expected end of input`},
		{`{} x`, `decode: invalid character 'x' after top-level value at offset 3: expected end of input`},
		{`{}}`, `decode: invalid character '}' after top-level value at offset 2: expected end of input`},
		{`{"Tags": [{"Key": tru}]}`, `decode: invalid character '}' in literal true at offset 21: expected 'e'`},
		{"{\"Names\": [\"a\x00\"]}", `decode: invalid character '\x00' in string literal at offset 13`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := decodeAccount(t, tt.in)
			require.Error(t, err)
			assert.Equal(t, tt.err, err.Error())
			var se *SyntaxError
			require.True(t, errors.As(err, &se))
		})
	}
}

func TestSyntaxErrorFormat(t *testing.T) {
	assert.Equal(t, `decode: invalid character 'x' at offset 17: expected ':'`,
		(&SyntaxError{Offset: 17, Msg: `invalid character 'x': expected ':'`}).Error())
	assert.Equal(t, `decode: expected string, found object at offset 42`,
		(&SyntaxError{Offset: 42, Msg: `expected string, found object`}).Error())
}

func TestErrorSnippetIsBounded(t *testing.T) {
	long := strings.Repeat("x", 1000)
	d := New([]byte(`"` + long + `"`))
	d.Int64()
	err := d.Finish()
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 100, err.Error())
	assert.Contains(t, err.Error(), `expected int64, found string "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... at offset 0`)

	d = New([]byte(strings.Repeat("1", 1000) + ".5"))
	d.Int64()
	require.Error(t, d.Err())
	assert.Less(t, len(d.Err().Error()), 120, d.Err().Error())
}

func TestStickyError(t *testing.T) {
	d := New([]byte(`[{"a":1}, "x", 2, true]`))
	require.True(t, d.BeginArray())
	require.True(t, d.NextElem())
	assert.Equal(t, "", d.String())
	first := d.Err()
	require.Error(t, first)
	assert.Equal(t, `decode: expected string, found object at offset 1`, first.Error())

	// Every method is now a no-op returning zero values.
	assert.False(t, d.NextElem())
	assert.Equal(t, "", d.String())
	assert.Zero(t, d.Int32())
	assert.Zero(t, d.Int64())
	assert.Zero(t, d.Float64())
	assert.False(t, d.Bool())
	assert.True(t, d.Time().IsZero())
	assert.Nil(t, d.Raw())
	assert.False(t, d.BeginObject())
	assert.False(t, d.BeginArray())
	k, ok := d.NextKey()
	assert.Nil(t, k)
	assert.False(t, ok)
	assert.Equal(t, Invalid, d.Peek())
	d.Skip()
	assert.Same(t, first, d.Err())
	assert.Same(t, first, d.Finish())
	assert.Same(t, first, d.Finish())
}

func TestReset(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"a":`))
	require.True(t, d.BeginObject())
	_, ok := d.NextKey()
	require.True(t, ok)
	d.Skip()
	require.Error(t, d.Finish())

	d.Reset([]byte(` "ok" `))
	assert.Equal(t, "ok", d.String())
	require.NoError(t, d.Finish())

	// Reset while nested must forget the open containers.
	d.Reset([]byte(`[[`))
	d.BeginArray()
	d.NextElem()
	d.BeginArray()
	d.Reset([]byte(`[1]`))
	require.True(t, d.BeginArray())
	require.True(t, d.NextElem())
	assert.Equal(t, int64(1), d.Int64())
	require.False(t, d.NextElem())
	require.NoError(t, d.Finish())
}

func TestFinish(t *testing.T) {
	tests := []struct {
		in  string
		err string
	}{
		{"  \t\r\n", ""}, // nothing read, nothing left
		{`1 `, ""},
		{`1 2`, `decode: invalid character '2' after top-level value at offset 2: expected end of input`},
		{`1,`, `decode: invalid character ',' after top-level value at offset 1: expected end of input`},
		{"1\x00", `decode: invalid character '\x00' after top-level value at offset 1: expected end of input`},
		{`01`, `decode: invalid character '1' after top-level value at offset 1: expected end of input`},
		{"\"a\"\xff", `decode: invalid character '\xff' after top-level value at offset 3: expected end of input`},
		{`"a" é`, `decode: invalid character 'é' after top-level value at offset 4: expected end of input`},
	}
	for _, tt := range tests {
		d := New([]byte(tt.in))
		if strings.TrimSpace(tt.in) != "" {
			d.Skip()
		}
		err := d.Finish()
		if tt.err == "" {
			assert.NoError(t, err, tt.in)
		} else if assert.Error(t, err, tt.in) {
			assert.Equal(t, tt.err, err.Error())
		}
	}

	// An object left open by the caller is reported, not silently accepted.
	d := New([]byte(`{"a":1}`))
	require.True(t, d.BeginObject())
	_, ok := d.NextKey()
	require.True(t, ok)
	assert.Equal(t, int64(1), d.Int64())
	err := d.Finish()
	require.Error(t, err)
	assert.Equal(t, `decode: value not fully decoded at offset 6: expected '}'`, err.Error())
}

func TestContainers(t *testing.T) {
	d := New([]byte(" \n{ \"a\" : [ 1 , 2 , [ ] , { } ] , \"b\\u0042\" : { \"c\" : null } , \"a\" : \"dup\" } \t"))
	require.True(t, d.BeginObject())

	k, ok := d.NextKey()
	require.True(t, ok)
	assert.Equal(t, "a", string(k))
	require.True(t, d.BeginArray())
	require.True(t, d.NextElem())
	assert.Equal(t, int64(1), d.Int64())
	require.True(t, d.NextElem())
	assert.Equal(t, int32(2), d.Int32())
	require.True(t, d.NextElem())
	require.True(t, d.BeginArray())
	require.False(t, d.NextElem())
	require.True(t, d.NextElem())
	require.True(t, d.BeginObject())
	_, ok = d.NextKey()
	require.False(t, ok)
	require.False(t, d.NextElem())

	k, ok = d.NextKey()
	require.True(t, ok)
	assert.Equal(t, "bB", string(k))
	require.True(t, d.BeginObject())
	k, ok = d.NextKey()
	require.True(t, ok)
	assert.Equal(t, "c", string(k))
	assert.False(t, d.BeginObject()) // null
	_, ok = d.NextKey()
	require.False(t, ok)

	// Duplicate keys are simply reported again.
	k, ok = d.NextKey()
	require.True(t, ok)
	assert.Equal(t, "a", string(k))
	assert.Equal(t, "dup", d.String())

	_, ok = d.NextKey()
	require.False(t, ok)
	require.NoError(t, d.Finish())
}

func TestContainerMisuse(t *testing.T) {
	d := New([]byte(`{}`))
	_, ok := d.NextKey()
	assert.False(t, ok)
	assert.EqualError(t, d.Err(), "decode: NextKey called outside an object")

	d = New([]byte(`[]`))
	assert.False(t, d.NextElem())
	assert.EqualError(t, d.Err(), "decode: NextElem called outside an array")

	d = New([]byte(`{"a":[]}`))
	require.True(t, d.BeginObject())
	assert.False(t, d.NextElem())
	assert.EqualError(t, d.Err(), "decode: NextElem called outside an array")

	d = New([]byte(`[{}]`))
	require.True(t, d.BeginArray())
	_, ok = d.NextKey()
	assert.False(t, ok)
	assert.EqualError(t, d.Err(), "decode: NextKey called outside an object")

	// Forgetting to consume an element cannot loop forever.
	d = New([]byte(`[1,2,3]`))
	require.True(t, d.BeginArray())
	n := 0
	for d.NextElem() {
		n++
	}
	assert.Equal(t, 1, n)
	assert.EqualError(t, d.Err(), `decode: invalid character '1' at offset 1: expected ',' or ']'`)

	// Nor can forgetting to consume a member's value.
	d = New([]byte(`{"a":"b","c":1}`))
	require.True(t, d.BeginObject())
	n = 0
	for {
		if _, ok := d.NextKey(); !ok {
			break
		}
		n++
	}
	assert.Equal(t, 1, n)
	assert.EqualError(t, d.Err(), `decode: invalid character '"' at offset 5: expected ',' or '}'`)
}

func TestContainerTruncated(t *testing.T) {
	tests := []struct{ in, err string }{
		{`[`, `decode: unexpected end of input at offset 1: expected value`},
		{`[1,`, `decode: unexpected end of input at offset 3: expected value`},
		{`[1`, `decode: unexpected end of input at offset 2: expected ',' or ']'`},
		{`{`, `decode: unexpected end of input at offset 1: expected string key or '}'`},
		{`{"a"`, `decode: unexpected end of input at offset 4: expected ':'`},
		{`{"a":`, `decode: unexpected end of input at offset 5: expected value`},
		{`{"a":1,`, `decode: unexpected end of input at offset 7: expected string key`},
		{`{"a`, `decode: unexpected end of input in string literal at offset 3: expected '"'`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			// Through Skip ...
			d := New([]byte(tt.in))
			d.Skip()
			require.Error(t, d.Finish())
			assert.Equal(t, tt.err, d.Err().Error())

			// ... and through the pull API.
			d = New([]byte(tt.in))
			walk(d)
			require.Error(t, d.Finish())
			assert.Equal(t, tt.err, d.Err().Error())
		})
	}
}

func TestPeek(t *testing.T) {
	tests := []struct {
		in   string
		want Kind
	}{
		{` {}`, Object}, {`[]`, Array}, {`"s"`, String}, {`-1`, Number}, {`0`, Number},
		{`true`, Bool}, {`false`, Bool}, {`null`, Null}, {``, Invalid}, {`   `, Invalid},
		{`x`, Invalid}, {`+1`, Invalid}, {`}`, Invalid}, {"\x00", Invalid},
	}
	for _, tt := range tests {
		d := New([]byte(tt.in))
		assert.Equal(t, tt.want, d.Peek(), tt.in)
		assert.NoError(t, d.Err(), "Peek must not fail: %q", tt.in)
	}
	assert.Equal(t, "object", Object.String())
	assert.Equal(t, "Kind(99)", Kind(99).String())
}

func TestSkip(t *testing.T) {
	valid := []string{
		`null`, `true`, `false`, `0`, `-0`, `-0.0e+0`, `1E-7`, `123456789012345678901234567890`,
		`""`, `"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800"`, "\"\xff\xfe\"",
		`{}`, `[]`, `{"a":{"b":[1,{"c":[]}]},"d":""}`, ` [ 1 , "2" , [ ] , { } , null ] `,
	}
	for _, in := range valid {
		d := New([]byte(in))
		d.Skip()
		assert.NoError(t, d.Finish(), in)
	}
	invalid := map[string]string{
		`nul`:        `decode: unexpected end of input in literal null at offset 3: expected 'l'`,
		`nulL`:       `decode: invalid character 'L' in literal null at offset 3: expected 'l'`,
		`-`:          `decode: unexpected end of input in numeric literal at offset 1: expected digit`,
		`-a`:         `decode: invalid character 'a' in numeric literal at offset 1: expected digit`,
		`1.`:         `decode: unexpected end of input after decimal point in numeric literal at offset 2: expected digit`,
		`1.e5`:       `decode: invalid character 'e' after decimal point in numeric literal at offset 2: expected digit`,
		`1e`:         `decode: unexpected end of input in exponent of numeric literal at offset 2: expected digit`,
		`1e+`:        `decode: unexpected end of input in exponent of numeric literal at offset 3: expected digit`,
		`+1`:         `decode: invalid character '+' at offset 0: expected value`,
		`.5`:         `decode: invalid character '.' at offset 0: expected value`,
		`"\x"`:       `decode: invalid character 'x' in string escape code at offset 2`,
		`"\u12x4"`:   `decode: invalid character 'x' in \u hexadecimal character escape at offset 5`,
		`"\u12`:      `decode: unexpected end of input in \u hexadecimal character escape at offset 5`,
		`"\`:         `decode: unexpected end of input in string escape code at offset 2`,
		"\"a\tb\"":   `decode: invalid character '\t' in string literal at offset 2`,
		`[1,]`:       `decode: invalid character ']' at offset 3: expected value`,
		`[,1]`:       `decode: invalid character ',' at offset 1: expected value`,
		`{"a":1,}`:   `decode: invalid character '}' at offset 7: expected string key`,
		`{"a" 1}`:    `decode: invalid character '1' at offset 5: expected ':'`,
		`{"a":1 2}`:  `decode: invalid character '2' at offset 7: expected ',' or '}'`,
		`{"a":1]`:    `decode: invalid character ']' at offset 6: expected ',' or '}'`,
		`[1}`:        `decode: invalid character '}' at offset 2: expected ',' or ']'`,
		`{a:1}`:      `decode: invalid character 'a' at offset 1: expected string key or '}'`,
		`[`:          `decode: unexpected end of input at offset 1: expected value`,
		"":           `decode: unexpected end of input at offset 0: expected value`,
		"\x00":       `decode: invalid character '\x00' at offset 0: expected value`,
		`[1] [2]`:    `decode: invalid character '[' after top-level value at offset 4: expected end of input`,
		"\ufeff{}":   `decode: invalid character '\ufeff' at offset 0: expected value`,
		`{"a":1}}`:   `decode: invalid character '}' after top-level value at offset 7: expected end of input`,
		`[[[]]`:      `decode: unexpected end of input at offset 5: expected ',' or ']'`,
		`"\ud800\u"`: `decode: invalid character '"' in \u hexadecimal character escape at offset 9`,
	}
	for in, want := range invalid {
		d := New([]byte(in))
		d.Skip()
		err := d.Finish()
		if assert.Error(t, err, in) {
			assert.Equal(t, want, err.Error(), in)
		}
	}
}

func TestRaw(t *testing.T) {
	in := []byte(`{"a": {"b" : [1, "x\n", null]}, "c": "\u00e9", "d": null, "e": 1.5e3}`)
	d := New(in)
	require.True(t, d.BeginObject())
	got := map[string]string{}
	for {
		k, ok := d.NextKey()
		if !ok {
			break
		}
		key := string(k)
		got[key] = string(d.Raw())
	}
	require.NoError(t, d.Finish())
	assert.Equal(t, map[string]string{
		"a": `{"b" : [1, "x\n", null]}`,
		"c": `"\u00e9"`,
		"d": `null`,
		"e": `1.5e3`,
	}, got)

	// Raw returns a copy, independent of the input buffer.
	buf := []byte(` [1,2] `)
	d = New(buf)
	raw := d.Raw()
	require.NoError(t, d.Finish())
	buf[2] = '9'
	assert.Equal(t, "[1,2]", string(raw))

	d = New([]byte(`[1,`))
	assert.Nil(t, d.Raw())
	assert.Error(t, d.Err())
}

func TestDepthLimit(t *testing.T) {
	nestedArrays := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	nestedObjects := func(n int) []byte {
		return []byte(strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n))
	}
	for name, gen := range map[string]func(int) []byte{"arrays": nestedArrays, "objects": nestedObjects} {
		t.Run(name, func(t *testing.T) {
			// Skip and Raw.
			d := New(gen(MaxDepth))
			d.Skip()
			require.NoError(t, d.Finish())
			d = New(gen(MaxDepth))
			assert.Len(t, d.Raw(), len(gen(MaxDepth)))
			require.NoError(t, d.Finish())

			d = New(gen(MaxDepth + 1))
			d.Skip()
			err := d.Finish()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "decode: exceeded maximum nesting depth of 512 at offset ")
			d = New(gen(MaxDepth + 1))
			assert.Nil(t, d.Raw())
			require.Error(t, d.Err())

			// Generic walk via BeginObject / BeginArray.
			d = New(gen(MaxDepth))
			walk(d)
			require.NoError(t, d.Finish())
			d = New(gen(MaxDepth + 1))
			walk(d)
			require.Error(t, d.Finish())
			assert.Contains(t, d.Err().Error(), "exceeded maximum nesting depth")

			// Huge depth: no stack overflow, error right at the limit.
			d = New(gen(1_000_000))
			d.Skip()
			require.Error(t, d.Finish())
			d = New(gen(1_000_000))
			walk(d)
			require.Error(t, d.Finish())
		})
	}

	// Depth is shared between the pull API and Skip.
	in := nestedArrays(MaxDepth)
	d := New(in)
	for i := 0; i < 300; i++ {
		require.True(t, d.BeginArray())
		require.True(t, d.NextElem())
	}
	d.Skip() // 212 levels left: fits exactly
	for i := 0; i < 300; i++ {
		require.False(t, d.NextElem())
	}
	require.NoError(t, d.Finish())

	d = New(nestedArrays(MaxDepth + 1))
	for i := 0; i < 300; i++ {
		require.True(t, d.BeginArray())
		require.True(t, d.NextElem())
	}
	d.Skip()
	assert.Equal(t, `decode: exceeded maximum nesting depth of 512 at offset 512`, d.Finish().Error())
}

func TestNoPanicOnTruncation(t *testing.T) {
	doc := []byte(`{"AccountId":"a\u00e9\ud83d\ude00","Count":"12","Size":1e3,"Ratio":0.5,"Enabled":true,` +
		`"JoinTime":"2021-06-05T14:39:13.123+08:00","Tags":[{"Key":"k","Value":"v"}],"Names":["x",null],"X":[{},[],null,false]}`)
	for i := 0; i <= len(doc); i++ {
		in := doc[:i]
		_, err := decodeAccount(t, string(in))
		if i == len(doc) {
			assert.NoError(t, err)
		} else {
			assert.Error(t, err, "%s", in)
		}
		d := New(bytes.Clone(in))
		walk(d)
		if i < len(doc) {
			assert.Error(t, d.Finish(), "%s", in)
		}
	}
}
