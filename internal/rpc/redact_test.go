package rpc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const signedURL = "https://resourcemanager.aliyuncs.com/?AccessKeyId=LTAI-key&Action=GetAccount" +
	"&SecurityToken=sts-token&Signature=c2lnbmF0dXJl&SignatureNonce=1"

func TestRedactReachesEveryCause(t *testing.T) {
	opErr := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	urlErr := &url.Error{Op: "Post", URL: signedURL, Err: opErr}
	tests := []struct {
		name string
		err  error
	}{
		{"url error", urlErr},
		{"wrapped", fmt.Errorf("attempt 2: %w", urlErr)},
		{"joined with the deadline", errors.Join(context.DeadlineExceeded, fmt.Errorf("send: %w", urlErr))},
		{"url error inside a url error", &url.Error{Op: "Post", URL: signedURL, Err: fmt.Errorf("proxy for %s: %w", signedURL, opErr)}},
		{"signed text in a leaf", errors.New("bad request to " + signedURL)},
		{"multi-wrap", fmt.Errorf("%w and %w", urlErr, context.Canceled)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redact(tt.err)
			for _, e := range chain(got) {
				for _, s := range []string{e.Error(), fmt.Sprintf("%#v", e)} {
					for _, secret := range []string{"LTAI-key", "sts-token", "c2lnbmF0dXJl", "Signature="} {
						assert.NotContains(t, s, secret)
					}
				}
				if ue, ok := e.(*url.Error); ok {
					assert.Equal(t, "https://resourcemanager.aliyuncs.com/", ue.URL)
				}
			}
			// What a caller matches on survives.
			for _, target := range []error{context.DeadlineExceeded, context.Canceled, syscall.ECONNRESET} {
				assert.Equal(t, errors.Is(tt.err, target), errors.Is(got, target), "errors.Is %v", target)
			}
			var ne *net.OpError
			assert.Equal(t, errors.As(tt.err, &ne), errors.As(got, &ne))
		})
	}
}

func TestRedactLeavesCleanErrorsAlone(t *testing.T) {
	clean := fmt.Errorf("dial: %w", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED})
	require.Same(t, clean, redact(clean))
	assert.NoError(t, redactErr(nil))
}

// chain is every error reachable from err through Unwrap, errors.Join
// included.
func chain(err error) []error {
	if err == nil {
		return nil
	}
	out := []error{err}
	switch e := err.(type) {
	case interface{ Unwrap() []error }:
		for _, c := range e.Unwrap() {
			out = append(out, chain(c)...)
		}
	case interface{ Unwrap() error }:
		out = append(out, chain(e.Unwrap())...)
	}
	return out
}
