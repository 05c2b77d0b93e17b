package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rmVersion = "2020-03-31"

// resourceShapeCalls makes a successful call of every resource, group
// setting, auto grouping and associated transfer operation, for
// TestRepliesMatchTheModel to check against the model.
func resourceShapeCalls(t *testing.T, s *Service, call func(version, action, as string, kv ...string) map[string]any) {
	t.Helper()
	const rm = rmVersion
	g := call(rm, "CreateResourceGroup", "", "Name", "shape-res", "DisplayName", "shape")["ResourceGroup"].(map[string]any)["Id"].(string)
	_, err := s.AddResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-shape1"})
	require.NoError(t, err)
	_, err = s.AddResource(Resource{Service: "vpc", ResourceType: "vswitch", ResourceID: "vsw-shape1", RegionID: "cn-shanghai"})
	require.NoError(t, err)
	call(rm, "MoveResources", "", "ResourceGroupId", g, "Resources.1.ResourceId", "i-shape1", "Resources.1.Service", "ecs",
		"Resources.1.ResourceType", "instance", "Resources.1.RegionId", "cn-hangzhou",
		"Resources.2.ResourceId", "i-missing", "Resources.2.Service", "ecs", "Resources.2.ResourceType", "instance", "Resources.2.RegionId", "cn-hangzhou")
	call(rm, "ListResources", "", "ResourceTypes.1.Service", "ecs", "ResourceTypes.1.ResourceType", "instance")
	call(rm, "GetResourceGroupResourceCounts", "")
	call(rm, "GetResourceGroupResourceCounts", "", "GroupByKey", "ResourceType")
	call(rm, "ListResourceGroupCapability", "")
	call(rm, "ListResourceGroupsWithAuthDetails", "", "IncludeTags", "true", "ResourceTypes.1.Service", "ecs", "ResourceTypes.1.ResourceTypeCode", "instance")
	call(rm, "LookupResourceGroupEvents", "", "EventCategory", "MemberShipChange")
	call(rm, "LookupResourceGroupEvents", "", "EventCategory", "ResourceGroupChange")
	call(rm, "EnableResourceGroupNotification", "")
	call(rm, "GetResourceGroupNotificationSetting", "")
	call(rm, "DisableResourceGroupNotification", "")
	call(rm, "UpdateResourceGroupAdminSetting", "", "CreatorAsAdmin", "true")
	call(rm, "GetResourceGroupAdminSetting", "")

	call(rm, "EnableAutoGrouping", "")
	call(rm, "GetAutoGroupingStatus", "")
	call(rm, "UpdateAutoGroupingConfig", "", "EnableExistingResourcesTransfer", "true")
	target := `{"children":[{"desired":"` + g + `","featurePath":"$.resourceGroupId","featureSource":"RESOURCE","operator":"StringEquals"}],"operator":"and"}`
	scope := `{"children":[{"desired":"vsw-shape1","featurePath":"$.resourceId","featureSource":"RESOURCE","operator":"StringEquals"}],"operator":"and"}`
	rule := call(rm, "CreateAutoGroupingRule", "", "RuleName", "r", "RuleType", "custom_condition",
		"RuleContents.1.TargetResourceGroupCondition", target, "RuleContents.1.AutoGroupingScopeCondition", scope)["RuleId"].(string)
	call(rm, "GetAutoGroupingRule", "", "RuleId", rule)
	call(rm, "UpdateAutoGroupingRule", "", "RuleId", rule, "RuleName", "r2", "RuleContents.1.TargetResourceGroupCondition", target,
		"RuleContents.1.AutoGroupingScopeCondition", scope)
	call(rm, "ListAutoGroupingRules", "")
	rems := call(rm, "ListAutoGroupingRemediations", "", "RuleId", rule)["Remediations"].([]any)
	require.Len(t, rems, 1, "the rule moved the existing vSwitch")
	call(rm, "DeleteAutoGroupingRule", "", "RuleId", rule)
	call(rm, "DisableAutoGrouping", "")

	call(rm, "EnableAssociatedTransfer", "")
	call(rm, "UpdateAssociatedTransferSetting", "", "EnableExistingResourcesTransfer", "true", "RuleSettings.1.MasterService", "ecs",
		"RuleSettings.1.MasterResourceType", "instance", "RuleSettings.1.AssociatedService", "ecs",
		"RuleSettings.1.AssociatedResourceType", "disk", "RuleSettings.1.Status", "Disable")
	call(rm, "ListAssociatedTransferSetting", "")
	call(rm, "DisableAssociatedTransfer", "")
}

