package e2e_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/internal/signer"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

func errorReply(t *testing.T, body string) map[string]string {
	t.Helper()
	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(body), &m), body)
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		require.Contains(t, m, k, body)
	}
	return m
}

func TestSignatureWrongSecret(t *testing.T) {
	t.Parallel()
	e := setup(t)
	creds := e.srv.Credentials(e.srv.ManagementAccountID())
	creds.AccessKeySecret += "x"
	rm := resourcemanager.New(alicloud.Config{Endpoint: e.srv.URL, Credentials: creds, Retry: fastRetry})
	_, err := rm.GetResourceDirectory(ctx(t), nil)
	requireCode(t, err, alicloud.ErrSignatureDoesNotMatch, http.StatusBadRequest)
}

func TestSignatureUnknownAccessKey(t *testing.T) {
	t.Parallel()
	e := setup(t)
	creds := alicloud.StaticCredentials{AccessKeyID: "LTAInotissuedbyemulator", AccessKeySecret: "secret"}
	rs := resourcesharing.New(alicloud.Config{Region: "cn-hangzhou", Endpoint: e.srv.URL, Credentials: creds, Retry: fastRetry})
	_, err := rs.ListPermissions(ctx(t), nil)
	requireCode(t, err, alicloud.ErrInvalidAccessKeyIdNotFound, http.StatusNotFound)
}

func TestSignatureNonceReplay(t *testing.T) {
	t.Parallel()
	e := setup(t)
	creds := e.srv.Credentials("")
	p := signedParams(rawRequest{params: url.Values{"Action": {"GetResourceDirectory"}}, creds: creds})
	status, _, body := send(t, e.srv.URL, http.MethodPost, p, false)
	require.Equal(t, http.StatusOK, status, body)
	status, _, body = send(t, e.srv.URL, http.MethodPost, p, false)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, string(alicloud.ErrSignatureNonceUsed), errorReply(t, body)["Code"])
	// The same nonce from another key is a different nonce.
	other := e.srv.Credentials("1234567890123456")
	p2 := signedParams(rawRequest{params: url.Values{"Action": {"ListHandshakesForAccount"}}, creds: other,
		mutate: func(v url.Values) { v.Set("SignatureNonce", p.Get("SignatureNonce")) }})
	status, _, body = send(t, e.srv.URL, http.MethodPost, p2, false)
	assert.Equal(t, http.StatusOK, status, body)
}

func TestSignatureParameterFaults(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, tc := range []struct {
		name   string
		mutate func(url.Values)
		unsign bool
		method string
		code   string
		status int
	}{
		{"timestamp missing", func(v url.Values) { v.Del("Timestamp") }, false, "", "InvalidTimeStamp.Format", 400},
		{"timestamp malformed", func(v url.Values) { v.Set("Timestamp", "2024-13-45 10:00") }, false, "", "InvalidTimeStamp.Format", 400},
		{"timestamp old", func(v url.Values) { v.Set("Timestamp", signer.Timestamp(time.Now().Add(-16*time.Minute))) }, false, "", "InvalidTimeStamp.Expired", 400},
		{"timestamp future", func(v url.Values) { v.Set("Timestamp", signer.Timestamp(time.Now().Add(16*time.Minute))) }, false, "", "InvalidTimeStamp.Expired", 400},
		{"signature missing", nil, true, "", "IncompleteSignature", 400},
		{"signature method", func(v url.Values) { v.Set("SignatureMethod", "HMAC-SHA256") }, false, "", "InvalidSignatureMethod", 400},
		{"access key missing", func(v url.Values) { v.Del("AccessKeyId") }, false, "", "MissingAccessKeyId", 400},
		{"nonce missing", func(v url.Values) { v.Del("SignatureNonce") }, false, "", "MissingSignatureNonce", 400},
		{"parameter changed after signing", nil, false, "tamper", "SignatureDoesNotMatch", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := signedParams(rawRequest{params: url.Values{"Action": {"GetResourceDirectory"}},
				creds: e.srv.Credentials(""), mutate: tc.mutate, unsign: tc.unsign})
			if tc.method == "tamper" {
				p.Set("Extra", "1")
			}
			status, h, body := send(t, e.srv.URL, http.MethodPost, p, false)
			m := errorReply(t, body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.code, m["Code"])
			assert.Equal(t, h.Get("x-acs-request-id"), m["RequestId"])
		})
	}
}

func TestSignatureCoversMethod(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// Signed for GET, sent as POST.
	p := signedParams(rawRequest{method: http.MethodGet, params: url.Values{"Action": {"GetResourceDirectory"}}, creds: e.srv.Credentials("")})
	status, _, body := send(t, e.srv.URL, http.MethodPost, p, false)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "SignatureDoesNotMatch", errorReply(t, body)["Code"])
}

