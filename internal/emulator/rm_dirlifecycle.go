package emulator

import (
	"strings"
	"time"
)

// Directory lifecycle: EnableResourceDirectory (with its verification code,
// SendVerificationCodeForEnableRD), InitResourceDirectory,
// DestroyResourceDirectory and ListAncestors. An emulator started with
// Config.WithoutResourceDirectory has no directory until one of the first
// two calls creates it; state.rdID is then "" and every directory operation
// answers the documented "not enabled" code.

const (
	errRDExists            errCode = "EntityAlreadyExists.ResourceDirectory"
	errRDHasMembers        errCode = "DeleteConflict.ResourceDirectory.Account"
	errMANameInvalid       errCode = "InvalidParameter.ManagementAccountName"
	errMANameUsed          errCode = "InvalidParameter.ManagementAccountName.AlreadyUsed"
	errMASecurityInfo      errCode = "InvalidParameter.ManagementAccountSecurityInfo"
	errMissingMobile       errCode = "MissingSecureMobilePhone"
	errMissingSecurityInfo errCode = "MissingSecurityInfo"
	errVerificationCode    errCode = "Invalid.VerificationCode"
	errMobileCountryCode   errCode = "InvalidParameter.MobileCountryCode"
	errCodeTooOften        errCode = "SendValidateCodeExceedsLimitForAccount"
)

// verificationCodeTTL is how long an SMS verification code stays valid, on
// the emulator clock.
const verificationCodeTTL = 15 * time.Minute

// dirState is what the directory lifecycle and the account lifecycle
// (rm_accountlifecycle.go) keep beside the directory itself. Plain data.
type dirState struct {
	// MemberDeletionDisabled is SetMemberDeletionPermission's switch.
	MemberDeletionDisabled bool
	// IdentityInformation is the real-name identity of the management
	// account's enterprise, shown on the directory and on the accounts it
	// creates.
	IdentityInformation string
	// Codes are the SMS verification codes sent, by account ID.
	Codes map[string]*verification
	// Deletions are the member deletions requested, by account ID; a
	// record outlives its account so that its status can be read.
	Deletions map[string]*deletionRecord
}

// verification is one SMS verification code sent to a mobile number.
type verification struct {
	Purpose string // purposeEnableRD or purposeBindPhone
	Phone   string
	Code    string
	Sent    time.Time
	Expires time.Time
}

const (
	purposeEnableRD  = "EnableRD"
	purposeBindPhone = "BindSecureMobilePhone"
)

// defaultIdentityInformation is the enterprise name of a fresh emulator.
const defaultIdentityInformation = "Emulated Enterprise Co., Ltd."

// dir returns the lifecycle state, creating it on first use.
func (st *state) dir() *dirState {
	if st.dirx == nil {
		st.dirx = &dirState{
			IdentityInformation: defaultIdentityInformation,
			Codes:               map[string]*verification{},
			Deletions:           map[string]*deletionRecord{},
		}
	}
	return st.dirx
}

// rdEnabled reports whether a resource directory exists.
func (st *state) rdEnabled() bool { return st.rdID != "" }

// dropDirectory leaves the emulator without a resource directory: the
// management account becomes a plain account again.
func (st *state) dropDirectory() {
	delete(st.folders, st.rootID)
	st.rdID, st.rootID, st.rdCreated = "", "", time.Time{}
	if m := st.accounts[st.managementID]; m != nil {
		m.inRD, m.FolderID, m.Status, m.JoinMethod = false, "", "", ""
	}
}

// createDirectory makes a new resource directory managed by m.
func (st *state) createDirectory(m *account, now time.Time) {
	st.rdID = "rd-" + st.token(6, alnum)
	st.rootID = "r-" + st.token(6, alnum)
	st.rdCreated = now
	st.folders[st.rootID] = &folder{order: st.next(), ID: st.rootID, Name: "Root", Created: now}
	st.managementID = m.ID
	m.inRD = true
	m.FolderID = st.rootID
	m.Type = accountCloud
	m.Status = statusInviteSuccess
	m.JoinMethod = joinInvited
	m.JoinTime, m.ModifyTime = now, now
	if m.DisplayName == "" {
		m.DisplayName = "management"
	}
	if m.AccountName == "" {
		m.AccountName = "management@" + strings.ToLower(st.rdID) + ".aliyunid.com"
	}
	// A new directory starts with member deletion allowed.
	st.dir().MemberDeletionDisabled = false
}

type newDirectoryView struct {
	CreateTime          string
	MasterAccountId     string
	MasterAccountName   string
	ResourceDirectoryId string
	RootFolderId        string
}

func (st *state) viewNewDirectory() any {
	m := st.accounts[st.managementID]
	return struct{ ResourceDirectory newDirectoryView }{newDirectoryView{
		CreateTime: rmTime(st.rdCreated), MasterAccountId: m.ID, MasterAccountName: m.AccountName,
		ResourceDirectoryId: st.rdID, RootFolderId: st.rootID,
	}}
}

// requireNoDirectory is the common check of the calls that create a
// directory: a member of one cannot, and a directory already exists when
// the caller manages it.
func (c *call) requireNoDirectory() error {
	if c.caller.inRD && c.caller.ID != c.st.managementID {
		return errInAnotherDirectory
	}
	if c.st.rdEnabled() {
		return errRDExists
	}
	return nil
}

// validMobile reports whether a number has the documented
// "<country code>-<number>" form (86-13900001234).
func validMobile(s string) bool {
	cc, num, ok := strings.Cut(s, "-")
	return ok && len(cc) >= 1 && len(cc) <= 4 && len(num) >= 5 && len(num) <= 15 &&
		allRunes(cc, func(r rune) bool { return r >= '0' && r <= '9' }) &&
		allRunes(num, func(r rune) bool { return r >= '0' && r <= '9' })
}

