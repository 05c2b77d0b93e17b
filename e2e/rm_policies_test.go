package e2e_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/resourcemanager"
)

const ossPolicy = `{"Statement":[{"Action":"oss:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`

func TestPolicyLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	created, err := e.rm.CreatePolicy(c, &resourcemanager.CreatePolicyRequest{PolicyName: "oss-all",
		PolicyDocument: ossPolicy, Description: "OSS for everyone"})
	require.NoError(t, err)
	assert.Equal(t, "oss-all", created.Policy.PolicyName)
	assert.EqualValues(t, resourcemanager.PolicyTypeCustom, created.Policy.PolicyType)
	assert.Equal(t, "v1", created.Policy.DefaultVersion)

	got, err := e.rm.GetPolicy(c, &resourcemanager.GetPolicyRequest{PolicyName: "oss-all", PolicyType: resourcemanager.PolicyTypeCustom})
	require.NoError(t, err)
	assert.Equal(t, ossPolicy, got.Policy.PolicyDocument)
	assert.Equal(t, "OSS for everyone", got.Policy.Description)
	assert.Zero(t, got.Policy.AttachmentCount)
	sys, err := e.rm.GetPolicy(c, &resourcemanager.GetPolicyRequest{PolicyName: "AdministratorAccess", PolicyType: resourcemanager.PolicyTypeSystem})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.PolicyTypeSystem, sys.Policy.PolicyType)

	custom := collect(t, e.rm.ListPoliciesAll(c, &resourcemanager.ListPoliciesRequest{PolicyType: resourcemanager.PolicyTypeCustom, PageSize: 1}))
	require.Len(t, custom, 1)
	assert.Equal(t, "oss-all", custom[0].PolicyName)
	all, err := e.rm.ListPolicies(c, &resourcemanager.ListPoliciesRequest{})
	require.NoError(t, err)
	assert.Greater(t, all.TotalCount, int32(1))

	g, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "apps", DisplayName: "apps"})
	require.NoError(t, err)
	gid := g.ResourceGroup.Id
	attach := func(name string, typ resourcemanager.PrincipalType) *resourcemanager.AttachPolicyRequest {
		return &resourcemanager.AttachPolicyRequest{PolicyName: "oss-all", PolicyType: resourcemanager.PolicyTypeCustom,
			ResourceGroupId: gid, PrincipalName: name, PrincipalType: typ}
	}
	_, err = e.rm.AttachPolicy(c, attach("alice@1000000000000001.onaliyun.com", resourcemanager.PrincipalTypeIMSUser))
	require.NoError(t, err)
	_, err = e.rm.AttachPolicy(c, attach("ops@1000000000000001.onaliyun.com", resourcemanager.PrincipalTypeIMSGroup))
	require.NoError(t, err)

	atts := collect(t, e.rm.ListPolicyAttachmentsAll(c, &resourcemanager.ListPolicyAttachmentsRequest{ResourceGroupId: gid, PageSize: 1}))
	require.Len(t, atts, 2)
	assert.Equal(t, "alice@1000000000000001.onaliyun.com", atts[0].PrincipalName)
	assert.Equal(t, "OSS for everyone", atts[0].Description)
	assert.Equal(t, gid, atts[0].ResourceGroupId)
	byType, err := e.rm.ListPolicyAttachments(c, &resourcemanager.ListPolicyAttachmentsRequest{PrincipalType: resourcemanager.PrincipalTypeIMSGroup})
	require.NoError(t, err)
	require.Len(t, byType.PolicyAttachments, 1)
	got, err = e.rm.GetPolicy(c, &resourcemanager.GetPolicyRequest{PolicyName: "oss-all", PolicyType: resourcemanager.PolicyTypeCustom})
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Policy.AttachmentCount)

	// A policy attached to a principal cannot be deleted.
	_, err = e.rm.DeletePolicy(c, &resourcemanager.DeletePolicyRequest{PolicyName: "oss-all"})
	requireCode(t, err, resourcemanager.ErrDeleteConflictPolicyUser, http.StatusConflict)
	_, err = e.rm.DetachPolicy(c, (*resourcemanager.DetachPolicyRequest)(attach("alice@1000000000000001.onaliyun.com", resourcemanager.PrincipalTypeIMSUser)))
	require.NoError(t, err)
	_, err = e.rm.DeletePolicy(c, &resourcemanager.DeletePolicyRequest{PolicyName: "oss-all"})
	requireCode(t, err, resourcemanager.ErrDeleteConflictPolicyGroup, http.StatusConflict)
	_, err = e.rm.DetachPolicy(c, (*resourcemanager.DetachPolicyRequest)(attach("ops@1000000000000001.onaliyun.com", resourcemanager.PrincipalTypeIMSGroup)))
	require.NoError(t, err)
	_, err = e.rm.DeletePolicy(c, &resourcemanager.DeletePolicyRequest{PolicyName: "oss-all"})
	require.NoError(t, err)
	_, err = e.rm.GetPolicy(c, &resourcemanager.GetPolicyRequest{PolicyName: "oss-all", PolicyType: resourcemanager.PolicyTypeCustom})
	requireCode(t, err, resourcemanager.ErrEntityNotExistPolicy, http.StatusNotFound)
}

func TestPolicyErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	_, err := e.rm.CreatePolicy(c, &resourcemanager.CreatePolicyRequest{PolicyName: "dup", PolicyDocument: ossPolicy})
	require.NoError(t, err)
	_, err = e.rm.CreatePolicy(c, &resourcemanager.CreatePolicyRequest{PolicyName: "dup", PolicyDocument: ossPolicy})
	requireCode(t, err, resourcemanager.ErrEntityAlreadyExistsPolicy, http.StatusConflict)
	_, err = e.rm.CreatePolicy(c, &resourcemanager.CreatePolicyRequest{PolicyName: "AdministratorAccess", PolicyDocument: ossPolicy})
	requireCode(t, err, resourcemanager.ErrEntityAlreadyExistsPolicy, http.StatusConflict)
	_, err = e.rm.CreatePolicy(c, &resourcemanager.CreatePolicyRequest{PolicyName: "bad_name", PolicyDocument: ossPolicy})
	requireCode(t, err, resourcemanager.ErrInvalidParameterPolicyNameInvalidChars, http.StatusBadRequest)
	_, err = e.rm.CreatePolicy(c, &resourcemanager.CreatePolicyRequest{PolicyName: "broken", PolicyDocument: "{not json"})
	requireCode(t, err, resourcemanager.ErrMalformedPolicyDocument, http.StatusConflict)

	_, err = e.rm.GetPolicy(c, &resourcemanager.GetPolicyRequest{PolicyName: "missing", PolicyType: resourcemanager.PolicyTypeCustom})
	requireCode(t, err, resourcemanager.ErrEntityNotExistPolicy, http.StatusNotFound)
	_, err = e.rm.DeletePolicy(c, &resourcemanager.DeletePolicyRequest{PolicyName: "missing"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistPolicy, http.StatusNotFound)
	_, err = e.rm.AttachPolicy(c, &resourcemanager.AttachPolicyRequest{PolicyName: "missing", PolicyType: resourcemanager.PolicyTypeCustom,
		ResourceGroupId: "rg-doesnotexist", PrincipalName: "a@b.onaliyun.com", PrincipalType: resourcemanager.PrincipalTypeIMSUser})
	requireCode(t, err, resourcemanager.ErrEntityNotExistPolicy, http.StatusNotFound)
	_, err = e.rm.AttachPolicy(c, &resourcemanager.AttachPolicyRequest{PolicyName: "dup", PolicyType: resourcemanager.PolicyTypeCustom,
		ResourceGroupId: "rg-doesnotexist", PrincipalName: "a@b.onaliyun.com", PrincipalType: resourcemanager.PrincipalTypeIMSUser})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceGroup, http.StatusNotFound)
	_, err = e.rm.ListPolicyAttachments(c, &resourcemanager.ListPolicyAttachmentsRequest{ResourceGroupId: "rg-doesnotexist"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceGroup, http.StatusNotFound)

	// Custom policies belong to the account that created them.
	other, _ := e.as(e.member(t, "member"))
	_, err = other.GetPolicy(c, &resourcemanager.GetPolicyRequest{PolicyName: "dup", PolicyType: resourcemanager.PolicyTypeCustom})
	requireCode(t, err, resourcemanager.ErrEntityNotExistPolicy, http.StatusNotFound)
}