// rmDo sends a Resource Manager request as the management account and
// returns the status and the decoded body.
func rmDo(t *testing.T, s *Service, action string, kv ...string) (int, map[string]any) {
	t.Helper()
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, rmVersion, action, p))
	return rec.Code, decodeBody(t, rec)
}

// rmOK is rmDo for a call that must succeed.
func rmOK(t *testing.T, s *Service, action string, kv ...string) map[string]any {
	t.Helper()
	code, body := rmDo(t, s, action, kv...)
	require.Equal(t, http.StatusOK, code, "%s: %v", action, body)
	return body
}

// rmFails is rmDo for a call that must fail with a code and status.
func rmFails(t *testing.T, s *Service, wantCode string, wantStatus int, action string, kv ...string) {
	t.Helper()
	code, body := rmDo(t, s, action, kv...)
	assert.Equal(t, wantStatus, code, "%s: %v", action, body)
	assert.Equal(t, wantCode, body["Code"], "%s", action)
}

func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func newGroup(t *testing.T, s *Service, name string) string {
	t.Helper()
	return path(rmOK(t, s, "CreateResourceGroup", "Name", name, "DisplayName", name), "ResourceGroup", "Id").(string)
}

func TestAddResourceAndMoveResources(t *testing.T) {
	s := newTestService(t, Config{})
	def, err := s.AddResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-1"})
	require.NoError(t, err)
	_, err = s.AddResource(Resource{Service: "ecs", ResourceType: "disk", ResourceID: "d-1"})
	require.NoError(t, err)
	_, err = s.AddResource(Resource{Service: "nosuch", ResourceType: "thing", ResourceID: "x"})
	assert.Error(t, err)
	_, err = s.AddResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-2", RegionID: "mars-1"})
	assert.Error(t, err)
	_, err = s.AddResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-3", ResourceGroupID: "rg-nosuchgroup"})
	assert.Error(t, err)
	again, err := s.AddResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-1"})
	require.NoError(t, err)
	assert.Equal(t, def, again)

	g := newGroup(t, s, "web")
	out := rmOK(t, s, "MoveResources", "ResourceGroupId", g,
		"Resources.1.ResourceId", "i-1", "Resources.1.Service", "ecs", "Resources.1.ResourceType", "instance", "Resources.1.RegionId", "cn-hangzhou",
		"Resources.2.ResourceId", "i-9", "Resources.2.Service", "ecs", "Resources.2.ResourceType", "instance", "Resources.2.RegionId", "cn-hangzhou")
	res := out["Responses"].([]any)
	require.Len(t, res, 2)
	assert.Equal(t, "SUCCESS", path(res, 0, "Status"))
	assert.Equal(t, "FAIL", path(res, 1, "Status"))
	assert.Equal(t, "InvalidResourceId.NotFound", path(res, 1, "ErrorCode"))

	// The instance is in the new group, the disk still in the default one.
	list := rmOK(t, s, "ListResources", "ResourceGroupId", g)
	assert.EqualValues(t, 1, list["TotalCount"])
	assert.Equal(t, "i-1", path(list, "Resources", "Resource", 0, "ResourceId"))
	assert.EqualValues(t, 1, rmOK(t, s, "ListResources", "ResourceGroupId", def)["TotalCount"])
	assert.EqualValues(t, 2, rmOK(t, s, "ListResources", "Service", "ecs")["TotalCount"])
	assert.EqualValues(t, 1, rmOK(t, s, "ListResources", "ResourceTypes.1.Service", "ecs", "ResourceTypes.1.ResourceType", "disk")["TotalCount"])
	assert.EqualValues(t, 0, rmOK(t, s, "ListResources", "Region", "cn-beijing")["TotalCount"])
	assert.EqualValues(t, 2, rmOK(t, s, "ListResources", "ResourceIds", "i-1,d-1")["TotalCount"])
	assert.EqualValues(t, 1, rmOK(t, s, "ListResources", "ResourceIds", `["d-1"]`)["TotalCount"])
	rmFails(t, s, "InvalidParameter.ResourceIds", 400, "ListResources", "ResourceIds", "i-1,,d-1")
	rmFails(t, s, "InvalidParameter.ResourceIds", 400, "ListResources", "ResourceIds", "[1")
	rmFails(t, s, "LimitExceeded.ResourceIds", 400, "ListResources", "ResourceIds", strings.Repeat("i-x,", 100)+"i-y")
	paged := rmOK(t, s, "ListResources", "PageSize", "1", "PageNumber", "2")
	assert.Equal(t, "d-1", path(paged, "Resources", "Resource", 0, "ResourceId"))

	// A target group that is not the caller's fails every resource.
	out = rmOK(t, s, "MoveResources", "ResourceGroupId", "rg-nosuchgroup",
		"Resources.1.ResourceId", "d-1", "Resources.1.Service", "ecs", "Resources.1.ResourceType", "disk", "Resources.1.RegionId", "cn-hangzhou")
	assert.Equal(t, "FAIL", path(out, "Responses", 0, "Status"))
	assert.Equal(t, "EntityNotExists.ResourceGroup", path(out, "Responses", 0, "ErrorCode"))
	rmFails(t, s, "SERVICE_REGION_NO_ENDPOINT", 400, "MoveResources", "ResourceGroupId", g,
		"Resources.1.ResourceId", "d-1", "Resources.1.Service", "ecs", "Resources.1.ResourceType", "disk", "Resources.1.RegionId", "nowhere")

	counts := rmOK(t, s, "GetResourceGroupResourceCounts")["ResourceCounts"].([]any)
	require.Len(t, counts, 2)
	byType := rmOK(t, s, "GetResourceGroupResourceCounts", "GroupByKey", "ResourceType")["ResourceCounts"].([]any)
	require.Len(t, byType, 2)
	assert.Equal(t, "ecs.instance", path(byType, 0, "GroupByKey"))
	one := rmOK(t, s, "GetResourceGroupResourceCounts", "ResourceGroupId", g)["ResourceCounts"].([]any)
	require.Len(t, one, 1)
	assert.EqualValues(t, 1, path(one, 0, "Count"))
	rmFails(t, s, "EntityNotExists.ResourceGroup", 404, "GetResourceGroupResourceCounts", "ResourceGroupId", "rg-nosuchgroup")
	rmFails(t, s, "UnsupportedResourceType", 400, "GetResourceGroupResourceCounts", "ResourceTypes.1.Service", "ecs", "ResourceTypes.1.ResourceTypeCode", "spaceship")
	rmFails(t, s, "InvalidParameter.GroupByKey", 400, "GetResourceGroupResourceCounts", "GroupByKey", "Colour")

	// The move is an Add in the target and a Remove in the source, newest first.
	ev := rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "MemberShipChange", "ResourceGroupId", g)["Events"].([]any)
	require.Len(t, ev, 1)
	assert.Equal(t, "Add", path(ev, 0, "ChangeType"))
	assert.Equal(t, def, path(ev, 0, "SourceResourceGroupInfo", "ResourceGroupId"))
	assert.Equal(t, g, path(ev, 0, "TargetResourceGroupInfo", "ResourceGroupId"))
	ev = rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "MemberShipChange", "ResourceGroupId", def)["Events"].([]any)
	require.Len(t, ev, 3, "two registrations and one removal")
	assert.Equal(t, "Remove", path(ev, 0, "ChangeType"))
	ev = rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "MemberShipChange", "LookupAttributes.1.Key", "ResourceId",
		"LookupAttributes.1.Value", "d-1")["Events"].([]any)
	require.Len(t, ev, 1)
	future := s.Now().Add(time.Hour).UTC().Format(time.DateTime)
	assert.Empty(t, rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "MemberShipChange", "StartTime", future)["Events"])
	ev = rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "ResourceGroupChange")["Events"].([]any)
	require.Len(t, ev, 1)
	assert.Equal(t, "Create", path(ev, 0, "ChangeType"))
	page := rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "MemberShipChange", "MaxResults", "2")
	assert.Len(t, page["Events"], 2)
	require.NotEmpty(t, page["NextToken"])
	rest := rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "MemberShipChange", "MaxResults", "2", "NextToken", page["NextToken"].(string))
	assert.Len(t, rest["Events"], 2)

	// A group holding resources cannot be deleted until they leave.
	rmFails(t, s, "DeleteConflict.ResourceGroup.Resource", 409, "DeleteResourceGroup", "ResourceGroupId", g)
	assert.True(t, s.RemoveResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-1"}))
	assert.False(t, s.RemoveResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-1"}))
	rmOK(t, s, "DeleteResourceGroup", "ResourceGroupId", g)
}

func TestResourceGroupCapabilityAndAuthDetails(t *testing.T) {
	s := newTestService(t, Config{})
	caps := rmOK(t, s, "ListResourceGroupCapability", "Service", "ecs", "ResourceType", "instance")["Capabilities"].([]any)
	require.Len(t, caps, 1)
	assert.Equal(t, "ACS::ECS::Instance", path(caps, 0, "ResourceCenterResourceType"))
	assert.Equal(t, true, path(caps, 0, "SupportResourceGroupEvent"))
	all := rmOK(t, s, "ListResourceGroupCapability")["Capabilities"].([]any)
	noEvents := rmOK(t, s, "ListResourceGroupCapability", "SupportResourceGroupEvent", "false")["Capabilities"].([]any)
	assert.Greater(t, len(all), len(noEvents))
	assert.NotEmpty(t, noEvents)

	g := newGroup(t, s, "auth")
	out := rmOK(t, s, "ListResourceGroupsWithAuthDetails", "ResourceTypes.1.Service", "ecs", "ResourceTypes.1.ResourceTypeCode", "instance")
	assert.EqualValues(t, 2, out["TotalCount"])
	groups := out["ResourceGroups"].([]any)
	require.Len(t, groups, 2)
	assert.Equal(t, g, path(groups, 1, "Id"))
	auth := path(out, "AuthDetails", 0, "AuthOfResourceGroups").([]any)
	require.Len(t, auth, 2)
	assert.Equal(t, true, path(auth, 1, "HasPermission"))
	assert.EqualValues(t, 1, rmOK(t, s, "ListResourceGroupsWithAuthDetails", "Name", "auth")["TotalCount"])
}

func TestDeleteResourceGroupStaysPendingUntilTheClock(t *testing.T) {
	s := newTestService(t, Config{ResourceGroupDeleteDelay: time.Hour, MaxResourceGroups: 2})
	g := newGroup(t, s, "doomed")
	del := rmOK(t, s, "DeleteResourceGroup", "ResourceGroupId", g)
	assert.Equal(t, "PendingDelete", path(del, "ResourceGroup", "Status"))
	got := rmOK(t, s, "GetResourceGroup", "ResourceGroupId", g)
	assert.Equal(t, "PendingDelete", path(got, "ResourceGroup", "Status"))
	assert.Regexp(t, `^doomed-`+g+`-\d{8}$`, path(got, "ResourceGroup", "Name"))
	pending := rmOK(t, s, "ListResourceGroups", "Status", "PendingDelete")
	assert.EqualValues(t, 1, pending["TotalCount"])
	// Deleting again is refused; the name and the quota are free again.
	rmFails(t, s, "DeleteConflict.ResourceGroup.Resource", 409, "DeleteResourceGroup", "ResourceGroupId", g)
	newGroup(t, s, "doomed")
	ev := rmOK(t, s, "LookupResourceGroupEvents", "EventCategory", "ResourceGroupChange", "ResourceGroupId", g)["Events"].([]any)
	require.Len(t, ev, 2)
	assert.Equal(t, "Delete", path(ev, 0, "ChangeType"))

	s.Advance(time.Hour)
	rmFails(t, s, "EntityNotExists.ResourceGroup", 404, "GetResourceGroup", "ResourceGroupId", g)
	assert.EqualValues(t, 0, rmOK(t, s, "ListResourceGroups", "Status", "PendingDelete")["TotalCount"])
}

func TestResourceGroupSettings(t *testing.T) {
	s := newTestService(t, Config{})
	assert.Equal(t, false, rmOK(t, s, "GetResourceGroupNotificationSetting")["ResourceGroupNotificationEnableStatus"])
	rmFails(t, s, "UnsupportedOperation.RepeatDisableResourceGroupNotification", 409, "DisableResourceGroupNotification")
	rmOK(t, s, "EnableResourceGroupNotification")
	rmFails(t, s, "UnsupportedOperation.RepeatEnableResourceGroupNotification", 409, "EnableResourceGroupNotification")
	assert.Equal(t, true, rmOK(t, s, "GetResourceGroupNotificationSetting")["ResourceGroupNotificationEnableStatus"])
	rmOK(t, s, "DisableResourceGroupNotification")
	assert.Equal(t, false, rmOK(t, s, "GetResourceGroupNotificationSetting")["ResourceGroupNotificationEnableStatus"])

	assert.Equal(t, false, rmOK(t, s, "GetResourceGroupAdminSetting")["CreatorAsAdmin"])
	rmOK(t, s, "UpdateResourceGroupAdminSetting", "CreatorAsAdmin", "true")
	assert.Equal(t, true, rmOK(t, s, "GetResourceGroupAdminSetting")["CreatorAsAdmin"])
	rmFails(t, s, "MissingParameter", 400, "UpdateResourceGroupAdminSetting")
}

func TestAutoGroupingLifecycle(t *testing.T) {
	s := newTestService(t, Config{})
	g := newGroup(t, s, "prod")
	target := `{"children":[{"desired":"` + g + `","featurePath":"$.resourceGroupId","featureSource":"RESOURCE","operator":"StringEquals"}],"operator":"and"}`
	content := []string{"RuleContents.1.TargetResourceGroupCondition", target}
	rule := func(kv ...string) []string {
		return append(append([]string{"RuleName", "to-prod", "RuleType", "custom_condition"}, content...), kv...)
	}

	assert.Equal(t, "Disable", rmOK(t, s, "GetAutoGroupingStatus")["EnableStatus"])
	rmFails(t, s, "AutoGroupingNotEnabled", 409, "CreateAutoGroupingRule", rule()...)
	rmFails(t, s, "AutoGroupingNotEnabled", 409, "ListAutoGroupingRules")
	rmFails(t, s, "AutoGroupingNotEnabled", 409, "UpdateAutoGroupingConfig")
	rmFails(t, s, "UnsupportedOperation.RepeatDisableAutoGrouping", 409, "DisableAutoGrouping")
	rmOK(t, s, "EnableAutoGrouping")
	rmFails(t, s, "UnsupportedOperation.RepeatEnableAutoGrouping", 409, "EnableAutoGrouping")
	assert.Equal(t, "Enable", rmOK(t, s, "GetAutoGroupingStatus")["EnableStatus"])

	for _, tc := range []struct {
		code string
		kv   []string
	}{
		{"InvalidParameterCombination.BothRegionIdScopes", rule("RegionIdsScope", "cn-hangzhou", "ExcludeRegionIdsScope", "cn-beijing")},
		{"InvalidParameterCombination.BothResourceGroupIdScopes", rule("ResourceGroupIdsScope", g, "ExcludeResourceGroupIdsScope", g)},
		{"InvalidParameterCombination.BothResourceIdScopes", rule("ResourceIdsScope", "i-1", "ExcludeResourceIdsScope", "i-2")},
		{"InvalidParameterCombination.BothResourceTypeScopes", rule("ResourceTypesScope", "ecs.instance", "ExcludeResourceTypesScope", "vpc.vpc")},
		{"InvalidParameter.ResourceTypesScope", rule("ResourceTypesScope", "ecs.spaceship")},
		{"InvalidParameter.ExcludeResourceTypesScope", rule("ExcludeResourceTypesScope", "nothing")},
		{"InvalidParameter.ResourceGroupIdsScope", rule("ResourceGroupIdsScope", "rg-nosuch")},
		{"InvalidParameter.ExcludeResourceGroupIdsScope", rule("ExcludeResourceGroupIdsScope", "rg-nosuch")},
		{"InvalidParameter.RuleContents", []string{"RuleName", "x", "RuleType", "custom_condition", "RuleContents.1.TargetResourceGroupCondition", "{not json"}},
		{"MissingParameter.RuleContents", []string{"RuleName", "x", "RuleType", "custom_condition"}},
	} {
		rmFails(t, s, tc.code, 400, "CreateAutoGroupingRule", tc.kv...)
	}
	many := []string{"RuleName", "x", "RuleType", "custom_condition"}
	for i := 1; i <= 11; i++ {
		many = append(many, "RuleContents."+strconv.Itoa(i)+".TargetResourceGroupCondition", target)
	}
	rmFails(t, s, "QuotaExceeded.RuleContent", 409, "CreateAutoGroupingRule", many...)

	// A rule moves resources registered afterwards that it matches.
	id := rmOK(t, s, "CreateAutoGroupingRule", rule("ResourceTypesScope", "ecs.instance")...)["RuleId"].(string)
	in, err := s.AddResource(Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-auto"})
	require.NoError(t, err)
	assert.Equal(t, g, in)
	out, err := s.AddResource(Resource{Service: "vpc", ResourceType: "vpc", ResourceID: "vpc-auto"})
	require.NoError(t, err)
	assert.NotEqual(t, g, out, "out of the rule's type scope")
	rems := rmOK(t, s, "ListAutoGroupingRemediations", "RuleId", id)["Remediations"].([]any)
	require.Len(t, rems, 1)
	assert.Equal(t, "i-auto", path(rems, 0, "ResourceId"))
	assert.Equal(t, g, path(rems, 0, "TargetResourceGroupInfo", "ResourceGroupId"))
	assert.Empty(t, rmOK(t, s, "ListAutoGroupingRemediations", "RuleId", id, "Service", "vpc")["Remediations"])

	got := rmOK(t, s, "GetAutoGroupingRule", "RuleId", id)
	assert.Equal(t, "ecs.instance", path(got, "Rule", "ResourceTypesScope"))
	contentID := path(got, "Rule", "RuleContents", 0, "RuleContentId").(string)
	// Changing the rule with existing-resource transfer on moves the VPC too.
	rmOK(t, s, "UpdateAutoGroupingConfig", "EnableExistingResourcesTransfer", "true")
	assert.Equal(t, true, rmOK(t, s, "GetAutoGroupingStatus")["EnableExistedResourcesTransfer"])
	rmOK(t, s, "UpdateAutoGroupingRule", "RuleId", id, "RuleName", "renamed",
		"RuleContents.1.RuleContentId", contentID, "RuleContents.1.TargetResourceGroupCondition", target)
	assert.Len(t, rmOK(t, s, "ListAutoGroupingRemediations", "RuleId", id)["Remediations"], 2)
	assert.Equal(t, contentID, path(rmOK(t, s, "GetAutoGroupingRule", "RuleId", id), "Rule", "RuleContents", 0, "RuleContentId"))
	rmFails(t, s, "InvalidParameter.RuleContents", 400, "UpdateAutoGroupingRule", "RuleId", id, "RuleName", "x",
		"RuleContents.1.RuleContentId", "grc-nosuch", "RuleContents.1.TargetResourceGroupCondition", target)
	rmFails(t, s, "EntityNotExists.AutoGroupingRule", 404, "UpdateAutoGroupingRule", append([]string{"RuleId", "gr-nosuch"}, rule()...)...)

	assoc := rmOK(t, s, "CreateAutoGroupingRule", "RuleName", "assoc", "RuleType", "associated_transfer", content[0], content[1])["RuleId"].(string)
	rmFails(t, s, "Invalid.AssociatedTransferRule.AlreadyExisted", 400, "CreateAutoGroupingRule",
		"RuleName", "assoc2", "RuleType", "associated_transfer", content[0], content[1])
	rmFails(t, s, "Invalid.AssociatedTransferRule.NotSupported", 400, "UpdateAutoGroupingRule", append([]string{"RuleId", assoc, "RuleName", "x"}, content...)...)

	list := rmOK(t, s, "ListAutoGroupingRules", "MaxResults", "1")
	assert.Len(t, list["Rules"], 1)
	require.NotEmpty(t, list["NextToken"])
	assert.Len(t, rmOK(t, s, "ListAutoGroupingRules", "RuleType", "associated_transfer")["Rules"], 1)
	rmFails(t, s, "InvalidParameter.NextToken", 400, "ListAutoGroupingRules", "NextToken", "bogus")

	rmOK(t, s, "DeleteAutoGroupingRule", "RuleId", id)
	rmFails(t, s, "EntityNotExists.AutoGroupingRule", 404, "GetAutoGroupingRule", "RuleId", id)
	rmFails(t, s, "EntityNotExists.AutoGroupingRule", 404, "DeleteAutoGroupingRule", "RuleId", id)
	rmOK(t, s, "DisableAutoGrouping")
	rmFails(t, s, "AutoGroupingNotEnabled", 409, "GetAutoGroupingRule", "RuleId", assoc)
	rmFails(t, s, "AutoGroupingNotEnabled", 409, "ListAutoGroupingRemediations", "RuleId", assoc)
	rmFails(t, s, "AutoGroupingNotEnabled", 409, "DeleteAutoGroupingRule", "RuleId", assoc)
}

func TestAutoGroupingIsEnablingInItsOwnReply(t *testing.T) {
	s := newTestService(t, Config{})
	s.mu.Lock()
	ag := s.st.autoGrouping(s.cfg.ManagementAccountID)
	ag.Enabled, ag.ReadySeq = true, s.st.reqSeq+1 // as if the next request enabled it
	s.mu.Unlock()
	assert.Equal(t, "Enabling", rmOK(t, s, "GetAutoGroupingStatus")["EnableStatus"])
	assert.Equal(t, "Enable", rmOK(t, s, "GetAutoGroupingStatus")["EnableStatus"])
}

func TestAssociatedTransfer(t *testing.T) {
	s := newTestService(t, Config{})
	disk := []string{"RuleSettings.1.MasterService", "ecs", "RuleSettings.1.MasterResourceType", "instance",
		"RuleSettings.1.AssociatedService", "ecs", "RuleSettings.1.AssociatedResourceType", "disk", "RuleSettings.1.Status", "Disable"}
	rmFails(t, s, "EntityNotExists.AssociatedTransferSetting", 404, "ListAssociatedTransferSetting")
	rmFails(t, s, "UnsupportedOperation.RepeatDisableAssociatedTransferSetting", 400, "DisableAssociatedTransfer")
	rmFails(t, s, "UnsupportedOperation.UpdateAssociatedTransferRuleSetting", 400, "UpdateAssociatedTransferSetting", disk...)
	rmOK(t, s, "EnableAssociatedTransfer")
	rmFails(t, s, "UnsupportedOperation.RepeatEnableAssociatedTransferSetting", 400, "EnableAssociatedTransfer")
	set := rmOK(t, s, "ListAssociatedTransferSetting")["AssociatedTransferSetting"]
	assert.Equal(t, "Enable", path(set, "Status"))
	assert.Equal(t, "false", path(set, "EnableExistingResourcesTransfer"))
	assert.Equal(t, "Enable", path(set, "RuleSettings", 0, "Status"))

	rmOK(t, s, "UpdateAssociatedTransferSetting", append([]string{"EnableExistingResourcesTransfer", "true"}, disk...)...)
	set = rmOK(t, s, "ListAssociatedTransferSetting")["AssociatedTransferSetting"]
	assert.Equal(t, "true", path(set, "EnableExistingResourcesTransfer"))
	assert.Equal(t, "disk", path(set, "RuleSettings", 0, "AssociatedResourceType"))
	assert.Equal(t, "Disable", path(set, "RuleSettings", 0, "Status"))
	rmFails(t, s, "EntityNotExists.AssociatedTransferRule", 404, "UpdateAssociatedTransferSetting",
		"RuleSettings.1.MasterService", "ecs", "RuleSettings.1.MasterResourceType", "instance",
		"RuleSettings.1.AssociatedService", "oss", "RuleSettings.1.AssociatedResourceType", "bucket", "RuleSettings.1.Status", "Enable")

	rmOK(t, s, "DisableAssociatedTransfer")
	assert.Equal(t, "Disable", path(rmOK(t, s, "ListAssociatedTransferSetting"), "AssociatedTransferSetting", "Status"))
}

func TestTagRules(t *testing.T) {
	s := newTestService(t, Config{})
	g := newGroup(t, s, "tagged")
	long := make([]byte, 129)
	for i := range long {
		long[i] = 'k'
	}
	bad := []struct{ key, value string }{
		{"aliyun-x", "v"}, {"Aliyunx", "v"}, {"acs:x", "v"}, {"a http://x", "v"}, {"HTTPS://x", "v"},
		{"k", "acs:v"}, {"k", "see http://x"}, {"k", "https://x"}, {"", "v"}, {string(long), "v"},
		{"k", string(long)}, {"k\xff", "v"}, {"k", "v\xfe"},
	}
	for _, b := range bad {
		rmFails(t, s, "InvalidTag", 400, "TagResources", "ResourceId.1", g, "Tag.1.Key", b.key, "Tag.1.Value", b.value)
		rmFails(t, s, "InvalidTag", 400, "CreateResourceGroup", "Name", "t2", "DisplayName", "t2", "Tag.1.Key", b.key, "Tag.1.Value", b.value)

		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, signedRequest(t, s, "2020-01-10", "TagResources", url.Values{"RegionId": {"cn-hangzhou"},
			"ResourceType": {"ResourceShare"}, "ResourceId.1": {"rs-x"}, "Tag.1.Key": {b.key}, "Tag.1.Value": {b.value}}))
		assert.Equal(t, http.StatusBadRequest, rec.Code, "%q=%q: %s", b.key, b.value, rec.Body.String())
		assert.Equal(t, "InvalidTags", decodeBody(t, rec)["Code"], "%q=%q", b.key, b.value)
	}
	// The rules leave ordinary tags alone: an empty value, colons, a key
	// that merely contains "aliyun", 128 characters.
	rmOK(t, s, "TagResources", "ResourceId.1", g, "Tag.1.Key", "team:web", "Tag.1.Value", "",
		"Tag.2.Key", "my-aliyun", "Tag.2.Value", "x:acs:", "Tag.3.Key", string(long[:128]), "Tag.3.Value", string(long[:128]))

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-01-10", "TagResources", url.Values{"RegionId": {"cn-hangzhou"},
		"ResourceType": {"ResourceShare"}, "ResourceId.1": {"rs-x"}}))
	assert.Equal(t, "MissingParameter.Tags", decodeBody(t, rec)["Code"])
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-01-10", "TagResources", url.Values{"RegionId": {"cn-hangzhou"},
		"ResourceType": {"ResourceShare"}, "Tag.1.Key": {"k"}}))
	assert.Equal(t, "MissingParameter.ResourceIds", decodeBody(t, rec)["Code"])
}
