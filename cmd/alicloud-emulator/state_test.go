package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// The test binary doubles as the emulator when this variable is set, so
// that a test can kill it with SIGKILL.
const mainEnv = "ALICLOUD_EMULATOR_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// landingZone makes a few writes of both products, a clock advance, a
// throttled call and an external account, as a user's session would.
func landingZone(t *testing.T, url string, cfg alicloud.Config) {
	t.Helper()
	ctx := context.Background()
	rm := resourcemanager.New(cfg)
	rs := resourcesharing.New(cfg)
	dir, err := rm.GetResourceDirectory(ctx, nil)
	require.NoError(t, err)
	folder, err := rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "workloads",
		ParentFolderId: dir.ResourceDirectory.RootFolderId})
	require.NoError(t, err)
	acct, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "prod",
		AccountNamePrefix: "prod", ParentFolderId: folder.Folder.FolderId})
	require.NoError(t, err)
	share, err := rs.CreateResourceShare(ctx, &resourcesharing.CreateResourceShareRequest{ResourceShareName: "network"})
	require.NoError(t, err)
	_, err = rs.AssociateResourceShare(ctx, &resourcesharing.AssociateResourceShareRequest{
		ResourceShareId: share.ResourceShare.ResourceShareId, Targets: []string{acct.Account.AccountId}})
	require.NoError(t, err)
	status, _ := adminCall(t, http.MethodPost, url+"/_emulator/faults/throttle", "", `{"count":1,"action":"CreateFolder"}`)
	require.Equal(t, http.StatusOK, status)
	_, err = rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "throttled"})
	require.ErrorIs(t, err, resourcemanager.ErrLimitExceededFrequency)
	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/advance?by=2h", "", "")
	require.Equal(t, http.StatusOK, status)
	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/accounts", "", `{"accountId":"1342540311780001"}`)
	require.Equal(t, http.StatusOK, status)
	_, err = rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "after-the-advance"})
	require.NoError(t, err)
	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/resources", "", `{"service":"ecs","resourceType":"instance","resourceId":"i-state1"}`)
	require.Equal(t, http.StatusOK, status)
	status, _ = adminCall(t, http.MethodPost, url+"/_emulator/trusted-services", "", `{"servicePrincipal":"config.aliyuncs.com"}`)
	require.Equal(t, http.StatusOK, status)
}

// snapshot is what a client can see of the state: both products' lists,
// the accounts and their keys, and the clock, without request IDs.
func snapshot(t *testing.T, url string, cfg alicloud.Config) string {
	t.Helper()
	ctx := context.Background()
	rm := resourcemanager.New(cfg)
	rs := resourcesharing.New(cfg)
	var parts []any
	add := func(v any, err error) {
		t.Helper()
		require.NoError(t, err)
		parts = append(parts, v)
	}
	add(rm.GetResourceDirectory(ctx, nil))
	add(rm.ListAccounts(ctx, nil))
	add(rm.ListFoldersForParent(ctx, nil))
	add(rm.ListResourceGroups(ctx, nil))
	add(rm.ListResources(ctx, nil))
	add(rm.ListTrustedServiceStatus(ctx, nil))
	add(rs.ListResourceShares(ctx, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf}))
	add(rs.ListResourceShareAssociations(ctx, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeTarget}))
	_, accounts := adminCall(t, http.MethodGet, url+"/_emulator/accounts", "", "")
	parts = append(parts, accounts)
	b, err := json.Marshal(parts)
	require.NoError(t, err)
	var generic any
	require.NoError(t, json.Unmarshal(b, &generic))
	dropRequestIDs(generic)
	b, err = json.MarshalIndent(generic, "", " ")
	require.NoError(t, err)
	_, health := adminCall(t, http.MethodGet, url+"/_emulator/health", "", "")
	now, err := time.Parse(time.RFC3339, health["now"].(string))
	require.NoError(t, err)
	// The clock: how far the emulator is ahead of the wall clock, to the hour.
	return string(b) + fmt.Sprintf("\nclock ahead by %v", time.Until(now).Round(time.Hour))
}

