package emulator

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Control policies of the resource directory: CreateControlPolicy,
// GetControlPolicy, ListControlPolicies, DeleteControlPolicy,
// AttachControlPolicy, DetachControlPolicy,
// ListControlPolicyAttachmentsForTarget,
// ListTargetAttachmentsForControlPolicy. The management account manages
// them; targets are the folders (the root included) and member accounts.
// While the feature is enabled, every target has the system policy
// FullAliyunAccess attached from the moment it joins the directory, until it
// is detached from that target. The API documents no code for an unknown
// policy ID, so the product's EntityNotExist.Policy answers it.
//
// The feature switch (EnableControlPolicy, DisableControlPolicy,
// GetControlPolicyEnablementStatus) moves through PendingEnable and
// PendingDisable on the emulator clock (controlPolicySwitchDelay). Disabling
// detaches every policy from every target, as the API reference describes;
// while the feature is not enabled, policies can be managed but not attached
// or detached (InvalidControlPolicyEnablementStatus). The emulator starts
// with the feature enabled.

const (
	errTargetNotFound      errCode = "EntityNotExists.Target"
	errDetachLastControlPl errCode = "NotSupport.DetachLastControlPolicy"
	errControlPolicyStatus errCode = "InvalidControlPolicyEnablementStatus"
	errEnableTooFrequent   errCode = "Throttling.EnableControlPolicy"
	// The API documents no code of its own for deleting a control policy
	// that is still attached; the product's code for deleting a policy that
	// is attached to a group of principals is the nearest.
	errControlPolicyAttached errCode = "DeleteConflict.Policy.Group"
)

// Enablement statuses of the control policy feature.
const (
	cpEnabled        = "Enabled"
	cpPendingEnable  = "PendingEnable"
	cpDisabled       = "Disabled"
	cpPendingDisable = "PendingDisable"
)

// controlPolicySwitchDelay is how long, on the emulator clock, enabling or
// disabling the feature stays pending.
const controlPolicySwitchDelay = time.Minute

// Target types of control policy attachments.
const (
	cpTargetRoot    = "Root"
	cpTargetFolder  = "Folder"
	cpTargetAccount = "Account"
)

// fullAccessControlPolicy is the system control policy every directory has.
const fullAccessControlPolicy = "FullAliyunAccess"

type controlPolicy struct {
	order       int64
	ID          string
	Name        string
	Type        string
	Description string
	EffectScope string
	Document    string
	Created     time.Time
	Updated     time.Time
}

type controlAttachment struct {
	order    int64
	PolicyID string
	TargetID string
	Attached time.Time
}

// controlStore holds the control policies, their attachments and the
// feature switch.
type controlStore struct {
	policies    []*controlPolicy
	attachments []*controlAttachment

	// Status is the feature's enablement status; a pending status settles
	// at SwitchDue, at a request after the one numbered SwitchSeq.
	Status    string
	SwitchDue time.Time
	SwitchSeq int64
	// EnabledAt is when the feature was last enabled; Seen are the targets
	// that got FullAliyunAccess since then, with the time they joined the
	// directory: an account that left and joined again has a new join time,
	// and starts afresh.
	EnabledAt time.Time
	Seen      map[string]time.Time
}

// controlStore returns the control policy store, creating it with the
// system policy attached to the root folder on first use.
func (st *state) controlStore() *controlStore {
	is := st.iamStore()
	if is.control == nil {
		p := &controlPolicy{order: st.next(), ID: "p-" + fullAccessControlPolicy, Name: fullAccessControlPolicy,
			Type: policySystem, Description: "Allows all actions on all resources.", EffectScope: "RAM",
			Document: `{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"1"}`,
			Created:  st.rdCreated, Updated: st.rdCreated}
		is.control = &controlStore{policies: []*controlPolicy{p}, Status: cpEnabled, EnabledAt: st.rdCreated,
			Seen: map[string]time.Time{}}
	}
	return is.control
}

