package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/signer"
)

// rmClient calls Resource Manager actions on one emulator as one account.
type rmClient struct {
	t  *testing.T
	s  *Service
	as string
}

// do calls an action and returns the HTTP status and the decoded body.
func (c rmClient) do(action string, kv ...string) (int, map[string]any) {
	c.t.Helper()
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	id, secret := c.s.Credentials(c.as)
	p.Set("Action", action)
	p.Set("Version", "2020-03-31")
	p.Set("AccessKeyId", id)
	p.Set("SignatureMethod", signer.V1Method)
	p.Set("SignatureVersion", signer.V1Version)
	p.Set("SignatureNonce", signer.Nonce())
	p.Set("Timestamp", signer.Timestamp(c.s.cfg.Wall()))
	rec := httptest.NewRecorder()
	c.s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/?"+signer.SignV1(http.MethodPost, p, secret), nil))
	var body map[string]any
	require.NoError(c.t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	return rec.Code, body
}

// ok calls an action that must succeed.
func (c rmClient) ok(action string, kv ...string) map[string]any {
	c.t.Helper()
	status, body := c.do(action, kv...)
	require.Equal(c.t, http.StatusOK, status, "%s: %v", action, body)
	return body
}

// fails calls an action that must fail with code and status.
func (c rmClient) fails(code string, status int, action string, kv ...string) {
	c.t.Helper()
	got, body := c.do(action, kv...)
	assert.Equal(c.t, code, body["Code"], "%s: %v", action, body)
	assert.Equal(c.t, status, got, "%s: HTTP status of %s", action, code)
}

// field walks a decoded body.
func field(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, k := range path {
		m, ok := v.(map[string]any)
		require.True(t, ok, "%s: not an object in %v", k, v)
		v = m[k]
	}
	return v
}

func items(t *testing.T, v any, path ...string) []any {
	t.Helper()
	arr, ok := field(t, v, path...).([]any)
	require.True(t, ok, "%v is not an array", path)
	return arr
}

const testDoc = `{"Statement":[{"Action":"oss:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`
const testDoc2 = `{"Statement":[{"Action":"ecs:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`

func TestPolicyVersions(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	rm.ok("CreatePolicy", "PolicyName", "p", "PolicyDocument", testDoc)
	got := rm.ok("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument", testDoc2)
	assert.Equal(t, "v2", field(t, got, "PolicyVersion", "VersionId"))
	assert.Equal(t, false, field(t, got, "PolicyVersion", "IsDefaultVersion"))
	pol := rm.ok("GetPolicy", "PolicyName", "p", "PolicyType", "Custom")
	assert.Equal(t, "v1", field(t, pol, "Policy", "DefaultVersion"))
	assert.Equal(t, testDoc, field(t, pol, "Policy", "PolicyDocument"))

	got = rm.ok("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument", testDoc2, "SetAsDefault", "true")
	assert.Equal(t, "v3", field(t, got, "PolicyVersion", "VersionId"))
	assert.Equal(t, true, field(t, got, "PolicyVersion", "IsDefaultVersion"))
	pol = rm.ok("GetPolicy", "PolicyName", "p", "PolicyType", "Custom")
	assert.Equal(t, "v3", field(t, pol, "Policy", "DefaultVersion"))
	assert.Equal(t, testDoc2, field(t, pol, "Policy", "PolicyDocument"))
	list := rm.ok("ListPolicies", "PolicyType", "Custom")
	assert.Equal(t, "v3", field(t, items(t, list, "Policies", "Policy")[0], "DefaultVersion"))

	v := rm.ok("GetPolicyVersion", "PolicyName", "p", "PolicyType", "Custom", "VersionId", "v1")
	assert.Equal(t, testDoc, field(t, v, "PolicyVersion", "PolicyDocument"))
	assert.Equal(t, false, field(t, v, "PolicyVersion", "IsDefaultVersion"))

	rm.ok("SetDefaultPolicyVersion", "PolicyName", "p", "VersionId", "v2")
	vs := items(t, rm.ok("ListPolicyVersions", "PolicyName", "p", "PolicyType", "Custom"), "PolicyVersions", "PolicyVersion")
	require.Len(t, vs, 3)
	for i, want := range []bool{false, true, false} {
		assert.Equal(t, want, field(t, vs[i], "IsDefaultVersion"), "v%d", i+1)
	}

	rm.fails("DeleteConflict.Policy.Version.Default", http.StatusConflict, "DeletePolicyVersion", "PolicyName", "p", "VersionId", "v2")
	rm.fails("DeleteConflict.Policy.Version", http.StatusConflict, "DeletePolicy", "PolicyName", "p")
	rm.ok("DeletePolicyVersion", "PolicyName", "p", "VersionId", "v3")
	rm.fails("EntityNotExist.Policy.Version", http.StatusNotFound, "GetPolicyVersion", "PolicyName", "p", "PolicyType", "Custom", "VersionId", "v3")
	rm.fails("EntityNotExist.Policy.Version", http.StatusNotFound, "SetDefaultPolicyVersion", "PolicyName", "p", "VersionId", "v3")
	rm.fails("EntityNotExist.Policy.Version", http.StatusNotFound, "DeletePolicyVersion", "PolicyName", "p", "VersionId", "v9")
	for _, bad := range []string{"3", "v", "v0", "v01", "vx"} {
		rm.fails("InvalidParameter.VersionId.Format", http.StatusBadRequest, "GetPolicyVersion", "PolicyName", "p", "PolicyType", "Custom", "VersionId", bad)
	}
	rm.fails("InvalidParameter.VersionId.Format", http.StatusBadRequest, "DeletePolicyVersion", "PolicyName", "p", "VersionId", "x")
	rm.fails("InvalidParameter.VersionId.Format", http.StatusBadRequest, "SetDefaultPolicyVersion", "PolicyName", "p", "VersionId", "x")

	// Five versions at most; numbers are not reused.
	for _, want := range []string{"v4", "v5", "v6"} {
		got = rm.ok("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument", testDoc)
		assert.Equal(t, want, field(t, got, "PolicyVersion", "VersionId"))
	}
	rm.fails("LimitExceeded.Policy.Version", http.StatusConflict, "CreatePolicyVersion", "PolicyName", "p", "PolicyDocument", testDoc)

	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "CreatePolicyVersion", "PolicyName", "nope", "PolicyDocument", testDoc)
	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "CreatePolicyVersion", "PolicyName", "ReadOnlyAccess", "PolicyDocument", testDoc)
	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "ListPolicyVersions", "PolicyName", "nope", "PolicyType", "Custom")
	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "DeletePolicyVersion", "PolicyName", "nope", "VersionId", "v1")
	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "SetDefaultPolicyVersion", "PolicyName", "nope", "VersionId", "v1")
	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "GetPolicyVersion", "PolicyName", "nope", "PolicyType", "Custom", "VersionId", "v1")
	rm.fails("InvalidParameter.PolicyName.InvalidChars", http.StatusBadRequest, "CreatePolicyVersion", "PolicyName", "a_b", "PolicyDocument", testDoc)
	rm.fails("InvalidParameter.PolicyType", http.StatusBadRequest, "ListPolicyVersions", "PolicyName", "p", "PolicyType", "Other")
	rm.fails("MalformedPolicyDocument", http.StatusConflict, "CreatePolicyVersion", "PolicyName", "p", "PolicyDocument", "{")

	// A system policy has the one version v1.
	vs = items(t, rm.ok("ListPolicyVersions", "PolicyName", "ReadOnlyAccess", "PolicyType", "System"), "PolicyVersions", "PolicyVersion")
	require.Len(t, vs, 1)
	assert.Equal(t, "v1", field(t, vs[0], "VersionId"))
	assert.Equal(t, true, field(t, vs[0], "IsDefaultVersion"))

	// Once only the default version is left, the policy can be deleted.
	for _, id := range []string{"v1", "v4", "v5"} {
		rm.ok("DeletePolicyVersion", "PolicyName", "p", "VersionId", id)
	}
	rm.ok("SetDefaultPolicyVersion", "PolicyName", "p", "VersionId", "v6")
	rm.ok("DeletePolicyVersion", "PolicyName", "p", "VersionId", "v2")
	rm.ok("DeletePolicy", "PolicyName", "p")
}

