package alicloud

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestINIParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]map[string]string
		err  string
	}{
		{
			name: "sections, comments, quotes, spacing",
			in:   "\xef\xbb\xbf# leading comment\n[default]\r\ntype = access_key\n  Access_Key_Id=LTAI  \n; other comment\naccess_key_secret = \"quoted " + ctMarker + "\"\n\n[ spaced ]\npolicy = {\"Version\":\"1\",\"a\":\"b=c\"}\n",
			want: map[string]map[string]string{
				"default": {"type": "access_key", "access_key_id": "LTAI", "access_key_secret": "quoted " + ctMarker},
				"spaced":  {"policy": `{"Version":"1","a":"b=c"}`},
			},
		},
		{
			name: "repeated section and key",
			in:   "[a]\nk = 1\n[b]\nx = y\n[a]\nk = 2\nj = 3\n",
			want: map[string]map[string]string{"a": {"k": "2", "j": "3"}, "b": {"x": "y"}},
		},
		{name: "empty value", in: "[a]\nk =\n", want: map[string]map[string]string{"a": {"k": ""}}},
		{name: "empty file", in: "", want: map[string]map[string]string{}},
		{name: "no equals sign", in: "[a]\naccess_key_secret " + ctMarker + "\n", err: "line 2: expected [section] or key = value"},
		{name: "unterminated header", in: "\n\n[a\n", err: "line 3: section header lacks its closing ]"},
		{name: "empty header", in: "[ ]\n", err: "line 1: empty section name"},
		{name: "key outside a section", in: "secret = " + ctMarker + "\n", err: "line 1: key outside any [section]"},
		{name: "empty key", in: "[a]\n = " + ctMarker + "\n", err: "line 2: empty key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseINI([]byte(tt.in))
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				ctNoSecret(t, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

const ctINIFile = `
[default]
enable = true
type = access_key
access_key_id = LTAIdefault
access_key_secret = default-secret-SEKRIT

[sts]
type = sts
access_key_id = STS.ini
access_key_secret = sts-secret-SEKRIT
security_token = sts-token-SEKRIT

[role]
type = ram_role_arn
access_key_id = LTAIbase
access_key_secret = base-secret-SEKRIT
role_arn = acs:ram::1234:role/ini
role_session_name = ini-session
policy = {"Version":"1"}
external_id = ext-ini
role_session_expiration = 1200

[ecs]
type = ecs_ram_role
role_name = EcsRole

[oidc]
type = oidc_role_arn
role_arn = acs:ram::1234:role/pod
oidc_provider_arn = acs:ram::1234:oidc-provider/p
oidc_token_file_path = TOKENFILE
role_session_name = ini-oidc

[uri]
type = credentials_uri
credentials_uri = URI

[off]
enable = false
type = access_key
access_key_id = LTAIoff
access_key_secret = off-secret-SEKRIT
`

func TestINIProfileTypes(t *testing.T) {
	home := ctIsolate(t)
	clock := newCTClock()
	sts := newCTSTS(t, clock)
	sts.allow("LTAIbase", "base-secret-"+ctMarker)
	meta := newCTMetadata(t, clock, "EcsRole")
	uri, _ := ctURIServer(t, clock, nil)
	tokenFile := ctWrite(t, home, "token", "oidc-"+ctMarker)
	content := strings.NewReplacer("TOKENFILE", tokenFile, "URI", uri.URL+"/creds").Replace(ctINIFile)
	ctWrite(t, home, ".alibabacloud/credentials", content)

	tests := []struct {
		profile   string
		wantKeyID string
		wantToken bool
		stsCalls  int32
		check     func(t *testing.T)
	}{
		{profile: "", wantKeyID: "LTAIdefault"},
		{profile: "default", wantKeyID: "LTAIdefault"},
		{profile: "sts", wantKeyID: "STS.ini", wantToken: true},
		{profile: "role", wantKeyID: "STS.id-", wantToken: true, stsCalls: 1, check: func(t *testing.T) {
			q := sts.last()
			assert.Equal(t, "AssumeRole", q.Get("Action"))
			assert.Equal(t, "LTAIbase", q.Get("AccessKeyId"))
			assert.Equal(t, "acs:ram::1234:role/ini", q.Get("RoleArn"))
			assert.Equal(t, "ini-session", q.Get("RoleSessionName"))
			assert.Equal(t, `{"Version":"1"}`, q.Get("Policy"))
			assert.Equal(t, "ext-ini", q.Get("ExternalId"))
			assert.Equal(t, "1200", q.Get("DurationSeconds"))
		}},
		{profile: "ecs", wantKeyID: "STS.ecs-", wantToken: true},
		{profile: "oidc", wantKeyID: "STS.id-", wantToken: true, stsCalls: 1, check: func(t *testing.T) {
			q := sts.last()
			assert.Equal(t, "AssumeRoleWithOIDC", q.Get("Action"))
			assert.Equal(t, "oidc-"+ctMarker, q.Get("OIDCToken"))
			assert.Equal(t, "ini-oidc", q.Get("RoleSessionName"))
		}},
		{profile: "uri", wantKeyID: "STS.uri-", wantToken: true},
	}
	for _, tt := range tests {
		t.Run("profile "+tt.profile, func(t *testing.T) {
			t.Setenv(EnvECSMetadataDisabled, "") // the ecs section talks to the fake
			before := sts.calls.Load()
			p := NewINIProfileCredentials(INIProfileCredentialsOptions{
				Profile: tt.profile,
				STS:     STSOptions{Endpoint: sts.URL, Retry: ctNoRetry},
				ECS:     ECSRAMRoleCredentialsOptions{BaseURL: meta.URL},
				Refresh: CredentialsRefreshOptions{Now: clock.Now},
			})
			creds, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(creds.AccessKeyID, tt.wantKeyID), creds.AccessKeyID)
			assert.Equal(t, tt.wantToken, creds.SecurityToken != "")
			assert.Equal(t, tt.stsCalls, sts.calls.Load()-before)
			assert.True(t, strings.HasPrefix(p.ProviderName(), "ini_profile (profile "), p.ProviderName())
			if tt.check != nil {
				tt.check(t)
			}
			ctNoSecret(t, ctFormats(p)...)
		})
	}
	assert.Zero(t, sts.sigErrs.Load())
}

func TestINIProfileSelectionFromEnvironment(t *testing.T) {
	home := ctIsolate(t)
	path := ctWrite(t, home, "custom/creds.ini", "[default]\ntype = access_key\naccess_key_id = LTAIdefault\naccess_key_secret = s1-"+ctMarker+
		"\n[work]\ntype = access_key\naccess_key_id = LTAIwork\naccess_key_secret = s2-"+ctMarker+"\n")
	t.Setenv(EnvCredentialsFile, path)
	t.Setenv(EnvProfile, "work")
	creds, err := NewINIProfileCredentials(INIProfileCredentialsOptions{}).Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "LTAIwork", creds.AccessKeyID)

	// The option beats the variable.
	creds, err = NewINIProfileCredentials(INIProfileCredentialsOptions{Profile: "default"}).Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "LTAIdefault", creds.AccessKeyID)
}

