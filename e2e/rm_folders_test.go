package e2e_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
)

func TestFolderLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	root := e.srv.RootFolderID()

	dev, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "dev"})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(dev.Folder.FolderId, "fd-"))
	assert.Len(t, dev.Folder.FolderId, 13)
	assert.Equal(t, root, dev.Folder.ParentFolderId)
	assert.False(t, dev.Folder.CreateTime.IsZero())

	team, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "team-a", ParentFolderId: dev.Folder.FolderId})
	require.NoError(t, err)

	got, err := e.rm.GetFolder(c, &resourcemanager.GetFolderRequest{FolderId: team.Folder.FolderId})
	require.NoError(t, err)
	assert.Equal(t, "team-a", got.Folder.FolderName)
	assert.Equal(t, dev.Folder.FolderId, got.Folder.ParentFolderId)
	assert.Equal(t, fmt.Sprintf("%s/%s/%s/%s", e.srv.ResourceDirectoryID(), root, dev.Folder.FolderId, team.Folder.FolderId),
		got.Folder.ResourceDirectoryPath)

	upd, err := e.rm.UpdateFolder(c, &resourcemanager.UpdateFolderRequest{FolderId: team.Folder.FolderId, NewFolderName: "team-b"})
	require.NoError(t, err)
	assert.Equal(t, "team-b", upd.Folder.FolderName)

	_, err = e.rm.DeleteFolder(c, &resourcemanager.DeleteFolderRequest{FolderId: dev.Folder.FolderId})
	requireCode(t, err, resourcemanager.ErrDeleteConflictFolderSubFolder, http.StatusConflict)
	_, err = e.rm.DeleteFolder(c, &resourcemanager.DeleteFolderRequest{FolderId: team.Folder.FolderId})
	require.NoError(t, err)
	_, err = e.rm.GetFolder(c, &resourcemanager.GetFolderRequest{FolderId: team.Folder.FolderId})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsFolder, http.StatusNotFound)

	_, err = e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "in dev", ParentFolderId: dev.Folder.FolderId})
	require.NoError(t, err)
	_, err = e.rm.DeleteFolder(c, &resourcemanager.DeleteFolderRequest{FolderId: dev.Folder.FolderId})
	requireCode(t, err, resourcemanager.ErrDeleteConflictFolderAccount, http.StatusConflict)
}

func TestListFoldersForParentPages(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	for i := range 12 {
		_, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: fmt.Sprintf("f%02d", i)})
		require.NoError(t, err)
	}
	page, err := e.rm.ListFoldersForParent(c, &resourcemanager.ListFoldersForParentRequest{PageSize: 5, PageNumber: 3})
	require.NoError(t, err)
	assert.EqualValues(t, 12, page.TotalCount)
	assert.EqualValues(t, 3, page.PageNumber)
	assert.EqualValues(t, 5, page.PageSize)
	require.Len(t, page.Folders, 2)
	assert.Equal(t, "f10", page.Folders[0].FolderName)

	all := collect(t, e.rm.ListFoldersForParentAll(c, &resourcemanager.ListFoldersForParentRequest{PageSize: 5}))
	require.Len(t, all, 12)
	assert.Equal(t, "f00", all[0].FolderName)
	assert.Equal(t, "f11", all[11].FolderName)

	kw, err := e.rm.ListFoldersForParent(c, &resourcemanager.ListFoldersForParentRequest{QueryKeyword: "F1"})
	require.NoError(t, err)
	assert.EqualValues(t, 2, kw.TotalCount)
}

func TestFolderErrors(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithMaxFolders(6))
	c := ctx(t)
	_, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "x", ParentFolderId: "fd-0000000000"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsFolder, http.StatusNotFound)
	_, err = e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "x", ParentFolderId: "folder-1"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterParentFolderId, http.StatusBadRequest)
	_, err = e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "bad/name"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterFolderName, http.StatusBadRequest)
	_, err = e.rm.ListFoldersForParent(c, &resourcemanager.ListFoldersForParentRequest{ParentFolderId: "nope"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterParentFolderId, http.StatusBadRequest)
	_, err = e.rm.GetFolder(c, &resourcemanager.GetFolderRequest{FolderId: "nope"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterFolderId, http.StatusBadRequest)
	_, err = e.rm.DeleteFolder(c, &resourcemanager.DeleteFolderRequest{FolderId: e.srv.RootFolderID()})
	requireCode(t, err, resourcemanager.ErrInvalidParameterFolderId, http.StatusBadRequest)

	// Depth: five levels below the root, no more.
	parent := ""
	for i := range 5 {
		f, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "same", ParentFolderId: parent})
		require.NoError(t, err, "level %d", i+1)
		parent = f.Folder.FolderId
	}
	_, err = e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "deep", ParentFolderId: parent})
	requireCode(t, err, resourcemanager.ErrLimitExceededFolderDepth, http.StatusConflict)

	_, err = e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "same"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterFolderNameAlreadyUsed, http.StatusBadRequest)

	_, err = e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "sixth"})
	require.NoError(t, err)
	_, err = e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "seventh"})
	requireCode(t, err, resourcemanager.ErrQuotaExceededFolderCount, http.StatusConflict)

	// What the client catches is caught by the server too.
	status, code := rmRaw(t, e.srv, "CreateFolder", "FolderName", strings.Repeat("a", 25))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidParameter.Folder.Name.Length", code)
	status, code = rmRaw(t, e.srv, "UpdateFolder", "FolderId", parent, "NewFolderName", strings.Repeat("a", 25))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidParameter.Folder.Name.Length", code)
	status, code = rmRaw(t, e.srv, "UpdateFolder", "FolderId", parent)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "MissingParameter.Folder.Name", code)
	status, code = rmRaw(t, e.srv, "ListFoldersForParent", "PageSize", "101")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidPageSize", code)
}

func TestDirectoryOperationsNeedTheManagementAccount(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	member, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "member"})
	require.NoError(t, err)
	memberRM, _ := e.as(member.Account.AccountId)
	_, err = memberRM.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "x"})
	requireCode(t, err, alicloud.ErrForbiddenRAM, http.StatusForbidden)
	rd, err := memberRM.GetResourceDirectory(c, nil)
	require.NoError(t, err, "members may read the directory")
	assert.Equal(t, e.srv.ManagementAccountID(), rd.ResourceDirectory.MasterAccountId)
	self, err := memberRM.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: member.Account.AccountId})
	require.NoError(t, err, "members may read themselves")
	assert.Equal(t, "member", self.Account.DisplayName)

	outsiderRM, _ := e.as("3000000000000003")
	_, err = outsiderRM.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "x"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceDirectory, http.StatusNotFound)
	_, err = outsiderRM.GetResourceDirectory(c, nil)
	requireCode(t, err, resourcemanager.ErrResourceDirectoryNotInUse, http.StatusNotFound)
}
