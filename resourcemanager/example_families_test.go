package resourcemanager_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/resourcekit/alicloud/resourcemanager"
)

// Pages iterates page by page, for code that wants the page boundaries
// (progress, checkpoints); All iterates the items.
func ExampleClient_ListAccountsPages() {
	srv := startEmulator()
	defer srv.Close()
	rm := resourcemanager.New(srv.Config())
	ctx := context.Background()
	for _, name := range []string{"Dev", "Test", "Prod"} {
		if _, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: name}); err != nil {
			log.Fatal(err)
		}
	}
	for page, err := range rm.ListAccountsPages(ctx, &resourcemanager.ListAccountsRequest{PageSize: 3}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d: %d of %d accounts\n", page.PageNumber, len(page.Accounts), page.TotalCount)
	}
	// Output:
	// page 1: 3 of 4 accounts
	// page 2: 1 of 4 accounts
}

// A cloud account is created asynchronously; the waiter polls GetAccount
// until it is CreateSuccess (or fails with the failure state).
func ExampleAccountCreatedWaiter() {
	srv := startEmulator()
	defer srv.Close()
	rm := resourcemanager.New(srv.Config())
	ctx := context.Background()
	out, err := rm.CreateCloudAccount(ctx, &resourcemanager.CreateCloudAccountRequest{DisplayName: "Finance", Email: "finance@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", out.Account.Status)
	srv.Advance(time.Hour) // the emulator completes the creation on its clock
	w := resourcemanager.NewAccountCreatedWaiter(rm, func(o *resourcemanager.AccountCreatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	got, err := w.WaitForOutput(ctx, &resourcemanager.GetAccountRequest{AccountId: out.Account.AccountId}, time.Minute)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("after waiting:", got.Account.Status)
	// Output:
	// created: CreateVerifying
	// after waiting: CreateSuccess
}

// An invitation to join the resource directory is a handshake the invited
// account accepts; the waiter sees it Accepted.
func ExampleHandshakeAcceptedWaiter() {
	srv := startEmulator()
	defer srv.Close()
	ctx := context.Background()
	const invited = "1342540311780001"
	rm := resourcemanager.New(srv.Config())
	hs, err := rm.InviteAccountToResourceDirectory(ctx, &resourcemanager.InviteAccountToResourceDirectoryRequest{
		TargetEntity: invited, TargetType: resourcemanager.TargetTypeAccount, Note: "join us",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("invited:", hs.Handshake.Status)
	guest := resourcemanager.New(srv.ConfigFor(invited))
	if _, err := guest.AcceptHandshake(ctx, &resourcemanager.AcceptHandshakeRequest{HandshakeId: hs.Handshake.HandshakeId}); err != nil {
		log.Fatal(err)
	}
	err = resourcemanager.NewHandshakeAcceptedWaiter(rm, func(o *resourcemanager.HandshakeAcceptedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	}).Wait(ctx, &resourcemanager.GetHandshakeRequest{HandshakeId: hs.Handshake.HandshakeId}, time.Minute)
	fmt.Println("accepted:", err == nil)
	// Output:
	// invited: Pending
	// accepted: true
}

// Tagging anything but a resource group needs ResourceType: it defaults
// to ResourceGroup.
func ExampleClient_TagResources() {
	srv := startEmulator()
	defer srv.Close()
	rm := resourcemanager.New(srv.Config())
	ctx := context.Background()
	acct, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "Dev"})
	if err != nil {
		log.Fatal(err)
	}
	id := acct.Account.AccountId
	_, err = rm.TagResources(ctx, &resourcemanager.TagResourcesRequest{
		ResourceType: resourcemanager.ResourceTypeAccount, ResourceId: []string{id},
		Tag: []resourcemanager.Tag{{Key: "env", Value: "dev"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	tags, err := rm.ListTagResources(ctx, &resourcemanager.ListTagResourcesRequest{
		ResourceType: resourcemanager.ResourceTypeAccount, ResourceId: []string{id},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tags.TagResources {
		fmt.Println(t.ResourceType, t.TagKey, t.TagValue)
	}
	// Output: Account env dev
}

// A control policy bounds what members of a folder may do; folders start
// with the system policy FullAliyunAccess.
func ExampleClient_AttachControlPolicy() {
	srv := startEmulator()
	defer srv.Close()
	rm := resourcemanager.New(srv.Config())
	ctx := context.Background()
	folder, err := rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "prod"})
	if err != nil {
		log.Fatal(err)
	}
	cp, err := rm.CreateControlPolicy(ctx, &resourcemanager.CreateControlPolicyRequest{
		PolicyName: "deny-ram", EffectScope: "RAM",
		PolicyDocument: `{"Version":"1","Statement":[{"Effect":"Deny","Action":["ram:*"],"Resource":"*"}]}`,
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := rm.AttachControlPolicy(ctx, &resourcemanager.AttachControlPolicyRequest{
		PolicyId: cp.ControlPolicy.PolicyId, TargetId: folder.Folder.FolderId,
	}); err != nil {
		log.Fatal(err)
	}
	on, err := rm.ListControlPolicyAttachmentsForTarget(ctx, &resourcemanager.ListControlPolicyAttachmentsForTargetRequest{TargetId: folder.Folder.FolderId})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range on.ControlPolicyAttachments {
		fmt.Println(a.PolicyName, a.PolicyType)
	}
	// Unordered output:
	// FullAliyunAccess System
	// deny-ram Custom
}
