package bench

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Raw is the floor: net/http with one reused client, a minimal V1 signer
// written here, and encoding/json into a small struct. It is what a careful
// hand-written caller would do, with nothing an SDK adds (no retries, no
// validation, no typed errors).
type Raw struct {
	base string
	hc   *http.Client
	key  []byte
}

// NewRaw returns the raw client for the server at baseURL.
func NewRaw(baseURL string) *Raw {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	return &Raw{
		base: baseURL,
		hc:   &http.Client{Transport: tr},
		key:  []byte(AccessKeySecret + "&"),
	}
}

// RawPage is the small struct the raw client decodes into; it has the same
// fields as the SDK's typed response so that both do the same work.
type RawPage struct {
	NextToken                string
	RequestId                string
	ResourceShareInvitations []RawInvitation
}

// RawInvitation is one invitation.
type RawInvitation struct {
	CreateTime                time.Time
	InvitationFailedDetails   []RawFailedDetail
	ReceiverAccountId         string
	ResourceShareId           string
	ResourceShareInvitationId string
	ResourceShareName         string
	SenderAccountId           string
	Status                    string
}

// RawFailedDetail is one InvitationFailedDetails element.
type RawFailedDetail struct {
	AssociateType      string
	FailureDescription string
	FailureReason      string
	OperationType      string
	ResourceArn        string
	ResourceId         string
	ResourceType       string
	Status             string
	StatusMessage      string
}

// RawDecode is the raw client's decoding: encoding/json.
func RawDecode(body []byte) (*RawPage, error) {
	var p RawPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

type kv struct{ k, v string }

// SignedQuery builds and signs the query of one ListResourceShareInvitations
// call: common parameters with a fresh nonce and timestamp, sorted by name,
// RFC 3986 encoded, HMAC-SHA1 over POST&%2F&encode(canonical).
func (c *Raw) SignedQuery(maxResults int, token string) string {
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	p := make([]kv, 0, 12)
	p = append(p,
		kv{"AccessKeyId", AccessKeyID},
		kv{"Action", "ListResourceShareInvitations"},
		kv{"Format", "JSON"},
		kv{"RegionId", Region},
		kv{"SignatureMethod", "HMAC-SHA1"},
		kv{"SignatureNonce", hex.EncodeToString(nonce[:])},
		kv{"SignatureVersion", "1.0"},
		kv{"Timestamp", time.Now().UTC().Format("2006-01-02T15:04:05Z")},
		kv{"Version", "2020-01-10"},
	)
	if maxResults > 0 {
		p = append(p, kv{"MaxResults", strconv.Itoa(maxResults)})
	}
	if token != "" {
		p = append(p, kv{"NextToken", token})
	}
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

	var sts strings.Builder
	sts.Grow(len(canonical)*5/4 + 16)
	sts.WriteString("POST&%2F&")
	pctEncode(&sts, canonical)
	mac := hmac.New(sha1.New, c.key)
	mac.Write([]byte(sts.String()))
	var sum [sha1.Size]byte
	var sig [28]byte
	base64.StdEncoding.Encode(sig[:], mac.Sum(sum[:0]))

	q.WriteString("&Signature=")
	pctEncode(&q, string(sig[:]))
	return q.String()
}

// pctEncode writes s encoded per RFC 3986 (unreserved bytes kept).
func pctEncode(b *strings.Builder, s string) {
	const hexUpper = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
}

// List sends one call.
func (c *Raw) List(ctx context.Context, maxResults int, token string) (*RawPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/?"+c.SignedQuery(maxResults, token), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	return RawDecode(body)
}
