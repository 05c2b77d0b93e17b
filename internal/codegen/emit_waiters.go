package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// Waiters are data: internal/apimodel/waiters.json lists, per product, the
// operation a waiter polls, where the status is in the reply, which values
// mean success, failure and "not yet", which error codes mean "not there
// yet", and for list operations how to pick the items to judge. This file
// checks that data against the model (every operation, field, enumeration
// value and error code must exist) and emits waiters.go per product. The
// judging itself is done by the matchers of internal/waiter, which the data
// names in its "matcher" field.

const waitersFile = "internal/apimodel/waiters.json"

// waiterSpec is one waiter as waiters.json writes it.
type waiterSpec struct {
	// Name is the waiter's name: New<Name>Waiter, <Name>Waiter.
	Name string `json:"name"`
	// After lists the operations whose asynchronous effect it awaits.
	After []string `json:"after"`
	// Operation is the read-only operation it polls.
	Operation string `json:"operation"`
	// Note is added to the waiter's documentation.
	Note string `json:"note"`
	// MinDelay and MaxDelay override the default pauses ("5s").
	MinDelay string `json:"minDelay"`
	MaxDelay string `json:"maxDelay"`
	// Matcher names the internal/waiter matcher: "value" (one status),
	// "all" (every selected item of a list), "present" (a field is set).
	Matcher string `json:"matcher"`
	// Status is the dotted path to the status field: in the reply, or in
	// each item for "all".
	Status string `json:"status"`
	// Items is the dotted path to the list in the reply ("all" only).
	Items string `json:"items"`
	// AllPages makes each poll read every page of a NextToken operation.
	AllPages bool `json:"allPages"`
	// Select keeps the items whose field equals (or, for a list request
	// parameter, is in) the request's parameter, when that is set.
	Select []waiterSelect `json:"select"`
	// Success, Failure and Retry list status values; Ignore lists those
	// whose items "all" leaves out.
	Success []string `json:"success"`
	Failure []string `json:"failure"`
	Retry   []string `json:"retry"`
	Ignore  []string `json:"ignore"`
	// Empty is the state when "all" has no item left: "retry" (default),
	// "success" or "failure".
	Empty string `json:"empty"`
	// RetryErrors are error codes that mean "poll again".
	RetryErrors []string `json:"retryErrors"`
}

type waiterSelect struct {
	Item    string `json:"item"`
	Request string `json:"request"`
}

// waiterData is the whole file: waiters by product package.
type waiterData map[string][]*waiterSpec

// Defaults of the pauses between polls.
const (
	defaultMinDelay = 2 * time.Second
	defaultMaxDelay = 30 * time.Second
)

// loadWaiters reads the waiters.json embedded in package apimodel.
func loadWaiters(string) (waiterData, error) {
	b, err := apimodel.Raw("waiters.json")
	if err != nil {
		return nil, err
	}
	data, err := parseWaiters(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", waitersFile, err)
	}
	return data, nil
}

// parseWaiters decodes waiters.json, rejecting unknown keys so that a
// misspelt key fails instead of being ignored.
func parseWaiters(b []byte) (waiterData, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var data waiterData
	if err := dec.Decode(&data); err != nil {
		return nil, err
	}
	for pkg := range data {
		if pkg != "resourcemanager" && pkg != "resourcesharing" {
			return nil, fmt.Errorf("unknown product %q", pkg)
		}
	}
	return data, nil
}

// waiterInfo is a waiter resolved against the model, ready to emit.
type waiterInfo struct {
	Name, Lower   string
	Op            *opInfo
	Spec          *waiterSpec
	MinDelay      time.Duration
	MaxDelay      time.Duration
	Matcher       string
	Enum          string   // Go type of the status, for "value" and "all"
	StatusExpr    string   // selector after resp (or after the item for "all")
	ItemsExpr     string   // selector after resp ("all")
	ItemType      string   // Go type of an item ("all")
	Selects       []string // conditions that skip an item ("all")
	SelectDoc     []string // request parameters the items are matched on
	Success       []string // Go constants
	Failure       []string
	Ignore        []string
	Empty         string // waiter.Retry...
	RetryCodes    []string
	PageToken     string // NextToken field, when every page is read
	MergeItems    string // selector of the items merged from each page
	TokenResponse string
}

var waiterName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

