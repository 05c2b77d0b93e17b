package conformance_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// TestV1EveryOperation calls every operation of both products with the
// official v1 SDK's CommonRequest, in the order a landing zone would use
// them (create, read, change, then remove), and classifies each reply:
//
//   - success: the SDK got a 2xx JSON reply;
//   - documented: an error code the API documents for that operation (or
//     one shared by every operation), with its documented HTTP status;
//   - undocumented: any other code or status;
//   - not modelled: the emulator says it does not implement the action;
//   - protocol: the SDK could not send or read the exchange.
//
// Parameters come from what earlier replies returned (an ID named like the
// parameter), else from the description's documented example. A test that
// passes means no reply of the emulator would surprise a client that
// follows the API reference.
func TestV1EveryOperation(t *testing.T) {
	e := newV1(t)
	client, err := sdk.NewClientWithOptions(region, e.config(), e.keys(""))
	require.NoError(t, err)

	common, err := apimodel.LoadCommonErrors()
	require.NoError(t, err)
	known := map[string]string{}
	var rows []matrixRow
	for _, product := range []string{"resourcemanager", "resourcesharing"} {
		model, err := apimodel.Load(product)
		require.NoError(t, err)
		docs, err := apimodel.LoadErrors(product)
		require.NoError(t, err)
		ops := append([]*apimodel.Operation(nil), model.Operations...)
		sort.SliceStable(ops, func(i, j int) bool { return verbRank(ops[i].Name) < verbRank(ops[j].Name) })
		for _, op := range ops {
			req := requests.NewCommonRequest()
			req.Method = "POST"
			req.Scheme = "HTTP"
			req.Domain = e.host
			req.Version = model.Version
			req.ApiName = op.Name
			if model.EndpointRule == "regional" {
				req.QueryParams["RegionId"] = region
			}
			for _, prm := range op.Request {
				fillParam(req.QueryParams, prm, known)
			}
			resp, err := client.ProcessCommonRequest(req)
			row := matrixRow{product: product, op: op.Name}
			var se *sdkerrors.ServerError
			switch {
			case err == nil:
				var body map[string]any
				if jerr := json.Unmarshal(resp.GetHttpContentBytes(), &body); jerr != nil {
					row.class, row.detail = "protocol", "reply is not a JSON object: "+jerr.Error()
					break
				}
				row.class = "success"
				harvest(body, known)
			case asServerError(err, &se):
				row.code, row.status = se.ErrorCode(), se.HttpStatus()
				switch {
				case se.ErrorCode() == "InvalidApi.NotFound" && strings.Contains(se.Recommend(), "does not implement"):
					row.class = "not modelled"
				case documentedFor(docs.Operations[op.Name], common.Errors, se.ErrorCode(), se.HttpStatus()):
					row.class = "documented"
				default:
					row.class, row.detail = "undocumented", se.Message()
				}
			default:
				row.class, row.detail = "protocol", err.Error()
			}
			rows = append(rows, row)
		}
	}

	counts := map[string]int{}
	var bad []string
	for _, r := range rows {
		counts[r.class]++
		if r.class != "success" && r.class != "documented" {
			bad = append(bad, r.String())
		}
	}
	t.Logf("%d operations: %d success, %d documented error, %d undocumented, %d not modelled, %d protocol",
		len(rows), counts["success"], counts["documented"], counts["undocumented"], counts["not modelled"], counts["protocol"])
	if testing.Verbose() {
		for _, r := range rows {
			t.Log(r.String())
		}
	}
	require.Len(t, rows, 139, "both products, every operation")
	require.Empty(t, bad, "replies a client following the API reference would not expect")
	require.Greater(t, counts["success"], len(rows)/2, "most operations succeed in a realistic order")
}

type matrixRow struct {
	product, op, class, code, detail string
	status                           int
}

