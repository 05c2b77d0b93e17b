// Package resourcesharing is a typed client for Alibaba Cloud Resource
// Sharing (API version 2020-01-10): resource shares, their resources and
// targets (associations), invitations for accounts outside the resource
// directory, and permissions.
//
// Create one Client per region and share it between goroutines:
//
//	rs := resourcesharing.New(alicloud.Config{
//		Region:      "cn-hangzhou",
//		Credentials: alicloud.NewEnvironmentCredentials(),
//	})
//	out, err := rs.AcceptResourceShareInvitation(ctx, &resourcesharing.AcceptResourceShareInvitationRequest{
//		ResourceShareInvitationId: "i-pMnItMX19fBJ****",
//	})
//
// Every operation has its own file (api_op_<Operation>.go) with its request,
// response, method and, for list operations, the <Op>Pages and <Op>All
// iterators. Requests are validated before anything is sent; documented error
// codes are ErrorCode constants in errors.go that match with errors.Is.
package resourcesharing
