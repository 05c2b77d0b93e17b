package alicloud

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// credNoReplyError is a request that got no HTTP reply at all.
type credNoReplyError struct{ err error }

func (e *credNoReplyError) Error() string { return e.err.Error() }
func (e *credNoReplyError) Unwrap() error { return e.err }

// credDo sends req and reads at most limit bytes of the reply. A request
// that got no reply fails with *credNoReplyError.
//
// Redirects are never followed, whoever built the client: a credential
// endpoint that redirects could hand a token, a signed form or the
// credentials it returns to another host. A 3xx is an error naming the
// other host only.
func credDo(client *http.Client, req *http.Request, limit int64) (int, []byte, error) {
	noFollow := *client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		return 0, nil, &credNoReplyError{err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		host := "?"
		if loc, err := url.Parse(resp.Header.Get("Location")); err == nil {
			host = loc.Host
		}
		return resp.StatusCode, nil, fmt.Errorf("refused a redirect (HTTP %d) to host %q: credential endpoints do not redirect", resp.StatusCode, host)
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading the reply: %w", err)
	}
	if n > limit {
		return resp.StatusCode, nil, fmt.Errorf("reply is larger than %d bytes", limit)
	}
	return resp.StatusCode, buf.Bytes(), nil
}

// credIsNoReply reports whether err is a request that got no reply.
func credIsNoReply(err error) bool {
	var e *credNoReplyError
	return errors.As(err, &e)
}
