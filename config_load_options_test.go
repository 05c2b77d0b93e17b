package alicloud_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
)

// clearCredentialEnv leaves the chain nothing but what a test configures.
func clearCredentialEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_PROFILE",
		"ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_STS_ENDPOINT", "ALIBABA_CLOUD_REGION_ID"} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", t.TempDir()+"/none.json")
	t.Setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", t.TempDir()+"/none.ini")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "")
}

func TestWithECSMetadataEndpointReachesALocalMetadataService(t *testing.T) {
	clearCredentialEnv(t)
	var reads atomic.Int32
	mds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
			_, _ = w.Write([]byte("mds-token"))
		case r.URL.Path == "/latest/meta-data/ram/security-credentials/":
			_, _ = w.Write([]byte("app-role"))
		case r.URL.Path == "/latest/meta-data/ram/security-credentials/app-role":
			reads.Add(1)
			assert.Equal(t, "mds-token", r.Header.Get("x-aliyun-ecs-metadata-token"))
			_ = json.NewEncoder(w).Encode(map[string]string{
				"Code": "Success", "AccessKeyId": "STS.ecs-id", "AccessKeySecret": "ecs-secret", "SecurityToken": "ecs-token",
				"Expiration": time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z"),
			})
		default:
			http.NotFound(w, r)
		}
	}))
	defer mds.Close()

	cfg, err := alicloud.LoadDefaultConfig(context.Background(), alicloud.WithRegion("cn-hangzhou"),
		alicloud.WithECSMetadataEndpoint(mds.URL), alicloud.WithSTSEndpoint("http://127.0.0.1:1"))
	require.NoError(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "STS.ecs-id", creds.AccessKeyID)
	assert.Equal(t, "ecs-token", creds.SecurityToken)
	assert.Equal(t, int32(1), reads.Load())
}
