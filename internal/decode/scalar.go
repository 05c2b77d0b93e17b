package decode

import (
	"math"
	"strconv"
	"time"
)

// scalar consumes the next value if it is a string, number, bool or null and
// returns its kind, its text (unescaped for strings, literal otherwise) and
// its offset. Objects, arrays and malformed input are errors: no scalar
// accessor can make sense of them.
func (d *Decoder) scalar(want string) (Kind, []byte, int, bool) {
	c := d.ws()
	off := d.pos
	switch c {
	case '"':
		s, ok := d.readString()
		return String, s, off, ok
	case 't':
		ok := d.literal("true")
		return Bool, d.data[off:d.pos], off, ok
	case 'f':
		ok := d.literal("false")
		return Bool, d.data[off:d.pos], off, ok
	case 'n':
		ok := d.literal("null")
		return Null, nil, off, ok
	}
	if c == '-' || (c >= '0' && c <= '9') {
		ok := d.scanNumber()
		return Number, d.data[off:d.pos], off, ok
	}
	d.mismatch(off, want, c)
	return Invalid, nil, off, false
}

// String decodes a string. Numbers and booleans are returned as their JSON
// text because the services sometimes send identifiers and flags unquoted;
// null becomes "" since generated structs have no way to represent it.
func (d *Decoder) String() string {
	if d.err != nil {
		return ""
	}
	k, text, _, ok := d.scalar("string")
	if !ok {
		return ""
	}
	switch k {
	case Bool:
		if text[0] == 't' {
			return "true"
		}
		return "false"
	case Null:
		return ""
	}
	return string(text)
}

// Int64 decodes an integer, accepting it quoted as well, because the services
// quote large numbers inconsistently. Integral values written with a fraction
// or exponent ("3.0", "1e3") are accepted since they lose nothing; anything
// that would be silently truncated or overflow is an error instead.
func (d *Decoder) Int64() int64 {
	return d.integer("int64", math.MinInt64, math.MaxInt64)
}

// Int32 is Int64 with a range check, so that a value that does not fit is an
// error rather than a silently wrapped number.
func (d *Decoder) Int32() int32 {
	return int32(d.integer("int32", math.MinInt32, math.MaxInt32))
}

func (d *Decoder) integer(want string, lo, hi int64) int64 {
	if d.err != nil {
		return 0
	}
	k, text, off, ok := d.scalar(want)
	if !ok {
		return 0
	}
	switch k {
	case Null:
		return 0
	case Bool:
		d.mismatch(off, want, text[0])
		return 0
	case String:
		if text = trimSpace(text); len(text) == 0 {
			return 0
		}
	}
	v, st := parseInt(text)
	switch st {
	case numOK:
		if v >= lo && v <= hi {
			return v
		}
		d.badValue(off, want, k, text, "out of range")
	case numFrac:
		d.badValue(off, want, k, text, "not an integer")
	case numRange:
		d.badValue(off, want, k, text, "out of range")
	default:
		d.badValue(off, want, k, text, "")
	}
	return 0
}

// Float64 decodes a number, quoted or not. Values beyond the float64 range
// are errors, as in encoding/json, rather than silently becoming infinite.
func (d *Decoder) Float64() float64 {
	if d.err != nil {
		return 0
	}
	k, text, off, ok := d.scalar("float64")
	if !ok {
		return 0
	}
	switch k {
	case Null:
		return 0
	case Bool:
		d.mismatch(off, "float64", text[0])
		return 0
	case String:
		if text = trimSpace(text); len(text) == 0 {
			return 0
		}
	}
	f, st := parseFloat(text)
	switch st {
	case numOK:
		return f
	case numRange:
		d.badValue(off, "float64", k, text, "out of range")
	default:
		d.badValue(off, "float64", k, text, "")
	}
	return 0
}

// Bool decodes a boolean. Flags arrive as true/false, "true"/"True", 0/1 or
// "0"/"1" depending on the API; all of those are accepted, but any other value
// is an error because guessing would silently flip a setting.
func (d *Decoder) Bool() bool {
	if d.err != nil {
		return false
	}
	k, text, off, ok := d.scalar("bool")
	if !ok {
		return false
	}
	switch k {
	case Bool:
		return text[0] == 't'
	case Null:
		return false
	case String:
		t := trimSpace(text)
		switch {
		case len(t) == 0:
			return false
		case equalFold(t, "true"):
			return true
		case equalFold(t, "false"):
			return false
		}
	}
	if v, st := parseInt(trimSpace(text)); st == numOK && (v == 0 || v == 1) {
		return v == 1
	}
	d.badValue(off, "bool", k, text, "")
	return false
}

