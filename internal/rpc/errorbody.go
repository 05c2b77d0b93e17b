package rpc

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/resourcekit/alicloud/internal/decode"
)

// AccessDenied is the service's explanation of a permission failure.
type AccessDenied struct {
	AuthAction               string
	AuthPrincipalType        string
	AuthPrincipalOwnerId     string
	AuthPrincipalDisplayName string
	NoPermissionType         string
	PolicyType               string
	EncodedDiagnosticMessage string
}

// parseServiceError decodes the service's error shape
// {"RequestId","HostId","Code","Message","Recommend","AccessDeniedDetail"}.
// Key case is ignored because products and gateways differ (RequestId,
// requestId, requestID).
func parseServiceError(resp *http.Response, body []byte) (*ServiceError, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrEmptyBody
	}
	se := &ServiceError{HTTPStatus: resp.StatusCode}
	d := decode.New(body)
	if d.BeginObject() {
		for {
			key, ok := d.NextKey()
			if !ok {
				break
			}
			switch strings.ToLower(string(key)) {
			case "code":
				se.Code = d.String()
			case "message":
				se.Message = d.String()
			case "requestid":
				se.RequestID = d.String()
			case "hostid":
				se.HostID = d.String()
			case "recommend":
				se.Recommend = d.String()
			case "accessdenieddetail":
				se.AccessDenied = decodeAccessDenied(d)
			default:
				d.Skip()
			}
		}
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	if se.Code == "" {
		return nil, ErrNoErrorCode
	}
	if se.RequestID == "" {
		se.RequestID = resp.Header.Get("x-acs-request-id")
	}
	return se, nil
}

func decodeAccessDenied(d *decode.Decoder) *AccessDenied {
	if d.Peek() == decode.String {
		// Some products send the detail as a JSON string.
		raw := d.String()
		if raw == "" {
			return nil
		}
		inner := decode.New([]byte(raw))
		ad := decodeAccessDenied(inner)
		if inner.Finish() != nil {
			return nil
		}
		return ad
	}
	if !d.BeginObject() {
		return nil
	}
	ad := &AccessDenied{}
	for {
		key, ok := d.NextKey()
		if !ok {
			return ad
		}
		switch strings.ToLower(string(key)) {
		case "authaction":
			ad.AuthAction = d.String()
		case "authprincipaltype":
			ad.AuthPrincipalType = d.String()
		case "authprincipalownerid":
			ad.AuthPrincipalOwnerId = d.String()
		case "authprincipaldisplayname":
			ad.AuthPrincipalDisplayName = d.String()
		case "nopermissiontype":
			ad.NoPermissionType = d.String()
		case "policytype":
			ad.PolicyType = d.String()
		case "encodeddiagnosticmessage":
			ad.EncodedDiagnosticMessage = d.String()
		default:
			d.Skip()
		}
	}
}
