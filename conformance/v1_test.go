package conformance_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcesharing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/alicloudtest"
)

// The v1 product packages fill their EndpointMap global lazily, unguarded,
// the first time a client is made, so two tests making their first clients
// in parallel race on it (go test -race reports it inside the SDK). Filling
// it once here, before any test runs, sidesteps that SDK defect.
func init() {
	resourcesharing.GetEndpointMap()
	resourcemanager.GetEndpointMap()
}

// v1 builds clients of the official v1 SDK against one emulator.
type v1 struct {
	srv  *alicloudtest.Server
	wire *wire
	host string
}

func newV1(t *testing.T, opts ...alicloudtest.Option) *v1 {
	t.Helper()
	srv := alicloudtest.NewServer(t, opts...)
	return &v1{srv: srv, wire: newWire(t), host: hostPort(t, srv)}
}

// config is the SDK configuration: plain HTTP, no automatic retry, the
// loopback-only transport.
func (e *v1) config() *sdk.Config {
	cfg := sdk.NewConfig()
	cfg.Scheme = "HTTP"
	cfg.AutoRetry = false
	cfg.Timeout = 10 * time.Second
	cfg.Transport = e.wire
	return cfg
}

// keys returns the emulator's key pair for an account ("" is the
// management account).
func (e *v1) keys(accountID string) *credentials.AccessKeyCredential {
	if accountID == "" {
		accountID = e.srv.ManagementAccountID()
	}
	c := e.srv.Credentials(accountID)
	return credentials.NewAccessKeyCredential(c.AccessKeyID, c.AccessKeySecret)
}

// rs returns a Resource Sharing client whose Domain is the emulator, so the
// SDK never looks an endpoint up.
func (e *v1) rs(t *testing.T, cred *credentials.AccessKeyCredential) *resourcesharing.Client {
	t.Helper()
	c, err := resourcesharing.NewClientWithOptions(region, e.config(), cred)
	require.NoError(t, err)
	c.Domain = e.host
	return c
}

// rm returns a Resource Manager client against the emulator.
func (e *v1) rm(t *testing.T, cred *credentials.AccessKeyCredential) *resourcemanager.Client {
	t.Helper()
	c, err := resourcemanager.NewClientWithOptions(region, e.config(), cred)
	require.NoError(t, err)
	c.Domain = e.host
	return c
}

// requireV1Error asserts err is the SDK's *errors.ServerError with the
// documented code and HTTP status, and that the reply carried a request ID.
func requireV1Error(t *testing.T, err error, code string, status int) {
	t.Helper()
	require.Error(t, err, "want %s", code)
	se, ok := err.(*sdkerrors.ServerError)
	require.True(t, ok, "want *errors.ServerError, got %T: %v", err, err)
	assert.Equal(t, code, se.ErrorCode(), "error code")
	assert.Equal(t, status, se.HttpStatus(), "HTTP status of %s", code)
	assert.NotEmpty(t, se.RequestId(), "RequestId of %s", code)
	assert.NotEmpty(t, se.Message(), "Message of %s", code)
}

func v1Resources(ids ...string) *[]resourcesharing.CreateResourceShareResources {
	out := make([]resourcesharing.CreateResourceShareResources, 0, len(ids))
	for _, id := range ids {
		out = append(out, resourcesharing.CreateResourceShareResources{ResourceId: id, ResourceType: "VSwitch"})
	}
	return &out
}

