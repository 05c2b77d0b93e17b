// Command acceptresourceshareinvitation shows AcceptResourceShareInvitation
// against the in-process emulator: an account outside the resource
// directory accepts the invitation a resource share sent it, then sees the
// shared vSwitch; answering twice, or answering an invitation addressed to
// someone else, fails with the documented codes.
//
//	go run ./examples/acceptresourceshareinvitation
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcesharing"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "acceptresourceshareinvitation:", err)
		os.Exit(1)
	}
}

const invitee = "1342540311780001"

func run(ctx context.Context, w io.Writer) error {
	srv, err := alicloudtest.Start()
	if err != nil {
		return err
	}
	defer srv.Close()

	// The owner shares a vSwitch with an account outside its resource directory.
	owner := resourcesharing.New(srv.Config())
	share, err := owner.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{
		ResourceShareName:    "example",
		AllowExternalTargets: true,
		Resources:            alicloud.List[resourcesharing.Resource]{{ResourceId: "vsw-uf62b11ue4m8oz2di", ResourceType: resourcesharing.ResourceTypeVSwitch}},
		Targets:              alicloud.List[string]{invitee},
	})
	if err != nil {
		return err
	}

	// The invitee finds the invitation and accepts it.
	rs := resourcesharing.New(srv.ConfigFor(invitee))
	list, err := rs.ListResourceShareInvitations(ctx, &resourcesharing.ListResourceShareInvitationsRequest{
		ResourceShareIds: alicloud.List[string]{share.ResourceShare.ResourceShareId},
	})
	if err != nil {
		return err
	}
	if len(list.ResourceShareInvitations) == 0 {
		return errors.New("no invitation")
	}
	id := list.ResourceShareInvitations[0].ResourceShareInvitationId
	out, err := rs.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: id})
	if err != nil {
		return err
	}
	inv := out.ResourceShareInvitation
	fmt.Fprintf(w, "invitation %s to %s (%s) from %s: %s\n", inv.ResourceShareInvitationId, inv.ResourceShareName,
		inv.ResourceShareId, inv.SenderAccountId, inv.Status)

	shared, err := rs.ListSharedResources(ctx, &resourcesharing.ListSharedResourcesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	if err != nil {
		return err
	}
	for _, r := range shared.SharedResources {
		fmt.Fprintf(w, "shared with %s: %s %s\n", invitee, r.ResourceType, r.ResourceArn)
	}

	// The documented errors.
	_, err = rs.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: id})
	fmt.Fprintf(w, "accept again: already accepted = %t\n", errors.Is(err, resourcesharing.ErrInvitationStatusAlreadyAccepted))
	stranger := resourcesharing.New(srv.ConfigFor("1999999999990002"))
	_, err = stranger.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: id})
	fmt.Fprintf(w, "another account accepts: not found = %t\n", errors.Is(err, resourcesharing.ErrEntityNotExistsResourceShareInvitation))
	_, err = rs.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{})
	fmt.Fprintf(w, "no ID: %v\n", err)
	return nil
}
