package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctCLIConfig renders an aliyun CLI config.json.
func ctCLIConfig(t *testing.T, current string, profiles ...map[string]any) string {
	t.Helper()
	b, err := json.MarshalIndent(map[string]any{"current": current, "profiles": profiles, "meta_path": ""}, "", "  ")
	require.NoError(t, err)
	return string(b)
}

func TestCLIProfileModes(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.allow("LTAIbase", "base-secret-"+ctMarker)
	meta := newCTMetadata(t, clock, "EcsRole")
	uri, _ := ctURIServer(t, clock, nil)
	tokenFile := ctWrite(t, home, "oidc-token", "oidc-"+ctMarker)

	profiles := []map[string]any{
		{"name": "default", "mode": "AK", "access_key_id": "LTAIak", "access_key_secret": "ak-secret-" + ctMarker, "region_id": "cn-hangzhou"},
		{"name": "sts", "mode": "StsToken", "access_key_id": "STS.tok", "access_key_secret": "sts-secret-" + ctMarker, "sts_token": "token-" + ctMarker},
		{"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIbase", "access_key_secret": "base-secret-" + ctMarker,
			"ram_role_arn": "acs:ram::1234:role/role", "ram_session_name": "cli-session", "expired_seconds": 900,
			"policy": `{"Version":"1"}`, "external_id": "ext-1"},
		{"name": "base", "mode": "AK", "access_key_id": "LTAIbase", "access_key_secret": "base-secret-" + ctMarker},
		{"name": "chain1", "mode": "ChainableRamRoleArn", "source_profile": "base", "ram_role_arn": "acs:ram::1234:role/first"},
		{"name": "chain2", "mode": "ChainableRamRoleArn", "source_profile": "chain1", "ram_role_arn": "acs:ram::5678:role/second"},
		{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "EcsRole"},
		{"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::1234:role/pod", "oidc_provider_arn": "acs:ram::1234:oidc-provider/p",
			"oidc_token_file": tokenFile, "ram_session_name": "oidc-session"},
		{"name": "uri", "mode": "CredentialsURI", "credentials_uri": uri.URL + "/creds"},
		{"name": "nomode", "access_key_id": "LTAInomode", "access_key_secret": "nm-secret-" + ctMarker},
	}
	cfgPath := ctWrite(t, home, ".aliyun/config.json", ctCLIConfig(t, "default", profiles...))
	_ = cfgPath

	tests := []struct {
		profile   string
		wantKeyID string
		wantToken bool
		stsCalls  int32
		check     func(t *testing.T)
	}{
		{profile: "default", wantKeyID: "LTAIak"},
		{profile: "sts", wantKeyID: "STS.tok", wantToken: true},
		{profile: "role", wantKeyID: "STS.id-", wantToken: true, stsCalls: 1, check: func(t *testing.T) {
			q := sts.last()
			assert.Equal(t, "AssumeRole", q.Get("Action"))
			assert.Equal(t, "LTAIbase", q.Get("AccessKeyId"))
			assert.Equal(t, "acs:ram::1234:role/role", q.Get("RoleArn"))
			assert.Equal(t, "cli-session", q.Get("RoleSessionName"))
			assert.Equal(t, "900", q.Get("DurationSeconds"))
			assert.Equal(t, `{"Version":"1"}`, q.Get("Policy"))
			assert.Equal(t, "ext-1", q.Get("ExternalId"))
		}},
		{profile: "chain1", wantKeyID: "STS.id-", wantToken: true, stsCalls: 1},
		{profile: "chain2", wantKeyID: "STS.id-", wantToken: true, stsCalls: 2, check: func(t *testing.T) {
			reqs := sts.requests()
			first, second := reqs[len(reqs)-2], reqs[len(reqs)-1]
			assert.Equal(t, "acs:ram::1234:role/first", first.Get("RoleArn"))
			assert.Equal(t, "LTAIbase", first.Get("AccessKeyId"))
			assert.Equal(t, "acs:ram::5678:role/second", second.Get("RoleArn"))
			assert.True(t, strings.HasPrefix(second.Get("AccessKeyId"), "STS.id-"), "the second hop is signed with the first hop's credentials")
			assert.NotEmpty(t, second.Get("SecurityToken"))
		}},
		{profile: "ecs", wantKeyID: "STS.ecs-", wantToken: true},
		{profile: "oidc", wantKeyID: "STS.id-", wantToken: true, stsCalls: 1, check: func(t *testing.T) {
			q := sts.last()
			assert.Equal(t, "AssumeRoleWithOIDC", q.Get("Action"))
			assert.Equal(t, "oidc-"+ctMarker, q.Get("OIDCToken"))
			assert.Equal(t, "oidc-session", q.Get("RoleSessionName"))
		}},
		{profile: "uri", wantKeyID: "STS.uri-", wantToken: true},
		{profile: "nomode", wantKeyID: "LTAInomode"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			t.Setenv(EnvECSMetadataDisabled, "") // the ECS profile talks to the fake below
			before := sts.calls.Load()
			p := NewCLIProfileCredentials(CLIProfileCredentialsOptions{
				Profile: tt.profile,
				STS:     STSOptions{Endpoint: sts.URL, Retry: ctNoRetry},
				ECS:     ECSRAMRoleCredentialsOptions{BaseURL: meta.URL},
				Refresh: CredentialsRefreshOptions{Now: clock.Now},
			})
			assert.Equal(t, "cli_profile", p.ProviderName())
			creds, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(creds.AccessKeyID, tt.wantKeyID), creds.AccessKeyID)
			assert.Equal(t, tt.wantToken, creds.SecurityToken != "")
			assert.Equal(t, tt.stsCalls, sts.calls.Load()-before)
			assert.Contains(t, p.ProviderName(), `profile "`+tt.profile+`"`)
			if tt.check != nil {
				tt.check(t)
			}
			// The built provider is kept: a second call reads no file and
			// reuses the cached credentials.
			again, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, creds.AccessKeyID, again.AccessKeyID)
			assert.Equal(t, tt.stsCalls, sts.calls.Load()-before)
			ctNoSecret(t, ctFormats(p)...)
		})
	}
	assert.Zero(t, sts.sigErrs.Load())
}

