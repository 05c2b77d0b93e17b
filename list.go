package alicloud

import (
	"net/url"

	"github.com/resourcekit/alicloud/internal/query"
)

// List is a request list parameter. It is an ordinary slice (assign any
// []T to it) that the encoder sends in the RPC list form: Targets.1,
// Targets.2 for values; Resources.1.ResourceId, Resources.1.ResourceType
// for structures. An empty list sends nothing.
type List[T any] []T

// EncodeValues implements the query encoder's interface.
func (l List[T]) EncodeValues(key string, v *url.Values) error {
	return query.EncodeList(key, []T(l), v)
}

// JSONList is a request list parameter that the API takes as one string of
// JSON text, e.g. AbandonableCheckId=["id-1","id-2"]. It is an ordinary slice.
// An empty list sends nothing.
type JSONList[T any] []T

// EncodeValues implements the query encoder's interface.
func (l JSONList[T]) EncodeValues(key string, v *url.Values) error {
	return query.EncodeJSON(key, []T(l), v)
}
