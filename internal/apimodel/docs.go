package apimodel

import (
	"fmt"
	"sort"
	"strings"
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

// Missing lists what the overlay does not describe: operations, request
// parameter paths, top-level reply fields, and the entities found in the
// replies (see EntityName) with their fields. A description must say more
// than nothing; judging whether it says more than its name is the
// generator's audit.
func (d *Docs) Missing(p *Product) []string {
	var out []string
	entities := map[string]map[string]bool{}
	for _, op := range p.Operations {
		od := d.Operations[op.Name]
		if strings.TrimSpace(od.Summary) == "" {
			out = append(out, op.Name+": summary")
		}
		var walk func(prefix string, ps []*Param)
		walk = func(prefix string, ps []*Param) {
			for _, prm := range ps {
				if strings.TrimSpace(od.Request[prefix+prm.Name]) == "" {
					out = append(out, op.Name+": request "+prefix+prm.Name)
				}
				sub := prm.Fields
				if prm.Items != nil {
					sub = prm.Items.Fields
				}
				walk(prefix+prm.Name+".", sub)
			}
		}
		walk("", op.Request)
		for _, f := range op.Response {
			if strings.TrimSpace(od.Response[f.Name]) == "" {
				out = append(out, op.Name+": response "+f.Name)
			}
		}
		collectEntities(op.Response, entities)
	}
	names := make([]string, 0, len(entities))
	for n := range entities {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ed := d.Entities[n]
		if strings.TrimSpace(ed.Summary) == "" {
			out = append(out, "entity "+n+": summary")
		}
		fields := make([]string, 0, len(entities[n]))
		for f := range entities[n] {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			if strings.TrimSpace(ed.Fields[f]) == "" {
				out = append(out, "entity "+n+": field "+f)
			}
		}
	}
	return out
}

// IsWrapper reports whether a reply object only wraps a list
// ({"Accounts": {"Account": [...]}}).
func IsWrapper(f *Param) bool {
	return f.Type == "object" && len(f.Fields) == 1 && f.Fields[0].Type == "array"
}

// EntityName is the overlay's name for the objects a reply field holds: a
// wrapped list's own name (Accounts.Account: Account), the singular of an
// unwrapped list's name (ResourceShares: ResourceShare), or an object's
// field name (ResourceDirectory).
func EntityName(f *Param) string {
	switch {
	case IsWrapper(f):
		return f.Fields[0].Name
	case f.Type == "array":
		return Singular(f.Name)
	}
	return f.Name
}

// Singular is the singular of an English plural field name.
func Singular(n string) string {
	switch {
	case strings.HasSuffix(n, "ies"):
		return n[:len(n)-3] + "y"
	case strings.HasSuffix(n, "sses"), strings.HasSuffix(n, "uses"), strings.HasSuffix(n, "xes"):
		return n[:len(n)-2]
	case strings.HasSuffix(n, "s") && !strings.HasSuffix(n, "ss"):
		return n[:len(n)-1]
	}
	return n
}

// collectEntities records every object inside a reply with the union of
// its fields.
func collectEntities(fields []*Param, into map[string]map[string]bool) {
	for _, f := range fields {
		var obj []*Param
		switch {
		case IsWrapper(f):
			if it := f.Fields[0].Items; it != nil && it.Type == "object" {
				obj = it.Fields
			}
		case f.Type == "array":
			if f.Items != nil && f.Items.Type == "object" {
				obj = f.Items.Fields
			}
		case f.Type == "object":
			obj = f.Fields
		}
		if len(obj) == 0 {
			continue
		}
		name := EntityName(f)
		if into[name] == nil {
			into[name] = map[string]bool{}
		}
		for _, x := range obj {
			into[name][x.Name] = true
		}
		collectEntities(obj, into)
	}
}
