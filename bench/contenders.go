package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// Contender is one client under test, reduced to the operations the
// benchmarks run. Each function does what a caller of that client writes;
// the adapters only count items.
type Contender struct {
	Name string
	// List makes one call and returns the number of items and the next token.
	List func(ctx context.Context, maxResults int, token string) (int, string, error)
	// Paginate lists every item from the start token on (the whole data
	// set for "") with pages of pageSize and returns the count. probe, when
	// not nil, is called after each complete page with the number of pages
	// consumed.
	Paginate func(ctx context.Context, pageSize int, start string, probe func(pages int)) (int, error)
	// Sign signs one ListResourceShareInvitations call with its own
	// signing code and returns the signed query or URL.
	Sign func(ctx context.Context, maxResults int, token string) (string, error)
	// Decode decodes a reply body with its own decoding path.
	Decode func(body []byte) (int, error)
}

// Contenders returns the four clients, wired to srv, in table order.
func Contenders(srv Endpoint) ([]Contender, error) {
	return newContenders(srv.BaseURL(), srv.Host(), nil)
}

// LocalContenders returns the four clients with every HTTP round trip
// answered by rt instead of a server: the clients' own cost without the
// network. Each is given rt through its documented hook (raw and sdk an
// http.Client, v1 SetTransport, v2 Config.HttpClient).
func LocalContenders(rt http.RoundTripper) ([]Contender, error) {
	return newContenders("http://127.0.0.1:9", "127.0.0.1:9", rt)
}

func newContenders(baseURL, host string, rt http.RoundTripper) ([]Contender, error) {
	raw := NewRaw(baseURL)
	var sdk *resourcesharing.Client
	if rt == nil {
		sdk = NewSDK(baseURL)
	} else {
		raw.hc = &http.Client{Transport: rt}
		sdk = NewSDK(baseURL, resourcesharing.WithHTTPClient(&http.Client{Transport: rt}))
	}
	sdkCreds := alicloud.NewStaticCredentials(AccessKeyID, AccessKeySecret, "")
	v1, err := NewV1(host)
	if err != nil {
		return nil, err
	}
	v1s, err := NewV1Signer(host)
	if err != nil {
		return nil, err
	}
	cfg := V2Config(host, "v2")
	if rt != nil {
		v1.c.SetTransport(rt)
		cfg.HttpClient = daraClient{&http.Client{Transport: rt}}
	}
	v2, err := NewV2WithConfig(cfg)
	if err != nil {
		return nil, err
	}
	cs := []Contender{
		{
			Name: "raw",
			List: func(ctx context.Context, max int, tok string) (int, string, error) {
				p, err := raw.List(ctx, max, tok)
				if err != nil {
					return 0, "", err
				}
				return len(p.ResourceShareInvitations), p.NextToken, nil
			},
			Sign: func(_ context.Context, max int, tok string) (string, error) {
				return raw.SignedQuery(max, tok), nil
			},
			Decode: func(body []byte) (int, error) {
				p, err := RawDecode(body)
				if err != nil {
					return 0, err
				}
				return len(p.ResourceShareInvitations), nil
			},
		},
		{
			Name: "sdk",
			List: func(ctx context.Context, max int, tok string) (int, string, error) {
				out, err := sdk.ListResourceShareInvitations(ctx, &resourcesharing.ListResourceShareInvitationsRequest{
					MaxResults: int32(max), NextToken: tok,
				})
				if err != nil {
					return 0, "", err
				}
				return len(out.ResourceShareInvitations), out.NextToken, nil
			},
			Paginate: func(ctx context.Context, size int, tok string, probe func(int)) (int, error) {
				n := 0
				req := &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: int32(size), NextToken: tok}
				for _, err := range sdk.ListResourceShareInvitationsAll(ctx, req) {
					if err != nil {
						return n, err
					}
					n++
					if probe != nil && n%size == 0 {
						probe(n / size)
					}
				}
				return n, nil
			},
			Sign: func(ctx context.Context, max int, tok string) (string, error) {
				return SDKSign(ctx, sdkCreds, &resourcesharing.ListResourceShareInvitationsRequest{
					MaxResults: int32(max), NextToken: tok,
				})
			},
			Decode: func(body []byte) (int, error) {
				out, err := SDKDecode(body)
				if err != nil {
					return 0, err
				}
				return len(out.ResourceShareInvitations), nil
			},
		},
		{
			Name: "v1",
			List: func(_ context.Context, max int, tok string) (int, string, error) {
				out, err := v1.List(max, tok)
				if err != nil {
					return 0, "", err
				}
				return len(out.ResourceShareInvitations), out.NextToken, nil
			},
			Sign: func(_ context.Context, max int, tok string) (string, error) {
				return v1s.Sign(max, tok)
			},
			Decode: func(body []byte) (int, error) {
				out, err := V1Decode(body)
				if err != nil {
					return 0, err
				}
				return len(out.ResourceShareInvitations), nil
			},
		},
		{
			Name: "v2",
			List: func(_ context.Context, max int, tok string) (int, string, error) {
				out, err := v2.List(max, tok)
				if err != nil {
					return 0, "", err
				}
				return v2Count(out)
			},
			Sign: func(_ context.Context, max int, tok string) (string, error) {
				return V2Sign(max, tok), nil
			},
			Decode: func(body []byte) (int, error) {
				out, err := V2Decode(body)
				if err != nil {
					return 0, err
				}
				n, _, err := v2Count(out)
				return n, err
			},
		},
	}
	for i := range cs {
		if cs[i].Paginate == nil {
			cs[i].Paginate = tokenLoop(cs[i].List)
		}
	}
	return cs, nil
}

