package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShareKeepsResourceAndTargetProperties(t *testing.T) {
	s := newTestService(t, Config{})
	const rsVersion = "2020-01-10"
	call := func(action string, p url.Values) (int, map[string]any) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, signedRequest(t, s, rsVersion, action, p))
		return rec.Code, decodeBody(t, rec)
	}
	arn := "acs:vpc:cn-hangzhou:" + s.ManagementAccountID() + ":vswitch/vsw-1"
	resProp := `{"sharePrincipals":true,"shareTagOptions":false}`
	tgtProp := `{"timeRange":{"timeRangeType":"timeRange","beginAtTime":"00:00","timezone":"UTC+8","endAtTime":"19:59"}}`
	status, body := call("CreateResourceShare", url.Values{
		"RegionId": {"cn-hangzhou"}, "ResourceShareName": {"props"},
		"ResourceArns.1":                   {arn},
		"ResourceProperties.1.ResourceArn": {arn}, "ResourceProperties.1.Property": {resProp},
		"Targets.1":                   {s.ResourceDirectoryID()},
		"TargetProperties.1.TargetId": {s.ResourceDirectoryID()},
		"TargetProperties.1.Property": {tgtProp},
	})
	require.Equal(t, http.StatusOK, status, body)
	shareID := body["ResourceShare"].(map[string]any)["ResourceShareId"].(string)

	for _, kind := range []string{"Resource", "Target"} {
		status, body = call("ListResourceShareAssociations", url.Values{"RegionId": {"cn-hangzhou"},
			"AssociationType": {kind}, "ResourceShareIds.1": {shareID}})
		require.Equal(t, http.StatusOK, status, body)
		assocs := body["ResourceShareAssociations"].([]any)
		require.Len(t, assocs, 1)
		a := assocs[0].(map[string]any)
		for _, field := range []string{"ResourceArn", "ResourceProperty", "TargetProperty"} {
			assert.Contains(t, a, field, "every documented field is sent")
		}
		if kind == "Resource" {
			assert.Equal(t, resProp, a["ResourceProperty"])
			assert.Equal(t, arn, a["ResourceArn"])
		} else {
			assert.Equal(t, tgtProp, a["TargetProperty"])
		}
	}
	status, body = call("ListSharedTargets", url.Values{"RegionId": {"cn-hangzhou"}, "ResourceOwner": {"Self"}, "ResourceShareIds.1": {shareID}})
	require.Equal(t, http.StatusOK, status, body)
	targets := body["SharedTargets"].([]any)
	require.Len(t, targets, 1)
	assert.Equal(t, tgtProp, targets[0].(map[string]any)["TargetProperty"])

	for name, tc := range map[string]struct {
		p    url.Values
		code string
	}{
		"property for a resource not in the call": {url.Values{"ResourceArns.1": {arn},
			"ResourceProperties.1.ResourceArn": {arn + "x"}, "ResourceProperties.1.Property": {resProp}}, "InvalidParameter.ResourceProperties"},
		"property that is not a JSON object": {url.Values{"ResourceArns.1": {arn},
			"ResourceProperties.1.ResourceArn": {arn}, "ResourceProperties.1.Property": {"true"}}, "InvalidParameter.ResourceProperties"},
		"one resource twice": {url.Values{"ResourceArns.1": {arn},
			"ResourceProperties.1.ResourceArn": {arn}, "ResourceProperties.1.Property": {resProp},
			"ResourceProperties.2.ResourceArn": {arn}, "ResourceProperties.2.Property": {resProp}}, "InvalidParameter.ResourceProperties.Duplicate"},
		"property for a target not in the call": {url.Values{"Targets.1": {s.ResourceDirectoryID()},
			"TargetProperties.1.TargetId": {"1342540311780002"}, "TargetProperties.1.Property": {tgtProp}}, "InvalidParameter.TargetProperties"},
		"one target twice": {url.Values{"Targets.1": {s.ResourceDirectoryID()},
			"TargetProperties.1.TargetId": {s.ResourceDirectoryID()}, "TargetProperties.1.Property": {tgtProp},
			"TargetProperties.2.TargetId": {s.ResourceDirectoryID()}, "TargetProperties.2.Property": {tgtProp}}, "InvalidParameter.TargetProperties.Duplicate"},
	} {
		tc.p.Set("RegionId", "cn-hangzhou")
		tc.p.Set("ResourceShareId", shareID)
		status, body := call("AssociateResourceShare", tc.p)
		assert.Equal(t, http.StatusBadRequest, status, name)
		assert.Equal(t, tc.code, body["Code"], name)
	}
}
