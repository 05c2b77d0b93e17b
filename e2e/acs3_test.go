package e2e_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/signer"
	"github.com/resourcekit/alicloud/resourcemanager"
)

// acs3Request builds a request signed with ACS3-HMAC-SHA256, the header
// signature the newer official SDKs use by default, written here from the
// published algorithm independently of the emulator.
func acs3Request(t *testing.T, base string, creds alicloud.StaticCredentials, action, version string, query url.Values, form url.Values, mutate func(*http.Request)) *http.Request {
	t.Helper()
	var body string
	if form != nil {
		body = form.Encode()
	}
	req, err := http.NewRequest(http.MethodPost, base+"/?"+signer.CanonicalQuery(query), strings.NewReader(body))
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(body))
	req.Header.Set("x-acs-action", action)
	req.Header.Set("x-acs-version", version)
	req.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	req.Header.Set("x-acs-signature-nonce", signer.Nonce())
	req.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if mutate != nil {
		mutate(req)
	}
	headers := map[string]string{"host": req.URL.Host}
	for k := range req.Header {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-acs-") || lk == "content-type" {
			headers[lk] = strings.TrimSpace(req.Header.Get(k))
		}
	}
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var canon strings.Builder
	for _, n := range names {
		canon.WriteString(n + ":" + headers[n] + "\n")
	}
	canonical := strings.Join([]string{http.MethodPost, "/", signer.CanonicalQuery(query), canon.String(),
		strings.Join(names, ";"), req.Header.Get("x-acs-content-sha256")}, "\n")
	digest := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(creds.AccessKeySecret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(digest[:])))
	req.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+creds.AccessKeyID+",SignedHeaders="+
		strings.Join(names, ";")+",Signature="+hex.EncodeToString(mac.Sum(nil)))
	return req
}

func doRaw(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m struct{ Code string }
	_ = jsonDecode(resp, &m)
	return resp.StatusCode, m.Code
}

func TestACS3Signature(t *testing.T) {
	t.Parallel()
	e := setup(t)
	creds := e.srv.Credentials("")
	rm := resourcemanager.ServiceVersion
	q := url.Values{"FolderName": {"acs3-folder"}}

	status, code := doRaw(t, acs3Request(t, e.srv.URL, creds, "CreateFolder", rm, q, nil, nil))
	require.Equal(t, http.StatusOK, status, code)
	list, err := e.rm.ListFoldersForParent(ctx(t), &resourcemanager.ListFoldersForParentRequest{QueryKeyword: "acs3"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, list.TotalCount)

	// Parameters in a form body are covered by the body's hash.
	status, code = doRaw(t, acs3Request(t, e.srv.URL, creds, "CreateFolder", rm, url.Values{}, url.Values{"FolderName": {"acs3-form"}}, nil))
	require.Equal(t, http.StatusOK, status, code)

	wrong := creds
	wrong.AccessKeySecret = "not-the-secret"
	status, code = doRaw(t, acs3Request(t, e.srv.URL, wrong, "GetResourceDirectory", rm, url.Values{}, nil, nil))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "SignatureDoesNotMatch", code)

	unknown := alicloud.StaticCredentials{AccessKeyID: "LTAIunknown", AccessKeySecret: "x"}
	status, code = doRaw(t, acs3Request(t, e.srv.URL, unknown, "GetResourceDirectory", rm, url.Values{}, nil, nil))
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "InvalidAccessKeyId.NotFound", code)

	stale := func(r *http.Request) {
		r.Header.Set("x-acs-date", time.Now().Add(-20*time.Minute).UTC().Format("2006-01-02T15:04:05Z"))
	}
	status, code = doRaw(t, acs3Request(t, e.srv.URL, creds, "GetResourceDirectory", rm, url.Values{}, nil, stale))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidTimeStamp.Expired", code)

	// A body that does not match its declared hash.
	req := acs3Request(t, e.srv.URL, creds, "CreateFolder", rm, url.Values{}, url.Values{"FolderName": {"a"}}, nil)
	req.Body = http.NoBody
	req.ContentLength = 0
	status, code = doRaw(t, req)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "SignatureDoesNotMatch", code)

	// Replaying the same signed request.
	nonce := signer.Nonce()
	fixed := func(r *http.Request) { r.Header.Set("x-acs-signature-nonce", nonce) }
	status, _ = doRaw(t, acs3Request(t, e.srv.URL, creds, "GetResourceDirectory", rm, url.Values{}, nil, fixed))
	require.Equal(t, http.StatusOK, status)
	status, code = doRaw(t, acs3Request(t, e.srv.URL, creds, "GetResourceDirectory", rm, url.Values{}, nil, fixed))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "SignatureNonceUsed", code)

	bad := acs3Request(t, e.srv.URL, creds, "GetResourceDirectory", rm, url.Values{}, nil, nil)
	bad.Header.Set("Authorization", "ACS3-HMAC-SHA256 Signature=abc")
	status, code = doRaw(t, bad)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "IncompleteSignature", code)
}