func TestDispatch(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, tc := range []struct {
		name    string
		params  url.Values
		method  string
		code    string
		status  int
		recomm  string
		message string
	}{
		{"unknown action", url.Values{"Action": {"NoSuchAction"}}, "", "InvalidApi.NotFound", 404, "", "Specified api is not found, please check your url and method."},
		{"action of the other product", url.Values{"Action": {"ListResourceShares"}}, "", "InvalidApi.NotFound", 404, "", ""},
		{"unknown version", url.Values{"Action": {"GetFolder"}, "Version": {"2019-01-01"}}, "", "InvalidVersion", 400, "", "Specified parameter Version is not valid."},
		{"missing action", url.Values{}, "", "MissingAction", 400, "", "Action is mandatory for this action."},
		{"unsupported format", url.Values{"Action": {"GetResourceDirectory"}}, "", "InvalidFormat", 400, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rawRequest{params: tc.params, creds: e.srv.Credentials("")}
			if tc.name == "unsupported format" {
				r.mutate = func(v url.Values) { v.Set("Format", "YAML") }
			}
			status, _, body := send(t, e.srv.URL, tc.method, signedParams(r), false)
			m := errorReply(t, body)
			assert.Equal(t, tc.status, status, body)
			assert.Equal(t, tc.code, m["Code"])
			if tc.recomm != "" {
				assert.Contains(t, m["Recommend"], tc.recomm)
			}
			if tc.message != "" {
				assert.Equal(t, tc.message, m["Message"])
			}
		})
	}
	req, err := http.NewRequest(http.MethodPut, e.srv.URL+"/", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestParametersInQueryFormAndGET(t *testing.T) {
	t.Parallel()
	e := setup(t)
	creds := e.srv.Credentials("")
	params := url.Values{"Action": {"GetFolder"}, "FolderId": {e.srv.RootFolderID()}}

	status, h, body := send(t, e.srv.URL, http.MethodPost, signedParams(rawRequest{params: params, creds: creds}), true)
	require.Equal(t, http.StatusOK, status, body)
	var reply struct {
		RequestId string
		Folder    struct{ FolderId, ResourceDirectoryPath string }
	}
	require.NoError(t, json.Unmarshal([]byte(body), &reply))
	assert.Equal(t, h.Get("x-acs-request-id"), reply.RequestId)
	assert.Equal(t, e.srv.RootFolderID(), reply.Folder.FolderId)
	assert.Equal(t, e.srv.ResourceDirectoryID()+"/"+e.srv.RootFolderID(), reply.Folder.ResourceDirectoryPath)

	status, _, body = send(t, e.srv.URL, http.MethodGet, signedParams(rawRequest{method: http.MethodGet, params: params, creds: creds}), false)
	require.Equal(t, http.StatusOK, status, body)

	// Half in the query, half in the body: the service merges them.
	p := signedParams(rawRequest{params: params, creds: creds})
	q := url.Values{}
	for _, k := range []string{"Action", "Version", "Signature", "Timestamp"} {
		q[k] = p[k]
		p.Del(k)
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/?"+q.Encode(), stringsReader(p.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestMissingRequiredParameter(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rsVersion := resourcesharing.ServiceVersion
	for _, tc := range []struct {
		params  url.Values
		code    string
		message string
	}{
		{url.Values{"Action": {"GetFolder"}}, "MissingParameter.FolderId", "You must specify FolderId."},
		{url.Values{"Action": {"CreateResourceAccount"}}, "MissingParameter.Account.DisplayName", "You must specify DisplayName."},
		{url.Values{"Action": {"ResendPromoteResourceAccountEmail"}}, "MissingParameter.RecordId", "You must specify RecordId."},
		{url.Values{"Action": {"GetResourceGroup"}}, "MissingParameter", `The input parameter "ResourceGroupId" that is mandatory for processing this request is not supplied`},
		{url.Values{"Action": {"AcceptResourceShareInvitation"}, "Version": {rsVersion}}, "MissingParameter.ResourceShareInvitationId", "You must specify ResourceShareInvitationId."},
		{url.Values{"Action": {"AssociateResourceShare"}, "Version": {rsVersion}}, "MissingParameter.ResourceShareId", "You must specify ResourceShareId."},
		{url.Values{"Action": {"ListResourceShares"}, "Version": {rsVersion}, "ResourceOwner": {""}}, "MissingParameter.ResourceOwner", "You must specify ResourceOwner."},
	} {
		status, _, body := raw(t, e.srv, rawRequest{params: tc.params})
		m := errorReply(t, body)
		assert.Equal(t, http.StatusBadRequest, status, body)
		assert.Equal(t, tc.code, m["Code"])
		assert.Equal(t, tc.message, m["Message"])
	}
}

// countingTransport counts the HTTP attempts a client makes.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestThrottleNextIsRetried(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct := &countingTransport{}
	cfg := e.srv.Config()
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: ct}
	rm := resourcemanager.New(cfg)

	e.srv.ThrottleNext(2)
	_, err := rm.ListAccounts(ctx(t), nil)
	require.NoError(t, err)
	assert.EqualValues(t, 3, ct.n.Load())

	ct.n.Store(0)
	e.srv.ThrottleNext(3)
	_, err = rm.ListAccounts(ctx(t), nil)
	requireCode(t, err, resourcemanager.ErrLimitExceededFrequency, http.StatusBadRequest)
	assert.True(t, alicloud.IsThrottling(err))
	var apiErr *alicloud.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, 3, apiErr.Attempts)
	assert.EqualValues(t, 3, ct.n.Load())
}

