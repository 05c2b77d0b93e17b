package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out))
	for _, want := range []string{
		"VSwitch Associating",
		"later: Resource vsw-bp183p93qs667muql Associated",
		"share with yourself: true",
		"account outside the directory: true",
		"six targets: true",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), "= false")
}
