package alicloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
)

// ChainCredentials tries a list of providers in order and uses the first
// that returns credentials. It remembers that provider once it has
// succeeded and asks only it from then on (its errors are returned as they
// are); until then every Retrieve walks the list again, one walk at a time.
// When every provider fails, Retrieve returns a *CredentialsChainError. It is
// safe for concurrent use.
type ChainCredentials struct {
	providers []CredentialsProvider
	logger    *slog.Logger
	walk      chan struct{} // a one-slot lock that a context can abandon
	selected  atomic.Pointer[chainPick]
}

type chainPick struct{ p CredentialsProvider }

// NewChainCredentials returns a chain of providers, tried in the order given.
// Nil providers are skipped.
func NewChainCredentials(providers ...CredentialsProvider) *ChainCredentials {
	c := &ChainCredentials{walk: make(chan struct{}, 1)}
	for _, p := range providers {
		if p != nil {
			c.providers = append(c.providers, p)
		}
	}
	return c
}

// Retrieve returns the credentials of the remembered provider, or of the
// first provider in the list that has some.
func (c *ChainCredentials) Retrieve(ctx context.Context) (Credentials, error) {
	if pick := c.selected.Load(); pick != nil {
		return pick.p.Retrieve(ctx)
	}
	select {
	case c.walk <- struct{}{}:
	case <-ctx.Done():
		return Credentials{}, fmt.Errorf("credentials chain: %w", ctx.Err())
	}
	if pick := c.selected.Load(); pick != nil {
		<-c.walk
		return pick.p.Retrieve(ctx)
	}
	defer func() { <-c.walk }()
	var failures []CredentialsProviderFailure
	for _, p := range c.providers {
		creds, err := p.Retrieve(ctx)
		if err == nil {
			c.selected.Store(&chainPick{p})
			if c.logger != nil {
				c.logger.LogAttrs(ctx, slog.LevelDebug, "alicloud credentials provider selected",
					slog.String("provider", credProviderName(p)))
			}
			return creds, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Credentials{}, fmt.Errorf("credentials chain: %w", ctxErr)
		}
		failures = append(failures, CredentialsProviderFailure{Provider: credProviderName(p), Err: err})
	}
	return Credentials{}, &CredentialsChainError{Failures: failures}
}

// Selected returns the provider the chain settled on, or nil before any
// provider has succeeded.
func (c *ChainCredentials) Selected() CredentialsProvider {
	if pick := c.selected.Load(); pick != nil {
		return pick.p
	}
	return nil
}

// SelectedName names the provider the chain settled on ("environment",
// "oidc_role_arn", `cli_profile (profile "default", mode AK)`...), or
// returns "" before any provider has succeeded.
func (c *ChainCredentials) SelectedName() string {
	if p := c.Selected(); p != nil {
		return credProviderName(p)
	}
	return ""
}

// ProviderNames names the providers of the chain, in order.
func (c *ChainCredentials) ProviderNames() []string {
	names := make([]string, len(c.providers))
	for i, p := range c.providers {
		names[i] = credProviderName(p)
	}
	return names
}

// ProviderName returns "chain".
func (c *ChainCredentials) ProviderName() string { return "chain" }

// String lists the providers and the one selected, without secrets.
func (c *ChainCredentials) String() string {
	s := "ChainCredentials[" + strings.Join(c.ProviderNames(), ", ") + "]"
	if name := c.SelectedName(); name != "" {
		s += " selected: " + name
	}
	return s
}

// GoString keeps %#v from walking the providers.
func (c *ChainCredentials) GoString() string { return c.String() }

