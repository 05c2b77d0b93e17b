//go:build unix

package alicloud

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileFiles are paths a credential variable may point at that must be
// refused without reading them: a device that never ends, a FIFO that
// blocks its reader forever, a file over the size limit and a directory.
func hostileFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"a directory": dir}
	if _, err := os.Stat("/dev/zero"); err == nil {
		files["/dev/zero"] = "/dev/zero"
	}
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(dir, "fifo")
		require.NoError(t, syscall.Mkfifo(fifo, 0o600))
		files["a FIFO"] = fifo
	}
	big := filepath.Join(dir, "big")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("x", 2<<20)), 0o600))
	files["a 2 MiB file"] = big
	return files
}

func TestCredentialFilesAreBoundedAndNeverBlock(t *testing.T) {
	for name, path := range hostileFiles(t) {
		for _, env := range []string{EnvConfigFile, EnvCredentialsFile, EnvOIDCTokenFile} {
			t.Run(name+" in "+env, func(t *testing.T) {
				ctIsolate(t)
				t.Setenv(env, path)
				if env == EnvOIDCTokenFile {
					t.Setenv(EnvRoleARN, "acs:ram::1234:role/pod")
					t.Setenv(EnvOIDCProviderARN, "acs:ram::1234:oidc-provider/p")
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				start := time.Now()
				done := make(chan error, 1)
				go func() {
					cfg, err := LoadDefaultConfig(ctx, WithRegion("cn-hangzhou"))
					if err == nil {
						_, err = cfg.Credentials.Retrieve(ctx)
					}
					done <- err
				}()
				select {
				case err := <-done:
					require.Error(t, err)
					assert.Contains(t, err.Error(), path, "the error names the file")
					assert.NotContains(t, err.Error(), "xxxxxxxx", "never the content")
					assert.Less(t, time.Since(start), time.Second, "refused at once")
				case <-time.After(5 * time.Second):
					t.Fatal("loading the configuration blocked on the file")
				}
			})
		}
	}
}

func TestReadCredentialFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok")
	require.NoError(t, os.WriteFile(ok, []byte("[default]\n"), 0o644))
	data, perm, err := readCredentialFile(ok)
	require.NoError(t, err)
	assert.Equal(t, "[default]\n", string(data))
	assert.True(t, readableByOthers(perm))

	exact := filepath.Join(dir, "exact")
	require.NoError(t, os.WriteFile(exact, make([]byte, MaxCredentialFileSize), 0o600))
	_, perm, err = readCredentialFile(exact)
	require.NoError(t, err, "the limit itself is allowed")
	assert.False(t, readableByOthers(perm))

	for name, path := range hostileFiles(t) {
		_, _, err := readCredentialFile(path)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), path, name)
	}
}

// A profile file other users can read is used, with one warning through the
// logger that names the file and its mode, never its content.
func TestProfileFileReadableByOthersWarnsOnce(t *testing.T) {
	cliJSON := func(t *testing.T) string {
		return ctCLIConfig(t, "", map[string]any{"name": "default", "mode": "AK", "access_key_id": "LTAIcli", "access_key_secret": "cli-" + ctMarker})
	}
	ini := "[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = ini-" + ctMarker + "\n"
	tests := []struct {
		name string
		mode os.FileMode
		warn bool
	}{
		{"world-readable", 0o666, true},
		{"group-readable", 0o640, true},
		{"owner only", 0o600, false},
	}
	for _, tt := range tests {
		for _, kind := range []string{"cli", "ini", "chain"} {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				home := ctIsolate(t)
				var path string
				if kind == "ini" {
					path = ctWrite(t, home, ".alibabacloud/credentials", ini)
				} else {
					path = ctWrite(t, home, ".aliyun/config.json", cliJSON(t))
				}
				require.NoError(t, os.Chmod(path, tt.mode))
				var logs strings.Builder
				logger := slog.New(slog.NewTextHandler(&logs, nil))
				var p CredentialsProvider
				switch kind {
				case "cli":
					p = NewCLIProfileCredentials(CLIProfileCredentialsOptions{Logger: logger})
				case "ini":
					p = NewINIProfileCredentials(INIProfileCredentialsOptions{Logger: logger})
				default:
					p = NewDefaultCredentialsChain(DefaultCredentialsChainOptions{Logger: logger})
				}
				for range 3 {
					creds, err := p.Retrieve(context.Background())
					require.NoError(t, err, "the file is used all the same")
					assert.NotEmpty(t, creds.AccessKeyID)
				}
				out := logs.String()
				assert.NotContains(t, out, ctMarker)
				if !tt.warn {
					assert.NotContains(t, out, "level=WARN")
					return
				}
				assert.Equal(t, 1, strings.Count(out, "level=WARN"), out)
				assert.Contains(t, out, "readable by other users")
				assert.Contains(t, out, path)
				assert.Contains(t, out, fmt.Sprintf("mode=%#o", tt.mode))
			})
		}
	}
}
