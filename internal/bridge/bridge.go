// Package bridge connects the public surface (package alicloud) to the
// pipeline (internal/rpc), which must not import it: client options become
// pipeline settings, and the pipeline's errors become the public error types.
// Every product package uses it, so the translation is written once.
package bridge

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/rpc"
)

// Options mirrors the Options struct of every product package (they
// convert to it field for field).
type Options struct {
	Region           string
	Endpoint         string
	Credentials      alicloud.CredentialsProvider
	HTTPClient       *http.Client
	Retry            alicloud.RetryOptions
	Logger           *slog.Logger
	UserAgent        string
	Hooks            []alicloud.Hook
	RateLimit        alicloud.RateLimiter
	SignatureVersion alicloud.SignatureVersion
}

// FromConfig copies a Config into Options.
func FromConfig(cfg alicloud.Config) Options {
	return Options{
		Region: cfg.Region, Endpoint: cfg.Endpoint, Credentials: cfg.Credentials, HTTPClient: cfg.HTTPClient,
		Retry: cfg.Retry, Logger: cfg.Logger, UserAgent: cfg.UserAgent, Hooks: cfg.Hooks, RateLimit: cfg.RateLimit,
		SignatureVersion: cfg.SignatureVersion,
	}
}

// Settings translates Options into the pipeline's settings.
func Settings(o Options) rpc.Settings {
	r := o.Retry.WithDefaults()
	s := rpc.Settings{
		Region: o.Region, Endpoint: o.Endpoint, HTTPClient: o.HTTPClient,
		MaxAttempts: r.MaxAttempts, MinBackoff: r.MinBackoff, MaxBackoff: r.MaxBackoff,
		Logger: o.Logger, UserAgent: o.UserAgent, SignatureVersion: string(o.SignatureVersion),
	}
	if provider := o.Credentials; provider != nil {
		s.Credentials = func(ctx context.Context) (rpc.Credentials, error) {
			c, err := provider.Retrieve(ctx)
			if err != nil {
				return rpc.Credentials{}, err
			}
			return rpc.Credentials{AccessKeyID: c.AccessKeyID, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}, nil
		}
	}
	if o.RateLimit != nil {
		s.Limiter = o.RateLimit
	}
	for _, h := range o.Hooks {
		switch h := h.(type) {
		case nil:
		case alicloud.OperationStartHook:
			s.Observers = append(s.Observers, startHookAdapter{hookAdapter{h}, h})
		default:
			s.Observers = append(s.Observers, hookAdapter{h})
		}
	}
	return s
}

// hookAdapter lets a public Hook observe the pipeline.
type hookAdapter struct{ h alicloud.Hook }

func (a hookAdapter) OnAttempt(ctx context.Context, i rpc.AttemptInfo) {
	a.h.OnAttempt(ctx, alicloud.AttemptInfo(i))
}

func (a hookAdapter) OnOperation(ctx context.Context, i rpc.OperationInfo) {
	a.h.OnOperation(ctx, alicloud.OperationInfo(i))
}

// startHookAdapter also passes on the start of each operation.
type startHookAdapter struct {
	hookAdapter
	s alicloud.OperationStartHook
}

func (a startHookAdapter) OnOperationStart(ctx context.Context, product, action string) context.Context {
	return a.s.OnOperationStart(ctx, alicloud.OperationStartInfo{Product: product, Action: action})
}

// PublicError turns the pipeline's errors into the alicloud types, naming
// the product and operation. Other errors (validation) pass unchanged.
func PublicError(product, op string, err error) error {
	switch e := err.(type) {
	case *rpc.ServiceError:
		out := &alicloud.APIError{Product: product, Operation: op, HTTPStatus: e.HTTPStatus, Code: e.Code,
			Message: e.Message, RequestID: e.RequestID, HostID: e.HostID, Recommend: e.Recommend, Attempts: e.Attempts}
		if d := e.AccessDenied; d != nil {
			detail := alicloud.AccessDeniedDetail(*d)
			out.AccessDeniedDetail = &detail
		}
		return out
	case *rpc.BadResponseError:
		return &alicloud.ResponseError{Product: product, Operation: op, HTTPStatus: e.HTTPStatus,
			ContentType: e.ContentType, RequestID: e.RequestID, Excerpt: e.Excerpt, Attempts: e.Attempts, Err: e.Err}
	case *rpc.TransportError:
		return &alicloud.OperationError{Product: product, Operation: op, Attempts: e.Attempts, Err: e.Err}
	}
	return err
}

// Invalid builds the error of a failed client-side check.
func Invalid(op, field, reason string, code alicloud.ErrorCode) error {
	return &alicloud.ValidationError{Operation: op, Field: field, Reason: reason, Code: code}
}

// DuplicateAt returns the index of the first element equal to an earlier
// one, or -1.
func DuplicateAt[T comparable](xs []T) int {
	seen := make(map[T]struct{}, len(xs))
	for i, x := range xs {
		if _, ok := seen[x]; ok {
			return i
		}
		seen[x] = struct{}{}
	}
	return -1
}
