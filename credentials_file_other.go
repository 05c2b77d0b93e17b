//go:build !unix

package alicloud

import "os"

const credentialOpenFlags = os.O_RDONLY
