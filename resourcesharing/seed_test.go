package resourcesharing_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/sdktest"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

const (
	testSecret = sdktest.Secret
	endpoint   = "https://resourcesharing.cn-hangzhou.aliyuncs.com/"
)

func newClient(t *testing.T) (*rs.Client, *httpmock.MockTransport) {
	t.Helper()
	cfg, mt := sdktest.Config()
	return rs.New(cfg), mt
}

var (
	params = sdktest.Params
	reply  = sdktest.Reply
	ts     = sdktest.Time
)

// The example replies of the seed reference pages, verbatim.
const (
	acceptExample = `{
  "RequestId": "08F18B04-47CB-5C0E-A6D2-37DEF5C2A961",
  "ResourceShareInvitation": {
    "ResourceShareInvitationId": "i-pMnItMX19fBJ****",
    "ResourceShareId": "rs-ysGRci9z****",
    "ResourceShareName": "example",
    "SenderAccountId": "151266687691****",
    "ReceiverAccountId": "134254031178****",
    "CreateTime": "2022-09-02T06:43:12.353Z",
    "Status": "AcceptFailed",
    "AcceptInvitationFailedDetails": [
      {
        "Status": "None",
        "StatusMessage": "None",
        "AssociateType": "None",
        "ResourceArn": "acs:vpc:cn-shanghai:103755469187****:vswitch/vsw-uf62b11ue4m8oz2di****",
        "ResourceType": "Snapshot",
        "FailureReason": "Unavailable",
        "FailureDescription": "You cannot access the specified resource at this time.",
        "OperationType": "Associate",
        "ResourceId": "s-7xvh46nx5oqlre0wv***"
      }
    ]
  }
}`
	listExample = `{
"NextToken": "TGlzdFJlc291cm****",
"RequestId": "30EC8328-1BDE-51D5-BFAB-039508BD91A1",
"ResourceShareInvitations": [
{
"Status": "Pending",
"CreateTime": "2022-08-18T05:36:45.024Z",
"ResourceShareId": "rs-ysGRci9z****",
"ResourceShareName": "example",
"SenderAccountId": "151266687691****",
"ReceiverAccountId": "134254031178****",
"ResourceShareInvitationId": "i-p6eRytrkjVvM****",
"InvitationFailedDetails": [
{
"Status": "None",
"StatusMessage": "None",
"AssociateType": "None",
"ResourceArn": "acs:vpc:cn-shanghai:103755469187****:vswitch/vsw-uf62b11ue4m8oz2di****",
"ResourceType": "Snapshot",
"FailureReason": "Unavailable",
"FailureDescription": "You cannot access the specified resource at this time.",
"OperationType": "Associate",
"ResourceId": "s-7xvh46nx5oqlre0wv***"
}
]
}
]
}`
	associateExample = `{
"ResourceShareAssociations": [
{
"ResourceShareId": "rs-6GRmdD3X****",
"EntityId": "vsw-bp183p93qs667muql****",
"EntityType": "VSwitch",
"AssociationStatusMessage": "",
"AssociationType": "Resource",
"CreateTime": "2020-12-04T09:40:41.246Z",
"UpdateTime": "2020-12-04T09:40:41.246Z",
"ResourceShareName": "test",
"AssociationStatus": "Associating"
},
{
"ResourceShareId": "rs-6GRmdD3X****",
"EntityId": "172050525300****",
"EntityType": "Account",
"AssociationStatusMessage": "",
"AssociationType": "Target",
"CreateTime": "2020-12-04T09:40:41.250Z",
"UpdateTime": "2020-12-04T09:40:41.250Z",
"ResourceShareName": "test1",
"AssociationStatus": "Associating"
}
],
"RequestId": "111FB84A-60A9-403E-9067-E55D7EE95BD1"
}`
)

// exampleFailedDetails is the failure detail both invitation examples carry.
var exampleFailedDetails = []rs.InvitationFailedDetail{{
	Status:             "None",
	StatusMessage:      "None",
	AssociateType:      "None",
	ResourceArn:        "acs:vpc:cn-shanghai:103755469187****:vswitch/vsw-uf62b11ue4m8oz2di****",
	ResourceType:       "Snapshot",
	FailureReason:      rs.FailureReasonUnavailable,
	FailureDescription: "You cannot access the specified resource at this time.",
	OperationType:      rs.OperationTypeAssociate,
	ResourceId:         "s-7xvh46nx5oqlre0wv***",
}}

