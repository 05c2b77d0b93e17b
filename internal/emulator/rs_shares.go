package emulator

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Resource shares: CreateResourceShare, UpdateResourceShare,
// DeleteResourceShare, ListResourceShares, and the rules shared with the
// association handlers (who may be a target, what a resource is, quotas).
//
// Shares are regional: a share lives in the RegionId of the request that
// created it and is seen only by requests for that region.

const (
	errShareNotFound          errCode = "EntityNotExists.ResourceShare"
	errShareNameInvalid       errCode = "InvalidParameter.ResourceShareName"
	errShareStatusMismatch    errCode = "ResourceShareStatusMismatchAction"
	errShareQuota             errCode = "QuotaExceeded.ResourceShare.Count"
	errSharedResourceQuota    errCode = "QuotaExceeded.SharedResource.Count"
	errResourcesInvalid       errCode = "InvalidParameter.Resources"
	errResourceTypeInvalid    errCode = "InvalidParameter.ResourceType"
	errResourceArnsInvalid    errCode = "InvalidParameter.ResourceArns"
	errResourcePropertiesBad  errCode = "InvalidParameter.ResourceProperties"
	errResourcePropertiesDup  errCode = "InvalidParameter.ResourceProperties.Duplicate"
	errTargetPropertiesBad    errCode = "InvalidParameter.TargetProperties"
	errTargetPropertiesDup    errCode = "InvalidParameter.TargetProperties.Duplicate"
	errResourceConflict       errCode = "InvalidParameter.ResourceConflict"
	errTargetsInvalid         errCode = "InvalidParameter.Targets"
	errTargetNotInDirectory   errCode = "InvalidTarget"
	errShareWithYourself      errCode = "ShareWithYourself"
	errNotInResourceDirectory errCode = "AccountNotInResourceDirectory"
	errRDSharingNotEnabled    errCode = "NotEnableSharingWithResourceDirectory"
	errPermissionNotFound     errCode = "EntityNotExists.Permission"
	errOwnerAndTag            errCode = "InvalidParameter.ResourceOwnerAndTag"
	errInvalidParameter       errCode = "InvalidParameter"
)

// Share statuses, association statuses and types, resource owners.
const (
	shareActive   = "Active"
	shareDeleting = "Deleting"
	shareDeleted  = "Deleted"

	assocAssociating    = "Associating"
	assocAssociated     = "Associated"
	assocFailed         = "Failed"
	assocDisassociating = "Disassociating"
	assocDisassociated  = "Disassociated"

	assocResource = "Resource"
	assocTarget   = "Target"

	targetAccount   = "Account"
	targetDirectory = "ResourceDirectory"
	targetFolder    = "Folder"

	ownerSelf   = "Self"
	ownerOthers = "OtherAccounts"
)

// resourceType is a kind of resource the emulator can share.
type resourceType struct {
	Name    string // the API's ResourceType, e.g. "VSwitch"
	Service string // the ARN's service, e.g. "vpc"
	ArnType string // the ARN's resource type, e.g. "vswitch"
	Actions []string
}

// resourceTypes are the shareable resource types, each with a default
// permission named AliyunRSDefaultPermission<Name>.
func resourceTypes() []resourceType {
	return []resourceType{
		{"VSwitch", "vpc", "vswitch", []string{"vpc:DescribeVSwitches", "vpc:DescribeVSwitchAttributes", "ecs:RunInstances"}},
		{"Snapshot", "ecs", "snapshot", []string{"ecs:DescribeSnapshots", "ecs:CreateDisk"}},
		{"Image", "ecs", "image", []string{"ecs:DescribeImages", "ecs:RunInstances"}},
		{"PrefixList", "vpc", "prefixlist", []string{"vpc:DescribePrefixLists", "vpc:DescribePrefixListAttributes"}},
		{"PublicIpAddressPool", "vpc", "publicipaddresspool", []string{"vpc:ListPublicIpAddressPools", "vpc:AllocateEipAddress"}},
		{"KMSInstance", "kms", "instance", []string{"kms:DescribeKmsInstance", "kms:CreateKey"}},
	}
}

func lookupResourceType(name string) (resourceType, bool) {
	for _, t := range resourceTypes() {
		if t.Name == name {
			return t, true
		}
	}
	return resourceType{}, false
}

// resourceRef is a resource named in a request.
type resourceRef struct{ ID, Type, Arn, Property string }

func (r resourceRef) key() string { return r.Type + "/" + r.ID }

func arnOf(t resourceType, region, owner, id string) string {
	return "acs:" + t.Service + ":" + region + ":" + owner + ":" + t.ArnType + "/" + id
}

