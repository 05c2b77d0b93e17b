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
		"page 1 ",
		"page 2 (next token \"\")",
		"snapshots from 1000000000000001: Pending",
		": 1\n",
		"invalid = true",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), "= false")
}
