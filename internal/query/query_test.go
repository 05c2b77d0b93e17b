package query_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/query"
)

// Request shapes as the generated clients declare them.

type status string

const (
	statusActive   status = "Active"
	statusDisabled status = "Disabled"
)

type tag struct {
	Key   string `url:"Key,omitempty"`
	Value string `url:"Value,omitempty"`
}

type resourceRef struct {
	ResourceId   string `url:"ResourceId,omitempty"`
	ResourceType string `url:"ResourceType,omitempty"`
}

type rule struct {
	RuleName string                    `url:"RuleName,omitempty"`
	Priority int32                     `url:"Priority,omitempty"`
	Enabled  *bool                     `url:"Enabled,omitempty"`
	Tags     alicloud.List[tag]        `url:"Tags,omitempty"`
	Scopes   alicloud.List[string]     `url:"Scopes,omitempty"`
	Checks   alicloud.JSONList[string] `url:"Checks,omitempty"`
}

type listRequest struct {
	ResourceGroupId    string                      `url:"ResourceGroupId,omitempty"`
	Service            string                      `url:"Service,omitempty"`
	PageNumber         int32                       `url:"PageNumber,omitempty"`
	PageSize           int32                       `url:"PageSize,omitempty"`
	MaxCount           int64                       `url:"MaxCount,omitempty"`
	Ratio              float64                     `url:"Ratio,omitempty"`
	Weight             float32                     `url:"Weight,omitempty"`
	DryRun             bool                        `url:"DryRun,omitempty"`
	CreatorAsAdmin     *bool                       `url:"CreatorAsAdmin,omitempty"`
	Status             status                      `url:"Status,omitempty"`
	Targets            alicloud.List[string]       `url:"Targets,omitempty"`
	Resources          alicloud.List[resourceRef]  `url:"Resources,omitempty"`
	Tag                alicloud.List[tag]          `url:"Tag,omitempty"`
	Rules              alicloud.List[rule]         `url:"Rules,omitempty"`
	Statuses           alicloud.List[status]       `url:"Statuses,omitempty"`
	AccountIds         alicloud.List[int64]        `url:"AccountIds,omitempty"`
	AbandonableCheckId alicloud.JSONList[string]   `url:"AbandonableCheckId,omitempty"`
	Priorities         alicloud.JSONList[int32]    `url:"Priorities,omitempty"`
	ResourcesJSON      alicloud.JSONList[tagJSON]  `url:"ResourcesJSON,omitempty"`
	NoOmit             alicloud.List[string]       `url:"NoOmit"`
	NoOmitJSON         alicloud.JSONList[string]   `url:"NoOmitJSON"`
	Internal           string                      `url:"-"`
	Pointers           alicloud.List[*resourceRef] `url:"Pointers,omitempty"`
}

type tagJSON struct {
	Key   string `json:"Key"`
	Value string `json:"Value,omitempty"`
}

func ptr[T any](v T) *T { return &v }

