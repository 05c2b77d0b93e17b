package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/apimodel"
	"github.com/resourcekit/alicloud/internal/signer"
)

// checkShape fails the test when a reply carries a field the API
// description does not document for the operation, at any depth.
func checkShape(t *testing.T, action string, fields []*apimodel.Param, v any, path string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			var f *apimodel.Param
			for _, p := range fields {
				if p.Name == k {
					f = p
				}
			}
			if f == nil {
				t.Errorf("%s: %s.%s is not in the API description", action, path, k)
				continue
			}
			switch f.Type {
			case "object":
				checkShape(t, action, f.Fields, child, path+"."+k)
			case "array":
				arr, ok := child.([]any)
				if !ok {
					t.Errorf("%s: %s.%s should be an array", action, path, k)
					continue
				}
				for _, e := range arr {
					if f.Items != nil && f.Items.Type == "object" {
						checkShape(t, action, f.Items.Fields, e, path+"."+k+"[]")
					}
				}
			}
		}
	}
}

// TestRepliesMatchTheModel calls every implemented action successfully and
// checks each reply against the response fields of the API description.
func TestRepliesMatchTheModel(t *testing.T) {
	s := newTestService(t, Config{})
	const rm, rs = "2020-03-31", "2020-01-10"
	done := map[string]bool{}
	call := func(version, action, as string, kv ...string) map[string]any {
		t.Helper()
		p := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Add(kv[i], kv[i+1])
		}
		id, secret := s.Credentials(as)
		p.Set("Action", action)
		p.Set("Version", version)
		p.Set("AccessKeyId", id)
		p.Set("SignatureMethod", signer.V1Method)
		p.Set("SignatureVersion", signer.V1Version)
		p.Set("SignatureNonce", signer.Nonce())
		p.Set("Timestamp", signer.Timestamp(s.cfg.Wall()))
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/?"+signer.SignV1(http.MethodPost, p, secret), nil))
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", action, rec.Body.String())
		var body map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		require.NotEmpty(t, body["RequestId"])
		checkShape(t, action, s.products[version].ops[action].Response, body, "")
		done[version+" "+action] = true
		return body
	}
	str := func(m map[string]any, path ...string) string {
		var v any = m
		for _, k := range path {
			v = v.(map[string]any)[k]
		}
		return v.(string)
	}
	const mgmt, outsider, invitee = "", "3000000000000003", "4000000000000004"

	call(rm, "GetResourceDirectory", mgmt)
	f := str(call(rm, "CreateFolder", mgmt, "FolderName", "f1"), "Folder", "FolderId")
	call(rm, "GetFolder", mgmt, "FolderId", f)
	call(rm, "UpdateFolder", mgmt, "FolderId", f, "NewFolderName", "f2")
	call(rm, "ListFoldersForParent", mgmt)
	f3 := str(call(rm, "CreateFolder", mgmt, "FolderName", "f3"), "Folder", "FolderId")
	call(rm, "DeleteFolder", mgmt, "FolderId", f3)
	acc := str(call(rm, "CreateResourceAccount", mgmt, "DisplayName", "member", "Tag.1.Key", "k", "Tag.1.Value", "v"), "Account", "AccountId")
	call(rm, "GetAccount", mgmt, "AccountId", acc, "IncludeTags", "true")
	call(rm, "ListAccounts", mgmt, "IncludeTags", "true")
	call(rm, "ListAccountsForParent", mgmt, "IncludeTags", "true")
	call(rm, "MoveAccount", mgmt, "AccountId", acc, "DestinationFolderId", f)
	call(rm, "UpdateAccount", mgmt, "AccountId", acc, "NewDisplayName", "member2")
	rec := str(call(rm, "PromoteResourceAccount", mgmt, "AccountId", acc, "Email", "a@example.com"), "Account", "RecordId")
	s.Advance(2 * s.cfg.ResendInterval)
	call(rm, "ResendPromoteResourceAccountEmail", mgmt, "RecordId", rec)
	call(rm, "CancelPromoteResourceAccount", mgmt, "RecordId", rec)
	gone := str(call(rm, "CreateResourceAccount", mgmt, "DisplayName", "gone"), "Account", "AccountId")
	call(rm, "DeleteAccount", mgmt, "AccountId", gone)
	call(rm, "CreateCloudAccount", mgmt, "DisplayName", "cloud", "Email", "cloud@example.com")
	h := str(call(rm, "InviteAccountToResourceDirectory", mgmt, "TargetEntity", invitee, "TargetType", "Account"), "Handshake", "HandshakeId")
	call(rm, "GetHandshake", mgmt, "HandshakeId", h)
	call(rm, "ListHandshakesForAccount", invitee)
	call(rm, "ListHandshakesForResourceDirectory", mgmt)
	call(rm, "AcceptHandshake", invitee, "HandshakeId", h)
	call(rm, "RemoveCloudAccount", mgmt, "AccountId", invitee)
	h2 := str(call(rm, "InviteAccountToResourceDirectory", mgmt, "TargetEntity", outsider, "TargetType", "Account"), "Handshake", "HandshakeId")
	call(rm, "DeclineHandshake", outsider, "HandshakeId", h2)
	h3 := str(call(rm, "InviteAccountToResourceDirectory", mgmt, "TargetEntity", "x@example.com", "TargetType", "Email"), "Handshake", "HandshakeId")
	call(rm, "CancelHandshake", mgmt, "HandshakeId", h3)
	g := str(call(rm, "CreateResourceGroup", mgmt, "Name", "g1", "DisplayName", "G", "Tag.1.Key", "k"), "ResourceGroup", "Id")
	call(rm, "GetResourceGroup", mgmt, "ResourceGroupId", g, "IncludeTags", "true")
	call(rm, "ListResourceGroups", mgmt, "IncludeTags", "true")
	call(rm, "UpdateResourceGroup", mgmt, "ResourceGroupId", g, "NewDisplayName", "G2")
	call(rm, "TagResources", mgmt, "ResourceType", "ResourceGroup", "ResourceId.1", g, "Tag.1.Key", "team", "Tag.1.Value", "a")
	call(rm, "TagResources", mgmt, "ResourceType", "Account", "ResourceId.1", acc, "Tag.1.Key", "team", "Tag.1.Value", "b")
	call(rm, "ListTagResources", mgmt, "ResourceType", "ResourceGroup", "ResourceId.1", g)
	call(rm, "ListTagKeys", mgmt, "ResourceType", "Account")
	call(rm, "ListTagValues", mgmt, "ResourceType", "Account", "TagKey", "team")
	call(rm, "UntagResources", mgmt, "ResourceType", "Account", "ResourceId.1", acc, "TagKey.1", "team")
	const doc = `{"Statement":[{"Action":"oss:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`
	call(rm, "CreatePolicy", mgmt, "PolicyName", "oss-all", "PolicyDocument", doc, "Description", "d")
	call(rm, "GetPolicy", mgmt, "PolicyName", "oss-all", "PolicyType", "Custom")
	call(rm, "ListPolicies", mgmt)
	call(rm, "AttachPolicy", mgmt, "PolicyName", "oss-all", "PolicyType", "Custom", "ResourceGroupId", g,
		"PrincipalName", "alice@1000000000000001.onaliyun.com", "PrincipalType", "IMSUser")
	call(rm, "ListPolicyAttachments", mgmt, "ResourceGroupId", g)
	call(rm, "DetachPolicy", mgmt, "PolicyName", "oss-all", "PolicyType", "Custom", "ResourceGroupId", g,
		"PrincipalName", "alice@1000000000000001.onaliyun.com", "PrincipalType", "IMSUser")
	call(rm, "DeletePolicy", mgmt, "PolicyName", "oss-all")
	const trust = `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":"acs:ram::1000000000000001:root"}}],"Version":"1"}`
	call(rm, "CreateRole", mgmt, "RoleName", "ECSAdmin", "AssumeRolePolicyDocument", trust, "Description", "d")
	call(rm, "GetRole", mgmt, "RoleName", "ECSAdmin")
	call(rm, "ListRoles", mgmt)
	call(rm, "UpdateRole", mgmt, "RoleName", "ECSAdmin", "NewDescription", "d2", "NewMaxSessionDuration", "7200")
	call(rm, "DeleteRole", mgmt, "RoleName", "ECSAdmin")
	cp := str(call(rm, "CreateControlPolicy", mgmt, "PolicyName", "deny-ram", "EffectScope", "RAM", "PolicyDocument", doc, "Description", "d"),
		"ControlPolicy", "PolicyId")
	call(rm, "GetControlPolicy", mgmt, "PolicyId", cp)
	call(rm, "ListControlPolicies", mgmt)
	call(rm, "AttachControlPolicy", mgmt, "PolicyId", cp, "TargetId", f)
	call(rm, "ListControlPolicyAttachmentsForTarget", mgmt, "TargetId", f)
	call(rm, "ListTargetAttachmentsForControlPolicy", mgmt, "PolicyId", cp)
	call(rm, "AttachControlPolicy", mgmt, "PolicyId", "p-FullAliyunAccess", "TargetId", f)
	call(rm, "DetachControlPolicy", mgmt, "PolicyId", cp, "TargetId", f)
	call(rm, "DeleteControlPolicy", mgmt, "PolicyId", cp)
	call(rm, "UpdateControlPolicy", mgmt, "PolicyId", str(call(rm, "CreateControlPolicy", mgmt, "PolicyName", "cp2",
		"EffectScope", "RAM", "PolicyDocument", doc), "ControlPolicy", "PolicyId"), "NewPolicyName", "cp3", "NewDescription", "d")
	call(rm, "GetControlPolicyEnablementStatus", mgmt)
	call(rm, "DisableControlPolicy", mgmt)
	s.Advance(controlPolicySwitchDelay)
	call(rm, "GetResourceDirectory", mgmt)
	call(rm, "EnableControlPolicy", mgmt)
	call(rm, "CreatePolicy", mgmt, "PolicyName", "versioned", "PolicyDocument", doc)
	call(rm, "CreatePolicyVersion", mgmt, "PolicyName", "versioned", "PolicyDocument", doc, "SetAsDefault", "true")
	call(rm, "GetPolicyVersion", mgmt, "PolicyName", "versioned", "PolicyType", "Custom", "VersionId", "v2")
	call(rm, "ListPolicyVersions", mgmt, "PolicyName", "versioned", "PolicyType", "Custom")
	call(rm, "SetDefaultPolicyVersion", mgmt, "PolicyName", "versioned", "VersionId", "v1")
	call(rm, "DeletePolicyVersion", mgmt, "PolicyName", "versioned", "VersionId", "v2")
	call(rm, "CreateServiceLinkedRole", mgmt, "ServiceName", "polardb.aliyuncs.com", "CustomSuffix", "x", "Description", "d")
	task := str(call(rm, "DeleteServiceLinkedRole", mgmt, "RoleName", "AliyunServiceRoleForPolarDB_x"), "DeletionTaskId")
	require.NoError(t, s.MarkServiceLinkedRoleInUse("", "AliyunServiceRoleForPolarDB_x", "cn-hangzhou", "pc-1"))
	s.Advance(roleDeletionDelay)
	call(rm, "GetServiceLinkedRoleDeletionStatus", mgmt, "DeletionTaskId", task)
	call(rm, "RegisterDelegatedAdministrator", mgmt, "AccountId", acc, "ServicePrincipal", "config.aliyuncs.com")
	call(rm, "ListDelegatedAdministrators", mgmt)
	call(rm, "ListDelegatedServicesForAccount", mgmt, "AccountId", acc)
	call(rm, "ListTrustedServiceStatus", mgmt)
	call(rm, "DeregisterDelegatedAdministrator", mgmt, "AccountId", acc, "ServicePrincipal", "config.aliyuncs.com")

	sh := str(call(rs, "CreateResourceShare", mgmt, "ResourceShareName", "s", "AllowExternalTargets", "true",
		"Resources.1.ResourceId", "vsw-1", "Resources.1.ResourceType", "VSwitch", "Targets.1", outsider, "Tag.1.Key", "k"),
		"ResourceShare", "ResourceShareId")
	call(rs, "UpdateResourceShare", mgmt, "ResourceShareId", sh, "ResourceShareName", "s2")
	call(rs, "TagResources", mgmt, "RegionId", "cn-hangzhou", "ResourceType", "ResourceShare", "ResourceId.1", sh, "Tag.1.Key", "env", "Tag.1.Value", "prod")
	call(rs, "ListTagResources", mgmt, "RegionId", "cn-hangzhou", "ResourceType", "ResourceShare", "ResourceId.1", sh)
	call(rs, "UntagResources", mgmt, "RegionId", "cn-hangzhou", "ResourceType", "ResourceShare", "ResourceId.1", sh, "TagKey.1", "env")
	call(rs, "ListResourceShares", mgmt, "ResourceOwner", "Self")
	call(rs, "ChangeResourceGroup", mgmt, "ResourceId", sh, "ResourceGroupId", g, "ResourceRegionId", "cn-hangzhou")
	call(rs, "AssociateResourceShare", mgmt, "ResourceShareId", sh, "Resources.1.ResourceId", "vsw-2", "Resources.1.ResourceType", "VSwitch", "Targets.1", acc)
	call(rs, "ListResourceShareAssociations", mgmt, "AssociationType", "Target")
	call(rs, "ListResourceShareAssociations", mgmt, "AssociationType", "Resource")
	invs := call(rs, "ListResourceShareInvitations", outsider)["ResourceShareInvitations"].([]any)
	require.Len(t, invs, 1)
	call(rs, "AcceptResourceShareInvitation", outsider, "ResourceShareInvitationId", invs[0].(map[string]any)["ResourceShareInvitationId"].(string))
	call(rs, "ListSharedResources", outsider, "ResourceOwner", "OtherAccounts")
	call(rs, "ListSharedResources", mgmt, "ResourceOwner", "Self")
	call(rs, "ListSharedTargets", mgmt, "ResourceOwner", "Self")
	call(rs, "ListPermissions", mgmt)
	call(rs, "GetPermission", mgmt, "PermissionName", "AliyunRSDefaultPermissionVSwitch")
	call(rs, "ListPermissionVersions", mgmt, "PermissionName", "AliyunRSDefaultPermissionVSwitch")
	call(rs, "AssociateResourceSharePermission", mgmt, "ResourceShareId", sh, "PermissionName", "AliyunRSDefaultPermissionImage")
	call(rs, "ListResourceSharePermissions", mgmt, "ResourceShareId", sh, "ResourceOwner", "Self")
	call(rs, "DisassociateResourceSharePermission", mgmt, "ResourceShareId", sh, "PermissionName", "AliyunRSDefaultPermissionImage")
	call(rs, "DisassociateResourceShare", mgmt, "ResourceShareId", sh, "Resources.1.ResourceId", "vsw-2", "Resources.1.ResourceType", "VSwitch")
	sh2 := str(call(rs, "CreateResourceShare", mgmt, "ResourceShareName", "other", "AllowExternalTargets", "true",
		"Targets.1", "5000000000000005"), "ResourceShare", "ResourceShareId")
	invs = call(rs, "ListResourceShareInvitations", "5000000000000005", "ResourceShareIds.1", sh2)["ResourceShareInvitations"].([]any)
	call(rs, "RejectResourceShareInvitation", "5000000000000005", "ResourceShareInvitationId", invs[0].(map[string]any)["ResourceShareInvitationId"].(string))
	call(rs, "DeleteResourceShare", mgmt, "ResourceShareId", sh2)
	call(rs, "DescribeRegions", mgmt)
	for _, action := range directoryShapeCalls(t, s) {
		done[rm+" "+action] = true
	}
	call(rs, "CheckSharingWithResourceDirectoryStatus", mgmt)
	call(rm, "DeleteResourceGroup", mgmt, "ResourceGroupId", str(call(rm, "CreateResourceGroup", mgmt, "Name", "g9", "DisplayName", "G"), "ResourceGroup", "Id"))

	resourceShapeCalls(t, s, call)

	s2 := newTestService(t, Config{RDSharingDisabled: true})
	id, secret := s2.Credentials("")
	p := url.Values{"Action": {"EnableSharingWithResourceDirectory"}, "Version": {rs}, "AccessKeyId": {id},
		"SignatureMethod": {signer.V1Method}, "SignatureVersion": {signer.V1Version}, "SignatureNonce": {signer.Nonce()},
		"Timestamp": {signer.Timestamp(s2.cfg.Wall())}}
	r := httptest.NewRecorder()
	s2.ServeHTTP(r, httptest.NewRequest(http.MethodPost, "/?"+signer.SignV1(http.MethodPost, p, secret), nil))
	require.Equal(t, http.StatusOK, r.Code, r.Body.String())
	done[rs+" EnableSharingWithResourceDirectory"] = true

	for version, prod := range s.products {
		for action := range prod.routes {
			if !done[version+" "+action] {
				t.Errorf("%s %s was not exercised", prod.name, action)
			}
		}
	}
}
