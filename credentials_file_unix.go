//go:build unix

package alicloud

import (
	"os"
	"syscall"
)

const credentialOpenFlags = os.O_RDONLY | syscall.O_NONBLOCK
