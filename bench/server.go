package bench

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Credentials every client signs with. They are made up; the server only
// knows this one pair.
const (
	AccessKeyID     = "LTAI5tBenchKeyId00000000"
	AccessKeySecret = "benchSecretNotARealKey000000000"
	Region          = "cn-hangzhou"
)

// TotalInvitations is the size of the simulated data set: ten thousand
// invitations, served MaxResults at a time with a NextToken.
const TotalInvitations = 10000

// Server is the one loopback server every client talks to. It answers
// ListResourceShareInvitations with pre-rendered pages of the data set,
// picks the page from MaxResults and NextToken, and (when Verify is on)
// checks the V1 signature of each request independently of any client.
type Server struct {
	*httptest.Server

	// Verify turns signature checking on. Benchmarks verify a warm-up call
	// per client, then switch it off so that the server's own HMAC does
	// not dilute the clients' differences.
	Verify atomic.Bool

	newConns atomic.Int64
	requests atomic.Int64
	rejected atomic.Int64

	mu       sync.Mutex
	lastErr  string
	nonces   map[string]struct{}
	lastSeen http.Header

	pages sync.Map // pageKey -> []byte
}

type pageKey struct{ start, size int }

// NewServer starts the server on 127.0.0.1 with verification on.
func NewServer() *Server {
	s := &Server{nonces: map[string]struct{}{}}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	ts.Start()
	s.Server = ts
	s.Verify.Store(true)
	return s
}

// Host is the server's host:port, for clients that take a domain rather
// than a URL.
func (s *Server) Host() string { return strings.TrimPrefix(s.URL, "http://") }

// NewConns is the number of TCP connections the server has accepted.
func (s *Server) NewConns() int64 { return s.newConns.Load() }

// Requests is the number of requests answered, rejected ones included.
func (s *Server) Requests() int64 { return s.requests.Load() }

// Rejected is the number of requests whose signature did not verify.
func (s *Server) Rejected() int64 { return s.rejected.Load() }

// LastRejection describes the last rejected request.
func (s *Server) LastRejection() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// LastHeaders returns the headers of the last request (tests).
func (s *Server) LastHeaders() http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastSeen
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if err := r.ParseForm(); err != nil {
		s.reject(w, r, "MissingParameter", err.Error())
		return
	}
	params := r.Form // query and form body merged
	if s.Verify.Load() {
		s.mu.Lock()
		s.lastSeen = r.Header.Clone()
		s.mu.Unlock()
		if code, msg := s.verify(r.Method, params); code != "" {
			s.reject(w, r, code, msg)
			return
		}
	}
	if a := params.Get("Action"); a != "ListResourceShareInvitations" {
		s.reject(w, r, "InvalidAction.NotFound", "unknown action "+strconv.Quote(a))
		return
	}
	size := 20
	if v := params.Get("MaxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			s.reject(w, r, "InvalidParameter.MaxResults", "MaxResults must be 1 to 100")
			return
		}
		size = n
	}
	start := 0
	if tok := params.Get("NextToken"); tok != "" {
		n, ok := parseToken(tok)
		if !ok {
			s.reject(w, r, "InvalidParameter.NextToken", "bad NextToken")
			return
		}
		start = n
	}
	body := s.page(start, size)
	h := w.Header()
	h["Content-Type"] = []string{"application/json;charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["X-Acs-Request-Id"] = []string{requestID(start)}
	_, _ = w.Write(body)
}

