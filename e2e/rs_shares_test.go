package e2e_test

import (
	"fmt"
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

func vsw(ids ...string) alicloud.List[resourcesharing.Resource] {
	var out alicloud.List[resourcesharing.Resource]
	for _, id := range ids {
		out = append(out, resourcesharing.Resource{ResourceId: id, ResourceType: resourcesharing.ResourceTypeVSwitch})
	}
	return out
}

// member creates a member account and returns its ID.
func (e *env) member(t *testing.T, name string) string {
	t.Helper()
	out, err := e.rm.CreateResourceAccount(ctx(t), &resourcemanager.CreateResourceAccountRequest{DisplayName: name})
	require.NoError(t, err)
	return out.Account.AccountId
}

func TestResourceShareLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	memberID := e.member(t, "consumer")

	out, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{
		ResourceShareName: "network", Resources: vsw("vsw-a"), Targets: alicloud.List[string]{memberID},
		Tag: alicloud.List[resourcesharing.Tag]{{Key: "env", Value: "prod"}},
	})
	require.NoError(t, err)
	sh := out.ResourceShare
	assert.True(t, strings.HasPrefix(sh.ResourceShareId, "rs-"))
	assert.Equal(t, resourcesharing.ResourceShareStatusActive, sh.ResourceShareStatus)
	assert.Equal(t, e.srv.ManagementAccountID(), sh.ResourceShareOwner)
	assert.False(t, sh.AllowExternalTargets)

	assocs, err := e.rs.ListResourceShareAssociations(c, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeResource})
	require.NoError(t, err)
	require.Len(t, assocs.ResourceShareAssociations, 1)
	a := assocs.ResourceShareAssociations[0]
	assert.Equal(t, resourcesharing.AssociationStatusAssociated, a.AssociationStatus)
	assert.Equal(t, "vsw-a", a.EntityId)
	assert.Equal(t, "VSwitch", a.EntityType)
	assert.Equal(t, "acs:vpc:cn-hangzhou:"+e.srv.ManagementAccountID()+":vswitch/vsw-a", a.ResourceArn)
	targets, err := e.rs.ListResourceShareAssociations(c, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeTarget, Target: memberID})
	require.NoError(t, err)
	require.Len(t, targets.ResourceShareAssociations, 1)
	assert.False(t, targets.ResourceShareAssociations[0].External)
	assert.Equal(t, "Account", targets.ResourceShareAssociations[0].EntityType)

	upd, err := e.rs.UpdateResourceShare(c, &resourcesharing.UpdateResourceShareRequest{ResourceShareId: sh.ResourceShareId, ResourceShareName: "net", AllowExternalTargets: alicloud.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, "net", upd.ResourceShare.ResourceShareName)
	assert.True(t, upd.ResourceShare.AllowExternalTargets)

	mine, err := e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf,
		Tag: alicloud.List[resourcesharing.Tag]{{Key: "env", Value: "prod"}}})
	require.NoError(t, err)
	require.Len(t, mine.ResourceShares, 1)
	assert.Equal(t, []resourcesharing.Tag{{Key: "env", Value: "prod"}}, mine.ResourceShares[0].Tags)
	assert.NotEmpty(t, mine.ResourceShares[0].ResourceGroupId, "shares land in the default resource group")

	_, memberRS := e.as(memberID)
	theirs, err := memberRS.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	require.Len(t, theirs.ResourceShares, 1)
	res, err := memberRS.ListSharedResources(c, &resourcesharing.ListSharedResourcesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	require.Len(t, res.SharedResources, 1)
	assert.Equal(t, "vsw-a", res.SharedResources[0].ResourceId)
	assert.Equal(t, resourcesharing.ResourceStatusAvailable, res.SharedResources[0].ResourceStatus)
	tg, err := e.rs.ListSharedTargets(c, &resourcesharing.ListSharedTargetsRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, ResourceType: "VSwitch"})
	require.NoError(t, err)
	require.Len(t, tg.SharedTargets, 1)
	assert.Equal(t, memberID, tg.SharedTargets[0].TargetId)

	// A share is regional.
	other, err := e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf},
		resourcesharing.WithRegion("cn-shanghai"))
	require.NoError(t, err)
	assert.Empty(t, other.ResourceShares)

	_, err = e.rs.DeleteResourceShare(c, &resourcesharing.DeleteResourceShareRequest{ResourceShareId: sh.ResourceShareId})
	require.NoError(t, err)
	_, err = e.rs.DeleteResourceShare(c, &resourcesharing.DeleteResourceShareRequest{ResourceShareId: sh.ResourceShareId})
	requireCode(t, err, resourcesharing.ErrResourceShareStatusMismatchAction, http.StatusConflict)
	deleted, err := e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf,
		ResourceShareStatus: resourcesharing.ResourceShareStatusDeleted})
	require.NoError(t, err)
	require.Len(t, deleted.ResourceShares, 1)
	_, err = e.rs.UpdateResourceShare(c, &resourcesharing.UpdateResourceShareRequest{ResourceShareId: sh.ResourceShareId, ResourceShareName: "x"})
	requireCode(t, err, resourcesharing.ErrResourceShareStatusMismatchAction, http.StatusConflict)
	_, err = e.rs.AssociateResourceShare(c, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: sh.ResourceShareId, Resources: vsw("vsw-b")})
	requireCode(t, err, resourcesharing.ErrResourceShareStatusMismatchAction, http.StatusConflict)
	theirs, err = memberRS.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	assert.Empty(t, theirs.ResourceShares)
}

