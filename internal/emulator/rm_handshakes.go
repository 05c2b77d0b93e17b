package emulator

import "time"

// Handshakes: invitations of existing accounts into the resource directory.
// InviteAccountToResourceDirectory (management account), AcceptHandshake and
// DeclineHandshake (the invited account), CancelHandshake, GetHandshake,
// ListHandshakesForAccount, ListHandshakesForResourceDirectory. A handshake
// addressed to an e-mail address can be listed and cancelled but, as the
// emulator knows no account by e-mail, never accepted.

const (
	errHandshakeNotFound   errCode = "EntityNotExists.Handshake"
	errHandshakeStatus     errCode = "HandshakeStatusMismatch"
	errHandshakeExists     errCode = "EntityAlreadyExists.Handshake"
	errTargetEntityInvalid errCode = "InvalidParameter.TargetEntity"
	errNoteInvalid         errCode = "InvalidParameter.Note"
	errInAnotherDirectory  errCode = "NotSupport.AccountInAnotherResourceDirectory"
)

// Handshake statuses and target types, as the API names them.
const (
	handshakePending       = "Pending"
	handshakeAccepted      = "Accepted"
	handshakeCancelled     = "Cancelled"
	handshakeDeclined      = "Declined"
	handshakeExpired       = "Expired"
	handshakeTargetAccount = "Account"
	handshakeTargetEmail   = "Email"
	handshakeIDPrefix      = "h-"
)

type handshakeView struct {
	CreateTime             string
	ExpireTime             string
	HandshakeId            string
	InvitedAccountRealName string `json:",omitempty"`
	MasterAccountId        string
	MasterAccountName      string
	MasterAccountRealName  string `json:",omitempty"`
	ModifyTime             string
	Note                   string
	ResourceDirectoryId    string
	Status                 string
	TargetEntity           string
	TargetType             string
}

func (st *state) viewHandshake(h *handshake) handshakeView {
	name := ""
	if m := st.accounts[st.managementID]; m != nil {
		name = m.AccountName
	}
	return handshakeView{
		CreateTime: rmTime(h.Created), ExpireTime: rmTime(h.Expires), HandshakeId: h.ID,
		MasterAccountId: st.managementID, MasterAccountName: name, ModifyTime: rmTime(h.Modified),
		Note: h.Note, ResourceDirectoryId: st.rdID, Status: h.Status, TargetEntity: h.TargetEntity,
		TargetType: h.TargetType,
	}
}

type handshakeReply struct{ Handshake handshakeView }

func inviteAccountToResourceDirectory(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	st := c.st
	target, typ := c.p.get("TargetEntity"), c.p.get("TargetType")
	switch {
	case typ == handshakeTargetAccount && !validAccountID(target):
		return nil, errTargetEntityInvalid
	case typ == handshakeTargetEmail && !validEmail(target):
		return nil, errTargetEntityInvalid
	}
	note := c.p.get("Note")
	if !validPrintable(note) {
		return nil, errNoteInvalid
	}
	if typ == handshakeTargetAccount {
		if a := st.accounts[target]; a != nil && a.inRD {
			return nil, errInAnotherDirectory
		}
	}
	for _, h := range st.handshakes {
		if h.Status == handshakePending && h.TargetType == typ && h.TargetEntity == target {
			return nil, errHandshakeExists
		}
	}
	if len(st.members()) >= c.cfg.MaxAccounts {
		return nil, errAccountLimit
	}
	if typ == handshakeTargetAccount {
		st.externalAccount(target, c.now)
	}
	h := &handshake{
		order: st.next(), ID: handshakeIDPrefix + st.token(16, alnum), TargetEntity: target,
		TargetType: typ, Note: note, Status: handshakePending, Created: c.now, Modified: c.now,
		Expires: c.now.Add(c.cfg.HandshakeTTL),
	}
	st.handshakes[h.ID] = h
	st.later(c.now, c.cfg.HandshakeTTL, func(now time.Time) {
		if h.Status == handshakePending {
			h.Status, h.Modified = handshakeExpired, now
		}
	})
	return handshakeReply{st.viewHandshake(h)}, nil
}

