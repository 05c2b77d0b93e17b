package alicloud

import (
	"errors"
	"fmt"
	"strings"

	"github.com/resourcekit/alicloud/internal/paginate"
	"github.com/resourcekit/alicloud/internal/rpc"
)

// ErrorCode is a documented service error code such as
// "InvitationStatus.Expired". Every documented code is a constant of this
// type, in package alicloud for codes that all products share and in the
// product package otherwise, so that callers branch with errors.Is:
//
//	if errors.Is(err, resourcesharing.ErrInvitationStatusExpired) { ... }
//
// errors.Is matches both errors the service returned and the same faults
// found by client-side validation.
type ErrorCode string

// Error returns the code itself.
func (c ErrorCode) Error() string { return string(c) }

// ErrInvalidInput matches (with errors.Is) every error that client-side
// validation returns, whatever its documented code.
var ErrInvalidInput = errors.New("invalid input")

// APIError is an error reply from the service. errors.Is(err, code) is true
// exactly when Code equals the ErrorCode.
type APIError struct {
	// Product and Operation name the call that failed, e.g. "ResourceSharing"
	// and "AcceptResourceShareInvitation".
	Product   string
	Operation string

	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
	HostID     string
	Recommend  string

	// Attempts is how many tries were made, retries included.
	Attempts int

	// AccessDeniedDetail explains a permission failure, when the service
	// sent one.
	AccessDeniedDetail *AccessDeniedDetail
}

// AccessDeniedDetail is the service's account of why a caller was denied:
// which action, which principal, and which kind of policy was missing.
type AccessDeniedDetail struct {
	AuthAction               string
	AuthPrincipalType        string
	AuthPrincipalOwnerId     string
	AuthPrincipalDisplayName string
	NoPermissionType         string
	PolicyType               string
	EncodedDiagnosticMessage string
}

// Error formats the reply with enough context to act on it.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(strings.ToLower(e.Product))
	b.WriteString(": ")
	b.WriteString(e.Operation)
	fmt.Fprintf(&b, ": HTTP %d %s: %s", e.HTTPStatus, e.Code, e.Message)
	if e.RequestID != "" {
		b.WriteString(" (RequestId ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	// The service's advice (a diagnosis link, or the emulator's explanation)
	// is often the one useful hint; leaving it to errors.As hides it in logs.
	if e.Recommend != "" {
		b.WriteString("; recommend: ")
		b.WriteString(e.Recommend)
	}
	return b.String()
}

// Is reports whether target is the ErrorCode of this reply.
func (e *APIError) Is(target error) bool {
	c, ok := target.(ErrorCode)
	return ok && string(c) == e.Code
}

// ValidationError is an invalid request found before anything was sent.
// Where the service documents a code for the same fault, Code holds it, so
// errors.Is matches the same constant whether the client or the server
// caught the mistake. It also matches ErrInvalidInput.
type ValidationError struct {
	Operation string
	// Field is the parameter's documented name, with its position for list
	// members ("Resources.2.ResourceType").
	Field string
	// Reason says what is wrong, in words.
	Reason string
	// Code is the documented error code for this fault.
	Code ErrorCode
}

// Error names the operation, the field and the problem.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: invalid %s: %s (%s)", e.Operation, e.Field, e.Reason, e.Code)
}

// Is matches ErrInvalidInput and the documented code.
func (e *ValidationError) Is(target error) bool {
	if target == ErrInvalidInput {
		return true
	}
	c, ok := target.(ErrorCode)
	return ok && c == e.Code
}

// ResponseError is a reply that could not be understood: not JSON (a
// gateway's HTML page), truncated, too large, or of the wrong shape. It says
// what arrived, with a short excerpt of the body.
type ResponseError struct {
	Product    string
	Operation  string
	HTTPStatus int
	// ContentType is the reply's Content-Type header.
	ContentType string
	RequestID   string
	// Excerpt is the start of the body, at most a few hundred bytes.
	Excerpt string
	// Attempts is how many tries were made.
	Attempts int
	// Err is the decoding failure; ErrResponseTooLarge for an oversized body.
	Err error
}

// Error describes the reply.
func (e *ResponseError) Error() string {
	msg := fmt.Sprintf("%s: %s: unexpected reply (HTTP %d", strings.ToLower(e.Product), e.Operation, e.HTTPStatus)
	if e.ContentType != "" {
		msg += ", " + e.ContentType
	}
	msg += ")"
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Excerpt != "" {
		msg += fmt.Sprintf("; body starts %q", e.Excerpt)
	}
	return msg
}

// Unwrap returns the decoding failure.
func (e *ResponseError) Unwrap() error { return e.Err }

// OperationError is a failure that is neither a service reply nor invalid
// input: the connection failed, the context ended, or the credentials could
// not be retrieved. It unwraps to the cause, so errors.Is(err,
// context.DeadlineExceeded) works.
type OperationError struct {
	Product   string
	Operation string
	// Attempts is how many tries were made before giving up.
	Attempts int
	Err      error
}

// Error names the operation and the cause.
func (e *OperationError) Error() string {
	s := fmt.Sprintf("%s: %s", strings.ToLower(e.Product), e.Operation)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *OperationError) Unwrap() error { return e.Err }

// IsBusy reports whether err is a service reply saying that the target is
// in the middle of another operation (ConcurrentCallNotSupported,
// AssociateConflict, DeleteResourceShareConflict...). Read-only calls are
// retried on such replies; for a write, seeing one means it was not carried
// out and may be sent again once the other operation finishes.
func IsBusy(err error) bool {
	var e *APIError
	return errors.As(err, &e) && rpc.IsBusyCode(e.Code)
}

// IsThrottling reports whether err is a service reply asking the caller to
// slow down (LimitExceeded.Frequency, Throttling, Throttling.User,
// Throttling.Api). Such calls were retried already; seeing one means the
// retries ran out.
func IsThrottling(err error) bool {
	var e *APIError
	return errors.As(err, &e) && rpc.IsThrottlingCode(e.Code)
}

// ErrResponseTooLarge is the cause (errors.Is) of a ResponseError for a
// reply body over the size limit (16 MiB).
var ErrResponseTooLarge = rpc.ErrBodyTooLarge

// ErrRedirected is the cause (errors.Is) of a ResponseError for a reply that
// is a redirect, or that a Config.HTTPClient fetched from elsewhere by
// following one. Alibaba Cloud's RPC APIs never redirect: the SDK's own
// client follows nothing, sends nothing to the other host, does not retry,
// and the error names the other host only (never the rest of its URL). A
// client of yours keeps its redirect policy, but the next hop never gets a
// Referer nor, on another host, the signature's headers, and the reply it
// brings back is refused.
var ErrRedirected = rpc.ErrRedirected

// ErrRepeatedToken is returned by the Pages and All iterators when the
// service hands back a NextToken it returned before: following it would
// loop forever.
var ErrRepeatedToken = paginate.ErrRepeatedToken

// ErrNoProgress is returned by the Pages and All iterators (and the list
// waiters) when MaxStalePages pages in a row brought nothing new: no items,
// or the very items of the page before. It guards against a service that
// hands out a fresh NextToken with every empty page or ignores PageNumber.
var ErrNoProgress = paginate.ErrNoProgress

// MaxStalePages is how many pages in a row may bring nothing new before an
// iterator stops with ErrNoProgress.
const MaxStalePages = paginate.MaxStalePages
