package conformance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	polDoc  = `{"Statement":[{"Action":"oss:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`
	polDoc2 = `{"Statement":[{"Action":"ecs:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`
)

// TestV1PolicyVersions covers CreatePolicyVersion, GetPolicyVersion,
// ListPolicyVersions, SetDefaultPolicyVersion and DeletePolicyVersion with
// the v1 SDK's typed requests, and GetPolicy following the default version.
func TestV1PolicyVersions(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))

	cp := resourcemanager.CreateCreatePolicyRequest()
	cp.PolicyName, cp.PolicyDocument = "conformance-versions", polDoc
	_, err := rm.CreatePolicy(cp)
	require.NoError(t, err)

	create := resourcemanager.CreateCreatePolicyVersionRequest()
	create.PolicyName, create.PolicyDocument, create.SetAsDefault = "conformance-versions", polDoc2, requests.NewBoolean(true)
	created, err := rm.CreatePolicyVersion(create)
	require.NoError(t, err)
	assert.NotEmpty(t, created.RequestId)
	assert.Equal(t, "v2", created.PolicyVersion.VersionId)
	assert.True(t, created.PolicyVersion.IsDefaultVersion)
	_, err = time.Parse(time.RFC3339, created.PolicyVersion.CreateDate)
	assert.NoError(t, err, "CreateDate %q", created.PolicyVersion.CreateDate)

	gp := resourcemanager.CreateGetPolicyRequest()
	gp.PolicyName, gp.PolicyType = "conformance-versions", "Custom"
	pol, err := rm.GetPolicy(gp)
	require.NoError(t, err)
	assert.Equal(t, "v2", pol.Policy.DefaultVersion)
	assert.Equal(t, polDoc2, pol.Policy.PolicyDocument)

	get := resourcemanager.CreateGetPolicyVersionRequest()
	get.PolicyName, get.PolicyType, get.VersionId = "conformance-versions", "Custom", "v1"
	v1, err := rm.GetPolicyVersion(get)
	require.NoError(t, err)
	assert.Equal(t, polDoc, v1.PolicyVersion.PolicyDocument)
	assert.False(t, v1.PolicyVersion.IsDefaultVersion)
	get.VersionId = "v7"
	_, err = rm.GetPolicyVersion(get)
	requireV1Error(t, err, "EntityNotExist.Policy.Version", http.StatusNotFound)
	get.VersionId = "seven"
	_, err = rm.GetPolicyVersion(get)
	requireV1Error(t, err, "InvalidParameter.VersionId.Format", http.StatusBadRequest)

	list := resourcemanager.CreateListPolicyVersionsRequest()
	list.PolicyName, list.PolicyType = "conformance-versions", "Custom"
	listed, err := rm.ListPolicyVersions(list)
	require.NoError(t, err)
	require.Len(t, listed.PolicyVersions.PolicyVersion, 2)
	assert.Equal(t, "v1", listed.PolicyVersions.PolicyVersion[0].VersionId)
	assert.True(t, listed.PolicyVersions.PolicyVersion[1].IsDefaultVersion)
	list.PolicyName = "conformance-missing"
	_, err = rm.ListPolicyVersions(list)
	requireV1Error(t, err, "EntityNotExist.Policy", http.StatusNotFound)

	del := resourcemanager.CreateDeletePolicyVersionRequest()
	del.PolicyName, del.VersionId = "conformance-versions", "v2"
	_, err = rm.DeletePolicyVersion(del)
	requireV1Error(t, err, "DeleteConflict.Policy.Version.Default", http.StatusConflict)

	set := resourcemanager.CreateSetDefaultPolicyVersionRequest()
	set.PolicyName, set.VersionId = "conformance-versions", "v1"
	_, err = rm.SetDefaultPolicyVersion(set)
	require.NoError(t, err)
	set.VersionId = "v9"
	_, err = rm.SetDefaultPolicyVersion(set)
	requireV1Error(t, err, "EntityNotExist.Policy.Version", http.StatusNotFound)

	dp := resourcemanager.CreateDeletePolicyRequest()
	dp.PolicyName = "conformance-versions"
	_, err = rm.DeletePolicy(dp)
	requireV1Error(t, err, "DeleteConflict.Policy.Version", http.StatusConflict)
	deleted, err := rm.DeletePolicyVersion(del)
	require.NoError(t, err)
	assert.NotEmpty(t, deleted.RequestId)

	for i := 0; i < 4; i++ {
		create.SetAsDefault = requests.NewBoolean(false)
		_, err = rm.CreatePolicyVersion(create)
		require.NoError(t, err)
	}
	_, err = rm.CreatePolicyVersion(create)
	requireV1Error(t, err, "LimitExceeded.Policy.Version", http.StatusConflict)
}

