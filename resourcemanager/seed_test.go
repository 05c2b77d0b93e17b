package resourcemanager_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/sdktest"
	rm "github.com/resourcekit/alicloud/resourcemanager"
)

const (
	testSecret = sdktest.Secret
	endpoint   = "https://resourcemanager.aliyuncs.com/"
)

func newClient(t *testing.T) (*rm.Client, *httpmock.MockTransport) {
	t.Helper()
	cfg, mt := sdktest.Config()
	return rm.New(cfg), mt
}

var (
	params = sdktest.Params
	reply  = sdktest.Reply
	ts     = sdktest.Time
)

const (
	resendExample = `{
    "RequestId": "9B34724D-54B0-4A51-B34D-4512372FE1BE",
    "Account": {
        "ResourceDirectoryId":"rd-k3****",
        "AccountId": "12323344****",
        "DisplayName": "admin",
        "FolderId": "fd-bVaRIG****",
        "JoinMethod": "created",
        "JoinTime": "2015-01-23T12:33:18Z",
        "Type":"ResourceAccount",
        "Status":"PromoteVerifying",
        "RecordId":"16950264-3f0d-4ca9-82dd-6ee7a3d33d6b",
        "ModifyTime":"2015-01-23T12:33:18Z"
    }
}`
	createExample = `{
  "Account": {
    "Status": "CreateSuccess",
    "Type": "ResourceAccount",
    "DisplayName": "Dev",
    "FolderId": "fd-r23M55****",
    "ResourceDirectoryId": "rd-3G****",
    "JoinTime": "2020-12-31T03:37:39.456Z",
    "AccountId": "112730938585****",
    "JoinMethod": "created",
    "ModifyTime": "2020-12-31T03:37:39.456Z",
    "AccountName": "alice@rd-3g****.aliyunid.com"
  },
  "RequestId": "B356A415-D860-43E5-865A-E2193D62BBD6"
}`
)

func TestResendPromoteResourceAccountEmailSeed(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{
			"Action":   {"ResendPromoteResourceAccountEmail"},
			"RecordId": {"06950264-3f0d-4ca9-82dd-6ee7a3d33d6b"},
		}, params(t, r), "a central product sends no RegionId")
		return reply(200, resendExample)(r)
	})
	out, err := c.ResendPromoteResourceAccountEmail(context.Background(), &rm.ResendPromoteResourceAccountEmailRequest{
		RecordId: "06950264-3f0d-4ca9-82dd-6ee7a3d33d6b",
	})
	require.NoError(t, err)
	assert.Equal(t, "9B34724D-54B0-4A51-B34D-4512372FE1BE", out.RequestId)
	a := out.Account
	assert.Equal(t, "rd-k3****", a.ResourceDirectoryId)
	assert.Equal(t, "12323344****", a.AccountId)
	assert.Equal(t, "admin", a.DisplayName)
	assert.Equal(t, "fd-bVaRIG****", a.FolderId)
	assert.Equal(t, rm.JoinMethodCreated, a.JoinMethod)
	assert.Equal(t, ts("2015-01-23T12:33:18Z"), a.JoinTime)
	assert.Equal(t, ts("2015-01-23T12:33:18Z"), a.ModifyTime)
	assert.Equal(t, rm.AccountTypeResourceAccount, a.Type)
	assert.Equal(t, rm.AccountStatusPromoteVerifying, a.Status)
	assert.Equal(t, "16950264-3f0d-4ca9-82dd-6ee7a3d33d6b", a.RecordId)
}