// tokenLoop is the NextToken loop a caller of a client without iterators
// writes by hand: call, count, follow the token until it is empty.
func tokenLoop(list func(ctx context.Context, maxResults int, token string) (int, string, error)) func(context.Context, int, string, func(int)) (int, error) {
	return func(ctx context.Context, size int, tok string, probe func(int)) (int, error) {
		n, pages := 0, 0
		for {
			got, next, err := list(ctx, size, tok)
			if err != nil {
				return n, err
			}
			n += got
			pages++
			if probe != nil {
				probe(pages)
			}
			if tok = next; tok == "" {
				return n, nil
			}
		}
	}
}

// WithSDKLoop returns cs with one more contender after "sdk": "sdk-loop",
// the SDK driven by the NextToken loop the official clients' users write
// (one ListResourceShareInvitations call per page). Paginate/sdk against
// Paginate/sdk-loop is the cost of the All iterator over the sum of its
// page calls.
func WithSDKLoop(cs []Contender) []Contender {
	var out []Contender
	for _, c := range cs {
		out = append(out, c)
		if c.Name != "sdk" {
			continue
		}
		loop := c
		loop.Name = "sdk-loop"
		loop.Paginate = tokenLoop(c.List)
		out = append(out, loop)
	}
	return out
}

func v2Count(out *V2Response) (int, string, error) {
	if out.Body == nil {
		return 0, "", errors.New("v2: reply without a body")
	}
	if out.StatusCode == nil || *out.StatusCode != 200 {
		return 0, "", fmt.Errorf("v2: status %v", out.StatusCode)
	}
	tok := ""
	if out.Body.NextToken != nil {
		tok = *out.Body.NextToken
	}
	return len(out.Body.ResourceShareInvitations), tok, nil
}

// daraClient is v2's HttpClient hook over a plain http.Client.
type daraClient struct{ hc *http.Client }

func (d daraClient) Call(r *http.Request, _ *http.Transport) (*http.Response, error) {
	return d.hc.Do(r)
}

// Canned is an http.RoundTripper that answers every request with Body, as
// the server would, without a network.
type Canned struct{ Body []byte }

// RoundTrip returns a 200 reply carrying c.Body.
func (c Canned) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json;charset=utf-8"}},
		Body:          io.NopCloser(bytes.NewReader(c.Body)),
		ContentLength: int64(len(c.Body)),
		Request:       r,
	}, nil
}