func TestListResourceSharesPaging(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	for i := range 7 {
		_, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: fmt.Sprintf("s%d", i)})
		require.NoError(t, err)
	}
	first, err := e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, MaxResults: 3})
	require.NoError(t, err)
	require.Len(t, first.ResourceShares, 3)
	require.NotEmpty(t, first.NextToken)
	all := collect(t, e.rs.ListResourceSharesAll(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, MaxResults: 3}))
	require.Len(t, all, 7)
	assert.Equal(t, "s0", all[0].ResourceShareName)
	assert.Equal(t, "s6", all[6].ResourceShareName)

	_, err = e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, NextToken: "bogus"})
	requireCode(t, err, resourcesharing.ErrInvalidParameterNextToken, http.StatusBadRequest)
	_, err = e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts,
		Tag: alicloud.List[resourcesharing.Tag]{{Key: "k"}}})
	requireCode(t, err, resourcesharing.ErrInvalidParameterResourceOwnerAndTag, http.StatusBadRequest)

	for _, tc := range []struct {
		kv   []string
		code string
	}{
		{[]string{"ResourceOwner", "Self", "MaxResults", "101"}, "InvalidParameter.MaxResults"},
		{[]string{"ResourceOwner", "Self", "MaxResults", "0"}, "InvalidParameter.MaxResults"},
		{[]string{"ResourceOwner", "Self", "MaxResults", "ten"}, "InvalidParameter.MaxResults"},
		{[]string{"ResourceOwner", "Everyone"}, "InvalidParameter.ResourceOwner"},
		{[]string{"ResourceOwner", "Self", "ResourceShareStatus", "Gone"}, "InvalidParameter.ResourceShareStatus"},
		{[]string{"ResourceOwner", "Self", "ResourceShareIds.1", "rs-1", "ResourceShareIds.2", "rs-1"}, "InvalidParameter.ResourceShareIds.Duplicate"},
		{[]string{"ResourceOwner", "Self", "ResourceShareIds.1", "rs-1", "ResourceShareIds.2", "rs-2", "ResourceShareIds.3", "rs-3",
			"ResourceShareIds.4", "rs-4", "ResourceShareIds.5", "rs-5", "ResourceShareIds.6", "rs-6"}, "InvalidParameter.ResourceShareIds.Length"},
	} {
		status, code := rsRaw(t, e.srv, "ListResourceShares", tc.kv...)
		assert.Equal(t, http.StatusBadRequest, status, tc.kv)
		assert.Equal(t, tc.code, code, tc.kv)
	}
}

