package alicloudtest

// Controls for roles and trusted services: changes that other Alibaba Cloud
// services make, which no Resource Manager call can.

// MarkServiceLinkedRoleInUse records that the service of a service-linked
// role uses it for resources in a region, as a PolarDB cluster uses
// AliyunServiceRoleForPolarDB. Call it after CreateServiceLinkedRole to
// test how your code handles a deletion that cannot go through: while the
// role is in use, the task of DeleteServiceLinkedRole ends FAILED (once the
// clock has moved by a minute, see Advance) and
// GetServiceLinkedRoleDeletionStatus lists these regions and resources in
// Reason.RoleUsages. Calls add up. accountID "" is the management account;
// the error says the account has no such service-linked role.
func (s *Server) MarkServiceLinkedRoleInUse(accountID, roleName, region string, resourceIDs ...string) error {
	return s.srv.MarkServiceLinkedRoleInUse(accountID, roleName, region, resourceIDs...)
}

// ClearServiceLinkedRoleUsage forgets every use of a service-linked role,
// as when the resources that used it are released, so that the next
// deletion succeeds.
func (s *Server) ClearServiceLinkedRoleUsage(accountID, roleName string) error {
	return s.srv.ClearServiceLinkedRoleUsage(accountID, roleName)
}

// EnableTrustedService turns on a trusted service's access to the resource
// directory, the step done in that service's own console;
// ListTrustedServiceStatus lists it from then on. Registering a delegated
// administrator for a service turns it on too. The emulator knows
// actiontrail.aliyuncs.com, cloudfw.aliyuncs.com and config.aliyuncs.com;
// any other principal is an error.
func (s *Server) EnableTrustedService(servicePrincipal string) error {
	return s.srv.EnableTrustedService(servicePrincipal)
}
