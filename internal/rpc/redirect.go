package rpc

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ErrRedirected is the cause (errors.Is) of the error for a reply that is a
// redirect, or that came from another place after one. Alibaba Cloud's RPC
// APIs never redirect, so such a reply is not the service's answer.
var ErrRedirected = errors.New("redirect refused")

// RedirectError describes a refused redirect. It names the other host and
// never the rest of its URL: a hostile Location may echo the signed query.
type RedirectError struct {
	// Status is the redirect's HTTP status (301, 302, 307...).
	Status int
	// Host is the host the redirect pointed at ("" when the Location
	// header is missing or unreadable).
	Host string
	// Followed is set when a caller's HTTP client followed the redirect:
	// the reply came from Host and is not used.
	Followed bool
}

func (e *RedirectError) Error() string {
	host := e.Host
	if host == "" {
		host = "an unreadable location"
	}
	if e.Followed {
		return fmt.Sprintf("the reply came from %s after a redirect (HTTP %d) and is refused: the API does not redirect", host, e.Status)
	}
	return fmt.Sprintf("the endpoint redirected to %s (HTTP %d), which was not followed: the API does not redirect", host, e.Status)
}

// Is matches ErrRedirected.
func (e *RedirectError) Is(target error) bool { return target == ErrRedirected }

// redirectOf reports a reply that is a redirect (any 3xx, as the SDK's own
// client hands them back unfollowed) or the end of redirects a caller's
// client followed.
func redirectOf(resp *http.Response) *RedirectError {
	if req := resp.Request; req != nil && req.Response != nil {
		first := req.Response
		for first.Request != nil && first.Request.Response != nil {
			first = first.Request.Response
		}
		return &RedirectError{Status: first.StatusCode, Host: hostOf(req.URL), Followed: true}
	}
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return nil
	}
	var from *url.URL
	if resp.Request != nil {
		from = resp.Request.URL
	}
	return redirectAt(resp, from)
}

// redirectAt describes the 3xx reply resp to a request for from.
func redirectAt(resp *http.Response, from *url.URL) *RedirectError {
	e := &RedirectError{Status: resp.StatusCode}
	if loc := resp.Header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			e.Host = hostOf(u)
			if e.Host == "" {
				e.Host = hostOf(from) // a relative Location
			}
		}
	}
	return e
}

// hostOf is the host (and port) of u, bounded so that a hostile header
// cannot fill an error message.
func hostOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	h := u.Host
	if len(h) > 255 {
		h = h[:255]
	}
	return h
}
