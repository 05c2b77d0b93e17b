package emulator

import (
	"slices"
	"strings"
	"time"
)

// Resource groups of the calling account: CreateResourceGroup,
// GetResourceGroup, ListResourceGroups, UpdateResourceGroup,
// DeleteResourceGroup. Every account has a default group, which cannot be
// deleted. A new group is Creating in the reply that creates it and OK
// afterwards; a deleted group is PendingDelete in the reply that deletes it
// and gone afterwards.

const (
	errGroupNotFound     errCode = "EntityNotExists.ResourceGroup"
	errGroupNameChars    errCode = "InvalidParameter.Name.InvalidChars"
	errGroupDisplayName  errCode = "InvalidParameter.DisplayName"
	errGroupLimit        errCode = "LimitExceeded.ResourceGroup"
	errGroupHasResources errCode = "DeleteConflict.ResourceGroup.Resource"
)

// Resource group statuses.
const (
	groupCreating      = "Creating"
	groupOK            = "OK"
	groupPendingDelete = "PendingDelete"
)

type regionStatus struct{ RegionId, Status string }

type groupTag struct{ TagKey, TagValue string }

type resourceGroupView struct {
	AccountId      string
	CreateDate     string
	DisplayName    string
	Id             string
	Name           string
	RegionStatuses *struct{ RegionStatus []regionStatus } `json:",omitempty"`
	Status         string                                 `json:",omitempty"`
	Tags           *struct{ Tag []groupTag }              `json:",omitempty"`
}

// viewGroup renders a group; regions and tags are added when the operation
// documents them.
func viewGroup(g *resourceGroup, withRegions, withTags bool) resourceGroupView {
	v := resourceGroupView{AccountId: g.AccountID, CreateDate: isoTime(g.Created), DisplayName: g.DisplayName,
		Id: g.ID, Name: g.Name, Status: g.Status}
	if withRegions {
		v.RegionStatuses = &struct{ RegionStatus []regionStatus }{}
		for _, r := range regions() {
			v.RegionStatuses.RegionStatus = append(v.RegionStatuses.RegionStatus, regionStatus{r.ID, g.Status})
		}
	}
	if withTags {
		v.Tags = &struct{ Tag []groupTag }{Tag: []groupTag{}}
		for _, t := range g.tags {
			v.Tags.Tag = append(v.Tags.Tag, groupTag{t.Key, t.Value})
		}
	}
	return v
}

type resourceGroupReply struct{ ResourceGroup resourceGroupView }

// defaultGroup returns the account's default resource group, creating it on
// first use.
func (st *state) defaultGroup(accountID string, now time.Time) *resourceGroup {
	for _, g := range st.groups {
		if g.AccountID == accountID && g.isDefault {
			return g
		}
	}
	g := &resourceGroup{order: st.next(), ID: "rg-" + st.token(15, lowerAlnum), AccountID: accountID,
		Name: "default", DisplayName: "default resource group", Status: groupOK, Created: now, isDefault: true}
	st.groups[g.ID] = g
	return g
}

// settleGroups completes the deletions that are due: never within the
// request that deleted the group, and only once the clock has reached the
// group's DeleteAt.
func (st *state) settleGroups(now time.Time) {
	for id, g := range st.groups {
		if g.Status == groupPendingDelete && g.DeleteSeq < st.reqSeq && !now.Before(g.DeleteAt) {
			delete(st.groups, id)
		}
	}
}

// groupsOf returns an account's resource groups in creation order.
func (st *state) groupsOf(accountID string, now time.Time) []*resourceGroup {
	st.settleGroups(now)
	st.defaultGroup(accountID, now)
	var out []*resourceGroup
	for _, g := range st.groups {
		if g.AccountID == accountID {
			out = append(out, g)
		}
	}
	return byOrder(out, func(g *resourceGroup) int64 { return g.order })
}

// groupParam finds one of the caller's groups.
func (c *call) groupParam(name string) (*resourceGroup, error) {
	id := c.p.get(name)
	if !idShape(id, "rg-", 1, 32) {
		return nil, invalidParam(c.codes, "ResourceGroupId", "")
	}
	c.st.settleGroups(c.now)
	c.st.defaultGroup(c.caller.ID, c.now)
	g := c.st.groups[id]
	if g == nil || g.AccountID != c.caller.ID {
		return nil, errGroupNotFound
	}
	return g, nil
}

