package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/signer"
)

const dirRMVersion = "2020-03-31"

// dirCall sends a signed Resource Manager request as an account ("" is the
// management account) and returns the HTTP status and decoded body. Every
// successful reply is checked against the model's response fields.
func dirCall(t *testing.T, s *Service, as, action string, kv ...string) (int, map[string]any) {
	t.Helper()
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	id, secret := s.Credentials(as)
	p.Set("Action", action)
	p.Set("Version", dirRMVersion)
	p.Set("AccessKeyId", id)
	p.Set("SignatureMethod", signer.V1Method)
	p.Set("SignatureVersion", signer.V1Version)
	p.Set("SignatureNonce", signer.Nonce())
	p.Set("Timestamp", signer.Timestamp(s.cfg.Wall()))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/?"+signer.SignV1(http.MethodPost, p, secret), nil))
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	if rec.Code == http.StatusOK {
		checkShape(t, action, s.products[dirRMVersion].ops[action].Response, body, "")
	}
	return rec.Code, body
}

// dirOK is dirCall for a call that must succeed.
func dirOK(t *testing.T, s *Service, as, action string, kv ...string) map[string]any {
	t.Helper()
	code, body := dirCall(t, s, as, action, kv...)
	require.Equal(t, http.StatusOK, code, "%s: %v", action, body)
	return body
}

// dirErr is dirCall for a call that must fail with code and status.
func dirErr(t *testing.T, s *Service, code string, status int, as, action string, kv ...string) {
	t.Helper()
	got, body := dirCall(t, s, as, action, kv...)
	assert.Equal(t, code, body["Code"], "%s: %v", action, body)
	assert.Equal(t, status, got, "%s: %v", action, body)
}

func dirField(t *testing.T, m map[string]any, path ...string) any {
	t.Helper()
	var v any = m
	for _, k := range path {
		obj, ok := v.(map[string]any)
		require.True(t, ok, "%v at %s", m, k)
		v = obj[k]
	}
	return v
}

func dirStr(t *testing.T, m map[string]any, path ...string) string {
	t.Helper()
	s, _ := dirField(t, m, path...).(string)
	return s
}

