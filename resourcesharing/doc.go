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
//
// Types follow the API reference with three rules. One type per entity: an
// entity that several operations return (ResourceShare, ResourceShareInvitation, Permission...) is one Go type whose fields
// are the union of what those operations send; a field an operation does not
// send stays at its zero value. Lists are plain slices: where a reply wraps a
// list in an object of one member, as in {"TagResources": {"TagResource": [...]}}, the wrapper is
// skipped and the parent's field is the slice (ListTagResourcesResponse.TagResources []TagResource). Requests keep
// their documented parameter names. One enumeration type per concept, shared
// by requests and replies (TagResourceType of TagResources and of ListTagResources items; ResourceType of Resources.N.ResourceType and of the shared resources), with constants named after each
// value's own casing; values the service adds later still decode.
package resourcesharing
