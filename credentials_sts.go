package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/resourcekit/alicloud/internal/rpc"
)

// STS names used in errors and requests.
const (
	stsProduct    = "Sts"
	stsVersion    = "2015-04-01"
	stsGlobalHost = "sts.aliyuncs.com"

	// DefaultRoleSessionDuration is the lifetime asked of STS when a
	// provider's DurationSeconds is zero.
	DefaultRoleSessionDuration = 3600
	// MinRoleSessionDuration is the shortest lifetime STS grants.
	MinRoleSessionDuration = 900
)

var stsService = &rpc.Service{Product: stsProduct, Version: stsVersion, EndpointPrefix: "sts", Regional: false}

// STSOptions say where and how the providers that call STS (OIDC, RAM role
// ARN, and the profiles that use them) send their requests.
//
// The endpoint is, in order of precedence: Endpoint;
// ALIBABA_CLOUD_STS_ENDPOINT; sts-vpc.<region>.aliyuncs.com when VPC
// endpoints are enabled (EnableVPC or ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true)
// and a region is known (Region, else ALIBABA_CLOUD_STS_REGION);
// sts.<region>.aliyuncs.com when a region is known; sts.aliyuncs.com.
type STSOptions struct {
	// Endpoint is a host ("sts.cn-hangzhou.aliyuncs.com") or a URL whose
	// scheme is honoured ("http://127.0.0.1:8080"). HTTPS otherwise.
	Endpoint string
	// Region selects the regional endpoint.
	Region string
	// EnableVPC selects the VPC endpoint of Region.
	EnableVPC bool
	// HTTPClient sends the requests; nil selects the SDK's own client.
	HTTPClient *http.Client
	// Retry bounds the retries of one STS call (throttling, 5xx, connection
	// failures).
	Retry RetryOptions
	// Logger receives a debug record per attempt; secrets never reach it.
	Logger *slog.Logger
}

// endpoint resolves the STS endpoint.
func (o STSOptions) endpoint(getenv func(string) string) (string, error) {
	if o.Endpoint != "" {
		return o.Endpoint, nil
	}
	if ep := strings.TrimSpace(getenv(EnvSTSEndpoint)); ep != "" {
		return ep, nil
	}
	region := credFirst(o.Region, strings.TrimSpace(getenv(EnvSTSRegion)))
	if region == "" {
		return stsGlobalHost, nil
	}
	if !credValidRegion(region) {
		return "", fmt.Errorf("invalid STS region %q", region)
	}
	if o.EnableVPC || credEnvTrue(getenv, EnvVPCEndpointEnabled) {
		return "sts-vpc." + region + ".aliyuncs.com", nil
	}
	return "sts." + region + ".aliyuncs.com", nil
}

// stsAssumeRoleRequest holds the AssumeRole parameters.
type stsAssumeRoleRequest struct {
	RoleArn         string `url:"RoleArn"`
	RoleSessionName string `url:"RoleSessionName"`
	Policy          string `url:"Policy,omitempty"`
	ExternalId      string `url:"ExternalId,omitempty"`
	DurationSeconds int    `url:"DurationSeconds,omitempty"`
}

// stsAssumeRoleWithOIDCRequest holds the AssumeRoleWithOIDC parameters.
type stsAssumeRoleWithOIDCRequest struct {
	RoleArn         string `url:"RoleArn"`
	OIDCProviderArn string `url:"OIDCProviderArn"`
	OIDCToken       string `url:"OIDCToken"`
	RoleSessionName string `url:"RoleSessionName"`
	Policy          string `url:"Policy,omitempty"`
	DurationSeconds int    `url:"DurationSeconds,omitempty"`
}

// stsCredentialsReply is the part of the AssumeRole and AssumeRoleWithOIDC
// replies that the providers use.
type stsCredentialsReply struct {
	RequestID   string
	Credentials Credentials
}

// UnmarshalJSON decodes the reply. Its errors never quote the body, which
// holds the secret.
func (r *stsCredentialsReply) UnmarshalJSON(b []byte) error {
	var raw struct {
		RequestId   string
		Credentials *struct {
			AccessKeyId     string
			AccessKeySecret string
			SecurityToken   string
			Expiration      string
		}
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return credJSONError(b, err)
	}
	r.RequestID = raw.RequestId
	c := raw.Credentials
	switch {
	case c == nil:
		return errors.New("reply has no Credentials")
	case c.AccessKeyId == "" || c.AccessKeySecret == "":
		return errors.New("reply has an empty AccessKeyId or AccessKeySecret")
	case c.SecurityToken == "":
		return errors.New("reply has no SecurityToken")
	}
	exp, err := credParseTime(c.Expiration)
	if err != nil {
		return err
	}
	r.Credentials = Credentials{AccessKeyID: c.AccessKeyId, AccessKeySecret: c.AccessKeySecret,
		SecurityToken: c.SecurityToken, Expires: exp}
	return nil
}