func TestCreateResourceAccountSeed(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{
			"Action":            {"CreateResourceAccount"},
			"DisplayName":       {"Dev"},
			"ParentFolderId":    {"fd-r23M55****"},
			"PayerAccountId":    {"12323344****"},
			"AccountNamePrefix": {"alice"},
			"Tag.1.Key":         {"k1"},
			"Tag.1.Value":       {"v1"},
			"Tag.2.Key":         {"k2"}, // an empty value is not sent
			"ResellAccountType": {"non_resell"},
			"DryRun":            {"true"},
		}, params(t, r))
		return reply(200, createExample)(r)
	})
	out, err := c.CreateResourceAccount(context.Background(), &rm.CreateResourceAccountRequest{
		DisplayName:       "Dev",
		ParentFolderId:    "fd-r23M55****",
		PayerAccountId:    "12323344****",
		AccountNamePrefix: "alice",
		Tag:               []rm.Tag{{Key: "k1", Value: "v1"}, {Key: "k2"}},
		ResellAccountType: rm.ResellAccountTypeNonResell,
		DryRun:            true,
	})
	require.NoError(t, err)
	assert.Equal(t, "B356A415-D860-43E5-865A-E2193D62BBD6", out.RequestId)
	a := out.Account
	assert.Equal(t, "CreateSuccess", string(a.Status))
	assert.Equal(t, "ResourceAccount", string(a.Type))
	assert.Equal(t, "Dev", a.DisplayName)
	assert.Equal(t, "fd-r23M55****", a.FolderId)
	assert.Equal(t, "rd-3G****", a.ResourceDirectoryId)
	assert.Equal(t, ts("2020-12-31T03:37:39.456Z"), a.JoinTime)
	assert.Equal(t, "112730938585****", a.AccountId)
	assert.Equal(t, rm.JoinMethodCreated, a.JoinMethod)
	assert.Equal(t, ts("2020-12-31T03:37:39.456Z"), a.ModifyTime)
	assert.Equal(t, "alice@rd-3g****.aliyunid.com", a.AccountName)
}

func TestCreateResourceAccountDefaultsAreNotSent(t *testing.T) {
	c, mt := newClient(t)
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, url.Values{"Action": {"CreateResourceAccount"}, "DisplayName": {"Dev"}}, params(t, r))
		return reply(200, createExample)(r)
	})
	_, err := c.CreateResourceAccount(context.Background(), &rm.CreateResourceAccountRequest{DisplayName: "Dev"})
	require.NoError(t, err)
}

