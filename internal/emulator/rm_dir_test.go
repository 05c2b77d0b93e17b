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