func TestCLIProfileSelection(t *testing.T) {
	tests := []struct {
		name    string
		current string
		env     string
		option  string
		want    string
	}{
		{name: "current profile", current: "second", want: "LTAIsecond"},
		{name: "default when current is empty", current: "", want: "LTAIdefault"},
		{name: "ALIBABA_CLOUD_PROFILE beats current", current: "second", env: "third", want: "LTAIthird"},
		{name: "option beats ALIBABA_CLOUD_PROFILE", current: "second", env: "third", option: "default", want: "LTAIdefault"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := ctIsolate(t)
			var profiles []map[string]any
			for _, n := range []string{"default", "second", "third"} {
				profiles = append(profiles, map[string]any{"name": n, "mode": "AK", "access_key_id": "LTAI" + n, "access_key_secret": n + "-" + ctMarker})
			}
			// ALIBABA_CLOUD_CONFIG_FILE replaces the default path.
			t.Setenv(EnvConfigFile, ctWrite(t, home, "elsewhere/cli.json", ctCLIConfig(t, tt.current, profiles...)))
			t.Setenv(EnvProfile, tt.env)
			p := NewCLIProfileCredentials(CLIProfileCredentialsOptions{Profile: tt.option})
			creds, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.want, creds.AccessKeyID)
		})
	}
}

