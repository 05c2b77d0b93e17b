// Package resourcemanager is a typed client for Alibaba Cloud Resource
// Manager (API version 2020-03-31): the resource directory, folders, member
// accounts, handshakes, resource groups, policies, roles, control policies
// and tags.
//
// Resource Manager has one central endpoint, so a Config needs no region:
//
//	rm := resourcemanager.New(alicloud.Config{Credentials: alicloud.NewEnvironmentCredentials()})
//	out, err := rm.CreateResourceAccount(ctx, &resourcemanager.CreateResourceAccountRequest{
//		DisplayName:       "Dev",
//		AccountNamePrefix: "alice",
//	})
//
// Every operation has its own file (api_op_<Operation>.go) with its request,
// response, method and, for list operations, the <Op>Pages and <Op>All
// iterators. Requests are validated before anything is sent; documented error
// codes are ErrorCode constants in errors.go that match with errors.Is.
//
// Types follow the API reference with three rules. One type per entity: an
// entity that several operations return (Account, Folder, Handshake, ResourceGroup...) is one Go type whose fields
// are the union of what those operations send; a field an operation does not
// send stays at its zero value. Lists are plain slices: where a reply wraps a
// list in an object of one member, as in {"Accounts": {"Account": [...]}}, the wrapper is
// skipped and the parent's field is the slice (ListAccountsResponse.Accounts []Account). Requests keep
// their documented parameter names. One enumeration type per concept, shared
// by requests and replies (ResourceType of TagResources and of ListTagResources items), with constants named after each
// value's own casing; values the service adds later still decode.
package resourcemanager
