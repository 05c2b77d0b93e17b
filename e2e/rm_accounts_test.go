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

func TestCreateResourceAccount(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	dev, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "dev"})
	require.NoError(t, err)

	out, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{
		DisplayName: "Dev 开发", AccountNamePrefix: "alice", ParentFolderId: dev.Folder.FolderId,
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "team", Value: "a"}},
	})
	require.NoError(t, err)
	a := out.Account
	assert.Len(t, a.AccountId, 16)
	assert.Equal(t, "alice@"+strings.ToLower(e.srv.ResourceDirectoryID())+".aliyunid.com", a.AccountName)
	assert.Equal(t, "Dev 开发", a.DisplayName)
	assert.Equal(t, dev.Folder.FolderId, a.FolderId)
	assert.Equal(t, resourcemanager.JoinMethodCreated, a.JoinMethod)
	assert.Equal(t, resourcemanager.AccountStatusCreateSuccess, a.Status)
	assert.Equal(t, resourcemanager.AccountTypeResourceAccount, a.Type)
	assert.Equal(t, e.srv.ResourceDirectoryID(), a.ResourceDirectoryId)
	assert.False(t, a.JoinTime.IsZero())

	got, err := e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: a.AccountId, IncludeTags: true})
	require.NoError(t, err)
	assert.Equal(t, a.AccountName, got.Account.AccountName)
	assert.Equal(t, []resourcemanager.Tag{{Key: "team", Value: "a"}}, got.Account.Tags)
	assert.Equal(t, e.srv.ResourceDirectoryID()+"/"+e.srv.RootFolderID()+"/"+dev.Folder.FolderId+"/"+a.AccountId,
		got.Account.ResourceDirectoryPath)

	// A random prefix when none is given.
	anon, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "anon"})
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(anon.Account.AccountName, ".aliyunid.com"))
	assert.Equal(t, e.srv.RootFolderID(), anon.Account.FolderId)

	// DryRun checks and creates nothing.
	before, err := e.rm.ListAccounts(c, nil)
	require.NoError(t, err)
	_, err = e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "dry", DryRun: true})
	require.NoError(t, err)
	after, err := e.rm.ListAccounts(c, nil)
	require.NoError(t, err)
	assert.Equal(t, before.TotalCount, after.TotalCount)
	_, err = e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "Dev 开发", DryRun: true})
	requireCode(t, err, resourcemanager.ErrInvalidParameterAccountDisplayNameAlreadyUsed, http.StatusConflict)
}

func TestCreateResourceAccountErrors(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithMaxAccounts(3))
	c := ctx(t)
	_, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "one", AccountNamePrefix: "one"})
	require.NoError(t, err)

	for _, tc := range []struct {
		req    resourcemanager.CreateResourceAccountRequest
		code   alicloud.ErrorCode
		status int
	}{
		{resourcemanager.CreateResourceAccountRequest{DisplayName: "ONE"}, resourcemanager.ErrInvalidParameterAccountDisplayNameAlreadyUsed, 409},
		{resourcemanager.CreateResourceAccountRequest{DisplayName: "x1", ParentFolderId: "fd-0000000000"}, resourcemanager.ErrEntityNotExistsFolder, 404},
		{resourcemanager.CreateResourceAccountRequest{DisplayName: "x1", ParentFolderId: "folder"}, resourcemanager.ErrInvalidParameterParentFolderId, 400},
		{resourcemanager.CreateResourceAccountRequest{DisplayName: "x1", AccountNamePrefix: "one"}, resourcemanager.ErrEntityAlreadyExistsResourceDirectoryAccount, 409},
		{resourcemanager.CreateResourceAccountRequest{DisplayName: "x1", PayerAccountId: "1234567890123456"}, resourcemanager.ErrNotSupportPayerAccountInAnotherResourceDirectory, 409},
	} {
		_, err := e.rm.CreateResourceAccount(c, &tc.req)
		requireCode(t, err, tc.code, tc.status)
	}

	_, err = e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "two"})
	require.NoError(t, err)
	_, err = e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "three"})
	requireCode(t, err, resourcemanager.ErrLimitExceededAccount, http.StatusConflict)

	// The checks the client makes first, made by the server.
	for _, tc := range []struct {
		kv   []string
		code string
	}{
		{[]string{"DisplayName", "a"}, "InvalidParameter.Account.DisplayName.Length"},
		{[]string{"DisplayName", strings.Repeat("名", 51)}, "InvalidParameter.Account.DisplayName.Length"},
		{[]string{"DisplayName", "bad/name"}, "InvalidParameter.Account.DisplayName"},
		{[]string{"DisplayName", "ok", "AccountNamePrefix", "a"}, "InvalidParameter.Account.AccountNamePrefix.Length"},
		{[]string{"DisplayName", "ok", "AccountNamePrefix", "-alice"}, "InvalidParameter.Account.AccountNamePrefix"},
		{[]string{"DisplayName", "ok", "AccountNamePrefix", "al..ice"}, "InvalidParameter.Account.AccountNamePrefix"},
		{[]string{"DisplayName", "ok", "ResellAccountType", "other"}, "InvalidResellAccountType"},
		{[]string{"DisplayName", "ok", "DryRun", "maybe"}, "InvalidDryRun"},
	} {
		status, code := rmRaw(t, e.srv, "CreateResourceAccount", tc.kv...)
		assert.Equal(t, http.StatusBadRequest, status, tc.kv)
		assert.Equal(t, tc.code, code, tc.kv)
	}
}

