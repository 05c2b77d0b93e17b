package emulator

import (
	"slices"
	"time"
)

// Associations between shares and resources or targets:
// AssociateResourceShare, DisassociateResourceShare,
// ListResourceShareAssociations, ListSharedResources, ListSharedTargets.
//
// Lifecycle: an association is Associating (or Disassociating) in the reply
// of the call that changes it and becomes Associated (Disassociated) at the
// first later request once Config.AssociationDelay has passed on the
// emulator clock. A target outside the resource directory is the exception:
// it stays Associating until its invitation is accepted (then Associated) or
// rejected or expired (then Failed).

const (
	errBothEmpty             errCode = "ResourceAndTargetBothEmpty"
	errAssociateConflict     errCode = "AssociateConflict"
	errDisassociateConflict  errCode = "DisassociateConflict"
	errDisassociateInvalid   errCode = "DisassociateInvalid"
	errLeavingFailedAccount  errCode = "LeavingFailed.Account"
	errConflictedAssociation errCode = "ConflictedAssociationType"
)

// findAssoc returns the newest association of a share with an entity.
func (sh *share) findAssoc(kind, entityID string) *association {
	var found *association
	for _, a := range sh.assocs {
		if a.Type == kind && a.EntityID == entityID && (found == nil || a.order > found.order) {
			found = a
		}
	}
	return found
}

// settleAssoc completes a pending association change after delay.
func (st *state) settleAssoc(a *association, from, to string, now time.Time, delay time.Duration) {
	st.later(now, delay, func(now time.Time) {
		if a.Status == from {
			a.Status, a.Updated = to, now
		}
	})
}

// associateResource adds a resource to a share, or returns its live
// association.
func (st *state) associateResource(sh *share, r resourceRef, now time.Time, delay time.Duration) *association {
	if a := sh.findAssoc(assocResource, r.ID); a != nil && (a.Status == assocAssociated || a.Status == assocAssociating) {
		return a
	}
	a := &association{order: st.next(), Type: assocResource, EntityID: r.ID, EntityType: r.Type, Arn: r.Arn,
		Property: r.Property, Status: assocAssociating, Created: now, Updated: now}
	sh.assocs = append(sh.assocs, a)
	st.settleAssoc(a, assocAssociating, assocAssociated, now, delay)
	return a
}

// associateTarget adds a target to a share, or returns its live
// association. An external account gets an invitation.
func (st *state) associateTarget(sh *share, t targetRef, now time.Time, cfg Config) *association {
	if a := sh.findAssoc(assocTarget, t.ID); a != nil && (a.Status == assocAssociated || a.Status == assocAssociating) {
		return a
	}
	a := &association{order: st.next(), Type: assocTarget, EntityID: t.ID, EntityType: t.Type,
		Property: t.Property, Status: assocAssociating, External: t.External, Created: now, Updated: now}
	sh.assocs = append(sh.assocs, a)
	if t.External {
		st.externalAccount(t.ID, now)
		st.invite(sh, a, now, cfg.InvitationTTL)
	} else {
		st.settleAssoc(a, assocAssociating, assocAssociated, now, cfg.AssociationDelay)
	}
	return a
}

type associationView struct {
	AssociationStatus        string
	AssociationStatusMessage string
	AssociationType          string
	CreateTime               string
	EntityId                 string
	EntityType               string
	External                 *bool `json:",omitempty"`
	ResourceArn              string
	ResourceProperty         string
	ResourceShareId          string
	ResourceShareName        string
	TargetProperty           string
	UpdateTime               string
}

func viewAssoc(sh *share, a *association, withExternal bool) associationView {
	v := associationView{AssociationStatus: a.Status, AssociationStatusMessage: a.Message, AssociationType: a.Type,
		CreateTime: isoTime(a.Created), EntityId: a.EntityID, EntityType: a.EntityType, ResourceArn: a.Arn,
		ResourceShareId: sh.ID, ResourceShareName: sh.Name, UpdateTime: isoTime(a.Updated)}
	if a.Type == assocTarget {
		v.TargetProperty = a.Property
	} else {
		v.ResourceProperty = a.Property
	}
	if withExternal {
		ext := a.External
		v.External = &ext
	}
	return v
}