var seedErrors = []struct {
	op      string
	status  int
	code    alicloud.ErrorCode
	message string
}{
	{"ResendPromoteResourceAccountEmail", 409, rm.ErrAccountTypeOrStatusMismatch, "You cannot perform the action on the member account."},
	{"ResendPromoteResourceAccountEmail", 404, rm.ErrEntityNotExistsResourceDirectory, "The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account."},
	{"ResendPromoteResourceAccountEmail", 400, rm.ErrMissingParameterRecordId, "You must specify RecordId."},
	{"ResendPromoteResourceAccountEmail", 404, rm.ErrEntityNotExistsAccountRecord, "This resource directory account recordId does not exist."},
	{"ResendPromoteResourceAccountEmail", 409, rm.ErrLimitExceededFrequency, "The frequency of request exceeds limit."},
	{"CreateResourceAccount", 400, rm.ErrMissingParameterAccountDisplayName, "You must specify DisplayName."},
	{"CreateResourceAccount", 400, rm.ErrInvalidParameterAccountDisplayName, "The DisplayName of account is invalid."},
	{"CreateResourceAccount", 400, rm.ErrInvalidParameterAccountDisplayNameLength, "The DisplayName of the account exceeds the length limit."},
	{"CreateResourceAccount", 400, rm.ErrInvalidParameterParentFolderId, "The ParentFolderId is invalid."},
	{"CreateResourceAccount", 400, rm.ErrInvalidParameterAccountAccountNamePrefix, "The account name prefix is invalid."},
	{"CreateResourceAccount", 400, rm.ErrInvalidParameterAccountAccountNamePrefixLength, "The account name prefix exceeds the length limit."},
	{"CreateResourceAccount", 400, rm.ErrNotSupportSiteAction, "Site does not allow current action."},
	{"CreateResourceAccount", 404, rm.ErrEntityNotExistsResourceDirectory, "The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account."},
	{"CreateResourceAccount", 404, rm.ErrEntityNotExistsFolder, "The resource directory folder does not exist."},
	{"CreateResourceAccount", 409, rm.ErrLimitExceededAccount, "The maximum number of member accounts in a resource directory exceeds the limit."},
	{"CreateResourceAccount", 409, rm.ErrInvalidParameterAccountDisplayNameAlreadyUsed, "The displayname of account has been used."},
	{"CreateResourceAccount", 409, rm.ErrEntityAlreadyExistsResourceDirectoryAccount, "The email address that the system generates when you create a member account already exists. Try again later."},
	{"CreateResourceAccount", 409, rm.ErrInvalidPayRelation, "Failed to create a member. The specified billing account is unavailable. Please change to another billing account and try again."},
	{"CreateResourceAccount", 409, rm.ErrNotSupportPayerAccountInAnotherResourceDirectory, "The specified settlement account does not exist in the resource directory. You must specify a valid settlement account."},
	{"CreateResourceAccount", 409, rm.ErrCreateAccountDisabled, "The specified resource directory cannot create a new account."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountEnterpriseVerifyError, "The type of the payment account is not enterprise verified."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountFinancialRelationshipVerifyError, "The payment account must not be the beneficiary account from other financial relationships."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountEnterpriseTypeError, "The type of the payment account is not enterprise."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountFinancialRelationshipsChangeFrequencyVerifyError, "The financial relationship of payment account changes too frequently. Please try again later."},
	{"CreateResourceAccount", 409, rm.ErrMemberAccountVirtualCloudOperatorVerifyError, "The type of the member account must not be virtual operator."},
	{"CreateResourceAccount", 409, rm.ErrMemberAccountResellerVerifyError, "The type of the member account must not be reseller."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountVirtualCloudOperatorVerifyError, "The type of the payment account must not be virtual operator."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountResellerVerifyError, "The type of the payment account must not be reseller."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountCreditIdentityTypeError, "The identity of the payment account is not credit."},
	{"CreateResourceAccount", 409, rm.ErrInconsistentEnterpriseNameError, "The enterprise name of the payment account and the member account must be consistent."},
	{"CreateResourceAccount", 409, rm.ErrPaymentAccountEnterpriseInvoiceError, "No enterprise invoice header information is set for the payment account."},
	{"CreateResourceAccount", 409, rm.ErrUnknownFinancialError, "An unknown financial error occurred."},
	{"CreateResourceAccount", 409, rm.ErrBusinessRestricted, "Business is restricted. Please contact your customer service manager."},
	{"CreateResourceAccount", 409, rm.ErrFundAccountHasArrearsAmount, "There are arrears in the current payment account. You cannot change the payment account. Please settle the arrears and try again."},
	{"CreateResourceAccount", 409, rm.ErrFundAccountOwnerPayedByOthers, "If the payment has been made by another account, it is not allowed to be used as the main payment account."},
	{"CreateResourceAccount", 409, rm.ErrUserOwnFundAccountPayForOthers, "If the account has been used as the main payment account, it is not allowed to set up payment by others."},
	{"CreateResourceAccount", 409, rm.ErrEcoRelationCheckFailed, "Accounts associated with partners are not allowed to set up agency payment relationships."},
	{"CreateResourceAccount", 409, rm.ErrNotSupportSettingResellAccountType, "The current account does not support setting the resellAccountType for members."},
}

func TestSeedErrorCodesMatch(t *testing.T) {
	require.Len(t, seedErrors, 5+33)
	ctx := context.Background()
	for _, tt := range seedErrors {
		t.Run(tt.op+"/"+string(tt.code), func(t *testing.T) {
			c, mt := newClient(t)
			body := `{"RequestId":"REQ-2","HostId":"resourcemanager.aliyuncs.com","Code":"` + string(tt.code) +
				`","Message":"` + tt.message + `","Recommend":"https://api.aliyun.com/troubleshoot"}`
			mt.RegisterResponder("POST", endpoint, reply(tt.status, body))
			var err error
			if tt.op == "CreateResourceAccount" {
				_, err = c.CreateResourceAccount(ctx, &rm.CreateResourceAccountRequest{DisplayName: "Dev"})
			} else {
				_, err = c.ResendPromoteResourceAccountEmail(ctx, &rm.ResendPromoteResourceAccountEmailRequest{RecordId: "r-1"})
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.code)
			for _, other := range seedErrors {
				if other.code != tt.code {
					assert.NotErrorIs(t, err, other.code)
				}
			}
			var apiErr *alicloud.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, alicloud.APIError{
				Product: "ResourceManager", Operation: tt.op, HTTPStatus: tt.status, Code: string(tt.code),
				Message: tt.message, RequestID: "REQ-2", HostID: "resourcemanager.aliyuncs.com",
				Recommend: "https://api.aliyun.com/troubleshoot", Attempts: mt.GetTotalCallCount(),
			}, *apiErr)
			if tt.code == rm.ErrLimitExceededFrequency {
				assert.Equal(t, 3, mt.GetTotalCallCount(), "throttling is retried up to MaxAttempts")
			} else {
				assert.Equal(t, 1, mt.GetTotalCallCount())
			}
			assert.Contains(t, rm.ErrorCodes[tt.code], tt.op)
		})
	}
}