func TestListAccounts(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	f, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "apps"})
	require.NoError(t, err)
	var ids []string
	for i, name := range []string{"app-1", "app-2", "app-3", "web-1"} {
		req := &resourcemanager.CreateResourceAccountRequest{DisplayName: name, ParentFolderId: f.Folder.FolderId}
		if i%2 == 0 {
			req.Tag = alicloud.List[resourcemanager.Tag]{{Key: "env", Value: "prod"}}
		}
		out, err := e.rm.CreateResourceAccount(c, req)
		require.NoError(t, err)
		ids = append(ids, out.Account.AccountId)
	}

	all := collect(t, e.rm.ListAccountsAll(c, &resourcemanager.ListAccountsRequest{PageSize: 2}))
	require.Len(t, all, 5, "the management account and four members")
	assert.Equal(t, e.srv.ManagementAccountID(), all[0].AccountId)
	assert.Equal(t, ids[3], all[4].AccountId)
	assert.Equal(t, e.srv.ResourceDirectoryID()+"/"+e.srv.RootFolderID()+"/"+f.Folder.FolderId+"/"+ids[0], all[1].ResourceDirectoryPath)

	tagged, err := e.rm.ListAccounts(c, &resourcemanager.ListAccountsRequest{IncludeTags: true,
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "env", Value: "prod"}}})
	require.NoError(t, err)
	assert.EqualValues(t, 2, tagged.TotalCount)
	require.Len(t, tagged.Accounts[0].Tags, 1)
	assert.Equal(t, "env", tagged.Accounts[0].Tags[0].Key)

	inFolder, err := e.rm.ListAccountsForParent(c, &resourcemanager.ListAccountsForParentRequest{ParentFolderId: f.Folder.FolderId, QueryKeyword: "app"})
	require.NoError(t, err)
	assert.EqualValues(t, 3, inFolder.TotalCount)
	atRoot := collect(t, e.rm.ListAccountsForParentAll(c, nil))
	require.Len(t, atRoot, 1)
	assert.Equal(t, e.srv.ManagementAccountID(), atRoot[0].AccountId)

	_, err = e.rm.ListAccountsForParent(c, &resourcemanager.ListAccountsForParentRequest{ParentFolderId: "fd-0000000000"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsFolder, http.StatusNotFound)
}

