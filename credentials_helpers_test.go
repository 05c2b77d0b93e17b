package alicloud

// Test doubles shared by the credentials tests: a manual clock, a fake STS
// that verifies V1 signatures, a fake ECS metadata service, and an
// environment reset. Every server is an httptest server on loopback; every
// test that could reach a default endpoint first calls ctIsolate, which
// disables the ECS metadata provider and points STS at a closed loopback port.

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/signer"
)

// ctMarker is part of every secret the tests use, so that a leak is a
// substring search away.
const ctMarker = "SEKRIT"

// ctClock is a manual clock.
type ctClock struct {
	mu  sync.Mutex
	now time.Time
}

func newCTClock() *ctClock {
	return &ctClock{now: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
}

func (c *ctClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *ctClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// ctClosedURL is a loopback address where nothing listens.
func ctClosedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	return u
}

// ctEnvVars are every variable the providers and LoadDefaultConfig read.
var ctEnvVars = []string{
	EnvAccessKeyID, EnvAccessKeySecret, EnvSecurityToken,
	EnvRegionID, EnvRegionIDAlt, EnvRegionIDLegacy, EnvProfile,
	EnvRoleARN, EnvOIDCProviderARN, EnvOIDCTokenFile, EnvRoleSessionName,
	EnvSTSEndpoint, EnvSTSRegion, EnvVPCEndpointEnabled,
	EnvConfigFile, EnvCLIProfileDisabled, EnvCredentialsFile,
	EnvECSMetadata, EnvECSMetadataDisabled, EnvIMDSv1Disabled, EnvCredentialsURI,
}

// ctIsolate clears the environment the providers read, gives the test an
// empty home directory, disables the ECS metadata provider and sends any
// stray STS call to a closed loopback port. It returns the home directory.
func ctIsolate(t *testing.T) string {
	t.Helper()
	for _, k := range ctEnvVars {
		t.Setenv(k, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv(EnvECSMetadataDisabled, "true")
	t.Setenv(EnvSTSEndpoint, ctClosedURL(t))
	return home
}

// ctWrite writes a file under dir and returns its path.
func ctWrite(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o700))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

// ctNoRetry keeps failing STS calls from retrying in tests.
var ctNoRetry = RetryOptions{MaxAttempts: 1}

// ctSTS is a fake STS. AssumeRole must be signed (V1) with a known access
// key; AssumeRoleWithOIDC must be unsigned. Issued credentials expire
// DurationSeconds after the fake clock's now.
type ctSTS struct {
	*httptest.Server
	t     *testing.T
	clock *ctClock

	mu      sync.Mutex
	keys    map[string]string // access key ID -> secret
	reqs    []url.Values
	fail    func(q url.Values) (status int, body string) // optional
	delay   time.Duration
	calls   atomic.Int32
	issued  atomic.Int32
	sigErrs atomic.Int32
}

func newCTSTS(t *testing.T, clock *ctClock) *ctSTS {
	s := &ctSTS{t: t, clock: clock, keys: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// allow registers an access key that may sign AssumeRole.
func (s *ctSTS) allow(id, secret string) {
	s.mu.Lock()
	s.keys[id] = secret
	s.mu.Unlock()
}

// setFail installs a reply override (nil removes it).
func (s *ctSTS) setFail(f func(q url.Values) (int, string)) {
	s.mu.Lock()
	s.fail = f
	s.mu.Unlock()
}

func (s *ctSTS) requests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.reqs...)
}

func (s *ctSTS) last() url.Values {
	r := s.requests()
	require.NotEmpty(s.t, r, "no STS request")
	return r[len(r)-1]
}

func (s *ctSTS) serve(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		ctJSON(w, 404, `{"Code":"InvalidApi.NotFound","Message":"bad path","RequestId":"r-404"}`)
		return
	}
	// Like the service, read the parameters from the query and the form
	// body alike; the SDK sends STS parameters in the body.
	if err := r.ParseForm(); err != nil {
		ctJSON(w, 400, `{"Code":"InvalidParameter","Message":"bad form","RequestId":"r-form"}`)
		return
	}
	if r.URL.RawQuery != "" {
		ctJSON(w, 400, `{"Code":"UnexpectedQuery","Message":"STS parameters belong in the body","RequestId":"r-q"}`)
		return
	}
	q := r.Form
	s.mu.Lock()
	s.reqs = append(s.reqs, q)
	fail, delay := s.fail, s.delay
	s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if q.Get("Version") != "2015-04-01" || q.Get("Format") != "JSON" {
		ctJSON(w, 400, `{"Code":"InvalidVersion","Message":"bad version","RequestId":"r-v"}`)
		return
	}
	switch q.Get("Action") {
	case "AssumeRole":
		if code := s.verify(q); code != "" {
			s.sigErrs.Add(1)
			ctJSON(w, 400, fmt.Sprintf(`{"Code":%q,"Message":"signature check failed","RequestId":"r-sig"}`, code))
			return
		}
	case "AssumeRoleWithOIDC":
		if q.Has("Signature") || q.Has("AccessKeyId") || q.Has("SignatureMethod") {
			ctJSON(w, 400, `{"Code":"UnexpectedSignature","Message":"AssumeRoleWithOIDC is anonymous","RequestId":"r-anon"}`)
			return
		}
		if q.Get("OIDCToken") == "" {
			ctJSON(w, 400, `{"Code":"MissingOIDCToken","Message":"OIDCToken is mandatory","RequestId":"r-tok"}`)
			return
		}
	default:
		ctJSON(w, 400, `{"Code":"InvalidAction","Message":"unknown action","RequestId":"r-a"}`)
		return
	}
	if fail != nil {
		if status, body := fail(q); status != 0 {
			ctJSON(w, status, body)
			return
		}
	}
	dur, _ := strconv.Atoi(q.Get("DurationSeconds"))
	if dur == 0 {
		dur = 3600
	}
	n := s.issued.Add(1)
	exp := s.clock.Now().Add(time.Duration(dur) * time.Second).UTC().Format("2006-01-02T15:04:05Z")
	// Issued keys may sign later calls (role chaining).
	s.allow(fmt.Sprintf("STS.id-%d", n), fmt.Sprintf("sts-secret-%s-%d", ctMarker, n))
	body, _ := json.Marshal(map[string]any{
		"RequestId": fmt.Sprintf("req-%d", n),
		"AssumedRoleUser": map[string]string{
			"Arn": q.Get("RoleArn") + "/" + q.Get("RoleSessionName"), "AssumedRoleId": "3345:" + q.Get("RoleSessionName"),
		},
		"Credentials": map[string]string{
			"AccessKeyId":     fmt.Sprintf("STS.id-%d", n),
			"AccessKeySecret": fmt.Sprintf("sts-secret-%s-%d", ctMarker, n),
			"SecurityToken":   fmt.Sprintf("sts-token-%s-%d", ctMarker, n),
			"Expiration":      exp,
		},
	})
	ctJSON(w, 200, string(body))
}

// verify checks a V1 signature; it returns an error code or "".
func (s *ctSTS) verify(q url.Values) string {
	id := q.Get("AccessKeyId")
	s.mu.Lock()
	secret, ok := s.keys[id]
	s.mu.Unlock()
	if !ok {
		return "InvalidAccessKeyId.NotFound"
	}
	if q.Get("SignatureMethod") != "HMAC-SHA1" || q.Get("SignatureVersion") != "1.0" || q.Get("SignatureNonce") == "" || q.Get("Timestamp") == "" {
		return "IncompleteSignature"
	}
	params := url.Values{}
	for k, v := range q {
		if k != "Signature" {
			params[k] = v
		}
	}
	want := signer.SignatureV1(http.MethodPost, signer.CanonicalQuery(params), secret)
	if q.Get("Signature") != want {
		return "SignatureDoesNotMatch"
	}
	return ""
}

func ctJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// ctMetadata is a fake ECS instance metadata service.
type ctMetadata struct {
	*httptest.Server
	clock *ctClock

	mu           sync.Mutex
	role         string // attached role; "" lists none
	token        string // IMDSv2 token handed out
	tokenStatus  int    // status of PUT /latest/api/token; 0 means 200
	requireToken bool   // reads without the token get 401
	code         string // Code of the credentials document; "" means Success
	delay        time.Duration

	tokenCalls, listCalls, credCalls atomic.Int32
	withToken, withoutToken          atomic.Int32
	ttlHeader                        atomic.Value // string
	issued                           atomic.Int32
}

func newCTMetadata(t *testing.T, clock *ctClock, role string) *ctMetadata {
	m := &ctMetadata{clock: clock, role: role, token: "imds-token-" + ctMarker}
	m.Server = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.Close)
	return m
}

