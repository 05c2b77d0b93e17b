// Command credentials shows where LoadDefaultConfig finds credentials: it
// prints the default chain in order, then the provider that supplied them
// (or why each provider had none). The secret is never printed.
//
//	go run ./examples/credentials        # the ECS metadata lookup is skipped
//	go run ./examples/credentials -ecs   # on an ECS instance: ask its metadata service too
//
// With nothing configured it makes no network call: the environment, the
// OIDC variables and the credentials URI are unset, the profile providers
// read local files, and the ECS RAM role provider is disabled unless -ecs is
// given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/resourcekit/alicloud"
)

func main() {
	ecs := flag.Bool("ecs", false, "also ask the ECS instance metadata service (100.100.100.200)")
	flag.Parse()
	if !*ecs {
		// Off ECS, the metadata address does not answer and the provider
		// would wait for its timeout; it is also network traffic nobody asked for.
		if err := os.Setenv(alicloud.EnvECSMetadataDisabled, "true"); err != nil {
			log.Fatal(err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	cfg, err := alicloud.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	region := cfg.Region
	if region == "" {
		region = "(not set: use WithRegion, " + alicloud.EnvRegionID + " or the CLI profile's region_id)"
	}
	fmt.Println("region:", region)

	chain, ok := cfg.Credentials.(*alicloud.ChainCredentials)
	if !ok {
		log.Fatalf("unexpected credentials provider %T", cfg.Credentials)
	}
	fmt.Println("default credentials chain, tried in this order:")
	for i, name := range chain.ProviderNames() {
		fmt.Printf("  %d. %s\n", i+1, name)
	}

	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		var chainErr *alicloud.CredentialsChainError
		if errors.As(err, &chainErr) {
			fmt.Println("no provider supplied credentials:")
			for _, f := range chainErr.Failures {
				fmt.Printf("  - %s: %v\n", f.Provider, f.Err)
			}
		} else {
			fmt.Println("error:", err)
		}
		if errors.Is(err, alicloud.ErrCredentialsNotFound) {
			fmt.Println("nothing is configured; set " + alicloud.EnvAccessKeyID + " and " + alicloud.EnvAccessKeySecret + ", or run `aliyun configure`.")
			return
		}
		os.Exit(1)
	}
	fmt.Println("selected provider:", chain.SelectedName())
	// Credentials print with the secret and the token redacted.
	fmt.Println("credentials:", creds)
}