func TestMoveUpdateDeleteAccount(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	f, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "dest"})
	require.NoError(t, err)
	acc, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "mover"})
	require.NoError(t, err)
	id := acc.Account.AccountId

	_, err = e.rm.MoveAccount(c, &resourcemanager.MoveAccountRequest{AccountId: id, DestinationFolderId: f.Folder.FolderId})
	require.NoError(t, err)
	got, err := e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: id})
	require.NoError(t, err)
	assert.Equal(t, f.Folder.FolderId, got.Account.FolderId)
	_, err = e.rm.MoveAccount(c, &resourcemanager.MoveAccountRequest{AccountId: id, DestinationFolderId: "fd-0000000000"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsFolder, http.StatusNotFound)
	_, err = e.rm.MoveAccount(c, &resourcemanager.MoveAccountRequest{AccountId: id, DestinationFolderId: "x"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterDestinationFolderId, http.StatusBadRequest)
	_, err = e.rm.MoveAccount(c, &resourcemanager.MoveAccountRequest{AccountId: "9999999999999999", DestinationFolderId: f.Folder.FolderId})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsAccount, http.StatusNotFound)

	upd, err := e.rm.UpdateAccount(c, &resourcemanager.UpdateAccountRequest{AccountId: id, NewDisplayName: "renamed"})
	require.NoError(t, err)
	assert.Equal(t, "renamed", upd.Account.DisplayName)
	_, err = e.rm.UpdateAccount(c, &resourcemanager.UpdateAccountRequest{AccountId: id})
	requireCode(t, err, resourcemanager.ErrMissingDisplayNameOrAccountType, http.StatusConflict)

	_, err = e.rm.DeleteAccount(c, &resourcemanager.DeleteAccountRequest{AccountId: e.srv.ManagementAccountID()})
	requireCode(t, err, resourcemanager.ErrCallerIdentityErrorDeleteAccount, http.StatusConflict)
	_, err = e.rm.RemoveCloudAccount(c, &resourcemanager.RemoveCloudAccountRequest{AccountId: id})
	requireCode(t, err, resourcemanager.ErrAccountTypeOrStatusMismatch, http.StatusConflict)

	memberRM, _ := e.as(id)
	_, err = memberRM.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: id})
	require.NoError(t, err)

	del, err := e.rm.DeleteAccount(c, &resourcemanager.DeleteAccountRequest{AccountId: id})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.DeletionType0, del.DeletionType)
	e.srv.Advance(2 * time.Minute) // the deletion is checked, then carried out, on the emulator clock
	_, err = e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: id})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsAccount, http.StatusNotFound)
	_, err = memberRM.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: id})
	requireCode(t, err, alicloud.ErrInvalidAccessKeyIdNotFound, http.StatusNotFound)
	_, err = e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: "abc"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterAccountId, http.StatusBadRequest)
}