func TestServiceLinkedRoles(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	got := rm.ok("CreateServiceLinkedRole", "ServiceName", "hdr.aliyuncs.com")
	assert.Equal(t, "AliyunServiceRoleForHdr", field(t, got, "Role", "RoleName"))
	assert.Equal(t, true, field(t, got, "Role", "IsServiceLinkedRole"))
	assert.Equal(t, "acs:ram::"+DefaultManagementAccountID+":role/aliyunserviceroleforhdr", field(t, got, "Role", "Arn"))
	assert.Contains(t, field(t, got, "Role", "AssumeRolePolicyDocument"), `"Service":["hdr.aliyuncs.com"]`)
	role := rm.ok("GetRole", "RoleName", "AliyunServiceRoleForHdr")
	assert.Equal(t, true, field(t, role, "Role", "IsServiceLinkedRole"))

	rm.fails("EntityAlreadyExists.Role", http.StatusConflict, "CreateServiceLinkedRole", "ServiceName", "hdr.aliyuncs.com")
	rm.fails("EntityNotExist.Service", http.StatusNotFound, "CreateServiceLinkedRole", "ServiceName", "nothing.aliyuncs.com")
	rm.fails("InvalidParameter.CustomSuffix.NotAllowed", http.StatusBadRequest, "CreateServiceLinkedRole", "ServiceName", "config.aliyuncs.com", "CustomSuffix", "x")
	rm.fails("InvalidParameter.Description.NotAllowed", http.StatusBadRequest, "CreateServiceLinkedRole", "ServiceName", "config.aliyuncs.com", "Description", "mine")
	rm.fails("InvalidParameter.CustomSuffix.InvalidChars", http.StatusBadRequest, "CreateServiceLinkedRole", "ServiceName", "polardb.aliyuncs.com", "CustomSuffix", "a_b")
	long := "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	rm.fails("InvalidParameter.CustomSuffix.Length", http.StatusBadRequest, "CreateServiceLinkedRole", "ServiceName", "polardb.aliyuncs.com", "CustomSuffix", long)
	got = rm.ok("CreateServiceLinkedRole", "ServiceName", "polardb.aliyuncs.com", "CustomSuffix", "prod", "Description", "mine")
	assert.Equal(t, "AliyunServiceRoleForPolarDB_prod", field(t, got, "Role", "RoleName"))
	assert.Equal(t, "mine", field(t, got, "Role", "Description"))

	// A successful deletion: NOT_STARTED, then IN_PROGRESS, then SUCCEEDED
	// once the clock has moved.
	rm.fails("EntityNotExist.Role", http.StatusNotFound, "DeleteServiceLinkedRole", "RoleName", "Nobody")
	rm.ok("CreateRole", "RoleName", "plain", "AssumeRolePolicyDocument", testDoc)
	rm.fails("EntityNotExist.ServiceLinkedRole", http.StatusNotFound, "DeleteServiceLinkedRole", "RoleName", "plain")
	task := field(t, rm.ok("DeleteServiceLinkedRole", "RoleName", "AliyunServiceRoleForHdr"), "DeletionTaskId").(string)
	assert.Regexp(t, `^task/acs-service-role/hdr\.aliyuncs\.com/AliyunServiceRoleForHdr/[0-9a-f-]{36}$`, task)
	assert.Equal(t, task, field(t, rm.ok("DeleteServiceLinkedRole", "RoleName", "AliyunServiceRoleForHdr"), "DeletionTaskId"),
		"a second deletion while one is running reports the running task")
	st := rm.ok("GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", task)
	assert.Equal(t, "IN_PROGRESS", st["Status"])
	assert.NotContains(t, st, "Reason")
	rm.ok("GetRole", "RoleName", "AliyunServiceRoleForHdr")
	s.Advance(roleDeletionDelay)
	assert.Equal(t, "SUCCEEDED", rm.ok("GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", task)["Status"])
	rm.fails("EntityNotExist.Role", http.StatusNotFound, "GetRole", "RoleName", "AliyunServiceRoleForHdr")

	// A role in use: the task fails and says where the role is used.
	require.NoError(t, s.MarkServiceLinkedRoleInUse("", "AliyunServiceRoleForPolarDB_prod", "cn-hangzhou", "pc-1", "pc-2"))
	require.NoError(t, s.MarkServiceLinkedRoleInUse("", "AliyunServiceRoleForPolarDB_prod", "cn-beijing", "pc-3"))
	require.Error(t, s.MarkServiceLinkedRoleInUse("", "plain", "cn-hangzhou", "x"), "not a service-linked role")
	task = field(t, rm.ok("DeleteServiceLinkedRole", "RoleName", "AliyunServiceRoleForPolarDB_prod"), "DeletionTaskId").(string)
	s.Advance(roleDeletionDelay)
	st = rm.ok("GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", task)
	assert.Equal(t, "FAILED", st["Status"])
	assert.Contains(t, field(t, st, "Reason", "Message"), "in use by polardb.aliyuncs.com")
	usages := items(t, st, "Reason", "RoleUsages", "RoleUsage")
	require.Len(t, usages, 2)
	assert.Equal(t, "cn-hangzhou", field(t, usages[0], "Region"))
	assert.Equal(t, []any{"pc-1", "pc-2"}, field(t, usages[0], "Resources", "Resource"))
	assert.Equal(t, []any{"pc-3"}, field(t, usages[1], "Resources", "Resource"))
	rm.ok("GetRole", "RoleName", "AliyunServiceRoleForPolarDB_prod")
	require.NoError(t, s.ClearServiceLinkedRoleUsage("", "AliyunServiceRoleForPolarDB_prod"))
	task2 := field(t, rm.ok("DeleteServiceLinkedRole", "RoleName", "AliyunServiceRoleForPolarDB_prod"), "DeletionTaskId").(string)
	assert.NotEqual(t, task, task2)
	s.Advance(roleDeletionDelay)
	assert.Equal(t, "SUCCEEDED", rm.ok("GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", task2)["Status"])

	rm.fails("InvalidParameter.DeletionTaskId.Length", http.StatusBadRequest, "GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", "task/")
	rm.fails("InvalidParameter.DeletionTaskId", http.StatusBadRequest, "GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", "job/acs-service-role/hdr.aliyuncs.com/x")
	rm.fails("EntityNotExist.ServiceLinkedRole.DeletionTask", http.StatusNotFound, "GetServiceLinkedRoleDeletionStatus",
		"DeletionTaskId", "task/acs-service-role/hdr.aliyuncs.com/AliyunServiceRoleForHdr/00000000-0000-4000-8000-000000000000")
	// Tasks belong to their account.
	other := rmClient{t, s, "3000000000000003"}
	other.fails("EntityNotExist.ServiceLinkedRole.DeletionTask", http.StatusNotFound, "GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", task)
}

