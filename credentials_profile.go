package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
)

// CLIProfileCredentialsOptions configure a CLIProfileCredentials.
type CLIProfileCredentialsOptions struct {
	// Path is the aliyun CLI configuration. Empty means
	// ALIBABA_CLOUD_CONFIG_FILE, else ~/.aliyun/config.json.
	Path string
	// Profile is the profile to use. Empty means ALIBABA_CLOUD_PROFILE, else
	// the file's "current" profile, else "default".
	Profile string

	// STS, ECS and HTTPClient configure the providers a profile needs: STS
	// for RamRoleArn, ChainableRamRoleArn and OIDC (the profile's sts_region
	// and enable_vpc apply on top), the metadata service for EcsRamRole (the
	// profile's ram_role_name replaces ECS.RoleName), and the HTTP client of
	// CredentialsURI. Providers built from a profile use Refresh and Getenv
	// below whatever ECS says.
	STS        STSOptions
	ECS        ECSRAMRoleCredentialsOptions
	HTTPClient *http.Client
	// Refresh controls caching of temporary credentials.
	Refresh CredentialsRefreshOptions
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
	// Logger receives one warning when the file it reads is readable by
	// other users (any group or world read bit, on Unix): the file holds
	// secrets, and the aliyun CLI writes it with mode 0600. The file is
	// used all the same.
	Logger *slog.Logger
}

// CLIProfileCredentials uses a profile of the aliyun CLI configuration,
// ~/.aliyun/config.json. The profile's mode selects how credentials are
// obtained:
//
//	AK                   access_key_id, access_key_secret
//	StsToken             access_key_id, access_key_secret, sts_token
//	RamRoleArn           the above access key (and optional sts_token) assume ram_role_arn
//	                     (ram_session_name, expired_seconds, policy, external_id, sts_region, enable_vpc)
//	ChainableRamRoleArn  the credentials of source_profile assume ram_role_arn
//	EcsRamRole           the instance's RAM role (ram_role_name, optional)
//	OIDC                 ram_role_arn, oidc_provider_arn, oidc_token_file
//	CredentialsURI       credentials_uri
//
// The file is read on the first Retrieve that finds it; the provider built
// from the profile is kept and caches temporary credentials itself.
// ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true turns the provider off. A missing
// file at the default path, or a disabled provider, gives an error wrapping
// ErrCredentialsNotFound; a malformed file, a missing profile, an unknown
// mode or a missing field gives an error that says so without quoting the
// file. It is safe for concurrent use.
type CLIProfileCredentials struct {
	opts CLIProfileCredentialsOptions

	mu       sync.Mutex
	resolved CredentialsProvider
	profile  string
	mode     string
}

// NewCLIProfileCredentials returns an aliyun CLI profile provider.
func NewCLIProfileCredentials(opts CLIProfileCredentialsOptions) *CLIProfileCredentials {
	return &CLIProfileCredentials{opts: opts}
}

const cliPrefix = "cli profile credentials"

// Retrieve returns the credentials of the selected profile.
func (p *CLIProfileCredentials) Retrieve(ctx context.Context) (Credentials, error) {
	getenv := credGetenv(p.opts.Getenv)
	if credEnvTrue(getenv, EnvCLIProfileDisabled) {
		return Credentials{}, fmt.Errorf("%s: %w: disabled by %s", cliPrefix, ErrCredentialsNotFound, EnvCLIProfileDisabled)
	}
	p.mu.Lock()
	r, name := p.resolved, p.profile
	if r == nil {
		cfg, prof, err := loadCLIProfile(p.opts.Path, p.opts.Profile, getenv)
		if err != nil {
			p.mu.Unlock()
			return Credentials{}, fmt.Errorf("%s: %w", cliPrefix, err)
		}
		warnReadableByOthers(ctx, p.opts.Logger, cfg.path, cfg.perm)
		b := credBuild{getenv: getenv, sts: p.opts.STS, ecs: p.opts.ECS, uriClient: p.opts.HTTPClient, refresh: p.opts.Refresh}
		r, err = b.fromCLIProfile(cfg, prof, nil)
		if err != nil {
			p.mu.Unlock()
			return Credentials{}, fmt.Errorf("%s: %s: %w", cliPrefix, cfg.path, err)
		}
		p.resolved, p.profile, p.mode = r, prof.Name, prof.Mode
		name = prof.Name
	}
	p.mu.Unlock()
	creds, err := r.Retrieve(ctx)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: profile %q: %w", cliPrefix, name, err)
	}
	return creds, nil
}

// ProviderName returns "cli_profile", with the profile and its mode once
// the file has been read.
func (p *CLIProfileCredentials) ProviderName() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.resolved == nil {
		return "cli_profile"
	}
	return fmt.Sprintf("cli_profile (profile %q, mode %s)", p.profile, p.mode)
}

