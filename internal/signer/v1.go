// Package signer computes Alibaba Cloud request signatures. V1 is the RPC
// signature (HMAC-SHA1 over the sorted, percent-encoded parameters).
package signer

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Values of the common parameters that select the V1 algorithm.
const (
	V1Method  = "HMAC-SHA1"
	V1Version = "1.0"
	// TimestampLayout is the ISO 8601 UTC form the service expects.
	TimestampLayout = "2006-01-02T15:04:05Z"
)

// SignV1 signs params for an HTTP method and returns the canonical query
// (sorted, RFC 3986 encoded) with the Signature parameter appended: the same
// bytes that were signed become the request's query, so nothing is encoded
// twice. params must not contain Signature already.
func SignV1(method string, params url.Values, accessKeySecret string) string {
	canonical := CanonicalQuery(params)
	sig := SignatureV1(method, canonical, accessKeySecret)
	var b strings.Builder
	b.Grow(len(canonical) + len("&Signature=") + len(sig) + 8)
	b.WriteString(canonical)
	b.WriteString("&Signature=")
	writeEncoded(&b, sig)
	return b.String()
}

// SignatureV1 returns the base64 HMAC-SHA1 of the string to sign
// METHOD&%2F&percentEncode(canonicalQuery), keyed with secret+"&".
//
// The HMAC (RFC 2104) is computed over one buffer that holds the inner pad
// followed by the string to sign, so signing allocates that buffer and the
// result only: this runs on every attempt of every call.
func SignatureV1(method, canonicalQuery, accessKeySecret string) string {
	var key [sha1.BlockSize]byte
	if len(accessKeySecret)+1 > sha1.BlockSize {
		h := sha1.New()
		h.Write([]byte(accessKeySecret))
		h.Write([]byte{'&'})
		copy(key[:], h.Sum(nil))
	} else {
		n := copy(key[:], accessKeySecret)
		key[n] = '&'
	}
	buf := make([]byte, sha1.BlockSize, sha1.BlockSize+len(method)+5+len(canonicalQuery)*3/2)
	for i, k := range key {
		buf[i] = k ^ 0x36
	}
	buf = append(buf, method...)
	buf = append(buf, "&%2F&"...)
	buf = appendEncoded(buf, canonicalQuery)
	inner := sha1.Sum(buf)
	var outer [sha1.BlockSize + sha1.Size]byte
	for i, k := range key {
		outer[i] = k ^ 0x5c
	}
	copy(outer[sha1.BlockSize:], inner[:])
	sum := sha1.Sum(outer[:])
	var out [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(out[:], sum[:])
	return string(out[:])
}

// signatureV1HMAC is the textbook construction, kept to check the fast path.
func signatureV1HMAC(method, canonicalQuery, accessKeySecret string) string {
	mac := hmac.New(sha1.New, []byte(accessKeySecret+"&"))
	mac.Write([]byte(StringToSignV1(method, canonicalQuery)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// StringToSignV1 is the text the V1 signature covers.
func StringToSignV1(method, canonicalQuery string) string {
	var b strings.Builder
	b.Grow(len(method) + 5 + len(canonicalQuery)*3/2)
	b.WriteString(method)
	b.WriteString("&%2F&")
	writeEncoded(&b, canonicalQuery)
	return b.String()
}

// Param is one name=value pair, for parameters kept outside a url.Values
// (the common ones, set anew on every attempt).
type Param struct{ Key, Value string }

// SignV1With is SignV1 over params together with extra, which must not
// repeat a name of params. It spares callers from copying per-attempt
// values into the map.
func SignV1With(method string, params url.Values, extra []Param, accessKeySecret string) string {
	canonical := CanonicalQueryWith(params, extra)
	sig := SignatureV1(method, canonical, accessKeySecret)
	var b strings.Builder
	b.Grow(len(canonical) + len("&Signature=") + len(sig) + 8)
	b.WriteString(canonical)
	b.WriteString("&Signature=")
	writeEncoded(&b, sig)
	return b.String()
}

// CanonicalQueryWith is CanonicalQuery over params together with extra.
func CanonicalQueryWith(params url.Values, extra []Param) string {
	all := make([]Param, 0, len(params)+len(extra))
	size := 0
	for k, vs := range params {
		for _, v := range vs {
			all = append(all, Param{k, v})
			size += len(k) + len(v) + 2
		}
	}
	for _, p := range extra {
		all = append(all, p)
		size += len(p.Key) + len(p.Value) + 2
	}
	// Stable: several values of one name keep their order.
	slices.SortStableFunc(all, func(a, b Param) int { return strings.Compare(a.Key, b.Key) })
	var b strings.Builder
	b.Grow(size + size/4)
	for i, p := range all {
		if i > 0 {
			b.WriteByte('&')
		}
		writeEncoded(&b, p.Key)
		b.WriteByte('=')
		writeEncoded(&b, p.Value)
	}
	return b.String()
}

// CanonicalQuery sorts the parameters by name (byte order) and joins them as
// name=value pairs with both sides percent-encoded per RFC 3986. A name
// with several values contributes each of them in order.
func CanonicalQuery(params url.Values) string {
	keys := make([]string, 0, len(params))
	size := 0
	for k, vs := range params {
		keys = append(keys, k)
		for _, v := range vs {
			size += len(k) + len(v) + 2
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(size + size/4)
	for _, k := range keys {
		for _, v := range params[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			writeEncoded(&b, k)
			b.WriteByte('=')
			writeEncoded(&b, v)
		}
	}
	return b.String()
}

// PercentEncode encodes s per RFC 3986: every byte except A-Z a-z 0-9 - _ . ~
// becomes %XX (upper-case hex), so space is %20, * is %2A and ~ stays ~.
func PercentEncode(s string) string {
	if !needsEncoding(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 3)
	writeEncoded(&b, s)
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

func needsEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return true
		}
	}
	return false
}

const upperHex = "0123456789ABCDEF"

func appendEncoded(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return b
}

func writeEncoded(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			continue
		}
		b.WriteString(s[start:i])
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
		start = i + 1
	}
	b.WriteString(s[start:])
}

// Nonce returns a fresh random SignatureNonce (128 bits, hex). The service
// rejects a reused nonce, so every attempt needs a new one.
func Nonce() string {
	var buf [16]byte
	_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(buf[:])
}

// Timestamp formats t as the V1 Timestamp parameter.
func Timestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }
