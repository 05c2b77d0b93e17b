package emulator

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/signer"
)

func newTestService(t *testing.T, cfg Config) *Service {
	t.Helper()
	s, err := NewService(cfg)
	require.NoError(t, err)
	return s
}

// signedRequest builds a signed request as the management account.
func signedRequest(t *testing.T, s *Service, version, action string, extra url.Values) *http.Request {
	t.Helper()
	id, secret := s.Credentials("")
	p := url.Values{}
	for k, v := range extra {
		p[k] = v
	}
	p.Set("Action", action)
	p.Set("Version", version)
	if p.Get("Format") == "" {
		p.Set("Format", "JSON")
	}
	p.Set("AccessKeyId", id)
	p.Set("SignatureMethod", signer.V1Method)
	p.Set("SignatureVersion", signer.V1Version)
	p.Set("SignatureNonce", signer.Nonce())
	p.Set("Timestamp", signer.Timestamp(time.Now()))
	q := signer.SignV1(http.MethodPost, p, secret)
	return httptest.NewRequest(http.MethodPost, "/?"+q, nil)
}

func decodeBody(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m), rec.Body.String())
	return m
}

// TestErrorCodesDocumented reads this package's source and checks that
// every errCode constant is a code of the error model, so no reply can
// carry an invented code.
func TestErrorCodesDocumented(t *testing.T) {
	s := newTestService(t, Config{})
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(node ast.Node) bool {
			vs, ok := node.(*ast.ValueSpec)
			if !ok || vs.Type == nil {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "errCode" {
				return true
			}
			for i, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				require.True(t, ok, "errCode %s is not a literal", vs.Names[i])
				code, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				assert.True(t, s.cat.documented(code), "%s = %q is not documented", vs.Names[i].Name, code)
				n++
			}
			return true
		})
	}
	assert.Greater(t, n, 50)
	for _, code := range []string{codeInternalError, codeInvalidAPINotFound, codeAccessKeyNotFound, codeTimestampFormat,
		codeTimestampExpired, codeNonceUsed, codeSignatureMismatch, codeSignatureMethod, codeIncompleteSignature,
		codeParameterFormat, codeUnsupportedHTTPMethod, codeLimitExceededFrequency, codeForbiddenRAM,
		codeMissingParameter} {
		assert.True(t, s.cat.documented(code), code)
	}
}

func TestParamCode(t *testing.T) {
	s := newTestService(t, Config{})
	rm := func(op string) opCodes { return s.cat.forOp("resourcemanager", op) }
	rs := func(op string) opCodes { return s.cat.forOp("resourcesharing", op) }
	for _, tc := range []struct {
		codes        opCodes
		kind, name   string
		suffix, want string
	}{
		{rm("CreateResourceAccount"), "MissingParameter", "DisplayName", "", "MissingParameter.Account.DisplayName"},
		{rm("CreateResourceAccount"), "InvalidParameter", "DisplayName", ".Length", "InvalidParameter.Account.DisplayName.Length"},
		{rm("CreateResourceAccount"), "InvalidParameter", "AccountNamePrefix", ".Length", "InvalidParameter.Account.AccountNamePrefix.Length"},
		{rm("CreateFolder"), "MissingParameter", "FolderName", "", "MissingParameter.Folder.Name"},
		{rm("CreateFolder"), "InvalidParameter", "FolderName", ".Length", "InvalidParameter.Folder.Name.Length"},
		{rm("CreateResourceGroup"), "InvalidParameter", "Name", ".Length", "InvalidParameter.Name.Length"},
		{rm("CreateResourceGroup"), "InvalidParameter", "DisplayName", ".Length", "InvalidParameter.DisplayName.Length"},
		{rm("ResendPromoteResourceAccountEmail"), "MissingParameter", "RecordId", "", "MissingParameter.RecordId"},
		{rs("AssociateResourceShare"), "InvalidParameter", "Targets", ".Length", "InvalidParameter.Targets.Length"},
		{rs("AssociateResourceShare"), "InvalidParameter", "Resources", ".Duplicate", "InvalidParameter.Resources.Duplicate"},
		{rs("ListResourceShareInvitations"), "InvalidParameter", "MaxResults", "", "InvalidParameter.MaxResults"},
	} {
		got, ok := tc.codes.paramCode(tc.kind, tc.name, tc.suffix)
		assert.True(t, ok, "%s %s%s", tc.kind, tc.name, tc.suffix)
		assert.Equal(t, tc.want, got)
	}
	_, ok := rm("CreateResourceGroup").paramCode("InvalidParameter", "Name", "")
	assert.False(t, ok, "InvalidParameter.DisplayName must not match Name")
}

