package alicloud

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// OIDCCredentialsOptions configure an OIDCCredentials. Each empty field
// falls back to its environment variable, read at every refresh.
type OIDCCredentialsOptions struct {
	// RoleARN is the role to assume (ALIBABA_CLOUD_ROLE_ARN).
	RoleARN string
	// OIDCProviderARN is the RAM OIDC identity provider
	// (ALIBABA_CLOUD_OIDC_PROVIDER_ARN).
	OIDCProviderARN string
	// OIDCTokenFile is the path of the OIDC token
	// (ALIBABA_CLOUD_OIDC_TOKEN_FILE). It is read again at every refresh, as
	// the platform rotates it.
	OIDCTokenFile string
	// RoleSessionName identifies the session (ALIBABA_CLOUD_ROLE_SESSION_NAME);
	// a generated name when both are empty.
	RoleSessionName string
	// Policy further restricts the session's permissions.
	Policy string
	// DurationSeconds is the session lifetime; zero means 3600, at least 900.
	DurationSeconds int

	// STS says where AssumeRoleWithOIDC is sent.
	STS STSOptions
	// Refresh controls caching of the temporary credentials.
	Refresh CredentialsRefreshOptions
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
}

// OIDCCredentials exchanges an OIDC token for temporary credentials with the
// unsigned STS call AssumeRoleWithOIDC. This is how pods of an ACK cluster
// with RRSA (RAM Roles for Service Accounts) get their role. It caches the
// credentials until shortly before they expire and is safe for concurrent use.
//
// When the role, the identity provider or the token file is not configured,
// Retrieve returns an error wrapping ErrCredentialsNotFound.
type OIDCCredentials struct {
	opts  OIDCCredentialsOptions
	cache *CredentialsCache
}

// NewOIDCCredentials returns an OIDC provider.
func NewOIDCCredentials(opts OIDCCredentialsOptions) *OIDCCredentials {
	p := &OIDCCredentials{opts: opts}
	p.cache = NewCredentialsCache(CredentialsProviderFunc(p.fetch), opts.Refresh)
	return p
}

// Retrieve returns the cached session credentials, exchanging the current
// token again when they are due for refresh.
func (p *OIDCCredentials) Retrieve(ctx context.Context) (Credentials, error) {
	return p.cache.Retrieve(ctx)
}

// oidcMaxTokenSize bounds the token file: STS accepts 20,000 characters.
const oidcMaxTokenSize = 64 << 10

func (p *OIDCCredentials) fetch(ctx context.Context) (Credentials, error) {
	const prefix = "oidc credentials"
	getenv := credGetenv(p.opts.Getenv)
	roleARN := strings.TrimSpace(credFirst(p.opts.RoleARN, getenv(EnvRoleARN)))
	providerARN := strings.TrimSpace(credFirst(p.opts.OIDCProviderARN, getenv(EnvOIDCProviderARN)))
	tokenFile := strings.TrimSpace(credFirst(p.opts.OIDCTokenFile, getenv(EnvOIDCTokenFile)))
	var missing []string
	if roleARN == "" {
		missing = append(missing, EnvRoleARN)
	}
	if providerARN == "" {
		missing = append(missing, EnvOIDCProviderARN)
	}
	if tokenFile == "" {
		missing = append(missing, EnvOIDCTokenFile)
	}
	if len(missing) > 0 {
		return Credentials{}, fmt.Errorf("%s: %w: %s not set", prefix, ErrCredentialsNotFound, strings.Join(missing, ", "))
	}
	dur, err := credDuration(p.opts.DurationSeconds)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: %w", prefix, err)
	}
	token, err := readOIDCToken(tokenFile)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: %w", prefix, err)
	}
	req := &stsAssumeRoleWithOIDCRequest{
		RoleArn:         roleARN,
		OIDCProviderArn: providerARN,
		OIDCToken:       token,
		RoleSessionName: credFirst(p.opts.RoleSessionName, getenv(EnvRoleSessionName), credSessionName(p.cache.opts.Now())),
		Policy:          p.opts.Policy,
		DurationSeconds: dur,
	}
	creds, err := stsCall(ctx, p.opts.STS, getenv, nil, "AssumeRoleWithOIDC", req)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: assume role %s: %w", prefix, roleARN, err)
	}
	return creds, nil
}

// readOIDCToken reads the token file. Errors name the file, never its content.
func readOIDCToken(path string) (string, error) {
	data, _, err := readCredentialFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("token file %s does not exist", path)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return "", fmt.Errorf("cannot read token file %s: %w", path, pe.Err)
		}
		return "", fmt.Errorf("token file: %w", err)
	}
	if len(data) > oidcMaxTokenSize {
		return "", fmt.Errorf("token file %s is larger than %d bytes", path, oidcMaxTokenSize)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("token file %s is empty", path)
	}
	return token, nil
}

// ProviderName returns "oidc_role_arn".
func (p *OIDCCredentials) ProviderName() string { return "oidc_role_arn" }

// String describes the provider without secrets.
func (p *OIDCCredentials) String() string {
	return fmt.Sprintf("OIDCCredentials{RoleARN: %s, OIDCProviderARN: %s, OIDCTokenFile: %s}",
		p.opts.RoleARN, p.opts.OIDCProviderARN, p.opts.OIDCTokenFile)
}

// GoString keeps %#v from walking the cache.
func (p *OIDCCredentials) GoString() string { return p.String() }

// Format routes every fmt verb through String.
func (p *OIDCCredentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }
