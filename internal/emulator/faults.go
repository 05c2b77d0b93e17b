package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// errCode is a documented error code used as a sentinel error. Handlers and
// the store return these constants; the writer looks up the HTTP status and
// the message the error model documents for the operation being served, so
// no status or message is typed into the emulator twice.
type errCode string

// Error returns the code.
func (c errCode) Error() string { return string(c) }

// apiError is an error reply that needs more than a bare code: a code
// documented as a pattern ("Missing{ParameterName}") together with the
// parameter it names, an injected fault with its own status, or a hint for
// the Recommend field.
type apiError struct {
	code string
	// param fills the pattern codes and messages (MissingParameter,
	// Missing{ParameterName}, Invalid{ParameterName}).
	param string
	// status overrides the documented status when non-zero.
	status int
	// message overrides the documented message when non-empty.
	message string
	// recommend is put in the reply's Recommend field.
	recommend string
}

// Error describes the fault for logs and test failures.
func (e *apiError) Error() string {
	if e.param != "" {
		return e.code + " (" + e.param + ")"
	}
	return e.code
}

// missingParam is the reply for an absent required parameter: the
// operation's documented MissingParameter.X code when there is one, else the
// common MissingParameter code naming the parameter.
func missingParam(ops opCodes, name string) error {
	if code, ok := ops.paramCode("MissingParameter", name, ""); ok {
		return errCode(code)
	}
	return &apiError{code: codeMissingParameter, param: name}
}

// invalidParam is the reply for a parameter with a bad value; suffix is ""
// or ".Length". It prefers the operation's documented
// InvalidParameter.X<suffix>, then InvalidParameter.X, then the operation's
// plain InvalidParameter, then the common pattern Invalid{ParameterName}.
func invalidParam(ops opCodes, name, suffix string) error {
	if suffix != "" {
		if code, ok := ops.paramCode("InvalidParameter", name, suffix); ok {
			return errCode(code)
		}
	}
	if code, ok := ops.paramCode("InvalidParameter", name, ""); ok {
		return errCode(code)
	}
	if ops.has(codeInvalidParameter) {
		return errCode(codeInvalidParameter)
	}
	return &apiError{code: "Invalid" + name, param: name}
}

// Codes of the common error model the protocol layer uses.
const (
	codeMissingParameter       = "MissingParameter"
	codeInvalidParameter       = "InvalidParameter"
	codeInternalError          = "InternalError"
	codeInvalidAPINotFound     = "InvalidApi.NotFound"
	codeAccessKeyNotFound      = "InvalidAccessKeyId.NotFound"
	codeTimestampFormat        = "InvalidTimeStamp.Format"
	codeTimestampExpired       = "InvalidTimeStamp.Expired"
	codeNonceUsed              = "SignatureNonceUsed"
	codeSignatureMismatch      = "SignatureDoesNotMatch"
	codeSignatureMethod        = "InvalidSignatureMethod"
	codeIncompleteSignature    = "IncompleteSignature"
	codeParameterFormat        = "InvalidParameter.Format"
	codeUnsupportedHTTPMethod  = "UnsupportedHTTPMethod"
	codeLimitExceededFrequency = "LimitExceeded.Frequency"
	codeForbiddenRAM           = "Forbidden.RAM"
)

// catalog is the error model: every documented code with its HTTP status and
// message, per operation, per product and for all products.
type catalog struct {
	byOp      map[string]map[string]map[string]apimodel.ErrorCode // product -> op -> code
	byProduct map[string]map[string]apimodel.ErrorCode            // product -> code
	common    map[string]apimodel.ErrorCode
	patterns  map[string]apimodel.ErrorCode // "Missing{ParameterName}", "Invalid{ParameterName}"
}

func loadCatalog(products ...string) (*catalog, error) {
	c := &catalog{
		byOp:      map[string]map[string]map[string]apimodel.ErrorCode{},
		byProduct: map[string]map[string]apimodel.ErrorCode{},
		common:    map[string]apimodel.ErrorCode{},
		patterns:  map[string]apimodel.ErrorCode{},
	}
	for _, name := range products {
		errs, err := apimodel.LoadErrors(name)
		if err != nil {
			return nil, err
		}
		ops := map[string]map[string]apimodel.ErrorCode{}
		all := map[string]apimodel.ErrorCode{}
		for op, list := range errs.Operations {
			m := map[string]apimodel.ErrorCode{}
			for _, e := range list {
				m[e.Code] = e
				if _, ok := all[e.Code]; !ok {
					all[e.Code] = e
				}
			}
			ops[op] = m
		}
		c.byOp[name] = ops
		c.byProduct[name] = all
	}
	common, err := apimodel.LoadCommonErrors()
	if err != nil {
		return nil, err
	}
	for _, e := range common.Errors {
		if strings.Contains(e.Code, "{") {
			c.patterns[e.Code] = e
			continue
		}
		c.common[e.Code] = e
	}
	return c, nil
}

