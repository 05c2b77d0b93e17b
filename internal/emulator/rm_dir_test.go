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

const rmVersion = "2020-03-31"

// rmCall sends a signed Resource Manager request as an account ("" is the
// management account) and returns the HTTP status and decoded body. Every
// successful reply is checked against the model's response fields.
func rmCall(t *testing.T, s *Service, as, action string, kv ...string) (int, map[string]any) {
	t.Helper()
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	id, secret := s.Credentials(as)
	p.Set("Action", action)
	p.Set("Version", rmVersion)
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
		checkShape(t, action, s.products[rmVersion].ops[action].Response, body, "")
	}
	return rec.Code, body
}

// rmOK is rmCall for a call that must succeed.
func rmOK(t *testing.T, s *Service, as, action string, kv ...string) map[string]any {
	t.Helper()
	code, body := rmCall(t, s, as, action, kv...)
	require.Equal(t, http.StatusOK, code, "%s: %v", action, body)
	return body
}

// rmErr is rmCall for a call that must fail with code and status.
func rmErr(t *testing.T, s *Service, code string, status int, as, action string, kv ...string) {
	t.Helper()
	got, body := rmCall(t, s, as, action, kv...)
	assert.Equal(t, code, body["Code"], "%s: %v", action, body)
	assert.Equal(t, status, got, "%s: %v", action, body)
}

func field(t *testing.T, m map[string]any, path ...string) any {
	t.Helper()
	var v any = m
	for _, k := range path {
		obj, ok := v.(map[string]any)
		require.True(t, ok, "%v at %s", m, k)
		v = obj[k]
	}
	return v
}

func str(t *testing.T, m map[string]any, path ...string) string {
	t.Helper()
	s, _ := field(t, m, path...).(string)
	return s
}

