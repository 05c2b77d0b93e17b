package alicloud

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctLoopbackOnly is a LoadOption that keeps the default chain's network
// providers on loopback whatever the environment says: ECS at a closed
// port (it is disabled by ctIsolate as well) and STS at the given URL.
func ctLoopbackOnly(t *testing.T, stsURL string, clock *ctClock) LoadOption {
	ecsURL := ctClosedURL(t)
	return func(o *LoadOptions) error {
		o.Chain.ECS.BaseURL = ecsURL
		o.Chain.STS.Endpoint = stsURL
		o.Chain.STS.Retry = ctNoRetry
		if clock != nil {
			o.Chain.Refresh.Now = clock.Now
		}
		return nil
	}
}

func TestLoadDefaultConfigRegion(t *testing.T) {
	cli := ctCLIConfigString(
		map[string]any{"name": "default", "mode": "AK", "access_key_id": "a", "access_key_secret": "s-" + ctMarker, "region_id": "cn-hangzhou"},
		map[string]any{"name": "other", "mode": "AK", "access_key_id": "b", "access_key_secret": "s-" + ctMarker, "region_id": "eu-central-1"},
	)
	tests := []struct {
		name     string
		opts     []LoadOption
		env      map[string]string
		cli      string
		disabled bool
		want     string
	}{
		{name: "nothing", want: ""},
		{name: "WithRegion", opts: []LoadOption{WithRegion("cn-beijing")}, env: map[string]string{EnvRegionID: "cn-shanghai"}, cli: cli, want: "cn-beijing"},
		{name: "ALIBABA_CLOUD_REGION_ID", env: map[string]string{EnvRegionID: "cn-shanghai", EnvRegionIDAlt: "x-1", EnvRegionIDLegacy: "y-1"}, cli: cli, want: "cn-shanghai"},
		{name: "ALIBABACLOUD_REGION_ID", env: map[string]string{EnvRegionIDAlt: "cn-shenzhen", EnvRegionIDLegacy: "y-1"}, cli: cli, want: "cn-shenzhen"},
		{name: "ALICLOUD_REGION_ID", env: map[string]string{EnvRegionIDLegacy: "ap-southeast-1"}, cli: cli, want: "ap-southeast-1"},
		{name: "empty WithRegion falls through", opts: []LoadOption{WithRegion("")}, env: map[string]string{EnvRegionID: "cn-shanghai"}, want: "cn-shanghai"},
		{name: "CLI current profile", cli: cli, want: "cn-hangzhou"},
		{name: "CLI profile from WithProfile", opts: []LoadOption{WithProfile("other")}, cli: cli, want: "eu-central-1"},
		{name: "CLI profile from ALIBABA_CLOUD_PROFILE", env: map[string]string{EnvProfile: "other"}, cli: cli, want: "eu-central-1"},
		{name: "CLI profile disabled", cli: cli, disabled: true, want: ""},
		{name: "malformed CLI file is ignored", cli: "{" + ctMarker, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := ctIsolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.cli != "" {
				ctWrite(t, home, ".aliyun/config.json", tt.cli)
			}
			if tt.disabled {
				t.Setenv(EnvCLIProfileDisabled, "true")
			}
			cfg, err := LoadDefaultConfig(context.Background(), append(tt.opts, ctLoopbackOnly(t, ctClosedURL(t), nil))...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg.Region)
		})
	}
}

func TestLoadDefaultConfigOptions(t *testing.T) {
	ctIsolate(t)
	hc := &http.Client{Timeout: 3 * time.Second}
	logger := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	retry := RetryOptions{MaxAttempts: 5, MinBackoff: time.Millisecond, MaxBackoff: time.Second}
	static := NewStaticCredentials("LTAIstatic", "static-"+ctMarker, "")
	cfg, err := LoadDefaultConfig(context.Background(),
		WithRegion(" cn-hangzhou "), WithEndpoint("http://127.0.0.1:8080"), WithHTTPClient(hc),
		WithRetry(retry), WithLogger(logger), WithCredentials(static), nil)
	require.NoError(t, err)
	assert.Equal(t, Config{Region: "cn-hangzhou", Credentials: static, Endpoint: "http://127.0.0.1:8080",
		HTTPClient: hc, Retry: retry, Logger: logger}, cfg)
	ctNoSecret(t, ctFormats(cfg)...)

	cfg, err = LoadDefaultConfig(context.Background(), ctLoopbackOnly(t, ctClosedURL(t), nil))
	require.NoError(t, err)
	chain, ok := cfg.Credentials.(*ChainCredentials)
	require.True(t, ok, "the default credentials are the chain, got %T", cfg.Credentials)
	assert.Len(t, chain.ProviderNames(), 6)
	assert.Equal(t, Config{Credentials: chain}, cfg)
}

