package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Cloud resources in resource groups: MoveResources, ListResources,
// GetResourceGroupResourceCounts, ListResourceGroupCapability,
// ListResourceGroupsWithAuthDetails, LookupResourceGroupEvents. The
// emulator runs no ECS or VPC: the resources exist because a test
// registered them (Service.AddResource). Each belongs to one account and
// one of its resource groups, the default group unless placed elsewhere.
// Every change of membership, and every creation, change and deletion of a
// group, is recorded as an event for LookupResourceGroupEvents.

const (
	errResourceIDsInvalid      errCode = "InvalidParameter.ResourceIds"
	errResourceIDsLimit        errCode = "LimitExceeded.ResourceIds"
	errServiceRegionNoEndpoint errCode = "SERVICE_REGION_NO_ENDPOINT"
	errUnsupportedResourceType errCode = "UnsupportedResourceType"
	errGroupByKeyInvalid       errCode = "InvalidParameter.GroupByKey"
)

// Per-resource outcomes of MoveResources, as its reply spells them.
const (
	moveSuccess = "SUCCESS"
	moveFail    = "FAIL"
)

// Event categories and change types of LookupResourceGroupEvents.
// MemberShipChange (resources joining and leaving groups, ChangeType Add or
// Remove) is the documented category; the emulator also records the
// lifecycle of the groups themselves under ResourceGroupChange (ChangeType
// Create, Update, Delete), so that tests can see what their code did.
const (
	eventMembership  = "MemberShipChange"
	eventGroupChange = "ResourceGroupChange"

	changeAdd    = "Add"
	changeRemove = "Remove"
	changeCreate = "Create"
	changeUpdate = "Update"
	changeDelete = "Delete"
)

// resourceType is one entry of the catalogue of resource types that
// support resource groups.
type groupResourceType struct {
	Service, Type, CenterType string
	Events                    bool
}

// resourceCatalogue is a fixed excerpt of the services and resource types
// that work with resource groups, after the list "Services that work with
// Resource Group" in the Resource Management documentation (Resource Center
// type names after its "Resource types" page). Resources the emulator
// holds must be of one of these types.
func resourceCatalogue() []groupResourceType {
	return []groupResourceType{
		{"ecs", "instance", "ACS::ECS::Instance", true},
		{"ecs", "disk", "ACS::ECS::Disk", true},
		{"ecs", "snapshot", "ACS::ECS::Snapshot", true},
		{"ecs", "image", "ACS::ECS::Image", true},
		{"ecs", "securitygroup", "ACS::ECS::SecurityGroup", true},
		{"ecs", "networkinterface", "ACS::ECS::NetworkInterface", true},
		{"ecs", "keypair", "ACS::ECS::KeyPair", false},
		{"vpc", "vpc", "ACS::VPC::VPC", true},
		{"vpc", "vswitch", "ACS::VPC::VSwitch", true},
		{"vpc", "eip", "ACS::VPC::EIP", true},
		{"vpc", "natgateway", "ACS::VPC::NatGateway", true},
		{"slb", "loadbalancer", "ACS::SLB::LoadBalancer", true},
		{"rds", "dbinstance", "ACS::RDS::DBInstance", true},
		{"oss", "bucket", "ACS::OSS::Bucket", false},
		{"kms", "key", "ACS::KMS::Key", false},
		{"cs", "cluster", "ACS::ACK::Cluster", true},
	}
}

// catalogued finds a resource type of the catalogue; service and type are
// matched without regard to case, as the service does.
func catalogued(service, typ string) (groupResourceType, bool) {
	for _, t := range resourceCatalogue() {
		if strings.EqualFold(t.Service, service) && strings.EqualFold(t.Type, typ) {
			return t, true
		}
	}
	return groupResourceType{}, false
}

// knownRegion reports whether the emulator serves a region.
func knownRegion(id string) bool {
	return slices.ContainsFunc(regions(), func(r region) bool { return r.ID == id })
}

// cloudResource is a resource of some cloud service that sits in a
// resource group.
type cloudResource struct {
	Order        int64
	AccountID    string
	Service      string
	ResourceType string
	ResourceID   string
	RegionID     string
	GroupID      string
	Created      time.Time
}

// groupEvent is one recorded change of a resource group.
type groupEvent struct {
	Order      int64
	AccountID  string
	Category   string
	ChangeType string
	Time       time.Time
	GroupID    string
	GroupName  string // the display name when the event happened
	// Resource membership changes only.
	Service, ResourceType, ResourceID, RegionID string
	SourceGroupID, SourceGroupName              string
	TargetGroupID, TargetGroupName              string
}

