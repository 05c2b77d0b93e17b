package alicloud

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// INIProfileCredentialsOptions configure an INIProfileCredentials.
type INIProfileCredentialsOptions struct {
	// Path is the credentials file. Empty means ALIBABA_CLOUD_CREDENTIALS_FILE,
	// else ~/.alibabacloud/credentials.
	Path string
	// Profile is the section to use. Empty means ALIBABA_CLOUD_PROFILE,
	// else "default".
	Profile string

	// STS, ECS and HTTPClient configure the providers a section needs: STS
	// for ram_role_arn and oidc_role_arn, the metadata service for
	// ecs_ram_role (the section's role_name replaces ECS.RoleName), and the
	// HTTP client of credentials_uri. Providers built from a section use
	// Refresh and Getenv below whatever ECS says.
	STS        STSOptions
	ECS        ECSRAMRoleCredentialsOptions
	HTTPClient *http.Client
	// Refresh controls caching of temporary credentials.
	Refresh CredentialsRefreshOptions
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
	// Logger receives one warning when the file it reads is readable by
	// other users (any group or world read bit, on Unix): the file holds
	// secrets, and the Alibaba Cloud tools write it with mode 0600. The file is
	// used all the same.
	Logger *slog.Logger
}

// INIProfileCredentials uses a section of the INI credentials file shared by
// the Alibaba Cloud SDKs, ~/.alibabacloud/credentials:
//
//	[default]
//	type = access_key
//	access_key_id = LTAI...
//	access_key_secret = ...
//
//	[role]
//	type = ram_role_arn
//	access_key_id = LTAI...
//	access_key_secret = ...
//	role_arn = acs:ram::123456789012****:role/admin
//	role_session_name = alice
//
// The type selects the keys read:
//
//	access_key      access_key_id, access_key_secret
//	sts             access_key_id, access_key_secret, security_token
//	ram_role_arn    access_key_id, access_key_secret (security_token) assume role_arn
//	                (role_session_name, policy, external_id, role_session_expiration, sts_region, enable_vpc)
//	ecs_ram_role    role_name (optional)
//	oidc_role_arn   role_arn, oidc_provider_arn, oidc_token_file_path
//	                (role_session_name, policy, role_session_expiration, sts_region, enable_vpc)
//	credentials_uri credentials_uri
//
// A section with enable = false is skipped. Lines starting with # or ; are
// comments. The file is read on the first Retrieve that finds it; the
// provider built from the section is kept. A missing file at the default
// path, or a missing [default] section when no profile was named, gives an
// error wrapping ErrCredentialsNotFound; a malformed file, a missing named
// section, an unknown type or a missing key gives an error that says so
// without quoting the file. It is safe for concurrent use.
type INIProfileCredentials struct {
	opts INIProfileCredentialsOptions

	mu       sync.Mutex
	resolved CredentialsProvider
	profile  string
	kind     string
}

// NewINIProfileCredentials returns an INI credentials file provider.
func NewINIProfileCredentials(opts INIProfileCredentialsOptions) *INIProfileCredentials {
	return &INIProfileCredentials{opts: opts}
}

const iniPrefix = "ini profile credentials"

// Retrieve returns the credentials of the selected section.
func (p *INIProfileCredentials) Retrieve(ctx context.Context) (Credentials, error) {
	getenv := credGetenv(p.opts.Getenv)
	p.mu.Lock()
	r, name := p.resolved, p.profile
	if r == nil {
		var err error
		var kind string
		r, name, kind, err = p.resolve(ctx, getenv)
		if err != nil {
			p.mu.Unlock()
			return Credentials{}, fmt.Errorf("%s: %w", iniPrefix, err)
		}
		p.resolved, p.profile, p.kind = r, name, kind
	}
	p.mu.Unlock()
	creds, err := r.Retrieve(ctx)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: profile %q: %w", iniPrefix, name, err)
	}
	return creds, nil
}

