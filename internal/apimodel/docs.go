package apimodel

import (
	"fmt"
	"sort"
)

// Docs is a product's documentation overlay (docs-<product>.json): what
// each operation, parameter, reply field and entity means, in the
// project's own words. The generator puts it into godoc, before the facts
// it derives from the description itself (required, ranges, examples,
// documented errors).
type Docs struct {
	Operations map[string]OperationDocs `json:"operations"`
	// Entities are keyed by the entity's name: the singular wire name of
	// the object a reply carries (Account, ResourceShareInvitation).
	Entities map[string]EntityDocs `json:"entities"`
}

// OperationDocs describes one operation.
type OperationDocs struct {
	// Summary says what the operation does, when to use it and what
	// follows (a waiter, a follow-up call), with its preconditions.
	Summary string `json:"summary"`
	// Request is keyed by parameter path: "Tag" and "Tag.Key".
	Request map[string]string `json:"request"`
	// Response is keyed by top-level reply field.
	Response map[string]string `json:"response"`
}

// EntityDocs describes one object of the replies and its fields.
type EntityDocs struct {
	Summary string            `json:"summary"`
	Fields  map[string]string `json:"fields"`
}

// LoadDocs returns a product's documentation overlay; a product without
// one has empty maps.
func LoadDocs(name string) (*Docs, error) {
	if _, ok := productFiles[name]; !ok {
		return nil, fmt.Errorf("apimodel: unknown product %q", name)
	}
	d := &Docs{}
	if _, err := files.Open("docs-" + name + ".json"); err == nil {
		if err := readJSON("docs-"+name+".json", d); err != nil {
			return nil, err
		}
	}
	if d.Operations == nil {
		d.Operations = map[string]OperationDocs{}
	}
	if d.Entities == nil {
		d.Entities = map[string]EntityDocs{}
	}
	return d, nil
}

// Stale lists the overlay's keys that name nothing in the product's
// description: an operation, a request parameter path or a top-level
// reply field that does not exist. Entities are checked by the generator,
// which names them.
func (d *Docs) Stale(p *Product) []string {
	var out []string
	for opName, od := range d.Operations {
		op := p.Operation(opName)
		if op == nil {
			out = append(out, "operation "+opName)
			continue
		}
		paths := map[string]bool{}
		var walk func(prefix string, ps []*Param)
		walk = func(prefix string, ps []*Param) {
			for _, prm := range ps {
				paths[prefix+prm.Name] = true
				sub := prm.Fields
				if prm.Items != nil {
					sub = prm.Items.Fields
				}
				walk(prefix+prm.Name+".", sub)
			}
		}
		walk("", op.Request)
		for k := range od.Request {
			if !paths[k] {
				out = append(out, opName+" request "+k)
			}
		}
		top := map[string]bool{}
		for _, f := range op.Response {
			top[f.Name] = true
		}
		for k := range od.Response {
			if !top[k] {
				out = append(out, opName+" response "+k)
			}
		}
	}
	sort.Strings(out)
	return out
}
