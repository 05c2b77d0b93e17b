package rpc

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/resourcekit/alicloud/internal/decode"
)

// parseServiceError decodes the service's error shape
// {"RequestId","HostId","Code","Message","Recommend"}. Key case is ignored
// because some gateways answer in camelCase.
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
