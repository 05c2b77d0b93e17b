package emulator

import (
	"encoding/json"
	"strings"
	"time"
)

// Account lifecycle beyond membership: the secure mobile number of a
// resource account (SendVerificationCodeForBindSecureMobilePhone,
// BindSecureMobilePhone), the change of a member's e-mail address, which
// waits for the new address to confirm (ChangeAccountEmail,
// RetryChangeAccountEmail, CancelChangeAccountEmail; Service.ConfirmEmailChange
// is the click on the link), the pending creation of a cloud account
// (ResendCreateCloudAccountEmail, CancelCreateCloudAccount), member
// deletion with its pre-check (CheckAccountDelete,
// GetAccountDeletionCheckResult, DeleteAccount, GetAccountDeletionStatus,
// SetMemberDeletionPermission) and GetPayerForAccount.

const (
	errCallerIdentity        errCode = "CallerIdentityError"
	errMobileExists          errCode = "AccountSecureMobileAlreadyExists"
	errEmailModifyNotAllowed errCode = "NotSupportedOperation.Account.EmailModify"
	errEmailRecordNotFound   errCode = "EntityNotExists.EmailModifyRecord"
	errCheckNotFound         errCode = "EntityNotExists.CheckAccount"
	errDeleteCaller          errCode = "CallerIdentityError.DeleteAccount"
	errDeleting              errCode = "NotSupportedOperation.DeletingAccount"
	errChecking              errCode = "NotSupportedOperation.CheckingAccount"
	errMemberAccessDenied    errCode = "MemberAccountAccessDenied"
	errDeletionDisabled      errCode = "NoLicense.ResourceDirectory"
	errHasPayer              errCode = "NotSupport.HasPayerAccount"
)

// Delays on the emulator clock (see Advance).
const (
	// deletionCheckDelay is how long a deletion pre-check runs.
	deletionCheckDelay = 10 * time.Second
	// deletionDelay is how long a member deletion runs once checked.
	deletionDelay = time.Minute
	// emailChangeTTL is how long a new address has to confirm a change.
	emailChangeTTL = 24 * time.Hour
)

// Values of Account.EmailStatus.
const (
	emailWaitModify = "WAIT_MODIFY"
	emailCancelled  = "CANCELLED"
	emailExpired    = "EXPIRED"
)

// Cloud account creation outcomes beyond the common statuses.
const statusCreateCancelled = "CreateCancelled"

// accountLifecycle is the part of an account this file keeps. Plain data.
type accountLifecycle struct {
	SecureMobilePhone string
	PayerAccountID    string // "" means the account pays for itself
	EmailStatus       string
	PendingEmail      string
	EmailExpires      time.Time
	// Check is the last deletion pre-check; nil when none was asked.
	Check *deletionCheck
	// Blockers are the reasons a test made the next checks report (see
	// Service.BlockAccountDeletion).
	Blockers []DeletionBlocker
}

// DeletionBlocker is one reason a member cannot be deleted, as a deletion
// pre-check reports it. Abandonable reasons can be waived by naming their
// CheckID in DeleteAccount's AbandonableCheckId; the others fail the
// deletion.
type DeletionBlocker struct {
	CheckID     string
	CheckName   string
	Description string
	Abandonable bool
}

// deletionCheck is one run of CheckAccountDelete.
type deletionCheck struct {
	Due      time.Time
	Findings []DeletionBlocker
}

// deletionRecord is one DeleteAccount: Checking, then Deleting and Success,
// or CheckFailed with the reasons.
type deletionRecord struct {
	AccountID   string
	Created     time.Time
	CheckDue    time.Time
	DeleteDue   time.Time
	Status      string
	FailReasons []DeletionBlocker
}

// Values of RdAccountDeletionStatus.Status.
const (
	deletionChecking    = "Checking"
	deletionDeleting    = "Deleting"
	deletionSuccess     = "Success"
	deletionCheckFailed = "CheckFailed"
)

// settleAccounts moves the account lifecycles along the clock. Handlers
// that read them call it first, so state stays plain data without pending
// closures.
func (st *state) settleAccounts(now time.Time) {
	for _, a := range st.accounts {
		lc := &a.Lifecycle
		if lc.EmailStatus == emailWaitModify && !now.Before(lc.EmailExpires) {
			lc.EmailStatus = emailExpired
		}
	}
	for _, r := range st.dir().Deletions {
		if r.Status == deletionChecking && !now.Before(r.CheckDue) {
			// The reasons the caller did not waive were recorded at request
			// time; a failed check keeps the account.
			if len(r.FailReasons) > 0 {
				r.Status = deletionCheckFailed
				continue
			}
			r.Status, r.DeleteDue = deletionDeleting, r.CheckDue.Add(deletionDelay)
		}
		if r.Status == deletionDeleting && !now.Before(r.DeleteDue) {
			r.Status = deletionSuccess
			if a := st.accounts[r.AccountID]; a != nil {
				st.leaveDirectory(a, now)
				st.revokeKeys(a.ID)
				delete(st.accounts, a.ID)
			}
		}
	}
}

