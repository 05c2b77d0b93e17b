package resourcesharing_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

type hookRecorder struct {
	mu         sync.Mutex
	attempts   []alicloud.AttemptInfo
	operations []alicloud.OperationInfo
}

func (h *hookRecorder) OnAttempt(_ context.Context, a alicloud.AttemptInfo) {
	h.mu.Lock()
	h.attempts = append(h.attempts, a)
	h.mu.Unlock()
}

func (h *hookRecorder) OnOperation(_ context.Context, o alicloud.OperationInfo) {
	h.mu.Lock()
	h.operations = append(h.operations, o)
	h.mu.Unlock()
}

func TestHooksSeeSuccessErrorAndRetryWithoutSecrets(t *testing.T) {
	c, mt := newClient(t)
	clientHook, callHook := &hookRecorder{}, &hookRecorder{}
	c = rs.New(alicloud.Config{Region: "cn-hangzhou", Credentials: alicloud.NewStaticCredentials("test-id", testSecret, "sts-token-secret"),
		HTTPClient: &http.Client{Transport: mt}, Hooks: []alicloud.Hook{clientHook}, Retry: alicloud.RetryOptions{MinBackoff: 1, MaxBackoff: 2}})
	var signatures []string
	calls := 0
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		calls++
		signatures = append(signatures, r.URL.Query().Get("Signature"))
		switch calls {
		case 1:
			return reply(400, `{"Code":"Throttling","Message":"x","RequestId":"r1"}`)(r)
		case 2:
			return reply(200, acceptExample)(r)
		default:
			return reply(409, `{"Code":"InvitationStatus.Expired","Message":"expired","RequestId":"r3"}`)(r)
		}
	})
	ctx := context.Background()
	req := &rs.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-1"}
	_, err := c.AcceptResourceShareInvitation(ctx, req)
	require.NoError(t, err)
	_, err = c.AcceptResourceShareInvitation(ctx, req, rs.WithHooks(callHook))
	require.ErrorIs(t, err, rs.ErrInvitationStatusExpired)

	require.Len(t, clientHook.attempts, 3)
	assert.True(t, clientHook.attempts[0].Retry)
	assert.Equal(t, "Throttling", clientHook.attempts[0].Code)
	assert.Equal(t, 2, clientHook.attempts[1].Attempt)
	assert.Equal(t, "InvitationStatus.Expired", clientHook.attempts[2].Code)
	require.Len(t, clientHook.operations, 2)
	assert.Equal(t, "AcceptResourceShareInvitation", clientHook.operations[0].Action)
	assert.Equal(t, "ResourceSharing", clientHook.operations[0].Product)
	assert.Equal(t, 2, clientHook.operations[0].Attempts)
	require.Len(t, callHook.attempts, 1, "a per-call hook sees only its call")
	require.Len(t, callHook.operations, 1)

	everything := fmt.Sprintf("%v %+v %#v %v %+v %#v", clientHook.attempts, clientHook.attempts, clientHook.attempts,
		clientHook.operations, clientHook.operations, clientHook.operations) + err.Error() + fmt.Sprintf("%+v %#v", err, err)
	assert.NotContains(t, everything, testSecret)
	assert.NotContains(t, everything, "sts-token-secret")
	for _, s := range signatures {
		assert.NotContains(t, everything, s)
	}
}

func TestAccessDeniedDetailReachesAPIError(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, reply(403, `{"Code":"Forbidden.RAM","Message":"User not authorized","RequestId":"R",
		"AccessDeniedDetail":{"AuthAction":"resourcesharing:ListResourceShares","AuthPrincipalType":"SubUser","AuthPrincipalOwnerId":"1234",
		"AuthPrincipalDisplayName":"dev","NoPermissionType":"ImplicitDeny","PolicyType":"AccountLevelIdentityBasedPolicy","EncodedDiagnosticMessage":"AQE="}}`))
	_, err := c.ListResourceShares(context.Background(), &rs.ListResourceSharesRequest{ResourceOwner: rs.ResourceOwnerSelf})
	require.ErrorIs(t, err, alicloud.ErrForbiddenRAM)
	var apiErr *alicloud.APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotNil(t, apiErr.AccessDeniedDetail)
	assert.Equal(t, alicloud.AccessDeniedDetail{AuthAction: "resourcesharing:ListResourceShares", AuthPrincipalType: "SubUser",
		AuthPrincipalOwnerId: "1234", AuthPrincipalDisplayName: "dev", NoPermissionType: "ImplicitDeny",
		PolicyType: "AccountLevelIdentityBasedPolicy", EncodedDiagnosticMessage: "AQE="}, *apiErr.AccessDeniedDetail)
}
