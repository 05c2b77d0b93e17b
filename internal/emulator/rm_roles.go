package emulator

import (
	"strconv"
	"strings"
	"time"
)

// RAM roles of Resource Manager: CreateRole, GetRole, ListRoles, UpdateRole,
// DeleteRole. Every account has its own roles; names are unique per account
// regardless of case. Service-linked roles and their deletion tasks are in
// rm_servicelinkedroles.go.

const (
	errRoleNotFound     errCode = "EntityNotExist.Role"
	errRoleExists       errCode = "EntityAlreadyExists.Role"
	errRoleNameChars    errCode = "InvalidParameter.RoleName.InvalidChars"
	errRoleAttached     errCode = "DeleteConflict.Role.Policy"
	principalRole               = "ServiceRole"
	defaultSessionLimit         = 3600
)

// role is a RAM role of one account.
type role struct {
	order       int64
	Owner       string
	ID          string
	Name        string
	Description string
	Document    string
	MaxSession  int64
	Created     time.Time
	Updated     time.Time

	// ServiceName is the service a service-linked role belongs to; empty
	// for other roles. Usage is where the service uses the role
	// (MarkServiceLinkedRoleInUse), which blocks its deletion.
	ServiceName string
	Usage       []roleUsage
}

// iamStore holds the roles of every account and the control policies of
// the directory (rm_controlpolicies.go); created on first use.
type iamStore struct {
	roles     []*role
	control   *controlStore
	deletions []*roleDeletion  // rm_servicelinkedroles.go
	delegated *delegationStore // rm_delegated.go
}

func (st *state) iamStore() *iamStore {
	if st.iam == nil {
		st.iam = &iamStore{}
	}
	return st.iam
}

// validRoleName allows letters, digits, periods and hyphens.
func validRoleName(s string) bool {
	return s != "" && allRunes(s, func(r rune) bool { return isASCIIAlnum(r) || r == '.' || r == '-' })
}

// roleNameParam reads RoleName and checks its characters; validate has
// checked its length.
func (c *call) roleNameParam() (string, error) {
	name := c.p.get("RoleName")
	if !validRoleName(name) {
		return "", errRoleNameChars
	}
	return name, nil
}

// findRole finds one of the caller's roles by name, regardless of case.
func (c *call) findRole(name string) *role {
	for _, r := range c.st.iamStore().roles {
		if r.Owner == c.caller.ID && strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// callerRoles returns the caller's roles in creation order.
func (c *call) callerRoles() []*role {
	var out []*role
	for _, r := range c.st.iamStore().roles {
		if r.Owner == c.caller.ID {
			out = append(out, r)
		}
	}
	return out
}

func rolePrincipalName(r *role) string { return r.Name + "@role." + r.Owner + ".onaliyunservice.com" }

type roleView struct {
	Arn                      string
	AssumeRolePolicyDocument string `json:",omitempty"`
	CreateDate               string
	Description              string
	IsServiceLinkedRole      *bool `json:",omitempty"`
	MaxSessionDuration       int64
	RoleId                   string
	RoleName                 string
	RolePrincipalName        string
	UpdateDate               string `json:",omitempty"`
}

// viewRole renders a role; withDocument adds the trust policy, withMeta the
// UpdateDate and IsServiceLinkedRole fields.
func viewRole(r *role, withDocument, withMeta bool) roleView {
	v := roleView{Arn: "acs:ram::" + r.Owner + ":role/" + strings.ToLower(r.Name), CreateDate: isoTime(r.Created),
		Description: r.Description, MaxSessionDuration: r.MaxSession, RoleId: r.ID, RoleName: r.Name,
		RolePrincipalName: rolePrincipalName(r)}
	if withDocument {
		v.AssumeRolePolicyDocument = r.Document
	}
	if withMeta {
		linked := r.ServiceName != ""
		v.IsServiceLinkedRole = &linked
		v.UpdateDate = isoTime(r.Updated)
	}
	return v
}

type roleReply struct{ Role roleView }

func createRole(c *call) (any, error) {
	name, err := c.roleNameParam()
	if err != nil {
		return nil, err
	}
	doc := c.p.get("AssumeRolePolicyDocument")
	if !validPolicyDocument(doc) {
		return nil, errPolicyDocument
	}
	if c.findRole(name) != nil {
		return nil, errRoleExists
	}
	st := c.st
	r := &role{order: st.next(), Owner: c.caller.ID, ID: strconv.Itoa(3+st.rng.IntN(6)) + st.token(15, digits),
		Name: name, Description: c.p.get("Description"), Document: doc,
		MaxSession: int64(c.p.integer("MaxSessionDuration", defaultSessionLimit)), Created: c.now, Updated: c.now}
	ir := st.iamStore()
	ir.roles = append(ir.roles, r)
	return roleReply{viewRole(r, true, false)}, nil
}

// roleParam reads RoleName and finds the caller's role.
func (c *call) roleParam() (*role, error) {
	name := c.p.get("RoleName")
	// Service-linked roles with a custom suffix have an underscore before
	// it, which names of other roles cannot have.
	if !validRoleName(strings.ReplaceAll(name, "_", "-")) {
		return nil, errRoleNameChars
	}
	r := c.findRole(name)
	if r == nil {
		return nil, errRoleNotFound
	}
	return r, nil
}

func getRole(c *call) (any, error) {
	r, err := c.roleParam()
	if err != nil {
		return nil, err
	}
	return roleReply{viewRole(r, true, true)}, nil
}

func listRoles(c *call) (any, error) {
	page, info := pageByNumber(c, c.callerRoles())
	var out struct {
		Roles struct{ Role []roleView }
		pageInfo
	}
	out.pageInfo = info
	out.Roles.Role = make([]roleView, 0, len(page))
	for _, r := range page {
		out.Roles.Role = append(out.Roles.Role, viewRole(r, false, true))
	}
	return out, nil
}

func updateRole(c *call) (any, error) {
	r, err := c.roleParam()
	if err != nil {
		return nil, err
	}
	doc := c.p.get("NewAssumeRolePolicyDocument")
	if doc != "" && !validPolicyDocument(doc) {
		return nil, errPolicyDocument
	}
	if doc != "" {
		r.Document = doc
	}
	if c.p.has("NewDescription") {
		r.Description = c.p.get("NewDescription")
	}
	if c.p.get("NewMaxSessionDuration") != "" {
		r.MaxSession = int64(c.p.integer("NewMaxSessionDuration", defaultSessionLimit))
	}
	r.Updated = c.now
	v := viewRole(r, true, true)
	v.IsServiceLinkedRole = nil // UpdateRole does not report it
	return roleReply{v}, nil
}

func deleteRole(c *call) (any, error) {
	r, err := c.roleParam()
	if err != nil {
		return nil, err
	}
	if ps := c.st.policies; ps != nil {
		principal := rolePrincipalName(r)
		for _, a := range ps.attachments {
			if a.Owner == c.caller.ID && a.PrincipalType == principalRole && strings.EqualFold(a.PrincipalName, principal) &&
				c.st.groups[a.GroupID] != nil {
				return nil, errRoleAttached
			}
		}
	}
	ir := c.st.iamStore()
	for i, q := range ir.roles {
		if q == r {
			ir.roles = append(ir.roles[:i:i], ir.roles[i+1:]...)
			break
		}
	}
	return nil, nil
}
