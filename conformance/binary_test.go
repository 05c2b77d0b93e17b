package conformance_test

// The standalone emulator, cmd/alicloud-emulator, as clients outside Go
// tests meet it: the binary is built, started on a loopback port with a
// state file, and driven by the official v1 Go SDK, the darabonba v2 client
// and the official TypeScript SDK (conformance/ts), each through a
// workflow of both products.

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcesharing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// emulatorBinary builds cmd/alicloud-emulator once per test run.
func emulatorBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "alicloud-emulator-conformance")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "alicloud-emulator")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/resourcekit/alicloud/cmd/alicloud-emulator").CombinedOutput()
		if err != nil {
			buildErr = &buildError{err: err, out: string(out)}
		}
	})
	require.NoError(t, buildErr)
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + e.out }

// binary is a running emulator process.
type binary struct {
	host    string // host:port
	url     string
	keyID   string
	secret  string
	outside outsideKey
}

type outsideKey struct {
	AccountID       string `json:"accountId"`
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
}

// startBinary runs the emulator with a state file on a free port, and
// registers an account outside the resource directory through the admin
// API.
func startBinary(t *testing.T) *binary {
	t.Helper()
	state := filepath.Join(t.TempDir(), "emulator.state")
	cmd := exec.Command(emulatorBinary(t), "-addr", "127.0.0.1:0", "-state", state, "-log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("the emulator did not stop on SIGINT")
		}
		if t.Failed() {
			t.Logf("emulator stderr:\n%s", stderr.String())
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "no ready line")
	b := &binary{}
	for _, f := range strings.Fields(line) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "url":
			b.url = v
		case "access_key_id":
			b.keyID = v
		case "access_key_secret":
			b.secret = v
		}
	}
	b.host = strings.TrimPrefix(b.url, "http://")
	require.True(t, strings.HasPrefix(b.host, "127.0.0.1:"), line)
	require.NotEmpty(t, b.secret, line)

	resp, err := http.Post(b.url+"/_emulator/accounts", "application/json", strings.NewReader(`{"accountId":"7000000000000801"}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&b.outside))
	return b
}

func TestBinaryWithTheTypeScriptSDK(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs("ts")
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@alicloud", "resourcemanager20200331")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("conformance/ts is not installed (run npm ci there): %v", err)
		}
		t.Skip("conformance/ts is not installed: run npm ci in conformance/ts")
	}
	node, err := exec.LookPath("node")
	require.NoError(t, err, "node is needed for the TypeScript SDK")
	b := startBinary(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "workflow.cjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"EMULATOR_ENDPOINT="+b.host,
		"MANAGEMENT_KEY_ID="+b.keyID, "MANAGEMENT_KEY_SECRET="+b.secret,
		"OUTSIDE_ACCOUNT_ID="+b.outside.AccountID,
		"OUTSIDE_KEY_ID="+b.outside.AccessKeyID, "OUTSIDE_KEY_SECRET="+b.outside.AccessKeySecret)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	var ids map[string]string
	require.NoError(t, json.Unmarshal(out[strings.LastIndex(strings.TrimSpace(string(out)), "\n")+1:], &ids), "%s", out)
	assert.True(t, strings.HasPrefix(ids["shareId"], "rs-"), ids)

	// What the TypeScript client did is there for a Go client too.
	v1rs := b.v1Sharing(t, b.keyID, b.secret)
	req := resourcesharing.CreateListResourceSharesRequest()
	req.ResourceOwner = "Self"
	shares, err := v1rs.ListResourceShares(req)
	require.NoError(t, err)
	require.Len(t, shares.ResourceShares, 1)
	assert.Equal(t, ids["shareId"], shares.ResourceShares[0].ResourceShareId)
}

// v1Sharing and v1Manager are v1 SDK clients of the binary: plain HTTP to
// its endpoint, no retries, the loopback-only transport.
func (b *binary) v1Sharing(t *testing.T, id, secret string) *resourcesharing.Client {
	t.Helper()
	c, err := resourcesharing.NewClientWithOptions(region, b.v1Config(t), credentials.NewAccessKeyCredential(id, secret))
	require.NoError(t, err)
	c.Domain = b.host
	return c
}

func (b *binary) v1Manager(t *testing.T) *resourcemanager.Client {
	t.Helper()
	c, err := resourcemanager.NewClientWithOptions(region, b.v1Config(t), credentials.NewAccessKeyCredential(b.keyID, b.secret))
	require.NoError(t, err)
	c.Domain = b.host
	return c
}

func (b *binary) v1Config(t *testing.T) *sdk.Config {
	cfg := sdk.NewConfig()
	cfg.Scheme = "HTTP"
	cfg.AutoRetry = false
	cfg.Timeout = 10 * time.Second
	cfg.Transport = newWire(t)
	return cfg
}

func TestBinaryWithTheV1SDK(t *testing.T) {
	t.Parallel()
	b := startBinary(t)
	rmc := b.v1Manager(t)
	folder := resourcemanager.CreateCreateFolderRequest()
	folder.FolderName = "v1-workloads"
	f, err := rmc.CreateFolder(folder)
	require.NoError(t, err)
	acct := resourcemanager.CreateCreateResourceAccountRequest()
	acct.DisplayName = "v1-prod"
	acct.AccountNamePrefix = "v1-prod"
	acct.ParentFolderId = f.Folder.FolderId
	a, err := rmc.CreateResourceAccount(acct)
	require.NoError(t, err)
	_, err = rmc.CreateResourceAccount(acct)
	requireV1Error(t, err, "InvalidParameter.Account.DisplayName.AlreadyUsed", http.StatusConflict)

	owner := b.v1Sharing(t, b.keyID, b.secret)
	invitee := b.v1Sharing(t, b.outside.AccessKeyID, b.outside.AccessKeySecret)
	create := resourcesharing.CreateCreateResourceShareRequest()
	create.ResourceShareName = "v1-network"
	create.AllowExternalTargets = requests.NewBoolean(true)
	share, err := owner.CreateResourceShare(create)
	require.NoError(t, err)
	assoc := resourcesharing.CreateAssociateResourceShareRequest()
	assoc.ResourceShareId = share.ResourceShare.ResourceShareId
	assoc.Targets = &[]string{a.Account.AccountId, b.outside.AccountID}
	_, err = owner.AssociateResourceShare(assoc)
	require.NoError(t, err)
	listed, err := invitee.ListResourceShareInvitations(resourcesharing.CreateListResourceShareInvitationsRequest())
	require.NoError(t, err)
	require.Len(t, listed.ResourceShareInvitations, 1)
	accept := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	accept.ResourceShareInvitationId = listed.ResourceShareInvitations[0].ResourceShareInvitationId
	_, err = invitee.AcceptResourceShareInvitation(accept)
	require.NoError(t, err)
	_, err = invitee.AcceptResourceShareInvitation(accept)
	requireV1Error(t, err, "InvitationStatus.AlreadyAccepted", http.StatusConflict)
}

func TestBinaryWithTheV2Client(t *testing.T) {
	for _, m := range v2Modes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			b := startBinary(t)
			e := &v2{wire: newWire(t), host: b.host, mode: m}
			c := e.clientWithKeys(t, b.keyID, b.secret)
			f, err := e.call(t, c, "2020-03-31", "CreateFolder", map[string]any{"FolderName": "v2-workloads"}, nil)
			require.NoError(t, err)
			folderID := obj(t, f, "Folder")["FolderId"].(string)
			_, err = e.call(t, c, "2020-03-31", "CreateFolder", map[string]any{"FolderName": "v2-workloads"}, nil)
			requireV2Error(t, err, "InvalidParameter.Folder.Name.AlreadyUsed", http.StatusBadRequest)
			a, err := e.call(t, c, "2020-03-31", "CreateResourceAccount",
				map[string]any{"DisplayName": "v2-prod", "AccountNamePrefix": "v2-prod", "ParentFolderId": folderID}, nil)
			require.NoError(t, err)
			accountID := obj(t, a, "Account")["AccountId"].(string)
			s, err := e.call(t, c, "2020-01-10", "CreateResourceShare", map[string]any{"ResourceShareName": "v2-network", "RegionId": region}, nil)
			require.NoError(t, err)
			shareID := obj(t, s, "ResourceShare")["ResourceShareId"].(string)
			_, err = e.call(t, c, "2020-01-10", "AssociateResourceShare",
				map[string]any{"ResourceShareId": shareID, "Targets": []string{accountID}, "RegionId": region}, nil)
			require.NoError(t, err)
			l, err := e.call(t, c, "2020-01-10", "ListResourceShareAssociations",
				map[string]any{"AssociationType": "Target", "ResourceShareIds": []string{shareID}, "RegionId": region}, nil)
			require.NoError(t, err)
			require.Len(t, list(t, l, "ResourceShareAssociations"), 1)
		})
	}
}