func TestServiceLinkedRoleDeletionStartsAfterTheCall(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	rm.ok("CreateServiceLinkedRole", "ServiceName", "config.aliyuncs.com")
	task := field(t, rm.ok("DeleteServiceLinkedRole", "RoleName", "AliyunServiceRoleForConfig"), "DeletionTaskId").(string)
	// The task was NOT_STARTED when the deletion answered; the state read
	// back directly shows it, before any later request moves it on.
	s.mu.Lock()
	status := s.st.iam.deletions[0].Status
	s.mu.Unlock()
	assert.Equal(t, "NOT_STARTED", status)
	assert.Equal(t, "IN_PROGRESS", rm.ok("GetServiceLinkedRoleDeletionStatus", "DeletionTaskId", task)["Status"])
}

func TestControlPolicySwitch(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	assert.Equal(t, "Enabled", rm.ok("GetControlPolicyEnablementStatus")["EnablementStatus"])
	assert.Equal(t, "Enabled", field(t, rm.ok("GetResourceDirectory"), "ResourceDirectory", "ControlPolicyStatus"))
	cp := field(t, rm.ok("CreateControlPolicy", "PolicyName", "deny", "EffectScope", "RAM", "PolicyDocument", testDoc), "ControlPolicy", "PolicyId").(string)
	f := field(t, rm.ok("CreateFolder", "FolderName", "f"), "Folder", "FolderId").(string)
	rm.ok("AttachControlPolicy", "PolicyId", cp, "TargetId", f)

	assert.Equal(t, "PendingDisable", rm.ok("DisableControlPolicy")["EnablementStatus"])
	assert.Equal(t, "PendingDisable", rm.ok("GetControlPolicyEnablementStatus")["EnablementStatus"])
	assert.Equal(t, "PendingDisable", field(t, rm.ok("GetResourceDirectory"), "ResourceDirectory", "ControlPolicyStatus"))
	rm.fails("Throttling.EnableControlPolicy", http.StatusConflict, "EnableControlPolicy")
	s.Advance(controlPolicySwitchDelay)
	assert.Equal(t, "Disabled", rm.ok("GetControlPolicyEnablementStatus")["EnablementStatus"])
	assert.Equal(t, "Disabled", field(t, rm.ok("GetResourceDirectory"), "ResourceDirectory", "ControlPolicyStatus"))
	assert.Equal(t, "Disabled", rm.ok("DisableControlPolicy")["EnablementStatus"], "disabling twice changes nothing")

	// Disabling detached every policy; policies stay but cannot be attached.
	assert.Empty(t, items(t, rm.ok("ListControlPolicyAttachmentsForTarget", "TargetId", f), "ControlPolicyAttachments", "ControlPolicyAttachment"))
	assert.Equal(t, "0", field(t, rm.ok("GetControlPolicy", "PolicyId", cp), "ControlPolicy", "AttachmentCount"))
	rm.fails("InvalidControlPolicyEnablementStatus", http.StatusConflict, "AttachControlPolicy", "PolicyId", cp, "TargetId", f)
	rm.fails("InvalidControlPolicyEnablementStatus", http.StatusConflict, "DetachControlPolicy", "PolicyId", cp, "TargetId", f)
	rm.ok("UpdateControlPolicy", "PolicyId", cp, "NewDescription", "still there")

	assert.Equal(t, "PendingEnable", rm.ok("EnableControlPolicy")["EnablementStatus"])
	assert.Equal(t, "PendingEnable", rm.ok("EnableControlPolicy")["EnablementStatus"])
	rm.fails("InvalidControlPolicyEnablementStatus", http.StatusConflict, "AttachControlPolicy", "PolicyId", cp, "TargetId", f)
	s.Advance(controlPolicySwitchDelay)
	assert.Equal(t, "Enabled", rm.ok("GetControlPolicyEnablementStatus")["EnablementStatus"])
	assert.Equal(t, "Enabled", field(t, rm.ok("GetResourceDirectory"), "ResourceDirectory", "ControlPolicyStatus"))
	// Enabling attached FullAliyunAccess everywhere again.
	on := items(t, rm.ok("ListControlPolicyAttachmentsForTarget", "TargetId", f), "ControlPolicyAttachments", "ControlPolicyAttachment")
	require.Len(t, on, 1)
	assert.Equal(t, "FullAliyunAccess", field(t, on[0], "PolicyName"))
	rm.ok("AttachControlPolicy", "PolicyId", cp, "TargetId", f)

	// Only the management account flips the switch.
	acc := field(t, rm.ok("CreateResourceAccount", "DisplayName", "member"), "Account", "AccountId").(string)
	member := rmClient{t, s, acc}
	member.fails("Forbidden.RAM", http.StatusForbidden, "EnableControlPolicy")
}