func (r matrixRow) String() string {
	s := fmt.Sprintf("%-15s %-45s %s", r.product, r.op, r.class)
	if r.code != "" {
		s += fmt.Sprintf(" %s (HTTP %d)", r.code, r.status)
	}
	if r.detail != "" {
		s += ": " + r.detail
	}
	return s
}

func asServerError(err error, se **sdkerrors.ServerError) bool {
	e, ok := err.(*sdkerrors.ServerError)
	if ok {
		*se = e
	}
	return ok
}

// documentedFor reports whether code and status are documented for the
// operation or for every operation. Shared codes may be patterns such as
// Missing{ParameterName}.
func documentedFor(opCodes, common []apimodel.ErrorCode, code string, status int) bool {
	for _, list := range [][]apimodel.ErrorCode{opCodes, common} {
		for _, c := range list {
			if c.HTTP != status {
				continue
			}
			if c.Code == code || (strings.Contains(c.Code, "{") && codePattern(c.Code).MatchString(code)) {
				return true
			}
		}
	}
	return false
}

func codePattern(p string) *regexp.Regexp {
	var re strings.Builder
	for _, part := range regexp.MustCompile(`\{[^}]*\}`).Split(p, -1) {
		if re.Len() > 0 {
			re.WriteString(`[A-Za-z0-9.]+`)
		}
		re.WriteString(regexp.QuoteMeta(part))
	}
	return regexp.MustCompile("^" + re.String() + "$")
}

// verbRank orders operations as a landing zone uses them: set-up and
// creation first, reads next, changes after, removals last.
func verbRank(name string) int {
	for i, group := range [][]string{
		{"Enable", "Init", "Create", "Invite", "Register", "Send", "Bind", "Tag", "Attach", "Associate", "Promote", "Set"},
		{"Get", "List", "Check", "Lookup", "Describe"},
		{"Update", "Move", "Change", "Accept", "Resend", "Retry"},
		{"Detach", "Disassociate", "Untag", "Deregister", "Cancel", "Decline", "Reject", "Remove", "Disable", "Delete", "Destroy"},
	} {
		for _, verb := range group {
			if strings.HasPrefix(name, verb) {
				return i
			}
		}
	}
	return 2
}

// harvest remembers every string field named like an identifier
// (…Id, …Name) of a reply, the first value seen of each name winning, so
// that later calls can name what earlier ones created.
func harvest(v any, known map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if s, ok := val.(string); ok && s != "" && k != "RequestId" && (strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "Name")) {
				if _, seen := known[k]; !seen {
					known[k] = s
				}
				continue
			}
			harvest(val, known)
		}
	case []any:
		for _, x := range t {
			harvest(x, known)
		}
	}
}

// fillParam sets a required parameter, or an optional one whose value an
// earlier reply told, in the RPC flattened form.
func fillParam(q map[string]string, prm *apimodel.Param, known map[string]string) {
	v, ok := known[prm.Name]
	if !ok {
		v, ok = known[strings.TrimSuffix(prm.Name, "s")]
	}
	if !prm.Required && !ok {
		return
	}
	if !ok {
		v = prm.Example
	}
	switch prm.Type {
	case "array":
		if prm.Items != nil && prm.Items.Type == "object" {
			for _, f := range prm.Items.Fields {
				fv, fok := known[f.Name]
				if !fok {
					fv = f.Example
				}
				if fv != "" {
					q[prm.Name+".1."+f.Name] = fv
				}
			}
			return
		}
		if v != "" {
			if strings.HasPrefix(v, "[") && prm.Shrink == "" {
				var xs []string
				if json.Unmarshal([]byte(v), &xs) == nil && len(xs) > 0 {
					v = xs[0]
				}
			}
			if prm.Shrink == "json" {
				if !strings.HasPrefix(v, "[") {
					b, _ := json.Marshal([]string{v})
					v = string(b)
				}
				q[prm.Name] = v
				return
			}
			q[prm.Name+".1"] = v
		}
	default:
		if v != "" {
			q[prm.Name] = v
		}
	}
}
