package alicloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctURIServer answers the credentials URI protocol; reply overrides the
// successful document.
func ctURIServer(t *testing.T, clock *ctClock, reply func() (int, string)) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		if reply != nil {
			status, body := reply()
			ctJSON(w, status, body)
			return
		}
		exp := clock.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		ctJSON(w, 200, fmt.Sprintf(`{"Code":"Success","AccessKeyId":"STS.uri-%d","AccessKeySecret":"uri-secret-%s","SecurityToken":"uri-token-%s","Expiration":%q}`,
			n, ctMarker, ctMarker, exp))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestURICredentials(t *testing.T) {
	tests := []struct {
		name  string
		env   bool // URI from ALIBABA_CLOUD_CREDENTIALS_URI rather than the options
		query string
	}{
		{name: "from the options"},
		{name: "from the environment", env: true},
		{name: "with a query", query: "?role=app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctIsolate(t)
			clock := newCTClock()
			srv, calls := ctURIServer(t, clock, nil)
			opts := URICredentialsOptions{Refresh: CredentialsRefreshOptions{Now: clock.Now}}
			if tt.env {
				t.Setenv(EnvCredentialsURI, srv.URL+"/creds"+tt.query)
			} else {
				opts.URI = srv.URL + "/creds" + tt.query
			}
			p := NewURICredentials(opts)
			creds, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "STS.uri-1", creds.AccessKeyID)
			assert.Equal(t, "uri-token-"+ctMarker, creds.SecurityToken)
			assert.Equal(t, clock.Now().Add(time.Hour), creds.Expires)

			clock.Advance(54 * time.Minute)
			_, err = p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.EqualValues(t, 1, calls.Load())
			clock.Advance(2 * time.Minute)
			creds, err = p.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "STS.uri-2", creds.AccessKeyID)
			ctNoSecret(t, ctFormats(p)...)
		})
	}
}

func TestURICredentialsErrors(t *testing.T) {
	tests := []struct {
		name     string
		uri      func(srv string) string
		reply    func() (int, string)
		notFound bool
		contains string
	}{
		{name: "not configured", uri: func(string) string { return "" }, notFound: true, contains: EnvCredentialsURI + " is not set"},
		{name: "not a URL", uri: func(string) string { return "no-scheme-token=" + ctMarker }, contains: "invalid URI"},
		{name: "server error", reply: func() (int, string) { return 500, `{"Code":"InternalError","Message":"boom"}` }, contains: "HTTP 500 InternalError: boom"},
		{name: "failure code", reply: func() (int, string) {
			return 200, `{"Code":"Failed","AccessKeyId":"x","AccessKeySecret":"s-` + ctMarker + `"}`
		}, contains: `Code "Failed"`},
		{name: "malformed document", reply: func() (int, string) {
			return 200, `{"Code":"Success","AccessKeySecret":"s-` + ctMarker + `",`
		}, contains: "malformed JSON at line 1"},
		{name: "missing expiration", reply: func() (int, string) {
			return 200, `{"Code":"Success","AccessKeyId":"x","AccessKeySecret":"s-` + ctMarker + `","SecurityToken":"t-` + ctMarker + `"}`
		}, contains: "no Expiration"},
		{name: "missing token", reply: func() (int, string) {
			return 200, `{"Code":"Success","AccessKeyId":"x","AccessKeySecret":"s-` + ctMarker + `","Expiration":"2030-01-01T00:00:00Z"}`
		}, contains: "lacks AccessKeyId, AccessKeySecret or SecurityToken"},
		{name: "bad expiration", reply: func() (int, string) {
			return 200, `{"Code":"Success","AccessKeyId":"x","AccessKeySecret":"s-` + ctMarker + `","SecurityToken":"t-` + ctMarker + `","Expiration":"tomorrow"}`
		}, contains: `unrecognised expiration time "tomorrow"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctIsolate(t)
			clock := newCTClock()
			srv, _ := ctURIServer(t, clock, tt.reply)
			uri := srv.URL + "/creds?token=" + ctMarker
			if tt.uri != nil {
				uri = tt.uri(srv.URL)
			}
			p := NewURICredentials(URICredentialsOptions{URI: uri, Refresh: CredentialsRefreshOptions{Now: clock.Now}})
			_, err := p.Retrieve(context.Background())
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "credentials uri: "), err.Error())
			assert.Contains(t, err.Error(), tt.contains)
			assert.Equal(t, tt.notFound, errors.Is(err, ErrCredentialsNotFound))
			ctNoSecret(t, ctFmtAll(err))
			ctNoSecret(t, ctFormats(p)...)
		})
	}
}

func TestURICredentialsUnreachableHidesQuery(t *testing.T) {
	ctIsolate(t)
	p := NewURICredentials(URICredentialsOptions{URI: ctClosedURL(t) + "/creds?token=" + ctMarker})
	_, err := p.Retrieve(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no reply")
	ctNoSecret(t, ctFmtAll(err))
}

func TestCredentialEndpointsNeverFollowRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		_, _ = w.Write([]byte(`{"Code":"Success","AccessKeyId":"LTAIother","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z"}`))
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	for _, status := range []int{301, 302, 303, 307, 308} {
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, otherURL+"/steal?token=x", status)
		}))
		for name, client := range map[string]*http.Client{"own client": nil, "caller's client": {}} {
			ctIsolate(t)
			p := NewURICredentials(URICredentialsOptions{URI: redirector.URL + "/creds", HTTPClient: client})
			_, err := p.Retrieve(context.Background())
			require.Error(t, err, "%d %s", status, name)
			assert.Contains(t, err.Error(), "redirect", "%d %s", status, name)
			assert.NotContains(t, err.Error(), "token=x", "the Location's query is never repeated")
		}
		redirector.Close()
	}
	assert.Zero(t, elsewhere.Load(), "nothing reaches the other host")
}

func TestExpiredOnArrivalSignsNothingAndIsNotRefetchedEveryCall(t *testing.T) {
	ctIsolate(t)
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		_, _ = w.Write([]byte(`{"Code":"Success","AccessKeyId":"LTAIold","AccessKeySecret":"s-` + ctMarker +
			`","SecurityToken":"t-` + ctMarker + `","Expiration":"2001-09-09T01:46:40Z"}`))
	}))
	defer srv.Close()
	p := NewURICredentials(URICredentialsOptions{URI: srv.URL})
	for i := 0; i < 50; i++ {
		creds, err := p.Retrieve(context.Background())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "expired at 2001-09-09T01:46:40Z")
		assert.NotContains(t, err.Error(), ctMarker)
		assert.Empty(t, creds.AccessKeyID, "nothing to sign with")
	}
	assert.LessOrEqual(t, fetches.Load(), int32(2), "a stale document is not fetched on every call")
}
