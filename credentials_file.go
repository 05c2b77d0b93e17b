package alicloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
)

// MaxCredentialFileSize bounds every credential and configuration file the
// SDK reads (~/.aliyun/config.json, ~/.alibabacloud/credentials, the OIDC
// token file and the files the environment points at). Real ones are a few
// kilobytes; anything larger is refused rather than read into memory.
const MaxCredentialFileSize = 1 << 20

// readCredentialFile reads a credential or configuration file. Only a
// regular file is read: a FIFO would block forever and a device such as
// /dev/zero would never end, so both are refused before anything is read,
// as is a file over MaxCredentialFileSize. Errors name the path and the
// reason, never the content. It also returns the file's permission bits.
func readCredentialFile(path string) ([]byte, fs.FileMode, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if err := checkCredentialFile(path, st); err != nil {
		return nil, 0, err
	}
	// Opened without blocking, so a FIFO swapped in after the check cannot
	// hold the open; the opened file is checked again.
	f, err := os.OpenFile(path, credentialOpenFlags, 0)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err = f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if err := checkCredentialFile(path, st); err != nil {
		return nil, 0, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxCredentialFileSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	if len(data) > MaxCredentialFileSize {
		return nil, 0, fmt.Errorf("%s is larger than %d bytes", path, MaxCredentialFileSize)
	}
	return data, st.Mode().Perm(), nil
}

func checkCredentialFile(path string, st fs.FileInfo) error {
	switch m := st.Mode(); {
	case m.IsDir():
		return fmt.Errorf("cannot read %s: it is a directory, not a file", path)
	case !m.IsRegular():
		return fmt.Errorf("cannot read %s: it is not a regular file (%s)", path, fileKind(m))
	case st.Size() > MaxCredentialFileSize:
		return fmt.Errorf("%s is larger than %d bytes", path, MaxCredentialFileSize)
	}
	return nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + m.String()
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// warnReadableByOthers logs one warning about a file holding secrets that
// other users can read. It names the file and its mode, never its content.
func warnReadableByOthers(ctx context.Context, logger *slog.Logger, path string, perm fs.FileMode) {
	if logger == nil || !readableByOthers(perm) {
		return
	}
	logger.LogAttrs(ctx, slog.LevelWarn, "alicloud credentials: file is readable by other users; chmod 600 it",
		slog.String("path", path), slog.String("mode", fmt.Sprintf("%#o", perm)))
}
