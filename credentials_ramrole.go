package alicloud

import (
	"context"
	"fmt"
	"strings"
)

// RAMRoleARNCredentialsOptions configure a RAMRoleARNCredentials.
type RAMRoleARNCredentialsOptions struct {
	// RoleARN is the role to assume, acs:ram::<account>:role/<name>. Required.
	RoleARN string
	// RoleSessionName identifies the session in audit logs. Empty means
	// ALIBABA_CLOUD_ROLE_SESSION_NAME, else a generated name.
	RoleSessionName string
	// Policy further restricts the session's permissions (a policy document).
	Policy string
	// ExternalID is the external ID the role's trust policy may require.
	ExternalID string
	// DurationSeconds is the session lifetime; zero means 3600, at least 900.
	DurationSeconds int

	// STS says where AssumeRole is sent.
	STS STSOptions
	// Refresh controls caching of the temporary credentials.
	Refresh CredentialsRefreshOptions
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
}

// RAMRoleARNCredentials assumes a RAM role with STS AssumeRole, signing the
// call with the credentials of another provider, and caches the temporary
// credentials until shortly before they expire. It is safe for concurrent use.
type RAMRoleARNCredentials struct {
	source CredentialsProvider
	opts   RAMRoleARNCredentialsOptions
	cache  *CredentialsCache
}

// NewRAMRoleARNCredentials returns a provider that assumes opts.RoleARN with
// the credentials of source.
func NewRAMRoleARNCredentials(source CredentialsProvider, opts RAMRoleARNCredentialsOptions) *RAMRoleARNCredentials {
	p := &RAMRoleARNCredentials{source: source, opts: opts}
	p.cache = NewCredentialsCache(CredentialsProviderFunc(p.fetch), opts.Refresh)
	return p
}

// Retrieve returns the cached session credentials, assuming the role again
// when they are due for refresh. STS errors are *APIError values.
func (p *RAMRoleARNCredentials) Retrieve(ctx context.Context) (Credentials, error) {
	return p.cache.Retrieve(ctx)
}

func (p *RAMRoleARNCredentials) fetch(ctx context.Context) (Credentials, error) {
	const prefix = "ram role arn credentials"
	getenv := credGetenv(p.opts.Getenv)
	if p.source == nil {
		return Credentials{}, fmt.Errorf("%s: no source credentials provider", prefix)
	}
	arn := strings.TrimSpace(p.opts.RoleARN)
	if arn == "" {
		return Credentials{}, fmt.Errorf("%s: RoleARN is empty", prefix)
	}
	dur, err := credDuration(p.opts.DurationSeconds)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: %w", prefix, err)
	}
	now := p.cache.opts.Now()
	req := &stsAssumeRoleRequest{
		RoleArn:         arn,
		RoleSessionName: credFirst(p.opts.RoleSessionName, getenv(EnvRoleSessionName), credSessionName(now)),
		Policy:          p.opts.Policy,
		ExternalId:      p.opts.ExternalID,
		DurationSeconds: dur,
	}
	creds, err := stsCall(ctx, p.opts.STS, getenv, p.source, "AssumeRole", req)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: assume role %s: %w", prefix, arn, err)
	}
	return creds, nil
}

// ProviderName returns "ram_role_arn".
func (p *RAMRoleARNCredentials) ProviderName() string { return "ram_role_arn" }

// String describes the provider without secrets.
func (p *RAMRoleARNCredentials) String() string {
	return fmt.Sprintf("RAMRoleARNCredentials{RoleARN: %s, Source: %s}", p.opts.RoleARN, credProviderName(p.source))
}

// GoString keeps %#v from printing the source's secrets.
func (p *RAMRoleARNCredentials) GoString() string { return p.String() }

// Format routes every fmt verb through String.
func (p *RAMRoleARNCredentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }
