package rpc

import (
	"errors"
	"fmt"
)

// ServiceError is an error reply in the service's JSON shape.
type ServiceError struct {
	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
	HostID     string
	Recommend  string
	Attempts   int
	// AccessDenied is set when the service explained a permission failure.
	AccessDenied *AccessDenied
}

func (e *ServiceError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s (RequestId %s)", e.HTTPStatus, e.Code, e.Message, e.RequestID)
}

// BadResponseError is a reply that could not be decoded.
type BadResponseError struct {
	HTTPStatus  int
	ContentType string
	RequestID   string
	Excerpt     string
	Attempts    int
	Err         error
}

func (e *BadResponseError) Error() string {
	return fmt.Sprintf("unexpected reply (HTTP %d %s): %v; body starts %q", e.HTTPStatus, e.ContentType, e.Err, e.Excerpt)
}

func (e *BadResponseError) Unwrap() error { return e.Err }

// TransportError is a failure to get a reply at all: connection errors,
// the context ending, credentials that could not be retrieved.
type TransportError struct {
	Attempts int
	Err      error
}

func (e *TransportError) Error() string { return e.Err.Error() }

func (e *TransportError) Unwrap() error { return e.Err }

// Decoding failures that are not JSON syntax errors.
var (
	ErrBodyTooLarge = errors.New("response body exceeds the size limit")
	ErrEmptyBody    = errors.New("empty response body")
	ErrNoErrorCode  = errors.New("error reply without a Code")
)

// throttlingCodes are the codes every product uses to say "slow down": the
// request was not acted on and may be retried after a pause.
var throttlingCodes = map[string]bool{
	"Throttling":              true,
	"Throttling.User":         true,
	"Throttling.Api":          true,
	"Throttling.API":          true,
	"LimitExceeded.Frequency": true,
}

// IsThrottlingCode reports whether code asks the caller to slow down.
func IsThrottlingCode(code string) bool { return throttlingCodes[code] }

// IsUnavailableCode reports whether code says the service did not act on
// the request because it was unavailable.
func IsUnavailableCode(code string) bool { return code == "ServiceUnavailable" }

// busyCodes say the target is in the middle of another operation: the same
// request may succeed once that finishes.
var busyCodes = map[string]bool{
	"ConcurrentCallNotSupported":          true,
	"AssociateConflict":                   true,
	"DisassociateConflict":                true,
	"DeleteResourceShareConflict":         true,
	"ExternalTargetWithdrawConflict":      true,
	"NotSupport.ResourcePropertyConflict": true,
	"EntityExists.AssociatedTransferTask": true,
	"Conflict.ServiceStatus":              true,
	"Invalid.ResourceGroup.Status":        true,
}

// IsBusyCode reports whether code means "another operation is in progress;
// try again later". Such replies are retried for read-only operations only.
func IsBusyCode(code string) bool { return busyCodes[code] }