type associationsReply struct {
	ResourceShareAssociations []associationView
}

func associateResourceShare(c *call) (any, error) {
	sh, err := c.shareParam()
	if err != nil {
		return nil, err
	}
	if sh.Status != shareActive {
		return nil, errShareStatusMismatch
	}
	st := c.st
	resources, err := c.resourcesParam(sh.Owner)
	if err != nil {
		return nil, err
	}
	targets, err := c.targetsParam(c.caller, sh.AllowExternal)
	if err != nil {
		return nil, err
	}
	perms, err := c.permissionsParam()
	if err != nil {
		return nil, err
	}
	if len(resources) == 0 && len(targets) == 0 {
		return nil, errBothEmpty
	}
	var fresh []resourceRef
	for _, r := range resources {
		a := sh.findAssoc(assocResource, r.ID)
		if a != nil && a.Status == assocDisassociating {
			return nil, errAssociateConflict
		}
		if a == nil || a.Status == assocDisassociated || a.Status == assocFailed {
			fresh = append(fresh, r)
		}
	}
	for _, t := range targets {
		if a := sh.findAssoc(assocTarget, t.ID); a != nil && a.Status == assocDisassociating {
			return nil, errAssociateConflict
		}
	}
	if len(fresh) > 0 && st.sharedResourceCount(sh.Owner, sh.Region, fresh) > c.cfg.SharedResourceQuota {
		return nil, errSharedResourceQuota
	}
	out := associationsReply{ResourceShareAssociations: []associationView{}}
	for _, r := range resources {
		a := st.associateResource(sh, r, c.now, c.cfg.AssociationDelay)
		out.ResourceShareAssociations = append(out.ResourceShareAssociations, viewAssoc(sh, a, false))
	}
	for _, t := range targets {
		a := st.associateTarget(sh, t, c.now, *c.cfg)
		out.ResourceShareAssociations = append(out.ResourceShareAssociations, viewAssoc(sh, a, false))
	}
	for _, p := range perms {
		if !slices.Contains(sh.permissions, p) {
			sh.permissions = append(sh.permissions, p)
		}
	}
	sh.Updated = c.now
	return out, nil
}

func disassociateResourceShare(c *call) (any, error) {
	if c.ownerParam() == ownerOthers {
		return leaveResourceShare(c)
	}
	sh, err := c.shareParam()
	if err != nil {
		return nil, err
	}
	if sh.Status != shareActive {
		return nil, errShareStatusMismatch
	}
	if err := c.maxListItems("Targets", 5); err != nil {
		return nil, err
	}
	resources, err := c.resourcesParam(sh.Owner)
	if err != nil {
		return nil, err
	}
	targets := c.p.list("Targets")
	for _, t := range targets {
		if !validAccountID(t) && !validFolderID(t) && !idShape(t, "rd-", 1, 32) {
			return nil, errTargetsInvalid
		}
	}
	if len(resources) == 0 && len(targets) == 0 {
		return nil, errBothEmpty
	}
	var ending []*association
	check := func(kind, id string) error {
		a := sh.findAssoc(kind, id)
		switch {
		case a == nil, a.Status == assocDisassociated, a.Status == assocFailed, a.Status == assocDisassociating:
			return errDisassociateInvalid
		case a.Status == assocAssociating && !a.External:
			return errDisassociateConflict
		}
		ending = append(ending, a)
		return nil
	}
	for _, r := range resources {
		if err := check(assocResource, r.ID); err != nil {
			return nil, err
		}
	}
	for _, t := range targets {
		if err := check(assocTarget, t); err != nil {
			return nil, err
		}
	}
	return c.disassociate(sh, ending), nil
}

