package emulator

import (
	"cmp"
	"encoding/json"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// params are the request's parameters: the query string and the form body
// merged, as the service merges them.
type params url.Values

// get returns the first value of name, or "".
func (p params) get(name string) string { return url.Values(p).Get(name) }

// has reports whether name was sent, even with an empty value.
func (p params) has(name string) bool { _, ok := p[name]; return ok }

// hasPrefix reports whether any parameter name starts with prefix.
func (p params) hasPrefix(prefix string) bool {
	for k := range p {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// indexed is one element of a flattened RPC list.
type indexed struct {
	n      int
	value  string
	fields map[string]string
}

// elems collects the flattened list name.N (and name.N.Field) in index
// order. Indexes need not be contiguous; keys whose index is not a positive
// integer are not part of the list. Its cost depends on the parameters sent,
// never on the index values.
func (p params) elems(name string) []indexed {
	prefix := name + "."
	byN := map[int]*indexed{}
	for key, vs := range p {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok || len(vs) == 0 {
			continue
		}
		num, field, nested := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || num[0] == '+' {
			continue
		}
		e := byN[n]
		if e == nil {
			e = &indexed{n: n}
			byN[n] = e
		}
		if nested {
			if e.fields == nil {
				e.fields = map[string]string{}
			}
			e.fields[field] = vs[0]
		} else {
			e.value = vs[0]
		}
	}
	out := make([]indexed, 0, len(byN))
	for _, e := range byN {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b indexed) int { return cmp.Compare(a.n, b.n) })
	return out
}

// list reads a flattened list of values (Targets.1, Targets.2...).
func (p params) list(name string) []string {
	es := p.elems(name)
	out := make([]string, 0, len(es))
	for _, e := range es {
		if e.fields == nil {
			out = append(out, e.value)
		}
	}
	return out
}

// structs reads a flattened list of structures (Resources.1.ResourceId,
// Tag.1.Key...). A missing field reads as "".
func (p params) structs(name string) []map[string]string {
	es := p.elems(name)
	out := make([]map[string]string, 0, len(es))
	for _, e := range es {
		if e.fields == nil {
			e.fields = map[string]string{}
		}
		out = append(out, e.fields)
	}
	return out
}

// tag is a key/value pair attached to a resource.
type tag struct{ Key, Value string }

// tags reads Tag.N.Key / Tag.N.Value.
func (p params) tags() []tag {
	var out []tag
	for _, f := range p.structs("Tag") {
		out = append(out, tag{Key: f["Key"], Value: f["Value"]})
	}
	return out
}

// boolean reads a boolean parameter; validate has checked its syntax.
func (p params) boolean(name string) bool {
	b, _ := strconv.ParseBool(p.get(name))
	return b
}

// integer reads an integer parameter with a default; validate has checked
// its syntax and range.
func (p params) integer(name string, def int) int {
	v := p.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}

// validate applies the constraints the API description documents for the
// operation's parameters (required, enumerations, integer ranges, string
// lengths, list sizes, duplicates), replying with the operation's own
// documented code where it has one. aliases map a parameter to the name its
// error codes use (UpdateFolder.NewFolderName reports Folder.Name codes).
func validate(op *apimodel.Operation, codes opCodes, p params, aliases map[string]string) error {
	for _, prm := range op.Request {
		if err := validateParam(prm, codes, p, aliases); err != nil {
			return err
		}
	}
	return nil
}

func validateParam(prm *apimodel.Param, codes opCodes, p params, aliases map[string]string) error {
	name := prm.Name
	codeName := name
	if a, ok := aliases[name]; ok {
		codeName = a
	}
	switch {
	case prm.Type == "array" && prm.Shrink == "":
		return validateList(prm, codes, p, codeName)
	case prm.Type == "object" && prm.Shrink == "":
		if prm.Required && !p.hasPrefix(name+".") && p.get(name) == "" {
			return missingParam(codes, codeName)
		}
		return nil
	case prm.Type == "array" || prm.Type == "object":
		v := p.get(name)
		if v == "" {
			if prm.Required {
				return missingParam(codes, codeName)
			}
			return nil
		}
		var x any
		if json.Unmarshal([]byte(v), &x) != nil {
			return invalidParam(codes, codeName, "")
		}
		return nil
	}
	v := p.get(name)
	if v == "" {
		if prm.Required {
			return missingParam(codes, codeName)
		}
		return nil
	}
	switch prm.Type {
	case "integer", "long", "number":
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || (prm.Type != "number" && n != math.Trunc(n)) {
			return invalidParam(codes, codeName, "")
		}
		if (prm.Min != nil && n < *prm.Min) || (prm.Max != nil && n > *prm.Max) {
			return invalidParam(codes, codeName, "")
		}
	case "boolean":
		if _, err := strconv.ParseBool(v); err != nil {
			return invalidParam(codes, codeName, "")
		}
	default:
		if len(prm.Enum) > 0 && !slices.Contains(prm.Enum, v) {
			return invalidParam(codes, codeName, "")
		}
		n := utf8.RuneCountInString(v)
		if (prm.MinLength != nil && n < *prm.MinLength) || (prm.MaxLength != nil && n > *prm.MaxLength) {
			return invalidParam(codes, codeName, ".Length")
		}
	}
	return nil
}

func validateList(prm *apimodel.Param, codes opCodes, p params, codeName string) error {
	es := p.elems(prm.Name)
	if len(es) == 0 {
		if prm.Required {
			return missingParam(codes, codeName)
		}
		return nil
	}
	if prm.MaxItems != nil && len(es) > *prm.MaxItems {
		return invalidParam(codes, codeName, ".Length")
	}
	if dup, ok := codes.paramCode("InvalidParameter", codeName, ".Duplicate"); ok {
		seen := map[string]bool{}
		for _, e := range es {
			k := e.value
			if e.fields != nil {
				k = fieldsKey(e.fields)
			}
			if seen[k] {
				return errCode(dup)
			}
			seen[k] = true
		}
	}
	if prm.Items != nil {
		for _, f := range prm.Items.Fields {
			if f.MaxLength == nil {
				continue
			}
			for _, e := range es {
				if utf8.RuneCountInString(e.fields[f.Name]) > *f.MaxLength {
					return invalidParam(codes, codeName, "")
				}
			}
		}
	}
	return nil
}

// fieldsKey is a canonical text of a structure element, to find duplicates.
func fieldsKey(m map[string]string) string {
	keys := sortedKeys(m)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(strconv.Quote(k))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(m[k]))
		b.WriteByte(';')
	}
	return b.String()
}

// sortedKeys returns the keys of a string-keyed map in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
