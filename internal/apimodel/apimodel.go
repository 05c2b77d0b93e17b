// Package apimodel holds the API description that drives code generation and
// the emulator: one JSON file per product (operations, parameters, response
// fields, constraints, pagination) and the documented error codes. The files
// are embedded, so nothing outside the module is read at run time. See
// README.md in this directory for their origin and the corrections made.
package apimodel

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
)

//go:embed *.json
var files embed.FS

// Product is one API description file.
type Product struct {
	Product      string            `json:"product"`
	Version      string            `json:"version"`
	ProductID    string            `json:"productId"`
	EndpointRule string            `json:"endpointRule"`
	EndpointMap  map[string]string `json:"endpointMap"`
	Operations   []*Operation      `json:"operations"`
}

// Operation is one API action.
type Operation struct {
	Name       string      `json:"name"`
	Method     string      `json:"method"`
	Protocol   string      `json:"protocol"`
	Pathname   string      `json:"pathname"`
	Style      string      `json:"style"`
	AuthType   string      `json:"authType"`
	Deprecated bool        `json:"deprecated"`
	ReadOnly   bool        `json:"readOnly"`
	Request    []*Param    `json:"request"`
	Response   []*Param    `json:"response"`
	Pagination *Pagination `json:"pagination"`
}

// Param is a request parameter or a response field; nested objects and
// array elements use the same shape.
type Param struct {
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	Required   bool     `json:"required"`
	Location   string   `json:"location,omitempty"`
	Shrink     string   `json:"shrink,omitempty"`
	Items      *Param   `json:"items,omitempty"`
	Fields     []*Param `json:"fields,omitempty"`
	Values     *Param   `json:"values,omitempty"`
	Enum       []string `json:"enum,omitempty"`
	Default    any      `json:"default,omitempty"`
	Min        *float64 `json:"min,omitempty"`
	Max        *float64 `json:"max,omitempty"`
	MaxItems   *int     `json:"maxItems,omitempty"`
	MinLength  *int     `json:"minLength,omitempty"`
	MaxLength  *int     `json:"maxLength,omitempty"`
	Example    string   `json:"example,omitempty"`
	Deprecated bool     `json:"deprecated,omitempty"`
	// ReplacedBy names the field of the same object that the API reference
	// gives in place of a deprecated one.
	ReplacedBy string `json:"replacedBy,omitempty"`
}

// Pagination says how an operation pages.
type Pagination struct {
	Kind           string `json:"kind"` // "NextToken" or "PageNumber"
	InputToken     string `json:"inputToken"`
	OutputToken    string `json:"outputToken"`
	PageSizeParam  string `json:"pageSizeParam"`
	ItemsPath      string `json:"itemsPath"`
	TotalCountPath string `json:"totalCountPath"`
}

// ErrorCode is one documented error code.
type ErrorCode struct {
	HTTP    int    `json:"http"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Errors are the documented codes of one product, by operation.
type Errors struct {
	Operations map[string][]ErrorCode `json:"operations"`
}

// CommonErrors are the codes every product may return.
type CommonErrors struct {
	Errors []ErrorCode `json:"errors"`
}

// Known products, by package name.
var productFiles = map[string]string{
	"resourcesharing": "resourcesharing-2020-01-10",
	"resourcemanager": "resourcemanager-2020-03-31",
	"sts":             "sts-2015-04-01",
}

// Names lists the products this package describes, sorted.
func Names() []string {
	var out []string
	for k := range productFiles {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Load returns the description of a product ("resourcesharing",
// "resourcemanager", "sts").
func Load(name string) (*Product, error) {
	base, ok := productFiles[name]
	if !ok {
		return nil, fmt.Errorf("apimodel: unknown product %q", name)
	}
	var p Product
	if err := readJSON(base+".json", &p); err != nil {
		return nil, err
	}
	sort.Slice(p.Operations, func(i, j int) bool { return p.Operations[i].Name < p.Operations[j].Name })
	return &p, nil
}

// LoadErrors returns the documented error codes of a product; a product
// without a file has none.
func LoadErrors(name string) (*Errors, error) {
	base, ok := productFiles[name]
	if !ok {
		return nil, fmt.Errorf("apimodel: unknown product %q", name)
	}
	var e Errors
	if _, err := files.Open("errors-" + base + ".json"); err != nil {
		return &Errors{Operations: map[string][]ErrorCode{}}, nil
	}
	if err := readJSON("errors-"+base+".json", &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// LoadCommonErrors returns the codes shared by all products.
func LoadCommonErrors() (*CommonErrors, error) {
	var e CommonErrors
	if err := readJSON("errors-common.json", &e); err != nil {
		return nil, err
	}
	return &e, nil
}

func readJSON(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("apimodel: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("apimodel: %s: %w", name, err)
	}
	return nil
}

// Operation returns the named operation, or nil.
func (p *Product) Operation(name string) *Operation {
	for _, op := range p.Operations {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// Raw returns one of the embedded description files by name, for the
// generator's own data files (names.json, waiters.json).
func Raw(name string) ([]byte, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("apimodel: %w", err)
	}
	return b, nil
}