// buildWaiters checks the product's waiters against its model.
func (p *product) buildWaiters(specs []*waiterSpec) ([]*waiterInfo, error) {
	taken := map[string]string{}
	for _, st := range p.Types {
		taken[st.Name] = "type"
	}
	for _, e := range p.Enums {
		taken[e.Name] = "enumeration"
	}
	for _, c := range p.Codes {
		taken[c.Const] = "error code"
	}
	for _, oi := range p.Ops {
		for _, s := range []string{"", "Request", "Response", "APIClient"} {
			taken[oi.Name+s] = "operation"
		}
	}
	var out []*waiterInfo
	for _, s := range specs {
		w, err := p.buildWaiter(s)
		if err != nil {
			return nil, fmt.Errorf("%s: waiter %q: %w", p.Pkg, s.Name, err)
		}
		for _, id := range []string{"New" + w.Name + "Waiter", w.Name + "Waiter", w.Name + "WaiterOptions"} {
			if what, ok := taken[id]; ok {
				return nil, fmt.Errorf("%s: waiter %q: %s is already a %s", p.Pkg, s.Name, id, what)
			}
			taken[id] = "waiter"
		}
		out = append(out, w)
	}
	return out, nil
}

func (p *product) buildWaiter(s *waiterSpec) (*waiterInfo, error) {
	if !waiterName.MatchString(s.Name) {
		return nil, fmt.Errorf("name must be an exported Go identifier")
	}
	w := &waiterInfo{Name: s.Name, Lower: lowerFirst(s.Name), Spec: s, Matcher: s.Matcher,
		MinDelay: defaultMinDelay, MaxDelay: defaultMaxDelay, Empty: "waiter.Retry"}
	if len(s.After) == 0 {
		return nil, fmt.Errorf("after: name the operations whose effect the waiter awaits")
	}
	for _, a := range s.After {
		if p.op(a) == nil {
			return nil, fmt.Errorf("after: unknown operation %q", a)
		}
	}
	w.Op = p.op(s.Operation)
	if w.Op == nil {
		return nil, fmt.Errorf("operation: unknown operation %q", s.Operation)
	}
	if !w.Op.M.ReadOnly {
		return nil, fmt.Errorf("operation: %s is not read-only; a waiter polls a read", s.Operation)
	}
	var err error
	if s.MinDelay != "" {
		if w.MinDelay, err = time.ParseDuration(s.MinDelay); err != nil || w.MinDelay <= 0 {
			return nil, fmt.Errorf("minDelay: %q is not a positive duration", s.MinDelay)
		}
	}
	if s.MaxDelay != "" {
		if w.MaxDelay, err = time.ParseDuration(s.MaxDelay); err != nil || w.MaxDelay <= 0 {
			return nil, fmt.Errorf("maxDelay: %q is not a positive duration", s.MaxDelay)
		}
	}
	if w.MaxDelay < w.MinDelay {
		return nil, fmt.Errorf("maxDelay %v is below minDelay %v", w.MaxDelay, w.MinDelay)
	}
	for _, c := range s.RetryErrors {
		if _, ok := p.codeSet[c]; !ok {
			if _, ok := p.common[c]; !ok {
				return nil, fmt.Errorf("retryErrors: %q is not a documented error code of %s", c, p.Pkg)
			}
		}
		w.RetryCodes = append(w.RetryCodes, p.codeExpr(c))
	}

	listOnly := func() error {
		switch {
		case s.Items != "" || len(s.Select) > 0 || len(s.Ignore) > 0 || s.Empty != "" || s.AllPages:
			return fmt.Errorf("items, select, ignore, empty and allPages are for the %q matcher", "all")
		}
		return nil
	}
	var status *field
	switch s.Matcher {
	case "value":
		if err := listOnly(); err != nil {
			return nil, err
		}
		status, w.StatusExpr, err = resolvePath(w.Op.Resp, s.Status)
		if err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
	case "present":
		if err := listOnly(); err != nil {
			return nil, err
		}
		if len(s.Success)+len(s.Failure)+len(s.Retry) > 0 {
			return nil, fmt.Errorf("the %q matcher takes no status values", "present")
		}
		status, w.StatusExpr, err = resolvePath(w.Op.Resp, s.Status)
		if err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		if status.Kind != kString {
			return nil, fmt.Errorf("status: %s is not a string field", s.Status)
		}
		return w, nil
	case "all":
		items, expr, err := resolvePath(w.Op.Resp, s.Items)
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		if items.Kind != kList || items.Elem.Kind != kStruct {
			return nil, fmt.Errorf("items: %s is not a list of structures", s.Items)
		}
		w.ItemsExpr, w.ItemType = expr, goType(items.Elem)
		itemFields := items.Elem.Struct.Fields
		status, w.StatusExpr, err = resolvePath(itemFields, s.Status)
		if err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		for _, sel := range s.Select {
			cond, err := p.selectCond(w.Op, itemFields, sel)
			if err != nil {
				return nil, fmt.Errorf("select %s=%s: %w", sel.Item, sel.Request, err)
			}
			w.Selects = append(w.Selects, cond)
			if !slices.Contains(w.SelectDoc, sel.Request) {
				w.SelectDoc = append(w.SelectDoc, sel.Request)
			}
		}
		switch s.Empty {
		case "", "retry":
		case "success":
			w.Empty = "waiter.Success"
		case "failure":
			w.Empty = "waiter.Failure"
		default:
			return nil, fmt.Errorf("empty: %q is not retry, success or failure", s.Empty)
		}
		if s.AllPages {
			pg := w.Op.Page
			if pg == nil || pg.Kind != "NextToken" {
				return nil, fmt.Errorf("allPages: %s does not page by NextToken", w.Op.Name)
			}
			if pg.ItemsExpr != "p"+w.ItemsExpr {
				return nil, fmt.Errorf("allPages: %s pages over %s, not %s", w.Op.Name, w.Op.M.Pagination.ItemsPath, s.Items)
			}
			w.PageToken, w.TokenResponse = w.Op.M.Pagination.InputToken, w.Op.M.Pagination.OutputToken
			w.MergeItems = w.ItemsExpr
		}
	default:
		return nil, fmt.Errorf("matcher: %q is not one of value, all, present", s.Matcher)
	}

	// "value" and "all" judge an enumeration: every value must be one of
	// its documented values, in one list only.
	if status.Kind != kEnum {
		return nil, fmt.Errorf("status: %s is not a documented enumeration", s.Status)
	}
	w.Enum = status.Enum.Name
	if len(s.Success) == 0 {
		return nil, fmt.Errorf("success: no value")
	}
	seen := map[string]string{}
	for _, l := range []struct {
		name string
		vals []string
		out  *[]string
	}{{"success", s.Success, &w.Success}, {"failure", s.Failure, &w.Failure}, {"retry", s.Retry, nil}, {"ignore", s.Ignore, &w.Ignore}} {
		for _, v := range l.vals {
			if !slices.Contains(status.Enum.Values, v) {
				return nil, fmt.Errorf("%s: %q is not a value of %s (%s)", l.name, v, status.Enum.Name, strings.Join(status.Enum.Values, ", "))
			}
			if other, ok := seen[v]; ok {
				return nil, fmt.Errorf("%s: %q is already listed in %s", l.name, v, other)
			}
			seen[v] = l.name
			if l.out != nil {
				*l.out = append(*l.out, status.Enum.Name+enumConstSuffix(v))
			}
		}
	}
	return w, nil
}

