package alicloud

import (
	"context"
	"time"
)

// Hook observes every operation and every attempt of the clients it is
// given to (Config.Hooks, or an option for one client or one call). It is
// enough to build tracing spans and metrics on; the SDK's own debug logging
// is one such hook. Hooks see no URL, header, signature or credential.
// Implementations must be safe for concurrent use and should return quickly.
type Hook interface {
	OnAttempt(ctx context.Context, a AttemptInfo)
	OnOperation(ctx context.Context, o OperationInfo)
}

// OperationStartHook is a Hook that is also told when each operation
// starts, before its first attempt. The context it returns is the one the
// hook's OnAttempt and OnOperation calls for that operation receive, which
// is how a tracing hook makes its attempt spans children of the operation's
// span. The request itself keeps the caller's context: a hook cannot change
// its deadline or cancel it. Returning nil keeps the context given.
type OperationStartHook interface {
	Hook
	OnOperationStart(ctx context.Context, o OperationStartInfo) context.Context
}

// OperationStartInfo names an operation that is starting.
type OperationStartInfo struct {
	Product string // "ResourceManager"
	Action  string // "ListAccounts"
}

// AttemptInfo describes one attempt (one HTTP round trip) of an operation.
type AttemptInfo struct {
	Product    string // "ResourceSharing"
	Action     string // "ListResourceShareInvitations"
	Attempt    int    // 1 for the first try
	RequestID  string
	HTTPStatus int // 0 when no reply arrived
	Code       string
	Latency    time.Duration
	Err        error // transport failure, if any (redacted)
	// Retry says whether another attempt follows after Backoff.
	Retry   bool
	Backoff time.Duration
}

// OperationInfo describes a finished operation, retries included.
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

// HookFuncs adapts plain functions to Hook; a nil field is skipped.
type HookFuncs struct {
	Attempt   func(ctx context.Context, a AttemptInfo)
	Operation func(ctx context.Context, o OperationInfo)
}

// OnAttempt calls f.Attempt.
func (f HookFuncs) OnAttempt(ctx context.Context, a AttemptInfo) {
	if f.Attempt != nil {
		f.Attempt(ctx, a)
	}
}

// OnOperation calls f.Operation.
func (f HookFuncs) OnOperation(ctx context.Context, o OperationInfo) {
	if f.Operation != nil {
		f.Operation(ctx, o)
	}
}
