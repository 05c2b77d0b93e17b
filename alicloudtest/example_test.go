package alicloudtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
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

// A program starts the emulator with Start; a test uses NewServer(t), which
// also closes it.
func ExampleStart() {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	rm := resourcemanager.New(srv.Config())
	out, err := rm.CreateFolder(context.Background(), &resourcemanager.CreateFolderRequest{FolderName: "dev"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Folder.FolderName, strings.HasPrefix(out.Folder.FolderId, "fd-"))
	// Output: dev true
}

// Credentials lets a test act as an account outside the resource
// directory, and Advance lets the invitation it received expire.
func ExampleServer_Advance() {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	const invitee = "1340000000000001"
	owner := resourcesharing.New(srv.Config())
	if _, err := owner.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{
		ResourceShareName: "net", AllowExternalTargets: true, Targets: alicloud.List[string]{invitee},
	}); err != nil {
		log.Fatal(err)
	}

	guest := resourcesharing.New(srv.ConfigFor(invitee))
	list, err := guest.ListResourceShareInvitations(ctx, nil)
	if err != nil || len(list.ResourceShareInvitations) != 1 {
		log.Fatal(list, err)
	}
	srv.Advance(8 * 24 * time.Hour)
	_, err = guest.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{
		ResourceShareInvitationId: list.ResourceShareInvitations[0].ResourceShareInvitationId,
	})
	fmt.Println(errors.Is(err, resourcesharing.ErrInvitationStatusExpired))
	// Output: true
}

func TestNewServerClosesAtCleanup(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := alicloudtest.NewServer(t)
		url = srv.URL
		assert.True(t, strings.HasPrefix(url, "http://127.0.0.1:"))
		_, err := resourcemanager.New(srv.Config()).GetResourceDirectory(context.Background(), nil)
		require.NoError(t, err)
	})
	cfg := alicloud.Config{Endpoint: url, Credentials: alicloud.StaticCredentials{AccessKeyID: "a", AccessKeySecret: "b"},
		Retry: alicloud.RetryOptions{MaxAttempts: 1}}
	_, err := resourcemanager.New(cfg).GetResourceDirectory(context.Background(), nil)
	var opErr *alicloud.OperationError
	assert.ErrorAs(t, err, &opErr, "the server is gone after the test")
}

func TestStartRejectsBadOptions(t *testing.T) {
	_, err := alicloudtest.Start(alicloudtest.WithThrottleCode("Slow.Down"))
	require.Error(t, err, "an undocumented throttle code")
	_, err = alicloudtest.Start(alicloudtest.WithManagementAccountID("admin"))
	require.Error(t, err, "not an account ID")
}
