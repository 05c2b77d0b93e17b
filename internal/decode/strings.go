package decode

import "unicode/utf8"

// plain marks bytes that can be copied verbatim out of a string literal:
// printable ASCII other than '"' and '\\'. Bytes >= 0x80 need UTF-8 checking
// and are handled separately; with a table the common case is one load and
// one branch per byte.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skippable marks bytes that need no attention when a string is only being
// validated: invalid UTF-8 is legal there because it is merely replaced when
// the string is decoded.
var skippable = func() (t [256]bool) {
	for c := 0x20; c < 0x100; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// readString consumes the string literal at d.pos and returns its unescaped
// contents. Strings that need no unescaping and no UTF-8 repair, which is
// almost all of them, are returned as a sub-slice of the input without
// copying; the rest are built in the scratch buffer.
func (d *Decoder) readString() ([]byte, bool) {
	data := d.data
	start := d.pos + 1
	i := start
	for i < len(data) {
		c := data[i]
		if plain[c] {
			i++
			continue
		}
		if c == '"' {
			d.pos = i + 1
			return data[start:i], true
		}
		if c < utf8.RuneSelf {
			break // escape or control character
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	return d.readStringSlow(start, i)
}

// readStringSlow continues readString from i once the fast path has found
// something that needs rewriting; data[start:i] is known to be clean.
func (d *Decoder) readStringSlow(start, i int) ([]byte, bool) {
	data := d.data
	buf := append(d.scratch[:0], data[start:i]...)
	for {
		if i >= len(data) {
			d.failAtChar(i, " in string literal", `'"'`)
			return nil, false
		}
		c := data[i]
		switch {
		case plain[c]:
			j := i + 1
			for j < len(data) && plain[data[j]] {
				j++
			}
			buf = append(buf, data[i:j]...)
			i = j
		case c == '"':
			d.pos = i + 1
			d.scratch = buf
			return buf, true
		case c == '\\':
			if i+1 >= len(data) {
				d.failAtChar(i+1, " in string escape code", "")
				return nil, false
			}
			switch e := data[i+1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
				i += 2
			case 'b':
				buf = append(buf, '\b')
				i += 2
			case 'f':
				buf = append(buf, '\f')
				i += 2
			case 'n':
				buf = append(buf, '\n')
				i += 2
			case 'r':
				buf = append(buf, '\r')
				i += 2
			case 't':
				buf = append(buf, '\t')
				i += 2
			case 'u':
				r, ok := d.hex4(i + 2)
				if !ok {
					return nil, false
				}
				i += 6
				if r >= 0xD800 && r < 0xE000 {
					// Surrogates only make sense as a high/low pair. Like
					// encoding/json, anything else becomes U+FFFD and a
					// following escape is decoded on its own.
					r2 := rune(-1)
					if r < 0xDC00 && i+6 <= len(data) && data[i] == '\\' && data[i+1] == 'u' {
						r2 = hexRune(data[i+2 : i+6])
					}
					if r2 >= 0xDC00 && r2 < 0xE000 {
						r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				d.failAtChar(i+1, " in string escape code", "")
				return nil, false
			}
		case c < 0x20:
			d.failAtChar(i, " in string literal", "")
			return nil, false
		default:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				// Same repair as encoding/json, so both decoders agree on
				// what a broken response contains.
				buf = append(buf, "\uFFFD"...)
			} else {
				buf = append(buf, data[i:i+n]...)
			}
			i += n
		}
	}
}

// hex4 decodes the four hex digits of a \u escape starting at i, reporting
// the first offending byte.
func (d *Decoder) hex4(i int) (rune, bool) {
	var r rune
	for j := i; j < i+4; j++ {
		if j >= len(d.data) {
			d.failAtChar(j, " in \\u hexadecimal character escape", "")
			return 0, false
		}
		v := hexVal(d.data[j])
		if v < 0 {
			d.failAtChar(j, " in \\u hexadecimal character escape", "")
			return 0, false
		}
		r = r<<4 | v
	}
	return r, true
}

// hexRune decodes four hex digits, returning -1 if any is invalid. It is used
// to look ahead for the low half of a surrogate pair without failing, since
// an invalid escape there is reported when it is reached on its own.
func hexRune(b []byte) rune {
	var r rune
	for _, c := range b {
		v := hexVal(c)
		if v < 0 {
			return -1
		}
		r = r<<4 | v
	}
	return r
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// skipString validates the string literal at d.pos without decoding it, so
// that skipping unknown members costs no copying at all.
func (d *Decoder) skipString() bool {
	data := d.data
	i := d.pos + 1
	for {
		for i < len(data) && skippable[data[i]] {
			i++
		}
		if i >= len(data) {
			d.failAtChar(i, " in string literal", `'"'`)
			return false
		}
		switch c := data[i]; c {
		case '"':
			d.pos = i + 1
			return true
		case '\\':
			if i+1 >= len(data) {
				d.failAtChar(i+1, " in string escape code", "")
				return false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if _, ok := d.hex4(i + 2); !ok {
					return false
				}
				i += 6
			default:
				d.failAtChar(i+1, " in string escape code", "")
				return false
			}
		default: // control character
			d.failAtChar(i, " in string literal", "")
			return false
		}
	}
}
