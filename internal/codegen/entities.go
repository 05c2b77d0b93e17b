package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

// entityData is one product's part of internal/apimodel/entities.json: the
// reviewed decisions that merge the per-operation shapes of one API entity
// into one Go type.
type entityData struct {
	Entities map[string]*entitySpec `json:"entities"`
	Apart    []apartSpec            `json:"apart"`
}

// entitySpec lists the model places ("Op<Field.Sub[]", "Op>Param[]") whose
// objects are the entity, and settles every field whose type differs
// between them by naming the Go type the merged field takes.
type entitySpec struct {
	Places  []string          `json:"places"`
	Resolve map[string]string `json:"resolve"`
	name    string
}

// apartSpec records shapes that look like an entity's (same name, shared
// fields) but are deliberately a type of their own.
type apartSpec struct {
	Places []string `json:"places"`
	Reason string   `json:"reason"`
}

func loadEntities(pkg string) (entityData, error) {
	var all map[string]json.RawMessage
	b, err := apimodel.Raw("entities.json")
	if err != nil {
		return entityData{}, err
	}
	if err := json.Unmarshal(b, &all); err != nil {
		return entityData{}, fmt.Errorf("entities.json: %w", err)
	}
	var d entityData
	if raw, ok := all[pkg]; ok {
		if err := json.Unmarshal(raw, &d); err != nil {
			return d, fmt.Errorf("entities.json: %s: %w", pkg, err)
		}
	}
	for name, e := range d.Entities {
		e.name = name
		if len(e.Places) == 0 {
			return d, fmt.Errorf("entities.json: %s: entity %s has no places", pkg, name)
		}
	}
	for _, a := range d.Apart {
		if strings.TrimSpace(a.Reason) == "" {
			return d, fmt.Errorf("entities.json: %s: kept-apart entry %v gives no reason", pkg, a.Places)
		}
	}
	return d, nil
}

// mergeEntity adds the fields of one place to the entity's type.
func (p *product) mergeEntity(name string, fields []*field, op *apimodel.Operation, path string, request bool) *structType {
	st := p.entityTypes[name]
	if st == nil {
		st = &structType{Name: name, sig: "entity:" + name, desired: name, firstOp: op, path: path,
			entity: p.entities.Entities[name], conflicts: map[string][]*field{}}
		p.entityTypes[name] = st
	}
	st.paths = append(st.paths, path)
	st.uses++
	if request {
		st.Request = true
	} else {
		st.Response = true
		if !slices.Contains(st.ops, op.Name) {
			st.ops = append(st.ops, op.Name)
		}
	}
	for _, f := range fields {
		i := slices.IndexFunc(st.Fields, func(g *field) bool { return g.Name == f.Name })
		if i < 0 {
			st.Fields = append(st.Fields, f)
			continue
		}
		if sameGoShape(st.Fields[i], f) {
			// A list the reply wraps and one it sends bare decode alike.
			if f.Kind == kList && f.Wrapper != "" && st.Fields[i].Wrapper == "" {
				st.Fields[i] = f
			}
			continue
		}
		if len(st.conflicts[f.Name]) == 0 {
			st.conflicts[f.Name] = []*field{st.Fields[i]}
		}
		st.conflicts[f.Name] = append(st.conflicts[f.Name], f)
	}
	sort.SliceStable(st.Fields, func(i, j int) bool { return st.Fields[i].Name < st.Fields[j].Name })
	return st
}

// sameGoShape reports whether two fields have the same Go type, before the
// shared types are named.
func sameGoShape(a, b *field) bool {
	if a.Kind != b.Kind || a.Ptr != b.Ptr || a.Shrink != b.Shrink {
		return false
	}
	switch a.Kind {
	case kEnum:
		return a.Enum == b.Enum
	case kStruct:
		return a.Struct == b.Struct
	case kList:
		return sameGoShape(a.Elem, b.Elem)
	}
	return true
}