func TestThrottleAction(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rm := resourcemanager.New(func() alicloud.Config {
		c := e.srv.Config()
		c.Retry = alicloud.RetryOptions{MaxAttempts: 1}
		return c
	}())
	e.srv.ThrottleAction("ListAccounts", 1)
	_, err := rm.GetResourceDirectory(ctx(t), nil)
	require.NoError(t, err, "another action is not throttled")
	_, err = rm.ListAccounts(ctx(t), nil)
	requireCode(t, err, resourcemanager.ErrLimitExceededFrequency, http.StatusBadRequest)
	_, err = rm.ListAccounts(ctx(t), nil)
	require.NoError(t, err)

	// Where the operation documents the code, its documented status is used.
	e.srv.ThrottleAction("ResendPromoteResourceAccountEmail", 1)
	_, err = rm.ResendPromoteResourceAccountEmail(ctx(t), &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: "x"})
	requireCode(t, err, resourcemanager.ErrLimitExceededFrequency, http.StatusConflict)
}

func TestThrottleCodeOption(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithThrottleCode("Throttling.User"))
	cfg := e.srv.Config()
	cfg.Retry = alicloud.RetryOptions{MaxAttempts: 1}
	e.srv.ThrottleNext(1)
	_, err := resourcesharing.New(cfg).ListPermissions(ctx(t), nil)
	requireCode(t, err, alicloud.ErrThrottlingUser, http.StatusBadRequest)
	var apiErr *alicloud.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "Request was denied due to user flow control.", apiErr.Message)
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.srv.FailNext("ServiceUnavailable", 0)
	_, err := e.rs.ListPermissions(ctx(t), nil)
	require.NoError(t, err, "ServiceUnavailable is retried")

	e.srv.FailNext("InternalError", 500)
	_, err = e.rm.CreateFolder(ctx(t), &resourcemanager.CreateFolderRequest{FolderName: "x"})
	requireCode(t, err, alicloud.ErrInternalError, http.StatusInternalServerError)
	var apiErr *alicloud.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, 1, apiErr.Attempts, "a write that failed with 500 is not retried")

	e.srv.FailNext("Emulator.Custom", http.StatusTeapot)
	_, err = e.rm.GetResourceDirectory(ctx(t), nil)
	requireCode(t, err, alicloud.ErrorCode("Emulator.Custom"), http.StatusTeapot)
}

func TestAdvanceKeepsClientsWorking(t *testing.T) {
	t.Parallel()
	e := setup(t)
	before := e.srv.Now()
	e.srv.Advance(30 * 24 * time.Hour)
	assert.WithinDuration(t, before.Add(30*24*time.Hour), e.srv.Now(), time.Minute)
	out, err := e.rm.CreateFolder(ctx(t), &resourcemanager.CreateFolderRequest{FolderName: "later"})
	require.NoError(t, err, "signed Timestamps are checked against the real clock")
	assert.WithinDuration(t, e.srv.Now(), out.Folder.CreateTime, time.Minute, "replies use the emulator clock")
}

func TestCredentialsAndConfig(t *testing.T) {
	t.Parallel()
	srv := alicloudtest.NewServer(t, alicloudtest.WithManagementAccountID("1999999999999999"),
		alicloudtest.WithAccessKey("LTAIfixedkeyid", "fixedsecret"))
	cfg := srv.Config()
	assert.Equal(t, srv.URL, cfg.Endpoint)
	assert.Equal(t, "cn-hangzhou", cfg.Region)
	assert.Equal(t, alicloud.StaticCredentials{AccessKeyID: "LTAIfixedkeyid", AccessKeySecret: "fixedsecret"}, cfg.Credentials)
	assert.Equal(t, "1999999999999999", srv.ManagementAccountID())
	assert.Equal(t, srv.Credentials("5555555555555555"), srv.Credentials("5555555555555555"), "keys are stable")
	out, err := resourcemanager.New(cfg).GetResourceDirectory(ctx(t), nil)
	require.NoError(t, err)
	assert.Equal(t, "1999999999999999", out.ResourceDirectory.MasterAccountId)
	assert.Equal(t, srv.ResourceDirectoryID(), out.ResourceDirectory.ResourceDirectoryId)
	assert.Equal(t, srv.RootFolderID(), out.ResourceDirectory.RootFolderId)
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close(), "Close twice is harmless")
}
