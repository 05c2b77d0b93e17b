package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcemanager"
)

// rawStatus sends a request as is and returns the status and body.
func rawStatus(t *testing.T, method, target, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// Hostile requests get a clear error each, the emulator keeps serving, and
// its state file stays one that loads.
func TestHostileInputLeavesTheEmulatorAndItsStateSound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "emulator.state")
	base, ready := start(t, "-state", path)
	cfg := config(base, ready["access_key_id"], ready["access_key_secret"])
	rm := resourcemanager.New(cfg)
	ctx := context.Background()
	_, err := rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "before"})
	require.NoError(t, err)

	many := url.Values{"Action": {"ListAccounts"}, "Version": {"2020-03-31"}}
	for i := range 1001 {
		many.Set(fmt.Sprintf("P%d", i), "x")
	}
	tests := []struct {
		name, method, path, contentType, body string
		status                                int
		says                                  string
	}{
		{"a body over 1 MiB", http.MethodPost, "/", "application/x-www-form-urlencoded",
			"Action=ListAccounts&Version=2020-03-31&Junk=" + strings.Repeat("a", 2<<20), http.StatusRequestEntityTooLarge, "InvalidParameter.Format"},
		{"too many parameters", http.MethodPost, "/?" + many.Encode(), "", "", http.StatusBadRequest, "at most 1000 parameters"},
		{"an unsigned request", http.MethodPost, "/?Action=CreateFolder&Version=2020-03-31&FolderName=x", "", "", http.StatusBadRequest, "MissingSignatureMethod"},
		{"an unknown action", http.MethodPost, "/?Action=Teleport&Version=2020-03-31", "", "", http.StatusNotFound, "InvalidApi.NotFound"},
		{"an unknown version", http.MethodPost, "/?Action=ListAccounts&Version=1999-01-01", "", "", http.StatusBadRequest, "InvalidVersion"},
		{"a bad query", http.MethodPost, "/?Action=%zz", "", "", http.StatusBadRequest, "InvalidParameter.Format"},
		{"an admin body that is not JSON", http.MethodPost, "/_emulator/faults/throttle", "application/json", "{", http.StatusBadRequest, "not the expected JSON"},
		{"an admin field that does not exist", http.MethodPost, "/_emulator/faults/fail", "application/json", `{"code":"X","colour":"red"}`, http.StatusBadRequest, "unknown field"},
		{"a state that is not one", http.MethodPut, "/_emulator/state", "application/x-ndjson", "hello\n", http.StatusBadRequest, "not the header"},
		{"an admin path that does not exist", http.MethodPost, "/_emulator/teleport", "", "", http.StatusNotFound, "no admin endpoint"},
	}
	for _, tt := range tests {
		status, body := rawStatus(t, tt.method, base+tt.path, tt.contentType, tt.body)
		assert.Equal(t, tt.status, status, "%s: %s", tt.name, body)
		assert.Contains(t, body, tt.says, tt.name)
	}
	_, err = resourcemanager.New(config(base, ready["access_key_id"], "wrong")).CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "forged"})
	require.ErrorIs(t, err, alicloud.ErrSignatureDoesNotMatch)

	// Still serving, and the file holds what was acknowledged, nothing else.
	_, err = rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "after"})
	require.NoError(t, err)
	base2, ready2 := start(t, "-state", path)
	folders, err := resourcemanager.New(config(base2, ready2["access_key_id"], ready2["access_key_secret"])).ListFoldersForParent(ctx, nil)
	require.NoError(t, err)
	var names []string
	for _, f := range folders.Folders {
		names = append(names, f.FolderName)
	}
	assert.Equal(t, []string{"before", "after"}, names)
}

// 200 clients at once against one emulator with a state file: every write
// is answered, is there after a restart, and -race finds nothing.
func TestManyConcurrentClients(t *testing.T) {
	path := filepath.Join(t.TempDir(), "emulator.state")
	base, ready := start(t, "-state", path, "-log-level", "error")
	cfg := config(base, ready["access_key_id"], ready["access_key_secret"])
	ctx := context.Background()
	const clients = 200
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rm := resourcemanager.New(cfg) // a client each: its own connections
			if _, err := rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: fmt.Sprintf("c%03d", i)}); err != nil {
				errs <- err
				return
			}
			if _, err := rm.ListFoldersForParent(ctx, nil); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	base2, ready2 := start(t, "-state", path, "-log-level", "error")
	folders, err := resourcemanager.New(config(base2, ready2["access_key_id"], ready2["access_key_secret"])).
		ListFoldersForParent(ctx, &resourcemanager.ListFoldersForParentRequest{PageSize: 100})
	require.NoError(t, err)
	assert.EqualValues(t, clients, folders.TotalCount)
}