// resourceStore holds the cloud resources, the events of resource groups
// and the per-account resource group settings.
type resourceStore struct {
	Resources map[string]*cloudResource // by resourceKey
	Events    []groupEvent
	// Settings by account ID.
	NotificationsOn map[string]bool
	CreatorAsAdmin  map[string]bool
}

// resourceStore returns the store, creating it on first use.
func (st *state) resStore() *resourceStore {
	if st.resources == nil {
		st.resources = &resourceStore{Resources: map[string]*cloudResource{},
			NotificationsOn: map[string]bool{}, CreatorAsAdmin: map[string]bool{}}
	}
	return st.resources
}

// resourceKey identifies a resource: the same ID may exist in two regions
// or two services.
func resourceKey(accountID, service, typ, region, id string) string {
	return strings.Join([]string{accountID, strings.ToLower(service), strings.ToLower(typ), region, id}, "\x00")
}

// resourcesOf returns an account's resources in registration order.
func (st *state) resourcesOf(accountID string) []*cloudResource {
	var out []*cloudResource
	for _, r := range st.resStore().Resources {
		if r.AccountID == accountID {
			out = append(out, r)
		}
	}
	return byOrder(out, func(r *cloudResource) int64 { return r.Order })
}

// groupHasResources reports whether any resource sits in a group.
func (st *state) groupHasResources(groupID string) bool {
	if st.resources == nil {
		return false
	}
	for _, r := range st.resources.Resources {
		if r.GroupID == groupID {
			return true
		}
	}
	return false
}

// recordEvent appends an event of a group.
func (st *state) recordEvent(e groupEvent) {
	e.Order = st.next()
	rs := st.resStore()
	rs.Events = append(rs.Events, e)
}

// recordGroupChange records the creation, change or deletion of a group.
func (st *state) recordGroupChange(g *resourceGroup, change string, now time.Time) {
	st.recordEvent(groupEvent{AccountID: g.AccountID, Category: eventGroupChange, ChangeType: change, Time: now,
		GroupID: g.ID, GroupName: g.DisplayName})
}

// recordMove records a resource leaving one group for another: a Remove
// event in the source group and an Add event in the target (only the Add
// when the resource is new).
func (st *state) recordMove(r *cloudResource, from, to *resourceGroup, now time.Time) {
	e := groupEvent{AccountID: r.AccountID, Category: eventMembership, Time: now, Service: r.Service,
		ResourceType: r.ResourceType, ResourceID: r.ResourceID, RegionID: r.RegionID,
		TargetGroupID: to.ID, TargetGroupName: to.DisplayName}
	if from != nil {
		e.SourceGroupID, e.SourceGroupName = from.ID, from.DisplayName
		rm := e
		rm.ChangeType, rm.GroupID, rm.GroupName = changeRemove, from.ID, from.DisplayName
		st.recordEvent(rm)
	}
	e.ChangeType, e.GroupID, e.GroupName = changeAdd, to.ID, to.DisplayName
	st.recordEvent(e)
}

// Resource is a cloud resource registered with AddResource.
type Resource struct {
	// Service and ResourceType name the resource's kind as the resource
	// group operations do ("ecs" and "instance", "vpc" and "vswitch"); see
	// ListResourceGroupCapability for the kinds the emulator knows.
	Service, ResourceType string
	// ResourceID is the resource's ID, e.g. "i-bp1...".
	ResourceID string
	// RegionID defaults to cn-hangzhou.
	RegionID string
	// AccountID owns the resource; "" means the management account.
	AccountID string
	// ResourceGroupID places the resource; "" means the account's default
	// resource group.
	ResourceGroupID string
}

// AddResource registers a cloud resource, as if the account had just
// created it, and returns the ID of the resource group it is in. The
// resource must be of a kind the emulator knows and in a region it serves;
// the group, if given, must be one of the account's. Registering a resource
// that exists again moves nothing and returns its current group.
func (s *Service) AddResource(r Resource) (string, error) {
	var group string
	err := s.control(ctlAddResource, r, func() (err error) {
		group, err = s.addResource(r)
		return err
	})
	return group, err
}

func (s *Service) addResource(r Resource) (string, error) {
	st := s.st
	now := st.now(s.wall())
	if r.AccountID == "" {
		r.AccountID = st.managementID
	}
	if r.RegionID == "" {
		r.RegionID = defaultRegion
	}
	t, ok := catalogued(r.Service, r.ResourceType)
	if !ok {
		return "", fmt.Errorf("emulator: resource type %s/%s does not support resource groups here (see ListResourceGroupCapability)", r.Service, r.ResourceType)
	}
	if !knownRegion(r.RegionID) {
		return "", fmt.Errorf("emulator: region %q is not one the emulator serves", r.RegionID)
	}
	if r.ResourceID == "" {
		return "", fmt.Errorf("emulator: a resource needs an ID")
	}
	if _, ok := st.accounts[r.AccountID]; !ok {
		if !validAccountID(r.AccountID) {
			return "", fmt.Errorf("emulator: %q is not an account ID", r.AccountID)
		}
		st.externalAccount(r.AccountID, now)
	}
	key := resourceKey(r.AccountID, t.Service, t.Type, r.RegionID, r.ResourceID)
	if have := st.resStore().Resources[key]; have != nil {
		return have.GroupID, nil
	}
	st.settleGroups(now)
	g := st.defaultGroup(r.AccountID, now)
	if r.ResourceGroupID != "" {
		g = st.groups[r.ResourceGroupID]
		if g == nil || g.AccountID != r.AccountID || g.Status == groupPendingDelete {
			return "", fmt.Errorf("emulator: account %s has no resource group %s", r.AccountID, r.ResourceGroupID)
		}
	}
	res := &cloudResource{Order: st.next(), AccountID: r.AccountID, Service: t.Service, ResourceType: t.Type,
		ResourceID: r.ResourceID, RegionID: r.RegionID, GroupID: g.ID, Created: now}
	st.resStore().Resources[key] = res
	st.recordMove(res, nil, g, now)
	st.autoGroup(res, now)
	return res.GroupID, nil
}

// RemoveResource forgets a resource, as if its owner had released it, so
// that its resource group can be deleted. It reports whether the resource
// existed.
func (s *Service) RemoveResource(r Resource) bool {
	var removed bool
	_ = s.control(ctlRemoveResource, r, func() error {
		removed = s.removeResource(r)
		return nil
	})
	return removed
}

func (s *Service) removeResource(r Resource) bool {
	st := s.st
	if r.AccountID == "" {
		r.AccountID = st.managementID
	}
	if r.RegionID == "" {
		r.RegionID = defaultRegion
	}
	key := resourceKey(r.AccountID, r.Service, r.ResourceType, r.RegionID, r.ResourceID)
	res := st.resStore().Resources[key]
	if res == nil {
		return false
	}
	delete(st.resources.Resources, key)
	if g := st.groups[res.GroupID]; g != nil {
		st.recordEvent(groupEvent{AccountID: res.AccountID, Category: eventMembership, ChangeType: changeRemove,
			Time: st.now(s.wall()), GroupID: g.ID, GroupName: g.DisplayName, Service: res.Service,
			ResourceType: res.ResourceType, ResourceID: res.ResourceID, RegionID: res.RegionID,
			SourceGroupID: g.ID, SourceGroupName: g.DisplayName})
	}
	return true
}

type moveResult struct {
	ErrorCode    string `json:",omitempty"`
	ErrorMsg     string `json:",omitempty"`
	RegionId     string
	RequestId    string
	ResourceId   string
	ResourceType string
	Service      string
	Status       string
}

// moveResources moves each listed resource into the target group and
// answers one result per resource: a resource that cannot move fails alone,
// the others still move.
func moveResources(c *call) (any, error) {
	st := c.st
	st.settleGroups(c.now)
	items := c.p.structs("Resources")
	for _, it := range items {
		if _, ok := catalogued(it["Service"], it["ResourceType"]); !ok || !knownRegion(it["RegionId"]) {
			return nil, &apiError{code: string(errServiceRegionNoEndpoint),
				recommend: fmt.Sprintf("no %s/%s in region %q supports resource groups", it["Service"], it["ResourceType"], it["RegionId"])}
		}
	}
	targetID := c.p.get("ResourceGroupId")
	target := st.groups[targetID]
	targetFault := ""
	switch {
	case !idShape(targetID, "rg-", 1, 32):
		targetFault = "InvalidParameter.ResourceGroupId"
	case target == nil || target.AccountID != c.caller.ID:
		targetFault = string(errGroupNotFound)
	case target.Status == groupPendingDelete:
		targetFault = "InvalidResourceGroup.Status"
	}
	requestID := strings.ToUpper(st.uuid())
	out := struct{ Responses []moveResult }{Responses: make([]moveResult, 0, len(items))}
	for _, it := range items {
		res := moveResult{RegionId: it["RegionId"], RequestId: requestID, ResourceId: it["ResourceId"],
			ResourceType: it["ResourceType"], Service: it["Service"], Status: moveSuccess}
		r := st.resStore().Resources[resourceKey(c.caller.ID, it["Service"], it["ResourceType"], it["RegionId"], it["ResourceId"])]
		switch {
		case targetFault != "":
			res.Status, res.ErrorCode, res.ErrorMsg = moveFail, targetFault, "The target resource group cannot receive resources."
		case r == nil:
			res.Status, res.ErrorCode, res.ErrorMsg = moveFail, "InvalidResourceId.NotFound", "The specified resource does not exist."
		case r.GroupID != target.ID:
			from := st.groups[r.GroupID]
			r.GroupID = target.ID
			st.recordMove(r, from, target, c.now)
		}
		out.Responses = append(out.Responses, res)
	}
	return out, nil
}

type resourceView struct {
	CreateDate      string
	RegionId        string
	ResourceGroupId string
	ResourceId      string
	ResourceType    string
	Service         string
}

// typeFilter is the ResourceTypes.N list of several operations; the field
// naming the type differs by operation.
func (c *call) typeFilter(typeField string) [][2]string {
	var out [][2]string
	for _, f := range c.p.structs("ResourceTypes") {
		out = append(out, [2]string{f["Service"], f[typeField]})
	}
	return out
}

// matchTypes reports whether a resource is of one of the listed types; an
// empty type matches every type of the service.
func matchTypes(r *cloudResource, types [][2]string) bool {
	if len(types) == 0 {
		return true
	}
	for _, t := range types {
		if strings.EqualFold(t[0], r.Service) && (t[1] == "" || strings.EqualFold(t[1], r.ResourceType)) {
			return true
		}
	}
	return false
}

// maxListResourceIDs bounds the ResourceIds filter of ListResources.
const maxListResourceIDs = 100

// resourceIDsParam reads the ResourceIds filter of ListResources, which
// clients send as a JSON array or a comma-separated list.
func (c *call) resourceIDsParam() ([]string, error) {
	v := strings.TrimSpace(c.p.get("ResourceIds"))
	if v == "" {
		return nil, nil
	}
	var ids []string
	if strings.HasPrefix(v, "[") {
		if err := json.Unmarshal([]byte(v), &ids); err != nil {
			return nil, errResourceIDsInvalid
		}
	} else {
		ids = strings.Split(v, ",")
	}
	if len(ids) > maxListResourceIDs {
		return nil, errResourceIDsLimit
	}
	for i, id := range ids {
		if ids[i] = strings.TrimSpace(id); ids[i] == "" {
			return nil, errResourceIDsInvalid
		}
	}
	return ids, nil
}

func listResources(c *call) (any, error) {
	c.st.settleGroups(c.now)
	group, service, typ := c.p.get("ResourceGroupId"), c.p.get("Service"), c.p.get("ResourceType")
	region, id := c.p.get("Region"), c.p.get("ResourceId")
	types := c.typeFilter("ResourceType")
	ids, err := c.resourceIDsParam()
	if err != nil {
		return nil, err
	}
	var found []*cloudResource
	for _, r := range c.st.resourcesOf(c.caller.ID) {
		switch {
		case group != "" && r.GroupID != group,
			service != "" && !strings.EqualFold(service, r.Service),
			typ != "" && !strings.EqualFold(typ, r.ResourceType),
			region != "" && region != r.RegionID,
			id != "" && id != r.ResourceID,
			len(ids) > 0 && !slices.Contains(ids, r.ResourceID),
			!matchTypes(r, types):
			continue
		}
		found = append(found, r)
	}
	page, info := pageByNumber(c, found)
	var out struct {
		pageInfo
		Resources struct{ Resource []resourceView }
	}
	out.pageInfo = info
	out.Resources.Resource = make([]resourceView, 0, len(page))
	for _, r := range page {
		out.Resources.Resource = append(out.Resources.Resource, resourceView{isoTime(r.Created), r.RegionID,
			r.GroupID, r.ResourceID, r.ResourceType, r.Service})
	}
	return out, nil
}

func getResourceGroupResourceCounts(c *call) (any, error) {
	st := c.st
	st.settleGroups(c.now)
	by := c.p.get("GroupByKey")
	switch by {
	case "":
		by = "ResourceGroupId"
	case "ResourceGroupId", "ResourceType":
	default:
		return nil, errGroupByKeyInvalid
	}
	types := c.typeFilter("ResourceTypeCode")
	for _, t := range types {
		if _, ok := catalogued(t[0], t[1]); !ok {
			return nil, errUnsupportedResourceType
		}
	}
	group := c.p.get("ResourceGroupId")
	if group != "" {
		if g := st.groups[group]; g == nil || g.AccountID != c.caller.ID {
			return nil, errGroupNotFound
		}
	}
	region := c.p.get("ResourceRegionId")
	type countView struct {
		Count           int64
		GroupByKey      string
		ResourceGroupId string `json:",omitempty"`
	}
	counts := map[string]*countView{}
	var order []string
	for _, r := range st.resourcesOf(c.caller.ID) {
		if (group != "" && r.GroupID != group) || (region != "" && r.RegionID != region) || !matchTypes(r, types) {
			continue
		}
		key, v := r.GroupID, countView{GroupByKey: r.GroupID, ResourceGroupId: r.GroupID}
		if by == "ResourceType" {
			key = r.Service + "." + r.ResourceType
			v = countView{GroupByKey: key, ResourceGroupId: group}
		}
		if counts[key] == nil {
			counts[key] = &v
			order = append(order, key)
		}
		counts[key].Count++
	}
	out := struct{ ResourceCounts []countView }{ResourceCounts: make([]countView, 0, len(order))}
	for _, k := range order {
		out.ResourceCounts = append(out.ResourceCounts, *counts[k])
	}
	return out, nil
}

func listResourceGroupCapability(c *call) (any, error) {
	service, typ := c.p.get("Service"), c.p.get("ResourceType")
	type capView struct {
		ResourceCenterResourceType string
		ResourceType               string
		Service                    string
		SupportResourceGroupEvent  bool
	}
	out := struct{ Capabilities []capView }{Capabilities: []capView{}}
	for _, t := range resourceCatalogue() {
		switch {
		case service != "" && !strings.EqualFold(service, t.Service),
			typ != "" && !strings.EqualFold(typ, t.Type),
			c.p.has("SupportResourceGroupEvent") && c.p.get("SupportResourceGroupEvent") != "" &&
				c.p.boolean("SupportResourceGroupEvent") != t.Events:
			continue
		}
		out.Capabilities = append(out.Capabilities, capView{t.CenterType, t.Type, t.Service, t.Events})
	}
	return out, nil
}

// listResourceGroupsWithAuthDetails lists groups as ListResourceGroups
// does, with the caller's permissions on each. The emulator's callers act
// as their accounts' root identities, which hold every permission.
func listResourceGroupsWithAuthDetails(c *call) (any, error) {
	st := c.st
	st.settleGroups(c.now)
	name, display := c.p.get("Name"), strings.ToLower(c.p.get("DisplayName"))
	ids, status, want := c.p.list("ResourceGroupIds"), c.p.get("Status"), c.p.tags()
	var found []*resourceGroup
	for _, g := range st.groupsOf(c.caller.ID, c.now) {
		switch {
		case name != "" && g.Name != name,
			display != "" && !strings.Contains(strings.ToLower(g.DisplayName), display),
			len(ids) > 0 && !slices.Contains(ids, g.ID),
			status != "" && g.Status != status,
			!matchTags(g.tags, want):
			continue
		}
		found = append(found, g)
	}
	page, info := pageByNumber(c, found)
	type groupView struct {
		AccountId   string
		CreateDate  string
		DisplayName string
		Id          string
		Name        string
		Status      string
		Tags        []groupTag `json:",omitempty"`
	}
	type groupAuth struct {
		HasPermission   bool
		ResourceGroupId string
	}
	type authDetail struct {
		AccountScopeAuth     bool
		AuthOfResourceGroups []groupAuth
		ResourceType         string
		Service              string
	}
	var out struct {
		AuthDetails []authDetail
		pageInfo
		ResourceGroups []groupView
	}
	out.pageInfo = info
	out.ResourceGroups = make([]groupView, 0, len(page))
	withTags := c.p.boolean("IncludeTags")
	for _, g := range page {
		v := groupView{g.AccountID, isoTime(g.Created), g.DisplayName, g.ID, g.Name, g.Status, nil}
		if withTags {
			v.Tags = []groupTag{}
			for _, t := range g.tags {
				v.Tags = append(v.Tags, groupTag{t.Key, t.Value})
			}
		}
		out.ResourceGroups = append(out.ResourceGroups, v)
	}
	out.AuthDetails = []authDetail{}
	for _, t := range c.typeFilter("ResourceTypeCode") {
		d := authDetail{AccountScopeAuth: true, AuthOfResourceGroups: []groupAuth{}, ResourceType: t[1], Service: t[0]}
		for _, g := range page {
			d.AuthOfResourceGroups = append(d.AuthOfResourceGroups, groupAuth{true, g.ID})
		}
		out.AuthDetails = append(out.AuthDetails, d)
	}
	return out, nil
}

// eventTime reads the StartTime and EndTime of LookupResourceGroupEvents:
// the documented "2006-01-02 15:04:05" in UTC, or RFC 3339.
func eventTime(c *call, name string) (time.Time, error) {
	v := c.p.get(name)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.DateTime, time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, invalidParam(c.codes, name, "")
}

func lookupResourceGroupEvents(c *call) (any, error) {
	from, err := eventTime(c, "StartTime")
	if err != nil {
		return nil, err
	}
	to, err := eventTime(c, "EndTime")
	if err != nil {
		return nil, err
	}
	category, group := c.p.get("EventCategory"), c.p.get("ResourceGroupId")
	display := c.p.get("ResourceGroupDisplayName")
	attrs := map[string]string{}
	for _, a := range c.p.structs("LookupAttributes") {
		attrs[a["Key"]] = a["Value"]
	}
	var found []groupEvent
	for _, e := range c.st.resStore().Events {
		switch {
		case e.AccountID != c.caller.ID, e.Category != category,
			group != "" && e.GroupID != group,
			display != "" && e.GroupName != display,
			!from.IsZero() && e.Time.Before(from),
			!to.IsZero() && e.Time.After(to),
			!matchEventAttrs(e, attrs):
			continue
		}
		found = append(found, e)
	}
	// Newest first, as an audit trail reads.
	slices.Reverse(found)
	if c.p.get("MaxResults") == "" {
		c.p["MaxResults"] = []string{"10"}
	}
	page, next, err := pageByToken(c, found)
	if err != nil {
		return nil, err
	}
	type groupInfo struct{ ResourceGroupDisplayName, ResourceGroupId string }
	type eventView struct {
		ChangeType               string
		EventTime                string
		RegionId                 string     `json:",omitempty"`
		ResourceGroupDisplayName string     `json:",omitempty"`
		ResourceGroupId          string     `json:",omitempty"`
		ResourceId               string     `json:",omitempty"`
		ResourceType             string     `json:",omitempty"`
		Service                  string     `json:",omitempty"`
		SourceResourceGroupInfo  *groupInfo `json:",omitempty"`
		TargetResourceGroupInfo  *groupInfo `json:",omitempty"`
	}
	var out struct {
		Events    []eventView
		NextToken string `json:",omitempty"`
	}
	out.NextToken = next
	out.Events = make([]eventView, 0, len(page))
	for _, e := range page {
		v := eventView{ChangeType: e.ChangeType, EventTime: isoTime(e.Time), RegionId: e.RegionID,
			ResourceGroupDisplayName: e.GroupName, ResourceGroupId: e.GroupID, ResourceId: e.ResourceID,
			ResourceType: e.ResourceType, Service: e.Service}
		if e.SourceGroupID != "" {
			v.SourceResourceGroupInfo = &groupInfo{e.SourceGroupName, e.SourceGroupID}
		}
		if e.TargetGroupID != "" {
			v.TargetResourceGroupInfo = &groupInfo{e.TargetGroupName, e.TargetGroupID}
		}
		out.Events = append(out.Events, v)
	}
	return out, nil
}

// matchEventAttrs applies LookupAttributes: each key names an event field
// (ResourceId, ResourceType, Service, RegionId, ChangeType) that must
// have the given value; unknown keys match nothing.
func matchEventAttrs(e groupEvent, attrs map[string]string) bool {
	for k, v := range attrs {
		var have string
		switch k {
		case "ResourceId":
			have = e.ResourceID
		case "ResourceType":
			have = e.ResourceType
		case "Service":
			have = e.Service
		case "RegionId":
			have = e.RegionID
		case "ChangeType":
			have = e.ChangeType
		default:
			return false
		}
		if have != v {
			return false
		}
	}
	return true
}