// TestV1ResourceSharingInvitation covers AssociateResourceShare,
// ListResourceShareInvitations and AcceptResourceShareInvitation with the
// v1 SDK: a share that allows external targets is associated with an
// account outside the resource directory, which lists and accepts the
// invitation it gets.
func TestV1ResourceSharingInvitation(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	owner := e.rs(t, e.keys(""))
	invitee := e.rs(t, e.keys(outsideA))

	create := resourcesharing.CreateCreateResourceShareRequest()
	create.ResourceShareName = "conformance-v1"
	create.AllowExternalTargets = requests.NewBoolean(true)
	create.Resources = v1Resources("vsw-conformance1")
	created, err := owner.CreateResourceShare(create)
	require.NoError(t, err)
	shareID := created.ResourceShare.ResourceShareId
	require.True(t, strings.HasPrefix(shareID, "rs-"), shareID)
	assert.Equal(t, "Active", created.ResourceShare.ResourceShareStatus)
	assert.True(t, created.ResourceShare.AllowExternalTargets)
	assert.NotEmpty(t, created.RequestId)

	// AssociateResourceShare: success.
	assoc := resourcesharing.CreateAssociateResourceShareRequest()
	assoc.ResourceShareId = shareID
	assoc.Targets = &[]string{outsideA}
	associated, err := owner.AssociateResourceShare(assoc)
	require.NoError(t, err)
	assert.NotEmpty(t, associated.RequestId)
	require.Len(t, associated.ResourceShareAssociations, 1)
	a := associated.ResourceShareAssociations[0]
	assert.Equal(t, shareID, a.ResourceShareId)
	assert.Equal(t, outsideA, a.EntityId)
	assert.Equal(t, "Target", a.AssociationType)
	// An external target waits for its invitation. (The reply of
	// AssociateResourceShare documents no External field; the listing
	// below does.)
	assert.Equal(t, "Associating", a.AssociationStatus)

	// AssociateResourceShare: documented failures.
	six := resourcesharing.CreateAssociateResourceShareRequest()
	six.ResourceShareId = shareID
	six.Targets = &[]string{"7000000000000001", "7000000000000002", "7000000000000003",
		"7000000000000004", "7000000000000005", "7000000000000006"}
	_, err = owner.AssociateResourceShare(six)
	requireV1Error(t, err, "InvalidParameter.Targets.Length", http.StatusBadRequest)

	dup := resourcesharing.CreateAssociateResourceShareRequest()
	dup.ResourceShareId = shareID
	dup.Targets = &[]string{outsideB, outsideB}
	_, err = owner.AssociateResourceShare(dup)
	requireV1Error(t, err, "InvalidParameter.Targets.Duplicate", http.StatusBadRequest)

	noShare := resourcesharing.CreateAssociateResourceShareRequest()
	noShare.Targets = &[]string{outsideB}
	_, err = owner.AssociateResourceShare(noShare)
	requireV1Error(t, err, "MissingParameter.ResourceShareId", http.StatusBadRequest)

	unknown := resourcesharing.CreateAssociateResourceShareRequest()
	unknown.ResourceShareId = "rs-000000000000"
	unknown.Targets = &[]string{outsideB}
	_, err = owner.AssociateResourceShare(unknown)
	requireV1Error(t, err, "EntityNotExists.ResourceShare", http.StatusNotFound)

	empty := resourcesharing.CreateAssociateResourceShareRequest()
	empty.ResourceShareId = shareID
	_, err = owner.AssociateResourceShare(empty)
	requireV1Error(t, err, "ResourceAndTargetBothEmpty", http.StatusBadRequest)

	// ListResourceShareInvitations as the invitee: success.
	list := resourcesharing.CreateListResourceShareInvitationsRequest()
	listed, err := invitee.ListResourceShareInvitations(list)
	require.NoError(t, err)
	assert.NotEmpty(t, listed.RequestId)
	require.Len(t, listed.ResourceShareInvitations, 1)
	inv := listed.ResourceShareInvitations[0]
	assert.True(t, strings.HasPrefix(inv.ResourceShareInvitationId, "i-"), inv.ResourceShareInvitationId)
	assert.Equal(t, shareID, inv.ResourceShareId)
	assert.Equal(t, "conformance-v1", inv.ResourceShareName)
	assert.Equal(t, e.srv.ManagementAccountID(), inv.SenderAccountId)
	assert.Equal(t, outsideA, inv.ReceiverAccountId)
	assert.Equal(t, "Pending", inv.Status)
	_, err = time.Parse(time.RFC3339, inv.CreateTime)
	assert.NoError(t, err, "CreateTime %q", inv.CreateTime)

	filtered := resourcesharing.CreateListResourceShareInvitationsRequest()
	filtered.ResourceShareIds = &[]string{shareID}
	filtered.ResourceShareInvitationIds = &[]string{inv.ResourceShareInvitationId}
	filtered.MaxResults = requests.NewInteger(100)
	got, err := invitee.ListResourceShareInvitations(filtered)
	require.NoError(t, err)
	require.Len(t, got.ResourceShareInvitations, 1)
	assert.Empty(t, got.NextToken)

	// The sender does not see the invitation as its own.
	ownerList, err := owner.ListResourceShareInvitations(resourcesharing.CreateListResourceShareInvitationsRequest())
	require.NoError(t, err)
	assert.Empty(t, ownerList.ResourceShareInvitations)

	// ListResourceShareInvitations: documented failures.
	tooMany := resourcesharing.CreateListResourceShareInvitationsRequest()
	tooMany.MaxResults = requests.NewInteger(101)
	_, err = invitee.ListResourceShareInvitations(tooMany)
	requireV1Error(t, err, "InvalidParameter.MaxResults", http.StatusBadRequest)

	badToken := resourcesharing.CreateListResourceShareInvitationsRequest()
	badToken.NextToken = "not-a-token"
	_, err = invitee.ListResourceShareInvitations(badToken)
	requireV1Error(t, err, "InvalidParameter.NextToken", http.StatusBadRequest)

	sixShares := resourcesharing.CreateListResourceShareInvitationsRequest()
	sixShares.ResourceShareIds = &[]string{"rs-1", "rs-2", "rs-3", "rs-4", "rs-5", "rs-6"}
	_, err = invitee.ListResourceShareInvitations(sixShares)
	requireV1Error(t, err, "InvalidParameter.ResourceShareIds.Length", http.StatusBadRequest)

	// AcceptResourceShareInvitation: documented failures before success.
	missing := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	_, err = invitee.AcceptResourceShareInvitation(missing)
	requireV1Error(t, err, "MissingParameter.ResourceShareInvitationId", http.StatusBadRequest)

	malformed := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	malformed.ResourceShareInvitationId = "invitation"
	_, err = invitee.AcceptResourceShareInvitation(malformed)
	requireV1Error(t, err, "InvalidParameter.ResourceShareInvitationId", http.StatusBadRequest)

	// Another account cannot answer it: it does not exist for that account.
	stranger := e.rs(t, e.keys(outsideB))
	byStranger := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	byStranger.ResourceShareInvitationId = inv.ResourceShareInvitationId
	_, err = stranger.AcceptResourceShareInvitation(byStranger)
	requireV1Error(t, err, "EntityNotExists.ResourceShareInvitation", http.StatusConflict)

	// AcceptResourceShareInvitation: success.
	accept := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	accept.ResourceShareInvitationId = inv.ResourceShareInvitationId
	accepted, err := invitee.AcceptResourceShareInvitation(accept)
	require.NoError(t, err)
	assert.NotEmpty(t, accepted.RequestId)
	assert.Equal(t, inv.ResourceShareInvitationId, accepted.ResourceShareInvitation.ResourceShareInvitationId)
	assert.Equal(t, shareID, accepted.ResourceShareInvitation.ResourceShareId)
	assert.Equal(t, "Accepted", accepted.ResourceShareInvitation.Status)

	// Accepting twice is a documented conflict.
	again := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	again.ResourceShareInvitationId = inv.ResourceShareInvitationId
	_, err = invitee.AcceptResourceShareInvitation(again)
	requireV1Error(t, err, "InvitationStatus.AlreadyAccepted", http.StatusConflict)

	// The target association completed with the acceptance.
	assocs := resourcesharing.CreateListResourceShareAssociationsRequest()
	assocs.AssociationType = "Target"
	assocs.ResourceShareIds = &[]string{shareID}
	targets, err := owner.ListResourceShareAssociations(assocs)
	require.NoError(t, err)
	require.Len(t, targets.ResourceShareAssociations, 1)
	assert.Equal(t, "Associated", targets.ResourceShareAssociations[0].AssociationStatus)
	assert.True(t, targets.ResourceShareAssociations[0].External, "a target outside the resource directory is external")

	// The invitee now sees the shared resource.
	shared := resourcesharing.CreateListSharedResourcesRequest()
	shared.ResourceOwner = "OtherAccounts"
	res, err := invitee.ListSharedResources(shared)
	require.NoError(t, err)
	require.Len(t, res.SharedResources, 1)
	assert.Equal(t, "vsw-conformance1", res.SharedResources[0].ResourceId)
}

