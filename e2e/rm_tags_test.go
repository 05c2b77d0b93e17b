package e2e_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcemanager"
)

func TestResourceManagerTagsOnResourceGroups(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	g1, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "one", DisplayName: "one"})
	require.NoError(t, err)
	g2, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "two", DisplayName: "two"})
	require.NoError(t, err)
	id1, id2 := g1.ResourceGroup.Id, g2.ResourceGroup.Id

	_, err = e.rm.TagResources(c, &resourcemanager.TagResourcesRequest{
		ResourceType: resourcemanager.ResourceTypeResourceGroup,
		ResourceId:   alicloud.List[string]{id1, id2},
		Tag:          alicloud.List[resourcemanager.Tag]{{Key: "team", Value: "web"}, {Key: "cost", Value: "1"}},
	})
	require.NoError(t, err)
	// Tagging an existing key replaces its value.
	_, err = e.rm.TagResources(c, &resourcemanager.TagResourcesRequest{ResourceId: alicloud.List[string]{id2},
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "team", Value: "db"}}})
	require.NoError(t, err)

	got, err := e.rm.GetResourceGroup(c, &resourcemanager.GetResourceGroupRequest{ResourceGroupId: id2, IncludeTags: true})
	require.NoError(t, err)
	require.Len(t, got.ResourceGroup.Tags, 2)
	assert.Equal(t, "team", got.ResourceGroup.Tags[0].TagKey)
	assert.Equal(t, "db", got.ResourceGroup.Tags[0].TagValue)

	all := collect(t, e.rm.ListTagResourcesAll(c, &resourcemanager.ListTagResourcesRequest{MaxResults: 1}))
	require.Len(t, all, 4)
	assert.Equal(t, resourcemanager.TagResource{ResourceId: id1, ResourceType: resourcemanager.ResourceTypeResourceGroup,
		TagKey: "team", TagValue: "web"}, all[0])
	first, err := e.rm.ListTagResources(c, &resourcemanager.ListTagResourcesRequest{MaxResults: 3})
	require.NoError(t, err)
	assert.Len(t, first.TagResources, 3)
	assert.NotEmpty(t, first.NextToken)

	byTag, err := e.rm.ListTagResources(c, &resourcemanager.ListTagResourcesRequest{
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "team", Value: "db"}}})
	require.NoError(t, err)
	require.Len(t, byTag.TagResources, 2)
	assert.Equal(t, id2, byTag.TagResources[0].ResourceId)
	byID, err := e.rm.ListTagResources(c, &resourcemanager.ListTagResourcesRequest{ResourceId: alicloud.List[string]{id1}})
	require.NoError(t, err)
	assert.Len(t, byID.TagResources, 2)

	groups, err := e.rm.ListResourceGroups(c, &resourcemanager.ListResourceGroupsRequest{
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "team", Value: "web"}}})
	require.NoError(t, err)
	require.Len(t, groups.ResourceGroups, 1)
	assert.Equal(t, id1, groups.ResourceGroups[0].Id)

	keys := collect(t, e.rm.ListTagKeysAll(c, &resourcemanager.ListTagKeysRequest{ResourceType: "ResourceGroup", MaxResults: 1}))
	assert.Equal(t, []resourcemanager.TagKey{{Key: "cost"}, {Key: "team"}}, keys)
	values, err := e.rm.ListTagValues(c, &resourcemanager.ListTagValuesRequest{ResourceType: "ResourceGroup", TagKey: "team"})
	require.NoError(t, err)
	assert.Equal(t, []resourcemanager.TagValue{{Value: "db"}, {Value: "web"}}, values.Tags)
	filtered, err := e.rm.ListTagValues(c, &resourcemanager.ListTagValuesRequest{ResourceType: "ResourceGroup", TagKey: "team", ValueFilter: "w"})
	require.NoError(t, err)
	assert.Equal(t, []resourcemanager.TagValue{{Value: "web"}}, filtered.Tags)

	_, err = e.rm.UntagResources(c, &resourcemanager.UntagResourcesRequest{ResourceId: alicloud.List[string]{id1},
		TagKey: alicloud.List[string]{"team"}})
	require.NoError(t, err)
	_, err = e.rm.UntagResources(c, &resourcemanager.UntagResourcesRequest{ResourceId: alicloud.List[string]{id2}, All: true})
	require.NoError(t, err)
	left, err := e.rm.ListTagResources(c, &resourcemanager.ListTagResourcesRequest{})
	require.NoError(t, err)
	require.Len(t, left.TagResources, 1)
	assert.Equal(t, resourcemanager.TagResource{ResourceId: id1, ResourceType: resourcemanager.ResourceTypeResourceGroup,
		TagKey: "cost", TagValue: "1"}, left.TagResources[0])
}