func TestSeedValidation(t *testing.T) {
	ctx := context.Background()
	name := func(n int) string { return strings.Repeat("a", n) }
	create := func(dn, prefix string) func(*rm.Client) error {
		return func(c *rm.Client) error {
			_, err := c.CreateResourceAccount(ctx, &rm.CreateResourceAccountRequest{DisplayName: dn, AccountNamePrefix: prefix})
			return err
		}
	}
	tests := []struct {
		name  string
		call  func(*rm.Client) error
		code  alicloud.ErrorCode
		field string
	}{
		{"resend requires record id", func(c *rm.Client) error {
			_, err := c.ResendPromoteResourceAccountEmail(ctx, &rm.ResendPromoteResourceAccountEmailRequest{})
			return err
		}, rm.ErrMissingParameterRecordId, "RecordId"},
		{"resend nil request", func(c *rm.Client) error {
			_, err := c.ResendPromoteResourceAccountEmail(ctx, nil)
			return err
		}, rm.ErrMissingParameterRecordId, "RecordId"},
		{"display name required", create("", ""), rm.ErrMissingParameterAccountDisplayName, "DisplayName"},
		{"display name 1 char", create("a", ""), rm.ErrInvalidParameterAccountDisplayNameLength, "DisplayName"},
		{"display name 2 chars", create("ab", ""), "", ""},
		{"display name 50 chars", create(name(50), ""), "", ""},
		{"display name 51 chars", create(name(51), ""), rm.ErrInvalidParameterAccountDisplayNameLength, "DisplayName"},
		{"display name 50 Chinese characters", create(strings.Repeat("研", 50), ""), "", ""},
		{"display name 51 Chinese characters", create(strings.Repeat("研", 51), ""), rm.ErrInvalidParameterAccountDisplayNameLength, "DisplayName"},
		{"display name allowed characters", create("Dev 研发_team.01-a", ""), "", ""},
		{"display name with @", create("dev@team", ""), rm.ErrInvalidParameterAccountDisplayName, "DisplayName"},
		{"display name with slash", create("dev/team", ""), rm.ErrInvalidParameterAccountDisplayName, "DisplayName"},
		{"display name with emoji", create("dev😀", ""), rm.ErrInvalidParameterAccountDisplayName, "DisplayName"},
		{"prefix 1 char", create("Dev", "a"), rm.ErrInvalidParameterAccountAccountNamePrefixLength, "AccountNamePrefix"},
		{"prefix 2 chars", create("Dev", "ab"), "", ""},
		{"prefix 50 chars", create("Dev", name(50)), "", ""},
		{"prefix 51 chars", create("Dev", name(51)), rm.ErrInvalidParameterAccountAccountNamePrefixLength, "AccountNamePrefix"},
		{"prefix with specials", create("Dev", "a_b.c-d"), "", ""},
		{"prefix starts with special", create("Dev", "_ab"), rm.ErrInvalidParameterAccountAccountNamePrefix, "AccountNamePrefix"},
		{"prefix ends with special", create("Dev", "ab-"), rm.ErrInvalidParameterAccountAccountNamePrefix, "AccountNamePrefix"},
		{"prefix two specials in a row", create("Dev", "a._b"), rm.ErrInvalidParameterAccountAccountNamePrefix, "AccountNamePrefix"},
		{"prefix with space", create("Dev", "a b"), rm.ErrInvalidParameterAccountAccountNamePrefix, "AccountNamePrefix"},
		{"prefix with Chinese", create("Dev", "a研b"), rm.ErrInvalidParameterAccountAccountNamePrefix, "AccountNamePrefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newClient(t)
			mt.RegisterResponder("POST", endpoint, reply(200, `{"RequestId":"ok"}`))
			err := tt.call(c)
			if tt.code == "" {
				require.NoError(t, err)
				assert.Equal(t, 1, mt.GetTotalCallCount())
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.code)
			var ve *alicloud.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Equal(t, 0, mt.GetTotalCallCount(), "invalid input never reaches the network")
		})
	}
}
