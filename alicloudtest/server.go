// Package alicloudtest runs an in-process emulator of Alibaba Cloud Resource
// Manager (2020-03-31) and Resource Sharing (2020-01-10) for tests and
// examples, so code that uses this module (or any other correct client, the
// official SDKs included) can be exercised without a cloud account.
//
//	srv := alicloudtest.NewServer(t)
//	rm := resourcemanager.New(srv.Config())
//	rs := resourcesharing.New(srv.Config())
//
// The emulator listens on 127.0.0.1 only. It speaks the services' RPC
// protocol: POST or GET on "/", parameters in the query string or a form
// body, signatures checked against the access keys it issues (the V1
// HMAC-SHA1 query signature, and the ACS3-HMAC-SHA256 header signature the
// newer official SDKs send by default; wrong signature, unknown key, reused
// nonce and stale timestamp are rejected with the services' codes), JSON
// replies with a RequestId. It keeps
// state: a resource directory owned by the management account, folders,
// member accounts and their statuses, handshakes, resource groups, resource
// shares, their associations and invitations, with the documented error code,
// HTTP status and message for every invalid input and transition it models.
//
// Lifecycle rules worth knowing in tests:
//   - Associations are Associating (Disassociating) in the reply of the call
//     that changes them and Associated (Disassociated) from the next request
//     on; WithAssociationDelay makes them wait for the emulator clock instead.
//     An association with a target outside the resource directory waits for
//     its invitation to be accepted.
//   - Resource share invitations expire after 7 days of emulator time and
//     handshakes after 14; Advance moves the emulator clock. Signed
//     Timestamps are still checked against the real clock, which clients
//     sign with, so advancing the clock never breaks a client.
//   - Resources (vSwitches, snapshots...) are not checked for existence;
//     any ID of a supported type can be shared.
//
// Every action of both products' API descriptions is modelled. Steps that
// need a person (an e-mail link, an SMS code, a console elsewhere) have
// controls on Server; asynchronous changes follow the emulator clock
// (Advance).
package alicloudtest

import (
	"testing"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/emulator"
)

// Region is the region of the Config a Server hands out.
const Region = "cn-hangzhou"

// DefaultManagementAccountID is the management account of a Server started
// without WithManagementAccountID.
const DefaultManagementAccountID = emulator.DefaultManagementAccountID

// Server is a running emulator.
type Server struct {
	// URL is the emulator's base URL, http://127.0.0.1:<port>; use it as
	// alicloud.Config.Endpoint.
	URL string

	srv *emulator.Server
}

// Option configures a Server.
type Option func(*options)

// options are the settings Options change.
type options struct{ cfg emulator.Config }

// WithManagementAccountID sets the ID of the management account, the
// account Config acts as. It must be the digits of an account ID.
func WithManagementAccountID(id string) Option {
	return func(o *options) { o.cfg.ManagementAccountID = id }
}

// WithAccessKey gives the management account a fixed key pair, for clients
// whose keys are configured elsewhere (environment, profile files).
func WithAccessKey(id, secret string) Option {
	return func(o *options) { o.cfg.AccessKeyID, o.cfg.AccessKeySecret = id, secret }
}

// WithMaxAccounts bounds the number of accounts in the resource directory,
// the management account included; beyond it CreateResourceAccount and
// InviteAccountToResourceDirectory answer LimitExceeded.Account. Default 1000.
func WithMaxAccounts(n int) Option { return func(o *options) { o.cfg.MaxAccounts = n } }

// WithMaxFolders bounds the folders of the resource directory
// (QuotaExceeded.Folder.Count). Default 1000.
func WithMaxFolders(n int) Option { return func(o *options) { o.cfg.MaxFolders = n } }

// WithMaxResourceGroups bounds the resource groups per account
// (LimitExceeded.ResourceGroup). Default 100.
func WithMaxResourceGroups(n int) Option { return func(o *options) { o.cfg.MaxResourceGroups = n } }

// WithMaxResourceShares bounds the live resource shares per account and
// region (QuotaExceeded.ResourceShare.Count). Default 100.
func WithMaxResourceShares(n int) Option { return func(o *options) { o.cfg.MaxResourceShares = n } }

// WithSharedResourceQuota bounds the distinct resources an account shares
// per region (QuotaExceeded.SharedResource.Count). Default 10.
func WithSharedResourceQuota(n int) Option {
	return func(o *options) { o.cfg.SharedResourceQuota = n }
}

