package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if os.Getenv(ServeChildEnv) == "1" {
		ServeChild()
		return
	}
	code := m.Run()
	if remote != nil {
		_ = remote.Close()
	}
	os.Exit(code)
}

// One server and one set of clients for the whole run, started on first
// use. The server runs in a child process (this test binary again) unless
// BENCH_INPROC=1, so that the clients' B/op and allocs/op are theirs alone.
var (
	shared    sync.Once
	remote    *Remote
	sharedSrv Endpoint
	sharedCs  []Contender
	sharedErr error
)

func setup(b *testing.B) (Endpoint, []Contender) {
	b.Helper()
	shared.Do(func() {
		if os.Getenv("BENCH_INPROC") == "1" {
			s := NewServer()
			s.Prerender(1, 1)
			s.Prerender(20, 1)
			s.Prerender(100, TotalInvitations/100)
			sharedSrv = s
		} else {
			remote, sharedErr = StartRemote(os.Args[0])
			if sharedErr != nil {
				return
			}
			sharedSrv = remote
		}
		sharedCs, sharedErr = Contenders(sharedSrv)
	})
	if sharedErr != nil {
		b.Fatal(sharedErr)
	}
	return sharedSrv, sharedCs
}

// verified makes one call with the server checking its signature, fails
// the benchmark if it was refused, then turns checking off for the timed
// loop so that the server's own HMAC does not dilute the comparison.
func verified(b *testing.B, srv Endpoint, c Contender, maxResults int) {
	b.Helper()
	srv.SetVerify(true)
	defer srv.SetVerify(false)
	before := srv.Rejected()
	n, _, err := c.List(context.Background(), maxResults, "")
	if err != nil || n != maxResults || srv.Rejected() != before {
		b.Fatalf("%s: warm-up call not accepted: %d items, %v, server: %s", c.Name, n, err, srv.LastRejection())
	}
}

// BenchmarkList is one call, request built and signed, reply decoded.
func BenchmarkList(b *testing.B) {
	srv, cs := setup(b)
	for _, n := range []int{1, 100} {
		for _, c := range cs {
			b.Run(fmt.Sprintf("N=%d/%s", n, c.Name), func(b *testing.B) {
				verified(b, srv, c, n)
				ctx := context.Background()
				conns := srv.NewConns()
				var cpu cpuMeter
				b.ReportAllocs()
				b.ResetTimer()
				cpu.begin()
				for i := 0; i < b.N; i++ {
					got, _, err := c.List(ctx, n, "")
					if err != nil || got != n {
						b.Fatalf("%d items, %v", got, err)
					}
				}
				b.StopTimer()
				cpu.report(b)
				b.ReportMetric(float64(srv.NewConns()-conns)/float64(b.N), "newconns/op")
			})
		}
	}
}

// cpuMeter reports the process CPU time per op (metric cpu-ns/op) next to
// the wall time. Call start right after ResetTimer and stop after the loop.
type cpuMeter struct {
	start, excluded time.Duration
}

func (m *cpuMeter) begin() { m.start, m.excluded = ProcessCPU(), 0 }

// exclude runs f without counting its CPU time.
func (m *cpuMeter) exclude(f func()) {
	t := ProcessCPU()
	f()
	m.excluded += ProcessCPU() - t
}

func (m *cpuMeter) report(b *testing.B) {
	used := ProcessCPU() - m.start - m.excluded
	if used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkLocal is List without the network: every client's HTTP round
// trip is answered in memory with the same reply (Canned), so the fixed
// cost of loopback TCP and the server drops out and what remains is each
// client's own pipeline: build, sign, send through net/http's client
// layer, read, decode.
func BenchmarkLocal(b *testing.B) {
	for _, n := range []int{1, 100} {
		cs, err := LocalContenders(Canned{Body: RenderPage(0, n)})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cs {
			b.Run(fmt.Sprintf("N=%d/%s", n, c.Name), func(b *testing.B) {
				ctx := context.Background()
				var cpu cpuMeter
				b.ReportAllocs()
				cpu.begin()
				for i := 0; i < b.N; i++ {
					got, _, err := c.List(ctx, n, "")
					if err != nil || got != n {
						b.Fatalf("%d items, %v", got, err)
					}
				}
				cpu.report(b)
			})
		}
	}
}

// parallelGoroutines is how many goroutines ListParallel runs on one
// shared client.
const parallelGoroutines = 32

// BenchmarkListParallel runs ~32 goroutines on one shared client and counts
// the TCP connections the server accepts while it runs.
func BenchmarkListParallel(b *testing.B) {
	srv, cs := setup(b)
	const n = 20
	p := (parallelGoroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	for _, c := range cs {
		b.Run(fmt.Sprintf("N=%d/%s", n, c.Name), func(b *testing.B) {
			verified(b, srv, c, n)
			ctx := context.Background()
			// Warm the client's pool with the same concurrency, untimed.
			var wg sync.WaitGroup
			for g := 0; g < parallelGoroutines; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 4; i++ {
						_, _, _ = c.List(ctx, n, "")
					}
				}()
			}
			wg.Wait()
			conns := srv.NewConns()
			b.SetParallelism(p)
			var cpu cpuMeter
			b.ReportAllocs()
			b.ResetTimer()
			cpu.begin()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					got, _, err := c.List(ctx, n, "")
					if err != nil || got != n {
						b.Errorf("%d items, %v", got, err)
						return
					}
				}
			})
			b.StopTimer()
			cpu.report(b)
			b.ReportMetric(float64(srv.NewConns()-conns)/float64(b.N), "newconns/op")
		})
	}
}

