package alicloudtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/alicloudtest"
)

func TestAddResource(t *testing.T) {
	srv := alicloudtest.NewServer(t)
	r := alicloudtest.Resource{Service: "ecs", ResourceType: "instance", ResourceID: "i-test"}
	g, err := srv.AddResource(r)
	require.NoError(t, err)
	assert.Regexp(t, `^rg-`, g)
	again, err := srv.AddResource(r)
	require.NoError(t, err)
	assert.Equal(t, g, again)
	_, err = srv.AddResource(alicloudtest.Resource{Service: "ecs", ResourceType: "teapot", ResourceID: "t-1"})
	assert.Error(t, err)
	assert.True(t, srv.RemoveResource(r))
	assert.False(t, srv.RemoveResource(r))
}