// stsCall sends one STS operation. source signs it; nil sends it unsigned
// (AssumeRoleWithOIDC). The errors are the package's public types.
func stsCall(ctx context.Context, o STSOptions, getenv func(string) string, source CredentialsProvider,
	opName string, req any) (Credentials, error) {
	op := &rpc.Operation{Name: opName, Anonymous: source == nil,
		// Assuming a role twice only issues two sessions, so an unknown
		// outcome may be retried.
		ReadOnly: true,
		// The parameters (an OIDC token of up to 20,000 characters, a
		// policy) travel in the form body, out of URLs and their logs.
		FormBody: true}
	endpoint, err := o.endpoint(getenv)
	if err != nil {
		return Credentials{}, &OperationError{Product: stsProduct, Operation: opName, Err: err}
	}
	r := o.Retry.WithDefaults()
	s := rpc.Settings{
		Endpoint: endpoint, HTTPClient: o.HTTPClient, Logger: o.Logger,
		MaxAttempts: r.MaxAttempts, MinBackoff: r.MinBackoff, MaxBackoff: r.MaxBackoff,
		// A credentials reply is small; a large one is not STS.
		MaxBodyBytes: 1 << 20,
	}
	if source != nil {
		s.Credentials = func(ctx context.Context) (rpc.Credentials, error) {
			c, err := source.Retrieve(ctx)
			if err != nil {
				return rpc.Credentials{}, fmt.Errorf("source credentials: %w", err)
			}
			return rpc.Credentials{AccessKeyID: c.AccessKeyID, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}, nil
		}
	}
	var out stsCredentialsReply
	if err := rpc.NewClient(stsService, s).Invoke(ctx, op, req, &out); err != nil {
		return Credentials{}, stsPublicError(opName, err)
	}
	return out.Credentials, nil
}

// stsPublicError maps the transport's errors to the public types. The body
// excerpt of a successful reply that could not be decoded is dropped: it
// would hold the secret.
func stsPublicError(op string, err error) error {
	switch e := err.(type) {
	case *rpc.ServiceError:
		return &APIError{Product: stsProduct, Operation: op, HTTPStatus: e.HTTPStatus, Code: e.Code,
			Message: e.Message, RequestID: e.RequestID, HostID: e.HostID, Recommend: e.Recommend, Attempts: e.Attempts}
	case *rpc.BadResponseError:
		excerpt := e.Excerpt
		if e.HTTPStatus >= 200 && e.HTTPStatus < 300 {
			excerpt = ""
		}
		return &ResponseError{Product: stsProduct, Operation: op, HTTPStatus: e.HTTPStatus,
			ContentType: e.ContentType, RequestID: e.RequestID, Excerpt: excerpt, Err: e.Err}
	case *rpc.TransportError:
		return &OperationError{Product: stsProduct, Operation: op, Attempts: e.Attempts, Err: e.Err}
	}
	return err
}

// credJSONError describes a JSON decoding failure by position only: the
// document may hold secrets, so no part of it is quoted.
func credJSONError(doc []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := credLineCol(doc, syn.Offset)
		return fmt.Errorf("malformed JSON at line %d, column %d", line, col)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		field := typ.Field
		if field == "" {
			field = "document"
		}
		return fmt.Errorf("malformed JSON: %s is a %s, want %s", field, typ.Value, typ.Type)
	}
	return errors.New("malformed JSON")
}

// credLineCol turns a byte offset into a 1-based line and column.
func credLineCol(doc []byte, offset int64) (int, int) {
	if offset > int64(len(doc)) {
		offset = int64(len(doc))
	}
	line, col := 1, 1
	for _, c := range doc[:offset] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// credSessionName is the role session name used when none is configured.
func credSessionName(now time.Time) string {
	return "resourcekit-" + strconv.FormatInt(now.UnixMilli(), 10)
}

// credDuration validates a requested session lifetime.
func credDuration(seconds int) (int, error) {
	switch {
	case seconds == 0:
		return DefaultRoleSessionDuration, nil
	case seconds < MinRoleSessionDuration:
		return 0, fmt.Errorf("DurationSeconds %d is below the minimum of %d", seconds, MinRoleSessionDuration)
	}
	return seconds, nil
}
