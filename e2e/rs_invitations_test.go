package e2e_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// externalShare creates a share that allows external targets, shares a
// vSwitch with an account outside the directory and returns the share ID and
// the invitee's client.
func (e *env) externalShare(t *testing.T, name, invitee string) (string, *resourcesharing.Client) {
	t.Helper()
	out, err := e.rs.CreateResourceShare(ctx(t), &resourcesharing.CreateResourceShareRequest{ResourceShareName: name,
		AllowExternalTargets: true, Resources: vsw("vsw-" + name), Targets: alicloud.List[string]{invitee}})
	require.NoError(t, err)
	_, rs := e.as(invitee)
	return out.ResourceShare.ResourceShareId, rs
}

func (e *env) onlyInvitation(t *testing.T, rs *resourcesharing.Client, shareID string) resourcesharing.ResourceShareInvitation {
	t.Helper()
	out, err := rs.ListResourceShareInvitations(ctx(t), &resourcesharing.ListResourceShareInvitationsRequest{ResourceShareIds: alicloud.List[string]{shareID}})
	require.NoError(t, err)
	require.Len(t, out.ResourceShareInvitations, 1)
	return out.ResourceShareInvitations[0]
}

// TestInvitationAccepted covers the seed operations
// ListResourceShareInvitations and AcceptResourceShareInvitation.
func TestInvitationAccepted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	const invitee = "7000000000000007"
	shareID, inviteeRS := e.externalShare(t, "ext", invitee)

	tg, err := e.rs.ListResourceShareAssociations(c, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeTarget})
	require.NoError(t, err)
	require.Len(t, tg.ResourceShareAssociations, 1)
	assert.True(t, tg.ResourceShareAssociations[0].External)
	assert.Equal(t, resourcesharing.AssociationStatusAssociating, tg.ResourceShareAssociations[0].AssociationStatus,
		"an external target waits for its invitation")

	inv := e.onlyInvitation(t, inviteeRS, shareID)
	assert.Equal(t, resourcesharing.InvitationStatusPending, inv.Status)
	assert.Equal(t, e.srv.ManagementAccountID(), inv.SenderAccountId)
	assert.Equal(t, invitee, inv.ReceiverAccountId)
	assert.Equal(t, "ext", inv.ResourceShareName)
	assert.True(t, strings.HasPrefix(inv.ResourceShareInvitationId, "i-"))
	assert.False(t, inv.CreateTime.IsZero())

	// Nobody else sees or answers it.
	_, strangerRS := e.as("7100000000000071")
	none, err := strangerRS.ListResourceShareInvitations(c, nil)
	require.NoError(t, err)
	assert.Empty(t, none.ResourceShareInvitations)
	_, err = strangerRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: inv.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsResourceShareInvitation, http.StatusConflict)
	_, err = e.rs.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: inv.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsResourceShareInvitation, http.StatusConflict)

	acc, err := inviteeRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: inv.ResourceShareInvitationId})
	require.NoError(t, err)
	got := acc.ResourceShareInvitation
	assert.Equal(t, resourcesharing.InvitationStatusAccepted, got.Status)
	assert.Equal(t, shareID, got.ResourceShareId)
	assert.Equal(t, inv.ResourceShareInvitationId, got.ResourceShareInvitationId)
	assert.Empty(t, got.AcceptInvitationFailedDetails)

	_, err = inviteeRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: inv.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrInvitationStatusAlreadyAccepted, http.StatusConflict)
	_, err = inviteeRS.RejectResourceShareInvitation(c, &resourcesharing.RejectResourceShareInvitationRequest{ResourceShareInvitationId: inv.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrInvitationStatusAlreadyAccepted, http.StatusConflict)

	res, err := inviteeRS.ListSharedResources(c, &resourcesharing.ListSharedResourcesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	require.Len(t, res.SharedResources, 1)
	assert.Equal(t, "vsw-ext", res.SharedResources[0].ResourceId)
	targets, err := e.rs.ListSharedTargets(c, &resourcesharing.ListSharedTargetsRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, Targets: alicloud.List[string]{invitee}})
	require.NoError(t, err)
	require.Len(t, targets.SharedTargets, 1)
	assert.True(t, targets.SharedTargets[0].External)

	// An external target may leave the share.
	left, err := inviteeRS.DisassociateResourceShare(c, &resourcesharing.DisassociateResourceShareRequest{ResourceShareId: shareID,
		ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts, Targets: alicloud.List[string]{invitee}})
	require.NoError(t, err)
	assert.Equal(t, resourcesharing.AssociationStatusDisassociating, left.ResourceShareAssociations[0].AssociationStatus)
	res, err = inviteeRS.ListSharedResources(c, &resourcesharing.ListSharedResourcesRequest{ResourceOwner: resourcesharing.ResourceOwnerOtherAccounts})
	require.NoError(t, err)
	assert.Empty(t, res.SharedResources)
}

