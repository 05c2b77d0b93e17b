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
		"ResourceAccount, CreateSuccess, joined created",
		"passes = true",
		"display name used = true",
		"unknown folder: true",
		"directory full: LimitExceeded.Account (HTTP 409)",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), "= false")
}