func TestResolvePatterns(t *testing.T) {
	s := newTestService(t, Config{})
	r := s.cat.resolve("resourcemanager", "ListAccounts", &apiError{code: "InvalidPageSize", param: "PageSize"})
	assert.Equal(t, reply{status: 400, code: "InvalidPageSize", message: "Specified parameter PageSize is not valid."}, r)
	r = s.cat.resolve("resourcemanager", "X", &apiError{code: codeMissingParameter, param: "Foo"})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, r.message, `"Foo"`)
	r = s.cat.resolve("resourcemanager", "X", errCode("No.Such.Code"))
	assert.Equal(t, codeInternalError, r.code)
	assert.Equal(t, 500, r.status)
	r = s.cat.resolve("resourcesharing", "AcceptResourceShareInvitation", errCode("EntityNotExists.ResourceShareInvitation"))
	assert.Equal(t, 409, r.status)
	assert.Equal(t, "The resource share invitation does not exist in the current account.", r.message)
}

func TestParamsElems(t *testing.T) {
	p := params(url.Values{
		"Targets.3":                     {"c"},
		"Targets.1":                     {"a"},
		"Targets.x":                     {"junk"},
		"Targets.0":                     {"zero"},
		"Targets.+2":                    {"plus"},
		"Targets.99999999999999999":     {"far"},
		"Targets.999999999999999999999": {"overflow"},
		"TargetsX.1":                    {"other"},
		"Resources.2.ResourceId":        {"vsw-2"},
		"Resources.2.ResourceType":      {"VSwitch"},
		"Resources.1.ResourceId":        {"vsw-1"},
	})
	assert.Equal(t, []string{"a", "c", "far"}, p.list("Targets"))
	assert.Equal(t, []map[string]string{{"ResourceId": "vsw-1"}, {"ResourceId": "vsw-2", "ResourceType": "VSwitch"}},
		p.structs("Resources"))
	assert.Empty(t, p.list("Nothing"))
}

func TestPageByNumberBounds(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		pn, ps string
		want   []int
	}{
		{"1", "2", []int{1, 2}},
		{"3", "2", []int{5}},
		{"4", "2", []int{}},
		{"9223372036854775807", "100", []int{}},
		{"", "", []int{1, 2, 3, 4, 5}},
	} {
		c := &call{p: params(url.Values{"PageNumber": {tc.pn}, "PageSize": {tc.ps}})}
		got, info := pageByNumber(c, items)
		assert.Equal(t, tc.want, got, "page %s size %s", tc.pn, tc.ps)
		assert.Equal(t, 5, info.TotalCount)
	}
}

// TestHandlerPanicIsInternalError checks that a defect in a handler becomes
// an InternalError reply and leaves the service usable.
func TestHandlerPanicIsInternalError(t *testing.T) {
	s := newTestService(t, Config{})
	s.products["2020-03-31"].routes["GetResourceDirectory"] = route{handle: func(*call) (any, error) {
		var m map[string]int
		m["boom"]++ // assignment to a nil map panics
		return nil, nil
	}}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "GetResourceDirectory", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	body := decodeBody(t, rec)
	assert.Equal(t, "InternalError", body["Code"])
	assert.Equal(t, rec.Header().Get("x-acs-request-id"), body["RequestId"])

	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "GetFolder", url.Values{"FolderId": {s.RootFolderID()}}))
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

func TestNonJSONObjectReplyIsInternalError(t *testing.T) {
	s := newTestService(t, Config{})
	s.products["2020-03-31"].routes["GetResourceDirectory"] = route{handle: func(*call) (any, error) {
		return []int{1}, nil
	}}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "GetResourceDirectory", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
}

