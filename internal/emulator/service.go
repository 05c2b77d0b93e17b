// Package emulator is the stateful service behind package alicloudtest: an
// in-process implementation of the Resource Manager (2020-03-31) and
// Resource Sharing (2020-01-10) RPC APIs that speaks their wire protocol,
// verifies V1 signatures against its own access keys, keeps a resource
// directory, accounts, folders, handshakes, resource groups, resource shares,
// associations and invitations, and answers with the error codes, HTTP
// statuses and messages of the API description in internal/apimodel.
//
// The pieces: Service is the http.Handler (pipeline.go: parse, route,
// authenticate, validate, dispatch; render.go: the one writer of replies);
// state.go holds the store, guarded by Service's mutex; one file per resource
// family holds the handlers (rm_folders.go, rs_shares.go...), and routes.go is
// the one route table.
package emulator

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// Config sets up a Service. Every zero field selects a default.
type Config struct {
	// ManagementAccountID is the account that owns the resource directory.
	// Default: DefaultManagementAccountID.
	ManagementAccountID string
	// AccessKeyID and AccessKeySecret, when both set, are the management
	// account's key pair instead of a generated one (for clients configured
	// with fixed keys).
	AccessKeyID, AccessKeySecret string

	// MaxAccounts bounds the members of the resource directory, the
	// management account included (LimitExceeded.Account). Default 1000.
	MaxAccounts int
	// MaxFolders bounds the folders of the directory, root excluded
	// (QuotaExceeded.Folder.Count). Default 1000.
	MaxFolders int
	// MaxResourceGroups bounds the resource groups of one account
	// (LimitExceeded.ResourceGroup). Default 100.
	MaxResourceGroups int
	// MaxResourceShares bounds the resource shares of one account in one
	// region, deleted ones excluded (QuotaExceeded.ResourceShare.Count).
	// Default 100.
	MaxResourceShares int
	// SharedResourceQuota bounds the distinct resources one account shares
	// in one region (QuotaExceeded.SharedResource.Count). Default 10, the
	// figure the API reference gives.
	SharedResourceQuota int

	// AssociationDelay is how long, on the emulator clock, associations stay
	// Associating or Disassociating and a deleted share stays Deleting. Such
	// transitions never complete within the call that caused them: with the
	// default 0 they complete at the next request; with a positive delay, at
	// the first request after the clock has moved that far (see Advance).
	AssociationDelay time.Duration
	// ResendInterval is the least time between two promotion e-mails for
	// one account (ResendPromoteResourceAccountEmail answers
	// LimitExceeded.Frequency sooner). Default 60s of emulator time.
	ResendInterval time.Duration
	// InvitationTTL is how long a resource share invitation stays Pending
	// before it expires. Default 7 days, as documented.
	InvitationTTL time.Duration
	// HandshakeTTL is how long a handshake stays Pending. Default 14 days.
	HandshakeTTL time.Duration
	// ResourceGroupDeleteDelay is how long a deleted resource group stays
	// PendingDelete before it is gone. Default 3 days, the time the service
	// documents for its check that the group is empty.
	ResourceGroupDeleteDelay time.Duration

	// ThrottleCode is the code of throttled replies (ThrottleNext,
	// ThrottleAction). Default LimitExceeded.Frequency. Its status is the one
	// the operation documents, else that of the common throttling codes
	// (HTTP 400).
	ThrottleCode string

	// RDSharingDisabled starts the emulator with resource sharing within
	// the resource directory not yet enabled
	// (EnableSharingWithResourceDirectory enables it).
	RDSharingDisabled bool

	// WithoutResourceDirectory starts the emulator with no resource
	// directory: ManagementAccountID is a plain account until
	// EnableResourceDirectory or InitResourceDirectory makes it the
	// management account of a new one.
	WithoutResourceDirectory bool

	// Wall is the real clock, against which request Timestamps are checked
	// and on which the emulator clock is based. Default time.Now.
	Wall func() time.Time

	// Logger, when set, gets one line per request: action, product,
	// calling account, HTTP status, error code and latency.
	Logger *slog.Logger

	// seed drives every generated identifier and key. It is drawn once, so
	// that Reset rebuilds the very directory, root folder and management
	// key that the service started with.
	seed [2]uint64
}

