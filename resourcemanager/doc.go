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
package resourcemanager
