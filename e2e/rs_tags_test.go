package e2e_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcesharing"
)

func TestResourceShareTags(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	s1, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "one"})
	require.NoError(t, err)
	s2, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "two"})
	require.NoError(t, err)
	id1, id2 := s1.ResourceShare.ResourceShareId, s2.ResourceShare.ResourceShareId

	_, err = e.rs.TagResources(c, &resourcesharing.TagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id1, id2},
		Tag:        alicloud.List[resourcesharing.Tag]{{Key: "env", Value: "prod"}, {Key: "team", Value: "net"}}})
	require.NoError(t, err)

	byID, err := e.rs.ListTagResources(c, &resourcesharing.ListTagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id2}})
	require.NoError(t, err)
	assert.Equal(t, []resourcesharing.TagResource{
		{ResourceId: id2, ResourceType: "ResourceShare", TagKey: "env", TagValue: "prod"},
		{ResourceId: id2, ResourceType: "ResourceShare", TagKey: "team", TagValue: "net"},
	}, byID.TagResources)

	_, err = e.rs.UntagResources(c, &resourcesharing.UntagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id1}, TagKey: alicloud.List[string]{"env"}})
	require.NoError(t, err)
	byTag := collect(t, e.rs.ListTagResourcesAll(c, &resourcesharing.ListTagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		Tag: alicloud.List[resourcesharing.Tag]{{Key: "env", Value: "prod"}}}))
	require.Len(t, byTag, 2)
	for _, tr := range byTag {
		assert.Equal(t, id2, tr.ResourceId)
	}

	shares, err := e.rs.ListResourceShares(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: "Self",
		ResourceShareIds: alicloud.List[string]{id1}})
	require.NoError(t, err)
	require.Len(t, shares.ResourceShares, 1)

	_, err = e.rs.UntagResources(c, &resourcesharing.UntagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id1, id2}, All: true})
	require.NoError(t, err)
	none, err := e.rs.ListTagResources(c, &resourcesharing.ListTagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id1, id2}})
	require.NoError(t, err)
	assert.Empty(t, none.TagResources)
}

func TestResourceShareTagErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	sh, err := e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "mine"})
	require.NoError(t, err)
	id := sh.ResourceShare.ResourceShareId
	tags := alicloud.List[resourcesharing.Tag]{{Key: "k", Value: "v"}}

	_, err = e.rs.TagResources(c, &resourcesharing.TagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id, "rs-doesnotexist"}, Tag: tags})
	requireCode(t, err, resourcesharing.ErrInvalidResourceIdNotFound, http.StatusBadRequest)
	_, err = e.rs.TagResources(c, &resourcesharing.TagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "VSwitch",
		ResourceId: alicloud.List[string]{id}, Tag: tags})
	requireCode(t, err, resourcesharing.ErrInvalidParameterResourceType, http.StatusBadRequest)
	_, err = e.rs.UntagResources(c, &resourcesharing.UntagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id}})
	requireCode(t, err, resourcesharing.ErrMissingParameterTagKeysOrDeleteAll, http.StatusBadRequest)
	_, err = e.rs.UntagResources(c, &resourcesharing.UntagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare", All: true})
	requireCode(t, err, resourcesharing.ErrMissingParameterResourceIds, http.StatusBadRequest)
	_, err = e.rs.ListTagResources(c, &resourcesharing.ListTagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare"})
	requireCode(t, err, resourcesharing.ErrMissingParameterResourceIdOrTag, http.StatusBadRequest)

	// Another account's share is unknown to the caller.
	_, otherRS := e.as("7000000000000007")
	_, err = otherRS.TagResources(c, &resourcesharing.TagResourcesRequest{RegionId: alicloudtest.Region, ResourceType: "ResourceShare",
		ResourceId: alicloud.List[string]{id}, Tag: tags})
	requireCode(t, err, resourcesharing.ErrInvalidResourceIdNotFound, http.StatusBadRequest)
}
