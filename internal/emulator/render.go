package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// errorBody is the service's error reply.
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
	Recommend string
}

// write is the one place replies are rendered: a handler's fields with the
// RequestId added, or the documented error shape with the documented status.
// Both carry the request ID in the x-acs-request-id header too.
func (s *Service) write(w http.ResponseWriter, ex *exchange, resp any, err error) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("x-acs-request-id", ex.requestID)
	if err == nil {
		body, merr := successBody(ex.requestID, resp)
		if merr == nil && ex.xml {
			body, merr = jsonToXML(ex.action+"Response", body)
			h.Set("Content-Type", "text/xml;charset=utf-8")
		}
		if merr == nil {
			h.Set("Content-Length", strconv.Itoa(len(body)))
			ex.status = http.StatusOK
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(body)
			return
		}
		err = &apiError{code: codeInternalError, recommend: "emulator defect: " + merr.Error()}
	}
	pkg, hostID := "", "aliyuncs.com"
	if ex.product != nil {
		pkg, hostID = ex.product.pkg, ex.product.hostID
	}
	rep := s.cat.resolve(pkg, ex.action, err)
	if rep.recommend == "" {
		product := "OpenAPI"
		if ex.product != nil {
			product = ex.product.name
		}
		rep.recommend = fmt.Sprintf("https://api.aliyun.com/troubleshoot?q=%s&product=%s", rep.code, product)
	}
	body, _ := marshal(errorBody{RequestId: ex.requestID, HostId: hostID, Code: rep.code,
		Message: rep.message, Recommend: rep.recommend}) // cannot fail: strings only
	if ex.xml {
		if x, xerr := jsonToXML("Error", body); xerr == nil {
			body = x
			h.Set("Content-Type", "text/xml;charset=utf-8")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	ex.status, ex.code = rep.status, rep.code
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
}

// successBody encodes a handler's reply, which must be a JSON object (or
// nil for a reply with no fields), with RequestId as its first member.
func successBody(requestID string, resp any) ([]byte, error) {
	head, _ := marshal(requestID) // a string always encodes
	if resp == nil {
		return fmt.Appendf(nil, `{"RequestId":%s}`, head), nil
	}
	b, err := marshal(resp)
	if err != nil {
		return nil, err
	}
	if len(b) < 2 || b[0] != '{' {
		return nil, fmt.Errorf("reply of type %T is not a JSON object", resp)
	}
	var out bytes.Buffer
	out.Grow(len(b) + len(head) + 16)
	out.WriteString(`{"RequestId":`)
	out.Write(head)
	if rest := bytes.TrimSpace(b[1:]); len(rest) > 0 && rest[0] != '}' {
		out.WriteByte(',')
	}
	out.Write(b[1:])
	return out.Bytes(), nil
}

// marshal encodes v as JSON without escaping <, > and &, as the service
// writes them.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

// requestID returns a fresh request ID in the service's upper-case UUID form.
func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// logRequest writes the one log line of a request: what was asked, by whom,
// and how it was answered. Parameters are not logged: they may carry
// signatures and tokens.
func (s *Service) logRequest(r *http.Request, ex *exchange, latency time.Duration) {
	level := slog.LevelInfo
	if ex.status >= http.StatusInternalServerError {
		level = slog.LevelWarn
	}
	product := ""
	if ex.product != nil {
		product = ex.product.name
	}
	s.cfg.Logger.LogAttrs(r.Context(), level, "request",
		slog.String("action", ex.action),
		slog.String("product", product),
		slog.String("account", ex.account),
		slog.Int("status", ex.status),
		slog.String("code", ex.code),
		slog.Duration("latency", latency),
		slog.String("request_id", ex.requestID),
	)
}
