package e2e_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// TestConcurrentClients runs 32 goroutines of 20 calls each against one
// emulator through shared clients, with throttling injected midway; run it
// with -race. Every write must land exactly once.
func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	const workers, calls = 32, 20
	e := setup(t, alicloudtest.WithSharedResourceQuota(workers*calls), alicloudtest.WithMaxResourceShares(workers*calls))
	c := ctx(t)
	// Throttle 32 of the 640 calls; ten attempts make a call whose every
	// try is throttled practically impossible.
	e.srv.ThrottleNext(workers)
	cfg := e.srv.Config()
	cfg.Retry = fastRetry
	cfg.Retry.MaxAttempts = 10
	e.rm, e.rs = resourcemanager.New(cfg), resourcesharing.New(cfg)

	var wg sync.WaitGroup
	errs := make(chan error, workers*calls)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				var err error
				switch i % 5 {
				case 0:
					_, err = e.rm.CreateFolder(c, &resourcemanager.CreateFolderRequest{FolderName: fmt.Sprintf("w%d-%d", w, i)})
				case 1:
					_, err = e.rs.CreateResourceShare(c, &resourcesharing.CreateResourceShareRequest{
						ResourceShareName: fmt.Sprintf("w%d-%d", w, i), Resources: vsw(fmt.Sprintf("vsw-%d-%d", w, i))})
				case 2:
					_, err = e.rm.ListAccounts(c, nil)
				case 3:
					_, err = e.rs.ListResourceShareAssociations(c, &resourcesharing.ListResourceShareAssociationsRequest{AssociationType: resourcesharing.AssociationTypeResource, MaxResults: 5})
				case 4:
					_, err = e.rm.GetResourceDirectory(c, nil)
				}
				if err != nil {
					errs <- fmt.Errorf("worker %d call %d: %w", w, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	folders, err := e.rm.ListFoldersForParent(c, &resourcemanager.ListFoldersForParentRequest{PageSize: 1})
	require.NoError(t, err)
	assert.EqualValues(t, workers*calls/5, folders.TotalCount)
	shares := collect(t, e.rs.ListResourceSharesAll(c, &resourcesharing.ListResourceSharesRequest{ResourceOwner: resourcesharing.ResourceOwnerSelf, MaxResults: 100}))
	assert.Len(t, shares, workers*calls/5)
	assocs := collect(t, e.rs.ListResourceShareAssociationsAll(c, &resourcesharing.ListResourceShareAssociationsRequest{
		AssociationType: resourcesharing.AssociationTypeResource, AssociationStatus: resourcesharing.AssociationStatusAssociated, MaxResults: 100}))
	assert.Len(t, assocs, workers*calls/5)
}

// TestConcurrentAccountsAndControls mixes control calls (Credentials,
// Advance, ThrottleAction) with requests from many accounts.
func TestConcurrentAccountsAndControls(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	// 16 throttled replies spread over the workers' 80 calls; no call can
	// meet more than 16 in a row, so 20 attempts always suffice.
	e.srv.ThrottleAction("ListHandshakesForAccount", 16)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("90000000000000%02d", w)
			cfg := e.srv.ConfigFor(id)
			cfg.Retry = fastRetry
			cfg.Retry.MaxAttempts = 20
			rm := resourcemanager.New(cfg)
			for i := range 5 {
				_ = e.srv.Credentials(id)
				_, err := rm.ListHandshakesForAccount(c, nil)
				assert.NoError(t, err)
				_, err = rm.CreateResourceGroup(c, &resourcemanager.CreateResourceGroupRequest{Name: fmt.Sprintf("g%d", i), DisplayName: "g"})
				assert.NoError(t, err)
				e.srv.Advance(1)
				_ = e.srv.Now()
			}
			groups, err := rm.ListResourceGroups(c, nil)
			assert.NoError(t, err)
			if err == nil {
				assert.EqualValues(t, 6, groups.TotalCount)
			}
			_, err = resourcemanager.New(alicloud.Config{Endpoint: e.srv.URL, Credentials: e.srv.Credentials(id), Retry: fastRetry}).
				GetResourceDirectory(c, nil)
			assert.ErrorIs(t, err, resourcemanager.ErrResourceDirectoryNotInUse)
		}()
	}
	wg.Wait()
}
