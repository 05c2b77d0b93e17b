package rpc

import (
	"context"
	"log/slog"
	"time"
)

// AttemptInfo describes one attempt of an operation. It carries no URL,
// header or credential, so nothing secret can reach an observer.
type AttemptInfo struct {
	Product    string
	Action     string
	Attempt    int
	RequestID  string
	HTTPStatus int
	Code       string
	Latency    time.Duration
	Err        error
	// Retry says whether another attempt follows, after Backoff.
	Retry   bool
	Backoff time.Duration
}

// OperationInfo describes a finished operation.
type OperationInfo struct {
	Product    string
	Action     string
	Attempts   int
	RequestID  string
	HTTPStatus int
	Code       string
	Latency    time.Duration
	Err        error
}

// Observer sees every attempt and every finished operation.
type Observer interface {
	OnAttempt(ctx context.Context, a AttemptInfo)
	OnOperation(ctx context.Context, o OperationInfo)
}

// Starter is an Observer that is also told when an operation starts. The
// context it returns is the one every later observer call of that
// operation gets (a tracing span, say); the request itself keeps the
// caller's context, so no observer can change its deadline.
type Starter interface {
	OnOperationStart(ctx context.Context, product, action string) context.Context
}

// Limiter is a client-side rate limiter consulted before every attempt.
type Limiter interface {
	// Wait blocks until the action may be called, or fails when the
	// context ends first (or would end before a token is available).
	Wait(ctx context.Context, product, action string) error
	// Observe reports how an attempt ended, so that an adaptive limiter can
	// slow an action down when the service throttles it.
	Observe(product, action string, throttled bool)
}

// LogObserver writes the debug records of the SDK: one per attempt and one
// per operation. It is the logging path, built on the observer hooks.
type LogObserver struct{ Logger *slog.Logger }

// OnAttempt logs an attempt at debug level.
func (l LogObserver) OnAttempt(ctx context.Context, a AttemptInfo) {
	if !l.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("product", a.Product),
		slog.String("action", a.Action),
		slog.Int("attempt", a.Attempt),
		slog.Duration("latency", a.Latency),
		slog.Bool("retry", a.Retry),
	}
	if a.HTTPStatus != 0 {
		attrs = append(attrs, slog.Int("status", a.HTTPStatus))
	}
	if a.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", a.RequestID))
	}
	if a.Code != "" {
		attrs = append(attrs, slog.String("code", a.Code))
	}
	if a.Retry {
		attrs = append(attrs, slog.Duration("backoff", a.Backoff))
	}
	if a.Err != nil {
		attrs = append(attrs, slog.String("error", a.Err.Error()))
	}
	l.Logger.LogAttrs(ctx, slog.LevelDebug, "alicloud attempt", attrs...)
}

// OnOperation logs a finished operation at debug level.
func (l LogObserver) OnOperation(ctx context.Context, o OperationInfo) {
	if !l.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("product", o.Product),
		slog.String("action", o.Action),
		slog.Int("attempts", o.Attempts),
		slog.Duration("latency", o.Latency),
	}
	if o.HTTPStatus != 0 {
		attrs = append(attrs, slog.Int("status", o.HTTPStatus))
	}
	if o.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", o.RequestID))
	}
	if o.Code != "" {
		attrs = append(attrs, slog.String("code", o.Code))
	}
	if o.Err != nil {
		attrs = append(attrs, slog.String("error", o.Err.Error()))
	}
	l.Logger.LogAttrs(ctx, slog.LevelDebug, "alicloud operation", attrs...)
}
