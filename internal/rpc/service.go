// Package rpc is the one pipeline every operation goes through: validate,
// encode, resolve the endpoint, sign, send with retries, then decode the
// reply or map the error. Product packages hand it a typed request and a
// response to fill; they never talk HTTP themselves.
//
// The package depends on nothing of the public alicloud package, so that the
// public package can use it too (for example to call STS while resolving
// credentials); the product packages translate its error types into the
// public ones.
package rpc

import (
	"fmt"
	"net/url"
	"strings"
)

// Service describes one product's API.
type Service struct {
	// Product is the product code as the API names it, e.g. "ResourceSharing".
	Product string
	// Version is the API version, e.g. "2020-01-10".
	Version string
	// EndpointPrefix is the first label of the product's host names,
	// e.g. "resourcesharing".
	EndpointPrefix string
	// Regional products live at <prefix>.<region>.aliyuncs.com and receive
	// RegionId; central ones at <prefix>.aliyuncs.com.
	Regional bool
	// EndpointMap overrides the host for particular regions.
	EndpointMap map[string]string
}

// Operation describes one API action.
type Operation struct {
	Name string
	// ReadOnly operations change nothing, so a request whose outcome is
	// unknown (the connection broke after it was sent, a 500 reply) may be
	// retried safely. Writes are retried only when the service certainly did
	// not act on them.
	ReadOnly bool
	// Anonymous operations are sent unsigned.
	Anonymous bool
	// FormBody sends the parameters in an application/x-www-form-urlencoded
	// body instead of the query string: for values too long or too
	// sensitive for a URL, such as an OIDC token.
	FormBody bool
}

// ResolveEndpoint returns the base URL (scheme and host, no path) for a
// region, honouring an explicit endpoint. An endpoint without a scheme is a
// host reached over HTTPS.
func (s *Service) ResolveEndpoint(region, endpoint string) (*url.URL, error) {
	if endpoint != "" {
		raw := endpoint
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("invalid endpoint %q: %w", endpoint, err)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, fmt.Errorf("invalid endpoint %q: scheme must be http or https", endpoint)
		}
		if u.Host == "" {
			return nil, fmt.Errorf("invalid endpoint %q: no host", endpoint)
		}
		return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}, nil
	}
	if host, ok := s.EndpointMap[region]; ok {
		return &url.URL{Scheme: "https", Host: host}, nil
	}
	if !s.Regional {
		return &url.URL{Scheme: "https", Host: s.EndpointPrefix + ".aliyuncs.com"}, nil
	}
	if region == "" {
		return nil, fmt.Errorf("%s is a regional product: set Config.Region or Config.Endpoint", s.Product)
	}
	if !validRegion(region) {
		return nil, fmt.Errorf("invalid region %q", region)
	}
	return &url.URL{Scheme: "https", Host: s.EndpointPrefix + "." + region + ".aliyuncs.com"}, nil
}

// validRegion keeps a typo such as "cn hangzhou" or "evil.com/x" from
// becoming part of a host name.
func validRegion(r string) bool {
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