func TestCLIProfileErrors(t *testing.T) {
	ak := func(name string) map[string]any {
		return map[string]any{"name": name, "mode": "AK", "access_key_id": "LTAI" + name, "access_key_secret": "s-" + ctMarker}
	}
	tests := []struct {
		name     string
		file     string // content of ~/.aliyun/config.json; "" means no file
		envPath  string // ALIBABA_CLOUD_CONFIG_FILE, relative to home
		profile  string
		disabled bool
		notFound bool
		contains []string
	}{
		{name: "no file at the default path", notFound: true, contains: []string{"config.json does not exist"}},
		{name: "no file at a chosen path", envPath: "missing.json", contains: []string{"missing.json does not exist"}},
		{name: "disabled", file: "{}", disabled: true, notFound: true, contains: []string{EnvCLIProfileDisabled}},
		{name: "malformed JSON", file: "{\n  \"current\": \"default\",\n  \"profiles\": [{\"access_key_secret\": \"s-" + ctMarker + "\" \"x\"}]\n}",
			contains: []string{"malformed JSON at line 3, column"}},
		{name: "wrong field type", file: `{"profiles":[{"name":"default","mode":"RamRoleArn","access_key_secret":"s-` + ctMarker + `","expired_seconds":"3600"}]}`,
			contains: []string{"profiles.expired_seconds is a string, want int"}},
		{name: "no profiles", file: `{"current":""}`, notFound: true, contains: []string{"has no profiles"}},
		{name: "profile not found", file: "", profile: "ghost", contains: []string{`profile "ghost" not found`}},
		{name: "unknown mode", contains: []string{`profile "x" (mode CloudSSO): unsupported mode (supported: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI)`},
			file: ctCLIConfigString(map[string]any{"name": "x", "mode": "CloudSSO", "access_key_secret": "s-" + ctMarker}), profile: "x"},
		{name: "empty mode", file: ctCLIConfigString(map[string]any{"name": "x"}), profile: "x", contains: []string{"mode is empty"}},
		{name: "AK without secret", file: ctCLIConfigString(map[string]any{"name": "x", "mode": "AK", "access_key_id": "LTAIx"}), profile: "x",
			contains: []string{`profile "x" (mode AK): access_key_secret is empty`}},
		{name: "StsToken without token", file: ctCLIConfigString(map[string]any{"name": "x", "mode": "StsToken", "access_key_id": "a", "access_key_secret": "s-" + ctMarker}),
			profile: "x", contains: []string{"sts_token is empty"}},
		{name: "RamRoleArn without role", file: ctCLIConfigString(map[string]any{"name": "x", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "s-" + ctMarker}),
			profile: "x", contains: []string{"ram_role_arn is empty"}},
		{name: "OIDC without token file", file: ctCLIConfigString(map[string]any{"name": "x", "mode": "OIDC", "ram_role_arn": "r", "oidc_provider_arn": "p"}),
			profile: "x", contains: []string{"oidc_token_file is empty"}},
		{name: "CredentialsURI without URI", file: ctCLIConfigString(map[string]any{"name": "x", "mode": "CredentialsURI"}),
			profile: "x", contains: []string{"credentials_uri is empty"}},
		{name: "source profile missing", file: ctCLIConfigString(map[string]any{"name": "x", "mode": "ChainableRamRoleArn", "source_profile": "ghost", "ram_role_arn": "r"}),
			profile: "x", contains: []string{`source_profile "ghost" not found`}},
		{name: "source profile cycle", profile: "a", contains: []string{"forms a cycle (a -> b -> a)"},
			file: ctCLIConfigString(
				map[string]any{"name": "a", "mode": "ChainableRamRoleArn", "source_profile": "b", "ram_role_arn": "r"},
				map[string]any{"name": "b", "mode": "ChainableRamRoleArn", "source_profile": "a", "ram_role_arn": "r"})},
		{name: "self source", profile: "a", contains: []string{"forms a cycle (a -> a)"},
			file: ctCLIConfigString(map[string]any{"name": "a", "mode": "ChainableRamRoleArn", "source_profile": "a", "ram_role_arn": "r"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := ctIsolate(t)
			file := tt.file
			if file == "" && tt.profile == "ghost" {
				file = ctCLIConfigString(ak("default"))
			}
			if file != "" {
				ctWrite(t, home, ".aliyun/config.json", file)
			}
			if tt.envPath != "" {
				t.Setenv(EnvConfigFile, filepath.Join(home, tt.envPath))
			}
			if tt.disabled {
				t.Setenv(EnvCLIProfileDisabled, "true")
			}
			p := NewCLIProfileCredentials(CLIProfileCredentialsOptions{Profile: tt.profile})
			_, err := p.Retrieve(context.Background())
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "cli profile credentials: "), err.Error())
			for _, s := range tt.contains {
				assert.Contains(t, err.Error(), s)
			}
			assert.Equal(t, tt.notFound, errors.Is(err, ErrCredentialsNotFound), err.Error())
			ctNoSecret(t, ctFmtAll(err))
		})
	}
}

// ctCLIConfigString renders a config.json whose current profile is the first.
func ctCLIConfigString(profiles ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"current": profiles[0]["name"], "profiles": profiles})
	return string(b)
}

func TestCLIProfileSTSSettingsFromProfile(t *testing.T) {
	// sts_region and enable_vpc of the profile feed the endpoint rule; the
	// endpoint variable still wins, which keeps the call on loopback.
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.allow("LTAIbase", "base-secret-"+ctMarker)
	t.Setenv(EnvSTSEndpoint, sts.URL)
	ctWrite(t, home, ".aliyun/config.json", ctCLIConfigString(map[string]any{
		"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIbase", "access_key_secret": "base-secret-" + ctMarker,
		"ram_role_arn": "acs:ram::1234:role/r", "sts_region": "cn-shanghai", "enable_vpc": true,
	}))
	cfg, prof, err := loadCLIProfile("", "", func(k string) string { return "" })
	require.NoError(t, err)
	b := credBuild{getenv: func(string) string { return "" }}
	r, err := b.fromCLIProfile(cfg, prof, nil)
	require.NoError(t, err)
	ep, err := r.(*RAMRoleARNCredentials).opts.STS.endpoint(func(string) string { return "" })
	require.NoError(t, err)
	assert.Equal(t, "sts-vpc.cn-shanghai.aliyuncs.com", ep)

	p := NewCLIProfileCredentials(CLIProfileCredentialsOptions{STS: STSOptions{Retry: ctNoRetry}, Refresh: CredentialsRefreshOptions{Now: clock.Now}})
	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, sts.calls.Load())
}