// Time decodes a timestamp. The services use several string layouts (RFC
// 3339 with or without fraction and zone, a space instead of 'T', a bare
// date; no zone means UTC) and sometimes Unix time as a number or numeric
// string (milliseconds above 1e12, seconds otherwise). A timestamp is never
// worth failing a whole call over, so a string that matches no known layout
// yields the zero time rather than an error; only values that are not
// scalars at all (objects, arrays, bools, broken JSON) are errors.
func (d *Decoder) Time() time.Time {
	if d.err != nil {
		return time.Time{}
	}
	k, text, off, ok := d.scalar("time")
	if !ok {
		return time.Time{}
	}
	switch k {
	case Null:
		return time.Time{}
	case Bool:
		d.mismatch(off, "time", text[0])
		return time.Time{}
	case String:
		text = trimSpace(text)
		if t, ok := parseTime(text); ok {
			return t
		}
	}
	return unixTime(text)
}

// unixTime interprets a number as Unix time. Values above 1e12 cannot be
// seconds (that would be tens of thousands of years from now) and are taken
// as milliseconds, the other common encoding.
func unixTime(text []byte) time.Time {
	v, st := parseInt(text)
	switch st {
	case numOK:
		if v > 1e12 {
			return time.UnixMilli(v).UTC()
		}
		return time.Unix(v, 0).UTC()
	case numFrac:
		f, err := strconv.ParseFloat(string(text), 64)
		if err != nil {
			return time.Time{}
		}
		if f > 1e12 {
			f /= 1e3
		}
		if !(f > -1e15 && f < 1e15) {
			return time.Time{}
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC()
	}
	return time.Time{}
}

type numStatus uint8

const (
	numOK     numStatus = iota
	numSyntax           // not a number at all
	numFrac             // a number, but not an integer
	numRange            // an integer, but too large for int64
)

// parseInt parses a decimal number exactly, without going through float64,
// so that large integers keep every digit and "integral" can be decided
// precisely: 1.0e2 is 100, 12345678901234567.5 is not an integer. The
// grammar is a superset of JSON's (leading '+', leading zeros, ".5" and "5."
// are allowed) because quoted numbers come from less careful encoders.
func parseInt(b []byte) (int64, numStatus) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i = 1
	}
	// The value is mant × 10^(zeros+scale+exp). Trailing zeros are held
	// back in zeros so that they never push mant past 19 digits needlessly;
	// once mant has no room left, big records that more non-zero digits
	// followed.
	var mant uint64
	nd, zeros, scale, digits := 0, 0, 0, 0
	big := false
	for frac := false; i < len(b); i++ {
		c := b[i]
		if c == '.' && !frac {
			frac = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		digits++
		if frac {
			scale--
		}
		if c == '0' {
			if mant != 0 || big {
				zeros++
			}
			continue
		}
		for ; zeros > 0 && !big; zeros-- {
			if nd == 19 {
				big = true
				break
			}
			mant *= 10
			nd++
		}
		if nd == 19 {
			big = true
		}
		if !big {
			mant = mant*10 + uint64(c-'0')
			nd++
		}
		zeros = 0
	}
	if digits == 0 {
		return 0, numSyntax
	}
	exp := 0
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		start := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if exp < 1e6 { // saturate: anything larger is out of range anyway
				exp = exp*10 + int(b[i]-'0')
			}
		}
		if i == start {
			return 0, numSyntax
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(b) {
		return 0, numSyntax
	}
	if mant == 0 && !big {
		return 0, numOK
	}
	k := zeros + scale + exp
	if k < 0 {
		// The last digit kept is not zero, so a negative power of ten
		// always leaves a fractional part.
		return 0, numFrac
	}
	if big {
		return 0, numRange
	}
	for ; k > 0; k-- {
		if mant > math.MaxUint64/10 {
			return 0, numRange
		}
		mant *= 10
	}
	if neg {
		if mant > 1<<63 {
			return 0, numRange
		}
		return int64(-mant), numOK
	}
	if mant > math.MaxInt64 {
		return 0, numRange
	}
	return int64(mant), numOK
}

// parseFloat parses a number with the lenient grammar of parseInt. Small
// integers are converted directly; everything else goes through strconv,
// which rounds correctly.
func parseFloat(b []byte) (float64, numStatus) {
	v, st := parseInt(b)
	switch st {
	case numSyntax:
		return 0, numSyntax
	case numOK:
		if v != 0 && v >= -1<<53 && v <= 1<<53 {
			return float64(v), numOK
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, numRange
		}
		return 0, numSyntax
	}
	return f, numOK
}

// trimSpace removes the JSON whitespace that some services pad quoted
// numbers with.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// equalFold compares ASCII case-insensitively without converting b to a
// string, which would allocate.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
