// Command resendpromoteresourceaccountemail shows
// ResendPromoteResourceAccountEmail against the in-process emulator: a
// resource account is being promoted to a cloud account; resending the
// confirmation e-mail too soon is LimitExceeded.Frequency, after a minute of
// emulator time it works; an unknown record and a cancelled promotion fail
// with the documented codes.
//
//	go run ./examples/resendpromoteresourceaccountemail
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "resendpromoteresourceaccountemail:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	srv, err := alicloudtest.Start()
	if err != nil {
		return err
	}
	defer srv.Close()
	cfg := srv.Config()
	// LimitExceeded.Frequency is retried like any throttling reply; one
	// attempt shows it at once.
	cfg.Retry = alicloud.RetryOptions{MaxAttempts: 1}
	rm := resourcemanager.New(cfg)

	acc, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "admin", AccountNamePrefix: "admin"})
	if err != nil {
		return err
	}
	promo, err := rm.PromoteResourceAccount(ctx, &resourcemanager.PromoteResourceAccountRequest{
		AccountId: acc.Account.AccountId, Email: "someone@example.com",
	})
	if err != nil {
		return err
	}
	record := promo.Account.RecordId
	fmt.Fprintf(w, "promoting %s: %s, record %s\n", promo.Account.AccountId, promo.Account.Status, record)

	_, err = rm.ResendPromoteResourceAccountEmail(ctx, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: record})
	fmt.Fprintf(w, "resend at once: too frequent = %t\n", errors.Is(err, resourcemanager.ErrLimitExceededFrequency))

	srv.Advance(time.Minute)
	out, err := rm.ResendPromoteResourceAccountEmail(ctx, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: record})
	if err != nil {
		return err
	}
	a := out.Account
	fmt.Fprintf(w, "resend a minute later: %s %s %s (%s, %s)\n", a.AccountId, a.AccountName, a.Status, a.Type, a.JoinMethod)

	_, err = rm.ResendPromoteResourceAccountEmail(ctx, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: "06950264-3f0d-4ca9-82dd-6ee7a3d33d6b"})
	fmt.Fprintf(w, "unknown record: %t\n", errors.Is(err, resourcemanager.ErrEntityNotExistsAccountRecord))

	if _, err := rm.CancelPromoteResourceAccount(ctx, &resourcemanager.CancelPromoteResourceAccountRequest{RecordId: record}); err != nil {
		return err
	}
	srv.Advance(time.Minute)
	_, err = rm.ResendPromoteResourceAccountEmail(ctx, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: record})
	var apiErr *alicloud.APIError
	if errors.As(err, &apiErr) {
		fmt.Fprintf(w, "after cancelling: %s (HTTP %d): %s\n", apiErr.Code, apiErr.HTTPStatus, apiErr.Message)
	}
	return nil
}