// disassociate starts ending associations and answers with them.
func (c *call) disassociate(sh *share, ending []*association) associationsReply {
	st := c.st
	out := associationsReply{ResourceShareAssociations: []associationView{}}
	for _, a := range ending {
		a.Status, a.Updated = assocDisassociating, c.now
		if a.Type == assocTarget && a.External {
			for _, inv := range st.invitations {
				if inv.ShareID == sh.ID && inv.Receiver == a.EntityID && inv.Status == invitationPending {
					inv.Status = invitationCancelled
				}
			}
		}
		st.settleAssoc(a, assocDisassociating, assocDisassociated, c.now, c.cfg.AssociationDelay)
		out.ResourceShareAssociations = append(out.ResourceShareAssociations, viewAssoc(sh, a, false))
	}
	sh.Updated = c.now
	return out
}

// leaveResourceShare is DisassociateResourceShare with ResourceOwner
// OtherAccounts: an external target leaves a share it accepted. Members of
// the resource directory cannot leave a share given to them through it.
func leaveResourceShare(c *call) (any, error) {
	id := c.p.get("ResourceShareId")
	if !idShape(id, "rs-", 1, 64) {
		return nil, invalidParam(c.codes, "ResourceShareId", "")
	}
	sh := c.st.shares[id]
	if sh == nil || sh.Region != c.region || !c.st.reaches(sh, c.caller.ID) {
		return nil, errShareNotFound
	}
	a := sh.findAssoc(assocTarget, c.caller.ID)
	if a == nil || a.Status != assocAssociated {
		return nil, errLeavingFailedAccount
	}
	if !a.External {
		return nil, errLeavingFailedAccount
	}
	return c.disassociate(sh, []*association{a}), nil
}

// visibleShares returns the shares of the caller (Self) or shared with the
// caller (OtherAccounts) in the request's region, in creation order,
// restricted to ids when given.
func (c *call) visibleShares(owner string, ids []string) []*share {
	var out []*share
	for _, sh := range c.st.shares {
		if sh.Region != c.region || len(ids) > 0 && !slices.Contains(ids, sh.ID) {
			continue
		}
		if owner == ownerSelf && sh.Owner == c.caller.ID || owner == ownerOthers && c.st.reaches(sh, c.caller.ID) {
			out = append(out, sh)
		}
	}
	return byOrder(out, func(sh *share) int64 { return sh.order })
}

func listResourceShareAssociations(c *call) (any, error) {
	kind := c.p.get("AssociationType")
	status := c.p.get("AssociationStatus")
	resID, target, arn := c.p.get("ResourceId"), c.p.get("Target"), c.p.get("ResourceArn")
	if resID != "" && arn != "" {
		return nil, errResourceConflict
	}
	if kind == assocTarget && (resID != "" || arn != "") || kind == assocResource && target != "" {
		return nil, errConflictedAssociation
	}
	type pair struct {
		sh *share
		a  *association
	}
	var found []pair
	for _, sh := range c.visibleShares(ownerSelf, c.p.list("ResourceShareIds")) {
		for _, a := range sh.assocs {
			switch {
			case a.Type != kind,
				status != "" && a.Status != status,
				resID != "" && a.EntityID != resID,
				arn != "" && a.Arn != arn,
				target != "" && a.EntityID != target:
				continue
			}
			found = append(found, pair{sh, a})
		}
	}
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	out := struct {
		NextToken                 string `json:",omitempty"`
		ResourceShareAssociations []associationView
	}{NextToken: next, ResourceShareAssociations: make([]associationView, 0, len(page))}
	for _, p := range page {
		out.ResourceShareAssociations = append(out.ResourceShareAssociations, viewAssoc(p.sh, p.a, true))
	}
	return out, nil
}

type sharedResourceView struct {
	CreateTime            string
	ResourceArn           string
	ResourceId            string
	ResourceShareId       string
	ResourceStatus        string
	ResourceStatusMessage string
	ResourceType          string
	UpdateTime            string
}

