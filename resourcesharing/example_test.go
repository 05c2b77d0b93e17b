package resourcesharing_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// startEmulator runs the in-process emulator so that the examples need no
// cloud account. Real programs use alicloud.LoadDefaultConfig instead.
func startEmulator() *alicloudtest.Server {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	return srv
}

// shareWith creates a resource share that sends an invitation to an account
// outside the resource directory.
func shareWith(ctx context.Context, owner *resourcesharing.Client, invitee string) string {
	out, err := owner.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{
		ResourceShareName:    "shared-network",
		AllowExternalTargets: true,
		Resources:            []resourcesharing.Resource{{ResourceId: "vsw-example", ResourceType: resourcesharing.ResourceTypeVSwitch}},
		Targets:              []string{invitee},
	})
	if err != nil {
		log.Fatal(err)
	}
	return out.ResourceShare.ResourceShareId
}

func ExampleClient_AcceptResourceShareInvitation() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	const invitee = "1342540311780001"
	shareWith(ctx, resourcesharing.New(srv.Config()), invitee)

	// The invited account lists its invitations and accepts the first.
	rs := resourcesharing.New(srv.ConfigFor(invitee))
	list, err := rs.ListResourceShareInvitations(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	out, err := rs.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{
		ResourceShareInvitationId: list.ResourceShareInvitations[0].ResourceShareInvitationId,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.ResourceShareInvitation.ResourceShareName, out.ResourceShareInvitation.Status)
	// Output: shared-network Accepted
}

func ExampleClient_ListResourceShareInvitationsAll() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	const invitee = "1342540311780002"
	owner := resourcesharing.New(srv.Config())
	for i := 0; i < 3; i++ {
		shareWith(ctx, owner, invitee)
	}

	rs := resourcesharing.New(srv.ConfigFor(invitee))
	// One item at a time, fetching pages of two as the loop needs them.
	n := 0
	for inv, err := range rs.ListResourceShareInvitationsAll(ctx, &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		if inv.Status == resourcesharing.InvitationStatusPending {
			n++
		}
	}
	fmt.Println(n, "pending invitations")
	// Output: 3 pending invitations
}

func ExampleClient_AssociateResourceShare() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	rs := resourcesharing.New(srv.Config())
	share, err := rs.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "network"})
	if err != nil {
		log.Fatal(err)
	}

	out, err := rs.AssociateResourceShare(ctx, &resourcesharing.AssociateResourceShareRequest{
		ResourceShareId: share.ResourceShare.ResourceShareId,
		Resources:       []resourcesharing.Resource{{ResourceId: "vsw-bp183p93qs667muql", ResourceType: resourcesharing.ResourceTypeVSwitch}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range out.ResourceShareAssociations {
		fmt.Println(a.AssociationType, a.EntityType, a.EntityId, a.AssociationStatus)
	}
	// Output: Resource VSwitch vsw-bp183p93qs667muql Associating
}

// Documented error codes are constants that match with errors.Is, whether
// the service or client-side validation found the fault.
func Example_errors() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	rs := resourcesharing.New(srv.Config())

	_, err := rs.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{})
	fmt.Println(errors.Is(err, resourcesharing.ErrMissingParameterResourceShareInvitationId), errors.Is(err, alicloud.ErrInvalidInput))

	_, err = rs.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-unknown"})
	var apiErr *alicloud.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.Code, errors.Is(err, resourcesharing.ErrEntityNotExistsResourceShareInvitation))
	}
	// Output:
	// true true
	// 409 EntityNotExists.ResourceShareInvitation true
}