func TestValues(t *testing.T) {
	tests := []struct {
		name string
		req  any
		want url.Values
	}{
		{
			name: "zero request sends nothing",
			req:  &listRequest{},
			want: url.Values{},
		},
		{
			name: "nil interface",
			req:  nil,
			want: url.Values{},
		},
		{
			name: "nil typed pointer",
			req:  (*listRequest)(nil),
			want: url.Values{},
		},
		{
			name: "struct value as well as pointer",
			req:  listRequest{Service: "ecs"},
			want: url.Values{"Service": {"ecs"}},
		},
		{
			name: "scalar lists are 1-based",
			req:  &listRequest{Targets: alicloud.List[string]{"rd-1", "rd-2"}},
			want: url.Values{"Targets.1": {"rd-1"}, "Targets.2": {"rd-2"}},
		},
		{
			name: "a plain slice assigned to List",
			req:  &listRequest{Targets: []string{"only"}},
			want: url.Values{"Targets.1": {"only"}},
		},
		{
			name: "struct lists",
			req: &listRequest{Resources: alicloud.List[resourceRef]{
				{ResourceId: "vpc-1", ResourceType: "vpc"},
				{ResourceId: "i-2", ResourceType: "instance"},
			}},
			want: url.Values{
				"Resources.1.ResourceId": {"vpc-1"}, "Resources.1.ResourceType": {"vpc"},
				"Resources.2.ResourceId": {"i-2"}, "Resources.2.ResourceType": {"instance"},
			},
		},
		{
			name: "tags, empty value omitted inside an element",
			req: &listRequest{Tag: alicloud.List[tag]{
				{Key: "env", Value: "prod"},
				{Key: "owner"},
			}},
			want: url.Values{"Tag.1.Key": {"env"}, "Tag.1.Value": {"prod"}, "Tag.2.Key": {"owner"}},
		},
		{
			name: "an all-empty element contributes nothing but keeps its index",
			req:  &listRequest{Tag: alicloud.List[tag]{{}, {Key: "k"}}},
			want: url.Values{"Tag.2.Key": {"k"}},
		},
		{
			name: "nested lists inside list elements",
			req: &listRequest{Rules: alicloud.List[rule]{
				{RuleName: "r1", Tags: alicloud.List[tag]{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}},
				{RuleName: "r2", Priority: 7, Enabled: ptr(false), Scopes: alicloud.List[string]{"s"}, Checks: alicloud.JSONList[string]{"c1", "c2"}},
			}},
			want: url.Values{
				"Rules.1.RuleName":   {"r1"},
				"Rules.1.Tags.1.Key": {"a"}, "Rules.1.Tags.1.Value": {"1"},
				"Rules.1.Tags.2.Key": {"b"}, "Rules.1.Tags.2.Value": {"2"},
				"Rules.2.RuleName": {"r2"},
				"Rules.2.Priority": {"7"},
				"Rules.2.Enabled":  {"false"},
				"Rules.2.Scopes.1": {"s"},
				"Rules.2.Checks":   {`["c1","c2"]`},
			},
		},
		{
			name: "list indexes are not zero padded",
			req:  &listRequest{Targets: alicloud.List[string]{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}},
			want: func() url.Values {
				v := url.Values{}
				for i := 1; i <= 11; i++ {
					v.Set("Targets."+strconv.Itoa(i), strconv.Itoa(i))
				}
				return v
			}(),
		},
		{
			name: "empty and nil lists send nothing, with or without omitempty",
			req: &listRequest{
				Targets:            alicloud.List[string]{},
				Resources:          nil,
				NoOmit:             alicloud.List[string]{},
				NoOmitJSON:         alicloud.JSONList[string]{},
				AbandonableCheckId: alicloud.JSONList[string]{},
			},
			want: url.Values{},
		},
		{
			name: "omitempty scalars: zero values omitted",
			req: &listRequest{
				ResourceGroupId: "", PageNumber: 0, PageSize: 0, MaxCount: 0,
				Ratio: 0, Weight: 0, DryRun: false, CreatorAsAdmin: nil, Status: "",
			},
			want: url.Values{},
		},
		{
			name: "omitempty scalars: set values sent",
			req: &listRequest{
				ResourceGroupId: "rg-1", PageNumber: 2, PageSize: 50, MaxCount: 9007199254740993,
				Ratio: 0.5, Weight: 1.25, DryRun: true, CreatorAsAdmin: ptr(true), Status: statusActive,
			},
			want: url.Values{
				"ResourceGroupId": {"rg-1"}, "PageNumber": {"2"}, "PageSize": {"50"},
				"MaxCount": {"9007199254740993"}, "Ratio": {"0.5"}, "Weight": {"1.25"},
				"DryRun": {"true"}, "CreatorAsAdmin": {"true"}, "Status": {"Active"},
			},
		},
		{
			name: "*bool false is sent",
			req:  &listRequest{CreatorAsAdmin: ptr(false)},
			want: url.Values{"CreatorAsAdmin": {"false"}},
		},
		{
			name: "negative and extreme integers",
			req: &listRequest{
				PageNumber: -1, MaxCount: math.MinInt64,
				AccountIds: alicloud.List[int64]{math.MaxInt64, -42, 1},
			},
			want: url.Values{
				"PageNumber": {"-1"}, "MaxCount": {"-9223372036854775808"},
				"AccountIds.1": {"9223372036854775807"}, "AccountIds.2": {"-42"}, "AccountIds.3": {"1"},
			},
		},
		{
			name: "named string types are sent as their value",
			req:  &listRequest{Status: statusDisabled, Statuses: alicloud.List[status]{statusActive, statusDisabled}},
			want: url.Values{"Status": {"Disabled"}, "Statuses.1": {"Active"}, "Statuses.2": {"Disabled"}},
		},
		{
			name: "JSON lists",
			req: &listRequest{
				AbandonableCheckId: alicloud.JSONList[string]{"a", "b"},
				Priorities:         alicloud.JSONList[int32]{3, 1},
				ResourcesJSON:      alicloud.JSONList[tagJSON]{{Key: "k"}, {Key: "k2", Value: "v2"}},
			},
			want: url.Values{
				"AbandonableCheckId": {`["a","b"]`},
				"Priorities":         {`[3,1]`},
				"ResourcesJSON":      {`[{"Key":"k"},{"Key":"k2","Value":"v2"}]`},
			},
		},
		{
			name: "fields tagged - are never sent",
			req:  &listRequest{Internal: "secret"},
			want: url.Values{},
		},
		{
			name: "pointer elements are dereferenced, nil pointer elements skipped",
			req:  &listRequest{Pointers: alicloud.List[*resourceRef]{{ResourceId: "a"}, nil, {ResourceId: "c"}}},
			want: url.Values{"Pointers.1.ResourceId": {"a"}, "Pointers.3.ResourceId": {"c"}},
		},
		{
			name: "values with reserved characters are not pre-encoded",
			req:  &listRequest{Service: "a b&c=d", Targets: alicloud.List[string]{"中文/🚀", ""}},
			want: url.Values{"Service": {"a b&c=d"}, "Targets.1": {"中文/🚀"}, "Targets.2": {""}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := query.Values(tc.req)
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, tc.want, got)
			for k := range got {
				assert.NotRegexp(t, `\.0(\.|$)`, k, "lists are 1-based")
			}
		})
	}
}

