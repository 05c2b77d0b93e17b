package signer

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The expected values were computed independently from the documented
// algorithm with this Python program:
//
//	import hashlib, hmac, urllib.parse
//	def enc(s): return urllib.parse.quote(s, safe='-_.~')
//	body = b''
//	q = {'ResourceShareInvitationId': 'i-pMnItMX19fBJ****', 'RegionId': 'cn-hangzhou', 'Name': 'a b*~/+中'}
//	cq = '&'.join(enc(k) + '=' + enc(v) for k, v in sorted(q.items()))
//	h = {'host': 'resourcesharing.cn-hangzhou.aliyuncs.com', 'x-acs-action': 'AcceptResourceShareInvitation',
//	     'x-acs-version': '2020-01-10', 'x-acs-date': '2024-01-02T03:04:05Z',
//	     'x-acs-signature-nonce': '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
//	     'x-acs-content-sha256': hashlib.sha256(body).hexdigest()}
//	names = sorted(h)
//	ch = ''.join(n + ':' + h[n].strip() + '\n' for n in names)
//	cr = 'POST\n/\n' + cq + '\n' + ch + '\n' + ';'.join(names) + '\n' + hashlib.sha256(body).hexdigest()
//	sts = 'ACS3-HMAC-SHA256\n' + hashlib.sha256(cr.encode()).hexdigest()
//	print(hmac.new(b'testsecret', sts.encode(), hashlib.sha256).hexdigest())
func TestV3Vector(t *testing.T) {
	r := &V3Request{
		Method: "POST",
		Path:   "/",
		Query: url.Values{
			"ResourceShareInvitationId": {"i-pMnItMX19fBJ****"},
			"RegionId":                  {"cn-hangzhou"},
			"Name":                      {"a b*~/+中"},
		},
		Headers: map[string]string{
			"host":                  "resourcesharing.cn-hangzhou.aliyuncs.com",
			"x-acs-action":          "AcceptResourceShareInvitation",
			"x-acs-version":         "2020-01-10",
			"x-acs-date":            "2024-01-02T03:04:05Z",
			"x-acs-signature-nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
			"X-Acs-Content-Sha256":  HashPayload(nil),
		},
	}
	canonical, signed := CanonicalRequestV3(r)
	assert.Equal(t, "POST\n/\nName=a%20b%2A~%2F%2B%E4%B8%AD&RegionId=cn-hangzhou&ResourceShareInvitationId=i-pMnItMX19fBJ%2A%2A%2A%2A\n"+
		"host:resourcesharing.cn-hangzhou.aliyuncs.com\nx-acs-action:AcceptResourceShareInvitation\n"+
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"+
		"x-acs-date:2024-01-02T03:04:05Z\nx-acs-signature-nonce:3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\nx-acs-version:2020-01-10\n\n"+
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"+
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical)
	assert.Equal(t, "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version", signed)
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders="+signed+
		",Signature=e29c597d5ec7efead64b51188aab02833cdaff2fced667f5ea947869071a43b1",
		AuthorizationV3(r, "testid", "testsecret"))
}

func TestV3SignatureDependsOnEverySignedPart(t *testing.T) {
	base := func() *V3Request {
		return &V3Request{Method: "POST", Path: "/", Query: url.Values{"A": {"1"}},
			Headers: map[string]string{"host": "h", "x-acs-date": "d", "x-acs-content-sha256": HashPayload([]byte("b"))}, Body: []byte("b")}
	}
	ref := AuthorizationV3(base(), "id", "secret")
	for name, mutate := range map[string]func(*V3Request){
		"method": func(r *V3Request) { r.Method = "GET" },
		"path":   func(r *V3Request) { r.Path = "/x" },
		"query":  func(r *V3Request) { r.Query.Set("A", "2") },
		"header": func(r *V3Request) { r.Headers["x-acs-date"] = "e" },
		"body":   func(r *V3Request) { r.Body = []byte("c") },
	} {
		r := base()
		mutate(r)
		assert.NotEqual(t, ref, AuthorizationV3(r, "id", "secret"), name)
	}
	assert.NotEqual(t, ref, AuthorizationV3(base(), "id", "other"))
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HashPayload(nil))
}

func TestSignatureV1FastPathMatchesHMAC(t *testing.T) {
	long := ""
	for i := 0; i < 100; i++ {
		long += "k"
	}
	for _, secret := range []string{"", "s", "testsecret", long[:62], long[:63], long[:64], long[:65], long, "中文/+=&%~"} {
		for _, q := range []string{"", "A=1", "Action=DescribeRegions&Name=a%20b%2A~"} {
			assert.Equal(t, signatureV1HMAC("POST", q, secret), SignatureV1("POST", q, secret), "secret %q", secret)
		}
	}
}