// DefaultManagementAccountID is the management account of a fresh emulator.
const DefaultManagementAccountID = "1000000000000001"

func (c Config) withDefaults() Config {
	if c.ManagementAccountID == "" {
		c.ManagementAccountID = DefaultManagementAccountID
	}
	if c.AccessKeyID == "" || c.AccessKeySecret == "" {
		c.AccessKeyID, c.AccessKeySecret = "", ""
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.MaxAccounts, 1000)
	def(&c.MaxFolders, 1000)
	def(&c.MaxResourceGroups, 100)
	def(&c.MaxResourceShares, 100)
	def(&c.SharedResourceQuota, 10)
	if c.AssociationDelay < 0 {
		c.AssociationDelay = 0
	}
	if c.ResendInterval <= 0 {
		c.ResendInterval = 60 * time.Second
	}
	if c.InvitationTTL <= 0 {
		c.InvitationTTL = 7 * 24 * time.Hour
	}
	if c.HandshakeTTL <= 0 {
		c.HandshakeTTL = 14 * 24 * time.Hour
	}
	if c.ResourceGroupDeleteDelay <= 0 {
		c.ResourceGroupDeleteDelay = 72 * time.Hour
	}
	if c.ThrottleCode == "" {
		c.ThrottleCode = codeLimitExceededFrequency
	}
	if c.Wall == nil {
		c.Wall = time.Now
	}
	if c.seed == [2]uint64{} {
		var b [16]byte
		_, _ = rand.Read(b[:]) // never fails on supported platforms
		c.seed = [2]uint64{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
	}
	return c
}

// product is one API the emulator serves.
type product struct {
	pkg      string // apimodel name: "resourcemanager"
	name     string // product code: "ResourceManager"
	version  string
	hostID   string
	regional bool
	ops      map[string]*apimodel.Operation
	routes   map[string]route
}

// Service is the emulator as an http.Handler. It is safe for concurrent
// use: one mutex serialises access to the state, so every request sees the
// effects of those answered before it.
type Service struct {
	cfg      Config
	cat      *catalog
	products map[string]*product // by Version

	mu sync.Mutex
	st *state
	// started is the wall-clock time the state began (at NewService or the
	// last Reset).
	started time.Time
	// jr is the journal of a recording Service (journal.go), nil otherwise.
	jr *journal
	// During a replay the state's clock is the time of the event replayed.
	replaying bool
	replayAt  time.Time
}

// NewService builds a Service from the embedded API description.
func NewService(cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if !validAccountID(cfg.ManagementAccountID) {
		return nil, fmt.Errorf("emulator: management account ID %q is not an account ID (digits)", cfg.ManagementAccountID)
	}
	cat, err := loadCatalog("resourcemanager", "resourcesharing")
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, cat: cat, products: map[string]*product{}}
	for _, spec := range []struct {
		pkg, name, host string
		regional        bool
		routes          map[string]route
	}{
		{"resourcemanager", "ResourceManager", "resourcemanager.aliyuncs.com", false, resourceManagerRoutes()},
		{"resourcesharing", "ResourceSharing", "resourcesharing.aliyuncs.com", true, resourceSharingRoutes()},
	} {
		model, err := apimodel.Load(spec.pkg)
		if err != nil {
			return nil, err
		}
		p := &product{pkg: spec.pkg, name: spec.name, version: model.Version, hostID: spec.host,
			regional: spec.regional, ops: map[string]*apimodel.Operation{}, routes: spec.routes}
		for _, op := range model.Operations {
			p.ops[op.Name] = op
		}
		for action := range spec.routes {
			if p.ops[action] == nil {
				return nil, fmt.Errorf("emulator: route %s.%s is not in the API description", spec.name, action)
			}
		}
		s.products[p.version] = p
	}
	if !cat.documented(cfg.ThrottleCode) {
		return nil, fmt.Errorf("emulator: throttle code %q is not documented", cfg.ThrottleCode)
	}
	s.started = cfg.Wall()
	s.st = newState(cfg, s.started)
	return s, nil
}

