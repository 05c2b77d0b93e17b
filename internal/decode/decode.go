// Package decode is a pull decoder for the JSON bodies returned by the cloud
// APIs. Generated code walks each response with it instead of going through
// encoding/json, which avoids reflection, keeps allocations down to the
// strings that end up in the result, and lets each scalar accessor tolerate
// the type confusion the services are known for (numbers sent as strings and
// the other way round, timestamps in several layouts).
//
// A Decoder carries a sticky error: once something goes wrong every later
// call is a cheap no-op that returns a zero value, so generated code never
// has to check errors field by field. Callers check Finish once at the end.
package decode

import (
	"errors"
	"strconv"
)

// MaxDepth bounds how deeply objects and arrays may nest. The limit exists so
// that hostile or corrupt input produces an error instead of exhausting the
// stack of a recursive caller; real API responses stay far below it.
const MaxDepth = 512

// Kind classifies the next JSON value, letting callers that do not know the
// schema (free-form fields, tests, tools) decide which accessor to use.
type Kind uint8

// The kinds of JSON values. Invalid covers both the end of the input and a
// byte that cannot start a value.
const (
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Object
	Array
)

var kindNames = [...]string{
	Invalid: "invalid value",
	Null:    "null",
	Bool:    "bool",
	Number:  "number",
	String:  "string",
	Object:  "object",
	Array:   "array",
}

// String makes kinds readable in error messages and test failures.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// kindTable maps the first byte of a value to its kind, so that type checks
// in the accessors cost a single load.
var kindTable = func() (t [256]Kind) {
	t['{'] = Object
	t['['] = Array
	t['"'] = String
	t['t'] = Bool
	t['f'] = Bool
	t['n'] = Null
	t['-'] = Number
	for c := '0'; c <= '9'; c++ {
		t[c] = Number
	}
	return t
}()

func kindOf(c byte) Kind { return kindTable[c] }

// Decoder reads one JSON document. It is not safe for concurrent use; it is
// meant to live for the duration of one response and may be reused through
// Reset to recycle its scratch buffer.
type Decoder struct {
	data []byte
	pos  int
	err  error

	// depth counts the open containers, whether opened by BeginObject and
	// BeginArray or internally by Skip and Raw, so that one limit protects
	// every path. Bit i of stack is set when container i is an object; this
	// lets NextKey and NextElem detect misuse and keeps the whole stack
	// inside the Decoder, without allocation.
	depth int
	stack [MaxDepth / 64]uint64

	// first is set right after a container was opened: the next NextKey or
	// NextElem must not expect a comma. Any nested container clears it again
	// when it closes, so a single flag is enough.
	first bool

	// scratch holds unescaped strings; it is reused across calls, which is
	// why keys returned by NextKey are only valid until the next call.
	scratch []byte
}

// New returns a Decoder reading data. The Decoder does not copy data, so data
// must not change while it is being decoded.
func New(data []byte) *Decoder {
	return &Decoder{data: data}
}

// Reset prepares d for a new document, keeping its scratch buffer so that a
// pooled Decoder stops allocating once it has warmed up.
func (d *Decoder) Reset(data []byte) {
	d.data = data
	d.pos = 0
	d.err = nil
	d.depth = 0
	d.first = false
	d.scratch = d.scratch[:0]
}

// Err returns the first error encountered. Generated code rarely needs it,
// since Finish returns it too, but it lets a caller stop a long loop early.
func (d *Decoder) Err() error { return d.err }

// Finish must be called once the top-level value has been decoded: it
// surfaces the sticky error and rejects trailing data, which would otherwise
// indicate that the response was not the single document it claimed to be.
func (d *Decoder) Finish() error {
	if d.err != nil {
		return d.err
	}
	if d.depth > 0 {
		exp := "']'"
		if d.inObject() {
			exp = "'}'"
		}
		d.fail(d.pos, "value not fully decoded"+expectSep+exp)
		return d.err
	}
	if d.ws(); d.pos < len(d.data) {
		d.failAtChar(d.pos, " after top-level value", "end of input")
	}
	return d.err
}

