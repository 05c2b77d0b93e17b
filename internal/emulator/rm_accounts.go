package emulator

import (
	"strings"
	"time"
)

// Member accounts of the resource directory: CreateResourceAccount,
// GetAccount, ListAccounts, ListAccountsForParent, MoveAccount, UpdateAccount,
// RemoveCloudAccount, DeleteAccount, and promotion of a resource account to a
// cloud account (PromoteResourceAccount, ResendPromoteResourceAccountEmail,
// CancelPromoteResourceAccount).

const (
	errAccountNotFound          errCode = "EntityNotExists.Account"
	errDisplayNameInvalid       errCode = "InvalidParameter.Account.DisplayName"
	errDisplayNameLength        errCode = "InvalidParameter.Account.DisplayName.Length"
	errDisplayNameUsed          errCode = "InvalidParameter.Account.DisplayName.AlreadyUsed"
	errAccountNamePrefixInvalid errCode = "InvalidParameter.Account.AccountNamePrefix"
	errAccountNameTaken         errCode = "EntityAlreadyExists.ResourceDirectory.Account"
	errAccountLimit             errCode = "LimitExceeded.Account"
	errPayerNotInDirectory      errCode = "NotSupport.PayerAccountInAnotherResourceDirectory"
	errAccountStatusMismatch    errCode = "AccountTypeOrStatusMismatch"
	errAccountRecordNotFound    errCode = "EntityNotExists.AccountRecord"
	errEmailInvalid             errCode = "InvalidParameter.Email"
	errEmailUsed                errCode = "InvalidParameter.Email.AlreadyUsed"
	errResendTooSoon            errCode = "LimitExceeded.Frequency"
	errDeleteMemberType         errCode = "MemberTypeError.DeleteAccount"
	errUpdateNothing            errCode = "MissingDisplayNameOrAccountType"
	errUpdateTypeMismatch       errCode = "AccountTypeMismatch"
)

// Account statuses beyond the common ones.
const (
	statusPromoteCancelled = "PromoteCancelled"
	statusPromoteExpired   = "PromoteExpired"
	statusPromoteFailed    = "PromoteFailed"
	statusSwitchSuccess    = "SwitchSuccess"
)

type tagView struct{ Key, Value string }

type tagList struct{ Tag []tagView }

func viewTags(tags []tag) []tagView {
	out := make([]tagView, 0, len(tags))
	for _, t := range tags {
		out = append(out, tagView(t))
	}
	return out
}

type accountView struct {
	AccountId             string
	AccountName           string `json:",omitempty"`
	DisplayName           string
	EmailStatus           string `json:",omitempty"`
	FolderId              string
	IdentityInformation   string `json:",omitempty"`
	JoinMethod            string
	JoinTime              string
	Location              string `json:",omitempty"`
	ModifyTime            string
	RecordId              string `json:",omitempty"`
	ResourceDirectoryId   string
	ResourceDirectoryPath string `json:",omitempty"`
	Status                string
	Type                  string
	Tags                  any `json:",omitempty"`
}

func (st *state) viewAccount(a *account) accountView {
	return accountView{
		AccountId: a.ID, AccountName: a.AccountName, DisplayName: a.DisplayName, FolderId: a.FolderID,
		JoinMethod: a.JoinMethod, JoinTime: rmTime(a.JoinTime), ModifyTime: rmTime(a.ModifyTime),
		ResourceDirectoryId: st.rdID, Status: a.Status, Type: a.Type,
	}
}

func (st *state) accountPath(a *account) string { return st.folderPath(a.FolderID) + "/" + a.ID }

type accountReply struct{ Account accountView }

// members returns the accounts of the directory in creation order.
func (st *state) members() []*account {
	var out []*account
	for _, a := range st.accounts {
		if a.inRD {
			out = append(out, a)
		}
	}
	return byOrder(out, func(a *account) int64 { return a.order })
}

// memberParam reads an account ID parameter naming a member.
func (c *call) memberParam(name string) (*account, error) {
	id := c.p.get(name)
	if !validAccountID(id) {
		return nil, invalidParam(c.codes, name, "")
	}
	a := c.st.accounts[id]
	if a == nil || !a.inRD {
		return nil, errAccountNotFound
	}
	return a, nil
}

func (st *state) displayNameUsed(name string, except *account) bool {
	for _, a := range st.accounts {
		if a.inRD && a != except && strings.EqualFold(a.DisplayName, name) {
			return true
		}
	}
	return false
}

func createResourceAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	st := c.st
	display := c.p.get("DisplayName")
	if !validDisplayName(display) {
		return nil, errDisplayNameInvalid
	}
	prefix := strings.ToLower(c.p.get("AccountNamePrefix"))
	if prefix != "" && !validAccountNamePrefix(prefix) {
		return nil, errAccountNamePrefixInvalid
	}
	parent, err := c.folderParam("ParentFolderId", "ParentFolderId")
	if err != nil {
		return nil, err
	}
	if payer := c.p.get("PayerAccountId"); payer != "" {
		if a := st.accounts[payer]; a == nil || !a.inRD {
			return nil, errPayerNotInDirectory
		}
	}
	if len(st.members()) >= c.cfg.MaxAccounts {
		return nil, errAccountLimit
	}
	if st.displayNameUsed(display, nil) {
		return nil, errDisplayNameUsed
	}
	if prefix == "" {
		prefix = st.token(1, "abcdefghijklmnopqrstuvwxyz") + st.token(9, lowerAlnum)
	}
	name := prefix + "@" + strings.ToLower(st.rdID) + ".aliyunid.com"
	for _, a := range st.accounts {
		if a.inRD && a.AccountName == name {
			return nil, errAccountNameTaken
		}
	}
	if c.p.boolean("DryRun") {
		return nil, nil
	}
	a := &account{
		order: st.next(), ID: st.newAccountID(), inRD: true, DisplayName: display, AccountName: name,
		FolderID: parent.ID, Type: accountResource, Status: statusCreateSuccess, JoinMethod: joinCreated,
		JoinTime: c.now, ModifyTime: c.now, tags: c.p.tags(),
	}
	a.Lifecycle.PayerAccountID = c.p.get("PayerAccountId")
	st.accounts[a.ID] = a
	return accountReply{st.viewAccount(a)}, nil
}

func getAccount(c *call) (any, error) {
	if c.p.get("AccountId") != c.caller.ID {
		if err := c.requireManagement(); err != nil {
			return nil, err
		}
	} else if !c.caller.inRD {
		return nil, errRDNotEnabled
	}
	a, err := c.memberParam("AccountId")
	if err != nil {
		return nil, err
	}
	v := c.st.viewAccount(a)
	v.ResourceDirectoryPath = c.st.accountPath(a)
	c.st.settleAccounts(c.now)
	v.EmailStatus = a.Lifecycle.EmailStatus
	v.IdentityInformation = c.st.identityOf(a)
	v.Location = c.st.folderLocation(a.FolderID)
	if c.p.boolean("IncludeTags") {
		v.Tags = viewTags(a.tags)
	}
	return accountReply{v}, nil
}

// matchTags reports whether an entity carries every requested tag; a
// requested tag without a value matches any value.
func matchTags(have, want []tag) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h.Key == w.Key && (w.Value == "" || h.Value == w.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

type accountsReply struct {
	Accounts struct{ Account []accountView }
	pageInfo
}

func (c *call) listAccountsReply(found []*account, withPath bool) accountsReply {
	page, info := pageByNumber(c, found)
	var out accountsReply
	out.pageInfo = info
	out.Accounts.Account = make([]accountView, 0, len(page))
	includeTags := c.p.boolean("IncludeTags")
	for _, a := range page {
		v := c.st.viewAccount(a)
		v.AccountName = ""
		if withPath {
			v.ResourceDirectoryPath = c.st.accountPath(a)
		}
		if includeTags {
			v.Tags = tagList{viewTags(a.tags)}
		}
		out.Accounts.Account = append(out.Accounts.Account, v)
	}
	return out
}

func listAccounts(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	want := c.p.tags()
	var found []*account
	for _, a := range c.st.members() {
		if matchTags(a.tags, want) {
			found = append(found, a)
		}
	}
	return c.listAccountsReply(found, true), nil
}

func listAccountsForParent(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	parent, err := c.folderParam("ParentFolderId", "ParentFolderId")
	if err != nil {
		return nil, err
	}
	kw := strings.ToLower(c.p.get("QueryKeyword"))
	want := c.p.tags()
	var found []*account
	for _, a := range c.st.members() {
		if a.FolderID != parent.ID || !matchTags(a.tags, want) {
			continue
		}
		if kw != "" && !strings.Contains(strings.ToLower(a.DisplayName), kw) && !strings.Contains(a.ID, kw) {
			continue
		}
		found = append(found, a)
	}
	return c.listAccountsReply(found, false), nil
}

func moveAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.memberParam("AccountId")
	if err != nil {
		return nil, err
	}
	dest, err := c.folderParam("DestinationFolderId", "DestinationFolderId")
	if err != nil {
		return nil, err
	}
	if a.Status == statusPromoteVerifying {
		return nil, errAccountStatusMismatch
	}
	a.FolderID = dest.ID
	a.ModifyTime = c.now
	return nil, nil
}

func updateAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.memberParam("AccountId")
	if err != nil {
		return nil, err
	}
	name, typ := c.p.get("NewDisplayName"), c.p.get("NewAccountType")
	if name == "" && typ == "" {
		return nil, errUpdateNothing
	}
	if name != "" {
		if n := len([]rune(name)); n < 2 || n > 50 {
			return nil, errDisplayNameLength
		}
		if !validDisplayName(name) {
			return nil, errDisplayNameInvalid
		}
		if c.st.displayNameUsed(name, a) {
			return nil, errDisplayNameUsed
		}
	}
	if typ != "" && (a.ID == c.st.managementID || a.Status == statusPromoteVerifying) {
		return nil, errUpdateTypeMismatch
	}
	if name != "" {
		a.DisplayName = name
	}
	if typ != "" && typ != a.Type {
		a.Type = typ
		a.Status = statusSwitchSuccess
	}
	a.ModifyTime = c.now
	return accountReply{c.st.viewAccount(a)}, nil
}

// leaveDirectory takes an account out of the directory and ends the
// internal shares that target it.
func (st *state) leaveDirectory(a *account, now time.Time) {
	a.inRD = false
	a.FolderID = ""
	a.DisplayName = ""
	for _, sh := range st.shares {
		for _, as := range sh.assocs {
			if as.Type == assocTarget && as.EntityID == a.ID && !as.External && as.Status != assocDisassociated {
				as.Status, as.Updated = assocDisassociated, now
			}
		}
	}
}

func removeCloudAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.memberParam("AccountId")
	if err != nil {
		return nil, err
	}
	if a.ID == c.st.managementID || a.Type != accountCloud {
		return nil, errAccountStatusMismatch
	}
	c.st.leaveDirectory(a, c.now)
	a.Status = ""
	a.ModifyTime = c.now
	return nil, nil
}

// promotable statuses: a resource account that is not being promoted.
func promotable(a *account) bool {
	if a.Type != accountResource {
		return false
	}
	switch a.Status {
	case statusCreateSuccess, statusPromoteCancelled, statusPromoteExpired, statusPromoteFailed:
		return true
	}
	return false
}

func promoteResourceAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.memberParam("AccountId")
	if err != nil {
		return nil, err
	}
	email := strings.ToLower(c.p.get("Email"))
	if !validEmail(email) {
		return nil, errEmailInvalid
	}
	if !promotable(a) {
		return nil, errAccountStatusMismatch
	}
	st := c.st
	for _, other := range st.accounts {
		if other != a && other.promoteEmail == email {
			return nil, errEmailUsed
		}
	}
	a.Status = statusPromoteVerifying
	a.RecordID = st.uuid()
	a.promoteEmail = email
	a.lastEmailSent = c.now
	a.ModifyTime = c.now
	v := st.viewAccount(a)
	v.RecordId = a.RecordID
	return accountReply{v}, nil
}

// recordParam finds the account whose promotion RecordId is given.
func (c *call) recordParam() (*account, error) {
	id := c.p.get("RecordId")
	for _, a := range c.st.accounts {
		if a.inRD && a.RecordID != "" && a.RecordID == id {
			return a, nil
		}
	}
	return nil, errAccountRecordNotFound
}

func resendPromoteResourceAccountEmail(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.recordParam()
	if err != nil {
		return nil, err
	}
	if a.Status != statusPromoteVerifying {
		return nil, errAccountStatusMismatch
	}
	if c.now.Sub(a.lastEmailSent) < c.cfg.ResendInterval {
		return nil, errResendTooSoon
	}
	a.lastEmailSent = c.now
	v := c.st.viewAccount(a)
	v.RecordId = a.RecordID
	return accountReply{v}, nil
}

func cancelPromoteResourceAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.recordParam()
	if err != nil {
		return nil, err
	}
	if a.Status != statusPromoteVerifying {
		return nil, errAccountStatusMismatch
	}
	a.Status = statusPromoteCancelled
	a.ModifyTime = c.now
	return nil, nil
}