func TestAcceptResourceShareInvitationSeed(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{
			"Action":                    {"AcceptResourceShareInvitation"},
			"RegionId":                  {"cn-hangzhou"},
			"ResourceShareInvitationId": {"i-pMnItMX19fBJ****"},
		}, params(t, r))
		return reply(200, acceptExample)(r)
	})
	out, err := c.AcceptResourceShareInvitation(context.Background(), &rs.AcceptResourceShareInvitationRequest{
		ResourceShareInvitationId: "i-pMnItMX19fBJ****",
	})
	require.NoError(t, err)
	assert.Equal(t, &rs.AcceptResourceShareInvitationResponse{
		RequestId: "08F18B04-47CB-5C0E-A6D2-37DEF5C2A961",
		ResourceShareInvitation: rs.ResourceShareInvitation{
			ResourceShareInvitationId:     "i-pMnItMX19fBJ****",
			ResourceShareId:               "rs-ysGRci9z****",
			ResourceShareName:             "example",
			SenderAccountId:               "151266687691****",
			ReceiverAccountId:             "134254031178****",
			CreateTime:                    ts("2022-09-02T06:43:12.353Z"),
			Status:                        rs.InvitationStatusAcceptFailed,
			AcceptInvitationFailedDetails: exampleFailedDetails,
		},
	}, out)
}

func TestListResourceShareInvitationsSeed(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{
			"Action":                       {"ListResourceShareInvitations"},
			"RegionId":                     {"cn-hangzhou"},
			"MaxResults":                   {"20"},
			"NextToken":                    {"TGlzdFJlc291cm****"},
			"ResourceShareIds.1":           {"rs-ysGRci9z****"},
			"ResourceShareIds.2":           {"rs-other****"},
			"ResourceShareInvitationIds.1": {"i-p6eRytrkjVvM****"},
		}, params(t, r))
		return reply(200, listExample)(r)
	})
	out, err := c.ListResourceShareInvitations(context.Background(), &rs.ListResourceShareInvitationsRequest{
		MaxResults:                 20,
		NextToken:                  "TGlzdFJlc291cm****",
		ResourceShareIds:           []string{"rs-ysGRci9z****", "rs-other****"},
		ResourceShareInvitationIds: []string{"i-p6eRytrkjVvM****"},
	})
	require.NoError(t, err)
	assert.Equal(t, &rs.ListResourceShareInvitationsResponse{
		NextToken: "TGlzdFJlc291cm****",
		RequestId: "30EC8328-1BDE-51D5-BFAB-039508BD91A1",
		ResourceShareInvitations: []rs.ResourceShareInvitation{{
			Status:                    rs.InvitationStatusPending,
			CreateTime:                ts("2022-08-18T05:36:45.024Z"),
			ResourceShareId:           "rs-ysGRci9z****",
			ResourceShareName:         "example",
			SenderAccountId:           "151266687691****",
			ReceiverAccountId:         "134254031178****",
			ResourceShareInvitationId: "i-p6eRytrkjVvM****",
			InvitationFailedDetails:   exampleFailedDetails,
		}},
	}, out)
}

