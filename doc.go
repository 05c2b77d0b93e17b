// Package alicloud is the shared surface of the Resource Management SDK:
// configuration, credentials, retry settings and the error types that the
// product packages (resourcesharing, resourcemanager) return.
//
// A typical program builds one Config and hands it to each product client:
//
//	cfg := alicloud.Config{
//		Region:      "cn-hangzhou",
//		Credentials: alicloud.NewEnvironmentCredentials(),
//	}
//	rs := resourcesharing.New(cfg)
//	rm := resourcemanager.New(cfg)
//
// Errors returned by an operation unwrap to *APIError when the service
// answered with an error, and match documented codes with errors.Is:
//
//	if errors.Is(err, resourcesharing.ErrInvitationStatusExpired) { ... }
package alicloud

//go:generate go run ./internal/codegen