// findings are the reasons a deletion check reports for an account now:
// the blockers a test set, and the resource shares the account still owns.
func (st *state) findings(a *account) []DeletionBlocker {
	out := append([]DeletionBlocker(nil), a.Lifecycle.Blockers...)
	for _, sh := range st.shares {
		if sh.Owner == a.ID && sh.Status != "Deleted" && sh.Status != "Deleting" {
			out = append(out, DeletionBlocker{CheckID: "NON_SP_resourcesharing", CheckName: "Resource Sharing",
				Description: "The member still owns resource shares. Delete them before deleting the member."})
			break
		}
	}
	return out
}

// deletableMember reads AccountId for the deletion operations: a resource
// account the directory created, not the management account.
func (c *call) deletableMember() (*account, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.memberParam("AccountId")
	if err != nil {
		return nil, err
	}
	if a.ID == c.st.managementID {
		return nil, errDeleteCaller
	}
	if a.Type != accountResource || a.JoinMethod != joinCreated {
		return nil, errDeleteMemberType
	}
	if c.st.dir().MemberDeletionDisabled {
		return nil, errDeletionDisabled
	}
	return a, nil
}

// removableMember is a deletableMember that is no delegated administrator:
// the check and the deletion refuse one, reading the check's result does not.
func (c *call) removableMember() (*account, error) {
	a, err := c.deletableMember()
	if err == nil && c.st.isDelegatedAdmin(a.ID) {
		return nil, errDeleteDelegatedAdmin
	}
	return a, err
}

// errDeleteDelegatedAdmin refuses to delete a member that is still a
// delegated administrator of a trusted service.
const errDeleteDelegatedAdmin errCode = "RemoveConfilctAccountAsDelegatedAdministator"

func checkAccountDelete(c *call) (any, error) {
	c.st.settleAccounts(c.now)
	a, err := c.removableMember()
	if err != nil {
		return nil, err
	}
	if r := c.st.dir().Deletions[a.ID]; r != nil && (r.Status == deletionChecking || r.Status == deletionDeleting) {
		return nil, errAccountStatusMismatch
	}
	a.Lifecycle.Check = &deletionCheck{Due: c.now.Add(deletionCheckDelay), Findings: c.st.findings(a)}
	return nil, nil
}

type checkItem struct {
	CheckId     string
	CheckName   string
	Description string
}

func getAccountDeletionCheckResult(c *call) (any, error) {
	c.st.settleAccounts(c.now)
	a, err := c.deletableMember()
	if err != nil {
		return nil, err
	}
	chk := a.Lifecycle.Check
	if chk == nil {
		return nil, errCheckNotFound
	}
	type info struct {
		AbandonableChecks []checkItem
		AllowDelete       string `json:",omitempty"`
		NotAllowReason    []checkItem
		Status            string
	}
	v := info{AbandonableChecks: []checkItem{}, NotAllowReason: []checkItem{}, Status: "PreChecking"}
	if !c.now.Before(chk.Due) {
		v.Status, v.AllowDelete = "PreCheckComplete", "true"
		for _, f := range chk.Findings {
			item := checkItem{CheckId: f.CheckID, CheckName: f.CheckName, Description: f.Description}
			if f.Abandonable {
				v.AbandonableChecks = append(v.AbandonableChecks, item)
			} else {
				v.NotAllowReason = append(v.NotAllowReason, item)
				v.AllowDelete = "false"
			}
		}
	}
	return struct{ AccountDeletionCheckResultInfo info }{v}, nil
}