func TestCreateResourceShareErrors(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithSharedResourceQuota(2), alicloudtest.WithMaxResourceShares(3))
	c := ctx(t)
	mgmt := e.srv.ManagementAccountID()
	for _, tc := range []struct {
		name   string
		req    resourcesharing.CreateResourceShareRequest
		code   alicloud.ErrorCode
		status int
	}{
		{"resource type", resourcesharing.CreateResourceShareRequest{Resources: alicloud.List[resourcesharing.Resource]{{ResourceId: "x", ResourceType: "Database"}}}, resourcesharing.ErrInvalidParameterResourceType, 400},
		{"yourself", resourcesharing.CreateResourceShareRequest{Targets: alicloud.List[string]{mgmt}}, resourcesharing.ErrShareWithYourself, 409},
		{"outside", resourcesharing.CreateResourceShareRequest{Targets: alicloud.List[string]{"8000000000000008"}}, resourcesharing.ErrAccountNotInResourceDirectory, 409},
		{"malformed target", resourcesharing.CreateResourceShareRequest{Targets: alicloud.List[string]{"everyone"}}, resourcesharing.ErrInvalidParameterTargets, 400},
		{"unknown folder", resourcesharing.CreateResourceShareRequest{Targets: alicloud.List[string]{"fd-0000000000"}}, resourcesharing.ErrInvalidTarget, 400},
		{"permission", resourcesharing.CreateResourceShareRequest{PermissionNames: alicloud.List[string]{"NoSuchPermission"}}, resourcesharing.ErrEntityNotExistsPermission, 404},
		{"name", resourcesharing.CreateResourceShareRequest{ResourceShareName: "bad name!"}, resourcesharing.ErrInvalidParameterResourceShareName, 400},
		{"arn", resourcesharing.CreateResourceShareRequest{ResourceArns: alicloud.List[string]{"arn:aws:x"}}, resourcesharing.ErrInvalidParameterResourceArns, 400},
		{"conflict", resourcesharing.CreateResourceShareRequest{Resources: vsw("vsw-1"), ResourceArns: alicloud.List[string]{"acs:vpc:cn-hangzhou:1:vswitch/vsw-2"}}, resourcesharing.ErrInvalidParameterResourceConflict, 400},
		{"quota", resourcesharing.CreateResourceShareRequest{Resources: vsw("vsw-1", "vsw-2", "vsw-3")}, resourcesharing.ErrQuotaExceededSharedResourceCount, 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.ResourceShareName == "" {
				tc.req.ResourceShareName = "s"
			}
			_, err := e.rs.CreateResourceShare(c, &tc.req)
			requireCode(t, err, tc.code, tc.status)
		})
	}
	byArn, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "arn",
		ResourceArns: alicloud.List[string]{"acs:ecs:cn-hangzhou:" + mgmt + ":snapshot/s-1"}})
	require.NoError(t, err)
	res, err := e.rs.ListSharedResources(c, &resourcesharing.ListSharedResourcesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf,
		ResourceShareIds: alicloud.List[string]{byArn.ResourceShare.ResourceShareId}})
	require.NoError(t, err)
	require.Len(t, res.SharedResources, 1)
	assert.Equal(t, resourcesharing.ResourceTypeSnapshot, res.SharedResources[0].ResourceType)

	for i := range 2 {
		_, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: fmt.Sprintf("n%d", i)})
		require.NoError(t, err)
	}
	_, err = e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "one-too-many"})
	requireCode(t, err, resourcesharing.ErrQuotaExceededResourceShareCount, http.StatusConflict)

	six := []string{"ResourceShareName", "s"}
	for i := 1; i <= 6; i++ {
		six = append(six, fmt.Sprintf("Resources.%d.ResourceId", i), fmt.Sprintf("vsw-%d", i), fmt.Sprintf("Resources.%d.ResourceType", i), "VSwitch")
	}
	for _, tc := range []struct {
		kv   []string
		code string
	}{
		{[]string{"ResourceShareName", strings.Repeat("n", 51)}, "InvalidParameter.ResourceShareName.Length"},
		{six, "InvalidParameter.Resources.Length"},
		{[]string{"ResourceShareName", "s", "Resources.1.ResourceId", "vsw-1", "Resources.1.ResourceType", "VSwitch",
			"Resources.2.ResourceId", "vsw-1", "Resources.2.ResourceType", "VSwitch"}, "InvalidParameter.Resources.Duplicate"},
		{[]string{"ResourceShareName", "s", "Resources.1.ResourceId", "vsw-1"}, "InvalidParameter.Resources"},
		{[]string{"ResourceShareName", "s", "Targets.1", "1", "Targets.2", "1"}, "InvalidParameter.Targets.Duplicate"},
		{[]string{"ResourceShareName", "s", "AllowExternalTargets", "yes"}, "InvalidParameter"},
	} {
		status, code := rsRaw(t, e.srv, "CreateResourceShare", tc.kv...)
		assert.Equal(t, http.StatusBadRequest, status, tc.kv)
		assert.Equal(t, tc.code, code, tc.kv)
	}
}

