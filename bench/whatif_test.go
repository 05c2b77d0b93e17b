package bench

// What-if benchmarks: the SDK's hot-path helpers next to the change this
// package's report proposes, measured on the same input, so that each
// proposal comes with a measured gain. They are not part of run.sh's
// default set; run them with
//
//	go test -run '^$' -bench WhatIf -benchmem
//
// The "current" variants are copies of the SDK's code at the time of
// writing (internal/rpc readBody); if that code changes, so must these.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"hash"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/query"
	"github.com/resourcekit/alicloud/internal/signer"
	"github.com/resourcekit/alicloud/resourcesharing"
)

var errTooLarge = errors.New("response body exceeds the size limit")

// readBodyCurrent is internal/rpc.readBody.
func readBodyCurrent(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return buf.Bytes(), err
	}
	if n > limit {
		return buf.Bytes()[:limit], errTooLarge
	}
	return buf.Bytes(), nil
}

// readBodySized is the proposal: when the reply states its length (every
// service reply and every reply with Content-Length does), allocate it once
// and read it with io.ReadFull; otherwise fall back to the current code.
func readBodySized(resp *http.Response, limit int64) ([]byte, error) {
	n := resp.ContentLength
	if n < 0 || n > limit {
		return readBodyCurrent(resp.Body, limit)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		return buf, err
	}
	return buf, nil
}

func BenchmarkWhatIfReadBody(b *testing.B) {
	const limit = 16 << 20
	for _, n := range []int{1, 100} {
		body := RenderPage(0, n)
		resp := func() *http.Response {
			return &http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
		}
		b.Run("N="+strconv.Itoa(n)+"/current", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if got, err := readBodyCurrent(resp().Body, limit); err != nil || len(got) != len(body) {
					b.Fatal(err)
				}
			}
		})
		b.Run("N="+strconv.Itoa(n)+"/sized", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if got, err := readBodySized(resp(), limit); err != nil || len(got) != len(body) {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWhatIfSignParts splits Sign/sdk into its parts so that each
// proposed change has a price: encoding the typed request (go-querystring),
// filling url.Values with the common parameters, and signer.SignV1.
func BenchmarkWhatIfSignParts(b *testing.B) {
	req := &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: 100, NextToken: Token(100)}
	b.Run("encode/go-querystring", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := query.Values(req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/generated-style", func(b *testing.B) {
		// What a generated encoder would do: append the set fields to a
		// presized slice of pairs, no reflection, no map.
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p := make([]kv, 0, 16)
			if req.MaxResults != 0 {
				p = append(p, kv{"MaxResults", strconv.Itoa(int(req.MaxResults))})
			}
			if req.NextToken != "" {
				p = append(p, kv{"NextToken", req.NextToken})
			}
			if len(p) != 2 {
				b.Fatal(p)
			}
		}
	})
	b.Run("common-params/url.Values", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			params := url.Values{"MaxResults": {"100"}, "NextToken": {req.NextToken}}
			params.Set("Action", "ListResourceShareInvitations")
			params.Set("Version", resourcesharing.ServiceVersion)
			params.Set("Format", "JSON")
			params.Set("RegionId", Region)
			params.Set("SignatureMethod", signer.V1Method)
			params.Set("SignatureVersion", signer.V1Version)
			params.Set("AccessKeyId", AccessKeyID)
			params.Del("SecurityToken")
			params.Set("SignatureNonce", "0f9c1a2b3c4d5e6f708192a3b4c5d6e7")
			params.Set("Timestamp", "2024-01-02T03:04:05Z")
		}
	})
	params := url.Values{"MaxResults": {"100"}, "NextToken": {req.NextToken}, "Action": {"ListResourceShareInvitations"},
		"Version": {resourcesharing.ServiceVersion}, "Format": {"JSON"}, "RegionId": {Region},
		"SignatureMethod": {signer.V1Method}, "SignatureVersion": {signer.V1Version}, "AccessKeyId": {AccessKeyID},
		"SignatureNonce": {"0f9c1a2b3c4d5e6f708192a3b4c5d6e7"}, "Timestamp": {"2024-01-02T03:04:05Z"}}
	b.Run("sign/signer.SignV1", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = signer.SignV1(http.MethodPost, params, AccessKeySecret)
		}
	})
	pairs := make([]kv, 0, len(params))
	for k, v := range params {
		pairs = append(pairs, kv{k, v[0]})
	}
	b.Run("sign/pairs+pooled-hmac", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p := append(make([]kv, 0, 16), pairs...)
			_ = signPairsPooled(p, AccessKeySecret)
		}
	})
	b.Run("nonce+timestamp", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, _ = signer.Nonce(), signer.Timestamp(time.Now())
		}
	})
	b.Run("whole/sdk", func(b *testing.B) {
		creds := alicloud.NewStaticCredentials(AccessKeyID, AccessKeySecret, "")
		ctx := context.Background()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := SDKSign(ctx, creds, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole/raw", func(b *testing.B) {
		raw := NewRaw("http://127.0.0.1:9")
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = raw.SignedQuery(100, req.NextToken)
		}
	})
}

// hmacPool holds HMAC-SHA1 states keyed with one secret: Reset returns a
// keyed state without hashing the key pads again. The SDK would keep one
// pool per secret (for example next to the cached credentials).
var hmacPool = sync.Pool{New: func() any { return hmac.New(sha1.New, []byte(AccessKeySecret+"&")) }}

var stsPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// signPairsPooled is the proposed shape of signer.SignV1: parameters as a
// slice of pairs (sorted in place, no map), the canonical query built once,
// the string to sign written into a pooled buffer and hashed with a pooled
// keyed HMAC, the signature encoded on the stack.
func signPairsPooled(p []kv, secret string) string {
	slices.SortFunc(p, func(a, b kv) int { return strings.Compare(a.k, b.k) })
	var q strings.Builder
	q.Grow(512)
	for i, e := range p {
		if i > 0 {
			q.WriteByte('&')
		}
		pctEncode(&q, e.k)
		q.WriteByte('=')
		pctEncode(&q, e.v)
	}
	canonical := q.String()
	bp := stsPool.Get().(*[]byte)
	sts := append((*bp)[:0], "POST&%2F&"...)
	sts = appendPct(sts, canonical)
	mac := hmacPool.Get().(hash.Hash)
	mac.Reset()
	mac.Write(sts)
	var sum [sha1.Size]byte
	var sig [28]byte
	base64.StdEncoding.Encode(sig[:], mac.Sum(sum[:0]))
	hmacPool.Put(mac)
	*bp = sts
	stsPool.Put(bp)
	q.WriteString("&Signature=")
	pctEncode(&q, string(sig[:]))
	return q.String()
}

func appendPct(dst []byte, s string) []byte {
	const hexUpper = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', hexUpper[c>>4], hexUpper[c&15])
	}
	return dst
}

// TestSignPairsPooled checks that the proposed signer produces the
// signature the server's reference computes, across pool reuse.
func TestSignPairsPooled(t *testing.T) {
	for i := 0; i < 3; i++ {
		p := []kv{{"Action", "ListResourceShareInvitations"}, {"NextToken", Token(i)}, {"AccessKeyId", AccessKeyID}}
		q := signPairsPooled(p, AccessKeySecret)
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if want := V1Signature(http.MethodPost, vals, AccessKeySecret); vals.Get("Signature") != want {
			t.Fatalf("signature %q, want %q", vals.Get("Signature"), want)
		}
	}
}
