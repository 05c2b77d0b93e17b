package emulator

import (
	"encoding/json"
	"time"
)

// Access policies of Resource Manager: CreatePolicy, GetPolicy,
// ListPolicies, DeletePolicy, AttachPolicy, DetachPolicy,
// ListPolicyAttachments. Every account sees the same few system policies
// and its own custom policies, and attaches either to principals on its own
// resource groups. Policy versions live in rm_policyversions.go; GetPolicy
// and ListPolicies report the default version.

const (
	errPolicyNotFound       errCode = "EntityNotExist.Policy"
	errPolicyExists         errCode = "EntityAlreadyExists.Policy"
	errPolicyNameChars      errCode = "InvalidParameter.PolicyName.InvalidChars"
	errPolicyDocument       errCode = "MalformedPolicyDocument"
	errPolicyAttachedUser   errCode = "DeleteConflict.Policy.User"
	errPolicyAttachedGroup  errCode = "DeleteConflict.Policy.Group"
	errGroupStatusForPolicy errCode = "Invalid.ResourceGroup.Status"
)

// Policy types and the principal type of user groups.
const (
	policyCustom = "Custom"
	policySystem = "System"

	principalGroup = "IMSGroup"
)

// policy is a custom policy of one account, or a system policy (no owner).
type policy struct {
	order       int64
	Owner       string
	Name        string
	Type        string
	Description string
	Document    string // the default version's document
	Created     time.Time
	Updated     time.Time

	// Versions are the policy's versions, oldest first; empty means the one
	// version v1 with Document. DefaultVersion names the default one.
	Versions       []policyVersionEntry
	DefaultVersion string
	LastVersion    int // the number of the latest version ever created
}

// policyAttachment grants a policy to a principal on a resource group.
type policyAttachment struct {
	order         int64
	Owner         string
	GroupID       string
	PolicyName    string
	PolicyType    string
	PrincipalName string
	PrincipalType string
	Attached      time.Time
}

// policyStore holds the policies and attachments of every account.
type policyStore struct {
	custom      []*policy
	system      []*policy
	attachments []*policyAttachment
}

// systemPolicyDocuments are the system policies every account sees.
var systemPolicyDocuments = []struct{ name, description, document string }{
	{"AdministratorAccess", "Provides full access to Alibaba Cloud services and resources.",
		`{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"1"}`},
	{"ReadOnlyAccess", "Provides read-only access to Alibaba Cloud services and resources.",
		`{"Statement":[{"Action":["*:Describe*","*:List*","*:Get*","*:BatchGet*","*:Query*","*:BatchQuery*"],"Effect":"Allow","Resource":"*"}],"Version":"1"}`},
	{"AliyunResourceSharingFullAccess", "Provides full access to Resource Sharing.",
		`{"Statement":[{"Action":"resourcesharing:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`},
}

// policyStore returns the policy store, creating it with the system policies
// on first use.
func (st *state) policyStore() *policyStore {
	if st.policies == nil {
		ps := &policyStore{}
		for _, d := range systemPolicyDocuments {
			ps.system = append(ps.system, &policy{order: st.next(), Name: d.name, Type: policySystem,
				Description: d.description, Document: d.document, Created: st.rdCreated})
		}
		st.policies = ps
	}
	return st.policies
}

// visiblePolicies returns the system policies and the caller's custom
// policies, of one type or both, system policies first.
func (c *call) visiblePolicies(typ string) []*policy {
	ps := c.st.policyStore()
	var out []*policy
	if typ == "" || typ == policySystem {
		out = append(out, ps.system...)
	}
	if typ == "" || typ == policyCustom {
		for _, p := range ps.custom {
			if p.Owner == c.caller.ID {
				out = append(out, p)
			}
		}
	}
	return out
}

