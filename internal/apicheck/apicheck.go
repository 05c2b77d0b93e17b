// Package apicheck lists the exported API of the module's public packages,
// one sorted line per identifier, field and method, so that a change of the
// public surface shows up as a change of a committed file (api/v0.txt).
package apicheck

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Listing returns the exported API of every public package of the module
// rooted at root: packages outside internal/, not commands, not in a nested
// module.
func Listing(root, module string) (string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		base := d.Name()
		if rel != "." {
			if base == "internal" || base == "testdata" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // a nested module has its own surface
			}
		}
		dirs = append(dirs, rel)
		return nil
	})
	if err != nil {
		return "", err
	}
	var lines []string
	for _, rel := range dirs {
		bp, err := build.Default.ImportDir(filepath.Join(root, rel), 0)
		if err != nil {
			var noGo *build.NoGoError
			if ok := asNoGo(err, &noGo); ok {
				continue
			}
			return "", fmt.Errorf("apicheck: %s: %w", rel, err)
		}
		if bp.Name == "main" {
			continue
		}
		importPath := module
		if rel != "." {
			importPath = path.Join(module, filepath.ToSlash(rel))
		}
		pl, err := listPackage(filepath.Join(root, rel), bp.GoFiles, importPath)
		if err != nil {
			return "", err
		}
		lines = append(lines, pl...)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n", nil
}

func asNoGo(err error, target **build.NoGoError) bool {
	e, ok := err.(*build.NoGoError)
	if ok {
		*target = e
	}
	return ok
}

func listPackage(dir string, files []string, importPath string) ([]string, error) {
	fset := token.NewFileSet()
	var out []string
	add := func(format string, args ...any) {
		out = append(out, importPath+": "+fmt.Sprintf(format, args...))
	}
	str := func(n ast.Node) string {
		var b bytes.Buffer
		_ = printer.Fprint(&b, fset, n)
		return strings.Join(strings.Fields(b.String()), " ")
	}
	exportedRecv := func(fd *ast.FuncDecl) (string, bool) {
		t := fd.Recv.List[0].Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		switch x := t.(type) {
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		}
		id, ok := t.(*ast.Ident)
		return str(fd.Recv.List[0].Type), ok && id.IsExported()
	}
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("apicheck: %w", err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				sig := strings.TrimPrefix(str(d.Type), "func")
				if d.Recv == nil {
					add("func %s%s%s", d.Name.Name, sig, deprecated(d.Doc))
					continue
				}
				if recv, ok := exportedRecv(d); ok {
					add("method (%s) %s%s%s", recv, d.Name.Name, sig, deprecated(d.Doc))
				}
			case *ast.GenDecl:
				var lastType, lastValue string
				for i, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							listType(add, str, s)
						}
					case *ast.ValueSpec:
						kind := "var"
						if d.Tok == token.CONST {
							kind = "const"
						}
						typ := ""
						if s.Type != nil {
							typ = " " + str(s.Type)
						}
						// Constants in a group repeat the type and
						// expression of the spec before them.
						if d.Tok == token.CONST {
							if s.Type == nil && len(s.Values) == 0 && i > 0 {
								typ = lastType
							}
							lastType = typ
						}
						for j, n := range s.Names {
							if !n.IsExported() {
								continue
							}
							val := ""
							if d.Tok == token.CONST {
								if j < len(s.Values) {
									lastValue = str(s.Values[j])
								}
								val = " = " + lastValue
							}
							add("%s %s%s%s", kind, n.Name, typ, val)
						}
					}
				}
			}
		}
	}
	return out, nil
}

func listType(add func(string, ...any), str func(ast.Node) string, s *ast.TypeSpec) {
	name := s.Name.Name
	if s.TypeParams != nil {
		name += str(s.TypeParams)
	}
	assign := ""
	if s.Assign.IsValid() {
		assign = "= "
	}
	switch t := s.Type.(type) {
	case *ast.StructType:
		add("type %s %sstruct", name, assign)
		for _, f := range t.Fields.List {
			typ := str(f.Type)
			if len(f.Names) == 0 {
				add("field %s.%s embedded", s.Name.Name, typ)
				continue
			}
			for _, n := range f.Names {
				if n.IsExported() {
					tag := ""
					if f.Tag != nil {
						tag = " " + f.Tag.Value
					}
					add("field %s.%s %s%s%s", s.Name.Name, n.Name, typ, tag, deprecated(f.Doc))
				}
			}
		}
	case *ast.InterfaceType:
		add("type %s %sinterface", name, assign)
		for _, m := range t.Methods.List {
			if len(m.Names) == 0 {
				add("interface %s embeds %s", s.Name.Name, str(m.Type))
				continue
			}
			for _, n := range m.Names {
				if n.IsExported() {
					add("interface %s.%s%s", s.Name.Name, n.Name, strings.TrimPrefix(str(m.Type), "func"))
				}
			}
		}
	default:
		add("type %s %s%s", name, assign, str(s.Type))
	}
}

// deprecated marks an identifier whose doc has a paragraph starting
// "Deprecated:", the form tools recognise, so that the record shows when
// something becomes deprecated.
func deprecated(doc *ast.CommentGroup) string {
	if doc == nil {
		return ""
	}
	for _, para := range strings.Split(doc.Text(), "\n\n") {
		if strings.HasPrefix(para, "Deprecated: ") {
			return " // Deprecated"
		}
	}
	return ""
}
