package emulator

import (
	"slices"
	"time"
)

// Trusted services and their delegated administrators:
// RegisterDelegatedAdministrator, DeregisterDelegatedAdministrator,
// ListDelegatedAdministrators, ListDelegatedServicesForAccount,
// ListTrustedServiceStatus. The management account makes members delegated
// administrators of trusted services. A service's trusted access is turned
// on in that service's own console, outside this API; the emulator turns it
// on when a delegated administrator is registered, or when a test calls
// Service.EnableTrustedService.

const (
	errServicePrincipal       errCode = "InvalidParameter.ServicePrincipal"
	errAlreadyDelegated       errCode = "AccountAlreadyRegistered"
	errNotDelegated           errCode = "AccountNotRegistered"
	errDelegatedLimit         errCode = "DelegatedAccountNumberExceeded"
	errDelegateManagement     errCode = "CannotRegisterMasterAsDelegatedAdministrator"
	errDelegateAccountMissing errCode = "EntityNotExists.Account"
)

// trustedServices are the service principals the emulator knows, taken
// from the "Supported trusted services" table of the Resource Directory
// user guide (trusted services overview): each of these supports delegated
// administrators.
var trustedServices = []string{
	"actiontrail.aliyuncs.com",
	"cloudfw.aliyuncs.com",
	"config.aliyuncs.com",
}

// maxDelegatedAdmins bounds the delegated administrators of one service
// (DelegatedAccountNumberExceeded). The limit differs per service and the
// API reference gives no figure; the emulator allows five.
const maxDelegatedAdmins = 5

// delegation makes an account a delegated administrator of a service.
type delegation struct {
	order     int64
	AccountID string
	Service   string
	Enabled   time.Time
}

// trustedAccess is a service whose trusted access is on.
type trustedAccess struct {
	order   int64
	Service string
	Enabled time.Time
}

// delegationStore holds the delegations and the trusted services that are
// on.
type delegationStore struct {
	Delegations []*delegation
	Trusted     []*trustedAccess
}

func (st *state) delegationStore() *delegationStore {
	is := st.iamStore()
	if is.delegated == nil {
		is.delegated = &delegationStore{}
	}
	return is.delegated
}

// liveDelegations drops the delegations of accounts that have left the
// directory and returns the rest.
func (st *state) liveDelegations() []*delegation {
	ds := st.delegationStore()
	ds.Delegations = slices.DeleteFunc(ds.Delegations, func(d *delegation) bool {
		a := st.accounts[d.AccountID]
		return a == nil || !a.inRD
	})
	return ds.Delegations
}

// isDelegatedAdmin reports whether an account is a delegated
// administrator of any service.
func (st *state) isDelegatedAdmin(accountID string) bool {
	for _, d := range st.liveDelegations() {
		if d.AccountID == accountID {
			return true
		}
	}
	return false
}

// trust turns a service's trusted access on.
func (st *state) trust(service string, now time.Time) {
	ds := st.delegationStore()
	for _, t := range ds.Trusted {
		if t.Service == service {
			return
		}
	}
	ds.Trusted = append(ds.Trusted, &trustedAccess{order: st.next(), Service: service, Enabled: now})
}

// delegationParams reads AccountId and ServicePrincipal.
func (c *call) delegationParams() (*account, string, error) {
	svc := c.p.get("ServicePrincipal")
	if !slices.Contains(trustedServices, svc) {
		return nil, "", errServicePrincipal
	}
	a := c.st.accounts[c.p.get("AccountId")]
	if a == nil || !a.inRD {
		return nil, "", errDelegateAccountMissing
	}
	return a, svc, nil
}

func registerDelegatedAdministrator(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, svc, err := c.delegationParams()
	if err != nil {
		return nil, err
	}
	if a.ID == c.st.managementID {
		return nil, errDelegateManagement
	}
	n := 0
	for _, d := range c.st.liveDelegations() {
		if d.Service == svc {
			if d.AccountID == a.ID {
				return nil, errAlreadyDelegated
			}
			n++
		}
	}
	if n >= maxDelegatedAdmins {
		return nil, errDelegatedLimit
	}
	ds := c.st.delegationStore()
	ds.Delegations = append(ds.Delegations, &delegation{order: c.st.next(), AccountID: a.ID, Service: svc, Enabled: c.now})
	c.st.trust(svc, c.now)
	return nil, nil
}

