package conformance_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/alicloudtest"
)

// resourcesCommon calls a Resource Manager operation that the v1 SDK has no
// typed request for through its CommonRequest, and decodes a success into
// out.
type resourcesCommon struct {
	t      *testing.T
	e      *v1
	client *sdk.Client
}

func newResourcesCommon(t *testing.T, e *v1) *resourcesCommon {
	t.Helper()
	client, err := sdk.NewClientWithOptions(region, e.config(), e.keys(""))
	require.NoError(t, err)
	return &resourcesCommon{t: t, e: e, client: client}
}

func (c *resourcesCommon) call(action string, query map[string]string, out any) error {
	c.t.Helper()
	r := requests.NewCommonRequest()
	r.Method = requests.POST
	r.Scheme = "http"
	r.Domain = c.e.host
	r.Product = "ResourceManager"
	r.Version = "2020-03-31"
	r.ApiName = action
	for k, v := range query {
		r.QueryParams[k] = v
	}
	resp, err := c.client.ProcessCommonRequest(r)
	if err != nil {
		return err
	}
	require.Equal(c.t, http.StatusOK, resp.GetHttpStatus())
	if out != nil {
		require.NoError(c.t, json.Unmarshal(resp.GetHttpContentBytes(), out), "%s: %s", action, resp.GetHttpContentString())
	}
	return nil
}