func (s *Server) reject(w http.ResponseWriter, r *http.Request, code, msg string) {
	s.rejected.Add(1)
	s.mu.Lock()
	s.lastErr = code + ": " + msg
	s.mu.Unlock()
	status := http.StatusBadRequest
	if strings.HasPrefix(code, "InvalidAction") {
		status = http.StatusNotFound
	}
	b, _ := json.Marshal(map[string]string{
		"RequestId": "BENCH-REJECTED", "HostId": r.Host, "Code": code, "Message": msg,
		"Recommend": "https://api.aliyun.com/troubleshoot",
	})
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// verify recomputes the V1 signature from scratch: every parameter but
// Signature (query and form merged), names sorted, both sides encoded per
// RFC 3986, METHOD&%2F&encode(canonical), HMAC-SHA1 keyed with secret&. The
// encoding deliberately goes through url.QueryEscape and the documented
// substitutions, not through any client's encoder.
func (s *Server) verify(method string, params url.Values) (code, msg string) {
	sig := params.Get("Signature")
	switch {
	case sig == "":
		return "MissingSignature", "no Signature parameter (V1 signature expected)"
	case params.Get("SignatureMethod") != "HMAC-SHA1":
		return "InvalidSignatureMethod", "SignatureMethod is " + strconv.Quote(params.Get("SignatureMethod"))
	case params.Get("SignatureVersion") != "1.0":
		return "InvalidSignatureVersion", "SignatureVersion is " + strconv.Quote(params.Get("SignatureVersion"))
	case params.Get("AccessKeyId") != AccessKeyID:
		return "InvalidAccessKeyId.NotFound", "unknown AccessKeyId"
	case params.Get("Version") != "2020-01-10":
		return "InvalidVersion", "Version is " + strconv.Quote(params.Get("Version"))
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", params.Get("Timestamp"))
	if err != nil || time.Since(ts).Abs() > 15*time.Minute {
		return "InvalidTimeStamp.Expired", "Timestamp " + strconv.Quote(params.Get("Timestamp"))
	}
	nonce := params.Get("SignatureNonce")
	if nonce == "" {
		return "MissingSignatureNonce", "no SignatureNonce"
	}
	s.mu.Lock()
	_, seen := s.nonces[nonce]
	s.nonces[nonce] = struct{}{}
	s.mu.Unlock()
	if seen {
		return "SignatureNonceUsed", "SignatureNonce was used before"
	}
	want := V1Signature(method, params, AccessKeySecret)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return "SignatureDoesNotMatch", "signature mismatch"
	}
	return "", ""
}

// V1Signature is the server's reference implementation of the RPC
// signature over params (Signature itself excluded).
func V1Signature(method string, params url.Values, secret string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		for _, v := range params[k] {
			pairs = append(pairs, specEscape(k)+"="+specEscape(v))
		}
	}
	toSign := method + "&" + specEscape("/") + "&" + specEscape(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// specEscape is the encoding the API reference prescribes, spelled the way
// it does: URL-encode, then + -> %20, * -> %2A, %7E -> ~.
func specEscape(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

// page returns the rendered page [start, start+size) of the data set,
// rendering it the first time it is asked for.
func (s *Server) page(start, size int) []byte {
	k := pageKey{start, size}
	if b, ok := s.pages.Load(k); ok {
		return b.([]byte)
	}
	b := RenderPage(start, size)
	s.pages.Store(k, b)
	return b
}

// Prerender renders the pages a benchmark will ask for, outside its timing.
func (s *Server) Prerender(size, pages int) {
	for p := 0; p < pages; p++ {
		start := p * size
		if start >= TotalInvitations {
			return
		}
		s.page(start, size)
	}
}

// Token is the NextToken that continues at item start.
func Token(start int) string { return fmt.Sprintf("TGlzdFJlc291cm%06d", start) }

func parseToken(tok string) (int, bool) {
	rest, ok := strings.CutPrefix(tok, "TGlzdFJlc291cm")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0 && n < TotalInvitations
}

func requestID(start int) string {
	return fmt.Sprintf("30EC8328-1BDE-51D5-BFAB-%012d", start)
}

// The documented example values of ListResourceShareInvitations, varied per
// item.
var (
	invitationStatuses = []string{"Pending", "Accepted", "Cancelled", "Rejected", "Expired", "AcceptFailed"}
	failureReasons     = []string{"Unavailable", "LimitExceeded", "ZonalResourceInaccessible", "InternalError", "UnsupportedOperation"}
)

// Invitation is the wire shape of one documented invitation object.
type Invitation struct {
	CreateTime                string
	InvitationFailedDetails   []FailedDetail
	ReceiverAccountId         string
	ResourceShareId           string
	ResourceShareInvitationId string
	ResourceShareName         string
	SenderAccountId           string
	Status                    string
}

// FailedDetail is the wire shape of one InvitationFailedDetails element.
type FailedDetail struct {
	AssociateType      string
	FailureDescription string
	FailureReason      string
	OperationType      string
	ResourceArn        string
	ResourceId         string
	ResourceType       string
	Status             string
	StatusMessage      string
}

// MakeInvitation returns item i of the data set: the documented example
// with IDs, times and enum values varied by i.
func MakeInvitation(i int) Invitation {
	created := time.Date(2022, 8, 18, 5, 36, 45, 24_000_000, time.UTC).Add(time.Duration(i) * 37 * time.Second)
	reason := failureReasons[i%len(failureReasons)]
	resourceID := fmt.Sprintf("s-7xvh46nx5oqlre%05d", i)
	return Invitation{
		CreateTime: created.Format("2006-01-02T15:04:05.000Z"),
		InvitationFailedDetails: []FailedDetail{{
			AssociateType:      "Associate",
			FailureDescription: "You cannot access the specified resource at this time.",
			FailureReason:      reason,
			OperationType:      "Associate",
			ResourceArn:        "acs:ecs:cn-hangzhou:151266687691****:snapshot/" + resourceID,
			ResourceId:         resourceID,
			ResourceType:       "Snapshot",
			Status:             reason,
			StatusMessage:      "You cannot access the specified resource at this time.",
		}},
		ReceiverAccountId:         fmt.Sprintf("1342540311%06d", 780000+i%1000),
		ResourceShareId:           fmt.Sprintf("rs-ysGRci9z%05d", i),
		ResourceShareInvitationId: fmt.Sprintf("i-p6eRytrkjV%06d", i),
		ResourceShareName:         fmt.Sprintf("example-%d", i),
		SenderAccountId:           fmt.Sprintf("1512666876%06d", 910000+i%97),
		Status:                    invitationStatuses[i%len(invitationStatuses)],
	}
}

type pageBody struct {
	NextToken                string `json:",omitempty"`
	RequestId                string
	ResourceShareInvitations []Invitation
}

// RenderPage renders the reply for items [start, start+size) of the data
// set, with a NextToken when more items follow.
func RenderPage(start, size int) []byte {
	end := min(start+size, TotalInvitations)
	p := pageBody{RequestId: requestID(start), ResourceShareInvitations: make([]Invitation, 0, end-start)}
	for i := start; i < end; i++ {
		p.ResourceShareInvitations = append(p.ResourceShareInvitations, MakeInvitation(i))
	}
	if end < TotalInvitations {
		p.NextToken = Token(end)
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}