// directoryShapeCalls exercises, with shape checks, the directory and
// account lifecycle operations on s (whose directory is enabled) and on a
// fresh emulator without a directory. It returns the actions it covered.
func directoryShapeCalls(t *testing.T, s *Service) []string {
	t.Helper()
	f1 := str(t, rmOK(t, s, "", "CreateFolder", "FolderName", "anc1"), "Folder", "FolderId")
	f2 := str(t, rmOK(t, s, "", "CreateFolder", "FolderName", "anc2", "ParentFolderId", f1), "Folder", "FolderId")
	rmOK(t, s, "", "ListAncestors", "ChildId", f2)

	ra := str(t, rmOK(t, s, "", "CreateResourceAccount", "DisplayName", "lifecycle"), "Account", "AccountId")
	rmOK(t, s, "", "SendVerificationCodeForBindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", "86-13900001234")
	code, err := s.VerificationCode(ra)
	require.NoError(t, err)
	rmOK(t, s, "", "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", "86-13900001234", "VerificationCode", code)
	rmOK(t, s, "", "GetPayerForAccount", "AccountId", ra)

	rec := str(t, rmOK(t, s, "", "CreateCloudAccount", "DisplayName", "pending", "Email", "pending@example.com"), "Account", "RecordId")
	rmOK(t, s, "", "ResendCreateCloudAccountEmail", "RecordId", rec)
	rmOK(t, s, "", "CancelCreateCloudAccount", "RecordId", rec)

	ca := str(t, rmOK(t, s, "", "CreateCloudAccount", "DisplayName", "mail", "Email", "mail@example.com"), "Account", "AccountId")
	s.Advance(cloudAccountCreateDelay)
	rmOK(t, s, "", "GetAccount", "AccountId", ca) // settles the creation
	rmOK(t, s, "", "ChangeAccountEmail", "AccountId", ca, "Email", "mail2@example.com")
	rmOK(t, s, "", "GetAccount", "AccountId", ca)
	rmOK(t, s, "", "RetryChangeAccountEmail", "AccountId", ca)
	rmOK(t, s, "", "CancelChangeAccountEmail", "AccountId", ca)

	require.NoError(t, s.BlockAccountDeletion(ra, DeletionBlocker{CheckID: "NON_SP_ecs", CheckName: "ECS",
		Description: "instances run", Abandonable: true}))
	require.NoError(t, s.BlockAccountDeletion(ra, DeletionBlocker{CheckID: "NON_SP_efc", CheckName: "Finance",
		Description: "financial tie"}))
	rmOK(t, s, "", "CheckAccountDelete", "AccountId", ra)
	s.Advance(deletionCheckDelay)
	rmOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	rmOK(t, s, "", "DeleteAccount", "AccountId", ra, "AbandonableCheckId.1", "NON_SP_ecs")
	s.Advance(deletionCheckDelay)
	rmOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	rmOK(t, s, "", "SetMemberDeletionPermission", "Status", "Disabled")
	rmOK(t, s, "", "SetMemberDeletionPermission", "Status", "Enabled")

	bare := newTestService(t, Config{WithoutResourceDirectory: true})
	rmOK(t, bare, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", "86-13900001234")
	code, err = bare.VerificationCode("")
	require.NoError(t, err)
	rmOK(t, bare, "", "EnableResourceDirectory", "EnableMode", "NewManagementAccount", "MAName", "admin",
		"MASecureMobilePhone", "86-13900001234", "VerificationCode", code)
	ma := bare.ManagementAccountID()
	require.NotEqual(t, DefaultManagementAccountID, ma)
	// The former account is now a member: it must leave before the
	// directory can go.
	rmOK(t, bare, ma, "CreateFolder", "FolderName", "x")
	rmErr(t, bare, "DeleteConflict.ResourceDirectory.Account", http.StatusConflict, ma, "DestroyResourceDirectory")
	fresh := newTestService(t, Config{WithoutResourceDirectory: true})
	rmOK(t, fresh, "", "InitResourceDirectory")
	rmOK(t, fresh, "", "DestroyResourceDirectory")
	return []string{"ListAncestors", "SendVerificationCodeForBindSecureMobilePhone", "BindSecureMobilePhone",
		"GetPayerForAccount", "ResendCreateCloudAccountEmail", "CancelCreateCloudAccount", "ChangeAccountEmail",
		"RetryChangeAccountEmail", "CancelChangeAccountEmail", "CheckAccountDelete", "GetAccountDeletionCheckResult",
		"GetAccountDeletionStatus", "SetMemberDeletionPermission", "SendVerificationCodeForEnableRD",
		"EnableResourceDirectory", "InitResourceDirectory", "DestroyResourceDirectory"}
}

func TestWithoutResourceDirectory(t *testing.T) {
	s := newTestService(t, Config{WithoutResourceDirectory: true})
	assert.Empty(t, s.ResourceDirectoryID())
	rmErr(t, s, "ResourceDirectoryNotInUse", http.StatusNotFound, "", "GetResourceDirectory")
	rmErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "CreateFolder", "FolderName", "f")
	rmErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "ListAncestors", "ChildId", "fd-0000000000")
	rmErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "DestroyResourceDirectory")
	rmErr(t, s, "EntityNotExists.ResourceDirectory", http.StatusNotFound, "", "SetMemberDeletionPermission", "Status", "Enabled")

	rd := rmOK(t, s, "", "EnableResourceDirectory", "EnableMode", "CurrentAccount")
	assert.Equal(t, DefaultManagementAccountID, str(t, rd, "ResourceDirectory", "MasterAccountId"))
	assert.Equal(t, s.ResourceDirectoryID(), str(t, rd, "ResourceDirectory", "ResourceDirectoryId"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, str(t, rd, "ResourceDirectory", "CreateTime"))
	got := rmOK(t, s, "", "GetResourceDirectory")
	assert.Equal(t, s.RootFolderID(), str(t, got, "ResourceDirectory", "RootFolderId"))
	assert.Equal(t, "Enabled", str(t, got, "ResourceDirectory", "MemberDeletionStatus"))
	assert.NotEmpty(t, str(t, got, "ResourceDirectory", "IdentityInformation"))
	rmErr(t, s, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict, "", "EnableResourceDirectory", "EnableMode", "CurrentAccount")
	rmErr(t, s, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict, "", "InitResourceDirectory")
	rmErr(t, s, "EntityAlreadyExists.ResourceDirectory", http.StatusConflict, "", "SendVerificationCodeForEnableRD",
		"SecureMobilePhone", "86-13900001234")

	// A member of the directory cannot create one of its own.
	m := str(t, rmOK(t, s, "", "CreateResourceAccount", "DisplayName", "mm"), "Account", "AccountId")
	rmErr(t, s, "NotSupport.AccountInAnotherResourceDirectory", http.StatusConflict, m, "InitResourceDirectory")
	rmErr(t, s, "DeleteConflict.ResourceDirectory.Account", http.StatusConflict, "", "DestroyResourceDirectory")
	rmOK(t, s, "", "DeleteAccount", "AccountId", m)
	s.Advance(deletionCheckDelay + deletionDelay)
	f := str(t, rmOK(t, s, "", "CreateFolder", "FolderName", "f"), "Folder", "FolderId")
	rmErr(t, s, "DeleteConflict.ResourceDirectory.Account", http.StatusConflict, "", "DestroyResourceDirectory")
	rmOK(t, s, "", "DeleteFolder", "FolderId", f)
	rmOK(t, s, "", "DestroyResourceDirectory")
	rmErr(t, s, "ResourceDirectoryNotInUse", http.StatusNotFound, "", "GetResourceDirectory")
	assert.Empty(t, s.ResourceDirectoryID())
	rmOK(t, s, "", "InitResourceDirectory")
	rmOK(t, s, "", "GetResourceDirectory")
}