func TestAssociateResourceShareSeed(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{
			"Action":                           {"AssociateResourceShare"},
			"RegionId":                         {"cn-hangzhou"},
			"ResourceShareId":                  {"rs-6GRmdD3X****"},
			"Resources.1.ResourceId":           {"vsw-bp183p93qs667muql****"},
			"Resources.1.ResourceType":         {"VSwitch"},
			"Targets.1":                        {"172050525300****"},
			"PermissionNames.1":                {"AliyunRSDefaultPermissionVSwitch"},
			"ResourceArns.1":                   {"acs:vpc:cn-hangzhou:123:vswitch/vsw-1"},
			"ResourceProperties.1.ResourceArn": {"acs:vpc:cn-hangzhou:123:vswitch/vsw-1"},
			"ResourceProperties.1.Property":    {`{"sharePrincipals":true}`},
			"TargetProperties.1.TargetId":      {"172050525300****"},
			"TargetProperties.1.Property":      {`{"timeRange":{"timeRangeType":"timeRange"}}`},
		}, params(t, r))
		return reply(200, associateExample)(r)
	})
	out, err := c.AssociateResourceShare(context.Background(), &rs.AssociateResourceShareRequest{
		ResourceShareId:    "rs-6GRmdD3X****",
		Resources:          []rs.Resource{{ResourceId: "vsw-bp183p93qs667muql****", ResourceType: "VSwitch"}},
		Targets:            []string{"172050525300****"},
		PermissionNames:    []string{"AliyunRSDefaultPermissionVSwitch"},
		ResourceArns:       []string{"acs:vpc:cn-hangzhou:123:vswitch/vsw-1"},
		ResourceProperties: []rs.ResourceProperty{{ResourceArn: "acs:vpc:cn-hangzhou:123:vswitch/vsw-1", Property: `{"sharePrincipals":true}`}},
		TargetProperties:   []rs.TargetProperty{{TargetId: "172050525300****", Property: `{"timeRange":{"timeRangeType":"timeRange"}}`}},
	})
	require.NoError(t, err)
	assert.Equal(t, "111FB84A-60A9-403E-9067-E55D7EE95BD1", out.RequestId)
	require.Len(t, out.ResourceShareAssociations, 2)
	assert.Equal(t, rs.ResourceShareAssociation{
		ResourceShareId:   "rs-6GRmdD3X****",
		EntityId:          "vsw-bp183p93qs667muql****",
		EntityType:        "VSwitch",
		AssociationType:   rs.AssociationTypeResource,
		CreateTime:        ts("2020-12-04T09:40:41.246Z"),
		UpdateTime:        ts("2020-12-04T09:40:41.246Z"),
		ResourceShareName: "test",
		AssociationStatus: rs.AssociationStatusAssociating,
	}, out.ResourceShareAssociations[0])
	assert.Equal(t, rs.AssociationTypeTarget, out.ResourceShareAssociations[1].AssociationType)
	assert.Equal(t, "172050525300****", out.ResourceShareAssociations[1].EntityId)
	assert.Equal(t, ts("2020-12-04T09:40:41.250Z"), out.ResourceShareAssociations[1].CreateTime)
	assert.Equal(t, "test1", out.ResourceShareAssociations[1].ResourceShareName)
}

// seedErrors are the documented codes of the three seed operations of this
// product, as the reference pages list them.
var seedErrors = []struct {
	op      string
	status  int
	code    alicloud.ErrorCode
	message string
}{
	{"AcceptResourceShareInvitation", 400, rs.ErrInvalidParameterResourceShareInvitationId, "The ResourceShareInvitationId is invalid."},
	{"AcceptResourceShareInvitation", 400, rs.ErrMissingParameterResourceShareInvitationId, "You must specify ResourceShareInvitationId."},
	{"AcceptResourceShareInvitation", 409, rs.ErrInvitationStatusExpired, "The resource share invitation status is expired."},
	{"AcceptResourceShareInvitation", 409, rs.ErrEntityNotExistsResourceShareInvitation, "The resource share invitation does not exist in the current account."},
	{"AcceptResourceShareInvitation", 409, rs.ErrInvitationStatusAlreadyRejected, "The resource share invitation status is rejected."},
	{"AcceptResourceShareInvitation", 409, rs.ErrInvitationStatusAlreadyAccepted, "The resource share invitation status is alredy accepted."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterMaxResults, "The MaxResults is invalid."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterNextToken, "The NextToken is invalid."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterNextTokenLength, "The maximum length of NextToken exceeds 256 characters."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterResourceShareIds, "The ResourceShareIds is invalid."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterResourceShareIdsDuplicate, "The ResourceShareIds contains duplicate values."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterResourceShareIdsLength, "The maximum length of ResourceShareIds exceeds 5 characters."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterResourceShareInvitationIds, "The ResourceShareInvitationIds is invalid."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterResourceShareInvitationIdsDuplicate, "The ResourceShareInvitationIds duplicate values."},
	{"ListResourceShareInvitations", 400, rs.ErrInvalidParameterResourceShareInvitationIdsLength, "The maximum length of ResourceShareInvitationIds exceeds quota limit."},
	{"AssociateResourceShare", 400, rs.ErrMissingParameterResourceShareId, "You must specify ResourceShareId."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameterResourceShareId, "The ResourceShareId is invalid."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameterResources, "The Resources is invalid."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameterResourcesLength, "The maximum number of Resources exceeds 5."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameterResourcesDuplicate, "The Resources contains duplicate values."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameterTargets, "The Targets is invalid."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameterTargetsLength, "The maximum number of Targets exceeds 5."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameterTargetsDuplicate, "The Targets contains duplicate values."},
	{"AssociateResourceShare", 409, rs.ErrAccountNotInResourceDirectory, "The account is not a master or a member of a resource directory."},
	{"AssociateResourceShare", 404, rs.ErrEntityNotExistsResourceShare, "The resource share does not exist in the current account."},
	{"AssociateResourceShare", 409, rs.ErrResourceShareStatusMismatchAction, "The status of the resource share does not allow the specified operation."},
	{"AssociateResourceShare", 409, rs.ErrQuotaExceededSharedResourceCount, "The maximum number of shared resources per account exceeds 10."},
	{"AssociateResourceShare", 409, rs.ErrShareWithYourself, "You cannot share resources with yourself."},
	{"AssociateResourceShare", 400, rs.ErrInvalidTarget, "The shared target does not exist in the resource directory."},
	{"AssociateResourceShare", 400, rs.ErrResourceAndTargetBothEmpty, "Either a resource or a shared target must be specified."},
	{"AssociateResourceShare", 409, rs.ErrAssociateConflict, "You cannot perform the operation while disassociation operation is being performed."},
	{"AssociateResourceShare", 400, rs.ErrInvalidParameter, "The specified parameter is invalid."},
}

