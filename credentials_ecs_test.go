package alicloud

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctECS returns a provider pointed at the fake metadata service m. The
// disabling variable that ctIsolate sets is cleared: the provider only ever
// talks to m.
func ctECS(t *testing.T, m *ctMetadata, clock *ctClock, opts ECSRAMRoleCredentialsOptions) *ECSRAMRoleCredentials {
	t.Helper()
	require.NotEmpty(t, m.URL)
	t.Setenv(EnvECSMetadataDisabled, "")
	opts.BaseURL = m.URL
	opts.Refresh.Now = clock.Now
	return NewECSRAMRoleCredentials(opts)
}

func TestECSRAMRoleCredentialsIMDSv2(t *testing.T) {
	ctIsolate(t)
	clock := newCTClock()
	m := newCTMetadata(t, clock, "EcsRole")
	m.set(func(m *ctMetadata) { m.requireToken = true })
	p := ctECS(t, m, clock, ECSRAMRoleCredentialsOptions{})

	creds, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "STS.ecs-1", creds.AccessKeyID)
	assert.Equal(t, "ecs-secret-"+ctMarker+"-1", creds.AccessKeySecret)
	assert.Equal(t, "ecs-token-"+ctMarker+"-1", creds.SecurityToken)
	assert.Equal(t, clock.Now().Add(6*time.Hour), creds.Expires)
	assert.EqualValues(t, 1, m.tokenCalls.Load())
	assert.Equal(t, "21600", m.ttlHeader.Load())
	assert.EqualValues(t, 1, m.listCalls.Load(), "role discovered from the metadata service")
	assert.EqualValues(t, 2, m.withToken.Load())
	assert.Zero(t, m.withoutToken.Load())

	// Cached until five minutes before expiry.
	clock.Advance(5*time.Hour + 54*time.Minute)
	_, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, m.credCalls.Load())
	clock.Advance(2 * time.Minute)
	creds, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "STS.ecs-2", creds.AccessKeyID)
	assert.EqualValues(t, 2, m.tokenCalls.Load())
	ctNoSecret(t, ctFormats(p)...)
}

func TestECSRAMRoleCredentialsRoleName(t *testing.T) {
	tests := []struct {
		name string
		opts ECSRAMRoleCredentialsOptions
		env  string
	}{
		{name: "from the environment", env: "EcsRole"},
		{name: "from the options", opts: ECSRAMRoleCredentialsOptions{RoleName: "EcsRole"}, env: "OtherRole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctIsolate(t)
			clock := newCTClock()
			m := newCTMetadata(t, clock, "EcsRole")
			t.Setenv(EnvECSMetadata, tt.env)
			p := ctECS(t, m, clock, tt.opts)
			_, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Zero(t, m.listCalls.Load(), "a known role needs no listing")
			assert.EqualValues(t, 1, m.credCalls.Load())
		})
	}
}

func TestECSRAMRoleCredentialsIMDSv1Fallback(t *testing.T) {
	tests := []struct {
		name      string
		opts      ECSRAMRoleCredentialsOptions
		v1Env     string
		wantError bool
	}{
		{name: "falls back to v1"},
		{name: "v1 disabled by environment", v1Env: "true", wantError: true},
		{name: "v1 disabled by option", opts: ECSRAMRoleCredentialsOptions{DisableIMDSv1: true}, wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctIsolate(t)
			clock := newCTClock()
			m := newCTMetadata(t, clock, "EcsRole")
			m.set(func(m *ctMetadata) { m.tokenStatus = 403 })
			t.Setenv(EnvIMDSv1Disabled, tt.v1Env)
			p := ctECS(t, m, clock, tt.opts)
			creds, err := p.Retrieve(context.Background())
			if tt.wantError {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "HTTP 403")
				assert.Contains(t, err.Error(), EnvIMDSv1Disabled)
				assert.False(t, errors.Is(err, ErrCredentialsNotFound))
				assert.Zero(t, m.credCalls.Load())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "STS.ecs-1", creds.AccessKeyID)
			assert.EqualValues(t, 2, m.withoutToken.Load())
			assert.Zero(t, m.withToken.Load())
		})
	}
}

func TestECSRAMRoleCredentialsErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(m *ctMetadata)
		opts     ECSRAMRoleCredentialsOptions
		notFound bool
		contains string
	}{
		{name: "no role attached", setup: func(m *ctMetadata) { m.role = "" }, contains: "HTTP 404"},
		{name: "unknown role", opts: ECSRAMRoleCredentialsOptions{RoleName: "Nope"}, contains: "role Nope: /latest/meta-data/ram/security-credentials/Nope answered HTTP 404"},
		{name: "failure code", setup: func(m *ctMetadata) { m.code = "Failed" }, contains: `Code "Failed"`},
		{name: "slow reply times out", setup: func(m *ctMetadata) { m.delay = 150 * time.Millisecond },
			opts: ECSRAMRoleCredentialsOptions{ReadTimeout: 30 * time.Millisecond}, notFound: true, contains: "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctIsolate(t)
			clock := newCTClock()
			m := newCTMetadata(t, clock, "EcsRole")
			if tt.setup != nil {
				m.set(tt.setup)
			}
			p := ctECS(t, m, clock, tt.opts)
			start := time.Now()
			_, err := p.Retrieve(context.Background())
			require.Error(t, err)
			assert.Less(t, time.Since(start), 2*time.Second)
			assert.True(t, strings.HasPrefix(err.Error(), "ecs ram role credentials: "), err.Error())
			assert.Contains(t, err.Error(), tt.contains)
			assert.Equal(t, tt.notFound, errors.Is(err, ErrCredentialsNotFound), err.Error())
			ctNoSecret(t, ctFmtAll(err))
		})
	}
}

func TestECSRAMRoleCredentialsDisabledOrUnreachable(t *testing.T) {
	ctIsolate(t)
	clock := newCTClock()
	m := newCTMetadata(t, clock, "EcsRole")

	// Disabled: nothing is sent, not even to the configured base URL.
	p := NewECSRAMRoleCredentials(ECSRAMRoleCredentialsOptions{BaseURL: m.URL, Refresh: CredentialsRefreshOptions{Now: clock.Now}})
	_, err := p.Retrieve(context.Background())
	require.ErrorIs(t, err, ErrCredentialsNotFound)
	assert.Contains(t, err.Error(), EnvECSMetadataDisabled)
	assert.Zero(t, m.tokenCalls.Load())

	// Unreachable (a closed loopback port): "not found", quickly.
	t.Setenv(EnvECSMetadataDisabled, "")
	p = NewECSRAMRoleCredentials(ECSRAMRoleCredentialsOptions{BaseURL: ctClosedURL(t)})
	_, err = p.Retrieve(context.Background())
	require.ErrorIs(t, err, ErrCredentialsNotFound)
	assert.Contains(t, err.Error(), "metadata service unreachable")

	// An invalid base URL is a configuration error.
	p = NewECSRAMRoleCredentials(ECSRAMRoleCredentialsOptions{BaseURL: "ftp://x"})
	_, err = p.Retrieve(context.Background())
	require.ErrorContains(t, err, "invalid metadata base URL")
	assert.False(t, errors.Is(err, ErrCredentialsNotFound))
}