func TestInvitationRejectedExpiredCancelled(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	rejShare, rejRS := e.externalShare(t, "rej", "7200000000000072")
	expShare, expRS := e.externalShare(t, "exp", "7300000000000073")
	canShare, canRS := e.externalShare(t, "can", "7400000000000074")

	rej := e.onlyInvitation(t, rejRS, rejShare)
	out, err := rejRS.RejectResourceShareInvitation(c, &resourcesharing.RejectResourceShareInvitationRequest{ResourceShareInvitationId: rej.ResourceShareInvitationId})
	require.NoError(t, err)
	assert.Equal(t, resourcesharing.InvitationStatusRejected, out.ResourceShareInvitation.Status)
	_, err = rejRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: rej.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrInvitationStatusAlreadyRejected, http.StatusConflict)
	_, err = rejRS.RejectResourceShareInvitation(c, &resourcesharing.RejectResourceShareInvitationRequest{ResourceShareInvitationId: rej.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrInvitationStatusAlreadyRejected, http.StatusConflict)
	failed, err := e.rs.ListResourceShareAssociations(c, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeTarget,
		ResourceShareIds: alicloud.List[string]{rejShare}})
	require.NoError(t, err)
	assert.Equal(t, resourcesharing.AssociationStatusFailed, failed.ResourceShareAssociations[0].AssociationStatus)

	_, err = e.rs.DeleteResourceShare(c, &resourcesharing.DeleteResourceShareRequest{ResourceShareId: canShare})
	require.NoError(t, err)
	can := e.onlyInvitation(t, canRS, canShare)
	assert.Equal(t, resourcesharing.InvitationStatusCancelled, can.Status)
	_, err = canRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: can.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsResourceShareInvitation, http.StatusConflict)

	e.srv.Advance(7*24*time.Hour - time.Minute)
	assert.Equal(t, resourcesharing.InvitationStatusPending, e.onlyInvitation(t, expRS, expShare).Status)
	e.srv.Advance(2 * time.Minute)
	exp := e.onlyInvitation(t, expRS, expShare)
	assert.Equal(t, resourcesharing.InvitationStatusExpired, exp.Status)
	_, err = expRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: exp.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrInvitationStatusExpired, http.StatusConflict)
	_, err = expRS.RejectResourceShareInvitation(c, &resourcesharing.RejectResourceShareInvitationRequest{ResourceShareInvitationId: exp.ResourceShareInvitationId})
	requireCode(t, err, resourcesharing.ErrInvitationStatusExpired, http.StatusConflict)

	_, err = expRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-0000000000000000"})
	requireCode(t, err, resourcesharing.ErrEntityNotExistsResourceShareInvitation, http.StatusConflict)
	_, err = expRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "invitation"})
	requireCode(t, err, resourcesharing.ErrInvalidParameterResourceShareInvitationId, http.StatusBadRequest)
	_, err = expRS.AcceptResourceShareInvitation(c, &resourcesharing.AcceptResourceShareInvitationRequest{})
	require.ErrorIs(t, err, resourcesharing.ErrMissingParameterResourceShareInvitationId)
}

func TestListResourceShareInvitationsPaging(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	const invitee = "7500000000000075"
	var shares []string
	for i := range 5 {
		id, _ := e.externalShare(t, fmt.Sprintf("p%d", i), invitee)
		shares = append(shares, id)
	}
	_, rs := e.as(invitee)
	page, err := rs.ListResourceShareInvitations(c, &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: 2})
	require.NoError(t, err)
	require.Len(t, page.ResourceShareInvitations, 2)
	require.NotEmpty(t, page.NextToken)
	all := collect(t, rs.ListResourceShareInvitationsAll(c, &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: 2}))
	require.Len(t, all, 5)
	for i, inv := range all {
		assert.Equal(t, shares[i], inv.ResourceShareId)
	}
	some, err := rs.ListResourceShareInvitations(c, &resourcesharing.ListResourceShareInvitationsRequest{
		ResourceShareInvitationIds: alicloud.List[string]{all[1].ResourceShareInvitationId, all[3].ResourceShareInvitationId}})
	require.NoError(t, err)
	assert.Len(t, some.ResourceShareInvitations, 2)

	_, err = rs.ListResourceShareInvitations(c, &resourcesharing.ListResourceShareInvitationsRequest{NextToken: "not-a-token"})
	requireCode(t, err, resourcesharing.ErrInvalidParameterNextToken, http.StatusBadRequest)
	// The same invitations are not visible from another region.
	other, err := rs.ListResourceShareInvitations(c, nil, resourcesharing.WithRegion("cn-beijing"))
	require.NoError(t, err)
	assert.Empty(t, other.ResourceShareInvitations)

	creds := e.srv.Credentials(invitee)
	ids := func(name string, n int, same bool) []string {
		var kv []string
		for i := 1; i <= n; i++ {
			v := fmt.Sprintf("x-%d", i)
			if same {
				v = "x"
			}
			kv = append(kv, fmt.Sprintf("%s.%d", name, i), v)
		}
		return kv
	}
	for _, tc := range []struct {
		kv   []string
		code string
	}{
		{[]string{"MaxResults", "0"}, "InvalidParameter.MaxResults"},
		{[]string{"MaxResults", "101"}, "InvalidParameter.MaxResults"},
		{[]string{"NextToken", strings.Repeat("t", 257)}, "InvalidParameter.NextToken.Length"},
		{[]string{"NextToken", "abc"}, "InvalidParameter.NextToken"},
		{ids("ResourceShareIds", 6, false), "InvalidParameter.ResourceShareIds.Length"},
		{ids("ResourceShareIds", 2, true), "InvalidParameter.ResourceShareIds.Duplicate"},
		{ids("ResourceShareInvitationIds", 2, true), "InvalidParameter.ResourceShareInvitationIds.Duplicate"},
		{ids("ResourceShareInvitationIds", 21, false), "InvalidParameter.ResourceShareInvitationIds.Length"},
	} {
		status, code := rawCode(t, e.srv, resourcesharing.ServiceVersion, creds, "ListResourceShareInvitations", tc.kv...)
		assert.Equal(t, http.StatusBadRequest, status, tc.kv)
		assert.Equal(t, tc.code, code, tc.kv)
	}
}