// finishEntities settles the conflicting fields with the data's
// resolutions, adds the entity types, drops the shared types nothing uses
// any more and checks that the data still describes the model.
func (p *product) finishEntities() error {
	names := make([]string, 0, len(p.entities.Entities))
	for n := range p.entities.Entities {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		spec := p.entities.Entities[n]
		for _, pl := range spec.Places {
			if !p.placeSeen[pl] {
				return fmt.Errorf("%s: entities.json: %s place %s is not an object in the model", p.Pkg, n, pl)
			}
		}
		st := p.entityTypes[n]
		for fname := range spec.Resolve {
			if _, ok := st.conflicts[fname]; !ok {
				return fmt.Errorf("%s: entities.json: %s resolves %s, whose type does not differ between its places", p.Pkg, n, fname)
			}
		}
		cnames := make([]string, 0, len(st.conflicts))
		for c := range st.conflicts {
			cnames = append(cnames, c)
		}
		sort.Strings(cnames)
		for _, c := range cnames {
			var variants []string
			var chosen *field
			want, ok := spec.Resolve[c]
			for _, f := range st.conflicts[c] {
				t := goType(f)
				if !slices.Contains(variants, t) {
					variants = append(variants, t)
				}
				if ok && t == want && chosen == nil {
					chosen = f
				}
			}
			if chosen == nil {
				return fmt.Errorf("%s: entities.json: %s.%s has the types %s between its places; resolve it to one of them",
					p.Pkg, n, c, strings.Join(variants, ", "))
			}
			i := slices.IndexFunc(st.Fields, func(g *field) bool { return g.Name == c })
			st.Fields[i] = chosen
		}
		slices.Sort(st.ops)
		p.Types = append(p.Types, st)
	}
	for _, a := range p.entities.Apart {
		for _, pl := range a.Places {
			if !slices.ContainsFunc(p.Types, func(st *structType) bool { return slices.Contains(st.paths, pl) }) {
				return fmt.Errorf("%s: entities.json: kept-apart place %s is not an object in the model", p.Pkg, pl)
			}
		}
	}
	p.pruneTypes()
	// Name again without the shapes a resolution left unused, so that they
	// do not push the shapes that stay off their plain names.
	if err := p.nameTypes(); err != nil {
		return err
	}
	return p.checkCandidates()
}

// pruneTypes keeps the types an operation reaches: a shape that lost a
// resolution is no longer used anywhere.
func (p *product) pruneTypes() {
	used := map[*structType]bool{}
	var visit func(f *field)
	visit = func(f *field) {
		switch {
		case f.Kind == kStruct && !used[f.Struct]:
			used[f.Struct] = true
			for _, sf := range f.Struct.Fields {
				visit(sf)
			}
		case f.Kind == kList:
			visit(f.Elem)
		}
	}
	for _, oi := range p.Ops {
		for _, f := range oi.Req {
			visit(f)
		}
		for _, f := range oi.Resp {
			visit(f)
		}
	}
	p.Types = slices.DeleteFunc(p.Types, func(st *structType) bool { return !used[st] })
}

// checkCandidates fails on a reply shape that is not assigned to an entity
// yet looks like one: it wants an entity's name, or it shares its name and
// most of its fields with another unassigned shape. New model versions
// then cannot quietly bring back per-operation copies of an entity.
func (p *product) checkCandidates() error {
	apart := map[string]bool{}
	for _, a := range p.entities.Apart {
		for _, pl := range a.Places {
			apart[pl] = true
		}
	}
	isApart := func(st *structType) bool {
		return slices.ContainsFunc(st.paths, func(pl string) bool { return apart[pl] })
	}
	var problems []string
	byDesired := map[string][]*structType{}
	for _, st := range p.Types {
		if st.entity != nil || !st.Response || isApart(st) {
			continue
		}
		if _, ok := p.entityTypes[st.desired]; ok {
			problems = append(problems, fmt.Sprintf("%s (%s) is named like entity %s: add its places to it, or keep it apart with a reason",
				st.Name, strings.Join(st.paths, ", "), st.desired))
			continue
		}
		byDesired[st.desired] = append(byDesired[st.desired], st)
	}
	keys := make([]string, 0, len(byDesired))
	for k := range byDesired {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		group := byDesired[k]
		for i := range group {
			for j := i + 1; j < len(group); j++ {
				if overlap(group[i], group[j]) >= 0.5 {
					problems = append(problems, fmt.Sprintf("%s (%s) and %s (%s) look like one entity %s: merge them, or keep them apart with a reason",
						group[i].Name, strings.Join(group[i].paths, ", "), group[j].Name, strings.Join(group[j].paths, ", "), k))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: entities.json does not cover every entity candidate:\n\t%s", p.Pkg, strings.Join(problems, "\n\t"))
	}
	return nil
}

// overlap is the share of field names two shapes have in common.
func overlap(a, b *structType) float64 {
	names := map[string]int{}
	for _, f := range a.Fields {
		names[f.Name]++
	}
	for _, f := range b.Fields {
		names[f.Name]++
	}
	both := 0
	for _, n := range names {
		if n == 2 {
			both++
		}
	}
	return float64(both) / float64(len(names))
}

// listWrapped returns the one member of an object that only wraps a list.
func listWrapped(prm *apimodel.Param) *apimodel.Param {
	if prm.Type == "object" && len(prm.Fields) == 1 && prm.Fields[0].Type == "array" && prm.Fields[0].Items != nil && prm.Fields[0].Shrink == "" {
		return prm.Fields[0]
	}
	return nil
}