func deregisterDelegatedAdministrator(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, svc, err := c.delegationParams()
	if err != nil {
		return nil, err
	}
	ds := c.st.delegationStore()
	before := len(c.st.liveDelegations())
	ds.Delegations = slices.DeleteFunc(ds.Delegations, func(d *delegation) bool { return d.AccountID == a.ID && d.Service == svc })
	if len(ds.Delegations) == before {
		return nil, errNotDelegated
	}
	return nil, nil
}

type delegatedAdminView struct {
	AccountId             string
	DelegationEnabledTime string
	DisplayName           string
	JoinMethod            string
	ServicePrincipal      string
}

func listDelegatedAdministrators(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	svc := c.p.get("ServicePrincipal")
	var found []*delegation
	for _, d := range c.st.liveDelegations() {
		if svc == "" || d.Service == svc {
			found = append(found, d)
		}
	}
	page, info := pageByNumber(c, found)
	var out struct {
		Accounts struct{ Account []delegatedAdminView }
		pageInfo
	}
	out.pageInfo = info
	out.Accounts.Account = make([]delegatedAdminView, 0, len(page))
	for _, d := range page {
		a := c.st.accounts[d.AccountID]
		out.Accounts.Account = append(out.Accounts.Account, delegatedAdminView{AccountId: a.ID,
			DelegationEnabledTime: isoTime(d.Enabled), DisplayName: a.DisplayName, JoinMethod: a.JoinMethod,
			ServicePrincipal: d.Service})
	}
	return out, nil
}

type delegatedServiceView struct {
	DelegationEnabledTime string
	ServicePrincipal      string
	Status                string
}

func listDelegatedServicesForAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	id := c.p.get("AccountId")
	if a := c.st.accounts[id]; a == nil || !a.inRD {
		return nil, errDelegateAccountMissing
	}
	var out struct {
		DelegatedServices struct{ DelegatedService []delegatedServiceView }
	}
	out.DelegatedServices.DelegatedService = []delegatedServiceView{}
	for _, d := range c.st.liveDelegations() {
		if d.AccountID == id {
			out.DelegatedServices.DelegatedService = append(out.DelegatedServices.DelegatedService,
				delegatedServiceView{DelegationEnabledTime: isoTime(d.Enabled), ServicePrincipal: d.Service, Status: "ENABLED"})
		}
	}
	return out, nil
}

type trustedServiceView struct {
	EnableTime       string
	ServicePrincipal string
}

// listTrustedServiceStatus answers the management account and delegated
// administrators; for a delegated administrator (as caller or as
// AdminAccountId) it lists the services the account administers.
func listTrustedServiceStatus(c *call) (any, error) {
	if !c.caller.inRD {
		return nil, errRDNotEnabled
	}
	admin := c.p.get("AdminAccountId")
	if admin == "" && c.caller.ID != c.st.managementID {
		admin = c.caller.ID
	}
	if c.caller.ID != c.st.managementID && admin != c.caller.ID {
		return nil, errCode(codeForbiddenRAM)
	}
	if c.caller.ID != c.st.managementID && !c.st.isDelegatedAdmin(c.caller.ID) {
		return nil, errCode(codeForbiddenRAM)
	}
	var found []*trustedAccess
	for _, t := range c.st.delegationStore().Trusted {
		if admin == "" || admin == c.st.managementID || slices.ContainsFunc(c.st.liveDelegations(), func(d *delegation) bool {
			return d.AccountID == admin && d.Service == t.Service
		}) {
			found = append(found, t)
		}
	}
	page, info := pageByNumber(c, found)
	var out struct {
		EnabledServicePrincipals struct{ EnabledServicePrincipal []trustedServiceView }
		pageInfo
	}
	out.pageInfo = info
	out.EnabledServicePrincipals.EnabledServicePrincipal = make([]trustedServiceView, 0, len(page))
	for _, t := range page {
		out.EnabledServicePrincipals.EnabledServicePrincipal = append(out.EnabledServicePrincipals.EnabledServicePrincipal,
			trustedServiceView{EnableTime: isoTime(t.Enabled), ServicePrincipal: t.Service})
	}
	return out, nil
}
