package emulator

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The admin API: the test controls of alicloudtest.Server (clock, faults,
// accounts, reset) over HTTP, for clients that are not Go tests. It lives
// under AdminPrefix on the same port as the services; replies are JSON.

// AdminPrefix is the path under which the admin API is served.
const AdminPrefix = "/_emulator/"

// maxAdminBody bounds an admin request body.
const maxAdminBody = 64 << 10

// Reset returns the emulator to its start: the same management account,
// access key and resource directory (the same IDs), the clock back at the
// wall clock, and nothing else.
func (s *Service) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started = s.cfg.Wall()
	s.st = newState(s.cfg, s.started)
	if s.jr == nil {
		return nil
	}
	s.jr.reset(s.cfg, s.started)
	if s.jr.path != "" {
		if err := s.jr.rewrite(); err != nil {
			return s.jr.fail(err)
		}
	}
	return nil
}

// AccountKey is one account's access key, as the admin API lists it.
type AccountKey struct {
	AccountID       string `json:"accountId"`
	Kind            string `json:"kind"` // management, member or external
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
}

// AccountKeys lists every account the emulator knows with its access key,
// issuing a key to accounts that have none (a member created through the
// API, say), management account first, then by creation.
func (s *Service) AccountKeys() []AccountKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.st.known()
	out := s.accountKeys()
	if s.st.known() != before {
		// New keys draw generated identifiers: the journal records it.
		_ = s.recordControl(ctlAccountKeys, struct{}{}, nil)
	}
	return out
}

func (s *Service) accountKeys() []AccountKey {
	st := s.st
	now := st.now(s.wall())
	accts := make([]*account, 0, len(st.accounts))
	for _, a := range st.accounts {
		accts = append(accts, a)
	}
	slices.SortFunc(accts, func(a, b *account) int { return int(a.order - b.order) })
	out := make([]AccountKey, 0, len(accts))
	for _, a := range accts {
		k := st.credentials(a.ID, now)
		kind := "external"
		switch {
		case a.ID == st.managementID:
			kind = "management"
		case a.inRD:
			kind = "member"
		}
		out = append(out, AccountKey{AccountID: a.ID, Kind: kind, AccessKeyID: k.id, AccessKeySecret: k.secret})
	}
	return out
}

