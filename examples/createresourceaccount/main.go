// Command createresourceaccount shows CreateResourceAccount against the
// in-process emulator: a member named Dev with the account name prefix
// alice in a folder, a dry run, and the documented errors for a display
// name in use, an unknown folder and a full resource directory.
//
//	go run ./examples/createresourceaccount
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "createresourceaccount:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	// A small directory: the management account and two members.
	srv, err := alicloudtest.Start(alicloudtest.WithMaxAccounts(3))
	if err != nil {
		return err
	}
	defer srv.Close()
	rm := resourcemanager.New(srv.Config())

	folder, err := rm.CreateFolder(ctx, &resourcemanager.CreateFolderRequest{FolderName: "projects"})
	if err != nil {
		return err
	}
	out, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{
		DisplayName:       "Dev",
		AccountNamePrefix: "alice",
		ParentFolderId:    folder.Folder.FolderId,
		Tag:               alicloud.List[resourcemanager.Tag]{{Key: "k1", Value: "v1"}},
	})
	if err != nil {
		return err
	}
	a := out.Account
	fmt.Fprintf(w, "created %s %q: %s in %s, %s, %s, joined %s\n", a.AccountId, a.DisplayName, a.AccountName, a.FolderId,
		a.Type, a.Status, a.JoinMethod)

	_, err = rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "Ops", DryRun: true})
	fmt.Fprintf(w, "dry run for Ops: passes = %t\n", err == nil)

	_, err = rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "Dev"})
	fmt.Fprintf(w, "Dev again: display name used = %t\n", errors.Is(err, resourcemanager.ErrInvalidParameterAccountDisplayNameAlreadyUsed))
	_, err = rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "Ops", ParentFolderId: "fd-r23M55abcd"})
	fmt.Fprintf(w, "unknown folder: %t\n", errors.Is(err, resourcemanager.ErrEntityNotExistsFolder))

	if _, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "Ops"}); err != nil {
		return err
	}
	_, err = rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "QA"})
	var apiErr *alicloud.APIError
	if errors.As(err, &apiErr) {
		fmt.Fprintf(w, "directory full: %s (HTTP %d): %s\n", apiErr.Code, apiErr.HTTPStatus, apiErr.Message)
	}
	_, err = rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{DisplayName: "bad/name"})
	fmt.Fprintf(w, "bad display name, caught before sending: %v\n", err)
	return nil
}
