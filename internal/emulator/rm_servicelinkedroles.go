package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole,
// GetServiceLinkedRoleDeletionStatus. A service-linked role is a RAM role
// of the caller's account that a service assumes; its name, trust policy
// and (unless the service allows a custom suffix) description are preset
// by the service. Deleting one starts a deletion task: NOT_STARTED in the
// reply, IN_PROGRESS from the next request, and once the emulator clock has
// moved by roleDeletionDelay, SUCCEEDED (the role is gone) or FAILED with
// the regions and resources that still use the role (see
// Service.MarkServiceLinkedRoleInUse).

const (
	errServiceNotFound       errCode = "EntityNotExist.Service"
	errSuffixNotAllowed      errCode = "InvalidParameter.CustomSuffix.NotAllowed"
	errSuffixChars           errCode = "InvalidParameter.CustomSuffix.InvalidChars"
	errSuffixLength          errCode = "InvalidParameter.CustomSuffix.Length"
	errDescriptionNotAllowed errCode = "InvalidParameter.Description.NotAllowed"
	errRoleLimit             errCode = "LimitExceeded.Role"
	errNotServiceLinked      errCode = "EntityNotExist.ServiceLinkedRole"
	errDeletionTaskID        errCode = "InvalidParameter.DeletionTaskId"
	errDeletionTaskIDLength  errCode = "InvalidParameter.DeletionTaskId.Length"
	errDeletionTaskNotFound  errCode = "EntityNotExist.ServiceLinkedRole.DeletionTask"
)

const (
	deletionTaskPrefix                = "task/acs-service-role/"
	maxRolesPerAccount                = 1000
	maxRoleNameLength                 = 64
	minDeletionTaskIDLength           = 26
	maxDeletionTaskIDLength           = 255
	roleDeletionDelay                 = time.Minute
	deletionNotStarted                = "NOT_STARTED"
	deletionInProgress                = "IN_PROGRESS"
	deletionSucceeded                 = "SUCCEEDED"
	deletionFailed                    = "FAILED"
	serviceLinkedRoleSessionDuration  = 3600
	serviceLinkedRoleTrustPolicyShape = `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["%s"]}}],"Version":"1"}`
)

// linkedService is a service that has a service-linked role.
type linkedService struct {
	name        string // ServiceName, e.g. polardb.aliyuncs.com
	role        string // the preset role name
	description string
	suffix      bool // whether CustomSuffix (and a custom description) is allowed
}

// linkedServices is the emulator's catalogue of services with
// service-linked roles: the two services the API reference uses in its
// examples (PolarDB and Hybrid Disaster Recovery) and the trusted services
// of rm_delegated.go. Only PolarDB, the reference's CustomSuffix example,
// accepts a suffix.
var linkedServices = []linkedService{
	{"polardb.aliyuncs.com", "AliyunServiceRoleForPolarDB",
		"Service Linked Role for PolarDB. PolarDB will use this role to access your resources in other services.", true},
	{"hdr.aliyuncs.com", "AliyunServiceRoleForHdr", "Service Linked Role for Hybrid Disaster Recovery.", false},
	{"config.aliyuncs.com", "AliyunServiceRoleForConfig", "Service Linked Role for Cloud Config.", false},
	{"actiontrail.aliyuncs.com", "AliyunServiceRoleForActionTrail", "Service Linked Role for ActionTrail.", false},
	{"cloudfw.aliyuncs.com", "AliyunServiceRoleForCloudFW", "Service Linked Role for Cloud Firewall.", false},
}

func findLinkedService(name string) *linkedService {
	for i := range linkedServices {
		if linkedServices[i].name == name {
			return &linkedServices[i]
		}
	}
	return nil
}

// roleUsage is one region in which a service uses a service-linked role.
type roleUsage struct {
	Region    string
	Resources []string
}

// roleDeletion is a service-linked role deletion task.
type roleDeletion struct {
	ID       string
	Owner    string
	RoleID   string
	RoleName string
	Service  string
	Seq      int64 // the request that started it
	Due      time.Time
	Status   string
	Usage    []roleUsage // why it failed
}

// settleRoleDeletions moves the deletion tasks on: a task starts at the
// first request after the one that created it, and ends when it is due.
func (st *state) settleRoleDeletions(now time.Time) {
	is := st.iam
	if is == nil {
		return
	}
	for _, d := range is.deletions {
		if (d.Status != deletionNotStarted && d.Status != deletionInProgress) || st.reqSeq <= d.Seq {
			continue
		}
		d.Status = deletionInProgress
		if now.Before(d.Due) {
			continue
		}
		i := slices.IndexFunc(is.roles, func(r *role) bool { return r.ID == d.RoleID })
		if i < 0 {
			d.Status = deletionSucceeded
			continue
		}
		if r := is.roles[i]; len(r.Usage) > 0 {
			d.Status, d.Usage = deletionFailed, cloneUsage(r.Usage)
			continue
		}
		is.roles = append(is.roles[:i:i], is.roles[i+1:]...)
		d.Status = deletionSucceeded
	}
}

// settleIAM applies the due transitions of roles and control policies.
func (st *state) settleIAM(now time.Time) {
	st.settleRoleDeletions(now)
	st.settleControlSwitch(now)
}

