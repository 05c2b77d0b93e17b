package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultCredentialsURITimeout bounds one request of a URICredentials.
const DefaultCredentialsURITimeout = 5 * time.Second

// URICredentialsOptions configure a URICredentials.
type URICredentialsOptions struct {
	// URI answers GET with a credentials document. Empty means
	// ALIBABA_CLOUD_CREDENTIALS_URI.
	URI string
	// HTTPClient sends the request; nil selects http.DefaultClient.
	HTTPClient *http.Client
	// Timeout bounds one request; zero means DefaultCredentialsURITimeout.
	Timeout time.Duration
	// Refresh controls caching of the temporary credentials.
	Refresh CredentialsRefreshOptions
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
}

// URICredentials fetches temporary credentials from a URL, typically a local
// sidecar or agent. The URL answers GET with the JSON document
// {"Code":"Success","AccessKeyId":...,"AccessKeySecret":...,"SecurityToken":...,"Expiration":"2006-01-02T15:04:05Z"}.
// It caches the credentials until shortly before they expire and is safe
// for concurrent use. Without a URI, Retrieve returns an error wrapping
// ErrCredentialsNotFound.
type URICredentials struct {
	opts  URICredentialsOptions
	cache *CredentialsCache
}

// NewURICredentials returns a credentials URI provider.
func NewURICredentials(opts URICredentialsOptions) *URICredentials {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultCredentialsURITimeout
	}
	p := &URICredentials{opts: opts}
	p.cache = NewCredentialsCache(CredentialsProviderFunc(p.fetch), opts.Refresh)
	return p
}

// Retrieve returns the cached credentials, asking the URI again when they
// are due for refresh.
func (p *URICredentials) Retrieve(ctx context.Context) (Credentials, error) {
	return p.cache.Retrieve(ctx)
}

func (p *URICredentials) fetch(ctx context.Context) (Credentials, error) {
	const prefix = "credentials uri"
	raw := strings.TrimSpace(credFirst(p.opts.URI, credGetenv(p.opts.Getenv)(EnvCredentialsURI)))
	if raw == "" {
		return Credentials{}, fmt.Errorf("%s: %w: %s is not set", prefix, ErrCredentialsNotFound, EnvCredentialsURI)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The URI may embed a token: it is not quoted.
		return Credentials{}, fmt.Errorf("%s: invalid URI: want an http or https URL", prefix)
	}
	shown := credRedactURL(raw)
	rctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, raw, nil)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: GET %s: invalid request", prefix, shown)
	}
	req.Header.Set("Accept", "application/json")
	client := p.opts.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	status, body, err := credDo(client, req, 1<<20)
	if err != nil {
		if credIsNoReply(err) {
			// The transport's message repeats the full URL.
			return Credentials{}, fmt.Errorf("%s: GET %s: no reply: %w", prefix, shown, uriCause(err))
		}
		return Credentials{}, fmt.Errorf("%s: GET %s: %w", prefix, shown, err)
	}
	if status != http.StatusOK {
		return Credentials{}, fmt.Errorf("%s: GET %s: HTTP %d%s", prefix, shown, status, uriErrorCode(body))
	}
	creds, err := parseTemporaryCredentials(body)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: GET %s: %w", prefix, shown, err)
	}
	return creds, nil
}

// uriCause is the cause of a failed round trip without the URL, which may
// carry a token in its query.
func uriCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// uriErrorCode returns the Code and Message of an error reply in the
// credentials document shape, if it has them.
func uriErrorCode(body []byte) string {
	var doc struct{ Code, Message string }
	if json.Unmarshal(body, &doc) != nil || doc.Code == "" {
		return ""
	}
	s := " " + credShort(doc.Code)
	if doc.Message != "" {
		s += ": " + credShort(doc.Message)
	}
	return s
}

// ProviderName returns "credentials_uri".
func (p *URICredentials) ProviderName() string { return "credentials_uri" }

// String describes the provider without the URI's query.
func (p *URICredentials) String() string {
	shown := ""
	if p.opts.URI != "" {
		shown = credRedactURL(p.opts.URI)
	}
	return "URICredentials{URI: " + shown + "}"
}

// GoString keeps %#v from walking the cache.
func (p *URICredentials) GoString() string { return p.String() }

// Format routes every fmt verb through String.
func (p *URICredentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }
