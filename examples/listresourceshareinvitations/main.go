// Command listresourceshareinvitations shows ListResourceShareInvitations
// against the in-process emulator: an account outside the resource
// directory pages through the invitations three resource shares sent it,
// filters them by share, and sees an out-of-range MaxResults rejected.
//
//	go run ./examples/listresourceshareinvitations
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
		fmt.Fprintln(os.Stderr, "listresourceshareinvitations:", err)
		os.Exit(1)
	}
}

const invitee = "1342540311780002"

func run(ctx context.Context, w io.Writer) error {
	srv, err := alicloudtest.Start()
	if err != nil {
		return err
	}
	defer srv.Close()

	owner := resourcesharing.New(srv.Config())
	var shareIDs []string
	for _, name := range []string{"network", "images", "snapshots"} {
		out, err := owner.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{
			ResourceShareName: name, AllowExternalTargets: true, Targets: alicloud.List[string]{invitee},
		})
		if err != nil {
			return err
		}
		shareIDs = append(shareIDs, out.ResourceShare.ResourceShareId)
	}

	rs := resourcesharing.New(srv.ConfigFor(invitee))
	page := 0
	for p, err := range rs.ListResourceShareInvitationsPages(ctx, &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: 2}) {
		if err != nil {
			return err
		}
		page++
		fmt.Fprintf(w, "page %d (next token %q):\n", page, p.NextToken)
		for _, inv := range p.ResourceShareInvitations {
			fmt.Fprintf(w, "  %s %-9s from %s: %s\n", inv.ResourceShareInvitationId, inv.ResourceShareName, inv.SenderAccountId, inv.Status)
		}
	}

	one, err := rs.ListResourceShareInvitations(ctx, &resourcesharing.ListResourceShareInvitationsRequest{
		ResourceShareIds: alicloud.List[string]{shareIDs[1]},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "invitations of share %s: %d\n", shareIDs[1], len(one.ResourceShareInvitations))

	_, err = rs.ListResourceShareInvitations(ctx, &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: 101})
	fmt.Fprintf(w, "MaxResults 101: invalid = %t (%v)\n", errors.Is(err, resourcesharing.ErrInvalidParameterMaxResults), err)
	return nil
}
