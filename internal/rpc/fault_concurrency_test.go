package rpc_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

// TestFaultSharedClientReusesConnections: one client with the SDK's own
// transport, shared by 256 goroutines making 16 calls each. The transport
// keeps up to 256 idle connections per host, so the server sees one
// connection per goroutine, not one per call.
//
// The first wave is held at the server until all 256 requests have
// arrived, so that it opens exactly one connection each: left to race, a
// request that finds every connection busy dials another one while earlier
// dials are still pending, and the surplus depends on scheduling. After the
// first wave no call may need a new connection.
func TestFaultSharedClientReusesConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("4k calls under -race: skipped with -short")
	}
	const goroutines, calls = 256, 16
	var arrived atomic.Int32
	release := make(chan struct{})
	srv := newHTTPFault(t, func(w http.ResponseWriter, r *http.Request) {
		if n := arrived.Add(1); n <= goroutines {
			if n == goroutines {
				close(release)
			}
			select {
			case <-release:
			case <-time.After(5 * time.Second):
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"RequestId":"c","NextToken":"","ResourceShareInvitations":[{"ResourceShareInvitationId":"i-1","Status":"Pending"}]}`))
	})
	client := rs.New(alicloud.Config{
		Region:      "cn-hangzhou",
		Endpoint:    srv.URL(),
		Credentials: alicloud.NewStaticCredentials(faultKeyID, faultSecret, faultToken),
		Retry:       alicloud.RetryOptions{MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond},
		// No HTTPClient: the SDK's shared transport is under test.
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var failed atomic.Int64
	var wave sync.WaitGroup
	call := func() {
		out, err := client.ListResourceShareInvitations(ctx, nil)
		if err != nil || len(out.ResourceShareInvitations) != 1 {
			if failed.Add(1) == 1 {
				t.Errorf("call failed: %v", err)
			}
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	wave.Add(goroutines)
	next := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call()
			wave.Done()
			<-next
			for i := 1; i < calls; i++ {
				call()
			}
		}()
	}
	wave.Wait()
	firstWave := srv.NewConns()
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	total := srv.NewConns()
	t.Logf("%d calls in %v: %d connections for the first wave, %d new ones after it",
		goroutines*calls, elapsed.Round(time.Millisecond), firstWave, total-firstWave)
	require.Zero(t, failed.Load())
	assert.Equal(t, int32(goroutines*calls), srv.Requests())
	assert.LessOrEqual(t, firstWave, int32(goroutines+8))
	assert.LessOrEqual(t, total-firstWave, int32(8), "connections are reused, not churned")
}
