package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// emitWireTest writes a table test that calls every operation with every
// parameter set, checks each wire name and value, and decodes a reply with
// every field set.
func (p *product) emitWireTest(dir string) error {
	var b buf
	b.p("var wireCases = []wireCase{")
	for _, oi := range p.Ops {
		var lit strings.Builder
		want := map[string][]string{}
		for _, f := range oi.Req {
			expr := sampleRequest(f, f.Name, want)
			fmt.Fprintf(&lit, "%s: %s,\n", f.Name, expr)
		}
		b.p("\t{")
		b.p("\t\top: %q,", oi.Name)
		b.p("\t\tcall: func(ctx context.Context, c *Client) (any, error) {")
		b.p("\t\t\treturn c.%s(ctx, &%sRequest{\n%s})", oi.Name, oi.Name, lit.String())
		b.p("\t\t},")
		b.p("\t\twant: url.Values{")
		for _, k := range sortedKeys(want) {
			b.p("\t\t\t%q: {%s},", k, quoteList(want[k]))
		}
		b.p("\t\t},")
		b.p("\t\treply: %s,", strconv.Quote(sampleJSON(oi.Resp)))
		b.p("\t},")
	}
	b.p("}")
	b.WriteString(wireTestDriver)
	return writeGo(filepath.Join(dir, "api_wire_test.go"), p.Pkg, "", b.Bytes())
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}

// sampleString picks a value that satisfies the parameter's constraints.
func sampleString(f *field, name string) string {
	prm := f.P
	if f.Kind == kEnum {
		return f.Enum.Values[0]
	}
	v := prm.Example
	if v == "" || strings.ContainsAny(v, "\n\r") {
		v = "v-" + name
	}
	if prm.MinLength != nil {
		for len([]rune(v)) < *prm.MinLength {
			v += "x"
		}
	}
	if prm.MaxLength != nil && len([]rune(v)) > *prm.MaxLength {
		v = string([]rune(v)[:*prm.MaxLength])
	}
	return v
}

func sampleInt(f *field) int64 {
	prm := f.P
	v := int64(7)
	if prm.Min != nil && v < int64(*prm.Min) {
		v = int64(*prm.Min)
	}
	if prm.Max != nil && v > int64(*prm.Max) {
		v = int64(*prm.Max)
	}
	return v
}

// sampleRequest returns a Go expression for a request field with a valid
// value and records the wire parameters it must produce under key.
func sampleRequest(f *field, key string, want map[string][]string) string {
	return sampleRequestN(f, key, want, "")
}

// sampleRequestN appends suffix to string values, so that list elements differ.
func sampleRequestN(f *field, key string, want map[string][]string, suffix string) string {
	switch f.Kind {
	case kString:
		v := sampleString(f, f.Name) + suffix
		want[key] = []string{v}
		return strconv.Quote(v)
	case kEnum:
		v := sampleString(f, f.Name)
		want[key] = []string{v}
		return f.Enum.Name + enumConstSuffix(v)
	case kInt32, kInt64, kFloat:
		v := sampleInt(f)
		want[key] = []string{strconv.FormatInt(v, 10)}
		return strconv.FormatInt(v, 10)
	case kBool:
		want[key] = []string{"true"}
		if f.Ptr {
			return "alicloud.Ptr(true)"
		}
		return "true"
	case kStruct:
		var b strings.Builder
		b.WriteString(f.Struct.Name + "{")
		for _, sf := range f.Struct.Fields {
			fmt.Fprintf(&b, "%s: %s, ", sf.Name, sampleRequestN(sf, key+"."+sf.Name, want, suffix))
		}
		b.WriteString("}")
		return b.String()
	case kList:
		n := 2
		if f.P.MaxItems != nil && *f.P.MaxItems < 2 {
			n = 1
		}
		var elems []string
		var jsonElems []string
		for i := 1; i <= n; i++ {
			sub := map[string][]string{}
			elemKey := key + "." + strconv.Itoa(i)
			e := sampleRequestN(f.Elem, elemKey, sub, "")
			if f.Elem.Kind == kStruct {
				e = sampleRequestN(f.Elem, elemKey, sub, "-"+strconv.Itoa(i))
			}
			if f.Elem.Kind == kString || f.Elem.Kind == kEnum {
				v := sub[elemKey][0] + "-" + strconv.Itoa(i)
				if f.Elem.Kind == kEnum {
					v = f.Elem.Enum.Values[(i-1)%len(f.Elem.Enum.Values)]
					e = f.Elem.Enum.Name + enumConstSuffix(v)
				} else {
					e = strconv.Quote(v)
				}
				sub[elemKey] = []string{v}
				jsonElems = append(jsonElems, strconv.Quote(v))
			}
			elems = append(elems, e)
			for k, v := range sub {
				if !f.Shrink {
					want[k] = v
				}
			}
			if f.Elem.Kind == kStruct && i == 1 && f.P.MaxItems == nil {
				// one struct element keeps the table small
				break
			}
		}
		if f.Shrink {
			want[key] = []string{"[" + strings.Join(jsonElems, ",") + "]"}
		}
		return goType(f) + "{" + strings.Join(elems, ", ") + "}"
	}
	return `""`
}

