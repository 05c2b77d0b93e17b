package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

func (p *product) emit(root string) error {
	dir := filepath.Join(root, p.Pkg)
	if err := p.emitClient(dir); err != nil {
		return err
	}
	for _, oi := range p.Ops {
		if err := p.emitOp(dir, oi); err != nil {
			return err
		}
	}
	if err := p.emitTypes(dir); err != nil {
		return err
	}
	if err := p.emitEnums(dir); err != nil {
		return err
	}
	if err := p.emitErrors(dir); err != nil {
		return err
	}
	if err := p.emitWaiters(root, dir); err != nil {
		return err
	}
	return p.emitWireTest(dir)
}

func (p *product) emitClient(dir string) error {
	var b buf
	m := p.Model
	b.p("// Service identifies the API this package calls.")
	b.p("const (")
	b.p("\t// ServiceProduct is the product code.")
	b.p("\tServiceProduct = %q", m.Product)
	b.p("\t// ServiceVersion is the API version.")
	b.p("\tServiceVersion = %q", m.Version)
	b.p(")\n")
	b.p("var service = &rpc.Service{")
	b.p("\tProduct: %q, Version: %q, EndpointPrefix: %q, Regional: %v,", m.Product, m.Version, m.ProductID, m.EndpointRule == "regional")
	if len(m.EndpointMap) > 0 {
		b.p("\tEndpointMap: map[string]string{")
		keys := make([]string, 0, len(m.EndpointMap))
		for k := range m.EndpointMap {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.p("\t\t%q: %q,", k, m.EndpointMap[k])
		}
		b.p("\t},")
	}
	b.p("}\n")
	endpoint := m.ProductID + ".aliyuncs.com"
	if m.EndpointRule == "regional" {
		endpoint = m.ProductID + ".<region>.aliyuncs.com"
	}
	comment(&b, "", fmt.Sprintf("Client calls the %s API (version %s) at %s unless an endpoint is configured. "+
		"It is safe for concurrent use; create one and share it.", m.Product, m.Version, endpoint))
	b.p("type Client struct {")
	b.p("\toptions Options")
	b.p("\trpc     *rpc.Client")
	b.p("}\n")
	comment(&b, "", "Options are the settings of a Client. New fills them from an alicloud.Config; an Option changes them for one client (passed to New) or for one call (passed to an operation), without touching the client's own copy.")
	b.p("type Options struct {")
	b.p("\t// Region is the region called; see alicloud.Config.")
	b.p("\tRegion string")
	b.p("\t// Endpoint overrides the endpoint rule: a host or a URL whose scheme is honoured.")
	b.p("\tEndpoint string")
	b.p("\t// Credentials sign the requests.")
	b.p("\tCredentials alicloud.CredentialsProvider")
	b.p("\t// HTTPClient sends the requests; nil selects the SDK's tuned client.")
	b.p("\tHTTPClient *http.Client")
	b.p("\t// Retry bounds the retries of a call.")
	b.p("\tRetry alicloud.RetryOptions")
	b.p("\t// Logger receives a debug record per attempt; nil disables logging.")
	b.p("\tLogger *slog.Logger")
	b.p("\t// UserAgent is appended to the User-Agent header.")
	b.p("\tUserAgent string")
	b.p("\t// Hooks observe every operation and attempt.")
	b.p("\tHooks []alicloud.Hook")
	b.p("\t// RateLimit paces calls on the client side; nil means no limit.")
	b.p("\tRateLimit alicloud.RateLimiter")
	b.p("\t// SignatureVersion selects the request signature (V1 by default).")
	b.p("\tSignatureVersion alicloud.SignatureVersion")
	b.p("}\n")
	b.p("// Option changes Options for a client or a single call.")
	b.p("type Option func(*Options)\n")
	for _, o := range []struct{ name, field, typ, doc string }{
		{"WithRegion", "Region", "string", "WithRegion sets the region."},
		{"WithEndpoint", "Endpoint", "string", "WithEndpoint sets the endpoint: a host, or a URL whose scheme is honoured (http://127.0.0.1:8080)."},
		{"WithCredentials", "Credentials", "alicloud.CredentialsProvider", "WithCredentials sets the credentials provider."},
		{"WithHTTPClient", "HTTPClient", "*http.Client", "WithHTTPClient sets the HTTP client, used as given."},
		{"WithRetry", "Retry", "alicloud.RetryOptions", "WithRetry sets the retry bounds."},
		{"WithLogger", "Logger", "*slog.Logger", "WithLogger sets the logger."},
		{"WithUserAgent", "UserAgent", "string", "WithUserAgent sets the User-Agent suffix."},
		{"WithRateLimit", "RateLimit", "alicloud.RateLimiter", "WithRateLimit sets the client-side rate limiter."},
		{"WithSignatureVersion", "SignatureVersion", "alicloud.SignatureVersion", "WithSignatureVersion selects the request signature."},
	} {
		b.p("// %s", o.doc)
		b.p("func %s(v %s) Option { return func(o *Options) { o.%s = v } }\n", o.name, o.typ, o.field)
	}
	b.p("// WithHooks adds hooks that observe operations and attempts.")
	b.p("func WithHooks(h ...alicloud.Hook) Option {")
	b.p("\treturn func(o *Options) { o.Hooks = append(slices.Clip(o.Hooks), h...) }")
	b.p("}\n")
	comment(&b, "", "New returns a client configured by cfg and then by opts. It never fails: an unusable configuration (no credentials, an invalid endpoint) is reported by each call.")
	b.p("%s", `func New(cfg alicloud.Config, opts ...Option) *Client {
	o := Options(bridge.FromConfig(cfg))
	for _, f := range opts {
		f(&o)
	}
	return &Client{options: o, rpc: rpc.NewClient(service, bridge.Settings(bridge.Options(o)))}
}

// Options returns a copy of the client's settings.
func (c *Client) Options() Options { return c.options }

// String describes the client by product, region and endpoint. Printing a
// client never shows its credentials.
func (c Client) String() string {
	return "`+p.Pkg+`.Client{Region: " + c.options.Region + ", Endpoint: " + c.options.Endpoint + "}"
}

// GoString keeps %#v from walking the client's fields.
func (c Client) GoString() string { return c.String() }

// Format routes every fmt verb through String.
func (c Client) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

// LogValue keeps slog from walking the client's fields.
func (c Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// invoke sends one operation through the shared pipeline, with per-call
// options applied to a copy of the client's.
func (c *Client) invoke(ctx context.Context, op *rpc.Operation, in any, out rpc.Decoder, opts []Option) error {
	rc := c.rpc
	if len(opts) > 0 {
		o := c.options
		for _, f := range opts {
			f(&o)
		}
		rc = rc.WithSettings(bridge.Settings(bridge.Options(o)))
	}
	if err := rc.Invoke(ctx, op, in, out); err != nil {
		return bridge.PublicError(ServiceProduct, op.Name, err)
	}
	return nil
}`)
	return writeGo(filepath.Join(dir, "api_client.go"), p.Pkg, "", b.Bytes())
}