func callSeed(ctx context.Context, c *rs.Client, op string) error {
	var err error
	switch op {
	case "AcceptResourceShareInvitation":
		_, err = c.AcceptResourceShareInvitation(ctx, &rs.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-1"})
	case "ListResourceShareInvitations":
		_, err = c.ListResourceShareInvitations(ctx, nil)
	case "AssociateResourceShare":
		_, err = c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Targets: []string{"123"}})
	}
	return err
}

func TestSeedErrorCodesMatch(t *testing.T) {
	require.Len(t, seedErrors, 6+9+17)
	for _, tt := range seedErrors {
		t.Run(tt.op+"/"+string(tt.code), func(t *testing.T) {
			c, mt := newClient(t)
			body := `{"RequestId":"REQ-1","HostId":"resourcesharing.aliyuncs.com","Code":"` + string(tt.code) +
				`","Message":"` + tt.message + `","Recommend":"https://api.aliyun.com/troubleshoot?q=` + string(tt.code) + `"}`
			mt.RegisterResponder("POST", endpoint, reply(tt.status, body))
			err := callSeed(context.Background(), c, tt.op)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.code)
			for _, other := range seedErrors {
				if other.code != tt.code {
					assert.NotErrorIs(t, err, other.code)
				}
			}
			var apiErr *alicloud.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, alicloud.APIError{
				Product: "ResourceSharing", Operation: tt.op, HTTPStatus: tt.status, Code: string(tt.code),
				Message: tt.message, RequestID: "REQ-1", HostID: "resourcesharing.aliyuncs.com",
				Recommend: "https://api.aliyun.com/troubleshoot?q=" + string(tt.code), Attempts: 1,
			}, *apiErr)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "a documented business error is never retried")
			// Every seed code is documented for the operation in ErrorCodes.
			assert.Contains(t, rs.ErrorCodes[tt.code], tt.op)
		})
	}
}

