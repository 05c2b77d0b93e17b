package alicloud_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
)

const (
	secret = "wJalrXUtnFEMI-secret"
	token  = "CAIS-security-token"
)

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	creds := alicloud.Credentials{AccessKeyID: "LTAI5t", AccessKeySecret: secret, SecurityToken: token, Expires: time.Unix(1700000000, 0)}
	static := alicloud.StaticCredentials(creds)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	logger.Debug("creds", "c", creds, "s", static, "p", &static)
	logger.Debug("creds", slog.Any("c", creds))
	j1, err := json.Marshal(creds)
	require.NoError(t, err)
	j2, err := json.Marshal(static)
	require.NoError(t, err)
	outputs := []string{logs.String(), string(j1), string(j2)}
	for _, v := range []any{creds, &creds, static, &static, struct{ C alicloud.Credentials }{creds}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
		outputs = append(outputs, fmt.Sprint(v), fmt.Sprintln(v))
	}
	for _, out := range outputs {
		assert.NotContains(t, out, secret)
		assert.NotContains(t, out, token)
		assert.NotContains(t, out, fmt.Sprintf("%x", secret))
	}
	assert.Contains(t, creds.String(), "LTAI5t", "the key ID is not secret and helps debugging")
}

func TestStaticCredentials(t *testing.T) {
	c, err := alicloud.NewStaticCredentials("id", secret, token).Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, alicloud.Credentials{AccessKeyID: "id", AccessKeySecret: secret, SecurityToken: token}, c)

	_, err = alicloud.NewStaticCredentials("id", "", "").Retrieve(context.Background())
	require.ErrorIs(t, err, alicloud.ErrCredentialsNotFound)
}

func TestEnvironmentCredentials(t *testing.T) {
	env := map[string]string{}
	p := &alicloud.EnvironmentCredentials{Getenv: func(k string) string { return env[k] }}
	_, err := p.Retrieve(context.Background())
	require.ErrorIs(t, err, alicloud.ErrCredentialsNotFound)
	assert.Contains(t, err.Error(), "ALIBABA_CLOUD_ACCESS_KEY_ID")

	env["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "id"
	_, err = p.Retrieve(context.Background())
	require.ErrorIs(t, err, alicloud.ErrCredentialsNotFound)
	assert.Contains(t, err.Error(), "ALIBABA_CLOUD_ACCESS_KEY_SECRET")

	env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = secret
	env["ALIBABA_CLOUD_SECURITY_TOKEN"] = token
	c, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, alicloud.Credentials{AccessKeyID: "id", AccessKeySecret: secret, SecurityToken: token}, c)
}

func TestEnvironmentCredentialsReadTheProcessEnvironment(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "")
	c, err := alicloud.NewEnvironmentCredentials().Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "env-id", c.AccessKeyID)
	assert.Empty(t, c.SecurityToken)
}

func TestCredentialsExpiry(t *testing.T) {
	now := time.Now()
	assert.False(t, alicloud.Credentials{}.Expired(now), "long-lived keys never expire")
	assert.True(t, alicloud.Credentials{Expires: now}.Expired(now))
	assert.False(t, alicloud.Credentials{Expires: now.Add(time.Second)}.Expired(now))
}