func TestINIProfileErrors(t *testing.T) {
	tests := []struct {
		name     string
		file     string // "" means no file at the default path
		envPath  string
		profile  string
		notFound bool
		contains string
	}{
		{name: "no file at the default path", notFound: true, contains: "credentials does not exist"},
		{name: "no file at a chosen path", envPath: "nope.ini", contains: "nope.ini does not exist"},
		{name: "chosen path is a directory", envPath: ".", contains: "cannot read "},
		{name: "malformed file", file: "[default]\ntype = access_key\naccess_key_secret: " + ctMarker + "\n", contains: "line 3: expected [section] or key = value"},
		{name: "no default section", file: "[other]\ntype = access_key\n", notFound: true, contains: "has no [default] section"},
		{name: "named section missing", file: "[other]\ntype = access_key\n", profile: "ghost", contains: `profile "ghost" not found`},
		{name: "disabled section", file: "[default]\nenable = false\ntype = access_key\n", notFound: true, contains: "is disabled"},
		{name: "enable not a boolean", file: "[default]\nenable = " + ctMarker + "\n", contains: "enable is not a boolean"},
		{name: "no type", file: "[default]\naccess_key_id = a\n", contains: `profile "default" (type ): type is empty`},
		{name: "unknown type", file: "[default]\ntype = rsa_key_pair\n", contains: "unsupported type (supported: access_key, sts, ram_role_arn, ecs_ram_role, oidc_role_arn, credentials_uri)"},
		{name: "access key without secret", file: "[default]\ntype = access_key\naccess_key_id = a\n", contains: "access_key_secret is empty"},
		{name: "sts without token", file: "[default]\ntype = sts\naccess_key_id = a\naccess_key_secret = s-" + ctMarker + "\n", contains: "security_token is empty"},
		{name: "role without role_arn", file: "[default]\ntype = ram_role_arn\naccess_key_id = a\naccess_key_secret = s-" + ctMarker + "\n", contains: "role_arn is empty"},
		{name: "bad expiration", file: "[default]\ntype = ram_role_arn\naccess_key_id = a\naccess_key_secret = s\nrole_arn = r\nrole_session_expiration = " + ctMarker + "\n",
			contains: "role_session_expiration is not a whole number of seconds"},
		{name: "oidc without token file", file: "[default]\ntype = oidc_role_arn\nrole_arn = r\noidc_provider_arn = p\n", contains: "oidc_token_file_path is empty"},
		{name: "uri without URI", file: "[default]\ntype = credentials_uri\n", contains: "credentials_uri is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := ctIsolate(t)
			if tt.file != "" {
				ctWrite(t, home, ".alibabacloud/credentials", tt.file)
			}
			if tt.envPath != "" {
				t.Setenv(EnvCredentialsFile, filepath.Join(home, tt.envPath))
			}
			p := NewINIProfileCredentials(INIProfileCredentialsOptions{Profile: tt.profile})
			_, err := p.Retrieve(context.Background())
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "ini profile credentials: "), err.Error())
			assert.Contains(t, err.Error(), tt.contains)
			assert.Equal(t, tt.notFound, errors.Is(err, ErrCredentialsNotFound), err.Error())
			ctNoSecret(t, ctFmtAll(err))
			assert.Equal(t, "ini_profile", p.ProviderName())
		})
	}
}