// TestPromoteResourceAccount covers PromoteResourceAccount and the seed
// operation ResendPromoteResourceAccountEmail with all its documented errors.
func TestPromoteResourceAccount(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	acc, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "promo", AccountNamePrefix: "promo"})
	require.NoError(t, err)
	id := acc.Account.AccountId

	_, err = e.rm.ResendPromoteResourceAccountEmail(c, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: "06950264-3f0d-4ca9-82dd-6ee7a3d33d6b"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsAccountRecord, http.StatusNotFound)

	pr, err := e.rm.PromoteResourceAccount(c, &resourcemanager.PromoteResourceAccountRequest{AccountId: id, Email: "owner@example.com"})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.AccountStatusPromoteVerifying, pr.Account.Status)
	require.NotEmpty(t, pr.Account.RecordId)
	record := pr.Account.RecordId

	_, err = e.rm.PromoteResourceAccount(c, &resourcemanager.PromoteResourceAccountRequest{AccountId: id, Email: "other@example.com"})
	requireCode(t, err, resourcemanager.ErrAccountTypeOrStatusMismatch, http.StatusConflict)
	other, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "other"})
	require.NoError(t, err)
	_, err = e.rm.PromoteResourceAccount(c, &resourcemanager.PromoteResourceAccountRequest{AccountId: other.Account.AccountId, Email: "Owner@Example.com"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterEmailAlreadyUsed, http.StatusConflict)
	_, err = e.rm.PromoteResourceAccount(c, &resourcemanager.PromoteResourceAccountRequest{AccountId: other.Account.AccountId, Email: "not-an-email"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterEmail, http.StatusBadRequest)
	_, err = e.rm.PromoteResourceAccount(c, &resourcemanager.PromoteResourceAccountRequest{AccountId: e.srv.ManagementAccountID(), Email: "m@example.com"})
	requireCode(t, err, resourcemanager.ErrAccountTypeOrStatusMismatch, http.StatusConflict)

	// Within the resend interval: LimitExceeded.Frequency, which clients
	// retry as throttling before giving up.
	_, err = e.rm.ResendPromoteResourceAccountEmail(c, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: record})
	requireCode(t, err, resourcemanager.ErrLimitExceededFrequency, http.StatusConflict)
	assert.True(t, alicloud.IsThrottling(err))

	e.srv.Advance(61 * time.Second)
	rs, err := e.rm.ResendPromoteResourceAccountEmail(c, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: record})
	require.NoError(t, err)
	assert.Equal(t, id, rs.Account.AccountId)
	assert.Equal(t, record, rs.Account.RecordId)
	assert.Equal(t, resourcemanager.AccountStatusPromoteVerifying, rs.Account.Status)
	assert.Equal(t, resourcemanager.AccountTypeResourceAccount, rs.Account.Type)

	_, err = e.rm.MoveAccount(c, &resourcemanager.MoveAccountRequest{AccountId: id, DestinationFolderId: e.srv.RootFolderID()})
	requireCode(t, err, resourcemanager.ErrAccountTypeOrStatusMismatch, http.StatusConflict)

	_, err = e.rm.CancelPromoteResourceAccount(c, &resourcemanager.CancelPromoteResourceAccountRequest{RecordId: record})
	require.NoError(t, err)
	e.srv.Advance(61 * time.Second)
	_, err = e.rm.ResendPromoteResourceAccountEmail(c, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: record})
	requireCode(t, err, resourcemanager.ErrAccountTypeOrStatusMismatch, http.StatusConflict)
	_, err = e.rm.CancelPromoteResourceAccount(c, &resourcemanager.CancelPromoteResourceAccountRequest{RecordId: record})
	requireCode(t, err, resourcemanager.ErrAccountTypeOrStatusMismatch, http.StatusConflict)
	got, err := e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: id})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.AccountStatusPromoteCancelled, got.Account.Status)

	outsider, _ := e.as("4000000000000004")
	_, err = outsider.ResendPromoteResourceAccountEmail(c, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: record})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceDirectory, http.StatusNotFound)

	status, code := rmRaw(t, e.srv, "ResendPromoteResourceAccountEmail")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "MissingParameter.RecordId", code)
}

func TestRemovedMemberLosesInternalShares(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	const invitee = "5000000000000005"
	inv, err := e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{TargetEntity: invitee, TargetType: resourcemanager.TargetTypeAccount})
	require.NoError(t, err)
	inviteeRM, inviteeRS := e.as(invitee)
	_, err = inviteeRM.AcceptHandshake(c, &resourcemanager.AcceptHandshakeRequest{HandshakeId: inv.Handshake.HandshakeId})
	require.NoError(t, err)

	sh, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "s",
		Resources: alicloud.List[resourcesharing.Resource]{{ResourceId: "vsw-1", ResourceType: "VSwitch"}},
		Targets:   alicloud.List[string]{invitee}})
	require.NoError(t, err)
	shared, err := inviteeRS.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	require.Len(t, shared.ResourceShares, 1)
	assert.Equal(t, sh.ResourceShare.ResourceShareId, shared.ResourceShares[0].ResourceShareId)

	_, err = e.rm.RemoveCloudAccount(c, &resourcemanager.RemoveCloudAccountRequest{AccountId: invitee})
	require.NoError(t, err)
	_, err = e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: invitee})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsAccount, http.StatusNotFound)
	shared, err = inviteeRS.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	assert.Empty(t, shared.ResourceShares)
}
