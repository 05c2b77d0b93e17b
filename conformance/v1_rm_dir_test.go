package conformance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/alicloudtest"
)

// TestV1DirectoryLifecycle: with the v1 SDK, an emulator started without a
// resource directory answers the documented codes until the directory is
// enabled with a new management account (SendVerificationCodeForEnableRD,
// EnableResourceDirectory), and a directory back to its first state can be
// destroyed and created again (DestroyResourceDirectory,
// InitResourceDirectory). ListAncestors lists a folder's parents, root first.
func TestV1DirectoryLifecycle(t *testing.T) {
	t.Parallel()
	e := newV1(t, alicloudtest.WithoutResourceDirectory())
	rm := e.rm(t, e.keys(""))

	_, err := rm.GetResourceDirectory(resourcemanager.CreateGetResourceDirectoryRequest())
	requireV1Error(t, err, "ResourceDirectoryNotInUse", http.StatusNotFound)
	_, err = rm.DestroyResourceDirectory(resourcemanager.CreateDestroyResourceDirectoryRequest())
	requireV1Error(t, err, "EntityNotExists.ResourceDirectory", http.StatusNotFound)
	anc := resourcemanager.CreateListAncestorsRequest()
	anc.ChildId = "fd-0000000000"
	_, err = rm.ListAncestors(anc)
	requireV1Error(t, err, "EntityNotExists.ResourceDirectory", http.StatusNotFound)

	send := resourcemanager.CreateSendVerificationCodeForEnableRDRequest()
	send.SecureMobilePhone = "86-1390000"
	_, err = rm.SendVerificationCodeForEnableRD(send)
	require.NoError(t, err)
	_, err = rm.SendVerificationCodeForEnableRD(send)
	requireV1Error(t, err, "SendValidateCodeExceedsLimitForAccount", http.StatusConflict)
	code, err := e.srv.VerificationCode("")
	require.NoError(t, err)

	enable := resourcemanager.CreateEnableResourceDirectoryRequest()
	enable.EnableMode = "NewManagementAccount"
	enable.MAName = "rdadmin"
	enable.MASecureMobilePhone = send.SecureMobilePhone
	enable.VerificationCode = "000000"
	_, err = rm.EnableResourceDirectory(enable)
	requireV1Error(t, err, "Invalid.VerificationCode", http.StatusConflict)
	enable.VerificationCode = code
	out, err := rm.EnableResourceDirectory(enable)
	require.NoError(t, err)
	assert.Equal(t, e.srv.ManagementAccountID(), out.ResourceDirectory.MasterAccountId)
	assert.Equal(t, e.srv.ResourceDirectoryID(), out.ResourceDirectory.ResourceDirectoryId)
	_, err = time.Parse(time.RFC3339, out.ResourceDirectory.CreateTime)
	require.NoError(t, err)
	_, err = rm.InitResourceDirectory(resourcemanager.CreateInitResourceDirectoryRequest())
	requireV1Error(t, err, "NotSupport.AccountInAnotherResourceDirectory", http.StatusConflict)

	admin := e.rm(t, e.keys(out.ResourceDirectory.MasterAccountId))
	rd, err := admin.GetResourceDirectory(resourcemanager.CreateGetResourceDirectoryRequest())
	require.NoError(t, err)
	assert.Equal(t, out.ResourceDirectory.RootFolderId, rd.ResourceDirectory.RootFolderId)
	assert.NotEmpty(t, rd.ResourceDirectory.IdentityInformation)
	_, err = admin.EnableResourceDirectory(enable)
	requireV1Error(t, err, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict)

	cf := resourcemanager.CreateCreateFolderRequest()
	cf.FolderName = "parent"
	parent, err := admin.CreateFolder(cf)
	require.NoError(t, err)
	cf.FolderName = "child"
	cf.ParentFolderId = parent.Folder.FolderId
	child, err := admin.CreateFolder(cf)
	require.NoError(t, err)
	anc.ChildId = child.Folder.FolderId
	ancestors, err := admin.ListAncestors(anc)
	require.NoError(t, err)
	require.Len(t, ancestors.Folders.Folder, 2)
	assert.Equal(t, rd.ResourceDirectory.RootFolderId, ancestors.Folders.Folder[0].FolderId)
	assert.Equal(t, parent.Folder.FolderId, ancestors.Folders.Folder[1].FolderId)

	// The former account is a member: the directory cannot go.
	_, err = admin.DestroyResourceDirectory(resourcemanager.CreateDestroyResourceDirectoryRequest())
	requireV1Error(t, err, "DeleteConflict.ResourceDirectory.Account", http.StatusConflict)

	fresh := newV1(t, alicloudtest.WithoutResourceDirectory())
	frm := fresh.rm(t, fresh.keys(""))
	initOut, err := frm.InitResourceDirectory(resourcemanager.CreateInitResourceDirectoryRequest())
	require.NoError(t, err)
	assert.Equal(t, fresh.srv.ManagementAccountID(), initOut.ResourceDirectory.MasterAccountId)
	_, err = frm.InitResourceDirectory(resourcemanager.CreateInitResourceDirectoryRequest())
	requireV1Error(t, err, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict)
	_, err = frm.DestroyResourceDirectory(resourcemanager.CreateDestroyResourceDirectoryRequest())
	require.NoError(t, err)
	enable = resourcemanager.CreateEnableResourceDirectoryRequest()
	enable.EnableMode = "CurrentAccount"
	_, err = frm.EnableResourceDirectory(enable)
	require.NoError(t, err)
}