func TestValuesDoesNotModifyRequest(t *testing.T) {
	req := &listRequest{
		Tag:   alicloud.List[tag]{{Key: "b"}, {Key: "a"}},
		Rules: alicloud.List[rule]{{RuleName: "r", Tags: alicloud.List[tag]{{Key: "k"}}}},
	}
	before := &listRequest{
		Tag:   alicloud.List[tag]{{Key: "b"}, {Key: "a"}},
		Rules: alicloud.List[rule]{{RuleName: "r", Tags: alicloud.List[tag]{{Key: "k"}}}},
	}
	_, err := query.Values(req)
	require.NoError(t, err)
	assert.Equal(t, before, req)
}

func TestValuesRejectsNonStruct(t *testing.T) {
	for _, v := range []any{5, "s", []string{"a"}, map[string]string{"a": "b"}} {
		_, err := query.Values(v)
		assert.Error(t, err, "%T", v)
	}
}

// failing is a field or element whose encoding fails.
type failing []string

var errEncode = errors.New("boom")

func (failing) EncodeValues(string, *url.Values) error { return errEncode }

type withFailing struct {
	Name string  `url:"Name"`
	Bad  failing `url:"Bad"`
}

// custom is a non-struct, non-scalar element that encodes itself.
type custom map[string]string

func (c custom) EncodeValues(key string, v *url.Values) error {
	for _, k := range []string{"A", "B"} {
		if s, ok := c[k]; ok {
			v.Add(key+"."+k, s)
		}
	}
	return nil
}

