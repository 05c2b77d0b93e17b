package bench

import (
	"bytes"
	"io"
	"net/http"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	v1rs "github.com/aliyun/alibaba-cloud-sdk-go/services/resourcesharing"
)

// V1 is github.com/aliyun/alibaba-cloud-sdk-go's generated ResourceSharing
// client. Configuration: NewClientWithAccessKey(Region, id, secret) with
// the SDK's defaults (its own http.Client and transport, AutoRetry off, 10s
// read and 5s connect timeouts), and on every request an explicit Domain
// (the server's host:port) and Scheme "HTTP", so that no endpoint lookup
// runs.
type V1 struct {
	c    *v1rs.Client
	host string
}

// NewV1 returns the v1 client for the server at host (host:port).
func NewV1(host string) (*V1, error) {
	c, err := v1rs.NewClientWithAccessKey(Region, AccessKeyID, AccessKeySecret)
	if err != nil {
		return nil, err
	}
	return &V1{c: c, host: host}, nil
}

// Request builds a request the way a caller of the generated client does.
func (c *V1) Request(maxResults int, token string) *v1rs.ListResourceShareInvitationsRequest {
	req := v1rs.CreateListResourceShareInvitationsRequest()
	req.Domain = c.host
	req.Scheme = requests.HTTP
	if maxResults > 0 {
		req.MaxResults = requests.NewInteger(maxResults)
	}
	req.NextToken = token
	return req
}

// List sends one call.
func (c *V1) List(maxResults int, token string) (*v1rs.ListResourceShareInvitationsResponse, error) {
	return c.c.ListResourceShareInvitations(c.Request(maxResults, token))
}

// V1Signer signs requests with v1's own signing code.
type V1Signer struct {
	provider credentials.CredentialsProvider
	host     string
}

// NewV1Signer returns a signer with the same static access key the client
// uses.
func NewV1Signer(host string) (*V1Signer, error) {
	p, err := auth.ToCredentialsProvider(credentials.NewAccessKeyCredential(AccessKeyID, AccessKeySecret))
	if err != nil {
		return nil, err
	}
	return &V1Signer{provider: p, host: host}, nil
}

// Sign performs what v1's client does to sign one attempt (the signing part
// of Client.buildRequestWithSigner): build the request, flatten its fields
// (requests.InitParams), sign (auth.Sign) and render the signed URL.
func (s *V1Signer) Sign(maxResults int, token string) (string, error) {
	req := v1rs.CreateListResourceShareInvitationsRequest()
	req.Domain = s.host
	req.Scheme = requests.HTTP
	req.MaxResults = requests.NewInteger(maxResults)
	req.NextToken = token
	if err := requests.InitParams(req); err != nil {
		return "", err
	}
	if err := auth.Sign(req, nil, Region, s.provider); err != nil {
		return "", err
	}
	return req.BuildUrl(), nil
}

// V1Decode is v1's decoding path: responses.Unmarshal over an
// *http.Response (it reads the body, keeps it as bytes and as a string, and
// decodes with its jsoniter configuration).
func V1Decode(body []byte) (*v1rs.ListResourceShareInvitationsResponse, error) {
	out := v1rs.CreateListResourceShareInvitationsResponse()
	resp := &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json;charset=utf-8"}},
		Body:       io.NopCloser(bytes.NewReader(body)),
	}
	if err := responses.Unmarshal(out, resp, "JSON"); err != nil {
		return nil, err
	}
	return out, nil
}
