package alicloud_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
)

// A Config with static credentials, pointed at the in-process emulator.
// Against the real service, leave Endpoint empty: each product picks its
// own endpoint from the region.
func ExampleConfig() {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	keys := srv.Credentials(srv.ManagementAccountID())

	cfg := alicloud.Config{
		Region:      "cn-hangzhou",
		Credentials: alicloud.NewStaticCredentials(keys.AccessKeyID, keys.AccessKeySecret, ""),
		Endpoint:    srv.URL,
		Retry:       alicloud.RetryOptions{MaxAttempts: 5},
	}
	rm := resourcemanager.New(cfg)
	out, err := rm.GetResourceDirectory(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.ResourceDirectory.MasterAccountId == srv.ManagementAccountID())
	// Output: true
}

// Hooks see every attempt and operation, for metrics and tracing.
func ExampleHookFuncs() {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	cfg := srv.Config()
	cfg.Hooks = []alicloud.Hook{alicloud.HookFuncs{
		Attempt: func(_ context.Context, a alicloud.AttemptInfo) {
			fmt.Println("attempt", a.Attempt, a.Action, a.HTTPStatus, a.Code, "retry:", a.Retry)
		},
	}}
	cfg.Retry = alicloud.RetryOptions{MinBackoff: 1, MaxBackoff: 2}
	srv.ThrottleNext(1)
	if _, err := resourcemanager.New(cfg).ListAccounts(context.Background(), nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// attempt 1 ListAccounts 400 LimitExceeded.Frequency retry: true
	// attempt 2 ListAccounts 200  retry: false
}

// LoadDefaultConfig finds credentials the way the aliyun CLI and the
// official SDKs do: environment first, then OIDC, the CLI profile, the
// credentials file, the ECS metadata service and a credentials URI. Here
// the environment holds an emulator key; the metadata provider is switched
// off, as it should be on any machine that is not an ECS instance.
func ExampleLoadDefaultConfig() {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	keys := srv.Credentials(srv.ManagementAccountID())
	restore := setenv(map[string]string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID":         keys.AccessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET":     keys.AccessKeySecret,
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
	})
	defer restore()

	ctx := context.Background()
	cfg, err := alicloud.LoadDefaultConfig(ctx, alicloud.WithRegion("cn-hangzhou"), alicloud.WithEndpoint(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	out, err := resourcemanager.New(cfg).GetResourceDirectory(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("region:", cfg.Region)
	fmt.Println("management account:", out.ResourceDirectory.MasterAccountId == srv.ManagementAccountID())
	// Output:
	// region: cn-hangzhou
	// management account: true
}

// One limiter shared by every client of an account keeps bursts under the
// service's quota. A call that cannot get a slot before its deadline fails
// at once instead of waiting into it.
func ExampleNewRateLimiter() {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	limiter, err := alicloud.NewRateLimiter(alicloud.RateLimiterOptions{
		PerAction: map[string]alicloud.Rate{"ResourceManager.ListAccounts": {PerSecond: 0.5, Burst: 1}},
	})
	if err != nil {
		log.Fatal(err)
	}
	cfg := srv.Config()
	cfg.RateLimit = limiter
	rm := resourcemanager.New(cfg)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = rm.ListAccounts(ctx, nil)
	fmt.Println("first call:", err)
	_, err = rm.ListAccounts(ctx, nil)
	fmt.Println("second call rate limited:", errors.Is(err, alicloud.ErrRateLimited))
	_, err = rm.GetResourceDirectory(ctx, nil)
	fmt.Println("other action:", err)
	// Output:
	// first call: <nil>
	// second call rate limited: true
	// other action: <nil>
}

// setenv sets environment variables and returns what restores them.
func setenv(vars map[string]string) (restore func()) {
	old := map[string]*string{}
	for k, v := range vars {
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		_ = os.Setenv(k, v)
	}
	return func() {
		for k, v := range old {
			if v == nil {
				_ = os.Unsetenv(k)
			} else {
				_ = os.Setenv(k, *v)
			}
		}
	}
}