func TestEncodeListElementKinds(t *testing.T) {
	tests := []struct {
		name   string
		encode func(v *url.Values) error
		want   url.Values
	}{
		{"string", func(v *url.Values) error { return query.EncodeList("K", []string{"x", ""}, v) },
			url.Values{"K.1": {"x"}, "K.2": {""}}},
		{"named string", func(v *url.Values) error { return query.EncodeList("K", []status{statusActive}, v) },
			url.Values{"K.1": {"Active"}}},
		{"bool", func(v *url.Values) error { return query.EncodeList("K", []bool{true, false}, v) },
			url.Values{"K.1": {"true"}, "K.2": {"false"}}},
		{"int8", func(v *url.Values) error { return query.EncodeList("K", []int8{-128, 127}, v) },
			url.Values{"K.1": {"-128"}, "K.2": {"127"}}},
		{"int", func(v *url.Values) error { return query.EncodeList("K", []int{0, 1}, v) },
			url.Values{"K.1": {"0"}, "K.2": {"1"}}},
		{"int32", func(v *url.Values) error { return query.EncodeList("K", []int32{math.MaxInt32}, v) },
			url.Values{"K.1": {"2147483647"}}},
		{"int64", func(v *url.Values) error { return query.EncodeList("K", []int64{1 << 62}, v) },
			url.Values{"K.1": {"4611686018427387904"}}},
		{"uint64", func(v *url.Values) error { return query.EncodeList("K", []uint64{math.MaxUint64}, v) },
			url.Values{"K.1": {"18446744073709551615"}}},
		{"uint8", func(v *url.Values) error { return query.EncodeList("K", []uint8{255}, v) },
			url.Values{"K.1": {"255"}}},
		{"float64", func(v *url.Values) error {
			return query.EncodeList("K", []float64{0.1, 1.5, -2, 1e21, 1e-7, 0}, v)
		}, url.Values{"K.1": {"0.1"}, "K.2": {"1.5"}, "K.3": {"-2"}, "K.4": {"1000000000000000000000"}, "K.5": {"0.0000001"}, "K.6": {"0"}}},
		{"float32 uses its own precision", func(v *url.Values) error {
			return query.EncodeList("K", []float32{0.1, 1.25, 3.3}, v)
		}, url.Values{"K.1": {"0.1"}, "K.2": {"1.25"}, "K.3": {"3.3"}}},
		{"pointer to scalar", func(v *url.Values) error {
			return query.EncodeList("K", []*string{ptr("a"), nil, ptr("c")}, v)
		}, url.Values{"K.1": {"a"}, "K.3": {"c"}}},
		{"pointer to pointer", func(v *url.Values) error {
			return query.EncodeList("K", []**int32{ptr(ptr(int32(5)))}, v)
		}, url.Values{"K.1": {"5"}}},
		{"list of lists", func(v *url.Values) error {
			return query.EncodeList("K", []alicloud.List[string]{{"a", "b"}, {"c"}}, v)
		}, url.Values{"K.1.1": {"a"}, "K.1.2": {"b"}, "K.2.1": {"c"}}},
		{"list of JSON lists", func(v *url.Values) error {
			return query.EncodeList("K", []alicloud.JSONList[string]{{"a", "b"}, nil}, v)
		}, url.Values{"K.1": {`["a","b"]`}}},
		{"non-scalar element that encodes itself", func(v *url.Values) error {
			return query.EncodeList("K", []custom{{"A": "1"}, {"B": "2"}}, v)
		}, url.Values{"K.1.A": {"1"}, "K.2.B": {"2"}}},
		{"interface elements", func(v *url.Values) error {
			return query.EncodeList("K", []any{"s", 3, true, tag{Key: "k"}}, v)
		}, url.Values{"K.1": {"s"}, "K.2": {"3"}, "K.3": {"true"}, "K.4.Key": {"k"}}},
		{"empty", func(v *url.Values) error { return query.EncodeList("K", []string{}, v) }, url.Values{}},
		{"nil", func(v *url.Values) error { return query.EncodeList[tag]("K", nil, v) }, url.Values{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			require.NoError(t, tc.encode(&v))
			assert.Equal(t, tc.want, v)
		})
	}
}

func TestEncodeListAddsToExistingValues(t *testing.T) {
	v := url.Values{"Action": {"TagResources"}, "K.1": {"old"}}
	require.NoError(t, query.EncodeList("K", []string{"new"}, &v))
	assert.Equal(t, url.Values{"Action": {"TagResources"}, "K.1": {"old", "new"}}, v)
}

