package alicloud

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctDefaultChain builds the default chain for tests: ECS disabled by the
// environment (ctIsolate) and, belt and braces, pointed at a closed
// loopback port; STS only reachable through the endpoint variable the test
// sets to its fake.
func ctDefaultChain(t *testing.T, clock *ctClock) *ChainCredentials {
	t.Helper()
	require.Equal(t, "true", ctGetenv(EnvECSMetadataDisabled), "default chain tests keep ECS disabled")
	return NewDefaultCredentialsChain(DefaultCredentialsChainOptions{
		STS:     STSOptions{Retry: ctNoRetry},
		ECS:     ECSRAMRoleCredentialsOptions{BaseURL: ctClosedURL(t)},
		Refresh: CredentialsRefreshOptions{Now: clock.Now},
	})
}

func ctGetenv(k string) string { return credGetenv(nil)(k) }

func TestChainDefaultOrder(t *testing.T) {
	ctIsolate(t)
	c := ctDefaultChain(t, newCTClock())
	assert.Equal(t, []string{"environment", "oidc_role_arn", "cli_profile", "ini_profile", "ecs_ram_role", "credentials_uri"}, c.ProviderNames())
	assert.Nil(t, c.Selected())
	assert.Equal(t, "", c.SelectedName())
}

func TestChainDefaultPrecedence(t *testing.T) {
	sources := []string{"env", "oidc", "cli", "ini", "uri"}
	tests := []struct {
		configured []string
		want       string
		wantKey    string
	}{
		{configured: sources, want: "environment", wantKey: "LTAIenv"},
		{configured: sources[1:], want: "oidc_role_arn", wantKey: "STS.id-"},
		{configured: sources[2:], want: `cli_profile (profile "default", mode AK)`, wantKey: "LTAIcli"},
		{configured: sources[3:], want: `ini_profile (profile "default", type access_key)`, wantKey: "LTAIini"},
		{configured: sources[4:], want: "credentials_uri", wantKey: "STS.uri-"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			home := ctIsolate(t)
			clock := newCTClock()
			sts := newCTSTS(t, clock)
			t.Setenv(EnvSTSEndpoint, sts.URL)
			uri, _ := ctURIServer(t, clock, nil)
			for _, s := range tt.configured {
				switch s {
				case "env":
					t.Setenv(EnvAccessKeyID, "LTAIenv")
					t.Setenv(EnvAccessKeySecret, "env-secret-"+ctMarker)
				case "oidc":
					t.Setenv(EnvRoleARN, "acs:ram::1234:role/pod")
					t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/p")
					t.Setenv(EnvOIDCTokenFile, ctWrite(t, home, "token", "tok-"+ctMarker))
				case "cli":
					ctWrite(t, home, ".aliyun/config.json", ctCLIConfigString(map[string]any{
						"name": "default", "mode": "AK", "access_key_id": "LTAIcli", "access_key_secret": "cli-secret-" + ctMarker}))
				case "ini":
					ctWrite(t, home, ".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = ini-"+ctMarker+"\n")
				case "uri":
					t.Setenv(EnvCredentialsURI, uri.URL+"/creds")
				}
			}
			c := ctDefaultChain(t, clock)
			creds, err := c.Retrieve(context.Background())
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(creds.AccessKeyID, tt.wantKey), creds.AccessKeyID)
			assert.Equal(t, tt.want, c.SelectedName())
			require.NotNil(t, c.Selected())
			ctNoSecret(t, ctFormats(c)...)
			assert.Contains(t, c.String(), "selected: ")
		})
	}
}

func TestChainAllFailListsEveryProvider(t *testing.T) {
	ctIsolate(t)
	c := ctDefaultChain(t, newCTClock())
	_, err := c.Retrieve(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrCredentialsNotFound, "nothing configured")
	var chainErr *CredentialsChainError
	require.ErrorAs(t, err, &chainErr)
	require.Len(t, chainErr.Failures, 6)
	for i, name := range c.ProviderNames() {
		assert.Equal(t, name, chainErr.Failures[i].Provider)
	}
	msg := err.Error()
	wants := []string{
		"[environment] environment credentials: credentials not found: " + EnvAccessKeyID + " is not set",
		"[oidc_role_arn] oidc credentials: credentials not found: " + EnvRoleARN,
		"[cli_profile] cli profile credentials: credentials not found: ",
		"config.json does not exist",
		"[ini_profile] ini profile credentials: credentials not found: ",
		"[ecs_ram_role] ecs ram role credentials: credentials not found: disabled by " + EnvECSMetadataDisabled,
		"[credentials_uri] credentials uri: credentials not found: " + EnvCredentialsURI + " is not set",
	}
	last := -1
	for _, w := range wants {
		i := strings.Index(msg, w)
		require.GreaterOrEqual(t, i, 0, "%q missing from %q", w, msg)
		assert.Greater(t, i, last, "providers are listed in chain order")
		last = i
	}
	assert.Nil(t, c.Selected(), "a failed walk remembers nothing")
}

