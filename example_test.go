package alicloud_test

import (
	"context"
	"fmt"
	"log"

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
