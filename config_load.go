package alicloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/resourcekit/alicloud/internal/rpc"
)

// LoadOptions are the settings LoadDefaultConfig starts from. A LoadOption
// changes them; write your own LoadOption to reach fields that have no
// With function, such as Chain.STS.Endpoint.
type LoadOptions struct {
	// Region is the region; empty means ALIBABA_CLOUD_REGION_ID (or
	// ALIBABACLOUD_REGION_ID, ALICLOUD_REGION_ID), else the region_id of
	// the aliyun CLI profile.
	Region string
	// Credentials replaces the default credentials chain.
	Credentials CredentialsProvider
	// Profile names the CLI profile and INI section to use; empty means
	// ALIBABA_CLOUD_PROFILE, else each file's default.
	Profile string
	// Endpoint, HTTPClient, Retry and Logger become the Config fields of the
	// same names. HTTPClient and Retry also apply to the STS calls of the
	// credentials chain unless Chain says otherwise, and Logger receives
	// the chain's debug records.
	Endpoint   string
	HTTPClient *http.Client
	Retry      RetryOptions
	Logger     *slog.Logger
	// Chain configures the default credentials chain. It is not used when
	// Credentials is set.
	Chain DefaultCredentialsChainOptions
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
}

// LoadOption changes the LoadOptions of LoadDefaultConfig.
type LoadOption func(*LoadOptions) error

// WithRegion sets the region, e.g. "cn-hangzhou". An empty region leaves
// the choice to the environment and the CLI profile.
func WithRegion(region string) LoadOption {
	return func(o *LoadOptions) error {
		o.Region = strings.TrimSpace(region)
		return nil
	}
}

// WithCredentials uses p instead of the default credentials chain.
func WithCredentials(p CredentialsProvider) LoadOption {
	return func(o *LoadOptions) error {
		if p == nil {
			return errors.New("WithCredentials: nil provider")
		}
		o.Credentials = p
		return nil
	}
}

// WithProfile selects the profile of the aliyun CLI configuration and the
// section of the INI credentials file, overriding ALIBABA_CLOUD_PROFILE.
func WithProfile(name string) LoadOption {
	return func(o *LoadOptions) error {
		o.Profile = strings.TrimSpace(name)
		return nil
	}
}

// WithEndpoint sets Config.Endpoint: a host, or a URL whose scheme is
// honoured. It applies to product calls, not to STS.
func WithEndpoint(endpoint string) LoadOption {
	return func(o *LoadOptions) error {
		o.Endpoint = strings.TrimSpace(endpoint)
		return nil
	}
}

// WithHTTPClient sets Config.HTTPClient, also used for STS calls.
func WithHTTPClient(c *http.Client) LoadOption {
	return func(o *LoadOptions) error {
		o.HTTPClient = c
		return nil
	}
}

// WithRetry sets Config.Retry, also used for STS calls.
func WithRetry(r RetryOptions) LoadOption {
	return func(o *LoadOptions) error {
		if r.MaxAttempts < 0 || r.MinBackoff < 0 || r.MaxBackoff < 0 {
			return errors.New("WithRetry: negative MaxAttempts, MinBackoff or MaxBackoff")
		}
		o.Retry = r
		return nil
	}
}

// WithLogger sets Config.Logger, which also receives the credentials
// chain's debug records.
func WithLogger(l *slog.Logger) LoadOption {
	return func(o *LoadOptions) error {
		o.Logger = l
		return nil
	}
}

// LoadDefaultConfig builds a Config from the options, the environment and
// the aliyun CLI profile. Its Credentials are the provider given with
// WithCredentials, or else the default chain (see NewDefaultCredentialsChain),
// which reads nothing until its first Retrieve: LoadDefaultConfig itself
// makes no network call and does not read credential files (only, when no
// region is set otherwise, the CLI configuration's region_id).
//
// It fails on invalid options, an invalid region or endpoint, or a context
// that has ended; missing credentials are reported by the first call that
// needs them.
func LoadDefaultConfig(ctx context.Context, opts ...LoadOption) (Config, error) {
	if err := ctx.Err(); err != nil {
		return Config{}, fmt.Errorf("load config: %w", err)
	}
	var o LoadOptions
	for _, f := range opts {
		if f == nil {
			continue
		}
		if err := f(&o); err != nil {
			return Config{}, fmt.Errorf("load config: %w", err)
		}
	}
	getenv := credGetenv(o.Getenv)

	region, source := o.Region, "WithRegion"
	if region == "" {
		for _, name := range []string{EnvRegionID, EnvRegionIDAlt, EnvRegionIDLegacy} {
			if v := strings.TrimSpace(getenv(name)); v != "" {
				region, source = v, name
				break
			}
		}
	}
	if region == "" && !credEnvTrue(getenv, EnvCLIProfileDisabled) {
		profile := credFirst(o.Profile, o.Chain.Profile)
		if _, prof, err := loadCLIProfile("", profile, getenv); err == nil {
			region, source = strings.TrimSpace(prof.RegionID), "region_id of aliyun CLI profile "+fmt.Sprintf("%q", prof.Name)
		} else if o.Logger != nil && !errors.Is(err, ErrCredentialsNotFound) {
			o.Logger.LogAttrs(ctx, slog.LevelDebug, "alicloud config: no region from the aliyun CLI profile",
				slog.String("error", err.Error()))
		}
	}
	if region != "" && !credValidRegion(region) {
		return Config{}, fmt.Errorf("load config: invalid region %q (from %s)", region, source)
	}
	if o.Endpoint != "" {
		if _, err := (&rpc.Service{}).ResolveEndpoint("", o.Endpoint); err != nil {
			return Config{}, fmt.Errorf("load config: %w", err)
		}
	}

	creds := o.Credentials
	if creds == nil {
		chain := o.Chain
		if chain.Profile == "" {
			chain.Profile = o.Profile
		}
		if chain.Getenv == nil {
			chain.Getenv = o.Getenv
		}
		if chain.Logger == nil {
			chain.Logger = o.Logger
		}
		if chain.HTTPClient == nil {
			chain.HTTPClient = o.HTTPClient
		}
		if chain.STS.HTTPClient == nil {
			chain.STS.HTTPClient = o.HTTPClient
		}
		if chain.STS.Retry == (RetryOptions{}) {
			chain.STS.Retry = o.Retry
		}
		creds = NewDefaultCredentialsChain(chain)
	}
	return Config{
		Region:      region,
		Credentials: creds,
		Endpoint:    o.Endpoint,
		HTTPClient:  o.HTTPClient,
		Retry:       o.Retry,
		Logger:      o.Logger,
	}, nil
}

// WithSTSEndpoint sets the STS endpoint of the credentials chain (a host, or
// a URL whose scheme is honoured), as ALIBABA_CLOUD_STS_ENDPOINT does: for
// private networks and for tests against a local STS.
func WithSTSEndpoint(endpoint string) LoadOption {
	return func(o *LoadOptions) error {
		o.Chain.STS.Endpoint = endpoint
		return nil
	}
}

// WithECSMetadataEndpoint sets the base URL of the instance metadata service
// the ECS RAM role provider reads (default http://100.100.100.200): for
// tests against a local metadata service.
func WithECSMetadataEndpoint(baseURL string) LoadOption {
	return func(o *LoadOptions) error {
		o.Chain.ECS.BaseURL = baseURL
		return nil
	}
}
