package e2e_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/resourcemanager"
)

const trustPolicy = `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":"acs:ram::1000000000000001:root"}}],"Version":"1"}`

func TestRoleLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	created, err := e.rm.CreateRole(c, &resourcemanager.CreateRoleRequest{RoleName: "ECSAdmin",
		AssumeRolePolicyDocument: trustPolicy, Description: "ECS administrator"})
	require.NoError(t, err)
	r := created.Role
	assert.Equal(t, "ECSAdmin", r.RoleName)
	assert.NotEmpty(t, r.RoleId)
	assert.Equal(t, "acs:ram::1000000000000001:role/ecsadmin", r.Arn)
	assert.Equal(t, "ECSAdmin@role.1000000000000001.onaliyunservice.com", r.RolePrincipalName)
	assert.EqualValues(t, 3600, r.MaxSessionDuration)
	assert.Equal(t, trustPolicy, r.AssumeRolePolicyDocument)
	assert.False(t, r.CreateDate.IsZero())

	got, err := e.rm.GetRole(c, &resourcemanager.GetRoleRequest{RoleName: "ecsadmin"})
	require.NoError(t, err)
	assert.Equal(t, r.RoleId, got.Role.RoleId, "role names match regardless of case")
	assert.Equal(t, "ECS administrator", got.Role.Description)
	assert.False(t, got.Role.IsServiceLinkedRole)

	for _, name := range []string{"OSSReader", "ops.deploy"} {
		_, err = e.rm.CreateRole(c, &resourcemanager.CreateRoleRequest{RoleName: name, AssumeRolePolicyDocument: trustPolicy, MaxSessionDuration: 7200})
		require.NoError(t, err)
	}
	all := collect(t, e.rm.ListRolesAll(c, &resourcemanager.ListRolesRequest{PageSize: 2}))
	require.Len(t, all, 3)
	assert.Equal(t, []string{"ECSAdmin", "OSSReader", "ops.deploy"}, []string{all[0].RoleName, all[1].RoleName, all[2].RoleName})
	assert.EqualValues(t, 7200, all[1].MaxSessionDuration)
	page, err := e.rm.ListRoles(c, &resourcemanager.ListRolesRequest{PageNumber: 2, PageSize: 2})
	require.NoError(t, err)
	assert.EqualValues(t, 3, page.TotalCount)
	require.Len(t, page.Roles, 1)
	assert.Equal(t, "ops.deploy", page.Roles[0].RoleName)

	updated, err := e.rm.UpdateRole(c, &resourcemanager.UpdateRoleRequest{RoleName: "ECSAdmin", NewDescription: "changed", NewMaxSessionDuration: 43200})
	require.NoError(t, err)
	assert.Equal(t, "changed", updated.Role.Description)
	assert.EqualValues(t, 43200, updated.Role.MaxSessionDuration)
	assert.Equal(t, trustPolicy, updated.Role.AssumeRolePolicyDocument)

	_, err = e.rm.DeleteRole(c, &resourcemanager.DeleteRoleRequest{RoleName: "ECSAdmin"})
	require.NoError(t, err)
	_, err = e.rm.GetRole(c, &resourcemanager.GetRoleRequest{RoleName: "ECSAdmin"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistRole, http.StatusNotFound)
	left, err := e.rm.ListRoles(c, &resourcemanager.ListRolesRequest{})
	require.NoError(t, err)
	assert.EqualValues(t, 2, left.TotalCount)
}

func TestRoleErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	_, err := e.rm.CreateRole(c, &resourcemanager.CreateRoleRequest{RoleName: "dup", AssumeRolePolicyDocument: trustPolicy})
	require.NoError(t, err)
	_, err = e.rm.CreateRole(c, &resourcemanager.CreateRoleRequest{RoleName: "DUP", AssumeRolePolicyDocument: trustPolicy})
	requireCode(t, err, resourcemanager.ErrEntityAlreadyExistsRole, http.StatusConflict)
	require.True(t, errors.Is(err, resourcemanager.ErrEntityAlreadyExistsRole))
	_, err = e.rm.CreateRole(c, &resourcemanager.CreateRoleRequest{RoleName: "bad_name!", AssumeRolePolicyDocument: trustPolicy})
	requireCode(t, err, resourcemanager.ErrInvalidParameterRoleNameInvalidChars, http.StatusBadRequest)
	_, err = e.rm.CreateRole(c, &resourcemanager.CreateRoleRequest{RoleName: "broken", AssumeRolePolicyDocument: "{not json"})
	requireCode(t, err, resourcemanager.ErrMalformedPolicyDocument, http.StatusConflict)
	_, err = e.rm.UpdateRole(c, &resourcemanager.UpdateRoleRequest{RoleName: "dup", NewAssumeRolePolicyDocument: "[]"})
	requireCode(t, err, resourcemanager.ErrMalformedPolicyDocument, http.StatusConflict)

	_, err = e.rm.GetRole(c, &resourcemanager.GetRoleRequest{RoleName: "missing"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistRole, http.StatusNotFound)
	_, err = e.rm.UpdateRole(c, &resourcemanager.UpdateRoleRequest{RoleName: "missing", NewDescription: "x"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistRole, http.StatusNotFound)
	_, err = e.rm.DeleteRole(c, &resourcemanager.DeleteRoleRequest{RoleName: "missing"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistRole, http.StatusNotFound)

	// A role that is a principal of a policy attachment cannot be deleted.
	g, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "apps", DisplayName: "apps"})
	require.NoError(t, err)
	att := &resourcemanager.AttachPolicyRequest{PolicyName: "ReadOnlyAccess", PolicyType: resourcemanager.PolicyTypeSystem,
		ResourceGroupId: g.ResourceGroup.Id, PrincipalName: "dup@role.1000000000000001.onaliyunservice.com",
		PrincipalType: resourcemanager.PrincipalTypeServiceRole}
	_, err = e.rm.AttachPolicy(c, att)
	require.NoError(t, err)
	_, err = e.rm.DeleteRole(c, &resourcemanager.DeleteRoleRequest{RoleName: "dup"})
	requireCode(t, err, resourcemanager.ErrDeleteConflictRolePolicy, http.StatusConflict)
	_, err = e.rm.DetachPolicy(c, (*resourcemanager.DetachPolicyRequest)(att))
	require.NoError(t, err)
	_, err = e.rm.DeleteRole(c, &resourcemanager.DeleteRoleRequest{RoleName: "dup"})
	require.NoError(t, err)

	// Roles belong to the account that created them.
	_, err = e.rm.CreateRole(c, &resourcemanager.CreateRoleRequest{RoleName: "mine", AssumeRolePolicyDocument: trustPolicy})
	require.NoError(t, err)
	other, _ := e.as(e.member(t, "member"))
	_, err = other.GetRole(c, &resourcemanager.GetRoleRequest{RoleName: "mine"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistRole, http.StatusNotFound)
}
