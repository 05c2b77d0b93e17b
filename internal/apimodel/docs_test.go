package apimodel

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The overlay is keyed by names of the description; a key that names
// nothing is a description the generator would silently drop.
func TestDocsNameOnlyWhatTheDescriptionHas(t *testing.T) {
	for _, name := range []string{"resourcesharing", "resourcemanager"} {
		p, err := Load(name)
		require.NoError(t, err)
		d, err := LoadDocs(name)
		require.NoError(t, err)
		assert.NotEmpty(t, d.Operations, name)
		assert.Empty(t, d.Stale(p), "%s: overlay keys that name nothing", name)
	}
}

func TestDocsStaleFindsUnknownKeys(t *testing.T) {
	p := &Product{Operations: []*Operation{{Name: "Op",
		Request:  []*Param{{Name: "Tag", Type: "array", Items: &Param{Type: "object", Fields: []*Param{{Name: "Key"}}}}},
		Response: []*Param{{Name: "RequestId"}}}}}
	d := &Docs{Operations: map[string]OperationDocs{
		"Op":    {Request: map[string]string{"Tag": "x", "Tag.Key": "x", "Tag.Value": "x"}, Response: map[string]string{"RequestId": "x", "Nope": "x"}},
		"Other": {},
	}}
	assert.Equal(t, []string{"Op request Tag.Value", "Op response Nope", "operation Other"}, d.Stale(p))
	_, err := LoadDocs("nothing")
	require.Error(t, err)
}

// Every operation, request parameter (nested fields included), top-level
// reply field and reply object (entity) with each of its fields has a
// description in the overlay, so no operation arrives undocumented.
func TestDocsCoverEverything(t *testing.T) {
	for _, name := range []string{"resourcesharing", "resourcemanager"} {
		p, err := Load(name)
		require.NoError(t, err)
		d, err := LoadDocs(name)
		require.NoError(t, err)
		missing := d.Missing(p)
		assert.Empty(t, missing, "%s: %d descriptions missing", name, len(missing))
	}
}
