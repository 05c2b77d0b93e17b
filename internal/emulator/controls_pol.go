package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// Test controls of roles and trusted services: state changes that happen
// in other Alibaba Cloud services, outside the Resource Manager API.

// MarkServiceLinkedRoleInUse records that the service of a service-linked
// role uses it for resources in a region, as when a PolarDB cluster relies
// on AliyunServiceRoleForPolarDB. While a role is in use, its deletion
// tasks end FAILED and report these regions and resources in
// Reason.RoleUsages. Calls add up; ClearServiceLinkedRoleUsage undoes them.
// accountID "" is the management account.
func (s *Service) MarkServiceLinkedRoleInUse(accountID, roleName, region string, resourceIDs ...string) error {
	a := roleUsageArgs{accountID, roleName, region, resourceIDs}
	return s.control(ctlMarkServiceLinkedRoleInUse, a, func() error { return s.markServiceLinkedRoleInUse(a) })
}

// roleUsageArgs are the service-linked role controls' arguments, as the
// journal keeps them.
type roleUsageArgs struct {
	AccountID, RoleName, Region string
	ResourceIDs                 []string
}

func (s *Service) markServiceLinkedRoleInUse(a roleUsageArgs) error {
	accountID, roleName, region, resourceIDs := a.AccountID, a.RoleName, a.Region, a.ResourceIDs
	r, err := s.st.serviceLinkedRole(accountID, roleName)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(r.Usage, func(u roleUsage) bool { return u.Region == region })
	if i < 0 {
		r.Usage = append(r.Usage, roleUsage{Region: region})
		i = len(r.Usage) - 1
	}
	for _, id := range resourceIDs {
		if !slices.Contains(r.Usage[i].Resources, id) {
			r.Usage[i].Resources = append(r.Usage[i].Resources, id)
		}
	}
	return nil
}

// ClearServiceLinkedRoleUsage forgets every use of a service-linked role,
// as when the resources that used it are released; a later deletion
// succeeds.
func (s *Service) ClearServiceLinkedRoleUsage(accountID, roleName string) error {
	a := roleUsageArgs{AccountID: accountID, RoleName: roleName}
	return s.control(ctlClearServiceLinkedRoleUsage, a, func() error { return s.clearServiceLinkedRoleUsage(a) })
}

func (s *Service) clearServiceLinkedRoleUsage(a roleUsageArgs) error {
	accountID, roleName := a.AccountID, a.RoleName
	r, err := s.st.serviceLinkedRole(accountID, roleName)
	if err != nil {
		return err
	}
	r.Usage = nil
	return nil
}

// EnableTrustedService turns on the trusted access of a service to the
// resource directory, the step done in that service's own console;
// ListTrustedServiceStatus then lists it. The service must be one the
// emulator knows (cloudfw.aliyuncs.com, config.aliyuncs.com,
// actiontrail.aliyuncs.com).
func (s *Service) EnableTrustedService(servicePrincipal string) error {
	return s.control(ctlEnableTrustedService, servicePrincipal, func() error { return s.enableTrustedService(servicePrincipal) })
}

func (s *Service) enableTrustedService(servicePrincipal string) error {
	if !slices.Contains(trustedServices, servicePrincipal) {
		return fmt.Errorf("emulator: %q is not a trusted service the emulator knows (%v)", servicePrincipal, trustedServices)
	}
	s.st.trust(servicePrincipal, s.st.now(s.wall()))
	return nil
}

// serviceLinkedRole finds a service-linked role of an account.
func (st *state) serviceLinkedRole(accountID, roleName string) (*role, error) {
	if accountID == "" {
		accountID = st.managementID
	}
	for _, r := range st.iamStore().roles {
		if r.Owner == accountID && r.ServiceName != "" && strings.EqualFold(r.Name, roleName) {
			return r, nil
		}
	}
	return nil, fmt.Errorf("emulator: account %s has no service-linked role %q", accountID, roleName)
}
