// Package alicloud is the shared surface of the Resource Management SDK:
// configuration, credentials, retry settings, hooks, the client-side rate
// limiter and the error types that the product packages (resourcesharing,
// resourcemanager) return.
//
// A program loads one Config, with credentials from the same default chain
// the aliyun CLI and Alibaba Cloud's own libraries use, and hands it to each
// product client:
//
//	cfg, err := alicloud.LoadDefaultConfig(ctx, alicloud.WithRegion("cn-hangzhou"))
//	if err != nil { ... }
//	rs := resourcesharing.New(cfg)
//	rm := resourcemanager.New(cfg)
//
// Errors returned by an operation unwrap to *APIError when the service
// answered with an error, and match documented codes with errors.Is:
//
//	if errors.Is(err, resourcesharing.ErrInvitationStatusExpired) { ... }
//
// Package alicloudtest starts an in-process emulator of both services, for
// tests and for trying the SDK without an account.
package alicloud

//go:generate go run ./internal/codegen