func TestEnableWithNewManagementAccount(t *testing.T) {
	s := newTestService(t, Config{WithoutResourceDirectory: true})
	const phone = "86-13900001234"
	rmErr(t, s, "InvalidParameter.MobileCountryCode", http.StatusConflict, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", "13900001234")
	_, err := s.VerificationCode("")
	require.ErrorIs(t, err, ErrNoPendingChange)
	rmOK(t, s, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", phone)
	rmErr(t, s, "SendValidateCodeExceedsLimitForAccount", http.StatusConflict, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", phone)
	code, err := s.VerificationCode("")
	require.NoError(t, err)
	enable := func(kv ...string) []string {
		return append([]string{"EnableMode", "NewManagementAccount"}, kv...)
	}
	rmErr(t, s, "InvalidParameter.ManagementAccountName", http.StatusConflict, "", "EnableResourceDirectory", enable("MAName", "-bad")...)
	rmErr(t, s, "MissingSecureMobilePhone", http.StatusConflict, "", "EnableResourceDirectory", enable("MAName", "admin")...)
	rmErr(t, s, "MissingSecurityInfo", http.StatusConflict, "", "EnableResourceDirectory", enable("MAName", "admin", "MASecureMobilePhone", phone)...)
	rmErr(t, s, "InvalidParameter.ManagementAccountSecurityInfo", http.StatusConflict, "", "EnableResourceDirectory",
		enable("MAName", "admin", "MASecureMobilePhone", "x", "VerificationCode", code)...)
	rmErr(t, s, "Invalid.VerificationCode", http.StatusConflict, "", "EnableResourceDirectory",
		enable("MAName", "admin", "MASecureMobilePhone", phone, "VerificationCode", "000000x")...)
	rd := rmOK(t, s, "", "EnableResourceDirectory", enable("MAName", "admin", "MASecureMobilePhone", phone, "VerificationCode", code)...)
	ma := str(t, rd, "ResourceDirectory", "MasterAccountId")
	assert.Equal(t, ma, s.ManagementAccountID())
	assert.Equal(t, "admin@rdadmin.aliyunid.com", str(t, rd, "ResourceDirectory", "MasterAccountName"))
	// The code works once; the former account is a member now.
	acc := rmOK(t, s, ma, "GetAccount", "AccountId", DefaultManagementAccountID)
	assert.Equal(t, "invited", str(t, acc, "Account", "JoinMethod"))

	s2 := newTestService(t, Config{WithoutResourceDirectory: true})
	rmOK(t, s2, "", "InitResourceDirectory")
	s3 := newTestService(t, Config{WithoutResourceDirectory: true, ManagementAccountID: "1000000000000009"})
	rmOK(t, s3, "", "SendVerificationCodeForEnableRD", "SecureMobilePhone", phone)
	code, err = s3.VerificationCode("")
	require.NoError(t, err)
	rmOK(t, s2, "", "GetResourceDirectory")
	s3.mu.Lock()
	taken := s3.st.accounts["1000000000000009"].AccountName
	s3.mu.Unlock()
	rmErr(t, s3, "InvalidParameter.ManagementAccountName.AlreadyUsed", http.StatusConflict, "", "EnableResourceDirectory",
		enable("MAName", taken, "MASecureMobilePhone", phone, "VerificationCode", code)...)
}

func TestListAncestors(t *testing.T) {
	s := newTestService(t, Config{})
	f1 := str(t, rmOK(t, s, "", "CreateFolder", "FolderName", "a"), "Folder", "FolderId")
	f2 := str(t, rmOK(t, s, "", "CreateFolder", "FolderName", "b", "ParentFolderId", f1), "Folder", "FolderId")
	f3 := str(t, rmOK(t, s, "", "CreateFolder", "FolderName", "c", "ParentFolderId", f2), "Folder", "FolderId")
	got := field(t, rmOK(t, s, "", "ListAncestors", "ChildId", f3), "Folders", "Folder").([]any)
	var ids []string
	for _, f := range got {
		ids = append(ids, f.(map[string]any)["FolderId"].(string))
	}
	assert.Equal(t, []string{s.RootFolderID(), f1, f2}, ids)
	rmErr(t, s, "InvalidParameter.ChildId", http.StatusBadRequest, "", "ListAncestors", "ChildId", "x")
	rmErr(t, s, "EntityNotExists.Folder", http.StatusNotFound, "", "ListAncestors", "ChildId", "fd-0000000000")
	rmErr(t, s, "MissingParameter.ChildId", http.StatusBadRequest, "", "ListAncestors")
}

func TestSecureMobilePhone(t *testing.T) {
	s := newTestService(t, Config{})
	const phone = "86-13900001234"
	ra := str(t, rmOK(t, s, "", "CreateResourceAccount", "DisplayName", "rr"), "Account", "AccountId")
	rmErr(t, s, "InvalidParameter.MobileCountryCode", http.StatusConflict, "", "SendVerificationCodeForBindSecureMobilePhone",
		"AccountId", ra, "SecureMobilePhone", "+86 139")
	rmErr(t, s, "NotSupport.AccountInAnotherResourceDirectory", http.StatusConflict, "", "SendVerificationCodeForBindSecureMobilePhone",
		"AccountId", "1234567890123456", "SecureMobilePhone", phone)
	exp := str(t, rmOK(t, s, "", "SendVerificationCodeForBindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone), "ExpirationDate")
	assert.Regexp(t, `Z$`, exp)
	rmErr(t, s, "SendValidateCodeExceedsLimitForAccount", http.StatusConflict, "", "SendVerificationCodeForBindSecureMobilePhone",
		"AccountId", ra, "SecureMobilePhone", phone)
	rmErr(t, s, "CallerIdentityError", http.StatusConflict, ra, "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone, "VerificationCode", "1")
	rmErr(t, s, "Invalid.VerificationCode", http.StatusConflict, "", "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone, "VerificationCode", "1")
	code, err := s.VerificationCode(ra)
	require.NoError(t, err)
	rmOK(t, s, "", "BindSecureMobilePhone", "AccountId", ra, "SecureMobilePhone", phone, "VerificationCode", code)
	rmErr(t, s, "AccountSecureMobileAlreadyExists", http.StatusConflict, "", "BindSecureMobilePhone", "AccountId", ra,
		"SecureMobilePhone", phone, "VerificationCode", code)
	inv := "4000000000000004"
	h := str(t, rmOK(t, s, "", "InviteAccountToResourceDirectory", "TargetEntity", inv, "TargetType", "Account"), "Handshake", "HandshakeId")
	rmOK(t, s, inv, "AcceptHandshake", "HandshakeId", h)
	rmErr(t, s, "AccountTypeMismatch", http.StatusConflict, "", "BindSecureMobilePhone", "AccountId", inv,
		"SecureMobilePhone", phone, "VerificationCode", "123456")
}

func TestChangeAccountEmail(t *testing.T) {
	s := newTestService(t, Config{})
	ca := str(t, rmOK(t, s, "", "CreateCloudAccount", "DisplayName", "cc", "Email", "c@example.com"), "Account", "AccountId")
	rmErr(t, s, "NotSupportedOperation.Account.EmailModify", http.StatusBadRequest, "", "ChangeAccountEmail", "AccountId", ca, "Email", "d@example.com")
	s.Advance(cloudAccountCreateDelay)
	rmErr(t, s, "EntityNotExists.EmailModifyRecord", http.StatusNotFound, "", "RetryChangeAccountEmail", "AccountId", ca)
	rmErr(t, s, "EntityNotExists.EmailModifyRecord", http.StatusNotFound, "", "CancelChangeAccountEmail", "AccountId", ca)
	rmErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "ChangeAccountEmail", "AccountId", "1234567890123456", "Email", "d@example.com")
	rmErr(t, s, "NotSupportedOperation.Account.EmailModify", http.StatusBadRequest, "", "ChangeAccountEmail", "AccountId", ca, "Email", "nope")
	rmOK(t, s, "", "ChangeAccountEmail", "AccountId", ca, "Email", "d@example.com")
	acc := rmOK(t, s, "", "GetAccount", "AccountId", ca)
	assert.Equal(t, "WAIT_MODIFY", str(t, acc, "Account", "EmailStatus"))
	assert.Equal(t, "c@example.com", str(t, acc, "Account", "AccountName"))
	s.Advance(emailChangeTTL)
	assert.Equal(t, "EXPIRED", str(t, rmOK(t, s, "", "GetAccount", "AccountId", ca), "Account", "EmailStatus"))
	require.ErrorIs(t, s.ConfirmEmailChange(ca), ErrNoPendingChange)
	rmOK(t, s, "", "RetryChangeAccountEmail", "AccountId", ca)
	assert.Equal(t, "WAIT_MODIFY", str(t, rmOK(t, s, "", "GetAccount", "AccountId", ca), "Account", "EmailStatus"))
	require.NoError(t, s.ConfirmEmailChange(ca))
	acc = rmOK(t, s, "", "GetAccount", "AccountId", ca)
	assert.Equal(t, "d@example.com", str(t, acc, "Account", "AccountName"))
	assert.Empty(t, str(t, acc, "Account", "EmailStatus"))

	rmOK(t, s, "", "ChangeAccountEmail", "AccountId", ca, "Email", "e@example.com")
	rmOK(t, s, "", "CancelChangeAccountEmail", "AccountId", ca)
	assert.Equal(t, "CANCELLED", str(t, rmOK(t, s, "", "GetAccount", "AccountId", ca), "Account", "EmailStatus"))
	rmErr(t, s, "EntityNotExists.EmailModifyRecord", http.StatusNotFound, "", "RetryChangeAccountEmail", "AccountId", ca)
}

func TestCloudAccountCreationRecord(t *testing.T) {
	s := newTestService(t, Config{})
	rec := str(t, rmOK(t, s, "", "CreateCloudAccount", "DisplayName", "cc", "Email", "c@example.com"), "Account", "RecordId")
	got := rmOK(t, s, "", "ResendCreateCloudAccountEmail", "RecordId", rec)
	assert.Equal(t, "CreateVerifying", str(t, got, "Account", "Status"))
	rmErr(t, s, "LimitExceeded.Frequency", http.StatusConflict, "", "ResendCreateCloudAccountEmail", "RecordId", rec)
	rmErr(t, s, "EntityNotExists.AccountRecord", http.StatusNotFound, "", "CancelCreateCloudAccount", "RecordId", "nope")
	rmErr(t, s, "MissingParameter.RecordId", http.StatusBadRequest, "", "CancelCreateCloudAccount")
	rmOK(t, s, "", "CancelCreateCloudAccount", "RecordId", rec)
	rmErr(t, s, "EntityNotExists.AccountRecord", http.StatusNotFound, "", "ResendCreateCloudAccountEmail", "RecordId", rec)

	rec2 := str(t, rmOK(t, s, "", "CreateCloudAccount", "DisplayName", "dd", "Email", "d@example.com"), "Account", "RecordId")
	s.Advance(cloudAccountCreateDelay)
	rmOK(t, s, "", "ListAccounts")
	rmErr(t, s, "AccountTypeOrStatusMismatch", http.StatusConflict, "", "CancelCreateCloudAccount", "RecordId", rec2)
	rmErr(t, s, "AccountTypeOrStatusMismatch", http.StatusConflict, "", "ResendCreateCloudAccountEmail", "RecordId", rec2)
}

func TestAccountDeletion(t *testing.T) {
	s := newTestService(t, Config{})
	ra := str(t, rmOK(t, s, "", "CreateResourceAccount", "DisplayName", "rr"), "Account", "AccountId")
	rmErr(t, s, "EntityNotExists.CheckAccount", http.StatusConflict, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	rmErr(t, s, "EntityNotExists.CheckAccount", http.StatusConflict, "", "GetAccountDeletionStatus", "AccountId", ra)
	rmErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "GetAccountDeletionStatus", "AccountId", "1234567890123456")
	rmErr(t, s, "CallerIdentityError.DeleteAccount", http.StatusConflict, "", "CheckAccountDelete", "AccountId", DefaultManagementAccountID)

	// A check that finds an abandonable and a blocking reason.
	require.NoError(t, s.BlockAccountDeletion(ra, DeletionBlocker{CheckID: "NON_SP_ecs", CheckName: "ECS", Description: "d", Abandonable: true}))
	rmOK(t, s, "", "CheckAccountDelete", "AccountId", ra)
	res := rmOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	assert.Equal(t, "PreChecking", str(t, res, "AccountDeletionCheckResultInfo", "Status"))
	rmErr(t, s, "NotSupportedOperation.CheckingAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	s.Advance(deletionCheckDelay)
	res = rmOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", ra)
	assert.Equal(t, "PreCheckComplete", str(t, res, "AccountDeletionCheckResultInfo", "Status"))
	assert.Equal(t, "true", str(t, res, "AccountDeletionCheckResultInfo", "AllowDelete"))
	assert.Len(t, field(t, res, "AccountDeletionCheckResultInfo", "AbandonableChecks"), 1)

	// Not waived: the deletion's check fails with the reason.
	rmOK(t, s, "", "DeleteAccount", "AccountId", ra)
	st := rmOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "Checking", str(t, st, "RdAccountDeletionStatus", "Status"))
	rmErr(t, s, "NotSupportedOperation.CheckingAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	s.Advance(deletionCheckDelay)
	st = rmOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "CheckFailed", str(t, st, "RdAccountDeletionStatus", "Status"))
	reasons := field(t, st, "RdAccountDeletionStatus", "FailReasonList").([]any)
	require.Len(t, reasons, 1)
	assert.Equal(t, "ECS", reasons[0].(map[string]any)["Name"])

	// Member deletion switched off.
	rmErr(t, s, "MemberAccountAccessDenied", http.StatusForbidden, ra, "SetMemberDeletionPermission", "Status", "Disabled")
	got := rmOK(t, s, "", "SetMemberDeletionPermission", "Status", "Disabled")
	assert.Equal(t, "Disabled", got["MemberDeletionStatus"])
	assert.Equal(t, "Disabled", str(t, rmOK(t, s, "", "GetResourceDirectory"), "ResourceDirectory", "MemberDeletionStatus"))
	rmErr(t, s, "NoLicense.ResourceDirectory", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	rmErr(t, s, "NoLicense.ResourceDirectory", http.StatusConflict, "", "CheckAccountDelete", "AccountId", ra)
	rmErr(t, s, "InvalidParameter.Status", http.StatusBadRequest, "", "SetMemberDeletionPermission", "Status", "Maybe")
	rmOK(t, s, "", "SetMemberDeletionPermission", "Status", "Enabled")

	// Waived: Deleting, then Success and the member is gone.
	rmOK(t, s, "", "DeleteAccount", "AccountId", ra, "AbandonableCheckId", `["NON_SP_ecs"]`)
	s.Advance(deletionCheckDelay)
	st = rmOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "Deleting", str(t, st, "RdAccountDeletionStatus", "Status"))
	rmErr(t, s, "NotSupportedOperation.DeletingAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", ra)
	rmErr(t, s, "AccountTypeOrStatusMismatch", http.StatusConflict, "", "CheckAccountDelete", "AccountId", ra)
	s.Advance(deletionDelay)
	st = rmOK(t, s, "", "GetAccountDeletionStatus", "AccountId", ra)
	assert.Equal(t, "Success", str(t, st, "RdAccountDeletionStatus", "Status"))
	assert.NotEmpty(t, str(t, st, "RdAccountDeletionStatus", "DeletionTime"))
	rmErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "GetAccount", "AccountId", ra)

	// A member that still owns a resource share cannot be deleted, and
	// one with another payer must be released first.
	payer := str(t, rmOK(t, s, "", "CreateResourceAccount", "DisplayName", "payer"), "Account", "AccountId")
	paid := str(t, rmOK(t, s, "", "CreateResourceAccount", "DisplayName", "paid", "PayerAccountId", payer), "Account", "AccountId")
	got = rmOK(t, s, "", "GetPayerForAccount", "AccountId", paid)
	assert.Equal(t, payer, got["PayerAccountId"])
	assert.Equal(t, "payer", got["PayerAccountName"])
	assert.Equal(t, payer, rmOK(t, s, "", "GetPayerForAccount", "AccountId", payer)["PayerAccountId"])
	rmErr(t, s, "EntityNotExists.Account", http.StatusNotFound, "", "GetPayerForAccount", "AccountId", "1234567890123456")
	rmErr(t, s, "NotSupport.HasPayerAccount", http.StatusConflict, "", "DeleteAccount", "AccountId", paid)
	rec := httptest.NewRecorder()
	id, secret := s.Credentials(payer)
	p := url.Values{"Action": {"CreateResourceShare"}, "Version": {"2020-01-10"}, "AccessKeyId": {id},
		"SignatureMethod": {signer.V1Method}, "SignatureVersion": {signer.V1Version}, "SignatureNonce": {signer.Nonce()},
		"Timestamp": {signer.Timestamp(s.cfg.Wall())}, "ResourceShareName": {"s"}}
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/?"+signer.SignV1(http.MethodPost, p, secret), nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rmOK(t, s, "", "CheckAccountDelete", "AccountId", payer)
	s.Advance(deletionCheckDelay)
	res = rmOK(t, s, "", "GetAccountDeletionCheckResult", "AccountId", payer)
	assert.Equal(t, "false", str(t, res, "AccountDeletionCheckResultInfo", "AllowDelete"))
	assert.Len(t, field(t, res, "AccountDeletionCheckResultInfo", "NotAllowReason"), 1)
}

func TestAccountFidelityFields(t *testing.T) {
	s := newTestService(t, Config{})
	f := str(t, rmOK(t, s, "", "CreateFolder", "FolderName", "dev"), "Folder", "FolderId")
	ra := str(t, rmOK(t, s, "", "CreateResourceAccount", "DisplayName", "rr", "ParentFolderId", f), "Account", "AccountId")
	acc := rmOK(t, s, "", "GetAccount", "AccountId", ra)
	assert.Equal(t, "Root/dev", str(t, acc, "Account", "Location"))
	assert.Equal(t, defaultIdentityInformation, str(t, acc, "Account", "IdentityInformation"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, str(t, acc, "Account", "JoinTime"))
	inv := "4000000000000004"
	h := str(t, rmOK(t, s, "", "InviteAccountToResourceDirectory", "TargetEntity", inv, "TargetType", "Account"), "Handshake", "HandshakeId")
	got := rmOK(t, s, "", "GetHandshake", "HandshakeId", h)
	assert.Equal(t, defaultIdentityInformation, str(t, got, "Handshake", "MasterAccountRealName"))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, str(t, got, "Handshake", "CreateTime"))
}
