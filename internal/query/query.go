// Package query turns request structs into RPC query parameters with
// go-querystring. Flat fields are go-querystring's job; the RPC list forms
// (Targets.1, Resources.1.ResourceId, Tag.1.Key) and JSON-encoded ("shrink")
// parameters are supplied here as types that implement query.Encoder, so the
// walk over a request stays tag-driven with no per-field code.
package query

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"time"

	"github.com/google/go-querystring/query"
)

// Values encodes a request struct (or pointer to one). A nil pointer gives
// empty values.
func Values(v any) (url.Values, error) {
	if v == nil {
		return url.Values{}, nil
	}
	return query.Values(v)
}

// EncodeList adds a list in the RPC form: element i (1-based) of a list
// named Targets is sent as Targets.i; the fields of a struct element follow
// the index (Resources.1.ResourceId, Tag.1.Key). An empty list adds nothing.
func EncodeList[T any](key string, l []T, v *url.Values) error {
	for i, elem := range l {
		prefix := key + "." + strconv.Itoa(i+1)
		if err := encodeElem(prefix, reflect.ValueOf(elem), v); err != nil {
			return err
		}
	}
	return nil
}

func encodeElem(prefix string, rv reflect.Value, v *url.Values) error {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		if e, ok := rv.Interface().(query.Encoder); ok {
			return e.EncodeValues(prefix, v)
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	if rv.CanInterface() {
		if e, ok := rv.Interface().(query.Encoder); ok {
			return e.EncodeValues(prefix, v)
		}
	}
	if t, ok := rv.Interface().(time.Time); ok {
		v.Add(prefix, t.Format(time.RFC3339))
		return nil
	}
	switch rv.Kind() {
	case reflect.Struct:
		sub, err := query.Values(rv.Interface())
		if err != nil {
			return fmt.Errorf("encode %s: %w", prefix, err)
		}
		for k, vs := range sub {
			for _, s := range vs {
				v.Add(prefix+"."+k, s)
			}
		}
		return nil
	case reflect.String:
		v.Add(prefix, rv.String())
	case reflect.Bool:
		v.Add(prefix, strconv.FormatBool(rv.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.Add(prefix, strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.Add(prefix, strconv.FormatUint(rv.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		v.Add(prefix, strconv.FormatFloat(rv.Float(), 'f', -1, rv.Type().Bits()))
	default:
		if e, ok := rv.Interface().(query.Encoder); ok {
			return e.EncodeValues(prefix, v)
		}
		return fmt.Errorf("encode %s: unsupported list element kind %s", prefix, rv.Kind())
	}
	return nil
}

// EncodeJSON adds a parameter whose value is the JSON text of l, the form of
// the API's "shrink" parameters (AbandonableCheckId=["id1","id2"]). An
// empty list adds nothing.
func EncodeJSON[T any](key string, l []T, v *url.Values) error {
	if len(l) == 0 {
		return nil
	}
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode %s as JSON: %w", key, err)
	}
	v.Set(key, string(b))
	return nil
}