// TestAssociateResourceShare covers the seed operation AssociateResourceShare
// and its documented errors.
func TestAssociateResourceShare(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithSharedResourceQuota(5))
	c := ctx(t)
	memberID := e.member(t, "target")
	out, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "test"})
	require.NoError(t, err)
	id := out.ResourceShare.ResourceShareId

	as, err := e.rs.AssociateResourceShare(c, &resourcesharing.AssociateResourceShareRequest{
		ResourceShareId: id, Resources: vsw("vsw-bp183p93qs667muql"), Targets: alicloud.List[string]{memberID}})
	require.NoError(t, err)
	require.Len(t, as.ResourceShareAssociations, 2)
	r, tg := as.ResourceShareAssociations[0], as.ResourceShareAssociations[1]
	assert.Equal(t, resourcesharing.AssociationStatusAssociating, r.AssociationStatus)
	assert.Equal(t, resourcesharing.AssociationTypeResource, r.AssociationType)
	assert.Equal(t, "VSwitch", r.EntityType)
	assert.Equal(t, "test", r.ResourceShareName)
	assert.Equal(t, id, r.ResourceShareId)
	assert.Equal(t, resourcesharing.AssociationTypeTarget, tg.AssociationType)
	assert.Equal(t, "Account", tg.EntityType)
	assert.Equal(t, memberID, tg.EntityId)

	list := collect(t, e.rs.ListResourceShareAssociationsAll(c, &resourcesharing.ListResourceShareAssociationsRequest{
		AssociationType: resourcesharing.AssociationTypeResource, ResourceShareIds: alicloud.List[string]{id}}))
	require.Len(t, list, 1)
	assert.Equal(t, resourcesharing.AssociationStatusAssociated, list[0].AssociationStatus, "Associated from the next request on")

	// Associating what is associated already answers the existing association.
	again, err := e.rs.AssociateResourceShare(c, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Resources: vsw("vsw-bp183p93qs667muql")})
	require.NoError(t, err)
	assert.Equal(t, resourcesharing.AssociationStatusAssociated, again.ResourceShareAssociations[0].AssociationStatus)

	for _, tc := range []struct {
		name   string
		req    resourcesharing.AssociateResourceShareRequest
		code   alicloud.ErrorCode
		status int
	}{
		{"unknown share", resourcesharing.AssociateResourceShareRequest{ResourceShareId: "rs-000000000000", Resources: vsw("v")}, resourcesharing.ErrEntityNotExistsResourceShare, 404},
		{"malformed share", resourcesharing.AssociateResourceShareRequest{ResourceShareId: "share-1", Resources: vsw("v")}, resourcesharing.ErrInvalidParameterResourceShareId, 400},
		{"yourself", resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Targets: alicloud.List[string]{e.srv.ManagementAccountID()}}, resourcesharing.ErrShareWithYourself, 409},
		{"outside", resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Targets: alicloud.List[string]{"8100000000000081"}}, resourcesharing.ErrAccountNotInResourceDirectory, 409},
		{"unknown folder", resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Targets: alicloud.List[string]{"fd-0000000000"}}, resourcesharing.ErrInvalidTarget, 400},
		{"quota", resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Resources: vsw("v1", "v2", "v3", "v4", "v5")}, resourcesharing.ErrQuotaExceededSharedResourceCount, 409},
		{"resource type", resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Resources: alicloud.List[resourcesharing.Resource]{{ResourceId: "x", ResourceType: "Nope"}}}, resourcesharing.ErrInvalidParameterResourceType, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.rs.AssociateResourceShare(c, &tc.req)
			requireCode(t, err, tc.code, tc.status)
		})
	}
	// Another account's share does not exist for the caller.
	_, memberRS := e.as(memberID)
	_, err = memberRS.AssociateResourceShare(c, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Resources: vsw("v")})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsResourceShare, http.StatusNotFound)

	// Found by the client first, and by the server for other clients.
	_, err = e.rs.AssociateResourceShare(c, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id})
	require.ErrorIs(t, err, resourcesharing.ErrResourceAndTargetBothEmpty)
	six := []string{"ResourceShareId", id, "RegionId", "cn-hangzhou"}
	sixRes := slicesClone(six)
	for i := 1; i <= 6; i++ {
		six = append(six, fmt.Sprintf("Targets.%d", i), fmt.Sprintf("82000000000000%02d", i))
		sixRes = append(sixRes, fmt.Sprintf("Resources.%d.ResourceId", i), fmt.Sprintf("v%d", i), fmt.Sprintf("Resources.%d.ResourceType", i), "VSwitch")
	}
	for _, tc := range []struct {
		kv   []string
		code string
	}{
		{[]string{"ResourceShareId", id}, "ResourceAndTargetBothEmpty"},
		{six, "InvalidParameter.Targets.Length"},
		{sixRes, "InvalidParameter.Resources.Length"},
		{[]string{"ResourceShareId", id, "Targets.1", memberID, "Targets.2", memberID}, "InvalidParameter.Targets.Duplicate"},
		{[]string{"ResourceShareId", id, "Resources.1.ResourceId", "v", "Resources.1.ResourceType", "VSwitch",
			"Resources.2.ResourceId", "v", "Resources.2.ResourceType", "VSwitch"}, "InvalidParameter.Resources.Duplicate"},
		{[]string{"ResourceShareId", id, "Resources.1.ResourceType", "VSwitch"}, "InvalidParameter.Resources"},
	} {
		status, code := rsRaw(t, e.srv, "AssociateResourceShare", tc.kv...)
		assert.Equal(t, http.StatusBadRequest, status, tc.kv)
		assert.Equal(t, tc.code, code, tc.kv)
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

func TestAssociationDelayAndConflicts(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithAssociationDelay(time.Hour))
	c := ctx(t)
	out, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "slow", Resources: vsw("vsw-1")})
	require.NoError(t, err)
	id := out.ResourceShare.ResourceShareId
	status := func() resourcesharing.AssociationStatus {
		l, err := e.rs.ListResourceShareAssociations(c, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeResource, ResourceId: "vsw-1"})
		require.NoError(t, err)
		require.Len(t, l.ResourceShareAssociations, 1)
		return l.ResourceShareAssociations[0].AssociationStatus
	}
	assert.Equal(t, resourcesharing.AssociationStatusAssociating, status())
	_, err = e.rs.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: id, Resources: vsw("vsw-1")})
	requireCode(t, err, resourcesharing.ErrDisassociateConflict, http.StatusConflict)

	e.srv.Advance(time.Hour)
	assert.Equal(t, resourcesharing.AssociationStatusAssociated, status())
	dis, err := e.rs.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: id, Resources: vsw("vsw-1")})
	require.NoError(t, err)
	assert.Equal(t, resourcesharing.AssociationStatusDisassociating, dis.ResourceShareAssociations[0].AssociationStatus)
	_, err = e.rs.AssociateResourceShare(c, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Resources: vsw("vsw-1")})
	requireCode(t, err, resourcesharing.ErrAssociateConflict, http.StatusConflict)
	_, err = e.rs.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: id, Resources: vsw("vsw-1")})
	requireCode(t, err, resourcesharing.ErrDisassociateInvalid, http.StatusBadRequest)

	e.srv.Advance(time.Hour)
	assert.Equal(t, resourcesharing.AssociationStatusDisassociated, status())
	_, err = e.rs.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: id, Targets: alicloud.List[string]{"8300000000000083"}})
	requireCode(t, err, resourcesharing.ErrDisassociateInvalid, http.StatusBadRequest)
	_, err = e.rs.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: id, Targets: alicloud.List[string]{"all"}})
	requireCode(t, err, resourcesharing.ErrInvalidParameterTargets, http.StatusBadRequest)
	again, err := e.rs.AssociateResourceShare(c, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Resources: vsw("vsw-1")})
	require.NoError(t, err)
	assert.Equal(t, resourcesharing.AssociationStatusAssociating, again.ResourceShareAssociations[0].AssociationStatus)

	_, err = e.rs.ListResourceShareAssociations(c, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeTarget, ResourceId: "vsw-1"})
	requireCode(t, err, resourcesharing.ErrConflictedAssociationType, http.StatusBadRequest)
	st, code := rsRaw(t, e.srv, "ListResourceShareAssociations", "AssociationType", "Both")
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, "InvalidParameter.AssociationType", code)
}