// directoryShapeCalls exercises, with shape checks, the directory and
// account lifecycle operations on s (whose directory is enabled) and on a
// fresh emulator without a directory. It returns the actions it covered.
func directoryShapeCalls(t *testing.T, s *Service) []string {
	t.Helper()
	f1 := dirStr(t, dirOK(t, s, "", "CreateFolder", "FolderName", "anc1"), "Folder", "FolderId")
	f2 := dirStr(t, dirOK(t, s, "", "CreateFolder", "FolderName", "anc2", "ParentFolderId", f1), "Folder", "FolderId")
	dirOK(t, s, "", "ListAncestors", "ChildId", f2)

	ra := dirStr(t, dirOK(t, s, "", "CreateResourceAccount", "DisplayName", "lifecycle"), "Account", "AccountId")
	dirOK(t, s, "", "SendVerificationCodeForBindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", "86-13900001234")
	code, err := s.VerificationCode(ra)
	require.NoError(t, err)
	dirOK(t, s, "", "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", "86-13900001234", "VerificationCode", code)
	dirOK(t, s, "", "GetPayerForAccount", "AccountId", ra)

	rec := dirStr(t, dirOK(t, s, "", "CreateCloudAccount", "DisplayName", "pending", "Email", "pending@example.com"), "Account", "RecordId")
	dirOK(t, s, "", "ResendCreateCloudAccountEmail", "RecordId", rec)
	dirOK(t, s, "", "CancelCreateCloudAccount", "RecordId", rec)

	ca := dirStr(t, dirOK(t, s, "", "CreateCloudAccount", "DisplayName", "mail", "Email", "mail@example.com"), "Account", "AccountId")
	s.Advance(cloudAccountCreateDelay)
	dirOK(t, s, "", "GetAccount", "AccountId", ca) // settles the creation
	dirOK(t, s, "", "ChangeAccountEmail", "AccountId", ca, "Email", "mail2@example.com")
	dirOK(t, s, "", "GetAccount", "AccountId", ca)
	dirOK(t, s, "", "RetryChangeAccountEmail", "AccountId", ca)
	dirOK(t, s, "", "CancelChangeAccountEmail", "AccountId", ca)

	require.NoError(t, s.BlockAccountDeletion(ra, DeletionBlocker{CheckID: "NON_SP_ecs", CheckName: "ECS",
		Description: "instances run", Abandonable: true}))
	require.NoError(t, s.BlockAccountDeletion(ra, DeletionBlocker{CheckID: "NON_SP_efc", CheckName: "Finance",
		Description: "financial tie"}))
	dirOK(t, s, "", "CheckAccountDelete", "AccountId", ra)
	s.Advance(deletionCheckDelay)
	dirOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	dirOK(t, s, "", "DeleteAccount", "AccountId", ra, "AbandonableCheckId.1", "NON_SP_ecs")
	s.Advance(deletionCheckDelay)
	dirOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	dirOK(t, s, "", "SetMemberDeletionPermission", "Status", "Disabled")
	dirOK(t, s, "", "SetMemberDeletionPermission", "Status", "Enabled")

	bare := newTestService(t, Config{WithoutResourceDirectory: true})
	dirOK(t, bare, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", "86-13900001234")
	code, err = bare.VerificationCode("")
	require.NoError(t, err)
	dirOK(t, bare, "", "EnableResourceDirectory", "EnableMode", "NewManagementAccount", "MAName", "admin",
		"MASecureMobilePhone", "86-13900001234", "VerificationCode", code)
	ma := bare.ManagementAccountID()
	require.NotEqual(t, DefaultManagementAccountID, ma)
	// The former account is now a member: it must leave before the
	// directory can go.
	dirOK(t, bare, ma, "CreateFolder", "FolderName", "x")
	dirErr(t, bare, "DeleteConflict.ResourceDirectory.Account", http.StatusConflict, ma, "DestroyResourceDirectory")
	fresh := newTestService(t, Config{WithoutResourceDirectory: true})
	dirOK(t, fresh, "", "InitResourceDirectory")
	dirOK(t, fresh, "", "DestroyResourceDirectory")
	return []string{"ListAncestors", "SendVerificationCodeForBindSecureMobilePhone", "BindSecureMobilePhone",
		"GetPayerForAccount", "ResendCreateCloudAccountEmail", "CancelCreateCloudAccount", "ChangeAccountEmail",
		"RetryChangeAccountEmail", "CancelChangeAccountEmail", "CheckAccountDelete", "GetAccountDeletionCheckResult",
		"GetAccountDeletionStatus", "SetMemberDeletionPermission", "SendVerificationCodeForEnableRD",
		"EnableResourceDirectory", "InitResourceDirectory", "DestroyResourceDirectory"}
}

func TestWithoutResourceDirectory(t *testing.T) {
	s := newTestService(t, Config{WithoutResourceDirectory: true})
	assert.Empty(t, s.ResourceDirectoryID())
	dirErr(t, s, "ResourceDirectoryNotInUse", http.StatusNotFound, "", "GetResourceDirectory")
	dirErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "CreateFolder", "FolderName", "f")
	dirErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "ListAncestors", "ChildId", "fd-0000000000")
	dirErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "DestroyResourceDirectory")
	dirErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "SetMemberDeletionPermission", "Status", "Enabled")

	rd := dirOK(t, s, "", "EnableResourceDirectory", "EnableMode", "CurrentAccount")
	assert.Equal(t, DefaultManagementAccountID, dirStr(t, rd, "ResourceDirectory", "MasterAccountId"))
	assert.Equal(t, s.ResourceDirectoryID(), dirStr(t, rd, "ResourceDirectory", "ResourceDirectoryId"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, dirStr(t, rd, "ResourceDirectory", "CreateTime"))
	got := dirOK(t, s, "", "GetResourceDirectory")
	assert.Equal(t, s.RootFolderID(), dirStr(t, got, "ResourceDirectory", "RootFolderId"))
	assert.Equal(t, "Enabled", dirStr(t, got, "ResourceDirectory", "MemberDeletionStatus"))
	assert.NotEmpty(t, dirStr(t, got, "ResourceDirectory", "IdentityInformation"))
	dirErr(t, s, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict, "", "EnableResourceDirectory", "EnableMode", "CurrentAccount")
	dirErr(t, s, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict, "", "InitResourceDirectory")
	dirErr(t, s, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict, "", "SendVerificationCodeForEnableRD",
		"SecureMobilePhone", "86-13900001234")

	// A member of the directory cannot create one of its own.
	m := dirStr(t, dirOK(t, s, "", "CreateResourceAccount", "DisplayName", "mm"), "Account", "AccountId")
	dirErr(t, s, "NotSupport.AccountInAnotherResourceDirectory", http.StatusConflict, m, "InitResourceDirectory")
	dirErr(t, s, "DeleteConflict.ResourceDirectory.Account", http.StatusConflict, "", "DestroyResourceDirectory")
	dirOK(t, s, "", "DeleteAccount", "AccountId", m)
	s.Advance(deletionCheckDelay + deletionDelay)
	f := dirStr(t, dirOK(t, s, "", "CreateFolder", "FolderName", "f"), "Folder", "FolderId")
	dirErr(t, s, "DeleteConflict.ResourceDirectory.Account", http.StatusConflict, "", "DestroyResourceDirectory")
	dirOK(t, s, "", "DeleteFolder", "FolderId", f)
	dirOK(t, s, "", "DestroyResourceDirectory")
	dirErr(t, s, "ResourceDirectoryNotInUse", http.StatusNotFound, "", "GetResourceDirectory")
	assert.Empty(t, s.ResourceDirectoryID())
	dirOK(t, s, "", "InitResourceDirectory")
	dirOK(t, s, "", "GetResourceDirectory")
}

