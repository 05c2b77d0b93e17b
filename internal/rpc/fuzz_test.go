package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// fzErrorRef is encoding/json's reading of an error reply with exact keys.
type fzErrorRef struct {
	Code, Message, RequestId, HostId, Recommend string
	AccessDeniedDetail                          struct {
		AuthAction, NoPermissionType, EncodedDiagnosticMessage string
	}
}

// FuzzErrorReply drives parseServiceError, and the whole error-reply path
// of Invoke, with arbitrary bodies and statuses:
//   - neither panics;
//   - a parsed error has a Code, the reply's status, and a RequestID (from
//     the body or else the x-acs-request-id header);
//   - Invoke ends in exactly a *ServiceError or a *BadResponseError whose
//     excerpt is short valid UTF-8, or succeeds only on a 2xx;
//   - an error reply built by json.Marshal from random strings gives them
//     all back, whether AccessDeniedDetail is an object or a JSON string.
func FuzzErrorReply(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{400, `{"Code":"Throttling","Message":"Request was denied due to request throttling.","RequestId":"R1","HostId":"resourcesharing.aliyuncs.com","Recommend":"https://api.aliyun.com/troubleshoot?q=Throttling"}`},
		{403, `{"Code":"Forbidden.RAM","Message":"denied","RequestId":"R","AccessDeniedDetail":{"AuthAction":"resourcesharing:ListResourceShares","NoPermissionType":"ImplicitDeny"}}`},
		{403, `{"code":"Forbidden.RAM","message":"denied","requestId":"R","accessDeniedDetail":"{\"AuthAction\":\"a\",\"PolicyType\":\"p\"}"}`},
		{403, `{"Code":"X","AccessDeniedDetail":"not json"}`},
		{403, `{"Code":"X","AccessDeniedDetail":"{\"AuthAction\":"}`},
		{403, `{"Code":"X","AccessDeniedDetail":"\"\\\"nested string\\\"\""}`},
		{500, `{"Message":"no code"}`},
		{500, `{"Code":""}`},
		{502, `<html><body>Bad Gateway</body></html>`},
		{503, ``},
		{503, `   `},
		{404, `null`},
		{400, `{"Code":123,"Message":true,"RequestId":null}`},
		{400, `{"Code":{"nested":1}}`},
		{400, `{"Code":"A","Code":"B"}`},
		{400, `{"Code":"A"} {"Code":"B"}`},
		{400, "{\"Code\":\"\xff\xfe\",\"Message\":\"\xed\xa0\x80\"}"},
		{400, `{"Code":"X","Extra":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}`},
		{400, `{"Code":"X","AccessDeniedDetail":` + strings.Repeat(`{"a":`, 600) + `1` + strings.Repeat(`}`, 600) + `}`},
		{200, `{"RequestId":"ok"}`},
		{204, ``},
		{599, `{"Code":"X"`},
		{400, strings.Repeat("\xdb0", 200)}, // the excerpt grows as invalid bytes become U+FFFD
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body), "Throttling.User", "Please try again later.", "req-\u00e9", "rs:List", false)
	}
	f.Add(429, []byte(`[`), "\xff", "\x00\n\"", "", "\U0001F600", true)
	f.Fuzz(func(t *testing.T, status int, body []byte, code, message, requestID, action string, detailAsString bool) {
		status = 200 + (status%400+400)%400 // 200..599
		resp := &http.Response{StatusCode: status, Header: http.Header{"X-Acs-Request-Id": {"hdr-id"}}}

		// Arbitrary bodies.
		se, err := parseServiceError(resp, body)
		if err == nil {
			require.NotNil(t, se)
			require.NotEmpty(t, se.Code)
			require.Equal(t, status, se.HTTPStatus)
			require.NotEmpty(t, se.RequestID)
			_ = se.Error()
		} else {
			require.Nil(t, se)
		}
		ex := excerpt(body)
		require.True(t, utf8.ValidString(ex), "excerpt %q", ex)
		// At most excerptLen bytes of the body; each invalid byte may
		// become a 3-byte U+FFFD.
		require.LessOrEqual(t, utf8.RuneCountInString(ex), excerptLen)
		require.LessOrEqual(t, len(ex), 3*excerptLen)

		// The same body through the pipeline.
		c, mt := semClient(Settings{MaxAttempts: 1})
		mt.RegisterResponder("POST", semEndpoint, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewBytesResponse(status, body)
			r.Header.Set("X-Acs-Request-Id", "hdr-id")
			return r, nil
		})
		ierr := c.Invoke(context.Background(), semRead, &semRequest{}, &semResponse{})
		var ise *ServiceError
		var ibe *BadResponseError
		switch {
		case ierr == nil:
			require.True(t, status < 300, "success on HTTP %d", status)
		case status >= 300 && status < 400:
			// Any 3xx is a redirect, refused whatever its body says.
			require.ErrorIs(t, ierr, ErrRedirected)
			require.ErrorAs(t, ierr, &ibe)
		case errors.As(ierr, &ise):
			require.GreaterOrEqual(t, status, 300)
			require.Equal(t, status, ise.HTTPStatus)
			require.NotEmpty(t, ise.Code)
		case errors.As(ierr, &ibe):
			require.Equal(t, status, ibe.HTTPStatus)
			require.True(t, utf8.ValidString(ibe.Excerpt))
			require.Error(t, ibe.Err)
			_ = ibe.Error()
		default:
			t.Fatalf("unexpected error type %T: %v", ierr, ierr)
		}
		if status >= 400 && err == nil {
			require.Equal(t, se.Code, ise.Code)
		}

		// A well-formed reply of random strings.
		detail := map[string]any{"AuthAction": action, "NoPermissionType": message, "EncodedDiagnosticMessage": code}
		var detailValue any = detail
		if detailAsString {
			inner, err := json.Marshal(detail)
			require.NoError(t, err)
			detailValue = string(inner)
		}
		doc, err := json.Marshal(map[string]any{
			"Code": code, "Message": message, "RequestId": requestID, "HostId": action, "Recommend": message + code,
			"AccessDeniedDetail": detailValue, "Unknown": []any{code, nil},
		})
		require.NoError(t, err)
		var ref fzErrorRef
		if detailAsString {
			var outer struct {
				Code, Message, RequestId, HostId, Recommend string
				AccessDeniedDetail                          string
			}
			require.NoError(t, json.Unmarshal(doc, &outer))
			ref.Code, ref.Message, ref.RequestId, ref.HostId, ref.Recommend = outer.Code, outer.Message, outer.RequestId, outer.HostId, outer.Recommend
			require.NoError(t, json.Unmarshal([]byte(outer.AccessDeniedDetail), &ref.AccessDeniedDetail))
		} else {
			require.NoError(t, json.Unmarshal(doc, &ref))
		}
		got, err := parseServiceError(resp, doc)
		if ref.Code == "" {
			require.ErrorIs(t, err, ErrNoErrorCode)
			return
		}
		require.NoError(t, err, "%s", doc)
		want := ref.RequestId
		if want == "" {
			want = "hdr-id"
		}
		require.Equal(t, ServiceError{HTTPStatus: status, Code: ref.Code, Message: ref.Message, RequestID: want,
			HostID: ref.HostId, Recommend: ref.Recommend, AccessDenied: &AccessDenied{
				AuthAction: ref.AccessDeniedDetail.AuthAction, NoPermissionType: ref.AccessDeniedDetail.NoPermissionType,
				EncodedDiagnosticMessage: ref.AccessDeniedDetail.EncodedDiagnosticMessage,
			}}, *got, fmt.Sprintf("%s", doc))
	})
}