func TestShareWithFoldersAndDirectory(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	f, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "prod"})
	require.NoError(t, err)
	sub, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "prod-a", ParentFolderId: f.Folder.FolderId})
	require.NoError(t, err)
	acc, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "deep", ParentFolderId: sub.Folder.FolderId})
	require.NoError(t, err)
	_, memberRS := e.as(acc.Account.AccountId)

	_, err = e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "to-folder", Resources: vsw("vsw-f"),
		Targets: alicloud.List[string]{f.Folder.FolderId}})
	require.NoError(t, err)
	_, err = e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "to-rd", Resources: vsw("vsw-rd"),
		Targets: alicloud.List[string]{e.srv.ResourceDirectoryID()}})
	require.NoError(t, err)

	res := collect(t, memberRS.ListSharedResourcesAll(c, &resourcesharing.ListSharedResourcesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts}))
	require.Len(t, res, 2)
	assert.ElementsMatch(t, []string{"vsw-f", "vsw-rd"}, []string{res[0].ResourceId, res[1].ResourceId})
	tg, err := memberRS.ListSharedTargets(c, &resourcesharing.ListSharedTargetsRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	assert.Len(t, tg.SharedTargets, 2)

	// A member cannot leave what the directory gave it.
	_, err = memberRS.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: tg.SharedTargets[0].ResourceShareId,
		ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts, Targets: alicloud.List[string]{acc.Account.AccountId}})
	requireCode(t, err, resourcesharing.ErrLeavingFailedAccount, http.StatusConflict)
}

