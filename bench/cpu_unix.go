//go:build unix

package bench

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time (user + system, all threads) this process has
// used. With the server in a child process it is the client's own cost, and
// it is far less disturbed than wall time by other load on the machine.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