// WithAssociationDelay keeps associations Associating or Disassociating, and
// deleted shares Deleting, until the emulator clock has moved by d (see
// Server.Advance). Default 0: they complete at the next request.
func WithAssociationDelay(d time.Duration) Option {
	return func(o *options) { o.cfg.AssociationDelay = d }
}

// WithResendInterval sets the least emulator time between two promotion
// e-mails for one account (LimitExceeded.Frequency). Default 60s.
func WithResendInterval(d time.Duration) Option {
	return func(o *options) { o.cfg.ResendInterval = d }
}

// WithThrottleCode sets the code of throttled replies. Default
// "LimitExceeded.Frequency"; "Throttling.User" is the gateway's own code. The
// code must be documented.
func WithThrottleCode(code string) Option { return func(o *options) { o.cfg.ThrottleCode = code } }

// WithRDSharingDisabled starts with resource sharing within the resource
// directory disabled, as in a directory where nobody has called
// EnableSharingWithResourceDirectory yet.
func WithRDSharingDisabled() Option { return func(o *options) { o.cfg.RDSharingDisabled = true } }

// Start starts an emulator for a program; call Close when done.
func Start(opts ...Option) (*Server, error) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	srv, err := emulator.Start(o.cfg)
	if err != nil {
		return nil, err
	}
	return &Server{URL: srv.URL, srv: srv}, nil
}

// NewServer starts an emulator for a test or benchmark and closes it when
// the test ends. It fails the test if the emulator cannot start.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start(opts...)
	if err != nil {
		tb.Fatalf("alicloudtest: start emulator: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// Close stops the emulator. Calling it again does nothing.
func (s *Server) Close() error { return s.srv.Close() }

// Config returns a configuration that acts as the management account
// against this emulator: Endpoint is URL, Region is "cn-hangzhou".
func (s *Server) Config() alicloud.Config { return s.ConfigFor(s.ManagementAccountID()) }

// ConfigFor returns a configuration that acts as the given account (see
// Credentials).
func (s *Server) ConfigFor(accountID string) alicloud.Config {
	return alicloud.Config{Region: Region, Endpoint: s.URL, Credentials: s.Credentials(accountID)}
}

// Credentials returns an access key pair of an account the emulator knows:
// the management account, a member account, or one outside the resource
// directory, so that a test can act as an invitee. An unknown account ID is
// registered as an account outside the resource directory. The pair stays
// the same for the account's lifetime; deleting the account revokes it.
func (s *Server) Credentials(accountID string) alicloud.StaticCredentials {
	id, secret := s.srv.Credentials(accountID)
	return alicloud.StaticCredentials{AccessKeyID: id, AccessKeySecret: secret}
}

// ManagementAccountID is the account that owns the resource directory.
func (s *Server) ManagementAccountID() string { return s.srv.ManagementAccountID() }

// ResourceDirectoryID is the ID of the resource directory (rd-...).
func (s *Server) ResourceDirectoryID() string { return s.srv.ResourceDirectoryID() }

// RootFolderID is the ID of the directory's root folder (r-...).
func (s *Server) RootFolderID() string { return s.srv.RootFolderID() }

// ThrottleNext makes the next n authenticated requests fail with the
// throttling code (see WithThrottleCode), as the service does under flow
// control. Clients retry such replies, so n below a client's attempt limit
// shows up as a slower, successful call.
func (s *Server) ThrottleNext(n int) { s.srv.ThrottleNext(n) }

// ThrottleAction is ThrottleNext for one action only, e.g. "ListAccounts".
func (s *Server) ThrottleAction(action string, n int) { s.srv.ThrottleAction(action, n) }

// FailNext makes the next authenticated request fail with code and HTTP
// status (0 means the status the code is documented with). Calls queue up.
func (s *Server) FailNext(code string, status int) { s.srv.FailNext(code, status) }

// Advance moves the emulator clock forward by d: invitations and handshakes
// expire, delayed associations complete, the promotion e-mail interval
// elapses.
func (s *Server) Advance(d time.Duration) { s.srv.Advance(d) }

// Now returns the emulator clock.
func (s *Server) Now() time.Time { return s.srv.Now() }

// Reset returns the emulator to its start: the same management account,
// access key, resource directory and root folder, the clock back at the
// wall clock, every other account, key and resource gone. Clients made
// from Config keep working.
func (s *Server) Reset() { s.srv.Reset() }