// selectCond is the Go condition that skips an item whose field differs
// from a request parameter that is set.
func (p *product) selectCond(op *opInfo, itemFields []*field, sel waiterSelect) (string, error) {
	item, itemExpr, err := resolvePath(itemFields, sel.Item)
	if err != nil {
		return "", fmt.Errorf("item: %w", err)
	}
	var req *field
	for _, f := range op.Req {
		if f.Name == sel.Request {
			req = f
		}
	}
	if req == nil {
		return "", fmt.Errorf("request: %s has no parameter %q", op.Name, sel.Request)
	}
	if item.Kind != kString && item.Kind != kEnum {
		return "", fmt.Errorf("item: %s is not a string", sel.Item)
	}
	switch {
	case req.Kind == kList && (req.Elem.Kind == kString || req.Elem.Kind == kEnum):
		if goType(req.Elem) != goType(item) {
			return "", fmt.Errorf("request: %s holds %s, the item's field is %s", sel.Request, goType(req.Elem), goType(item))
		}
		return fmt.Sprintf("len(req.%s) > 0 && !slices.Contains(req.%s, it%s)", req.Name, req.Name, itemExpr), nil
	case req.Kind == kString || req.Kind == kEnum:
		if goType(req) != goType(item) {
			return "", fmt.Errorf("request: %s is %s, the item's field is %s", sel.Request, goType(req), goType(item))
		}
		return fmt.Sprintf("req.%s != \"\" && it%s != req.%s", req.Name, itemExpr, req.Name), nil
	}
	return "", fmt.Errorf("request: %s is neither a string nor a list of strings", sel.Request)
}