// resourcesParam reads Resources.N.ResourceId/ResourceType or ResourceArns.N
// (not both).
func (c *call) resourcesParam(owner string) ([]resourceRef, error) {
	pairs, arns := c.p.structs("Resources"), c.p.list("ResourceArns")
	if len(pairs) > 0 && len(arns) > 0 {
		return nil, errResourceConflict
	}
	var out []resourceRef
	for _, f := range pairs {
		id, typ := f["ResourceId"], f["ResourceType"]
		if id == "" || typ == "" || !validPrintable(id) || len(id) > 128 {
			return nil, errResourcesInvalid
		}
		t, ok := lookupResourceType(typ)
		if !ok {
			return nil, errResourceTypeInvalid
		}
		out = append(out, resourceRef{ID: id, Type: t.Name, Arn: arnOf(t, c.region, owner, id)})
	}
	for _, arn := range arns {
		ref, ok := parseArn(arn)
		if !ok {
			return nil, errResourceArnsInvalid
		}
		out = append(out, ref)
	}
	// ResourceProperties.N names a resource of this call by its ARN.
	seen := map[string]bool{}
	for _, f := range c.p.structs("ResourceProperties") {
		arn, prop := f["ResourceArn"], f["Property"]
		if seen[arn] {
			return nil, errResourcePropertiesDup
		}
		seen[arn] = true
		i := slices.IndexFunc(out, func(r resourceRef) bool { return r.Arn == arn })
		if arn == "" || i < 0 || !jsonObject(prop) {
			return nil, errResourcePropertiesBad
		}
		out[i].Property = prop
	}
	return out, nil
}

// jsonObject reports whether s is the JSON text of one object.
func jsonObject(s string) bool {
	var m map[string]any
	return json.Unmarshal([]byte(s), &m) == nil && m != nil
}

// parseArn reads acs:<service>:<region>:<account>:<type>/<id>.
func parseArn(arn string) (resourceRef, bool) {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) != 5 || parts[0] != "acs" {
		return resourceRef{}, false
	}
	kind, id, ok := strings.Cut(parts[4], "/")
	if !ok || id == "" || !validPrintable(id) {
		return resourceRef{}, false
	}
	for _, t := range resourceTypes() {
		if t.Service == parts[1] && t.ArnType == kind {
			return resourceRef{ID: id, Type: t.Name, Arn: arn}, true
		}
	}
	return resourceRef{}, false
}

// maxListItems enforces a documented list limit the API description does
// not carry as maxItems.
func (c *call) maxListItems(name string, n int) error {
	if len(c.p.elems(name)) > n {
		return invalidParam(c.codes, name, ".Length")
	}
	return nil
}

// targetRef is a target named in a request, classified.
type targetRef struct {
	ID       string
	Type     string // targetAccount, targetDirectory or targetFolder
	External bool
	Property string // TargetProperties.N.Property: JSON text
}