func TestLoadDefaultConfigErrors(t *testing.T) {
	tests := []struct {
		name     string
		ctx      func() context.Context
		opts     []LoadOption
		env      map[string]string
		contains string
		is       error
	}{
		{name: "invalid region option", opts: []LoadOption{WithRegion("cn hangzhou")}, contains: `invalid region "cn hangzhou" (from WithRegion)`},
		{name: "invalid region variable", env: map[string]string{EnvRegionIDAlt: "evil.com/x"}, contains: `invalid region "evil.com/x" (from ALIBABACLOUD_REGION_ID)`},
		{name: "invalid endpoint", opts: []LoadOption{WithEndpoint("ftp://x")}, contains: "scheme must be http or https"},
		{name: "nil credentials", opts: []LoadOption{WithCredentials(nil)}, contains: "WithCredentials: nil provider"},
		{name: "negative retry", opts: []LoadOption{WithRetry(RetryOptions{MaxAttempts: -1})}, contains: "WithRetry: negative"},
		{name: "option error", opts: []LoadOption{func(*LoadOptions) error { return errors.New("custom option failed") }}, contains: "custom option failed"},
		{name: "ended context", ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, is: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctIsolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			_, err := LoadDefaultConfig(ctx, tt.opts...)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "load config: "), err.Error())
			if tt.contains != "" {
				assert.Contains(t, err.Error(), tt.contains)
			}
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
		})
	}
}

func TestLoadDefaultConfigChainWithProfile(t *testing.T) {
	home := ctIsolate(t)
	ctWrite(t, home, ".aliyun/config.json", ctCLIConfigString(
		map[string]any{"name": "default", "mode": "AK", "access_key_id": "LTAIclidefault", "access_key_secret": "s-" + ctMarker}))
	ctWrite(t, home, ".alibabacloud/credentials",
		"[default]\ntype = access_key\naccess_key_id = LTAIinidefault\naccess_key_secret = s-"+ctMarker+
			"\n[work]\ntype = access_key\naccess_key_id = LTAIiniwork\naccess_key_secret = s-"+ctMarker+"\n")
	t.Setenv(EnvProfile, "default")

	// WithProfile names a profile the CLI file lacks and the INI file has:
	// the CLI provider fails and the chain moves on to the INI section.
	cfg, err := LoadDefaultConfig(context.Background(), WithProfile("work"), ctLoopbackOnly(t, ctClosedURL(t), nil))
	require.NoError(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "LTAIiniwork", creds.AccessKeyID)
	assert.Equal(t, `ini_profile (profile "work", type access_key)`, cfg.Credentials.(*ChainCredentials).SelectedName())

	cfg, err = LoadDefaultConfig(context.Background(), ctLoopbackOnly(t, ctClosedURL(t), nil))
	require.NoError(t, err)
	creds, err = cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "LTAIclidefault", creds.AccessKeyID)
}

// ctCountingTransport counts round trips and refuses anything off loopback.
type ctCountingTransport struct{ n atomic.Int32 }

func (c *ctCountingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if h := r.URL.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return nil, errors.New("test transport: refusing non-loopback host " + h)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestLoadDefaultConfigSTSUsesConfigHTTPClientAndLogger(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	t.Setenv(EnvSTSEndpoint, sts.URL)
	t.Setenv(EnvRoleARN, "acs:ram::1234:role/pod")
	t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/p")
	t.Setenv(EnvOIDCTokenFile, ctWrite(t, home, "token", "tok-"+ctMarker))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tr := &ctCountingTransport{}
	cfg, err := LoadDefaultConfig(context.Background(), WithHTTPClient(&http.Client{Transport: tr}), WithLogger(logger),
		WithRetry(ctNoRetry), func(o *LoadOptions) error {
			o.Chain.ECS.BaseURL = ctClosedURL(t)
			o.Chain.Refresh.Now = clock.Now
			return nil
		})
	require.NoError(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "STS.id-1", creds.AccessKeyID)
	assert.EqualValues(t, 1, tr.n.Load(), "STS goes through Config.HTTPClient")
	out := logs.String()
	assert.Contains(t, out, "alicloud credentials provider selected")
	assert.Contains(t, out, "provider=oidc_role_arn")
	assert.Contains(t, out, "action=AssumeRoleWithOIDC")
	ctNoSecret(t, out)
	ctNoSecret(t, ctFormats(cfg)...)
}

func TestLoadDefaultConfigEnvironmentCredentials(t *testing.T) {
	ctIsolate(t)
	t.Setenv(EnvAccessKeyID, "LTAIenv")
	t.Setenv(EnvAccessKeySecret, "env-secret-"+ctMarker)
	t.Setenv(EnvSecurityToken, "env-token-"+ctMarker)
	t.Setenv(EnvRegionID, "cn-hangzhou")
	cfg, err := LoadDefaultConfig(context.Background(), ctLoopbackOnly(t, ctClosedURL(t), nil))
	require.NoError(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "LTAIenv", AccessKeySecret: "env-secret-" + ctMarker, SecurityToken: "env-token-" + ctMarker}, creds)
	assert.Equal(t, "environment", cfg.Credentials.(*ChainCredentials).SelectedName())
	ctNoSecret(t, ctFormats(cfg)...)
	ctNoSecret(t, ctFormats(creds)...)
}
