package emulator

import (
	"strings"
	"time"
)

// CreateCloudAccount: a member account that is a cloud account of its own,
// registered with an e-mail address. It starts CreateVerifying with a
// RecordId and becomes CreateSuccess once the emulator clock has moved by
// cloudAccountCreateDelay (see Advance).

// cloudAccountCreateDelay is how long, on the emulator clock, a new cloud
// account stays CreateVerifying.
const cloudAccountCreateDelay = time.Minute

const statusCreateVerifying = "CreateVerifying"

// cloudAccountView is the Account of the CreateCloudAccount reply, which
// has no JoinTime.
type cloudAccountView struct {
	AccountId           string
	AccountName         string
	DisplayName         string
	FolderId            string
	JoinMethod          string
	ModifyTime          string
	RecordId            string
	ResourceDirectoryId string
	Status              string
	Type                string
}

// emailUsed reports whether an address already names an account, or one
// being promoted or created.
func (st *state) emailUsed(email string) bool {
	for _, a := range st.accounts {
		if a.promoteEmail == email || (a.inRD && strings.EqualFold(a.AccountName, email)) {
			return true
		}
	}
	return false
}

func createCloudAccount(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	st := c.st
	display := c.p.get("DisplayName")
	if !validDisplayName(display) {
		return nil, errDisplayNameInvalid
	}
	email := strings.ToLower(c.p.get("Email"))
	if !validEmail(email) {
		return nil, errEmailInvalid
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
	if st.emailUsed(email) {
		return nil, errEmailUsed
	}
	a := &account{
		order: st.next(), ID: st.newAccountID(), inRD: true, DisplayName: display, AccountName: email,
		FolderID: parent.ID, Type: accountCloud, Status: statusCreateVerifying, JoinMethod: joinCreated,
		JoinTime: c.now, ModifyTime: c.now, RecordID: st.uuid(), promoteEmail: email,
	}
	a.Lifecycle.PayerAccountID = c.p.get("PayerAccountId")
	st.accounts[a.ID] = a
	st.later(c.now, cloudAccountCreateDelay, func(now time.Time) {
		if a.inRD && a.Status == statusCreateVerifying {
			a.Status = statusCreateSuccess
			a.ModifyTime = now
		}
	})
	return struct{ Account cloudAccountView }{cloudAccountView{
		AccountId: a.ID, AccountName: a.AccountName, DisplayName: a.DisplayName, FolderId: a.FolderID,
		JoinMethod: a.JoinMethod, ModifyTime: rmTime(a.ModifyTime), RecordId: a.RecordID,
		ResourceDirectoryId: st.rdID, Status: a.Status, Type: a.Type,
	}}, nil
}
