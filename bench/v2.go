package bench

import (
	"bytes"
	"io"
	"net/http"
	"net/url"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// V2 calls ListResourceShareInvitations through
// github.com/alibabacloud-go/darabonba-openapi/v2's Client.CallApi, with
// the Params and the query map the generated ResourceSharing client builds
// (RPC style, POST, formData request body type, json response), then
// converts the map it returns into a typed model with dara.Convert, as the
// generated client does.
//
// Configuration: AccessKeyId/AccessKeySecret, RegionId, Endpoint = the
// server's host:port, Protocol "http", and SignatureAlgorithm "v2". The
// last one matters: with it unset CallApi takes the Execute/DoRequest path
// and signs with ACS3-HMAC-SHA256 in an Authorization header; "v2" selects
// DoRPCRequest, which sends the RPC HMAC-SHA1 signature (SignatureMethod
// HMAC-SHA1, SignatureVersion 1.0, Signature in the query). Everything
// else is default: no retries (RetryOptions nil), the library's pooled
// http.Client with its own http.Transport (default MaxIdleConnsPerHost).
type V2 struct {
	c *openapi.Client
}

// V2Config is the configuration described on V2. algorithm "" leaves the
// library's default signature.
func V2Config(host, algorithm string) *openapiutil.Config {
	cfg := &openapiutil.Config{
		AccessKeyId:     dara.String(AccessKeyID),
		AccessKeySecret: dara.String(AccessKeySecret),
		RegionId:        dara.String(Region),
		Endpoint:        dara.String(host),
		Protocol:        dara.String("http"),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	return cfg
}

// NewV2 returns the v2 client for the server at host (host:port).
func NewV2(host string) (*V2, error) {
	return NewV2WithConfig(V2Config(host, "v2"))
}

// NewV2WithConfig returns a v2 client with a custom configuration.
func NewV2WithConfig(cfg *openapiutil.Config) (*V2, error) {
	c, err := openapi.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return &V2{c: c}, nil
}

// V2Response has the shape of the generated v2 model
// (ListResourceShareInvitationsResponse): headers, status code and a body
// of pointer fields.
type V2Response struct {
	Headers    map[string]*string `json:"headers,omitempty"`
	StatusCode *int32             `json:"statusCode,omitempty"`
	Body       *V2Body            `json:"body,omitempty"`
}

// V2Body is the generated model's body.
type V2Body struct {
	NextToken                *string         `json:"NextToken,omitempty"`
	RequestId                *string         `json:"RequestId,omitempty"`
	ResourceShareInvitations []*V2Invitation `json:"ResourceShareInvitations,omitempty"`
}

// V2Invitation is one invitation in the generated model's shape.
type V2Invitation struct {
	CreateTime                *string            `json:"CreateTime,omitempty"`
	InvitationFailedDetails   []*V2FailedDetails `json:"InvitationFailedDetails,omitempty"`
	ReceiverAccountId         *string            `json:"ReceiverAccountId,omitempty"`
	ResourceShareId           *string            `json:"ResourceShareId,omitempty"`
	ResourceShareInvitationId *string            `json:"ResourceShareInvitationId,omitempty"`
	ResourceShareName         *string            `json:"ResourceShareName,omitempty"`
	SenderAccountId           *string            `json:"SenderAccountId,omitempty"`
	Status                    *string            `json:"Status,omitempty"`
}

// V2FailedDetails is one InvitationFailedDetails element.
type V2FailedDetails struct {
	AssociateType      *string `json:"AssociateType,omitempty"`
	FailureDescription *string `json:"FailureDescription,omitempty"`
	FailureReason      *string `json:"FailureReason,omitempty"`
	OperationType      *string `json:"OperationType,omitempty"`
	ResourceArn        *string `json:"ResourceArn,omitempty"`
	ResourceId         *string `json:"ResourceId,omitempty"`
	ResourceType       *string `json:"ResourceType,omitempty"`
	Status             *string `json:"Status,omitempty"`
	StatusMessage      *string `json:"StatusMessage,omitempty"`
}

func v2Params() *openapiutil.Params {
	return &openapiutil.Params{
		Action:      dara.String("ListResourceShareInvitations"),
		Version:     dara.String("2020-01-10"),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
}

func v2Query(maxResults int, token string) map[string]interface{} {
	q := map[string]interface{}{}
	if maxResults > 0 {
		q["MaxResults"] = dara.Int32(int32(maxResults))
	}
	if token != "" {
		q["NextToken"] = dara.String(token)
	}
	return q
}

// List sends one call the way the generated client's
// ListResourceShareInvitationsWithOptions does.
func (c *V2) List(maxResults int, token string) (*V2Response, error) {
	req := &openapiutil.OpenApiRequest{Query: openapiutil.Query(v2Query(maxResults, token))}
	runtime := &dara.RuntimeOptions{}
	m, err := c.c.CallApi(v2Params(), req, runtime)
	if err != nil {
		return nil, err
	}
	out := &V2Response{}
	if err := dara.Convert(m, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// V2Sign performs what DoRPCRequest does to sign one attempt: merge the
// common parameters (fresh timestamp and nonce) with the request's query,
// add the signature parameters, GetRPCSignature over query and body, then
// render the query the way dara.DoRequest does (url.Values.Encode).
func V2Sign(maxResults int, token string) string {
	req := &openapiutil.OpenApiRequest{Query: openapiutil.Query(v2Query(maxResults, token))}
	query := dara.Merge(map[string]*string{
		"Action":         dara.String("ListResourceShareInvitations"),
		"Format":         dara.String("json"),
		"Version":        dara.String("2020-01-10"),
		"Timestamp":      openapiutil.GetTimestamp(),
		"SignatureNonce": openapiutil.GetNonce(),
	}, req.Query)
	query["SignatureMethod"] = dara.String("HMAC-SHA1")
	query["SignatureVersion"] = dara.String("1.0")
	query["AccessKeyId"] = dara.String(AccessKeyID)
	var body map[string]interface{}
	signed := dara.Merge(query, openapiutil.Query(body))
	query["Signature"] = openapiutil.GetRPCSignature(signed, dara.String("POST"), dara.String(AccessKeySecret))
	q := url.Values{}
	for k, v := range query {
		q.Add(k, dara.StringValue(v))
	}
	return q.Encode()
}

// V2Decode is v2's decoding path for a json reply: dara.ReadAsJSON into a
// map (in DoRPCRequest), then dara.Convert into the generated model (in
// the generated client).
func V2Decode(body []byte) (*V2Response, error) {
	obj, err := dara.ReadAsJSON(io.NopCloser(bytes.NewReader(body)))
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{
		"body":       dara.ToMap(obj),
		"headers":    map[string]*string{"content-type": dara.String("application/json;charset=utf-8")},
		"statusCode": http.StatusOK,
	}
	out := &V2Response{}
	if err := dara.Convert(m, &out); err != nil {
		return nil, err
	}
	return out, nil
}