func TestSharingWithResourceDirectoryDisabled(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithRDSharingDisabled())
	c := ctx(t)
	memberID := e.member(t, "member")
	st, err := e.rs.CheckSharingWithResourceDirectoryStatus(c, nil)
	require.NoError(t, err)
	assert.False(t, st.EnableSharingWithRd)
	_, err = e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "s", Targets: alicloud.List[string]{memberID}})
	requireCode(t, err, resourcesharing.ErrNotEnableSharingWithResourceDirectory, http.StatusConflict)

	_, memberRS := e.as(memberID)
	_, err = memberRS.EnableSharingWithResourceDirectory(c, nil)
	requireCode(t, err, resourcesharing.ErrActionNotPermitted, http.StatusConflict)
	_, err = e.rs.EnableSharingWithResourceDirectory(c, nil)
	require.NoError(t, err)
	_, err = e.rs.EnableSharingWithResourceDirectory(c, nil)
	requireCode(t, err, resourcesharing.ErrAlreadyEnabled, http.StatusConflict)
	st, err = e.rs.CheckSharingWithResourceDirectoryStatus(c, nil)
	require.NoError(t, err)
	assert.True(t, st.EnableSharingWithRd)
	_, err = e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "s", Targets: alicloud.List[string]{memberID}})
	require.NoError(t, err)
}

func TestChangeResourceGroupOfShare(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	g, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "shares", DisplayName: "shares"})
	require.NoError(t, err)
	sh, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "s"})
	require.NoError(t, err)
	_, err = e.rs.ChangeResourceGroup(c, &resourcesharing.ChangeResourceGroupRequest{ResourceGroupId: g.ResourceGroup.Id,
		ResourceId: sh.ResourceShare.ResourceShareId, ResourceRegionId: "cn-hangzhou"})
	require.NoError(t, err)
	list, err := e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, ResourceGroupId: g.ResourceGroup.Id})
	require.NoError(t, err)
	require.Len(t, list.ResourceShares, 1)
	_, err = e.rs.ChangeResourceGroup(c, &resourcesharing.ChangeResourceGroupRequest{ResourceGroupId: "rg-none",
		ResourceId: sh.ResourceShare.ResourceShareId, ResourceRegionId: "cn-hangzhou"})
	requireCode(t, err, resourcesharing.ErrInvalidResourceGroup, http.StatusBadRequest)
	_, err = e.rs.ChangeResourceGroup(c, &resourcesharing.ChangeResourceGroupRequest{ResourceGroupId: g.ResourceGroup.Id,
		ResourceId: "rs-none", ResourceRegionId: "cn-hangzhou"})
	requireCode(t, err, resourcesharing.ErrResourceNotFound, http.StatusBadRequest)
}