// Peek reports the kind of the next value without consuming it, for callers
// that must decide between accessors at run time. It returns Invalid after an
// error, at the end of the input, and when the next byte cannot start a value.
func (d *Decoder) Peek() Kind {
	if d.err != nil {
		return Invalid
	}
	if d.ws(); d.pos >= len(d.data) {
		return Invalid
	}
	return kindOf(d.data[d.pos])
}

// ws skips whitespace and returns the next byte, or 0 at the end of the input.
// 0 is never valid JSON outside a string, so callers only need to look at
// d.pos when they are about to report an error.
func (d *Decoder) ws() byte {
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c > ' ' {
			return c
		}
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return c
		}
		d.pos++
	}
	return 0
}

func (d *Decoder) push(object bool) bool {
	if d.depth >= MaxDepth {
		d.fail(d.pos, "exceeded maximum nesting depth of "+strconv.Itoa(MaxDepth))
		return false
	}
	w, b := d.depth>>6, uint(d.depth&63)
	if object {
		d.stack[w] |= 1 << b
	} else {
		d.stack[w] &^= 1 << b
	}
	d.depth++
	return true
}

// inObject reports whether the innermost open container is an object. It
// must only be called with depth > 0.
func (d *Decoder) inObject() bool {
	i := d.depth - 1
	return d.stack[i>>6]>>(uint(i)&63)&1 == 1
}

var (
	errKeyOutside  = errors.New("decode: NextKey called outside an object")
	errElemOutside = errors.New("decode: NextElem called outside an array")
)

// BeginObject opens an object. It returns false for null, which generated
// code treats as an absent value, and on any error; in both cases the value
// has been dealt with and the caller simply moves on.
func (d *Decoder) BeginObject() bool {
	if d.err != nil {
		return false
	}
	switch c := d.ws(); c {
	case '{':
		if !d.push(true) {
			return false
		}
		d.pos++
		d.first = true
		return true
	case 'n':
		d.literal("null")
		return false
	default:
		d.mismatch(d.pos, "object", c)
		return false
	}
}

// NextKey advances to the next member of the current object and returns its
// unescaped key, having consumed the ':' so the caller can read the value
// straight away. The key aliases the input or the scratch buffer to avoid an
// allocation per member; it is only valid until the next call on d.
// Calling NextKey when the innermost open container is not an object is a
// programming error and fails the Decoder.
func (d *Decoder) NextKey() ([]byte, bool) {
	if d.err != nil {
		return nil, false
	}
	if d.depth == 0 || !d.inObject() {
		d.err = errKeyOutside
		return nil, false
	}
	c := d.ws()
	if d.first {
		d.first = false
		if c == '}' {
			d.pos++
			d.depth--
			return nil, false
		}
		if c != '"' {
			d.failUnexpected("string key or '}'")
			return nil, false
		}
	} else {
		switch c {
		case ',':
			d.pos++
			if c = d.ws(); c != '"' {
				d.failUnexpected("string key")
				return nil, false
			}
		case '}':
			d.pos++
			d.depth--
			return nil, false
		default:
			d.failUnexpected("',' or '}'")
			return nil, false
		}
	}
	key, ok := d.readString()
	if !ok {
		return nil, false
	}
	if d.ws() != ':' {
		d.failUnexpected("':'")
		return nil, false
	}
	d.pos++
	return key, true
}

// BeginArray opens an array. Like BeginObject it returns false for null and
// on error, so "if d.BeginArray() { for d.NextElem() { ... } }" handles every
// case.
func (d *Decoder) BeginArray() bool {
	if d.err != nil {
		return false
	}
	switch c := d.ws(); c {
	case '[':
		if !d.push(false) {
			return false
		}
		d.pos++
		d.first = true
		return true
	case 'n':
		d.literal("null")
		return false
	default:
		d.mismatch(d.pos, "array", c)
		return false
	}
}

// NextElem reports whether the current array has another element, consuming
// the separating comma so that the caller only has to decode the element.
// It returns false once the closing ']' has been consumed, and on error,
// including when the innermost open container is not an array.
func (d *Decoder) NextElem() bool {
	if d.err != nil {
		return false
	}
	if d.depth == 0 || d.inObject() {
		d.err = errElemOutside
		return false
	}
	c := d.ws()
	if d.first {
		d.first = false
		if c == ']' {
			d.pos++
			d.depth--
			return false
		}
	} else {
		switch c {
		case ',':
			d.pos++
		case ']':
			d.pos++
			d.depth--
			return false
		default:
			d.failUnexpected("',' or ']'")
			return false
		}
	}
	if d.pos >= len(d.data) {
		d.failUnexpected("value")
		return false
	}
	return true
}