// ---- operations ----

func (p *product) emitOp(dir string, oi *opInfo) error {
	var b buf
	op := oi.M
	// request
	comment(&b, "", fmt.Sprintf("%sRequest holds the parameters of %s.", oi.Name, oi.Name))
	b.p("type %sRequest struct {", oi.Name)
	for i, f := range oi.Req {
		if i > 0 {
			b.p("")
		}
		comment(&b, "\t", p.fieldDoc(f))
		b.p("\t%s %s `url:\"%s,omitempty\"`", f.Name, goType(f), f.Name)
	}
	b.p("}\n")
	p.emitValidate(&b, oi)

	// response
	comment(&b, "", fmt.Sprintf("%sResponse is the reply of %s.", oi.Name, oi.Name))
	b.p("type %sResponse struct {", oi.Name)
	for i, f := range oi.Resp {
		if i > 0 {
			b.p("")
		}
		comment(&b, "\t", p.fieldDoc(f))
		b.p("\t%s %s", f.Name, goType(f))
	}
	b.p("}\n")
	comment(&b, "", "UnmarshalJSON decodes the reply. It accepts numbers sent as strings and the documented timestamp formats, and ignores unknown fields.")
	b.p("func (r *%sResponse) UnmarshalJSON(data []byte) error {", oi.Name)
	b.p("\t*r = %sResponse{}", oi.Name)
	b.p("\td := decode.New(data)")
	b.p("\tr.decode(d)")
	b.p("\treturn d.Finish()")
	b.p("}\n")
	emitDecode(&b, oi.Name+"Response", oi.Resp)

	// method
	b.p("var op%s = &rpc.Operation{Name: %q, ReadOnly: %v, Anonymous: %v}\n", oi.Name, oi.Name, op.ReadOnly, op.AuthType == "Anonymous")
	comment(&b, "", opDoc(p, oi))
	b.p("func (c *Client) %s(ctx context.Context, req *%sRequest, opts ...Option) (*%sResponse, error) {", oi.Name, oi.Name, oi.Name)
	b.p("\tif req == nil {\n\t\treq = &%sRequest{}\n\t}", oi.Name)
	b.p("\tout := &%sResponse{}", oi.Name)
	b.p("\tif err := c.invoke(ctx, op%s, req, out, opts); err != nil {\n\t\treturn nil, err\n\t}", oi.Name)
	b.p("\treturn out, nil")
	b.p("}\n")
	comment(&b, "", fmt.Sprintf("%sAPIClient is the one method of Client that calls %s, so that code which needs only this call can take a fake.", oi.Name, oi.Name))
	b.p("type %sAPIClient interface {", oi.Name)
	b.p("\t%s(ctx context.Context, req *%sRequest, opts ...Option) (*%sResponse, error)", oi.Name, oi.Name, oi.Name)
	b.p("}\n")
	b.p("var _ %sAPIClient = (*Client)(nil)\n", oi.Name)
	if oi.Page != nil {
		p.emitPaging(&b, oi)
	}
	return writeGo(filepath.Join(dir, "api_op_"+oi.Name+".go"), p.Pkg, "", b.Bytes())
}

