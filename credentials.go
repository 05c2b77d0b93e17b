package alicloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// CredentialsProvider supplies the credentials that sign requests. Clients
// call Retrieve before every attempt, so implementations that fetch
// temporary credentials should cache them and must be safe for concurrent use.
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// Credentials are an access key pair and, for temporary credentials, an STS
// security token and its expiry. The secret and the token are never printed:
// every fmt verb, slog and JSON show them redacted.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	// Expires is the expiry of temporary credentials; zero for long-lived keys.
	Expires time.Time
}

const redacted = "[redacted]"

// HasKeys reports whether both halves of the access key are set.
func (c Credentials) HasKeys() bool { return c.AccessKeyID != "" && c.AccessKeySecret != "" }

// Expired reports whether temporary credentials have expired at now.
func (c Credentials) Expired(now time.Time) bool {
	return !c.Expires.IsZero() && !now.Before(c.Expires)
}

// String describes the credentials without the secret or the token.
func (c Credentials) String() string {
	s := "Credentials{AccessKeyID: " + c.AccessKeyID + ", AccessKeySecret: " + mask(c.AccessKeySecret)
	if c.SecurityToken != "" {
		s += ", SecurityToken: " + redacted
	}
	if !c.Expires.IsZero() {
		s += ", Expires: " + c.Expires.UTC().Format(time.RFC3339)
	}
	return s + "}"
}

// GoString keeps %#v from printing the secret.
func (c Credentials) GoString() string { return c.String() }

// Format routes every fmt verb (%v, %+v, %#v, %s, %q...) through String, so
// no formatting path can reach the secret fields.
func (c Credentials) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

// LogValue keeps slog from walking the fields.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the credentials with the secret and token redacted.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"AccessKeyID":%q,"AccessKeySecret":%q,"SecurityToken":%q}`,
		c.AccessKeyID, mask(c.AccessKeySecret), mask(c.SecurityToken)), nil
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// StaticCredentials is a CredentialsProvider that always returns the same
// credentials: a long-lived access key, or an STS token the caller refreshes.
type StaticCredentials Credentials

// NewStaticCredentials returns a provider for an access key pair and an
// optional STS security token.
func NewStaticCredentials(accessKeyID, accessKeySecret, securityToken string) StaticCredentials {
	return StaticCredentials{AccessKeyID: accessKeyID, AccessKeySecret: accessKeySecret, SecurityToken: securityToken}
}

// Retrieve returns the stored credentials, or ErrCredentialsNotFound when the
// access key is incomplete.
func (s StaticCredentials) Retrieve(context.Context) (Credentials, error) {
	c := Credentials(s)
	if !c.HasKeys() {
		return Credentials{}, fmt.Errorf("static credentials: %w: access key ID or secret is empty", ErrCredentialsNotFound)
	}
	return c, nil
}

// String describes the credentials without the secret or the token.
func (s StaticCredentials) String() string { return Credentials(s).String() }

// GoString keeps %#v from printing the secret.
func (s StaticCredentials) GoString() string { return Credentials(s).String() }

// Format routes every fmt verb through String.
func (s StaticCredentials) Format(f fmt.State, verb rune) { fmt.Fprint(f, Credentials(s).String()) }

// LogValue keeps slog from walking the fields.
func (s StaticCredentials) LogValue() slog.Value { return Credentials(s).LogValue() }

// MarshalJSON writes the credentials with the secret and token redacted.
func (s StaticCredentials) MarshalJSON() ([]byte, error) { return Credentials(s).MarshalJSON() }

// Environment variables read by EnvironmentCredentials.
const (
	EnvAccessKeyID     = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvSecurityToken   = "ALIBABA_CLOUD_SECURITY_TOKEN"
)

// ErrCredentialsNotFound is returned (wrapped) by a provider that has no
// credentials to offer, as opposed to one that failed while fetching them.
var ErrCredentialsNotFound = errors.New("credentials not found")

// EnvironmentCredentials reads ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and the optional
// ALIBABA_CLOUD_SECURITY_TOKEN on every Retrieve, so a rotated key is picked
// up without restarting.
type EnvironmentCredentials struct {
	// Getenv replaces os.Getenv, for tests. Nil means os.Getenv.
	Getenv func(string) string
}

// NewEnvironmentCredentials returns a provider that reads the process environment.
func NewEnvironmentCredentials() *EnvironmentCredentials { return &EnvironmentCredentials{} }

// Retrieve reads the variables. It wraps ErrCredentialsNotFound when the
// access key ID or secret is unset, naming the variable but never a value.
func (e *EnvironmentCredentials) Retrieve(context.Context) (Credentials, error) {
	get := os.Getenv
	if e != nil && e.Getenv != nil {
		get = e.Getenv
	}
	c := Credentials{
		AccessKeyID:     get(EnvAccessKeyID),
		AccessKeySecret: get(EnvAccessKeySecret),
		SecurityToken:   get(EnvSecurityToken),
	}
	switch {
	case c.AccessKeyID == "":
		return Credentials{}, fmt.Errorf("environment credentials: %w: %s is not set", ErrCredentialsNotFound, EnvAccessKeyID)
	case c.AccessKeySecret == "":
		return Credentials{}, fmt.Errorf("environment credentials: %w: %s is not set", ErrCredentialsNotFound, EnvAccessKeySecret)
	}
	return c, nil
}
