package e2e_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/resourcesharing"
)

func TestPermissions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	all := collect(t, e.rs.ListPermissionsAll(c, &resourcesharing.ListPermissionsRequest{MaxResults: 2}))
	require.GreaterOrEqual(t, len(all), 3)
	names := map[string]bool{}
	for _, p := range all {
		names[p.PermissionName] = true
		assert.True(t, p.DefaultPermission)
	}
	assert.True(t, names["AliyunRSDefaultPermissionVSwitch"])

	one, err := e.rs.ListPermissions(c, &resourcesharing.ListPermissionsRequest{ResourceType: "VSwitch"})
	require.NoError(t, err)
	require.Len(t, one.Permissions, 1)
	_, err = e.rs.ListPermissions(c, &resourcesharing.ListPermissionsRequest{ResourceType: "Spaceship"})
	requireCode(t, err, resourcesharing.ErrInvalidParameterResourceType, http.StatusBadRequest)

	got, err := e.rs.GetPermission(c, &resourcesharing.GetPermissionRequest{PermissionName: "AliyunRSDefaultPermissionVSwitch"})
	require.NoError(t, err)
	assert.Equal(t, resourcesharing.ResourceTypeVSwitch, got.Permission.ResourceType)
	assert.Equal(t, "v1", got.Permission.PermissionVersion)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(got.Permission.Permission), &doc))
	assert.Contains(t, doc, "Statement")
	_, err = e.rs.GetPermission(c, &resourcesharing.GetPermissionRequest{PermissionName: "AliyunRSDefaultPermissionVSwitch", PermissionVersion: "v9"})
	requireCode(t, err, resourcesharing.ErrInvalidParameterPermissionVersion, http.StatusBadRequest)
	_, err = e.rs.GetPermission(c, &resourcesharing.GetPermissionRequest{PermissionName: "Nope"})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsPermission, http.StatusNotFound)
	versions, err := e.rs.ListPermissionVersions(c, &resourcesharing.ListPermissionVersionsRequest{PermissionName: "AliyunRSDefaultPermissionImage"})
	require.NoError(t, err)
	require.Len(t, versions.Permissions, 1)

	sh, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "perm", Resources: vsw("vsw-p")})
	require.NoError(t, err)
	id := sh.ResourceShare.ResourceShareId
	perms, err := e.rs.ListResourceSharePermissions(c, &resourcesharing.ListResourceSharePermissionsRequest{ResourceShareId: id, ResourceOwner: resourcesharing.ResourceOwnerSelf})
	require.NoError(t, err)
	require.Len(t, perms.Permissions, 1)
	assert.Equal(t, "AliyunRSDefaultPermissionVSwitch", perms.Permissions[0].PermissionName)

	_, err = e.rs.AssociateResourceSharePermission(c, &resourcesharing.AssociateResourceSharePermissionRequest{ResourceShareId: id, PermissionName: "AliyunRSDefaultPermissionSnapshot"})
	require.NoError(t, err)
	perms, err = e.rs.ListResourceSharePermissions(c, &resourcesharing.ListResourceSharePermissionsRequest{ResourceShareId: id, ResourceOwner: resourcesharing.ResourceOwnerSelf})
	require.NoError(t, err)
	assert.Len(t, perms.Permissions, 2)
	byPerm, err := e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, PermissionName: "AliyunRSDefaultPermissionSnapshot"})
	require.NoError(t, err)
	assert.Len(t, byPerm.ResourceShares, 1)

	_, err = e.rs.DisassociateResourceSharePermission(c, &resourcesharing.DisassociateResourceSharePermissionRequest{ResourceShareId: id, PermissionName: "AliyunRSDefaultPermissionVSwitch"})
	requireCode(t, err, resourcesharing.ErrDisassociateConflictPermission, http.StatusConflict)
	_, err = e.rs.DisassociateResourceSharePermission(c, &resourcesharing.DisassociateResourceSharePermissionRequest{ResourceShareId: id, PermissionName: "AliyunRSDefaultPermissionSnapshot"})
	require.NoError(t, err)
	_, err = e.rs.AssociateResourceSharePermission(c, &resourcesharing.AssociateResourceSharePermissionRequest{ResourceShareId: "rs-000000000000", PermissionName: "AliyunRSDefaultPermissionSnapshot"})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsResourceShare, http.StatusNotFound)
	_, err = e.rs.ListResourceSharePermissions(c, &resourcesharing.ListResourceSharePermissionsRequest{ResourceShareId: id, ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsResourceShare, http.StatusNotFound)
}

func TestDescribeRegions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	out, err := e.rs.DescribeRegions(ctx(t), &resourcesharing.DescribeRegionsRequest{AcceptLanguage: resourcesharing.AcceptLanguageEnUS})
	require.NoError(t, err)
	require.NotEmpty(t, out.Regions)
	assert.Equal(t, "cn-hangzhou", out.Regions[0].RegionId)
	assert.Equal(t, "resourcesharing.cn-hangzhou.aliyuncs.com", out.Regions[0].RegionEndpoint)
}