// String describes the provider without secrets.
func (p *CLIProfileCredentials) String() string {
	return "CLIProfileCredentials{" + p.ProviderName() + "}"
}

// GoString keeps %#v from walking the resolved provider.
func (p *CLIProfileCredentials) GoString() string { return p.String() }

// Format routes every fmt verb through String.
func (p *CLIProfileCredentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// cliConfig is the part of ~/.aliyun/config.json that matters here.
type cliConfig struct {
	Current  string       `json:"current"`
	Profiles []cliProfile `json:"profiles"`

	path string
	perm fs.FileMode
}

// cliProfile is one entry of "profiles".
type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	STSToken        string `json:"sts_token"`
	RegionID        string `json:"region_id"`
	RAMRoleName     string `json:"ram_role_name"`
	RAMRoleARN      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	STSRegion       string `json:"sts_region"`
	EnableVPC       bool   `json:"enable_vpc"`
	SourceProfile   string `json:"source_profile"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	OIDCTokenFile   string `json:"oidc_token_file"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
	CredentialsURI  string `json:"credentials_uri"`
}

// String, GoString and Format keep a profile's secrets out of any output.
func (p cliProfile) String() string             { return fmt.Sprintf("cliProfile{%q, mode %s}", p.Name, p.Mode) }
func (p cliProfile) GoString() string           { return p.String() }
func (p cliProfile) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// find returns the profile called name, or nil.
func (c *cliConfig) find(name string) *cliProfile {
	for i := range c.Profiles {
		if c.Profiles[i].Name == name {
			return &c.Profiles[i]
		}
	}
	return nil
}

// cliConfigPath returns the configuration path and whether the user chose it.
func cliConfigPath(path string, getenv func(string) string) (string, bool, error) {
	if path != "" {
		return path, true, nil
	}
	if env := strings.TrimSpace(getenv(EnvConfigFile)); env != "" {
		return env, true, nil
	}
	p, err := credHomePath(".aliyun", "config.json")
	return p, false, err
}

// loadCLIProfile reads the configuration and selects a profile.
func loadCLIProfile(path, profile string, getenv func(string) string) (*cliConfig, *cliProfile, error) {
	path, chosen, err := cliConfigPath(path, getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrCredentialsNotFound, err)
	}
	data, perm, err := credReadFileMode(path, chosen)
	if err != nil {
		return nil, nil, err
	}
	cfg := &cliConfig{path: path, perm: perm}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, credJSONError(data, err))
	}
	name := credFirst(profile, strings.TrimSpace(getenv(EnvProfile)))
	explicit := name != ""
	if name == "" {
		name = credFirst(cfg.Current, "default")
	}
	prof := cfg.find(name)
	switch {
	case prof != nil:
		return cfg, prof, nil
	case !explicit && len(cfg.Profiles) == 0:
		return nil, nil, fmt.Errorf("%w: %s has no profiles", ErrCredentialsNotFound, path)
	}
	return nil, nil, fmt.Errorf("%s: profile %q not found", path, name)
}

// credReadFile reads a configuration file (see readCredentialFile for the
// bounds). A missing file is "not found" unless the user named it.
func credReadFile(path string, chosen bool) ([]byte, error) {
	data, _, err := credReadFileMode(path, chosen)
	return data, err
}

// credReadFileMode is credReadFile that also says the file's permissions.
func credReadFileMode(path string, chosen bool) ([]byte, fs.FileMode, error) {
	data, perm, err := readCredentialFile(path)
	switch {
	case err == nil:
		return data, perm, nil
	case errors.Is(err, fs.ErrNotExist) && !chosen:
		return nil, 0, fmt.Errorf("%w: %s does not exist", ErrCredentialsNotFound, path)
	case errors.Is(err, fs.ErrNotExist):
		return nil, 0, fmt.Errorf("%s does not exist", path)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, 0, fmt.Errorf("cannot read %s: %w", path, pe.Err)
	}
	return nil, 0, err
}

// credBuild holds what the profile providers hand to the providers they build.
type credBuild struct {
	getenv    func(string) string
	sts       STSOptions
	ecs       ECSRAMRoleCredentialsOptions
	uriClient *http.Client
	refresh   CredentialsRefreshOptions
}

// CLI profile modes.
const (
	cliModeAK                  = "AK"
	cliModeStsToken            = "StsToken"
	cliModeRamRoleArn          = "RamRoleArn"
	cliModeChainableRamRoleArn = "ChainableRamRoleArn"
	cliModeEcsRamRole          = "EcsRamRole"
	cliModeOIDC                = "OIDC"
	cliModeCredentialsURI      = "CredentialsURI"
)

