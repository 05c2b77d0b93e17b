package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults of ECSRAMRoleCredentialsOptions.
const (
	// DefaultECSMetadataBaseURL is the instance metadata service of ECS.
	DefaultECSMetadataBaseURL = "http://100.100.100.200"
	// DefaultECSMetadataTokenTTL is the lifetime asked for IMDSv2 tokens.
	DefaultECSMetadataTokenTTL = 6 * time.Hour
	// DefaultECSConnectTimeout and DefaultECSReadTimeout keep the provider
	// quick to give up off ECS, where the address does not answer.
	DefaultECSConnectTimeout = time.Second
	DefaultECSReadTimeout    = time.Second
)

// Paths and headers of the metadata service.
const (
	ecsTokenPath     = "/latest/api/token"
	ecsRolesPath     = "/latest/meta-data/ram/security-credentials/"
	ecsTokenTTLHdr   = "X-aliyun-ecs-metadata-token-ttl-seconds"
	ecsTokenHdr      = "X-aliyun-ecs-metadata-token"
	ecsMaxReplyBytes = 64 << 10
)

// ECSRAMRoleCredentialsOptions configure an ECSRAMRoleCredentials.
type ECSRAMRoleCredentialsOptions struct {
	// RoleName is the RAM role attached to the instance. Empty means
	// ALIBABA_CLOUD_ECS_METADATA, else the role the metadata service lists.
	RoleName string
	// BaseURL is the metadata service; empty means DefaultECSMetadataBaseURL.
	// Tests point it at a local server.
	BaseURL string
	// DisableIMDSv1 makes a failed IMDSv2 token request an error instead of
	// falling back to unauthenticated reads. ALIBABA_CLOUD_IMDSV1_DISABLED=true
	// has the same effect.
	DisableIMDSv1 bool
	// MetadataTokenTTL is the lifetime asked for the IMDSv2 token (whole
	// seconds, at most 6 hours); zero means DefaultECSMetadataTokenTTL.
	MetadataTokenTTL time.Duration
	// ConnectTimeout and ReadTimeout bound each metadata request; zero means
	// one second each.
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
	// HTTPClient sends the requests; nil selects a client with the timeouts
	// above that ignores proxies and does not follow redirects.
	HTTPClient *http.Client
	// Refresh controls caching of the temporary credentials.
	Refresh CredentialsRefreshOptions
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
}

// ECSRAMRoleCredentials reads the temporary credentials of the RAM role
// attached to an ECS instance from the instance metadata service, using an
// IMDSv2 session token when the service grants one. It caches them until
// shortly before they expire and is safe for concurrent use.
//
// ALIBABA_CLOUD_ECS_METADATA_DISABLED=true turns it off; Retrieve then
// returns an error wrapping ErrCredentialsNotFound, as it does when the
// metadata service cannot be reached (not an ECS instance).
type ECSRAMRoleCredentials struct {
	opts   ECSRAMRoleCredentialsOptions
	client *http.Client
	cache  *CredentialsCache
}

// NewECSRAMRoleCredentials returns an ECS RAM role provider.
func NewECSRAMRoleCredentials(opts ECSRAMRoleCredentialsOptions) *ECSRAMRoleCredentials {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultECSConnectTimeout
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = DefaultECSReadTimeout
	}
	if opts.MetadataTokenTTL <= 0 {
		opts.MetadataTokenTTL = DefaultECSMetadataTokenTTL
	}
	p := &ECSRAMRoleCredentials{opts: opts, client: opts.HTTPClient}
	if p.client == nil {
		p.client = &http.Client{
			Transport: &http.Transport{
				Proxy:                 nil, // the metadata service is link-local
				DialContext:           (&net.Dialer{Timeout: opts.ConnectTimeout}).DialContext,
				ResponseHeaderTimeout: opts.ReadTimeout,
				MaxIdleConns:          2,
				IdleConnTimeout:       30 * time.Second,
			},
			// The token header must not follow a redirect elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	p.cache = NewCredentialsCache(CredentialsProviderFunc(p.fetch), opts.Refresh)
	return p
}

// Retrieve returns the cached role credentials, reading them again from the
// metadata service when they are due for refresh.
func (p *ECSRAMRoleCredentials) Retrieve(ctx context.Context) (Credentials, error) {
	return p.cache.Retrieve(ctx)
}

const ecsPrefix = "ecs ram role credentials"

// errECSUnreachable marks a metadata request that got no reply at all.
var errECSUnreachable = errors.New("metadata service unreachable")

func (p *ECSRAMRoleCredentials) fetch(ctx context.Context) (Credentials, error) {
	getenv := credGetenv(p.opts.Getenv)
	if credEnvTrue(getenv, EnvECSMetadataDisabled) {
		return Credentials{}, fmt.Errorf("%s: %w: disabled by %s", ecsPrefix, ErrCredentialsNotFound, EnvECSMetadataDisabled)
	}
	base, err := ecsBaseURL(p.opts.BaseURL)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: %w", ecsPrefix, err)
	}
	c, err := p.fetchFrom(ctx, base, getenv)
	if err != nil {
		if errors.Is(err, errECSUnreachable) && ctx.Err() == nil {
			return Credentials{}, fmt.Errorf("%s: %w: %w (not an ECS instance?)", ecsPrefix, ErrCredentialsNotFound, err)
		}
		return Credentials{}, fmt.Errorf("%s: %w", ecsPrefix, err)
	}
	return c, nil
}

