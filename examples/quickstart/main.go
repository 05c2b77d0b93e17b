// Command quickstart is a first tour of the SDK.
//
// With no ALIBABA_CLOUD_ACCESS_KEY_ID in the environment it starts the
// in-process emulator (package alicloudtest) and walks through the product:
// a folder and a member account, a resource share of a vSwitch with an
// account outside the resource directory, that account's invitation, paging
// with an iterator, a typed error, and a throttled call that is retried.
//
// With ALIBABA_CLOUD_* credentials set it only reads: it lists the resource
// share invitations and the accounts of the resource directory of the real
// service, in ALIBABA_CLOUD_REGION_ID (default cn-hangzhou).
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run chooses the mode from the environment.
func run(ctx context.Context, w io.Writer) error {
	if os.Getenv(alicloud.EnvAccessKeyID) != "" {
		return runLive(ctx, w)
	}
	return runEmulated(ctx, w)
}

// outsideAccountID is an account outside the resource directory, the
// recipient of the external share.
const outsideAccountID = "1800000000000018"

func runEmulated(ctx context.Context, w io.Writer) error {
	srv, err := alicloudtest.Start()
	if err != nil {
		return err
	}
	defer srv.Close()

	cfg := srv.Config()
	rm := resourcemanager.New(cfg)
	rs := resourcesharing.New(cfg)
	fmt.Fprintln(w, "Alibaba Cloud Resource Management quickstart")
	fmt.Fprintf(w, "No %s in the environment: using the in-process emulator at %s\n", alicloud.EnvAccessKeyID, srv.URL)
	fmt.Fprintf(w, "Management account %s, resource directory %s\n", srv.ManagementAccountID(), srv.ResourceDirectoryID())

	fmt.Fprintln(w, "\n1. A folder and a member account")
	folder, err := rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "Engineering"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   created folder %s (%s)\n", folder.Folder.FolderName, folder.Folder.FolderId)
	acc, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{
		DisplayName: "Dev", AccountNamePrefix: "dev", ParentFolderId: folder.Folder.FolderId,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   created member %s: %s, %s (%s)\n", acc.Account.DisplayName, acc.Account.AccountId, acc.Account.AccountName, acc.Account.Status)

	fmt.Fprintln(w, "\n2. Share a vSwitch with an account outside the resource directory")
	share, err := rs.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{
		ResourceShareName:    "shared-network",
		AllowExternalTargets: true,
		Resources:            alicloud.List[resourcesharing.Resource]{{ResourceId: "vsw-quickstart", ResourceType: resourcesharing.ResourceTypeVSwitch}},
		Targets:              alicloud.List[string]{outsideAccountID},
	})
	if err != nil {
		return err
	}
	shareID := share.ResourceShare.ResourceShareId
	fmt.Fprintf(w, "   created resource share %s (%s), %s\n", share.ResourceShare.ResourceShareName, shareID, share.ResourceShare.ResourceShareStatus)
	for _, kind := range []resourcesharing.AssociationType{resourcesharing.AssociationTypeResource, resourcesharing.AssociationTypeTarget} {
		list, err := rs.ListResourceShareAssociations(ctx, &resourcesharing.ListResourceShareAssociationsRequest{
			AssociationType: kind, ResourceShareIds: alicloud.List[string]{shareID},
		})
		if err != nil {
			return err
		}
		for _, a := range list.ResourceShareAssociations {
			fmt.Fprintf(w, "   %-8s %-16s %s (external: %t)\n", a.AssociationType, a.EntityId, a.AssociationStatus, a.External)
		}
	}

	fmt.Fprintln(w, "\n3. The outside account accepts the invitation")
	guestCfg := srv.ConfigFor(outsideAccountID)
	guest := resourcesharing.New(guestCfg)
	var invitationID string
	for inv, err := range guest.ListResourceShareInvitationsAll(ctx, nil) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   invitation %s to %s from %s: %s\n", inv.ResourceShareInvitationId, inv.ResourceShareName, inv.SenderAccountId, inv.Status)
		invitationID = inv.ResourceShareInvitationId
	}
	accepted, err := guest.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: invitationID})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   accepted: %s\n", accepted.ResourceShareInvitation.Status)
	shared, err := guest.ListSharedResources(ctx, &resourcesharing.ListSharedResourcesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	if err != nil {
		return err
	}
	for _, r := range shared.SharedResources {
		fmt.Fprintf(w, "   the outside account can now use %s %s (%s)\n", r.ResourceType, r.ResourceId, r.ResourceStatus)
	}
	// Accepting completes the target association; the waiter polls until it is Associated.
	err = resourcesharing.NewResourceShareAssociatedWaiter(rs, func(o *resourcesharing.ResourceShareAssociatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	}).Wait(ctx, &resourcesharing.ListResourceShareAssociationsRequest{
		AssociationType: resourcesharing.AssociationTypeTarget, ResourceShareIds: alicloud.List[string]{shareID},
	}, 10*time.Second)
	if err != nil {
		return err
	}
	targets, err := rs.ListResourceShareAssociations(ctx, &resourcesharing.ListResourceShareAssociationsRequest{
		AssociationType: resourcesharing.AssociationTypeTarget, ResourceShareIds: alicloud.List[string]{shareID},
	})
	if err != nil {
		return err
	}
	for _, a := range targets.ResourceShareAssociations {
		fmt.Fprintf(w, "   %-8s %-16s %s after the invitation was accepted\n", a.AssociationType, a.EntityId, a.AssociationStatus)
	}

	fmt.Fprintln(w, "\n4. Paging with ListAccountsPages, two accounts per page")
	for _, name := range []string{"Test", "Staging"} {
		if _, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: name, ParentFolderId: folder.Folder.FolderId}); err != nil {
			return err
		}
	}
	for page, err := range rm.ListAccountsPages(ctx, &resourcemanager.ListAccountsRequest{PageSize: 2}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   page %d (%d accounts in all):\n", page.PageNumber, page.TotalCount)
		for _, a := range page.Accounts {
			fmt.Fprintf(w, "     %s %-10s %-15s %s\n", a.AccountId, a.DisplayName, a.Type, a.Status)
		}
	}

	fmt.Fprintln(w, "\n5. Typed errors")
	_, err = guest.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: invitationID})
	switch {
	case errors.Is(err, resourcesharing.ErrInvitationStatusAlreadyAccepted):
		var apiErr *alicloud.APIError
		if errors.As(err, &apiErr) {
			fmt.Fprintf(w, "   accepting again: %s (HTTP %d), handled with errors.Is\n", apiErr.Code, apiErr.HTTPStatus)
		}
	case err != nil:
		return err
	default:
		return errors.New("accepting an accepted invitation succeeded")
	}
	_, err = rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "x"})
	if errors.Is(err, alicloud.ErrInvalidInput) {
		fmt.Fprintf(w, "   caught before sending: %v\n", err)
	}

	fmt.Fprintln(w, "\n6. A throttled call, retried")
	// A hook sees every attempt: how a program counts retries or feeds metrics.
	var attempts int
	retryCfg := cfg
	retryCfg.Hooks = []alicloud.Hook{alicloud.HookFuncs{Attempt: func(_ context.Context, a alicloud.AttemptInfo) {
		attempts++ // attempts of one call are reported one after another
		fmt.Fprintf(w, "   attempt %d: HTTP %d %s (retry: %t)\n", a.Attempt, a.HTTPStatus, a.Code, a.Retry)
	}}}
	retryCfg.Retry = alicloud.RetryOptions{MaxAttempts: 4, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	srv.ThrottleNext(2)
	fmt.Fprintln(w, "   the emulator throttles the next 2 requests")
	list, err := resourcemanager.New(retryCfg).ListAccounts(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   ListAccounts succeeded after %d attempts: %d accounts\n", attempts, list.TotalCount)
	return nil
}

// runLive lists, read-only, what the credentials can see.
func runLive(ctx context.Context, w io.Writer) error {
	region := os.Getenv(alicloud.EnvRegionID)
	if region == "" {
		region = "cn-hangzhou"
	}
	cfg, err := alicloud.LoadDefaultConfig(ctx, alicloud.WithRegion(region))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Using the credentials in the environment, region %s (read-only)\n", region)
	const limit = 20

	fmt.Fprintln(w, "\nResource share invitations received:")
	n := 0
	for inv, err := range resourcesharing.New(cfg).ListResourceShareInvitationsAll(ctx, &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: limit}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s %s from %s: %s\n", inv.ResourceShareInvitationId, inv.ResourceShareName, inv.SenderAccountId, inv.Status)
		if n++; n == limit {
			break
		}
	}
	if n == 0 {
		fmt.Fprintln(w, "   none")
	}

	fmt.Fprintln(w, "\nAccounts of the resource directory:")
	n = 0
	for a, err := range resourcemanager.New(cfg).ListAccountsAll(ctx, &resourcemanager.ListAccountsRequest{PageSize: limit}) {
		if errors.Is(err, resourcemanager.ErrEntityNotExistsResourceDirectory) {
			fmt.Fprintln(w, "   this account has no resource directory")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s %s %s %s\n", a.AccountId, strings.TrimSpace(a.DisplayName), a.Type, a.Status)
		if n++; n == limit {
			break
		}
	}
	return nil
}