func TestEnableWithNewManagementAccount(t *testing.T) {
	s := newTestService(t, Config{WithoutResourceDirectory: true})
	const phone = "86-13900001234"
	dirErr(t, s, "InvalidParameter.MobileCountryCode", http.StatusConflict, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", "13900001234")
	_, err := s.VerificationCode("")
	require.ErrorIs(t, err, ErrNoPendingChange)
	dirOK(t, s, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", phone)
	dirErr(t, s, "SendValidateCodeExceedsLimitForAccount", http.StatusConflict, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", phone)
	code, err := s.VerificationCode("")
	require.NoError(t, err)
	enable := func(kv ...string) []string {
		return append([]string{"EnableMode", "NewManagementAccount"}, kv...)
	}
	dirErr(t, s, "InvalidParameter.ManagementAccountName", http.StatusConflict, "", "EnableResourceDirectory", enable("MAName", "-bad")...)
	dirErr(t, s, "MissingSecureMobilePhone", http.StatusConflict, "", "EnableResourceDirectory", enable("MAName", "admin")...)
	dirErr(t, s, "MissingSecurityInfo", http.StatusConflict, "", "EnableResourceDirectory", enable("MAName", "admin", "MASecureMobilePhone", phone)...)
	dirErr(t, s, "InvalidParameter.ManagementAccountSecurityInfo", http.StatusConflict, "", "EnableResourceDirectory",
		enable("MAName", "admin", "MASecureMobilePhone", "x", "VerificationCode", code)...)
	dirErr(t, s, "Invalid.VerificationCode", http.StatusConflict, "", "EnableResourceDirectory",
		enable("MAName", "admin", "MASecureMobilePhone", phone, "VerificationCode", "000000x")...)
	rd := dirOK(t, s, "", "EnableResourceDirectory", enable("MAName", "admin", "MASecureMobilePhone", phone, "VerificationCode", code)...)
	ma := dirStr(t, rd, "ResourceDirectory", "MasterAccountId")
	assert.Equal(t, ma, s.ManagementAccountID())
	assert.Equal(t, "admin@rdadmin.aliyunid.com", dirStr(t, rd, "ResourceDirectory", "MasterAccountName"))
	// The code works once; the former account is a member now.
	acc := dirOK(t, s, ma, "GetAccount", "AccountId", DefaultManagementAccountID)
	assert.Equal(t, "invited", dirStr(t, acc, "Account", "JoinMethod"))

	s2 := newTestService(t, Config{WithoutResourceDirectory: true})
	dirOK(t, s2, "", "InitResourceDirectory")
	s3 := newTestService(t, Config{WithoutResourceDirectory: true, ManagementAccountID: "1000000000000009"})
	dirOK(t, s3, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", phone)
	code, err = s3.VerificationCode("")
	require.NoError(t, err)
	dirOK(t, s2, "", "GetResourceDirectory")
	s3.mu.Lock()
	taken := s3.st.accounts["1000000000000009"].AccountName
	s3.mu.Unlock()
	dirErr(t, s3, "InvalidParameter.ManagementAccountName.AlreadyUsed", http.StatusConflict, "", "EnableResourceDirectory",
		enable("MAName", taken, "MASecureMobilePhone", phone, "VerificationCode", code)...)
}

func TestListAncestors(t *testing.T) {
	s := newTestService(t, Config{})
	f1 := dirStr(t, dirOK(t, s, "", "CreateFolder", "FolderName", "a"), "Folder", "FolderId")
	f2 := dirStr(t, dirOK(t, s, "", "CreateFolder", "FolderName", "b", "ParentFolderId", f1), "Folder", "FolderId")
	f3 := dirStr(t, dirOK(t, s, "", "CreateFolder", "FolderName", "c", "ParentFolderId", f2), "Folder", "FolderId")
	got := dirField(t, dirOK(t, s, "", "ListAncestors", "ChildId", f3), "Folders", "Folder").([]any)
	var ids []string
	for _, f := range got {
		ids = append(ids, f.(map[string]any)["FolderId"].(string))
	}
	assert.Equal(t, []string{s.RootFolderID(), f1, f2}, ids)
	dirErr(t, s, "InvalidParameter.ChildId", http.StatusBadRequest, "", "ListAncestors", "ChildId", "x")
	dirErr(t, s, "EntityNotExists.Folder", http.StatusNotFound, "", "ListAncestors", "ChildId", "fd-0000000000")
	dirErr(t, s, "MissingParameter.ChildId", http.StatusBadRequest, "", "ListAncestors")
}

func TestSecureMobilePhone(t *testing.T) {
	s := newTestService(t, Config{})
	const phone = "86-13900001234"
	ra := dirStr(t, dirOK(t, s, "", "CreateResourceAccount", "DisplayName", "rr"), "Account", "AccountId")
	dirErr(t, s, "InvalidParameter.MobileCountryCode", http.StatusConflict, "", "SendVerificationCodeForBindSecureMobilePhone",
		"AccountId", ra, "SecureMobilePhone", "+86 139")
	dirErr(t, s, "NotSupport.AccountInAnotherResourceDirectory", http.StatusConflict, "", "SendVerificationCodeForBindSecureMobilePhone",
		"AccountId", "1234567890123456", "SecureMobilePhone", phone)
	exp := dirStr(t, dirOK(t, s, "", "SendVerificationCodeForBindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone), "ExpirationDate")
	assert.Regexp(t, `Z$`, exp)
	dirErr(t, s, "SendValidateCodeExceedsLimitForAccount", http.StatusConflict, "", "SendVerificationCodeForBindSecureMobilePhone",
		"AccountId", ra, "SecureMobilePhone", phone)
	dirErr(t, s, "CallerIdentityError", http.StatusConflict, ra, "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone, "VerificationCode", "1")
	dirErr(t, s, "Invalid.VerificationCode", http.StatusConflict, "", "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone, "VerificationCode", "1")
	code, err := s.VerificationCode(ra)
	require.NoError(t, err)
	dirOK(t, s, "", "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone, "VerificationCode", code)
	dirErr(t, s, "AccountSecureMobileAlreadyExists", http.StatusConflict, "", "BindSecureMobilePhone", "AccountId", ra,
		"SecureMobilePhone", phone, "VerificationCode", code)
	inv := "4000000000000004"
	h := dirStr(t, dirOK(t, s, "", "InviteAccountToResourceDirectory", "TargetEntity", inv, "TargetType", "Account"), "Handshake", "HandshakeId")
	dirOK(t, s, inv, "AcceptHandshake", "HandshakeId", h)
	dirErr(t, s, "AccountTypeMismatch", http.StatusConflict, "", "BindSecureMobilePhone", "AccountId", inv,
		"SecureMobilePhone", phone, "VerificationCode", "123456")
}

func TestChangeAccountEmail(t *testing.T) {
	s := newTestService(t, Config{})
	ca := dirStr(t, dirOK(t, s, "", "CreateCloudAccount", "DisplayName", "cc", "Email", "c@example.com"), "Account", "AccountId")
	dirErr(t, s, "NotSupportedOperation.Account.EmailModify", http.StatusBadRequest, "", "ChangeAccountEmail", "AccountId", ca, "Email", "d@example.com")
	s.Advance(cloudAccountCreateDelay)
	dirErr(t, s, "EntityNotExists.EmailModifyRecord", http.StatusNotFound, "", "RetryChangeAccountEmail", "AccountId", ca)
	dirErr(t, s, "EntityNotExists.EmailModifyRecord", http.StatusNotFound, "", "CancelChangeAccountEmail", "AccountId", ca)
	dirErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "ChangeAccountEmail", "AccountId", "1234567890123456", "Email", "d@example.com")
	dirErr(t, s, "NotSupportedOperation.Account.EmailModify", http.StatusBadRequest, "", "ChangeAccountEmail", "AccountId", ca, "Email", "nope")
	dirOK(t, s, "", "ChangeAccountEmail", "AccountId", ca, "Email", "d@example.com")
	acc := dirOK(t, s, "", "GetAccount", "AccountId", ca)
	assert.Equal(t, "WAIT_MODIFY", dirStr(t, acc, "Account", "EmailStatus"))
	assert.Equal(t, "c@example.com", dirStr(t, acc, "Account", "AccountName"))
	s.Advance(emailChangeTTL)
	assert.Equal(t, "EXPIRED", dirStr(t, dirOK(t, s, "", "GetAccount", "AccountId", ca), "Account", "EmailStatus"))
	require.ErrorIs(t, s.ConfirmEmailChange(ca), ErrNoPendingChange)
	dirOK(t, s, "", "RetryChangeAccountEmail", "AccountId", ca)
	assert.Equal(t, "WAIT_MODIFY", dirStr(t, dirOK(t, s, "", "GetAccount", "AccountId", ca), "Account", "EmailStatus"))
	require.NoError(t, s.ConfirmEmailChange(ca))
	acc = dirOK(t, s, "", "GetAccount", "AccountId", ca)
	assert.Equal(t, "d@example.com", dirStr(t, acc, "Account", "AccountName"))
	assert.Empty(t, dirStr(t, acc, "Account", "EmailStatus"))

	dirOK(t, s, "", "ChangeAccountEmail", "AccountId", ca, "Email", "e@example.com")
	dirOK(t, s, "", "CancelChangeAccountEmail", "AccountId", ca)
	assert.Equal(t, "CANCELLED", dirStr(t, dirOK(t, s, "", "GetAccount", "AccountId", ca), "Account", "EmailStatus"))
	dirErr(t, s, "EntityNotExists.EmailModifyRecord", http.StatusNotFound, "", "RetryChangeAccountEmail", "AccountId", ca)
}

func TestCloudAccountCreationRecord(t *testing.T) {
	s := newTestService(t, Config{})
	rec := dirStr(t, dirOK(t, s, "", "CreateCloudAccount", "DisplayName", "cc", "Email", "c@example.com"), "Account", "RecordId")
	got := dirOK(t, s, "", "ResendCreateCloudAccountEmail", "RecordId", rec)
	assert.Equal(t, "CreateVerifying", dirStr(t, got, "Account", "Status"))
	dirErr(t, s, "LimitExceeded.Frequency", http.StatusConflict, "", "ResendCreateCloudAccountEmail", "RecordId", rec)
	dirErr(t, s, "EntityNotExists.AccountRecord", http.StatusNotFound, "", "CancelCreateCloudAccount", "RecordId", "nope")
	dirErr(t, s, "MissingParameter.RecordId", http.StatusBadRequest, "", "CancelCreateCloudAccount")
	dirOK(t, s, "", "CancelCreateCloudAccount", "RecordId", rec)
	dirErr(t, s, "EntityNotExists.AccountRecord", http.StatusNotFound, "", "ResendCreateCloudAccountEmail", "RecordId", rec)

	rec2 := dirStr(t, dirOK(t, s, "", "CreateCloudAccount", "DisplayName", "dd", "Email", "d@example.com"), "Account", "RecordId")
	s.Advance(cloudAccountCreateDelay)
	dirOK(t, s, "", "ListAccounts")
	dirErr(t, s, "AccountTypeOrStatusMismatch", http.StatusConflict, "", "CancelCreateCloudAccount", "RecordId", rec2)
	dirErr(t, s, "AccountTypeOrStatusMismatch", http.StatusConflict, "", "ResendCreateCloudAccountEmail", "RecordId", rec2)
}

func TestAccountDeletion(t *testing.T) {
	s := newTestService(t, Config{})
	ra := dirStr(t, dirOK(t, s, "", "CreateResourceAccount", "DisplayName", "rr"), "Account", "AccountId")
	dirErr(t, s, "EntityNotExists.CheckAccount", http.StatusConflict, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	dirErr(t, s, "EntityNotExists.CheckAccount", http.StatusConflict, "", "GetAccountDeletionStatus", "AccountId", ra)
	dirErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "GetAccountDeletionStatus", "AccountId", "1234567890123456")
	dirErr(t, s, "CallerIdentityError.DeleteAccount", http.StatusConflict, "", "CheckAccountDelete", "AccountId", DefaultManagementAccountID)

	// A check that finds an abandonable and a blocking reason.
	require.NoError(t, s.BlockAccountDeletion(ra, DeletionBlocker{CheckID: "NON_SP_ecs", CheckName: "ECS", Description: "d", Abandonable: true}))
	dirOK(t, s, "", "CheckAccountDelete", "AccountId", ra)
	res := dirOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	assert.Equal(t, "PreChecking", dirStr(t, res, "AccountDeletionCheckResultInfo", "Status"))
	dirErr(t, s, "NotSupportedOperation.CheckingAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	s.Advance(deletionCheckDelay)
	res = dirOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	assert.Equal(t, "PreCheckComplete", dirStr(t, res, "AccountDeletionCheckResultInfo", "Status"))
	assert.Equal(t, "true", dirStr(t, res, "AccountDeletionCheckResultInfo", "AllowDelete"))
	assert.Len(t, dirField(t, res, "AccountDeletionCheckResultInfo", "AbandonableChecks"), 1)

	// Not waived: the deletion's check fails with the reason.
	dirOK(t, s, "", "DeleteAccount", "AccountId", ra)
	st := dirOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "Checking", dirStr(t, st, "RdAccountDeletionStatus", "Status"))
	dirErr(t, s, "NotSupportedOperation.CheckingAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	s.Advance(deletionCheckDelay)
	st = dirOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "CheckFailed", dirStr(t, st, "RdAccountDeletionStatus", "Status"))
	reasons := dirField(t, st, "RdAccountDeletionStatus", "FailReasonList").([]any)
	require.Len(t, reasons, 1)
	assert.Equal(t, "ECS", reasons[0].(map[string]any)["Name"])

	// Member deletion switched off.
	dirErr(t, s, "MemberAccountAccessDenied", http.StatusForbidden, ra, "SetMemberDeletionPermission", "Status", "Disabled")
	got := dirOK(t, s, "", "SetMemberDeletionPermission", "Status", "Disabled")
	assert.Equal(t, "Disabled", got["MemberDeletionStatus"])
	assert.Equal(t, "Disabled", dirStr(t, dirOK(t, s, "", "GetResourceDirectory"), "ResourceDirectory", "MemberDeletionStatus"))
	dirErr(t, s, "NoLicense.ResourceDirectory", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	dirErr(t, s, "NoLicense.ResourceDirectory", http.StatusConflict, "", "CheckAccountDelete", "AccountId", ra)
	dirErr(t, s, "InvalidParameter.Status", http.StatusBadRequest, "", "SetMemberDeletionPermission", "Status", "Maybe")
	dirOK(t, s, "", "SetMemberDeletionPermission", "Status", "Enabled")

	// Waived: Deleting, then Success and the member is gone.
	dirOK(t, s, "", "DeleteAccount", "AccountId", ra, "AbandonableCheckId", `["NON_SP_ecs"]`)
	s.Advance(deletionCheckDelay)
	st = dirOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "Deleting", dirStr(t, st, "RdAccountDeletionStatus", "Status"))
	dirErr(t, s, "NotSupportedOperation.DeletingAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	dirErr(t, s, "AccountTypeOrStatusMismatch", http.StatusConflict, "", "CheckAccountDelete", "AccountId", ra)
	s.Advance(deletionDelay)
	st = dirOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "Success", dirStr(t, st, "RdAccountDeletionStatus", "Status"))
	assert.NotEmpty(t, dirStr(t, st, "RdAccountDeletionStatus", "DeletionTime"))
	dirErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "GetAccount", "AccountId", ra)

	// A member that still owns a resource share cannot be deleted, and
	// one with another payer must be released first.
	payer := dirStr(t, dirOK(t, s, "", "CreateResourceAccount", "DisplayName", "payer"), "Account", "AccountId")
	paid := dirStr(t, dirOK(t, s, "", "CreateResourceAccount", "DisplayName", "paid", "PayerAccountId", payer), "Account", "AccountId")
	got = dirOK(t, s, "", "GetPayerForAccount", "AccountId", paid)
	assert.Equal(t, payer, got["PayerAccountId"])
	assert.Equal(t, "payer", got["PayerAccountName"])
	assert.Equal(t, payer, dirOK(t, s, "", "GetPayerForAccount", "AccountId", payer)["PayerAccountId"])
	dirErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "GetPayerForAccount", "AccountId", "1234567890123456")
	dirErr(t, s, "NotSupport.HasPayerAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", paid)
	rec := httptest.NewRecorder()
	id, secret := s.Credentials(payer)
	p := url.Values{"Action": {"CreateResourceShare"}, "Version": {"2020-01-10"}, "AccessKeyId": {id},
		"SignatureMethod": {signer.V1Method}, "SignatureVersion": {signer.V1Version}, "SignatureNonce": {signer.Nonce()},
		"Timestamp": {signer.Timestamp(s.cfg.Wall())}, "ResourceShareName": {"s"}}
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/?"+signer.SignV1(http.MethodPost, p, secret), nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	dirOK(t, s, "", "CheckAccountDelete", "AccountId", payer)
	s.Advance(deletionCheckDelay)
	res = dirOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", payer)
	assert.Equal(t, "false", dirStr(t, res, "AccountDeletionCheckResultInfo", "AllowDelete"))
	assert.Len(t, dirField(t, res, "AccountDeletionCheckResultInfo", "NotAllowReason"), 1)
}

func TestAccountFidelityFields(t *testing.T) {
	s := newTestService(t, Config{})
	f := dirStr(t, dirOK(t, s, "", "CreateFolder", "FolderName", "dev"), "Folder", "FolderId")
	ra := dirStr(t, dirOK(t, s, "", "CreateResourceAccount", "DisplayName", "rr", "ParentFolderId", f), "Account", "AccountId")
	acc := dirOK(t, s, "", "GetAccount", "AccountId", ra)
	assert.Equal(t, "Root/dev", dirStr(t, acc, "Account", "Location"))
	assert.Equal(t, defaultIdentityInformation, dirStr(t, acc, "Account", "IdentityInformation"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, dirStr(t, acc, "Account", "JoinTime"))
	inv := "4000000000000004"
	h := dirStr(t, dirOK(t, s, "", "InviteAccountToResourceDirectory", "TargetEntity", inv, "TargetType", "Account"), "Handshake", "HandshakeId")
	got := dirOK(t, s, "", "GetHandshake", "HandshakeId", h)
	assert.Equal(t, defaultIdentityInformation, dirStr(t, got, "Handshake", "MasterAccountRealName"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, dirStr(t, got, "Handshake", "CreateTime"))
}
