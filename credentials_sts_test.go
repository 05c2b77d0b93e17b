package alicloud

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSTSEndpointResolution(t *testing.T) {
	tests := []struct {
		name string
		opts STSOptions
		env  map[string]string
		want string
		err  string
	}{
		{name: "global by default", want: "sts.aliyuncs.com"},
		{name: "env region", env: map[string]string{EnvSTSRegion: "cn-shanghai"}, want: "sts.cn-shanghai.aliyuncs.com"},
		{name: "option region beats env region", opts: STSOptions{Region: "cn-beijing"},
			env: map[string]string{EnvSTSRegion: "cn-shanghai"}, want: "sts.cn-beijing.aliyuncs.com"},
		{name: "env VPC", env: map[string]string{EnvSTSRegion: "cn-hangzhou", EnvVPCEndpointEnabled: "true"},
			want: "sts-vpc.cn-hangzhou.aliyuncs.com"},
		{name: "option VPC", opts: STSOptions{Region: "cn-hangzhou", EnableVPC: true}, want: "sts-vpc.cn-hangzhou.aliyuncs.com"},
		{name: "VPC without region stays global", env: map[string]string{EnvVPCEndpointEnabled: "true"}, want: "sts.aliyuncs.com"},
		{name: "VPC flag false", env: map[string]string{EnvSTSRegion: "cn-hangzhou", EnvVPCEndpointEnabled: "false"},
			want: "sts.cn-hangzhou.aliyuncs.com"},
		{name: "env endpoint beats region and VPC", opts: STSOptions{Region: "cn-beijing", EnableVPC: true},
			env:  map[string]string{EnvSTSEndpoint: "sts.example.internal", EnvSTSRegion: "cn-shanghai", EnvVPCEndpointEnabled: "true"},
			want: "sts.example.internal"},
		{name: "env endpoint URL kept", env: map[string]string{EnvSTSEndpoint: "http://127.0.0.1:9"}, want: "http://127.0.0.1:9"},
		{name: "option endpoint beats env endpoint", opts: STSOptions{Endpoint: "http://127.0.0.1:8"},
			env: map[string]string{EnvSTSEndpoint: "sts.example.internal"}, want: "http://127.0.0.1:8"},
		{name: "invalid region", opts: STSOptions{Region: "cn hangzhou/evil"}, err: "invalid STS region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			got, err := tt.opts.endpoint(getenv)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSTSRAMRoleARNCredentialsSignsAssumeRole(t *testing.T) {
	ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.allow("LTAIsource", "source-secret-"+ctMarker)

	tests := []struct {
		name   string
		source StaticCredentials
		opts   RAMRoleARNCredentialsOptions
		env    map[string]string
		check  func(t *testing.T, q url.Values)
	}{
		{
			name:   "defaults",
			source: NewStaticCredentials("LTAIsource", "source-secret-"+ctMarker, ""),
			opts:   RAMRoleARNCredentialsOptions{RoleARN: "acs:ram::1234:role/admin"},
			check: func(t *testing.T, q url.Values) {
				assert.Equal(t, "acs:ram::1234:role/admin", q.Get("RoleArn"))
				assert.Equal(t, "3600", q.Get("DurationSeconds"))
				assert.True(t, strings.HasPrefix(q.Get("RoleSessionName"), "resourcekit-"), q.Get("RoleSessionName"))
				assert.False(t, q.Has("Policy"))
				assert.False(t, q.Has("ExternalId"))
				assert.False(t, q.Has("SecurityToken"))
			},
		},
		{
			name:   "every parameter",
			source: NewStaticCredentials("LTAIsource", "source-secret-"+ctMarker, "source-token-"+ctMarker),
			opts: RAMRoleARNCredentialsOptions{RoleARN: "acs:ram::1234:role/ops", RoleSessionName: "alice",
				Policy: `{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, ExternalID: "abcd1234", DurationSeconds: 900},
			check: func(t *testing.T, q url.Values) {
				assert.Equal(t, "alice", q.Get("RoleSessionName"))
				assert.Equal(t, "900", q.Get("DurationSeconds"))
				assert.Contains(t, q.Get("Policy"), `"Effect":"Allow"`)
				assert.Equal(t, "abcd1234", q.Get("ExternalId"))
				assert.Equal(t, "source-token-"+ctMarker, q.Get("SecurityToken"), "a source STS token signs along")
			},
		},
		{
			name:   "session name from the environment",
			source: NewStaticCredentials("LTAIsource", "source-secret-"+ctMarker, ""),
			opts:   RAMRoleARNCredentialsOptions{RoleARN: "acs:ram::1234:role/admin"},
			env:    map[string]string{EnvRoleSessionName: "from-env"},
			check: func(t *testing.T, q url.Values) {
				assert.Equal(t, "from-env", q.Get("RoleSessionName"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			o := tt.opts
			o.STS = STSOptions{Endpoint: sts.URL, Retry: ctNoRetry}
			o.Refresh = CredentialsRefreshOptions{Now: clock.Now}
			p := NewRAMRoleARNCredentials(tt.source, o)
			creds, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(creds.AccessKeyID, "STS.id-"))
			assert.NotEmpty(t, creds.SecurityToken)
			assert.False(t, creds.Expires.IsZero())
			q := sts.last()
			assert.Equal(t, "AssumeRole", q.Get("Action"))
			assert.Equal(t, "LTAIsource", q.Get("AccessKeyId"))
			tt.check(t, q)
			ctNoSecret(t, ctFormats(p)...)
			ctNoSecret(t, ctFormats(creds)...)
		})
	}
	assert.Zero(t, sts.sigErrs.Load(), "every AssumeRole must carry a valid V1 signature")
}

func TestSTSRAMRoleARNCredentialsRefresh(t *testing.T) {
	ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.allow("LTAIsource", "source-secret-"+ctMarker)
	p := NewRAMRoleARNCredentials(NewStaticCredentials("LTAIsource", "source-secret-"+ctMarker, ""),
		RAMRoleARNCredentialsOptions{RoleARN: "acs:ram::1234:role/admin", DurationSeconds: 3600,
			STS: STSOptions{Endpoint: sts.URL, Retry: ctNoRetry}, Refresh: CredentialsRefreshOptions{Now: clock.Now}})
	ctx := context.Background()
	first, err := p.Retrieve(ctx)
	require.NoError(t, err)
	clock.Advance(50 * time.Minute)
	again, err := p.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, first.AccessKeyID, again.AccessKeyID)
	assert.EqualValues(t, 1, sts.calls.Load())

	clock.Advance(6 * time.Minute) // 4 minutes left: inside the 5 minute window
	next, err := p.Retrieve(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessKeyID, next.AccessKeyID)
	assert.EqualValues(t, 2, sts.calls.Load())

	// STS failing now: the still-valid credentials keep being served.
	sts.mu.Lock()
	sts.fail = func(url.Values) (int, string) {
		return 503, `{"Code":"ServiceUnavailable","Message":"down","RequestId":"r-503"}`
	}
	sts.mu.Unlock()
	clock.Advance(56 * time.Minute)
	kept, err := p.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, next.AccessKeyID, kept.AccessKeyID)
	clock.Advance(5 * time.Minute) // expired
	_, err = p.Retrieve(ctx)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ServiceUnavailable", apiErr.Code)
}

func TestSTSErrors(t *testing.T) {
	ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.allow("LTAIsource", "source-secret-"+ctMarker)
	good := NewStaticCredentials("LTAIsource", "source-secret-"+ctMarker, "")

	tests := []struct {
		name   string
		source CredentialsProvider
		opts   RAMRoleARNCredentialsOptions
		fail   func(url.Values) (int, string)
		check  func(t *testing.T, err error)
	}{
		{
			name: "API error code", source: good,
			fail: func(url.Values) (int, string) {
				return 403, `{"Code":"NoPermission","Message":"You are not authorized to assume the role.","RequestId":"req-403","HostId":"sts.aliyuncs.com"}`
			},
			check: func(t *testing.T, err error) {
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "Sts", apiErr.Product)
				assert.Equal(t, "AssumeRole", apiErr.Operation)
				assert.Equal(t, 403, apiErr.HTTPStatus)
				assert.Equal(t, "req-403", apiErr.RequestID)
				assert.True(t, errors.Is(err, ErrorCode("NoPermission")))
				assert.False(t, errors.Is(err, ErrCredentialsNotFound))
				assert.Contains(t, err.Error(), "acs:ram::1234:role/admin")
			},
		},
		{
			name: "wrong secret fails the signature check", source: NewStaticCredentials("LTAIsource", "wrong-"+ctMarker, ""),
			check: func(t *testing.T, err error) {
				assert.True(t, errors.Is(err, ErrSignatureDoesNotMatch))
			},
		},
		{
			name: "malformed success reply does not echo the body", source: good,
			fail: func(url.Values) (int, string) {
				return 200, `{"RequestId":"r","Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"leak-` + ctMarker + `","SecurityToken":`
			},
			check: func(t *testing.T, err error) {
				var respErr *ResponseError
				require.ErrorAs(t, err, &respErr)
				assert.Empty(t, respErr.Excerpt)
				assert.Contains(t, err.Error(), "malformed JSON")
			},
		},
		{
			name: "success reply without credentials", source: good,
			fail: func(url.Values) (int, string) { return 200, `{"RequestId":"r"}` },
			check: func(t *testing.T, err error) {
				var respErr *ResponseError
				require.ErrorAs(t, err, &respErr)
				assert.Contains(t, err.Error(), "no Credentials")
			},
		},
		{
			name: "wrongly typed secret", source: good,
			fail: func(url.Values) (int, string) {
				return 200, `{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":12345,"SecurityToken":"t-` + ctMarker + `","Expiration":"2025-03-01T09:00:00Z"}}`
			},
			check: func(t *testing.T, err error) {
				assert.Contains(t, err.Error(), "AccessKeySecret is a number, want string")
			},
		},
		{
			name: "gateway HTML page", source: good,
			fail: func(url.Values) (int, string) { return 502, `<html>bad gateway</html>` },
			check: func(t *testing.T, err error) {
				var respErr *ResponseError
				require.ErrorAs(t, err, &respErr)
				assert.Equal(t, 502, respErr.HTTPStatus)
				assert.Contains(t, respErr.Excerpt, "bad gateway")
			},
		},
		{
			name: "source without credentials", source: NewStaticCredentials("", "", ""),
			check: func(t *testing.T, err error) {
				var opErr *OperationError
				require.ErrorAs(t, err, &opErr)
				assert.ErrorIs(t, err, ErrCredentialsNotFound)
				assert.Contains(t, err.Error(), "source credentials")
			},
		},
		{
			name: "nil source", source: nil,
			check: func(t *testing.T, err error) { assert.ErrorContains(t, err, "no source credentials provider") },
		},
		{
			name: "empty role ARN", source: good, opts: RAMRoleARNCredentialsOptions{RoleARN: " "},
			check: func(t *testing.T, err error) { assert.ErrorContains(t, err, "RoleARN is empty") },
		},
		{
			name: "duration too short", source: good, opts: RAMRoleARNCredentialsOptions{RoleARN: "acs:ram::1234:role/admin", DurationSeconds: 60},
			check: func(t *testing.T, err error) { assert.ErrorContains(t, err, "below the minimum of 900") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts.setFail(tt.fail)
			o := tt.opts
			if o.RoleARN == "" {
				o.RoleARN = "acs:ram::1234:role/admin"
			}
			o.STS = STSOptions{Endpoint: sts.URL, Retry: ctNoRetry}
			o.Refresh = CredentialsRefreshOptions{Now: clock.Now}
			p := NewRAMRoleARNCredentials(tt.source, o)
			_, err := p.Retrieve(context.Background())
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "ram role arn credentials: "), err.Error())
			tt.check(t, err)
			ctNoSecret(t, err.Error(), ctFmtAll(err))
		})
	}
}

// ctFmtAll renders an error with every verb.
func ctFmtAll(err error) string { return strings.Join(ctFormats(err), "\n") }

func TestSTSEndpointHostUsesHTTPS(t *testing.T) {
	ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.Close() // replace the plain server by a TLS one with the same handler
	tls := httptest.NewTLSServer(http.HandlerFunc(sts.serve))
	t.Cleanup(tls.Close)
	sts.allow("LTAIsource", "source-secret-"+ctMarker)
	u, err := url.Parse(tls.URL)
	require.NoError(t, err)

	// A bare host in ALIBABA_CLOUD_STS_ENDPOINT is reached over HTTPS.
	t.Setenv(EnvSTSEndpoint, u.Host)
	p := NewRAMRoleARNCredentials(NewStaticCredentials("LTAIsource", "source-secret-"+ctMarker, ""),
		RAMRoleARNCredentialsOptions{RoleARN: "acs:ram::1234:role/admin",
			STS: STSOptions{HTTPClient: tls.Client(), Retry: ctNoRetry}, Refresh: CredentialsRefreshOptions{Now: clock.Now}})
	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, sts.calls.Load())
}