// fromCLIProfile builds the provider a profile describes. seen guards
// against source_profile cycles.
func (b credBuild) fromCLIProfile(cfg *cliConfig, prof *cliProfile, seen []string) (CredentialsProvider, error) {
	mode := prof.Mode
	if mode == "" && prof.AccessKeyID != "" {
		mode = cliModeAK
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("profile %q (mode %s): %s", prof.Name, credShort(mode), fmt.Sprintf(format, args...))
	}
	need := func(pairs ...string) error {
		for i := 0; i < len(pairs); i += 2 {
			if strings.TrimSpace(pairs[i+1]) == "" {
				return fail("%s is empty", pairs[i])
			}
		}
		return nil
	}
	sts := b.sts
	if prof.STSRegion != "" {
		sts.Region = prof.STSRegion
	}
	sts.EnableVPC = sts.EnableVPC || prof.EnableVPC
	roleOpts := RAMRoleARNCredentialsOptions{
		RoleARN: prof.RAMRoleARN, RoleSessionName: prof.RAMSessionName, Policy: prof.Policy,
		ExternalID: prof.ExternalID, DurationSeconds: prof.ExpiredSeconds,
		STS: sts, Refresh: b.refresh, Getenv: b.getenv,
	}
	switch mode {
	case cliModeAK:
		if err := need("access_key_id", prof.AccessKeyID, "access_key_secret", prof.AccessKeySecret); err != nil {
			return nil, err
		}
		return NewStaticCredentials(prof.AccessKeyID, prof.AccessKeySecret, ""), nil
	case cliModeStsToken:
		if err := need("access_key_id", prof.AccessKeyID, "access_key_secret", prof.AccessKeySecret, "sts_token", prof.STSToken); err != nil {
			return nil, err
		}
		return NewStaticCredentials(prof.AccessKeyID, prof.AccessKeySecret, prof.STSToken), nil
	case cliModeRamRoleArn:
		if err := need("access_key_id", prof.AccessKeyID, "access_key_secret", prof.AccessKeySecret, "ram_role_arn", prof.RAMRoleARN); err != nil {
			return nil, err
		}
		src := NewStaticCredentials(prof.AccessKeyID, prof.AccessKeySecret, prof.STSToken)
		return NewRAMRoleARNCredentials(src, roleOpts), nil
	case cliModeChainableRamRoleArn:
		if err := need("source_profile", prof.SourceProfile, "ram_role_arn", prof.RAMRoleARN); err != nil {
			return nil, err
		}
		seen = append(seen, prof.Name)
		for _, s := range seen {
			if s == prof.SourceProfile {
				return nil, fail("source_profile %q forms a cycle (%s)", prof.SourceProfile, strings.Join(append(seen, prof.SourceProfile), " -> "))
			}
		}
		srcProf := cfg.find(prof.SourceProfile)
		if srcProf == nil {
			return nil, fail("source_profile %q not found", prof.SourceProfile)
		}
		src, err := b.fromCLIProfile(cfg, srcProf, seen)
		if err != nil {
			return nil, err
		}
		return NewRAMRoleARNCredentials(src, roleOpts), nil
	case cliModeEcsRamRole:
		o := b.ecs
		if prof.RAMRoleName != "" {
			o.RoleName = prof.RAMRoleName
		}
		o.Refresh = b.refresh
		if o.Getenv == nil {
			o.Getenv = b.getenv
		}
		return NewECSRAMRoleCredentials(o), nil
	case cliModeOIDC:
		if err := need("ram_role_arn", prof.RAMRoleARN, "oidc_provider_arn", prof.OIDCProviderARN, "oidc_token_file", prof.OIDCTokenFile); err != nil {
			return nil, err
		}
		return NewOIDCCredentials(OIDCCredentialsOptions{
			RoleARN: prof.RAMRoleARN, OIDCProviderARN: prof.OIDCProviderARN, OIDCTokenFile: prof.OIDCTokenFile,
			RoleSessionName: prof.RAMSessionName, Policy: prof.Policy, DurationSeconds: prof.ExpiredSeconds,
			STS: sts, Refresh: b.refresh, Getenv: b.getenv,
		}), nil
	case cliModeCredentialsURI:
		if err := need("credentials_uri", prof.CredentialsURI); err != nil {
			return nil, err
		}
		return NewURICredentials(URICredentialsOptions{URI: prof.CredentialsURI, HTTPClient: b.uriClient,
			Refresh: b.refresh, Getenv: b.getenv}), nil
	case "":
		return nil, fail("mode is empty")
	}
	return nil, fail("unsupported mode (supported: %s, %s, %s, %s, %s, %s, %s)", cliModeAK, cliModeStsToken,
		cliModeRamRoleArn, cliModeChainableRamRoleArn, cliModeEcsRamRole, cliModeOIDC, cliModeCredentialsURI)
}