func (p *INIProfileCredentials) resolve(ctx context.Context, getenv func(string) string) (CredentialsProvider, string, string, error) {
	path, chosen := p.opts.Path, p.opts.Path != ""
	if !chosen {
		if env := strings.TrimSpace(getenv(EnvCredentialsFile)); env != "" {
			path, chosen = env, true
		}
	}
	if !chosen {
		var err error
		if path, err = credHomePath(".alibabacloud", "credentials"); err != nil {
			return nil, "", "", fmt.Errorf("%w: %w", ErrCredentialsNotFound, err)
		}
	}
	data, perm, err := credReadFileMode(path, chosen)
	if err != nil {
		return nil, "", "", err
	}
	warnReadableByOthers(ctx, p.opts.Logger, path, perm)
	sections, err := parseINI(data)
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", path, err)
	}
	name := credFirst(p.opts.Profile, strings.TrimSpace(getenv(EnvProfile)))
	explicit := name != ""
	if !explicit {
		name = "default"
	}
	sec, ok := sections[name]
	switch {
	case !ok && explicit:
		return nil, "", "", fmt.Errorf("%s: profile %q not found", path, name)
	case !ok:
		return nil, "", "", fmt.Errorf("%w: %s has no [default] section", ErrCredentialsNotFound, path)
	}
	if v, set := sec["enable"]; set {
		enabled, err := strconv.ParseBool(v)
		if err != nil {
			return nil, "", "", fmt.Errorf("%s: profile %q: enable is not a boolean", path, name)
		}
		if !enabled {
			return nil, "", "", fmt.Errorf("%w: %s: profile %q is disabled (enable = false)", ErrCredentialsNotFound, path, name)
		}
	}
	b := credBuild{getenv: getenv, sts: p.opts.STS, ecs: p.opts.ECS, uriClient: p.opts.HTTPClient, refresh: p.opts.Refresh}
	r, err := b.fromINISection(name, sec)
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", path, err)
	}
	return r, name, sec["type"], nil
}

// ProviderName returns "ini_profile", with the section and its type once
// the file has been read.
func (p *INIProfileCredentials) ProviderName() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.resolved == nil {
		return "ini_profile"
	}
	return fmt.Sprintf("ini_profile (profile %q, type %s)", p.profile, p.kind)
}

// String describes the provider without secrets.
func (p *INIProfileCredentials) String() string {
	return "INIProfileCredentials{" + p.ProviderName() + "}"
}

// GoString keeps %#v from walking the resolved provider.
func (p *INIProfileCredentials) GoString() string { return p.String() }

