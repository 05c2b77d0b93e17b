package conformance_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/alicloudtest"
)

// TestV2ResourcesAndAutoGrouping moves a resource, reads its events and
// lets an auto grouping rule place another, through CallApi in each
// signing mode.
func TestV2ResourcesAndAutoGrouping(t *testing.T) {
	t.Parallel()
	forEachMode(t, func(t *testing.T, e *v2) {
		rm := e.client(t, "")
		created, err := e.call(t, rm, rmVersion, "CreateResourceGroup", map[string]any{"Name": "conformance-v2", "DisplayName": "v2"}, nil)
		require.NoError(t, err)
		g, _ := obj(t, created, "ResourceGroup")["Id"].(string)
		require.NotEmpty(t, g)
		_, err = e.srv.AddResource(alicloudtest.Resource{Service: "ecs", ResourceType: "disk", ResourceID: "d-v2"})
		require.NoError(t, err)

		moved, err := e.call(t, rm, rmVersion, "MoveResources", map[string]any{"ResourceGroupId": g,
			"Resources": []map[string]any{{"ResourceId": "d-v2", "RegionId": "cn-hangzhou", "Service": "ecs", "ResourceType": "disk"}}}, nil)
		require.NoError(t, err)
		res := list(t, moved, "Responses")
		require.Len(t, res, 1)
		assert.Equal(t, "SUCCESS", res[0].(map[string]any)["Status"])

		listed, err := e.call(t, rm, rmVersion, "ListResources", map[string]any{"ResourceGroupId": g}, nil)
		require.NoError(t, err)
		assert.Equal(t, "1", fmt.Sprint(listed["TotalCount"]))
		events, err := e.call(t, rm, rmVersion, "LookupResourceGroupEvents", map[string]any{"EventCategory": "MemberShipChange", "ResourceGroupId": g}, nil)
		require.NoError(t, err)
		assert.Len(t, list(t, events, "Events"), 1)

		_, err = e.call(t, rm, rmVersion, "GetAutoGroupingRule", map[string]any{"RuleId": "gr-none"}, nil)
		requireV2Error(t, err, "AutoGroupingNotEnabled", http.StatusConflict)
		_, err = e.call(t, rm, rmVersion, "EnableAutoGrouping", nil, nil)
		require.NoError(t, err)
		target := `{"children":[{"desired":"` + g + `","featurePath":"$.resourceGroupId","featureSource":"RESOURCE","operator":"StringEquals"}],"operator":"and"}`
		rule, err := e.call(t, rm, rmVersion, "CreateAutoGroupingRule", map[string]any{"RuleName": "v2", "RuleType": "custom_condition",
			"ResourceTypesScope": "ecs.instance", "RuleContents": []map[string]any{{"TargetResourceGroupCondition": target}}}, nil)
		require.NoError(t, err)
		placed, err := e.srv.AddResource(alicloudtest.Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-v2"})
		require.NoError(t, err)
		assert.Equal(t, g, placed)
		rems, err := e.call(t, rm, rmVersion, "ListAutoGroupingRemediations", map[string]any{"RuleId": rule["RuleId"]}, nil)
		require.NoError(t, err)
		assert.Len(t, list(t, rems, "Remediations"), 1)

		_, err = e.call(t, rm, rmVersion, "TagResources", map[string]any{"ResourceId": []string{g},
			"Tag": []map[string]any{{"Key": "aliyun-team", "Value": "x"}}}, nil)
		requireV2Error(t, err, "InvalidTag", http.StatusBadRequest)
	})
}
