package emulator

import (
	"cmp"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"
)

// state is everything the emulator knows. One mutex in Service guards it;
// every method here runs with that mutex held.
type state struct {
	cfg Config
	rng *mrand.Rand

	// reqSeq counts authenticated requests; pending changes wait for a
	// later request. order numbers entities in creation order, which is
	// the order lists are returned in.
	reqSeq int64
	order  int64
	offset time.Duration

	rdID, rootID   string
	rdCreated      time.Time
	managementID   string
	sharingEnabled bool
	dirx           *dirState // lifecycle extras, created on first use (rm_dirlifecycle.go)

	accounts    map[string]*account
	keys        map[string]*accessKey
	folders     map[string]*folder
	handshakes  map[string]*handshake
	groups      map[string]*resourceGroup
	shares      map[string]*share
	invitations map[string]*invitation
	policies    *policyStore // created on first use (rm_policies.go)
	iam         *iamStore    // created on first use (rm_roles.go)

	// Resources in groups, auto grouping, associated transfer: created on
	// first use (rm_resources.go, rm_autogrouping.go, rm_assoctransfer.go).
	resources  *resourceStore
	autoGroups *autoGroupingStore
	transfers  *transferStore

	nonces  nonceCache
	pending []pendingChange
	faults  faults
}

// account is an Alibaba Cloud account: the management account, a member of
// the resource directory, or an account outside it that the emulator knows
// because a test asked for its credentials or a share named it.
type account struct {
	order       int64
	ID          string
	inRD        bool
	DisplayName string
	AccountName string
	FolderID    string
	Type        string
	Status      string
	JoinMethod  string
	JoinTime    time.Time
	ModifyTime  time.Time
	tags        []tag

	// Promotion to a cloud account.
	RecordID      string
	promoteEmail  string
	lastEmailSent time.Time

	Lifecycle accountLifecycle // phone, e-mail change, payer, deletion (rm_accountlifecycle.go)
}

// folder is a resource directory folder; the root folder has no parent.
type folder struct {
	order    int64
	ID       string
	Name     string
	ParentID string
	Created  time.Time
}

// handshake is an invitation to join the resource directory.
type handshake struct {
	order        int64
	ID           string
	TargetEntity string
	TargetType   string
	Note         string
	Status       string
	Created      time.Time
	Modified     time.Time
	Expires      time.Time
}

// resourceGroup belongs to one account.
type resourceGroup struct {
	order       int64
	ID          string
	AccountID   string
	Name        string
	DisplayName string
	Status      string
	Created     time.Time
	isDefault   bool
	tags        []tag
	DeleteAt    time.Time // when a PendingDelete group is gone
	DeleteSeq   int64     // the request that deleted it
}

// share is a resource share and its associations.
type share struct {
	order           int64
	ID              string
	Name            string
	Owner           string
	Region          string
	Status          string
	ResourceGroupID string
	AllowExternal   bool
	Created         time.Time
	Updated         time.Time
	tags            []tag
	permissions     []string
	assocs          []*association
}

// association links a share to a resource or a target.
type association struct {
	order      int64
	Type       string // assocResource or assocTarget
	EntityID   string
	EntityType string
	Arn        string
	Property   string // ResourceProperty or TargetProperty: JSON text
	Status     string
	Message    string
	External   bool
	Created    time.Time
	Updated    time.Time
}

// invitation asks an account outside the resource directory to accept a
// share.
type invitation struct {
	order    int64
	ID       string
	ShareID  string
	Sender   string
	Receiver string
	Status   string
	Created  time.Time
	Expires  time.Time
}

// pendingChange is a state transition that the service performs after the
// call that caused it has answered: it applies once a later request arrives
// and the emulator clock has reached due.
type pendingChange struct {
	afterSeq int64
	due      time.Time
	apply    func(now time.Time)
}

// faults are the failures a test asked for.
type faults struct {
	throttleAll    int
	throttleAction map[string]int
	failNext       []injectedFault
}

type injectedFault struct {
	code   string
	status int
}

