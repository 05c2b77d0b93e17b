package alicloud_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/resourcekit/alicloud"
)

func TestAPIErrorMatchesItsCodeOnly(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", &alicloud.APIError{Product: "ResourceSharing", Operation: "AcceptResourceShareInvitation",
		HTTPStatus: 409, Code: "InvitationStatus.Expired", Message: "expired", RequestID: "R"})
	assert.ErrorIs(t, err, alicloud.ErrorCode("InvitationStatus.Expired"))
	assert.NotErrorIs(t, err, alicloud.ErrorCode("InvitationStatus.AlreadyAccepted"))
	assert.NotErrorIs(t, err, alicloud.ErrorCode(""))
	assert.NotErrorIs(t, err, alicloud.ErrInvalidInput)
	assert.Equal(t, "wrapped: resourcesharing: AcceptResourceShareInvitation: HTTP 409 InvitationStatus.Expired: expired (RequestId R)", err.Error())
}

func TestAPIErrorSaysTheServicesRecommendation(t *testing.T) {
	err := &alicloud.APIError{Product: "ResourceManager", Operation: "EnableAutoGrouping", HTTPStatus: 404,
		Code: "InvalidApi.NotFound", Message: "not found", RequestID: "R", Recommend: "https://next.api.example/troubleshoot?q=InvalidApi.NotFound"}
	assert.Equal(t, "resourcemanager: EnableAutoGrouping: HTTP 404 InvalidApi.NotFound: not found (RequestId R); recommend: https://next.api.example/troubleshoot?q=InvalidApi.NotFound", err.Error())
}

func TestValidationErrorMatchesCodeAndErrInvalidInput(t *testing.T) {
	err := error(&alicloud.ValidationError{Operation: "Op", Field: "MaxResults", Reason: "must be from 1 to 100, not 0", Code: "InvalidParameter.MaxResults"})
	assert.ErrorIs(t, err, alicloud.ErrInvalidInput)
	assert.ErrorIs(t, err, alicloud.ErrorCode("InvalidParameter.MaxResults"))
	assert.NotErrorIs(t, err, alicloud.ErrorCode("InvalidParameter"))
	assert.Equal(t, "Op: invalid MaxResults: must be from 1 to 100, not 0 (InvalidParameter.MaxResults)", err.Error())
}

func TestResponseAndOperationErrorsUnwrap(t *testing.T) {
	cause := errors.New("unexpected end of JSON")
	re := &alicloud.ResponseError{Product: "ResourceManager", Operation: "GetAccount", HTTPStatus: 502, ContentType: "text/html", Excerpt: "<html>", Err: cause}
	assert.ErrorIs(t, re, cause)
	assert.Contains(t, re.Error(), "HTTP 502")
	assert.Contains(t, re.Error(), "<html>")

	oe := &alicloud.OperationError{Product: "ResourceManager", Operation: "GetAccount", Attempts: 3, Err: context.DeadlineExceeded}
	assert.ErrorIs(t, oe, context.DeadlineExceeded)
	assert.Equal(t, "resourcemanager: GetAccount (after 3 attempts): context deadline exceeded", oe.Error())
}

func TestIsThrottling(t *testing.T) {
	for code, want := range map[string]bool{
		"Throttling": true, "Throttling.User": true, "Throttling.Api": true, "LimitExceeded.Frequency": true,
		"ServiceUnavailable": false, "InvalidParameter": false,
	} {
		assert.Equal(t, want, alicloud.IsThrottling(&alicloud.APIError{Code: code}), code)
	}
	assert.False(t, alicloud.IsThrottling(errors.New("x")))
}

func TestErrorCodeIsAnError(t *testing.T) {
	var err error = alicloud.ErrSignatureDoesNotMatch
	assert.Equal(t, "SignatureDoesNotMatch", err.Error())
	assert.ErrorIs(t, err, alicloud.ErrorCode("SignatureDoesNotMatch"))
}

func TestRetryOptionsDefaults(t *testing.T) {
	o := alicloud.RetryOptions{}.WithDefaults()
	assert.Equal(t, alicloud.RetryOptions{MaxAttempts: 3, MinBackoff: alicloud.DefaultMinBackoff, MaxBackoff: alicloud.DefaultMaxBackoff}, o)
	o = alicloud.RetryOptions{MaxAttempts: 1, MinBackoff: 10, MaxBackoff: 5}.WithDefaults()
	assert.Equal(t, alicloud.RetryOptions{MaxAttempts: 1, MinBackoff: 10, MaxBackoff: 10}, o)
	assert.Equal(t, 7, *alicloud.Ptr(7))
}