// findPolicy finds a visible policy by type and name.
func (c *call) findPolicy(typ, name string) *policy {
	for _, p := range c.visiblePolicies(typ) {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// validPolicyName allows letters, digits and hyphens.
func validPolicyName(s string) bool {
	return s != "" && allRunes(s, func(r rune) bool { return isASCIIAlnum(r) || r == '-' })
}

// policyNameParam reads PolicyName and checks its characters; validate has
// checked its length.
func (c *call) policyNameParam() (string, error) {
	name := c.p.get("PolicyName")
	if !validPolicyName(name) {
		return "", errPolicyNameChars
	}
	return name, nil
}

// validPolicyDocument accepts a JSON object with a non-empty Statement list.
func validPolicyDocument(doc string) bool {
	var d struct {
		Statement []json.RawMessage
	}
	return json.Unmarshal([]byte(doc), &d) == nil && len(d.Statement) > 0
}

// attachmentsOf returns the caller's attachments of a policy.
func (c *call) attachmentsOf(p *policy) []*policyAttachment {
	var out []*policyAttachment
	for _, a := range c.st.policyStore().attachments {
		if a.Owner == c.caller.ID && a.PolicyName == p.Name && a.PolicyType == p.Type && c.st.groups[a.GroupID] != nil {
			out = append(out, a)
		}
	}
	return out
}

type policyView struct {
	AttachmentCount *int `json:",omitempty"`
	CreateDate      string
	DefaultVersion  string
	Description     string
	PolicyDocument  string `json:",omitempty"`
	PolicyName      string
	PolicyType      string
	UpdateDate      string `json:",omitempty"`
}

func (c *call) viewPolicy(p *policy, withDocument bool) policyView {
	n := len(c.attachmentsOf(p))
	v := policyView{AttachmentCount: &n, CreateDate: isoTime(p.Created), DefaultVersion: p.defaultVersion(),
		Description: p.Description, PolicyName: p.Name, PolicyType: p.Type, UpdateDate: isoTime(p.updated())}
	if withDocument {
		v.PolicyDocument = p.Document
	}
	return v
}

type policyReply struct{ Policy policyView }

func createPolicy(c *call) (any, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	doc := c.p.get("PolicyDocument")
	if !validPolicyDocument(doc) {
		return nil, errPolicyDocument
	}
	if c.findPolicy("", name) != nil {
		return nil, errPolicyExists
	}
	ps := c.st.policyStore()
	p := &policy{order: c.st.next(), Owner: c.caller.ID, Name: name, Type: policyCustom,
		Description: c.p.get("Description"), Document: doc, Created: c.now}
	ps.custom = append(ps.custom, p)
	v := c.viewPolicy(p, false)
	v.AttachmentCount, v.UpdateDate = nil, ""
	return policyReply{v}, nil
}

func getPolicy(c *call) (any, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	p := c.findPolicy(c.p.get("PolicyType"), name)
	if p == nil {
		return nil, errPolicyNotFound
	}
	return policyReply{c.viewPolicy(p, true)}, nil
}

func listPolicies(c *call) (any, error) {
	page, info := pageByNumber(c, c.visiblePolicies(c.p.get("PolicyType")))
	var out struct {
		Policies struct{ Policy []policyView }
		pageInfo
	}
	out.pageInfo = info
	out.Policies.Policy = make([]policyView, 0, len(page))
	for _, p := range page {
		out.Policies.Policy = append(out.Policies.Policy, c.viewPolicy(p, false))
	}
	return out, nil
}

func deletePolicy(c *call) (any, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	p := c.findPolicy(policyCustom, name)
	if p == nil {
		return nil, errPolicyNotFound
	}
	if len(p.versions()) > 1 {
		return nil, errPolicyVersionsLeft
	}
	if attached := c.attachmentsOf(p); len(attached) > 0 {
		if attached[0].PrincipalType == principalGroup {
			return nil, errPolicyAttachedGroup
		}
		return nil, errPolicyAttachedUser
	}
	ps := c.st.policyStore()
	for i, q := range ps.custom {
		if q == p {
			ps.custom = append(ps.custom[:i:i], ps.custom[i+1:]...)
			break
		}
	}
	return nil, nil
}

// attachmentParams reads the policy, group and principal of AttachPolicy
// and DetachPolicy.
func (c *call) attachmentParams() (*policyAttachment, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	p := c.findPolicy(c.p.get("PolicyType"), name)
	if p == nil {
		return nil, errPolicyNotFound
	}
	g, err := c.groupParam("ResourceGroupId")
	if err != nil {
		return nil, err
	}
	if g.Status != groupOK {
		return nil, errGroupStatusForPolicy
	}
	return &policyAttachment{Owner: c.caller.ID, GroupID: g.ID, PolicyName: p.Name, PolicyType: p.Type,
		PrincipalName: c.p.get("PrincipalName"), PrincipalType: c.p.get("PrincipalType"), Attached: c.now}, nil
}

// sameAttachment reports whether two attachments grant the same policy to
// the same principal on the same group.
func sameAttachment(a, b *policyAttachment) bool {
	return a.Owner == b.Owner && a.GroupID == b.GroupID && a.PolicyName == b.PolicyName &&
		a.PolicyType == b.PolicyType && a.PrincipalName == b.PrincipalName && a.PrincipalType == b.PrincipalType
}

func attachPolicy(c *call) (any, error) {
	want, err := c.attachmentParams()
	if err != nil {
		return nil, err
	}
	ps := c.st.policyStore()
	for _, a := range ps.attachments {
		if sameAttachment(a, want) {
			return nil, nil // attaching twice changes nothing
		}
	}
	want.order = c.st.next()
	ps.attachments = append(ps.attachments, want)
	return nil, nil
}

func detachPolicy(c *call) (any, error) {
	want, err := c.attachmentParams()
	if err != nil {
		return nil, err
	}
	ps := c.st.policyStore()
	for i, a := range ps.attachments {
		if sameAttachment(a, want) {
			ps.attachments = append(ps.attachments[:i:i], ps.attachments[i+1:]...)
			return nil, nil
		}
	}
	// The API documents no code for a missing attachment; the policy is not
	// attached there, so the service's not-found code for it applies.
	return nil, errPolicyNotFound
}

type policyAttachmentView struct {
	AttachDate      string
	Description     string
	PolicyName      string
	PolicyType      string
	PrincipalName   string
	PrincipalType   string
	ResourceGroupId string
}

func listPolicyAttachments(c *call) (any, error) {
	f := policyAttachment{PolicyName: c.p.get("PolicyName"), PolicyType: c.p.get("PolicyType"),
		PrincipalName: c.p.get("PrincipalName"), PrincipalType: c.p.get("PrincipalType")}
	if c.p.get("ResourceGroupId") != "" {
		g, err := c.groupParam("ResourceGroupId")
		if err != nil {
			return nil, err
		}
		f.GroupID = g.ID
	}
	if f.PolicyName != "" {
		if _, err := c.policyNameParam(); err != nil {
			return nil, err
		}
		if c.findPolicy(f.PolicyType, f.PolicyName) == nil {
			return nil, errPolicyNotFound
		}
	}
	match := func(want, have string) bool { return want == "" || want == have }
	var found []*policyAttachment
	for _, a := range c.st.policyStore().attachments {
		if a.Owner == c.caller.ID && c.st.groups[a.GroupID] != nil && match(f.GroupID, a.GroupID) &&
			match(f.PolicyName, a.PolicyName) && match(f.PolicyType, a.PolicyType) &&
			match(f.PrincipalName, a.PrincipalName) && match(f.PrincipalType, a.PrincipalType) {
			found = append(found, a)
		}
	}
	page, info := pageByNumber(c, found)
	var out struct {
		PolicyAttachments struct{ PolicyAttachment []policyAttachmentView }
		pageInfo
	}
	out.pageInfo = info
	out.PolicyAttachments.PolicyAttachment = make([]policyAttachmentView, 0, len(page))
	for _, a := range page {
		desc := ""
		if p := c.findPolicy(a.PolicyType, a.PolicyName); p != nil {
			desc = p.Description
		}
		out.PolicyAttachments.PolicyAttachment = append(out.PolicyAttachments.PolicyAttachment, policyAttachmentView{
			AttachDate: isoTime(a.Attached), Description: desc, PolicyName: a.PolicyName, PolicyType: a.PolicyType,
			PrincipalName: a.PrincipalName, PrincipalType: a.PrincipalType, ResourceGroupId: a.GroupID})
	}
	return out, nil
}