func deleteAccount(c *call) (any, error) {
	st := c.st
	st.settleAccounts(c.now)
	a, err := c.removableMember()
	if err != nil {
		return nil, err
	}
	if p := a.Lifecycle.PayerAccountID; p != "" && p != a.ID {
		return nil, errHasPayer
	}
	if r := st.dir().Deletions[a.ID]; r != nil {
		switch r.Status {
		case deletionChecking:
			return nil, errChecking
		case deletionDeleting:
			return nil, errDeleting
		}
	}
	if chk := a.Lifecycle.Check; chk != nil && c.now.Before(chk.Due) {
		return nil, errChecking
	}
	waived := map[string]bool{}
	// The list travels as a JSON array (the model's json shrink); the
	// flattened form is accepted too.
	var ids []string
	if raw := c.p.get("AbandonableCheckId"); raw != "" {
		_ = json.Unmarshal([]byte(raw), &ids) // validate has checked it is JSON
	}
	for _, id := range append(ids, c.p.list("AbandonableCheckId")...) {
		waived[id] = true
	}
	var fails []DeletionBlocker
	for _, f := range st.findings(a) {
		if !f.Abandonable || !waived[f.CheckID] {
			fails = append(fails, f)
		}
	}
	st.dir().Deletions[a.ID] = &deletionRecord{AccountID: a.ID, Created: c.now, CheckDue: c.now.Add(deletionCheckDelay),
		Status: deletionChecking, FailReasons: fails}
	return struct{ DeletionType string }{"0"}, nil
}

func getAccountDeletionStatus(c *call) (any, error) {
	st := c.st
	st.settleAccounts(c.now)
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	id := c.p.get("AccountId")
	r := st.dir().Deletions[id]
	if r == nil {
		if a := st.accounts[id]; a == nil || !a.inRD {
			return nil, errAccountNotFound
		}
		return nil, errCheckNotFound
	}
	type reason struct{ Description, Name string }
	type status struct {
		AccountId      string
		CreateTime     string
		DeletionTime   string
		DeletionType   string
		FailReasonList []reason
		Status         string
	}
	v := status{AccountId: r.AccountID, CreateTime: rmTime(r.Created), DeletionType: "0",
		FailReasonList: []reason{}, Status: r.Status}
	switch r.Status {
	case deletionSuccess:
		v.DeletionTime = rmTime(r.DeleteDue)
	case deletionCheckFailed:
		v.DeletionTime = rmTime(r.CheckDue)
		for _, f := range r.FailReasons {
			v.FailReasonList = append(v.FailReasonList, reason{Description: f.Description, Name: f.CheckName})
		}
	}
	return struct{ RdAccountDeletionStatus status }{v}, nil
}

func setMemberDeletionPermission(c *call) (any, error) {
	st := c.st
	if !st.rdEnabled() {
		return nil, errRDNotEnabled
	}
	if c.caller.ID != st.managementID {
		if c.caller.inRD {
			return nil, errMemberAccessDenied
		}
		return nil, errRDNotEnabled
	}
	st.dir().MemberDeletionDisabled = c.p.get("Status") == "Disabled"
	return struct {
		ManagementAccountId  string
		MemberDeletionStatus string
		ResourceDirectoryId  string
	}{st.managementID, st.memberDeletionStatus(), st.rdID}, nil
}

// memberDeletionStatus is GetResourceDirectory's MemberDeletionStatus.
func (st *state) memberDeletionStatus() string {
	if st.dirx != nil && st.dirx.MemberDeletionDisabled {
		return "Disabled"
	}
	return "Enabled"
}

func getPayerForAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a := c.st.accounts[c.p.get("AccountId")]
	if a == nil || !a.inRD {
		return nil, errAccountNotFound
	}
	payer := a
	if p := c.st.accounts[a.Lifecycle.PayerAccountID]; p != nil {
		payer = p
	}
	name := payer.DisplayName
	if name == "" {
		name = payer.AccountName
	}
	return struct{ PayerAccountId, PayerAccountName string }{payer.ID, name}, nil
}

// resourceMember reads AccountId for the secure-mobile operations, which
// apply to resource accounts of the caller's directory only.
func (c *call) resourceMember() (*account, error) {
	st := c.st
	if c.caller.inRD && c.caller.ID != st.managementID {
		return nil, errCallerIdentity
	}
	if !st.rdEnabled() || !c.caller.inRD {
		return nil, errInAnotherDirectory
	}
	a := st.accounts[c.p.get("AccountId")]
	if a == nil || !a.inRD {
		return nil, errInAnotherDirectory
	}
	return a, nil
}

func sendVerificationCodeForBindSecureMobilePhone(c *call) (any, error) {
	a, err := c.resourceMember()
	if err != nil {
		return nil, err
	}
	v, err := c.sendCode(a.ID, purposeBindPhone, c.p.get("SecureMobilePhone"))
	if err != nil {
		return nil, err
	}
	return struct{ ExpirationDate string }{rmTime(v.Expires)}, nil
}