// TestV1InvitationExpired: an invitation left pending for 7 days can no
// longer be accepted.
func TestV1InvitationExpired(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	owner := e.rs(t, e.keys(""))
	invitee := e.rs(t, e.keys(outsideC))

	create := resourcesharing.CreateCreateResourceShareRequest()
	create.ResourceShareName = "conformance-expiry"
	create.AllowExternalTargets = requests.NewBoolean(true)
	create.Resources = v1Resources("vsw-expiry")
	create.Targets = &[]string{outsideC}
	_, err := owner.CreateResourceShare(create)
	require.NoError(t, err)

	listed, err := invitee.ListResourceShareInvitations(resourcesharing.CreateListResourceShareInvitationsRequest())
	require.NoError(t, err)
	require.Len(t, listed.ResourceShareInvitations, 1)
	id := listed.ResourceShareInvitations[0].ResourceShareInvitationId

	e.srv.Advance(7*24*time.Hour + time.Minute)
	accept := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	accept.ResourceShareInvitationId = id
	_, err = invitee.AcceptResourceShareInvitation(accept)
	requireV1Error(t, err, "InvitationStatus.Expired", http.StatusConflict)
}

// TestV1ResourceAccounts covers CreateResourceAccount and
// ResendPromoteResourceAccountEmail with the v1 SDK.
func TestV1ResourceAccounts(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	rm := e.rm(t, e.keys(""))

	// CreateResourceAccount: success.
	create := resourcemanager.CreateCreateResourceAccountRequest()
	create.DisplayName = "conformance-dev"
	create.AccountNamePrefix = "conformance-dev"
	create.Tag = &[]resourcemanager.CreateResourceAccountTag{{Key: "team", Value: "conformance"}}
	created, err := rm.CreateResourceAccount(create)
	require.NoError(t, err)
	acc := created.Account
	assert.NotEmpty(t, created.RequestId)
	assert.Regexp(t, `^\d{16}$`, acc.AccountId)
	assert.Equal(t, "conformance-dev", acc.DisplayName)
	assert.True(t, strings.HasPrefix(acc.AccountName, "conformance-dev@"), acc.AccountName)
	assert.Equal(t, "ResourceAccount", acc.Type)
	assert.Equal(t, "CreateSuccess", acc.Status)
	assert.Equal(t, e.srv.RootFolderID(), acc.FolderId)
	assert.Equal(t, e.srv.ResourceDirectoryID(), acc.ResourceDirectoryId)
	_, err = time.Parse(time.RFC3339, acc.JoinTime)
	assert.NoError(t, err, "JoinTime %q", acc.JoinTime)

	get := resourcemanager.CreateGetAccountRequest()
	get.AccountId = acc.AccountId
	get.IncludeTags = requests.NewBoolean(true)
	fetched, err := rm.GetAccount(get)
	require.NoError(t, err)
	assert.Equal(t, "conformance-dev", fetched.Account.DisplayName)
	require.Len(t, fetched.Account.Tags, 1)
	assert.Equal(t, "team", fetched.Account.Tags[0].Key)

	// CreateResourceAccount: documented failures.
	used := resourcemanager.CreateCreateResourceAccountRequest()
	used.DisplayName = "conformance-dev"
	_, err = rm.CreateResourceAccount(used)
	requireV1Error(t, err, "InvalidParameter.Account.DisplayName.AlreadyUsed", http.StatusConflict)

	noName := resourcemanager.CreateCreateResourceAccountRequest()
	_, err = rm.CreateResourceAccount(noName)
	requireV1Error(t, err, "MissingParameter.Account.DisplayName", http.StatusBadRequest)

	noFolder := resourcemanager.CreateCreateResourceAccountRequest()
	noFolder.DisplayName = "conformance-x"
	noFolder.ParentFolderId = "fd-0000000000"
	_, err = rm.CreateResourceAccount(noFolder)
	requireV1Error(t, err, "EntityNotExists.Folder", http.StatusNotFound)

	samePrefix := resourcemanager.CreateCreateResourceAccountRequest()
	samePrefix.DisplayName = "conformance-y"
	samePrefix.AccountNamePrefix = "conformance-dev"
	_, err = rm.CreateResourceAccount(samePrefix)
	requireV1Error(t, err, "EntityAlreadyExists.ResourceDirectory.Account", http.StatusConflict)

	// ResendPromoteResourceAccountEmail: set up a promotion.
	promote := resourcemanager.CreatePromoteResourceAccountRequest()
	promote.AccountId = acc.AccountId
	promote.Email = "conformance@example.com"
	promoted, err := rm.PromoteResourceAccount(promote)
	require.NoError(t, err)
	record := promoted.Account.RecordId
	require.NotEmpty(t, record)
	assert.Equal(t, "PromoteVerifying", promoted.Account.Status)

	// Within the resend interval the service refuses (documented).
	early := resourcemanager.CreateResendPromoteResourceAccountEmailRequest()
	early.RecordId = record
	_, err = rm.ResendPromoteResourceAccountEmail(early)
	requireV1Error(t, err, "LimitExceeded.Frequency", http.StatusConflict)

	// ResendPromoteResourceAccountEmail: success.
	e.srv.Advance(61 * time.Second)
	resend := resourcemanager.CreateResendPromoteResourceAccountEmailRequest()
	resend.RecordId = record
	resent, err := rm.ResendPromoteResourceAccountEmail(resend)
	require.NoError(t, err)
	assert.NotEmpty(t, resent.RequestId)
	assert.Equal(t, acc.AccountId, resent.Account.AccountId)
	assert.Equal(t, record, resent.Account.RecordId)
	assert.Equal(t, "PromoteVerifying", resent.Account.Status)
	assert.Equal(t, "ResourceAccount", resent.Account.Type)

	// ResendPromoteResourceAccountEmail: documented failures.
	unknown := resourcemanager.CreateResendPromoteResourceAccountEmailRequest()
	unknown.RecordId = "06950264-3f0d-4ca9-82dd-6ee7a3d33d6b"
	_, err = rm.ResendPromoteResourceAccountEmail(unknown)
	requireV1Error(t, err, "EntityNotExists.AccountRecord", http.StatusNotFound)

	missing := resourcemanager.CreateResendPromoteResourceAccountEmailRequest()
	_, err = rm.ResendPromoteResourceAccountEmail(missing)
	requireV1Error(t, err, "MissingParameter.RecordId", http.StatusBadRequest)

	// Once the promotion is cancelled the account is no longer
	// PromoteVerifying.
	cancel := resourcemanager.CreateCancelPromoteResourceAccountRequest()
	cancel.RecordId = record
	_, err = rm.CancelPromoteResourceAccount(cancel)
	require.NoError(t, err)
	e.srv.Advance(61 * time.Second)
	afterCancel := resourcemanager.CreateResendPromoteResourceAccountEmailRequest()
	afterCancel.RecordId = record
	_, err = rm.ResendPromoteResourceAccountEmail(afterCancel)
	requireV1Error(t, err, "AccountTypeOrStatusMismatch", http.StatusConflict)

	// An account outside any resource directory has none.
	outsider := e.rm(t, e.keys(outsideD))
	byOutsider := resourcemanager.CreateResendPromoteResourceAccountEmailRequest()
	byOutsider.RecordId = record
	_, err = outsider.ResendPromoteResourceAccountEmail(byOutsider)
	requireV1Error(t, err, "EntityNotExists.ResourceDirectory", http.StatusNotFound)
}

