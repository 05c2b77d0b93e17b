package e2e_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/resourcemanager"
)

func TestHandshakeAccepted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	const invitee = "2000000000000002"
	inv, err := e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{
		TargetEntity: invitee, TargetType: resourcemanager.TargetTypeAccount, Note: "join us"})
	require.NoError(t, err)
	h := inv.Handshake
	assert.True(t, strings.HasPrefix(h.HandshakeId, "h-"))
	assert.Equal(t, resourcemanager.HandshakeStatusPending, h.Status)
	assert.Equal(t, e.srv.ManagementAccountID(), h.MasterAccountId)
	assert.Equal(t, e.srv.ResourceDirectoryID(), h.ResourceDirectoryId)
	assert.Equal(t, "join us", h.Note)
	assert.Equal(t, 14*24*time.Hour, h.ExpireTime.Sub(h.CreateTime))

	_, err = e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{
		TargetEntity: invitee, TargetType: resourcemanager.TargetTypeAccount})
	requireCode(t, err, resourcemanager.ErrEntityAlreadyExistsHandshake, http.StatusConflict)

	forRD := collect(t, e.rm.ListHandshakesForResourceDirectoryAll(c, nil))
	require.Len(t, forRD, 1)

	inviteeRM, _ := e.as(invitee)
	mine, err := inviteeRM.ListHandshakesForAccount(c, nil)
	require.NoError(t, err)
	require.EqualValues(t, 1, mine.TotalCount)
	assert.Equal(t, h.HandshakeId, mine.Handshakes[0].HandshakeId)

	got, err := inviteeRM.GetHandshake(c, &resourcemanager.GetHandshakeRequest{HandshakeId: h.HandshakeId})
	require.NoError(t, err)
	assert.Equal(t, invitee, got.Handshake.TargetEntity)

	stranger, _ := e.as("2100000000000021")
	_, err = stranger.AcceptHandshake(c, &resourcemanager.AcceptHandshakeRequest{HandshakeId: h.HandshakeId})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsHandshake, http.StatusNotFound)

	acc, err := inviteeRM.AcceptHandshake(c, &resourcemanager.AcceptHandshakeRequest{HandshakeId: h.HandshakeId})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.HandshakeStatusAccepted, acc.Handshake.Status)
	_, err = inviteeRM.AcceptHandshake(c, &resourcemanager.AcceptHandshakeRequest{HandshakeId: h.HandshakeId})
	requireCode(t, err, resourcemanager.ErrHandshakeStatusMismatch, http.StatusConflict)

	member, err := e.rm.GetAccount(c, &resourcemanager.GetAccountRequest{AccountId: invitee})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.JoinMethodInvited, member.Account.JoinMethod)
	assert.Equal(t, resourcemanager.AccountTypeCloudAccount, member.Account.Type)
	assert.Equal(t, resourcemanager.AccountStatusInviteSuccess, member.Account.Status)

	_, err = e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{
		TargetEntity: invitee, TargetType: resourcemanager.TargetTypeAccount})
	requireCode(t, err, resourcemanager.ErrNotSupportAccountInAnotherResourceDirectory, http.StatusConflict)

	// A cloud account that joined by invitation can be removed.
	_, err = e.rm.RemoveCloudAccount(c, &resourcemanager.RemoveCloudAccountRequest{AccountId: invitee})
	require.NoError(t, err)
}

func TestHandshakeDeclinedCancelledExpired(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	invite := func(target string) string {
		out, err := e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{
			TargetEntity: target, TargetType: resourcemanager.TargetTypeAccount})
		require.NoError(t, err)
		return out.Handshake.HandshakeId
	}
	declined, cancelled, expired := invite("2200000000000022"), invite("2300000000000023"), invite("2400000000000024")

	rm22, _ := e.as("2200000000000022")
	out, err := rm22.DeclineHandshake(c, &resourcemanager.DeclineHandshakeRequest{HandshakeId: declined})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.HandshakeStatusDeclined, out.Handshake.Status)
	_, err = rm22.DeclineHandshake(c, &resourcemanager.DeclineHandshakeRequest{HandshakeId: declined})
	requireCode(t, err, resourcemanager.ErrHandshakeStatusMismatch, http.StatusConflict)

	can, err := e.rm.CancelHandshake(c, &resourcemanager.CancelHandshakeRequest{HandshakeId: cancelled})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.HandshakeStatusCancelled, can.Handshake.Status)
	_, err = e.rm.CancelHandshake(c, &resourcemanager.CancelHandshakeRequest{HandshakeId: cancelled})
	requireCode(t, err, resourcemanager.ErrHandshakeStatusMismatch, http.StatusConflict)

	e.srv.Advance(15 * 24 * time.Hour)
	got, err := e.rm.GetHandshake(c, &resourcemanager.GetHandshakeRequest{HandshakeId: expired})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.HandshakeStatusExpired, got.Handshake.Status)
	rm24, _ := e.as("2400000000000024")
	_, err = rm24.AcceptHandshake(c, &resourcemanager.AcceptHandshakeRequest{HandshakeId: expired})
	requireCode(t, err, resourcemanager.ErrHandshakeStatusMismatch, http.StatusConflict)

	_, err = e.rm.GetHandshake(c, &resourcemanager.GetHandshakeRequest{HandshakeId: "h-0000000000000000"})
	requireCode(t, err, resourcemanager.ErrEntityNotExistsHandshake, http.StatusNotFound)
	_, err = e.rm.GetHandshake(c, &resourcemanager.GetHandshakeRequest{HandshakeId: "hs-1"})
	requireCode(t, err, resourcemanager.ErrInvalidParameterHandshakeId, http.StatusBadRequest)
}

func TestInviteErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := ctx(t)
	email, err := e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{
		TargetEntity: "someone@example.com", TargetType: resourcemanager.TargetTypeEmail})
	require.NoError(t, err)
	assert.Equal(t, resourcemanager.TargetTypeEmail, email.Handshake.TargetType)

	for _, tc := range []struct {
		target string
		typ    resourcemanager.TargetType
	}{
		{"not-an-account", resourcemanager.TargetTypeAccount},
		{"someone@", resourcemanager.TargetTypeEmail},
	} {
		_, err := e.rm.InviteAccountToResourceDirectory(c, &resourcemanager.InviteAccountToResourceDirectoryRequest{TargetEntity: tc.target, TargetType: tc.typ})
		requireCode(t, err, resourcemanager.ErrInvalidParameterTargetEntity, http.StatusBadRequest)
	}
	status, code := rmRaw(t, e.srv, "InviteAccountToResourceDirectory", "TargetEntity", "2500000000000025", "TargetType", "Phone")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidParameter.TargetType", code)
	status, code = rmRaw(t, e.srv, "InviteAccountToResourceDirectory", "TargetEntity", "2500000000000025", "TargetType", "Account", "Note", strings.Repeat("n", 1025))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "InvalidParameter.Note.Length", code)
	status, code = rmRaw(t, e.srv, "InviteAccountToResourceDirectory", "TargetType", "Account")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "MissingParameter.TargetEntity", code)
}