func bindSecureMobilePhone(c *call) (any, error) {
	a, err := c.resourceMember()
	if err != nil {
		return nil, err
	}
	if a.Type != accountResource {
		return nil, errUpdateTypeMismatch
	}
	if a.Lifecycle.SecureMobilePhone != "" {
		return nil, errMobileExists
	}
	phone := c.p.get("SecureMobilePhone")
	if !c.checkCode(a.ID, purposeBindPhone, phone, c.p.get("VerificationCode")) {
		return nil, errVerificationCode
	}
	a.Lifecycle.SecureMobilePhone = phone
	a.ModifyTime = c.now
	return nil, nil
}

// emailMember reads AccountId for the e-mail change operations.
func (c *call) emailMember() (*account, error) {
	c.st.settleAccounts(c.now)
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	return c.memberParam("AccountId")
}

func changeAccountEmail(c *call) (any, error) {
	a, err := c.emailMember()
	if err != nil {
		return nil, err
	}
	email := strings.ToLower(c.p.get("Email"))
	// Only a cloud account that exists (not one being created or
	// promoted) has a login address to change, and the new one must be
	// free.
	if a.ID == c.st.managementID || a.Type != accountCloud || a.Status == statusCreateVerifying ||
		!validEmail(email) || strings.EqualFold(a.AccountName, email) || c.st.emailUsed(email) {
		return nil, errEmailModifyNotAllowed
	}
	lc := &a.Lifecycle
	lc.EmailStatus, lc.PendingEmail, lc.EmailExpires = emailWaitModify, email, c.now.Add(emailChangeTTL)
	a.ModifyTime = c.now
	return nil, nil
}

func retryChangeAccountEmail(c *call) (any, error) {
	a, err := c.emailMember()
	if err != nil {
		return nil, err
	}
	lc := &a.Lifecycle
	if lc.PendingEmail == "" || (lc.EmailStatus != emailWaitModify && lc.EmailStatus != emailExpired) {
		return nil, errEmailRecordNotFound
	}
	lc.EmailStatus, lc.EmailExpires = emailWaitModify, c.now.Add(emailChangeTTL)
	return nil, nil
}

func cancelChangeAccountEmail(c *call) (any, error) {
	a, err := c.emailMember()
	if err != nil {
		return nil, err
	}
	lc := &a.Lifecycle
	if lc.EmailStatus != emailWaitModify {
		return nil, errEmailRecordNotFound
	}
	lc.EmailStatus = emailCancelled
	a.ModifyTime = c.now
	return nil, nil
}

// cloudAccountRecord finds the pending creation of a cloud account by its
// RecordId.
func (c *call) cloudAccountRecord() (*account, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	a, err := c.recordParam()
	if err != nil {
		return nil, err
	}
	if a.Type != accountCloud || a.Status != statusCreateVerifying {
		return nil, errAccountStatusMismatch
	}
	return a, nil
}

func resendCreateCloudAccountEmail(c *call) (any, error) {
	a, err := c.cloudAccountRecord()
	if err != nil {
		return nil, err
	}
	if c.now.Sub(a.lastEmailSent) < c.cfg.ResendInterval {
		return nil, errResendTooSoon
	}
	a.lastEmailSent = c.now
	v := c.st.viewAccount(a)
	v.RecordId = a.RecordID
	return accountReply{v}, nil
}

func cancelCreateCloudAccount(c *call) (any, error) {
	a, err := c.cloudAccountRecord()
	if err != nil {
		return nil, err
	}
	a.Status = statusCreateCancelled
	a.ModifyTime = c.now
	c.st.leaveDirectory(a, c.now)
	return nil, nil
}

// identityOf is an account's real-name identity: the directory's
// enterprise for the management account and the accounts the directory
// created, unknown for accounts that joined by invitation.
func (st *state) identityOf(a *account) string {
	if a.ID == st.managementID || a.JoinMethod == joinCreated {
		return st.dir().IdentityInformation
	}
	return ""
}

// invitedRealName is the real name of the account a handshake invites,
// when the emulator knows it.
func (st *state) invitedRealName(h *handshake) string {
	if h.TargetType != handshakeTargetAccount {
		return ""
	}
	if a := st.accounts[h.TargetEntity]; a != nil {
		return st.identityOf(a)
	}
	return ""
}

// folderLocation is an account's Location: the names of the folders from
// the root down to the one holding it, joined by slashes.
func (st *state) folderLocation(id string) string {
	var names []string
	for f := st.folders[id]; f != nil && len(names) <= maxFolderDepth+1; f = st.folders[f.ParentID] {
		names = append(names, f.Name)
	}
	var b strings.Builder
	for i := len(names) - 1; i >= 0; i-- {
		b.WriteString(names[i])
		if i > 0 {
			b.WriteByte('/')
		}
	}
	return b.String()
}
