package alicloud

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOIDCCredentialsFromEnvironment(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	tokenFile := ctWrite(t, home, "token", "oidc-token-1-"+ctMarker+"\n")
	t.Setenv(EnvRoleARN, "acs:ram::1234:role/pod")
	t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/ack-rrsa")
	t.Setenv(EnvOIDCTokenFile, tokenFile)
	t.Setenv(EnvRoleSessionName, "pod-session")
	t.Setenv(EnvSTSEndpoint, sts.URL) // a URL: its http scheme is honoured

	p := NewOIDCCredentials(OIDCCredentialsOptions{STS: STSOptions{Retry: ctNoRetry}, Refresh: CredentialsRefreshOptions{Now: clock.Now}})
	creds, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "STS.id-1", creds.AccessKeyID)
	assert.Equal(t, clock.Now().Add(time.Hour), creds.Expires)

	q := sts.last()
	assert.Equal(t, "AssumeRoleWithOIDC", q.Get("Action"))
	assert.Equal(t, "acs:ram::1234:role/pod", q.Get("RoleArn"))
	assert.Equal(t, "acs:ram::1234:oidc-provider/ack-rrsa", q.Get("OIDCProviderArn"))
	assert.Equal(t, "oidc-token-1-"+ctMarker, q.Get("OIDCToken"), "the token is sent trimmed")
	assert.Equal(t, "pod-session", q.Get("RoleSessionName"))
	assert.Equal(t, "3600", q.Get("DurationSeconds"))
	assert.False(t, q.Has("Signature"), "AssumeRoleWithOIDC is anonymous")
	assert.False(t, q.Has("AccessKeyId"))

	// The platform rotates the token file; the next refresh reads it again.
	require.NoError(t, os.WriteFile(tokenFile, []byte("oidc-token-2-"+ctMarker), 0o600))
	clock.Advance(30 * time.Minute)
	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, sts.calls.Load(), "cached: no call before the window")
	clock.Advance(26 * time.Minute)
	creds, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "STS.id-2", creds.AccessKeyID)
	assert.Equal(t, "oidc-token-2-"+ctMarker, sts.last().Get("OIDCToken"))
	ctNoSecret(t, ctFormats(p)...)
}

func TestOIDCCredentialsOptionsBeatEnvironment(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	t.Setenv(EnvRoleARN, "acs:ram::1234:role/from-env")
	t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/env")
	t.Setenv(EnvOIDCTokenFile, filepath.Join(home, "missing"))
	p := NewOIDCCredentials(OIDCCredentialsOptions{
		RoleARN: "acs:ram::1234:role/from-code", OIDCProviderARN: "acs:ram::1234:oidc-provider/code",
		OIDCTokenFile: ctWrite(t, home, "code-token", "code-token-"+ctMarker), RoleSessionName: "code",
		Policy: `{"Version":"1"}`, DurationSeconds: 7200,
		STS:     STSOptions{Endpoint: sts.URL, Retry: ctNoRetry},
		Refresh: CredentialsRefreshOptions{Now: clock.Now},
	})
	_, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	q := sts.last()
	assert.Equal(t, "acs:ram::1234:role/from-code", q.Get("RoleArn"))
	assert.Equal(t, "acs:ram::1234:oidc-provider/code", q.Get("OIDCProviderArn"))
	assert.Equal(t, "code-token-"+ctMarker, q.Get("OIDCToken"))
	assert.Equal(t, "code", q.Get("RoleSessionName"))
	assert.Equal(t, `{"Version":"1"}`, q.Get("Policy"))
	assert.Equal(t, "7200", q.Get("DurationSeconds"))
}

func TestOIDCCredentialsErrors(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	goodToken := ctWrite(t, home, "token", "tok-"+ctMarker)
	emptyToken := ctWrite(t, home, "empty", " \n")
	full := map[string]string{
		EnvRoleARN: "acs:ram::1234:role/pod", EnvOIDCProviderARN: "acs:ram::1234:oidc-provider/p", EnvOIDCTokenFile: goodToken,
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range full {
			m[a] = b
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name     string
		env      map[string]string
		fail     func(url.Values) (int, string)
		notFound bool
		contains []string
	}{
		{name: "nothing configured", env: nil, notFound: true,
			contains: []string{EnvRoleARN, EnvOIDCProviderARN, EnvOIDCTokenFile}},
		{name: "token file variable missing", env: with(EnvOIDCTokenFile, ""), notFound: true, contains: []string{EnvOIDCTokenFile + " not set"}},
		{name: "role missing", env: with(EnvRoleARN, ""), notFound: true, contains: []string{EnvRoleARN + " not set"}},
		{name: "token file does not exist", env: with(EnvOIDCTokenFile, filepath.Join(home, "nope")), contains: []string{"does not exist"}},
		{name: "token file empty", env: with(EnvOIDCTokenFile, emptyToken), contains: []string{"is empty"}},
		{name: "STS rejects the token", env: full,
			fail: func(url.Values) (int, string) {
				return 400, `{"Code":"AuthenticationFail.OIDCToken.Expired","Message":"The OIDC token has expired.","RequestId":"r-exp"}`
			},
			contains: []string{"AssumeRoleWithOIDC", "AuthenticationFail.OIDCToken.Expired", "acs:ram::1234:role/pod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{EnvRoleARN, EnvOIDCProviderARN, EnvOIDCTokenFile} {
				t.Setenv(k, tt.env[k])
			}
			sts.setFail(tt.fail)
			p := NewOIDCCredentials(OIDCCredentialsOptions{STS: STSOptions{Endpoint: sts.URL, Retry: ctNoRetry},
				Refresh: CredentialsRefreshOptions{Now: clock.Now}})
			_, err := p.Retrieve(context.Background())
			require.Error(t, err)
			assert.Equal(t, tt.notFound, errors.Is(err, ErrCredentialsNotFound), err.Error())
			assert.True(t, strings.HasPrefix(err.Error(), "oidc credentials: "), err.Error())
			for _, s := range tt.contains {
				assert.Contains(t, err.Error(), s)
			}
			ctNoSecret(t, ctFmtAll(err))
			if tt.fail != nil {
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "AssumeRoleWithOIDC", apiErr.Operation)
			}
		})
	}
}

func TestOIDCCredentialsVPCEndpointFromEnvironment(t *testing.T) {
	// The regional and VPC rules apply when no endpoint is set; here the
	// endpoint variable wins over them, so the call stays on loopback.
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	t.Setenv(EnvRoleARN, "acs:ram::1234:role/pod")
	t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/p")
	t.Setenv(EnvOIDCTokenFile, ctWrite(t, home, "token", "tok-"+ctMarker))
	t.Setenv(EnvSTSRegion, "cn-hangzhou")
	t.Setenv(EnvVPCEndpointEnabled, "true")
	t.Setenv(EnvSTSEndpoint, sts.URL)
	p := NewOIDCCredentials(OIDCCredentialsOptions{STS: STSOptions{Retry: ctNoRetry}, Refresh: CredentialsRefreshOptions{Now: clock.Now}})
	_, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, sts.calls.Load())

	ep, err := STSOptions{}.endpoint(func(k string) string {
		if k == EnvSTSEndpoint {
			return ""
		}
		return os.Getenv(k)
	})
	require.NoError(t, err)
	assert.Equal(t, "sts-vpc.cn-hangzhou.aliyuncs.com", ep)
}