func TestSuccessBody(t *testing.T) {
	b, err := successBody("ID", nil)
	require.NoError(t, err)
	assert.JSONEq(t, `{"RequestId":"ID"}`, string(b))
	b, err = successBody("ID", struct{}{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"RequestId":"ID"}`, string(b))
	b, err = successBody("ID", struct{ A string }{"<&>"})
	require.NoError(t, err)
	assert.Equal(t, `{"RequestId":"ID","A":"<&>"}`, string(b))
}

func TestSettleOrdering(t *testing.T) {
	st := newState(Config{}.withDefaults(), time.Now())
	now := time.Now()
	var got []string
	st.later(now, 0, func(time.Time) { got = append(got, "a") })
	st.settle(now)
	assert.Empty(t, got, "a change never completes within the request that made it")
	st.reqSeq++
	st.later(now, time.Hour, func(time.Time) { got = append(got, "b") })
	st.settle(now)
	assert.Equal(t, []string{"a"}, got)
	st.reqSeq++
	st.settle(now.Add(time.Hour))
	assert.Equal(t, []string{"a", "b"}, got)
}

func TestNamesRules(t *testing.T) {
	assert.True(t, validDisplayName("Dev 开发_1.0-x"))
	assert.False(t, validDisplayName("bad/name"))
	assert.True(t, validAccountNamePrefix("alice.b-c_d"))
	for _, bad := range []string{"-alice", "alice-", "al..ice", "al_-ice", "ali ce", ""} {
		assert.False(t, validAccountNamePrefix(bad), bad)
	}
	assert.True(t, validFolderID("r-abC123"))
	assert.True(t, validFolderID("fd-abcdeABCDE"))
	assert.False(t, validFolderID("fd-abc"))
	assert.True(t, validEmail("someone@example.com"))
	assert.False(t, validEmail("someone@example"))
	assert.True(t, validAccountID("1000000000000001"))
	assert.False(t, validAccountID("0123"))
}

// TestJunkNeverBreaksTheService sends every implemented action junk in each
// of its documented parameters, one at a time and all at once, and checks
// that every reply is a documented client error or a success: never an
// InternalError, never a panic.
func TestJunkNeverBreaksTheService(t *testing.T) {
	s := newTestService(t, Config{})
	// Some state, so that handlers get past their lookups.
	seed := func(version, action string, p url.Values) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, signedRequest(t, s, version, action, p))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	seed("2020-03-31", "CreateFolder", url.Values{"FolderName": {"f"}})
	seed("2020-03-31", "CreateResourceAccount", url.Values{"DisplayName": {"member"}})
	seed("2020-01-10", "CreateResourceShare", url.Values{"ResourceShareName": {"s"}, "AllowExternalTargets": {"true"},
		"Resources.1.ResourceId": {"vsw-1"}, "Resources.1.ResourceType": {"VSwitch"}, "Targets.1": {"2000000000000002"}})
	seed("2020-03-31", "InviteAccountToResourceDirectory", url.Values{"TargetEntity": {"2100000000000021"}, "TargetType": {"Account"}})
	var ids []string
	s.mu.Lock()
	for id := range s.st.folders {
		ids = append(ids, id)
	}
	for id, a := range s.st.accounts {
		ids = append(ids, id, a.RecordID)
	}
	for id := range s.st.shares {
		ids = append(ids, id)
	}
	for id := range s.st.invitations {
		ids = append(ids, id)
	}
	for id := range s.st.handshakes {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	junk := append(ids, []string{"", " ", "-1", "0", "9223372036854775808", "1e309", "NaN", "true", "rs-", "i-",
		"fd-0000000000", "r-000000", "rd-x", "h-x", "rg-x", "1000000000000001", "\x00\xff", strings.Repeat("界", 300),
		"acs:vpc:cn-hangzhou:1:vswitch/v", "[", `["a"]`, "VSwitch", "Self", "OtherAccounts"}...)
	send := func(version, action string, p url.Values) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, signedRequest(t, s, version, action, p))
		if rec.Code >= 500 {
			t.Errorf("%s %v: HTTP %d %s", action, p, rec.Code, rec.Body.String())
		}
	}
	for version, prod := range s.products {
		for action := range prod.routes {
			op := prod.ops[action]
			all := url.Values{}
			for i, prm := range op.Request {
				for k, j := range junk {
					if (k+i)%3 != 0 {
						continue // a third of the values per parameter, a different third each time
					}
					p := url.Values{}
					switch prm.Type {
					case "array":
						p.Set(prm.Name+".1", j)
						p.Set(prm.Name+".1.ResourceId", j)
						p.Set(prm.Name+".1.ResourceType", j)
						p.Set(prm.Name+".1.Key", j)
						p.Set(prm.Name, j)
					default:
						p.Set(prm.Name, j)
					}
					send(version, action, p)
				}
				all.Set(prm.Name, junk[i%len(junk)])
				all.Set(prm.Name+".1", junk[(i+1)%len(junk)])
			}
			send(version, action, all)
		}
	}
}

func TestResetRebuildsTheSameStart(t *testing.T) {
	s := newTestService(t, Config{})
	keyID, secret := s.Credentials("")
	rd, root := s.ResourceDirectoryID(), s.RootFolderID()
	s.Credentials("1342540311780001")
	s.Advance(time.Hour)
	s.ThrottleNext(3)
	require.Len(t, s.AccountKeys(), 2)

	s.Reset()
	gotID, gotSecret := s.Credentials("")
	assert.Equal(t, keyID, gotID)
	assert.Equal(t, secret, gotSecret)
	assert.Equal(t, rd, s.ResourceDirectoryID())
	assert.Equal(t, root, s.RootFolderID())
	assert.WithinDuration(t, time.Now(), s.Now(), time.Minute, "the clock is back")
	keys := s.AccountKeys()
	require.Len(t, keys, 1)
	assert.Equal(t, "management", keys[0].Kind)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "ListAccounts", nil))
	assert.Equal(t, http.StatusOK, rec.Code, "no throttle left: %s", rec.Body.String())
}

func TestEveryOperationIsRouted(t *testing.T) {
	s := newTestService(t, Config{})
	for _, p := range s.products {
		for name := range p.ops {
			_, ok := p.routes[name]
			assert.True(t, ok, "%s.%s has no route", p.name, name)
		}
	}
}
