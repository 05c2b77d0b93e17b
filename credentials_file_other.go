//go:build !unix

package alicloud

import (
	"io/fs"
	"os"
)

const credentialOpenFlags = os.O_RDONLY

// readableByOthers is always false here: the permission bits Go reports
// outside Unix say nothing about who else can read a file.
func readableByOthers(fs.FileMode) bool { return false }
