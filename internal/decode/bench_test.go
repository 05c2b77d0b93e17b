package decode

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchResource has the shape of a typical list-API item: eight strings and
// a timestamp.
type benchResource struct {
	ResourceId   string
	ResourceName string
	ResourceType string
	Status       string
	Owner        string
	RegionId     string
	Arn          string
	Description  string
	CreateTime   time.Time
}

func (v *benchResource) decode(d *Decoder) {
	if !d.BeginObject() {
		return
	}
	for {
		key, ok := d.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "ResourceId":
			v.ResourceId = d.String()
		case "ResourceName":
			v.ResourceName = d.String()
		case "ResourceType":
			v.ResourceType = d.String()
		case "Status":
			v.Status = d.String()
		case "Owner":
			v.Owner = d.String()
		case "RegionId":
			v.RegionId = d.String()
		case "Arn":
			v.Arn = d.String()
		case "Description":
			v.Description = d.String()
		case "CreateTime":
			v.CreateTime = d.Time()
		default:
			d.Skip()
		}
	}
}

func decodeResources(d *Decoder) []benchResource {
	var out []benchResource
	if d.BeginArray() {
		for d.NextElem() {
			var r benchResource
			r.decode(d)
			out = append(out, r)
		}
	}
	return out
}

func benchDocument() []byte {
	items := make([]benchResource, 100)
	base := time.Date(2021, 6, 5, 14, 39, 13, 0, time.FixedZone("", 8*3600))
	for i := range items {
		items[i] = benchResource{
			ResourceId:   fmt.Sprintf("rs-%016x", i*7919),
			ResourceName: fmt.Sprintf("resource-%d", i),
			ResourceType: "ACS::VPC::VSwitch",
			Status:       "Available",
			Owner:        fmt.Sprintf("1%015d", i),
			RegionId:     "cn-hangzhou",
			Arn:          fmt.Sprintf("acs:vpc:cn-hangzhou:1%015d:vswitch/vsw-%d", i, i),
			Description:  fmt.Sprintf("vswitch %d for the production cluster, zone b", i),
			CreateTime:   base.Add(time.Duration(i) * time.Hour),
		}
		if i%2 == 1 {
			items[i].CreateTime = items[i].CreateTime.UTC()
		}
	}
	data, err := json.Marshal(items)
	if err != nil {
		panic(err)
	}
	return data
}

func BenchmarkDecodeObject(b *testing.B) {
	data := benchDocument()
	var d Decoder
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d.Reset(data)
		out := decodeResources(&d)
		if err := d.Finish(); err != nil || len(out) != 100 {
			b.Fatal(err, len(out))
		}
	}
}

func BenchmarkEncodingJSON(b *testing.B) {
	data := benchDocument()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var out []benchResource
		if err := json.Unmarshal(data, &out); err != nil || len(out) != 100 {
			b.Fatal(err, len(out))
		}
	}
}

func BenchmarkSkip(b *testing.B) {
	data := benchDocument()
	var d Decoder
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d.Reset(data)
		d.Skip()
		if err := d.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}

// The allocation budget is part of the contract: only returned strings and
// copies may allocate.
func TestAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are not meaningful in -short runs")
	}
	var d Decoder
	allocs := func(in string, fn func(d *Decoder)) float64 {
		data := []byte(in)
		d.Reset(data)
		fn(&d) // warm up the scratch buffer and the zone cache
		require.NoError(t, d.Finish(), in)
		return testing.AllocsPerRun(100, func() {
			d.Reset(data)
			fn(&d)
			if err := d.Finish(); err != nil {
				panic(err)
			}
		})
	}
	walkKeys := func(d *Decoder) {
		if d.BeginObject() {
			for {
				if _, ok := d.NextKey(); !ok {
					break
				}
				d.Skip()
			}
		}
	}

	assert.Zero(t, allocs(`{"plain":1,"keys":[true,{"x":"y"}],"é":null}`, walkKeys), "plain keys")
	assert.Zero(t, allocs(`{"esc\u0061ped":1,"k\n":2}`, walkKeys), "escaped keys, warm scratch")
	assert.Zero(t, allocs(`{"a":[1,2,{"b":"c\n"}]}`, func(d *Decoder) { d.Skip() }), "Skip")
	assert.Equal(t, 1.0, allocs(`"hello world"`, func(d *Decoder) { sink = d.String() }), "String")
	assert.Equal(t, 1.0, allocs(`"hello\nworld"`, func(d *Decoder) { sink = d.String() }), "String with escapes")
	assert.Equal(t, 1.0, allocs(`-12.5e3`, func(d *Decoder) { sink = d.String() }), "String of number")
	assert.Zero(t, allocs(`""`, func(d *Decoder) { sink = d.String() }), "empty String")
	assert.Zero(t, allocs(`true`, func(d *Decoder) { sink = d.String() }), "String of bool")
	assert.Equal(t, 1.0, allocs(`[1,{"a":"b"}]`, func(d *Decoder) { d.Raw() }), "Raw")
	assert.Zero(t, allocs(`12345`, func(d *Decoder) { d.Int64() }), "Int64")
	assert.Zero(t, allocs(`" 12345 "`, func(d *Decoder) { d.Int32() }), "Int32 from string")
	assert.Zero(t, allocs(`1.25e-3`, func(d *Decoder) { d.Float64() }), "Float64")
	assert.Zero(t, allocs(`"0.1"`, func(d *Decoder) { d.Float64() }), "Float64 from string")
	assert.Zero(t, allocs(`"True"`, func(d *Decoder) { d.Bool() }), "Bool")
	assert.Zero(t, allocs(`"2021-06-05T14:39:13.123+08:00"`, func(d *Decoder) { d.Time() }), "Time with offset")
	assert.Zero(t, allocs(`"2021-06-05 14:39:13"`, func(d *Decoder) { d.Time() }), "Time without zone")
	assert.Zero(t, allocs(`"not a time"`, func(d *Decoder) { d.Time() }), "unknown time format")
	assert.Zero(t, allocs(`1609459200000`, func(d *Decoder) { d.Time() }), "Unix time")

	// A whole document: one allocation per string plus the growth of the
	// result slice.
	data := benchDocument()
	n := testing.AllocsPerRun(20, func() {
		d.Reset(data)
		decodeResources(&d)
	})
	assert.LessOrEqual(t, n, float64(8*100+10), "document")
}

// sink keeps results alive so that allocation counts are honest.
var sink string