// BenchmarkSign is the signing of one call: from the typed request to the
// signed query (parameters, fresh nonce and timestamp, canonical form,
// HMAC-SHA1, rendering), with each client's own code.
func BenchmarkSign(b *testing.B) {
	_, cs := setup(b)
	tok := Token(100)
	for _, c := range cs {
		b.Run(c.Name, func(b *testing.B) {
			ctx := context.Background()
			var cpu cpuMeter
			b.ReportAllocs()
			cpu.begin()
			for i := 0; i < b.N; i++ {
				if _, err := c.Sign(ctx, 100, tok); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkDecode is decoding alone, of a reply with 100 invitations.
func BenchmarkDecode(b *testing.B) {
	_, cs := setup(b)
	body := RenderPage(0, 100)
	for _, c := range cs {
		b.Run("N=100/"+c.Name, func(b *testing.B) {
			var cpu cpuMeter
			b.ReportAllocs()
			cpu.begin()
			for i := 0; i < b.N; i++ {
				if n, err := c.Decode(body); err != nil || n != 100 {
					b.Fatalf("%d items, %v", n, err)
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkPaginate lists the data set with pages of 100: the SDK through
// its All iterator, the others (and sdk-loop, the SDK's single calls) with
// the NextToken loop their users write.
// heapgrowth-B is how much the live heap grew between the end of page 1
// and the end of the last page, measured once per benchmark after a GC,
// outside the timing: a flat iterator keeps it near zero.
func BenchmarkPaginate(b *testing.B) {
	srv, cs := setup(b)
	cs = WithSDKLoop(cs)
	const pageSize = 100
	for _, items := range []int{1000, TotalInvitations} {
		for _, c := range cs {
			b.Run(fmt.Sprintf("items=%d/%s", items, c.Name), func(b *testing.B) {
				verified(b, srv, c, pageSize)
				ctx := context.Background()
				pages := items / pageSize
				var ms runtime.MemStats
				var first, last uint64
				var cpu cpuMeter
				probe := func(p int) {
					if p != 1 && p != pages {
						return
					}
					b.StopTimer()
					cpu.exclude(func() {
						runtime.GC()
						runtime.ReadMemStats(&ms)
					})
					if p == 1 {
						first = ms.HeapAlloc
					} else {
						last = ms.HeapAlloc
					}
					b.StartTimer()
				}
				conns := srv.NewConns()
				b.ReportAllocs()
				b.ResetTimer()
				cpu.begin()
				for i := 0; i < b.N; i++ {
					pr := probe
					if i > 0 {
						pr = nil
					}
					got, err := paginateN(ctx, c, pageSize, items, pr)
					if err != nil || got != items {
						b.Fatalf("%d items, %v", got, err)
					}
				}
				b.StopTimer()
				cpu.report(b)
				b.ReportMetric(float64(int64(last)-int64(first)), "heapgrowth-B")
				b.ReportMetric(float64(srv.NewConns()-conns)/float64(b.N), "newconns/op")
			})
		}
	}
}

// paginateN walks the first items of the data set. The whole set is 10,000
// items; a smaller walk starts near the end so that it still ends on an
// empty NextToken, as every walk does.
func paginateN(ctx context.Context, c Contender, pageSize, items int, probe func(int)) (int, error) {
	start := ""
	if items < TotalInvitations {
		start = Token(TotalInvitations - items)
	}
	return c.Paginate(ctx, pageSize, start, probe)
}
