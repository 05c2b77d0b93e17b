package resourcesharing_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/resourcekit/alicloud/resourcesharing"
)

// Associating is asynchronous: the waiter lists the share's associations
// (every page) until each is Associated, or one has Failed.
func ExampleResourceShareAssociatedWaiter() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	rs := resourcesharing.New(srv.Config())
	share, err := rs.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "network"})
	if err != nil {
		log.Fatal(err)
	}
	id := share.ResourceShare.ResourceShareId
	if _, err := rs.AssociateResourceShare(ctx, &resourcesharing.AssociateResourceShareRequest{
		ResourceShareId: id,
		Resources:       []resourcesharing.Resource{{ResourceId: "vsw-bp183p93qs667muql", ResourceType: resourcesharing.ResourceTypeVSwitch}},
		Targets:         []string{srv.ResourceDirectoryID()},
	}); err != nil {
		log.Fatal(err)
	}
	req := &resourcesharing.ListResourceShareAssociationsRequest{ResourceShareIds: []string{id}, AssociationType: resourcesharing.AssociationTypeTarget}
	out, err := resourcesharing.NewResourceShareAssociatedWaiter(rs, func(o *resourcesharing.ResourceShareAssociatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	}).WaitForOutput(ctx, req, time.Minute)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range out.ResourceShareAssociations {
		fmt.Println(a.AssociationType, a.EntityType, a.AssociationStatus)
	}
	// Output: Target ResourceDirectory Associated
}