func TestChainConfiguredButBroken(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	t.Setenv(EnvSTSEndpoint, sts.URL)
	sts.setFail(func(url.Values) (int, string) {
		return 400, `{"Code":"EntityNotExist.Role","Message":"The role not exists.","RequestId":"r-role"}`
	})
	t.Setenv(EnvRoleARN, "acs:ram::1234:role/gone")
	t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/p")
	t.Setenv(EnvOIDCTokenFile, ctWrite(t, home, "token", "tok-"+ctMarker))
	c := ctDefaultChain(t, clock)
	_, err := c.Retrieve(context.Background())
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrCredentialsNotFound), "a configured provider failed: not 'nothing configured'")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "EntityNotExist.Role", apiErr.Code)
	assert.True(t, errors.Is(err, ErrorCode("EntityNotExist.Role")))
	assert.Contains(t, err.Error(), "[oidc_role_arn] oidc credentials: assume role acs:ram::1234:role/gone: sts: AssumeRoleWithOIDC: HTTP 400 EntityNotExist.Role")
	ctNoSecret(t, ctFmtAll(err))
}

func TestChainRemembersOnlyAfterSuccess(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	c := ctDefaultChain(t, clock)
	ctx := context.Background()

	_, err := c.Retrieve(ctx)
	require.ErrorIs(t, err, ErrCredentialsNotFound)
	assert.Nil(t, c.Selected())

	// Configured later: the next Retrieve walks again and finds it.
	ctWrite(t, home, ".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = ini-"+ctMarker+"\n")
	creds, err := c.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "LTAIini", creds.AccessKeyID)
	assert.Equal(t, `ini_profile (profile "default", type access_key)`, c.SelectedName())

	// An earlier provider appearing afterwards does not displace it.
	t.Setenv(EnvAccessKeyID, "LTAIenv")
	t.Setenv(EnvAccessKeySecret, "env-"+ctMarker)
	creds, err = c.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "LTAIini", creds.AccessKeyID)
}

func TestChainRememberedProviderErrorsAreReturned(t *testing.T) {
	ctIsolate(t)
	clock := newCTClock()
	uri, _ := ctURIServer(t, clock, nil)
	broken, _ := ctURIServer(t, clock, func() (int, string) { return 500, `{"Code":"Down"}` })
	t.Setenv(EnvCredentialsURI, uri.URL)
	c := ctDefaultChain(t, clock)
	_, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "credentials_uri", c.SelectedName())

	t.Setenv(EnvCredentialsURI, broken.URL)
	clock.Advance(2 * time.Hour)
	_, err = c.Retrieve(context.Background())
	require.Error(t, err)
	var chainErr *CredentialsChainError
	assert.False(t, errors.As(err, &chainErr), "the remembered provider's own error comes back")
	assert.Contains(t, err.Error(), "credentials uri: GET ")
	assert.Contains(t, err.Error(), "HTTP 500 Down")
}

func TestChainConcurrentRetrieveCallsSTSOnce(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.mu.Lock()
	sts.delay = 20 * time.Millisecond
	sts.mu.Unlock()
	t.Setenv(EnvSTSEndpoint, sts.URL)
	t.Setenv(EnvRoleARN, "acs:ram::1234:role/pod")
	t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/p")
	t.Setenv(EnvOIDCTokenFile, ctWrite(t, home, "token", "tok-"+ctMarker))
	c := ctDefaultChain(t, clock)

	retrieveAll := func() {
		var wg sync.WaitGroup
		for range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				creds, err := c.Retrieve(context.Background())
				if assert.NoError(t, err) {
					assert.True(t, strings.HasPrefix(creds.AccessKeyID, "STS.id-"))
				}
			}()
		}
		wg.Wait()
	}
	retrieveAll()
	assert.EqualValues(t, 1, sts.calls.Load(), "100 concurrent first calls: one AssumeRoleWithOIDC")

	clock.Advance(2 * time.Hour) // expired: all must wait, one refresh
	retrieveAll()
	assert.EqualValues(t, 2, sts.calls.Load(), "100 concurrent calls on expired credentials: one refresh")
}

func TestChainContextAndCustomProviders(t *testing.T) {
	ctIsolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ctDefaultChain(t, newCTClock()).Retrieve(ctx)
	require.ErrorIs(t, err, context.Canceled)

	failing := CredentialsProviderFunc(func(context.Context) (Credentials, error) { return Credentials{}, errors.New("custom failure") })
	c := NewChainCredentials(nil, failing, NewStaticCredentials("LTAIstatic", "static-"+ctMarker, ""))
	assert.Equal(t, []string{"alicloud.CredentialsProviderFunc", "static"}, c.ProviderNames())
	creds, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "LTAIstatic", creds.AccessKeyID)
	assert.Equal(t, "static", c.SelectedName())
	ctNoSecret(t, ctFormats(c)...)

	_, err = NewChainCredentials().Retrieve(context.Background())
	require.ErrorIs(t, err, ErrCredentialsNotFound)
	assert.Contains(t, err.Error(), "no providers")

	_, err = NewChainCredentials(failing, &EnvironmentCredentials{}).Retrieve(context.Background())
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrCredentialsNotFound))
	assert.Contains(t, err.Error(), "[alicloud.CredentialsProviderFunc] custom failure; [environment] environment credentials")
}