func TestControlPolicyInheritanceAndDeletion(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	root := s.RootFolderID()
	f := field(t, rm.ok("CreateFolder", "FolderName", "f"), "Folder", "FolderId").(string)
	acc := field(t, rm.ok("CreateResourceAccount", "DisplayName", "member", "ParentFolderId", f), "Account", "AccountId").(string)
	for _, target := range []string{root, f, acc} {
		on := items(t, rm.ok("ListControlPolicyAttachmentsForTarget", "TargetId", target), "ControlPolicyAttachments", "ControlPolicyAttachment")
		require.Len(t, on, 1, target)
		assert.Equal(t, "FullAliyunAccess", field(t, on[0], "PolicyName"), target)
		assert.Equal(t, "System", field(t, on[0], "PolicyType"), target)
	}
	cp := field(t, rm.ok("CreateControlPolicy", "PolicyName", "deny", "EffectScope", "RAM", "PolicyDocument", testDoc), "ControlPolicy", "PolicyId").(string)
	rm.ok("AttachControlPolicy", "PolicyId", cp, "TargetId", f)
	rm.ok("AttachControlPolicy", "PolicyId", cp, "TargetId", acc)
	assert.Equal(t, "2", field(t, rm.ok("GetControlPolicy", "PolicyId", cp), "ControlPolicy", "AttachmentCount"))

	// Attached anywhere, a policy cannot be deleted.
	rm.fails("DeleteConflict.Policy.Group", http.StatusConflict, "DeleteControlPolicy", "PolicyId", cp)
	rm.ok("DetachControlPolicy", "PolicyId", cp, "TargetId", f)
	rm.fails("DeleteConflict.Policy.Group", http.StatusConflict, "DeleteControlPolicy", "PolicyId", cp)
	rm.ok("DetachControlPolicy", "PolicyId", "p-FullAliyunAccess", "TargetId", acc)
	rm.fails("NotSupport.DetachLastControlPolicy", http.StatusBadRequest, "DetachControlPolicy", "PolicyId", cp, "TargetId", acc)
	rm.ok("AttachControlPolicy", "PolicyId", "p-FullAliyunAccess", "TargetId", acc)
	rm.ok("DetachControlPolicy", "PolicyId", cp, "TargetId", acc)
	rm.ok("DeleteControlPolicy", "PolicyId", cp)
	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "GetControlPolicy", "PolicyId", cp)

	// A detached FullAliyunAccess stays detached.
	rm.ok("AttachControlPolicy", "PolicyId", field(t, rm.ok("CreateControlPolicy", "PolicyName", "other", "EffectScope", "RAM",
		"PolicyDocument", testDoc), "ControlPolicy", "PolicyId").(string), "TargetId", f)
	rm.ok("DetachControlPolicy", "PolicyId", "p-FullAliyunAccess", "TargetId", f)
	on := items(t, rm.ok("ListControlPolicyAttachmentsForTarget", "TargetId", f), "ControlPolicyAttachments", "ControlPolicyAttachment")
	require.Len(t, on, 1)
	assert.Equal(t, "other", field(t, on[0], "PolicyName"))
	rm.fails("NotSupport.DetachLastControlPolicy", http.StatusBadRequest, "DetachControlPolicy", "PolicyId", "p-FullAliyunAccess", "TargetId", root)

	// An account that leaves and joins again gets FullAliyunAccess again.
	rm.ok("AttachControlPolicy", "PolicyId", field(t, rm.ok("CreateControlPolicy", "PolicyName", "third", "EffectScope", "RAM",
		"PolicyDocument", testDoc), "ControlPolicy", "PolicyId").(string), "TargetId", acc)
	rm.ok("DetachControlPolicy", "PolicyId", "p-FullAliyunAccess", "TargetId", acc)
	s.mu.Lock()
	s.st.accounts[acc].inRD = false
	s.mu.Unlock()
	rm.fails("EntityNotExists.Target", http.StatusNotFound, "ListControlPolicyAttachmentsForTarget", "TargetId", acc)
	s.mu.Lock()
	s.st.accounts[acc].inRD = true
	s.st.accounts[acc].JoinTime = s.st.accounts[acc].JoinTime.Add(time.Hour) // joined again
	s.mu.Unlock()
	on = items(t, rm.ok("ListControlPolicyAttachmentsForTarget", "TargetId", acc), "ControlPolicyAttachments", "ControlPolicyAttachment")
	require.Len(t, on, 1)
	assert.Equal(t, "FullAliyunAccess", field(t, on[0], "PolicyName"))
}

