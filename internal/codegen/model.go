package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

type kind int

const (
	kString kind = iota
	kEnum
	kTime
	kInt32
	kInt64
	kFloat
	kBool
	kStruct
	kList
)

// field is one parameter or response field as Go sees it.
type field struct {
	Name   string // the wire name, which is also the Go field name
	P      *apimodel.Param
	Kind   kind
	Enum   *enumType
	Struct *structType
	Elem   *field // list element
	Ptr    bool   // optional boolean whose false differs from the default
	// Wrapper is the wire name of the one member of the object a reply
	// wraps this list in ({"Accounts": {"Account": [...]}}): the Go field
	// is the plain slice and the decoder steps over the wrapper.
	Wrapper string
	Shrink  bool // sent as one JSON text
	// Request is true for request parameters and the fields of types used
	// in requests: lists become alicloud.List and times stay strings.
	Request bool
	// path is the field's first place in the model: "Op>Tag[].Key" in a
	// request, "Op<Accounts.Account[].AccountId" in a reply. It finds the
	// field's description in the documentation overlay.
	path string
}

// structType is a nested object, shared by every place with the same shape.
type structType struct {
	Name     string
	Fields   []*field
	sig      string
	desired  string
	uses     int
	firstOp  *apimodel.Operation
	path     string
	Request  bool
	Response bool
	paths    []string // every model place of this type
	// entity is set for the types entities.json merges: their fields are
	// the union of every place's fields.
	entity    *entitySpec
	ops       []string            // operations that fill an entity
	conflicts map[string][]*field // fields whose type differs between places
}

type enumType struct {
	Name   string
	Fold   bool
	Field  string
	Values []string
	owners []string
}

type opInfo struct {
	M     *apimodel.Operation
	Name  string
	Req   []*field
	Resp  []*field
	Codes []apimodel.ErrorCode
	Page  *pageInfo
}

type pageInfo struct {
	Kind       string
	ItemsExpr  string // Go expression on p for the items
	ItemType   string
	HasEchoNum bool
	HasEchoSz  bool
	SizeParam  string
	NumType    string // Go type of PageNumber
}

type errCode struct {
	Code     string
	Const    string
	Statuses []int
	Ops      []string
	Messages []string
}

type product struct {
	Pkg     string
	Model   *apimodel.Product
	Ops     []*opInfo
	Types   []*structType
	Enums   []*enumType
	Codes   []*errCode          // product codes (common ones excluded)
	codeSet map[string]*errCode // by code
	common  map[string]string   // common code -> const name
	names   nameOverrides
	docs    *apimodel.Docs

	enumByParam map[*apimodel.Param]*enumType
	typeBySig   map[string]*structType

	entities     entityData
	entityByPath map[string]string      // model place -> entity name
	entityTypes  map[string]*structType // entity name -> its type
	placeSeen    map[string]bool
}

type nameOverrides struct {
	Enums map[string]string `json:"enums"`
	// EnumFields joins a parameter to the enumeration concept of another
	// field (UpdateAccount's NewAccountType takes the account's Type).
	EnumFields map[string]string `json:"enumFields"`
	Types      map[string]string `json:"types"`
	// FoldCase lists enumerations whose replies may spell a documented
	// value in another casing; the decoder maps it onto the constant.
	FoldCase []string `json:"foldCase"`
}

var timeName = regexp.MustCompile(`(Time|Date)$`)

func loadNames(dir, pkg string) (nameOverrides, error) {
	var all map[string]json.RawMessage
	b, err := apimodel.Raw("names.json")
	if err != nil {
		return nameOverrides{}, err
	}
	if err := json.Unmarshal(b, &all); err != nil {
		return nameOverrides{}, err
	}
	var n nameOverrides
	if raw, ok := all[pkg]; ok {
		if err := json.Unmarshal(raw, &n); err != nil {
			return n, err
		}
	}
	return n, nil
}

func buildProduct(dir, pkg string, common *apimodel.CommonErrors) (*product, error) {
	m, err := apimodel.Load(pkg)
	if err != nil {
		return nil, err
	}
	errs, err := apimodel.LoadErrors(pkg)
	if err != nil {
		return nil, err
	}
	docs, err := apimodel.LoadDocs(pkg)
	if err != nil {
		return nil, err
	}
	names, err := loadNames(dir, pkg)
	if err != nil {
		return nil, err
	}
	ents, err := loadEntities(pkg)
	if err != nil {
		return nil, err
	}
	p, err := buildProductWith(pkg, m, errs, names, ents, common)
	if p != nil {
		p.docs = docs
	}
	return p, err
}