func createResourceGroup(c *call) (any, error) {
	st := c.st
	name, display := c.p.get("Name"), c.p.get("DisplayName")
	if !validResourceGroupName(name) {
		return nil, errGroupNameChars
	}
	if !validPrintable(display) {
		return nil, errGroupDisplayName
	}
	tags, err := c.tagsParam("Tag")
	if err != nil {
		return nil, err
	}
	groups := slices.DeleteFunc(st.groupsOf(c.caller.ID, c.now), func(g *resourceGroup) bool {
		// Groups being deleted have been renamed and leave the quota.
		return g.Status == groupPendingDelete
	})
	for _, g := range groups {
		if g.Name == name {
			return nil, &apiError{code: "InvalidName", param: "Name",
				recommend: "a resource group with this name already exists in the account"}
		}
	}
	if len(groups) >= c.cfg.MaxResourceGroups {
		return nil, errGroupLimit
	}
	g := &resourceGroup{order: st.next(), ID: "rg-" + st.token(15, lowerAlnum), AccountID: c.caller.ID,
		Name: name, DisplayName: display, Status: groupCreating, Created: c.now, tags: tags}
	st.groups[g.ID] = g
	st.recordGroupChange(g, changeCreate, c.now)
	st.later(c.now, 0, func(time.Time) {
		if g.Status == groupCreating {
			g.Status = groupOK
		}
	})
	return resourceGroupReply{viewGroup(g, true, false)}, nil
}

func getResourceGroup(c *call) (any, error) {
	g, err := c.groupParam("ResourceGroupId")
	if err != nil {
		return nil, err
	}
	return resourceGroupReply{viewGroup(g, true, c.p.boolean("IncludeTags"))}, nil
}

func listResourceGroups(c *call) (any, error) {
	name, display := c.p.get("Name"), strings.ToLower(c.p.get("DisplayName"))
	id, ids := c.p.get("ResourceGroupId"), c.p.list("ResourceGroupIds")
	status, want := c.p.get("Status"), c.p.tags()
	var found []*resourceGroup
	for _, g := range c.st.groupsOf(c.caller.ID, c.now) {
		switch {
		case name != "" && g.Name != name,
			display != "" && !strings.Contains(strings.ToLower(g.DisplayName), display),
			id != "" && g.ID != id,
			len(ids) > 0 && !slices.Contains(ids, g.ID),
			status != "" && g.Status != status,
			!matchTags(g.tags, want):
			continue
		}
		found = append(found, g)
	}
	page, info := pageByNumber(c, found)
	var out struct {
		ResourceGroups struct{ ResourceGroup []resourceGroupView }
		pageInfo
	}
	out.pageInfo = info
	out.ResourceGroups.ResourceGroup = make([]resourceGroupView, 0, len(page))
	withTags := c.p.boolean("IncludeTags")
	for _, g := range page {
		out.ResourceGroups.ResourceGroup = append(out.ResourceGroups.ResourceGroup, viewGroup(g, false, withTags))
	}
	return out, nil
}

func updateResourceGroup(c *call) (any, error) {
	g, err := c.groupParam("ResourceGroupId")
	if err != nil {
		return nil, err
	}
	display := c.p.get("NewDisplayName")
	if !validPrintable(display) {
		return nil, errGroupDisplayName
	}
	g.DisplayName = display
	c.st.recordGroupChange(g, changeUpdate, c.now)
	v := viewGroup(g, false, false)
	v.Status = ""
	return resourceGroupReply{v}, nil
}

func deleteResourceGroup(c *call) (any, error) {
	g, err := c.groupParam("ResourceGroupId")
	if err != nil {
		return nil, err
	}
	st := c.st
	if g.isDefault || g.Status == groupPendingDelete || st.groupHasResources(g.ID) {
		return nil, errGroupHasResources
	}
	for _, sh := range st.shares {
		if sh.ResourceGroupID == g.ID && sh.Status != shareDeleted {
			return nil, errGroupHasResources
		}
	}
	g.Status = groupPendingDelete
	g.Name = g.Name + "-" + g.ID + "-" + c.now.UTC().Format("20060102")
	g.DeleteAt, g.DeleteSeq = c.now.Add(c.cfg.ResourceGroupDeleteDelay), st.reqSeq
	st.recordGroupChange(g, changeDelete, c.now)
	return resourceGroupReply{viewGroup(g, true, false)}, nil
}