func TestEncodeListErrors(t *testing.T) {
	tests := []struct {
		name    string
		encode  func(v *url.Values) error
		wantMsg string
		is      error
	}{
		{"slice element", func(v *url.Values) error { return query.EncodeList("K", [][]string{{"a"}}, v) },
			"encode K.1: unsupported list element kind slice", nil},
		{"map element", func(v *url.Values) error { return query.EncodeList("K", []map[string]int{{"a": 1}}, v) },
			"encode K.1: unsupported list element kind map", nil},
		{"chan element", func(v *url.Values) error { return query.EncodeList("K", []chan int{make(chan int)}, v) },
			"encode K.1: unsupported list element kind chan", nil},
		{"func element after good ones", func(v *url.Values) error { return query.EncodeList("K", []any{"ok", func() {}}, v) },
			"encode K.2: unsupported list element kind func", nil},
		{"complex element", func(v *url.Values) error { return query.EncodeList("K", []complex128{1i}, v) },
			"encode K.1: unsupported list element kind complex128", nil},
		{"struct element whose field fails", func(v *url.Values) error { return query.EncodeList("K", []withFailing{{Name: "n"}}, v) },
			"encode K.1: boom", errEncode},
		{"element that fails itself", func(v *url.Values) error { return query.EncodeList("K", []failing{{"x"}}, v) },
			"boom", errEncode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			err := tc.encode(&v)
			require.Error(t, err)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
				assert.Contains(t, err.Error(), "boom")
			} else {
				assert.EqualError(t, err, tc.wantMsg)
			}
		})
	}
}

// stamp is a struct element type that encodes itself.
type stamp struct{ unix int64 }

func (s stamp) EncodeValues(key string, v *url.Values) error {
	v.Add(key, strconv.FormatInt(s.unix, 10))
	return nil
}

func TestEncodeListEdgeCases(t *testing.T) {
	// An element type's own EncodeValues wins over its fields, a time.Time
	// is sent as RFC 3339, and a nil interface element is skipped.

	v := url.Values{}
	require.NoError(t, query.EncodeList("K", []stamp{{1}, {2}}, &v))
	assert.Equal(t, url.Values{"K.1": {"1"}, "K.2": {"2"}}, v)

	v = url.Values{}
	err := query.EncodeList("T", []time.Time{time.Unix(0, 0)}, &v)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"T.1": {"1970-01-01T00:00:00Z"}}, v)

	v = url.Values{}
	assert.NotPanics(t, func() { _ = query.EncodeList("K", []any{"a", nil}, &v) })
}