func TestUpdateControlPolicy(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	cp := field(t, rm.ok("CreateControlPolicy", "PolicyName", "a", "EffectScope", "RAM", "PolicyDocument", testDoc), "ControlPolicy", "PolicyId").(string)
	rm.ok("CreateControlPolicy", "PolicyName", "b", "EffectScope", "RAM", "PolicyDocument", testDoc)
	s.Advance(1e9)
	got := rm.ok("UpdateControlPolicy", "PolicyId", cp, "NewPolicyName", "c", "NewDescription", "new", "NewPolicyDocument", testDoc2)
	assert.Equal(t, "c", field(t, got, "ControlPolicy", "PolicyName"))
	assert.Equal(t, "new", field(t, got, "ControlPolicy", "Description"))
	assert.NotEqual(t, field(t, got, "ControlPolicy", "CreateDate"), field(t, got, "ControlPolicy", "UpdateDate"))
	assert.Equal(t, testDoc2, field(t, rm.ok("GetControlPolicy", "PolicyId", cp), "ControlPolicy", "PolicyDocument"))
	rm.fails("EntityAlreadyExists.Policy", http.StatusConflict, "UpdateControlPolicy", "PolicyId", cp, "NewPolicyName", "b")
	rm.fails("MalformedPolicyDocument", http.StatusConflict, "UpdateControlPolicy", "PolicyId", cp, "NewPolicyDocument", "{")
	rm.fails("EntityNotExist.Policy", http.StatusNotFound, "UpdateControlPolicy", "PolicyId", "p-FullAliyunAccess", "NewDescription", "x")
	big := make([]byte, 4097)
	for i := range big {
		big[i] = ' '
	}
	rm.fails("InvalidParameter.NewPolicyDocument.Length", http.StatusBadRequest, "UpdateControlPolicy", "PolicyId", cp, "NewPolicyDocument", string(big))
}

