package apicheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// boilerplate are the sentences the generator adds to every doc comment
// whatever the overlay says: they do not count as a description.
var boilerplate = regexp.MustCompile(`(?i)(Required\.|Optional\.|Example: "[^"]*"\.|Documented values: the \w+ constants\.|` +
	`Valid values: [^.]*\.|Minimum: [^.]*\.|Maximum: [^.]*\.|Length: [^.]*\.|At most \d+ [^.]*\.|Default: [^.]*\.|` +
	`Sent as [^.]*\.(\.\.)?|Nil leaves the service's default; set it with alicloud\.Ptr\.|\w+ is the reply's \w+ field\.|Deprecated:[^\n]*)`)

// describes reports whether a doc comment says something beyond the
// identifier and the generated boilerplate: at least three words that are
// not the identifier's own.
func describes(doc, ident string) bool {
	text := boilerplate.ReplaceAllString(doc, " ")
	own := map[string]bool{}
	for _, w := range regexp.MustCompile(`[A-Z]?[a-z]+|[A-Z]+`).FindAllString(ident, -1) {
		own[strings.ToLower(w)] = true
	}
	n := 0
	for _, w := range regexp.MustCompile(`[A-Za-z]+`).FindAllString(text, -1) {
		if !own[strings.ToLower(w)] && w != ident && len(w) > 2 {
			n++
		}
	}
	return n >= 3
}

// TestProductDocsDescribeEveryOperationAndField audits the generated
// source of both product packages: every operation method and every field
// of a request, a reply or an entity type must be described.
func TestProductDocsDescribeEveryOperationAndField(t *testing.T) {
	for _, pkg := range []string{"resourcemanager", "resourcesharing"} {
		fset := token.NewFileSet()
		dir := filepath.Join("..", "..", pkg)
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		var missing []string
		for _, name := range files {
			base := filepath.Base(name)
			if strings.HasSuffix(base, "_test.go") || !(strings.HasPrefix(base, "api_op_") || base == "types.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			require.NoError(t, err)
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil || !d.Name.IsExported() || strings.HasSuffix(d.Name.Name, "Pages") ||
						strings.HasSuffix(d.Name.Name, "All") || d.Name.Name == "Validate" || d.Name.Name == "UnmarshalJSON" {
						continue
					}
					if d.Doc == nil || !describes(d.Doc.Text(), d.Name.Name) {
						missing = append(missing, pkg+"."+d.Name.Name)
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						ts, ok := spec.(*ast.TypeSpec)
						if !ok {
							continue
						}
						st, ok := ts.Type.(*ast.StructType)
						if !ok {
							continue
						}
						for _, fld := range st.Fields.List {
							for _, n := range fld.Names {
								if n.IsExported() && (fld.Doc == nil || !describes(fld.Doc.Text(), n.Name)) {
									missing = append(missing, pkg+"."+ts.Name.Name+"."+n.Name)
								}
							}
						}
					}
				}
			}
		}
		assert.Empty(t, missing, "%s: %d operations or fields say nothing beyond their name", pkg, len(missing))
	}
}

func TestDescribes(t *testing.T) {
	assert.False(t, describes(`AccountId is the reply's AccountId field. Example: "1234".`, "AccountId"))
	assert.False(t, describes(`Required. Valid values: 1 to 100.`, "PageSize"))
	assert.True(t, describes(`ID of the member account to move, a 16-digit number. Required.`, "AccountId"))
}