// settleControlSwitch completes a pending enable or disable that is due.
func (st *state) settleControlSwitch(now time.Time) {
	cs := st.iamStore().control
	if cs == nil || (cs.Status != cpPendingEnable && cs.Status != cpPendingDisable) ||
		st.reqSeq <= cs.SwitchSeq || now.Before(cs.SwitchDue) {
		return
	}
	if cs.Status == cpPendingEnable {
		cs.Status, cs.EnabledAt = cpEnabled, cs.SwitchDue
		return
	}
	cs.Status = cpDisabled
	clear(cs.attachments)
	cs.attachments = cs.attachments[:0]
	clear(cs.Seen)
}

// controlPolicyStatus is the feature's enablement status, for
// GetResourceDirectory.
func (st *state) controlPolicyStatus() string { return st.controlStore().Status }

// inheritFullAccess attaches FullAliyunAccess to the targets that joined
// the directory since the feature was enabled and have not had it yet.
func (st *state) inheritFullAccess() {
	cs := st.controlStore()
	if cs.Status != cpEnabled {
		return
	}
	at := func(joined time.Time) time.Time {
		if joined.Before(cs.EnabledAt) {
			return cs.EnabledAt
		}
		return joined
	}
	type joined struct {
		id string
		at time.Time
	}
	var add []joined
	seen := func(id string, t time.Time) bool { s, ok := cs.Seen[id]; return ok && s.Equal(t) }
	for _, f := range st.folders {
		if !seen(f.ID, f.Created) {
			add = append(add, joined{f.ID, f.Created})
		}
	}
	for _, a := range st.accounts {
		if a.inRD && !seen(a.ID, a.JoinTime) {
			add = append(add, joined{a.ID, a.JoinTime})
		}
	}
	if len(add) == 0 {
		return
	}
	fresh := map[string]bool{}
	for _, j := range add {
		fresh[j.id] = true
	}
	// What a target that joined again had before it left is gone.
	cs.attachments = slices.DeleteFunc(cs.attachments, func(a *controlAttachment) bool { return fresh[a.TargetID] })
	slices.SortFunc(add, func(a, b joined) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	for _, j := range add {
		cs.Seen[j.id] = j.at
		cs.attachments = append(cs.attachments, &controlAttachment{order: st.next(),
			PolicyID: "p-" + fullAccessControlPolicy, TargetID: j.id, Attached: at(j.at)})
	}
}

// requireControlEnabled answers the feature's code while it is not
// enabled.
func (c *call) requireControlEnabled() error {
	if c.st.controlStore().Status != cpEnabled {
		return errControlPolicyStatus
	}
	return nil
}

type enablementReply struct{ EnablementStatus string }

func enableControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	cs := c.st.controlStore()
	switch cs.Status {
	case cpPendingDisable:
		return nil, errEnableTooFrequent
	case cpDisabled:
		cs.Status, cs.SwitchDue, cs.SwitchSeq = cpPendingEnable, c.now.Add(controlPolicySwitchDelay), c.st.reqSeq
	}
	return enablementReply{cs.Status}, nil
}

func disableControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	cs := c.st.controlStore()
	if cs.Status == cpEnabled || cs.Status == cpPendingEnable {
		cs.Status, cs.SwitchDue, cs.SwitchSeq = cpPendingDisable, c.now.Add(controlPolicySwitchDelay), c.st.reqSeq
	}
	return enablementReply{cs.Status}, nil
}

func getControlPolicyEnablementStatus(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	return enablementReply{c.st.controlStore().Status}, nil
}

// liveAttachments drops the attachments whose target has left the
// directory, and returns the rest.
func (st *state) liveAttachments() []*controlAttachment {
	st.inheritFullAccess()
	cs := st.controlStore()
	keep := cs.attachments[:0]
	for _, a := range cs.attachments {
		if _, _, ok := st.controlTarget(a.TargetID); ok {
			keep = append(keep, a)
		}
	}
	clear(cs.attachments[len(keep):])
	cs.attachments = keep
	return keep
}

// controlTarget finds a folder or member account by ID and returns its
// type and name.
func (st *state) controlTarget(id string) (typ, name string, ok bool) {
	if f := st.folders[id]; f != nil {
		if f.ParentID == "" {
			return cpTargetRoot, f.Name, true
		}
		return cpTargetFolder, f.Name, true
	}
	if a := st.accounts[id]; a != nil && a.inRD {
		return cpTargetAccount, a.DisplayName, true
	}
	return "", "", false
}