// Credentials returns the access key pair of an account, creating one when
// the account has none. An account ID the emulator does not know becomes an
// account outside the resource directory; "" means the management account.
func (s *Service) Credentials(accountID string) (keyID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.st.known()
	k := s.st.credentials(accountID, s.st.now(s.wall()))
	if s.st.known() != before {
		// A new key draws generated identifiers: the journal records it.
		_ = s.recordControl(ctlCredentials, accountID, nil)
	}
	return k.id, k.secret
}

// ManagementAccountID is the account that owns the resource directory (or,
// without one, the account that will enable it by default). Enabling a
// directory with a new management account changes it.
func (s *Service) ManagementAccountID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.managementID
}

// ResourceDirectoryID is the ID of the emulator's resource directory.
func (s *Service) ResourceDirectoryID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.rdID
}

// RootFolderID is the ID of the resource directory's root folder.
func (s *Service) RootFolderID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.rootID
}

// ThrottleNext makes the next n authenticated requests, whatever their
// action, fail with the throttling code.
func (s *Service) ThrottleNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults.throttleAll = max(0, n)
}

// ThrottleAction makes the next n authenticated requests for one action
// fail with the throttling code.
func (s *Service) ThrottleAction(action string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		delete(s.st.faults.throttleAction, action)
		return
	}
	s.st.faults.throttleAction[action] = n
}

// FailNext makes the next authenticated request fail with code and HTTP
// status; calls queue up. The message is the documented one when the code is
// documented. A status of 0 selects the documented status, or 500.
func (s *Service) FailNext(code string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults.failNext = append(s.st.faults.failNext, injectedFault{code: code, status: status})
}

// Advance moves the emulator clock forward by d (a negative d is ignored).
// Lifecycles follow it: invitations and handshakes expire, pending
// associations complete, the promotion e-mail interval elapses. The check of
// signed Timestamps keeps using the real clock, which clients sign with.
func (s *Service) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.offset += d
	_ = s.recordNow(stateEvent{At: s.wall(), Kind: eventAdvance, By: d.String()})
}

// Now returns the emulator clock.
func (s *Service) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.now(s.wall())
}

// injected returns the failure a test queued for this request, if any.
func (st *state) injected(action string, throttleCode string) error {
	f := &st.faults
	if n := f.throttleAction[action]; n > 0 {
		if n == 1 {
			delete(f.throttleAction, action)
		} else {
			f.throttleAction[action] = n - 1
		}
		return errCode(throttleCode)
	}
	if f.throttleAll > 0 {
		f.throttleAll--
		return errCode(throttleCode)
	}
	if len(f.failNext) > 0 {
		inj := f.failNext[0]
		f.failNext = f.failNext[1:]
		return &apiError{code: inj.code, status: inj.status, recommend: "failure injected by the emulator"}
	}
	return nil
}

// errNotImplemented says the action exists in the API but not in the
// emulator.
func errNotImplemented(product, action string) error {
	return &apiError{code: codeInvalidAPINotFound,
		recommend: fmt.Sprintf("the emulator does not implement %s %s", product, action)}
}

// isCode reports whether err carries the given code.
func isCode(err error, code string) bool {
	var ec errCode
	if errors.As(err, &ec) {
		return string(ec) == code
	}
	var ae *apiError
	return errors.As(err, &ae) && ae.code == code
}
