package emulator

import (
	"errors"
	"fmt"
)

// Test controls of the directory and account lifecycles: the steps a
// person takes outside the API (reading an SMS, clicking an e-mail link)
// and the conditions that make a deletion check fail.

// ErrNoPendingChange says a control found nothing to act on.
var ErrNoPendingChange = errors.New("emulator: nothing pending")

// VerificationCode returns the SMS verification code last sent for an
// account and not yet used: the code SendVerificationCodeForEnableRD sent
// to the caller, or SendVerificationCodeForBindSecureMobilePhone to a
// member. "" means the management account.
func (s *Service) VerificationCode(accountID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if accountID == "" {
		accountID = s.st.managementID
	}
	v := s.st.dir().Codes[accountID]
	if v == nil {
		return "", fmt.Errorf("%w: no verification code was sent for account %s", ErrNoPendingChange, accountID)
	}
	return v.Code, nil
}

// ConfirmEmailChange is the new address's owner following the link that
// ChangeAccountEmail (or RetryChangeAccountEmail) sent: the account's
// login address becomes the new one and its EmailStatus clears. It fails
// when no change is waiting (none asked, cancelled, or expired).
func (s *Service) ConfirmEmailChange(accountID string) error {
	return s.control(ctlConfirmEmailChange, accountID, func() error { return s.confirmEmailChange(accountID) })
}

func (s *Service) confirmEmailChange(accountID string) error {
	now := s.st.now(s.wall())
	s.st.settleAccounts(now)
	a := s.st.accounts[accountID]
	if a == nil || a.Lifecycle.EmailStatus != emailWaitModify {
		return fmt.Errorf("%w: account %s has no e-mail change waiting", ErrNoPendingChange, accountID)
	}
	a.AccountName = a.Lifecycle.PendingEmail
	a.Lifecycle.EmailStatus, a.Lifecycle.PendingEmail = "", ""
	a.ModifyTime = now
	return nil
}

// BlockAccountDeletion makes the deletion checks of a member, from the
// next CheckAccountDelete or DeleteAccount on, report a reason: an
// abandonable one (AbandonableChecks, waived by DeleteAccount's
// AbandonableCheckId) or one that forbids deletion (NotAllowReason, and a
// CheckFailed deletion). ClearAccountDeletionBlocks removes them.
func (s *Service) BlockAccountDeletion(accountID string, b DeletionBlocker) error {
	return s.control(ctlBlockAccountDeletion, blockArgs{accountID, b}, func() error { return s.blockAccountDeletion(accountID, b) })
}

// blockArgs are BlockAccountDeletion's arguments, as the journal keeps them.
type blockArgs struct {
	AccountID string
	Blocker   DeletionBlocker
}

func (s *Service) blockAccountDeletion(accountID string, b DeletionBlocker) error {
	a := s.st.accounts[accountID]
	if a == nil || !a.inRD {
		return fmt.Errorf("emulator: account %s is not a member of the resource directory", accountID)
	}
	if b.CheckID == "" {
		return errors.New("emulator: a deletion blocker needs a CheckID")
	}
	a.Lifecycle.Blockers = append(a.Lifecycle.Blockers, b)
	return nil
}

// ClearAccountDeletionBlocks removes the reasons BlockAccountDeletion set.
func (s *Service) ClearAccountDeletionBlocks(accountID string) {
	_ = s.control(ctlClearAccountDeletionBlocks, accountID, func() error { return s.clearAccountDeletionBlocks(accountID) })
}

func (s *Service) clearAccountDeletionBlocks(accountID string) error {
	if a := s.st.accounts[accountID]; a != nil {
		a.Lifecycle.Blockers = nil
	}
	return nil
}
