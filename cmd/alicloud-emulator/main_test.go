package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// start runs the command on a free loopback port and returns its base URL
// and the fields of its ready line; it stops the command when the test ends
// and checks that it shut down cleanly.
func start(t *testing.T, args ...string) (string, map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, &syncWriter{w: &stderr})
		_ = pw.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err, "no ready line; stderr: %s", stderr.String())
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Error("the emulator did not stop after its context ended")
		}
	})
	fields := map[string]string{}
	for _, f := range strings.Fields(line) {
		if k, v, ok := strings.Cut(f, "="); ok {
			fields[k] = v
		}
	}
	require.Contains(t, fields, "url", line)
	return fields["url"], fields
}

type syncWriter struct{ w io.Writer }

func (s *syncWriter) Write(p []byte) (int, error) { return s.w.Write(p) }

func adminCall(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	m, _ := out.(map[string]any)
	if m == nil {
		m = map[string]any{"list": out}
	}
	return resp.StatusCode, m
}

func config(url, id, secret string) alicloud.Config {
	return alicloud.Config{Region: "cn-hangzhou", Endpoint: url,
		Credentials: alicloud.StaticCredentials{AccessKeyID: id, AccessKeySecret: secret},
		Retry:       alicloud.RetryOptions{MaxAttempts: 1}}
}

func TestBothProductsOnOnePortWithTheGivenKey(t *testing.T) {
	url, ready := start(t, "-access-key-id", "LTAIexample", "-access-key-secret", "s3cret")
	assert.Equal(t, "LTAIexample", ready["access_key_id"])
	assert.NotContains(t, ready, "access_key_secret", "a key the user chose is not printed")
	assert.Equal(t, "1000000000000001", ready["management_account"])

	status, health := adminCall(t, http.MethodGet, url+"/_emulator/health", "", "")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok", health["status"])

	ctx := context.Background()
	cfg := config(url, "LTAIexample", "s3cret")
	_, err := resourcemanager.New(cfg).ListAccounts(ctx, nil)
	require.NoError(t, err)
	_, err = resourcesharing.New(cfg).ListResourceShares(ctx, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf})
	require.NoError(t, err)

	_, err = resourcemanager.New(config(url, "LTAIexample", "wrong")).ListAccounts(ctx, nil)
	require.ErrorIs(t, err, alicloud.ErrSignatureDoesNotMatch)
}

func TestRandomKeyIsPrinted(t *testing.T) {
	url, ready := start(t)
	require.NotEmpty(t, ready["access_key_secret"])
	_, err := resourcemanager.New(config(url, ready["access_key_id"], ready["access_key_secret"])).ListAccounts(context.Background(), nil)
	require.NoError(t, err)
}

func TestAdminControls(t *testing.T) {
	url, ready := start(t)
	ctx := context.Background()
	rm := resourcemanager.New(config(url, ready["access_key_id"], ready["access_key_secret"]))

	status, _ := adminCall(t, http.MethodPost, url+"/_emulator/faults/throttle", "", `{"count":1,"action":"ListAccounts"}`)
	require.Equal(t, http.StatusOK, status)
	_, err := rm.ListAccounts(ctx, nil)
	require.ErrorIs(t, err, resourcemanager.ErrLimitExceededFrequency)
	_, err = rm.ListAccounts(ctx, nil)
	require.NoError(t, err, "the fault was for one call")

	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/faults/fail", "", `{"code":"ServiceUnavailable","status":503}`)
	require.Equal(t, http.StatusOK, status)
	_, err = rm.ListAccounts(ctx, nil)
	var apiErr *alicloud.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.HTTPStatus)

	status, body := adminCall(t, http.MethodPost, url+"/_emulator/advance?by=48h", "", "")
	require.Equal(t, http.StatusOK, status)
	now, err := time.Parse(time.RFC3339, body["now"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(48*time.Hour), now, time.Minute)

	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/accounts", "", `{"accountId":"1342540311780001"}`)
	require.Equal(t, http.StatusOK, status)
	status, body = adminCall(t, http.MethodGet, url+"/_emulator/accounts", "", "")
	require.Equal(t, http.StatusOK, status)
	accounts := body["list"].([]any)
	require.Len(t, accounts, 2)
	assert.Equal(t, "management", accounts[0].(map[string]any)["kind"])
	assert.Equal(t, "1342540311780001", accounts[1].(map[string]any)["accountId"])

	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/reset", "", "")
	require.Equal(t, http.StatusOK, status)
	_, body = adminCall(t, http.MethodGet, url+"/_emulator/accounts", "", "")
	require.Len(t, body["list"].([]any), 1, "reset forgets every account but the management account")
	_, err = rm.ListAccounts(ctx, nil)
	require.NoError(t, err, "the management key survives a reset")
}