func newState(cfg Config, wall time.Time) *state {
	st := &state{
		cfg:            cfg,
		rng:            mrand.New(mrand.NewPCG(cfg.seed[0], cfg.seed[1])),
		sharingEnabled: !cfg.RDSharingDisabled,
		accounts:       map[string]*account{},
		keys:           map[string]*accessKey{},
		folders:        map[string]*folder{},
		handshakes:     map[string]*handshake{},
		groups:         map[string]*resourceGroup{},
		shares:         map[string]*share{},
		invitations:    map[string]*invitation{},
		faults:         faults{throttleAction: map[string]int{}},
	}
	now := st.now(wall)
	st.rdID = "rd-" + st.token(6, alnum)
	st.rootID = "r-" + st.token(6, alnum)
	st.rdCreated = now
	st.folders[st.rootID] = &folder{order: st.next(), ID: st.rootID, Name: "Root", Created: now}
	st.managementID = cfg.ManagementAccountID
	st.accounts[st.managementID] = &account{
		order:       st.next(),
		ID:          st.managementID,
		inRD:        true,
		DisplayName: "management",
		AccountName: "management@" + strings.ToLower(st.rdID) + ".aliyunid.com",
		FolderID:    st.rootID,
		Type:        accountCloud,
		Status:      statusInviteSuccess,
		JoinMethod:  joinInvited,
		JoinTime:    now,
		ModifyTime:  now,
	}
	if cfg.AccessKeyID != "" {
		st.keys[cfg.AccessKeyID] = &accessKey{id: cfg.AccessKeyID, secret: cfg.AccessKeySecret, accountID: st.managementID}
	} else {
		st.issueKey(st.managementID)
	}
	if cfg.WithoutResourceDirectory {
		st.dropDirectory()
	}
	return st
}

// Character sets for generated identifiers.
const (
	alnum      = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	lowerAlnum = "0123456789abcdefghijklmnopqrstuvwxyz"
	digits     = "0123456789"
)

// token returns n random characters of alphabet.
func (st *state) token(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[st.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// next numbers a new entity.
func (st *state) next() int64 {
	st.order++
	return st.order
}

// now is the emulator clock: the wall clock moved by every Advance.
func (st *state) now(wall time.Time) time.Time { return wall.Add(st.offset) }

// uuid returns a random RFC 4122 version 4 identifier in lower case.
func (st *state) uuid() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], st.rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], st.rng.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newAccountID returns an unused 16-digit account ID.
func (st *state) newAccountID() string {
	for {
		id := string(digits[1+st.rng.IntN(9)]) + st.token(15, digits)
		if _, taken := st.accounts[id]; !taken {
			return id
		}
	}
}

// issueKey creates an access key pair for an account.
func (st *state) issueKey(accountID string) *accessKey {
	k := &accessKey{id: "LTAI" + st.token(20, alnum), secret: st.token(30, alnum), accountID: accountID}
	st.keys[k.id] = k
	return k
}

// credentials returns an account's access key, creating the key, and the
// account as one outside the resource directory, when needed.
func (st *state) credentials(accountID string, now time.Time) *accessKey {
	if accountID == "" {
		accountID = st.managementID
	}
	if _, ok := st.accounts[accountID]; !ok {
		st.externalAccount(accountID, now)
	}
	var found *accessKey
	for _, k := range st.keys {
		if k.accountID == accountID && (found == nil || k.id < found.id) {
			found = k
		}
	}
	if found != nil {
		return found
	}
	return st.issueKey(accountID)
}

// externalAccount registers an account that is not part of the resource
// directory.
func (st *state) externalAccount(id string, now time.Time) *account {
	if a, ok := st.accounts[id]; ok {
		return a
	}
	a := &account{order: st.next(), ID: id, Type: accountCloud, JoinTime: now, ModifyTime: now}
	st.accounts[id] = a
	return a
}

// revokeKeys removes every key of an account.
func (st *state) revokeKeys(accountID string) {
	for id, k := range st.keys {
		if k.accountID == accountID {
			delete(st.keys, id)
		}
	}
}

// later schedules a transition for a later request, once the emulator clock
// has moved by delay.
func (st *state) later(now time.Time, delay time.Duration, apply func(now time.Time)) {
	st.pending = append(st.pending, pendingChange{afterSeq: st.reqSeq, due: now.Add(delay), apply: apply})
}

// settle applies the pending transitions that are due. It runs at the start
// of every authenticated request.
func (st *state) settle(now time.Time) {
	if len(st.pending) == 0 {
		return
	}
	keep := st.pending[:0]
	var ready []pendingChange
	for _, p := range st.pending {
		if p.afterSeq < st.reqSeq && !now.Before(p.due) {
			ready = append(ready, p)
		} else {
			keep = append(keep, p)
		}
	}
	clear(st.pending[len(keep):])
	st.pending = keep
	slices.SortStableFunc(ready, func(a, b pendingChange) int { return a.due.Compare(b.due) })
	for _, p := range ready {
		p.apply(now)
	}
}

// byOrder sorts entities in creation order.
func byOrder[T any](items []T, order func(T) int64) []T {
	slices.SortFunc(items, func(a, b T) int { return cmp.Compare(order(a), order(b)) })
	return items
}

// isoTime formats a time the way the service does: UTC with milliseconds.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// Account types, statuses and join methods, as the API names them.
const (
	accountCloud    = "CloudAccount"
	accountResource = "ResourceAccount"

	statusCreateSuccess    = "CreateSuccess"
	statusInviteSuccess    = "InviteSuccess"
	statusPromoteVerifying = "PromoteVerifying"

	joinCreated = "created"
	joinInvited = "invited"
)
