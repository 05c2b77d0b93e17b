package emulator

import (
	"strconv"
	"strings"
	"time"
)

// Versions of access policies: CreatePolicyVersion, DeletePolicyVersion,
// GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion. A custom
// policy starts with version v1 as its default; version numbers are never
// reused, and a policy keeps at most maxPolicyVersions versions, the default
// one included, as the API reference documents. System policies have the
// single version v1.

const (
	errPolicyVersionNotFound  errCode = "EntityNotExist.Policy.Version"
	errPolicyVersionLimit     errCode = "LimitExceeded.Policy.Version"
	errPolicyVersionFormat    errCode = "InvalidParameter.VersionId.Format"
	errPolicyVersionIsDefault errCode = "DeleteConflict.Policy.Version.Default"
	errPolicyVersionsLeft     errCode = "DeleteConflict.Policy.Version"
)

// maxPolicyVersions is the documented limit of versions per policy.
const maxPolicyVersions = 5

// policyVersionEntry is one version of a policy.
type policyVersionEntry struct {
	ID       string
	Document string
	Created  time.Time
}

// versions returns the policy's versions, giving a policy that has none
// recorded its first version.
func (p *policy) versions() []policyVersionEntry {
	if len(p.Versions) == 0 {
		p.Versions = []policyVersionEntry{{ID: "v1", Document: p.Document, Created: p.Created}}
		p.DefaultVersion, p.LastVersion = "v1", 1
	}
	return p.Versions
}

func (p *policy) defaultVersion() string {
	p.versions()
	return p.DefaultVersion
}

// updated is when the policy last changed: its creation, or the latest
// change of its versions.
func (p *policy) updated() time.Time {
	if p.Updated.IsZero() {
		return p.Created
	}
	return p.Updated
}

// findVersion returns the index of a version, or -1.
func (p *policy) findVersion(id string) int {
	for i, v := range p.versions() {
		if v.ID == id {
			return i
		}
	}
	return -1
}

// validVersionID accepts "v" followed by a positive number.
func validVersionID(s string) bool {
	n, ok := strings.CutPrefix(s, "v")
	if !ok || n == "" || n[0] == '0' {
		return false
	}
	_, err := strconv.Atoi(n)
	return err == nil && allRunes(n, func(r rune) bool { return r >= '0' && r <= '9' })
}

// versionParam reads VersionId, checking its form.
func (c *call) versionParam() (string, error) {
	id := c.p.get("VersionId")
	if !validVersionID(id) {
		return "", errPolicyVersionFormat
	}
	return id, nil
}

// customPolicyParam reads PolicyName and finds the caller's custom policy.
func (c *call) customPolicyParam() (*policy, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	p := c.findPolicy(policyCustom, name)
	if p == nil {
		return nil, errPolicyNotFound
	}
	return p, nil
}

type policyVersionView struct {
	CreateDate       string
	IsDefaultVersion bool
	PolicyDocument   string `json:",omitempty"`
	VersionId        string
}

func viewPolicyVersion(p *policy, v policyVersionEntry, withDocument bool) policyVersionView {
	out := policyVersionView{CreateDate: isoTime(v.Created), IsDefaultVersion: v.ID == p.defaultVersion(), VersionId: v.ID}
	if withDocument {
		out.PolicyDocument = v.Document
	}
	return out
}

type policyVersionReply struct{ PolicyVersion policyVersionView }

func createPolicyVersion(c *call) (any, error) {
	p, err := c.customPolicyParam()
	if err != nil {
		return nil, err
	}
	doc := c.p.get("PolicyDocument")
	if !validPolicyDocument(doc) {
		return nil, errPolicyDocument
	}
	if len(p.versions()) >= maxPolicyVersions {
		return nil, errPolicyVersionLimit
	}
	p.LastVersion++
	v := policyVersionEntry{ID: "v" + strconv.Itoa(p.LastVersion), Document: doc, Created: c.now}
	p.Versions = append(p.Versions, v)
	if c.p.boolean("SetAsDefault") {
		p.DefaultVersion, p.Document = v.ID, v.Document
	}
	p.Updated = c.now
	return policyVersionReply{viewPolicyVersion(p, v, false)}, nil
}

func getPolicyVersion(c *call) (any, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	p := c.findPolicy(c.p.get("PolicyType"), name)
	if p == nil {
		return nil, errPolicyNotFound
	}
	id, err := c.versionParam()
	if err != nil {
		return nil, err
	}
	i := p.findVersion(id)
	if i < 0 {
		return nil, errPolicyVersionNotFound
	}
	return policyVersionReply{viewPolicyVersion(p, p.Versions[i], true)}, nil
}

func listPolicyVersions(c *call) (any, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return nil, err
	}
	p := c.findPolicy(c.p.get("PolicyType"), name)
	if p == nil {
		return nil, errPolicyNotFound
	}
	var out struct {
		PolicyVersions struct{ PolicyVersion []policyVersionView }
	}
	out.PolicyVersions.PolicyVersion = []policyVersionView{}
	for _, v := range p.versions() {
		out.PolicyVersions.PolicyVersion = append(out.PolicyVersions.PolicyVersion, viewPolicyVersion(p, v, false))
	}
	return out, nil
}

func deletePolicyVersion(c *call) (any, error) {
	p, err := c.customPolicyParam()
	if err != nil {
		return nil, err
	}
	id, err := c.versionParam()
	if err != nil {
		return nil, err
	}
	i := p.findVersion(id)
	if i < 0 {
		return nil, errPolicyVersionNotFound
	}
	if id == p.defaultVersion() {
		return nil, errPolicyVersionIsDefault
	}
	p.Versions = append(p.Versions[:i:i], p.Versions[i+1:]...)
	p.Updated = c.now
	return nil, nil
}

func setDefaultPolicyVersion(c *call) (any, error) {
	p, err := c.customPolicyParam()
	if err != nil {
		return nil, err
	}
	id, err := c.versionParam()
	if err != nil {
		return nil, err
	}
	i := p.findVersion(id)
	if i < 0 {
		return nil, errPolicyVersionNotFound
	}
	p.DefaultVersion, p.Document = id, p.Versions[i].Document
	p.Updated = c.now
	return nil, nil
}
