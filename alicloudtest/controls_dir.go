package alicloudtest

import "github.com/resourcekit/alicloud/internal/emulator"

// WithoutResourceDirectory starts the emulator with no resource directory,
// as for an account that has never enabled one, so that enablement code can
// be tested: directory operations answer EntityNotExists.ResourceDirectory
// (GetResourceDirectory: ResourceDirectoryNotInUse) until
// EnableResourceDirectory or InitResourceDirectory creates it.
// ResourceDirectoryID and RootFolderID are "" until then.
func WithoutResourceDirectory() Option {
	return func(o *options) { o.cfg.WithoutResourceDirectory = true }
}

// ErrNoPendingChange is returned by the controls below when there is
// nothing to act on.
var ErrNoPendingChange = emulator.ErrNoPendingChange

// VerificationCode returns the SMS code the emulator last "sent" for an
// account ("" is the management account) and that has not been used: the
// code SendVerificationCodeForEnableRD sent to the caller's mobile number,
// to pass to EnableResourceDirectory's VerificationCode, or the code
// SendVerificationCodeForBindSecureMobilePhone sent for a member, to pass
// to BindSecureMobilePhone. Any other code is refused with
// Invalid.VerificationCode. Codes expire after 15 minutes of emulator time.
func (s *Server) VerificationCode(accountID string) (string, error) {
	return s.srv.VerificationCode(accountID)
}

// ConfirmEmailChange simulates the owner of the new address following the
// confirmation link that ChangeAccountEmail (or RetryChangeAccountEmail)
// sent: the member's AccountName becomes the new address and
// Account.EmailStatus clears. Until then GetAccount shows EmailStatus
// WAIT_MODIFY; after 24 hours of emulator time without confirmation it
// shows EXPIRED, and CancelChangeAccountEmail makes it CANCELLED. It fails
// with ErrNoPendingChange when no change is waiting.
func (s *Server) ConfirmEmailChange(accountID string) error {
	return s.srv.ConfirmEmailChange(accountID)
}

// DeletionBlocker is a reason a deletion check reports for a member: see
// BlockAccountDeletion.
type DeletionBlocker = emulator.DeletionBlocker

// BlockAccountDeletion makes the deletion checks of a member report a
// reason, as the service does for a member that still runs cloud
// resources or has financial ties. With Abandonable set it appears in
// GetAccountDeletionCheckResult's AbandonableChecks and DeleteAccount
// succeeds when its AbandonableCheckId names CheckID; otherwise it appears
// in NotAllowReason (AllowDelete "false") and a deletion ends CheckFailed
// with the reason in GetAccountDeletionStatus's FailReasonList. A member
// that still owns resource shares is blocked the same way without a call.
// It applies to the checks that start after the call.
func (s *Server) BlockAccountDeletion(accountID string, b DeletionBlocker) error {
	return s.srv.BlockAccountDeletion(accountID, b)
}

// ClearAccountDeletionBlocks removes the reasons BlockAccountDeletion set.
func (s *Server) ClearAccountDeletionBlocks(accountID string) {
	s.srv.ClearAccountDeletionBlocks(accountID)
}
