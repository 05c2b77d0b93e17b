package emulator

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// maxBodyBytes bounds a form body; the real gateway's limit is of the same
// order.
const maxBodyBytes = 1 << 20

// maxParams bounds the parameters of one request, query and form body
// together. The longest documented lists are far below it.
const maxParams = 1000

// handler serves one action. It returns the reply's fields (a struct that
// encodes as a JSON object; the writer adds RequestId) or an error carrying
// a documented code.
type handler func(c *call) (any, error)

// route is an implemented action.
type route struct {
	handle handler
	// aliases name the parameter whose documented codes apply to another
	// parameter (UpdateFolder.NewFolderName uses the Folder.Name codes).
	aliases map[string]string
}

// call is what a handler works with: the locked state, the request and the
// caller. Handlers run one at a time.
type call struct {
	st     *state
	cfg    *Config
	prod   *product
	op     *apimodel.Operation
	codes  opCodes
	p      params
	caller *account
	now    time.Time
	region string
}

// exchange is one HTTP request's progress through the pipeline, kept for
// the writer.
type exchange struct {
	requestID string
	product   *product
	action    string
	// xml is set for Format=XML: the reply is the same document in XML.
	xml bool
	// For the request log: who called, and how the reply went.
	account string
	status  int
	code    string
}

// ServeHTTP answers one RPC request. Every reply, success or failure, is
// rendered by write.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ex := &exchange{requestID: requestID()}
	resp, err := s.safeServe(r, ex)
	s.write(w, ex, resp, err)
	if s.cfg.Logger != nil {
		s.logRequest(r, ex, time.Since(start))
	}
}

// safeServe turns a panic anywhere in the pipeline into an InternalError
// reply. The state lock is released on the way out (dispatch defers its
// Unlock), so the service stays usable.
func (s *Service) safeServe(r *http.Request, ex *exchange) (resp any, err error) {
	defer func() {
		if v := recover(); v != nil {
			resp, err = nil, &apiError{code: codeInternalError, recommend: fmt.Sprintf("emulator defect: %v", v)}
		}
	}()
	return s.serve(r, ex)
}

// serve runs the pipeline: method and path, parameters, product by
// Version, operation by Action (parameters first, then the x-acs-version
// and x-acs-action headers of ACS3-signed requests), then under the lock
// authentication, injected faults, validation and the handler.
func (s *Service) serve(r *http.Request, ex *exchange) (any, error) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return nil, errCode(codeUnsupportedHTTPMethod)
	}
	if r.URL.Path != "/" && r.URL.Path != "" {
		return nil, errCode(codeInvalidAPINotFound)
	}
	in, err := readRequest(r)
	if err != nil {
		return nil, err
	}
	p := in.params
	version := p.get("Version")
	if version == "" {
		// ACS3-signed requests name the API in headers.
		version = r.Header.Get("x-acs-version")
	}
	if version == "" {
		return nil, &apiError{code: "MissingVersion", param: "Version"}
	}
	prod := s.products[version]
	if prod == nil {
		return nil, &apiError{code: "InvalidVersion", param: "Version"}
	}
	ex.product = prod
	action := p.get("Action")
	if action == "" {
		action = r.Header.Get("x-acs-action")
	}
	if action == "" {
		return nil, &apiError{code: "MissingAction", param: "Action"}
	}
	op := prod.ops[action]
	if op == nil {
		return nil, errCode(codeInvalidAPINotFound)
	}
	ex.action = action
	switch f := p.get("Format"); {
	case strings.EqualFold(f, "XML"):
		ex.xml = true
	case f != "" && !strings.EqualFold(f, "JSON"):
		return nil, &apiError{code: "InvalidFormat", param: "Format",
			recommend: "Format is JSON (the default) or XML"}
	}
	return s.dispatch(in, prod, op, ex)
}

// dispatch does the work that needs the state, under the lock, and
// records the call in the journal of a recording Service: a write is on
// disk before its reply leaves.
func (s *Service) dispatch(in *inbound, prod *product, op *apimodel.Operation, ex *exchange) (any, error) {
	resp, c, err := s.dispatchLocked(in, prod, op, ex)
	if serr := s.jr.sync(c); serr != nil {
		return nil, serr
	}
	return resp, err
}