// TestV1ServiceLinkedRoles covers CreateServiceLinkedRole,
// DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus: a
// deletion that succeeds on the clock, and one that fails because the role
// is in use (alicloudtest's MarkServiceLinkedRoleInUse).
func TestV1ServiceLinkedRoles(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))

	create := resourcemanager.CreateCreateServiceLinkedRoleRequest()
	create.ServiceName = "polardb.aliyuncs.com"
	created, err := rm.CreateServiceLinkedRole(create)
	require.NoError(t, err)
	assert.Equal(t, "AliyunServiceRoleForPolarDB", created.Role.RoleName)
	assert.True(t, created.Role.IsServiceLinkedRole)
	assert.Equal(t, "acs:ram::"+e.srv.ManagementAccountID()+":role/aliyunserviceroleforpolardb", created.Role.Arn)
	assert.NotEmpty(t, created.Role.RoleId)
	_, err = rm.CreateServiceLinkedRole(create)
	requireV1Error(t, err, "EntityAlreadyExists.Role", http.StatusConflict)
	create.ServiceName = "unknown.aliyuncs.com"
	_, err = rm.CreateServiceLinkedRole(create)
	requireV1Error(t, err, "EntityNotExist.Service", http.StatusNotFound)
	create.ServiceName, create.CustomSuffix = "hdr.aliyuncs.com", "mine"
	_, err = rm.CreateServiceLinkedRole(create)
	requireV1Error(t, err, "InvalidParameter.CustomSuffix.NotAllowed", http.StatusBadRequest)
	create = resourcemanager.CreateCreateServiceLinkedRoleRequest() // v1 requests keep parameters once sent
	create.ServiceName = "hdr.aliyuncs.com"
	_, err = rm.CreateServiceLinkedRole(create)
	require.NoError(t, err)

	del := resourcemanager.CreateDeleteServiceLinkedRoleRequest()
	del.RoleName = "AliyunServiceRoleForPolarDB"
	task, err := rm.DeleteServiceLinkedRole(del)
	require.NoError(t, err)
	assert.Contains(t, task.DeletionTaskId, "task/acs-service-role/polardb.aliyuncs.com/AliyunServiceRoleForPolarDB/")
	status := resourcemanager.CreateGetServiceLinkedRoleDeletionStatusRequest()
	status.DeletionTaskId = task.DeletionTaskId
	st, err := rm.GetServiceLinkedRoleDeletionStatus(status)
	require.NoError(t, err)
	assert.Equal(t, "IN_PROGRESS", st.Status)
	e.srv.Advance(time.Minute)
	st, err = rm.GetServiceLinkedRoleDeletionStatus(status)
	require.NoError(t, err)
	assert.Equal(t, "SUCCEEDED", st.Status)
	_, err = rm.DeleteServiceLinkedRole(del)
	requireV1Error(t, err, "EntityNotExist.Role", http.StatusNotFound)

	require.NoError(t, e.srv.MarkServiceLinkedRoleInUse("", "AliyunServiceRoleForHdr", "cn-shanghai", "hdr-1"))
	del.RoleName = "AliyunServiceRoleForHdr"
	task, err = rm.DeleteServiceLinkedRole(del)
	require.NoError(t, err)
	e.srv.Advance(time.Minute)
	status.DeletionTaskId = task.DeletionTaskId
	st, err = rm.GetServiceLinkedRoleDeletionStatus(status)
	require.NoError(t, err)
	assert.Equal(t, "FAILED", st.Status)
	assert.NotEmpty(t, st.Reason.Message)
	require.Len(t, st.Reason.RoleUsages.RoleUsage, 1)
	assert.Equal(t, "cn-shanghai", st.Reason.RoleUsages.RoleUsage[0].Region)
	assert.Equal(t, []string{"hdr-1"}, st.Reason.RoleUsages.RoleUsage[0].Resources.Resource)

	status.DeletionTaskId = "task/acs-service-role/hdr.aliyuncs.com/AliyunServiceRoleForHdr/00000000-0000-4000-8000-000000000000"
	_, err = rm.GetServiceLinkedRoleDeletionStatus(status)
	requireV1Error(t, err, "EntityNotExist.ServiceLinkedRole.DeletionTask", http.StatusNotFound)
}

