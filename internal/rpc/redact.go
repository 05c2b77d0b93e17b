package rpc

import (
	"net/url"
	"regexp"
	"strings"
)

// redact returns err with every signed URL taken out of it. The query of a
// request URL carries the signature, the access key ID and the security
// token, and net/http puts that URL into the *url.Error it returns. Each
// *url.Error in the chain is replaced by a copy without its query, and every
// wrapper above one is rebuilt with a cleaned message, so that neither
// Error() nor any value reachable through Unwrap, errors.As or errors.Is
// holds a secret. Sentinels and types below the URL (context errors,
// *net.OpError, syscall numbers) are kept.
func redact(err error) error {
	out, _ := scrub(err)
	return out
}

// redactErr is redact for a possibly nil error.
func redactErr(err error) error {
	if err == nil {
		return nil
	}
	return redact(err)
}

// scrub rebuilds err without signed URLs; changed reports whether anything
// had to go.
func scrub(err error) (_ error, changed bool) {
	switch e := err.(type) {
	case nil:
		return nil, false
	case *url.Error:
		cp := *e
		cp.URL = stripQuery(e.URL)
		inner, ch := scrub(e.Err)
		if cp.URL == e.URL && !ch {
			return err, false
		}
		cp.Err = inner
		return &cp, true
	case interface{ Unwrap() []error }:
		causes := e.Unwrap()
		out := make([]error, len(causes))
		for i, c := range causes {
			var ch bool
			out[i], ch = scrub(c)
			changed = changed || ch
		}
		if !changed && !signed(err.Error()) {
			return err, false
		}
		return &redactedJoin{msg: cleanMessage(err.Error()), errs: out}, true
	case interface{ Unwrap() error }:
		inner, ch := scrub(e.Unwrap())
		if !ch && !signed(err.Error()) {
			return err, false
		}
		return &redactedError{msg: cleanMessage(err.Error()), err: inner}, true
	}
	if signed(err.Error()) {
		return &redactedError{msg: cleanMessage(err.Error())}, true
	}
	return err, false
}

func stripQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(redacted URL)"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// signedQuery matches a URL's query (or a bare query) that carries a
// signature or a credential, wherever it sits in a message.
var signedQuery = regexp.MustCompile(`\?[^\s"'<>]*|[^\s"'<>?&]*(Signature|SecurityToken|AccessKeyId)=[^\s"'<>]*`)

func signed(msg string) bool {
	return strings.Contains(msg, "Signature=") || strings.Contains(msg, "SecurityToken=") ||
		strings.Contains(msg, "AccessKeyId=")
}

// cleanMessage drops every query from a message that holds a signed one.
func cleanMessage(msg string) string {
	if !signed(msg) {
		return msg
	}
	return signedQuery.ReplaceAllString(msg, "")
}

// redactedError stands for a wrapper whose message held a signed URL: its
// message is cleaned, its cause rebuilt the same way.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactedJoin is redactedError for an error with several causes
// (errors.Join).
type redactedJoin struct {
	msg  string
	errs []error
}

func (e *redactedJoin) Error() string   { return e.msg }
func (e *redactedJoin) Unwrap() []error { return e.errs }
