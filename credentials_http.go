package alicloud

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// credNoReplyError is a request that got no HTTP reply at all.
type credNoReplyError struct{ err error }

func (e *credNoReplyError) Error() string { return e.err.Error() }
func (e *credNoReplyError) Unwrap() error { return e.err }

// credDo sends req and reads at most limit bytes of the reply. A request
// that got no reply fails with *credNoReplyError.
func credDo(client *http.Client, req *http.Request, limit int64) (int, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, &credNoReplyError{err: err}
	}
	defer resp.Body.Close()
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