func (s *Service) dispatchLocked(in *inbound, prod *product, op *apimodel.Operation, ex *exchange) (any, commit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.jr.unusable(); err != nil {
		return nil, commit{}, err
	}
	st := s.st
	wall := s.cfg.Wall()
	caller, err := st.authenticate(in, wall)
	if err != nil {
		return nil, commit{}, err
	}
	ex.account = caller.ID
	fault := st.injected(op.Name, s.cfg.ThrottleCode)
	resp, err := s.execute(st, wall, prod, op, in.params, caller, fault)
	if s.jr == nil {
		return resp, commit{}, err
	}
	e := callEvent(wall, prod, op.Name, caller.ID, in.params, fault != nil, s.resultCode(prod, op.Name, err))
	c, rerr := s.record(e, !op.ReadOnly)
	if rerr != nil {
		return nil, commit{}, rerr
	}
	return resp, c, err
}

// execute is an authenticated call's effect on the state: the live path
// and the replay of a journal both run it. fault is the injected failure
// that answers the call instead of its handler, if any. A panic in a
// handler becomes an InternalError reply here, so that the journal records
// it like any other outcome.
func (s *Service) execute(st *state, wall time.Time, prod *product, op *apimodel.Operation, p params, caller *account, fault error) (resp any, err error) {
	defer func() {
		if v := recover(); v != nil {
			resp, err = nil, &apiError{code: codeInternalError, recommend: fmt.Sprintf("emulator defect: %v", v)}
		}
	}()
	st.reqSeq++
	now := st.now(wall)
	st.settle(now)
	st.settleIAM(now) // data deadlines of roles and control policies (rm_servicelinkedroles.go)
	codes := s.cat.forOp(prod.pkg, op.Name)
	if fault != nil {
		if ec, ok := fault.(errCode); ok && !codes.has(string(ec)) {
			// Throttling outside an operation that documents the code uses
			// the status of the common throttling codes.
			fault = &apiError{code: string(ec), status: http.StatusBadRequest}
		}
		return nil, fault
	}
	rt, ok := prod.routes[op.Name]
	if !ok {
		return nil, errNotImplemented(prod.name, op.Name)
	}
	if err := validate(op, codes, p, rt.aliases); err != nil {
		return nil, err
	}
	c := &call{st: st, cfg: &s.cfg, prod: prod, op: op, codes: codes, p: p, caller: caller, now: now}
	if prod.regional {
		c.region = p.get("RegionId")
		if c.region == "" {
			c.region = defaultRegion
		}
	}
	st.settleAccounts(now) // data deadlines of account deletions and e-mail changes (rm_accountlifecycle.go)
	return rt.handle(c)
}

// defaultRegion is assumed when a regional request names no RegionId.
const defaultRegion = "cn-hangzhou"

// inbound is a request as read off the wire: what the V1 and ACS3
// signatures cover, and the merged parameters.
type inbound struct {
	method string
	host   string
	header http.Header
	query  url.Values // the URL's query alone
	body   []byte
	params params // query and form body merged
}

// readRequest reads the query string and the body, and merges a form
// body into the parameters.
func readRequest(r *http.Request) (*inbound, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errCode(codeParameterFormat)
	}
	in := &inbound{method: r.Method, host: r.Host, header: r.Header, query: q, params: params{}}
	for k, vs := range q {
		in.params[k] = append([]string(nil), vs...)
	}
	if r.Body != nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			return nil, errCode(codeParameterFormat)
		}
		if len(body) > maxBodyBytes {
			return nil, &apiError{code: codeParameterFormat, status: http.StatusRequestEntityTooLarge,
				recommend: "the body exceeds 1 MiB"}
		}
		in.body = body
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method == http.MethodPost && ct == "application/x-www-form-urlencoded" && len(in.body) > 0 {
		form, err := url.ParseQuery(string(in.body))
		if err != nil {
			return nil, errCode(codeParameterFormat)
		}
		for k, vs := range form {
			in.params[k] = append(in.params[k], vs...)
		}
	}
	n := 0
	for _, vs := range in.params {
		n += len(vs)
	}
	if n > maxParams {
		return nil, &apiError{code: codeParameterFormat, recommend: fmt.Sprintf("a request carries at most %d parameters", maxParams)}
	}
	return in, nil
}