// TestV1ControlPolicySwitch covers EnableControlPolicy,
// DisableControlPolicy, GetControlPolicyEnablementStatus and
// UpdateControlPolicy, GetResourceDirectory.ControlPolicyStatus following
// the switch, and the inheritance of FullAliyunAccess by new folders.
func TestV1ControlPolicySwitch(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))
	rdStatus := func() string {
		t.Helper()
		rd, err := rm.GetResourceDirectory(resourcemanager.CreateGetResourceDirectoryRequest())
		require.NoError(t, err)
		return rd.ResourceDirectory.ControlPolicyStatus
	}

	st, err := rm.GetControlPolicyEnablementStatus(resourcemanager.CreateGetControlPolicyEnablementStatusRequest())
	require.NoError(t, err)
	assert.Equal(t, "Enabled", st.EnablementStatus)
	assert.Equal(t, "Enabled", rdStatus())

	// A new folder has FullAliyunAccess, so a custom policy can be detached.
	cf := resourcemanager.CreateCreateFolderRequest()
	cf.FolderName = "conformance"
	folder, err := rm.CreateFolder(cf)
	require.NoError(t, err)
	ccp := resourcemanager.CreateCreateControlPolicyRequest()
	ccp.PolicyName, ccp.EffectScope, ccp.PolicyDocument = "conformance-deny", "RAM", polDoc
	cp, err := rm.CreateControlPolicy(ccp)
	require.NoError(t, err)
	attach := resourcemanager.CreateAttachControlPolicyRequest()
	attach.PolicyId, attach.TargetId = cp.ControlPolicy.PolicyId, folder.Folder.FolderId
	_, err = rm.AttachControlPolicy(attach)
	require.NoError(t, err)
	dcp := resourcemanager.CreateDeleteControlPolicyRequest()
	dcp.PolicyId = cp.ControlPolicy.PolicyId
	_, err = rm.DeleteControlPolicy(dcp)
	requireV1Error(t, err, "DeleteConflict.Policy.Group", http.StatusConflict)
	detach := resourcemanager.CreateDetachControlPolicyRequest()
	detach.PolicyId, detach.TargetId = cp.ControlPolicy.PolicyId, folder.Folder.FolderId
	_, err = rm.DetachControlPolicy(detach)
	require.NoError(t, err)
	detach.PolicyId = "p-FullAliyunAccess"
	_, err = rm.DetachControlPolicy(detach)
	requireV1Error(t, err, "NotSupport.DetachLastControlPolicy", http.StatusBadRequest)

	up := resourcemanager.CreateUpdateControlPolicyRequest()
	up.PolicyId, up.NewPolicyName, up.NewDescription = cp.ControlPolicy.PolicyId, "conformance-renamed", "renamed"
	updated, err := rm.UpdateControlPolicy(up)
	require.NoError(t, err)
	assert.Equal(t, "conformance-renamed", updated.ControlPolicy.PolicyName)
	assert.Equal(t, "renamed", updated.ControlPolicy.Description)
	assert.Equal(t, "0", updated.ControlPolicy.AttachmentCount)
	up = resourcemanager.CreateUpdateControlPolicyRequest()
	up.PolicyId, up.NewPolicyDocument = cp.ControlPolicy.PolicyId, string(make([]byte, 4097))
	_, err = rm.UpdateControlPolicy(up)
	requireV1Error(t, err, "InvalidParameter.NewPolicyDocument.Length", http.StatusBadRequest)

	off, err := rm.DisableControlPolicy(resourcemanager.CreateDisableControlPolicyRequest())
	require.NoError(t, err)
	assert.Equal(t, "PendingDisable", off.EnablementStatus)
	assert.Equal(t, "PendingDisable", rdStatus())
	_, err = rm.EnableControlPolicy(resourcemanager.CreateEnableControlPolicyRequest())
	requireV1Error(t, err, "Throttling.EnableControlPolicy", http.StatusConflict)
	e.srv.Advance(time.Minute)
	assert.Equal(t, "Disabled", rdStatus())

	on, err := rm.EnableControlPolicy(resourcemanager.CreateEnableControlPolicyRequest())
	require.NoError(t, err)
	assert.Equal(t, "PendingEnable", on.EnablementStatus)
	e.srv.Advance(time.Minute)
	st, err = rm.GetControlPolicyEnablementStatus(resourcemanager.CreateGetControlPolicyEnablementStatusRequest())
	require.NoError(t, err)
	assert.Equal(t, "Enabled", st.EnablementStatus)
	assert.Equal(t, "Enabled", rdStatus())
}

