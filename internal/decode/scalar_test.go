package decode

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scalarCase is shared by the per-method tables: in is a complete JSON
// document, err the expected Finish error (empty for success).
type scalarCase[T any] struct {
	in   string
	want T
	err  string
}

func runScalar[T any](t *testing.T, cases []scalarCase[T], get func(*Decoder) T) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.in, func(t *testing.T) {
			d := New([]byte(tt.in))
			got := get(d)
			failedInCall := d.Err() != nil
			err := d.Finish()
			if tt.err != "" {
				require.Error(t, err)
				assert.Equal(t, tt.err, err.Error())
				if failedInCall {
					var zero T
					assert.Equal(t, zero, got, "value on error must be the zero value")
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestString(t *testing.T) {
	runScalar(t, []scalarCase[string]{
		{in: `"abc"`, want: "abc"},
		{in: ` "a b" `, want: "a b"},
		{in: `""`, want: ""},
		{in: `"  "`, want: "  "},
		{in: `123`, want: "123"},
		{in: `-1.5e+3`, want: "-1.5e+3"},
		{in: `0`, want: "0"},
		{in: `123456789012345678901234567890`, want: "123456789012345678901234567890"},
		{in: `true`, want: "true"},
		{in: `false`, want: "false"},
		{in: `null`, want: ""},
		// Escapes.
		{in: `"a\"b\\c\/d\b\f\n\r\t"`, want: "a\"b\\c/d\b\f\n\r\t"},
		{in: `"\u0041\u00e9\u4E2D\u0000"`, want: "Aé中\x00"},
		{in: `"x\u0022y"`, want: `x"y`},
		// Surrogates: pairs combine, anything else becomes U+FFFD.
		{in: `"\ud83d\ude00"`, want: "😀"},
		{in: `"\uD83D\uDE00!"`, want: "😀!"},
		{in: `"\ud83d"`, want: "\uFFFD"},
		{in: `"\ud83dx"`, want: "\uFFFDx"},
		{in: `"\ude00"`, want: "\uFFFD"},
		{in: `"\ud83d\ud83d\ude00"`, want: "\uFFFD😀"},
		{in: `"\ud83d\u0041"`, want: "\uFFFDA"},
		{in: `"\ud83d\n"`, want: "\uFFFD\n"},
		// UTF-8: valid passes through, invalid bytes become U+FFFD each.
		{in: `"中文 ✓ 😀"`, want: "中文 ✓ 😀"},
		{in: "\"a\xffb\"", want: "a\uFFFDb"},
		{in: "\"\xe4\xb8\"", want: "\uFFFD\uFFFD"},
		{in: "\"\xed\xa0\x80\"", want: "\uFFFD\uFFFD\uFFFD"}, // UTF-8 encoded surrogate
		{in: "\"\xc0\xaf\\n\"", want: "\uFFFD\uFFFD\n"},
		{in: "\"\uFFFD\"", want: "\uFFFD"},
		{in: "\"\x7f\"", want: "\x7f"},
		// Errors.
		{in: `{}`, err: `decode: expected string, found object at offset 0`},
		{in: ` []`, err: `decode: expected string, found array at offset 1`},
		{in: ``, err: `decode: unexpected end of input at offset 0: expected string`},
		{in: `x`, err: `decode: invalid character 'x' at offset 0: expected string`},
		{in: `"abc`, err: `decode: unexpected end of input in string literal at offset 4: expected '"'`},
		{in: `"a\qb"`, err: `decode: invalid character 'q' in string escape code at offset 3`},
		{in: `"a\'"`, err: `decode: invalid character '\'' in string escape code at offset 3`},
		{in: `"\u12G4"`, err: `decode: invalid character 'G' in \u hexadecimal character escape at offset 5`},
		{in: `"\ud83d\u12G4"`, err: `decode: invalid character 'G' in \u hexadecimal character escape at offset 11`},
		{in: `"\u12"`, err: `decode: invalid character '"' in \u hexadecimal character escape at offset 5`},
		{in: `"\`, err: `decode: unexpected end of input in string escape code at offset 2`},
		{in: "\"a\x01\"", err: `decode: invalid character '\x01' in string literal at offset 2`},
		{in: "\"a\nb\"", err: `decode: invalid character '\n' in string literal at offset 2`},
		{in: "\"a\\n\x1f\"", err: `decode: invalid character '\x1f' in string literal at offset 4`},
		{in: "\"\xff\x00\"", err: `decode: invalid character '\x00' in string literal at offset 2`},
		{in: `tru`, err: `decode: unexpected end of input in literal true at offset 3: expected 'e'`},
		{in: `trUe`, err: `decode: invalid character 'U' in literal true at offset 2: expected 'u'`},
		{in: `nil`, err: `decode: invalid character 'i' in literal null at offset 1: expected 'u'`},
		{in: `-`, err: `decode: unexpected end of input in numeric literal at offset 1: expected digit`},
		{in: `1.`, err: `decode: unexpected end of input after decimal point in numeric literal at offset 2: expected digit`},
		{in: `1e`, err: `decode: unexpected end of input in exponent of numeric literal at offset 2: expected digit`},
		{in: `.5`, err: `decode: invalid character '.' at offset 0: expected string`},
		{in: `01`, err: `decode: invalid character '1' after top-level value at offset 1: expected end of input`},
	}, (*Decoder).String)
}

func TestKeyUnescaping(t *testing.T) {
	d := New([]byte(`{"plain":1,"a\u0042\n":2,"\ud83d\ude00":3,"` + "\xff" + `":4,"":5}`))
	require.True(t, d.BeginObject())
	var keys []string
	for {
		k, ok := d.NextKey()
		if !ok {
			break
		}
		keys = append(keys, string(k))
		d.Skip()
	}
	require.NoError(t, d.Finish())
	assert.Equal(t, []string{"plain", "aB\n", "😀", "\uFFFD", ""}, keys)
}

func TestInt64(t *testing.T) {
	runScalar(t, []scalarCase[int64]{
		{in: `42`, want: 42},
		{in: `-42`, want: -42},
		{in: `0`, want: 0},
		{in: `-0`, want: 0},
		{in: `"42"`, want: 42},
		{in: `" 42 "`, want: 42},
		{in: `"\t-7\n"`, want: -7},
		{in: `"+5"`, want: 5},
		{in: `"007"`, want: 7},
		{in: `""`, want: 0},
		{in: `"   "`, want: 0},
		{in: `null`, want: 0},
		{in: `3.0`, want: 3},
		{in: `1e3`, want: 1000},
		{in: `1E+3`, want: 1000},
		{in: `"1e3"`, want: 1000},
		{in: `100e-2`, want: 1},
		{in: `1.50e1`, want: 15},
		{in: `0.0`, want: 0},
		{in: `0e999999999999`, want: 0},
		{in: `-0.000e-5`, want: 0},
		{in: `9223372036854775807`, want: math.MaxInt64},
		{in: `-9223372036854775808`, want: math.MinInt64},
		{in: `"-9223372036854775808"`, want: math.MinInt64},
		{in: `9223372036854775807.000`, want: math.MaxInt64},
		{in: `12345678901234567890e-1`, want: 1234567890123456789},
		{in: `0.000000000000000000000000000001e30`, want: 1},
		{in: `9007199254740993`, want: 9007199254740993}, // not representable as float64
		{in: `922337203685477580.7e1`, want: math.MaxInt64},
		{in: `9223372036854775808`, err: `decode: expected int64, found number 9223372036854775808 (out of range) at offset 0`},
		{in: `-9223372036854775809`, err: `decode: expected int64, found number -9223372036854775809 (out of range) at offset 0`},
		{in: `1e19`, err: `decode: expected int64, found number 1e19 (out of range) at offset 0`},
		{in: `1e999999999999999999`, err: `decode: expected int64, found number 1e999999999999999999 (out of range) at offset 0`},
		{in: `123456789012345678901234567890`, err: `decode: expected int64, found number 123456789012345678901234567890 (out of range) at offset 0`},
		{in: `1.5`, err: `decode: expected int64, found number 1.5 (not an integer) at offset 0`},
		{in: `1e-1`, err: `decode: expected int64, found number 1e-1 (not an integer) at offset 0`},
		{in: `10000000000000000000000.1`, err: `decode: expected int64, found number 10000000000000000000000.1 (not an integer) at offset 0`},
		{in: `1.0000000000000000000000000001`, err: `decode: expected int64, found number 1.0000000000000000000000000001 (not an integer) at offset 0`},
		{in: `" 1.5 "`, err: `decode: expected int64, found string "1.5" (not an integer) at offset 0`},
		{in: `"abc"`, err: `decode: expected int64, found string "abc" at offset 0`},
		{in: `"1 2"`, err: `decode: expected int64, found string "1 2" at offset 0`},
		{in: `"0x10"`, err: `decode: expected int64, found string "0x10" at offset 0`},
		{in: `"1_000"`, err: `decode: expected int64, found string "1_000" at offset 0`},
		{in: `"-"`, err: `decode: expected int64, found string "-" at offset 0`},
		{in: `"."`, err: `decode: expected int64, found string "." at offset 0`},
		{in: `"1e"`, err: `decode: expected int64, found string "1e" at offset 0`},
		{in: `true`, err: `decode: expected int64, found bool at offset 0`},
		{in: `false`, err: `decode: expected int64, found bool at offset 0`},
		{in: `{}`, err: `decode: expected int64, found object at offset 0`},
		{in: `[1]`, err: `decode: expected int64, found array at offset 0`},
		{in: `-x`, err: `decode: invalid character 'x' in numeric literal at offset 1: expected digit`},
	}, (*Decoder).Int64)
}

func TestInt32(t *testing.T) {
	runScalar(t, []scalarCase[int32]{
		{in: `2147483647`, want: math.MaxInt32},
		{in: `-2147483648`, want: math.MinInt32},
		{in: `"12"`, want: 12},
		{in: `""`, want: 0},
		{in: `null`, want: 0},
		{in: `2e3`, want: 2000},
		{in: `2147483648`, err: `decode: expected int32, found number 2147483648 (out of range) at offset 0`},
		{in: `"-2147483649"`, err: `decode: expected int32, found string "-2147483649" (out of range) at offset 0`},
		{in: `9223372036854775808`, err: `decode: expected int32, found number 9223372036854775808 (out of range) at offset 0`},
		{in: `0.5`, err: `decode: expected int32, found number 0.5 (not an integer) at offset 0`},
		{in: `true`, err: `decode: expected int32, found bool at offset 0`},
		{in: `{"a":1}`, err: `decode: expected int32, found object at offset 0`},
	}, (*Decoder).Int32)
}

func TestFloat64(t *testing.T) {
	runScalar(t, []scalarCase[float64]{
		{in: `1.5`, want: 1.5},
		{in: `-2.5e-3`, want: -2.5e-3},
		{in: `0`, want: 0},
		{in: `42`, want: 42},
		{in: `"1.5"`, want: 1.5},
		{in: `" 3 "`, want: 3},
		{in: `"+.5"`, want: 0.5},
		{in: `"5."`, want: 5},
		{in: `""`, want: 0},
		{in: `null`, want: 0},
		{in: `1e-400`, want: 0},
		{in: `12345678901234567890`, want: 12345678901234567890},
		{in: `9007199254740993`, want: 9007199254740992},
		{in: `1.7976931348623157e308`, want: math.MaxFloat64},
		{in: `1e400`, err: `decode: expected float64, found number 1e400 (out of range) at offset 0`},
		{in: `-1e400`, err: `decode: expected float64, found number -1e400 (out of range) at offset 0`},
		{in: `"1e400"`, err: `decode: expected float64, found string "1e400" (out of range) at offset 0`},
		{in: `"abc"`, err: `decode: expected float64, found string "abc" at offset 0`},
		{in: `"NaN"`, err: `decode: expected float64, found string "NaN" at offset 0`},
		{in: `"Inf"`, err: `decode: expected float64, found string "Inf" at offset 0`},
		{in: `"0x1p4"`, err: `decode: expected float64, found string "0x1p4" at offset 0`},
		{in: `true`, err: `decode: expected float64, found bool at offset 0`},
		{in: `[]`, err: `decode: expected float64, found array at offset 0`},
	}, (*Decoder).Float64)

	d := New([]byte(`-0`))
	f := d.Float64()
	require.NoError(t, d.Finish())
	assert.True(t, math.Signbit(f), "-0 keeps its sign, as in encoding/json")
}

func TestBool(t *testing.T) {
	runScalar(t, []scalarCase[bool]{
		{in: `true`, want: true},
		{in: `false`, want: false},
		{in: `"true"`, want: true},
		{in: `"TRUE"`, want: true},
		{in: `"True"`, want: true},
		{in: `" true "`, want: true},
		{in: `"false"`, want: false},
		{in: `"FaLsE"`, want: false},
		{in: `1`, want: true},
		{in: `0`, want: false},
		{in: `1.0`, want: true},
		{in: `"1"`, want: true},
		{in: `"0"`, want: false},
		{in: `null`, want: false},
		{in: `""`, want: false},
		{in: `2`, err: `decode: expected bool, found number 2 at offset 0`},
		{in: `-1`, err: `decode: expected bool, found number -1 at offset 0`},
		{in: `0.5`, err: `decode: expected bool, found number 0.5 at offset 0`},
		{in: `"yes"`, err: `decode: expected bool, found string "yes" at offset 0`},
		{in: `"truex"`, err: `decode: expected bool, found string "truex" at offset 0`},
		{in: `"2"`, err: `decode: expected bool, found string "2" at offset 0`},
		{in: `{}`, err: `decode: expected bool, found object at offset 0`},
		{in: `[]`, err: `decode: expected bool, found array at offset 0`},
		{in: `truex`, err: `decode: invalid character 'x' after top-level value at offset 4: expected end of input`},
	}, (*Decoder).Bool)
}

func TestTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		in     string
		want   time.Time
		offset int // expected zone offset in seconds
	}{
		{`"2020-12-04T09:40:41.246Z"`, utc(2020, 12, 4, 9, 40, 41, 246e6), 0},
		{`"2020-12-04T09:40:41Z"`, utc(2020, 12, 4, 9, 40, 41, 0), 0},
		{`"2020-12-04t09:40:41z"`, utc(2020, 12, 4, 9, 40, 41, 0), 0},
		{`"2021-06-05T14:39:13+08:00"`, utc(2021, 6, 5, 6, 39, 13, 0), 8 * 3600},
		{`"2021-06-05T14:39:13.5-03:30"`, utc(2021, 6, 5, 18, 9, 13, 5e8), -(3*3600 + 1800)},
		{`"2021-06-05T14:39:13+0545"`, utc(2021, 6, 5, 8, 54, 13, 0), 5*3600 + 45*60},
		{`"2021-06-05T14:39:13+01"`, utc(2021, 6, 5, 13, 39, 13, 0), 3600},
		{`"2021-06-05T14:39:13+00:00"`, utc(2021, 6, 5, 14, 39, 13, 0), 0},
		{`"2021-06-05T14:39:13+08:17"`, utc(2021, 6, 5, 6, 22, 13, 0), 8*3600 + 17*60},
		{`"2015-01-23T12:33:18"`, utc(2015, 1, 23, 12, 33, 18, 0), 0},
		{`"2015-01-23T12:33:18.123456789"`, utc(2015, 1, 23, 12, 33, 18, 123456789), 0},
		{`"2015-01-23T12:33:18.1234567891"`, utc(2015, 1, 23, 12, 33, 18, 123456789), 0},
		{`"2022-01-01 00:00:00"`, utc(2022, 1, 1, 0, 0, 0, 0), 0},
		{`"2022-01-01 23:59:59.9"`, utc(2022, 1, 1, 23, 59, 59, 9e8), 0},
		{`"2022-01-01"`, utc(2022, 1, 1, 0, 0, 0, 0), 0},
		{`" 2022-01-01 "`, utc(2022, 1, 1, 0, 0, 0, 0), 0},
		{`"2024-02-29"`, utc(2024, 2, 29, 0, 0, 0, 0), 0},
		{`"2000-02-29"`, utc(2000, 2, 29, 0, 0, 0, 0), 0},
		{`"2022\u002d01-01"`, utc(2022, 1, 1, 0, 0, 0, 0), 0},
		// Unix time.
		{`1609459200`, utc(2021, 1, 1, 0, 0, 0, 0), 0},
		{`1609459200000`, utc(2021, 1, 1, 0, 0, 0, 0), 0},
		{`1609459200123`, utc(2021, 1, 1, 0, 0, 0, 123e6), 0},
		{`"1609459200"`, utc(2021, 1, 1, 0, 0, 0, 0), 0},
		{`" 1609459200000 "`, utc(2021, 1, 1, 0, 0, 0, 0), 0},
		{`1609459200.5`, utc(2021, 1, 1, 0, 0, 0, 5e8), 0},
		{`1.6094592e9`, utc(2021, 1, 1, 0, 0, 0, 0), 0},
		{`0`, utc(1970, 1, 1, 0, 0, 0, 0), 0},
		{`1000000000000`, utc(33658, 9, 27, 1, 46, 40, 0), 0},
		{`1000000000001`, utc(2001, 9, 9, 1, 46, 40, 1e6), 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := New([]byte(tt.in))
			got := d.Time()
			require.NoError(t, d.Finish())
			assert.True(t, tt.want.Equal(got), "want %v, got %v", tt.want, got)
			_, off := got.Zone()
			assert.Equal(t, tt.offset, off)
			if tt.offset == 0 {
				assert.Equal(t, time.UTC, got.Location())
			}
		})
	}

	// Unknown formats are not errors: they decode as the zero time.
	for _, in := range []string{
		`""`, `"  "`, `null`, `"yesterday"`, `"Mon, 02 Jan 2006 15:04:05 MST"`, `"2022/01/01"`,
		`"2022-1-1"`, `"2022-13-01"`, `"2022-00-10"`, `"2023-02-29"`, `"2022-04-31"`, `"2022-01-00"`,
		`"2022-01-01T24:00:00Z"`, `"2022-01-01T23:60:00Z"`, `"2022-01-01T23:59:60Z"`, `"2022-01-01T23:59Z"`,
		`"2022-01-01T00:00:00."`, `"2022-01-01T00:00:00.Z"`, `"2022-01-01T00:00:00 Z"`, `"2022-01-01T00:00:00+8:00"`,
		`"2022-01-01T00:00:00+24:00"`, `"2022-01-01T00:00:00+08:60"`, `"2022-01-01T00:00:00+08:0"`,
		`"2022-01-01T00:00:00+08x00"`, `"2022-01-01T00:00:00UTC"`, `"2022-01-01X00:00:00"`,
		`"2022-01-01T"`, `"2022-01"`, `"1e400"`, `"1e30"`, `1e30`, `1e400`, `-1e300`,
		`"12:00:00"`, `"-"`, "\"2022-01-01\xff\"",
	} {
		d := New([]byte(in))
		got := d.Time()
		assert.NoError(t, d.Finish(), in)
		assert.True(t, got.IsZero(), "%s: got %v", in, got)
	}

	// Values that are not scalars, or not valid JSON, are errors.
	for in, want := range map[string]string{
		`{}`:      `decode: expected time, found object at offset 0`,
		`[1]`:     `decode: expected time, found array at offset 0`,
		`true`:    `decode: expected time, found bool at offset 0`,
		`"2022`:   `decode: unexpected end of input in string literal at offset 5: expected '"'`,
		`"\x"`:    `decode: invalid character 'x' in string escape code at offset 2`,
		``:        `decode: unexpected end of input at offset 0: expected time`,
		`1.`:      `decode: unexpected end of input after decimal point in numeric literal at offset 2: expected digit`,
		`"a" "b"`: `decode: invalid character '"' after top-level value at offset 4: expected end of input`,
	} {
		d := New([]byte(in))
		got := d.Time()
		assert.True(t, got.IsZero())
		if err := d.Finish(); assert.Error(t, err, in) {
			assert.Equal(t, want, err.Error())
		}
	}
}

// The hand-written layouts must agree with time.Parse wherever both apply.
func TestTimeMatchesTimeParse(t *testing.T) {
	layouts := []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}
	inputs := []string{
		"2020-12-04T09:40:41.246Z", "2021-06-05T14:39:13+08:00", "1999-12-31T23:59:59.999999999-11:30",
		"2015-01-23T12:33:18", "2022-01-01 00:00:00", "2022-01-01", "2024-02-29", "0001-01-01",
		"9999-12-31T23:59:59Z", "2022-03-27T02:30:00+01:00",
	}
	for _, in := range inputs {
		var want time.Time
		var err error
		for _, l := range layouts {
			if want, err = time.Parse(l, in); err == nil {
				break
			}
		}
		require.NoError(t, err, in)
		d := New([]byte(`"` + in + `"`))
		got := d.Time()
		require.NoError(t, d.Finish())
		assert.True(t, want.Equal(got), "%s: want %v got %v", in, want, got)
		_, wo := want.Zone()
		_, go_ := got.Zone()
		assert.Equal(t, wo, go_, in)
	}
}

func TestParseIntStatus(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		st   numStatus
	}{
		{"0", 0, numOK}, {"00", 0, numOK}, {"1", 1, numOK}, {"+1", 1, numOK}, {".5e1", 5, numOK},
		{"5.", 5, numOK}, {"1000000000000000000000e-21", 1, numOK},
		{"10000000000000000000", 0, numRange}, {"1.5", 0, numFrac}, {"", 0, numSyntax},
		{"+", 0, numSyntax}, {"1..2", 0, numSyntax}, {"1e+", 0, numSyntax}, {"e1", 0, numSyntax},
		{"1e1.5", 0, numSyntax}, {"--1", 0, numSyntax}, {strings.Repeat("9", 400), 0, numRange},
		{"0." + strings.Repeat("0", 400) + "1", 0, numFrac},
	}
	for _, tt := range tests {
		v, st := parseInt([]byte(tt.in))
		assert.Equal(t, tt.st, st, tt.in)
		assert.Equal(t, tt.want, v, tt.in)
	}
}
