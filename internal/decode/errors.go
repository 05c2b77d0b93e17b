package decode

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError reports malformed JSON and values whose type cannot be
// converted to the requested Go type. Both kinds share one type because
// generated code only ever needs to know where decoding stopped and why; a
// single concrete type keeps errors.As simple for callers.
type SyntaxError struct {
	// Offset is the byte offset in the input at which the problem was
	// detected, so that a response body can be inspected around it.
	Offset int
	// Msg describes the problem. A trailing ": expected ..." clause, if
	// present, is moved after the offset by Error.
	Msg string
}

// expectSep separates what was found from what was expected inside Msg. Error
// uses it to place the offset next to the offending input rather than at the
// very end of the message.
const expectSep = ": expected "

// Error places the offset right after the description of the offending
// input, where a reader looks for it, and before what was expected instead.
func (e *SyntaxError) Error() string {
	off := strconv.Itoa(e.Offset)
	if i := strings.Index(e.Msg, expectSep); i >= 0 {
		return "decode: " + e.Msg[:i] + " at offset " + off + e.Msg[i:]
	}
	return "decode: " + e.Msg + " at offset " + off
}

// maxSnippet bounds how much of the input ends up in an error message; the
// input is a service response that may be large or contain sensitive data.
const maxSnippet = 32

// fail records the first error only; later failures are usually knock-on
// effects of the first one and would hide the real cause.
func (d *Decoder) fail(off int, msg string) {
	if d.err == nil {
		d.err = &SyntaxError{Offset: off, Msg: msg}
	}
}

// failUnexpected reports the byte at d.pos (or the end of the input) as not
// being what the grammar requires at this point.
func (d *Decoder) failUnexpected(expected string) {
	d.failAtChar(d.pos, "", expected)
}

// failAtChar reports the character at off. context, if not empty, says where
// in the grammar the character appeared (" in string literal").
func (d *Decoder) failAtChar(off int, context, expected string) {
	if off >= len(d.data) {
		msg := "unexpected end of input" + context
		if expected != "" {
			msg += expectSep + expected
		}
		d.fail(len(d.data), msg)
		return
	}
	msg := "invalid character " + quoteChar(d.data[off:]) + context
	if expected != "" {
		msg += expectSep + expected
	}
	d.fail(off, msg)
}

// mismatch reports a well-formed value of the wrong JSON type. c is the first
// byte of the value at off. If c cannot start a value at all, a syntax error
// is reported instead, because that is the more useful diagnosis.
func (d *Decoder) mismatch(off int, want string, c byte) {
	k := kindOf(c)
	if k == Invalid || off >= len(d.data) {
		d.failAtChar(off, "", want)
		return
	}
	d.fail(off, "expected "+want+", found "+k.String())
}

// badValue reports a value of an acceptable JSON type whose content cannot be
// converted, quoting a bounded part of it so the message stays useful.
func (d *Decoder) badValue(off int, want string, k Kind, text []byte, why string) {
	msg := "expected " + want + ", found " + k.String() + " " + snippet(k, text)
	if why != "" {
		msg += " (" + why + ")"
	}
	d.fail(off, msg)
}

// snippet renders at most maxSnippet bytes of a value for an error message.
func snippet(k Kind, text []byte) string {
	cut := len(text) > maxSnippet
	if cut {
		text = text[:maxSnippet]
	}
	var s string
	if k == String {
		s = strconv.Quote(string(text))
	} else {
		// Numbers are validated ASCII, but quote defensively anyway.
		s = strings.Trim(strconv.Quote(string(text)), `"`)
	}
	if cut {
		s += "..."
	}
	return s
}

// quoteChar renders the single character at the start of b the way Go
// source would, so that control characters and broken UTF-8 are visible.
func quoteChar(b []byte) string {
	c := b[0]
	if c < utf8.RuneSelf {
		return strconv.QuoteRune(rune(c))
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n == 1 {
		const hex = "0123456789abcdef"
		return `'\x` + string([]byte{hex[c>>4], hex[c&15]}) + `'`
	}
	return strconv.QuoteRune(r)
}
