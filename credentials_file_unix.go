//go:build unix

package alicloud

import (
	"io/fs"
	"os"
	"syscall"
)

const credentialOpenFlags = os.O_RDONLY | syscall.O_NONBLOCK

// readableByOthers reports permission bits that let other users read a
// file holding secrets: a group or world read bit.
func readableByOthers(perm fs.FileMode) bool { return perm&0o044 != 0 }