// TestV1AccountLimit: the directory's account quota is a documented
// conflict.
func TestV1AccountLimit(t *testing.T) {
	t.Parallel()
	e := newV1(t, alicloudtest.WithMaxAccounts(2))
	rm := e.rm(t, e.keys(""))
	first := resourcemanager.CreateCreateResourceAccountRequest()
	first.DisplayName = "conformance-one"
	_, err := rm.CreateResourceAccount(first)
	require.NoError(t, err)
	second := resourcemanager.CreateCreateResourceAccountRequest()
	second.DisplayName = "conformance-two"
	_, err = rm.CreateResourceAccount(second)
	requireV1Error(t, err, "LimitExceeded.Account", http.StatusConflict)
}

// TestV1Signature: a wrong secret and an unknown key are refused with the
// gateway's codes, whatever the operation.
func TestV1Signature(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	good := e.keys("")

	wrongSecret := credentials.NewAccessKeyCredential(good.AccessKeyId, badSecret)
	_, err := e.rs(t, wrongSecret).ListResourceShareInvitations(resourcesharing.CreateListResourceShareInvitationsRequest())
	requireV1Error(t, err, "SignatureDoesNotMatch", http.StatusBadRequest)
	create := resourcemanager.CreateCreateResourceAccountRequest()
	create.DisplayName = "never-created"
	_, err = e.rm(t, wrongSecret).CreateResourceAccount(create)
	requireV1Error(t, err, "SignatureDoesNotMatch", http.StatusBadRequest)

	unknownKey := credentials.NewAccessKeyCredential(unknownKeyID, good.AccessKeySecret)
	accept := resourcesharing.CreateAcceptResourceShareInvitationRequest()
	accept.ResourceShareInvitationId = "i-000000000000"
	_, err = e.rs(t, unknownKey).AcceptResourceShareInvitation(accept)
	requireV1Error(t, err, "InvalidAccessKeyId.NotFound", http.StatusNotFound)
	resend := resourcemanager.CreateResendPromoteResourceAccountEmailRequest()
	resend.RecordId = "06950264-3f0d-4ca9-82dd-6ee7a3d33d6b"
	_, err = e.rm(t, unknownKey).ResendPromoteResourceAccountEmail(resend)
	requireV1Error(t, err, "InvalidAccessKeyId.NotFound", http.StatusNotFound)

	// Nothing was created by the refused call.
	list := resourcemanager.CreateListAccountsRequest()
	accounts, err := e.rm(t, good).ListAccounts(list)
	require.NoError(t, err)
	assert.Equal(t, 1, accounts.TotalCount, "only the management account")
}