func (p *ECSRAMRoleCredentials) fetchFrom(ctx context.Context, base string, getenv func(string) string) (Credentials, error) {
	token, err := p.metadataToken(ctx, base)
	if err != nil {
		if credIsNoReply(err) {
			return Credentials{}, fmt.Errorf("%w at %s: %w", errECSUnreachable, base, err)
		}
		if p.opts.DisableIMDSv1 || credEnvTrue(getenv, EnvIMDSv1Disabled) {
			return Credentials{}, fmt.Errorf("%w; IMDSv1 is disabled (%s)", err, EnvIMDSv1Disabled)
		}
		token = "" // fall back to IMDSv1
	}
	role := strings.TrimSpace(credFirst(p.opts.RoleName, getenv(EnvECSMetadata)))
	if role == "" {
		status, body, err := p.get(ctx, base+ecsRolesPath, token)
		if err != nil {
			return Credentials{}, fmt.Errorf("list RAM roles: %w", err)
		}
		if status != http.StatusOK {
			return Credentials{}, fmt.Errorf("list RAM roles: %s answered HTTP %d (is a RAM role attached to the instance?)", ecsRolesPath, status)
		}
		role = ecsFirstLine(string(body))
		if role == "" {
			return Credentials{}, errors.New("list RAM roles: no RAM role is attached to the instance")
		}
	}
	path := ecsRolesPath + url.PathEscape(role)
	status, body, err := p.get(ctx, base+path, token)
	if err != nil {
		return Credentials{}, fmt.Errorf("role %s: %w", role, err)
	}
	if status != http.StatusOK {
		// The body is not quoted: a reply to this path may hold credentials.
		return Credentials{}, fmt.Errorf("role %s: %s answered HTTP %d", role, path, status)
	}
	creds, err := parseTemporaryCredentials(body)
	if err != nil {
		return Credentials{}, fmt.Errorf("role %s: %w", role, err)
	}
	return creds, nil
}

// metadataToken asks for an IMDSv2 session token.
func (p *ECSRAMRoleCredentials) metadataToken(ctx context.Context, base string) (string, error) {
	ttl := int(p.opts.MetadataTokenTTL / time.Second)
	if ttl < 1 {
		ttl = 1
	}
	rctx, cancel := context.WithTimeout(ctx, p.opts.ConnectTimeout+p.opts.ReadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPut, base+ecsTokenPath, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set(ecsTokenTTLHdr, strconv.Itoa(ttl))
	status, body, err := credDo(p.client, req, ecsMaxReplyBytes)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("IMDSv2 token request answered HTTP %d", status)
	}
	token := strings.TrimSpace(string(body))
	if token == "" {
		return "", errors.New("IMDSv2 token request returned an empty token")
	}
	return token, nil
}

// get reads one metadata path, with the session token when there is one.
func (p *ECSRAMRoleCredentials) get(ctx context.Context, u, token string) (int, []byte, error) {
	rctx, cancel := context.WithTimeout(ctx, p.opts.ConnectTimeout+p.opts.ReadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set(ecsTokenHdr, token)
	}
	return credDo(p.client, req, ecsMaxReplyBytes)
}

func ecsBaseURL(raw string) (string, error) {
	if raw == "" {
		return DefaultECSMetadataBaseURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("invalid metadata base URL %q", raw)
	}
	return strings.TrimSuffix(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}

func ecsFirstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}

// parseTemporaryCredentials decodes the credentials document that the
// metadata service and credentials URIs return:
// {"Code":"Success","AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}.
// Its errors never quote the document.
func parseTemporaryCredentials(body []byte) (Credentials, error) {
	var doc struct {
		Code            string
		Message         string
		AccessKeyId     string
		AccessKeySecret string
		SecurityToken   string
		Expiration      string
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return Credentials{}, credJSONError(body, err)
	}
	if doc.Code != "Success" {
		return Credentials{}, fmt.Errorf("credentials document has Code %q, want \"Success\"", credShort(doc.Code))
	}
	if doc.AccessKeyId == "" || doc.AccessKeySecret == "" || doc.SecurityToken == "" {
		return Credentials{}, errors.New("credentials document lacks AccessKeyId, AccessKeySecret or SecurityToken")
	}
	if doc.Expiration == "" {
		return Credentials{}, errors.New("credentials document has no Expiration")
	}
	exp, err := credParseTime(doc.Expiration)
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{AccessKeyID: doc.AccessKeyId, AccessKeySecret: doc.AccessKeySecret,
		SecurityToken: doc.SecurityToken, Expires: exp}, nil
}

// credShort bounds a server-supplied string quoted in an error.
func credShort(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// ProviderName returns "ecs_ram_role".
func (p *ECSRAMRoleCredentials) ProviderName() string { return "ecs_ram_role" }

// String describes the provider without secrets.
func (p *ECSRAMRoleCredentials) String() string {
	base := p.opts.BaseURL
	if base == "" {
		base = DefaultECSMetadataBaseURL
	}
	return fmt.Sprintf("ECSRAMRoleCredentials{RoleName: %s, BaseURL: %s}", p.opts.RoleName, base)
}

// GoString keeps %#v from walking the cache.
func (p *ECSRAMRoleCredentials) GoString() string { return p.String() }

// Format routes every fmt verb through String.
func (p *ECSRAMRoleCredentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }
