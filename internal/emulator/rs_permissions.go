package emulator

import (
	"encoding/json"
	"slices"
	"time"
)

// Permissions of resource shares: the built-in default permission of each
// shareable resource type (AliyunRSDefaultPermissionVSwitch...), one version
// each. ListPermissions, GetPermission, ListPermissionVersions,
// ListResourceSharePermissions, AssociateResourceSharePermission,
// DisassociateResourceSharePermission.

const (
	errPermissionVersionInvalid errCode = "InvalidParameter.PermissionVersion"
	errPermissionInUse          errCode = "DisassociateConflict.Permission"
)

// defaultPermissionPrefix names a resource type's default permission.
const defaultPermissionPrefix = "AliyunRSDefaultPermission"

// permissionVersion is the only version of the built-in permissions.
const permissionVersion = "v1"

// permissionEpoch is when the built-in permissions were published.
func permissionEpoch() time.Time { return time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC) }

// permission is a built-in permission.
type permission struct {
	Name         string
	ResourceType string
	Actions      []string
}

func permissions() []permission {
	var out []permission
	for _, t := range resourceTypes() {
		out = append(out, permission{Name: defaultPermissionPrefix + t.Name, ResourceType: t.Name, Actions: t.Actions})
	}
	return out
}

func lookupPermission(name string) (permission, bool) {
	for _, p := range permissions() {
		if p.Name == name {
			return p, true
		}
	}
	return permission{}, false
}

// document is the permission's policy text.
func (p permission) document() string {
	doc := map[string]any{
		"Version": "1",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Action":    p.Actions,
			"Condition": map[string]any{},
		}},
	}
	b, _ := json.Marshal(doc) // maps of strings always encode
	return string(b)
}

type permissionView struct {
	CreateTime        string
	DefaultPermission bool
	DefaultVersion    bool
	Permission        string `json:",omitempty"`
	PermissionName    string
	PermissionVersion string
	ResourceType      string
	UpdateTime        string
}

func viewPermission(p permission, withDocument bool) permissionView {
	v := permissionView{CreateTime: isoTime(permissionEpoch()), DefaultPermission: true, DefaultVersion: true,
		PermissionName: p.Name, PermissionVersion: permissionVersion, ResourceType: p.ResourceType,
		UpdateTime: isoTime(permissionEpoch())}
	if withDocument {
		v.Permission = p.document()
	}
	return v
}

type permissionsReply struct {
	NextToken   string `json:",omitempty"`
	Permissions []permissionView
}

func (c *call) pagePermissions(list []permission) (any, error) {
	page, next, err := pageByToken(c, list)
	if err != nil {
		return nil, err
	}
	out := permissionsReply{NextToken: next, Permissions: make([]permissionView, 0, len(page))}
	for _, p := range page {
		out.Permissions = append(out.Permissions, viewPermission(p, false))
	}
	return out, nil
}

func listPermissions(c *call) (any, error) {
	typ := c.p.get("ResourceType")
	if typ != "" {
		if _, ok := lookupResourceType(typ); !ok {
			return nil, errResourceTypeInvalid
		}
	}
	var list []permission
	for _, p := range permissions() {
		if typ == "" || p.ResourceType == typ {
			list = append(list, p)
		}
	}
	return c.pagePermissions(list)
}

// permissionParam reads PermissionName.
func (c *call) permissionParam() (permission, error) {
	p, ok := lookupPermission(c.p.get("PermissionName"))
	if !ok {
		return permission{}, errPermissionNotFound
	}
	return p, nil
}

func getPermission(c *call) (any, error) {
	p, err := c.permissionParam()
	if err != nil {
		return nil, err
	}
	if v := c.p.get("PermissionVersion"); v != "" && v != permissionVersion {
		return nil, errPermissionVersionInvalid
	}
	return struct{ Permission permissionView }{viewPermission(p, true)}, nil
}

func listPermissionVersions(c *call) (any, error) {
	p, err := c.permissionParam()
	if err != nil {
		return nil, err
	}
	return c.pagePermissions([]permission{p})
}

func listResourceSharePermissions(c *call) (any, error) {
	id := c.p.get("ResourceShareId")
	if !idShape(id, "rs-", 1, 64) {
		return nil, invalidParam(c.codes, "ResourceShareId", "")
	}
	shares := c.visibleShares(c.ownerParam(), []string{id})
	if len(shares) == 0 {
		return nil, errShareNotFound
	}
	var list []permission
	for _, name := range shares[0].effectivePermissions() {
		if p, ok := lookupPermission(name); ok {
			list = append(list, p)
		}
	}
	return c.pagePermissions(list)
}

func associateResourceSharePermission(c *call) (any, error) {
	sh, err := c.shareParam()
	if err != nil {
		return nil, err
	}
	p, err := c.permissionParam()
	if err != nil {
		return nil, err
	}
	if sh.Status != shareActive {
		return nil, errShareStatusMismatch
	}
	if c.p.boolean("Replace") {
		sh.permissions = slices.DeleteFunc(sh.permissions, func(name string) bool {
			q, ok := lookupPermission(name)
			return ok && q.ResourceType == p.ResourceType
		})
	}
	if !slices.Contains(sh.permissions, p.Name) {
		sh.permissions = append(sh.permissions, p.Name)
	}
	sh.Updated = c.now
	return nil, nil
}

func disassociateResourceSharePermission(c *call) (any, error) {
	sh, err := c.shareParam()
	if err != nil {
		return nil, err
	}
	p, err := c.permissionParam()
	if err != nil {
		return nil, err
	}
	for _, a := range sh.assocs {
		if a.Type == assocResource && a.EntityType == p.ResourceType &&
			(a.Status == assocAssociated || a.Status == assocAssociating) {
			return nil, errPermissionInUse
		}
	}
	if !slices.Contains(sh.permissions, p.Name) {
		return nil, errPermissionNotFound
	}
	sh.permissions = slices.DeleteFunc(sh.permissions, func(name string) bool { return name == p.Name })
	sh.Updated = c.now
	return nil, nil
}