func listSharedResources(c *call) (any, error) {
	for _, name := range []string{"ResourceShareIds", "ResourceIds"} {
		if err := c.maxListItems(name, 5); err != nil {
			return nil, err
		}
	}
	owner := c.ownerParam()
	typ, target := c.p.get("ResourceType"), c.p.get("Target")
	if typ != "" {
		if _, ok := lookupResourceType(typ); !ok {
			return nil, errResourceTypeInvalid
		}
	}
	if target != "" && !validAccountID(target) && !validFolderID(target) && !idShape(target, "rd-", 1, 32) {
		return nil, invalidParam(c.codes, "Target", "")
	}
	ids, arns := c.p.list("ResourceIds"), c.p.list("ResourceArns")
	if len(ids) > 0 && len(arns) > 0 {
		return nil, errResourceConflict
	}
	found := []sharedResourceView{}
	for _, sh := range c.visibleShares(owner, c.p.list("ResourceShareIds")) {
		if target != "" {
			if t := sh.findAssoc(assocTarget, target); t == nil || t.Status != assocAssociated {
				continue
			}
		}
		for _, a := range sh.assocs {
			switch {
			case a.Type != assocResource || a.Status != assocAssociated,
				typ != "" && a.EntityType != typ,
				len(ids) > 0 && !slices.Contains(ids, a.EntityID),
				len(arns) > 0 && !slices.Contains(arns, a.Arn):
				continue
			}
			found = append(found, sharedResourceView{CreateTime: isoTime(a.Created), ResourceArn: a.Arn,
				ResourceId: a.EntityID, ResourceShareId: sh.ID, ResourceStatus: "Available",
				ResourceType: a.EntityType, UpdateTime: isoTime(a.Updated)})
		}
	}
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	return struct {
		NextToken       string `json:",omitempty"`
		SharedResources []sharedResourceView
	}{next, page}, nil
}

type sharedTargetView struct {
	CreateTime      string
	External        bool
	ResourceShareId string
	TargetId        string
	TargetProperty  string
	UpdateTime      string
}

func listSharedTargets(c *call) (any, error) {
	for _, name := range []string{"ResourceShareIds", "Targets"} {
		if err := c.maxListItems(name, 5); err != nil {
			return nil, err
		}
	}
	owner := c.ownerParam()
	targets := c.p.list("Targets")
	typ, resID, arn := c.p.get("ResourceType"), c.p.get("ResourceId"), c.p.get("ResourceArn")
	if resID != "" && arn != "" {
		return nil, errResourceConflict
	}
	if typ != "" {
		if _, ok := lookupResourceType(typ); !ok {
			return nil, errResourceTypeInvalid
		}
	}
	found := []sharedTargetView{}
	for _, sh := range c.visibleShares(owner, c.p.list("ResourceShareIds")) {
		holds := func(match func(*association) bool) bool {
			return slices.ContainsFunc(sh.assocs, func(a *association) bool {
				return a.Type == assocResource && a.Status == assocAssociated && match(a)
			})
		}
		if typ != "" && !holds(func(a *association) bool { return a.EntityType == typ }) ||
			resID != "" && !holds(func(a *association) bool { return a.EntityID == resID }) ||
			arn != "" && !holds(func(a *association) bool { return a.Arn == arn }) {
			continue
		}
		for _, a := range sh.assocs {
			if a.Type != assocTarget || a.Status != assocAssociated ||
				len(targets) > 0 && !slices.Contains(targets, a.EntityID) {
				continue
			}
			if owner == ownerOthers && a.EntityID != c.caller.ID && !c.st.reachesVia(a, c.caller.ID) {
				continue
			}
			found = append(found, sharedTargetView{CreateTime: isoTime(a.Created), External: a.External,
				ResourceShareId: sh.ID, TargetId: a.EntityID, TargetProperty: a.Property, UpdateTime: isoTime(a.Updated)})
		}
	}
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	return struct {
		NextToken     string `json:",omitempty"`
		SharedTargets []sharedTargetView
	}{next, page}, nil
}

// reachesVia reports whether a directory or folder target covers the account.
func (st *state) reachesVia(a *association, accountID string) bool {
	acc := st.accounts[accountID]
	if acc == nil || !acc.inRD {
		return false
	}
	switch a.EntityType {
	case targetDirectory:
		return a.EntityID == st.rdID
	case targetFolder:
		return st.inFolder(acc.FolderID, a.EntityID)
	}
	return false
}
