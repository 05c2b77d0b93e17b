package alicloudtest

import (
	"time"

	"github.com/resourcekit/alicloud/internal/emulator"
)

// Resource is a cloud resource (an ECS instance, a vSwitch...) that the
// emulator places in a resource group, for the resource group operations
// (MoveResources, ListResources, GetResourceGroupResourceCounts,
// LookupResourceGroupEvents, auto grouping rules) to work on.
type Resource struct {
	// Service and ResourceType name the kind of resource as the resource
	// group operations spell it: "ecs" and "instance", "vpc" and "vswitch".
	// ListResourceGroupCapability lists the kinds the emulator knows.
	Service, ResourceType string
	// ResourceID is the resource's ID, e.g. "i-bp67acfmxazb4p****".
	ResourceID string
	// RegionID defaults to Region (cn-hangzhou).
	RegionID string
	// AccountID owns the resource; "" is the management account.
	AccountID string
	// ResourceGroupID is the group to place it in; "" is the account's
	// default resource group, where the service puts resources created
	// without a group.
	ResourceGroupID string
}

// AddResource registers a resource as if its owner had just created it in
// its service, since the emulator runs no ECS or VPC of its own. Call it
// before exercising code that moves, lists or counts resources. It returns
// the resource group the resource ended up in: the one asked for, or the
// default group, or the target of an auto grouping rule that matched it.
// Registering the same resource again changes nothing. It fails for a kind
// of resource or a region the emulator does not know, or a group that is
// not the account's.
func (s *Server) AddResource(r Resource) (resourceGroupID string, err error) {
	return s.srv.AddResource(emulator.Resource(r))
}

// RemoveResource forgets a resource, as if its owner had released it, for
// example so that its resource group can be deleted
// (DeleteConflict.ResourceGroup.Resource otherwise). It reports whether the
// resource was there.
func (s *Server) RemoveResource(r Resource) bool { return s.srv.RemoveResource(emulator.Resource(r)) }

// WithResourceGroupDeleteDelay sets how long, on the emulator clock, a
// deleted resource group stays PendingDelete (visible to GetResourceGroup
// and to ListResourceGroups with Status=PendingDelete) before it is gone.
// Default 72h, the three days the service documents for its emptiness
// check; Server.Advance moves the clock past it.
func WithResourceGroupDeleteDelay(d time.Duration) Option {
	return func(o *options) { o.cfg.ResourceGroupDeleteDelay = d }
}