func TestDelegatedAdministrators(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	a1 := field(t, rm.ok("CreateResourceAccount", "DisplayName", "a1"), "Account", "AccountId").(string)
	a2 := field(t, rm.ok("CreateResourceAccount", "DisplayName", "a2"), "Account", "AccountId").(string)
	assert.Empty(t, items(t, rm.ok("ListTrustedServiceStatus"), "EnabledServicePrincipals", "EnabledServicePrincipal"))

	rm.ok("RegisterDelegatedAdministrator", "AccountId", a1, "ServicePrincipal", "cloudfw.aliyuncs.com")
	rm.ok("RegisterDelegatedAdministrator", "AccountId", a1, "ServicePrincipal", "config.aliyuncs.com")
	rm.ok("RegisterDelegatedAdministrator", "AccountId", a2, "ServicePrincipal", "config.aliyuncs.com")
	rm.fails("AccountAlreadyRegistered", http.StatusConflict, "RegisterDelegatedAdministrator", "AccountId", a1, "ServicePrincipal", "config.aliyuncs.com")
	rm.fails("InvalidParameter.ServicePrincipal", http.StatusConflict, "RegisterDelegatedAdministrator", "AccountId", a1, "ServicePrincipal", "nope.aliyuncs.com")
	rm.fails("CannotRegisterMasterAsDelegatedAdministrator", http.StatusConflict, "RegisterDelegatedAdministrator",
		"AccountId", s.ManagementAccountID(), "ServicePrincipal", "config.aliyuncs.com")
	rm.fails("EntityNotExists.Account", http.StatusNotFound, "RegisterDelegatedAdministrator", "AccountId", "3000000000000003", "ServicePrincipal", "config.aliyuncs.com")

	all := items(t, rm.ok("ListDelegatedAdministrators"), "Accounts", "Account")
	require.Len(t, all, 3)
	cfg := rm.ok("ListDelegatedAdministrators", "ServicePrincipal", "config.aliyuncs.com", "PageSize", "1")
	assert.EqualValues(t, 2, cfg["TotalCount"])
	page := items(t, cfg, "Accounts", "Account")
	require.Len(t, page, 1)
	assert.Equal(t, a1, field(t, page[0], "AccountId"))
	assert.Equal(t, "a1", field(t, page[0], "DisplayName"))
	assert.Equal(t, "created", field(t, page[0], "JoinMethod"))
	assert.Equal(t, "config.aliyuncs.com", field(t, page[0], "ServicePrincipal"))

	svcs := items(t, rm.ok("ListDelegatedServicesForAccount", "AccountId", a1), "DelegatedServices", "DelegatedService")
	require.Len(t, svcs, 2)
	assert.Equal(t, "cloudfw.aliyuncs.com", field(t, svcs[0], "ServicePrincipal"))
	assert.Equal(t, "ENABLED", field(t, svcs[0], "Status"))

	trusted := items(t, rm.ok("ListTrustedServiceStatus"), "EnabledServicePrincipals", "EnabledServicePrincipal")
	require.Len(t, trusted, 2)
	require.NoError(t, s.EnableTrustedService("actiontrail.aliyuncs.com"))
	require.Error(t, s.EnableTrustedService("nope.aliyuncs.com"))
	assert.Len(t, items(t, rm.ok("ListTrustedServiceStatus"), "EnabledServicePrincipals", "EnabledServicePrincipal"), 3)
	// A delegated administrator sees the services it administers.
	mine := items(t, rm.ok("ListTrustedServiceStatus", "AdminAccountId", a2), "EnabledServicePrincipals", "EnabledServicePrincipal")
	require.Len(t, mine, 1)
	assert.Equal(t, "config.aliyuncs.com", field(t, mine[0], "ServicePrincipal"))
	assert.Len(t, items(t, rmClient{t, s, a1}.ok("ListTrustedServiceStatus"), "EnabledServicePrincipals", "EnabledServicePrincipal"), 2)
	rmClient{t, s, "3000000000000003"}.fails("EntityNotExists.ResourceDirectory", http.StatusNotFound, "ListTrustedServiceStatus")

	rm.ok("DeregisterDelegatedAdministrator", "AccountId", a1, "ServicePrincipal", "config.aliyuncs.com")
	rm.fails("AccountNotRegistered", http.StatusConflict, "DeregisterDelegatedAdministrator", "AccountId", a1, "ServicePrincipal", "config.aliyuncs.com")
	rm.fails("InvalidParameter.ServicePrincipal", http.StatusConflict, "DeregisterDelegatedAdministrator", "AccountId", a1, "ServicePrincipal", "x")
	assert.Len(t, items(t, rm.ok("ListDelegatedServicesForAccount", "AccountId", a1), "DelegatedServices", "DelegatedService"), 1)
	rm.fails("EntityNotExists.Account", http.StatusNotFound, "ListDelegatedServicesForAccount", "AccountId", "3000000000000003")

	// The per-service limit.
	for i := 0; i < maxDelegatedAdmins; i++ {
		a := field(t, rm.ok("CreateResourceAccount", "DisplayName", "x"+string(rune('a'+i))), "Account", "AccountId").(string)
		rm.ok("RegisterDelegatedAdministrator", "AccountId", a, "ServicePrincipal", "actiontrail.aliyuncs.com")
	}
	rm.fails("DelegatedAccountNumberExceeded", http.StatusConflict, "RegisterDelegatedAdministrator", "AccountId", a2, "ServicePrincipal", "actiontrail.aliyuncs.com")

	// A member that leaves the directory stops being an administrator.
	before := len(items(t, rm.ok("ListDelegatedAdministrators", "ServicePrincipal", "config.aliyuncs.com"), "Accounts", "Account"))
	s.mu.Lock()
	s.st.accounts[a2].inRD = false
	s.mu.Unlock()
	after := items(t, rm.ok("ListDelegatedAdministrators", "ServicePrincipal", "config.aliyuncs.com"), "Accounts", "Account")
	assert.Equal(t, 1, before)
	assert.Empty(t, after)
}

func TestDelegatedAdministratorCannotBeDeleted(t *testing.T) {
	s := newTestService(t, Config{})
	rm := rmClient{t, s, ""}
	a := field(t, rm.ok("CreateResourceAccount", "DisplayName", "admin"), "Account", "AccountId").(string)
	rm.ok("RegisterDelegatedAdministrator", "AccountId", a, "ServicePrincipal", "cloudfw.aliyuncs.com")
	rm.fails("RemoveConfilctAccountAsDelegatedAdministator", http.StatusConflict, "CheckAccountDelete", "AccountId", a)
	rm.fails("RemoveConfilctAccountAsDelegatedAdministator", http.StatusConflict, "DeleteAccount", "AccountId", a)
	rm.ok("DeregisterDelegatedAdministrator", "AccountId", a, "ServicePrincipal", "cloudfw.aliyuncs.com")
	rm.ok("CheckAccountDelete", "AccountId", a)
}