// opCodes are the documented codes of one operation.
type opCodes map[string]apimodel.ErrorCode

func (c *catalog) forOp(product, op string) opCodes { return c.byOp[product][op] }

// paramCode finds the operation's documented code for a fault of one
// parameter: kind is "MissingParameter" or "InvalidParameter", suffix ""
// or ".Length" or ".Duplicate". The code's middle part names the parameter
// with optional qualifying segments: InvalidParameter.Account.DisplayName
// is about DisplayName, MissingParameter.Folder.Name about FolderName. An
// exact match wins over a qualified one.
func (o opCodes) paramCode(kind, name, suffix string) (string, bool) {
	best, bestScore := "", 0
	for code := range o {
		rest, ok := strings.CutPrefix(code, kind+".")
		if !ok {
			continue
		}
		if suffix != "" {
			if rest, ok = strings.CutSuffix(rest, suffix); !ok {
				continue
			}
		}
		segs := strings.Split(rest, ".")
		score := 0
		for i := len(segs) - 1; i >= 0; i-- {
			if strings.Join(segs[i:], "") == name {
				score = 1
				if i == 0 {
					score = 2
				}
				break
			}
		}
		if score > bestScore || (score == bestScore && score > 0 && code < best) {
			best, bestScore = code, score
		}
	}
	return best, bestScore > 0
}

func (o opCodes) has(code string) bool { _, ok := o[code]; return ok }

// reply is a resolved error reply.
type reply struct {
	status    int
	code      string
	message   string
	recommend string
}

// resolve turns an error from the pipeline or a handler into the reply the
// service documents: the status and message documented for the operation,
// else for the product, else for any product, else the common codes and
// patterns. An error that carries no code, or a code documented nowhere, is
// a defect of the emulator and becomes 500 InternalError.
func (c *catalog) resolve(product, op string, err error) reply {
	var code, param, message, recommend string
	status := 0
	var ae *apiError
	var ec errCode
	switch {
	case errors.As(err, &ae):
		code, param, status, message, recommend = ae.code, ae.param, ae.status, ae.message, ae.recommend
	case errors.As(err, &ec):
		code = string(ec)
	default:
		return c.internal(fmt.Sprintf("unexpected failure: %v", err))
	}
	doc, ok := c.lookup(product, op, code, param)
	if !ok && status == 0 {
		return c.internal("the emulator used an undocumented error code " + code)
	}
	if !ok {
		doc = apimodel.ErrorCode{HTTP: status, Code: code, Message: "The request failed."}
	}
	if status == 0 {
		status = doc.HTTP
	}
	if message == "" {
		message = doc.Message
	}
	return reply{status: status, code: code, message: message, recommend: recommend}
}

func (c *catalog) lookup(product, op, code, param string) (apimodel.ErrorCode, bool) {
	if e, ok := c.byOp[product][op][code]; ok {
		return e, true
	}
	if e, ok := c.byProduct[product][code]; ok {
		return e, true
	}
	if e, ok := c.common[code]; ok {
		if code == codeMissingParameter && param != "" {
			e.Message = strings.ReplaceAll(e.Message, "<parameter name>", param)
		}
		return e, true
	}
	for _, name := range sortedKeys(c.byProduct) {
		if e, ok := c.byProduct[name][code]; ok {
			return e, true
		}
	}
	if param != "" {
		for pattern, e := range c.patterns {
			if strings.ReplaceAll(pattern, "{ParameterName}", param) == code {
				e.Code = code
				e.Message = strings.ReplaceAll(e.Message, "{ParameterName}", param)
				return e, true
			}
		}
	}
	return apimodel.ErrorCode{}, false
}

func (c *catalog) internal(detail string) reply {
	e := c.common[codeInternalError]
	if e.HTTP == 0 {
		e.HTTP = http.StatusInternalServerError
	}
	return reply{status: e.HTTP, code: codeInternalError, message: e.Message, recommend: detail}
}

// documented reports whether code is documented anywhere in the model.
func (c *catalog) documented(code string) bool {
	_, ok := c.lookup("", "", code, "")
	return ok
}