// sampleJSON renders a reply with every field set.
func sampleJSON(fields []*field) string {
	var b strings.Builder
	b.WriteString("{")
	for i, f := range fields {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strconv.Quote(f.Name))
		b.WriteString(":")
		b.WriteString(sampleValueJSON(f))
	}
	b.WriteString("}")
	return b.String()
}

func sampleValueJSON(f *field) string {
	switch f.Kind {
	case kString:
		return strconv.Quote("s-" + f.Name)
	case kEnum:
		return strconv.Quote(f.Enum.Values[len(f.Enum.Values)-1])
	case kTime:
		return `"2021-06-05T14:39:13+08:00"`
	case kInt32, kInt64:
		return `"42"` // numbers arrive as strings too
	case kFloat:
		return "1.5"
	case kBool:
		return "true"
	case kStruct:
		return sampleJSON(f.Struct.Fields)
	case kList:
		if f.Wrapper != "" {
			return "{" + strconv.Quote(f.Wrapper) + ":[" + sampleValueJSON(f.Elem) + "]}"
		}
		return "[" + sampleValueJSON(f.Elem) + "]"
	}
	return `""`
}

const wireTestDriver = `

type wireCase struct {
	op    string
	call  func(context.Context, *Client) (any, error)
	want  url.Values
	reply string
}

// TestWire sends every operation with every parameter set and checks the
// parameters on the wire, then decodes a reply with every field set.
func TestWire(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c := New(alicloud.Config{
		Region:      "cn-hangzhou",
		Credentials: alicloud.NewStaticCredentials("wire-id", "wire-secret", ""),
		HTTPClient:  &http.Client{Transport: mt},
	})
	for _, tc := range wireCases {
		t.Run(tc.op, func(t *testing.T) {
			var got url.Values
			mt.RegisterResponder("POST", "=~^https://"+service.EndpointPrefix+` + "`" + `\.` + "`" + `, func(r *http.Request) (*http.Response, error) {
				got = r.URL.Query()
				resp := httpmock.NewStringResponse(200, tc.reply)
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			out, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			require.NotNil(t, got)
			require.Equal(t, tc.op, got.Get("Action"))
			for _, k := range []string{"Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion",
				"SignatureNonce", "Timestamp", "Signature", "RegionId"} {
				if k == "RegionId" && (!service.Regional || tc.want.Has("RegionId")) {
					continue
				}
				require.NotEmpty(t, got.Get(k), k)
				got.Del(k)
			}
			assert.Equal(t, tc.want, got)
			sdktest.AssertAllSet(t, reflect.ValueOf(out).Elem(), tc.op+"Response")
		})
	}
}
`
