package emulator

import (
	"slices"
	"time"
)

// Resource share invitations, sent to targets outside the resource
// directory of a share that allows external targets:
// ListResourceShareInvitations, AcceptResourceShareInvitation,
// RejectResourceShareInvitation, all called by the invited account. An
// invitation is Pending for Config.InvitationTTL (7 days) of emulator time,
// then Expired; deleting the share or removing the target cancels it.

const (
	errInvitationNotFound        errCode = "EntityNotExists.ResourceShareInvitation"
	errInvitationExpired         errCode = "InvitationStatus.Expired"
	errInvitationAlreadyAccepted errCode = "InvitationStatus.AlreadyAccepted"
	errInvitationAlreadyRejected errCode = "InvitationStatus.AlreadyRejected"
)

// Invitation statuses.
const (
	invitationPending   = "Pending"
	invitationAccepted  = "Accepted"
	invitationRejected  = "Rejected"
	invitationExpired   = "Expired"
	invitationCancelled = "Cancelled"
)

// maxInvitationIDs bounds ResourceShareInvitationIds; the API documents a
// limit (InvalidParameter.ResourceShareInvitationIds.Length) without its
// figure.
const maxInvitationIDs = 20

// invite creates (or reuses) the pending invitation for an external target
// association, and schedules its expiry.
func (st *state) invite(sh *share, a *association, now time.Time, ttl time.Duration) *invitation {
	for _, inv := range st.invitations {
		if inv.ShareID == sh.ID && inv.Receiver == a.EntityID && inv.Status == invitationPending {
			return inv
		}
	}
	inv := &invitation{order: st.next(), ID: "i-" + st.token(16, alnum), ShareID: sh.ID, Sender: sh.Owner,
		Receiver: a.EntityID, Status: invitationPending, Created: now, Expires: now.Add(ttl)}
	st.invitations[inv.ID] = inv
	st.later(now, ttl, func(now time.Time) {
		if inv.Status != invitationPending {
			return
		}
		inv.Status = invitationExpired
		if a.Status == assocAssociating {
			a.Status, a.Message, a.Updated = assocFailed, "The invitation expired.", now
		}
	})
	return inv
}

type invitationView struct {
	CreateTime                string
	ReceiverAccountId         string
	ResourceShareId           string
	ResourceShareInvitationId string
	ResourceShareName         string
	SenderAccountId           string
	Status                    string
}

func (st *state) viewInvitation(inv *invitation) invitationView {
	name := ""
	if sh := st.shares[inv.ShareID]; sh != nil {
		name = sh.Name
	}
	return invitationView{CreateTime: isoTime(inv.Created), ReceiverAccountId: inv.Receiver,
		ResourceShareId: inv.ShareID, ResourceShareInvitationId: inv.ID, ResourceShareName: name,
		SenderAccountId: inv.Sender, Status: inv.Status}
}

type invitationReply struct{ ResourceShareInvitation invitationView }

// invitationRegion is the region of an invitation's share.
func (st *state) invitationRegion(inv *invitation) string {
	if sh := st.shares[inv.ShareID]; sh != nil {
		return sh.Region
	}
	return ""
}

// answerableInvitation finds a Pending invitation addressed to the caller.
// One addressed to another account is reported as not existing.
func (c *call) answerableInvitation() (*invitation, *association, error) {
	id := c.p.get("ResourceShareInvitationId")
	if !idShape(id, "i-", 1, 64) {
		return nil, nil, invalidParam(c.codes, "ResourceShareInvitationId", "")
	}
	inv := c.st.invitations[id]
	if inv == nil || inv.Receiver != c.caller.ID || c.st.invitationRegion(inv) != c.region {
		return nil, nil, errInvitationNotFound
	}
	switch inv.Status {
	case invitationAccepted:
		return nil, nil, errInvitationAlreadyAccepted
	case invitationRejected:
		return nil, nil, errInvitationAlreadyRejected
	case invitationExpired:
		return nil, nil, errInvitationExpired
	case invitationCancelled:
		return nil, nil, errInvitationNotFound
	}
	var assoc *association
	if sh := c.st.shares[inv.ShareID]; sh != nil {
		if a := sh.findAssoc(assocTarget, inv.Receiver); a != nil && a.Status == assocAssociating {
			assoc = a
		}
	}
	return inv, assoc, nil
}

func acceptResourceShareInvitation(c *call) (any, error) {
	inv, a, err := c.answerableInvitation()
	if err != nil {
		return nil, err
	}
	inv.Status = invitationAccepted
	if a != nil {
		a.Status, a.Updated = assocAssociated, c.now
	}
	return invitationReply{c.st.viewInvitation(inv)}, nil
}

func rejectResourceShareInvitation(c *call) (any, error) {
	inv, a, err := c.answerableInvitation()
	if err != nil {
		return nil, err
	}
	inv.Status = invitationRejected
	if a != nil {
		a.Status, a.Message, a.Updated = assocFailed, "The invitation was rejected.", c.now
	}
	return invitationReply{c.st.viewInvitation(inv)}, nil
}

func listResourceShareInvitations(c *call) (any, error) {
	if err := c.maxListItems("ResourceShareInvitationIds", maxInvitationIDs); err != nil {
		return nil, err
	}
	shareIDs, ids := c.p.list("ResourceShareIds"), c.p.list("ResourceShareInvitationIds")
	st := c.st
	var found []*invitation
	for _, inv := range st.invitations {
		switch {
		case inv.Receiver != c.caller.ID,
			st.invitationRegion(inv) != c.region,
			len(shareIDs) > 0 && !slices.Contains(shareIDs, inv.ShareID),
			len(ids) > 0 && !slices.Contains(ids, inv.ID):
			continue
		}
		found = append(found, inv)
	}
	byOrder(found, func(inv *invitation) int64 { return inv.order })
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	out := struct {
		NextToken                string `json:",omitempty"`
		ResourceShareInvitations []invitationView
	}{NextToken: next, ResourceShareInvitations: make([]invitationView, 0, len(page))}
	for _, inv := range page {
		out.ResourceShareInvitations = append(out.ResourceShareInvitations, st.viewInvitation(inv))
	}
	return out, nil
}