// TestV1AccountLifecycle: with the v1 SDK, a resource account's secure
// mobile number, a cloud account's pending creation and e-mail change, the
// payer of an account, and member deletion with its check, as documented.
func TestV1AccountLifecycle(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))

	cra := resourcemanager.CreateCreateResourceAccountRequest()
	cra.DisplayName = "payer"
	payer, err := rm.CreateResourceAccount(cra)
	require.NoError(t, err)
	cra.DisplayName = "lifecycle"
	cra.PayerAccountId = payer.Account.AccountId
	member, err := rm.CreateResourceAccount(cra)
	require.NoError(t, err)
	id := member.Account.AccountId

	gp := resourcemanager.CreateGetPayerForAccountRequest()
	gp.AccountId = id
	payerOut, err := rm.GetPayerForAccount(gp)
	require.NoError(t, err)
	assert.Equal(t, payer.Account.AccountId, payerOut.PayerAccountId)
	gp = resourcemanager.CreateGetPayerForAccountRequest()
	gp.AccountId = "1234567890123456"
	_, err = rm.GetPayerForAccount(gp)
	requireV1Error(t, err, "EntityNotExists.Account", http.StatusNotFound)

	// Secure mobile number.
	sc := resourcemanager.CreateSendVerificationCodeForBindSecureMobilePhoneRequest()
	sc.AccountId, sc.SecureMobilePhone = id, "86-13900001234"
	sent, err := rm.SendVerificationCodeForBindSecureMobilePhone(sc)
	require.NoError(t, err)
	assert.NotEmpty(t, sent.ExpirationDate)
	_, err = rm.SendVerificationCodeForBindSecureMobilePhone(sc)
	requireV1Error(t, err, "SendValidateCodeExceedsLimitForAccount", http.StatusConflict)
	bind := resourcemanager.CreateBindSecureMobilePhoneRequest()
	bind.AccountId, bind.SecureMobilePhone, bind.VerificationCode = id, sc.SecureMobilePhone, "999999"
	_, err = rm.BindSecureMobilePhone(bind)
	requireV1Error(t, err, "Invalid.VerificationCode", http.StatusConflict)
	bind.VerificationCode, err = e.srv.VerificationCode(id)
	require.NoError(t, err)
	_, err = rm.BindSecureMobilePhone(bind)
	require.NoError(t, err)
	_, err = rm.BindSecureMobilePhone(bind)
	requireV1Error(t, err, "AccountSecureMobileAlreadyExists", http.StatusConflict)

	// A cloud account whose creation is still pending.
	cca := resourcemanager.CreateCreateCloudAccountRequest()
	cca.DisplayName, cca.Email = "pending", "pending@example.com"
	pending, err := rm.CreateCloudAccount(cca)
	require.NoError(t, err)
	resend := resourcemanager.CreateResendCreateCloudAccountEmailRequest()
	resend.RecordId = pending.Account.RecordId
	resent, err := rm.ResendCreateCloudAccountEmail(resend)
	require.NoError(t, err)
	assert.Equal(t, "CreateVerifying", resent.Account.Status)
	_, err = rm.ResendCreateCloudAccountEmail(resend)
	requireV1Error(t, err, "LimitExceeded.Frequency", http.StatusConflict)
	cancel := resourcemanager.CreateCancelCreateCloudAccountRequest()
	cancel.RecordId = pending.Account.RecordId
	_, err = rm.CancelCreateCloudAccount(cancel)
	require.NoError(t, err)
	_, err = rm.CancelCreateCloudAccount(cancel)
	requireV1Error(t, err, "EntityNotExists.AccountRecord", http.StatusNotFound)

	// An e-mail change, confirmed by the test control.
	cca.DisplayName, cca.Email = "mail", "mail@example.com"
	cloud, err := rm.CreateCloudAccount(cca)
	require.NoError(t, err)
	e.srv.Advance(2 * time.Minute)
	change := resourcemanager.CreateChangeAccountEmailRequest()
	change.AccountId, change.Email = cloud.Account.AccountId, "new@example.com"
	_, err = rm.ChangeAccountEmail(change)
	require.NoError(t, err)
	ga := resourcemanager.CreateGetAccountRequest()
	ga.AccountId = cloud.Account.AccountId
	acc, err := rm.GetAccount(ga)
	require.NoError(t, err)
	assert.Equal(t, "WAIT_MODIFY", acc.Account.EmailStatus)
	retry := resourcemanager.CreateRetryChangeAccountEmailRequest()
	retry.AccountId = cloud.Account.AccountId
	_, err = rm.RetryChangeAccountEmail(retry)
	require.NoError(t, err)
	require.NoError(t, e.srv.ConfirmEmailChange(cloud.Account.AccountId))
	acc, err = rm.GetAccount(ga)
	require.NoError(t, err)
	assert.Equal(t, "new@example.com", acc.Account.AccountName)
	assert.Empty(t, acc.Account.EmailStatus)
	cancelChange := resourcemanager.CreateCancelChangeAccountEmailRequest()
	cancelChange.AccountId = cloud.Account.AccountId
	_, err = rm.CancelChangeAccountEmail(cancelChange)
	requireV1Error(t, err, "EntityNotExists.EmailModifyRecord", http.StatusNotFound)
	_, err = rm.RetryChangeAccountEmail(retry)
	requireV1Error(t, err, "EntityNotExists.EmailModifyRecord", http.StatusNotFound)
	change.AccountId = id // a resource account has no login address
	_, err = rm.ChangeAccountEmail(change)
	requireV1Error(t, err, "NotSupportedOperation.Account.EmailModify", http.StatusBadRequest)
	ga.AccountId = id
	acc, err = rm.GetAccount(ga)
	require.NoError(t, err)
	assert.Equal(t, "Root", acc.Account.Location)
	assert.NotEmpty(t, acc.Account.IdentityInformation)
	_, err = time.Parse(time.RFC3339, acc.Account.JoinTime)
	require.NoError(t, err)

	// Deletion: the payer's member cannot go first; a check that finds an
	// abandonable reason, then a deletion that waives it.
	del := resourcemanager.CreateDeleteAccountRequest()
	del.AccountId = id
	_, err = rm.DeleteAccount(del)
	requireV1Error(t, err, "NotSupport.HasPayerAccount", http.StatusConflict)
	pid := payer.Account.AccountId
	gr := resourcemanager.CreateGetAccountDeletionCheckResultRequest()
	gr.AccountId = pid
	_, err = rm.GetAccountDeletionCheckResult(gr)
	requireV1Error(t, err, "EntityNotExists.CheckAccount", http.StatusConflict)
	require.NoError(t, e.srv.BlockAccountDeletion(pid, alicloudtest.DeletionBlocker{CheckID: "NON_SP_ecs",
		CheckName: "Elastic Compute Service", Description: "An instance is running.", Abandonable: true}))
	chk := resourcemanager.CreateCheckAccountDeleteRequest()
	chk.AccountId = pid
	_, err = rm.CheckAccountDelete(chk)
	require.NoError(t, err)
	res, err := rm.GetAccountDeletionCheckResult(gr)
	require.NoError(t, err)
	assert.Equal(t, "PreChecking", res.AccountDeletionCheckResultInfo.Status)
	e.srv.Advance(time.Minute)
	res, err = rm.GetAccountDeletionCheckResult(gr)
	require.NoError(t, err)
	assert.Equal(t, "PreCheckComplete", res.AccountDeletionCheckResultInfo.Status)
	assert.Equal(t, "true", res.AccountDeletionCheckResultInfo.AllowDelete)
	require.Len(t, res.AccountDeletionCheckResultInfo.AbandonableChecks, 1)
	assert.Equal(t, "NON_SP_ecs", res.AccountDeletionCheckResultInfo.AbandonableChecks[0].CheckId)

	perm := resourcemanager.CreateSetMemberDeletionPermissionRequest()
	perm.Status = "Disabled"
	po, err := rm.SetMemberDeletionPermission(perm)
	require.NoError(t, err)
	assert.Equal(t, "Disabled", po.MemberDeletionStatus)
	del.AccountId = pid
	_, err = rm.DeleteAccount(del)
	requireV1Error(t, err, "NoLicense.ResourceDirectory", http.StatusConflict)
	perm.Status = "Enabled"
	_, err = rm.SetMemberDeletionPermission(perm)
	require.NoError(t, err)
	memberRM := e.rm(t, e.keys(id))
	_, err = memberRM.SetMemberDeletionPermission(perm)
	requireV1Error(t, err, "MemberAccountAccessDenied", http.StatusForbidden)

	del.AbandonableCheckId = &[]string{"NON_SP_ecs"}
	do, err := rm.DeleteAccount(del)
	require.NoError(t, err)
	assert.Equal(t, "0", do.DeletionType)
	_, err = rm.DeleteAccount(del)
	requireV1Error(t, err, "NotSupportedOperation.CheckingAccount", http.StatusConflict)
	gs := resourcemanager.CreateGetAccountDeletionStatusRequest()
	gs.AccountId = pid
	st, err := rm.GetAccountDeletionStatus(gs)
	require.NoError(t, err)
	assert.Equal(t, "Checking", st.RdAccountDeletionStatus.Status)
	e.srv.Advance(5 * time.Minute)
	st, err = rm.GetAccountDeletionStatus(gs)
	require.NoError(t, err)
	assert.Equal(t, "Success", st.RdAccountDeletionStatus.Status)
	assert.NotEmpty(t, st.RdAccountDeletionStatus.DeletionTime)
	gs.AccountId = "1234567890123456"
	_, err = rm.GetAccountDeletionStatus(gs)
	requireV1Error(t, err, "EntityNotExists.Account", http.StatusNotFound)

	// A reason that forbids deletion ends the deletion CheckFailed.
	// A fresh request: the v1 SDK keeps the parameters of a request it has
	// sent.
	cra = resourcemanager.CreateCreateResourceAccountRequest()
	cra.DisplayName = "blocked"
	blocked, err := rm.CreateResourceAccount(cra)
	require.NoError(t, err)
	require.NoError(t, e.srv.BlockAccountDeletion(blocked.Account.AccountId, alicloudtest.DeletionBlocker{
		CheckID: "NON_SP_efc", CheckName: "Enterprise finance", Description: "Financial association."}))
	del = resourcemanager.CreateDeleteAccountRequest()
	del.AccountId = blocked.Account.AccountId
	_, err = rm.DeleteAccount(del)
	require.NoError(t, err)
	e.srv.Advance(time.Minute)
	gs.AccountId = blocked.Account.AccountId
	st, err = rm.GetAccountDeletionStatus(gs)
	require.NoError(t, err)
	assert.Equal(t, "CheckFailed", st.RdAccountDeletionStatus.Status)
	require.Len(t, st.RdAccountDeletionStatus.FailReasonList, 1)
	assert.Equal(t, "Enterprise finance", st.RdAccountDeletionStatus.FailReasonList[0].Name)
}