func TestValuesPropagatesListErrors(t *testing.T) {
	type bad struct {
		Good  alicloud.List[string]   `url:"Good"`
		Lists alicloud.List[[]string] `url:"Lists"`
	}
	_, err := query.Values(&bad{Good: []string{"a"}, Lists: [][]string{{"x"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Lists.1")
	assert.Contains(t, err.Error(), "unsupported list element kind slice")

	type badJSON struct {
		F alicloud.JSONList[float64] `url:"F"`
	}
	_, err = query.Values(&badJSON{F: []float64{math.NaN()}})
	require.Error(t, err)
	var unsupported *json.UnsupportedValueError
	assert.ErrorAs(t, err, &unsupported)
	assert.Contains(t, err.Error(), "encode F as JSON")
}

func TestEncodeJSON(t *testing.T) {
	tests := []struct {
		name   string
		encode func(v *url.Values) error
		want   url.Values
	}{
		{"strings", func(v *url.Values) error { return query.EncodeJSON("Ids", []string{"a", "b"}, v) },
			url.Values{"Ids": {`["a","b"]`}}},
		{"one", func(v *url.Values) error { return query.EncodeJSON("Ids", []string{"id-1"}, v) },
			url.Values{"Ids": {`["id-1"]`}}},
		{"empty", func(v *url.Values) error { return query.EncodeJSON("Ids", []string{}, v) },
			url.Values{}},
		{"nil", func(v *url.Values) error { return query.EncodeJSON[string]("Ids", nil, v) },
			url.Values{}},
		{"empty string element is still sent", func(v *url.Values) error { return query.EncodeJSON("Ids", []string{""}, v) },
			url.Values{"Ids": {`[""]`}}},
		{"numbers", func(v *url.Values) error { return query.EncodeJSON("N", []int64{1, -2, math.MaxInt64}, v) },
			url.Values{"N": {`[1,-2,9223372036854775807]`}}},
		{"named strings", func(v *url.Values) error { return query.EncodeJSON("S", []status{statusActive}, v) },
			url.Values{"S": {`["Active"]`}}},
		{"replaces an existing value", func(v *url.Values) error {
			v.Add("Ids", "old")
			return query.EncodeJSON("Ids", []string{"new"}, v)
		}, url.Values{"Ids": {`["new"]`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			require.NoError(t, tc.encode(&v))
			assert.Equal(t, tc.want, v)
		})
	}
}

func TestEncodeJSONRoundTrips(t *testing.T) {
	in := []string{"a&b", "<x>", `quote"d`, "中文", "🚀", "back\\slash", "tab\t", ""}
	v := url.Values{}
	require.NoError(t, query.EncodeJSON("Ids", in, &v))
	require.Len(t, v["Ids"], 1)
	var out []string
	require.NoError(t, json.Unmarshal([]byte(v.Get("Ids")), &out))
	assert.Equal(t, in, out)
}

type fuzzItem struct {
	Name string `url:"Name"`
	Note string `url:"Note,omitempty"`
}

type fuzzRequest struct {
	Action string                  `url:"Action"`
	Items  alicloud.List[fuzzItem] `url:"Items,omitempty"`
}

var itemKey = regexp.MustCompile(`^Items\.([1-9][0-9]*)\.(Name|Note)$`)

func FuzzEncodeList(f *testing.F) {
	f.Add("a", "b", "", uint8(3))
	f.Add("", "", "", uint8(0))
	f.Add("a b&c=d", "中文/🚀", "%2F+", uint8(12))
	f.Add("Items.1.Name", ".", "\x00\xff", uint8(1))
	f.Fuzz(func(t *testing.T, a, b, c string, n uint8) {
		pool := []string{a, b, c}
		items := make([]fuzzItem, int(n)%40)
		for i := range items {
			items[i] = fuzzItem{Name: pool[i%3], Note: pool[(i+1)%3]}
		}
		v, err := query.Values(&fuzzRequest{Action: "X", Items: items})
		require.NoError(t, err)

		want := 1 // Action
		for i, it := range items {
			idx := strconv.Itoa(i + 1)
			require.Equal(t, []string{it.Name}, v["Items."+idx+".Name"], "element %d", i+1)
			want++
			if it.Note == "" {
				require.NotContains(t, v, "Items."+idx+".Note")
			} else {
				require.Equal(t, []string{it.Note}, v["Items."+idx+".Note"])
				want++
			}
		}
		require.Len(t, v, want)
		for k := range v {
			if k == "Action" {
				continue
			}
			m := itemKey.FindStringSubmatch(k)
			require.NotNil(t, m, "unexpected key %q", k)
			i, err := strconv.Atoi(m[1])
			require.NoError(t, err)
			require.True(t, i >= 1 && i <= len(items), "index %d out of 1..%d", i, len(items))
		}

		// The values survive a trip through the wire form.
		back, err := url.ParseQuery(v.Encode())
		require.NoError(t, err)
		require.Equal(t, v, back)
	})
}

func BenchmarkValues(b *testing.B) {
	req := &listRequest{
		ResourceGroupId:    "rg-aekzq5zeh2kbmai",
		Service:            "ecs",
		PageNumber:         3,
		PageSize:           100,
		MaxCount:           1000,
		DryRun:             true,
		CreatorAsAdmin:     ptr(false),
		Status:             statusActive,
		Targets:            alicloud.List[string]{"rd-1", "rd-2"},
		AbandonableCheckId: alicloud.JSONList[string]{"check-1", "check-2"},
		Resources:          make(alicloud.List[resourceRef], 0, 5),
	}
	for i := range 5 {
		req.Resources = append(req.Resources, resourceRef{
			ResourceId:   fmt.Sprintf("i-bp1dfbr5kn7zdy3vdvv%d", i),
			ResourceType: "instance",
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := query.Values(req); err != nil {
			b.Fatal(err)
		}
	}
}