// handshakeParam finds a handshake the caller may see: the management
// account sees all, an invited account those addressed to it.
func (c *call) handshakeParam() (*handshake, error) {
	id := c.p.get("HandshakeId")
	if !idShape(id, handshakeIDPrefix, 1, 64) {
		return nil, invalidParam(c.codes, "HandshakeId", "")
	}
	h := c.st.handshakes[id]
	if h == nil {
		return nil, errHandshakeNotFound
	}
	if c.caller.ID != c.st.managementID && !(h.TargetType == handshakeTargetAccount && h.TargetEntity == c.caller.ID) {
		return nil, errHandshakeNotFound
	}
	return h, nil
}

// invitedHandshake is handshakeParam for the invited account only.
func (c *call) invitedHandshake() (*handshake, error) {
	h, err := c.handshakeParam()
	if err != nil {
		return nil, err
	}
	if h.TargetType != handshakeTargetAccount || h.TargetEntity != c.caller.ID {
		return nil, errHandshakeNotFound
	}
	if h.Status != handshakePending {
		return nil, errHandshakeStatus
	}
	return h, nil
}

func acceptHandshake(c *call) (any, error) {
	h, err := c.invitedHandshake()
	if err != nil {
		return nil, err
	}
	a := c.caller
	if a.inRD {
		return nil, errInAnotherDirectory
	}
	st := c.st
	a.inRD = true
	a.FolderID = st.rootID
	a.Type = accountCloud
	a.Status = statusInviteSuccess
	a.JoinMethod = joinInvited
	a.JoinTime, a.ModifyTime = c.now, c.now
	a.DisplayName = a.ID
	h.Status, h.Modified = handshakeAccepted, c.now
	return handshakeReply{st.viewHandshake(h)}, nil
}

func declineHandshake(c *call) (any, error) {
	h, err := c.invitedHandshake()
	if err != nil {
		return nil, err
	}
	h.Status, h.Modified = handshakeDeclined, c.now
	return handshakeReply{c.st.viewHandshake(h)}, nil
}

func cancelHandshake(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	h, err := c.handshakeParam()
	if err != nil {
		return nil, err
	}
	if h.Status != handshakePending {
		return nil, errHandshakeStatus
	}
	h.Status, h.Modified = handshakeCancelled, c.now
	return handshakeReply{c.st.viewHandshake(h)}, nil
}

func getHandshake(c *call) (any, error) {
	h, err := c.handshakeParam()
	if err != nil {
		return nil, err
	}
	v := c.st.viewHandshake(h)
	// Only GetHandshake documents the real-name fields.
	v.MasterAccountRealName, v.InvitedAccountRealName = c.st.dir().IdentityInformation, c.st.invitedRealName(h)
	return handshakeReply{v}, nil
}

type handshakesReply struct {
	Handshakes struct{ Handshake []handshakeView }
	pageInfo
}

func (c *call) listHandshakes(keep func(*handshake) bool) handshakesReply {
	var found []*handshake
	for _, h := range c.st.handshakes {
		if keep(h) {
			found = append(found, h)
		}
	}
	byOrder(found, func(h *handshake) int64 { return h.order })
	page, info := pageByNumber(c, found)
	var out handshakesReply
	out.pageInfo = info
	out.Handshakes.Handshake = make([]handshakeView, 0, len(page))
	for _, h := range page {
		out.Handshakes.Handshake = append(out.Handshakes.Handshake, c.st.viewHandshake(h))
	}
	return out
}

func listHandshakesForAccount(c *call) (any, error) {
	id := c.caller.ID
	return c.listHandshakes(func(h *handshake) bool {
		return h.TargetType == handshakeTargetAccount && h.TargetEntity == id
	}), nil
}

func listHandshakesForResourceDirectory(c *call) (any, error) {
	if err := c.requireManagement(); err != nil {
		return nil, err
	}
	return c.listHandshakes(func(*handshake) bool { return true }), nil
}