// TestV1CommonRequest drives the same API through the SDK's generic
// CommonRequest with the endpoint and scheme on the request itself, the way
// code without a generated product client calls it.
func TestV1CommonRequest(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	client, err := sdk.NewClientWithOptions(region, e.config(), e.keys(""))
	require.NoError(t, err)

	common := func(product, version, action string, query map[string]string) *requests.CommonRequest {
		r := requests.NewCommonRequest()
		r.Method = requests.POST
		r.Scheme = "http"
		r.Domain = e.host
		r.Product = product
		r.Version = version
		r.ApiName = action
		for k, v := range query {
			r.QueryParams[k] = v
		}
		return r
	}

	resp, err := client.ProcessCommonRequest(common("ResourceManager", "2020-03-31", "CreateResourceAccount",
		map[string]string{"DisplayName": "conformance-common"}))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.GetHttpStatus())
	assert.Contains(t, resp.GetHttpContentString(), `"DisplayName":"conformance-common"`)

	_, err = client.ProcessCommonRequest(common("ResourceManager", "2020-03-31", "CreateResourceAccount",
		map[string]string{"DisplayName": "conformance-common"}))
	requireV1Error(t, err, "InvalidParameter.Account.DisplayName.AlreadyUsed", http.StatusConflict)

	_, err = client.ProcessCommonRequest(common("ResourceSharing", "2020-01-10", "AcceptResourceShareInvitation", nil))
	requireV1Error(t, err, "MissingParameter.ResourceShareInvitationId", http.StatusBadRequest)

	// GET, with the signature over the query alone.
	get := common("ResourceSharing", "2020-01-10", "ListResourceShareInvitations", map[string]string{"MaxResults": "20"})
	get.Method = requests.GET
	resp, err = client.ProcessCommonRequest(get)
	require.NoError(t, err)
	assert.Contains(t, resp.GetHttpContentString(), `"ResourceShareInvitations":[]`)
	assert.True(t, strings.HasPrefix(e.wire.last(), "GET /?"), "sent with GET")

	// Parameters in a form body, which the V1 signature covers too.
	form := common("ResourceManager", "2020-03-31", "CreateResourceAccount", nil)
	form.FormParams["DisplayName"] = "conformance form"
	form.FormParams["AccountNamePrefix"] = "conformance-form"
	resp, err = client.ProcessCommonRequest(form)
	require.NoError(t, err)
	assert.Contains(t, resp.GetHttpContentString(), `"DisplayName":"conformance form"`)
	assert.Contains(t, e.wire.last(), "\r\n\r\nAccountNamePrefix=conformance-form&DisplayName=conformance+form", "sent in the body")
}