func TestSeedValidation(t *testing.T) {
	long := strings.Repeat("t", 257)
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "id-" + string(rune('a'+i))
		}
		return out
	}
	res := func(n int) []rs.Resource {
		out := make([]rs.Resource, n)
		for i := range out {
			out[i] = rs.Resource{ResourceId: "vsw-" + string(rune('a'+i)), ResourceType: "VSwitch"}
		}
		return out
	}
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(*rs.Client) error
		code  alicloud.ErrorCode // empty: valid
		field string
	}{
		{"accept requires id", func(c *rs.Client) error {
			_, err := c.AcceptResourceShareInvitation(ctx, &rs.AcceptResourceShareInvitationRequest{})
			return err
		}, rs.ErrMissingParameterResourceShareInvitationId, "ResourceShareInvitationId"},
		{"accept nil request", func(c *rs.Client) error {
			_, err := c.AcceptResourceShareInvitation(ctx, nil)
			return err
		}, rs.ErrMissingParameterResourceShareInvitationId, "ResourceShareInvitationId"},
		{"list MaxResults 0 means default", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{})
			return err
		}, "", ""},
		{"list MaxResults 1", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{MaxResults: 1})
			return err
		}, "", ""},
		{"list MaxResults 100", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{MaxResults: 100})
			return err
		}, "", ""},
		{"list MaxResults 101", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{MaxResults: 101})
			return err
		}, rs.ErrInvalidParameterMaxResults, "MaxResults"},
		{"list MaxResults -1", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{MaxResults: -1})
			return err
		}, rs.ErrInvalidParameterMaxResults, "MaxResults"},
		{"list NextToken 256", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{NextToken: long[:256]})
			return err
		}, "", ""},
		{"list NextToken 257", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{NextToken: long})
			return err
		}, rs.ErrInvalidParameterNextTokenLength, "NextToken"},
		{"list 5 share ids", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{ResourceShareIds: ids(5)})
			return err
		}, "", ""},
		{"list 6 share ids", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{ResourceShareIds: ids(6)})
			return err
		}, rs.ErrInvalidParameterResourceShareIdsLength, "ResourceShareIds"},
		{"list duplicate share ids", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{ResourceShareIds: []string{"a", "b", "a"}})
			return err
		}, rs.ErrInvalidParameterResourceShareIdsDuplicate, "ResourceShareIds"},
		{"list duplicate invitation ids", func(c *rs.Client) error {
			_, err := c.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{ResourceShareInvitationIds: []string{"i", "i"}})
			return err
		}, rs.ErrInvalidParameterResourceShareInvitationIdsDuplicate, "ResourceShareInvitationIds"},
		{"associate requires share id", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{Targets: []string{"1"}})
			return err
		}, rs.ErrMissingParameterResourceShareId, "ResourceShareId"},
		{"associate needs a resource or a target", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1"})
			return err
		}, rs.ErrResourceAndTargetBothEmpty, "Resources, Targets"},
		{"associate 5 resources", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Resources: res(5)})
			return err
		}, "", ""},
		{"associate 6 resources", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Resources: res(6)})
			return err
		}, rs.ErrInvalidParameterResourcesLength, "Resources"},
		{"associate duplicate resources", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Resources: append(res(2), res(1)...)})
			return err
		}, rs.ErrInvalidParameterResourcesDuplicate, "Resources"},
		{"associate resource id without type", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Resources: []rs.Resource{{ResourceId: "vsw-1"}}})
			return err
		}, rs.ErrInvalidParameterResources, "Resources.1.ResourceType"},
		{"associate resource type without id", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Resources: []rs.Resource{{ResourceId: "vsw-1", ResourceType: "VSwitch"}, {ResourceType: "VSwitch"}}})
			return err
		}, rs.ErrInvalidParameterResources, "Resources.2.ResourceId"},
		{"associate 5 targets", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Targets: ids(5)})
			return err
		}, "", ""},
		{"associate 6 targets", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Targets: ids(6)})
			return err
		}, rs.ErrInvalidParameterTargetsLength, "Targets"},
		{"associate duplicate targets", func(c *rs.Client) error {
			_, err := c.AssociateResourceShare(ctx, &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Targets: []string{"1", "1"}})
			return err
		}, rs.ErrInvalidParameterTargetsDuplicate, "Targets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newClient(t)
			mt.RegisterResponder("POST", endpoint, reply(200, `{"RequestId":"ok"}`))
			err := tt.call(c)
			if tt.code == "" {
				require.NoError(t, err)
				assert.Equal(t, 1, mt.GetTotalCallCount())
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.code)
			assert.ErrorIs(t, err, alicloud.ErrInvalidInput)
			var ve *alicloud.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Equal(t, 0, mt.GetTotalCallCount(), "invalid input never reaches the network")
		})
	}
}

func TestRequestIsNotModified(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, reply(200, `{}`))
	req := &rs.ListResourceShareInvitationsRequest{MaxResults: 5, ResourceShareIds: []string{"a"}}
	_, err := c.ListResourceShareInvitations(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, &rs.ListResourceShareInvitationsRequest{MaxResults: 5, ResourceShareIds: []string{"a"}}, req)
}

func TestErrorsAreDistinctTypes(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, reply(409, `{"Code":"InvitationStatus.Expired","Message":"x"}`))
	_, err := c.AcceptResourceShareInvitation(context.Background(), &rs.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i"})
	assert.True(t, errors.Is(err, alicloud.ErrorCode("InvitationStatus.Expired")))
	assert.False(t, errors.Is(err, alicloud.ErrorCode("InvitationStatus")))
	assert.False(t, errors.Is(err, alicloud.ErrInvalidInput))
}
