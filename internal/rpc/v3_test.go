package rpc

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/signer"
)

// verifyV3 checks a received request's ACS3-HMAC-SHA256 signature the way
// a server would: from the Authorization header's SignedHeaders list.
func verifyV3(t *testing.T, r *http.Request) {
	t.Helper()
	auth := r.Header.Get("Authorization")
	require.True(t, strings.HasPrefix(auth, "ACS3-HMAC-SHA256 "), auth)
	parts := map[string]string{}
	for _, kv := range strings.Split(strings.TrimPrefix(auth, "ACS3-HMAC-SHA256 "), ",") {
		k, v, _ := strings.Cut(kv, "=")
		parts[k] = v
	}
	assert.Equal(t, testKeyID, parts["Credential"])
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(r.Body)
		require.NoError(t, err)
	}
	headers := map[string]string{}
	for _, name := range strings.Split(parts["SignedHeaders"], ";") {
		if name == "host" {
			headers[name] = r.Host
			continue
		}
		headers[name] = r.Header.Get(name)
	}
	require.Equal(t, signer.HashPayload(body), r.Header.Get("x-acs-content-sha256"))
	want := signer.AuthorizationV3(&signer.V3Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Headers: headers, Body: body}, testKeyID, testSecret)
	require.Equal(t, want, auth)
}

func TestV3SignedRequests(t *testing.T) {
	c, mt := newTestClient(t, Settings{SignatureVersion: SignatureV3})
	var nonces []string
	calls := 0
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		verifyV3(t, r)
		calls++
		nonces = append(nonces, r.Header.Get("x-acs-signature-nonce"))
		q := r.URL.Query()
		assert.Equal(t, url.Values{"Name": {"a b*~/+中"}, "RegionId": {"cn-hangzhou"}}, q, "only the operation's parameters are in the query")
		assert.Equal(t, "ListThings", r.Header.Get("x-acs-action"))
		assert.Equal(t, "2020-01-10", r.Header.Get("x-acs-version"))
		assert.Equal(t, testToken, r.Header.Get("x-acs-security-token"))
		assert.NotEmpty(t, r.Header.Get("x-acs-date"))
		if calls == 1 {
			return jsonReply(400, `{"Code":"Throttling","Message":"x"}`)(r)
		}
		return jsonReply(200, `{"RequestId":"ok"}`)(r)
	})
	var out testResponse
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{Name: "a b*~/+中"}, &out))
	require.Len(t, nonces, 2)
	assert.NotEqual(t, nonces[0], nonces[1], "every attempt is signed anew")
}

func TestFormBodyCarriesTheSignedParameters(t *testing.T) {
	for _, version := range []string{SignatureV1, SignatureV3} {
		t.Run(version, func(t *testing.T) {
			c, mt := newTestClient(t, Settings{SignatureVersion: version})
			calls := 0
			mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
				calls++
				assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
				assert.Empty(t, r.URL.RawQuery, "nothing travels in the URL")
				if version == SignatureV3 {
					verifyV3(t, r)
				} else {
					// Parse the body itself: httpmock hands over the client's own
					// request, whose cached Form a retry would reuse.
					raw, err := io.ReadAll(r.Body)
					require.NoError(t, err)
					require.Equal(t, int64(len(raw)), r.ContentLength)
					form, err := url.ParseQuery(string(raw))
					require.NoError(t, err)
					sig := form.Get("Signature")
					form.Del("Signature")
					require.Equal(t, signer.SignatureV1("POST", signer.CanonicalQuery(form), testSecret), sig)
					assert.Equal(t, "a b*~/+中", form.Get("Name"))
					assert.Equal(t, "FormThing", form.Get("Action"))
				}
				if calls == 1 {
					return jsonReply(503, `{"Code":"ServiceUnavailable","Message":"x"}`)(r)
				}
				return jsonReply(200, `{}`)(r)
			})
			op := &Operation{Name: "FormThing", FormBody: true}
			require.NoError(t, c.Invoke(context.Background(), op, &testRequest{Name: "a b*~/+中"}, &testResponse{}))
			assert.Equal(t, 2, calls, "the retried body is signed again and its length follows")
		})
	}
}