// Skip consumes the next value, whatever its type, validating it. Generated
// code uses it for members it does not know, so that new fields added by the
// service never break old clients.
func (d *Decoder) Skip() {
	if d.err != nil {
		return
	}
	d.skipValue()
}

// Raw returns a copy of the next value's JSON text, for free-form fields whose
// shape is not part of the API model. The copy keeps the result independent
// of the response buffer, which callers are free to reuse.
func (d *Decoder) Raw() []byte {
	if d.err != nil {
		return nil
	}
	d.ws()
	start := d.pos
	if !d.skipValue() {
		return nil
	}
	out := make([]byte, d.pos-start)
	copy(out, d.data[start:d.pos])
	return out
}

// skipValue consumes one value iteratively: nesting is bounded by the shared
// depth counter rather than by the goroutine stack.
func (d *Decoder) skipValue() bool {
	base := d.depth
	for {
		// A value is expected at d.pos.
		switch c := d.ws(); c {
		case '{':
			if !d.push(true) {
				return false
			}
			d.pos++
			if d.ws() == '}' {
				d.pos++
				d.depth--
				break
			}
			if !d.skipKey("string key or '}'") {
				return false
			}
			continue
		case '[':
			if !d.push(false) {
				return false
			}
			d.pos++
			if d.ws() == ']' {
				d.pos++
				d.depth--
				break
			}
			continue
		case '"':
			if !d.skipString() {
				return false
			}
		case 't':
			if !d.literal("true") {
				return false
			}
		case 'f':
			if !d.literal("false") {
				return false
			}
		case 'n':
			if !d.literal("null") {
				return false
			}
		default:
			if c != '-' && (c < '0' || c > '9') {
				d.failUnexpected("value")
				return false
			}
			if !d.scanNumber() {
				return false
			}
		}
		// A value has been consumed: close finished containers until one
		// needs another element.
	after:
		for {
			if d.depth == base {
				return true
			}
			c := d.ws()
			if d.inObject() {
				switch c {
				case ',':
					d.pos++
					if !d.skipKey("string key") {
						return false
					}
					break after
				case '}':
					d.pos++
					d.depth--
				default:
					d.failUnexpected("',' or '}'")
					return false
				}
			} else {
				switch c {
				case ',':
					d.pos++
					break after
				case ']':
					d.pos++
					d.depth--
				default:
					d.failUnexpected("',' or ']'")
					return false
				}
			}
		}
	}
}

// skipKey consumes an object key and the ':' that follows it.
func (d *Decoder) skipKey(expected string) bool {
	if d.ws() != '"' {
		d.failUnexpected(expected)
		return false
	}
	if !d.skipString() {
		return false
	}
	if d.ws() != ':' {
		d.failUnexpected("':'")
		return false
	}
	d.pos++
	return true
}

// literal consumes lit, which the caller has already identified by its first
// byte, reporting the first byte that does not match.
func (d *Decoder) literal(lit string) bool {
	for i := 0; i < len(lit); i++ {
		p := d.pos + i
		if p >= len(d.data) || d.data[p] != lit[i] {
			d.failAtChar(p, " in literal "+lit, strconv.QuoteRune(rune(lit[i])))
			return false
		}
	}
	d.pos += len(lit)
	return true
}

// scanNumber consumes a number, enforcing the strict JSON grammar so that
// "01", "1." or "+1" outside of strings are rejected like any JSON parser
// would.
func (d *Decoder) scanNumber() bool {
	data, i := d.data, d.pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		d.failAtChar(i, " in numeric literal", "digit")
		return false
	case data[i] == '0':
		i++
	case data[i] >= '1' && data[i] <= '9':
		i++
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	default:
		d.failAtChar(i, " in numeric literal", "digit")
		return false
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			d.failAtChar(i, " after decimal point in numeric literal", "digit")
			return false
		}
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			d.failAtChar(i, " in exponent of numeric literal", "digit")
			return false
		}
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	}
	d.pos = i
	return true
}