func TestResourceManagerTagsOnAccounts(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	a := e.member(t, "tagged")
	_, err := e.rm.TagResources(c, &resourcemanager.TagResourcesRequest{ResourceType: resourcemanager.ResourceTypeAccount,
		ResourceId: alicloud.List[string]{a}, Tag: alicloud.List[resourcemanager.Tag]{{Key: "env", Value: "prod"}}})
	require.NoError(t, err)

	got, err := e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: a, IncludeTags: true})
	require.NoError(t, err)
	assert.Equal(t, []resourcemanager.Tag{{Key: "env", Value: "prod"}}, got.Account.Tags)
	list, err := e.rm.ListAccounts(c, &resourcemanager.ListAccountsRequest{IncludeTags: true,
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "env"}}})
	require.NoError(t, err)
	require.Len(t, list.Accounts, 1)
	assert.Equal(t, a, list.Accounts[0].AccountId)

	tr, err := e.rm.ListTagResources(c, &resourcemanager.ListTagResourcesRequest{ResourceType: resourcemanager.ResourceTypeAccount})
	require.NoError(t, err)
	assert.Equal(t, []resourcemanager.TagResource{{ResourceId: a, ResourceType: resourcemanager.ResourceTypeAccount,
		TagKey: "env", TagValue: "prod"}}, tr.TagResources)
	keys, err := e.rm.ListTagKeys(c, &resourcemanager.ListTagKeysRequest{ResourceType: "Account", KeyFilter: "en"})
	require.NoError(t, err)
	assert.Equal(t, []resourcemanager.TagKey{{Key: "env"}}, keys.Tags)

	_, err = e.rm.UntagResources(c, &resourcemanager.UntagResourcesRequest{ResourceType: resourcemanager.ResourceTypeAccount,
		ResourceId: alicloud.List[string]{a}, All: true})
	require.NoError(t, err)
	got, err = e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: a, IncludeTags: true})
	require.NoError(t, err)
	assert.Empty(t, got.Account.Tags)
}

func TestResourceManagerTagErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	g, err := e.rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: "gg", DisplayName: "gg"})
	require.NoError(t, err)

	// An unknown resource fails the whole request: nothing is tagged.
	_, err = e.rm.TagResources(c, &resourcemanager.TagResourcesRequest{
		ResourceId: alicloud.List[string]{g.ResourceGroup.Id, "rg-doesnotexist"},
		Tag:        alicloud.List[resourcemanager.Tag]{{Key: "k", Value: "v"}}})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceGroup, http.StatusNotFound)
	left, err := e.rm.ListTagResources(c, &resourcemanager.ListTagResourcesRequest{})
	require.NoError(t, err)
	assert.Empty(t, left.TagResources)

	_, err = e.rm.UntagResources(c, &resourcemanager.UntagResourcesRequest{ResourceType: resourcemanager.ResourceTypeAccount,
		ResourceId: alicloud.List[string]{"9999999999999999"}, All: true})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsAccount, http.StatusNotFound)

	_, err = e.rm.ListTagResources(c, &resourcemanager.ListTagResourcesRequest{NextToken: "not-a-token"})
	require.Error(t, err)
	var apiErr *alicloud.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.HTTPStatus)

	// Only the management account tags member accounts.
	other, _ := e.as(e.member(t, "member"))
	_, err = other.ListTagKeys(c, &resourcemanager.ListTagKeysRequest{ResourceType: "Account"})
	require.Error(t, err)
	// A member tags its own resource groups, not the management account's.
	_, err = other.TagResources(c, &resourcemanager.TagResourcesRequest{ResourceId: alicloud.List[string]{g.ResourceGroup.Id},
		Tag: alicloud.List[resourcemanager.Tag]{{Key: "k", Value: "v"}}})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsResourceGroup, http.StatusNotFound)
}