// TestV1DelegatedAdministrators covers RegisterDelegatedAdministrator,
// DeregisterDelegatedAdministrator, ListDelegatedAdministrators,
// ListDelegatedServicesForAccount and ListTrustedServiceStatus.
func TestV1DelegatedAdministrators(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))
	ca := resourcemanager.CreateCreateResourceAccountRequest()
	ca.DisplayName = "conformance-admin"
	acc, err := rm.CreateResourceAccount(ca)
	require.NoError(t, err)
	id := acc.Account.AccountId

	reg := resourcemanager.CreateRegisterDelegatedAdministratorRequest()
	reg.AccountId, reg.ServicePrincipal = id, "cloudfw.aliyuncs.com"
	registered, err := rm.RegisterDelegatedAdministrator(reg)
	require.NoError(t, err)
	assert.NotEmpty(t, registered.RequestId)
	_, err = rm.RegisterDelegatedAdministrator(reg)
	requireV1Error(t, err, "AccountAlreadyRegistered", http.StatusConflict)
	reg.ServicePrincipal = "nothing.aliyuncs.com"
	_, err = rm.RegisterDelegatedAdministrator(reg)
	requireV1Error(t, err, "InvalidParameter.ServicePrincipal", http.StatusConflict)
	reg.AccountId, reg.ServicePrincipal = e.srv.ManagementAccountID(), "config.aliyuncs.com"
	_, err = rm.RegisterDelegatedAdministrator(reg)
	requireV1Error(t, err, "CannotRegisterMasterAsDelegatedAdministrator", http.StatusConflict)

	list := resourcemanager.CreateListDelegatedAdministratorsRequest()
	list.ServicePrincipal = "cloudfw.aliyuncs.com"
	admins, err := rm.ListDelegatedAdministrators(list)
	require.NoError(t, err)
	assert.EqualValues(t, 1, admins.TotalCount)
	require.Len(t, admins.Accounts.Account, 1)
	assert.Equal(t, id, admins.Accounts.Account[0].AccountId)
	assert.Equal(t, "conformance-admin", admins.Accounts.Account[0].DisplayName)
	assert.Equal(t, "cloudfw.aliyuncs.com", admins.Accounts.Account[0].ServicePrincipal)

	ls := resourcemanager.CreateListDelegatedServicesForAccountRequest()
	ls.AccountId = id
	svcs, err := rm.ListDelegatedServicesForAccount(ls)
	require.NoError(t, err)
	require.Len(t, svcs.DelegatedServices.DelegatedService, 1)
	assert.Equal(t, "ENABLED", svcs.DelegatedServices.DelegatedService[0].Status)

	require.NoError(t, e.srv.EnableTrustedService("config.aliyuncs.com"))
	trusted, err := rm.ListTrustedServiceStatus(resourcemanager.CreateListTrustedServiceStatusRequest())
	require.NoError(t, err)
	assert.Equal(t, 2, trusted.TotalCount)
	require.Len(t, trusted.EnabledServicePrincipals.EnabledServicePrincipal, 2)
	assert.Equal(t, "cloudfw.aliyuncs.com", trusted.EnabledServicePrincipals.EnabledServicePrincipal[0].ServicePrincipal)
	outsider := e.rm(t, e.keys(outsideA))
	_, err = outsider.ListTrustedServiceStatus(resourcemanager.CreateListTrustedServiceStatusRequest())
	requireV1Error(t, err, "EntityNotExists.ResourceDirectory", http.StatusNotFound)

	dereg := resourcemanager.CreateDeregisterDelegatedAdministratorRequest()
	dereg.AccountId, dereg.ServicePrincipal = id, "cloudfw.aliyuncs.com"
	_, err = rm.DeregisterDelegatedAdministrator(dereg)
	require.NoError(t, err)
	_, err = rm.DeregisterDelegatedAdministrator(dereg)
	requireV1Error(t, err, "AccountNotRegistered", http.StatusConflict)
}
