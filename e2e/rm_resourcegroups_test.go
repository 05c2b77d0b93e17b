package e2e_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

func TestResourceGroupLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	out, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "web", DisplayName: "Web apps",
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "cost", Value: "42"}}})
	require.NoError(t, err)
	g := out.ResourceGroup
	assert.True(t, strings.HasPrefix(g.Id, "rg-"))
	assert.Equal(t, resourcemanager.ResourceGroupStatusCreating, g.Status)
	assert.Equal(t, e.srv.ManagementAccountID(), g.AccountId)
	assert.NotEmpty(t, g.RegionStatuses)

	got, err := e.rm.GetResourceGroup(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: g.Id, IncludeTags: true})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.ResourceGroupStatusOK, got.ResourceGroup.Status)
	require.Len(t, got.ResourceGroup.Tags, 1)
	assert.Equal(t, "cost", got.ResourceGroup.Tags[0].TagKey)
	assert.Equal(t, "42", got.ResourceGroup.Tags[0].TagValue)

	all := collect(t, e.rm.ListResourceGroupsAll(c, &resourcemanager.ListResourceGroupsRequest{PageSize: 1}))
	require.Len(t, all, 2, "the default group and the new one")
	assert.Equal(t, "default", all[0].Name)
	byName, err := e.rm.ListResourceGroups(c, &resourcemanager.ListResourceGroupsRequest{Name: "web"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, byName.TotalCount)

	upd, err := e.rm.UpdateResourceGroup(c, &resourcemanager.UpdateResourceGroupRequest{ResourceGroupId: g.Id, NewDisplayName: "Web"})
	require.NoError(t, err)
	assert.Equal(t, "Web", upd.ResourceGroup.DisplayName)

	del, err := e.rm.DeleteResourceGroup(c, &resourcemanager.DeleteResourceGroupRequest{ResourceGroupId: g.Id})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.ResourceGroupStatusPendingDelete, del.ResourceGroup.Status)
	pending, err := e.rm.GetResourceGroup(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: g.Id})
	require.NoError(t, err, "a group stays visible while its deletion is pending")
	assert.Equal(t, resourcemanager.ResourceGroupStatusPendingDelete, pending.ResourceGroup.Status)
	e.srv.Advance(73 * time.Hour)
	_, err = e.rm.GetResourceGroup(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: g.Id})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceGroup, http.StatusNotFound)
}

func TestResourceGroupErrors(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithMaxResourceGroups(2))
	c := ctx(t)
	g, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "busy", DisplayName: "busy"})
	require.NoError(t, err)
	_, err = e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "more", DisplayName: "more"})
	requireCode(t, err, resourcemanager.ErrLimitExceededResourceGroup, http.StatusConflict)

	_, err = e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "in-busy", ResourceGroupId: g.ResourceGroup.Id})
	require.NoError(t, err)
	_, err = e.rm.DeleteResourceGroup(c, &resourcemanager.DeleteResourceGroupRequest{ResourceGroupId: g.ResourceGroup.Id})
	requireCode(t, err, resourcemanager.ErrDeleteConflictResourceGroupResource, http.StatusConflict)

	list, err := e.rm.ListResourceGroups(c, &resourcemanager.ListResourceGroupsRequest{Name: "default"})
	require.NoError(t, err)
	require.Len(t, list.ResourceGroups, 1)
	_, err = e.rm.DeleteResourceGroup(c, &resourcemanager.DeleteResourceGroupRequest{ResourceGroupId: list.ResourceGroups[0].Id})
	requireCode(t, err, resourcemanager.ErrDeleteConflictResourceGroupResource, http.StatusConflict)

	_, err = e.rm.GetResourceGroup(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: "rg-doesnotexist"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceGroup, http.StatusNotFound)
	_, err = e.rm.GetResourceGroup(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: "group"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterResourceGroupId, http.StatusBadRequest)
	other, _ := e.as("6000000000000006")
	_, err = other.GetResourceGroup(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: g.ResourceGroup.Id})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceGroup, http.StatusNotFound)

	for _, tc := range []struct {
		kv   []string
		code string
	}{
		{[]string{"Name", "bad name", "DisplayName", "x"}, "InvalidParameter.Name.InvalidChars"},
		{[]string{"Name", "a", "DisplayName", "x"}, "InvalidParameter.Name.Length"},
		{[]string{"Name", "ok-name", "DisplayName", strings.Repeat("d", 51)}, "InvalidParameter.DisplayName.Length"},
		{[]string{"Name", "ok-name"}, "MissingParameter.DisplayName"},
		{[]string{"Name", "busy", "DisplayName", "dup"}, "InvalidName"},
	} {
		status, code := rmRaw(t, e.srv, "CreateResourceGroup", tc.kv...)
		assert.Equal(t, http.StatusBadRequest, status, tc.kv)
		assert.Equal(t, tc.code, code, tc.kv)
	}
	status, code := rmRaw(t, e.srv, "UpdateResourceGroup", "ResourceGroupId", g.ResourceGroup.Id, "NewDisplayName", strings.Repeat("d", 51))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidParameter.DisplayName.Length", code)
}
