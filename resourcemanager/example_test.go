package resourcemanager_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
)

func startEmulator() *alicloudtest.Server {
	srv, err := alicloudtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	return srv
}

func ExampleClient_CreateResourceAccount() {
	srv := startEmulator()
	defer srv.Close()
	rm := resourcemanager.New(srv.Config())

	out, err := rm.CreateResourceAccount(context.Background(), &resourcemanager.CreateResourceAccountRequest{
		DisplayName:       "Dev",
		AccountNamePrefix: "alice",
		Tag:               []resourcemanager.Tag{{Key: "team", Value: "platform"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Account.DisplayName, out.Account.Type, out.Account.Status, out.Account.JoinMethod)
	// Output: Dev ResourceAccount CreateSuccess created
}

func ExampleClient_ResendPromoteResourceAccountEmail() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	rm := resourcemanager.New(srv.Config())
	acct, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "Dev"})
	if err != nil {
		log.Fatal(err)
	}

	// Resending only makes sense while a promotion waits for confirmation.
	_, err = rm.ResendPromoteResourceAccountEmail(ctx, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: "no-such-record"})
	fmt.Println(errors.Is(err, resourcemanager.ErrEntityNotExistsAccountRecord))

	promo, err := rm.PromoteResourceAccount(ctx, &resourcemanager.PromoteResourceAccountRequest{
		AccountId: acct.Account.AccountId, Email: "dev@example.com",
	})
	if err != nil {
		log.Fatal(err)
	}
	srv.Advance(time.Minute) // the service allows one e-mail a minute
	out, err := rm.ResendPromoteResourceAccountEmail(ctx, &resourcemanager.ResendPromoteResourceAccountEmailRequest{RecordId: promo.Account.RecordId})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Account.Status)
	// Output:
	// true
	// PromoteVerifying
}

func ExampleClient_ListAccountsAll() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	rm := resourcemanager.New(srv.Config())
	for _, name := range []string{"Dev", "Test", "Prod"} {
		if _, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: name}); err != nil {
			log.Fatal(err)
		}
	}

	// Pages of two, fetched as the loop needs them; the management account
	// is a member too.
	n := 0
	for _, err := range rm.ListAccountsAll(ctx, &resourcemanager.ListAccountsRequest{PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "accounts")
	// Output: 4 accounts
}
