package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
)

func TestQuickstartAgainstTheEmulator(t *testing.T) {
	t.Setenv(alicloud.EnvAccessKeyID, "") // never the live mode in tests
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out))
	text := out.String()
	for _, want := range []string{
		"using the in-process emulator at http://127.0.0.1:",
		"created folder Engineering",
		"created member Dev",
		"created resource share shared-network",
		"Target   1800000000000018 Associating (external: true)",
		": Pending",
		"accepted: Accepted",
		"can now use VSwitch vsw-quickstart (Available)",
		"InvitationStatus.AlreadyAccepted (HTTP 409), handled with errors.Is",
		"caught before sending",
		"Associated after the invitation was accepted",
		"page 1 (4 accounts in all):",
		"page 2 (4 accounts in all):",
		"attempt 1: HTTP 400 LimitExceeded.Frequency (retry: true)",
		"attempt 3: HTTP 200  (retry: false)",
		"ListAccounts succeeded after 3 attempts: 4 accounts",
	} {
		assert.Contains(t, text, want)
	}
	assert.LessOrEqual(t, bytes.Count(out.Bytes(), []byte("\n")), 60, "about a page of output")
}