// resolvePath follows a dotted path through nested structures and returns
// the field and its Go selector (".Account.Status").
func resolvePath(fields []*field, path string) (*field, string, error) {
	if path == "" {
		return nil, "", fmt.Errorf("empty path")
	}
	var f *field
	expr := ""
	for i, part := range strings.Split(path, ".") {
		if f != nil && f.Kind == kList && f.Wrapper == part {
			continue // the Go field is the wrapped list itself
		}
		if i > 0 {
			if f.Kind != kStruct {
				return nil, "", fmt.Errorf("%s: %s is not a structure", path, f.Name)
			}
			fields = f.Struct.Fields
		}
		f = nil
		for _, c := range fields {
			if c.Name == part {
				f = c
			}
		}
		if f == nil {
			return nil, "", fmt.Errorf("%s: no field %q", path, part)
		}
		expr += "." + f.Name
	}
	return f, expr, nil
}

func (p *product) op(name string) *opInfo {
	for _, oi := range p.Ops {
		if oi.Name == name {
			return oi
		}
	}
	return nil
}

func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// durationExpr writes d as a Go constant expression.
func durationExpr(d time.Duration) string {
	switch {
	case d%time.Second == 0:
		return fmt.Sprintf("%d * time.Second", d/time.Second)
	case d%time.Millisecond == 0:
		return fmt.Sprintf("%d * time.Millisecond", d/time.Millisecond)
	}
	return fmt.Sprintf("time.Duration(%d)", int64(d))
}

// humanDuration writes d for documentation: "5s", "60s", "500ms".
func humanDuration(d time.Duration) string {
	switch {
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	case d%time.Millisecond == 0:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return d.String()
}

// emitWaiters writes waiters.go for the product, or removes it when the
// data has no waiter for the product.
func (p *product) emitWaiters(root, dir string) error {
	data, err := loadWaiters(root)
	if err != nil {
		return err
	}
	ws, err := p.buildWaiters(data[p.Pkg])
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "waiters.go")
	if len(ws) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	var b buf
	b.WriteString(header)
	b.p("package %s\n", p.Pkg)
	// The imports are written out: writeGo's scan for "iter." would also
	// match "waiter.".
	b.p("import (\n\t\"context\"\n\t\"slices\"\n\t\"time\"\n")
	b.p("\t\"github.com/resourcekit/alicloud\"\n\t\"github.com/resourcekit/alicloud/internal/waiter\"\n)")
	if err := waiterTemplate.ExecuteTemplate(&b.Buffer, "file", ws); err != nil {
		return err
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return fmt.Errorf("format %s: %w", path, err)
	}
	return os.WriteFile(path, src, 0o644)
}

// waiterDoc is the documentation of a waiter's type.
func waiterDoc(w *waiterInfo) string {
	s := w.Spec
	var b strings.Builder
	fmt.Fprintf(&b, "%sWaiter waits until the change started by %s completes, polling %s", w.Name, orList(s.After), w.Op.Name)
	switch w.Matcher {
	case "value":
		fmt.Fprintf(&b, " until %s is %s.", s.Status, orList(s.Success))
	case "present":
		fmt.Fprintf(&b, " until its reply has a %s.", s.Status)
	case "all":
		if s.AllPages {
			b.WriteString(", every page of it,")
		}
		fmt.Fprintf(&b, " until each item of %s", s.Items)
		if len(w.SelectDoc) > 0 {
			fmt.Fprintf(&b, " that matches the request's %s (those set)", andList(w.SelectDoc))
		}
		fmt.Fprintf(&b, " has %s %s.", s.Status, orList(s.Success))
		if len(s.Ignore) > 0 {
			fmt.Fprintf(&b, " Items in %s are left out.", orList(s.Ignore))
		}
		switch s.Empty {
		case "success":
			b.WriteString(" When no item is left, the wait succeeds.")
		case "failure":
			b.WriteString(" When no item is left, the wait fails.")
		default:
			b.WriteString(" When no item is left, it polls again.")
		}
	}
	if len(s.Failure) > 0 {
		fmt.Fprintf(&b, " It fails with a *WaiterFailedError (ErrWaiterFailed) on %s.", orList(s.Failure))
	}
	b.WriteString(" It polls again")
	if len(s.Retry) > 0 {
		fmt.Fprintf(&b, " on %s and on any state not listed here,", orList(s.Retry))
	}
	switch len(s.RetryErrors) {
	case 0:
	case 1:
		fmt.Fprintf(&b, " on the error code %s,", s.RetryErrors[0])
	default:
		fmt.Fprintf(&b, " on the error codes %s,", andList(s.RetryErrors))
	}
	b.WriteString(" and on throttling that outlasts the client's own retries; any other error ends the wait.")
	if s.Note != "" {
		b.WriteString("\n\n")
		b.WriteString(s.Note)
	}
	return b.String()
}