// targetsParam reads Targets.N and decides, for a share owned by owner,
// whether each is inside the resource directory or external.
func (c *call) targetsParam(owner *account, allowExternal bool) ([]targetRef, error) {
	var out []targetRef
	for _, t := range c.p.list("Targets") {
		ref, err := c.classifyTarget(t, owner, allowExternal)
		if err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	// TargetProperties.N names a target of this call.
	seen := map[string]bool{}
	for _, f := range c.p.structs("TargetProperties") {
		id, prop := f["TargetId"], f["Property"]
		if seen[id] {
			return nil, errTargetPropertiesDup
		}
		seen[id] = true
		i := slices.IndexFunc(out, func(t targetRef) bool { return t.ID == id })
		if id == "" || i < 0 || !jsonObject(prop) {
			return nil, errTargetPropertiesBad
		}
		out[i].Property = prop
	}
	return out, nil
}

func (c *call) classifyTarget(t string, owner *account, allowExternal bool) (targetRef, error) {
	st := c.st
	switch {
	case validAccountID(t):
		if t == owner.ID {
			return targetRef{}, errShareWithYourself
		}
		if a := st.accounts[t]; a != nil && a.inRD && owner.inRD {
			if !st.sharingEnabled && !allowExternal {
				return targetRef{}, errRDSharingNotEnabled
			}
			if st.sharingEnabled {
				return targetRef{ID: t, Type: targetAccount}, nil
			}
		}
		if !allowExternal {
			return targetRef{}, errNotInResourceDirectory
		}
		return targetRef{ID: t, Type: targetAccount, External: true}, nil
	case strings.HasPrefix(t, "rd-") || validFolderID(t):
		if !owner.inRD {
			return targetRef{}, errNotInResourceDirectory
		}
		if !st.sharingEnabled {
			return targetRef{}, errRDSharingNotEnabled
		}
		if t == st.rdID {
			return targetRef{ID: t, Type: targetDirectory}, nil
		}
		if st.folders[t] != nil {
			return targetRef{ID: t, Type: targetFolder}, nil
		}
		return targetRef{}, errTargetNotInDirectory
	}
	return targetRef{}, errTargetsInvalid
}

// permissionsParam reads PermissionNames.N; each must exist.
func (c *call) permissionsParam() ([]string, error) {
	names := c.p.list("PermissionNames")
	for _, n := range names {
		if _, ok := lookupPermission(n); !ok {
			return nil, errPermissionNotFound
		}
	}
	return names, nil
}

// shareParam finds a share of the caller in the request's region.
func (c *call) shareParam() (*share, error) {
	id := c.p.get("ResourceShareId")
	if !idShape(id, "rs-", 1, 64) {
		return nil, invalidParam(c.codes, "ResourceShareId", "")
	}
	sh := c.st.shares[id]
	if sh == nil || sh.Owner != c.caller.ID || sh.Region != c.region {
		return nil, errShareNotFound
	}
	return sh, nil
}

// sharedResourceCount counts the distinct resources an account shares in a
// region, plus extra ones not yet shared.
func (st *state) sharedResourceCount(owner, region string, extra []resourceRef) int {
	seen := map[string]bool{}
	for _, sh := range st.shares {
		if sh.Owner != owner || sh.Region != region || sh.Status == shareDeleted {
			continue
		}
		for _, a := range sh.assocs {
			if a.Type == assocResource && a.Status != assocDisassociated && a.Status != assocFailed {
				seen[a.EntityType+"/"+a.EntityID] = true
			}
		}
	}
	for _, r := range extra {
		seen[r.key()] = true
	}
	return len(seen)
}

// reaches reports whether a share gives accountID access: an associated
// target is the account itself, its directory or one of its folders.
func (st *state) reaches(sh *share, accountID string) bool {
	if sh.Owner == accountID || sh.Status != shareActive {
		return false
	}
	acc := st.accounts[accountID]
	for _, a := range sh.assocs {
		if a.Type != assocTarget || a.Status != assocAssociated {
			continue
		}
		switch a.EntityType {
		case targetAccount:
			if a.EntityID == accountID {
				return true
			}
		case targetDirectory:
			if acc != nil && acc.inRD && a.EntityID == st.rdID {
				return true
			}
		case targetFolder:
			if acc != nil && acc.inRD && st.inFolder(acc.FolderID, a.EntityID) {
				return true
			}
		}
	}
	return false
}

// inFolder reports whether folder id is ancestor or equal to folder in.
func (st *state) inFolder(id, ancestor string) bool {
	for i, f := 0, st.folders[id]; f != nil && i < 16; i, f = i+1, st.folders[f.ParentID] {
		if f.ID == ancestor {
			return true
		}
	}
	return false
}

// effectivePermissions are the share's explicit permissions and the default
// permission of every resource type it holds.
func (sh *share) effectivePermissions() []string {
	out := slices.Clone(sh.permissions)
	for _, a := range sh.assocs {
		if a.Type == assocResource && a.Status != assocDisassociated && a.Status != assocFailed {
			name := defaultPermissionPrefix + a.EntityType
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

type shareView struct {
	AllowExternalTargets bool
	CreateTime           string
	ResourceGroupId      string `json:",omitempty"`
	ResourceShareId      string
	ResourceShareName    string
	ResourceShareOwner   string
	ResourceShareStatus  string
	Tags                 []tagView `json:",omitempty"`
	UpdateTime           string
}

func viewShare(sh *share) shareView {
	return shareView{AllowExternalTargets: sh.AllowExternal, CreateTime: isoTime(sh.Created),
		ResourceShareId: sh.ID, ResourceShareName: sh.Name, ResourceShareOwner: sh.Owner,
		ResourceShareStatus: sh.Status, UpdateTime: isoTime(sh.Updated)}
}

type shareReply struct{ ResourceShare shareView }

func createResourceShare(c *call) (any, error) {
	st := c.st
	name := c.p.get("ResourceShareName")
	if !validShareName(name) {
		return nil, errShareNameInvalid
	}
	if err := c.maxListItems("Targets", 5); err != nil {
		return nil, err
	}
	resources, err := c.resourcesParam(c.caller.ID)
	if err != nil {
		return nil, err
	}
	allowExternal := c.p.boolean("AllowExternalTargets")
	targets, err := c.targetsParam(c.caller, allowExternal)
	if err != nil {
		return nil, err
	}
	perms, err := c.permissionsParam()
	if err != nil {
		return nil, err
	}
	group := c.p.get("ResourceGroupId")
	if group == "" {
		group = st.defaultGroup(c.caller.ID, c.now).ID
	} else if g := st.groups[group]; g == nil || g.AccountID != c.caller.ID {
		return nil, errInvalidParameter
	}
	active := 0
	for _, sh := range st.shares {
		if sh.Owner == c.caller.ID && sh.Region == c.region && sh.Status != shareDeleted {
			active++
		}
	}
	if active >= c.cfg.MaxResourceShares {
		return nil, errShareQuota
	}
	if len(resources) > 0 && st.sharedResourceCount(c.caller.ID, c.region, resources) > c.cfg.SharedResourceQuota {
		return nil, errSharedResourceQuota
	}
	sh := &share{
		order: st.next(), ID: "rs-" + st.token(12, alnum), Name: name, Owner: c.caller.ID, Region: c.region,
		Status: shareActive, ResourceGroupID: group, AllowExternal: allowExternal, Created: c.now, Updated: c.now,
		tags: c.p.tags(), permissions: perms,
	}
	st.shares[sh.ID] = sh
	for _, r := range resources {
		st.associateResource(sh, r, c.now, c.cfg.AssociationDelay)
	}
	for _, t := range targets {
		st.associateTarget(sh, t, c.now, *c.cfg)
	}
	return shareReply{viewShare(sh)}, nil
}

func updateResourceShare(c *call) (any, error) {
	sh, err := c.shareParam()
	if err != nil {
		return nil, err
	}
	if sh.Status != shareActive {
		return nil, errShareStatusMismatch
	}
	name := c.p.get("ResourceShareName")
	if !validShareName(name) {
		return nil, errShareNameInvalid
	}
	sh.Name = name
	if c.p.has("AllowExternalTargets") {
		sh.AllowExternal = c.p.boolean("AllowExternalTargets")
	}
	sh.Updated = c.now
	return shareReply{viewShare(sh)}, nil
}

func deleteResourceShare(c *call) (any, error) {
	sh, err := c.shareParam()
	if err != nil {
		return nil, err
	}
	if sh.Status != shareActive {
		return nil, errShareStatusMismatch
	}
	st := c.st
	sh.Status, sh.Updated = shareDeleting, c.now
	var ending []*association
	for _, a := range sh.assocs {
		if a.Status == assocAssociated || a.Status == assocAssociating {
			a.Status, a.Updated = assocDisassociating, c.now
			ending = append(ending, a)
		}
	}
	for _, inv := range st.invitations {
		if inv.ShareID == sh.ID && inv.Status == invitationPending {
			inv.Status = invitationCancelled
		}
	}
	st.later(c.now, c.cfg.AssociationDelay, func(now time.Time) {
		for _, a := range ending {
			if a.Status == assocDisassociating {
				a.Status, a.Updated = assocDisassociated, now
			}
		}
		sh.Status, sh.Updated = shareDeleted, now
	})
	return nil, nil
}

// ownerParam reads ResourceOwner (Self or OtherAccounts; validate has
// checked the value).
func (c *call) ownerParam() string { return c.p.get("ResourceOwner") }

func listResourceShares(c *call) (any, error) {
	st := c.st
	owner := c.ownerParam()
	want := c.p.tags()
	if owner == ownerOthers && len(want) > 0 {
		return nil, errOwnerAndTag
	}
	ids := c.p.list("ResourceShareIds")
	name, status := c.p.get("ResourceShareName"), c.p.get("ResourceShareStatus")
	perm, group := c.p.get("PermissionName"), c.p.get("ResourceGroupId")
	var found []*share
	for _, sh := range st.shares {
		if sh.Region != c.region {
			continue
		}
		if owner == ownerSelf && sh.Owner != c.caller.ID || owner == ownerOthers && !st.reaches(sh, c.caller.ID) {
			continue
		}
		switch {
		case len(ids) > 0 && !slices.Contains(ids, sh.ID),
			name != "" && sh.Name != name,
			status != "" && sh.Status != status,
			perm != "" && !slices.Contains(sh.effectivePermissions(), perm),
			group != "" && sh.ResourceGroupID != group,
			!matchTags(sh.tags, want):
			continue
		}
		found = append(found, sh)
	}
	byOrder(found, func(sh *share) int64 { return sh.order })
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	out := struct {
		NextToken      string `json:",omitempty"`
		ResourceShares []shareView
	}{NextToken: next, ResourceShares: make([]shareView, 0, len(page))}
	for _, sh := range page {
		v := viewShare(sh)
		if owner == ownerSelf {
			v.ResourceGroupId = sh.ResourceGroupID
			v.Tags = viewTags(sh.tags)
		}
		out.ResourceShares = append(out.ResourceShares, v)
	}
	return out, nil
}