func dropRequestIDs(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "RequestId")
		for _, e := range x {
			dropRequestIDs(e)
		}
	case []any:
		for _, e := range x {
			dropRequestIDs(e)
		}
	}
}

func TestStateFileSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "emulator.state")
	url, ready := start(t, "-state", path)
	cfg := config(url, ready["access_key_id"], ready["access_key_secret"])
	landingZone(t, url, cfg)
	before := snapshot(t, url, cfg)
	assert.Contains(t, before, "clock ahead by 2h0m0s")
	assert.Contains(t, before, "after-the-advance")
	assert.Contains(t, before, "i-state1")
	assert.Contains(t, before, "config.aliyuncs.com")

	// A second emulator on the same file: the same key, resources and clock.
	url2, ready2 := start(t, "-state", path)
	assert.Equal(t, ready["access_key_id"], ready2["access_key_id"], "the random key is part of the state")
	assert.Equal(t, ready["access_key_secret"], ready2["access_key_secret"])
	cfg2 := config(url2, ready2["access_key_id"], ready2["access_key_secret"])
	assert.Equal(t, before, snapshot(t, url2, cfg2))

	// It goes on from there: new IDs do not collide with the old ones.
	_, err := resourcemanager.New(cfg2).CreateFolder(context.Background(), &resourcemanager.CreateFolderRequest{FolderName: "after-restart"})
	require.NoError(t, err)
	folders, err := resourcemanager.New(cfg2).ListFoldersForParent(context.Background(), nil)
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, f := range folders.Folders {
		assert.False(t, ids[f.FolderId], "folder ID %s twice", f.FolderId)
		ids[f.FolderId] = true
	}
	assert.Len(t, folders.Folders, 3)

	// A reset clears the file too: the next start finds a fresh state with
	// the same management key.
	status, _ := adminCall(t, http.MethodPost, url2+"/_emulator/reset", "", "")
	require.Equal(t, http.StatusOK, status)
	url3, ready3 := start(t, "-state", path)
	assert.Equal(t, ready["access_key_id"], ready3["access_key_id"])
	cfg3 := config(url3, ready3["access_key_id"], ready3["access_key_secret"])
	folders, err = resourcemanager.New(cfg3).ListFoldersForParent(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, folders.Folders)
	accounts, err := resourcemanager.New(cfg3).ListAccounts(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, accounts.Accounts, 1, "the management account alone")
}

func TestStateDumpAndLoadThroughTheAdminAPI(t *testing.T) {
	url, ready := start(t, "-access-key-id", "LTAIdump", "-access-key-secret", "dump-secret")
	cfg := config(url, ready["access_key_id"], "dump-secret")
	landingZone(t, url, cfg)
	before := snapshot(t, url, cfg)

	resp, err := http.Get(url + "/_emulator/state")
	require.NoError(t, err)
	doc, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.True(t, strings.HasPrefix(string(doc), `{"format":"alicloud-emulator-state","version":1,`), "%.200s", doc)
	assert.NotContains(t, string(doc), "Signature=", "no request signature is kept")

	// Loaded into another emulator, started with another key: the state
	// brings its own.
	url2, ready2 := start(t)
	status, body := adminCall(t, http.MethodPut, url2+"/_emulator/state", "", string(doc))
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, before, snapshot(t, url2, cfg))
	_, err = resourcemanager.New(config(url2, ready2["access_key_id"], ready2["access_key_secret"])).ListAccounts(context.Background(), nil)
	require.ErrorIs(t, err, alicloud.ErrInvalidAccessKeyIdNotFound, "the loaded state replaced the keys")

	// A document that is not a state leaves the emulator as it was.
	for _, bad := range []string{"", "{}", `{"format":"alicloud-emulator-state","version":99}`, string(doc[:len(doc)/2])} {
		status, body := adminCall(t, http.MethodPut, url2+"/_emulator/state", "", bad)
		assert.Equal(t, http.StatusBadRequest, status, "%.60q: %v", bad, body)
	}
	assert.Equal(t, before, snapshot(t, url2, cfg))
}

func TestStateFileThatIsNotAStateIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"garbage":   "not json at all\n",
		"foreign":   `{"profiles":[]}` + "\n",
		"newer":     `{"format":"alicloud-emulator-state","version":2,"started":"2026-01-01T00:00:00Z","managementAccountId":"1000000000000001","seed":["1","2"]}` + "\n",
		"bad event": `{"format":"alicloud-emulator-state","version":1,"started":"2026-01-01T00:00:00Z","managementAccountId":"1000000000000001","seed":["1","2"]}` + "\n" + `{"kind":"teleport"}` + "\n",
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		// Bounded, so that an emulator that wrongly starts fails the test.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-state", path}, io.Discard, io.Discard)
		cancel()
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), path, name)
		got, rerr := os.ReadFile(path)
		require.NoError(t, rerr)
		assert.Equal(t, content, string(got), "%s: the file is never replaced", name)
	}
}

// startProcess runs the emulator as a separate process and returns its URL
// and ready line; the caller kills it.
func startProcess(t *testing.T, args ...string) (*exec.Cmd, string, map[string]string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-addr", "127.0.0.1:0", "-log-level", "error"}, args...)...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	fields := map[string]string{}
	for _, f := range strings.Fields(line) {
		if k, v, ok := strings.Cut(f, "="); ok {
			fields[k] = v
		}
	}
	return cmd, fields["url"], fields
}

func TestEveryAcknowledgedWriteSurvivesKill9(t *testing.T) {
	path := filepath.Join(t.TempDir(), "emulator.state")
	cmd, url, ready := startProcess(t, "-state", path)
	cfg := config(url, ready["access_key_id"], ready["access_key_secret"])
	ctx := context.Background()
	rm := resourcemanager.New(cfg)
	const n = 25
	var acked []string
	for i := range n {
		out, err := rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: fmt.Sprintf("f%02d", i)})
		require.NoError(t, err)
		acked = append(acked, out.Folder.FolderId)
	}
	require.NoError(t, cmd.Process.Signal(os.Kill))
	_ = cmd.Wait()

	_, url2, ready2 := startProcess(t, "-state", path)
	folders, err := resourcemanager.New(config(url2, ready2["access_key_id"], ready2["access_key_secret"])).
		ListFoldersForParent(ctx, &resourcemanager.ListFoldersForParentRequest{PageSize: 100})
	require.NoError(t, err)
	var got []string
	for _, f := range folders.Folders {
		got = append(got, f.FolderId)
	}
	assert.Equal(t, acked, got)
}

// fixture is a state document committed to the repository, as users commit
// theirs: written by this test with -update, it must keep loading.
const fixture = "testdata/landing-zone.state"

var updateFixture = flag.Bool("update", false, "rewrite "+fixture)

func TestStateFixtureStillLoads(t *testing.T) {
	if *updateFixture {
		url, ready := start(t, "-access-key-id", "LTAIfixture", "-access-key-secret", "fixture-secret")
		landingZone(t, url, config(url, ready["access_key_id"], "fixture-secret"))
		resp, err := http.Get(url + "/_emulator/state")
		require.NoError(t, err)
		doc, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(fixture), 0o755))
		require.NoError(t, os.WriteFile(fixture, doc, 0o644))
	}
	doc, err := os.ReadFile(fixture)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "emulator.state")
	require.NoError(t, os.WriteFile(path, doc, 0o600))
	url, ready := start(t, "-state", path)
	assert.Equal(t, "LTAIfixture", ready["access_key_id"])
	got := snapshot(t, url, config(url, "LTAIfixture", "fixture-secret"))
	for _, want := range []string{"workloads", "after-the-advance", "prod", "network", "i-state1", "config.aliyuncs.com", "1342540311780001"} {
		assert.Contains(t, got, want)
	}
}
