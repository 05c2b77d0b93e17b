// Command associateresourceshare shows AssociateResourceShare against the
// in-process emulator: a vSwitch and a member account of the resource
// directory join a resource share (Associating, then Associated), and
// sharing with yourself, with an account outside the directory, or with too
// many targets at once fails with the documented codes.
//
//	go run ./examples/associateresourceshare
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "associateresourceshare:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	srv, err := alicloudtest.Start()
	if err != nil {
		return err
	}
	defer srv.Close()
	rm := resourcemanager.New(srv.Config())
	rs := resourcesharing.New(srv.Config())

	member, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "consumer"})
	if err != nil {
		return err
	}
	share, err := rs.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "test"})
	if err != nil {
		return err
	}
	id := share.ResourceShare.ResourceShareId

	out, err := rs.AssociateResourceShare(ctx, &resourcesharing.AssociateResourceShareRequest{
		ResourceShareId: id,
		Resources:       alicloud.List[resourcesharing.Resource]{{ResourceId: "vsw-bp183p93qs667muql", ResourceType: resourcesharing.ResourceTypeVSwitch}},
		Targets:         alicloud.List[string]{member.Account.AccountId},
	})
	if err != nil {
		return err
	}
	for _, a := range out.ResourceShareAssociations {
		fmt.Fprintf(w, "%-8s %-21s %-7s %s\n", a.AssociationType, a.EntityId, a.EntityType, a.AssociationStatus)
	}
	for _, kind := range []resourcesharing.AssociationType{resourcesharing.AssociationTypeResource, resourcesharing.AssociationTypeTarget} {
		for a, err := range rs.ListResourceShareAssociationsAll(ctx, &resourcesharing.ListResourceShareAssociationsRequest{
			AssociationType: kind, ResourceShareIds: alicloud.List[string]{id},
		}) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "later: %-8s %-21s %s\n", a.AssociationType, a.EntityId, a.AssociationStatus)
		}
	}

	_, err = rs.AssociateResourceShare(ctx, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Targets: alicloud.List[string]{srv.ManagementAccountID()}})
	fmt.Fprintf(w, "share with yourself: %t\n", errors.Is(err, resourcesharing.ErrShareWithYourself))
	_, err = rs.AssociateResourceShare(ctx, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Targets: alicloud.List[string]{"1720505253000001"}})
	fmt.Fprintf(w, "account outside the directory: %t\n", errors.Is(err, resourcesharing.ErrAccountNotInResourceDirectory))
	six := alicloud.List[string]{"1000000000000011", "1000000000000012", "1000000000000013", "1000000000000014", "1000000000000015", "1000000000000016"}
	_, err = rs.AssociateResourceShare(ctx, &resourcesharing.AssociateResourceShareRequest{ResourceShareId: id, Targets: six})
	fmt.Fprintf(w, "six targets: %t (%v)\n", errors.Is(err, resourcesharing.ErrInvalidParameterTargetsLength), err)
	return nil
}
