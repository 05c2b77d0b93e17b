package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
)

// V3Algorithm names the ACS3-HMAC-SHA256 signature in the Authorization header.
const V3Algorithm = "ACS3-HMAC-SHA256"

// V3Request is what the V3 signature covers.
type V3Request struct {
	Method string
	// Path is the request path, "/" for RPC operations.
	Path  string
	Query url.Values
	// Headers holds the headers to sign, with lower-case names: host,
	// content-type when there is a body, and every x-acs-* header
	// (x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce,
	// x-acs-content-sha256, x-acs-security-token).
	Headers map[string]string
	Body    []byte
}

// HashPayload returns the hex SHA-256 of a request body: the value of
// x-acs-content-sha256 and the last line of the canonical request.
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// CanonicalRequestV3 builds the text whose hash is signed:
// method, path, canonical query, canonical headers, signed headers and the
// payload hash, one per line. It returns the signed header list too.
func CanonicalRequestV3(r *V3Request) (canonical, signedHeaders string) {
	names := make([]string, 0, len(r.Headers))
	for k := range r.Headers {
		names = append(names, strings.ToLower(k))
	}
	slices.Sort(names)
	lower := make(map[string]string, len(r.Headers))
	for k, v := range r.Headers {
		lower[strings.ToLower(k)] = strings.TrimSpace(v)
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.Path
	if path == "" {
		path = "/"
	}
	b.WriteString(encodePath(path))
	b.WriteByte('\n')
	b.WriteString(CanonicalQuery(r.Query))
	b.WriteByte('\n')
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(lower[n])
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	signedHeaders = strings.Join(names, ";")
	b.WriteString(signedHeaders)
	b.WriteByte('\n')
	b.WriteString(HashPayload(r.Body))
	return b.String(), signedHeaders
}

// encodePath percent-encodes each path segment, keeping the slashes.
func encodePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = PercentEncode(s)
	}
	return strings.Join(segs, "/")
}

// StringToSignV3 is the algorithm name and the hex SHA-256 of the
// canonical request.
func StringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return V3Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// SignatureV3 is the hex HMAC-SHA256 of the string to sign, keyed with the
// access key secret.
func SignatureV3(stringToSign, accessKeySecret string) string {
	mac := hmac.New(sha256.New, []byte(accessKeySecret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// AuthorizationV3 signs r and returns the Authorization header value:
// "ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>".
// r.Headers must already hold x-acs-content-sha256 = HashPayload(r.Body).
func AuthorizationV3(r *V3Request, accessKeyID, accessKeySecret string) string {
	canonical, signed := CanonicalRequestV3(r)
	sig := SignatureV3(StringToSignV3(canonical), accessKeySecret)
	return V3Algorithm + " Credential=" + accessKeyID + ",SignedHeaders=" + signed + ",Signature=" + sig
}