// Format routes every fmt verb through String.
func (p *INIProfileCredentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// INI credential types.
const (
	iniTypeAccessKey      = "access_key"
	iniTypeSTS            = "sts"
	iniTypeRAMRoleARN     = "ram_role_arn"
	iniTypeECSRAMRole     = "ecs_ram_role"
	iniTypeOIDCRoleARN    = "oidc_role_arn"
	iniTypeCredentialsURI = "credentials_uri"
)

// fromINISection builds the provider a section describes.
func (b credBuild) fromINISection(name string, sec map[string]string) (CredentialsProvider, error) {
	kind := sec["type"]
	fail := func(format string, args ...any) error {
		return fmt.Errorf("profile %q (type %s): %s", name, credShort(kind), fmt.Sprintf(format, args...))
	}
	need := func(keys ...string) error {
		for _, k := range keys {
			if sec[k] == "" {
				return fail("%s is empty", k)
			}
		}
		return nil
	}
	sts := b.sts
	if r := sec["sts_region"]; r != "" {
		sts.Region = r
	}
	if v, err := strconv.ParseBool(sec["enable_vpc"]); err == nil && v {
		sts.EnableVPC = true
	}
	duration := 0
	if v := sec["role_session_expiration"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fail("role_session_expiration is not a whole number of seconds")
		}
		duration = n
	}
	switch kind {
	case iniTypeAccessKey:
		if err := need("access_key_id", "access_key_secret"); err != nil {
			return nil, err
		}
		return NewStaticCredentials(sec["access_key_id"], sec["access_key_secret"], ""), nil
	case iniTypeSTS:
		if err := need("access_key_id", "access_key_secret", "security_token"); err != nil {
			return nil, err
		}
		return NewStaticCredentials(sec["access_key_id"], sec["access_key_secret"], sec["security_token"]), nil
	case iniTypeRAMRoleARN:
		if err := need("access_key_id", "access_key_secret", "role_arn"); err != nil {
			return nil, err
		}
		src := NewStaticCredentials(sec["access_key_id"], sec["access_key_secret"], sec["security_token"])
		return NewRAMRoleARNCredentials(src, RAMRoleARNCredentialsOptions{
			RoleARN: sec["role_arn"], RoleSessionName: sec["role_session_name"], Policy: sec["policy"],
			ExternalID: sec["external_id"], DurationSeconds: duration,
			STS: sts, Refresh: b.refresh, Getenv: b.getenv,
		}), nil
	case iniTypeECSRAMRole:
		o := b.ecs
		if r := sec["role_name"]; r != "" {
			o.RoleName = r
		}
		o.Refresh = b.refresh
		if o.Getenv == nil {
			o.Getenv = b.getenv
		}
		return NewECSRAMRoleCredentials(o), nil
	case iniTypeOIDCRoleARN:
		tokenFile := credFirst(sec["oidc_token_file_path"], sec["oidc_token_file"])
		if err := need("role_arn", "oidc_provider_arn"); err != nil {
			return nil, err
		}
		if tokenFile == "" {
			return nil, fail("oidc_token_file_path is empty")
		}
		return NewOIDCCredentials(OIDCCredentialsOptions{
			RoleARN: sec["role_arn"], OIDCProviderARN: sec["oidc_provider_arn"], OIDCTokenFile: tokenFile,
			RoleSessionName: sec["role_session_name"], Policy: sec["policy"], DurationSeconds: duration,
			STS: sts, Refresh: b.refresh, Getenv: b.getenv,
		}), nil
	case iniTypeCredentialsURI:
		if err := need("credentials_uri"); err != nil {
			return nil, err
		}
		return NewURICredentials(URICredentialsOptions{URI: sec["credentials_uri"], HTTPClient: b.uriClient,
			Refresh: b.refresh, Getenv: b.getenv}), nil
	case "":
		return nil, fail("type is empty")
	}
	return nil, fail("unsupported type (supported: %s, %s, %s, %s, %s, %s)", iniTypeAccessKey, iniTypeSTS,
		iniTypeRAMRoleARN, iniTypeECSRAMRole, iniTypeOIDCRoleARN, iniTypeCredentialsURI)
}

// parseINI reads the small INI dialect of the credentials file: [section]
// headers, key = value pairs (keys are case-insensitive, values are trimmed
// and may be enclosed in double quotes), blank lines, and comment lines
// starting with # or ;. A repeated section adds to the earlier one; a
// repeated key keeps the last value. Errors give the line number only: the
// file holds secrets.
func parseINI(data []byte) (map[string]map[string]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	sections := map[string]map[string]string{}
	var cur map[string]string
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			if line[len(line)-1] != ']' {
				return nil, fmt.Errorf("line %d: section header lacks its closing ]", n)
			}
			name := strings.TrimSpace(line[1 : len(line)-1])
			if name == "" {
				return nil, fmt.Errorf("line %d: empty section name", n)
			}
			if sections[name] == nil {
				sections[name] = map[string]string{}
			}
			cur = sections[name]
			continue
		}
		eq := strings.IndexByte(line, '=')
		if eq < 0 {
			return nil, fmt.Errorf("line %d: expected [section] or key = value", n)
		}
		key := strings.ToLower(strings.TrimSpace(line[:eq]))
		if key == "" {
			return nil, fmt.Errorf("line %d: empty key", n)
		}
		if cur == nil {
			return nil, fmt.Errorf("line %d: key outside any [section]", n)
		}
		val := strings.TrimSpace(line[eq+1:])
		if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
			val = val[1 : len(val)-1]
		}
		cur[key] = val
	}
	return sections, nil
}
