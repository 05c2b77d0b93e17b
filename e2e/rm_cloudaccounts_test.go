package e2e_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/resourcemanager"
)

func TestCreateCloudAccountCompletesWhenTheClockMoves(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	out, err := e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "cloud-dev", Email: "Dev@Example.com"})
	require.NoError(t, err)
	acc := out.Account
	assert.EqualValues(t, resourcemanager.AccountStatusCreateVerifying, acc.Status)
	assert.NotEmpty(t, acc.RecordId)
	assert.NotEmpty(t, acc.AccountId)
	assert.Equal(t, "dev@example.com", acc.AccountName)
	assert.Equal(t, resourcemanager.AccountTypeCloudAccount, acc.Type)
	assert.EqualValues(t, "created", acc.JoinMethod)

	// The clock has not moved: still verifying.
	got, err := e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: acc.AccountId})
	require.NoError(t, err)
	assert.EqualValues(t, resourcemanager.AccountStatusCreateVerifying, got.Account.Status)

	var pauses atomic.Int32
	w := resourcemanager.NewAccountCreatedWaiter(e.rm, func(o *resourcemanager.AccountCreatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
		o.Sleep = emulatorSleep(e.srv, 30*time.Second, &pauses)
	})
	done, err := w.WaitForOutput(c, &resourcemanager.GetAccountRequest{AccountId: acc.AccountId}, time.Minute)
	require.NoError(t, err)
	assert.EqualValues(t, resourcemanager.AccountStatusCreateSuccess, done.Account.Status)
	assert.Equal(t, int32(2), pauses.Load(), "a minute of creation in steps of 30 seconds")

	list, err := e.rm.ListAccounts(c, &resourcemanager.ListAccountsRequest{})
	require.NoError(t, err)
	found := false
	for _, a := range list.Accounts {
		if a.AccountId == acc.AccountId {
			found = true
			assert.EqualValues(t, resourcemanager.AccountStatusCreateSuccess, a.Status)
		}
	}
	assert.True(t, found, "the new cloud account is listed")
}

func TestCreateCloudAccountErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	_, err := e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{Email: "a@example.com"})
	require.True(t, errors.Is(err, resourcemanager.ErrMissingParameterAccountDisplayName), "%v", err)
	_, err = e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "no-mail"})
	require.True(t, errors.Is(err, resourcemanager.ErrMissingParameterEmail), "%v", err)
	_, err = e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "bad-mail", Email: "not-an-address"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterEmail, http.StatusBadRequest)

	_, err = e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "taken", Email: "one@example.com"})
	require.NoError(t, err)
	_, err = e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "taken", Email: "two@example.com"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterAccountDisplayNameAlreadyUsed, http.StatusConflict)
	_, err = e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "other", Email: "ONE@example.com"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterEmailAlreadyUsed, http.StatusConflict)
	_, err = e.rm.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "lost", Email: "x@example.com", ParentFolderId: "fd-0000000000"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsFolder, http.StatusNotFound)

	member, _ := e.as(e.member(t, "member"))
	_, err = member.CreateCloudAccount(c, &resourcemanager.CreateCloudAccountRequest{DisplayName: "nope", Email: "y@example.com"})
	require.Error(t, err)
}