func orList(xs []string) string  { return joinList(xs, "or") }
func andList(xs []string) string { return joinList(xs, "and") }

func joinList(xs []string, conj string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	case 2:
		return xs[0] + " " + conj + " " + xs[1]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " " + conj + " " + xs[len(xs)-1]
}

var waiterTemplate = template.Must(template.New("waiters").Funcs(template.FuncMap{
	"comment": func(indent, text string) string {
		var b buf
		comment(&b, indent, text)
		return strings.TrimSuffix(b.String(), "\n")
	},
	"doc":      waiterDoc,
	"duration": durationExpr,
	"human":    humanDuration,
	"paramsDoc": func(w *waiterInfo) string {
		for _, f := range w.Op.Req {
			if f.P.Required {
				return "params is not modified."
			}
		}
		return "params is not modified; nil polls with no parameter."
	},
	"join":  strings.Join,
	"quote": func(s string) string { return fmt.Sprintf("%q", s) },
}).Parse(`
{{- define "file" -}}
// ErrWaiterFailed matches, with errors.Is, the error of a waiter that saw a terminal failure state;
// errors.As with a *WaiterFailedError gives the waiter, the state and the last reply. It is
// alicloud.ErrWaiterFailed, shared by every product.
var ErrWaiterFailed = alicloud.ErrWaiterFailed

// ErrWaiterTimeout matches, with errors.Is, the error of a waiter that ran out of time (its maximum
// wait or its context's deadline); that error matches context.DeadlineExceeded too. It is
// alicloud.ErrWaiterTimeout, shared by every product.
var ErrWaiterTimeout = alicloud.ErrWaiterTimeout

// WaiterFailedError is the error of a waiter that saw a terminal failure state.
type WaiterFailedError = alicloud.WaiterFailedError

// WaiterTimeoutError is the error of a waiter that ran out of time.
type WaiterTimeoutError = alicloud.WaiterTimeoutError
{{range .}}{{template "waiter" .}}{{end}}
{{- end}}

{{- define "waiter"}}
{{$n := .Name}}{{$op := .Op.Name}}
{{comment "" (printf "%sWaiterOptions are the settings of the %s waiter. New%sWaiter fills in the defaults; functions passed to New%sWaiter change them for the waiter, functions passed to Wait or WaitForOutput for one wait." $n $n $n $n)}}
type {{$n}}WaiterOptions struct {
	// MinDelay is the shortest pause between two polls. Default: {{human .MinDelay}}.
	MinDelay time.Duration

	// MaxDelay is the longest pause between two polls: the pause grows exponentially from MinDelay,
	// with jitter, up to MaxDelay. Default: {{human .MaxDelay}}.
	MaxDelay time.Duration

	// ClientOptions are applied to every {{$op}} call the waiter makes.
	ClientOptions []Option

	// Retryable, when set, replaces the waiter's own rules. It sees each poll's request, reply (nil
	// when err is not) and error, and returns true to poll again, false to end the wait
	// successfully, or an error to end the wait with it.
	Retryable func(ctx context.Context, req *{{$op}}Request, resp *{{$op}}Response, err error) (bool, error)

	// Sleep, when set, replaces the pause between polls, for tests that move a clock of their own.
	// It must return ctx's error early when ctx ends. The maximum wait is measured on the real clock
	// whatever Sleep does.
	Sleep func(ctx context.Context, d time.Duration) error
}

{{comment "" (doc .)}}
type {{$n}}Waiter struct {
	client  {{$op}}APIClient
	options {{$n}}WaiterOptions
}

{{comment "" (printf "New%sWaiter returns the %s waiter, polling with client (usually a *Client)." $n $n)}}
func New{{$n}}Waiter(client {{$op}}APIClient, optFns ...func(*{{$n}}WaiterOptions)) *{{$n}}Waiter {
	o := {{$n}}WaiterOptions{MinDelay: {{duration .MinDelay}}, MaxDelay: {{duration .MaxDelay}}}
	for _, f := range optFns {
		f(&o)
	}
	return &{{$n}}Waiter{client: client, options: o}
}

{{comment "" (printf "Wait polls %s with params until the awaited state is reached, a failure state or an error ends the wait, maxWait has passed or ctx ends; see WaitForOutput." $op)}}
func (w *{{$n}}Waiter) Wait(ctx context.Context, params *{{$op}}Request, maxWait time.Duration, optFns ...func(*{{$n}}WaiterOptions)) error {
	_, err := w.WaitForOutput(ctx, params, maxWait, optFns...)
	return err
}

{{comment "" (printf "WaitForOutput polls %s with params until the awaited state is reached, and returns the reply that showed it. It polls at once, then after pauses between MinDelay and MaxDelay, and never sleeps past maxWait, which must be positive. A failure state gives a *WaiterFailedError (ErrWaiterFailed); running out of time gives a *WaiterTimeoutError (ErrWaiterTimeout, context.DeadlineExceeded); a cancelled ctx gives an error matching context.Canceled; any other error is returned wrapped. %s" $op (paramsDoc .))}}
func (w *{{$n}}Waiter) WaitForOutput(ctx context.Context, params *{{$op}}Request, maxWait time.Duration, optFns ...func(*{{$n}}WaiterOptions)) (*{{$op}}Response, error) {
	var req {{$op}}Request
	if params != nil {
		req = *params
	}
	o := w.options
	o.ClientOptions = slices.Clip(o.ClientOptions)
	for _, f := range optFns {
		f(&o)
	}
	call := func(ctx context.Context, r *{{$op}}Request) (*{{$op}}Response, error) {
		return w.client.{{$op}}(ctx, r, o.ClientOptions...)
	}
	{{- if .PageToken}}
	poll := func(ctx context.Context, r *{{$op}}Request) (*{{$op}}Response, error) {
		return waiter.AllPages(ctx, r, call,
			func(r *{{$op}}Request, token string) { r.{{.PageToken}} = token },
			func(p *{{$op}}Response) string { return p.{{.TokenResponse}} },
			func(p *{{$op}}Response) int { return len(p{{.MergeItems}}) },
			func(into, p *{{$op}}Response) {
				into{{.MergeItems}} = append(into{{.MergeItems}}, p{{.MergeItems}}...)
				into.{{.TokenResponse}} = p.{{.TokenResponse}}
			})
	}
	{{- else}}
	poll := call
	{{- end}}
	return waiter.Wait(ctx, waiter.Config[{{$op}}Request, {{$op}}Response]{
		Name:      {{quote $n}},
		MinDelay:  o.MinDelay,
		MaxDelay:  o.MaxDelay,
		Poll:      poll,
		Check:     {{.Lower}}Check,
		Retryable: o.Retryable,
		Sleep:     o.Sleep,
	}, &req, maxWait)
}
{{if ne .Matcher "present"}}
var {{.Lower}}Rule = &waiter.Rule[{{.Enum}}]{
	Success: []{{.Enum}}{ {{- join .Success ", " -}} },
	{{- if .Failure}}
	Failure: []{{.Enum}}{ {{- join .Failure ", " -}} },
	{{- end}}
	{{- if .Ignore}}
	Ignore: []{{.Enum}}{ {{- join .Ignore ", " -}} },
	{{- end}}
	{{- if eq .Matcher "all"}}
	Empty: {{.Empty}},
	{{- end}}
}
{{end}}
// {{.Lower}}Check applies the rules of the {{$n}} waiter to one poll.
func {{.Lower}}Check(req *{{$op}}Request, resp *{{$op}}Response, err error) (waiter.State, string, error) {
	if err != nil {
		return waiter.MatchError(err{{range .RetryCodes}}, {{.}}{{end}})
	}
	{{- if eq .Matcher "value"}}
	return waiter.MatchValue({{.Lower}}Rule, resp{{.StatusExpr}})
	{{- else if eq .Matcher "present"}}
	return waiter.MatchPresent(resp{{.StatusExpr}})
	{{- else}}
	var statuses []{{.Enum}}
	for i := range resp{{.ItemsExpr}} {
		it := &resp{{.ItemsExpr}}[i]
		{{- range .Selects}}
		if {{.}} {
			continue
		}
		{{- end}}
		statuses = append(statuses, it{{.StatusExpr}})
	}
	return waiter.MatchAll({{.Lower}}Rule, statuses)
	{{- end}}
}
{{end}}
`))
