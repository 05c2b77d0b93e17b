package bench

import (
	"context"
	"net/http"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/query"
	"github.com/resourcekit/alicloud/internal/signer"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// NewSDK returns this SDK's client for the server at baseURL, configured as
// a user would: region, endpoint URL, static credentials, retries on
// (three attempts; a healthy server gives them nothing to retry) and the
// SDK's own shared transport.
func NewSDK(baseURL string, opts ...resourcesharing.Option) *resourcesharing.Client {
	return resourcesharing.New(alicloud.Config{
		Region:      Region,
		Endpoint:    baseURL,
		Credentials: alicloud.NewStaticCredentials(AccessKeyID, AccessKeySecret, ""),
		Retry:       alicloud.RetryOptions{MaxAttempts: 3},
	}, opts...)
}

// SDKDecode is the SDK's decoding: the generated UnmarshalJSON.
func SDKDecode(body []byte) (*resourcesharing.ListResourceShareInvitationsResponse, error) {
	out := new(resourcesharing.ListResourceShareInvitationsResponse)
	if err := out.UnmarshalJSON(body); err != nil {
		return nil, err
	}
	return out, nil
}

// SDKSign performs what the SDK does to sign one attempt of one call, in
// the order internal/rpc does it (Client.Invoke, call.run, call.sign):
// validate, encode the typed request with go-querystring, add the common
// parameters, fetch credentials, add nonce and timestamp, then
// signer.SignV1With. It is a copy of that sequence, reaching the same internal
// packages; if internal/rpc changes its order, change this too.
func SDKSign(ctx context.Context, creds alicloud.CredentialsProvider, req *resourcesharing.ListResourceShareInvitationsRequest) (string, error) {
	if err := req.Validate(); err != nil {
		return "", err
	}
	params, err := query.Values(req)
	if err != nil {
		return "", err
	}
	if params.Get("RegionId") == "" {
		params.Set("RegionId", Region)
	}
	c, err := creds.Retrieve(ctx)
	if err != nil {
		return "", err
	}
	var common [10]signer.Param
	extra := append(common[:0],
		signer.Param{Key: "Action", Value: "ListResourceShareInvitations"},
		signer.Param{Key: "Version", Value: resourcesharing.ServiceVersion},
		signer.Param{Key: "Format", Value: "JSON"},
		signer.Param{Key: "SignatureMethod", Value: signer.V1Method},
		signer.Param{Key: "SignatureVersion", Value: signer.V1Version},
		signer.Param{Key: "AccessKeyId", Value: c.AccessKeyID},
		signer.Param{Key: "SignatureNonce", Value: signer.Nonce()},
		signer.Param{Key: "Timestamp", Value: signer.Timestamp(time.Now())})
	if c.SecurityToken != "" {
		extra = append(extra, signer.Param{Key: "SecurityToken", Value: c.SecurityToken})
	}
	return signer.SignV1With(http.MethodPost, params, extra, c.AccessKeySecret), nil
}