// buildProductWith builds a product from its loaded data, so that tests
// can change the entity decisions.
func buildProductWith(pkg string, m *apimodel.Product, errs *apimodel.Errors, names nameOverrides, ents entityData, common *apimodel.CommonErrors) (*product, error) {
	p := &product{Pkg: pkg, Model: m, names: names, docs: &apimodel.Docs{}, codeSet: map[string]*errCode{},
		common: map[string]string{}, enumByParam: map[*apimodel.Param]*enumType{}, typeBySig: map[string]*structType{},
		entities: ents, entityByPath: map[string]string{}, entityTypes: map[string]*structType{}, placeSeen: map[string]bool{}}
	for name, e := range ents.Entities {
		for _, pl := range e.Places {
			if other, ok := p.entityByPath[pl]; ok {
				return nil, fmt.Errorf("%s: entities.json: place %s is in both %s and %s", pkg, pl, other, name)
			}
			p.entityByPath[pl] = name
		}
	}
	for _, e := range common.Errors {
		if isTemplate(e.Code) {
			continue
		}
		p.common[e.Code] = errConstName(e.Code)
	}
	if err := p.buildCodes(errs); err != nil {
		return nil, err
	}
	if err := p.buildEnums(); err != nil {
		return nil, err
	}
	for _, op := range m.Operations {
		oi := &opInfo{M: op, Name: op.Name, Codes: errs.Operations[op.Name]}
		for _, prm := range op.Request {
			oi.Req = append(oi.Req, p.newField(prm, op, op.Name+">"+prm.Name, true))
		}
		for _, prm := range op.Response {
			oi.Resp = append(oi.Resp, p.newField(prm, op, op.Name+"<"+prm.Name, false))
		}
		p.Ops = append(p.Ops, oi)
	}
	if err := p.nameTypes(); err != nil {
		return nil, err
	}
	if err := p.finishEntities(); err != nil {
		return nil, err
	}
	for _, oi := range p.Ops {
		if err := p.buildPaging(oi); err != nil {
			return nil, err
		}
	}
	return p, p.checkNames()
}

func isTemplate(code string) bool { return strings.ContainsAny(code, "{}<>") }

func (p *product) buildCodes(errs *apimodel.Errors) error {
	opNames := make([]string, 0, len(errs.Operations))
	for k := range errs.Operations {
		opNames = append(opNames, k)
	}
	sort.Strings(opNames)
	for _, op := range opNames {
		if p.Model.Operation(op) == nil {
			return fmt.Errorf("%s: errors for unknown operation %s", p.Pkg, op)
		}
		for _, e := range errs.Operations[op] {
			if _, ok := p.common[e.Code]; ok || isTemplate(e.Code) {
				continue
			}
			ec := p.codeSet[e.Code]
			if ec == nil {
				ec = &errCode{Code: e.Code, Const: errConstName(e.Code)}
				p.codeSet[e.Code] = ec
				p.Codes = append(p.Codes, ec)
			}
			if !slices.Contains(ec.Statuses, e.HTTP) {
				ec.Statuses = append(ec.Statuses, e.HTTP)
			}
			if !slices.Contains(ec.Ops, op) {
				ec.Ops = append(ec.Ops, op)
			}
			if e.Message != "" && !slices.Contains(ec.Messages, e.Message) {
				ec.Messages = append(ec.Messages, e.Message)
			}
		}
	}
	sort.Slice(p.Codes, func(i, j int) bool { return p.Codes[i].Const < p.Codes[j].Const })
	seen := map[string]string{}
	for _, c := range p.Codes {
		slices.Sort(c.Statuses)
		if other, ok := seen[c.Const]; ok {
			return fmt.Errorf("%s: codes %q and %q both name %s", p.Pkg, other, c.Code, c.Const)
		}
		seen[c.Const] = c.Code
	}
	return nil
}

// ---- enumerations ----

type enumOcc struct {
	param *apimodel.Param
	field string
	owner string
}