// TestV1RetriesServerErrors: the v1 SDK's AutoRetry resends a request that
// failed with a 5xx status, with a fresh nonce and signature, and the
// emulator accepts the retry.
func TestV1RetriesServerErrors(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	cfg := e.config()
	cfg.AutoRetry = true
	cfg.MaxRetryTime = 2
	client, err := resourcesharing.NewClientWithOptions(region, cfg, e.keys(""))
	require.NoError(t, err)
	client.Domain = e.host

	e.srv.FailNext("ServiceUnavailable", http.StatusServiceUnavailable)
	out, err := client.ListResourceShareInvitations(resourcesharing.CreateListResourceShareInvitationsRequest())
	require.NoError(t, err)
	assert.Empty(t, out.ResourceShareInvitations)

	// Without retries the injected fault reaches the caller as is.
	e.srv.FailNext("ServiceUnavailable", http.StatusServiceUnavailable)
	_, err = e.rs(t, e.keys("")).ListResourceShareInvitations(resourcesharing.CreateListResourceShareInvitationsRequest())
	requireV1Error(t, err, "ServiceUnavailable", http.StatusServiceUnavailable)
}

// TestV1WithoutDomainLeavesLoopback shows why every client above sets
// Domain: without it the SDK builds the public endpoint from its endpoint
// data, which the loopback-only transport refuses (nothing leaves the
// machine). It proves the guard the other tests rely on works.
func TestV1WithoutDomainLeavesLoopback(t *testing.T) {
	t.Parallel()
	e := newV1(t)
	c, err := resourcesharing.NewClientWithOptions(region, e.config(), e.keys(""))
	require.NoError(t, err)
	_, err = c.ListResourceShareInvitations(resourcesharing.CreateListResourceShareInvitationsRequest())
	require.Error(t, err)
	refused := e.wire.takeRefused()
	require.Len(t, refused, 1)
	assert.True(t, strings.HasSuffix(strings.Split(refused[0], ":")[0], ".aliyuncs.com"), refused[0])
}