// sendCode issues a verification code for an account, no more often than
// ResendInterval.
func (c *call) sendCode(accountID, purpose, phone string) (*verification, error) {
	if !validMobile(phone) {
		return nil, errMobileCountryCode
	}
	d := c.st.dir()
	if v := d.Codes[accountID]; v != nil && v.Purpose == purpose && c.now.Sub(v.Sent) < c.cfg.ResendInterval {
		return nil, errCodeTooOften
	}
	v := &verification{Purpose: purpose, Phone: phone, Code: c.st.token(6, digits), Sent: c.now,
		Expires: c.now.Add(verificationCodeTTL)}
	d.Codes[accountID] = v
	return v, nil
}

// checkCode accepts the code last sent to phone for the account, once.
func (c *call) checkCode(accountID, purpose, phone, code string) bool {
	d := c.st.dir()
	v := d.Codes[accountID]
	if v == nil || v.Purpose != purpose || v.Phone != phone || v.Code != code || c.now.After(v.Expires) {
		return false
	}
	delete(d.Codes, accountID)
	return true
}

func sendVerificationCodeForEnableRD(c *call) (any, error) {
	if err := c.requireNoDirectory(); err != nil {
		return nil, err
	}
	if _, err := c.sendCode(c.caller.ID, purposeEnableRD, c.p.get("SecureMobilePhone")); err != nil {
		return nil, err
	}
	return nil, nil
}

func enableResourceDirectory(c *call) (any, error) {
	if err := c.requireNoDirectory(); err != nil {
		return nil, err
	}
	st := c.st
	if c.p.get("EnableMode") == "CurrentAccount" {
		st.createDirectory(c.caller, c.now)
		return st.viewNewDirectory(), nil
	}
	// NewManagementAccount: a new account, secured by a mobile number the
	// caller has verified, manages the directory; the caller joins it.
	name := strings.ToLower(c.p.get("MAName"))
	prefix, _, _ := strings.Cut(name, "@")
	if !validAccountNamePrefix(prefix) {
		return nil, errMANameInvalid
	}
	phone, code := c.p.get("MASecureMobilePhone"), c.p.get("VerificationCode")
	if phone == "" {
		return nil, errMissingMobile
	}
	if code == "" {
		return nil, errMissingSecurityInfo
	}
	if !validMobile(phone) {
		return nil, errMASecurityInfo
	}
	if !strings.Contains(name, "@") {
		name = prefix + "@" + "rdadmin.aliyunid.com"
	}
	for _, a := range st.accounts {
		if strings.EqualFold(a.AccountName, name) {
			return nil, errMANameUsed
		}
	}
	if !c.checkCode(c.caller.ID, purposeEnableRD, phone, code) {
		return nil, errVerificationCode
	}
	m := st.externalAccount(st.newAccountID(), c.now)
	m.AccountName, m.DisplayName = name, prefix
	m.Lifecycle.SecureMobilePhone = phone
	st.issueKey(m.ID)
	st.createDirectory(m, c.now)
	caller := c.caller
	caller.inRD, caller.FolderID, caller.Type = true, st.rootID, accountCloud
	caller.Status, caller.JoinMethod = statusInviteSuccess, joinInvited
	caller.JoinTime, caller.ModifyTime = c.now, c.now
	if caller.DisplayName == "" {
		caller.DisplayName = caller.ID
	}
	return st.viewNewDirectory(), nil
}

func initResourceDirectory(c *call) (any, error) {
	if err := c.requireNoDirectory(); err != nil {
		return nil, err
	}
	c.st.createDirectory(c.caller, c.now)
	return c.st.viewNewDirectory(), nil
}

func destroyResourceDirectory(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	st := c.st
	// The directory must be back to its first state: the documented
	// conflict names members, and the folders that would hold them count
	// the same way.
	for _, a := range st.members() {
		if a.ID != st.managementID {
			return nil, errRDHasMembers
		}
	}
	for _, f := range st.folders {
		if f.ParentID != "" {
			return nil, errRDHasMembers
		}
	}
	st.dropDirectory()
	return nil, nil
}

func listAncestors(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	f, err := c.folderParam("ChildId", "ChildId")
	if err != nil {
		return nil, err
	}
	type item struct {
		CreateTime string
		FolderId   string
		FolderName string
	}
	var chain []item
	for p := c.st.folders[f.ParentID]; p != nil && len(chain) <= maxFolderDepth+1; p = c.st.folders[p.ParentID] {
		chain = append(chain, item{CreateTime: rmTime(p.Created), FolderId: p.ID, FolderName: p.Name})
	}
	out := make([]item, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i])
	}
	return struct{ Folders struct{ Folder []item } }{struct{ Folder []item }{out}}, nil
}

// rmTime formats a Resource Manager timestamp the way its reference shows
// them: UTC, to the second (2015-01-23T12:33:18Z).
func rmTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// getResourceDirectoryWithLifecycle is GetResourceDirectory with what the
// lifecycle keeps: the member deletion switch, the enterprise identity and
// the documented second-precision creation time.
func getResourceDirectoryWithLifecycle(c *call) (any, error) {
	resp, err := getResourceDirectory(c)
	if err != nil {
		return nil, err
	}
	r, ok := resp.(struct{ ResourceDirectory resourceDirectoryView })
	if !ok {
		return resp, nil
	}
	st := c.st
	r.ResourceDirectory.CreateTime = rmTime(st.rdCreated)
	r.ResourceDirectory.MemberDeletionStatus = st.memberDeletionStatus()
	r.ResourceDirectory.IdentityInformation = st.dir().IdentityInformation
	return r, nil
}