func (m *ctMetadata) set(f func(m *ctMetadata)) {
	m.mu.Lock()
	f(m)
	m.mu.Unlock()
}

func (m *ctMetadata) serve(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	role, token, tokenStatus, requireToken, code, delay := m.role, m.token, m.tokenStatus, m.requireToken, m.code, m.delay
	m.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	const base = "/latest/meta-data/ram/security-credentials/"
	if r.URL.Path == "/latest/api/token" {
		m.tokenCalls.Add(1)
		if r.Method != http.MethodPut {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		m.ttlHeader.Store(r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds"))
		if tokenStatus != 0 && tokenStatus != 200 {
			w.WriteHeader(tokenStatus)
			return
		}
		_, _ = w.Write([]byte(token))
		return
	}
	if !strings.HasPrefix(r.URL.Path, base) || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	if got := r.Header.Get("X-aliyun-ecs-metadata-token"); got != "" {
		if got != token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		m.withToken.Add(1)
	} else {
		m.withoutToken.Add(1)
		if requireToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
	}
	name := strings.TrimPrefix(r.URL.Path, base)
	if name == "" {
		m.listCalls.Add(1)
		if role == "" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(role + "\n"))
		return
	}
	m.credCalls.Add(1)
	if name != role {
		http.NotFound(w, r)
		return
	}
	if code == "" {
		code = "Success"
	}
	n := m.issued.Add(1)
	exp := m.clock.Now().Add(6 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	ctJSON(w, 200, fmt.Sprintf(`{"AccessKeyId":"STS.ecs-%d","AccessKeySecret":"ecs-secret-%s-%d","Expiration":%q,"SecurityToken":"ecs-token-%s-%d","LastUpdated":"2025-03-01T08:00:00Z","Code":%q}`,
		n, ctMarker, n, exp, ctMarker, n, code))
}

// ctNoSecret fails when any of the strings carries a test secret.
func ctNoSecret(t *testing.T, outputs ...string) {
	t.Helper()
	for _, s := range outputs {
		require.NotContains(t, s, ctMarker, "secret leaked in %q", s)
	}
}

// ctFormats renders v with every verb a caller might log it with.
func ctFormats(v any) []string {
	return []string{fmt.Sprint(v), fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), fmt.Sprintf("%q", v)}
}