func (p *product) emitPaging(b *buf, oi *opInfo) {
	pg := oi.Page
	style := "NextToken"
	if pg.Kind == "PageNumber" {
		style = "PageNumber and PageSize, stopping at TotalCount"
	}
	comment(b, "", fmt.Sprintf("%sPages iterates over the pages of %s (paged by %s). It works on a copy of req, "+
		"fetches a page only when the loop asks for one (break to stop), and yields at most one error, then stops.", oi.Name, oi.Name, style))
	b.p("func (c *Client) %sPages(ctx context.Context, req *%sRequest, opts ...Option) iter.Seq2[*%sResponse, error] {", oi.Name, oi.Name, oi.Name)
	b.p("\tfetch := func(ctx context.Context, r *%sRequest) (*%sResponse, error) { return c.%s(ctx, r, opts...) }", oi.Name, oi.Name, oi.Name)
	if pg.Kind == "NextToken" {
		b.p("\treturn paginate.TokenPages(ctx, req, fetch,")
		b.p("\t\tfunc(r *%sRequest, token string) { r.NextToken = token },", oi.Name)
		b.p("\t\tfunc(p *%sResponse) string { return p.NextToken },", oi.Name)
		b.p("\t\tfunc(p *%sResponse) []%s { return %s })", oi.Name, pg.ItemType, pg.ItemsExpr)
	} else {
		size := "0"
		if pg.SizeParam != "" {
			size = "r.PageSize"
		}
		echoNum, echoSz := "0", "0"
		if pg.HasEchoNum {
			echoNum = "p.PageNumber"
		}
		if pg.HasEchoSz {
			echoSz = "p.PageSize"
		}
		b.p("\treturn paginate.NumberPages(ctx, req, fetch,")
		n := pg.NumType
		b.p("\t\tfunc(r *%sRequest) *%s { return &r.PageNumber },", oi.Name, n)
		b.p("\t\tfunc(r *%sRequest) %s { return %s },", oi.Name, n, size)
		b.p("\t\tfunc(p *%sResponse) (int64, %s, %s) { return int64(p.TotalCount), %s(%s), %s(%s) },", oi.Name, n, n, n, echoNum, n, echoSz)
		b.p("\t\tfunc(p *%sResponse) []%s { return %s })", oi.Name, pg.ItemType, pg.ItemsExpr)
	}
	b.p("}\n")
	comment(b, "", fmt.Sprintf("%sAll iterates over every item of every page of %s, with the guarantees of %sPages.", oi.Name, oi.Name, oi.Name))
	b.p("func (c *Client) %sAll(ctx context.Context, req *%sRequest, opts ...Option) iter.Seq2[%s, error] {", oi.Name, oi.Name, pg.ItemType)
	b.p("\treturn paginate.Items(c.%sPages(ctx, req, opts...), func(p *%sResponse) []%s { return %s })", oi.Name, oi.Name, pg.ItemType, pg.ItemsExpr)
	b.p("}\n")
}

