package bench

// The standalone emulator, cmd/alicloud-emulator, measured as its users
// meet it: a separate process on loopback, started from its binary, called
// by this SDK over keep-alive connections.
//
//	go test -run '^$' -bench Emulator -benchtime 2s .

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcemanager"
)

var (
	emuBuild    sync.Once
	emuBinary   string
	emuBuildErr error
)

func emulatorBinary(b *testing.B) string {
	b.Helper()
	emuBuild.Do(func() {
		dir, err := os.MkdirTemp("", "alicloud-emulator-bench")
		if err != nil {
			emuBuildErr = err
			return
		}
		emuBinary = filepath.Join(dir, "alicloud-emulator")
		if out, err := exec.Command("go", "build", "-o", emuBinary, "github.com/resourcekit/alicloud/cmd/alicloud-emulator").CombinedOutput(); err != nil {
			emuBuildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if emuBuildErr != nil {
		b.Fatal(emuBuildErr)
	}
	return emuBinary
}

// emulatorProcess is a running emulator and a client of its management
// account.
type emulatorProcess struct {
	cmd *exec.Cmd
	url string
	rm  *resourcemanager.Client
}

func startEmulator(b *testing.B, args ...string) *emulatorProcess {
	b.Helper()
	cmd := exec.Command(emulatorBinary(b), append([]string{"-addr", "127.0.0.1:0", "-log-level", "error",
		"-access-key-id", "LTAIbench", "-access-key-secret", "bench-secret"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		b.Fatalf("no ready line: %v", err)
	}
	p := &emulatorProcess{cmd: cmd}
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, "url="); ok {
			p.url = v
		}
	}
	p.rm = resourcemanager.New(alicloud.Config{Region: "cn-hangzhou", Endpoint: p.url,
		Credentials: alicloud.NewStaticCredentials("LTAIbench", "bench-secret", ""),
		Retry:       alicloud.RetryOptions{MaxAttempts: 1}})
	return p
}

func (p *emulatorProcess) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	_ = p.cmd.Wait()
}

// BenchmarkEmulatorStartup is the time from starting the process to its
// first healthy answer.
func BenchmarkEmulatorStartup(b *testing.B) {
	emulatorBinary(b)
	for b.Loop() {
		p := startEmulator(b)
		resp, err := http.Get(p.url + "/_emulator/health")
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("health: %v %v", resp, err)
		}
		resp.Body.Close()
		b.StopTimer()
		p.stop()
		b.StartTimer()
	}
}

// BenchmarkEmulatorRequests measures calls per second from 8 goroutines
// sharing one client: a read (GetResourceDirectory), and a write
// (UpdateFolder, renaming one folder: no quota ends it) without and with a
// state file (every write synced to disk before its reply).
func BenchmarkEmulatorRequests(b *testing.B) {
	cases := []struct {
		name  string
		state bool
		call  func(ctx context.Context, rm *resourcemanager.Client, folder string, n int64) error
	}{
		{"read", false, func(ctx context.Context, rm *resourcemanager.Client, _ string, _ int64) error {
			_, err := rm.GetResourceDirectory(ctx, nil)
			return err
		}},
		{"write", false, renameFolder},
		{"write-state-file", true, renameFolder},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var args []string
			if c.state {
				args = []string{"-state", filepath.Join(b.TempDir(), "emulator.state")}
			}
			p := startEmulator(b, args...)
			defer p.stop()
			ctx := context.Background()
			f, err := p.rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "renamed"})
			if err != nil {
				b.Fatal(err)
			}
			folder := f.Folder.FolderId
			var seq atomic.Int64
			b.SetParallelism(4) // 4 × GOMAXPROCS goroutines
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.call(ctx, p.rm, folder, seq.Add(1)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}

func renameFolder(ctx context.Context, rm *resourcemanager.Client, folder string, n int64) error {
	_, err := rm.UpdateFolder(ctx, &resourcemanager.UpdateFolderRequest{FolderId: folder, NewFolderName: fmt.Sprintf("f%d", n)})
	return err
}
