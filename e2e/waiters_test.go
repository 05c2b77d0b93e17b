package e2e_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// The waiters against the emulator: its asynchronous transitions complete
// when its clock moves, which the tests do from the waiter's Sleep hook (a
// pause of d moves the emulator by step) or from another goroutine.

// emulatorSleep returns a Sleep hook that moves the emulator clock by step
// at every pause, and counts the pauses.
func emulatorSleep(srv *alicloudtest.Server, step time.Duration, pauses *atomic.Int32) func(context.Context, time.Duration) error {
	return func(ctx context.Context, _ time.Duration) error {
		pauses.Add(1)
		srv.Advance(step)
		return ctx.Err()
	}
}

func TestWaitersForAssociationsFollowTheEmulatorClock(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithAssociationDelay(time.Hour))
	c := ctx(t)
	memberID := e.member(t, "waiter-consumer")
	out, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{
		ResourceShareName: "waited", Resources: vsw("vsw-1", "vsw-2"), Targets: alicloud.List[string]{memberID}})
	require.NoError(t, err)
	id := out.ResourceShare.ResourceShareId

	var pauses atomic.Int32
	assocWaiter := resourcesharing.NewResourceShareAssociatedWaiter(e.rs, func(o *resourcesharing.ResourceShareAssociatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
		o.Sleep = emulatorSleep(e.srv, 20*time.Minute, &pauses)
	})
	resources := &resourcesharing.ListResourceShareAssociationsRequest{ResourceShareIds: []string{id}, AssociationType: resourcesharing.AssociationTypeResource}
	got, err := assocWaiter.WaitForOutput(c, resources, time.Minute)
	require.NoError(t, err)
	require.Len(t, got.ResourceShareAssociations, 2)
	for _, a := range got.ResourceShareAssociations {
		assert.Equal(t, resourcesharing.AssociationStatusAssociated, a.AssociationStatus)
	}
	assert.Equal(t, int32(3), pauses.Load(), "an hour of association delay in steps of 20 minutes")

	targets := &resourcesharing.ListResourceShareAssociationsRequest{ResourceShareIds: []string{id},
		AssociationType: resourcesharing.AssociationTypeTarget, Target: memberID}
	require.NoError(t, assocWaiter.Wait(c, targets, time.Minute), "the target is associated by now")

	_, err = e.rs.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: id, Resources: vsw("vsw-1")})
	require.NoError(t, err)
	pauses.Store(0)
	disWaiter := resourcesharing.NewResourceShareDisassociatedWaiter(e.rs, func(o *resourcesharing.ResourceShareDisassociatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
		o.Sleep = emulatorSleep(e.srv, 30*time.Minute, &pauses)
	})
	one := &resourcesharing.ListResourceShareAssociationsRequest{ResourceShareIds: []string{id},
		AssociationType: resourcesharing.AssociationTypeResource, ResourceId: "vsw-1"}
	require.NoError(t, disWaiter.Wait(c, one, time.Minute))
	assert.Equal(t, int32(2), pauses.Load())

	// vsw-1 has ended (Disassociated, left out) and vsw-2 is still
	// associated: the share's resources are all associated.
	require.NoError(t, assocWaiter.Wait(c, resources, time.Minute))
}

func TestWaiterTimesOutWhileTheEmulatorClockStands(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithAssociationDelay(time.Hour))
	c := ctx(t)
	out, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "stuck", Resources: vsw("vsw-1")})
	require.NoError(t, err)
	err = resourcesharing.NewResourceShareAssociatedWaiter(e.rs, func(o *resourcesharing.ResourceShareAssociatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
	}).Wait(c, &resourcesharing.ListResourceShareAssociationsRequest{ResourceShareIds: []string{out.ResourceShare.ResourceShareId},
		AssociationType: resourcesharing.AssociationTypeResource}, 60*time.Millisecond)
	require.ErrorIs(t, err, resourcesharing.ErrWaiterTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var te *resourcesharing.WaiterTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "Associating", te.Status)
}

func TestWaiterForShareDeletionWithTheClockMovedElsewhere(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithAssociationDelay(time.Hour))
	c := ctx(t)
	out, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "doomed", Resources: vsw("vsw-1")})
	require.NoError(t, err)
	id := out.ResourceShare.ResourceShareId
	byID := &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, ResourceShareIds: []string{id}}

	active := resourcesharing.NewResourceShareActiveWaiter(e.rs, func(o *resourcesharing.ResourceShareActiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
	})
	shares, err := active.WaitForOutput(c, byID, time.Minute)
	require.NoError(t, err, "a new share is Active at once")
	require.Len(t, shares.ResourceShares, 1)

	_, err = e.rs.DeleteResourceShare(c, &resourcesharing.DeleteResourceShareRequest{ResourceShareId: id})
	require.NoError(t, err)
	err = active.Wait(c, byID, time.Minute)
	require.ErrorIs(t, err, resourcesharing.ErrWaiterFailed, "a share being deleted never becomes active")
	var fe *resourcesharing.WaiterFailedError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Deleting", fe.Status)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(30 * time.Millisecond)
		e.srv.Advance(time.Hour)
	}()
	deleted, err := resourcesharing.NewResourceShareDeletedWaiter(e.rs, func(o *resourcesharing.ResourceShareDeletedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
	}).WaitForOutput(c, byID, 5*time.Second)
	wg.Wait()
	require.NoError(t, err)
	for _, sh := range deleted.ResourceShares {
		assert.Equal(t, resourcesharing.ResourceShareStatusDeleted, sh.ResourceShareStatus)
	}
}