func (c *call) controlTargetParam() (string, error) {
	id := c.p.get("TargetId")
	if _, _, ok := c.st.controlTarget(id); !ok {
		return "", errTargetNotFound
	}
	return id, nil
}

func (c *call) controlPolicyParam() (*controlPolicy, error) {
	id := c.p.get("PolicyId")
	for _, p := range c.st.controlStore().policies {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, errPolicyNotFound
}

type controlPolicyView struct {
	AttachmentCount string
	CreateDate      string
	Description     string
	EffectScope     string
	PolicyDocument  string `json:",omitempty"`
	PolicyId        string
	PolicyName      string
	PolicyType      string
	UpdateDate      string
}

func (st *state) viewControlPolicy(p *controlPolicy, withDocument bool) controlPolicyView {
	n := 0
	for _, a := range st.liveAttachments() {
		if a.PolicyID == p.ID {
			n++
		}
	}
	v := controlPolicyView{AttachmentCount: strconv.Itoa(n), CreateDate: isoTime(p.Created), Description: p.Description,
		EffectScope: p.EffectScope, PolicyId: p.ID, PolicyName: p.Name, PolicyType: p.Type, UpdateDate: isoTime(p.Updated)}
	if withDocument {
		v.PolicyDocument = p.Document
	}
	return v
}

type controlPolicyReply struct{ ControlPolicy controlPolicyView }

func createControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	scope := c.p.get("EffectScope")
	if scope != "RAM" && scope != "All" {
		return nil, invalidParam(c.codes, "EffectScope", "")
	}
	doc := c.p.get("PolicyDocument")
	if !validPolicyDocument(doc) {
		return nil, errPolicyDocument
	}
	st := c.st
	cs := st.controlStore()
	for _, p := range cs.policies {
		if p.Name == name {
			return nil, errPolicyExists
		}
	}
	p := &controlPolicy{order: st.next(), ID: "cp-" + st.token(15, alnum), Name: name, Type: policyCustom,
		Description: c.p.get("Description"), EffectScope: scope, Document: doc, Created: c.now, Updated: c.now}
	cs.policies = append(cs.policies, p)
	return controlPolicyReply{st.viewControlPolicy(p, false)}, nil
}

func getControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	p, err := c.controlPolicyParam()
	if err != nil {
		return nil, err
	}
	return controlPolicyReply{c.st.viewControlPolicy(p, true)}, nil
}

func listControlPolicies(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	typ := c.p.get("PolicyType")
	var found []*controlPolicy
	for _, p := range c.st.controlStore().policies {
		if typ == "" || p.Type == typ {
			found = append(found, p)
		}
	}
	page, info := pageByNumber(c, found)
	var out struct {
		ControlPolicies struct{ ControlPolicy []controlPolicyView }
		pageInfo
	}
	out.pageInfo = info
	out.ControlPolicies.ControlPolicy = make([]controlPolicyView, 0, len(page))
	for _, p := range page {
		out.ControlPolicies.ControlPolicy = append(out.ControlPolicies.ControlPolicy, c.st.viewControlPolicy(p, false))
	}
	return out, nil
}

func deleteControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	p, err := c.controlPolicyParam()
	if err != nil {
		return nil, err
	}
	if p.Type != policyCustom {
		return nil, errPolicyNotFound // system policies cannot be deleted
	}
	for _, a := range c.st.liveAttachments() {
		if a.PolicyID == p.ID {
			return nil, errControlPolicyAttached
		}
	}
	cs := c.st.controlStore()
	for i, q := range cs.policies {
		if q == p {
			cs.policies = append(cs.policies[:i:i], cs.policies[i+1:]...)
			break
		}
	}
	return nil, nil
}

func updateControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	p, err := c.controlPolicyParam()
	if err != nil {
		return nil, err
	}
	if p.Type != policyCustom {
		return nil, errPolicyNotFound // system policies cannot be changed
	}
	name := c.p.get("NewPolicyName")
	if name != "" {
		if !validPolicyName(name) {
			return nil, errPolicyNameChars
		}
		for _, q := range c.st.controlStore().policies {
			if q != p && q.Name == name {
				return nil, errPolicyExists
			}
		}
	}
	doc := c.p.get("NewPolicyDocument")
	if doc != "" && !validPolicyDocument(doc) {
		return nil, errPolicyDocument
	}
	if name != "" {
		p.Name = name
	}
	if doc != "" {
		p.Document = doc
	}
	if c.p.has("NewDescription") {
		p.Description = c.p.get("NewDescription")
	}
	p.Updated = c.now
	return controlPolicyReply{c.st.viewControlPolicy(p, false)}, nil
}

func attachControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	if err := c.requireControlEnabled(); err != nil {
		return nil, err
	}
	p, err := c.controlPolicyParam()
	if err != nil {
		return nil, err
	}
	target, err := c.controlTargetParam()
	if err != nil {
		return nil, err
	}
	for _, a := range c.st.liveAttachments() {
		if a.PolicyID == p.ID && a.TargetID == target {
			return nil, nil // attaching twice changes nothing
		}
	}
	cs := c.st.controlStore()
	cs.attachments = append(cs.attachments, &controlAttachment{order: c.st.next(), PolicyID: p.ID, TargetID: target, Attached: c.now})
	return nil, nil
}

func detachControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	if err := c.requireControlEnabled(); err != nil {
		return nil, err
	}
	p, err := c.controlPolicyParam()
	if err != nil {
		return nil, err
	}
	target, err := c.controlTargetParam()
	if err != nil {
		return nil, err
	}
	onTarget := 0
	var found *controlAttachment
	for _, a := range c.st.liveAttachments() {
		if a.TargetID == target {
			onTarget++
			if a.PolicyID == p.ID {
				found = a
			}
		}
	}
	if found == nil {
		// Not attached there: the policy is unknown to the target.
		return nil, errPolicyNotFound
	}
	if onTarget == 1 {
		return nil, errDetachLastControlPl
	}
	cs := c.st.controlStore()
	for i, a := range cs.attachments {
		if a == found {
			cs.attachments = append(cs.attachments[:i:i], cs.attachments[i+1:]...)
			break
		}
	}
	return nil, nil
}

type controlAttachmentView struct {
	AttachDate  string
	Description string
	EffectScope string
	PolicyId    string
	PolicyName  string
	PolicyType  string
}

func listControlPolicyAttachmentsForTarget(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	target, err := c.controlTargetParam()
	if err != nil {
		return nil, err
	}
	byID := map[string]*controlPolicy{}
	for _, p := range c.st.controlStore().policies {
		byID[p.ID] = p
	}
	var out struct {
		ControlPolicyAttachments struct{ ControlPolicyAttachment []controlAttachmentView }
	}
	out.ControlPolicyAttachments.ControlPolicyAttachment = []controlAttachmentView{}
	for _, a := range c.st.liveAttachments() {
		p := byID[a.PolicyID]
		if a.TargetID != target || p == nil {
			continue
		}
		out.ControlPolicyAttachments.ControlPolicyAttachment = append(out.ControlPolicyAttachments.ControlPolicyAttachment,
			controlAttachmentView{AttachDate: isoTime(a.Attached), Description: p.Description, EffectScope: p.EffectScope,
				PolicyId: p.ID, PolicyName: p.Name, PolicyType: p.Type})
	}
	return out, nil
}

type targetAttachmentView struct {
	AttachDate string
	TargetId   string
	TargetName string
	TargetType string
}

func listTargetAttachmentsForControlPolicy(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	p, err := c.controlPolicyParam()
	if err != nil {
		return nil, err
	}
	var found []*controlAttachment
	for _, a := range c.st.liveAttachments() {
		if a.PolicyID == p.ID {
			found = append(found, a)
		}
	}
	page, info := pageByNumber(c, found)
	var out struct {
		TargetAttachments struct{ TargetAttachment []targetAttachmentView }
		pageInfo
	}
	out.pageInfo = info
	out.TargetAttachments.TargetAttachment = make([]targetAttachmentView, 0, len(page))
	for _, a := range page {
		typ, name, _ := c.st.controlTarget(a.TargetID)
		out.TargetAttachments.TargetAttachment = append(out.TargetAttachments.TargetAttachment,
			targetAttachmentView{AttachDate: isoTime(a.Attached), TargetId: a.TargetID, TargetName: name, TargetType: typ})
	}
	return out, nil
}