func opDoc(p *product, oi *opInfo) string {
	var parts []string
	if d := p.opSummary(oi.Name); d != "" {
		parts = append(parts, oi.Name+" "+lowerInitial(d))
	} else {
		parts = append(parts, summary(oi.Name))
	}
	if oi.M.Deprecated {
		parts = append(parts, "")
		parts = append(parts, "Deprecated: the service keeps this operation for compatibility only; new code should not call it.")
	}
	var req []string
	for _, f := range oi.Req {
		if f.P.Required {
			req = append(req, f.Name)
		}
	}
	parts = append(parts, "")
	if len(req) > 0 {
		parts = append(parts, "Required parameters: "+strings.Join(req, ", ")+".")
	} else {
		parts = append(parts, "No parameter is required; req may be nil.")
	}
	if oi.M.ReadOnly {
		parts = append(parts, "The operation is read-only, so it is retried after any transient failure.")
	}
	if oi.Page != nil {
		parts = append(parts, fmt.Sprintf("It pages by %s; %sPages and %sAll iterate.", oi.Page.Kind, oi.Name, oi.Name))
	}
	if len(oi.Codes) > 0 {
		var names []string
		seen := map[string]bool{}
		for _, c := range oi.Codes {
			expr := p.codeExpr(c.Code)
			if seen[expr] {
				continue
			}
			seen[expr] = true
			names = append(names, expr)
		}
		parts = append(parts, "Documented errors (match with errors.Is): "+strings.Join(names, ", ")+".")
	}
	return strings.Join(parts, "\n")
}