func TestWaiterRidesOutEmulatorThrottling(t *testing.T) {
	t.Parallel()
	e := setup(t, alicloudtest.WithAssociationDelay(time.Hour))
	c := ctx(t)
	out, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "busy", Resources: vsw("vsw-1")})
	require.NoError(t, err)
	// Four throttled replies: the three tries of the first poll, which the
	// waiter absorbs, and the first try of the second, which the client
	// retries.
	e.srv.ThrottleAction("ListResourceShareAssociations", 4)
	var pauses atomic.Int32
	err = resourcesharing.NewResourceShareAssociatedWaiter(e.rs, func(o *resourcesharing.ResourceShareAssociatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
		o.Sleep = emulatorSleep(e.srv, time.Hour, &pauses)
	}).Wait(c, &resourcesharing.ListResourceShareAssociationsRequest{ResourceShareIds: []string{out.ResourceShare.ResourceShareId},
		AssociationType: resourcesharing.AssociationTypeResource}, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, int32(1), pauses.Load(), "one pause after the throttled poll")
}

func TestResourceManagerWaitersAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	fast := func(minDelay, maxDelay *time.Duration) { *minDelay, *maxDelay = time.Millisecond, 5*time.Millisecond }

	t.Run("resource group created", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		c := ctx(t)
		g, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "waited", DisplayName: "waited"})
		require.NoError(t, err)
		assert.Equal(t, resourcemanager.ResourceGroupStatusCreating, g.ResourceGroup.Status)
		got, err := resourcemanager.NewResourceGroupCreatedWaiter(e.rm, func(o *resourcemanager.ResourceGroupCreatedWaiterOptions) {
			fast(&o.MinDelay, &o.MaxDelay)
		}).WaitForOutput(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: g.ResourceGroup.Id}, time.Minute)
		require.NoError(t, err)
		assert.Equal(t, resourcemanager.ResourceGroupStatusOK, got.ResourceGroup.Status)
	})

	t.Run("handshake accepted or declined", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		c := ctx(t)
		for _, tc := range []struct {
			invitee string
			answer  func(*resourcemanager.Client, string) error
			failed  string
		}{
			{"2000000000000012", func(rm *resourcemanager.Client, id string) error {
				_, err := rm.AcceptHandshake(c, &resourcemanager.AcceptHandshakeRequest{HandshakeId: id})
				return err
			}, ""},
			{"2000000000000013", func(rm *resourcemanager.Client, id string) error {
				_, err := rm.DeclineHandshake(c, &resourcemanager.DeclineHandshakeRequest{HandshakeId: id})
				return err
			}, "Declined"},
		} {
			inv, err := e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{
				TargetEntity: tc.invitee, TargetType: resourcemanager.TargetTypeAccount})
			require.NoError(t, err)
			id := inv.Handshake.HandshakeId
			inviteeRM, _ := e.as(tc.invitee)
			var once sync.Once
			err = resourcemanager.NewHandshakeAcceptedWaiter(e.rm).Wait(c, &resourcemanager.GetHandshakeRequest{HandshakeId: id}, time.Minute,
				func(o *resourcemanager.HandshakeAcceptedWaiterOptions) {
					fast(&o.MinDelay, &o.MaxDelay)
					o.Sleep = func(ctx context.Context, _ time.Duration) error {
						once.Do(func() { require.NoError(t, tc.answer(inviteeRM, id)) })
						return ctx.Err()
					}
				})
			if tc.failed == "" {
				require.NoError(t, err)
				continue
			}
			require.ErrorIs(t, err, resourcemanager.ErrWaiterFailed)
			var fe *resourcemanager.WaiterFailedError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.failed, fe.Status)
			out, ok := fe.Output.(*resourcemanager.GetHandshakeResponse)
			require.True(t, ok)
			assert.Equal(t, id, out.Handshake.HandshakeId)
		}
	})

	t.Run("promotion cancelled", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		c := ctx(t)
		acc, err := e.rm.CreateResourceAccount(c, &resourcemanager.CreateResourceAccountRequest{DisplayName: "to-promote"})
		require.NoError(t, err)
		id := acc.Account.AccountId

		// A member that CreateResourceAccount made is CreateSuccess at once.
		require.NoError(t, resourcemanager.NewAccountCreatedWaiter(e.rm).Wait(c, &resourcemanager.GetAccountRequest{AccountId: id}, time.Minute))

		pr, err := e.rm.PromoteResourceAccount(c, &resourcemanager.PromoteResourceAccountRequest{AccountId: id, Email: "owner@example.com"})
		require.NoError(t, err)
		var once sync.Once
		err = resourcemanager.NewAccountPromotedWaiter(e.rm, func(o *resourcemanager.AccountPromotedWaiterOptions) {
			fast(&o.MinDelay, &o.MaxDelay)
			o.Sleep = func(ctx context.Context, _ time.Duration) error {
				once.Do(func() {
					_, err := e.rm.CancelPromoteResourceAccount(c, &resourcemanager.CancelPromoteResourceAccountRequest{RecordId: pr.Account.RecordId})
					require.NoError(t, err)
				})
				return ctx.Err()
			}
		}).Wait(c, &resourcemanager.GetAccountRequest{AccountId: id}, time.Minute)
		require.ErrorIs(t, err, resourcemanager.ErrWaiterFailed)
		var fe *resourcemanager.WaiterFailedError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "AccountPromoted", fe.Waiter)
		assert.Equal(t, "PromoteCancelled", fe.Status)
		assert.Equal(t, 2, fe.Attempts)
	})

	t.Run("resource directory enabled", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		c := ctx(t)
		got, err := resourcemanager.NewResourceDirectoryEnabledWaiter(e.rm).WaitForOutput(c, nil, time.Minute)
		require.NoError(t, err)
		assert.Equal(t, e.srv.ResourceDirectoryID(), got.ResourceDirectory.ResourceDirectoryId)
	})
}
