// Package sdktest holds the helpers the product packages' tests share: a
// Config wired to an httpmock transport, a signature-checking reader of the
// parameters a request carried, and canned replies.
package sdktest

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/signer"
)

// Secret is the access key secret of Config's credentials.
const Secret = "test-secret-value"

// Config returns a configuration whose requests go to a fresh httpmock
// transport, with retries a millisecond apart.
func Config() (alicloud.Config, *httpmock.MockTransport) {
	mt := httpmock.NewMockTransport()
	return alicloud.Config{
		Region:      "cn-hangzhou",
		Credentials: alicloud.NewStaticCredentials("test-id", Secret, ""),
		HTTPClient:  &http.Client{Transport: mt},
		Retry:       alicloud.RetryOptions{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
	}, mt
}

// Params checks the V1 signature of a request made with Config's
// credentials and returns its parameters without the common ones, leaving
// what the operation itself sent (and Action, and RegionId where the
// product sends it).
func Params(t *testing.T, r *http.Request) url.Values {
	t.Helper()
	q := r.URL.Query()
	sig := q.Get("Signature")
	q.Del("Signature")
	require.Equal(t, signer.SignatureV1(r.Method, signer.CanonicalQuery(q), Secret), sig)
	for _, common := range []string{"AccessKeyId", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Format", "Version"} {
		q.Del(common)
	}
	return q
}

// Reply answers with a JSON body and status.
func Reply(status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json;charset=utf-8")
		return resp, nil
	}
}

// Time parses an RFC 3339 timestamp, failing the program on a typo.
func Time(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// AssertAllSet fails for every field of v left at its zero value: after
// decoding a reply with every field set, nothing may be missing. Lists
// must hold exactly one element, itself fully set.
func AssertAllSet(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		if tm, ok := v.Interface().(time.Time); ok {
			assert.False(t, tm.IsZero(), path)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			AssertAllSet(t, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice:
		if assert.Equal(t, 1, v.Len(), path) {
			AssertAllSet(t, v.Index(0), path+"[0]")
		}
	default:
		assert.False(t, v.IsZero(), path)
	}
}
