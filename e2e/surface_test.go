package e2e_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// replyTypes returns every struct type a client's replies and iterator items
// reach, each with one path that leads to it.
func replyTypes(t *testing.T, client any) map[reflect.Type]string {
	t.Helper()
	seen := map[reflect.Type]string{}
	var walk func(rt reflect.Type, path string)
	walk = func(rt reflect.Type, path string) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || rt == reflect.TypeOf(time.Time{}) {
			return
		}
		if _, ok := seen[rt]; ok {
			return
		}
		seen[rt] = path
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			if f.IsExported() {
				walk(f.Type, path+"."+f.Name)
			}
		}
	}
	ct := reflect.TypeOf(client)
	for i := 0; i < ct.NumMethod(); i++ {
		m := ct.Method(i)
		if m.Type.NumOut() == 0 {
			continue
		}
		out := m.Type.Out(0)
		switch {
		case out.Kind() == reflect.Pointer && strings.HasSuffix(out.Elem().Name(), "Response"):
			walk(out, m.Name)
		case out.Kind() == reflect.Func && strings.HasSuffix(m.Name, "All"):
			// iter.Seq2[T, error] is func(yield func(T, error) bool).
			walk(out.In(0).In(0), m.Name+"[item]")
		}
	}
	require.NotEmpty(t, seen)
	return seen
}

func TestSurfaceHasNoListWrappers(t *testing.T) {
	for name, c := range map[string]any{"resourcemanager": &resourcemanager.Client{}, "resourcesharing": &resourcesharing.Client{}} {
		for rt, path := range replyTypes(t, c) {
			if rt.NumField() == 1 && rt.Field(0).Type.Kind() == reflect.Slice {
				t.Errorf("%s: %s (reached by %s) only wraps the list %s", name, rt.Name(), path, rt.Field(0).Name)
			}
		}
	}
}

// TestSurfaceEntitiesAreOneType checks that every reply field named after an
// entity, or after its plural, holds that entity's type.
func TestSurfaceEntitiesAreOneType(t *testing.T) {
	tests := []struct {
		client   any
		entities []reflect.Type
		// shapes that share an entity's field name but not its shape
		apart map[string]reflect.Type
	}{
		{&resourcemanager.Client{}, []reflect.Type{
			reflect.TypeOf(resourcemanager.Account{}), reflect.TypeOf(resourcemanager.Folder{}),
			reflect.TypeOf(resourcemanager.ResourceGroup{}), reflect.TypeOf(resourcemanager.Handshake{}),
			reflect.TypeOf(resourcemanager.Role{}), reflect.TypeOf(resourcemanager.Policy{}),
			reflect.TypeOf(resourcemanager.ControlPolicy{}), reflect.TypeOf(resourcemanager.PolicyVersion{}),
			reflect.TypeOf(resourcemanager.Tag{}), reflect.TypeOf(resourcemanager.ResourceDirectory{}),
		}, map[string]reflect.Type{
			"ListTagKeysResponse.Tags":   reflect.TypeOf(resourcemanager.TagKey{}),
			"ListTagValuesResponse.Tags": reflect.TypeOf(resourcemanager.TagValue{}),
			"ResourceGroup.Tags":         reflect.TypeOf(resourcemanager.ResourceGroupTag{}),
		}},
		{&resourcesharing.Client{}, []reflect.Type{
			reflect.TypeOf(resourcesharing.ResourceShareInvitation{}), reflect.TypeOf(resourcesharing.ResourceShare{}),
			reflect.TypeOf(resourcesharing.ResourceShareAssociation{}), reflect.TypeOf(resourcesharing.SharedResource{}),
			reflect.TypeOf(resourcesharing.SharedTarget{}), reflect.TypeOf(resourcesharing.Permission{}),
		}, map[string]reflect.Type{
			"Permission.Permission": reflect.TypeOf(""), // the permission's policy text
		}},
	}
	for _, tc := range tests {
		byField := map[string]reflect.Type{}
		for _, e := range tc.entities {
			byField[e.Name()] = e
			byField[plural(e.Name())] = e
		}
		checked := 0
		for rt := range replyTypes(t, tc.client) {
			for i := 0; i < rt.NumField(); i++ {
				f := rt.Field(i)
				want, ok := byField[f.Name]
				if !ok {
					continue
				}
				got := f.Type
				for got.Kind() == reflect.Slice || got.Kind() == reflect.Pointer {
					got = got.Elem()
				}
				if a, ok := tc.apart[rt.Name()+"."+f.Name]; ok {
					assert.Equal(t, a.String(), got.String(), "%s.%s", rt.Name(), f.Name)
					continue
				}
				assert.Equal(t, want.String(), got.String(), "%s.%s", rt.Name(), f.Name)
				checked++
			}
		}
		assert.Greater(t, checked, len(tc.entities), "%T: too few entity fields seen", tc.client)
	}
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "y"):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"):
		return s + "es"
	}
	return s + "s"
}

func TestSurfaceTagResourceTypesAreOneEnum(t *testing.T) {
	rmReq := reflect.TypeOf(resourcemanager.TagResourcesRequest{})
	rmItem := reflect.TypeOf(resourcemanager.TagResource{})
	for _, rt := range []reflect.Type{reflect.TypeOf(resourcemanager.UntagResourcesRequest{}), reflect.TypeOf(resourcemanager.ListTagResourcesRequest{}), rmItem} {
		assert.Equal(t, fieldType(t, rmReq, "ResourceType"), fieldType(t, rt, "ResourceType"), rt.Name())
	}
	assert.Equal(t, reflect.TypeOf(resourcemanager.ResourceTypeResourceGroup), fieldType(t, rmItem, "ResourceType"))

	rsReq := reflect.TypeOf(resourcesharing.TagResourcesRequest{})
	rsItem := reflect.TypeOf(resourcesharing.TagResource{})
	for _, rt := range []reflect.Type{reflect.TypeOf(resourcesharing.UntagResourcesRequest{}), reflect.TypeOf(resourcesharing.ListTagResourcesRequest{}), rsItem} {
		assert.Equal(t, fieldType(t, rsReq, "ResourceType"), fieldType(t, rt, "ResourceType"), rt.Name())
	}
	assert.Equal(t, reflect.TypeOf(resourcesharing.TagResourceTypeResourceShare), fieldType(t, rsItem, "ResourceType"))
	// The shared resources' types are one concept of their own.
	assert.Equal(t, fieldType(t, reflect.TypeOf(resourcesharing.Resource{}), "ResourceType"),
		fieldType(t, reflect.TypeOf(resourcesharing.SharedResource{}), "ResourceType"))
}

func fieldType(t *testing.T, rt reflect.Type, name string) reflect.Type {
	t.Helper()
	f, ok := rt.FieldByName(name)
	require.True(t, ok, "%s has no field %s", rt.Name(), name)
	return f.Type
}
