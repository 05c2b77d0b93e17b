package e2e_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/resourcemanager"
)

const denyRAMPolicy = `{"Statement":[{"Action":"ram:*","Effect":"Deny","Resource":"*"}],"Version":"1"}`

func TestControlPolicyLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	created, err := e.rm.CreateControlPolicy(c, &resourcemanager.CreateControlPolicyRequest{PolicyName: "deny-ram",
		EffectScope: "RAM", PolicyDocument: denyRAMPolicy, Description: "no RAM changes"})
	require.NoError(t, err)
	cp := created.ControlPolicy
	assert.Equal(t, "deny-ram", cp.PolicyName)
	assert.Equal(t, resourcemanager.PolicyTypeCustom, cp.PolicyType)
	assert.Equal(t, "0", cp.AttachmentCount)
	require.NotEmpty(t, cp.PolicyId)

	got, err := e.rm.GetControlPolicy(c, &resourcemanager.GetControlPolicyRequest{PolicyId: cp.PolicyId})
	require.NoError(t, err)
	assert.Equal(t, denyRAMPolicy, got.ControlPolicy.PolicyDocument)
	assert.Equal(t, resourcemanager.EffectScopeRAM, got.ControlPolicy.EffectScope)

	all := collect(t, e.rm.ListControlPoliciesAll(c, &resourcemanager.ListControlPoliciesRequest{PageSize: 1}))
	require.Len(t, all, 2, "the system FullAliyunAccess and the custom policy")
	custom, err := e.rm.ListControlPolicies(c, &resourcemanager.ListControlPoliciesRequest{PolicyType: resourcemanager.PolicyTypeCustom})
	require.NoError(t, err)
	require.Len(t, custom.ControlPolicies, 1)

	folder, err := e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: "prod"})
	require.NoError(t, err)
	fid := folder.Folder.FolderId
	memberID := e.member(t, "cp-member")
	for _, target := range []string{fid, memberID} {
		_, err = e.rm.AttachControlPolicy(c, &resourcemanager.AttachControlPolicyRequest{PolicyId: cp.PolicyId, TargetId: target})
		require.NoError(t, err)
	}
	_, err = e.rm.AttachControlPolicy(c, &resourcemanager.AttachControlPolicyRequest{PolicyId: cp.PolicyId, TargetId: fid})
	require.NoError(t, err, "attaching twice changes nothing")

	targets := collect(t, e.rm.ListTargetAttachmentsForControlPolicyAll(c,
		&resourcemanager.ListTargetAttachmentsForControlPolicyRequest{PolicyId: cp.PolicyId, PageSize: 1}))
	require.Len(t, targets, 2)
	assert.Equal(t, fid, targets[0].TargetId)
	assert.EqualValues(t, "Folder", targets[0].TargetType)
	assert.Equal(t, "prod", targets[0].TargetName)
	assert.Equal(t, memberID, targets[1].TargetId)
	assert.EqualValues(t, "Account", targets[1].TargetType)

	// New folders and accounts inherit FullAliyunAccess, as the root has it.
	onFolder, err := e.rm.ListControlPolicyAttachmentsForTarget(c, &resourcemanager.ListControlPolicyAttachmentsForTargetRequest{TargetId: fid})
	require.NoError(t, err)
	var names []string
	for _, a := range onFolder.ControlPolicyAttachments {
		names = append(names, a.PolicyName)
	}
	assert.ElementsMatch(t, []string{"FullAliyunAccess", "deny-ram"}, names)
	got, err = e.rm.GetControlPolicy(c, &resourcemanager.GetControlPolicyRequest{PolicyId: cp.PolicyId})
	require.NoError(t, err)
	assert.Equal(t, "2", got.ControlPolicy.AttachmentCount)

	// An attached control policy cannot be deleted.
	_, err = e.rm.DeleteControlPolicy(c, &resourcemanager.DeleteControlPolicyRequest{PolicyId: cp.PolicyId})
	require.Error(t, err)

	// A custom policy detaches; the last policy of a target does not.
	for _, target := range []string{fid, memberID} {
		_, err = e.rm.DetachControlPolicy(c, &resourcemanager.DetachControlPolicyRequest{PolicyId: cp.PolicyId, TargetId: target})
		require.NoError(t, err)
	}
	_, err = e.rm.DetachControlPolicy(c, &resourcemanager.DetachControlPolicyRequest{PolicyId: "p-FullAliyunAccess", TargetId: fid})
	requireCode(t, err, resourcemanager.ErrNotSupportDetachLastControlPolicy, http.StatusBadRequest)
	onFolder, err = e.rm.ListControlPolicyAttachmentsForTarget(c, &resourcemanager.ListControlPolicyAttachmentsForTargetRequest{TargetId: fid})
	require.NoError(t, err)
	require.Len(t, onFolder.ControlPolicyAttachments, 1)
	assert.Equal(t, "FullAliyunAccess", onFolder.ControlPolicyAttachments[0].PolicyName)

	_, err = e.rm.DeleteControlPolicy(c, &resourcemanager.DeleteControlPolicyRequest{PolicyId: cp.PolicyId})
	require.NoError(t, err)
	_, err = e.rm.GetControlPolicy(c, &resourcemanager.GetControlPolicyRequest{PolicyId: cp.PolicyId})
	requireCode(t, err, resourcemanager.ErrEntityNotExistPolicy, http.StatusNotFound)
}

func TestControlPolicyErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	created, err := e.rm.CreateControlPolicy(c, &resourcemanager.CreateControlPolicyRequest{PolicyName: "dup",
		EffectScope: "RAM", PolicyDocument: denyRAMPolicy})
	require.NoError(t, err)
	id := created.ControlPolicy.PolicyId
	_, err = e.rm.CreateControlPolicy(c, &resourcemanager.CreateControlPolicyRequest{PolicyName: "dup",
		EffectScope: "RAM", PolicyDocument: denyRAMPolicy})
	require.True(t, errors.Is(err, resourcemanager.ErrEntityAlreadyExistsPolicy), "%v", err)
	_, err = e.rm.CreateControlPolicy(c, &resourcemanager.CreateControlPolicyRequest{PolicyName: "broken",
		EffectScope: "RAM", PolicyDocument: "{not json"})
	require.True(t, errors.Is(err, resourcemanager.ErrMalformedPolicyDocument), "%v", err)

	_, err = e.rm.AttachControlPolicy(c, &resourcemanager.AttachControlPolicyRequest{PolicyId: id, TargetId: "fd-0000000000"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsTarget, http.StatusNotFound)
	_, err = e.rm.DetachControlPolicy(c, &resourcemanager.DetachControlPolicyRequest{PolicyId: id, TargetId: "9999999999999999"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsTarget, http.StatusNotFound)
	_, err = e.rm.ListControlPolicyAttachmentsForTarget(c, &resourcemanager.ListControlPolicyAttachmentsForTargetRequest{TargetId: "fd-0000000000"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsTarget, http.StatusNotFound)

	// The root folder starts with FullAliyunAccess, its only policy.
	rd, err := e.rm.GetResourceDirectory(c, &resourcemanager.GetResourceDirectoryRequest{})
	require.NoError(t, err)
	_, err = e.rm.DetachControlPolicy(c, &resourcemanager.DetachControlPolicyRequest{PolicyId: "p-FullAliyunAccess", TargetId: rd.ResourceDirectory.RootFolderId})
	requireCode(t, err, resourcemanager.ErrNotSupportDetachLastControlPolicy, http.StatusBadRequest)

	_, err = e.rm.GetControlPolicy(c, &resourcemanager.GetControlPolicyRequest{PolicyId: "cp-missing"})
	require.True(t, errors.Is(err, resourcemanager.ErrEntityNotExistPolicy), "%v", err)

	// Only the management account manages control policies.
	member, _ := e.as(e.member(t, "member"))
	_, err = member.ListControlPolicies(c, &resourcemanager.ListControlPoliciesRequest{})
	require.Error(t, err)
}