// TestV1RMResources covers MoveResources, ListResources,
// GetResourceGroupResourceCounts, ListResourceGroupCapability,
// ListResourceGroupsWithAuthDetails and LookupResourceGroupEvents, and the
// PendingDelete state of a deleted resource group.
func TestV1RMResources(t *testing.T) {
	t.Parallel()
	e := newV1(t, alicloudtest.WithResourceGroupDeleteDelay(time.Hour))
	rm := e.rm(t, e.keys(""))
	common := newResourcesCommon(t, e)

	create := resourcemanager.CreateCreateResourceGroupRequest()
	create.Name = "conformance-web"
	create.DisplayName = "web"
	created, err := rm.CreateResourceGroup(create)
	require.NoError(t, err)
	g := created.ResourceGroup.Id
	def, err := e.srv.AddResource(alicloudtest.Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-conf1"})
	require.NoError(t, err)
	_, err = e.srv.AddResource(alicloudtest.Resource{Service: "vpc", ResourceType: "vswitch", ResourceID: "vsw-conf1", RegionID: "cn-shanghai"})
	require.NoError(t, err)

	// MoveResources: one resource moves, an unknown one fails alone.
	move := resourcemanager.CreateMoveResourcesRequest()
	move.ResourceGroupId = g
	move.Resources = &[]resourcemanager.MoveResourcesResources{
		{ResourceId: "i-conf1", RegionId: "cn-hangzhou", Service: "ecs", ResourceType: "instance"},
		{ResourceId: "i-none", RegionId: "cn-hangzhou", Service: "ecs", ResourceType: "instance"},
	}
	moved, err := rm.MoveResources(move)
	require.NoError(t, err)
	require.Len(t, moved.Responses, 2)
	assert.Equal(t, "SUCCESS", moved.Responses[0].Status)
	assert.Equal(t, "i-conf1", moved.Responses[0].ResourceId)
	assert.Equal(t, "FAIL", moved.Responses[1].Status)
	assert.NotEmpty(t, moved.Responses[1].ErrorCode)
	badRegion := resourcemanager.CreateMoveResourcesRequest()
	badRegion.ResourceGroupId = g
	badRegion.Resources = &[]resourcemanager.MoveResourcesResources{{ResourceId: "i-conf1", RegionId: "nowhere-1", Service: "ecs", ResourceType: "instance"}}
	_, err = rm.MoveResources(badRegion)
	requireV1Error(t, err, "SERVICE_REGION_NO_ENDPOINT", http.StatusBadRequest)

	// ListResources.
	list := resourcemanager.CreateListResourcesRequest()
	list.ResourceGroupId = g
	listed, err := rm.ListResources(list)
	require.NoError(t, err)
	assert.Equal(t, 1, listed.TotalCount)
	require.Len(t, listed.Resources.Resource, 1)
	r := listed.Resources.Resource[0]
	assert.Equal(t, "i-conf1", r.ResourceId)
	assert.Equal(t, g, r.ResourceGroupId)
	assert.Equal(t, "cn-hangzhou", r.RegionId)
	_, err = time.Parse(time.RFC3339, r.CreateDate)
	assert.NoError(t, err, "CreateDate %q", r.CreateDate)
	byRegion := resourcemanager.CreateListResourcesRequest()
	byRegion.Region = "cn-shanghai"
	byRegion.ResourceTypes = &[]resourcemanager.ListResourcesResourceTypes{{Service: "vpc", ResourceType: "vswitch"}}
	listed, err = rm.ListResources(byRegion)
	require.NoError(t, err)
	require.Len(t, listed.Resources.Resource, 1)
	assert.Equal(t, def, listed.Resources.Resource[0].ResourceGroupId)

	badIDs := resourcemanager.CreateListResourcesRequest()
	badIDs.ResourceIds = "i-conf1,,vsw-conf1"
	_, err = rm.ListResources(badIDs)
	requireV1Error(t, err, "InvalidParameter.ResourceIds", http.StatusBadRequest)

	// GetResourceGroupResourceCounts.
	var counts struct {
		RequestId      string
		ResourceCounts []struct {
			Count           int64
			GroupByKey      string
			ResourceGroupId string
		}
	}
	require.NoError(t, common.call("GetResourceGroupResourceCounts", map[string]string{"ResourceGroupId": g}, &counts))
	require.Len(t, counts.ResourceCounts, 1)
	assert.EqualValues(t, 1, counts.ResourceCounts[0].Count)
	assert.NotEmpty(t, counts.RequestId)
	err = common.call("GetResourceGroupResourceCounts", map[string]string{"GroupByKey": "Colour"}, nil)
	requireV1Error(t, err, "InvalidParameter.GroupByKey", http.StatusBadRequest)
	err = common.call("GetResourceGroupResourceCounts", map[string]string{"ResourceGroupId": "rg-nosuchgroup"}, nil)
	requireV1Error(t, err, "EntityNotExists.ResourceGroup", http.StatusNotFound)
	err = common.call("GetResourceGroupResourceCounts", map[string]string{"ResourceTypes.1.Service": "ecs", "ResourceTypes.1.ResourceTypeCode": "teapot"}, nil)
	requireV1Error(t, err, "UnsupportedResourceType", http.StatusBadRequest)

	// ListResourceGroupCapability.
	var caps struct {
		Capabilities []struct {
			ResourceCenterResourceType, ResourceType, Service string
			SupportResourceGroupEvent                         bool
		}
	}
	require.NoError(t, common.call("ListResourceGroupCapability", map[string]string{"Service": "vpc", "ResourceType": "vswitch"}, &caps))
	require.Len(t, caps.Capabilities, 1)
	assert.Equal(t, "ACS::VPC::VSwitch", caps.Capabilities[0].ResourceCenterResourceType)

	// ListResourceGroupsWithAuthDetails.
	var auth struct {
		AuthDetails []struct {
			AccountScopeAuth     bool
			AuthOfResourceGroups []struct {
				HasPermission   bool
				ResourceGroupId string
			}
			ResourceType, Service string
		}
		PageNumber, PageSize, TotalCount int
		ResourceGroups                   []struct{ Id, Name, Status, CreateDate string }
	}
	require.NoError(t, common.call("ListResourceGroupsWithAuthDetails", map[string]string{"Name": "conformance-web",
		"ResourceTypes.1.Service": "ecs", "ResourceTypes.1.ResourceTypeCode": "instance"}, &auth))
	assert.Equal(t, 1, auth.TotalCount)
	require.Len(t, auth.ResourceGroups, 1)
	assert.Equal(t, g, auth.ResourceGroups[0].Id)
	require.Len(t, auth.AuthDetails, 1)
	assert.True(t, auth.AuthDetails[0].AuthOfResourceGroups[0].HasPermission)

	// LookupResourceGroupEvents.
	var events struct {
		Events []struct {
			ChangeType, EventTime, ResourceGroupId, ResourceId string
			SourceResourceGroupInfo                            struct{ ResourceGroupId string }
			TargetResourceGroupInfo                            struct{ ResourceGroupId string }
		}
		NextToken string
	}
	require.NoError(t, common.call("LookupResourceGroupEvents", map[string]string{"EventCategory": "MemberShipChange", "ResourceGroupId": g}, &events))
	require.Len(t, events.Events, 1)
	assert.Equal(t, "Add", events.Events[0].ChangeType)
	assert.Equal(t, def, events.Events[0].SourceResourceGroupInfo.ResourceGroupId)
	_, err = time.Parse(time.RFC3339, events.Events[0].EventTime)
	assert.NoError(t, err)
	err = common.call("LookupResourceGroupEvents", map[string]string{"EventCategory": "MemberShipChange", "NextToken": "bogus"}, nil)
	require.Error(t, err, "a token the emulator did not issue")

	// DeleteResourceGroup: refused while the group holds a resource, then
	// PendingDelete until the clock completes it.
	del := resourcemanager.CreateDeleteResourceGroupRequest()
	del.ResourceGroupId = g
	_, err = rm.DeleteResourceGroup(del)
	requireV1Error(t, err, "DeleteConflict.ResourceGroup.Resource", http.StatusConflict)
	require.True(t, e.srv.RemoveResource(alicloudtest.Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-conf1"}))
	deleted, err := rm.DeleteResourceGroup(del)
	require.NoError(t, err)
	assert.Equal(t, "PendingDelete", deleted.ResourceGroup.Status)
	get := resourcemanager.CreateGetResourceGroupRequest()
	get.ResourceGroupId = g
	got, err := rm.GetResourceGroup(get)
	require.NoError(t, err)
	assert.Equal(t, "PendingDelete", got.ResourceGroup.Status)
	pending := resourcemanager.CreateListResourceGroupsRequest()
	pending.Status = "PendingDelete"
	groups, err := rm.ListResourceGroups(pending)
	require.NoError(t, err)
	require.Len(t, groups.ResourceGroups.ResourceGroup, 1)
	assert.Equal(t, g, groups.ResourceGroups.ResourceGroup[0].Id)
	e.srv.Advance(time.Hour)
	_, err = rm.GetResourceGroup(get)
	requireV1Error(t, err, "EntityNotExists.ResourceGroup", http.StatusNotFound)
}

// TestV1RMResourceGroupSettings covers the notification and admin settings.
func TestV1RMResourceGroupSettings(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	common := newResourcesCommon(t, e)
	var note struct{ ResourceGroupNotificationEnableStatus bool }
	require.NoError(t, common.call("EnableResourceGroupNotification", nil, nil))
	err := common.call("EnableResourceGroupNotification", nil, nil)
	requireV1Error(t, err, "UnsupportedOperation.RepeatEnableResourceGroupNotification", http.StatusConflict)
	require.NoError(t, common.call("GetResourceGroupNotificationSetting", nil, &note))
	assert.True(t, note.ResourceGroupNotificationEnableStatus)
	require.NoError(t, common.call("DisableResourceGroupNotification", nil, nil))
	err = common.call("DisableResourceGroupNotification", nil, nil)
	requireV1Error(t, err, "UnsupportedOperation.RepeatDisableResourceGroupNotification", http.StatusConflict)

	var admin struct{ CreatorAsAdmin bool }
	require.NoError(t, common.call("UpdateResourceGroupAdminSetting", map[string]string{"CreatorAsAdmin": "true"}, nil))
	require.NoError(t, common.call("GetResourceGroupAdminSetting", nil, &admin))
	assert.True(t, admin.CreatorAsAdmin)
	err = common.call("UpdateResourceGroupAdminSetting", nil, nil)
	requireV1Error(t, err, "MissingParameter", http.StatusBadRequest)
}

// TestV1RMAutoGrouping covers the auto grouping operations: a rule moves a
// matching resource into its target group, which the remediations list.
func TestV1RMAutoGrouping(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))
	common := newResourcesCommon(t, e)

	create := resourcemanager.CreateCreateResourceGroupRequest()
	create.Name = "conformance-prod"
	create.DisplayName = "prod"
	created, err := rm.CreateResourceGroup(create)
	require.NoError(t, err)
	g := created.ResourceGroup.Id
	target := `{"children":[{"desired":"` + g + `","featurePath":"$.resourceGroupId","featureSource":"RESOURCE","operator":"StringEquals"}],"operator":"and"}`

	rule := resourcemanager.CreateCreateAutoGroupingRuleRequest()
	rule.RuleName = "conformance"
	rule.RuleType = "custom_condition"
	rule.ResourceTypesScope = "ecs.instance"
	rule.RuleContents = &[]resourcemanager.CreateAutoGroupingRuleRuleContents{{TargetResourceGroupCondition: target}}
	_, err = rm.CreateAutoGroupingRule(rule)
	requireV1Error(t, err, "AutoGroupingNotEnabled", http.StatusConflict)
	_, err = rm.DisableAutoGrouping(resourcemanager.CreateDisableAutoGroupingRequest())
	requireV1Error(t, err, "UnsupportedOperation.RepeatDisableAutoGrouping", http.StatusConflict)

	enabled, err := rm.EnableAutoGrouping(resourcemanager.CreateEnableAutoGroupingRequest())
	require.NoError(t, err)
	assert.NotEmpty(t, enabled.RequestId)
	_, err = rm.EnableAutoGrouping(resourcemanager.CreateEnableAutoGroupingRequest())
	requireV1Error(t, err, "UnsupportedOperation.RepeatEnableAutoGrouping", http.StatusConflict)
	status, err := rm.GetAutoGroupingStatus(resourcemanager.CreateGetAutoGroupingStatusRequest())
	require.NoError(t, err)
	assert.Equal(t, "Enable", status.EnableStatus)
	cfg := resourcemanager.CreateUpdateAutoGroupingConfigRequest()
	cfg.EnableExistingResourcesTransfer = requests.NewBoolean(false)
	_, err = rm.UpdateAutoGroupingConfig(cfg)
	require.NoError(t, err)

	both := resourcemanager.CreateCreateAutoGroupingRuleRequest()
	both.RuleName = "both"
	both.RuleType = "custom_condition"
	both.RegionIdsScope, both.ExcludeRegionIdsScope = "cn-hangzhou", "cn-beijing"
	both.RuleContents = rule.RuleContents
	_, err = rm.CreateAutoGroupingRule(both)
	requireV1Error(t, err, "InvalidParameterCombination.BothRegionIdScopes", http.StatusBadRequest)

	made, err := rm.CreateAutoGroupingRule(rule)
	require.NoError(t, err)
	id := made.RuleId
	placed, err := e.srv.AddResource(alicloudtest.Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-auto"})
	require.NoError(t, err)
	assert.Equal(t, g, placed, "the rule moved the new instance")

	get := resourcemanager.CreateGetAutoGroupingRuleRequest()
	get.RuleId = id
	got, err := rm.GetAutoGroupingRule(get)
	require.NoError(t, err)
	assert.Equal(t, "conformance", got.Rule.RuleName)
	assert.Equal(t, "ecs.instance", got.Rule.ResourceTypesScope)
	require.Len(t, got.Rule.RuleContents, 1)
	assert.NotEmpty(t, got.Rule.RuleContents[0].RuleContentId)

	upd := resourcemanager.CreateUpdateAutoGroupingRuleRequest()
	upd.RuleId = id
	upd.RuleName = "renamed"
	upd.RuleContents = &[]resourcemanager.UpdateAutoGroupingRuleRuleContents{{RuleContentId: got.Rule.RuleContents[0].RuleContentId, TargetResourceGroupCondition: target}}
	_, err = rm.UpdateAutoGroupingRule(upd)
	require.NoError(t, err)
	upd.RuleId = "gr-nosuchrule"
	_, err = rm.UpdateAutoGroupingRule(upd)
	requireV1Error(t, err, "EntityNotExists.AutoGroupingRule", http.StatusNotFound)

	rules, err := rm.ListAutoGroupingRules(resourcemanager.CreateListAutoGroupingRulesRequest())
	require.NoError(t, err)
	require.Len(t, rules.Rules, 1)
	assert.Equal(t, "renamed", rules.Rules[0].RuleName)
	badToken := resourcemanager.CreateListAutoGroupingRulesRequest()
	badToken.NextToken = "bogus"
	_, err = rm.ListAutoGroupingRules(badToken)
	requireV1Error(t, err, "InvalidParameter.NextToken", http.StatusBadRequest)

	var rems struct {
		Remediations []struct {
			ResourceId, RemediationTime string
			TargetResourceGroupInfo     struct{ ResourceGroupId string }
		}
	}
	require.NoError(t, common.call("ListAutoGroupingRemediations", map[string]string{"RuleId": id}, &rems))
	require.Len(t, rems.Remediations, 1)
	assert.Equal(t, "i-auto", rems.Remediations[0].ResourceId)
	assert.Equal(t, g, rems.Remediations[0].TargetResourceGroupInfo.ResourceGroupId)

	del := resourcemanager.CreateDeleteAutoGroupingRuleRequest()
	del.RuleId = id
	_, err = rm.DeleteAutoGroupingRule(del)
	require.NoError(t, err)
	_, err = rm.DeleteAutoGroupingRule(del)
	requireV1Error(t, err, "EntityNotExists.AutoGroupingRule", http.StatusNotFound)
	_, err = rm.GetAutoGroupingRule(get)
	requireV1Error(t, err, "EntityNotExists.AutoGroupingRule", http.StatusNotFound)

	_, err = rm.DisableAutoGrouping(resourcemanager.CreateDisableAutoGroupingRequest())
	require.NoError(t, err)
	_, err = rm.ListAutoGroupingRules(resourcemanager.CreateListAutoGroupingRulesRequest())
	requireV1Error(t, err, "AutoGroupingNotEnabled", http.StatusConflict)
	err = common.call("ListAutoGroupingRemediations", map[string]string{"RuleId": id}, nil)
	requireV1Error(t, err, "AutoGroupingNotEnabled", http.StatusConflict)
	_, err = rm.UpdateAutoGroupingConfig(cfg)
	requireV1Error(t, err, "AutoGroupingNotEnabled", http.StatusConflict)
}

// TestV1RMAssociatedTransfer covers the associated transfer setting.
func TestV1RMAssociatedTransfer(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))

	_, err := rm.ListAssociatedTransferSetting(resourcemanager.CreateListAssociatedTransferSettingRequest())
	requireV1Error(t, err, "EntityNotExists.AssociatedTransferSetting", http.StatusNotFound)
	_, err = rm.DisableAssociatedTransfer(resourcemanager.CreateDisableAssociatedTransferRequest())
	requireV1Error(t, err, "UnsupportedOperation.RepeatDisableAssociatedTransferSetting", http.StatusBadRequest)
	upd := resourcemanager.CreateUpdateAssociatedTransferSettingRequest()
	upd.EnableExistingResourcesTransfer = "true"
	upd.RuleSettings = &[]resourcemanager.UpdateAssociatedTransferSettingRuleSettings{{MasterService: "ecs",
		MasterResourceType: "instance", AssociatedService: "ecs", AssociatedResourceType: "disk", Status: "Disable"}}
	_, err = rm.UpdateAssociatedTransferSetting(upd)
	requireV1Error(t, err, "UnsupportedOperation.UpdateAssociatedTransferRuleSetting", http.StatusBadRequest)

	_, err = rm.EnableAssociatedTransfer(resourcemanager.CreateEnableAssociatedTransferRequest())
	require.NoError(t, err)
	_, err = rm.EnableAssociatedTransfer(resourcemanager.CreateEnableAssociatedTransferRequest())
	requireV1Error(t, err, "UnsupportedOperation.RepeatEnableAssociatedTransferSetting", http.StatusBadRequest)
	_, err = rm.UpdateAssociatedTransferSetting(upd)
	require.NoError(t, err)
	set, err := rm.ListAssociatedTransferSetting(resourcemanager.CreateListAssociatedTransferSettingRequest())
	require.NoError(t, err)
	s := set.AssociatedTransferSetting
	assert.Equal(t, e.srv.ManagementAccountID(), s.AccountId)
	assert.Equal(t, "Enable", s.Status)
	assert.Equal(t, "true", s.EnableExistingResourcesTransfer)
	require.NotEmpty(t, s.RuleSettings)
	assert.Equal(t, "disk", s.RuleSettings[0].AssociatedResourceType)
	assert.Equal(t, "Disable", s.RuleSettings[0].Status)

	unknown := resourcemanager.CreateUpdateAssociatedTransferSettingRequest()
	unknown.RuleSettings = &[]resourcemanager.UpdateAssociatedTransferSettingRuleSettings{{MasterService: "oss",
		MasterResourceType: "bucket", AssociatedService: "kms", AssociatedResourceType: "key", Status: "Enable"}}
	_, err = rm.UpdateAssociatedTransferSetting(unknown)
	requireV1Error(t, err, "EntityNotExists.AssociatedTransferRule", http.StatusNotFound)

	_, err = rm.DisableAssociatedTransfer(resourcemanager.CreateDisableAssociatedTransferRequest())
	require.NoError(t, err)
}

// TestV1RMTagRules: tag keys and values that break the documented rules
// are refused by both products' TagResources.
func TestV1RMTagRules(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))
	create := resourcemanager.CreateCreateResourceGroupRequest()
	create.Name = "conformance-tags"
	create.DisplayName = "tags"
	created, err := rm.CreateResourceGroup(create)
	require.NoError(t, err)
	for _, tag := range []resourcemanager.TagResourcesTag{{Key: "acs:team", Value: "a"}, {Key: "aliyun-team", Value: "a"},
		{Key: "team", Value: "http://example.com"}, {Key: "team", Value: "acs:x"}} {
		req := resourcemanager.CreateTagResourcesRequest()
		req.ResourceId = &[]string{created.ResourceGroup.Id}
		req.Tag = &[]resourcemanager.TagResourcesTag{tag}
		_, err := rm.TagResources(req)
		requireV1Error(t, err, "InvalidTag", http.StatusBadRequest)
	}
	ok := resourcemanager.CreateTagResourcesRequest()
	ok.ResourceId = &[]string{created.ResourceGroup.Id}
	ok.Tag = &[]resourcemanager.TagResourcesTag{{Key: "team", Value: ""}}
	_, err = rm.TagResources(ok)
	require.NoError(t, err)
}