func cloneUsage(u []roleUsage) []roleUsage {
	out := make([]roleUsage, len(u))
	for i, x := range u {
		out[i] = roleUsage{Region: x.Region, Resources: append([]string(nil), x.Resources...)}
	}
	return out
}

// validSuffix allows letters, digits, periods and hyphens.
func validSuffix(s string) bool {
	return s != "" && allRunes(s, func(r rune) bool { return isASCIIAlnum(r) || r == '.' || r == '-' })
}

func createServiceLinkedRole(c *call) (any, error) {
	svc := findLinkedService(c.p.get("ServiceName"))
	if svc == nil {
		return nil, errServiceNotFound
	}
	name, description := svc.role, svc.description
	if suffix := c.p.get("CustomSuffix"); suffix != "" {
		if !svc.suffix {
			return nil, errSuffixNotAllowed
		}
		if !validSuffix(suffix) {
			return nil, errSuffixChars
		}
		name += "_" + suffix
		if len(name) > maxRoleNameLength {
			return nil, errSuffixLength
		}
	}
	if d := c.p.get("Description"); d != "" {
		if !svc.suffix {
			return nil, errDescriptionNotAllowed
		}
		description = d
	}
	if c.findRole(name) != nil {
		return nil, errRoleExists
	}
	if len(c.callerRoles()) >= maxRolesPerAccount {
		return nil, errRoleLimit
	}
	st := c.st
	r := &role{order: st.next(), Owner: c.caller.ID, ID: strconv.Itoa(3+st.rng.IntN(6)) + st.token(15, digits),
		Name: name, Description: description, Document: fmt.Sprintf(serviceLinkedRoleTrustPolicyShape, svc.name),
		MaxSession: serviceLinkedRoleSessionDuration, Created: c.now, Updated: c.now, ServiceName: svc.name}
	ir := st.iamStore()
	ir.roles = append(ir.roles, r)
	v := viewRole(r, true, true)
	v.MaxSessionDuration, v.UpdateDate = 0, ""
	return struct{ Role serviceLinkedRoleView }{serviceLinkedRoleView{Arn: v.Arn, AssumeRolePolicyDocument: v.AssumeRolePolicyDocument,
		CreateDate: v.CreateDate, Description: v.Description, IsServiceLinkedRole: true, RoleId: v.RoleId,
		RoleName: v.RoleName, RolePrincipalName: v.RolePrincipalName}}, nil
}

// serviceLinkedRoleView is the Role of the CreateServiceLinkedRole reply.
type serviceLinkedRoleView struct {
	Arn                      string
	AssumeRolePolicyDocument string
	CreateDate               string
	Description              string
	IsServiceLinkedRole      bool
	RoleId                   string
	RoleName                 string
	RolePrincipalName        string
}

func deleteServiceLinkedRole(c *call) (any, error) {
	name := c.p.get("RoleName")
	r := c.findRole(name)
	if r == nil {
		return nil, errRoleNotFound
	}
	if r.ServiceName == "" {
		return nil, errNotServiceLinked
	}
	ir := c.st.iamStore()
	for _, d := range ir.deletions {
		if d.RoleID == r.ID && (d.Status == deletionNotStarted || d.Status == deletionInProgress) {
			return struct{ DeletionTaskId string }{d.ID}, nil // one task at a time per role
		}
	}
	d := &roleDeletion{ID: deletionTaskPrefix + r.ServiceName + "/" + r.Name + "/" + c.st.uuid(), Owner: c.caller.ID,
		RoleID: r.ID, RoleName: r.Name, Service: r.ServiceName, Seq: c.st.reqSeq, Due: c.now.Add(roleDeletionDelay),
		Status: deletionNotStarted}
	ir.deletions = append(ir.deletions, d)
	return struct{ DeletionTaskId string }{d.ID}, nil
}

type roleUsageView struct {
	Region    string
	Resources struct{ Resource []string }
}

type deletionReasonView struct {
	Message    string
	RoleUsages struct{ RoleUsage []roleUsageView }
}

type deletionStatusReply struct {
	Reason *deletionReasonView `json:",omitempty"`
	Status string
}

func getServiceLinkedRoleDeletionStatus(c *call) (any, error) {
	id := c.p.get("DeletionTaskId")
	if n := len(id); n < minDeletionTaskIDLength || n > maxDeletionTaskIDLength {
		return nil, errDeletionTaskIDLength
	}
	if !strings.HasPrefix(id, deletionTaskPrefix) || !validPrintable(id) {
		return nil, errDeletionTaskID
	}
	for _, d := range c.st.iamStore().deletions {
		if d.ID != id || d.Owner != c.caller.ID {
			continue
		}
		out := deletionStatusReply{Status: d.Status}
		if d.Status == deletionFailed {
			reason := &deletionReasonView{Message: "Service-Linked Role acs:ram::" + d.Owner + ":role/" + strings.ToLower(d.RoleName) +
				" cannot be deleted as it is in use by " + d.Service + "."}
			reason.RoleUsages.RoleUsage = []roleUsageView{}
			for _, u := range d.Usage {
				v := roleUsageView{Region: u.Region}
				v.Resources.Resource = append([]string{}, u.Resources...)
				reason.RoleUsages.RoleUsage = append(reason.RoleUsages.RoleUsage, v)
			}
			out.Reason = reason
		}
		return out, nil
	}
	return nil, errDeletionTaskNotFound
}