func TestAdminRejectsMalformedRequests(t *testing.T) {
	url, _ := start(t)
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodPost, "/_emulator/advance?by=-1h", ""},
		{http.MethodPost, "/_emulator/advance?by=soon", ""},
		{http.MethodPost, "/_emulator/faults/throttle", `{"count":"many"}`},
		{http.MethodPost, "/_emulator/faults/throttle", `{"count":1,"typo":true}`},
		{http.MethodPost, "/_emulator/faults/fail", `{"code":""}`},
		{http.MethodPost, "/_emulator/faults/fail", `{"code":"X","status":200}`},
		{http.MethodPost, "/_emulator/accounts", `{"accountId":"alice"}`},
		{http.MethodPost, "/_emulator/accounts", `not json`},
	} {
		status, body := adminCall(t, tc.method, url+tc.path, "", tc.body)
		assert.Equal(t, http.StatusBadRequest, status, "%s %s", tc.path, tc.body)
		assert.NotEmpty(t, body["error"], "%s %s", tc.path, tc.body)
	}
	status, _ := adminCall(t, http.MethodPost, url+"/_emulator/faults/fail", "", `{"code":"`+strings.Repeat("x", 70<<10)+`"}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	status, _ = adminCall(t, http.MethodGet, url+"/_emulator/nothing", "", "")
	assert.Equal(t, http.StatusNotFound, status)
	status, health := adminCall(t, http.MethodGet, url+"/_emulator/health", "", "")
	assert.Equal(t, http.StatusOK, status, "still serving")
	assert.Equal(t, "ok", health["status"])
}

func TestAdminToken(t *testing.T) {
	url, _ := start(t, "-admin-token", "t0ken")
	status, _ := adminCall(t, http.MethodPost, url+"/_emulator/reset", "", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/reset", "wrong", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/reset", "t0ken", "")
	assert.Equal(t, http.StatusOK, status)
	status, _ = adminCall(t, http.MethodGet, url+"/_emulator/health", "", "")
	assert.Equal(t, http.StatusOK, status, "health needs no token")
}

func TestFlags(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		err  string
	}{
		"remote without the flag":  {[]string{"-addr", "0.0.0.0:8080"}, "not a loopback address"},
		"remote without a token":   {[]string{"-addr", "0.0.0.0:8080", "-allow-remote"}, "needs -admin-token"},
		"half a key":               {[]string{"-access-key-id", "LTAIx"}, "go together"},
		"bad level":                {[]string{"-log-level", "loud"}, "-log-level"},
		"stray argument":           {[]string{"serve"}, "unexpected arguments"},
		"bad management account":   {[]string{"-addr", "127.0.0.1:0", "-management-account-id", "root"}, "not an account ID"},
		"remote with flag and key": {[]string{"-addr", "[::]:0", "-allow-remote", "-admin-token", "x", "-management-account-id", "x"}, "not an account ID"},
	} {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.err, name)
	}
	s, err := parseFlags([]string{"-addr", "localhost:0"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "localhost:0", s.addr)
}

// The test controls of alicloudtest.Server, over the admin API.
func TestAdminTestControls(t *testing.T) {
	url, ready := start(t)
	ctx := context.Background()
	rm := resourcemanager.New(config(url, ready["access_key_id"], ready["access_key_secret"]))

	status, body := adminCall(t, http.MethodPost, url+"/_emulator/trusted-services", "", `{"servicePrincipal":"config.aliyuncs.com"}`)
	require.Equal(t, http.StatusOK, status, body)
	trusted, err := rm.ListTrustedServiceStatus(ctx, nil)
	require.NoError(t, err)
	require.Len(t, trusted.EnabledServicePrincipals, 1)
	assert.Equal(t, "config.aliyuncs.com", trusted.EnabledServicePrincipals[0].ServicePrincipal)
	status, body = adminCall(t, http.MethodPost, url+"/_emulator/trusted-services", "", `{"servicePrincipal":"nope.aliyuncs.com"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body["error"], "not a trusted service")

	resource := `{"service":"ecs","resourceType":"instance","resourceId":"i-admin1"}`
	status, body = adminCall(t, http.MethodPost, url+"/_emulator/resources", "", resource)
	require.Equal(t, http.StatusOK, status, body)
	require.NotEmpty(t, body["resourceGroupId"])
	listed, err := rm.ListResources(ctx, &resourcemanager.ListResourcesRequest{ResourceId: "i-admin1"})
	require.NoError(t, err)
	require.Len(t, listed.Resources, 1)
	assert.Equal(t, body["resourceGroupId"], listed.Resources[0].ResourceGroupId)
	status, body = adminCall(t, http.MethodDelete, url+"/_emulator/resources", "", resource)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, true, body["removed"])

	// An SMS code: none before one is sent, then the one to bind with.
	created, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "phone", AccountNamePrefix: "phone"})
	require.NoError(t, err)
	id := created.Account.AccountId
	status, _ = adminCall(t, http.MethodGet, url+"/_emulator/verification-code?accountId="+id, "", "")
	assert.Equal(t, http.StatusConflict, status)
	_, err = rm.SendVerificationCodeForBindSecureMobilePhone(ctx, &resourcemanager.SendVerificationCodeForBindSecureMobilePhoneRequest{
		AccountId: id, SecureMobilePhone: "86-18600000000"})
	require.NoError(t, err)
	status, body = adminCall(t, http.MethodGet, url+"/_emulator/verification-code?accountId="+id, "", "")
	require.Equal(t, http.StatusOK, status, body)
	_, err = rm.BindSecureMobilePhone(ctx, &resourcemanager.BindSecureMobilePhoneRequest{
		AccountId: id, SecureMobilePhone: "86-18600000000", VerificationCode: body["code"].(string)})
	require.NoError(t, err)

	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/deletion-blockers", "", `{"accountId":"`+id+`","checkId":"check-1","checkName":"Open orders","abandonable":false}`)
	require.Equal(t, http.StatusOK, status)
	status, _ = adminCall(t, http.MethodDelete, url+"/_emulator/deletion-blockers", "", `{"accountId":"`+id+`"}`)
	require.Equal(t, http.StatusOK, status)
	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/email-change/confirm", "", `{"accountId":"`+id+`"}`)
	assert.Equal(t, http.StatusConflict, status, "no e-mail change is waiting")
	status, body = adminCall(t, http.MethodPost, url+"/_emulator/service-linked-role-usage", "", `{"roleName":"AliyunServiceRoleForNothing","region":"cn-hangzhou"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body["error"], "no service-linked role")
}