// buildEnums gathers every documented enumeration, merges value sets of the
// same field where one contains the other or both belong to the same owner
// type, and names each: the field name when it is unambiguous, otherwise the
// owner's name followed by the field name, then names.json overrides.
func (p *product) buildEnums() error {
	var occs []enumOcc
	var walk func(prm *apimodel.Param, owner string)
	walk = func(prm *apimodel.Param, owner string) {
		if prm.Type == "string" && len(prm.Enum) > 0 && !boolish(prm.Enum) {
			name := prm.Name
			if c, ok := p.names.EnumFields[name]; ok {
				name = c
			}
			occs = append(occs, enumOcc{prm, name, owner})
		}
		if prm.Type == "object" {
			for _, f := range prm.Fields {
				walk(f, prm.Name)
			}
		}
		if prm.Type == "array" && prm.Items != nil {
			it := *prm.Items
			it.Name = singular(prm.Name)
			if it.Type == "object" {
				for _, f := range prm.Items.Fields {
					walk(f, it.Name)
				}
			} else if it.Type == "string" && len(it.Enum) > 0 && !boolish(it.Enum) {
				occs = append(occs, enumOcc{prm.Items, prm.Name, owner})
			}
		}
	}
	for _, op := range p.Model.Operations {
		for _, prm := range op.Request {
			walk(prm, "")
		}
		for _, prm := range op.Response {
			walk(prm, "")
		}
	}
	// union-find over occurrences
	parent := make([]int, len(occs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range occs {
		for j := i + 1; j < len(occs); j++ {
			a, b := occs[i], occs[j]
			if a.field != b.field {
				continue
			}
			if subset(a.param.Enum, b.param.Enum) || subset(b.param.Enum, a.param.Enum) ||
				(a.owner != "" && a.owner == b.owner) {
				parent[find(i)] = find(j)
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range occs {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	clustersPerField := map[string]int{}
	for _, r := range roots {
		clustersPerField[occs[r].field]++
	}
	byName := map[string]*enumType{}
	for _, r := range roots {
		members := groups[r]
		e := &enumType{Field: occs[members[0]].field}
		for _, i := range members {
			for _, v := range occs[i].param.Enum {
				if !slices.Contains(e.Values, v) {
					e.Values = append(e.Values, v)
				}
			}
			if o := occs[i].owner; o != "" && !slices.Contains(e.owners, o) {
				e.owners = append(e.owners, o)
			}
		}
		name := e.Field
		if clustersPerField[e.Field] > 1 {
			owner := ""
			if len(e.owners) > 0 {
				owner = e.owners[0]
			}
			name = owner + e.Field
		}
		if o, ok := p.names.Enums[e.Field+":"+e.Values[0]]; ok {
			name = o
		} else if o, ok := p.names.Enums[name]; ok {
			name = o
		}
		if other, ok := byName[name]; ok {
			return fmt.Errorf("%s: enumerations %v and %v both want the name %s; add an override to names.json", p.Pkg, other.Values, e.Values, name)
		}
		e.Name = name
		e.Fold = slices.Contains(p.names.FoldCase, name)
		byName[name] = e
		p.Enums = append(p.Enums, e)
		for _, i := range members {
			p.enumByParam[occs[i].param] = e
		}
	}
	sort.Slice(p.Enums, func(i, j int) bool { return p.Enums[i].Name < p.Enums[j].Name })
	return nil
}

func boolish(vals []string) bool {
	for _, v := range vals {
		if v != "true" && v != "false" {
			return false
		}
	}
	return true
}

func subset(a, b []string) bool {
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	return true
}

// ---- fields and shared types ----

func (p *product) newField(prm *apimodel.Param, op *apimodel.Operation, path string, request bool) *field {
	f := &field{Name: prm.Name, P: prm, Request: request, path: path}
	switch prm.Type {
	case "string":
		switch {
		case p.enumByParam[prm] != nil:
			f.Kind, f.Enum = kEnum, p.enumByParam[prm]
		case !request && timeName.MatchString(prm.Name):
			f.Kind = kTime
		default:
			f.Kind = kString
		}
	case "integer":
		f.Kind = kInt32
	case "long":
		f.Kind = kInt64
	case "float", "double":
		f.Kind = kFloat
	case "boolean":
		f.Kind = kBool
		f.Ptr = request && !(prm.Default == false)
	case "array":
		f.Kind = kList
		f.Shrink = prm.Shrink == "json"
		it := *prm.Items
		it.Name = singular(prm.Name)
		f.Elem = p.newField(&it, op, path+"[]", request)
		if prm.Items.Type == "string" {
			if e := p.enumByParam[prm.Items]; e != nil {
				f.Elem.Kind, f.Elem.Enum = kEnum, e
			}
		}
	case "object":
		if inner := listWrapped(prm); inner != nil && !request {
			f.Kind = kList
			f.Wrapper = inner.Name
			it := *inner.Items
			it.Name = singular(inner.Name)
			f.Elem = p.newField(&it, op, path+"."+inner.Name+"[]", request)
			if inner.Items.Type == "string" {
				if e := p.enumByParam[inner.Items]; e != nil {
					f.Elem.Kind, f.Elem.Enum = kEnum, e
				}
			}
			break
		}
		f.Kind = kStruct
		f.Struct = p.structFor(prm, op, path, request)
	default:
		f.Kind = kString
	}
	return f
}

func (p *product) structFor(prm *apimodel.Param, op *apimodel.Operation, path string, request bool) *structType {
	var fields []*field
	for _, c := range prm.Fields {
		fields = append(fields, p.newField(c, op, path+"."+c.Name, request))
	}
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
	if name, ok := p.entityByPath[path]; ok {
		p.placeSeen[path] = true
		return p.mergeEntity(name, fields, op, path, request)
	}
	sig := shapeSig(fields)
	st := p.typeBySig[sig]
	if st == nil {
		st = &structType{Fields: fields, sig: sig, desired: prm.Name, firstOp: op, path: path}
		p.typeBySig[sig] = st
		p.Types = append(p.Types, st)
	}
	st.paths = append(st.paths, path)
	st.uses++
	if request {
		st.Request = true
	} else {
		st.Response = true
	}
	// A shape takes its name from the first read-only operation that
	// returns it, the place users meet it most (List and Get replies).
	if op.ReadOnly && !st.firstOp.ReadOnly {
		st.firstOp, st.path, st.desired = op, path, prm.Name
	}
	return st
}

func shapeSig(fields []*field) string {
	var b strings.Builder
	b.WriteString("{")
	for _, f := range fields {
		b.WriteString(f.Name)
		b.WriteString(":")
		b.WriteString(kindSig(f))
		b.WriteString(";")
	}
	b.WriteString("}")
	return b.String()
}

func kindSig(f *field) string {
	switch f.Kind {
	case kEnum:
		return "enum:" + f.Enum.Field + strings.Join(f.Enum.Values, "|")
	case kTime, kString:
		return "string"
	case kList:
		if f.Shrink {
			return "json[" + kindSig(f.Elem) + "]"
		}
		if f.Wrapper != "" {
			return "[" + f.Wrapper + ":" + kindSig(f.Elem) + "]"
		}
		return "[" + kindSig(f.Elem) + "]"
	case kStruct:
		return f.Struct.sig
	}
	return fmt.Sprint(int(f.Kind))
}

// nameTypes gives every shared type its name. Shapes that want the same
// name are ordered by how often they are used, then by whether a read-only
// operation returns them, then by operation and path; the first keeps the
// name and the others are prefixed with the operation that first uses them.
func (p *product) nameTypes() error {
	byDesired := map[string][]*structType{}
	for _, st := range p.Types {
		if st.entity != nil {
			continue // named by the data
		}
		byDesired[st.desired] = append(byDesired[st.desired], st)
	}
	taken := map[string]bool{}
	for _, e := range p.Enums {
		taken[e.Name] = true
	}
	for _, op := range p.Model.Operations {
		taken[op.Name+"Request"] = true
		taken[op.Name+"Response"] = true
		taken[op.Name+"APIClient"] = true
	}
	for _, r := range []string{"Client", "Options", "Option", "List", "JSONList"} {
		taken[r] = true
	}
	for name := range p.entityTypes {
		taken[name] = true
	}
	desired := make([]string, 0, len(byDesired))
	for k := range byDesired {
		desired = append(desired, k)
	}
	sort.Strings(desired)
	for _, d := range desired {
		group := byDesired[d]
		sort.SliceStable(group, func(i, j int) bool {
			a, b := group[i], group[j]
			if a.uses != b.uses {
				return a.uses > b.uses
			}
			if a.firstOp.ReadOnly != b.firstOp.ReadOnly {
				return a.firstOp.ReadOnly
			}
			if a.firstOp.Name != b.firstOp.Name {
				return a.firstOp.Name < b.firstOp.Name
			}
			return a.path < b.path
		})
		for i, st := range group {
			name := d
			if i > 0 || taken[name] {
				name = st.firstOp.Name + d
			}
			if o, ok := p.names.Types[name]; ok {
				name = o
			}
			for n := 2; taken[name]; n++ {
				name = fmt.Sprintf("%s%d", strings.TrimRight(name, "0123456789"), n)
			}
			taken[name] = true
			st.Name = name
		}
	}
	// A type used in a request encodes its lists as alicloud.List, which
	// its fields must know.
	for _, st := range p.Types {
		if st.Request {
			markRequest(st)
		}
	}
	sort.Slice(p.Types, func(i, j int) bool { return p.Types[i].Name < p.Types[j].Name })
	return nil
}

func markRequest(st *structType) {
	for _, f := range st.Fields {
		setRequest(f)
	}
}

func setRequest(f *field) {
	f.Request = true
	if f.Kind == kTime {
		f.Kind = kString
	}
	if f.Elem != nil {
		setRequest(f.Elem)
	}
	if f.Struct != nil && !f.Struct.Request {
		f.Struct.Request = true
		markRequest(f.Struct)
	}
}

func (p *product) checkNames() error {
	seen := map[string]string{}
	add := func(name, what string) error {
		if other, ok := seen[name]; ok {
			return fmt.Errorf("%s: %s and %s are both named %s", p.Pkg, other, what, name)
		}
		seen[name] = what
		return nil
	}
	for _, st := range p.Types {
		if err := add(st.Name, "type "+st.path); err != nil {
			return err
		}
	}
	for _, e := range p.Enums {
		if err := add(e.Name, "enum "+e.Field); err != nil {
			return err
		}
		for _, v := range e.Values {
			if err := add(e.Name+enumConstSuffix(v), "enum value "+v); err != nil {
				return err
			}
		}
	}
	for _, c := range p.Codes {
		if err := add(c.Const, "code "+c.Code); err != nil {
			return err
		}
	}
	return nil
}

// ---- pagination ----

func (p *product) buildPaging(oi *opInfo) error {
	pg := oi.M.Pagination
	if pg == nil {
		return nil
	}
	info := &pageInfo{Kind: pg.Kind, SizeParam: pg.PageSizeParam}
	parts := strings.Split(pg.ItemsPath, ".")
	fields := oi.Resp
	expr := "p"
	var last *field
	for _, part := range parts {
		if last != nil && last.Kind == kList && last.Wrapper == part {
			continue // the wrapper is stepped over: the field is the list
		}
		var f *field
		for _, c := range fields {
			if c.Name == part {
				f = c
			}
		}
		if f == nil {
			return fmt.Errorf("%s.%s: items path %s not found", p.Pkg, oi.Name, pg.ItemsPath)
		}
		expr += "." + f.Name
		last = f
		if f.Kind == kStruct {
			fields = f.Struct.Fields
		}
	}
	if last.Kind != kList {
		return fmt.Errorf("%s.%s: items path %s is not a list", p.Pkg, oi.Name, pg.ItemsPath)
	}
	info.ItemsExpr = expr
	info.ItemType = goType(last.Elem)
	hasReq := func(name string) bool {
		for _, f := range oi.Req {
			if f.Name == name {
				return true
			}
		}
		return false
	}
	hasResp := func(name string) bool {
		for _, f := range oi.Resp {
			if f.Name == name {
				return true
			}
		}
		return false
	}
	switch pg.Kind {
	case "NextToken":
		if !hasReq(pg.InputToken) || !hasResp(pg.OutputToken) {
			return fmt.Errorf("%s.%s: token fields missing", p.Pkg, oi.Name)
		}
	case "PageNumber":
		if !hasReq("PageNumber") || !hasResp("TotalCount") {
			return fmt.Errorf("%s.%s: page fields missing", p.Pkg, oi.Name)
		}
		info.NumType = "int32"
		for _, f := range oi.Req {
			if f.Name == "PageNumber" && f.Kind == kInt64 {
				info.NumType = "int64"
			}
		}
		info.HasEchoNum = hasResp("PageNumber")
		info.HasEchoSz = hasResp("PageSize")
		if !hasReq("PageSize") {
			info.SizeParam = ""
		}
	default:
		return fmt.Errorf("%s.%s: unknown pagination kind %s", p.Pkg, oi.Name, pg.Kind)
	}
	oi.Page = info
	return nil
}

// goType is the Go type of a field.
func goType(f *field) string {
	switch f.Kind {
	case kString:
		return "string"
	case kEnum:
		return f.Enum.Name
	case kTime:
		return "time.Time"
	case kInt32:
		return "int32"
	case kInt64:
		return "int64"
	case kFloat:
		return "float64"
	case kBool:
		if f.Ptr {
			return "*bool"
		}
		return "bool"
	case kStruct:
		return f.Struct.Name
	case kList:
		switch {
		case f.Shrink:
			return "alicloud.JSONList[" + goType(f.Elem) + "]"
		case f.Request:
			return "alicloud.List[" + goType(f.Elem) + "]"
		}
		return "[]" + goType(f.Elem)
	}
	panic("unknown kind")
}