// Format routes every fmt verb through String.
func (c *ChainCredentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// CredentialsProviderFailure is one provider's failure in a chain.
type CredentialsProviderFailure struct {
	// Provider names the provider, as ChainCredentials.ProviderNames does.
	Provider string
	// Err is what the provider returned.
	Err error
}

// CredentialsChainError says that no provider of a chain returned
// credentials, listing what each one tried and why it failed.
//
// errors.Is(err, ErrCredentialsNotFound) is true when nothing was
// configured: every provider reported ErrCredentialsNotFound. Otherwise the
// chain unwraps to the failures of the providers that were configured but
// failed, so errors.As finds, for example, the *APIError of an STS call.
type CredentialsChainError struct {
	Failures []CredentialsProviderFailure
}

// Error lists every failure, in order.
func (e *CredentialsChainError) Error() string {
	if len(e.Failures) == 0 {
		return "credentials chain: " + ErrCredentialsNotFound.Error() + ": the chain has no providers"
	}
	var b strings.Builder
	b.WriteString("credentials chain: no provider returned credentials: ")
	for i, f := range e.Failures {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("[")
		b.WriteString(f.Provider)
		b.WriteString("] ")
		b.WriteString(f.Err.Error())
	}
	return b.String()
}

// Unwrap returns the failures of configured providers, or all failures
// (which then all match ErrCredentialsNotFound) when there are none.
func (e *CredentialsChainError) Unwrap() []error {
	var configured, all []error
	for _, f := range e.Failures {
		all = append(all, f.Err)
		if !errors.Is(f.Err, ErrCredentialsNotFound) {
			configured = append(configured, f.Err)
		}
	}
	switch {
	case len(configured) > 0:
		return configured
	case len(all) == 0:
		return []error{ErrCredentialsNotFound}
	}
	return all
}

// DefaultCredentialsChainOptions configure NewDefaultCredentialsChain. The
// zero value reads everything from the environment and the usual files.
type DefaultCredentialsChainOptions struct {
	// Profile names the profile of the CLI configuration and the section of
	// the INI credentials file. Empty means ALIBABA_CLOUD_PROFILE, else the
	// CLI's current profile and the INI file's [default].
	Profile string
	// STS configures the providers that call STS.
	STS STSOptions
	// ECS configures the ECS RAM role provider (BaseURL, timeouts, IMDSv1).
	ECS ECSRAMRoleCredentialsOptions
	// HTTPClient sends the requests of the credentials URI provider.
	HTTPClient *http.Client
	// Refresh controls caching of temporary credentials in every provider.
	Refresh CredentialsRefreshOptions
	// Logger receives a debug record naming the provider selected, the STS
	// attempts when STS.Logger is nil, and a warning when a profile file is
	// readable by other users.
	Logger *slog.Logger
	// Getenv replaces os.Getenv in every provider, for tests.
	Getenv func(string) string
}

// NewDefaultCredentialsChain returns the chain that LoadDefaultConfig uses,
// in the order of the Alibaba Cloud credentials libraries:
//
//  1. environment: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,
//     ALIBABA_CLOUD_SECURITY_TOKEN;
//  2. OIDC (RRSA): ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
//     ALIBABA_CLOUD_OIDC_TOKEN_FILE;
//  3. aliyun CLI profile: ~/.aliyun/config.json;
//  4. INI profile: ~/.alibabacloud/credentials;
//  5. ECS RAM role, from the instance metadata service;
//  6. credentials URI: ALIBABA_CLOUD_CREDENTIALS_URI.
//
// Creating the chain reads nothing; the first Retrieve does.
func NewDefaultCredentialsChain(opts DefaultCredentialsChainOptions) *ChainCredentials {
	if opts.STS.Logger == nil {
		opts.STS.Logger = opts.Logger
	}
	ecs := opts.ECS
	ecs.Refresh = opts.Refresh
	if ecs.Getenv == nil {
		ecs.Getenv = opts.Getenv
	}
	c := NewChainCredentials(
		&EnvironmentCredentials{Getenv: opts.Getenv},
		NewOIDCCredentials(OIDCCredentialsOptions{STS: opts.STS, Refresh: opts.Refresh, Getenv: opts.Getenv}),
		NewCLIProfileCredentials(CLIProfileCredentialsOptions{Profile: opts.Profile, STS: opts.STS, ECS: ecs,
			HTTPClient: opts.HTTPClient, Refresh: opts.Refresh, Getenv: opts.Getenv, Logger: opts.Logger}),
		NewINIProfileCredentials(INIProfileCredentialsOptions{Profile: opts.Profile, STS: opts.STS, ECS: ecs,
			HTTPClient: opts.HTTPClient, Refresh: opts.Refresh, Getenv: opts.Getenv, Logger: opts.Logger}),
		NewECSRAMRoleCredentials(ecs),
		NewURICredentials(URICredentialsOptions{HTTPClient: opts.HTTPClient, Refresh: opts.Refresh, Getenv: opts.Getenv}),
	)
	c.logger = opts.Logger
	return c
}

// credProviderName names a provider for chain descriptions and errors.
func credProviderName(p CredentialsProvider) string {
	switch v := p.(type) {
	case nil:
		return "<nil>"
	case interface{ ProviderName() string }:
		return v.ProviderName()
	case *EnvironmentCredentials:
		return "environment"
	case StaticCredentials, *StaticCredentials:
		return "static"
	}
	return fmt.Sprintf("%T", p)
}
