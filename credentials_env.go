package alicloud

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by the credential providers and by
// LoadDefaultConfig, in addition to EnvAccessKeyID, EnvAccessKeySecret and
// EnvSecurityToken. They are the names the rest of the Alibaba Cloud tool
// ecosystem uses, so an existing set-up keeps working.
const (
	// EnvRegionID sets Config.Region in LoadDefaultConfig.
	EnvRegionID = "ALIBABA_CLOUD_REGION_ID"
	// EnvRegionIDAlt and EnvRegionIDLegacy are older spellings of EnvRegionID,
	// read when it is unset.
	EnvRegionIDAlt    = "ALIBABACLOUD_REGION_ID"
	EnvRegionIDLegacy = "ALICLOUD_REGION_ID"

	// EnvProfile names the profile that the CLI profile and INI profile
	// providers use.
	EnvProfile = "ALIBABA_CLOUD_PROFILE"

	// EnvRoleARN, EnvOIDCProviderARN and EnvOIDCTokenFile configure the OIDC
	// (RRSA) provider; EnvRoleSessionName names the role session of the OIDC
	// and RAM role ARN providers.
	EnvRoleARN         = "ALIBABA_CLOUD_ROLE_ARN"
	EnvOIDCProviderARN = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"
	EnvOIDCTokenFile   = "ALIBABA_CLOUD_OIDC_TOKEN_FILE"
	EnvRoleSessionName = "ALIBABA_CLOUD_ROLE_SESSION_NAME"

	// EnvSTSEndpoint is the STS endpoint (a host, or a URL whose scheme is
	// honoured). It wins over EnvSTSRegion and EnvVPCEndpointEnabled.
	EnvSTSEndpoint = "ALIBABA_CLOUD_STS_ENDPOINT"
	// EnvSTSRegion selects the regional STS endpoint sts.<region>.aliyuncs.com.
	EnvSTSRegion = "ALIBABA_CLOUD_STS_REGION"
	// EnvVPCEndpointEnabled=true selects sts-vpc.<region>.aliyuncs.com when a
	// region is known.
	EnvVPCEndpointEnabled = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"

	// EnvConfigFile replaces the path of the aliyun CLI configuration
	// (~/.aliyun/config.json); EnvCLIProfileDisabled=true skips that provider.
	EnvConfigFile         = "ALIBABA_CLOUD_CONFIG_FILE"
	EnvCLIProfileDisabled = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED"

	// EnvCredentialsFile replaces the path of the INI credentials file
	// (~/.alibabacloud/credentials).
	EnvCredentialsFile = "ALIBABA_CLOUD_CREDENTIALS_FILE"

	// EnvECSMetadata names the instance's RAM role, saving one metadata
	// request; EnvECSMetadataDisabled=true turns the ECS RAM role provider
	// off; EnvIMDSv1Disabled=true makes a failed IMDSv2 token request an
	// error instead of a fall-back to unauthenticated metadata reads.
	EnvECSMetadata         = "ALIBABA_CLOUD_ECS_METADATA"
	EnvECSMetadataDisabled = "ALIBABA_CLOUD_ECS_METADATA_DISABLED"
	EnvIMDSv1Disabled      = "ALIBABA_CLOUD_IMDSV1_DISABLED"

	// EnvCredentialsURI is a URL that answers GET with temporary credentials.
	EnvCredentialsURI = "ALIBABA_CLOUD_CREDENTIALS_URI"
)

// credGetenv returns f, or os.Getenv when f is nil.
func credGetenv(f func(string) string) func(string) string {
	if f != nil {
		return f
	}
	return os.Getenv
}

// credEnvTrue reports whether an environment flag is set to true ("true",
// "TRUE", "1"...). Anything unparsable counts as false.
func credEnvTrue(getenv func(string) string, name string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(getenv(name)))
	return err == nil && b
}

// credFirst returns the first non-empty value.
func credFirst(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// credHomePath joins parts to the user's home directory.
func credHomePath(parts ...string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot locate the home directory: %w", err)
	}
	return filepath.Join(append([]string{home}, parts...)...), nil
}

// credParseTime reads an expiry in the forms the services send: RFC 3339
// (2015-04-09T11:52:19Z), with or without fraction or offset, and the same
// without a zone (taken as UTC).
func credParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised expiration time %q", s)
}

// credRedactURL shows a URL without its query, fragment or user info, which
// may carry tokens.
func credRedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	cp := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return cp.String()
}

// credValidRegion accepts region IDs made of lower-case letters, digits and
// hyphens, so that a typo cannot change the host an endpoint is built from.
func credValidRegion(r string) bool {
	if r == "" {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