func (p *product) fieldDoc(f *field) string {
	var s []string
	prm := f.P
	desc := p.fieldDescription(f)
	if desc != "" {
		s = append(s, desc)
	}
	switch {
	case f.Request && prm.Required:
		s = append(s, "Required.")
	case f.Request:
		s = append(s, "Optional.")
	case desc == "":
		s = append(s, f.Name+" is the reply's "+f.Name+" field.")
	}
	if prm.Min != nil && prm.Max != nil {
		s = append(s, fmt.Sprintf("Valid values: %s to %s.", num(*prm.Min), num(*prm.Max)))
	} else if prm.Min != nil {
		s = append(s, fmt.Sprintf("Minimum: %s.", num(*prm.Min)))
	} else if prm.Max != nil {
		s = append(s, fmt.Sprintf("Maximum: %s.", num(*prm.Max)))
	}
	if prm.MinLength != nil && prm.MaxLength != nil {
		s = append(s, fmt.Sprintf("Length: %d to %d characters.", *prm.MinLength, *prm.MaxLength))
	} else if prm.MaxLength != nil {
		s = append(s, fmt.Sprintf("At most %d characters.", *prm.MaxLength))
	}
	if prm.MaxItems != nil {
		s = append(s, fmt.Sprintf("At most %d items.", *prm.MaxItems))
	}
	if f.Kind == kEnum {
		s = append(s, fmt.Sprintf("Documented values: the %s constants.", f.Enum.Name))
	}
	if f.Kind == kList && f.Elem.Kind == kEnum {
		s = append(s, fmt.Sprintf("Documented values: the %s constants.", f.Elem.Enum.Name))
	}
	if f.Shrink {
		s = append(s, "Sent as one JSON array.")
	} else if f.Kind == kList && f.Request {
		s = append(s, fmt.Sprintf("Sent as %s.1, %s.2, ...", f.Name, f.Name))
	}
	if f.Ptr {
		s = append(s, "Nil leaves the service's default; set it with alicloud.Ptr.")
	}
	if prm.Default != nil {
		s = append(s, fmt.Sprintf("Default: %v.", prm.Default))
	}
	if prm.Example != "" && !strings.Contains(prm.Example, "\n") && len(prm.Example) < 80 {
		s = append(s, fmt.Sprintf("Example: %s.", strconv.Quote(prm.Example)))
	}
	doc := strings.Join(s, " ")
	// A paragraph of its own, so that gopls, staticcheck and pkg.go.dev
	// recognise the marker.
	switch {
	case prm.Deprecated && prm.ReplacedBy != "":
		doc += fmt.Sprintf("\n\nDeprecated: use %s instead; the service keeps %s for compatibility only.", prm.ReplacedBy, f.Name)
	case prm.Deprecated:
		doc += "\n\nDeprecated: the service keeps this field for compatibility only and no longer documents its use."
	}
	return doc
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// ---- validation ----

func (p *product) codeExpr(code string) string {
	if c, ok := p.codeSet[code]; ok {
		return c.Const
	}
	if c, ok := p.common[code]; ok {
		return "alicloud." + c
	}
	return "alicloud.ErrorCode(" + strconv.Quote(code) + ")"
}

// findCode looks for the documented code of a fault on a field:
// prefix.Field+suffix, or prefix.<anything>.Field+suffix.
func findCode(codes []apimodel.ErrorCode, prefix, fieldName, suffix string) string {
	exact := prefix + "." + fieldName + suffix
	for _, c := range codes {
		if c.Code == exact {
			return c.Code
		}
	}
	for _, c := range codes {
		if strings.HasPrefix(c.Code, prefix+".") && strings.HasSuffix(c.Code, "."+fieldName+suffix) {
			return c.Code
		}
	}
	return ""
}

func (p *product) missingCode(oi *opInfo, name string) string {
	if c := findCode(oi.Codes, "MissingParameter", name, ""); c != "" {
		return p.codeExpr(c)
	}
	return p.codeExpr("MissingParameter")
}

func (p *product) invalidCode(oi *opInfo, name string) string {
	if c := findCode(oi.Codes, "InvalidParameter", name, ""); c != "" {
		return p.codeExpr(c)
	}
	return p.codeExpr("InvalidParameter")
}

func (p *product) lengthCode(oi *opInfo, name string) string {
	if c := findCode(oi.Codes, "InvalidParameter", name, ".Length"); c != "" {
		return p.codeExpr(c)
	}
	return p.invalidCode(oi, name)
}

func (p *product) emitValidate(b *buf, oi *opInfo) {
	comment(b, "", fmt.Sprintf("Validate checks the documented constraints of %s: required parameters, ranges, lengths, list sizes and duplicates. "+
		"The client calls it before sending; an error is a *alicloud.ValidationError that matches the documented code with errors.Is.", oi.Name))
	b.p("func (r *%sRequest) Validate() error {", oi.Name)
	for _, f := range oi.Req {
		p.emitFieldChecks(b, oi, f, "r."+f.Name, strconv.Quote(f.Name), f.Name)
	}
	b.p("\tif v, ok := any(r).(interface{ validateCustom() error }); ok {\n\t\treturn v.validateCustom()\n\t}")
	b.p("\treturn nil")
	b.p("}\n")
}

// emitFieldChecks writes the checks of one field. expr is the Go value,
// label a Go expression for the field's name in errors, codeName the name
// documented codes use for it.
func (p *product) emitFieldChecks(b *buf, oi *opInfo, f *field, expr, label, codeName string) {
	prm := f.P
	op := strconv.Quote(oi.Name)
	fail := func(reason, code string) {
		b.p("\t\treturn bridge.Invalid(%s, %s, %s, %s)", op, label, reason, code)
	}
	switch f.Kind {
	case kString, kEnum:
		if prm.Required {
			b.p("\tif %s == \"\" {", expr)
			fail(`"is required"`, p.missingCode(oi, codeName))
			b.p("\t}")
		}
		if prm.MinLength != nil || prm.MaxLength != nil {
			lo, hi := 0, -1
			if prm.MinLength != nil {
				lo = *prm.MinLength
			}
			if prm.MaxLength != nil {
				hi = *prm.MaxLength
			}
			cond := fmt.Sprintf("n < %d", lo)
			desc := fmt.Sprintf("at least %d", lo)
			if hi >= 0 {
				cond = fmt.Sprintf("n < %d || n > %d", lo, hi)
				desc = fmt.Sprintf("%d to %d", lo, hi)
			}
			b.p("\tif n := utf8.RuneCountInString(string(%s)); %s != \"\" && (%s) {", expr, expr, cond)
			fail(fmt.Sprintf(`fmt.Sprintf("must be %s characters long, not %%d", n)`, desc), p.lengthCode(oi, codeName))
			b.p("\t}")
		}
	case kInt32, kInt64, kFloat:
		if prm.Min == nil && prm.Max == nil {
			return
		}
		var conds []string
		var desc string
		if prm.Min != nil {
			conds = append(conds, fmt.Sprintf("%s < %s", expr, num(*prm.Min)))
		}
		if prm.Max != nil {
			conds = append(conds, fmt.Sprintf("%s > %s", expr, num(*prm.Max)))
		}
		switch {
		case prm.Min != nil && prm.Max != nil:
			desc = fmt.Sprintf("from %s to %s", num(*prm.Min), num(*prm.Max))
		case prm.Min != nil:
			desc = "at least " + num(*prm.Min)
		default:
			desc = "at most " + num(*prm.Max)
		}
		b.p("\tif %s != 0 && (%s) {", expr, strings.Join(conds, " || "))
		fail(fmt.Sprintf(`fmt.Sprintf("must be %s, not %%v", %s)`, desc, expr), p.invalidCode(oi, codeName))
		b.p("\t}")
	case kList:
		if prm.Required {
			b.p("\tif len(%s) == 0 {", expr)
			fail(`"is required"`, p.missingCode(oi, codeName))
			b.p("\t}")
		}
		if prm.MaxItems != nil {
			b.p("\tif len(%s) > %d {", expr, *prm.MaxItems)
			fail(fmt.Sprintf(`fmt.Sprintf("must have at most %d items, not %%d", len(%s))`, *prm.MaxItems, expr), p.lengthCode(oi, codeName))
			b.p("\t}")
		}
		if dup := findCode(oi.Codes, "InvalidParameter", codeName, ".Duplicate"); dup != "" && comparable(f.Elem) {
			b.p("\tif i := bridge.DuplicateAt(%s); i >= 0 {", expr)
			fail(fmt.Sprintf(`fmt.Sprintf("item %%d repeats an earlier item", i+1)`), p.codeExpr(dup))
			b.p("\t}")
		}
		if needsElemChecks(f.Elem) {
			b.p("\tfor i := range %s {", expr)
			b.p("\t\t_ = i")
			elemLabel := fmt.Sprintf(`fmt.Sprintf("%s.%%d", i+1)`, f.Name)
			if label != strconv.Quote(f.Name) {
				elemLabel = fmt.Sprintf(`%s+fmt.Sprintf(".%%d", i+1)`, label)
			}
			if f.Elem.Kind == kStruct {
				for _, sf := range f.Elem.Struct.Fields {
					sub := *sf
					p.emitFieldChecks(b, oi, &sub, fmt.Sprintf("%s[i].%s", expr, sf.Name), elemLabel+"+"+strconv.Quote("."+sf.Name), codeName)
				}
			} else {
				p.emitFieldChecks(b, oi, f.Elem, expr+"[i]", elemLabel, codeName)
			}
			b.p("\t}")
		}
	}
}

func comparable(f *field) bool {
	switch f.Kind {
	case kList:
		return false
	case kStruct:
		for _, sf := range f.Struct.Fields {
			if !comparable(sf) || sf.Ptr {
				return false
			}
		}
	}
	return true
}

func needsElemChecks(f *field) bool {
	prm := f.P
	switch f.Kind {
	case kStruct:
		for _, sf := range f.Struct.Fields {
			if needsElemChecks(sf) {
				return true
			}
		}
		return false
	case kString, kEnum:
		return prm.Required || prm.MinLength != nil || prm.MaxLength != nil
	case kInt32, kInt64, kFloat:
		return prm.Min != nil || prm.Max != nil
	case kList:
		return prm.Required || prm.MaxItems != nil || needsElemChecks(f.Elem)
	}
	return false
}

// ---- decoding ----

func emitDecode(b *buf, typeName string, fields []*field) {
	b.p("func (v *%s) decode(d *decode.Decoder) {", typeName)
	b.p("\tif !d.BeginObject() {\n\t\treturn\n\t}")
	b.p("\tfor {")
	b.p("\t\tkey, ok := d.NextKey()")
	b.p("\t\tif !ok {\n\t\t\treturn\n\t\t}")
	b.p("\t\tswitch string(key) {")
	for _, f := range fields {
		b.p("\t\tcase %q:", f.Name)
		emitDecodeValue(b, "\t\t\t", "v."+f.Name, f, 0)
	}
	b.p("\t\tdefault:\n\t\t\td.Skip()")
	b.p("\t\t}")
	b.p("\t}")
	b.p("}\n")
}

func emitDecodeValue(b *buf, ind, target string, f *field, depth int) {
	switch f.Kind {
	case kString:
		b.p("%s%s = d.String()", ind, target)
	case kEnum:
		if f.Enum.Fold {
			b.p("%s%s = fold%s(d.String())", ind, target, f.Enum.Name)
			return
		}
		b.p("%s%s = %s(d.String())", ind, target, f.Enum.Name)
	case kTime:
		b.p("%s%s = d.Time()", ind, target)
	case kInt32:
		b.p("%s%s = d.Int32()", ind, target)
	case kInt64:
		b.p("%s%s = d.Int64()", ind, target)
	case kFloat:
		b.p("%s%s = d.Float64()", ind, target)
	case kBool:
		if f.Ptr {
			b.p("%s%s = alicloud.Ptr(d.Bool())", ind, target)
		} else {
			b.p("%s%s = d.Bool()", ind, target)
		}
	case kStruct:
		b.p("%s%s.decode(d)", ind, target)
	case kList:
		// A repeated key replaces the list, as it does a scalar.
		b.p("%s%s = nil", ind, target)
		if f.Wrapper == "" {
			emitDecodeArray(b, ind, target, f, depth)
			return
		}
		// The reply wraps the list in an object of one member; step over
		// it, and take a bare array too, as some operations send one.
		k := fmt.Sprintf("k%d", depth)
		b.p("%sif d.Peek() == decode.Object {", ind)
		b.p("%s\tif d.BeginObject() {", ind)
		b.p("%s\t\tfor {", ind)
		b.p("%s\t\t\t%s, ok := d.NextKey()", ind, k)
		b.p("%s\t\t\tif !ok {\n%s\t\t\t\tbreak\n%s\t\t\t}", ind, ind, ind)
		b.p("%s\t\t\tif string(%s) != %q {\n%s\t\t\t\td.Skip()\n%s\t\t\t\tcontinue\n%s\t\t\t}", ind, k, f.Wrapper, ind, ind, ind)
		emitDecodeArray(b, ind+"\t\t\t", target, f, depth)
		b.p("%s\t\t}", ind)
		b.p("%s\t}", ind)
		b.p("%s} else {", ind)
		emitDecodeArray(b, ind+"\t", target, f, depth)
		b.p("%s}", ind)
	}
}

func emitDecodeArray(b *buf, ind, target string, f *field, depth int) {
	elem := fmt.Sprintf("e%d", depth)
	b.p("%sif d.BeginArray() {", ind)
	b.p("%s\tfor d.NextElem() {", ind)
	b.p("%s\t\tvar %s %s", ind, elem, goType(f.Elem))
	emitDecodeValue(b, ind+"\t\t", elem, f.Elem, depth+1)
	b.p("%s\t\t%s = append(%s, %s)", ind, target, target, elem)
	b.p("%s\t}", ind)
	b.p("%s}", ind)
}

// ---- types, enums, errors ----

func (p *product) emitTypes(dir string) error {
	var b buf
	for _, st := range p.Types {
		uses := "returned by the service"
		if st.Request && st.Response {
			uses = "sent in requests and returned by the service"
		} else if st.Request {
			uses = "sent in requests"
		}
		summaryDoc := ""
		if d := p.typeSummary(st); d != "" {
			summaryDoc = "\n\n" + d
		}
		if st.entity != nil {
			doc := fmt.Sprintf("%s is one %s entity as the API describes it, the single type for it in every operation.", st.Name, p.Model.Product)
			if len(st.ops) > 0 {
				doc += fmt.Sprintf(" Its fields are the union of what %s return; a field an operation does not send stays at its zero value.", andList(st.ops))
			}
			if st.Request {
				doc += " It is sent in requests too."
			}
			comment(&b, "", doc+summaryDoc)
		} else {
			comment(&b, "", fmt.Sprintf("%s is a structure %s (first seen in %s).", st.Name, uses, st.firstOp.Name)+summaryDoc)
		}
		b.p("type %s struct {", st.Name)
		for i, f := range st.Fields {
			if i > 0 {
				b.p("")
			}
			comment(&b, "\t", p.fieldDoc(f))
			if st.Request {
				b.p("\t%s %s `url:\"%s,omitempty\"`", f.Name, goType(f), f.Name)
			} else {
				b.p("\t%s %s", f.Name, goType(f))
			}
		}
		b.p("}\n")
		if st.Response {
			emitDecode(&b, st.Name, st.Fields)
		}
	}
	return writeGo(filepath.Join(dir, "types.go"), p.Pkg, "", b.Bytes())
}

func (p *product) emitEnums(dir string) error {
	var b buf
	for _, e := range p.Enums {
		comment(&b, "", fmt.Sprintf("%s is a documented enumeration (field %s). The service may add values; unknown ones decode as they are.", e.Name, e.Field))
		b.p("type %s string\n", e.Name)
		b.p("// Documented values of %s.", e.Name)
		b.p("const (")
		for _, v := range e.Values {
			b.p("\t%s%s %s = %q", e.Name, enumConstSuffix(v), e.Name, v)
		}
		b.p(")\n")
		b.p("// Values returns the documented values of %s.", e.Name)
		b.p("func (%s) Values() []%s {", e.Name, e.Name)
		b.p("\treturn []%s{", e.Name)
		for _, v := range e.Values {
			b.p("\t\t%s%s,", e.Name, enumConstSuffix(v))
		}
		b.p("\t}")
		b.p("}\n")
		if e.Fold {
			comment(&b, "", fmt.Sprintf("fold%s returns the documented constant a reply names in another casing, and any other value as it is.", e.Name))
			b.p("func fold%s(s string) %s {", e.Name, e.Name)
			b.p("\tswitch {")
			for _, v := range e.Values {
				b.p("\tcase strings.EqualFold(s, %q):", v)
				b.p("\t\treturn %s%s", e.Name, enumConstSuffix(v))
			}
			b.p("\t}")
			b.p("\treturn %s(s)", e.Name)
			b.p("}\n")
		}
	}
	return writeGo(filepath.Join(dir, "enums.go"), p.Pkg, "", b.Bytes())
}

func (p *product) emitErrors(dir string) error {
	var b buf
	b.p("// Documented error codes of %s. Each matches with errors.Is both the service's", p.Model.Product)
	b.p("// reply and the same fault found by client-side validation.")
	b.p("const (")
	for _, c := range p.Codes {
		statuses := make([]string, len(c.Statuses))
		for i, s := range c.Statuses {
			statuses[i] = strconv.Itoa(s)
		}
		doc := fmt.Sprintf("%s is %q: HTTP %s, documented for %s.", c.Const, c.Code, strings.Join(statuses, " or "), strings.Join(c.Ops, ", "))
		if len(c.Messages) > 0 {
			doc += " The service says: " + strconv.Quote(c.Messages[0])
		}
		comment(&b, "\t", doc)
		b.p("\t%s alicloud.ErrorCode = %q", c.Const, c.Code)
	}
	b.p(")\n")
	b.p("// ErrorCodes lists every documented code of the product with the operations")
	b.p("// that document it, for tools and tests.")
	b.p("var ErrorCodes = map[alicloud.ErrorCode][]string{")
	for _, c := range p.Codes {
		b.p("\t%s: {%s},", c.Const, quoteList(c.Ops))
	}
	b.p("}")
	return writeGo(filepath.Join(dir, "errors.go"), p.Pkg, "", b.Bytes())
}

func emitCommon(root string, common *apimodel.CommonErrors) error {
	var b buf
	b.p("// Error codes that every product may return: request signing, access keys,")
	b.p("// throttling and service availability. Codes documented as patterns")
	b.p("// (\"Missing{ParameterName}\", \"Invalid{ParameterName}\") stand for a family of")
	b.p("// product codes and have no constant here.")
	b.p("const (")
	for _, e := range common.Errors {
		if isTemplate(e.Code) {
			continue
		}
		comment(&b, "\t", fmt.Sprintf("%s is %q: HTTP %d. The service says: %s", errConstName(e.Code), e.Code, e.HTTP, strconv.Quote(e.Message)))
		b.p("\t%s ErrorCode = %q", errConstName(e.Code), e.Code)
	}
	b.p(")")
	return writeGo(filepath.Join(root, "errors_common.go"), "alicloud", "", b.Bytes())
}
