package alicloudtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/alicloudtest"
)

func TestWithoutResourceDirectory(t *testing.T) {
	with := alicloudtest.NewServer(t)
	assert.NotEmpty(t, with.ResourceDirectoryID())
	assert.NotEmpty(t, with.RootFolderID())

	srv := alicloudtest.NewServer(t, alicloudtest.WithoutResourceDirectory())
	assert.Empty(t, srv.ResourceDirectoryID())
	assert.Empty(t, srv.RootFolderID())
	assert.NotEmpty(t, srv.ManagementAccountID(), "the account that will enable the directory")
}

func TestDirectoryControlsWithNothingPending(t *testing.T) {
	srv := alicloudtest.NewServer(t)
	_, err := srv.VerificationCode("")
	require.ErrorIs(t, err, alicloudtest.ErrNoPendingChange)
	require.ErrorIs(t, srv.ConfirmEmailChange(srv.ManagementAccountID()), alicloudtest.ErrNoPendingChange)
	require.Error(t, srv.BlockAccountDeletion("1234567890123456", alicloudtest.DeletionBlocker{CheckID: "x"}))
	require.Error(t, srv.BlockAccountDeletion(srv.ManagementAccountID(), alicloudtest.DeletionBlocker{}))
	require.NoError(t, srv.BlockAccountDeletion(srv.ManagementAccountID(), alicloudtest.DeletionBlocker{CheckID: "x"}))
	srv.ClearAccountDeletionBlocks(srv.ManagementAccountID())
}