// AdminHandler serves the admin API. A non-empty token is required as a
// bearer token on every admin request but the health check.
func (s *Service) AdminHandler(token string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+AdminPrefix+"health", func(w http.ResponseWriter, _ *http.Request) {
		writeAdmin(w, http.StatusOK, map[string]any{
			"status":              "ok",
			"managementAccountId": s.ManagementAccountID(),
			"resourceDirectoryId": s.ResourceDirectoryID(),
			"now":                 s.Now().UTC().Format(time.RFC3339),
		})
	})
	allowed := func(w http.ResponseWriter, r *http.Request) bool {
		if token != "" && !bearerMatches(r.Header.Get("Authorization"), token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="alicloud-emulator"`)
			writeAdmin(w, http.StatusUnauthorized, adminError{Error: "a valid bearer token is required"})
			return false
		}
		return true
	}
	guard := func(h func(r *http.Request) (any, error)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !allowed(w, r) {
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxAdminBody)
			v, err := h(r)
			if err != nil {
				status := http.StatusBadRequest
				var tooLarge *http.MaxBytesError
				switch {
				case errors.As(err, &tooLarge):
					status = http.StatusRequestEntityTooLarge
				case errors.Is(err, ErrNoPendingChange):
					status = http.StatusConflict
				}
				writeAdmin(w, status, adminError{Error: err.Error()})
				return
			}
			writeAdmin(w, http.StatusOK, v)
		}
	}
	mux.HandleFunc("POST "+AdminPrefix+"reset", guard(func(*http.Request) (any, error) {
		if err := s.Reset(); err != nil {
			return nil, err
		}
		return map[string]string{"status": "reset"}, nil
	}))
	mux.HandleFunc("GET "+AdminPrefix+"state", func(w http.ResponseWriter, r *http.Request) {
		if !allowed(w, r) {
			return
		}
		var b bytes.Buffer
		if err := s.DumpState(&b); err != nil {
			writeAdmin(w, http.StatusConflict, adminError{Error: err.Error()})
			return
		}
		w.Header().Set("Content-Type", StateContentType)
		w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
		_, _ = w.Write(b.Bytes())
	})
	mux.HandleFunc("PUT "+AdminPrefix+"state", func(w http.ResponseWriter, r *http.Request) {
		if !allowed(w, r) {
			return
		}
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxStateSize))
		if err != nil {
			writeAdmin(w, http.StatusRequestEntityTooLarge, adminError{Error: err.Error()})
			return
		}
		if err := s.LoadState(data); err != nil {
			writeAdmin(w, http.StatusBadRequest, adminError{Error: err.Error()})
			return
		}
		writeAdmin(w, http.StatusOK, map[string]string{"status": "loaded", "managementAccountId": s.ManagementAccountID()})
	})
	mux.HandleFunc("POST "+AdminPrefix+"advance", guard(func(r *http.Request) (any, error) {
		by := r.URL.Query().Get("by")
		d, err := time.ParseDuration(by)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("by must be a positive duration such as 90s or 24h, not %q", by)
		}
		s.Advance(d)
		return map[string]string{"now": s.Now().UTC().Format(time.RFC3339)}, nil
	}))
	mux.HandleFunc("GET "+AdminPrefix+"accounts", guard(func(*http.Request) (any, error) {
		return s.AccountKeys(), nil
	}))
	mux.HandleFunc("POST "+AdminPrefix+"accounts", guard(func(r *http.Request) (any, error) {
		var in struct {
			AccountID string `json:"accountId"`
		}
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		if !validAccountID(in.AccountID) {
			return nil, fmt.Errorf("accountId must be an account ID (digits), not %q", in.AccountID)
		}
		id, secret := s.Credentials(in.AccountID)
		return AccountKey{AccountID: in.AccountID, Kind: "external", AccessKeyID: id, AccessKeySecret: secret}, nil
	}))
	mux.HandleFunc("POST "+AdminPrefix+"faults/throttle", guard(func(r *http.Request) (any, error) {
		var in struct {
			Count  int    `json:"count"`
			Action string `json:"action"`
		}
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		if in.Count < 0 || in.Count > 1_000_000 {
			return nil, fmt.Errorf("count must be from 0 to 1000000, not %d", in.Count)
		}
		if in.Action != "" {
			s.ThrottleAction(in.Action, in.Count)
		} else {
			s.ThrottleNext(in.Count)
		}
		return in, nil
	}))
	mux.HandleFunc("POST "+AdminPrefix+"faults/fail", guard(func(r *http.Request) (any, error) {
		var in struct {
			Code   string `json:"code"`
			Status int    `json:"status"`
		}
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		if in.Code == "" || len(in.Code) > 128 || strings.ContainsAny(in.Code, " \t\r\n") {
			return nil, fmt.Errorf("code must be an error code such as ServiceUnavailable, not %q", in.Code)
		}
		if in.Status != 0 && (in.Status < 400 || in.Status > 599) {
			return nil, fmt.Errorf("status must be 0 (the documented one) or from 400 to 599, not %d", in.Status)
		}
		s.FailNext(in.Code, in.Status)
		return in, nil
	}))
	s.adminControls(mux, guard)
	mux.HandleFunc(AdminPrefix, func(w http.ResponseWriter, r *http.Request) {
		writeAdmin(w, http.StatusNotFound, adminError{Error: fmt.Sprintf("no admin endpoint %s %s", r.Method, r.URL.Path)})
	})
	return mux
}

type adminError struct {
	Error string `json:"error"`
}

func bearerMatches(header, token string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// decodeAdmin reads one JSON object into v; unknown fields are an error, so
// a misspelt control fails loudly instead of doing nothing.
func decodeAdmin(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("the request needs a JSON object body")
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return fmt.Errorf("the body is not the expected JSON object: %v", err)
	}
	if dec.More() {
		return errors.New("the body holds more than one JSON value")
	}
	return nil
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"encoding the reply failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// adminControls serves the test controls of alicloudtest.Server: the steps
// a person or another cloud service takes outside the API. Each calls the
// Service method the Go tests call.
func (s *Service) adminControls(mux *http.ServeMux, guard func(func(*http.Request) (any, error)) http.HandlerFunc) {
	type accountArg struct {
		AccountID string `json:"accountId"`
	}
	mux.HandleFunc("GET "+AdminPrefix+"verification-code", guard(func(r *http.Request) (any, error) {
		code, err := s.VerificationCode(r.URL.Query().Get("accountId"))
		if err != nil {
			return nil, err
		}
		return map[string]string{"code": code}, nil
	}))
	mux.HandleFunc("POST "+AdminPrefix+"email-change/confirm", guard(func(r *http.Request) (any, error) {
		var in accountArg
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		return in, s.ConfirmEmailChange(in.AccountID)
	}))
	mux.HandleFunc("POST "+AdminPrefix+"deletion-blockers", guard(func(r *http.Request) (any, error) {
		var in struct {
			AccountID   string `json:"accountId"`
			CheckID     string `json:"checkId"`
			CheckName   string `json:"checkName"`
			Description string `json:"description"`
			Abandonable bool   `json:"abandonable"`
		}
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		return in, s.BlockAccountDeletion(in.AccountID, DeletionBlocker{CheckID: in.CheckID, CheckName: in.CheckName,
			Description: in.Description, Abandonable: in.Abandonable})
	}))
	mux.HandleFunc("DELETE "+AdminPrefix+"deletion-blockers", guard(func(r *http.Request) (any, error) {
		var in accountArg
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		s.ClearAccountDeletionBlocks(in.AccountID)
		return in, nil
	}))
	type usageArg struct {
		AccountID   string   `json:"accountId"`
		RoleName    string   `json:"roleName"`
		Region      string   `json:"region"`
		ResourceIDs []string `json:"resourceIds"`
	}
	mux.HandleFunc("POST "+AdminPrefix+"service-linked-role-usage", guard(func(r *http.Request) (any, error) {
		var in usageArg
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		return in, s.MarkServiceLinkedRoleInUse(in.AccountID, in.RoleName, in.Region, in.ResourceIDs...)
	}))
	mux.HandleFunc("DELETE "+AdminPrefix+"service-linked-role-usage", guard(func(r *http.Request) (any, error) {
		var in usageArg
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		return in, s.ClearServiceLinkedRoleUsage(in.AccountID, in.RoleName)
	}))
	mux.HandleFunc("POST "+AdminPrefix+"trusted-services", guard(func(r *http.Request) (any, error) {
		var in struct {
			ServicePrincipal string `json:"servicePrincipal"`
		}
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		return in, s.EnableTrustedService(in.ServicePrincipal)
	}))
	type resourceArg struct {
		Service         string `json:"service"`
		ResourceType    string `json:"resourceType"`
		ResourceID      string `json:"resourceId"`
		RegionID        string `json:"regionId"`
		AccountID       string `json:"accountId"`
		ResourceGroupID string `json:"resourceGroupId"`
	}
	mux.HandleFunc("POST "+AdminPrefix+"resources", guard(func(r *http.Request) (any, error) {
		var in resourceArg
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		group, err := s.AddResource(Resource(in))
		if err != nil {
			return nil, err
		}
		in.ResourceGroupID = group
		return in, nil
	}))
	mux.HandleFunc("DELETE "+AdminPrefix+"resources", guard(func(r *http.Request) (any, error) {
		var in resourceArg
		if err := decodeAdmin(r, &in); err != nil {
			return nil, err
		}
		return map[string]bool{"removed": s.RemoveResource(Resource(in))}, nil
	}))
}
